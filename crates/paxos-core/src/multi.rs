//! Multi-Paxos: a replicated log with a stable leader.
//!
//! Every node is a proposer, an acceptor and a learner. One of them leads.
//!
//! **Election (phase 1 for all slots at once).** A node that hears no leader for a randomized
//! election timeout (or that gets a client request when it knows of no leader) becomes a *candidate*:
//! it picks a ballot `(round, node)` above every round it has seen and sends `Prepare(ballot,
//! first_open)` to the others, where `first_open` is its first undecided slot. Each acceptor that has
//! promised nothing higher promises the ballot, and reports, for every slot from `first_open` on,
//! what it accepted (`vrnd`, `v`) or what it knows was decided. With promises from a majority
//! (its own added last, so a failed bid leaves no promise behind on itself) the candidate becomes
//! *leader* and, for every slot up to the highest reported, proposes the value with the highest
//! `vrnd` (Paxos Made Simple, P2c) — or a no-op where nobody reported anything, filling the hole.
//!
//! ```text
//!  candidate            acceptors               (first command after an election: 4 delays)
//!     │── Prepare(b, s) ──▶│
//!     │◀── Promise(b, {slot: (vrnd, v)}) ──│
//!     │── Accept(b, slot, v) ─▶│
//!     │◀── Accepted(b, slot, v) ──│   majority ⇒ chosen
//! ```
//!
//! **Steady state (phase 2 only).** The leader skips phase 1: a client command goes into the next
//! free slot as `Accept(ballot, slot, value)`, and once a majority answer `Accepted` the slot is
//! chosen — two message delays from leader to decision (the seeds' second diagram). Up to
//! [`Config::window`] slots may be in flight at once, and commands that arrive while the window is full
//! are batched into the next slot. Each `Accept` and `Heartbeat` carries the leader's commit point;
//! a follower that accepted slot `s` at the leader's own ballot learns `s` is decided from it (a leader
//! proposes one value per slot per ballot, and only counts its own ballot's votes, so that value is
//! the chosen one). Anything else a follower is missing, the leader sends it as `Catchup` when the
//! follower's `HeartbeatOk` shows it lagging.
//!
//! **Failures.** The leader sends heartbeats; a follower whose leader falls silent runs for
//! leadership as above, and a candidate whose bid fails waits a randomized, exponentially growing
//! back-off before trying again. A node that has heard a live leader within
//! [`Timing::election_ticks_min`](crate::Timing) answers anyone else's `Prepare` with `LeaderAlive`
//! instead of a promise (seed 000: "the others answer that the leader is still alive"); a candidate
//! that can no longer gather a majority that way gives up and follows that leader again. Seeing a
//! higher ballot — a `Nack`, or an `Accept` or `Heartbeat` from a newer leader — demotes a leader or
//! candidate (preemption). A leader that has not heard from a majority for an election timeout steps
//! down, so a cut-off leader cannot keep followers loyal. A non-leader forwards client requests to
//! the leader it knows, or redirects the client.
//!
//! **Reads.** A `get` is a command like any other: it goes through the log, and the leader answers it
//! only after applying it in slot order. Whatever a read returns was therefore the store's state at a
//! point between the request and the reply, which makes reads linearizable without leases or clocks.
//!
//! **Durability.** A promise, an accepted value and a decided value are each written (and, by the
//! driver's contract, made durable) before the message that announces them leaves. Every 64 slots a
//! replica also writes a checkpoint of its store and compacts its log up to it; a restarted replica
//! recovers from its checkpoint and replays only the tail of its log. A follower that lags behind the
//! leader's compacted log is sent the leader's checkpoint (`Snapshot`) instead of the values.

use alloc::collections::VecDeque;

use crate::vec_map::VecMap;
use alloc::vec::Vec;

use crate::config::{Bug, Config};
use crate::explain::{Rule, ValueId, count, explain};
use crate::log::DecidedLog;
use crate::machine::{Checkpoint, Machine};
use crate::rng::Prng;
use crate::slots::SlotMap;
use crate::types::{Ballot, Command, NodeId, NodeSet, Op, Outcome, Reply, Slot, Value};
use crate::{Input, Loopback, Output, Role, SlotView, View};

/// How many decided values one `Catchup` message carries at most.
pub const CATCHUP_VALUES_MAX: usize = 256;

mod message;
pub use message::{
    Accept, Accepted, Catchup, Heartbeat, HeartbeatOk, LeaderAlive, Message, Nack, Prepare, Promise, Snapshot,
};

/// One slot in a `Promise`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Report {
    /// The acceptor accepted `value` in `slot` at `ballot` (`vrnd`, `v`).
    Accepted {
        /// The slot.
        slot: Slot,
        /// `vrnd`.
        ballot: Ballot,
        /// `v`.
        value: Value,
    },
    /// The acceptor knows `slot` was decided with `value`.
    Decided {
        /// The slot.
        slot: Slot,
        /// The decided value.
        value: Value,
    },
}

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// The acceptor promised `ballot` (`last_rnd`).
    Promise(Ballot),
    /// The acceptor accepted `value` in `slot` at `ballot`.
    Accept {
        /// The slot.
        slot: Slot,
        /// `vrnd`.
        ballot: Ballot,
        /// `v`.
        value: Value,
    },
    /// The learner learned that `slot` holds `value`.
    Decide {
        /// The slot.
        slot: Slot,
        /// The decided value.
        value: Value,
    },
    /// The store after applying a prefix of the log, so a restart need not replay all of it.
    Checkpoint(Checkpoint),
}

/// What a replica keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// The highest ballot promised (`last_rnd`), for all slots.
    pub promised: Ballot,
    /// Accepted `(vrnd, v)` for slots not known to be decided.
    pub accepted: SlotMap<(Ballot, Value)>,
    /// Decided values.
    pub decided: DecidedLog,
    /// The latest checkpoint of the store.
    pub checkpoint: Option<Checkpoint>,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match write {
            Write::Promise(ballot) => self.promised = *ballot,
            Write::Accept { slot, ballot, value } => {
                self.accepted.insert(*slot, (*ballot, value.clone()));
            }
            Write::Decide { slot, value } => {
                // Once a slot is decided its accepted value is no longer needed: a Promise reports
                // the decided value instead, which says more.
                self.decided.insert(*slot, value.clone());
                self.accepted.remove(*slot);
            }
            Write::Checkpoint(checkpoint) => {
                self.decided.compact(checkpoint.applied);
                self.accepted.remove_below(checkpoint.applied);
                self.checkpoint = Some(checkpoint.clone());
            }
        }
    }
}

type Out = Vec<Output<Message, Write>>;

/// What a candidate has gathered in phase 1.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Candidacy {
    ballot: Ballot,
    promises: NodeSet,
    /// Per slot: the decided value, or the accepted value with the highest `vrnd` reported so far.
    found: VecMap<Slot, Found>,
    /// Nodes that answered "the leader is alive".
    refusals: NodeSet,
    /// Whether the candidate has sent its own acceptor the `Prepare` (done last; see module docs).
    asked_self: bool,
    ticks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Found {
    Decided(Value),
    Accepted(Ballot, Value),
}

/// A leader's state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Leadership {
    ballot: Ballot,
    /// The next slot to propose in.
    next_slot: Slot,
    /// Slots proposed and not yet chosen.
    proposals: SlotMap<Proposal>,
    /// Nodes heard from since the last quorum check.
    heard: NodeSet,
    quorum_ticks: u32,
    heartbeat_ticks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Proposal {
    value: Value,
    votes: NodeSet,
    /// Votes counted (only differs from `votes.len()` with `Bug::DoubleCountVote`).
    counted: usize,
    ticks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Follower,
    Candidate(Candidacy),
    Leader(Leadership),
}

/// A Multi-Paxos replica: proposer, acceptor and learner in one.
///
/// `Eq` and `Hash` let a model checker tell states apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Replica {
    id: NodeId,
    config: Config,
    rng: Prng,
    /// Acceptor and learner state; every change goes through `persist`, which mirrors it on disk.
    durable: Durable,
    /// The store, and the clients waiting here for answers.
    machine: Machine,
    phase: Phase,
    /// The leader this node follows, if any.
    leader: Option<NodeId>,
    /// Ticks since this node last heard from a leader (or promised a candidate).
    quiet_ticks: u32,
    election_timeout: u32,
    /// Failed bids in a row, for the exponential back-off.
    attempts: u32,
    /// The highest round seen in any ballot.
    max_round: u32,
    /// Client commands waiting for a slot (while candidate or leader).
    queue: VecDeque<Command>,
    /// Messages to itself, handled before the step returns.
    loopback: Loopback<Message>,
    /// `Bug::PromiseBeforePersist`: a promise announced but not yet written.
    unwritten: Option<Write>,
    /// Whether to report the rule behind each decision ([`Output::Explain`]).
    explain: bool,
}

impl crate::Protocol for Replica {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, seed: u64) -> Replica {
        assert!(config.contains(id), "node {id} is not in a cluster of {}", config.nodes);
        let mut replica = Replica {
            id,
            config,
            rng: Prng::new(seed),
            durable: Durable::default(),
            machine: Machine::new(None, &config),
            phase: Phase::Follower,
            leader: None,
            // A fresh node has heard from nobody: a client request may start an election at once.
            quiet_ticks: config.timing.election_ticks_min,
            election_timeout: 0,
            attempts: 0,
            max_round: 0,
            queue: VecDeque::new(),
            loopback: Loopback::new(),
            unwritten: None,
            explain: false,
        };
        replica.election_timeout = replica.randomized_timeout();
        replica
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Out) {
        match input {
            Input::Tick => self.on_tick(out),
            Input::Timeout => {
                self.step_down(out);
                self.start_election(out);
            }
            Input::Message { from, msg } => self.on_message(from, msg, out),
            Input::Request(command) => self.on_request(command, false, out),
            Input::Recover(durable) => self.recover(durable, out),
        }
        while let Some(msg) = self.loopback.pop() {
            self.on_message(self.id, msg, out);
        }
    }

    fn set_explain(&mut self, on: bool) {
        self.explain = on;
    }

    fn view(&self) -> View<'_> {
        let (role, ballot) = match &self.phase {
            Phase::Follower => (Role::Follower, Ballot::ZERO),
            Phase::Candidate(c) => (Role::Candidate, c.ballot),
            Phase::Leader(l) => (Role::Leader, l.ballot),
        };
        View {
            id: self.id,
            role,
            leader: self.leader,
            ballot,
            promised: self.durable.promised,
            decided: &self.durable.decided,
            store: self.machine.store(),
            applied: self.machine.applied(),
        }
    }

    fn acceptor_slots(&self) -> Vec<SlotView> {
        let promised = self.durable.promised;
        self.durable
            .accepted
            .iter()
            .map(|(slot, (ballot, value))| SlotView { slot, promised, accepted: Some((*ballot, value.clone())) })
            .collect()
    }
}

impl Replica {
    /// Dispatches a message to the handler of the role that receives it.
    fn on_message(&mut self, from: NodeId, msg: Message, out: &mut Out) {
        self.max_round = self.max_round.max(msg.ballot().round);
        match msg {
            // Acceptor.
            Message::Prepare(m) => self.on_prepare(from, m, out),
            Message::Accept(m) => self.on_accept(from, m, out),
            // Follower (acceptor and learner).
            Message::Heartbeat(m) => self.on_heartbeat(from, m, out),
            Message::Catchup(m) => self.on_catchup(from, m, out),
            Message::Snapshot(m) => self.on_snapshot(from, m, out),
            // Candidate.
            Message::Promise(m) => self.on_promise(from, m, out),
            Message::LeaderAlive(m) => self.on_leader_alive(from, m, out),
            // Leader.
            Message::Accepted(m) => self.on_accepted(from, m, out),
            Message::HeartbeatOk(m) => self.on_heartbeat_ok(from, m, out),
            Message::Forward(command) => self.on_request(command, true, out),
            // Candidate or leader.
            Message::Nack(m) => self.on_nack(m, out),
        }
    }

    // ---------------------------------------------------------------- acceptor

    /// Phase 1b. Promise `ballot` unless a higher one was promised (P1a), or a live leader is heard.
    fn on_prepare(&mut self, from: NodeId, m: Prepare, out: &mut Out) {
        let Prepare { ballot, first_open } = m;
        let node = self.id;
        if from != self.id && self.hears_leader() && self.leader != Some(ballot.node) {
            let leader = self.leader.unwrap_or(self.id);
            explain(self.explain, out, || Rule::LeaderAlive { node, to: from, ballot, leader });
            self.send(from, Message::LeaderAlive(LeaderAlive { ballot, leader }), out);
            return;
        }
        // `>=`: a repeated Prepare for the ballot already promised comes from the same proposer
        // (ballots are unique), so answering it again promises nothing new.
        if ballot < self.durable.promised {
            let promised = self.durable.promised;
            explain(self.explain, out, || Rule::PrepareRefused { node, to: from, slot: first_open, ballot, promised });
            self.send(from, Message::Nack(Nack { ballot, promised }), out);
            return;
        }
        if ballot > self.durable.promised {
            self.promise(ballot, out);
            if from != self.id {
                // Give the candidate a full timeout to finish before suspecting it.
                self.leader = None;
                self.quiet_ticks = 0;
            }
        }
        // The accepted values and the decided slots from `first_open` on, merged in slot order (in
        // a slot with both, the accepted value first).
        let mut reports: Vec<Report> = Vec::new();
        let mut accepted = self.durable.accepted.from(first_open).peekable();
        let mut decided = self.durable.decided.decided_from(first_open).peekable();
        loop {
            let accepted_first = match (accepted.peek(), decided.peek()) {
                (Some(&(a, _)), Some(&(d, _))) => a <= d,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            reports.push(if accepted_first {
                let (slot, (vrnd, v)) = accepted.next().expect("peeked");
                Report::Accepted { slot, ballot: *vrnd, value: v.clone() }
            } else {
                let (slot, v) = decided.next().expect("peeked");
                Report::Decided { slot, value: v.clone() }
            });
        }
        drop((accepted, decided));
        let log = &self.durable.decided;
        let snapshot = (first_open < log.base()).then(|| self.durable.checkpoint.clone()).flatten();
        let reported = reports.len() as u32;
        explain(self.explain, out, || Rule::PromisedSlots { node, to: from, ballot, first_open, reports: reported });
        self.send(from, Message::Promise(Promise { ballot, first_open, reports, snapshot }), out);
    }

    /// Phase 2b. Accept unless a higher ballot was promised (P1a); accepting promises the ballot too.
    fn on_accept(&mut self, from: NodeId, m: Accept, out: &mut Out) {
        let Accept { ballot, slot, value, commit } = m;
        let (node, promised) = (self.id, self.durable.promised);
        if ballot < promised && !self.config.bugs.has(Bug::AcceptBelowPromise) {
            explain(self.explain, out, || Rule::AcceptRefused { node, to: from, slot, ballot, promised });
            self.send(from, Message::Nack(Nack { ballot, promised }), out);
            return;
        }
        explain(self.explain, out, || Rule::Accepted { node, slot, ballot, value: ValueId::of(&value) });
        if ballot > self.durable.promised {
            self.promise(ballot, out);
        }
        self.follow(ballot, out);
        // A decided slot needs no accepted value on disk; the vote is still true (a leader only
        // proposes the chosen value in a chosen slot), so answer it.
        if !self.durable.decided.contains(slot) {
            self.persist(Write::Accept { slot, ballot, value: value.clone() }, out);
        }
        self.send(from, Message::Accepted(Accepted { ballot, slot, value }), out);
        self.learn_commit(ballot, commit, out);
    }

    fn on_heartbeat(&mut self, from: NodeId, m: Heartbeat, out: &mut Out) {
        let Heartbeat { ballot, commit } = m;
        if ballot < self.durable.promised {
            self.send(from, Message::Nack(Nack { ballot, promised: self.durable.promised }), out);
            return;
        }
        if ballot > self.durable.promised {
            self.promise(ballot, out);
        }
        self.follow(ballot, out);
        self.learn_commit(ballot, commit, out);
        let prefix = self.durable.decided.prefix();
        self.send(from, Message::HeartbeatOk(HeartbeatOk { ballot, prefix, commit }), out);
    }

    /// Decided values from the leader, for a follower that lags behind.
    fn on_catchup(&mut self, from: NodeId, m: Catchup, out: &mut Out) {
        for (slot, value) in (m.first..).zip(m.values) {
            self.decide(slot, value, out);
        }
        self.ask_for_more(from, m.ballot, m.commit, out);
    }

    /// The leader's checkpoint, for a follower lagging behind its compacted log.
    fn on_snapshot(&mut self, from: NodeId, m: Snapshot, out: &mut Out) {
        self.install(&m.checkpoint, out);
        self.ask_for_more(from, m.ballot, m.commit, out);
    }

    /// After a `Catchup` or `Snapshot` (decided values are final whoever sends them, so neither needs
    /// a ballot check): asks for the rest if this node still lacks slots below the leader's `commit`.
    /// Each exchange ends once the follower has caught up to the commit it was told.
    fn ask_for_more(&mut self, leader: NodeId, ballot: Ballot, commit: Slot, out: &mut Out) {
        let prefix = self.durable.decided.prefix();
        if prefix < commit {
            self.send(leader, Message::HeartbeatOk(HeartbeatOk { ballot, prefix, commit }), out);
        }
    }

    /// Learns the slots below the leader's `commit` that this node accepted at the leader's ballot.
    fn learn_commit(&mut self, ballot: Ballot, commit: Slot, out: &mut Out) {
        let prefix = self.durable.decided.prefix();
        if commit <= prefix {
            return;
        }
        let learned: Vec<(Slot, Value)> = self
            .durable
            .accepted
            .from(prefix)
            .take_while(|(slot, _)| *slot < commit)
            .filter(|(_, (vrnd, _))| *vrnd == ballot)
            .map(|(slot, (_, value))| (slot, value.clone()))
            .collect();
        for (slot, value) in learned {
            self.decide(slot, value, out);
        }
    }

    fn promise(&mut self, ballot: Ballot, out: &mut Out) {
        let write = Write::Promise(ballot);
        if self.config.bugs.has(Bug::PromiseBeforePersist) {
            crate::Durable::apply(&mut self.durable, &write);
            self.unwritten = Some(write);
        } else {
            self.persist(write, out);
        }
    }

    // ---------------------------------------------------------------- candidate

    /// Runs for leader with a fresh ballot, which it returns.
    fn start_election(&mut self, out: &mut Out) -> Ballot {
        self.attempts = self.attempts.saturating_add(1);
        self.max_round += 1;
        let node = if self.config.bugs.has(Bug::SameBallot) { 0 } else { self.id };
        let ballot = Ballot::new(self.max_round, node);
        self.leader = None;
        self.quiet_ticks = 0;
        self.election_timeout = self.randomized_timeout();
        self.phase = Phase::Candidate(Candidacy {
            ballot,
            promises: NodeSet::EMPTY,
            found: VecMap::new(),
            refusals: NodeSet::EMPTY,
            asked_self: false,
            ticks: 0,
        });
        let first_open = self.durable.decided.prefix();
        for to in self.config.others(self.id).iter() {
            self.send(to, Message::Prepare(Prepare { ballot, first_open }), out);
        }
        self.ask_self_when_ready(out);
        ballot
    }

    /// The candidate's own promise is asked for last, once the others' promises would make a
    /// majority with it: a bid that the others refuse leaves no promise on the candidate that would
    /// make it refuse the live leader.
    fn ask_self_when_ready(&mut self, out: &mut Out) {
        let quorum = self.config.quorum();
        let first_open = self.durable.decided.prefix();
        let Phase::Candidate(c) = &mut self.phase else { return };
        if !c.asked_self && c.promises.len() + 1 >= quorum {
            c.asked_self = true;
            let ballot = c.ballot;
            self.send(self.id, Message::Prepare(Prepare { ballot, first_open }), out);
        }
    }

    fn on_promise(&mut self, from: NodeId, m: Promise, out: &mut Out) {
        let Promise { ballot, reports, snapshot, .. } = m;
        if let Some(checkpoint) = snapshot {
            self.install(&checkpoint, out);
        }
        let bugs = self.config.bugs;
        let Phase::Candidate(c) = &mut self.phase else { return };
        if c.ballot != ballot || !c.promises.insert(from) {
            return;
        }
        for report in reports {
            match report {
                Report::Decided { slot, value } => {
                    c.found.insert(slot, Found::Decided(value));
                }
                Report::Accepted { slot, ballot: vrnd, value } => {
                    if bugs.has(Bug::IgnorePromisedValues) {
                        continue;
                    }
                    // P2c: keep the value with the highest vrnd; a decided value beats any.
                    let keep = match c.found.get(&slot) {
                        None => true,
                        Some(Found::Decided(_)) => false,
                        Some(Found::Accepted(seen, _)) => vrnd > *seen && !bugs.has(Bug::FirstReportedValue),
                    };
                    if keep {
                        c.found.insert(slot, Found::Accepted(vrnd, value));
                    }
                }
            }
        }
        if c.promises.len() >= self.config.quorum() {
            let (node, ballot, promises, quorum) =
                (self.id, c.ballot, count(c.promises.len()), count(self.config.quorum()));
            explain(self.explain, out, || Rule::Elected { node, ballot, promises, quorum });
            self.become_leader(out);
        } else {
            self.ask_self_when_ready(out);
        }
    }

    /// Someone still hears a leader. Once so many say so that the others (and this node) can no longer
    /// make a majority, the bid is abandoned and the node follows that leader again.
    fn on_leader_alive(&mut self, from: NodeId, m: LeaderAlive, out: &mut Out) {
        let LeaderAlive { ballot, leader } = m;
        let (nodes, quorum) = (self.config.nodes as usize, self.config.quorum());
        let Phase::Candidate(c) = &mut self.phase else { return };
        if c.ballot != ballot {
            return;
        }
        c.refusals.insert(from);
        if nodes - c.refusals.len() >= quorum {
            return;
        }
        let (node, ballot, refusals) = (self.id, c.ballot, count(c.refusals.len()));
        explain(self.explain, out, || Rule::GaveUp { node, ballot, leader, refusals });
        self.leader = (leader != self.id).then_some(leader);
        self.step_down(out);
        self.quiet_ticks = 0;
    }

    /// Phase 1 succeeded: learn what was decided, re-propose what may have been chosen, fill holes.
    fn become_leader(&mut self, out: &mut Out) {
        let Phase::Candidate(c) = core::mem::replace(&mut self.phase, Phase::Follower) else { return };
        let reported_end = c.found.keys().next_back().map_or(0, |&slot| slot + 1);
        let mut reproposals = Vec::new();
        for (slot, found) in c.found {
            match found {
                Found::Decided(value) => self.decide(slot, value, out),
                Found::Accepted(vrnd, value) => reproposals.push((slot, vrnd, value)),
            }
        }
        let first_open = self.durable.decided.prefix();
        let next_slot = reported_end.max(self.durable.decided.end()).max(first_open);
        self.phase = Phase::Leader(Leadership {
            ballot: c.ballot,
            next_slot,
            proposals: SlotMap::default(),
            heard: NodeSet::EMPTY,
            quorum_ticks: 0,
            heartbeat_ticks: 0,
        });
        self.leader = Some(self.id);
        self.attempts = 0;
        self.broadcast_heartbeat(out);
        let mut reproposals = reproposals.into_iter().peekable();
        for slot in first_open..next_slot {
            if self.durable.decided.contains(slot) {
                continue;
            }
            while reproposals.next_if(|(s, _, _)| *s < slot).is_some() {}
            let (node, ballot) = (self.id, c.ballot);
            let value = match reproposals.next_if(|(s, _, _)| *s == slot) {
                Some((_, vrnd, value)) => {
                    explain(self.explain, out, || Rule::Repropose {
                        node,
                        slot,
                        ballot,
                        vrnd,
                        value: ValueId::of(&value),
                    });
                    value
                }
                None if self.config.bugs.has(Bug::SkipHoleFilling) => continue,
                None => {
                    explain(self.explain, out, || Rule::FillHole { node, slot, ballot });
                    Value::Noop
                }
            };
            self.propose(slot, value, out);
        }
        self.propose_queued(out);
    }

    // ---------------------------------------------------------------- leader

    fn propose(&mut self, slot: Slot, value: Value, out: &mut Out) {
        let commit = self.durable.decided.prefix();
        let Phase::Leader(l) = &mut self.phase else { return };
        let ballot = l.ballot;
        l.proposals.insert(slot, Proposal { value: value.clone(), votes: NodeSet::EMPTY, counted: 0, ticks: 0 });
        if self.config.bugs.has(Bug::ReplyBeforeChosen) {
            let mut speculative = self.machine.store().clone();
            for (command, outcome) in speculative.apply_value(&value) {
                self.machine.answer(command, outcome, out);
            }
        }
        for to in self.config.all().iter() {
            self.send(to, Message::Accept(Accept { ballot, slot, value: value.clone(), commit }), out);
        }
    }

    /// Puts queued commands into new slots while the window has room (batching under load).
    fn propose_queued(&mut self, out: &mut Out) {
        loop {
            let Phase::Leader(l) = &mut self.phase else { return };
            if self.queue.is_empty() || l.proposals.len() >= self.config.window as usize {
                return;
            }
            let take = self.queue.len().min(self.config.batch_max as usize);
            let value = Value::batch(self.queue.drain(..take));
            let (slot, node, ballot) = (l.next_slot, self.id, l.ballot);
            l.next_slot += 1;
            explain(self.explain, out, || Rule::SkipPhase1 { node, slot, ballot, value: ValueId::of(&value) });
            self.propose(slot, value, out);
        }
    }

    /// A vote for one of this leader's proposals; a majority of distinct voters chooses the value.
    fn on_accepted(&mut self, from: NodeId, m: Accepted, out: &mut Out) {
        let Accepted { ballot, slot, .. } = m;
        let quorum = self.config.quorum();
        let double_count = self.config.bugs.has(Bug::DoubleCountVote);
        let Phase::Leader(l) = &mut self.phase else { return };
        if l.ballot != ballot {
            return;
        }
        l.heard.insert(from);
        let Some(proposal) = l.proposals.get_mut(slot) else { return };
        if proposal.votes.insert(from) || double_count {
            proposal.counted += 1;
        }
        if proposal.counted >= quorum {
            let value = proposal.value.clone();
            let (node, votes) = (self.id, proposal.counted);
            explain(self.explain, out, || Rule::chosen(node, (slot, ballot), &value, votes, quorum));
            self.decide(slot, value, out);
            self.propose_queued(out);
        }
    }

    /// A follower's answer. If it lacks slots below the commit point it was told (it was down or cut
    /// off; a follower merely a slot behind learns from the next Accept), send them: the values, or
    /// the checkpoint if they were compacted away.
    fn on_heartbeat_ok(&mut self, from: NodeId, m: HeartbeatOk, out: &mut Out) {
        let HeartbeatOk { ballot, prefix, commit: told } = m;
        let Phase::Leader(l) = &mut self.phase else { return };
        if l.ballot != ballot {
            return;
        }
        l.heard.insert(from);
        if prefix >= told {
            return;
        }
        let (commit, node) = (self.durable.decided.prefix(), self.id);
        if prefix < self.durable.decided.base()
            && let Some(checkpoint) = self.durable.checkpoint.clone()
        {
            explain(self.explain, out, || Rule::CatchUp { node, to: from, prefix, commit, snapshot: true });
            self.send(from, Message::Snapshot(Snapshot { ballot, checkpoint, commit }), out);
            return;
        }
        let end = commit.min(prefix.saturating_add(self.config.entries_max(CATCHUP_VALUES_MAX) as Slot));
        let values = (prefix..end).filter_map(|slot| self.durable.decided.get(slot).cloned()).collect();
        explain(self.explain, out, || Rule::CatchUp { node, to: from, prefix, commit, snapshot: false });
        self.send(from, Message::Catchup(Catchup { ballot, first: prefix, values, commit }), out);
    }

    fn broadcast_heartbeat(&mut self, out: &mut Out) {
        let Phase::Leader(l) = &self.phase else { return };
        let (ballot, commit) = (l.ballot, self.durable.decided.prefix());
        for to in self.config.others(self.id).iter() {
            self.send(to, Message::Heartbeat(Heartbeat { ballot, commit }), out);
        }
    }

    // ---------------------------------------------------------------- candidate or leader

    /// Someone promised a higher ballot than ours: preempted.
    fn on_nack(&mut self, m: Nack, out: &mut Out) {
        let Nack { ballot, promised } = m;
        let ours = match &self.phase {
            Phase::Candidate(c) => c.ballot,
            Phase::Leader(l) => l.ballot,
            Phase::Follower => return,
        };
        if ours == ballot && promised > ours {
            let node = self.id;
            explain(self.explain, out, || Rule::SteppedDown { node, ours, seen: promised });
            self.step_down(out);
        }
    }

    /// Accepts `ballot`'s owner as leader, unless this node leads or runs with a higher ballot.
    fn follow(&mut self, ballot: Ballot, out: &mut Out) {
        let ours = match &self.phase {
            Phase::Candidate(c) => Some(c.ballot),
            Phase::Leader(l) => Some(l.ballot),
            Phase::Follower => None,
        };
        if ours.is_some_and(|ours| ours >= ballot) {
            return;
        }
        if let Some(ours) = ours {
            let node = self.id;
            explain(self.explain, out, || Rule::SteppedDown { node, ours, seen: ballot });
        }
        // A ballot of this node's own that it no longer leads is from before a crash: no leader.
        self.leader = (ballot.node != self.id).then_some(ballot.node);
        self.step_down(out);
        self.quiet_ticks = 0;
        self.attempts = 0;
    }

    /// Back to follower; clients waiting here are told to go elsewhere.
    fn step_down(&mut self, out: &mut Out) {
        if matches!(self.phase, Phase::Follower) {
            return;
        }
        self.phase = Phase::Follower;
        if self.leader == Some(self.id) {
            self.leader = None;
        }
        self.election_timeout = self.randomized_timeout();
        self.queue.clear();
        self.machine.redirect_all(self.leader, out);
    }

    // ---------------------------------------------------------------- learner

    /// Records that `slot` holds `value` and applies whatever became contiguous.
    fn decide(&mut self, slot: Slot, value: Value, out: &mut Out) {
        if self.durable.decided.contains(slot) {
            return;
        }
        if let Phase::Leader(l) = &mut self.phase {
            l.proposals.remove(slot);
        }
        self.persist(Write::Decide { slot, value: value.clone() }, out);
        out.push(Output::Decided { slot, value });
        self.apply_decided(out);
    }

    /// Adopts another replica's checkpoint if it covers more than this one has decided: the slots it
    /// covers are decided (their effect is in its store), whatever this replica accepted there.
    fn install(&mut self, checkpoint: &Checkpoint, out: &mut Out) {
        if checkpoint.applied > self.durable.decided.prefix() {
            if let Phase::Leader(l) = &mut self.phase {
                l.proposals.remove_below(checkpoint.applied);
            }
            self.persist(Write::Checkpoint(checkpoint.clone()), out);
            self.machine.install(checkpoint);
            self.apply_decided(out);
        }
    }

    /// Applies what became contiguous, answering the clients waiting here; checkpoints when due.
    fn apply_decided(&mut self, out: &mut Out) {
        if let Some(checkpoint) = self.machine.apply(&self.durable.decided, out) {
            self.persist(Write::Checkpoint(checkpoint), out);
        }
    }

    // ---------------------------------------------------------------- clients

    fn on_request(&mut self, command: Command, forwarded: bool, out: &mut Out) {
        if let Some(outcome) = self.machine.recall(&command) {
            out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
            return;
        }
        match &self.phase {
            Phase::Leader(_) => {
                if let (true, Op::Get(key)) = (self.config.bugs.has(Bug::LocalReads), command.op) {
                    let outcome = Outcome::Value(self.machine.store().get(key));
                    out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
                    return;
                }
                self.enqueue(command);
                self.propose_queued(out);
            }
            Phase::Candidate(_) => self.enqueue(command),
            Phase::Follower => match self.leader {
                Some(leader) if leader != self.id && !forwarded => self.send(leader, Message::Forward(command), out),
                None if !forwarded && self.quiet_ticks >= self.config.timing.election_ticks_min => {
                    // No leader anywhere in sight: run phase 1 now and serve the request as leader.
                    self.start_election(out);
                    self.enqueue(command);
                }
                hint => {
                    let outcome = Outcome::NotLeader { hint };
                    out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
                }
            },
        }
    }

    fn enqueue(&mut self, command: Command) {
        if self.machine.wait_for(&command) {
            self.queue.push_back(command);
        }
    }

    // ---------------------------------------------------------------- time

    fn on_tick(&mut self, out: &mut Out) {
        self.quiet_ticks = self.quiet_ticks.saturating_add(1);
        match self.phase {
            Phase::Follower => {
                if self.quiet_ticks >= self.election_timeout {
                    let ticks = self.quiet_ticks;
                    let ballot = self.start_election(out);
                    let node = self.id;
                    explain(self.explain, out, || Rule::ElectionTimeout { node, ticks, ballot });
                }
            }
            Phase::Candidate(_) => self.candidate_tick(out),
            Phase::Leader(_) => self.leader_tick(out),
        }
    }

    /// A candidate asks again those that have not answered, and starts over when its time is up.
    fn candidate_tick(&mut self, out: &mut Out) {
        let Phase::Candidate(c) = &mut self.phase else { return };
        c.ticks += 1;
        if c.ticks >= self.election_timeout {
            let ticks = c.ticks;
            let ballot = self.start_election(out);
            let node = self.id;
            explain(self.explain, out, || Rule::ElectionTimeout { node, ticks, ballot });
        } else if c.ticks % self.config.timing.resend_ticks.max(1) == 0 {
            let (ballot, id) = (c.ballot, self.id);
            let silent = NodeSet::from_bits(self.config.all().bits() & !c.promises.bits());
            let first_open = self.durable.decided.prefix();
            for to in silent.iter().filter(|&n| n != id) {
                self.send(to, Message::Prepare(Prepare { ballot, first_open }), out);
            }
        }
    }

    /// A leader checks it still hears a majority, sends heartbeats, and resends unanswered accepts.
    fn leader_tick(&mut self, out: &mut Out) {
        let timing = self.config.timing;
        let quorum = self.config.quorum();
        let Phase::Leader(l) = &mut self.phase else { return };
        l.quorum_ticks += 1;
        if l.quorum_ticks >= timing.election_ticks_max {
            // Check quorum: a leader that hears no majority cannot commit; let the others elect one
            // instead of keeping them loyal with heartbeats.
            if l.heard.len() + 1 < quorum {
                let (node, ballot, heard, quorum) = (self.id, l.ballot, count(l.heard.len() + 1), count(quorum));
                explain(self.explain, out, || Rule::LostQuorum { node, ballot, heard, quorum });
                self.step_down(out);
                return;
            }
            l.heard = NodeSet::EMPTY;
            l.quorum_ticks = 0;
        }
        l.heartbeat_ticks += 1;
        let heartbeat = l.heartbeat_ticks >= timing.heartbeat_ticks;
        if heartbeat {
            l.heartbeat_ticks = 0;
        }
        let mut resend = Vec::new();
        for (slot, proposal) in l.proposals.iter_mut() {
            proposal.ticks += 1;
            if proposal.ticks >= timing.resend_ticks {
                proposal.ticks = 0;
                resend.push((slot, proposal.value.clone(), proposal.votes));
            }
        }
        let (ballot, commit) = (l.ballot, self.durable.decided.prefix());
        if heartbeat {
            self.broadcast_heartbeat(out);
        }
        for (slot, value, votes) in resend {
            for to in self.config.all().iter().filter(|&n| !votes.contains(n)) {
                self.send(to, Message::Accept(Accept { ballot, slot, value: value.clone(), commit }), out);
            }
        }
    }

    /// An election timeout drawn from the configured range, widened by the back-off after failures.
    fn randomized_timeout(&mut self) -> u32 {
        let timing = self.config.timing;
        let backoff = match self.attempts {
            0 => 0,
            n => timing.backoff_ticks_base.saturating_mul(1 << (n - 1).min(16)).min(timing.backoff_ticks_max),
        };
        timing.election_timeout(&mut self.rng, backoff)
    }

    // ---------------------------------------------------------------- plumbing

    /// Whether this node leads, or heard its leader within the minimum election timeout.
    fn hears_leader(&self) -> bool {
        match self.phase {
            Phase::Leader(_) => true,
            Phase::Candidate(_) => false,
            Phase::Follower => self.leader.is_some() && self.quiet_ticks < self.config.timing.election_ticks_min,
        }
    }

    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.max_round = self.max_round.max(durable.promised.round);
        self.machine = Machine::new(durable.checkpoint.as_ref(), &self.config);
        self.durable = durable;
        self.apply_decided(out);
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        if let Some(promise) = self.unwritten.take() {
            out.push(Output::Persist(promise));
        }
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }

    fn send(&mut self, to: NodeId, msg: Message, out: &mut Out) {
        self.loopback.send(self.id, to, msg, out);
    }
}
