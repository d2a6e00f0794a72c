//! What the checkers know of each protocol: the invariants it keeps, the claims its messages and
//! writes make, and its own checks. One file per protocol.

mod any;
mod basic;
mod fast;
mod majority;
mod multi;
mod primary_backup;
mod raft;

use crate::check::Invariant;

/// What every Paxos-family protocol keeps (Basic, Multi and Fast Paxos).
pub const PAXOS: &[Invariant] = &[
    Invariant::PromiseMonotonic,
    Invariant::AcceptWithinPromise,
    Invariant::VotesKept,
    Invariant::OneValuePerBallot,
    Invariant::OneLeaderPerBallot,
    Invariant::Agreement,
    Invariant::DecidedIsChosen,
    Invariant::Validity,
    Invariant::LogsAgree,
    Invariant::LogsGrow,
    Invariant::StoreIsFold,
    Invariant::ExactlyOnce,
    Invariant::Linearizable,
    Invariant::Liveness,
    Invariant::Available,
];
