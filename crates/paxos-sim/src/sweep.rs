//! The seed sweep: one standard run per seed, with the fault mix and cluster size drawn from the seed,
//! and every invariant checked. The command line runs it on all cores (`paxos sweep`); the tests
//! run it to prove that every planted bug is caught.
//!
//! A seed's run: a cluster of 3, 5 or 7 nodes, four workload clients on three keys (whose timeout is
//! 100, 200 or 400 ms: quick clients find a new leader before the old one knows it is deposed), links of
//! different speeds (a quarter of them slow, 5–30 ms instead of 1–10 ms: that is where reorderings
//! that expose bugs come from), a nemesis of the seed's fault mix for the first 3 s, then faults stop
//! and the run goes on until the liveness bound has passed for every operation pending at that moment.

use std::panic::{AssertUnwindSafe, catch_unwind};

use paxos_core::{Bug, Bugs, Prng};

use crate::check::{Invariant, Violation};
use crate::config::{LatencySpec, LinkSpec, NodeName, ProtocolKind, SimConfig};
use crate::faults::{Fault, FaultMix, FaultPlan, Nemesis, Scheduled};
use crate::run::simulate;
use crate::trace::Time;

/// The planted bugs that can be planted in `protocol` (each must be caught by the sweep).
pub const fn bugs_for(protocol: ProtocolKind) -> &'static [Bug] {
    const PAXOS: [Bug; 12] = [
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
    match protocol {
        ProtocolKind::Multi => &PAXOS,
        // Basic Paxos has no leader to serve local reads.
        ProtocolKind::Basic => {
            const BASIC: [Bug; 11] = [
                Bug::AcceptBelowPromise,
                Bug::IgnorePromisedValues,
                Bug::FirstReportedValue,
                Bug::SkipHoleFilling,
                Bug::DoubleCountVote,
                Bug::SameBallot,
                Bug::PromiseBeforePersist,
                Bug::CatchupOutOfOrder,
                Bug::NoDedup,
                Bug::SmallQuorum,
                Bug::ReplyBeforeChosen,
            ];
            &BASIC
        }
        ProtocolKind::Fast => {
            &[Bug::FastQuorumTooSmall, Bug::FastRecoveryIgnoresVotes, Bug::AcceptBelowPromise, Bug::NoDedup]
        }
        ProtocolKind::Raft => &[Bug::RaftCommitsOldTerm, Bug::RaftVotesTwice, Bug::RaftSkipsLogCheck, Bug::NoDedup],
        // The foils fail without help.
        _ => &[],
    }
}

/// For a teaching foil, the invariants whose breaking is the anomaly seed 001 describes (the sweep
/// counts a foil as caught only by one of these); empty for the consensus protocols, whose every
/// failure is news.
///
/// For sync it is `available`: its flaw, "任何一个机器宕机, 写入就进行不下去了" (one dead backup
/// blocks every write), shows in the crash mix's outage (see [`config`]), when a minority stays down
/// with the network whole for longer than the bound. It never loses an acknowledged write.
pub const fn anomaly(protocol: ProtocolKind) -> &'static [Invariant] {
    match protocol {
        // An acknowledged write lost when the primary dies; backups missing different writes.
        ProtocolKind::Async | ProtocolKind::SemiSync => &[Invariant::Linearizable, Invariant::LogsAgree],
        // Lost updates; readers seeing different values.
        ProtocolKind::Majority | ProtocolKind::MajorityTs => &[Invariant::Linearizable],
        // Every write blocked while one backup is down.
        ProtocolKind::Sync => &[Invariant::Available],
        _ => &[],
    }
}

impl Verdict {
    /// The violation, if the run failed one.
    pub fn violation(&self) -> Option<&Violation> {
        match self {
            Verdict::Safety(v) | Verdict::Liveness(v) => Some(v),
            Verdict::Pass | Verdict::Panic(_) => None,
        }
    }
}

/// How long the nemesis runs in a sweep run, ms.
pub const FAULTS_MS: u64 = 3_000;

/// The configuration of seed `seed`'s run.
pub fn config(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> SimConfig {
    let mut rng = Prng::derive(seed, 5);
    let mix = FaultMix::ALL[(seed % FaultMix::ALL.len() as u64) as usize];
    let nodes = [3, 5, 5, 7][rng.below(4) as usize];
    let mut config = SimConfig { protocol, nodes, seed, bugs, ..SimConfig::default() };
    config.clients.workload = 4;
    config.clients.keys = 3;
    config.clients.timeout_ms = [100, 200, 400][rng.below(3) as usize];
    for from in 0..nodes {
        for to in (0..nodes).filter(|&to| to != from) {
            if rng.below(4) == 0 {
                let (from, to) = (NodeName(from), NodeName(to));
                config.network.links.push(LinkSpec { from, to, latency_us: LatencySpec(5_000, 30_000) });
            }
        }
    }
    config.faults = FaultPlan {
        nemesis: Some(Nemesis { from_ms: 0, until_ms: FAULTS_MS, mix, every_ms: [20, 300], max_down: None, weights: None }),
        ..FaultPlan::default()
    };
    let bound_ms = crate::check::liveness::bound(&config) / 1_000;
    let mut quiet_ms = FAULTS_MS;
    if mix == FaultMix::Crash {
        // Then an outage: everything comes back, and a minority goes down for longer than the
        // bound, with the network whole — one random node, and from five nodes on the leader too
        // (if there is one). The protocol must keep answering: the `available` invariant, which
        // synchronous primary–backup cannot keep.
        let start = FAULTS_MS + 1_000;
        let mut outage = vec![
            Scheduled { at_ms: FAULTS_MS, fault: Fault::Recover {} },
            Scheduled { at_ms: start, fault: Fault::Crash { node: NodeName(rng.below(u64::from(nodes)) as u8) } },
        ];
        if nodes >= 5 {
            outage.insert(1, Scheduled { at_ms: start, fault: Fault::CrashLeader {} });
        }
        config.faults.schedule = outage;
        quiet_ms = start + bound_ms + 1_000;
        config.faults.quiet_from_ms = Some(quiet_ms);
    }
    config.duration_ms = quiet_ms + bound_ms + 1_000;
    config
}

/// How a seed's run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every invariant held.
    Pass,
    /// A safety invariant broke (the first found).
    Safety(Violation),
    /// Operations did not complete in time after faults stopped.
    Liveness(Violation),
    /// The simulator or a node panicked.
    Panic(String),
}

impl Verdict {
    /// How bad: panics and safety violations outrank liveness failures, which outrank a pass.
    pub fn severity(&self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Liveness(_) => 1,
            Verdict::Panic(_) => 2,
            Verdict::Safety(_) => 3,
        }
    }
}

/// Runs seed `seed` to the end and judges it.
pub fn run_seed(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> Verdict {
    judge(protocol, seed, bugs).verdict
}

/// How a seed's run ended, with the longest time (µs) an operation waited after faults stopped, and
/// the liveness bound it had to keep to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// Pass or the first failure.
    pub verdict: Verdict,
    /// The longest wait after faults stopped, µs.
    pub recovery: Time,
    /// The run's liveness bound, µs.
    pub bound: Time,
}

/// Runs seed `seed` to the end and judges it.
pub fn judge(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> Judgement {
    let config = config(protocol, seed, bugs);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut sim = simulate(&config).expect("sweep configurations are valid");
        sim.run_to_end();
        let quiet = config.faults.quiet_from().unwrap_or(0);
        let recovery = sim
            .history()
            .operations()
            .iter()
            .filter_map(|op| {
                let (_, returned, _) = op.ret?;
                (returned > quiet).then(|| returned - op.invoke.1.max(quiet))
            })
            .max()
            .unwrap_or(0);
        (sim.violations().to_vec(), recovery)
    }));
    let bound = crate::check::liveness::bound(&config);
    match outcome {
        Err(panic) => Judgement { verdict: Verdict::Panic(panic_message(&*panic)), recovery: 0, bound },
        Ok((violations, recovery)) => {
            let verdict = match violations.iter().find(|v| !v.invariant.is_liveness()).or(violations.first()).cloned() {
                None => Verdict::Pass,
                Some(v) if v.invariant.is_liveness() => Verdict::Liveness(v),
                Some(v) => Verdict::Safety(v),
            };
            Judgement { verdict, recovery, bound }
        }
    }
}

/// The text of a panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}
