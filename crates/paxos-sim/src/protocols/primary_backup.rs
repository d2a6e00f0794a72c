//! Primary–backup replication (async, sync, semi-sync), a teaching foil. Each node outputs the
//! writes it applies as decided slots, so it is held to what a replicated log claims: the same
//! value in a slot everywhere, logs that only grow, stores that are the fold of the log, and
//! linearizable answers. Async and semi-sync break them when a primary dies; sync keeps them, and
//! blocks while a backup is down.

use paxos_core::primary_backup::Node;

use crate::check::{Checked, Invariant, NoOwnChecks};
use crate::config::ProtocolKind;
use crate::world::Simulated;

impl Simulated for Node {}

impl Checked for Node {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        &[
            Invariant::Validity,
            Invariant::LogsAgree,
            Invariant::LogsGrow,
            Invariant::StoreIsFold,
            Invariant::ExactlyOnce,
            Invariant::Linearizable,
            Invariant::Liveness,
            Invariant::Available,
        ]
    }

    type Own = NoOwnChecks;
}
