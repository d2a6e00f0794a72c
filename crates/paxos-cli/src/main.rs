//! `paxos`: run, sweep, replay and benchmark the Paxos simulator from the command line.
//!
//! Exit codes: 0 all well; 2 bad input; 3 a safety invariant broke; 4 liveness failed; 5 a panic;
//! 6 a teaching foil was not caught failing; 7 a run exceeded a limit (events, messages in flight,
//! memory) and was stopped.

mod args;
mod sweep_cmd;

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use paxos_core::Bugs;
use paxos_play::explain;
use paxos_play::lang::{Catalogue, Lang};
use paxos_play::scenario::Scenario;
use paxos_play::share;
use paxos_sim::sweep;
use paxos_sim::trace::{EventId, Trace, describe, event_json};
use paxos_sim::{FaultPlan, ProtocolKind, SimConfig, Simulation, Summary, bench, simulate};

use args::{Args, UsageError};

const HELP: &str = "\
paxos — the Paxos playground's simulator, headless

USAGE
  paxos run    [--protocol NAME] [--nodes N] [--seed S] [--duration MS] [--clients K]
               [--config FILE | --scenario NAME|FILE [--lang en|zh]] [--faults FILE] [--trace OUT.jsonl]
               [--history OUT.jsonl]
               [--history-edn OUT.edn] [--max-events N] [--max-in-flight N] [--max-mb N]
               [--explain [--lang en|zh]]
  paxos scenarios
  paxos compare [--protocols A,B,...] [--nodes N] [--seed S] [--duration MS] [--clients K] [--faults FILE]
  paxos sweep  [--seeds N] [--first S] [--protocol NAME|all] [--jobs J] [--bug NAME]
               [--max-events N] [--max-in-flight N] [--max-mb N]
  paxos replay --seed S [--protocol NAME] [--bug NAME] [--json | --explain [--lang en|zh]]
  paxos replay --url URL [--json | --explain [--lang en|zh]]
  paxos bench  [--deliveries N]
  paxos help

run     simulates one run and prints a summary: commands, messages, latency in message delays,
        violations. --config reads a whole configuration (JSON); --faults a fault file (JSON);
        flags override the file. --trace writes the trace, --history the client history (JSON
        lines), --history-edn the history as Jepsen's EDN for Knossos. See docs/formats.md for
        every format.
sweep   runs seeds in parallel, each a swarm run that draws its own cluster (3-9 nodes), timing,
        sizes and nemesis (loss, duplication, partitions, one-way partitions, crashes, pauses, long
        delays, leader churn), checks every invariant, and prints SEED=<n> with what the seed drew
        for each failure of a consensus protocol;
        for the unsafe replication schemes it reports how often the checkers caught them failing
        (sync loses nothing and is live once faults stop, so it must pass, like consensus).

Protocols: basic, multi, fast, raft (consensus); async, sync, semi-sync, majority, majority-ts
(seed 001's replication schemes that fail: teaching foils).
replay  re-runs one sweep seed and prints its trace (in words, or JSON lines with --json). With
        --url, replays a run shared from the playground (its link, quoted) up to the moment the
        link shows, prints that trace, and its hash — the one the playground's Share panel shows.
        --explain prints under each event the rules the nodes applied in it (why a Nack, why a
        vote denied, why this value), with where each rule is stated; --lang picks the words
        (en, the default, or zh). run --explain prints only the events that have rules.
scenarios  lists the scenarios (the seeds' worked examples); run one with run --scenario NAME,
        which prints its captions at the events they explain, and each question a caption asks
        (its answers, the right one, and why). --lang zh prints the scenario in 简体中文 (English
        where a text has no translation yet). --scenario FILE plays a scenario file (one exported
        from the playground: its actions and captions too).
compare runs the same seed, workload and fault script on several protocols (default: multi,raft)
        and prints their figures side by side: commands, messages per command, latency in message
        delays, time without a leader. The default script crashes whoever leads at 3 s and
        restarts everything at 6 s.
bench   measures simulated message deliveries per second.

Every run stops at its limits (--max-*: trace events, messages in flight, estimated MB).

Exit codes: 0 ok, 2 bad input, 3 safety violation, 4 liveness failure, 5 panic,
6 a teaching foil (an unsafe replication scheme) was not caught failing,
7 a run exceeded a limit and was stopped (a flood of messages, say).
";

/// The ways the command can end.
enum Failure {
    Usage(String),
    Verdict(u8),
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Failure {
        Failure::Usage(e.0)
    }
}

/// `paxos replay … | head` closes the pipe early: the reader has what it wanted, so stop quietly
/// instead of panicking on the next `println!` (Rust ignores SIGPIPE, so writes fail instead).
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied());
        if text.is_some_and(|t| t.starts_with("failed printing to stdout") && t.contains("Broken pipe")) {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let words: Vec<String> = std::env::args().skip(1).collect();
    // `paxos run --help` is a person asking, not a wrong flag.
    let asks_for_help = words.iter().skip(1).any(|w| w == "--help" || w == "-h");
    let result = match words.first().map(String::as_str) {
        Some(_) if asks_for_help => {
            print!("{HELP}");
            Ok(())
        }
        Some("run") => run(&words[1..]),
        Some("sweep") => sweep_cmd::sweep(&words[1..]),
        Some("replay") => replay(&words[1..]),
        Some("bench") => bench(&words[1..]),
        Some("compare") => compare(&words[1..]),
        Some("scenarios") => {
            for (name, json) in paxos_play::scenario::catalog() {
                match paxos_play::scenario::Scenario::from_json(json) {
                    Ok(s) => println!("{name:<26} {} ({})", s.title, s.source),
                    Err(e) => println!("{name:<26} BROKEN: {e}"),
                }
            }
            Ok(())
        }
        Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        None => Err(Failure::Usage("no command given (try 'paxos help')".into())),
        Some(other) => Err(Failure::Usage(format!(
            "unknown command '{other}' (expected run, sweep, replay, scenarios, compare, bench or help)"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("paxos: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Verdict(code)) => ExitCode::from(code),
    }
}

/// The exit code for how a run ended: a broken safety invariant outranks a limit passed, which
/// outranks a liveness failure.
fn verdict_code(sim: &dyn Simulation) -> Result<(), Failure> {
    let violations = sim.violations();
    if violations.iter().any(|v| !v.invariant.is_liveness()) {
        Err(Failure::Verdict(3))
    } else if sim.exceeded().is_some() {
        Err(Failure::Verdict(7))
    } else if violations.is_empty() {
        Ok(())
    } else {
        Err(Failure::Verdict(4))
    }
}

fn protocol(args: &Args) -> Result<ProtocolKind, Failure> {
    match args.get("protocol") {
        None => Ok(ProtocolKind::Multi),
        Some(name) => name.parse().map_err(|e: paxos_sim::ConfigError| Failure::Usage(format!("--protocol: {e}"))),
    }
}

fn read(path: &str, what: &str) -> Result<String, Failure> {
    fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {what} '{path}': {e}")))
}

fn bugs(args: &Args) -> Result<Bugs, Failure> {
    let Some(name) = args.get("bug") else { return Ok(Bugs::NONE) };
    let Some(bug) = paxos_core::Bug::from_name(name) else {
        let names: Vec<&str> = paxos_core::Bug::ALL.iter().map(|b| b.name()).collect();
        return Err(Failure::Usage(format!("--bug: unknown bug '{name}' (known: {})", names.join(", "))));
    };
    planted(bug)
}

#[cfg(feature = "planted-bugs")]
fn planted(bug: paxos_core::Bug) -> Result<Bugs, Failure> {
    Ok(Bugs::NONE.with(bug))
}

#[cfg(not(feature = "planted-bugs"))]
fn planted(_bug: paxos_core::Bug) -> Result<Bugs, Failure> {
    Err(Failure::Usage("--bug needs a build with planted bugs: cargo run -p paxos-cli --features planted-bugs".into()))
}

// ---------------------------------------------------------------------------------------- run

fn run(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        words,
        &[
            "protocol",
            "nodes",
            "seed",
            "duration",
            "clients",
            "config",
            "faults",
            "trace",
            "history",
            "history-edn",
            "scenario",
            "lang",
            "max-events",
            "max-in-flight",
            "max-mb",
        ],
        &["explain"],
    )?;
    let lang = lang(&args)?;
    let explain = explanations(&args)?;
    let scenario = match args.get("scenario") {
        Some(name) => {
            if args.get("config").is_some() {
                return Err(Failure::Usage("--scenario and --config both give the run: choose one".into()));
            }
            Some(load_scenario(name)?)
        }
        None => None,
    };
    let mut config = match (&scenario, args.get("config")) {
        (Some(scenario), _) => scenario.config.clone(),
        (None, Some(path)) => {
            SimConfig::from_json(&read(path, "configuration")?).map_err(|e| Failure::Usage(format!("{path}: {e}")))?
        }
        (None, None) => SimConfig::default(),
    };
    if args.get("protocol").is_some() {
        config.protocol = protocol(&args)?;
    }
    cluster_flags(&args, &mut config)?;
    if let Some(path) = args.get("faults") {
        config.faults = FaultPlan::from_json(&read(path, "fault file")?, &config)
            .map_err(|e| Failure::Usage(format!("{path}: {e}")))?;
    }
    let mut sim = simulate(&config).map_err(|e| Failure::Usage(e.0))?;
    sim.set_limits(sweep_cmd::limits(&args, paxos_sim::limits::Limits::default())?);
    sim.set_explain(explain.is_some());
    let started = Instant::now();
    // An exported run's actions, taken at their steps as the playground took them.
    let actions = scenario.as_ref().map_or(&[][..], |s| &s.actions);
    for problem in share::take_actions(sim.as_mut(), actions).1 {
        eprintln!("warning: {problem} (the playground skips it too)");
    }
    sim.run_to_end();
    let elapsed = started.elapsed();
    if let Some(path) = args.get("trace") {
        write_lines(path, sim.trace().json_lines(config.nodes))?;
    }
    if let Some(path) = args.get("history") {
        write_lines(path, sim.history().jepsen_lines(config.end()).into_iter())?;
    }
    if let Some(path) = args.get("history-edn") {
        write_lines(path, sim.history().edn_lines(config.end()).into_iter())?;
    }
    if let Some(scenario) = &scenario {
        print_story(scenario, sim.trace(), lang);
    }
    if let Some(catalogue) = &explain {
        print_explained(sim.as_ref(), catalogue);
    }
    print_summary(&config, &sim.summary(), elapsed.as_secs_f64());
    if let Some(exceeded) = sim.exceeded() {
        println!("  LIMIT       {exceeded}: stopped there (exit code 7)");
    }
    verdict_code(sim.as_ref())
}

/// `--scenario`: a scenario file (a path: it has a folder in it or is a file here), or the name of
/// one in the catalog.
fn load_scenario(name_or_path: &str) -> Result<Scenario, Failure> {
    if !name_or_path.contains(['/', '\\']) && !Path::new(name_or_path).is_file() {
        return Scenario::named(name_or_path).map_err(|e| Failure::Usage(e.0));
    }
    let text = read(name_or_path, "scenario file")?;
    Scenario::from_json(&text).map_err(|e| Failure::Usage(format!("{name_or_path}: {}", e.0)))
}

/// `--lang`: the language of a scenario's texts and of explanations (English if not given).
fn lang(args: &Args) -> Result<Lang, Failure> {
    let Some(tag) = args.get("lang") else { return Ok(Lang::En) };
    Lang::parse(tag).ok_or_else(|| {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        Failure::Usage(format!("--lang: '{tag}' is not a language of the playground (choose {})", codes.join(" or ")))
    })
}

/// A scenario's title, source, summary, and each caption at its event's time, with the question
/// it asks (answers lettered a, b, …; the right one and why follow, as the page shows them after an
/// answer).
fn print_story(scenario: &Scenario, trace: &Trace, lang: Lang) {
    println!("{} ({})\n{}\n", scenario.title.get(lang), scenario.source.get(lang), scenario.summary.get(lang));
    match scenario.events(trace) {
        Ok(events) => {
            for (event, caption) in events.into_iter().zip(&scenario.captions) {
                let time = trace.get(event).map_or(0, |e| e.time);
                println!("  {:>9.3} ms  event {event:<6} {}", time as f64 / 1e3, caption.text.get(lang));
                let Some(question) = &caption.question else { continue };
                let indent = " ".repeat(27);
                let letter = |i: usize| char::from(b'a' + i as u8);
                println!("{indent}Q: {}", question.ask.get(lang));
                for (i, answer) in question.answers.iter().enumerate() {
                    println!("{indent}   {}) {}", letter(i), answer.get(lang));
                }
                if let Some(right) = question.right() {
                    println!(
                        "{indent}answer: {}) {} — {}",
                        letter(question.correct),
                        right.get(lang),
                        question.why.get(lang)
                    );
                }
            }
        }
        Err(e) => println!("  the story went wrong: {e}"),
    }
    println!();
}

/// Applies `--nodes`, `--seed`, `--duration` and `--clients` to `config`, then checks it whole.
fn cluster_flags(args: &Args, config: &mut SimConfig) -> Result<(), Failure> {
    if let Some(nodes) = args.parsed::<u8>("nodes", "a number of nodes from 1 to 9")? {
        config.nodes = nodes;
    }
    if let Some(seed) = args.parsed("seed", "a whole number from 0 to 2^64-1")? {
        config.seed = seed;
    }
    if let Some(ms) = args.parsed("duration", "a duration in milliseconds")? {
        config.duration_ms = ms;
    }
    if let Some(k) = args.parsed("clients", "a number of clients")? {
        config.clients.workload = k;
    }
    config.validate().map_err(|e| Failure::Usage(e.0))?;
    Ok(())
}

fn write_lines(path: &str, lines: impl Iterator<Item = String>) -> Result<(), Failure> {
    let fail = |e: io::Error| Failure::Usage(format!("cannot write '{path}': {e}"));
    let mut out = io::BufWriter::new(fs::File::create(path).map_err(fail)?);
    for line in lines {
        writeln!(out, "{line}").map_err(fail)?;
    }
    out.flush().map_err(fail)
}

fn print_summary(config: &SimConfig, s: &Summary, seconds: f64) {
    let name = config.protocol.title();
    // Virtual time in the unit a person reads best: ms for a short scenario, s for a long run.
    let virtual_time = if s.time < 1_000_000 {
        format!("{:.0} ms", s.time as f64 / 1e3)
    } else {
        format!("{:.1} s", s.time as f64 / 1e6)
    };
    println!(
        "{name}, {} nodes, seed {}: {virtual_time} of virtual time, {} events, simulated in {:.0} ms",
        config.nodes,
        config.seed,
        s.events,
        seconds * 1e3
    );
    println!("  commands    {} invoked, {} completed, {} slots decided", s.invoked, s.completed, s.slots_decided);
    let per_op = s.messages_per_op_x100().map_or("-".to_string(), |x| format!("{}.{:02}", x / 100, x % 100));
    println!(
        "  messages    {} between nodes ({per_op} per command), {} delivered, {} dropped",
        s.messages, s.delivered, s.dropped
    );
    match (s.delay_percentile(50), s.delay_percentile(99), s.delay_percentile(100)) {
        (Some(p50), Some(p99), Some(max)) => println!(
            "  latency     {p50} message delays median, {p99} at p99, {max} at most (request to reply, client legs excluded)"
        ),
        _ => println!("  latency     no command completed"),
    }
    if s.violations.is_empty() {
        println!("  violations  none");
    }
    for v in &s.violations {
        println!("  VIOLATION   {v}");
    }
    println!("  trace hash  {:016x}", s.trace_hash);
}

// ---------------------------------------------------------------------------------------- compare

/// The default script of `paxos compare`: the leader dies mid-run, then everything recovers.
fn leader_crash_script() -> FaultPlan {
    use paxos_sim::faults::{Fault, Scheduled};
    FaultPlan {
        schedule: vec![
            Scheduled { at_ms: 3_000, fault: Fault::CrashLeader {} },
            Scheduled { at_ms: 6_000, fault: Fault::Recover {} },
        ],
        nemesis: None,
        quiet_from_ms: None,
    }
}

fn compare(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, &["protocols", "nodes", "seed", "duration", "clients", "faults"], &[])?;
    let protocols: Vec<ProtocolKind> = args
        .get("protocols")
        .unwrap_or("multi,raft")
        .split(',')
        .map(|name| {
            name.trim().parse().map_err(|e: paxos_sim::ConfigError| Failure::Usage(format!("--protocols: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let mut config = SimConfig::default();
    cluster_flags(&args, &mut config)?;
    config.faults = match args.get("faults") {
        Some(path) => FaultPlan::from_json(&read(path, "fault file")?, &config)
            .map_err(|e| Failure::Usage(format!("{path}: {e}")))?,
        None => leader_crash_script(),
    };
    let script = args.get("faults").unwrap_or("the leader crashes at 3 s, everything recovers at 6 s");
    println!(
        "Side by side: {} nodes, seed {}, {} ms, {} clients; faults: {script}\n",
        config.nodes, config.seed, config.duration_ms, config.clients.workload
    );
    let mut rows: Vec<(&str, Vec<String>)> = [
        "commands completed",
        "messages per command",
        "latency p50 (delays)",
        "latency p99 (delays)",
        "time without a leader",
        "violations",
    ]
    .into_iter()
    .map(|label| (label, Vec::new()))
    .collect();
    let mut worst = Ok(());
    for &protocol in &protocols {
        let mut config = config.clone();
        config.protocol = protocol;
        let mut sim = simulate(&config).map_err(|e| Failure::Usage(e.0))?;
        sim.run_to_end();
        let s = sim.summary();
        let cells = [
            format!("{} of {}", s.completed, s.invoked),
            s.messages_per_op_x100().map_or("-".into(), |x| format!("{}.{:02}", x / 100, x % 100)),
            s.delay_percentile(50).map_or("-".into(), |d| d.to_string()),
            s.delay_percentile(99).map_or("-".into(), |d| d.to_string()),
            if protocol.has_leader() { format!("{} ms", s.leaderless_us / 1_000) } else { "(no leader)".into() },
            match s.violations.len() {
                0 => "none".to_string(),
                n => format!("{n} ({})", s.violations[0].invariant.name()),
            },
        ];
        for ((_, row), cell) in rows.iter_mut().zip(cells) {
            row.push(cell);
        }
        if !protocol.is_foil() && worst.is_ok() {
            worst = verdict_code(sim.as_ref());
        }
    }
    // Each column as wide as its protocol's name (or its widest figure), two spaces apart.
    let widths: Vec<usize> = protocols
        .iter()
        .enumerate()
        .map(|(i, p)| {
            rows.iter().map(|(_, cells)| cells[i].chars().count()).max().unwrap_or(0).max(p.title().chars().count()) + 2
        })
        .collect();
    print!("{:<24}", "");
    for (p, width) in protocols.iter().zip(&widths) {
        print!("{:>width$}", p.title());
    }
    println!();
    for (label, cells) in rows {
        print!("{label:<24}");
        for (cell, width) in cells.iter().zip(&widths) {
            print!("{cell:>width$}");
        }
        println!();
    }
    worst
}

// ---------------------------------------------------------------------------------------- replay

fn replay(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, &["seed", "protocol", "bug", "url", "lang"], &["json", "explain"])?;
    let explain = explanations(&args)?;
    if explain.is_some() && args.flag("json") {
        return Err(Failure::Usage("--explain prints the trace in words: it does not combine with --json".into()));
    }
    let how = match &explain {
        Some(catalogue) => Printed::Explained(catalogue),
        None if args.flag("json") => Printed::Json,
        None => Printed::Words,
    };
    if let Some(url) = args.get("url") {
        if ["seed", "protocol", "bug"].iter().any(|flag| args.get(flag).is_some()) {
            return Err(Failure::Usage(
                "--url replays what the link holds: it takes no --seed, --protocol or --bug".into(),
            ));
        }
        return replay_link(url, how);
    }
    let seed =
        args.parsed("seed", "a whole number")?.ok_or_else(|| Failure::Usage("replay needs --seed or --url".into()))?;
    let config = sweep::config(protocol(&args)?, seed, bugs(&args)?);
    let mut sim = simulate(&config).map_err(|e| Failure::Usage(e.0))?;
    sim.set_limits(sweep::SWEEP_LIMITS);
    sim.set_explain(explain.is_some());
    sim.run_to_end();
    print_trace(sim.as_ref(), sim.trace().len(), how);
    eprintln!("seed {seed} drew: {}", sweep::describe(&config));
    for v in sim.violations() {
        eprintln!("VIOLATION {v}");
    }
    if let Some(exceeded) = sim.exceeded() {
        eprintln!("LIMIT {exceeded}");
    }
    verdict_code(sim.as_ref())
}

/// `paxos replay --url`: the run a playground link holds, up to the moment it shows.
fn replay_link(url: &str, how: Printed) -> Result<(), Failure> {
    let link = share::parse_link(url);
    if !link.problems.is_empty() {
        return Err(Failure::Usage(format!("the link is not readable: {}", link.problems.join("; "))));
    }
    let shared = link.shared;
    let scenario = shared.setup.scenario().map_err(Failure::Usage)?;
    let config = shared.setup.config(scenario.as_ref()).map_err(Failure::Usage)?;
    let mut replayed = share::replay(&config, &shared.actions).map_err(Failure::Usage)?;
    for problem in &replayed.problems {
        eprintln!("warning: {problem} (the playground skips it too)");
    }
    let sim = replayed.sim.as_mut();
    // As the page does: the moment shown, or just after the last action; a scenario alone plays whole.
    let cursor = match shared.cursor {
        Some(cursor) => cursor,
        None if shared.actions.is_empty() && shared.setup.scenario.is_some() => config.end(),
        None => sim.now(),
    };
    sim.run_until(cursor);
    let shown = sim.trace().first_at(cursor.saturating_add(1)) as usize;
    print_trace(sim, shown, how);
    // A person's captions (format 2) do not change the run: counted, not printed.
    let captions = match shared.captions.len() {
        0 => String::new(),
        n => format!(", {n} captions"),
    };
    eprintln!(
        "{} on {} nodes, seed {}, {} actions{captions}, up to {:.3} ms: {shown} events",
        config.protocol.title(),
        config.nodes,
        config.seed,
        shared.actions.len(),
        cursor as f64 / 1e3
    );
    println!("trace hash {:016x}", share::trace_hash_until(sim.trace(), cursor));
    for v in sim.violations() {
        eprintln!("VIOLATION {v}");
    }
    verdict_code(sim)
}

/// How a trace is printed.
#[derive(Clone, Copy)]
enum Printed<'a> {
    /// One line of words per event.
    Words,
    /// JSON lines (docs/formats.md).
    Json,
    /// Words, with the rules applied at each event under it, in the catalogue's language.
    Explained(&'a Catalogue),
}

/// `--explain` (and `--lang`): the catalogue to explain in, if asked to explain.
fn explanations(args: &Args) -> Result<Option<Catalogue>, Failure> {
    let lang = lang(args)?;
    Ok(args.flag("explain").then(|| paxos_play::lang::builtin(lang)))
}

/// The lines explaining event `id`: the rules applied in the step it started (`•`), and for a
/// message, the rules that decided it (`↳`).
fn explained_lines(trace: &Trace, id: EventId, catalogue: &Catalogue) -> Vec<String> {
    let step = trace.rules(id).iter().map(|rule| format!("{:>22}• {}", "", explain::words(rule, catalogue)));
    let message = trace.message_rules(id).iter().map(|rule| format!("{:>22}↳ {}", "", explain::words(rule, catalogue)));
    step.chain(message).collect()
}

/// Prints the first `len` events of the run's trace, in words or as JSON lines.
fn print_trace(sim: &dyn Simulation, len: usize, how: Printed) {
    let trace = sim.trace();
    let nodes = sim.config().nodes;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for (id, event) in trace.events()[..len].iter().enumerate() {
        let mut lines = vec![match how {
            Printed::Json => event_json(id as u64, event, nodes),
            Printed::Words | Printed::Explained(_) => {
                format!("{id:>7} {:>10.3} ms  {}", event.time as f64 / 1e3, describe(trace, event))
            }
        }];
        if let Printed::Explained(catalogue) = how {
            lines.extend(explained_lines(trace, id as EventId, catalogue));
        }
        if lines.iter().any(|line| writeln!(out, "{line}").is_err()) {
            return; // The reader went away (e.g. `| head`).
        }
    }
    let _ = out.flush();
}

/// `paxos run --explain`: the events at which nodes applied rules, each with its rules.
fn print_explained(sim: &dyn Simulation, catalogue: &Catalogue) {
    let trace = sim.trace();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for (id, event) in trace.events().iter().enumerate() {
        let lines = explained_lines(trace, id as EventId, catalogue);
        if lines.is_empty() {
            continue;
        }
        let head = format!("{id:>7} {:>10.3} ms  {}", event.time as f64 / 1e3, describe(trace, event));
        if std::iter::once(&head).chain(&lines).any(|line| writeln!(out, "{line}").is_err()) {
            return;
        }
    }
    let _ = writeln!(out);
    let _ = out.flush();
}

// ---------------------------------------------------------------------------------------- bench

fn bench(words: &[String]) -> Result<(), Failure> {
    let args = Args::parse(words, &["deliveries"], &[])?;
    let deliveries: u64 = args.parsed("deliveries", "a number of deliveries")?.unwrap_or(2_000_000);
    println!("5-node Multi-Paxos, 8 clients with no think time, {deliveries} deliveries each, one thread:");
    for (name, faults) in [("steady state", false), ("under faults", true)] {
        let config = bench::config(faults);
        let started = Instant::now();
        let work = bench::world_only(&config, deliveries);
        let bare = work.deliveries as f64 / started.elapsed().as_secs_f64();
        let started = Instant::now();
        let work = bench::checked(&config, deliveries);
        let checked = work.deliveries as f64 / started.elapsed().as_secs_f64();
        println!(
            "  {name:<13} {:>6.2} M deliveries/s simulated, {:>6.2} M/s with every checker on",
            bare / 1e6,
            checked / 1e6
        );
    }
    let config = bench::config(false);
    let started = Instant::now();
    let (work, rules) = bench::explained(&config, deliveries);
    let explained = work.deliveries as f64 / started.elapsed().as_secs_f64();
    println!(
        "  explaining    {:>6.2} M deliveries/s with every node reporting its rules (steady state; {:.2} rules per delivery)",
        explained / 1e6,
        rules as f64 / work.deliveries.max(1) as f64
    );
    let config = bench::config(true);
    let started = Instant::now();
    let run = bench::full_run(&config, 1_000_000);
    let build = started.elapsed();
    let mut worst = 0.0f64;
    for i in 0..20u64 {
        let target = (i * 982_451) % run.trace().len() as u64;
        let started = Instant::now();
        let world = run.world_at(target);
        worst = worst.max(started.elapsed().as_secs_f64());
        assert!(world.events() > target);
    }
    println!(
        "  seeking       1,000,000-event run under faults recorded in {:.2} s; jumping to any event takes ≤ {:.1} ms (worst of 20)",
        build.as_secs_f64(),
        worst * 1e3
    );
    Ok(())
}
