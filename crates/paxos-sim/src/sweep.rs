//! The swarm sweep: one run per seed, with everything drawn from the seed — cluster size, clients,
//! timing, sizes, slow links, the nemesis's moves and pace (see [`config`]) — and every invariant
//! checked, within [`SWEEP_LIMITS`]. The command line runs it on all cores (`paxos sweep`); the
//! tests run it to prove that every planted bug is caught. `docs/formats.md` (#swarm) lists what
//! each protocol sees.
//!
//! Why a swarm (TigerBeetle's VOPR; Groce et al., "Swarm testing", ISSTA 2012): a sweep that always
//! ran 3, 5 or 7 nodes could not meet a quorum rule wrong only for even sizes, and one that always
//! ran the default sizes never sent a snapshot. Quick clients (100 ms) find a new leader before the
//! old one knows it is deposed; slow links (5–30 ms instead of 1–10 ms) are where the reorderings
//! that expose bugs come from.

use std::panic::{AssertUnwindSafe, catch_unwind};

use paxos_core::{Bug, Bugs, MsgKind, Prng};

use crate::check::{Invariant, Violation};
use crate::config::{LatencySpec, LinkSpec, NodeName, ProtocolKind, SimConfig};
use crate::faults::{Fault, FaultMix, FaultPlan, NEMESIS_MOVES, Nemesis, Scheduled};
use crate::limits::{Exceeded, Limits};
use crate::run::simulate;
use crate::trace::{EventKind, Time};

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
            Verdict::Pass | Verdict::Panic(_) | Verdict::Exceeded(_) => None,
        }
    }
}

/// How long the nemesis runs in a sweep run, ms.
pub const FAULTS_MS: u64 = 3_000;

/// The limits of a sweep run: its runs make about 10⁵ events, so these leave a wide margin and
/// still keep the sweep's threads together far below a machine's memory ([`crate::limits`]).
pub const SWEEP_LIMITS: Limits = Limits { events: 5_000_000, in_flight: 100_000, bytes: 512 << 20 };

/// The configuration of seed `seed`'s run: everything drawn from the seed (a swarm, as TigerBeetle's
/// VOPR does), so that each seed tries its own corner of the parameter space.
///
/// - the cluster: 3 to 9 nodes, even sizes included (a quorum rule wrong only for even sizes fails);
/// - the clients: 2–5 closed-loop clients on 1–4 keys, timing out after 100, 200 or 400 ms;
/// - the timing: election timeouts from 6 ticks and resends from 7 (both above the slowest round
///   trip), heartbeats from 1 tick, back-off from 2–8 ticks (growing to 8 or 16 times that, at most 64);
/// - the sizes: pipelining window and batch from 1, in about half the seeds a short checkpoint
///   interval (2–16 slots), so that lagging replicas are sent snapshots, and for the consensus
///   protocols in about half the seeds a small cap on the entries an AppendEntries or catch-up
///   carries (1–8; 4–32 votes for Basic and Fast Paxos), so that lagging replicas catch up in many
///   steps;
/// - the network: each directed link slow (5–30 ms instead of 1–10 ms) with a chance drawn per seed;
/// - the faults: a nemesis for the first 3 s with its own weights for each of its moves (see
///   [`crate::faults::NEMESIS_MOVES`]; the foils never get leader churn — see [`moves_for`]) and its
///   own pace, then in a quarter of the seeds an outage (below); then faults stop and the run goes on
///   until the liveness bound has passed for every operation pending at that moment.
///
/// Every draw is an integer from the project's [`Prng`]: no floats.
pub fn config(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> SimConfig {
    let mut rng = Prng::derive(seed, 5);
    let nodes = 3 + rng.below(7) as u8;
    let mut config = SimConfig { protocol, nodes, seed, bugs, ..SimConfig::default() };
    config.clients.workload = rng.between(2, 5) as u16;
    config.clients.keys = rng.between(1, 4) as u8;
    config.clients.timeout_ms = [100, 200, 400][rng.below(3) as usize];
    draw_params(&mut rng, &mut config);
    let slow = rng.between(2, 8);
    for from in 0..nodes {
        for to in (0..nodes).filter(|&to| to != from) {
            if rng.below(slow) == 0 {
                let (from, to) = (NodeName(from), NodeName(to));
                config.network.links.push(LinkSpec { from, to, latency_us: LatencySpec(5_000, 30_000) });
            }
        }
    }
    let mut weights = [0; NEMESIS_MOVES.len()];
    for (weight, allowed) in weights.iter_mut().zip(moves_for(protocol)) {
        if allowed && rng.below(2) == 0 {
            *weight = rng.between(1, 3) as u32;
        }
    }
    if weights.iter().all(|&w| w == 0) {
        weights[rng.below(7) as usize] = 1;
    }
    let every_lo = [10, 20, 50, 100][rng.below(4) as usize];
    let every_ms = [every_lo, every_lo + rng.between(50, 400)];
    let mix = FaultMix::ALL[(seed % FaultMix::ALL.len() as u64) as usize];
    config.faults = FaultPlan {
        nemesis: Some(Nemesis {
            from_ms: 0,
            until_ms: FAULTS_MS,
            mix,
            every_ms,
            max_down: None,
            weights: Some(weights),
        }),
        ..FaultPlan::default()
    };
    let bound_ms = crate::check::liveness::bound(&config) / 1_000;
    let mut quiet_ms = FAULTS_MS;
    if rng.below(4) == 0 {
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

/// Draws the protocol's timing and sizes. Election timeouts stay above the slowest round trip
/// (2 × 30 ms on a slow link) plus a heartbeat period, so that a healthy leader is not suspected
/// between heartbeats: the swarm looks for bugs, not for timeouts no deployment would choose.
fn draw_params(rng: &mut Prng, config: &mut SimConfig) {
    let foil = config.protocol.is_foil();
    let p = &mut config.params;
    let election_min = rng.between(6, 30) as u32;
    p.election_ticks = [election_min, election_min + rng.between(1, u64::from(election_min)) as u32];
    p.heartbeat_ticks = rng.between(1, u64::from((election_min - 4) / 2).max(1)) as u32;
    // A resend before the answers can be back (60 ms on slow links) restarts every round: with no
    // leader, Basic Paxos's proposers then outbid each other for seconds (seed 286 decided 6 slots
    // in 10 s with 2 ticks). So, like elections, resends wait longer than the slowest round trip.
    p.resend_ticks = rng.between(7, 15) as u32;
    // The back-off must be able to grow well past a round trip (to 8 or 16 times its base): with
    // base = max, or a maximum of 80 ms, leaderless proposers (Basic, Fast Paxos) duel for seconds
    // (seeds 80, 124, 357) — a choice no one would make.
    // At most 64 ticks, the default: the liveness bound, and so every run's length, grows with it.
    let backoff_base = rng.between(2, 8) as u32;
    p.backoff_ticks = [backoff_base, (backoff_base * [8, 16][rng.below(2) as usize]).min(64)];
    p.window = [1, 2, 4, 8, 16][rng.below(5) as usize];
    p.batch_max = [1, 2, 4, 16][rng.below(4) as usize];
    // Basic and Fast Paxos learners catch up on votes, which count only when a quorum restates the
    // same slot; one or two votes per `Votes` message rarely make a quorum, and every slot then
    // waits for its repair round (Fast Paxos seeds 211 and 236 fell seconds behind so).
    let small = match config.protocol {
        ProtocolKind::Basic | ProtocolKind::Fast => [4, 8, 16, 32],
        _ => [1, 2, 4, 8],
    };
    let entries_max = Some(small[rng.below(4) as usize]);
    if rng.below(2) == 0 && !foil {
        // Not for the foils: a primary–backup primary sends one batch per heartbeat, so a cap of a
        // few entries makes its backups fall behind for good (a liveness failure that is not the
        // anomaly each foil is there to show).
        p.entries_max = entries_max;
    }
    if rng.below(2) == 0 {
        p.checkpoint_every = Some([2, 4, 8, 16][rng.below(4) as usize]);
    }
}

/// Which nemesis moves (in [`NEMESIS_MOVES`]' order) a sweep draws for `protocol`: every one for
/// the consensus protocols; no leader churn for the teaching foils, whose anomalies seed 001 states
/// under crashes, partitions and loss — a forced election in primary–backup is a failover no
/// operator would make while the primary is healthy, and would break it in ways the page does not
/// teach.
pub const fn moves_for(protocol: ProtocolKind) -> [bool; NEMESIS_MOVES.len()] {
    let churn = !protocol.is_foil();
    [true, true, true, true, true, true, true, true, churn, true]
}

/// What a seed's swarm drew, in one line: `paxos replay --seed N --protocol P` runs it again.
pub fn describe(config: &SimConfig) -> String {
    let p = &config.params;
    let nemesis = config.faults.nemesis.as_ref();
    let moves: Vec<String> = nemesis
        .map(|n| {
            NEMESIS_MOVES.iter().zip(n.weights()).filter(|(_, w)| *w > 0).map(|(m, w)| format!("{m}×{w}")).collect()
        })
        .unwrap_or_default();
    let every = nemesis.map_or([0, 0], |n| n.every_ms);
    let or_default = |v: Option<u32>| v.map_or("default".to_string(), |v| v.to_string());
    format!(
        "{} nodes, {} clients on {} keys (timeout {} ms), election {}–{} ticks, heartbeat {}, resend {}, \
         backoff {}–{}, window {}, batch {}, entries {}, checkpoint every {}, {} slow links; \
         faults every {}–{} ms: {}{}",
        config.nodes,
        config.clients.workload,
        config.clients.keys,
        config.clients.timeout_ms,
        p.election_ticks[0],
        p.election_ticks[1],
        p.heartbeat_ticks,
        p.resend_ticks,
        p.backoff_ticks[0],
        p.backoff_ticks[1],
        p.window,
        p.batch_max,
        or_default(p.entries_max),
        or_default(p.checkpoint_every),
        config.network.links.len(),
        every[0],
        every[1],
        moves.join(" "),
        if config.faults.schedule.is_empty() { "" } else { ", then an outage" }
    )
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
    /// The run passed one of its limits (a flood of messages, say) and was stopped there.
    Exceeded(Exceeded),
}

impl Verdict {
    /// How bad: safety violations outrank panics, which outrank runaway runs, then liveness
    /// failures, then a pass.
    pub fn severity(&self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Liveness(_) => 1,
            Verdict::Exceeded(_) => 2,
            Verdict::Panic(_) => 3,
            Verdict::Safety(_) => 4,
        }
    }

    /// The exit code of `paxos` for this verdict (`docs/formats.md` lists them).
    pub fn exit_code(&self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Safety(_) => 3,
            Verdict::Liveness(_) => 4,
            Verdict::Panic(_) => 5,
            Verdict::Exceeded(_) => 7,
        }
    }
}

/// Runs seed `seed` to the end and judges it.
pub fn run_seed(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> Verdict {
    judge(protocol, seed, bugs).verdict
}

/// How a seed's run ended, with the longest time (µs) an operation waited after faults stopped, the
/// liveness bound it had to keep to, and which catch-up paths it exercised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// Pass or the first failure.
    pub verdict: Verdict,
    /// The longest wait after faults stopped, µs.
    pub recovery: Time,
    /// The run's liveness bound, µs.
    pub bound: Time,
    /// Whether a node sent a snapshot of its store (a lagging replica behind a compacted log).
    pub snapshot: bool,
    /// Whether a node caught a lagging replica up with values or votes (`Catchup`, `Votes`).
    pub catchup: bool,
}

/// Runs seed `seed` to the end, within [`SWEEP_LIMITS`], and judges it.
pub fn judge(protocol: ProtocolKind, seed: u64, bugs: Bugs) -> Judgement {
    judge_config(&config(protocol, seed, bugs), SWEEP_LIMITS)
}

/// Runs `config` to the end within `limits` and judges it.
pub fn judge_config(config: &SimConfig, limits: Limits) -> Judgement {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut sim = simulate(config).expect("sweep configurations are valid");
        sim.set_limits(limits);
        // Nobody reads a sweep run's explanations (`paxos replay` runs the seed again for that).
        sim.set_explain(false);
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
        let sent = |kinds: &[MsgKind]| {
            sim.trace().events().iter().any(|e| matches!(e.kind, EventKind::Send { kind, .. } if kinds.contains(&kind)))
        };
        let paths = (sent(&[MsgKind::Snapshot]), sent(&[MsgKind::Catchup, MsgKind::Votes]));
        (sim.violations().to_vec(), sim.exceeded().cloned(), recovery, paths)
    }));
    let bound = crate::check::liveness::bound(config);
    match outcome {
        Err(panic) => Judgement {
            verdict: Verdict::Panic(panic_message(&*panic)),
            recovery: 0,
            bound,
            snapshot: false,
            catchup: false,
        },
        Ok((violations, exceeded, recovery, (snapshot, catchup))) => {
            let safety = violations.iter().find(|v| !v.invariant.is_liveness()).cloned();
            let verdict = match (safety, exceeded, violations.first().cloned()) {
                (Some(v), _, _) => Verdict::Safety(v),
                (None, Some(exceeded), _) => Verdict::Exceeded(exceeded),
                (None, None, Some(v)) => Verdict::Liveness(v),
                (None, None, None) => Verdict::Pass,
            };
            Judgement { verdict, recovery, bound, snapshot, catchup }
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
