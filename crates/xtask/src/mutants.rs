//! `cargo xtask mutants`: how many plausible mistakes in the core's protocol files the tests catch.
//!
//! cargo-mutants changes one expression of a protocol file at a time (a `<` into `<=`, a `true` into
//! `false`, a function body into a default value), builds, and runs the tests that CI runs against
//! the core and the engine: paxos-core's rules and model checks, paxos-sim's checkers, scenarios and
//! short swarm sweeps. A mutant is *caught* when a test fails or times out, *missed* when every test
//! still passes, *unviable* when it does not compile. The score is caught ÷ (caught + missed).
//!
//! What is mutated, which tests run and the build profile are in `.cargo/mutants.toml`, so a plain
//! `cargo mutants` does the same. The golden trace hashes are left out on purpose: they fail on any
//! change of behaviour at all, so counting them would make every mutant look caught and the score
//! would say nothing about whether a *mistake* is noticed.
//!
//! Usage: `cargo xtask mutants [--file GLOB]… [--shard K/N] [-- more cargo-mutants arguments]`.
//! The results are in `mutants.out/` (caught.txt, missed.txt, timeout.txt, unviable.txt); the
//! survivors' triage is kept in BENCHMARKS.md.

use std::fs;

use crate::sh::{Ctx, Result};
use crate::tools::{self, Tool};

/// Where cargo-mutants writes its results (cargo-mutants' default, ignored by git).
const OUTPUT: &str = "mutants.out";

/// At most this many mutants at once by default: each is a copy of the tree with its own build.
const MAX_JOBS: usize = 4;

/// `cargo xtask mutants [--file GLOB]… [--shard K/N] [-- args]`.
pub fn run(args: &[String]) -> Result {
    let mut forwarded: Vec<String> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo-mutants' own `--file` adds to the config's `examine_globs` instead of narrowing
            // them, so one file is chosen by the mutants' names, which start with its path.
            "--file" | "-f" => {
                let file = args.next().ok_or(format!("`{arg}` needs a file, e.g. crates/paxos-core/src/raft.rs"))?;
                let file = file.trim_start_matches("./");
                forwarded.extend(["--re".to_string(), format!("^{}:", escape_regex(file))]);
            }
            "--shard" => {
                let value = args.next().ok_or(format!("`{arg}` needs a value such as 1/8"))?;
                forwarded.extend([arg.clone(), value.clone()]);
            }
            "--" => forwarded.extend(args.by_ref().cloned()),
            other => return Err(format!("unknown argument `{other}` (see `cargo xtask help`)")),
        }
    }
    let ctx = Ctx::new()?;
    tools::ensure_all(&ctx, &[Tool::CargoMutants])?;

    let mut argv = vec!["mutants", "--no-shuffle"];
    // One mutant per core unless told otherwise: a build and a test run each leave a core idle part
    // of the time, so two at once finish the set far sooner (BENCHMARKS.md, "Mutation testing").
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_JOBS)).to_string();
    // cargo-mutants takes `--jobs N`, `--jobs=N`, `-j N` and `-jN`; one given is passed on alone.
    if !forwarded.iter().any(|arg| arg == "--jobs" || arg.starts_with("--jobs=") || arg.starts_with("-j")) {
        argv.extend(["--jobs", &jobs]);
    }
    argv.extend(forwarded.iter().map(String::as_str));
    // A mutant that survives is a finding, not a failure of this command: the score is printed below.
    let outcome = ctx.run("cargo", &argv);
    if forwarded.iter().any(|arg| arg == "--list") {
        return outcome;
    }
    let summary = Summary::read(&ctx)?;
    println!("\n{summary}");
    for missed in &summary.missed {
        println!("  missed: {missed}");
    }
    match outcome {
        Ok(()) => Ok(()),
        // cargo-mutants exits 2 when some mutants were missed, 3 when some timed out.
        Err(_) if summary.tested() > 0 => Ok(()),
        Err(error) => Err(error),
    }
}

/// `text` with the characters that mean something in a regular expression escaped.
fn escape_regex(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The counts cargo-mutants wrote for the last run.
struct Summary {
    caught: usize,
    timeout: usize,
    unviable: usize,
    missed: Vec<String>,
}

impl Summary {
    fn read(ctx: &Ctx) -> Result<Summary> {
        let lines = |name: &str| -> Vec<String> {
            fs::read_to_string(ctx.root.join(OUTPUT).join(name))
                .map(|text| text.lines().filter(|line| !line.trim().is_empty()).map(String::from).collect())
                .unwrap_or_default()
        };
        Ok(Summary {
            caught: lines("caught.txt").len(),
            timeout: lines("timeout.txt").len(),
            unviable: lines("unviable.txt").len(),
            missed: lines("missed.txt"),
        })
    }

    /// Viable mutants whose tests ran to an outcome.
    fn tested(&self) -> usize {
        self.caught + self.timeout + self.missed.len()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let killed = self.caught + self.timeout;
        let tested = self.tested();
        // Per mille, in integers: 1000 · killed / tested, rounded down.
        let score = (killed * 1000).checked_div(tested).unwrap_or(0);
        write!(
            f,
            "mutation score: {}.{}% of {tested} viable mutants caught ({} by a failing test, {} by a time-out; \
             {} missed; {} unviable)",
            score / 10,
            score % 10,
            self.caught,
            self.timeout,
            self.missed.len(),
            self.unviable
        )
    }
}
