//! Fast Paxos (seed 001; Lamport, "Fast Paxos", 2006), run once per slot of a log like [`crate::basic`].
//!
//! Classic Paxos costs two round trips per value: phase 1 (`Prepare`/`Promise`) then phase 2
//! (`Accept`/`Accepted`). Fast Paxos lets a proposer skip phase 1: round 0, the **fast round**, is
//! below every classic round, so nobody needs to be asked for a promise before it. A proposer with a
//! client command sends its phase 2 (`FastAccept`) straight to the acceptors, for its first
//! undecided slot:
//!
//! ```text
//!  proposer X               acceptors (5)                 learners
//!     │── FastAccept(slot, x) ──▶│  only if v is empty and nothing above round 0 was promised:
//!     │                          │  v, vrnd := x, 0
//!     │                          │── Accepted(0, x) ──────────────▶│
//!     │◀──────────── a fast quorum (⌈3n/4⌉ = 4 of 5) voted x ⇒ chosen
//! ```
//!
//! **Quorums.** A classic quorum is `q = ⌊n/2⌋ + 1` acceptors; a fast quorum is `f = ⌈3n/4⌉`. They
//! satisfy `q + 2f > 2n`: any classic quorum meets any two fast quorums (Fast Paxos §3.3). That is
//! what makes recovery safe: in the classic quorum a recovering proposer hears from, a value chosen
//! in the fast round has at least `q − (n − f)` votes, and no other value can have as many.
//! Learners learn a fast-round value from `f` votes and a classic-round value from `q` votes.
//!
//! The price: a fast round survives only `n − f` failed acceptors ([`fast_rounds_tolerate`]): with
//! 3 acceptors, none; seed 001: "fast paxos needs at least 5 acceptors to tolerate 1 unavailable".
//!
//! **Collision and recovery** (seed 001: "if there is a conflict, fall back to classic Paxos with a
//! rnd > 0"). Two proposers that send in the same slot at once may split the votes so that neither
//! value reaches a fast quorum. A proposer sees it as a learner: once the votes it has counted leave
//! no value able to reach `f`, or when its fast round times out, it runs a classic round (ballot
//! with round ≥ 1) for that slot: phase 1 over a classic quorum, then a value picked by the rule of
//! Fast Paxos §3.2 ([`pick_value`]):
//!
//! ```text
//!  k := the highest vrnd among the promises
//!  k is a classic round  ⇒ propose the value voted in round k (as in classic Paxos)
//!  k is the fast round   ⇒ propose the value with ≥ q − (n − f) votes among the promises, if any
//!                          (it may have been chosen; there is at most one such value)
//!  nobody voted          ⇒ propose anything: the proposer's own value
//! ```
//!
//! **Who coordinates the recovery.** Every proposer whose command was in the slot may: there is no
//! leader, as in [`crate::basic`]. A proposer that sees a collision first waits a short random time
//! (fewer duels), and one that is rejected backs off for a random, growing time. A proposer whose
//! command lost its slot proposes it again, in the fast round of the next slot.
//!
//! **Lagging learners** catch up as in [`crate::basic`]: a learner with a hole asks the acceptors for
//! their votes (`Catchup`, answered by `Votes`), and a slot it still cannot learn is repaired with a
//! classic round proposing a no-op (the recovery rule finds whatever may have been chosen there). A
//! node that restarts asks at once, since the slots chosen while it was down may leave no hole. An
//! acceptor that already voted in a slot answers a late `FastAccept` with its vote, so a proposer
//! that lags learns the slot's value instead of waiting.
//!
//! Promises and votes are written to disk before the messages that announce them leave.

use alloc::collections::VecDeque;

use crate::vec_map::VecMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::config::{Bug, Config, majority_of};
use crate::explain::{Rule, ValueId, count, explain};
use crate::machine::Machine;
use crate::rng::Prng;
use crate::types::{Ballot, Command, NodeId, NodeSet, Outcome, Reply, Slot, Value};
use crate::{Input, Loopback, Output, Role, SlotView, View};

/// The fast round: below every classic round (seed 001: "fast paxos's rnd is 0").
pub const FAST: Ballot = Ballot::ZERO;

/// Whether `ballot` is the fast round.
pub const fn is_fast(ballot: Ballot) -> bool {
    ballot.round == 0
}

pub use crate::config::fast_quorum_of;

/// How many acceptors may fail while a fast round can still choose a value: `n − ⌈3n/4⌉`.
pub const fn fast_rounds_tolerate(acceptors: usize) -> usize {
    acceptors - fast_quorum_of(acceptors)
}

/// For a cluster of `acceptors` whose fast rounds cannot survive the failure the seed expects them
/// to (fewer than 5 acceptors), a sentence saying what that means; `None` from 5 on.
pub fn too_small_explanation(acceptors: usize) -> Option<String> {
    if acceptors >= 5 {
        return None;
    }
    let fast = fast_quorum_of(acceptors);
    let classic = majority_of(acceptors);
    Some(match fast_rounds_tolerate(acceptors) {
        0 => format!(
            "With {acceptors} acceptor{} a fast round needs all {fast} of them: one acceptor down and every command \
             takes the slow path (a collision, then a classic round). Fast Paxos needs at least 5 acceptors to \
             survive one failure in a fast round (seed 001).",
            if acceptors == 1 { "" } else { "s" },
        ),
        tolerated => format!(
            "With {acceptors} acceptors a fast round needs {fast} of them and a classic round {classic}, so a fast \
             round survives {tolerated} failure — only because an even cluster's majority is this large. Seed \
             001's rule of thumb (a fast quorum of more than 3/4 of the acceptors) asks for at least 5 acceptors."
        ),
    })
}

/// The value a classic round must propose, from the promises of a classic quorum (Fast Paxos §3.2),
/// or `None` if it is free to propose its own.
///
/// `reports` are the votes (`vrnd`, `v`) the promises carried (acceptors that voted for nothing
/// report nothing), from `promises` acceptors out of `acceptors`, with fast quorums of `fast_quorum`.
/// If the highest `vrnd` is a classic round, its value (one value per classic round). If it is the
/// fast round, the value with at least `promises − (n − f)` votes: a fast quorum voting for it
/// would have left at least that many votes in any `promises` acceptors; two values cannot both have
/// that many when `q + 2f > 2n`.
pub fn pick_value(
    reports: &[(Ballot, Value)],
    promises: usize,
    acceptors: usize,
    fast_quorum: usize,
) -> Option<&Value> {
    let highest = reports.iter().map(|(vrnd, _)| *vrnd).max()?;
    if !is_fast(highest) {
        return reports.iter().find(|(vrnd, _)| *vrnd == highest).map(|(_, v)| v);
    }
    let needed = (promises + fast_quorum).saturating_sub(acceptors).max(1);
    let votes_for = |value: &Value| reports.iter().filter(|(vrnd, v)| is_fast(*vrnd) && v == value).count();
    let mut candidates = reports.iter().map(|(_, v)| v).filter(|v| votes_for(v) >= needed);
    let first = candidates.next();
    debug_assert!(
        promises + 2 * fast_quorum <= 2 * acceptors || candidates.all(|v| Some(v) == first),
        "q + 2f > 2n leaves at most one value with {needed} fast votes among {promises} promises"
    );
    first
}

/// The rule behind the value a classic round proposes after promises from `promises` of `acceptors`
/// (see [`pick_value`]): the highest classic `vrnd`'s value, a fast-round value with enough votes,
/// or the proposer's own.
fn recovery_rule(
    node: NodeId,
    (slot, ballot): (Slot, Ballot),
    reports: &[(Ballot, Value)],
    promises: usize,
    acceptors: usize,
    fast_quorum: usize,
    value: &Value,
) -> Rule {
    let id = ValueId::of(value);
    let promises_u8 = count(promises);
    let highest = reports.iter().map(|(vrnd, _)| *vrnd).max();
    let fast_votes = |v: &Value| reports.iter().filter(|(vrnd, w)| is_fast(*vrnd) && w == v).count();
    match highest {
        Some(vrnd) if !is_fast(vrnd) && reports.iter().any(|(r, v)| *r == vrnd && v == value) => {
            Rule::ProposeHighest { node, slot, ballot, value: id, vrnd, promises: promises_u8 }
        }
        None => Rule::ProposeOwn { node, slot, ballot, value: id, promises: promises_u8 },
        _ => {
            let needed = (promises + fast_quorum).saturating_sub(acceptors).max(1);
            let votes = fast_votes(value);
            let (promises, acceptors, fast_quorum) = (promises_u8, count(acceptors), count(fast_quorum));
            if votes >= needed {
                Rule::RecoveryKeeps {
                    node,
                    slot,
                    ballot,
                    value: id,
                    votes: count(votes),
                    promises,
                    acceptors,
                    fast_quorum,
                }
            } else {
                let best = reports.iter().map(|(_, v)| fast_votes(v)).max().unwrap_or(0);
                Rule::RecoveryFree {
                    node,
                    slot,
                    ballot,
                    value: id,
                    best: count(best),
                    promises,
                    acceptors,
                    fast_quorum,
                }
            }
        }
    }
}

mod message;
pub use message::{Accept, Accepted, Catchup, FastAccept, Message, Nack, Prepare, Promise, Votes};

/// How many votes an acceptor restates in one `Votes` message.
pub const CATCHUP_VOTES_MAX: usize = 64;

/// What a node keeps on disk is Basic Paxos's, write for write: per slot the acceptor's `last_rnd`,
/// `v`, `vrnd` (a vote in the fast round has `vrnd` = [`FAST`]), the highest classic round the
/// proposer used, what the learner learned, and checkpoints.
pub use crate::basic::{AcceptorSlot, Durable, Write};

type Out = Vec<Output<Message, Write>>;

/// A proposer's run for one slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Proposal {
    slot: Slot,
    /// [`FAST`] in the fast round, then the classic round being run.
    ballot: Ballot,
    /// What this proposer wants chosen (its clients' commands, or a no-op when repairing a hole).
    own: Value,
    phase: Phase,
    /// Rejections in a row, for the exponential back-off.
    attempts: u32,
    ticks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Phase {
    /// The fast round: `own` sent to the acceptors; the learner's count tells how it went.
    Fast,
    /// Classic phase 1: gathering promises, and the votes they report.
    Preparing { promises: NodeSet, reports: Vec<(Ballot, Value)> },
    /// Classic phase 2: a value sent to the acceptors.
    Accepting,
    /// After a collision or a rejection: waiting `ticks` before a classic round.
    BackingOff { ticks: u32 },
}

/// A Fast Paxos node: any of proposer, acceptor and learner.
///
/// `Eq` and `Hash` let a model checker tell states apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    id: NodeId,
    config: Config,
    rng: Prng,
    /// Acceptor and learner state, and the proposer's rounds; mirrored on disk by `persist`.
    durable: Durable,
    /// The store, and the clients waiting here for answers.
    machine: Machine,
    proposal: Option<Proposal>,
    /// Client commands not yet applied, oldest first.
    queue: VecDeque<Command>,
    /// The learner's count for slots not yet decided: per round, each value with its voters.
    votes: VecMap<Slot, VecMap<Ballot, Vec<(Value, NodeSet)>>>,
    /// The highest round seen in any message.
    max_round: u32,
    /// How long the log has had a hole this node is not repairing.
    hole_ticks: u32,
    loopback: Loopback<Message>,
    /// Whether to report the rule behind each decision ([`Output::Explain`]).
    explain: bool,
}

impl crate::Protocol for Node {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, seed: u64) -> Node {
        assert!(config.contains(id), "node {id} is not in a cluster of {}", config.nodes);
        Node {
            id,
            config,
            rng: Prng::new(seed),
            durable: Durable::default(),
            machine: Machine::new(None, &config),
            proposal: None,
            queue: VecDeque::new(),
            votes: VecMap::new(),
            max_round: 0,
            hole_ticks: 0,
            loopback: Loopback::new(),
            explain: false,
        }
    }

    fn set_explain(&mut self, on: bool) {
        self.explain = on;
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Out) {
        match input {
            Input::Tick => self.on_tick(out),
            Input::Timeout => self.retry(out),
            Input::Message { from, msg } => self.on_message(from, msg, out),
            Input::Request(command) => self.on_request(command, out),
            Input::Recover(durable) => self.recover(durable, out),
        }
        while let Some(msg) = self.loopback.pop() {
            self.on_message(self.id, msg, out);
        }
    }

    fn view(&self) -> View<'_> {
        let role = if self.proposal.is_some() {
            Role::Proposer
        } else if self.config.acceptors.contains(self.id) {
            Role::Acceptor
        } else {
            Role::Learner
        };
        let promised = self.durable.acceptor.values().map(|a| a.last_rnd).max().unwrap_or(Ballot::ZERO);
        View {
            id: self.id,
            role,
            leader: None,
            ballot: self.proposal.as_ref().map_or(Ballot::ZERO, |p| p.ballot),
            promised,
            decided: &self.durable.decided,
            store: self.machine.store(),
            applied: self.machine.applied(),
        }
    }

    fn acceptor_slots(&self) -> Vec<SlotView> {
        self.durable
            .acceptor
            .iter()
            .filter(|(slot, _)| !self.durable.decided.contains(**slot))
            .map(|(&slot, a)| SlotView { slot, promised: a.last_rnd, accepted: a.v.clone().map(|v| (a.vrnd, v)) })
            .collect()
    }
}

impl Node {
    /// The acceptor state of `slot` (for tests and inspectors).
    pub fn acceptor(&self, slot: Slot) -> Option<&AcceptorSlot> {
        self.durable.acceptor.get(&slot)
    }

    /// Dispatches a message to the role that handles it.
    fn on_message(&mut self, from: NodeId, msg: Message, out: &mut Out) {
        self.max_round = self.max_round.max(msg.ballot().round);
        match msg {
            // Acceptor.
            Message::FastAccept(m) => self.on_fast_accept(from, m, out),
            Message::Prepare(m) => self.on_prepare(from, m, out),
            Message::Accept(m) => self.on_accept(from, m, out),
            Message::Catchup(m) => self.on_catchup(from, m, out),
            // Proposer.
            Message::Promise(m) => self.on_promise(from, m, out),
            Message::Nack(m) => self.on_nack(m, out),
            // Learner (and a proposer watching its fast round).
            Message::Accepted(m) => self.on_accepted(from, m, out),
            Message::Votes(Votes { votes }) => {
                for (slot, ballot, value) in votes {
                    self.on_accepted(from, Accepted { slot, ballot, value }, out);
                }
            }
        }
    }

    // ---------------------------------------------------------------- acceptor

    /// Fast round phase 2b: vote for `value` only if this acceptor voted for nothing in the slot and
    /// promised no classic round (seed 001: "an acceptor accepts a fast phase-2 only if v is empty").
    fn on_fast_accept(&mut self, from: NodeId, m: FastAccept, out: &mut Out) {
        let FastAccept { slot, value } = m;
        let state = self.durable.acceptor.get(&slot).cloned().unwrap_or_default();
        let node = self.id;
        if let Some(v) = state.v {
            // Already voted here: restate the vote, so the proposer can count it.
            let vrnd = state.vrnd;
            explain(self.explain, out, || Rule::AlreadyVoted { node, to: from, slot, vrnd, value: ValueId::of(&v) });
            self.send(from, Message::Votes(Votes { votes: alloc::vec![(slot, state.vrnd, v)] }), out);
            return;
        }
        if state.last_rnd > FAST && !self.config.bugs.has(Bug::AcceptBelowPromise) {
            let promised = state.last_rnd;
            explain(self.explain, out, || Rule::AcceptRefused { node, to: from, slot, ballot: FAST, promised });
            self.send(from, Message::Nack(Nack { slot, ballot: FAST, promised }), out);
            return;
        }
        self.vote(slot, FAST, value, out);
    }

    /// Classic phase 1b: promise `ballot` unless a higher round was promised in this slot (P1a).
    fn on_prepare(&mut self, from: NodeId, m: Prepare, out: &mut Out) {
        let Prepare { slot, ballot } = m;
        debug_assert!(!is_fast(ballot), "the fast round has no phase 1");
        let state = self.durable.acceptor.get(&slot).cloned().unwrap_or_default();
        let node = self.id;
        if ballot < state.last_rnd {
            let promised = state.last_rnd;
            explain(self.explain, out, || Rule::PrepareRefused { node, to: from, slot, ballot, promised });
            self.send(from, Message::Nack(Nack { slot, ballot, promised }), out);
            return;
        }
        if ballot > state.last_rnd {
            self.persist(Write::Promise { slot, ballot }, out);
        }
        let accepted = state.v.map(|v| (state.vrnd, v));
        let reported = accepted.as_ref().map(|(vrnd, v)| (*vrnd, ValueId::of(v)));
        explain(self.explain, out, || Rule::Promised { node, to: from, slot, ballot, accepted: reported });
        self.send(from, Message::Promise(Promise { slot, ballot, accepted }), out);
    }

    /// Classic phase 2b: vote unless a higher round was promised in this slot.
    fn on_accept(&mut self, from: NodeId, m: Accept, out: &mut Out) {
        let Accept { slot, ballot, value } = m;
        let last_rnd = self.durable.acceptor.get(&slot).map_or(Ballot::ZERO, |a| a.last_rnd);
        if ballot < last_rnd && !self.config.bugs.has(Bug::AcceptBelowPromise) {
            let node = self.id;
            explain(self.explain, out, || Rule::AcceptRefused { node, to: from, slot, ballot, promised: last_rnd });
            self.send(from, Message::Nack(Nack { slot, ballot, promised: last_rnd }), out);
            return;
        }
        if ballot > last_rnd {
            self.persist(Write::Promise { slot, ballot }, out);
        }
        self.vote(slot, ballot, value, out);
    }

    /// Votes (on disk first), and tells every learner and proposer.
    fn vote(&mut self, slot: Slot, ballot: Ballot, value: Value, out: &mut Out) {
        debug_assert!(self.config.acceptors.contains(self.id), "only acceptors vote");
        let node = self.id;
        explain(self.explain, out, || Rule::Accepted { node, slot, ballot, value: ValueId::of(&value) });
        self.persist(Write::Accept { slot, ballot, value: value.clone() }, out);
        let listeners = NodeSet::from_bits(self.config.learners.bits() | self.config.proposers.bits());
        for learner in listeners.iter() {
            self.send(learner, Message::Accepted(Accepted { slot, ballot, value: value.clone() }), out);
        }
    }

    /// A lagging learner asks what this acceptor voted for: restate its latest vote in each slot.
    fn on_catchup(&mut self, learner: NodeId, m: Catchup, out: &mut Out) {
        let Catchup { from: first } = m;
        let votes: Vec<(Slot, Ballot, Value)> = self
            .durable
            .acceptor
            .range(first..)
            .filter_map(|(&slot, a)| Some((slot, a.vrnd, a.v.clone()?)))
            .take(self.config.entries_max(CATCHUP_VOTES_MAX))
            .collect();
        if !votes.is_empty() {
            self.send(learner, Message::Votes(Votes { votes }), out);
        }
    }

    // ---------------------------------------------------------------- proposer

    /// Starts a proposal if this node has commands waiting and none running: the fast round of its
    /// first undecided slot.
    fn maybe_propose(&mut self, out: &mut Out) {
        if self.proposal.is_some() || !self.config.proposers.contains(self.id) || self.queue.is_empty() {
            return;
        }
        let take = self.queue.len().min(self.config.batch_max as usize);
        let own = Value::batch(self.queue.iter().take(take).copied());
        let slot = self.durable.decided.prefix();
        self.proposal =
            Some(Proposal { slot, ballot: FAST, own: own.clone(), phase: Phase::Fast, attempts: 0, ticks: 0 });
        self.hole_ticks = 0;
        for acceptor in self.config.acceptors.iter() {
            self.send(acceptor, Message::FastAccept(FastAccept { slot, value: own.clone() }), out);
        }
    }

    /// Starts (or restarts, with a higher round) a classic round for this node's first undecided slot.
    fn start_classic(&mut self, own: Value, attempts: u32, out: &mut Out) {
        let slot = self.durable.decided.prefix();
        let round = self.max_round.max(self.durable.round) + 1;
        self.max_round = round;
        self.persist(Write::Round(round), out);
        let ballot = Ballot::new(round, self.id);
        let phase = Phase::Preparing { promises: NodeSet::EMPTY, reports: Vec::new() };
        self.proposal = Some(Proposal { slot, ballot, own, phase, attempts, ticks: 0 });
        self.hole_ticks = 0;
        for acceptor in self.config.acceptors.iter() {
            self.send(acceptor, Message::Prepare(Prepare { slot, ballot }), out);
        }
    }

    /// Classic phase 1 answer. With a classic quorum of promises, phase 2 proposes what
    /// [`pick_value`] says may have been chosen, or this proposer's own value.
    fn on_promise(&mut self, from: NodeId, m: Promise, out: &mut Out) {
        let Promise { slot, ballot, accepted } = m;
        let (quorum, fast_quorum, n) = (self.config.quorum(), self.config.fast_quorum(), self.config.acceptors.len());
        let ignores_votes = self.config.bugs.has(Bug::FastRecoveryIgnoresVotes);
        let Some(p) = &mut self.proposal else { return };
        let Phase::Preparing { promises, reports } = &mut p.phase else { return };
        if p.slot != slot || p.ballot != ballot || !promises.insert(from) {
            return;
        }
        reports.extend(accepted);
        if promises.len() < quorum {
            return;
        }
        let fast_only = reports.iter().all(|(vrnd, _)| is_fast(*vrnd));
        let value = match pick_value(reports, promises.len(), n, fast_quorum) {
            Some(_) if ignores_votes && fast_only => p.own.clone(),
            Some(value) => value.clone(),
            None => p.own.clone(),
        };
        if self.explain {
            out.push(Output::Explain(recovery_rule(
                self.id,
                (slot, ballot),
                reports,
                promises.len(),
                n,
                fast_quorum,
                &value,
            )));
        }
        p.phase = Phase::Accepting;
        p.ticks = 0;
        for acceptor in self.config.acceptors.iter() {
            self.send(acceptor, Message::Accept(Accept { slot, ballot, value: value.clone() }), out);
        }
    }

    /// Rejected: someone promised a higher round. Back off (randomized, exponential), then run a
    /// classic round.
    fn on_nack(&mut self, m: Nack, out: &mut Out) {
        let Nack { slot, ballot, promised } = m;
        let Some(p) = &self.proposal else { return };
        if p.slot != slot || p.ballot != ballot || promised <= ballot || matches!(p.phase, Phase::BackingOff { .. }) {
            return;
        }
        if !self.config.backoff {
            let node = self.id;
            explain(self.explain, out, || Rule::Preempted { node, slot, ballot, promised, wait_ticks: 0 });
            self.retry(out);
            return;
        }
        let attempts = p.attempts + 1;
        let timing = self.config.timing;
        let limit = timing.backoff_ticks_base.saturating_mul(1 << (attempts - 1).min(16)).min(timing.backoff_ticks_max);
        let wait_ticks = self.back_off(attempts, limit);
        let node = self.id;
        explain(self.explain, out, || Rule::Preempted { node, slot, ballot, promised, wait_ticks });
    }

    /// Waits a random time of at most `limit` ticks before a classic round.
    fn back_off(&mut self, attempts: u32, limit: u32) -> u32 {
        let wait = 1 + self.rng.below(u64::from(limit.max(1))) as u32;
        if let Some(p) = &mut self.proposal {
            p.attempts = attempts;
            p.phase = Phase::BackingOff { ticks: wait };
            p.ticks = 0;
        }
        wait
    }

    /// Runs a classic round for the current proposal (after a collision, a back-off or a timeout).
    fn retry(&mut self, out: &mut Out) {
        match self.proposal.take() {
            Some(p) if !self.durable.decided.contains(p.slot) => self.start_classic(p.own, p.attempts, out),
            _ => self.maybe_propose(out),
        }
    }

    /// In the fast round of its slot, whether the votes this proposer counted leave no value able to
    /// reach a fast quorum: a collision.
    fn collided(&self) -> Option<Rule> {
        let p = self.proposal.as_ref()?;
        if p.phase != Phase::Fast {
            return None;
        }
        let tallies = self.votes.get(&p.slot).and_then(|rounds| rounds.get(&FAST))?;
        let voted = NodeSet::from_bits(tallies.iter().fold(0, |all, (_, voters)| all | voters.bits())).len();
        let best = tallies.iter().map(|(_, voters)| voters.len()).max().unwrap_or(0);
        let silent = self.config.acceptors.len().saturating_sub(voted);
        let fast_quorum = self.config.fast_quorum();
        (best + silent < fast_quorum).then(|| Rule::Collision {
            node: self.id,
            slot: p.slot,
            best: count(best),
            silent: count(silent),
            fast_quorum: count(fast_quorum),
        })
    }

    // ---------------------------------------------------------------- learner

    /// A vote. A fast quorum of distinct acceptors voting for the same value in the fast round, or a
    /// classic quorum in a classic round, chooses it.
    fn on_accepted(&mut self, from: NodeId, m: Accepted, out: &mut Out) {
        let Accepted { slot, ballot, value } = m;
        if self.durable.decided.contains(slot) || !self.config.acceptors.contains(from) {
            return;
        }
        let needed = if is_fast(ballot) { self.config.fast_quorum() } else { self.config.quorum() };
        let tallies = self.votes.entry(slot).or_default().entry(ballot).or_default();
        let index = match tallies.iter().position(|(v, _)| *v == value) {
            Some(index) => index,
            None => {
                tallies.push((value, NodeSet::EMPTY));
                tallies.len() - 1
            }
        };
        let (value, voters) = &mut tallies[index];
        voters.insert(from);
        if voters.len() >= needed {
            let value = value.clone();
            let (node, votes) = (self.id, voters.len());
            explain(self.explain, out, || {
                if is_fast(ballot) {
                    let (value, votes, fast_quorum) = (ValueId::of(&value), count(votes), count(needed));
                    Rule::ChosenFast { node, slot, value, votes, fast_quorum }
                } else {
                    Rule::chosen(node, (slot, ballot), &value, votes, needed)
                }
            });
            self.decide(slot, value, out);
        } else if let Some(collision) = self.collided() {
            // Split votes: no value can reach a fast quorum any more. Recover with a classic round
            // after a short random wait, so that colliding proposers seldom duel.
            explain(self.explain, out, || collision);
            let attempts = self.proposal.as_ref().map_or(0, |p| p.attempts);
            self.back_off(attempts, self.config.timing.backoff_ticks_base);
        }
    }

    fn decide(&mut self, slot: Slot, value: Value, out: &mut Out) {
        debug_assert!(!self.durable.decided.contains(slot), "slot {slot} is learned once");
        self.votes.remove(&slot);
        let prefix = self.durable.decided.prefix();
        self.persist(Write::Decide { slot, value: value.clone() }, out);
        if self.durable.decided.prefix() > prefix {
            // The hole closed: any hole further on is asked about afresh on the next tick.
            self.hole_ticks = 0;
        }
        out.push(Output::Decided { slot, value });
        self.apply_decided(out);
        // The slot this node was proposing in is settled, whoever's value won; commands that lost
        // go again in the next slot.
        if self.proposal.as_ref().is_some_and(|p| self.durable.decided.contains(p.slot)) {
            self.proposal = None;
        }
        self.maybe_propose(out);
    }

    /// Applies what became contiguous, answering the clients waiting here; checkpoints when due.
    fn apply_decided(&mut self, out: &mut Out) {
        if let Some(checkpoint) = self.machine.apply(&self.durable.decided, out) {
            self.persist(Write::Checkpoint(checkpoint), out);
        }
        let machine = &self.machine;
        self.queue.retain(|command| machine.recall(command).is_none());
    }

    // ---------------------------------------------------------------- clients and time

    fn on_request(&mut self, command: Command, out: &mut Out) {
        if let Some(outcome) = self.machine.recall(&command) {
            out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
            return;
        }
        if !self.config.proposers.contains(self.id) {
            let hint = self.config.proposers.min();
            out.push(Output::Reply(Reply {
                client: command.client,
                seq: command.seq,
                outcome: Outcome::NotLeader { hint },
            }));
            return;
        }
        if self.machine.wait_for(&command) {
            // A newer request from the same client replaces any older one still queued.
            self.queue.retain(|c| c.client != command.client);
            self.queue.push_back(command);
        }
        self.maybe_propose(out);
    }

    fn on_tick(&mut self, out: &mut Out) {
        let resend_ticks = self.config.timing.resend_ticks;
        let decided = &self.durable.decided;
        let (hole, first) = (decided.end() > decided.prefix(), decided.prefix());
        self.hole_ticks = if hole { self.hole_ticks + 1 } else { 0 };
        if self.hole_ticks == 1 {
            // Missed votes (while down or cut off): ask the acceptors what they voted for.
            for acceptor in self.config.acceptors.iter() {
                self.send(acceptor, Message::Catchup(Catchup { from: first }), out);
            }
        }
        match &mut self.proposal {
            Some(p) => {
                p.ticks += 1;
                let due = match p.phase {
                    Phase::BackingOff { ticks } => p.ticks >= ticks,
                    // No answer in time (lost messages, a crashed acceptor): run a classic round.
                    Phase::Fast | Phase::Preparing { .. } | Phase::Accepting => p.ticks >= resend_ticks,
                };
                if due {
                    if !matches!(p.phase, Phase::BackingOff { .. }) {
                        let (node, slot, ballot, ticks) = (self.id, p.slot, p.ballot, p.ticks);
                        explain(self.explain, out, || Rule::NoAnswer { node, slot, ballot, ticks });
                    }
                    self.retry(out);
                }
            }
            None if self.hole_ticks > resend_ticks && self.config.proposers.contains(self.id) => {
                // Still a hole: run the first undecided slot with a no-op; the recovery rule will
                // find the value that may have been chosen there.
                let (node, slot, ticks) = (self.id, self.durable.decided.prefix(), self.hole_ticks);
                explain(self.explain, out, || Rule::RepairHole { node, slot, ticks });
                self.start_classic(Value::Noop, 0, out);
            }
            None => {}
        }
    }

    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.max_round = self.max_round.max(durable.round);
        self.machine = Machine::new(durable.checkpoint.as_ref(), &self.config);
        self.durable = durable;
        self.apply_decided(out);
        // Slots decided while this node was down leave no hole if nothing was decided after them:
        // ask the acceptors for their votes now rather than wait for the next command.
        let first = self.durable.decided.prefix();
        for acceptor in self.config.acceptors.iter() {
            self.send(acceptor, Message::Catchup(Catchup { from: first }), out);
        }
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }

    fn send(&mut self, to: NodeId, msg: Message, out: &mut Out) {
        self.loopback.send(self.id, to, msg, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seed 001: "fast paxos needs at least 5 acceptors to tolerate 1 unavailable acceptor".
    #[test]
    fn fast_rounds_survive_failures_from_five_acceptors() {
        assert_eq!([1, 2, 3, 5, 7, 9].map(fast_rounds_tolerate), [0, 0, 0, 1, 1, 2]);
        assert!(too_small_explanation(3).is_some_and(|s| s.contains("at least 5")));
        assert!(too_small_explanation(4).is_some());
        assert_eq!(too_small_explanation(5), None);
    }
}
