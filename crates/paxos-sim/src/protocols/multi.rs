//! Multi-Paxos: one promise for every slot, votes per slot.

use paxos_core::multi::{self, Message, Replica, Write};

use crate::check::{Checked, Claim, Invariant, NoOwnChecks};
use crate::config::ProtocolKind;
use crate::world::Simulated;

impl Simulated for Replica {}

impl Checked for Replica {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        super::PAXOS
    }

    fn message_claim(msg: &Message) -> Option<Claim<'_>> {
        match msg {
            Message::Promise(multi::Promise { ballot, .. }) => Some(Claim::Promise { slot: None, ballot: *ballot }),
            Message::Accept(multi::Accept { slot, ballot, value, .. }) => {
                Some(Claim::Propose { slot: *slot, ballot: *ballot, value })
            }
            Message::Accepted(multi::Accepted { slot, ballot, value }) => {
                Some(Claim::Vote { slot: *slot, ballot: *ballot, value })
            }
            _ => None,
        }
    }

    fn write_claim(write: &Write) -> Option<Claim<'_>> {
        match write {
            Write::Accept { slot, ballot, value } => Some(Claim::Vote { slot: *slot, ballot: *ballot, value }),
            Write::Promise(_) | Write::Decide { .. } | Write::Checkpoint(_) => None,
        }
    }

    type Own = NoOwnChecks;
}
