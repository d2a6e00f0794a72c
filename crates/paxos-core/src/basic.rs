//! Basic Paxos: single-decree Paxos exactly as the seeds tell it, run once per slot of a log.
//!
//! Roles (a node may play several; by default every node plays all three):
//! - **Acceptor** — the storage node. Per slot it keeps `last_rnd` (the last proposer it promised,
//!   the seeds' "who did the read-before-write last"), and `v` with `vrnd` (the value it accepted
//!   and the round it was written in).
//! - **Proposer** — takes client commands and tries to get them chosen.
//! - **Learner** — counts `Accepted` votes; a value accepted by a majority of acceptors in the same
//!   round is chosen.
//!
//! ```text
//!  proposer X                 acceptors               learners
//!     │── Prepare(slot, rnd) ───▶│                       phase 1: "I am about to write"
//!     │◀── Promise(rnd, vrnd, v) ─│  if rnd ≥ last_rnd: last_rnd := rnd
//!     │   value := v of the highest vrnd seen, else X's own
//!     │── Accept(slot, rnd, value) ─▶│                   phase 2
//!     │                           │── Accepted(rnd, value) ──▶│  if rnd ≥ last_rnd: v, vrnd := value, rnd
//!     │◀───────────────── majority of Accepted ⇒ chosen ──────│
//! ```
//!
//! A proposer that sees a value in phase 1 must propose the one with the highest `vrnd` (Paxos Made
//! Simple, P2c; seed 001: "X must choose y"). A proposer that is rejected (`Nack`, carrying the higher
//! round the acceptor promised) tries again with a higher round after a randomized, exponentially
//! growing back-off — without the back-off, two proposers can pre-empt each other forever (the seeds'
//! livelock). A proposer whose command lost its slot to another value tries again in the next slot,
//! as the seed's `i₁, i₂, i₃…` versions: each version is written once.
//!
//! There is no leader, so any proposer may start any slot. A learner that sees a hole in its log (a
//! later slot decided, an earlier one not: it missed votes while it was down or cut off) first asks
//! the acceptors to send their votes again (`Catchup`) and learns every slot a majority voted for in
//! one round (seed 002: a learner reads N/2+1 acceptors). A slot it still cannot learn that way, a
//! proposer runs with a no-op: phase 1 finds whatever may have been chosen there and phase 2 finishes
//! it — the seed's "repair of an interrupted run".
//!
//! Reads go through the log like writes, so they are linearizable.

use alloc::collections::VecDeque;

use crate::vec_map::VecMap;
use alloc::vec::Vec;

use crate::config::{Bug, Config};
use crate::explain::{Rule, ValueId, count, explain};
use crate::log::DecidedLog;
use crate::machine::{Checkpoint, Machine};
use crate::rng::Prng;
use crate::types::{Ballot, Command, NodeId, NodeSet, Outcome, Reply, Slot, Value};
use crate::{Input, Loopback, Output, Role, SlotView, View};

mod message;
pub use message::{Accept, Accepted, Catchup, Message, Nack, Prepare, Promise, Votes};

/// How many votes an acceptor restates in one `Votes` message.
pub const CATCHUP_VOTES_MAX: usize = 64;

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// The proposer used round `0`: it must never reuse it, even after a crash.
    Round(u32),
    /// The acceptor promised `ballot` in `slot` (`last_rnd`).
    Promise {
        /// The instance.
        slot: Slot,
        /// The promised round.
        ballot: Ballot,
    },
    /// The acceptor accepted `value` at `ballot` in `slot` (`v`, `vrnd`).
    Accept {
        /// The instance.
        slot: Slot,
        /// The round.
        ballot: Ballot,
        /// The value.
        value: Value,
    },
    /// The learner learned `slot` holds `value`.
    Decide {
        /// The instance.
        slot: Slot,
        /// The value.
        value: Value,
    },
    /// The store after applying a prefix of the log, so a restart need not replay all of it.
    Checkpoint(Checkpoint),
}

/// An acceptor's state in one slot, named as in the seeds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AcceptorSlot {
    /// The highest round promised.
    pub last_rnd: Ballot,
    /// The round `v` was accepted in.
    pub vrnd: Ballot,
    /// The accepted value, if any.
    pub v: Option<Value>,
}

/// What a Basic Paxos node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// The highest round this node has used as a proposer.
    pub round: u32,
    /// Acceptor state per slot.
    pub acceptor: VecMap<Slot, AcceptorSlot>,
    /// What the learner learned.
    pub decided: DecidedLog,
    /// The latest checkpoint of the store.
    pub checkpoint: Option<Checkpoint>,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match write {
            Write::Round(round) => self.round = *round,
            Write::Promise { slot, ballot } => self.acceptor.entry(*slot).or_default().last_rnd = *ballot,
            Write::Accept { slot, ballot, value } => {
                let state = self.acceptor.entry(*slot).or_default();
                state.vrnd = *ballot;
                state.v = Some(value.clone());
            }
            Write::Decide { slot, value } => {
                self.decided.insert(*slot, value.clone());
            }
            Write::Checkpoint(checkpoint) => {
                self.decided.compact(checkpoint.applied);
                self.checkpoint = Some(checkpoint.clone());
            }
        }
    }
}

type Out = Vec<Output<Message, Write>>;

/// A proposer's run for one slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Proposal {
    slot: Slot,
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
    /// Phase 1: gathering promises; `highest` is the accepted value with the highest `vrnd` seen.
    Preparing { promises: NodeSet, highest: Option<(Ballot, Value)> },
    /// Phase 2: `value` sent to the acceptors.
    Accepting,
    /// Rejected: waiting `ticks` before trying again with a higher round.
    BackingOff { ticks: u32 },
}

/// Votes a learner counted for one round of one slot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Tally {
    value: Value,
    voters: NodeSet,
    /// Votes counted (only differs from `voters.len()` with `Bug::DoubleCountVote`).
    counted: usize,
}

/// A Basic Paxos node: any of proposer, acceptor and learner.
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
    /// The learner's vote counts for slots not yet decided.
    votes: VecMap<Slot, VecMap<Ballot, Tally>>,
    /// The highest round seen in any message.
    max_round: u32,
    /// How long the log has had a hole this node is not repairing.
    hole_ticks: u32,
    loopback: Loopback<Message>,
    /// `Bug::PromiseBeforePersist`: promises announced but not yet written.
    unwritten: Vec<Write>,
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
            unwritten: Vec::new(),
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
    /// Dispatches a message to the role that handles it.
    fn on_message(&mut self, from: NodeId, msg: Message, out: &mut Out) {
        self.max_round = self.max_round.max(msg.ballot().round);
        match msg {
            // Acceptor.
            Message::Prepare(m) => self.on_prepare(from, m, out),
            Message::Accept(m) => self.on_accept(from, m, out),
            // Proposer.
            Message::Promise(m) => self.on_promise(from, m, out),
            Message::Nack(m) => self.on_nack(m, out),
            Message::Catchup(m) => self.on_catchup(from, m, out),
            // Learner.
            Message::Accepted(m) => self.on_accepted(from, m, out),
            Message::Votes(Votes { votes }) => {
                for (slot, ballot, value) in votes {
                    self.on_accepted(from, Accepted { slot, ballot, value }, out);
                }
            }
        }
    }

    // ---------------------------------------------------------------- acceptor

    /// Phase 1b: promise `ballot` unless a higher round was promised in this slot (P1a).
    fn on_prepare(&mut self, from: NodeId, m: Prepare, out: &mut Out) {
        let Prepare { slot, ballot } = m;
        let state = self.durable.acceptor.get(&slot).cloned().unwrap_or_default();
        // `>=`: the same round again can only be the same proposer asking again (rounds are unique).
        let node = self.id;
        if ballot < state.last_rnd {
            let promised = state.last_rnd;
            explain(self.explain, out, || Rule::PrepareRefused { node, to: from, slot, ballot, promised });
            self.send(from, Message::Nack(Nack { slot, ballot, promised }), out);
            return;
        }
        if ballot > state.last_rnd {
            let write = Write::Promise { slot, ballot };
            if self.config.bugs.has(Bug::PromiseBeforePersist) {
                crate::Durable::apply(&mut self.durable, &write);
                self.unwritten.push(write);
            } else {
                self.persist(write, out);
            }
        }
        let accepted = state.v.map(|v| (state.vrnd, v));
        let reported = accepted.as_ref().map(|(vrnd, v)| (*vrnd, ValueId::of(v)));
        explain(self.explain, out, || Rule::Promised { node, to: from, slot, ballot, accepted: reported });
        self.send(from, Message::Promise(Promise { slot, ballot, accepted }), out);
    }

    /// Phase 2b: accept unless a higher round was promised in this slot; tell every learner.
    fn on_accept(&mut self, from: NodeId, m: Accept, out: &mut Out) {
        let Accept { slot, ballot, value } = m;
        let last_rnd = self.durable.acceptor.get(&slot).map_or(Ballot::ZERO, |a| a.last_rnd);
        let node = self.id;
        if ballot < last_rnd && !self.config.bugs.has(Bug::AcceptBelowPromise) {
            explain(self.explain, out, || Rule::AcceptRefused { node, to: from, slot, ballot, promised: last_rnd });
            self.send(from, Message::Nack(Nack { slot, ballot, promised: last_rnd }), out);
            return;
        }
        explain(self.explain, out, || Rule::Accepted { node, slot, ballot, value: ValueId::of(&value) });
        if ballot > last_rnd {
            self.persist(Write::Promise { slot, ballot }, out);
        }
        self.persist(Write::Accept { slot, ballot, value: value.clone() }, out);
        for learner in self.config.learners.iter() {
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

    /// Starts (or restarts, with a higher round) this node's proposal for its first undecided slot.
    fn start_proposal(&mut self, own: Value, attempts: u32, out: &mut Out) {
        let slot = self.durable.decided.prefix();
        let round = self.max_round.max(self.durable.round) + 1;
        self.max_round = round;
        self.persist(Write::Round(round), out);
        let node = if self.config.bugs.has(Bug::SameBallot) { 0 } else { self.id };
        let ballot = Ballot::new(round, node);
        self.proposal = Some(Proposal {
            slot,
            ballot,
            own,
            phase: Phase::Preparing { promises: NodeSet::EMPTY, highest: None },
            attempts,
            ticks: 0,
        });
        self.hole_ticks = 0;
        for acceptor in self.config.acceptors.iter() {
            self.send(acceptor, Message::Prepare(Prepare { slot, ballot }), out);
        }
    }

    /// Starts a proposal if this node has commands waiting or a hole to repair, and none running.
    fn maybe_propose(&mut self, out: &mut Out) {
        if self.proposal.is_some() || !self.config.proposers.contains(self.id) {
            return;
        }
        if !self.queue.is_empty() {
            let take = self.queue.len().min(self.config.batch_max as usize);
            let own = Value::batch(self.queue.iter().take(take).copied());
            self.start_proposal(own, 0, out);
        }
    }

    /// Phase 1 answer. With a majority of promises, phase 2 proposes the value with the highest
    /// `vrnd` reported, or this proposer's own if nobody reported one (P2c).
    fn on_promise(&mut self, from: NodeId, m: Promise, out: &mut Out) {
        let Promise { slot, ballot, accepted } = m;
        let quorum = self.config.quorum();
        let bugs = self.config.bugs;
        let Some(p) = &mut self.proposal else { return };
        let Phase::Preparing { promises, highest } = &mut p.phase else { return };
        if p.slot != slot || p.ballot != ballot || !promises.insert(from) {
            return;
        }
        if let Some((vrnd, v)) = accepted {
            let higher = match highest {
                None => true,
                Some((seen, _)) => vrnd > *seen && !bugs.has(Bug::FirstReportedValue),
            };
            if higher && !bugs.has(Bug::IgnorePromisedValues) {
                *highest = Some((vrnd, v));
            }
        }
        if promises.len() >= quorum {
            let (node, promises) = (self.id, count(promises.len()));
            explain(self.explain, out, || match highest {
                Some((vrnd, v)) => {
                    Rule::ProposeHighest { node, slot, ballot, value: ValueId::of(v), vrnd: *vrnd, promises }
                }
                None => Rule::ProposeOwn { node, slot, ballot, value: ValueId::of(&p.own), promises },
            });
            let value = highest.take().map_or_else(|| p.own.clone(), |(_, v)| v);
            p.phase = Phase::Accepting;
            p.ticks = 0;
            if bugs.has(Bug::ReplyBeforeChosen) {
                let mut speculative = self.machine.store().clone();
                for (command, outcome) in speculative.apply_value(&value) {
                    if self.machine.is_waiting_for(command) {
                        self.machine.answer(command, outcome, out);
                    }
                }
            }
            for acceptor in self.config.acceptors.iter() {
                self.send(acceptor, Message::Accept(Accept { slot, ballot, value: value.clone() }), out);
            }
        }
    }

    /// Rejected: someone promised a higher round. Back off (randomized, exponential) and retry.
    fn on_nack(&mut self, m: Nack, out: &mut Out) {
        let Nack { slot, ballot, promised } = m;
        let Some(p) = &mut self.proposal else { return };
        if p.slot != slot || p.ballot != ballot || promised <= ballot || matches!(p.phase, Phase::BackingOff { .. }) {
            return;
        }
        let node = self.id;
        if !self.config.backoff {
            explain(self.explain, out, || Rule::Preempted { node, slot, ballot, promised, wait_ticks: 0 });
            self.retry(out);
            return;
        }
        p.attempts += 1;
        let timing = self.config.timing;
        let limit =
            timing.backoff_ticks_base.saturating_mul(1 << (p.attempts - 1).min(16)).min(timing.backoff_ticks_max);
        let wait = 1 + self.rng.below(u64::from(limit)) as u32;
        explain(self.explain, out, || Rule::Preempted { node, slot, ballot, promised, wait_ticks: wait });
        p.phase = Phase::BackingOff { ticks: wait };
        p.ticks = 0;
    }

    /// Runs the current proposal again with a higher round (after a back-off or a timeout).
    fn retry(&mut self, out: &mut Out) {
        match self.proposal.take() {
            Some(p) if !self.durable.decided.contains(p.slot) => self.start_proposal(p.own, p.attempts, out),
            _ => self.maybe_propose(out),
        }
    }

    // ---------------------------------------------------------------- learner

    /// A vote. A majority of distinct acceptors voting for the same round chooses its value.
    fn on_accepted(&mut self, from: NodeId, m: Accepted, out: &mut Out) {
        let Accepted { slot, ballot, value } = m;
        if self.durable.decided.contains(slot) {
            return;
        }
        let tally = self.votes.entry(slot).or_default().entry(ballot).or_insert(Tally {
            value,
            voters: NodeSet::EMPTY,
            counted: 0,
        });
        if tally.voters.insert(from) || self.config.bugs.has(Bug::DoubleCountVote) {
            tally.counted += 1;
        }
        if tally.counted >= self.config.quorum() {
            let value = tally.value.clone();
            let (node, votes, quorum) = (self.id, tally.counted, self.config.quorum());
            explain(self.explain, out, || Rule::chosen(node, (slot, ballot), &value, votes, quorum));
            self.decide(slot, value, out);
        }
    }

    fn decide(&mut self, slot: Slot, value: Value, out: &mut Out) {
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
        let repairs = !self.config.bugs.has(Bug::SkipHoleFilling);
        let decided = &self.durable.decided;
        let (hole, first) = (decided.end() > decided.prefix(), decided.prefix());
        self.hole_ticks = if hole { self.hole_ticks + 1 } else { 0 };
        if repairs && self.hole_ticks == 1 {
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
                    // No answer in time (lost messages, a crashed acceptor): try a higher round.
                    Phase::Preparing { .. } | Phase::Accepting => p.ticks >= resend_ticks,
                };
                if due {
                    if !matches!(p.phase, Phase::BackingOff { .. }) {
                        let (node, slot, ballot, ticks) = (self.id, p.slot, p.ballot, p.ticks);
                        explain(self.explain, out, || Rule::NoAnswer { node, slot, ballot, ticks });
                    }
                    self.retry(out);
                }
            }
            None if repairs && self.hole_ticks > resend_ticks && self.config.proposers.contains(self.id) => {
                // Still a hole: run the first undecided slot with a no-op; phase 1 will find the
                // value that may have been chosen there.
                let (node, slot, ticks) = (self.id, self.durable.decided.prefix(), self.hole_ticks);
                explain(self.explain, out, || Rule::RepairHole { node, slot, ticks });
                self.start_proposal(Value::Noop, 0, out);
            }
            None => {}
        }
    }

    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.max_round = self.max_round.max(durable.round);
        self.machine = Machine::new(durable.checkpoint.as_ref(), &self.config);
        self.durable = durable;
        self.apply_decided(out);
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        for promise in core::mem::take(&mut self.unwritten) {
            out.push(Output::Persist(promise));
        }
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }

    fn send(&mut self, to: NodeId, msg: Message, out: &mut Out) {
        self.loopback.send(self.id, to, msg, out);
    }
}
