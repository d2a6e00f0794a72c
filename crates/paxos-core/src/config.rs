//! Cluster configuration shared by all nodes of a run, and the planted bugs.

use crate::types::{MAX_NODES, NodeId, NodeSet};

/// Timeouts, counted in ticks (the driver decides how long a tick is; the simulator uses 10 ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timing {
    /// How often a leader sends heartbeats.
    pub heartbeat_ticks: u32,
    /// A follower that has not heard from a leader for a random time in
    /// `election_ticks_min..=election_ticks_max` runs for leadership. A follower that heard one within
    /// `election_ticks_min` refuses to help anyone else get elected (seed 000's "reject for a while").
    pub election_ticks_min: u32,
    /// See `election_ticks_min`.
    pub election_ticks_max: u32,
    /// How long a proposer waits for answers before sending its request again.
    pub resend_ticks: u32,
    /// The first randomized back-off after a rejection lasts up to this long; each further rejection
    /// doubles it, up to `backoff_ticks_max`.
    pub backoff_ticks_base: u32,
    /// See `backoff_ticks_base`.
    pub backoff_ticks_max: u32,
}

impl Default for Timing {
    /// With 10 ms ticks: heartbeats every 50 ms, elections after 150–300 ms of silence (seed 004).
    fn default() -> Timing {
        Timing {
            heartbeat_ticks: 5,
            election_ticks_min: 15,
            election_ticks_max: 30,
            resend_ticks: 10,
            backoff_ticks_base: 4,
            backoff_ticks_max: 64,
        }
    }
}

/// What every node knows about the cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// Number of nodes, `1..=MAX_NODES`; nodes are `0..nodes`.
    pub nodes: u8,
    /// Nodes that vote (Basic Paxos lets a run split roles; Multi-Paxos makes every node all three).
    pub acceptors: NodeSet,
    /// Nodes that propose values for client requests.
    pub proposers: NodeSet,
    /// Nodes that learn decided values and keep the store.
    pub learners: NodeSet,
    /// Timeouts.
    pub timing: Timing,
    /// Multi-Paxos: how many slots a leader may have proposed but not yet decided (pipelining).
    pub window: u32,
    /// How many client commands one slot may carry.
    pub batch_max: u32,
    /// Whether a rejected proposer waits a randomized, exponentially growing time before retrying.
    /// Off only to show the livelock it prevents.
    pub backoff: bool,
    /// Planted bugs (always empty unless the `planted-bugs` feature is on).
    pub bugs: Bugs,
}

impl Config {
    /// `nodes` nodes, each a proposer, acceptor and learner, with default timing.
    ///
    /// # Panics
    /// If `nodes` is 0 or more than [`MAX_NODES`] (callers validate user input first).
    pub fn new(nodes: u8) -> Config {
        assert!(nodes >= 1 && nodes as usize <= MAX_NODES, "cluster size {nodes} out of range");
        let all = NodeSet::first(nodes);
        Config {
            nodes,
            acceptors: all,
            proposers: all,
            learners: all,
            timing: Timing::default(),
            window: 8,
            batch_max: 16,
            backoff: true,
            bugs: Bugs::NONE,
        }
    }

    /// How many acceptors make a majority: any two such sets share an acceptor.
    pub fn quorum(&self) -> usize {
        let quorum = self.acceptors.len() / 2 + 1;
        if self.bugs.has(Bug::SmallQuorum) { quorum - 1 } else { quorum }
    }

    /// Every node, `0..nodes`.
    pub fn all(&self) -> NodeSet {
        NodeSet::first(self.nodes)
    }

    /// Whether `node` is part of this cluster.
    pub fn contains(&self, node: NodeId) -> bool {
        node < self.nodes
    }
}

/// A deliberate mistake that the checkers must catch (see `paxos-sim`'s planted-bug sweep).
///
/// Each names the rule it breaks. They exist to prove the checkers bite; the switch that turns one on
/// ([`Bugs::with`]) exists only with the `planted-bugs` feature, so a normal build cannot enable them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Bug {
    /// An acceptor accepts a ballot lower than one it promised (breaks P1a, Paxos Made Simple §2.2).
    AcceptBelowPromise,
    /// A proposer ignores the values reported in phase 1 and proposes its own (breaks P2c).
    IgnorePromisedValues,
    /// A proposer takes the first value reported in phase 1, not the one with the highest ballot (P2c).
    FirstReportedValue,
    /// Holes in the log are left alone: a new Multi-Paxos leader does not fill them with no-ops, a
    /// Basic Paxos learner neither asks for the votes it missed nor repairs the slot — so the slots
    /// after a hole are never applied (liveness).
    SkipHoleFilling,
    /// A learner counts every `Accepted` message, so a duplicated vote counts twice (quorum rule).
    DoubleCountVote,
    /// Ballots leave out the node, so two proposers can pick the same ballot (§2.5's disjoint sets).
    SameBallot,
    /// An acceptor answers `Promise` before its promise is on disk: it writes the promise only along
    /// with its next write (an accepted value, say), so a crash in between makes it forget.
    PromiseBeforePersist,
    /// Values learned by catch-up are applied as they arrive, last first, not in slot order.
    CatchupOutOfOrder,
    /// The store has no session table: a retried request is applied twice.
    NoDedup,
    /// A leader answers `get` from its own store without going through the log, even after it was
    /// deposed.
    LocalReads,
    /// A majority is counted as `n/2` instead of `n/2 + 1`, so two quorums need not intersect.
    SmallQuorum,
    /// A leader answers the client when it proposes a command, before the command is chosen.
    ReplyBeforeChosen,
}

impl Bug {
    /// Every planted bug.
    pub const ALL: [Bug; 12] = [
        Bug::AcceptBelowPromise,
        Bug::IgnorePromisedValues,
        Bug::FirstReportedValue,
        Bug::SkipHoleFilling,
        Bug::DoubleCountVote,
        Bug::SameBallot,
        Bug::PromiseBeforePersist,
        Bug::CatchupOutOfOrder,
        Bug::NoDedup,
        Bug::LocalReads,
        Bug::SmallQuorum,
        Bug::ReplyBeforeChosen,
    ];

    /// The bug's name in kebab case, as the CLI spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Bug::AcceptBelowPromise => "accept-below-promise",
            Bug::IgnorePromisedValues => "ignore-promised-values",
            Bug::FirstReportedValue => "first-reported-value",
            Bug::SkipHoleFilling => "skip-hole-filling",
            Bug::DoubleCountVote => "double-count-vote",
            Bug::SameBallot => "same-ballot",
            Bug::PromiseBeforePersist => "promise-before-persist",
            Bug::CatchupOutOfOrder => "catchup-out-of-order",
            Bug::NoDedup => "no-dedup",
            Bug::LocalReads => "local-reads",
            Bug::SmallQuorum => "small-quorum",
            Bug::ReplyBeforeChosen => "reply-before-chosen",
        }
    }

    /// Whether the bug can be planted in Basic Paxos (which has no leader to serve local reads).
    pub const fn in_basic(self) -> bool {
        !matches!(self, Bug::LocalReads)
    }

    /// The bug with this name.
    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|bug| bug.name() == name)
    }
}

/// A set of planted bugs. Empty, and impossible to fill, without the `planted-bugs` feature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bugs(u32);

impl Bugs {
    /// No bugs.
    pub const NONE: Bugs = Bugs(0);

    /// Whether `bug` is planted. Always false without the `planted-bugs` feature, so the checks
    /// compile away.
    #[inline(always)]
    pub const fn has(self, bug: Bug) -> bool {
        cfg!(feature = "planted-bugs") && self.0 & (1 << bug as u8) != 0
    }

    /// These bugs and `bug`.
    #[cfg(feature = "planted-bugs")]
    pub const fn with(self, bug: Bug) -> Bugs {
        Bugs(self.0 | 1 << bug as u8)
    }

    /// Whether no bug is planted.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}
