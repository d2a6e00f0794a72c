//! The swarm sweep (issue 15): every seed draws its own cluster, timing, sizes and faults; the
//! nemesis's newer moves do what they say; a run past a limit stops as a finding of its own.

use paxos_core::{Bugs, MsgKind, Role};
use paxos_sim::faults::{FaultMix, NEMESIS_MOVES, Nemesis};
use paxos_sim::limits::{Limit, Limits};
use paxos_sim::sweep::{self, Verdict};
use paxos_sim::{EventKind, FaultPlan, ProtocolKind, SimConfig, simulate};

/// Over a few hundred seeds the swarm draws every cluster size from 3 to 9 (the even ones too: a
/// quorum rule wrong only for even sizes must meet one), small window, batch, entries and checkpoint
/// values, every nemesis move, and only configurations that validate.
#[test]
fn the_swarm_draws_every_size_and_small_values() {
    let mut sizes = [0u32; 10];
    let mut moves = [0u32; NEMESIS_MOVES.len()];
    let (mut window_1, mut batch_1, mut entries_1, mut checkpoint_2, mut outages) = (0, 0, 0, 0, 0);
    for seed in 0..400 {
        let config = sweep::config(ProtocolKind::Raft, seed, Bugs::NONE);
        config.validate().unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        sizes[usize::from(config.nodes)] += 1;
        let p = &config.params;
        window_1 += u32::from(p.window == 1);
        batch_1 += u32::from(p.batch_max == 1);
        entries_1 += u32::from(p.entries_max == Some(1));
        checkpoint_2 += u32::from(p.checkpoint_every == Some(2));
        assert!(p.heartbeat_ticks < p.election_ticks[0], "seed {seed}");
        let nemesis = config.faults.nemesis.as_ref().expect("a nemesis");
        for (count, weight) in moves.iter_mut().zip(nemesis.weights()) {
            *count += u32::from(weight > 0);
        }
        outages += u32::from(!config.faults.schedule.is_empty());
        // The same seed draws the same run: `paxos replay` reproduces it.
        assert_eq!(sweep::config(ProtocolKind::Raft, seed, Bugs::NONE), config);
    }
    println!(
        "sizes {sizes:?}, moves {moves:?}, window 1: {window_1}, batch 1: {batch_1}, entries 1: {entries_1}, checkpoint 2: {checkpoint_2}, outages {outages}"
    );
    assert!(sizes[3..=9].iter().all(|&n| n > 20), "every size 3–9: {sizes:?}");
    assert_eq!(sizes[..3].iter().sum::<u32>(), 0);
    assert!(moves.iter().all(|&n| n > 50), "every move drawn often: {moves:?}");
    assert!([window_1, batch_1, entries_1, checkpoint_2].iter().all(|&n| n > 10));
    assert!(outages > 50, "{outages}");
}

/// The foils never get leader churn, and never a cap on entries (see `sweep::moves_for`).
#[test]
fn the_foils_draw_no_churn_and_no_entries_cap() {
    for seed in 0..200 {
        let config = sweep::config(ProtocolKind::SemiSync, seed, Bugs::NONE);
        let churn = NEMESIS_MOVES.iter().position(|&m| m == "churn").expect("a churn move");
        assert_eq!(config.faults.nemesis.expect("a nemesis").weights()[churn], 0, "seed {seed}");
        assert_eq!(config.params.entries_max, None, "seed {seed}");
    }
}

/// A run whose nemesis makes only move `name`, on 5 nodes, from 0.5 s to 1.5 s of a 4 s run.
fn only(name: &str, protocol: ProtocolKind) -> SimConfig {
    let mut weights = [0; NEMESIS_MOVES.len()];
    weights[NEMESIS_MOVES.iter().position(|&m| m == name).expect("a move")] = 1;
    let mut config = SimConfig { protocol, seed: 9, duration_ms: 4_000, ..SimConfig::default() };
    config.faults = FaultPlan {
        nemesis: Some(Nemesis {
            from_ms: 500,
            until_ms: 1_500,
            mix: FaultMix::All,
            every_ms: [50, 100],
            max_down: None,
            weights: Some(weights),
        }),
        ..FaultPlan::default()
    };
    config
}

/// A one-way partition cuts links in one direction only: some link is cut while its reverse works.
#[test]
fn a_one_way_partition_cuts_links_one_way() {
    let mut sim = simulate(&only("one-way", ProtocolKind::Raft)).unwrap();
    sim.run_until(1_400_000);
    let cuts = sim.picture(None).cuts;
    assert!(!cuts.is_empty(), "the nemesis cut links");
    assert!(cuts.iter().any(|&(from, to)| !cuts.contains(&(to, from))), "{cuts:?}");
    sim.run_to_end();
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

/// Long delays: messages arrive later than the longest election timeout after they were sent.
#[test]
fn long_delays_outlast_an_election_timeout() {
    let config = only("delay", ProtocolKind::Multi);
    let election = u64::from(config.params.election_ticks[1] * config.params.tick_us);
    let mut sim = simulate(&config).unwrap();
    sim.run_to_end();
    let trace = sim.trace();
    let mut sent = std::collections::BTreeMap::new();
    let mut late = 0;
    for event in trace.events() {
        match event.kind {
            EventKind::Send { msg, .. } => {
                sent.insert(msg, event.time);
            }
            EventKind::Deliver { msg } if event.time - sent[&msg] > election => late += 1,
            _ => {}
        }
    }
    assert!(late > 10, "{late} messages arrived more than {election} µs after they left");
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}

/// Leader churn pauses the leader or makes another node run: leadership changes hands often.
#[test]
fn leader_churn_changes_leaders() {
    let leaders = |config: &SimConfig| {
        let mut sim = simulate(config).unwrap();
        sim.run_to_end();
        assert!(sim.violations().is_empty(), "{:?}", sim.violations());
        let became = |e: &&paxos_sim::Event| matches!(e.kind, EventKind::Role { role: Role::Leader, .. });
        sim.trace().events().iter().filter(became).count()
    };
    let mut calm = only("churn", ProtocolKind::Raft);
    calm.faults.nemesis = None;
    let (churned, calm) = (leaders(&only("churn", ProtocolKind::Raft)), leaders(&calm));
    assert!(churned > calm + 5, "{churned} leaders under churn, {calm} without");
}

/// A run past its limit stops there: the sweep's verdict names the limit, and the run did not go on.
#[test]
fn a_run_past_a_limit_is_a_finding_of_its_own() {
    let mut config = sweep::config(ProtocolKind::Multi, 3, Bugs::NONE);
    config.network.duplication = paxos_sim::config::RatioSpec(1, 1);
    let limits = Limits { in_flight: 30, ..sweep::SWEEP_LIMITS };
    let judgement = sweep::judge_config(&config, limits);
    let Verdict::Exceeded(exceeded) = &judgement.verdict else { panic!("{:?}", judgement.verdict) };
    assert_eq!((exceeded.limit, exceeded.max), (Limit::InFlight, 30));
    assert!(exceeded.value > 30 && exceeded.time < config.end(), "{exceeded}");
    assert_eq!(judgement.verdict.exit_code(), 7);
    let events = sweep::judge_config(&config, Limits { events: 500, ..sweep::SWEEP_LIMITS });
    assert!(matches!(events.verdict, Verdict::Exceeded(e) if e.limit == Limit::Events && e.value > 500));
    // Within the sweep's own limits the same run passes.
    assert_eq!(sweep::judge_config(&config, sweep::SWEEP_LIMITS).verdict, Verdict::Pass);
}

/// Small checkpoint intervals and entry caps make lagging replicas take the snapshot path.
#[test]
fn small_sizes_send_snapshots() {
    let snapshots = |every: Option<u32>| {
        let mut config = only("crash", ProtocolKind::Multi);
        config.params.checkpoint_every = every;
        config.params.entries_max = every.map(|_| 1);
        let mut sim = simulate(&config).unwrap();
        sim.run_to_end();
        assert!(sim.violations().is_empty(), "{:?}", sim.violations());
        let kind = |e: &&paxos_sim::Event| matches!(e.kind, EventKind::Send { kind: MsgKind::Snapshot, .. });
        sim.trace().events().iter().filter(kind).count()
    };
    let (small, default) = (snapshots(Some(2)), snapshots(None));
    assert!(small > default, "{small} snapshots every 2 slots, {default} by default");
}
