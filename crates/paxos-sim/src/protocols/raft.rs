//! Raft. (Skeleton: issue 4 fills it in.)

use paxos_core::raft::Node;

use crate::check::{Checked, Invariant, NoOwnChecks};

impl Checked for Node {
    fn invariants() -> &'static [Invariant] {
        &[
            Invariant::Validity,
            Invariant::LogsAgree,
            Invariant::LogsGrow,
            Invariant::StoreIsFold,
            Invariant::Linearizable,
            Invariant::Liveness,
        ]
    }

    type Own = NoOwnChecks;
}
