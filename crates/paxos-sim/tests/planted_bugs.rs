//! Proof that the checkers bite: every planted bug (see `paxos_core::Bug`) is caught by the seed
//! sweep within `SEEDS_MAX` seeds, in every protocol it can be planted in.
//!
//! Measured (`cargo run --release -p paxos-sim --features planted-bugs --example bugs`): the
//! slowest bug to catch is Multi-Paxos `local-reads`, at seed 359; every other is caught within 250
//! seeds, most at seed 0–11. See `BENCHMARKS.md`.

use paxos_core::{Bug, Bugs};
use paxos_sim::ProtocolKind;
use paxos_sim::sweep::{self, Verdict};

/// Every planted bug must be caught within this many seeds.
const SEEDS_MAX: u64 = 500;

/// A protocol and bug, with the first seed that caught it and how.
type Outcome = (ProtocolKind, Bug, Option<(u64, Verdict)>);

/// The first seed that catches `bug` in `protocol`, with its verdict.
fn first_catch(protocol: ProtocolKind, bug: Bug) -> Option<(u64, Verdict)> {
    (0..SEEDS_MAX).find_map(|seed| match sweep::run_seed(protocol, seed, Bugs::NONE.with(bug)) {
        Verdict::Pass => None,
        verdict => Some((seed, verdict)),
    })
}

#[test]
fn every_planted_bug_is_caught_by_the_sweep() {
    let cases: Vec<(ProtocolKind, Bug)> =
        ProtocolKind::ALL.into_iter().flat_map(|p| sweep::bugs_for(p).iter().map(move |&b| (p, b))).collect();
    let results: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|chunk| scope.spawn(move || chunk.iter().map(|&(p, b)| (p, b, first_catch(p, b))).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("no panic")).collect()
    });
    let mut missed = Vec::new();
    for (protocol, bug, caught) in &results {
        match caught {
            Some((seed, verdict)) => {
                println!("{:<6} {:<24} caught at seed {seed:>3}: {verdict:?}", protocol.name(), bug.name());
                // A bug that only stalls progress shows as liveness; every other as safety.
                let stalls = *bug == Bug::SkipHoleFilling;
                assert!(
                    matches!((stalls, verdict), (true, Verdict::Liveness(_)) | (false, Verdict::Safety(_))),
                    "{} {}: {verdict:?}",
                    protocol.name(),
                    bug.name()
                );
            }
            None => missed.push(format!("{} {}", protocol.name(), bug.name())),
        }
    }
    assert!(missed.is_empty(), "not caught within {SEEDS_MAX} seeds: {missed:?}");
    assert!(results.len() >= 23, "12 bugs in Multi-Paxos, 11 in Basic Paxos, and more: {}", results.len());
}
