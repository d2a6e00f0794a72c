//! Majority read/write (with or without timestamps). (Skeleton: issue 4 fills it in.)

use paxos_core::majority::Node;

use crate::check::{Checked, Invariant, NoOwnChecks};

impl Checked for Node {
    fn invariants() -> &'static [Invariant] {
        &[Invariant::Linearizable, Invariant::Liveness]
    }

    type Own = NoOwnChecks;
}
