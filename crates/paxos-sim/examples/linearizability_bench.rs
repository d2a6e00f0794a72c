//! How long the linearizability checker takes on large histories.
//!
//! Generates client histories deterministically from a model register that is correct by
//! construction (each operation takes effect at a random instant between its invocation and its
//! answer; each client has one operation in progress at a time, so at most `clients` overlap),
//! checks them, and prints the figures. Then corrupts the last answered read of each history and
//! times the search for the first violating event too (a failing search must explore every state).
//!
//! ```text
//! cargo run --release -p paxos-sim --example linearizability_bench [operations]
//! ```

use std::time::Instant;

use paxos_core::{ClientId, Key, Op, Outcome, Prng};
use paxos_sim::check::linearizable::{Operation, check};

/// An operation in progress: where it is in the history, and its answer once it took effect.
struct Pending {
    index: usize,
    outcome: Option<Outcome>,
}

/// A linearizable history of `count` operations by `clients` concurrent clients on `keys` keys.
/// About one operation in `crash_one_in` is never answered (its client crashes, before or after the
/// operation took effect, and a fresh client takes its place), and so are those still in progress
/// when the run ends.
fn generate(seed: u64, count: usize, clients: usize, keys: u8, crash_one_in: u64) -> Vec<Operation> {
    let mut rng = Prng::new(seed);
    let mut registers = vec![0i64; usize::from(keys)];
    let mut slots: Vec<(ClientId, Option<Pending>)> = (0..clients).map(|c| (c as ClientId, None)).collect();
    let mut next_client = clients as ClientId;
    let mut history: Vec<Operation> = Vec::with_capacity(count);
    let (mut event, mut time) = (0u64, 0u64);
    while history.len() < count {
        time += rng.below(3);
        let slot = rng.below(slots.len() as u64) as usize;
        let (client, pending) = &mut slots[slot];
        if pending.is_some() && rng.below(2 * crash_one_in) == 0 {
            *client = next_client;
            next_client += 1;
            *pending = None;
            continue;
        }
        match pending {
            None => {
                let key = rng.below(u64::from(keys)) as Key;
                let op = match rng.below(10) {
                    0..4 => Op::Get(key),
                    4..7 => Op::Set(key, rng.below(100) as i64),
                    _ => Op::Inc(key, 1 + rng.below(5) as i64),
                };
                event += 1;
                *pending = Some(Pending { index: history.len(), outcome: None });
                history.push(Operation { client: *client, op, invoke: (event, time), ret: None });
            }
            Some(Pending { index, outcome: outcome @ None }) => {
                let op = history[*index].op;
                let register = &mut registers[usize::from(op.key())];
                let (new, answer) = match op {
                    Op::Get(_) => (*register, Outcome::Value(*register)),
                    Op::Set(_, value) => (value, Outcome::Done),
                    Op::Inc(_, by) => (register.wrapping_add(by), Outcome::Value(register.wrapping_add(by))),
                };
                *register = new;
                *outcome = Some(answer);
            }
            Some(Pending { index, outcome: Some(answer) }) => {
                event += 1;
                history[*index].ret = Some((event, time, *answer));
                *pending = None;
            }
        }
    }
    history
}

/// The largest number of answered operations in progress at once.
fn max_overlap(history: &[Operation]) -> usize {
    let mut events: Vec<(u64, i64)> = Vec::with_capacity(2 * history.len());
    for operation in history {
        if let Some((id, _, _)) = operation.ret {
            events.push((operation.invoke.0, 1));
            events.push((id, -1));
        }
    }
    events.sort_unstable();
    let mut now = 0i64;
    events
        .iter()
        .map(|&(_, delta)| {
            now += delta;
            now
        })
        .max()
        .unwrap_or(0) as usize
}

fn main() {
    let count: usize = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(10_000);
    println!(
        "{:>4} {:>6} {:>4} {:>7} {:>7} {:>10} {:>8} {:>10} {:>10}  corrupted read",
        "seed", "ops", "keys", "clients", "overlap", "unanswered", "states", "check", "corrupted"
    );
    let mut example = None;
    // Seed, keys, clients, and one operation in how many is never answered (the last row stresses
    // the checker with far more crashes than a run of the simulator has).
    for (seed, keys, clients, crash_one_in) in
        [(1, 3, 5, 2_000), (2, 5, 5, 2_000), (3, 8, 5, 2_000), (4, 1, 5, 2_000), (5, 3, 8, 2_000), (6, 3, 5, 200)]
    {
        let mut history = generate(seed, count, clients, keys, crash_one_in);
        let overlap = max_overlap(&history);
        let unanswered = history.iter().filter(|o| o.ret.is_none()).count();

        let start = Instant::now();
        let result = check(&history);
        let checked = start.elapsed();
        let stats = match result {
            Ok(stats) => stats,
            Err(violation) => {
                println!("{seed:>4} UNEXPECTED violation: {}", violation.message);
                continue;
            }
        };

        // No operation can produce -1: sets write 0..100, increments add 1..=5, registers start at 0.
        let victim = history.iter().rposition(|o| matches!(o.op, Op::Get(_)) && o.ret.is_some());
        let Some(victim) = victim else { continue };
        let (id, time, _) = history[victim].ret.expect("answered");
        history[victim].ret = Some((id, time, Outcome::Value(-1)));
        let start = Instant::now();
        let result = check(&history);
        let corrupted = start.elapsed();
        let verdict = match result {
            Err(violation) if violation.event == id => {
                example.get_or_insert(violation.message);
                format!("found at event {id}")
            }
            Err(violation) => format!("UNEXPECTED event {} (expected {id})", violation.event),
            Ok(_) => "UNEXPECTED: accepted".to_string(),
        };
        println!(
            "{seed:>4} {:>6} {:>4} {clients:>7} {overlap:>7} {unanswered:>10} {:>8} {:>8.2}ms {:>8.2}ms  {verdict}",
            stats.operations,
            stats.keys,
            stats.states_explored,
            checked.as_secs_f64() * 1e3,
            corrupted.as_secs_f64() * 1e3,
        );
    }
    if let Some(message) = example {
        println!("\nA report: {message}");
    }
}
