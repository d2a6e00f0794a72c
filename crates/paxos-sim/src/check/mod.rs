//! The checkers: every invariant written once, in its own place, with where the literature states it.
//!
//! A [`Checker`] watches a run as it happens (it is an [`Observer`]) and records, for each
//! [`Invariant`], the first [`Violation`] with the id of the trace event where it showed — the
//! playground jumps there. Most invariants are checked on the fly; linearizability and liveness need
//! the whole history and are checked by [`Checker::finish`].
//!
//! | invariant | file | checked on |
//! |---|---|---|
//! | promised ballot never decreases | [`ballots`] | promises, every step |
//! | accepted ballot within the promise | [`ballots`] | votes |
//! | one value per (ballot, slot) | [`ballots`] | proposals |
//! | one leader per ballot, a restarted node counting as a new one | [`leaders`] | every step |
//! | Raft: term never decreases, one vote per term, even across a crash | [`terms`] | votes, every step |
//! | an acceptor keeps its votes across a crash | [`accepted`] | restarts |
//! | agreement: one value chosen per slot | [`choice`] | votes |
//! | only chosen values are decided | [`choice`] | decisions |
//! | validity: only proposed values chosen | [`choice`] | decisions |
//! | decided logs agree (prefix-consistent) | [`logs`] | decisions |
//! | decided logs only grow | [`logs`] | every step |
//! | store is the fold of the decided log | [`store`] | every step |
//! | exactly once: session tables survive restarts and checkpoints | [`sessions`] | applying, restarts |
//! | linearizable client history | [`linearizable`] | end of run |
//! | liveness after faults stop | [`liveness`] | end of run |
//! | available with a minority down | [`availability`] | end of run |

pub mod accepted;
pub mod availability;
pub mod ballots;
pub mod choice;
pub mod claims;
pub mod leaders;
pub mod linearizable;
pub mod liveness;
pub mod logs;
pub mod sessions;
pub mod store;
pub mod terms;

use core::fmt;
use std::marker::PhantomData;

use paxos_core::{Ballot, NodeId, Output, Outputs, Protocol, Slot, Value};

use crate::config::{ProtocolKind, SimConfig};
use crate::history::History;
use crate::trace::{Event, EventId, EventKind, Time};
use crate::world::{Observer, Simulated};

pub use claims::{Claim, WriteOf};

/// What the checkers need to know about a protocol. Each protocol's answer is in
/// `crate::protocols::<protocol>`; [`AnyNode`](crate::any::AnyNode)'s, which passes each question
/// to the protocol the run configures, in `crate::protocols::any`.
pub trait Checked: Simulated {
    /// The invariants a run of protocol `kind` keeps; the others are not checked for it (the
    /// playground shows them as not applicable). A teaching foil lists what it *should* keep, so
    /// that the checker catches it breaking them. (Only [`AnyNode`](crate::any::AnyNode) needs
    /// `kind`: each other type is one protocol.)
    fn invariants(kind: ProtocolKind) -> &'static [Invariant];

    /// What a message claims about promises, proposals and votes (Paxos-family protocols).
    fn message_claim(_msg: &Self::Message) -> Option<Claim<'_>> {
        None
    }

    /// What a durable write claims (Paxos-family protocols).
    fn write_claim(_write: &WriteOf<Self>) -> Option<Claim<'_>> {
        None
    }

    /// Whether `ballot` is a fast round of protocol `kind` (Fast Paxos), where several values may
    /// be proposed and a value is chosen only by a fast quorum.
    fn is_fast_round(_kind: ProtocolKind, _ballot: Ballot) -> bool {
        false
    }

    /// The protocol's own invariants, checked as the run goes.
    type Own: OwnChecks<Self>;
}

/// Checks that only one protocol has (Raft's five properties, say), fed like the shared ones.
pub trait OwnChecks<P: Protocol>: Clone + core::fmt::Debug {
    /// Checks for a run with this configuration.
    fn new(config: &SimConfig) -> Self;
    /// Event `id` was added to the trace.
    fn event(&mut self, _id: EventId, _event: &Event) -> Result<(), (Invariant, String)> {
        Ok(())
    }
    /// `node` sent `msg`.
    fn sent(&mut self, _node: NodeId, _msg: &P::Message) -> Result<(), (Invariant, String)> {
        Ok(())
    }
    /// `node` made `write` durable.
    fn persisted(&mut self, _node: NodeId, _write: &WriteOf<P>) -> Result<(), (Invariant, String)> {
        Ok(())
    }
    /// `node` learned that `slot` holds `value`.
    fn decided(&mut self, _node: NodeId, _slot: Slot, _value: &Value) -> Result<(), (Invariant, String)> {
        Ok(())
    }
    /// `node` finished a step.
    fn stepped(&mut self, _node: NodeId, _state: &P) -> Result<(), (Invariant, String)> {
        Ok(())
    }
}

/// For protocols with no checks of their own.
#[derive(Clone, Debug)]
pub struct NoOwnChecks;

impl<P: Protocol> OwnChecks<P> for NoOwnChecks {
    fn new(_config: &SimConfig) -> Self {
        NoOwnChecks
    }
}

/// A property every run must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Invariant {
    /// An acceptor's promise never goes down, even across a crash.
    PromiseMonotonic,
    /// An acceptor never accepts a ballot below one it promised.
    AcceptWithinPromise,
    /// All proposals in one (ballot, slot) carry the same value.
    OneValuePerBallot,
    /// At most one value is chosen in each slot.
    Agreement,
    /// A node learns only values that are chosen.
    DecidedIsChosen,
    /// Only values that clients proposed (or no-ops) are chosen.
    Validity,
    /// Nodes' decided logs agree slot by slot, so their applied prefixes are prefixes of one log.
    LogsAgree,
    /// A node's decided prefix never shrinks, even across a crash.
    LogsGrow,
    /// A node's store equals its decided log applied in slot order.
    StoreIsFold,
    /// The client history is linearizable.
    Linearizable,
    /// Once faults stop, every operation completes within a bound.
    Liveness,
    /// Fast Paxos: an acceptor votes at most once in a round.
    OneVotePerRound,
    /// Fast Paxos: a value is chosen in the fast round only by a fast quorum.
    FastQuorum,
    /// Fast Paxos: a classic round after a fast one proposes the value that may have been chosen.
    RecoveryPicksChosen,
    /// Raft: at most one leader per term.
    ElectionSafety,
    /// Raft: a leader never overwrites or deletes entries in its log, only appends.
    LeaderAppendOnly,
    /// Raft: two logs with an entry of the same index and term are identical up to it.
    LogMatching,
    /// Raft: a committed entry is in the log of every later term's leader.
    LeaderCompleteness,
    /// Raft: no two servers apply different commands at the same index.
    StateMachineSafety,
    /// With only a minority down and the network working, every operation completes within a bound.
    Available,
    /// No two nodes, nor one node before and after a restart, lead the same ballot.
    OneLeaderPerBallot,
    /// Raft: a node's term never decreases, even across a crash.
    TermMonotonic,
    /// Raft: a node votes for at most one candidate in a term, and never forgets that vote.
    OneVotePerTerm,
    /// Every replica applies each client request once: its session table is its log's, even after
    /// a restart or a checkpoint install.
    ExactlyOnce,
    /// An acceptor still holds, after a restart, every vote it cast in a slot it has not learned.
    VotesKept,
}

impl Invariant {
    /// Every invariant, in the order the playground lists them.
    pub const ALL: [Invariant; 25] = [
        Invariant::Agreement,
        Invariant::Validity,
        Invariant::Linearizable,
        Invariant::PromiseMonotonic,
        Invariant::AcceptWithinPromise,
        Invariant::VotesKept,
        Invariant::OneValuePerBallot,
        Invariant::OneLeaderPerBallot,
        Invariant::DecidedIsChosen,
        Invariant::LogsAgree,
        Invariant::LogsGrow,
        Invariant::StoreIsFold,
        Invariant::ExactlyOnce,
        Invariant::OneVotePerRound,
        Invariant::FastQuorum,
        Invariant::RecoveryPicksChosen,
        Invariant::TermMonotonic,
        Invariant::OneVotePerTerm,
        Invariant::ElectionSafety,
        Invariant::LeaderAppendOnly,
        Invariant::LogMatching,
        Invariant::LeaderCompleteness,
        Invariant::StateMachineSafety,
        Invariant::Liveness,
        Invariant::Available,
    ];

    /// A short name.
    pub const fn name(self) -> &'static str {
        match self {
            Invariant::PromiseMonotonic => "promise-monotonic",
            Invariant::AcceptWithinPromise => "accept-within-promise",
            Invariant::OneValuePerBallot => "one-value-per-ballot",
            Invariant::Agreement => "agreement",
            Invariant::DecidedIsChosen => "decided-is-chosen",
            Invariant::Validity => "validity",
            Invariant::LogsAgree => "logs-agree",
            Invariant::LogsGrow => "logs-grow",
            Invariant::StoreIsFold => "store-is-fold",
            Invariant::Linearizable => "linearizable",
            Invariant::Liveness => "liveness",
            Invariant::OneVotePerRound => "one-vote-per-round",
            Invariant::FastQuorum => "fast-quorum",
            Invariant::RecoveryPicksChosen => "recovery-picks-chosen",
            Invariant::ElectionSafety => "election-safety",
            Invariant::LeaderAppendOnly => "leader-append-only",
            Invariant::LogMatching => "log-matching",
            Invariant::LeaderCompleteness => "leader-completeness",
            Invariant::StateMachineSafety => "state-machine-safety",
            Invariant::Available => "available",
            Invariant::OneLeaderPerBallot => "one-leader-per-ballot",
            Invariant::TermMonotonic => "term-monotonic",
            Invariant::OneVotePerTerm => "one-vote-per-term",
            Invariant::ExactlyOnce => "exactly-once",
            Invariant::VotesKept => "votes-kept",
        }
    }

    /// The invariant in plain words.
    pub const fn description(self) -> &'static str {
        match self {
            Invariant::PromiseMonotonic => "an acceptor's promised ballot never decreases, even across a crash",
            Invariant::AcceptWithinPromise => "an acceptor never accepts a ballot below one it has promised",
            Invariant::OneValuePerBallot => "every proposal for the same ballot and slot carries the same value",
            Invariant::Agreement => "at most one value is chosen in each slot",
            Invariant::DecidedIsChosen => "a node learns a value only once a majority of acceptors accepted it",
            Invariant::Validity => "only values proposed by clients (or no-ops) are chosen",
            Invariant::LogsAgree => "all nodes decide the same value in each slot: their logs are prefixes of one log",
            Invariant::LogsGrow => "a node's decided prefix never shrinks, even across a crash",
            Invariant::StoreIsFold => "every replica's store is its decided log applied in slot order",
            Invariant::Linearizable => {
                "every client operation appears to take effect at one instant between its call and its return"
            }
            Invariant::Liveness => "once faults stop, every pending operation completes within the documented bound",
            Invariant::OneVotePerRound => "an acceptor votes at most once in each round, the fast round included",
            Invariant::FastQuorum => {
                "a value is chosen in the fast round only once a fast quorum (3/4 of the acceptors) voted for it"
            }
            Invariant::RecoveryPicksChosen => {
                "after a fast round, the classic round proposes the value that may have been chosen in it"
            }
            Invariant::ElectionSafety => "at most one leader is elected in a term",
            Invariant::LeaderAppendOnly => "a leader never overwrites or deletes entries in its log; it only appends",
            Invariant::LogMatching => {
                "if two logs hold an entry with the same index and term, they are identical up to that index"
            }
            Invariant::LeaderCompleteness => {
                "an entry committed in a term is in the log of the leaders of all later terms"
            }
            Invariant::StateMachineSafety => "no two servers apply different commands at the same log index",
            Invariant::Available => {
                "with a minority of nodes down and the rest working, every operation completes within the bound"
            }
            Invariant::OneLeaderPerBallot => {
                "a ballot is led by one proposer only: no two nodes, nor one node before and after a restart"
            }
            Invariant::TermMonotonic => "a node's current term never decreases, even across a crash",
            Invariant::OneVotePerTerm => {
                "a node votes for at most one candidate in a term and never forgets that vote, even across a crash"
            }
            Invariant::ExactlyOnce => {
                "every replica applies each client request once: its session table survives restarts and checkpoints"
            }
            Invariant::VotesKept => {
                "after a crash, an acceptor still holds every vote it cast in the slots it has not learned"
            }
        }
    }

    /// Where the literature states it.
    pub const fn source(self) -> &'static str {
        match self {
            Invariant::PromiseMonotonic => {
                "Lamport, Paxos Made Simple (2001) §2.3: an acceptor must remember the highest prepare it answered, in stable storage, even if it fails and restarts"
            }
            Invariant::AcceptWithinPromise => {
                "Paxos Made Simple, P1a: an acceptor can accept a proposal numbered n iff it has not responded to a prepare request numbered greater than n"
            }
            Invariant::OneValuePerBallot => {
                "Lamport's Paxos TLA+ specification, OneValuePerBallot; Paxos Made Simple §2.2: different proposals have different numbers"
            }
            Invariant::Agreement => "Paxos Made Simple §2.1: only a single value is chosen",
            Invariant::DecidedIsChosen => {
                "Paxos Made Simple §2.1: a process never learns that a value has been chosen unless it actually has been"
            }
            Invariant::Validity => "Paxos Made Simple §2.1: only a value that has been proposed may be chosen",
            Invariant::LogsAgree => {
                "van Renesse & Altinbuken, Paxos Made Moderately Complex (2015), invariant R1: no two different commands are decided for the same slot"
            }
            Invariant::LogsGrow => "Paxos Made Moderately Complex, invariant R3: slot_out cannot decrease over time",
            Invariant::StoreIsFold => {
                "Schneider, Implementing fault-tolerant services using the state machine approach (1990): replicas that apply the same commands in the same order reach the same state"
            }
            Invariant::Linearizable => "Herlihy & Wing, Linearizability (1990)",
            Invariant::Liveness => {
                "Paxos Made Simple §2.4 (progress once enough of the system works); Dwork, Lynch & Stockmeyer (1988): after the global stabilization time"
            }
            Invariant::OneVotePerRound => {
                "Lamport, Fast Paxos (2006) §2.1: an acceptor votes for at most one value in each round"
            }
            Invariant::FastQuorum => {
                "Fast Paxos §3.3: a fast round needs a quorum such that any classic quorum meets any two fast ones"
            }
            Invariant::RecoveryPicksChosen => {
                "Fast Paxos §3.2 (the coordinator's rule for picking a value after a collision)"
            }
            Invariant::ElectionSafety => {
                "Ongaro & Ousterhout, In Search of an Understandable Consensus Algorithm (Raft, 2014), Figure 3"
            }
            Invariant::LeaderAppendOnly => "Raft, Figure 3",
            Invariant::LogMatching => "Raft, Figure 3 and §5.3",
            Invariant::LeaderCompleteness => "Raft, Figure 3 and §5.4",
            Invariant::StateMachineSafety => "Raft, Figure 3 and §5.4.3",
            Invariant::Available => {
                "Paxos Made Simple §2.4 and §3 (progress while a majority works); Raft §1 (available as long as any majority is operational)"
            }
            Invariant::OneLeaderPerBallot => {
                "Paxos Made Simple §2.5: proposers use disjoint sets of numbers, and each remembers in stable storage the highest it tried; seed 001 (每个Proposer都必须生成全局单调递增的round)"
            }
            Invariant::TermMonotonic => {
                "Raft, Figure 2 (persistent state: currentTerm increases monotonically, on stable storage before responding to RPCs)"
            }
            Invariant::OneVotePerTerm => {
                "Raft §5.2 (each server votes for at most one candidate in a given term) and Figure 2 (votedFor is persistent state)"
            }
            Invariant::VotesKept => {
                "Paxos Made Simple §2.2 (an acceptor must remember the highest-numbered proposal it accepted even if it fails and restarts) and §2.5 (in stable storage, before it answers)"
            }
            Invariant::ExactlyOnce => {
                "Ongaro, Consensus: Bridging Theory and Practice (2014) §6.3: the session table of each client's last request and response is part of the replicated state"
            }
        }
    }

    /// The invariant with this name.
    pub fn from_name(name: &str) -> Option<Invariant> {
        Invariant::ALL.into_iter().find(|i| i.name() == name)
    }

    /// Whether this is a liveness property (the rest are safety).
    pub const fn is_liveness(self) -> bool {
        matches!(self, Invariant::Liveness | Invariant::Available)
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A broken invariant: which, where it first showed, and what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Which invariant.
    pub invariant: Invariant,
    /// The trace event where it first showed.
    pub event: EventId,
    /// What happened, in words.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at event {}: {}", self.invariant, self.event, self.message)
    }
}

/// Every checker of a run, fed as the run happens.
#[derive(Clone, Debug)]
pub struct Checker<P: Checked> {
    own: P::Own,
    ballots: ballots::Ballots,
    choice: choice::Choice,
    logs: logs::Logs,
    stores: store::Stores,
    /// One leader per ballot, if the protocol keeps it.
    leaders: Option<leaders::Leaders>,
    /// Exactly once, if the protocol keeps it.
    sessions: Option<sessions::Sessions>,
    /// Votes kept, if the protocol keeps it.
    kept: Option<accepted::Kept>,
    history: History,
    stretches: availability::Stretches,
    violations: Vec<Violation>,
    /// The time of the latest event.
    now: Time,
    /// When the highest decided prefix of any node grew: (time, prefix, event).
    progress: Vec<(Time, Slot, EventId)>,
    /// The run's protocol.
    kind: ProtocolKind,
    /// The invariants it keeps.
    invariants: &'static [Invariant],
    _protocol: PhantomData<fn(P)>,
}

impl<P: Checked> Checker<P> {
    /// Checkers for a run with this configuration.
    pub fn new(config: &SimConfig) -> Checker<P> {
        let core = config.core();
        let invariants = P::invariants(config.protocol);
        Checker {
            own: P::Own::new(config),
            ballots: ballots::Ballots::new(config.nodes),
            choice: choice::Choice::new(core.acceptors, (3 * core.acceptors.len()).div_ceil(4)),
            logs: logs::Logs::new(config.nodes),
            stores: store::Stores::new(config.nodes),
            leaders: invariants.contains(&Invariant::OneLeaderPerBallot).then(|| leaders::Leaders::new(config.nodes)),
            sessions: invariants.contains(&Invariant::ExactlyOnce).then(|| sessions::Sessions::new(config.nodes)),
            kept: invariants.contains(&Invariant::VotesKept).then(|| accepted::Kept::new(config.nodes)),
            history: History::default(),
            stretches: availability::Stretches::new(config.nodes),
            violations: Vec::new(),
            now: 0,
            progress: Vec::new(),
            kind: config.protocol,
            invariants,
            _protocol: PhantomData,
        }
    }

    /// The first violation of each invariant, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The first violation of `invariant`, if any.
    pub fn violation(&self, invariant: Invariant) -> Option<&Violation> {
        self.violations.iter().find(|v| v.invariant == invariant)
    }

    /// The client history so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// What the acceptors' votes have chosen so far, slot by slot (for the playground's slot table).
    pub fn choice(&self) -> &choice::Choice {
        &self.choice
    }

    /// Runs the whole-history checks: linearizability, availability with a minority down, and
    /// liveness if faults stopped; the run ended at `end`.
    pub fn finish(&mut self, config: &SimConfig, end: Time) {
        if self.violation(Invariant::Linearizable).is_none()
            && let Err(e) = linearizable::check(self.history.operations())
        {
            self.record(Invariant::Linearizable, e.event, e.message);
        }
        let bound = liveness::bound(config);
        if let Some(quiet_from) = config.faults.quiet_from() {
            let operations = liveness::check(self.history.operations(), quiet_from, end, bound);
            let replicas = liveness::converged(self.logs.prefixes(), &self.progress, quiet_from, end, bound);
            if let Err((event, message)) = operations.and(replicas) {
                self.record(Invariant::Liveness, event, message);
            }
        }
        if self.invariants.contains(&Invariant::Available) {
            let stretches = self.stretches.until(end);
            if let Err((event, message)) =
                availability::check(self.history.operations(), &stretches, config.nodes, bound)
            {
                self.record(Invariant::Available, event, message);
            }
        }
    }

    /// Records a violation of `invariant`, the first one only, and only if the protocol keeps it.
    fn record(&mut self, invariant: Invariant, event: EventId, message: String) {
        if self.violation(invariant).is_none() && self.invariants.contains(&invariant) {
            self.violations.push(Violation { invariant, event, message });
        }
    }

    fn note(&mut self, cause: EventId, result: Result<(), (Invariant, String)>) {
        if let Err((invariant, message)) = result {
            self.record(invariant, cause, message);
        }
    }

    fn claim(&mut self, cause: EventId, node: NodeId, claim: Claim<'_>) {
        let fast = match claim {
            Claim::Promise { ballot, .. } | Claim::Propose { ballot, .. } | Claim::Vote { ballot, .. } => {
                P::is_fast_round(self.kind, ballot)
            }
        };
        let result = self.ballots.observe(node, claim, fast);
        self.note(cause, result);
        let result = self.choice.observe(node, claim, fast);
        self.note(cause, result);
    }
}

impl<P: Checked> Observer<P> for Checker<P> {
    fn event(&mut self, id: EventId, event: &Event) {
        self.now = event.time;
        self.history.record(id, event);
        self.stretches.event(event);
        if let EventKind::Restart { node } = event.kind {
            // A restarted node is a new proposer, with only what it wrote down.
            if let Some(leaders) = &mut self.leaders {
                leaders.restarted(node);
            }
            if let Some(sessions) = &mut self.sessions {
                sessions.restarted(node);
            }
            if let Some(kept) = &mut self.kept {
                kept.restarted(node);
            }
        }
        let result = self.own.event(id, event);
        self.note(id, result);
    }

    fn output(&mut self, cause: EventId, node: NodeId, output: &Outputs<P>) {
        match output {
            Output::Send { msg, .. } => {
                let result = self.own.sent(node, msg);
                self.note(cause, result);
                if let Some(claim) = P::message_claim(msg) {
                    self.claim(cause, node, claim);
                }
            }
            Output::Persist(write) => {
                let result = self.own.persisted(node, write);
                self.note(cause, result);
                if let Some(claim) = P::write_claim(write) {
                    self.claim(cause, node, claim);
                }
            }
            Output::Decided { slot, value } => {
                let result = self.own.decided(node, *slot, value);
                self.note(cause, result);
                let checks = [
                    self.choice.decided(node, *slot, value),
                    self.choice.valid(*slot, value, &self.history),
                    self.logs.decided(node, *slot, value),
                ];
                for (invariant, message) in checks.into_iter().filter_map(Result::err) {
                    self.record(invariant, cause, message);
                }
            }
            // Explanations change nothing: no invariant is about them.
            Output::Reply(_) | Output::Explain(_) => {}
        }
    }

    fn stepped(&mut self, cause: EventId, node: NodeId, state: &P) {
        let result = self.own.stepped(node, state);
        self.note(cause, result);
        let view = state.view();
        if let Err((invariant, message)) = self.ballots.stepped(node, view.promised) {
            self.record(invariant, cause, message);
        }
        if let Err((invariant, message)) = self.logs.stepped(node, &view) {
            self.record(invariant, cause, message);
        }
        let prefix = view.decided.prefix();
        if self.progress.last().is_none_or(|&(_, best, _)| prefix > best) {
            self.progress.push((self.now, prefix, cause));
        }
        if let Err((invariant, message)) = self.stores.stepped(node, &view, &self.logs) {
            self.record(invariant, cause, message);
        }
        if let Some(sessions) = &mut self.sessions {
            let (shadow, applied) = self.stores.shadow(node);
            let result = sessions.stepped(node, &view, shadow, applied);
            self.note(cause, result);
        }
        if let Some(kept) = &mut self.kept
            && kept.due(node)
        {
            let result = accepted::Kept::check(node, &view, &state.acceptor_slots(), self.ballots.cast(node));
            self.note(cause, result);
        }
        if let Some(leaders) = &mut self.leaders {
            let result = leaders.stepped(node, view.role, view.ballot, P::is_fast_round(self.kind, view.ballot));
            self.note(cause, result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The playground lists `Invariant::ALL`: each invariant once, found again by its name, with a
    /// description and a source.
    #[test]
    fn every_invariant_is_listed_once_with_a_name_and_a_source() {
        let mut tags: Vec<u8> = Invariant::ALL.iter().map(|&i| i as u8).collect();
        tags.sort_unstable();
        assert_eq!(tags, (0..Invariant::ALL.len() as u8).collect::<Vec<_>>());
        for invariant in Invariant::ALL {
            assert_eq!(Invariant::from_name(invariant.name()), Some(invariant));
            assert!(!invariant.description().is_empty() && !invariant.source().is_empty(), "{invariant}");
        }
    }
}
