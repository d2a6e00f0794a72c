//! Fast Paxos' messages: Basic Paxos' own (one named struct per kind, handed whole to its
//! handler), and the fast round's `FastAccept`.

use core::fmt;

use super::FAST;
pub use crate::basic::{Accept, Accepted, Catchup, Nack, Prepare, Promise, Votes};
use crate::types::{Ballot, Slot, Value, list};
use crate::{Label, MsgKind};

/// A Fast Paxos message. Every message names the slot (the Paxos instance) it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Message {
    /// Fast round phase 2a, with no phase 1 before it: "write `value` in `slot` at round 0".
    FastAccept(FastAccept),
    /// Classic phase 1a: "promise me round `ballot` in `slot`".
    Prepare(Prepare),
    /// Classic phase 1b: promised; here is what I voted for before (`vrnd`, `v`), if anything.
    Promise(Promise),
    /// Classic phase 2a: "write `value` in `slot` at round `ballot`".
    Accept(Accept),
    /// Phase 2b (fast or classic), sent to every learner: "I voted for `value` in `slot` at `ballot`".
    Accepted(Accepted),
    /// A rejection: the acceptor promised the higher `promised` in `slot`.
    Nack(Nack),
    /// A lagging learner asks an acceptor for the votes it cast, from slot `from` on.
    Catchup(Catchup),
    /// Votes the acceptor cast earlier, `(slot, vrnd, v)`, restated (not cast again): the answer to
    /// `Catchup`, and to a `FastAccept` in a slot where the acceptor already voted.
    Votes(Votes),
}

/// Fast round phase 2a, with no phase 1 before it: "write `value` in `slot` at round 0".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FastAccept {
    /// The instance.
    pub slot: Slot,
    /// The proposer's value.
    pub value: Value,
}

impl Message {
    /// The ballot the message tells of: the one it carries, or for a `Nack` the higher one the
    /// acceptor promised; [`FAST`] for a `FastAccept`; [`Ballot::ZERO`] for `Catchup` and `Votes`, which belong to no round
    /// (restated votes name theirs one by one).
    pub fn ballot(&self) -> Ballot {
        match *self {
            Message::FastAccept(FastAccept { .. }) => FAST,
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
            Message::FastAccept(FastAccept { slot, .. }) => (MsgKind::FastAccept, slot),
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
            Message::FastAccept(FastAccept { slot, value }) => write!(f, "fast round, slot {slot}, value {value}"),
            Message::Prepare(Prepare { slot, ballot }) => write!(f, "ballot {ballot}, slot {slot}"),
            Message::Promise(Promise { slot, ballot, accepted: Some((vrnd, v)) }) => {
                write!(f, "ballot {ballot}, slot {slot}, voted at {vrnd} for {v}")
            }
            Message::Promise(Promise { slot, ballot, accepted: None }) => {
                write!(f, "ballot {ballot}, slot {slot}, no vote")
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
