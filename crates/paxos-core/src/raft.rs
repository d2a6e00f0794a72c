//! Raft (seed 004): leader election by terms and votes, log replication with AppendEntries
//! (Ongaro & Ousterhout, *In Search of an Understandable Consensus Algorithm*, 2014, Figure 2).
//!
//! Every node is a *follower*, a *candidate* or the *leader*. Time is cut into *terms*, numbered
//! 1, 2, 3, …; each term begins with an election and has at most one leader. Every message carries
//! its sender's term, and a node that sees a higher term than its own adopts it and becomes a
//! follower (a deposed leader or a candidate steps down at once).
//!
//! **Election (§5.2).** A follower that hears nothing from a leader for a randomized election timeout
//! (drawn from [`Timing::election_ticks_min`](crate::Timing)`..=`[`election_ticks_max`](crate::Timing):
//! 150–300 ms with 10 ms ticks, as seed 004 says) becomes a candidate: it starts a new term, votes for
//! itself and asks the others with `RequestVote`. A node grants at most one vote per term, first come
//! first served, and only to a candidate whose log is at least as up to date as its own (§5.4.1:
//! compare the last entries' terms, then the logs' lengths). With votes from a majority the candidate
//! leads. If two candidates split the votes, nobody wins; their timeouts, drawn at random again, make
//! one of them try first in the next term.
//!
//! ```text
//!  candidate (term 3)          others
//!     │── RequestVote(3, last index, last term) ──▶│   one vote per term, on disk first
//!     │◀──────────── Vote(3, granted) ─────────────│
//!     │  majority ⇒ leader; appends a no-op entry of term 3 and sends AppendEntries
//! ```
//!
//! **Log replication (§5.3).** A client's command becomes an entry `(term, command)` at the end of the
//! leader's log. The leader sends each follower the entries from where it believes the follower's log
//! ends (`next_index`), with the index and term of the entry just before them (`prev_index`,
//! `prev_term`). A follower accepts them only if its own log holds that previous entry (the
//! *consistency check*); entries that conflict with the leader's (same index, other term) are deleted
//! with everything after them, and the new ones appended. A follower that fails the check says where
//! its log could match, and the leader retries from there. Empty `AppendEntries` are the heartbeats,
//! sent every [`Timing::heartbeat_ticks`](crate::Timing); lost entries show up as a gap at the
//! follower, which refuses the next message, so the leader sends them again.
//!
//! ```text
//!  leader                                  follower
//!     │── AppendEntries(term, prev_index, prev_term, entries, leader_commit) ──▶│
//!     │◀── AppendOk(term, success, match_index) ────────────────────────────────│
//!     │  an entry of the current term stored on a majority ⇒ committed (with all before it)
//! ```
//!
//! **Commitment (§5.4.2).** The leader commits an entry once a majority stores it *and* the entry is
//! of the leader's current term; entries of earlier terms are committed only indirectly, by committing
//! a later entry of the current term (Figure 8 shows how counting replicas of an old entry goes
//! wrong). So that earlier entries do not wait for the next client, a new leader appends a no-op entry
//! of its term at once (§8). Followers learn the leader's commit index from `AppendEntries`. A
//! committed entry at log index `i` is output as slot `i − 1` (slots count from 0), applied to the
//! shared [`Machine`] in order, and the leader answers the client that asked.
//!
//! **A stale leader (seed 004's partition).** A leader cut off from the majority keeps its post: it
//! appends clients' entries but cannot commit them, so it never answers those clients. When the
//! partition heals it meets the new leader's higher term, steps down, and the consistency check
//! deletes its uncommitted entries, which the new leader's log replaces. There is no check-quorum
//! and no pre-vote (§9.6): liveness is only promised once faults stop, and then a stale leader steps
//! down at the first message of the new term, while a rejoining node with a higher term costs at most
//! one more election (its log is behind, so it cannot win, and its term is adopted by the winner).
//!
//! **Reads** go through the log like writes: the leader answers a `get` only once its entry is
//! committed and applied, so the value read was the store's between the request and the reply —
//! linearizable without leases or clocks. A follower forwards a client's request to the leader it
//! knows (the leader answers the client), or tells the client it does not lead.
//!
//! **Durability.** `currentTerm`, `votedFor` and the log are written before any message that depends
//! on them leaves (the driver's contract for [`Output::Persist`]). The commit index is written too, so
//! that a restarted node neither forgets what it decided nor replays the whole log: every 64 applied
//! entries a node checkpoints its store and compacts its log up to it (§7). A follower that lags
//! behind the leader's compacted log gets the checkpoint (`InstallSnapshot`, here
//! [`Message::Snapshot`]).

use alloc::vec::Vec;

use crate::config::{Bug, Config};
use crate::explain::{Rule, count, explain};
use crate::log::Committed;
use crate::machine::{Checkpoint, Machine};
use crate::rng::Prng;
use crate::types::{Ballot, Command, MAX_NODES, NodeId, NodeSet, Outcome, Reply, Slot, Value};
use crate::{Input, Output, Role, SlotView, View};

/// A term number (§5.1). 0 is before the first election.
pub type Term = u32;

/// A position in the log, from 1 (Raft counts log indexes from 1; index `i` is slot `i − 1`). 0 is
/// "before the first entry".
pub type Index = Slot;

/// How many entries one `AppendEntries` carries at most.
pub const APPEND_ENTRIES_MAX: usize = 64;

mod message;
pub use message::{AppendEntries, AppendOk, Message, RequestVote, Snapshot, Vote};

/// One log entry: a value and the term of the leader that created it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The term in which a leader appended it.
    pub term: Term,
    /// A client's command (or a new leader's no-op).
    pub value: Value,
}

/// A node's log: the entries after its last snapshot. Index `base` is the last entry the snapshot
/// covers (0 if none), with its term `base_term`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RaftLog {
    base: Index,
    base_term: Term,
    /// `entries[i]` has index `base + 1 + i`.
    entries: Vec<Entry>,
}

impl RaftLog {
    /// The last index the snapshot covers (its entries are no longer kept).
    pub fn base(&self) -> Index {
        self.base
    }

    /// The term of the entry at [`RaftLog::base`].
    pub fn base_term(&self) -> Term {
        self.base_term
    }

    /// The index of the last entry (the base if no entry is kept).
    pub fn last_index(&self) -> Index {
        self.base + self.entries.len() as Index
    }

    /// The term of the last entry.
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(self.base_term, |e| e.term)
    }

    /// The term of the entry at `index`: known for the base and the entries kept.
    pub fn term_at(&self, index: Index) -> Option<Term> {
        if index == self.base {
            return Some(self.base_term);
        }
        self.entry(index).map(|e| e.term)
    }

    /// The entry at `index`, if kept.
    pub fn entry(&self, index: Index) -> Option<&Entry> {
        let offset = index.checked_sub(self.base + 1)?;
        self.entries.get(offset as usize)
    }

    /// The entries kept, from index `base + 1` on.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The kept entries from `index` on (none if `index` is beyond the end).
    pub fn entries_from(&self, index: Index) -> &[Entry] {
        let start = index.saturating_sub(self.base + 1) as usize;
        self.entries.get(start..).unwrap_or(&[])
    }

    /// Appends an entry at the end.
    pub fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// Deletes the entries from index `from` on and appends `entries` there (`from` at most one past
    /// the end, and above the base).
    pub fn replace_from(&mut self, from: Index, entries: &[Entry]) {
        let keep = from.saturating_sub(self.base + 1) as usize;
        debug_assert!(keep <= self.entries.len(), "entries at {from} would leave a gap after {}", self.last_index());
        self.entries.truncate(keep);
        self.entries.extend_from_slice(entries);
    }

    /// Drops the entries up to `upto`, which a snapshot of term `term` covers (§7). If the log holds
    /// that very entry, the entries after it stay; otherwise the whole log is replaced by the snapshot.
    pub fn compact(&mut self, upto: Index, term: Term) {
        if upto <= self.base {
            return;
        }
        if self.term_at(upto) == Some(term) {
            self.entries.drain(..(upto - self.base) as usize);
        } else {
            self.entries.clear();
        }
        self.base = upto;
        self.base_term = term;
    }
}

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// `currentTerm` and `votedFor` (Figure 2's persistent state).
    Term {
        /// The current term.
        term: Term,
        /// Whom this node voted for in it.
        voted_for: Option<NodeId>,
    },
    /// The log from index `from` on is replaced by `entries` (a conflict deleted, or an append).
    Entries {
        /// The index of the first entry written.
        from: Index,
        /// The entries.
        entries: Vec<Entry>,
    },
    /// Entries up to `upto` are committed.
    Commit {
        /// The new commit index.
        upto: Index,
    },
    /// A checkpoint of the store after entries `1..=checkpoint.applied`, whose last entry has term
    /// `term`; the log is compacted up to it.
    Snapshot {
        /// The checkpoint.
        checkpoint: Checkpoint,
        /// The term of entry `checkpoint.applied`.
        term: Term,
    },
}

/// What a node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// `currentTerm`.
    pub term: Term,
    /// `votedFor` in `term`.
    pub voted_for: Option<NodeId>,
    /// The log.
    pub log: RaftLog,
    /// The commit index: entries `1..=commit` are committed (their values are the decided slots
    /// `0..commit`, read from `log`).
    pub commit: Index,
    /// The latest checkpoint of the store.
    pub checkpoint: Option<Checkpoint>,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match write {
            Write::Term { term, voted_for } => (self.term, self.voted_for) = (*term, *voted_for),
            Write::Entries { from, entries } => self.log.replace_from(*from, entries),
            // Only entries the log holds are committed (the node commits no further than its log).
            Write::Commit { upto } => self.commit = self.commit.max((*upto).min(self.log.last_index())),
            Write::Snapshot { checkpoint, term } => {
                self.log.compact(checkpoint.applied, *term);
                self.commit = self.commit.max(checkpoint.applied);
                self.checkpoint = Some(checkpoint.clone());
            }
        }
    }
}

/// The committed entries, read from the log: entry `i` is slot `i − 1`, and nothing beyond the commit
/// index is decided. Committed entries are never rewritten (`store_entries` keeps them), so the log
/// is the one copy of them.
impl Committed for Durable {
    fn prefix(&self) -> Slot {
        self.commit
    }

    fn end(&self) -> Slot {
        self.commit
    }

    fn get(&self, slot: Slot) -> Option<&Value> {
        if slot >= self.commit {
            return None;
        }
        self.log.entry(slot + 1).map(|e| &e.value)
    }
}

type Out = Vec<Output<Message, Write>>;

/// A leader's view of its followers (Figure 2's volatile state on leaders).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Leadership {
    /// Per node: the index of the next entry to send it.
    next: [Index; MAX_NODES],
    /// Per node: the highest index known to match the leader's log.
    matched: [Index; MAX_NODES],
    heartbeat_ticks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Follower,
    Candidate {
        /// Who voted for this candidate in its term (itself included).
        votes: NodeSet,
        /// Ticks since the `RequestVote`s were last sent.
        resend_ticks: u32,
    },
    Leader(Leadership),
}

/// A Raft node.
///
/// `Eq` and `Hash` let a model checker tell states apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    id: NodeId,
    config: Config,
    rng: Prng,
    /// Term, vote, log and commit index; every change goes through `persist`, which mirrors it on disk.
    durable: Durable,
    /// The store, and the clients waiting here for answers.
    machine: Machine,
    phase: Phase,
    /// The leader of the current term, if this node knows it.
    leader: Option<NodeId>,
    /// Ticks since the election timer was last reset.
    elapsed: u32,
    election_timeout: u32,
    /// Whether to report the rule behind each decision ([`Output::Explain`]).
    explain: bool,
}

impl crate::Protocol for Node {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, seed: u64) -> Node {
        assert!(config.contains(id), "node {id} is not in a cluster of {}", config.nodes);
        let mut node = Node {
            id,
            config,
            rng: Prng::new(seed),
            durable: Durable::default(),
            machine: Machine::new(None, &config),
            phase: Phase::Follower,
            leader: None,
            elapsed: 0,
            election_timeout: 0,
            explain: false,
        };
        node.election_timeout = node.randomized_timeout();
        node
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Out) {
        match input {
            Input::Tick => self.on_tick(out),
            Input::Timeout => self.start_election(out),
            Input::Message { from, msg } => self.on_message(from, msg, out),
            Input::Request(command) => self.on_request(command, false, out),
            Input::Recover(durable) => self.recover(durable, out),
        }
    }

    /// The ballot is the current term with the node it knows leads it (itself while a candidate or
    /// when it knows no leader): Raft has no ballots, and the term is what orders leaders. The
    /// promise is the term with the node voted for in it (itself if none yet).
    fn set_explain(&mut self, on: bool) {
        self.explain = on;
    }

    fn view(&self) -> View<'_> {
        let role = match self.phase {
            Phase::Follower => Role::Follower,
            Phase::Candidate { .. } => Role::Candidate,
            Phase::Leader(_) => Role::Leader,
        };
        let term = self.durable.term;
        View {
            id: self.id,
            role,
            leader: self.leader,
            ballot: if term == 0 { Ballot::ZERO } else { Ballot::new(term, self.leader.unwrap_or(self.id)) },
            promised: if term == 0 {
                Ballot::ZERO
            } else {
                Ballot::new(term, self.durable.voted_for.unwrap_or(self.id))
            },
            decided: &self.durable,
            store: self.machine.store(),
            applied: self.machine.applied(),
        }
    }

    /// The entries not yet committed, each with its term as the ballot (Raft entries name no node,
    /// so the ballot's node is 0).
    fn acceptor_slots(&self) -> Vec<SlotView> {
        let promised = self.view().promised;
        let log = &self.durable.log;
        (self.commit_index() + 1..=log.last_index())
            .filter_map(|index| {
                let entry = log.entry(index)?;
                Some(SlotView {
                    slot: index - 1,
                    promised,
                    accepted: Some((Ballot::new(entry.term, 0), entry.value.clone())),
                })
            })
            .collect()
    }
}

impl Node {
    /// The current term.
    pub fn term(&self) -> Term {
        self.durable.term
    }

    /// Whom this node voted for in the current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.durable.voted_for
    }

    /// The log (after the last snapshot).
    pub fn log(&self) -> &RaftLog {
        &self.durable.log
    }

    /// The highest committed index: entries `1..=commit_index()` are committed.
    pub fn commit_index(&self) -> Index {
        self.durable.commit
    }

    /// Whether this node leads now.
    pub fn is_leader(&self) -> bool {
        matches!(self.phase, Phase::Leader(_))
    }

    /// Dispatches a message to the handler of the role that receives it.
    fn on_message(&mut self, from: NodeId, msg: Message, out: &mut Out) {
        // All servers (Figure 2): a higher term deposes whoever this node was.
        if msg.term() > self.durable.term {
            let (node, term, seen) = (self.id, self.durable.term, msg.term());
            let stepped_down = !matches!(self.phase, Phase::Follower);
            explain(self.explain, out, || Rule::HigherTerm { node, term, seen, stepped_down });
            self.become_follower(msg.term(), out);
        }
        match msg {
            // Voter (any role).
            Message::RequestVote(m) => self.on_request_vote(from, m, out),
            // Follower.
            Message::AppendEntries(m) => self.on_append_entries(from, m, out),
            Message::Snapshot(m) => self.on_snapshot(from, m, out),
            // Candidate.
            Message::Vote(m) => self.on_vote(from, m, out),
            // Leader.
            Message::AppendOk(m) => self.on_append_ok(from, m, out),
            Message::Forward(command) => self.on_request(command, true, out),
        }
    }

    // ---------------------------------------------------------------- voter

    /// RequestVote (§5.2, §5.4.1): one vote per term, first come first served, only for a candidate
    /// whose log is at least as up to date as this node's. The vote is on disk before it is sent.
    fn on_request_vote(&mut self, from: NodeId, m: RequestVote, out: &mut Out) {
        let RequestVote { term, candidate, last_index, last_term } = m;
        let log = &self.durable.log;
        let up_to_date = (last_term, last_index) >= (log.last_term(), log.last_index());
        let free = match self.durable.voted_for {
            None => true,
            Some(voted) => voted == candidate || self.config.bugs.has(Bug::RaftVotesTwice),
        };
        let granted = term == self.durable.term && free && up_to_date && !self.is_leader();
        if granted {
            if self.durable.voted_for != Some(candidate) {
                self.persist(Write::Term { term, voted_for: Some(candidate) }, out);
            }
            // A vote granted restarts the timer: give the candidate time to win.
            self.elapsed = 0;
        }
        explain(self.explain, out, || {
            self.vote_rule(candidate, term, (last_term, last_index), granted, free, up_to_date)
        });
        self.send(from, Message::Vote(Vote { term: self.durable.term, candidate, granted }), out);
    }

    /// The rule behind a vote, checked in the order of the paper: the term (§5.1), one vote per term
    /// (§5.2), the logs (§5.4.1). A leader has voted for itself in its term.
    fn vote_rule(
        &self,
        candidate: NodeId,
        term: Term,
        theirs: (Term, Index),
        granted: bool,
        free: bool,
        up_to_date: bool,
    ) -> Rule {
        let (node, current, log) = (self.id, self.durable.term, &self.durable.log);
        if granted {
            Rule::VoteGranted { node, candidate, term }
        } else if term < current {
            Rule::VoteDeniedStaleTerm { node, candidate, term, current }
        } else if free && !up_to_date {
            let ours = (log.last_term(), log.last_index());
            Rule::VoteDeniedLogOlder { node, candidate, term, theirs, ours }
        } else {
            Rule::VoteDeniedAlreadyVoted { node, candidate, term, voted_for: self.durable.voted_for.unwrap_or(node) }
        }
    }

    // ---------------------------------------------------------------- follower

    /// AppendEntries (§5.3): refuse a stale leader; otherwise follow it, run the consistency check
    /// on the previous entry, delete conflicting entries, append the new ones and learn the commit
    /// index.
    fn on_append_entries(&mut self, from: NodeId, m: AppendEntries, out: &mut Out) {
        let AppendEntries { term, leader, prev_index, prev_term, entries, commit } = m;
        if self.is_leader() {
            // Another leader of this very term: Election Safety is broken (only a planted bug does
            // that). Ignore it; an answer would only make it send again, and again.
            return;
        }
        if term < self.durable.term {
            // A stale leader learns the newer term from the answer and steps down.
            let (node, current) = (self.id, self.durable.term);
            explain(self.explain, out, || Rule::AppendStaleTerm { node, leader: from, term, current });
            self.answer_append(from, false, 0, out);
            return;
        }
        self.follow(leader);
        let last_new = prev_index + entries.len() as Index;
        let log = &self.durable.log;
        let committed = self.durable.commit;
        let answer = if last_new <= committed {
            // Everything it carries is committed here already, hence the same as the leader's.
            Ok(last_new)
        } else if prev_index > log.last_index() {
            // A gap: entries before these were lost. The leader will send from our end.
            Err(log.last_index())
        } else if prev_index >= log.base()
            && log.term_at(prev_index) != Some(prev_term)
            && !self.config.bugs.has(Bug::RaftSkipsLogCheck)
        {
            Err(self.conflict_hint(prev_index))
        } else {
            self.store_entries(prev_index, entries, out);
            Ok(last_new)
        };
        match answer {
            Ok(match_index) => {
                // Figure 2: commitIndex = min(leaderCommit, index of last new entry) — only entries this
                // message vouched for, never a stale tail it did not cover.
                self.commit_to(commit.min(match_index), out);
                self.answer_append(from, true, match_index, out);
            }
            Err(hint) => {
                let (node, ours) = (self.id, self.durable.log.term_at(prev_index));
                let ours = ours.filter(|_| prev_index <= self.durable.log.last_index());
                explain(self.explain, out, || Rule::AppendMismatch { node, leader: from, prev_index, prev_term, ours });
                self.answer_append(from, false, hint, out)
            }
        }
    }

    /// Answers the leader `to` with this node's term: `success` at `match_index`, or where to retry.
    fn answer_append(&mut self, to: NodeId, success: bool, match_index: Index, out: &mut Out) {
        self.send(to, Message::AppendOk(AppendOk { term: self.durable.term, success, match_index }), out);
    }

    /// Stores `entries` after `prev_index`: entries already held (same index and term) are kept, the
    /// first conflicting one is deleted with all that follow it (§5.3), the rest appended. Committed
    /// entries are never touched: the leader's log holds them (Leader Completeness, §5.4).
    fn store_entries(&mut self, prev_index: Index, entries: Vec<Entry>, out: &mut Out) {
        let floor = self.durable.commit.max(self.durable.log.base());
        let log = &self.durable.log;
        let first_new = (prev_index + 1..)
            .zip(&entries)
            .find(|(index, entry)| *index > floor && log.term_at(*index) != Some(entry.term))
            .map(|(index, _)| index);
        if let Some(from) = first_new {
            let entries = entries[(from - prev_index - 1) as usize..].to_vec();
            self.persist(Write::Entries { from, entries }, out);
        }
    }

    /// Where the leader should retry after a failed check at `prev_index`: skip back over the whole
    /// run of entries of the conflicting term (§5.3's optimization), but never below the commit index
    /// (committed entries match the leader's).
    fn conflict_hint(&self, prev_index: Index) -> Index {
        let log = &self.durable.log;
        let floor = self.durable.commit.max(log.base());
        let conflicting = log.term_at(prev_index);
        let mut hint = prev_index - 1;
        while hint > floor && log.term_at(hint) == conflicting {
            hint -= 1;
        }
        hint.max(floor)
    }

    /// InstallSnapshot (§7): adopt the leader's checkpoint if it covers more than is committed here.
    fn on_snapshot(&mut self, from: NodeId, m: Snapshot, out: &mut Out) {
        let Snapshot { term, leader, checkpoint, last_term } = m;
        if self.is_leader() {
            return; // Another leader of this term, as in `on_append_entries`.
        }
        if term < self.durable.term {
            let (node, current) = (self.id, self.durable.term);
            explain(self.explain, out, || Rule::AppendStaleTerm { node, leader: from, term, current });
            self.answer_append(from, false, 0, out);
            return;
        }
        self.follow(leader);
        let applied = checkpoint.applied;
        if applied > self.durable.commit {
            self.persist(Write::Snapshot { checkpoint: checkpoint.clone(), term: last_term }, out);
            self.machine.install(&checkpoint);
            self.apply_committed(out);
        }
        self.answer_append(from, true, applied, out);
    }

    /// Follows `leader` in the current term (a candidate that hears the term's leader gives up).
    fn follow(&mut self, leader: NodeId) {
        if matches!(self.phase, Phase::Candidate { .. }) {
            self.phase = Phase::Follower;
        }
        self.leader = Some(leader);
        self.elapsed = 0;
    }

    // ---------------------------------------------------------------- candidate

    /// Election timeout (§5.2): a new term, a vote for itself (on disk first), `RequestVote` to all.
    fn start_election(&mut self, out: &mut Out) {
        let term = self.durable.term + 1;
        self.stand_down_clients(None, out);
        self.persist(Write::Term { term, voted_for: Some(self.id) }, out);
        self.phase = Phase::Candidate { votes: NodeSet::single(self.id), resend_ticks: 0 };
        self.leader = None;
        self.elapsed = 0;
        self.election_timeout = self.randomized_timeout();
        self.ask_for_votes(NodeSet::single(self.id), out);
        self.count_votes(out);
    }

    fn ask_for_votes(&mut self, voted: NodeSet, out: &mut Out) {
        let log = &self.durable.log;
        let msg = Message::RequestVote(RequestVote {
            term: self.durable.term,
            candidate: self.id,
            last_index: log.last_index(),
            last_term: log.last_term(),
        });
        for to in self.config.all().iter().filter(|&n| !voted.contains(n)) {
            self.send(to, msg.clone(), out);
        }
    }

    fn on_vote(&mut self, from: NodeId, m: Vote, out: &mut Out) {
        let Phase::Candidate { votes, .. } = &mut self.phase else { return };
        if m.term == self.durable.term && m.granted {
            votes.insert(from);
            self.count_votes(out);
        }
    }

    fn count_votes(&mut self, out: &mut Out) {
        let Phase::Candidate { votes, .. } = self.phase else { return };
        if votes.len() >= self.config.quorum() {
            let (node, term, votes, quorum) =
                (self.id, self.durable.term, count(votes.len()), count(self.config.quorum()));
            explain(self.explain, out, || Rule::RaftElected { node, term, votes, quorum });
            self.become_leader(out);
        }
    }

    /// Votes from a majority: lead this term. Every follower's log is assumed to end where ours does
    /// (`next_index`), and a no-op of this term is appended so that entries of earlier terms get
    /// committed without waiting for a client (§5.4.2, §8).
    fn become_leader(&mut self, out: &mut Out) {
        let next = self.durable.log.last_index() + 1;
        self.phase = Phase::Leader(Leadership { next: [next; MAX_NODES], matched: [0; MAX_NODES], heartbeat_ticks: 0 });
        self.leader = Some(self.id);
        if self.config.bugs.has(Bug::RaftCommitsOldTerm) {
            // The planted bug counts replicas of old entries instead, as Figure 8's leader does;
            // the no-op would hide that by carrying every old entry to a majority with one of ours.
            for to in self.config.others(self.id).iter() {
                self.send_append(to, out);
            }
            return;
        }
        self.append(Value::Noop, out);
    }

    // ---------------------------------------------------------------- leader

    /// Appends `value` as a new entry of the current term and sends it to every follower that has
    /// nothing else outstanding (the others get it with their next batch).
    fn append(&mut self, value: Value, out: &mut Out) {
        let term = self.durable.term;
        let index = self.durable.log.last_index() + 1;
        self.persist(Write::Entries { from: index, entries: alloc::vec![Entry { term, value }] }, out);
        for to in self.config.others(self.id).iter() {
            let Phase::Leader(l) = &self.phase else { return };
            if l.next[to as usize] == index {
                self.send_append(to, out);
            }
        }
        self.advance_commit(out);
    }

    /// Sends `to` the entries from its `next_index` (at most [`APPEND_ENTRIES_MAX`]; none makes a
    /// heartbeat), or the checkpoint if they were compacted away.
    fn send_append(&mut self, to: NodeId, out: &mut Out) {
        let (term, id, commit) = (self.durable.term, self.id, self.commit_index());
        let log = &self.durable.log;
        let Phase::Leader(l) = &mut self.phase else { return };
        let next = l.next[to as usize].clamp(1, log.last_index() + 1);
        let prev_index = next - 1;
        // The log knows the term of its base and of the entries it keeps; below the base, only the
        // checkpoint can bring the follower on.
        let msg = match log.term_at(prev_index) {
            Some(prev_term) => {
                let entries: Vec<Entry> =
                    log.entries_from(next).iter().take(self.config.entries_max(APPEND_ENTRIES_MAX)).cloned().collect();
                l.next[to as usize] = next + entries.len() as Index;
                Message::AppendEntries(AppendEntries { term, leader: id, prev_index, prev_term, entries, commit })
            }
            _ => {
                let Some(checkpoint) = self.durable.checkpoint.clone() else { return };
                l.next[to as usize] = log.base() + 1;
                Message::Snapshot(Snapshot { term, leader: id, checkpoint, last_term: log.base_term() })
            }
        };
        self.send(to, msg, out);
    }

    /// A follower's answer: on success, note how far its log matches ours and commit what a majority
    /// holds; on failure, retry from where it says its log may match.
    fn on_append_ok(&mut self, from: NodeId, m: AppendOk, out: &mut Out) {
        let AppendOk { term, success, match_index } = m;
        let last = self.durable.log.last_index();
        let Phase::Leader(l) = &mut self.phase else { return };
        if term != self.durable.term {
            return;
        }
        let f = from as usize;
        if success {
            l.matched[f] = l.matched[f].max(match_index.min(last));
            l.next[f] = l.next[f].max(l.matched[f] + 1);
            let more = l.next[f] <= last;
            self.advance_commit(out);
            if more {
                self.send_append(from, out);
            }
        } else if match_index >= l.matched[f] && match_index + 1 < l.next[f] {
            l.next[f] = match_index + 1;
            self.send_append(from, out);
        }
    }

    /// Commits the highest index that a majority holds, if its entry is of the current term
    /// (§5.4.2): entries of earlier terms are committed only with it.
    fn advance_commit(&mut self, out: &mut Out) {
        let Phase::Leader(l) = &self.phase else { return };
        let log = &self.durable.log;
        let matched: Vec<Index> = self
            .config
            .all()
            .iter()
            .map(|n| if n == self.id { log.last_index() } else { l.matched[n as usize] })
            .collect();
        let quorum = self.config.quorum();
        let held_by_quorum = |index: Index| matched.iter().filter(|&&m| m >= index).count() >= quorum;
        let Some(majority) = matched.iter().copied().filter(|&index| held_by_quorum(index)).max() else { return };
        let entry_term = log.term_at(majority).unwrap_or(0);
        let current = entry_term == self.durable.term;
        let (node, term) = (self.id, self.durable.term);
        if majority > self.commit_index() && (current || self.config.bugs.has(Bug::RaftCommitsOldTerm)) {
            let (replicas, quorum) = (count(matched.iter().filter(|&&m| m >= majority).count()), count(quorum));
            explain(self.explain, out, || Rule::Committed {
                node,
                index: majority,
                term: entry_term,
                replicas,
                quorum,
            });
            self.commit_to(majority, out);
        } else if majority > self.commit_index() && !current {
            // §5.4.2: a majority stores an entry of an older term; counting replicas cannot commit it.
            explain(self.explain, out, || Rule::OldTermNotCommitted { node, index: majority, entry_term, term });
        }
    }

    // ---------------------------------------------------------------- all servers

    /// Commits entries up to `upto` (those this node holds), outputs them, and applies them.
    fn commit_to(&mut self, upto: Index, out: &mut Out) {
        let upto = upto.min(self.durable.log.last_index());
        let from = self.commit_index() + 1;
        if upto < from {
            return;
        }
        self.persist(Write::Commit { upto }, out);
        for index in from..=upto {
            if let Some(entry) = self.durable.log.entry(index) {
                out.push(Output::Decided { slot: index - 1, value: entry.value.clone() });
            }
        }
        self.apply_committed(out);
    }

    /// Applies what was committed, answering the clients waiting here; checkpoints when due (§7).
    fn apply_committed(&mut self, out: &mut Out) {
        if let Some(checkpoint) = self.machine.apply(&self.durable, out) {
            let Some(term) = self.durable.log.term_at(checkpoint.applied) else { return };
            self.persist(Write::Snapshot { checkpoint, term }, out);
        }
    }

    /// A higher term: adopt it, with no vote cast in it yet, as a follower.
    fn become_follower(&mut self, term: Term, out: &mut Out) {
        self.persist(Write::Term { term, voted_for: None }, out);
        self.leader = None;
        if !matches!(self.phase, Phase::Follower) {
            self.phase = Phase::Follower;
            self.election_timeout = self.randomized_timeout();
            self.elapsed = 0;
            self.stand_down_clients(None, out);
        }
    }

    /// Clients waiting here are told to go elsewhere (their entries may still commit; a retry is
    /// answered from the session table then).
    fn stand_down_clients(&mut self, hint: Option<NodeId>, out: &mut Out) {
        self.machine.redirect_all(hint, out);
    }

    // ---------------------------------------------------------------- clients

    fn on_request(&mut self, command: Command, forwarded: bool, out: &mut Out) {
        if let Some(outcome) = self.machine.recall(&command) {
            out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
            return;
        }
        match self.phase {
            Phase::Leader(_) => {
                // A retry of a command already in the log here is answered when that entry applies.
                if self.machine.wait_for(&command) {
                    self.append(Value::batch([command]), out);
                }
            }
            _ => match self.leader {
                Some(leader) if leader != self.id && !forwarded => self.send(leader, Message::Forward(command), out),
                hint => {
                    let outcome = Outcome::NotLeader { hint };
                    out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
                }
            },
        }
    }

    // ---------------------------------------------------------------- time

    fn on_tick(&mut self, out: &mut Out) {
        let timing = self.config.timing;
        match &mut self.phase {
            Phase::Leader(l) => {
                l.heartbeat_ticks += 1;
                if l.heartbeat_ticks >= timing.heartbeat_ticks {
                    l.heartbeat_ticks = 0;
                    for to in self.config.others(self.id).iter() {
                        self.send_append(to, out);
                    }
                }
            }
            Phase::Candidate { votes, resend_ticks } => {
                self.elapsed += 1;
                *resend_ticks += 1;
                if self.elapsed >= self.election_timeout {
                    // Split vote or lost messages: a new term, with a new random timeout.
                    let ticks = self.elapsed;
                    self.start_election(out);
                    let (node, term) = (self.id, self.durable.term);
                    explain(self.explain, out, || Rule::RaftTimeout { node, ticks, term });
                } else if *resend_ticks >= timing.resend_ticks {
                    // Raft's RPCs are retried when unanswered (§5.1).
                    *resend_ticks = 0;
                    let voted = *votes;
                    self.ask_for_votes(voted, out);
                }
            }
            Phase::Follower => {
                self.elapsed += 1;
                if self.elapsed >= self.election_timeout {
                    let ticks = self.elapsed;
                    self.start_election(out);
                    let (node, term) = (self.id, self.durable.term);
                    explain(self.explain, out, || Rule::RaftTimeout { node, ticks, term });
                }
            }
        }
    }

    /// An election timeout drawn uniformly from `election_ticks_min..=election_ticks_max`.
    fn randomized_timeout(&mut self) -> u32 {
        self.config.timing.election_timeout(&mut self.rng, 0)
    }

    // ---------------------------------------------------------------- plumbing

    /// Restarts from disk: the term, vote and log as written; the store from the checkpoint, then the
    /// committed entries after it (not the whole log).
    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.machine = Machine::new(durable.checkpoint.as_ref(), &self.config);
        self.durable = durable;
        self.apply_committed(out);
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }

    fn send(&mut self, to: NodeId, msg: Message, out: &mut Out) {
        if to != self.id {
            out.push(Output::Send { to, msg });
        }
    }
}
