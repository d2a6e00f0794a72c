//! Basic Paxos' messages: one named struct per kind, handed whole to its handler (Fast Paxos
//! sends the same ones, and its own `FastAccept`).

use alloc::vec::Vec;
use core::fmt;

use crate::types::{Ballot, Slot, Value, list};
use crate::{Label, MsgKind};

/// A Basic Paxos message. Every message names the slot (the Paxos instance) it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    /// Phase 1a: "promise me round `ballot` in `slot`".
    Prepare(Prepare),
    /// Phase 1b: promised; here is what I accepted before (`vrnd`, `v`), if anything.
    Promise(Promise),
    /// Phase 2a: "write `value` in `slot` at round `ballot`".
    Accept(Accept),
    /// Phase 2b, sent to every learner: "I accepted `value` in `slot` at `ballot`".
    Accepted(Accepted),
    /// A rejection: the acceptor promised the higher `promised` in `slot`.
    Nack(Nack),
    /// A lagging learner asks an acceptor for the votes it cast, from slot `from` on.
    Catchup(Catchup),
    /// The answer to `Catchup`: votes the acceptor cast earlier, `(slot, vrnd, v)`, restated (not
    /// cast again).
    Votes(Votes),
}

/// Phase 1a: "promise me round `ballot` in `slot`".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Prepare {
    /// The instance.
    pub slot: Slot,
    /// The proposer's round (`rnd`).
    pub ballot: Ballot,
}

/// Phase 1b: promised; here is what I accepted before (`vrnd`, `v`), if anything.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Promise {
    /// The instance.
    pub slot: Slot,
    /// The promised round.
    pub ballot: Ballot,
    /// `(vrnd, v)`.
    pub accepted: Option<(Ballot, Value)>,
}

/// Phase 2a: "write `value` in `slot` at round `ballot`".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Accept {
    /// The instance.
    pub slot: Slot,
    /// The proposer's round.
    pub ballot: Ballot,
    /// The value.
    pub value: Value,
}

/// Phase 2b, sent to every learner: "I accepted `value` in `slot` at `ballot`".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Accepted {
    /// The instance.
    pub slot: Slot,
    /// The round accepted.
    pub ballot: Ballot,
    /// The value accepted.
    pub value: Value,
}

/// A rejection: the acceptor promised the higher `promised` in `slot`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nack {
    /// The instance.
    pub slot: Slot,
    /// The refused round.
    pub ballot: Ballot,
    /// The acceptor's `last_rnd`.
    pub promised: Ballot,
}

/// A lagging learner asks an acceptor for the votes it cast, from slot `from` on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Catchup {
    /// The learner's first undecided slot.
    pub from: Slot,
}

/// The answer to `Catchup`: votes the acceptor cast earlier, `(slot, vrnd, v)`, restated (not
/// cast again).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Votes {
    /// The votes, in slot order.
    pub votes: Vec<(Slot, Ballot, Value)>,
}

impl Message {
    /// The ballot the message tells of: the one it carries, or for a `Nack` the higher one the
    /// acceptor promised; [`Ballot::ZERO`] for `Catchup` and `Votes`, which belong to no round
    /// (restated votes name theirs one by one).
    pub fn ballot(&self) -> Ballot {
        match *self {
            Message::Prepare(Prepare { ballot, .. })
            | Message::Promise(Promise { ballot, .. })
            | Message::Accept(Accept { ballot, .. })
            | Message::Accepted(Accepted { ballot, .. }) => ballot,
            Message::Nack(Nack { promised, .. }) => promised,
            Message::Catchup(Catchup { .. }) | Message::Votes(Votes { .. }) => Ballot::ZERO,
        }
    }
}

impl crate::Message for Message {
    /// The ballot shown is [`Message::ballot`]; the slot is the one concerned (for `Votes`, the
    /// first vote's).
    fn label(&self) -> Label {
        let (kind, slot) = match *self {
            Message::Prepare(Prepare { slot, .. }) => (MsgKind::Prepare, slot),
            Message::Promise(Promise { slot, .. }) => (MsgKind::Promise, slot),
            Message::Accept(Accept { slot, .. }) => (MsgKind::Accept, slot),
            Message::Accepted(Accepted { slot, .. }) => (MsgKind::Accepted, slot),
            Message::Nack(Nack { slot, .. }) => (MsgKind::Nack, slot),
            Message::Catchup(Catchup { from }) => (MsgKind::Catchup, from),
            Message::Votes(Votes { ref votes }) => (MsgKind::Votes, votes.first().map_or(0, |v| v.0)),
        };
        Label { kind, ballot: self.ballot(), slot }
    }
}

/// The payload in words, for a person following the run (the kind is shown apart).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Prepare(Prepare { slot, ballot }) => write!(f, "ballot {ballot}, slot {slot}"),
            Message::Promise(Promise { slot, ballot, accepted: Some((vrnd, v)) }) => {
                write!(f, "ballot {ballot}, slot {slot}, accepted at {vrnd} {v}")
            }
            Message::Promise(Promise { slot, ballot, accepted: None }) => {
                write!(f, "ballot {ballot}, slot {slot}, nothing accepted")
            }
            Message::Accept(Accept { slot, ballot, value }) | Message::Accepted(Accepted { slot, ballot, value }) => {
                write!(f, "ballot {ballot}, slot {slot}, value {value}")
            }
            Message::Nack(Nack { slot, ballot, promised }) => {
                write!(f, "ballot {ballot}, slot {slot}, refused: promised {promised}")
            }
            Message::Catchup(Catchup { from }) => write!(f, "from slot {from}"),
            Message::Votes(Votes { votes }) => {
                write!(f, "{}", list(votes.iter(), |f, (s, b, v)| write!(f, "slot {s} at {b} {v}")))
            }
        }
    }
}
