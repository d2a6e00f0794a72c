//! Fast Paxos. (Skeleton: issue 4 fills it in.)

use paxos_core::fast::Node;

use crate::check::{Checked, Invariant, NoOwnChecks};

impl Checked for Node {
    fn invariants() -> &'static [Invariant] {
        super::PAXOS
    }

    type Own = NoOwnChecks;
}
