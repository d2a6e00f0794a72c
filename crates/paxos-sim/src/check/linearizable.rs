//! Linearizability of client histories of the replicated key-value store.
//!
//! # What is checked
//!
//! Clients see the store as a set of registers, one `i64` per key, each starting at 0. A history is
//! *linearizable* when every operation can be given a single instant between its invocation and its
//! answer such that, applied one by one in the order of those instants, the operations give exactly
//! the answers the clients received (Herlihy & Wing, "Linearizability: A Correctness Condition for
//! Concurrent Objects", ACM TOPLAS 12(3), 1990, §3). Two consequences matter here:
//!
//! - **Real-time order.** If operation A was answered before operation B was invoked, A comes before
//!   B in the order. Two trace events may share a virtual time, so "before" is decided by trace
//!   event ids, which strictly increase: A precedes B iff A's answer has a smaller event id than B's
//!   invocation.
//! - **Unanswered operations.** An operation that never got an answer (Jepsen calls it "info") may
//!   have taken effect at any instant after its invocation, or never; its answer is unknown, so any
//!   answer fits. Taking effect after everything else is the same as never taking effect. An
//!   unanswered `get` can therefore be dropped altogether. A `NotLeader` answer is retried by the
//!   client and should never reach this checker; if one does, it is treated as no answer at all.
//!
//! # How
//!
//! 1. **One key at a time.** Linearizability is *local*: a history is linearizable iff its
//!    restriction to each object is (Herlihy & Wing 1990, Theorem 1). Horn & Kroening call the
//!    same trick P-compositionality ("Faster linearizability checking via P-compositionality",
//!    FORTE 2015). Each key's operations are checked on their own, which keeps every search small.
//! 2. **Wing & Gong's search, linearizing just in time.** For one key, the invocations and answers
//!    are laid out in a doubly linked list in event-id order (Wing & Gong, "Testing and verifying
//!    concurrent objects", J. Parallel Distrib. Comput. 17, 1993). The search walks the list from
//!    the front. At an invocation it tries to *linearize* that operation now: apply it to the
//!    register and compare with the recorded answer. If it fits, the operation's invocation and
//!    answer are unlinked from the list, the step is pushed on a stack, and the walk restarts from
//!    the front. Reaching an answer whose operation is still pending means the current order cannot
//!    be extended: pop the last step, relink it, and try the next invocation after it. Operations
//!    are thus linearized "just in time", only when an answer forces it (Lowe, "Testing for
//!    linearizability", Concurrency and Computation: Practice and Experience 29(4), 2017). The
//!    search keeps its own stack, so a 10,000-operation history cannot overflow the thread's stack.
//! 3. **Memoization.** Two partial orders that linearized the same *set* of operations and left the
//!    register with the same value have the same future, so each (set, value) pair is explored once
//!    (Lowe 2017; also Porcupine, <https://github.com/anishathalye/porcupine>). The set of answered
//!    operations is a bitset, stored trimmed (leading all-ones words counted, trailing zero words
//!    dropped) under an incrementally kept Zobrist hash, so a lookup costs a few words, not the
//!    whole history. The cache is a `HashMap` that is only looked up, never iterated.
//!
//! A search succeeds once every *answered* operation is linearized. Unanswered operations have no
//! answer to force them, so they are tried only after the answered candidates of each state, and
//! only in the places where they can matter. Every rule below keeps at least one linearization of
//! every linearizable history, so none can hide a violation:
//!
//! - **Only when observed.** Unanswered operations linearized between two answered ones form a
//!   *block*. A block followed by an answered `set` (or by nothing) is never observed, and can be
//!   dropped; so after an unanswered operation the next answered one must be a `get` or an `inc`.
//! - **A block is one `set`, then `inc`s.** A `set` hides what came before it in the block, and
//!   increments commute, so a block is at most one unanswered `set`, first, then unanswered `inc`s
//!   in invocation order.
//! - **Identical operations in order.** Two unanswered operations that are the same (`inc a 1` and
//!   `inc a 1`) are interchangeable once both are invoked, so the later is used only after the
//!   earlier.
//! - **Fewer is better.** A state that used a superset of the unanswered operations of an explored
//!   state, with the same answered set and value and no more freedom for its next step, has no
//!   future that state lacked, so it is skipped as well.
//!
//! Checking linearizability is NP-complete in general (Gibbons & Korach, "Testing shared memories",
//! SIAM J. Comput. 26(4), 1997), and the hard part is unanswered operations: each stays available
//! from its invocation to the end of the history. Histories where few operations go unanswered
//! are checked in milliseconds; a *failing* search must explore every state, and with dozens of
//! unanswered `set`s and `inc`s on one key that can take seconds.
//!
//! # Where it breaks
//!
//! Cut a history at event E: operations answered after E are treated as unanswered. If the cut at E
//! is not linearizable, neither is any later cut (a later cut only adds answers, i.e. constraints),
//! so the first failing cut can be found by binary search over a key's answer events. The search
//! first tries the answer where the search of the whole history got stuck, and the one before it,
//! which usually settles it in two runs. That answer is the one to blame: everything before it was
//! still explainable. The report names the operation, its answer, and the answers that would have
//! fitted, found by re-running the search (with a bounded number of states) with a few other
//! answers: those the operation would have given at the register values it could observe.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use paxos_core::vec_map::{VecMap, VecSet};
use paxos_core::{ClientId, Key, Op, Outcome, key_name};

/// How many other answers are tried, when explaining a violation, to say what would have fitted.
const MAX_ALTERNATIVES: usize = 8;

/// One client operation, from its first invocation to its answer (if any). Times are virtual µs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The client that issued the operation.
    pub client: ClientId,
    /// What it asked.
    pub op: Op,
    /// Trace event id and time of the invocation.
    pub invoke: (u64, u64),
    /// Trace event id, time and outcome of the answer; None if the operation never returned
    /// (Jepsen's "info": it may or may not have taken effect, at any time after its invocation).
    pub ret: Option<(u64, u64, Outcome)>,
}

/// What a successful check looked at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations in the history.
    pub operations: usize,
    /// Distinct keys, each checked on its own.
    pub keys: usize,
    /// Search states (operations linearized, register value) explored, over all keys.
    pub states_explored: u64,
}

/// Why a history is not linearizable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotLinearizable {
    /// The trace event id of the first return event at which the history stops being linearizable:
    /// the smallest event id E such that the history cut at E (every op whose return id > E
    /// treated as never returned) is not linearizable.
    pub event: u64,
    /// The key whose operations cannot be ordered.
    pub key: Key,
    /// A sentence a person can act on: the operation, its answer, and what would have fitted.
    pub message: String,
}

impl fmt::Display for NotLinearizable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NotLinearizable {}

/// Checks the whole history. Ok(stats) or the violation.
///
/// Only event ids order events (see the module documentation), so the order of `history` does not
/// matter. The violation reported is the one at the smallest event id over all keys.
pub fn check(history: &[Operation]) -> Result<Stats, NotLinearizable> {
    let mut per_key: VecMap<Key, Vec<usize>> = VecMap::new();
    for (index, operation) in history.iter().enumerate() {
        per_key.entry(operation.op.key()).or_default().push(index);
    }
    let mut stats = Stats { operations: history.len(), keys: per_key.len(), states_explored: 0 };
    let mut first: Option<NotLinearizable> = None;
    for (&key, indices) in &per_key {
        let sub = KeyHistory::new(history, indices);
        let whole = sub.search(&Search::whole(), &mut stats.states_explored);
        if whole.linearizable {
            continue;
        }
        let earlier_than = first.as_ref().map_or(u64::MAX, |violation| violation.event);
        let hint = whole.stopped_at.unwrap_or(u64::MAX);
        if let Some(violation) = sub.first_violation(history, key, earlier_than, hint, &mut stats.states_explored) {
            first = Some(violation);
        }
    }
    match first {
        Some(violation) => Err(violation),
        None => Ok(stats),
    }
}

/// One operation of a key's sub-history, as the search sees it.
#[derive(Clone, Copy, Debug)]
struct KeyOp {
    op: Op,
    /// Event id of the invocation.
    call: u64,
    /// Event id and outcome of the answer, if it has a usable one.
    ret: Option<(u64, Outcome)>,
    /// Position in the whole history, for reports.
    index: usize,
}

/// Node kinds of the search's linked list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Event {
    Call(usize),
    Return(usize),
}

/// The operations on one key, with their events sorted by event id.
struct KeyHistory {
    ops: Vec<KeyOp>,
    /// Every invocation and answer, ordered by event id (an invocation first on a tie).
    events: Vec<(u64, Event)>,
}

/// What one run of the search looks at, and what it watches.
#[derive(Clone, Copy, Debug)]
struct Search {
    /// Answers after this event id count as never received; operations invoked after it are left out.
    cut: u64,
    /// Record the register values at which this operation (an index into `KeyHistory::ops`) was tried.
    watch: Option<usize>,
    /// Pretend this operation got this answer instead.
    replace: Option<(usize, Outcome)>,
    /// Give up (as if not linearizable, with `Found::gave_up`) after exploring this many states.
    limit: u64,
}

impl Search {
    fn whole() -> Search {
        Search { cut: u64::MAX, watch: None, replace: None, limit: u64::MAX }
    }
}

/// What one run of the search found.
struct Found {
    linearizable: bool,
    /// The register values at which the watched operation was tried.
    watched: VecSet<i64>,
    /// The latest answer the search ever had to stop at (its event id): how far it got. The
    /// violation is usually there, so the search for the first failing cut looks there first.
    stopped_at: Option<u64>,
    /// The search hit `Search::limit`: it does not know.
    gave_up: bool,
}

/// Runs `op` on a register holding `value`: the register's new value and the answer it gives.
fn apply(op: Op, value: i64) -> (i64, Outcome) {
    match op {
        Op::Get(_) => (value, Outcome::Value(value)),
        Op::Set(_, new) => (new, Outcome::Done),
        Op::Inc(_, by) => {
            let new = value.wrapping_add(by);
            (new, Outcome::Value(new))
        }
    }
}

/// SplitMix64's finalizer: a fixed, well-mixed hash of one word (for Zobrist hashing).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The part of a search state that is looked up exactly: which *answered* operations are
/// linearized, and the register's value. The rest of the state is compared by inclusion (see
/// [`Cache`]).
///
/// The bitset is stored in a canonical, short form: the number of leading all-ones words, then the
/// words up to the last non-zero one. `hash` is a function of the same content, so equal keys
/// have equal hashes and hashing only `hash` is sound.
#[derive(PartialEq, Eq)]
struct MemoKey {
    hash: u64,
    value: i64,
    full_words: usize,
    rest: Box<[u64]>,
}

impl Hash for MemoKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl MemoKey {
    fn new(bits: &[u64], zobrist: u64, value: i64) -> MemoKey {
        let full_words = bits.iter().take_while(|&&word| word == u64::MAX).count();
        let end = bits.iter().rposition(|&word| word != 0).map_or(full_words, |last| last + 1).max(full_words);
        MemoKey {
            hash: zobrist ^ mix(value as u64 ^ 0x5851_F42D_4C95_7F2D),
            value,
            full_words,
            rest: bits[full_words..end].into(),
        }
    }
}

/// The states a search has already explored.
///
/// A state is: the answered operations linearized and the register's value (the [`MemoKey`]); the
/// unanswered operations linearized; and the open block's `rank` (0 when no block is open; else how
/// much the block restricts the next step, see `KeyHistory::search`). A state whose unanswered set
/// and rank are both at least those of an explored state with the same key has no future that
/// state lacked (it only has fewer operations and moves left), so it is skipped. For each key the
/// cache keeps the minimal (rank, set) pairs seen. The map is only ever looked up, never iterated.
#[derive(Default)]
struct Cache {
    seen: HashMap<MemoKey, Vec<Explored>>,
}

/// An explored state of a [`MemoKey`]: the rest of the state.
struct Explored {
    rank: usize,
    unanswered: Box<[u64]>,
}

impl Cache {
    /// Records the state; false if it (or a state that subsumes it) was already explored.
    fn visit(&mut self, key: MemoKey, rank: usize, unanswered: &[u64]) -> bool {
        let explored = self.seen.entry(key).or_default();
        if explored.iter().any(|seen| seen.rank <= rank && is_subset(&seen.unanswered, unanswered)) {
            return false;
        }
        explored.retain(|seen| !(rank <= seen.rank && is_subset(unanswered, &seen.unanswered)));
        explored.push(Explored { rank, unanswered: unanswered.into() });
        true
    }
}

/// Whether every bit of `small` is set in `large` (same length).
fn is_subset(small: &[u64], large: &[u64]) -> bool {
    small.iter().zip(large).all(|(small, large)| small & !large == 0)
}

/// Sets or clears bit `bit`.
fn flip(bits: &mut [u64], bit: usize) {
    bits[bit / 64] ^= 1 << (bit % 64);
}

/// The doubly linked list of Wing & Gong's search, over `events` (node 0 is the head, the last
/// node the tail). Unlinked nodes keep their links, so relinking in reverse order restores the list
/// ("dancing links").
struct List {
    next: Vec<usize>,
    prev: Vec<usize>,
}

impl List {
    fn new(len: usize) -> List {
        List { next: (1..=len + 2).collect(), prev: (0..len + 2).map(|i| i.saturating_sub(1)).collect() }
    }

    fn unlink(&mut self, node: usize) {
        let (prev, next) = (self.prev[node], self.next[node]);
        self.next[prev] = next;
        self.prev[next] = prev;
    }

    fn relink(&mut self, node: usize) {
        let (prev, next) = (self.prev[node], self.next[node]);
        self.next[prev] = node;
        self.prev[next] = node;
    }
}

impl KeyHistory {
    /// The operations `indices` of `history` (all on one key).
    fn new(history: &[Operation], indices: &[usize]) -> KeyHistory {
        let mut ops = Vec::with_capacity(indices.len());
        for &index in indices {
            let operation = &history[index];
            let call = operation.invoke.0;
            // An answer cannot come before its invocation; clamp a malformed one rather than
            // misorder the list. A `NotLeader` answer says nothing about the effect: no answer.
            let ret = match operation.ret {
                Some((id, _, outcome @ (Outcome::Value(_) | Outcome::Done))) => Some((id.max(call), outcome)),
                _ => None,
            };
            // An unanswered get changes nothing and constrains nothing.
            if ret.is_none() && matches!(operation.op, Op::Get(_)) {
                continue;
            }
            ops.push(KeyOp { op: operation.op, call, ret, index });
        }
        // Number the operations in invocation order (the rule for identical unanswered operations
        // relies on it).
        crate::sort::sort_by_key(&mut ops, |op| (op.call, 0));
        let mut events = Vec::with_capacity(2 * ops.len());
        for (i, op) in ops.iter().enumerate() {
            events.push((op.call, Event::Call(i)));
            if let Some((id, _)) = op.ret {
                events.push((id, Event::Return(i)));
            }
        }
        crate::sort::sort_by_key(&mut events, |&(id, event)| (id, u64::from(matches!(event, Event::Return(_)))));
        KeyHistory { ops, events }
    }

    /// Whether the sub-history, cut as `search` says, is linearizable (Lowe's JIT search with
    /// memoization and the rules for unanswered operations; see the module documentation). Adds the
    /// states it memoized to `explored`.
    fn search(&self, search: &Search, explored: &mut u64) -> Found {
        let mut found = Found { linearizable: true, watched: VecSet::new(), stopped_at: None, gave_up: false };
        // Lay out the events kept by the cut as a linked list: node 0 is the head, then the events.
        let mut nodes: Vec<Event> = Vec::with_capacity(self.events.len());
        let mut call_node = vec![0; self.ops.len()];
        let mut return_node: Vec<Option<usize>> = vec![None; self.ops.len()];
        for &(id, event) in &self.events {
            if id > search.cut {
                break;
            }
            nodes.push(event);
            match event {
                Event::Call(op) => call_node[op] = nodes.len(),
                Event::Return(op) => return_node[op] = Some(nodes.len()),
            }
        }
        let tail = nodes.len() + 1;
        let mut list = List::new(nodes.len());
        let answered = |op: usize| return_node[op].is_some();

        // Answered and unanswered operations (of this cut) are numbered apart, for two bitsets.
        // `twin[op]`: the previous unanswered operation identical to `op`, which must be used first.
        let (mut answered_count, mut unanswered_count) = (0usize, 0usize);
        let mut bit = vec![0usize; self.ops.len()];
        let mut twin: Vec<Option<usize>> = vec![None; self.ops.len()];
        let mut last_of: VecMap<Op, usize> = VecMap::new();
        for op in (0..self.ops.len()).filter(|&op| call_node[op] != 0) {
            let counter = if answered(op) { &mut answered_count } else { &mut unanswered_count };
            bit[op] = *counter;
            *counter += 1;
            if !answered(op) {
                twin[op] = last_of.insert(self.ops[op].op, op);
            }
        }
        let mut answered_bits = vec![0u64; answered_count.div_ceil(64)];
        let mut unanswered_bits = vec![0u64; unanswered_count.div_ceil(64)];
        let is_set = |bits: &[u64], bit: usize| bits[bit / 64] & (1 << (bit % 64)) != 0;

        // Answered operations still to linearize; the search succeeds when none is left.
        let mut remaining = answered_count;
        let mut zobrist = 0u64;
        let mut value = 0i64;
        let mut cache = Cache::default();
        let mut states = 0u64;
        cache.visit(MemoKey::new(&answered_bits, zobrist, value), 0, &unanswered_bits);
        // Each step: the operation linearized and the register's value before it.
        let mut stack: Vec<(usize, i64)> = Vec::new();

        // A state's candidates are the invocations before the first pending answer. They are tried
        // in two passes, answered operations first, so that states using few unanswered operations
        // come first and subsume the others.
        let mut node = list.next[0];
        let mut unanswered_pass = false;
        while remaining > 0 {
            let event = if node == tail { None } else { Some(nodes[node - 1]) };
            match event {
                Some(Event::Call(op)) if answered(op) != unanswered_pass => {
                    // The open block: the last operation linearized, if it was unanswered.
                    let block = stack.last().map(|&(last, _)| last).filter(|&last| !answered(last));
                    let allowed = match self.ops[op].op {
                        // A set would overwrite what the open block did, unseen.
                        Op::Set(..) if block.is_some() => false,
                        _ if answered(op) => true,
                        // Identical unanswered operations are used in invocation order.
                        _ if twin[op].is_some_and(|t| !is_set(&unanswered_bits, bit[t])) => false,
                        // A block holds one unanswered set, first, then increments in index order.
                        _ => block.is_none_or(|last| matches!(self.ops[last].op, Op::Set(..)) || last < op),
                    };
                    if search.watch == Some(op) {
                        found.watched.insert(value);
                    }
                    let (new_value, answer) = apply(self.ops[op].op, value);
                    let expected = match search.replace {
                        Some((replaced, outcome)) if replaced == op => Some(outcome),
                        _ => return_node[op].and(self.ops[op].ret.map(|(_, outcome)| outcome)),
                    };
                    if allowed && expected.is_none_or(|outcome| outcome == answer) {
                        let mut new_zobrist = zobrist;
                        if answered(op) {
                            flip(&mut answered_bits, bit[op]);
                            new_zobrist ^= mix(bit[op] as u64);
                        } else {
                            flip(&mut unanswered_bits, bit[op]);
                        }
                        // The rank of the block this step leaves open: none, an unanswered set
                        // (any increment may follow), or an increment (only later ones may).
                        let rank = match self.ops[op].op {
                            _ if answered(op) => 0,
                            Op::Set(..) => 1,
                            _ => 2 + op,
                        };
                        let key = MemoKey::new(&answered_bits, new_zobrist, new_value);
                        if cache.visit(key, rank, &unanswered_bits) {
                            *explored += 1;
                            states += 1;
                            if states > search.limit {
                                (found.linearizable, found.gave_up) = (false, true);
                                return found;
                            }
                            stack.push((op, value));
                            zobrist = new_zobrist;
                            value = new_value;
                            list.unlink(call_node[op]);
                            if let Some(ret) = return_node[op] {
                                list.unlink(ret);
                                remaining -= 1;
                            }
                            node = list.next[0];
                            unanswered_pass = false;
                            continue;
                        }
                        flip(if answered(op) { &mut answered_bits } else { &mut unanswered_bits }, bit[op]);
                    }
                    node = list.next[node];
                }
                // An invocation for the other pass.
                Some(Event::Call(_)) => node = list.next[node],
                // The end of this state's candidates (an answer whose operation is still pending,
                // or, defensively, the end of the list).
                Some(Event::Return(_)) | None => {
                    if let Some(Event::Return(op)) = event {
                        found.stopped_at = found.stopped_at.max(self.ops[op].ret.map(|(id, _)| id));
                    }
                    if !unanswered_pass && unanswered_count > 0 {
                        unanswered_pass = true;
                        node = list.next[0];
                        continue;
                    }
                    // Undo the last step and try the next candidate after it, in its pass.
                    let Some((op, before)) = stack.pop() else {
                        found.linearizable = false;
                        return found;
                    };
                    value = before;
                    if let Some(ret) = return_node[op] {
                        flip(&mut answered_bits, bit[op]);
                        zobrist ^= mix(bit[op] as u64);
                        list.relink(ret);
                        remaining += 1;
                    } else {
                        flip(&mut unanswered_bits, bit[op]);
                    }
                    list.relink(call_node[op]);
                    node = list.next[call_node[op]];
                    unanswered_pass = !answered(op);
                }
            }
        }
        found
    }

    /// The first answer of this key at which its history stops being linearizable, if it comes
    /// before event `earlier_than`. The whole sub-history must be known not to be linearizable;
    /// `hint` is where its search got stuck (see [`Found::stopped_at`]).
    fn first_violation(
        &self,
        history: &[Operation],
        key: Key,
        earlier_than: u64,
        hint: u64,
        explored: &mut u64,
    ) -> Option<NotLinearizable> {
        let answers: Vec<(u64, usize)> = self
            .events
            .iter()
            .filter_map(|&(id, event)| match event {
                Event::Return(op) if id < earlier_than => Some((id, op)),
                _ => None,
            })
            .collect();
        // The cut at answer `at`: None if linearizable, else the values its operation was tried at.
        let fails = |at: usize, explored: &mut u64| {
            let (cut, op) = answers[at];
            let found = self.search(&Search { cut, watch: Some(op), ..Search::whole() }, explored);
            (!found.linearizable).then_some(found.watched)
        };
        // Cuts only get worse as they grow: search for the first failing one. Cuts before `low`
        // are linearizable, the cut at `high` is not (`watched` is what its search saw, if run).
        let mut high = answers.len().checked_sub(1)?;
        let mut watched = None;
        if earlier_than != u64::MAX {
            watched = Some(fails(high, explored)?);
        }
        let mut low = 0;
        // First look at the answer where the whole search got stuck, then just before it (probes
        // outside the bracket are skipped); then bisect.
        let stuck = answers.partition_point(|&(id, _)| id < hint);
        let mut probes = vec![stuck.saturating_sub(1), stuck];
        while low < high {
            let at = match probes.pop() {
                Some(at) if (low..high).contains(&at) => at,
                Some(_) => continue,
                None => low + (high - low) / 2,
            };
            match fails(at, explored) {
                Some(seen) => (high, watched) = (at, Some(seen)),
                None => low = at + 1,
            }
        }
        let (event, op) = answers[high];
        let watched = watched.unwrap_or_else(|| fails(high, explored).unwrap_or_default());
        Some(NotLinearizable { event, key, message: self.explain(history, key, event, op, watched, explored) })
    }

    /// A sentence about operation `op`, whose answer at `event` made the history unexplainable.
    /// `seen` holds the register values at which the operation was tried in the cut at `event`.
    fn explain(
        &self,
        history: &[Operation],
        key: Key,
        event: u64,
        op: usize,
        seen: VecSet<i64>,
        explored: &mut u64,
    ) -> String {
        let kop = self.ops[op];
        let operation = &history[kop.index];
        let got = kop.ret.map_or(Outcome::NotLeader { hint: None }, |(_, outcome)| outcome);
        let mut candidates: Vec<Outcome> = Vec::new();
        for &value in &seen {
            let (_, answer) = apply(kop.op, value);
            if answer != got && !candidates.contains(&answer) {
                candidates.push(answer);
            }
        }
        // Try the first few other answers, each with a bounded search: this is only to explain.
        let tried = candidates.len().min(MAX_ALTERNATIVES);
        let limit = 10_000 + 20 * self.ops.len() as u64;
        let mut complete = tried == candidates.len();
        let mut fitting: Vec<String> = Vec::new();
        for &answer in &candidates[..tried] {
            let replaced = Search { cut: event, replace: Some((op, answer)), limit, ..Search::whole() };
            let found = self.search(&replaced, explored);
            complete &= !found.gave_up;
            if found.linearizable {
                fitting.push(show(answer));
            }
        }
        let mut message = format!(
            "c{}'s {} returned {} at event {} (invoked at event {}), but no order of the operations on key {} \
             allows it",
            operation.client + 1,
            operation.op,
            show(got),
            event,
            operation.invoke.0,
            key_name(key),
        );
        if fitting.is_empty() {
            message.push_str(" together with the answers before it");
        } else if !complete {
            message.push_str(&format!("; answers that would fit include {}", join_or(&fitting)));
        } else {
            message
                .push_str(&format!("; given the answers before it, it could only have returned {}", join_or(&fitting)));
        }
        message
    }
}

/// An answer as people read it.
fn show(outcome: Outcome) -> String {
    match outcome {
        Outcome::Value(value) => value.to_string(),
        Outcome::Done => "done".to_string(),
        Outcome::NotLeader { .. } => "not-leader".to_string(),
    }
}

/// "a", "a or b", "a, b or c".
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::Prng;

    const A: Key = 0;
    const B: Key = 1;

    /// An operation by `client`, invoked at event `call` and answered at event `ret` (times equal
    /// to event ids unless a test says otherwise).
    fn done(client: ClientId, op: Op, call: u64, ret: u64, outcome: Outcome) -> Operation {
        Operation { client, op, invoke: (call, call), ret: Some((ret, ret, outcome)) }
    }

    /// An operation that never got an answer.
    fn info(client: ClientId, op: Op, call: u64) -> Operation {
        Operation { client, op, invoke: (call, call), ret: None }
    }

    fn value(v: i64) -> Outcome {
        Outcome::Value(v)
    }

    /// A linearizable history of `count` operations by `clients` clients on `keys` keys: each
    /// operation takes effect on a model register at a random instant between its invocation and
    /// answer. About one operation in `crash_one_in` is never answered (its client crashes, before
    /// or after the operation took effect, and a fresh client takes its place), and so are those
    /// still in progress when the run ends.
    fn generate(seed: u64, count: usize, clients: usize, keys: u8, crash_one_in: u64) -> Vec<Operation> {
        struct Pending {
            index: usize,
            outcome: Option<Outcome>,
        }
        let mut rng = Prng::new(seed);
        let mut registers = vec![0i64; usize::from(keys)];
        let mut slots: Vec<(ClientId, Option<Pending>)> = (0..clients).map(|c| (c as ClientId, None)).collect();
        let mut next_client = clients as ClientId;
        let mut history: Vec<Operation> = Vec::with_capacity(count);
        let (mut event, mut time) = (0u64, 0u64);
        while history.len() < count {
            time += rng.below(3);
            let slot = rng.below(slots.len() as u64) as usize;
            let (client, pending) = &mut slots[slot];
            if pending.is_some() && rng.below(2 * crash_one_in) == 0 {
                // The client crashes: its operation stays unanswered, whether or not it took effect.
                *client = next_client;
                next_client += 1;
                *pending = None;
                continue;
            }
            match pending {
                None => {
                    let key = rng.below(u64::from(keys)) as Key;
                    let op = match rng.below(10) {
                        0..4 => Op::Get(key),
                        4..7 => Op::Set(key, rng.below(100) as i64),
                        _ => Op::Inc(key, 1 + rng.below(5) as i64),
                    };
                    event += 1;
                    *pending = Some(Pending { index: history.len(), outcome: None });
                    history.push(Operation { client: *client, op, invoke: (event, time), ret: None });
                }
                Some(Pending { index, outcome: outcome @ None }) => {
                    let register = &mut registers[usize::from(history[*index].op.key())];
                    let (new, answer) = apply(history[*index].op, *register);
                    *register = new;
                    *outcome = Some(answer);
                }
                Some(Pending { index, outcome: Some(answer) }) => {
                    event += 1;
                    history[*index].ret = Some((event, time, *answer));
                    *pending = None;
                }
            }
        }
        // The run ends: operations still in progress stay unanswered.
        history
    }

    /// Whether `history`, cut at event `cut`, is linearizable, by trying every order of every
    /// subset of its operations: the definition itself, with none of the search's shortcuts.
    fn brute_force(history: &[Operation], cut: u64) -> bool {
        let answer = |o: &Operation| match o.ret {
            Some((id, _, outcome @ (Outcome::Value(_) | Outcome::Done))) if id <= cut => Some((id, outcome)),
            _ => None,
        };
        let must: u32 = (0..history.len()).filter(|&i| answer(&history[i]).is_some()).map(|i| 1 << i).sum();
        fn extend(history: &[Operation], cut: u64, must: u32, used: u32, registers: [i64; 3]) -> bool {
            if used & must == must {
                return true;
            }
            (0..history.len()).filter(|&i| used & (1 << i) == 0).any(|i| {
                let o = &history[i];
                // Real-time order: every answered operation that returned before this one was
                // invoked comes first.
                let waiting = (0..history.len()).any(|j| {
                    used & (1 << j) == 0
                        && must & (1 << j) != 0
                        && history[j].ret.is_some_and(|(id, _, _)| id < o.invoke.0)
                });
                let key = usize::from(o.op.key());
                let (new, got) = apply(o.op, registers[key]);
                let fits = match o.ret {
                    Some((id, _, outcome @ (Outcome::Value(_) | Outcome::Done))) if id <= cut => outcome == got,
                    _ => true,
                };
                let mut next = registers;
                next[key] = new;
                !waiting && fits && extend(history, cut, must, used | (1 << i), next)
            })
        }
        extend(history, cut, must, 0, [0; 3])
    }

    /// A small random history: any overlaps, small values (so that different orders often give the
    /// same answers), answers right or wrong, some missing.
    fn random_history(rng: &mut Prng) -> Vec<Operation> {
        let count = 1 + rng.below(8) as usize;
        let keys = 1 + rng.below(2);
        // Shuffle the event ids 1..=2n; each operation takes two, invocation first.
        let mut ids: Vec<u64> = (1..=2 * count as u64).collect();
        for i in (1..ids.len()).rev() {
            ids.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut history: Vec<Operation> = (0..count)
            .map(|i| {
                let (call, ret) = (ids[2 * i].min(ids[2 * i + 1]), ids[2 * i].max(ids[2 * i + 1]));
                let key = rng.below(keys) as Key;
                let op = match rng.below(3) {
                    0 => Op::Get(key),
                    1 => Op::Set(key, rng.below(3) as i64),
                    _ => Op::Inc(key, 1 + rng.below(2) as i64),
                };
                let outcome = match (op, rng.below(8)) {
                    (_, 0..2) => None,
                    (_, 2) => Some(Outcome::NotLeader { hint: None }),
                    (Op::Set(..), 3..8) => Some(Outcome::Done),
                    _ => Some(Outcome::Value(rng.below(5) as i64)),
                };
                Operation { client: i as ClientId, op, invoke: (call, call), ret: outcome.map(|o| (ret, ret, o)) }
            })
            .collect();
        history.sort_by_key(|o| o.invoke.0);
        history
    }

    // Rule: the definition of linearizability (Herlihy & Wing 1990, §3) and of the first failing
    // cut (`NotLinearizable::event`), checked by brute force on thousands of small histories. This
    // pins every shortcut of the search (memoization, subsumption, the rules for unanswered
    // operations, the search for the first failing cut) to the plain definition, whatever the
    // order of the input (`check`'s documentation).
    #[test]
    fn search_agrees_with_brute_force_on_small_histories() {
        let mut rng = Prng::new(42);
        let (mut accepted, mut rejected) = (0, 0);
        for _ in 0..20_000 {
            let history = random_history(&mut rng);
            let mut answers: Vec<u64> = history.iter().filter_map(|o| o.ret.map(|(id, _, _)| id)).collect();
            answers.sort_unstable();
            let expected = answers.into_iter().find(|&cut| !brute_force(&history, cut));
            let got = check(&history).err().map(|violation| violation.event);
            assert_eq!(got, expected, "{history:#?}");
            // Only event ids order events, not positions in the input.
            let reversed: Vec<Operation> = history.iter().rev().cloned().collect();
            assert_eq!(check(&reversed).err().map(|violation| violation.event), expected, "{reversed:#?}");
            if expected.is_some() { rejected += 1 } else { accepted += 1 }
        }
        // Both verdicts are well represented, so the comparison means something.
        assert!(accepted > 2_000 && rejected > 2_000, "{accepted} accepted, {rejected} rejected");
    }

    // Rule: a history whose operations never overlap is linearizable iff the sequential
    // specification accepts it in that order (Herlihy & Wing 1990, §3; module docs, "What is checked").
    #[test]
    fn sequential_history_is_accepted() {
        let history = [
            done(1, Op::Get(A), 1, 2, value(0)),
            done(1, Op::Set(A, 5), 3, 4, Outcome::Done),
            done(2, Op::Inc(A, 2), 5, 6, value(7)),
            done(1, Op::Get(A), 7, 8, value(7)),
            done(2, Op::Inc(A, -10), 9, 10, value(-3)),
        ];
        let stats = check(&history).expect("linearizable");
        assert_eq!((stats.operations, stats.keys), (5, 1));
        assert!(stats.states_explored >= 5);
    }

    // Rule: real-time order — an operation answered before another is invoked must take effect
    // first (Herlihy & Wing 1990, §3; module docs, "Real-time order").
    #[test]
    fn stale_read_after_completed_write_is_rejected_at_its_return_event() {
        let history = [
            done(1, Op::Set(A, 1), 1, 2, Outcome::Done),
            done(2, Op::Get(A), 3, 4, value(0)),
            done(2, Op::Get(A), 5, 6, value(1)),
        ];
        let violation = check(&history).expect_err("stale read");
        assert_eq!((violation.event, violation.key), (4, A));
        assert_eq!(
            violation.message,
            "c3's get a returned 0 at event 4 (invoked at event 3), but no order of the operations on key a \
             allows it; given the answers before it, it could only have returned 1"
        );
    }

    // Rule: real-time order is decided by event ids, not times, which may be equal (module docs,
    // "Real-time order"): here the write's answer and the read's invocation share time 10.
    #[test]
    fn equal_times_are_ordered_by_event_id() {
        let history = [
            Operation { client: 1, op: Op::Set(A, 1), invoke: (1, 5), ret: Some((2, 10, Outcome::Done)) },
            Operation { client: 2, op: Op::Get(A), invoke: (3, 10), ret: Some((4, 10, value(0))) },
        ];
        assert_eq!(check(&history).expect_err("stale read").event, 4);
    }

    // Rule: overlapping operations may take effect in either order (Herlihy & Wing 1990, §3: only
    // the real-time order of non-overlapping operations is imposed).
    #[test]
    fn concurrent_operations_may_take_effect_in_either_order() {
        // The get overlaps the set and sees the old value; another sees the new one.
        let old_first = [
            done(1, Op::Set(A, 1), 1, 4, Outcome::Done),
            done(2, Op::Get(A), 2, 3, value(0)),
            done(2, Op::Get(A), 5, 6, value(1)),
        ];
        check(&old_first).expect("the get may come before the set");
        let new_first = [done(1, Op::Set(A, 1), 1, 4, Outcome::Done), done(2, Op::Get(A), 2, 3, value(1))];
        check(&new_first).expect("the get may come after the set");
        // Two overlapping increments, answered in the opposite order from their invocations.
        let crossed = [done(1, Op::Inc(A, 1), 1, 4, value(1)), done(2, Op::Inc(A, 10), 2, 3, value(11))];
        check(&crossed).expect("the first-invoked increment may take effect second");
    }

    // Rule: `inc` is atomic, so two increments of 1 on 0 give 1 and 2 in some order — the lost
    // update is not linearizable (register semantics in the module spec; Herlihy & Wing 1990, §3).
    #[test]
    fn lost_update_on_concurrent_increments_is_rejected() {
        let history = [done(1, Op::Inc(A, 1), 1, 3, value(1)), done(2, Op::Inc(A, 1), 2, 4, value(1))];
        let violation = check(&history).expect_err("lost update");
        assert_eq!((violation.event, violation.key), (4, A));
        assert!(violation.message.contains("inc a 1 returned 1 at event 4"), "{}", violation.message);
        assert!(violation.message.ends_with("it could only have returned 2"), "{}", violation.message);
    }

    // Rule: an unanswered operation may have taken effect at any time after its invocation (Jepsen's
    // "info"; module docs, "Unanswered operations").
    #[test]
    fn unanswered_write_may_explain_a_later_read() {
        let history =
            [info(1, Op::Set(A, 7), 1), done(2, Op::Get(A), 5, 6, value(7)), done(2, Op::Get(A), 7, 8, value(7))];
        check(&history).expect("the unanswered set took effect");
        let history =
            [info(1, Op::Inc(A, 3), 1), done(2, Op::Get(A), 5, 6, value(0)), done(2, Op::Get(A), 7, 8, value(3))];
        check(&history).expect("the unanswered inc took effect between the reads");
    }

    // Rule: an unanswered operation cannot take effect before its invocation, and has the effect
    // its operation defines (module docs, "Unanswered operations").
    #[test]
    fn unanswered_write_that_cannot_explain_a_read_is_rejected() {
        let too_late = [done(2, Op::Get(A), 1, 2, value(7)), info(1, Op::Set(A, 7), 3)];
        let violation = check(&too_late).expect_err("the set was invoked after the read answered");
        assert_eq!((violation.event, violation.key), (2, A));
        let wrong_value = [info(1, Op::Inc(A, 5), 1), done(2, Op::Get(A), 2, 3, value(3))];
        assert_eq!(check(&wrong_value).expect_err("inc 5 cannot make 3").event, 3);
    }

    // Rule: several unanswered operations may all take effect, in any order (module docs,
    // "Unanswered operations"); the search's rules for them ("A block is one set, then incs",
    // "Identical operations in order") must still find every combination.
    #[test]
    fn unanswered_operations_combine_to_explain_a_read() {
        let read = |v| done(9, Op::Get(A), 10, 11, value(v));
        let incs = |v| vec![info(1, Op::Inc(A, 2), 1), info(2, Op::Inc(A, 3), 2), read(v)];
        for v in [0, 2, 3, 5] {
            check(&incs(v)).unwrap_or_else(|e| panic!("{v}: {}", e.message));
        }
        assert_eq!(check(&incs(4)).expect_err("no subset of {2, 3} sums to 4").event, 11);
        let twins = |v| vec![info(1, Op::Inc(A, 1), 1), info(2, Op::Inc(A, 1), 2), read(v)];
        check(&twins(2)).expect("both increments took effect");
        assert_eq!(check(&twins(3)).expect_err("only two increments").event, 11);
        // An increment invoked before a set may still take effect after it, or before it.
        let mixed = |v| vec![info(1, Op::Inc(A, 1), 1), info(2, Op::Set(A, 10), 2), read(v)];
        for v in [0, 1, 10, 11] {
            check(&mixed(v)).unwrap_or_else(|e| panic!("{v}: {}", e.message));
        }
        assert_eq!(check(&mixed(12)).expect_err("one increment only").event, 11);
    }

    // Rule: a NotLeader answer never reaches the checker; if one does it counts as unknown (module
    // spec), so the set below may or may not have happened.
    #[test]
    fn not_leader_answer_is_treated_as_unknown() {
        let history = [
            done(1, Op::Set(A, 4), 1, 2, Outcome::NotLeader { hint: Some(1) }),
            done(2, Op::Get(A), 3, 4, value(4)),
            done(1, Op::Get(A), 5, 6, value(4)),
        ];
        check(&history).expect("the set may have taken effect");
        let history =
            [done(1, Op::Get(A), 1, 2, Outcome::NotLeader { hint: None }), done(2, Op::Get(A), 3, 4, value(0))];
        check(&history).expect("nothing to explain");
    }

    // Rule: locality — a history is linearizable iff each key's sub-history is (Herlihy & Wing 1990,
    // Theorem 1), so a violation is found on, and reported with, its own key.
    #[test]
    fn violation_on_one_key_is_reported_with_that_key() {
        let history = [
            done(1, Op::Set(A, 1), 1, 4, Outcome::Done),
            done(2, Op::Set(B, 2), 2, 3, Outcome::Done),
            done(2, Op::Get(A), 5, 6, value(1)),
            done(1, Op::Get(B), 7, 8, value(0)),
            done(1, Op::Get(A), 9, 10, value(1)),
        ];
        let violation = check(&history).expect_err("stale read of b");
        assert_eq!((violation.event, violation.key), (8, B));
        assert!(violation.message.contains("get b returned 0"), "{}", violation.message);
        // Only b is wrong: the same history without b's reads is fine.
        let fine: Vec<Operation> = history.iter().filter(|o| o.op != Op::Get(B)).cloned().collect();
        assert_eq!(check(&fine).expect("a alone is linearizable").keys, 2);
    }

    // Rule: the reported event is the smallest E whose cut is not linearizable, over all keys (the
    // `NotLinearizable::event` contract; module docs, "Where it breaks").
    #[test]
    fn earliest_violation_over_all_keys_is_reported() {
        let history = [
            done(1, Op::Set(B, 1), 1, 2, Outcome::Done),
            done(1, Op::Set(A, 1), 3, 4, Outcome::Done),
            done(2, Op::Get(B), 5, 6, value(0)),
            done(2, Op::Get(A), 7, 8, value(0)),
            done(2, Op::Get(B), 9, 10, value(5)),
        ];
        let violation = check(&history).expect_err("two stale reads");
        assert_eq!((violation.event, violation.key), (6, B));
        // Sorting keys the other way round must not change the answer.
        let swapped: Vec<Operation> = history
            .iter()
            .map(|o| {
                let op = match o.op {
                    Op::Set(k, v) => Op::Set(1 - k, v),
                    Op::Get(k) => Op::Get(1 - k),
                    Op::Inc(k, n) => Op::Inc(1 - k, n),
                };
                Operation { op, ..o.clone() }
            })
            .collect();
        assert_eq!(check(&swapped).expect_err("two stale reads").event, 6);
    }

    // Rule: a later cut only adds constraints, so the first failing cut is found even when later
    // answers could "cover" for it (module docs, "Where it breaks"). The get at event 6 reads 2
    // before anyone wrote 2; the full history alone would not say which answer is to blame.
    #[test]
    fn first_violation_is_the_smallest_failing_cut() {
        let history = [
            done(1, Op::Set(A, 1), 1, 2, Outcome::Done),
            done(2, Op::Get(A), 3, 6, value(2)),
            done(1, Op::Set(A, 2), 7, 8, Outcome::Done),
            done(1, Op::Get(A), 9, 10, value(3)),
        ];
        let violation = check(&history).expect_err("read from the future");
        assert_eq!(violation.event, 6);
        assert!(violation.message.ends_with("it could only have returned 1"), "{}", violation.message);
    }

    // Rule: the register semantics of the module spec — a set answers done, a get a value.
    #[test]
    fn wrong_kind_of_answer_is_rejected() {
        let history = [done(1, Op::Set(A, 5), 1, 2, value(5))];
        let violation = check(&history).expect_err("a set answers done");
        assert_eq!(violation.event, 2);
        assert!(violation.message.ends_with("it could only have returned done"), "{}", violation.message);
    }

    // Rule: the search keeps its own stack (module docs, "How", 2), so histories of thousands of
    // operations, some unanswered, are checked without overflowing the thread's stack.
    #[test]
    fn large_generated_correct_history_is_accepted() {
        for (seed, keys) in [(1, 3), (2, 8), (3, 1)] {
            let history = generate(seed, 5_000, 5, keys, 1_000);
            assert!(history.iter().any(|o| o.ret.is_none()), "the generator should give up on some operations");
            let stats = check(&history).unwrap_or_else(|v| panic!("seed {seed}: {}", v.message));
            assert_eq!((stats.operations, stats.keys), (5_000, usize::from(keys)));
        }
    }

    // Rule: the reported event is exactly the first answer that cannot be explained (the
    // `NotLinearizable::event` contract). No operation can produce -1: sets write 0..100 and
    // increments add 1..=5 to values that start at 0.
    #[test]
    fn large_history_with_one_corrupted_read_is_rejected_at_that_read() {
        let mut history = generate(7, 5_000, 5, 3, 1_000);
        let victim = (2_500..history.len())
            .find(|&i| matches!(history[i].op, Op::Get(_)) && history[i].ret.is_some())
            .expect("a returned get");
        let (id, time, _) = history[victim].ret.expect("answered");
        history[victim].ret = Some((id, time, value(-1)));
        let violation = check(&history).expect_err("corrupted read");
        assert_eq!((violation.event, violation.key), (id, history[victim].op.key()));
        assert!(violation.message.contains("returned -1"), "{}", violation.message);
    }
}
