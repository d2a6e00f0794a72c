//! Cluster configuration shared by all nodes of a run, and the planted bugs.

use crate::rng::Prng;
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

impl Timing {
    /// A randomized election timeout, drawn uniformly from
    /// `election_ticks_min..=election_ticks_max + backoff` (`backoff`: extra room after failed
    /// elections). Randomness is what breaks ties between candidates (Raft §5.2; seed 004).
    pub fn election_timeout(&self, rng: &mut Prng, backoff: u32) -> u32 {
        let spread = self.election_ticks_max.saturating_sub(self.election_ticks_min);
        self.election_ticks_min + rng.below(u64::from(spread + backoff) + 1) as u32
    }
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
    /// How many log entries (values, votes) one AppendEntries, catch-up or replication message
    /// carries at most. Each protocol has its own ceiling too (Raft's `APPEND_ENTRIES_MAX`, …); the
    /// default, `u32::MAX`, adds none. Small values make lagging replicas catch up in many steps, so
    /// the simulator's swarm sweep draws them.
    pub entries_max: u32,
    /// How many slots apart a replica checkpoints its store and compacts its log (default
    /// [`crate::machine::CHECKPOINT_EVERY`]). Small values compact often, so lagging replicas are
    /// sent snapshots.
    pub checkpoint_every: crate::Slot,
    /// Whether a rejected proposer waits a randomized, exponentially growing time before retrying.
    /// Off only to show the livelock it prevents.
    pub backoff: bool,
    /// Which replication scheme the primary–backup and majority read/write protocols follow.
    pub scheme: Scheme,
    /// Planted bugs (always empty unless the `planted-bugs` feature is on).
    pub bugs: Bugs,
}

/// The replication schemes of seed 001 that are *not* consensus — the playground's teaching foils.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// The primary answers a write at once and copies it to the backups later.
    #[default]
    Async,
    /// The primary answers once every backup has the write.
    Sync,
    /// The primary answers once enough backups (a majority of the cluster, with itself) have it.
    SemiSync,
    /// A write goes to a majority of replicas, a read reads a majority; no versions.
    Majority,
    /// As `Majority`, with a timestamp on every write; a read takes the newest it sees.
    MajorityTimestamps,
}

impl Scheme {
    /// The scheme in words, for messages.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Async => "async",
            Scheme::Sync => "sync",
            Scheme::SemiSync => "semi-sync",
            Scheme::Majority => "majority",
            Scheme::MajorityTimestamps => "majority with timestamps",
        }
    }
}

/// How many of `n` make a majority, `⌊n/2⌋ + 1`: the smallest size at which any two sets of `n`
/// share a member (Paxos Made Simple, §2.2). The one place quorum sizes are computed: protocols take
/// it through [`Config::quorum`] (where a planted bug may shrink it), checkers from here directly.
pub const fn majority_of(n: usize) -> usize {
    n / 2 + 1
}

/// How many of `n` acceptors make a Fast Paxos fast quorum, `⌈3n/4⌉`: with a classic quorum `q` of
/// [`majority_of`]`(n)`, `q + 2f > 2n` (see [`Config::fast_quorum`]).
pub const fn fast_quorum_of(n: usize) -> usize {
    (3 * n).div_ceil(4)
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
            entries_max: u32::MAX,
            checkpoint_every: crate::machine::CHECKPOINT_EVERY,
            backoff: true,
            scheme: Scheme::Async,
            bugs: Bugs::NONE,
        }
    }

    /// How many acceptors make a majority: any two such sets share an acceptor.
    pub fn quorum(&self) -> usize {
        let quorum = majority_of(self.acceptors.len());
        if self.bugs.has(Bug::SmallQuorum) { quorum - 1 } else { quorum }
    }

    /// Fast Paxos: how many acceptors make a fast quorum, ⌈3n/4⌉ of the `n` acceptors. With a
    /// classic quorum `q = ⌊n/2⌋ + 1` and a fast quorum `f`, `q + 2f > 2n`: any classic quorum meets
    /// any two fast quorums, so a classic round can tell which fast-round value may have been chosen
    /// (Lamport, Fast Paxos, 2006, §3.3).
    pub fn fast_quorum(&self) -> usize {
        let fast = fast_quorum_of(self.acceptors.len());
        if self.bugs.has(Bug::FastQuorumTooSmall) { self.quorum() } else { fast }
    }

    /// Every node, `0..nodes`.
    pub fn all(&self) -> NodeSet {
        NodeSet::first(self.nodes)
    }

    /// Every node but `id`.
    pub fn others(&self, id: NodeId) -> NodeSet {
        let mut others = self.all();
        others.remove(id);
        others
    }

    /// At most `own` entries (a protocol's ceiling), and at most [`Config::entries_max`].
    pub fn entries_max(&self, own: usize) -> usize {
        own.min(usize::try_from(self.entries_max).unwrap_or(usize::MAX)).max(1)
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
    /// Fast Paxos: a fast round is decided with a classic majority instead of ⌈3n/4⌉ acceptors.
    FastQuorumTooSmall,
    /// Fast Paxos: a coordinator recovering from a conflicting fast round ignores which value may have
    /// been chosen there and proposes its own (breaks Fast Paxos's rule for picking a value).
    FastRecoveryIgnoresVotes,
    /// Raft: a leader commits an entry of a previous term by counting replicas (Raft §5.4.2, Figure 8).
    RaftCommitsOldTerm,
    /// Raft: a node votes for two candidates in the same term (breaks Election Safety).
    RaftVotesTwice,
    /// Raft: a follower appends entries without the consistency check on the previous entry (§5.3).
    RaftSkipsLogCheck,
}

impl Bug {
    /// Every planted bug.
    pub const ALL: [Bug; 17] = [
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
        Bug::FastQuorumTooSmall,
        Bug::FastRecoveryIgnoresVotes,
        Bug::RaftCommitsOldTerm,
        Bug::RaftVotesTwice,
        Bug::RaftSkipsLogCheck,
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
            Bug::FastQuorumTooSmall => "fast-quorum-too-small",
            Bug::FastRecoveryIgnoresVotes => "fast-recovery-ignores-votes",
            Bug::RaftCommitsOldTerm => "raft-commits-old-term",
            Bug::RaftVotesTwice => "raft-votes-twice",
            Bug::RaftSkipsLogCheck => "raft-skips-log-check",
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_of_bugs_and_their_tags_agree() {
        for (i, bug) in Bug::ALL.into_iter().enumerate() {
            assert_eq!(bug as usize, i);
            assert_eq!(Bug::from_name(bug.name()), Some(bug));
        }
        assert!(Bug::ALL.len() <= 32, "Bugs is a 32-bit set");
    }

    /// The cap on entries per message leaves each protocol's own ceiling alone by default, lowers
    /// it when set, and never goes below one entry (a message that carries nothing never catches
    /// anyone up).
    #[test]
    fn entries_max_caps_each_protocols_ceiling() {
        let mut config = Config::new(5);
        assert_eq!((config.entries_max(64), config.entries_max(256)), (64, 256));
        config.entries_max = 3;
        assert_eq!((config.entries_max(64), config.entries_max(2)), (3, 2));
        config.entries_max = 0;
        assert_eq!(config.entries_max(64), 1);
        assert_eq!(Config::new(3).checkpoint_every, crate::machine::CHECKPOINT_EVERY);
    }

    /// Fast Paxos §3.3: q + 2f > 2n, so a classic quorum meets any two fast quorums.
    #[test]
    fn fast_quorums_meet_classic_ones() {
        for n in 1..=9 {
            let config = Config::new(n);
            let (q, f, n) = (config.quorum(), config.fast_quorum(), n as usize);
            assert!(q + 2 * f > 2 * n, "n = {n}: q = {q}, f = {f}");
            assert!(f <= n);
        }
        assert_eq!(Config::new(5).fast_quorum(), 4);
        assert_eq!(Config::new(4).fast_quorum(), 3);
    }
}
