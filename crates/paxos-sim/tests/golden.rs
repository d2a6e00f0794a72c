//! The golden trace: the same inputs give a bit-identical trace natively and in the browser.
//!
//! This file runs twice in `cargo xtask test`: natively (`native-test`) and compiled to wasm32 in
//! headless Chromium (`wasm-test`). Both must produce the pinned hash; a change that alters the
//! trace of these runs on purpose must update it (and say why in its commit).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use paxos_sim::config::{NodeName, OpSpec};
use paxos_sim::faults::{Fault, FaultMix, FaultPlan, Nemesis, Scheduled};
use paxos_sim::{ProtocolKind, SimConfig, simulate, sweep};

/// A 5-node run with every kind of fault, scripted faults and a request by hand.
fn golden_config(protocol: ProtocolKind) -> SimConfig {
    let mut config = SimConfig { protocol, nodes: 5, seed: 42, duration_ms: 3_000, ..SimConfig::default() };
    let request = Fault::Request { client: None, node: Some(NodeName(2)), op: OpSpec(paxos_core::Op::Inc(8, 1)) };
    config.faults = FaultPlan {
        schedule: vec![
            Scheduled { at_ms: 400, fault: Fault::Crash { node: NodeName(0) } },
            Scheduled { at_ms: 700, fault: request },
            Scheduled { at_ms: 900, fault: Fault::Restart { node: NodeName(0) } },
        ],
        nemesis: Some(Nemesis {
            from_ms: 1_000,
            until_ms: 2_000,
            mix: FaultMix::All,
            every_ms: [20, 200],
            max_down: None,
            weights: None,
        }),
        quiet_from_ms: None,
    };
    config
}

fn trace_hash(config: &SimConfig) -> (u64, usize) {
    let mut sim = simulate(config).expect("valid");
    sim.run_to_end();
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
    (sim.trace().hash(), sim.trace().len())
}

#[test]
fn multi_paxos_golden_trace() {
    assert_eq!(trace_hash(&golden_config(ProtocolKind::Multi)), (0xBE5C_65F2_3B2F_8874, 6397));
}

#[test]
fn basic_paxos_golden_trace() {
    assert_eq!(trace_hash(&golden_config(ProtocolKind::Basic)), (0x4408_90D3_51E6_3F6C, 12876));
}

/// A sweep seed, as `paxos replay` would run it. Pinned again when the swarm sweep began to draw
/// each seed's cluster, timing, sizes and nemesis weights (issue 15): seed 7 now runs 8 nodes.
#[test]
fn sweep_seed_golden_trace() {
    let config = sweep::config(ProtocolKind::Multi, 7, paxos_core::Bugs::NONE);
    assert_eq!(trace_hash(&config), (0x2B83_5D16_98EA_B476, 26919));
}
