use paxos_core::Bugs;
use paxos_sim::config::ProtocolKind;
use paxos_sim::sweep;

#[test]
#[ignore]
fn explore() {
    let p: ProtocolKind = std::env::var("P").unwrap().parse().unwrap();
    let n: u64 = std::env::var("N").unwrap().parse().unwrap();
    let mut counts = std::collections::BTreeMap::new();
    for seed in 0..n {
        let v = sweep::run_seed(p, seed, Bugs::NONE);
        let name = match &v { sweep::Verdict::Pass => "pass".to_string(), sweep::Verdict::Panic(m) => format!("panic {m}"), _ => v.violation().unwrap().invariant.name().to_string() };
        if !matches!(v, sweep::Verdict::Pass) && counts.get(&name).is_none() { println!("seed {seed}: {v:?}"); }
        *counts.entry(name).or_insert(0) += 1;
    }
    println!("{counts:?}");
}
