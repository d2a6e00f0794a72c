//! Multi-Paxos' messages: one named struct per kind, handed whole to its handler.

use alloc::vec::Vec;
use core::fmt;

use super::Report;
use crate::machine::Checkpoint;
use crate::types::{Ballot, Command, NodeId, NodeName, Slot, Value, list};
use crate::{Label, MsgKind};

/// A Multi-Paxos message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// Phase 1a: "promise me `ballot` for every slot from `first_open` on".
    Prepare(Prepare),
    /// Phase 1b: the acceptor promised `ballot`, and reports what it holds from `first_open` on.
    Promise(Promise),
    /// Phase 2a: "accept `value` in `slot` at `ballot`"; `commit` is the leader's decided prefix.
    Accept(Accept),
    /// Phase 2b: the acceptor accepted `value` in `slot` at `ballot`.
    Accepted(Accepted),
    /// The acceptor refuses `ballot` because it promised the higher `promised`.
    Nack(Nack),
    /// "Don't elect anyone: I heard `leader` recently" — the answer to a `Prepare` for `ballot`.
    LeaderAlive(LeaderAlive),
    /// The leader is alive; every slot below `commit` is decided.
    Heartbeat(Heartbeat),
    /// The answer to a `Heartbeat`, `Catchup` or `Snapshot` that told of `commit`: every slot below
    /// `prefix` is decided here. If `prefix < commit`, the follower lacks decided values.
    HeartbeatOk(HeartbeatOk),
    /// Decided values for slots `first..first + values.len()`, for a follower that lags behind.
    Catchup(Catchup),
    /// The leader's checkpoint, for a follower lagging behind the leader's compacted log.
    Snapshot(Snapshot),
    /// A client request passed on to the leader.
    Forward(Command),
}

/// Phase 1a: "promise me `ballot` for every slot from `first_open` on".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Prepare {
    /// The candidate's ballot.
    pub ballot: Ballot,
    /// The candidate's first undecided slot.
    pub first_open: Slot,
}

/// Phase 1b: the acceptor promised `ballot`, and reports what it holds from `first_open` on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Promise {
    /// The promised ballot.
    pub ballot: Ballot,
    /// The first slot covered.
    pub first_open: Slot,
    /// Every slot from `first_open` on that the acceptor accepted a value in or saw decided.
    pub reports: Vec<Report>,
    /// The acceptor's checkpoint, if its log no longer holds the values from `first_open` on.
    pub snapshot: Option<Checkpoint>,
}

/// Phase 2a: "accept `value` in `slot` at `ballot`"; `commit` is the leader's decided prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Accept {
    /// The leader's ballot.
    pub ballot: Ballot,
    /// The slot.
    pub slot: Slot,
    /// The proposed value.
    pub value: Value,
    /// Every slot below this is decided at the leader.
    pub commit: Slot,
}

/// Phase 2b: the acceptor accepted `value` in `slot` at `ballot`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Accepted {
    /// The ballot accepted.
    pub ballot: Ballot,
    /// The slot.
    pub slot: Slot,
    /// The value accepted (the seeds' `Accepted(N, I, V)`).
    pub value: Value,
}

/// The acceptor refuses `ballot` because it promised the higher `promised`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Nack {
    /// The refused ballot.
    pub ballot: Ballot,
    /// What the acceptor promised instead.
    pub promised: Ballot,
}

/// "Don't elect anyone: I heard `leader` recently" — the answer to a `Prepare` for `ballot`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LeaderAlive {
    /// The refused candidate's ballot.
    pub ballot: Ballot,
    /// The leader the sender still hears.
    pub leader: NodeId,
}

/// The leader is alive; every slot below `commit` is decided.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Heartbeat {
    /// The leader's ballot.
    pub ballot: Ballot,
    /// The leader's decided prefix.
    pub commit: Slot,
}

/// The answer to a `Heartbeat`, `Catchup` or `Snapshot` that told of `commit`: every slot below
/// `prefix` is decided here. If `prefix < commit`, the follower lacks decided values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeartbeatOk {
    /// The leader's ballot being answered.
    pub ballot: Ballot,
    /// The follower's decided prefix.
    pub prefix: Slot,
    /// The leader's decided prefix, as the message answered told it.
    pub commit: Slot,
}

/// Decided values for slots `first..first + values.len()`, for a follower that lags behind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Catchup {
    /// The leader's ballot.
    pub ballot: Ballot,
    /// The slot of the first value.
    pub first: Slot,
    /// The decided values, in slot order.
    pub values: Vec<Value>,
    /// The leader's decided prefix.
    pub commit: Slot,
}

/// The leader's checkpoint, for a follower lagging behind the leader's compacted log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// The leader's ballot.
    pub ballot: Ballot,
    /// The store after the checkpoint's slots.
    pub checkpoint: Checkpoint,
    /// The leader's decided prefix.
    pub commit: Slot,
}

impl Message {
    /// The highest ballot the message tells of: the ballot it carries, or for a `Nack` the higher one
    /// the acceptor promised ([`Ballot::ZERO`] for a forwarded request). A replica that sees it never
    /// again proposes below its round.
    pub fn ballot(&self) -> Ballot {
        match *self {
            Message::Prepare(Prepare { ballot, .. })
            | Message::Promise(Promise { ballot, .. })
            | Message::Accept(Accept { ballot, .. })
            | Message::Accepted(Accepted { ballot, .. })
            | Message::LeaderAlive(LeaderAlive { ballot, .. })
            | Message::Heartbeat(Heartbeat { ballot, .. })
            | Message::HeartbeatOk(HeartbeatOk { ballot, .. })
            | Message::Catchup(Catchup { ballot, .. })
            | Message::Snapshot(Snapshot { ballot, .. }) => ballot,
            Message::Nack(Nack { promised, .. }) => promised,
            Message::Forward(_) => Ballot::ZERO,
        }
    }
}

impl crate::Message for Message {
    /// The ballot shown is [`Message::ballot`]; the slot is the one concerned (the first covered, or
    /// the decided prefix told).
    fn label(&self) -> Label {
        let (kind, slot) = match *self {
            Message::Prepare(Prepare { first_open, .. }) => (MsgKind::Prepare, first_open),
            Message::Promise(Promise { first_open, .. }) => (MsgKind::Promise, first_open),
            Message::Accept(Accept { slot, .. }) => (MsgKind::Accept, slot),
            Message::Accepted(Accepted { slot, .. }) => (MsgKind::Accepted, slot),
            Message::Nack(Nack { .. }) => (MsgKind::Nack, 0),
            Message::LeaderAlive(LeaderAlive { .. }) => (MsgKind::LeaderAlive, 0),
            Message::Heartbeat(Heartbeat { commit, .. }) => (MsgKind::Heartbeat, commit),
            Message::HeartbeatOk(HeartbeatOk { prefix, .. }) => (MsgKind::HeartbeatOk, prefix),
            Message::Catchup(Catchup { first, .. }) => (MsgKind::Catchup, first),
            Message::Snapshot(Snapshot { ref checkpoint, .. }) => (MsgKind::Snapshot, checkpoint.applied),
            Message::Forward(command) => (MsgKind::Forward, command.seq),
        };
        Label { kind, ballot: self.ballot(), slot }
    }
}

/// The payload in words, for a person following the run (the kind is shown apart).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Prepare(Prepare { ballot, first_open }) => write!(f, "ballot {ballot}, from slot {first_open}"),
            Message::Promise(Promise { ballot, first_open, reports, snapshot }) => {
                let reports = list(reports.iter(), |f, report| match report {
                    Report::Accepted { slot, ballot, value } => write!(f, "{slot} accepted at {ballot} {value}"),
                    Report::Decided { slot, value } => write!(f, "{slot} decided {value}"),
                });
                write!(f, "ballot {ballot}, from slot {first_open}, reports: {reports}")?;
                snapshot.as_ref().map_or(Ok(()), |c| write!(f, ", {c}"))
            }
            Message::Accept(Accept { ballot, slot, value, commit }) => {
                write!(f, "ballot {ballot}, slot {slot}, value {value}, commit {commit}")
            }
            Message::Accepted(Accepted { ballot, slot, value }) => {
                write!(f, "ballot {ballot}, slot {slot}, value {value}")
            }
            Message::Nack(Nack { ballot, promised }) => write!(f, "ballot {ballot}, refused: promised {promised}"),
            Message::LeaderAlive(LeaderAlive { ballot, leader }) => {
                write!(f, "ballot {ballot}, refused: {} leads", NodeName(*leader))
            }
            Message::Heartbeat(Heartbeat { ballot, commit }) => write!(f, "ballot {ballot}, commit {commit}"),
            Message::HeartbeatOk(HeartbeatOk { ballot, prefix, commit }) => {
                write!(f, "ballot {ballot}, decided prefix {prefix}, commit {commit}")
            }
            Message::Catchup(Catchup { ballot, first, values, commit }) => write!(
                f,
                "ballot {ballot}, from slot {first}, values: {}, commit {commit}",
                list(values.iter(), |f, v| write!(f, "{v}"))
            ),
            Message::Snapshot(Snapshot { ballot, checkpoint, commit }) => {
                write!(f, "ballot {ballot}, {checkpoint}, commit {commit}")
            }
            Message::Forward(command) => write!(f, "{command}"),
        }
    }
}
