//! `paxos sweep`: many seeds of the swarm sweep (`paxos_sim::sweep`) on all cores, a line
//! `SEED=<n>` with what the seed drew for every failure, and a summary per protocol.

use std::io::{self, IsTerminal};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use paxos_sim::ProtocolKind;
use paxos_sim::limits::Limits;
use paxos_sim::sweep::{self, Verdict};

use crate::args::Args;
use crate::{Failure, bugs, protocol};

/// Whether a failing run of a teaching foil failed the way seed 001 says it does.
fn is_its_anomaly(protocol: ProtocolKind, verdict: &Verdict) -> bool {
    verdict.violation().is_some_and(|v| sweep::anomaly(protocol).contains(&v.invariant))
}

/// `--max-events`, `--max-in-flight` and `--max-mb` over `defaults`.
pub(crate) fn limits(args: &Args, defaults: Limits) -> Result<Limits, Failure> {
    let mut limits = defaults;
    if let Some(events) = args.parsed("max-events", "a number of trace events")? {
        limits.events = events;
    }
    if let Some(messages) = args.parsed("max-in-flight", "a number of messages")? {
        limits.in_flight = messages;
    }
    if let Some(mb) = args.parsed::<u64>("max-mb", "a number of megabytes")? {
        limits.bytes = mb.saturating_mul(1 << 20);
    }
    Ok(limits)
}

/// The figures of a sweep, gathered from every thread.
#[derive(Default)]
struct Tally {
    /// Failing runs: protocol, seed, verdict.
    failures: Vec<(ProtocolKind, u64, Verdict)>,
    /// Runs that sent a snapshot; that caught a replica up with values or votes.
    snapshots: u64,
    catchups: u64,
}

pub(crate) fn sweep(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        words,
        &["seeds", "first", "protocol", "jobs", "bug", "max-events", "max-in-flight", "max-mb"],
        &[],
    )?;
    let seeds: u64 = args.parsed("seeds", "a number of seeds")?.unwrap_or(1_000);
    let first: u64 = args.parsed("first", "a seed number")?.unwrap_or(0);
    let protocols: Vec<ProtocolKind> = match args.get("protocol") {
        Some("all") | None => ProtocolKind::ALL.to_vec(),
        Some(_) => vec![protocol(&args)?],
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs: usize = args.parsed("jobs", "a number of threads")?.unwrap_or(cores).max(1);
    let bugs = bugs(&args)?;
    let limits = limits(&args, sweep::SWEEP_LIMITS)?;
    let total = seeds * protocols.len() as u64;
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let tally = Mutex::new(Tally::default());
    let slowest_recovery = AtomicU64::new(0);
    let tightest_bound = AtomicU64::new(u64::MAX);
    let progress = Progress::new(total);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let (protocol, seed) = (protocols[(i / seeds) as usize], first + i % seeds);
                    let config = sweep::config(protocol, seed, bugs);
                    let judgement = sweep::judge_config(&config, limits);
                    let mut tally = tally.lock().unwrap_or_else(|e| e.into_inner());
                    tally.snapshots += u64::from(judgement.snapshot);
                    tally.catchups += u64::from(judgement.catchup);
                    if !protocol.is_foil() {
                        slowest_recovery.fetch_max(judgement.recovery, Ordering::Relaxed);
                        tightest_bound.fetch_min(judgement.bound, Ordering::Relaxed);
                    }
                    let verdict = judgement.verdict;
                    if verdict != Verdict::Pass {
                        // A foil failing its way is the point; other failures are news.
                        if !is_its_anomaly(protocol, &verdict) || !bugs.is_empty() {
                            progress.clear();
                            println!("SEED={seed} protocol={} {}", protocol.name(), describe_verdict(&verdict));
                            println!("  drew: {}", sweep::describe(&config));
                            println!("  again: paxos replay --seed {seed} --protocol {}", protocol.name());
                        }
                        tally.failures.push((protocol, seed, verdict));
                    }
                    progress.show(done.fetch_add(1, Ordering::Relaxed) + 1, tally.failures.len());
                }
            });
        }
    });
    progress.clear();
    let mut tally = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    tally.failures.sort_by_key(|(p, seed, _)| (p.name(), *seed));
    println!(
        "{total} runs ({seeds} seeds from {first} × {} protocols, each drawing its own cluster, timing, sizes and faults) in {:.1} s on {jobs} threads:",
        protocols.len(),
        started.elapsed().as_secs_f64()
    );
    // The exit code of the worst outcome: a foil not caught, then by the verdicts' severity.
    let mut worst: Option<(u8, u8)> = None;
    let mut note = |rank: u8, code: u8| worst = worst.max(Some((rank, code)));
    for &protocol in &protocols {
        let mine: Vec<&(ProtocolKind, u64, Verdict)> =
            tally.failures.iter().filter(|(p, _, _)| *p == protocol).collect();
        if !sweep::anomaly(protocol).is_empty() && bugs.is_empty() {
            // A teaching foil must be caught failing the way seed 001 says it does.
            let expected = sweep::anomaly(protocol);
            let (caught, other): (Vec<&&(ProtocolKind, u64, Verdict)>, Vec<_>) =
                mine.iter().partition(|(p, _, v)| is_its_anomaly(*p, v));
            if let Some((_, seed, verdict)) = other.first() {
                // Failing some other way (another invariant, a panic) is a bug in the scheme's model.
                println!(
                    "  {:<12} FAILED OTHERWISE than its anomaly in {} of {seeds} runs (first: seed {seed}, {})",
                    protocol.name(),
                    other.len(),
                    describe_verdict(verdict)
                );
                for (_, _, v) in &other {
                    note(v.severity(), v.exit_code());
                }
            }
            match caught.first() {
                Some((_, seed, verdict)) => println!(
                    "  {:<12} unsafe by design: caught in {} of {seeds} runs (first: seed {seed}, {})",
                    protocol.name(),
                    caught.len(),
                    describe_verdict(verdict)
                ),
                None => {
                    let names: Vec<&str> = expected.iter().map(|i| i.name()).collect();
                    println!(
                        "  {:<12} unsafe by design, but its anomaly ({}) was NOT CAUGHT in {seeds} runs",
                        protocol.name(),
                        names.join(" or ")
                    );
                    note(u8::MAX, 6);
                }
            }
        } else {
            println!("  {:<12} {} of {seeds} runs failed", protocol.name(), mine.len());
            for (_, _, v) in &mine {
                note(v.severity(), v.exit_code());
            }
        }
    }
    println!(
        "paths exercised: a snapshot sent in {} of {total} runs, a lagging replica caught up (Catchup, Votes) in {}",
        tally.snapshots, tally.catchups
    );
    if slowest_recovery.load(Ordering::Relaxed) > 0 {
        println!(
            "longest wait of an operation after faults stopped: {:.0} ms (the tightest liveness bound of these runs: {:.0} ms)",
            slowest_recovery.into_inner() as f64 / 1e3,
            tightest_bound.into_inner() as f64 / 1e3
        );
    }
    match worst {
        None | Some((_, 0)) => Ok(()),
        Some((_, code)) => Err(Failure::Verdict(code)),
    }
}

pub(crate) fn describe_verdict(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Pass => "pass".into(),
        Verdict::Safety(v) => format!("safety: {v}"),
        Verdict::Liveness(v) => format!("liveness: {v}"),
        Verdict::Panic(message) => format!("panic: {message}"),
        Verdict::Exceeded(exceeded) => format!("limit: {exceeded}"),
    }
}

/// A progress bar on a terminal; a line every tenth of the way otherwise (CI logs).
struct Progress {
    total: u64,
    terminal: bool,
}

impl Progress {
    fn new(total: u64) -> Progress {
        Progress { total, terminal: io::stderr().is_terminal() }
    }

    fn show(&self, done: u64, failed: usize) {
        if self.terminal {
            let width = 40;
            let filled = (done * width / self.total.max(1)) as usize;
            eprint!(
                "\r[{}{}] {done}/{} runs, {failed} failed ",
                "#".repeat(filled),
                ".".repeat(width as usize - filled),
                self.total
            );
        } else if done.is_multiple_of((self.total / 10).max(1)) || done == self.total {
            eprintln!("{done}/{} runs, {failed} failed", self.total);
        }
    }

    fn clear(&self) {
        if self.terminal {
            eprint!("\r{}\r", " ".repeat(72));
        }
    }
}
