//! For each planted bug, the first seed that catches it (with timing, to spot slow seeds).
use paxos_core::Bugs;
use paxos_sim::{ProtocolKind, sweep};
fn main() {
    let only = std::env::args().nth(1);
    for protocol in ProtocolKind::ALL {
        for &bug in sweep::bugs_for(protocol) {
            if only.as_deref().is_some_and(|o| o != bug.name()) {
                continue;
            }
            let t = std::time::Instant::now();
            let mut found = None;
            for seed in 0..500 {
                let s = std::time::Instant::now();
                let v = sweep::run_seed(protocol, seed, Bugs::NONE.with(bug));
                if s.elapsed().as_secs() >= 2 {
                    println!("  slow: {protocol:?} {} seed {seed} took {:?}", bug.name(), s.elapsed());
                }
                if v != sweep::Verdict::Pass {
                    found = Some((seed, v));
                    break;
                }
            }
            match found {
                Some((seed, v)) => {
                    let s = format!("{v:?}");
                    println!(
                        "{protocol:?} {:<24} caught at seed {seed:>3} ({:?}): {}",
                        bug.name(),
                        t.elapsed(),
                        &s[..s.len().min(110)]
                    )
                }
                None => println!("{protocol:?} {:<24} NOT CAUGHT in 500 seeds", bug.name()),
            }
        }
    }
}
