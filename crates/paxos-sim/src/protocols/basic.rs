//! Basic Paxos: promises and votes per slot.

use paxos_core::basic::{self, Message, Node, Write};

use crate::check::{Checked, Claim, Invariant, NoOwnChecks};
use crate::config::ProtocolKind;
use crate::world::Simulated;

impl Simulated for Node {}

impl Checked for Node {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        super::PAXOS
    }

    fn message_claim(msg: &Message) -> Option<Claim<'_>> {
        match msg {
            Message::Promise(basic::Promise { slot, ballot, .. }) => {
                Some(Claim::Promise { slot: Some(*slot), ballot: *ballot })
            }
            Message::Accept(basic::Accept { slot, ballot, value }) => {
                Some(Claim::Propose { slot: *slot, ballot: *ballot, value })
            }
            Message::Accepted(basic::Accepted { slot, ballot, value }) => {
                Some(Claim::Vote { slot: *slot, ballot: *ballot, value })
            }
            // Restated votes (`Votes`) were claimed when they were cast.
            Message::Prepare(_) | Message::Nack(_) | Message::Catchup(_) | Message::Votes(_) => None,
        }
    }

    fn write_claim(write: &Write) -> Option<Claim<'_>> {
        match write {
            Write::Accept { slot, ballot, value } => Some(Claim::Vote { slot: *slot, ballot: *ballot, value }),
            Write::Promise { .. } | Write::Round(_) | Write::Decide { .. } | Write::Checkpoint(_) => None,
        }
    }

    type Own = NoOwnChecks;
}
