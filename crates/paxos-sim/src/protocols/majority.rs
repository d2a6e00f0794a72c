//! Majority read/write (with or without timestamps), a teaching foil. It claims only what a client
//! sees — each operation takes effect at once, and finishes once faults stop — and breaks the
//! first: concurrent `inc`s lose updates, and a half-finished write shows readers different values.
//! It has no log, so the log checkers do not apply.

use paxos_core::majority::Node;

use crate::check::{Checked, Invariant, NoOwnChecks};
use crate::config::ProtocolKind;
use crate::world::Simulated;

impl Simulated for Node {}

impl Checked for Node {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        &[Invariant::Linearizable, Invariant::Liveness]
    }

    type Own = NoOwnChecks;
}
