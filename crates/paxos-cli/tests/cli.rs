//! The `paxos` command as a person uses it: summaries, files, and one clear line for bad input.

mod common;

use common::{paxos, refused, text};
use std::process::Command;

#[test]
fn bad_input_is_named_in_one_line() {
    assert_eq!(
        refused(&["run", "--protocol", "pbft"]),
        "paxos: --protocol: unknown protocol 'pbft' (expected one of: basic, multi, fast, raft, async, sync, \
         semi-sync, majority, majority-ts)"
    );
    assert_eq!(refused(&["run", "--nodes", "12"]), "paxos: nodes must be between 1 and 9 (got 12)");
    assert_eq!(refused(&["run", "--nodes", "0"]), "paxos: nodes must be between 1 and 9 (got 0)");
    assert_eq!(
        refused(&["run", "--nodes", "many"]),
        "paxos: --nodes must be a number of nodes from 1 to 9 (got 'many')"
    );
    assert_eq!(refused(&["run", "--seed"]), "paxos: --seed needs a value");
    assert!(refused(&["run", "--sed", "4"]).starts_with("paxos: unknown option '--sed'"));
    assert_eq!(
        refused(&["fly"]),
        "paxos: unknown command 'fly' (expected run, sweep, replay, scenarios, compare, bench or help)"
    );
    assert_eq!(refused(&[]), "paxos: no command given (try 'paxos help')");
    assert_eq!(refused(&["replay"]), "paxos: replay needs --seed or --url");
    assert!(
        refused(&["run", "--faults", "/nonexistent.json"])
            .starts_with("paxos: cannot read fault file '/nonexistent.json'")
    );
    // The run limits (issue 15), on `run` and on `sweep`.
    assert_eq!(
        refused(&["run", "--max-events", "abc"]),
        "paxos: --max-events must be a number of trace events (got 'abc')"
    );
    assert_eq!(
        refused(&["sweep", "--max-in-flight", "x"]),
        "paxos: --max-in-flight must be a number of messages (got 'x')"
    );
    assert_eq!(refused(&["run", "--max-mb", "-3"]), "paxos: --max-mb must be a number of megabytes (got '-3')");
    assert!(
        refused(&["run", "--history-edn", "/nonexistent/h.edn"])
            .starts_with("paxos: cannot write '/nonexistent/h.edn'")
    );
}

#[test]
fn a_malformed_fault_file_is_named() {
    let dir = std::env::temp_dir().join(format!("paxos-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, body: &str| {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        path.to_string_lossy().into_owned()
    };
    let broken = write("broken.json", "{\"schedule\": [");
    assert!(refused(&["run", "--faults", &broken]).contains("faults: EOF while parsing"));
    let wrong_node = write("node.json", r#"{"schedule": [{"at_ms": 1, "fault": "crash", "node": "n6"}]}"#);
    assert_eq!(
        refused(&["run", "--faults", &wrong_node]),
        format!("paxos: {wrong_node}: schedule[0]: fault: n6 is not in a cluster of 5 nodes")
    );
    let bad_op = write("op.json", r#"{"schedule": [{"at_ms": 1, "fault": "request", "op": "put a 1"}]}"#);
    assert!(refused(&["run", "--faults", &bad_op]).contains("'put a 1' is not an operation"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_prints_a_summary_and_writes_its_trace_and_history() {
    let dir = std::env::temp_dir().join(format!("paxos-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (trace, history) = (dir.join("trace.jsonl"), dir.join("history.jsonl"));
    let out = paxos(&[
        "run",
        "--seed",
        "42",
        "--duration",
        "2000",
        "--trace",
        trace.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Multi-Paxos, 5 nodes, seed 42"), "{stdout}");
    assert!(stdout.contains("violations  none"), "{stdout}");
    assert!(stdout.contains("2 message delays median"), "{stdout}");
    let trace = std::fs::read_to_string(&trace).unwrap();
    let first: serde_json::Value = serde_json::from_str(trace.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], 0);
    // Every line is JSON, and byte for byte what serde_json's `Value` (keys in byte order, no
    // spaces) prints for it: the format these files were first written in.
    let as_serde_printed = |line: &str| serde_json::from_str::<serde_json::Value>(line).expect("JSON").to_string();
    for line in trace.lines() {
        assert_eq!(as_serde_printed(line), line);
    }
    let history = std::fs::read_to_string(&history).unwrap();
    for line in history.lines() {
        assert_eq!(as_serde_printed(line), line);
    }
    let ops: Vec<serde_json::Value> = history.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(ops.iter().all(|op| ["invoke", "ok", "info"].contains(&op["type"].as_str().unwrap())));
    assert!(ops.iter().any(|op| op["type"] == "ok" && op["f"] == "inc"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--history-edn` writes what the library exports for the same run, one operation map per line of
/// the JSON history, in the same order.
#[test]
fn a_run_writes_its_history_as_edn_for_knossos() {
    let dir = std::env::temp_dir().join(format!("paxos-cli-edn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (edn, json) = (dir.join("history.edn"), dir.join("history.jsonl"));
    let out = paxos(&[
        "run",
        "--protocol",
        "raft",
        "--seed",
        "9",
        "--duration",
        "2000",
        "--history-edn",
        edn.to_str().unwrap(),
        "--history",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let edn = std::fs::read_to_string(&edn).unwrap();
    let config = paxos_sim::SimConfig::from_json(r#"{"protocol": "raft", "seed": 9, "duration_ms": 2000}"#).unwrap();
    let mut sim = paxos_sim::simulate(&config).unwrap();
    sim.run_to_end();
    let expected: String = sim.history().edn_lines(config.end()).into_iter().map(|l| l + "\n").collect();
    assert_eq!(edn, expected);
    let json = std::fs::read_to_string(&json).unwrap();
    assert_eq!(edn.lines().count(), json.lines().count());
    assert!(edn.lines().count() > 100, "a 2 s run has operations");
    for (i, (edn, json)) in edn.lines().zip(json.lines()).enumerate() {
        let json: serde_json::Value = serde_json::from_str(json).unwrap();
        let head = format!("{{:type :{}, ", json["type"].as_str().unwrap());
        let tail =
            format!(", :time {}, :process {}, :index {i}}}", json["time"].as_u64().unwrap() * 1_000, json["process"]);
        assert!(edn.starts_with(&head) && edn.ends_with(&tail), "line {i}: {edn} against {json}");
    }
    let unwritable = dir.join("no-such-folder").join("history.edn");
    let message = refused(&["run", "--duration", "100", "--history-edn", unwritable.to_str().unwrap()]);
    assert!(message.starts_with("paxos: cannot write '"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn replay_prints_a_seeds_trace_in_words() {
    let out = paxos(&["replay", "--seed", "3", "--protocol", "basic"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 1_000);
    assert!(stdout.contains("Prepare"), "phase 1 is in the trace");
    // What the swarm drew for the seed, so that a person sees the run they replay.
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("seed 3 drew: ") && stderr.contains(" nodes, ") && stderr.contains("election "),
        "{stderr}"
    );
}

/// A run that floods itself past a limit stops there, as a finding of its own: exit code 7 and the
/// limit named (issue 15: a flood once grew a sweep to 24 GB and the kernel killed it, exit 137).
/// The flood: every message duplicated among nine nodes, against a limit of 40 messages in flight.
#[test]
fn a_run_past_its_limit_exits_with_its_own_code() {
    let dir = std::env::temp_dir().join(format!("paxos-cli-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flood = dir.join("flood.json");
    std::fs::write(&flood, r#"{"schedule": [{"at_ms": 0, "fault": "duplication", "ratio": [1, 1]}]}"#).unwrap();
    let flood = flood.to_string_lossy().into_owned();
    let run = |limit: Option<&str>| {
        let mut args = vec!["run", "--nodes", "9", "--duration", "2000", "--faults", &flood];
        args.extend(limit.map(|limit| ["--max-in-flight", limit]).into_iter().flatten());
        paxos(&args)
    };
    let out = run(Some("40"));
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("LIMIT       run exceeded 40 messages in flight (had "),
        "{}",
        text(&out.stdout)
    );
    // The same run within the default limits ends well: the limit, not the run, made the difference.
    let out = run(None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // In the sweep, the seed is printed with what it drew, and the sweep exits with the same code.
    let out = paxos(&["sweep", "--seeds", "2", "--protocol", "raft", "--max-in-flight", "10"]);
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("SEED=0 protocol=raft limit: run exceeded 10 messages in flight"), "{stdout}");
    assert!(
        stdout.contains("  drew: ") && stdout.contains("  again: paxos replay --seed 0 --protocol raft"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A playground link replays on the command line to the same trace: the hash printed is the hash of
/// the run built here by hand (the same seed, the actions at their steps, cut at the moment shown).
#[test]
fn replay_url_reproduces_a_shared_run() {
    use paxos_play::share::{Page, Setup, Shared};
    use paxos_sim::config::NodeName;
    use paxos_sim::run::Action;
    use paxos_sim::{Fault, simulate};

    let actions = vec![
        Action { step: 300, fault: Fault::Crash { node: NodeName(1) } },
        Action { step: 700, fault: Fault::Partition { groups: vec![vec![NodeName(0), NodeName(2)]] } },
        Action { step: 1_100, fault: Fault::Heal {} },
    ];
    let setup = Setup { protocol: paxos_sim::ProtocolKind::Raft, nodes: 5, seed: 77, ..Setup::default() };
    let shared =
        Shared { setup: setup.clone(), actions: actions.clone(), cursor: Some(2_000_500), ..Shared::default() };
    let url = format!("https://example.org/paxos/{}", shared.to_query(&Page::default()));

    let mut sim = simulate(&setup.config(None).unwrap()).unwrap();
    for action in &actions {
        while sim.steps() < action.step {
            sim.step();
        }
        sim.act(&action.fault).unwrap();
    }
    sim.run_until(2_000_500);
    let cut = sim.trace().first_at(2_000_501) as usize;
    let expected = format!("trace hash {:016x}", sim.trace().hash_prefix(cut));

    let out = paxos(&["replay", "--url", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().last(), Some(expected.as_str()));
    assert_eq!(stdout.lines().count(), cut + 1, "one line per event shown, then the hash");
    assert!(
        text(&out.stderr).contains("Raft on 5 nodes, seed 77, 3 actions, up to 2000.500 ms"),
        "{}",
        text(&out.stderr)
    );

    assert_eq!(
        refused(&["replay", "--url", "?v=1&p=raft&n=5&a=AB%21"]),
        "paxos: the link is not readable: 'a=AB!': the actions hold '!' at character 3, which base64url does not use"
    );
    assert!(refused(&["replay", "--url", "?v=9"]).contains("newer playground (format 9"));
    assert!(refused(&["replay", "--url", "?p=raft", "--seed", "3"]).contains("takes no --seed"));
}

#[cfg(not(feature = "planted-bugs"))]
#[test]
fn planted_bugs_need_their_build() {
    assert!(refused(&["sweep", "--seeds", "1", "--bug", "no-dedup"]).contains("--bug needs a build with planted bugs"));
}

#[cfg(feature = "planted-bugs")]
#[test]
fn a_sweep_with_a_planted_bug_fails_with_the_safety_code() {
    let out = paxos(&["sweep", "--seeds", "3", "--protocol", "multi", "--bug", "same-ballot"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("SEED=0 protocol=multi safety: one-leader-per-ballot"));
}

#[test]
fn a_scenario_prints_its_captions_against_its_run() {
    let out = paxos(&["run", "--scenario", "leader-recovery"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Multi-Paxos: the leader dies mid-command"), "{stdout}");
    assert!(stdout.contains("event ") && stdout.contains("inc x 2 again"), "{stdout}");
    assert!(!stdout.contains("the story went wrong"), "{stdout}");
    assert!(stdout.contains("ms of virtual time"), "a short run reads in ms: {stdout}");
    let listed = text(&paxos(&["scenarios"]).stdout);
    assert!(listed.lines().any(|l| l.starts_with("duelling-proposers")), "{listed}");
    assert!(refused(&["run", "--scenario", "nope"]).contains("no scenario named 'nope' (there are: basic-happy-path"));
}

#[test]
fn help_is_an_answer_not_an_error() {
    for args in [&["help"][..], &["run", "--help"], &["sweep", "-h"]] {
        let out = paxos(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(text(&out.stdout).contains("paxos run"), "{args:?}");
        assert!(text(&out.stdout).contains("--history-edn OUT.edn"), "{args:?}");
    }
}

#[test]
fn compare_runs_one_script_on_each_protocol_side_by_side() {
    let out = paxos(&["compare", "--protocols", "multi,basic", "--duration", "5000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let header = table.lines().find(|l| l.contains("Multi-Paxos")).expect("a header naming the protocols");
    assert!(header.contains("Basic Paxos"), "{table}");
    let leaderless = table.lines().find(|l| l.starts_with("time without a leader")).expect("a leaderless row");
    // Multi-Paxos's leader is crashed at 3 s: some time passes without one, but not the whole run.
    let ms: u64 = leaderless.split_whitespace().nth(4).and_then(|w| w.parse().ok()).expect("a time in ms");
    assert!(ms > 0 && ms < 5_000, "{leaderless}");
    assert!(leaderless.contains("(no leader)"), "Basic Paxos has no leader: {leaderless}");
    assert!(refused(&["compare", "--protocols", "multi,pbft"]).contains("unknown protocol 'pbft'"));
}

#[test]
fn a_reader_that_stops_early_gets_no_panic() {
    // As `paxos run … | head -1`, at its worst: the reader is gone before the first line.
    for args in [&["run", "--scenario", "basic-happy-path"][..], &["replay", "--seed", "3"], &["scenarios"]] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_paxos")).args(args).stdout(writer).output().expect("paxos runs");
        assert!(out.status.success(), "{args:?}: {:?}: {}", out.status, text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}: {}", text(&out.stderr));
    }
}

/// The link in docs/formats.md replays to the hash the page says it does.
#[test]
fn the_documented_link_has_the_documented_hash() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/formats.md")).unwrap();
    let link = doc.lines().find(|l| l.starts_with("https://example.org/paxos/?v=1")).expect("a link in the docs");
    let hash = doc.split("`trace hash ").nth(1).and_then(|rest| rest.split('`').next()).expect("a hash in the docs");
    let out = paxos(&["replay", "--url", link]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().last(), Some(format!("trace hash {hash}").as_str()));
}

/// `run --scenario NAME --lang zh`: the story in Chinese where it is translated (its questions are),
/// English where not yet; each question with its lettered answers, then the right one and why.
#[test]
fn a_scenario_speaks_the_language_asked_and_asks_its_questions() {
    let english = text(&paxos(&["run", "--scenario", "recover-value"]).stdout);
    assert!(english.contains("Q: X's round 2.1 has promises from n3"), "{english}");
    assert!(english.contains("a) x, its own value") && english.contains("d) Either one"), "{english}");
    assert!(english.contains("answer: b) y, the value with the highest vrnd reported — A proposer"), "{english}");
    // The question comes after its caption's line and before the next caption's.
    let (asked, proposed) = (english.find("Q: X's round 2.1").unwrap(), english.find("So X proposes y").unwrap());
    assert!(asked < proposed, "{english}");

    let out = paxos(&["run", "--scenario", "15-raft-partition", "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let chinese = text(&out.stdout);
    assert!(chinese.contains("Q: C 在期号 2 提交了 set x 8"), "{chinese}");
    assert!(chinese.contains("answer: c) A 和 B 删除它并复制 C 的日志"), "{chinese}");
    assert!(!chinese.contains("Q: C has committed"), "the question is in Chinese only: {chinese}");
    // A tag with a region is the same language; English stays the default. (The summary line gives
    // the wall time the run took, which varies: the story is compared without it.)
    let story = |args: &[&str]| {
        let out = text(&paxos(args).stdout);
        out.lines().filter(|l| !l.contains("simulated in")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(
        story(&["run", "--scenario", "raft-partition", "--lang", "zh-CN"]),
        story(&["run", "--scenario", "raft-partition", "--lang", "zh"])
    );
    assert_eq!(
        story(&["run", "--scenario", "raft-partition", "--lang", "en"]),
        story(&["run", "--scenario", "raft-partition"])
    );
    assert_ne!(
        story(&["run", "--scenario", "raft-partition", "--lang", "en"]),
        story(&["run", "--scenario", "raft-partition", "--lang", "zh"])
    );
}

#[test]
fn a_bad_language_is_named_with_the_choices() {
    assert_eq!(
        refused(&["run", "--scenario", "livelock", "--lang", "fr"]),
        "paxos: --lang: 'fr' is not a language of the playground (choose en or zh)"
    );
    assert_eq!(refused(&["run", "--scenario", "livelock", "--lang"]), "paxos: --lang needs a value");
    let help = text(&paxos(&["help"]).stdout);
    assert!(help.contains("--lang en|zh") && help.contains("--lang zh prints the scenario"), "{help}");
}

/// `--explain` prints, under an event, the rules the nodes applied in it, in the language `--lang`
/// names; bad values are one line.
#[test]
fn explain_prints_the_rules_under_their_events_in_either_language() {
    let out = paxos(&["run", "--scenario", "02-duelling-proposers", "--explain"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let nack = lines.iter().position(|l| l.contains("n4 → n1 Nack 1.2")).expect("the Nack is printed");
    assert_eq!(
        lines[nack + 1].trim(),
        "↳ n4 refused Accept 1.1 from n1 in slot 0: it promised 1.2 (last_rnd), which is higher (Paxos Made \
         Simple P1a; seed 001)"
    );
    assert!(stdout.contains("• n2 proposes its own value"), "{stdout}");

    let out = paxos(&["replay", "--seed", "3", "--protocol", "raft", "--explain", "--lang", "zh"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("• n") && stdout.contains("投票给"), "{}", &stdout[..stdout.len().min(2000)]);
    assert!(stdout.contains("Raft §5."));

    assert_eq!(
        refused(&["replay", "--seed", "3", "--explain", "--lang", "fr"]),
        "paxos: --lang: 'fr' is not a language of the playground (choose en or zh)"
    );
    assert_eq!(
        refused(&["replay", "--seed", "3", "--explain", "--json"]),
        "paxos: --explain prints the trace in words: it does not combine with --json"
    );
    assert!(refused(&["run", "--explain=yes"]).starts_with("paxos: unknown option '--explain'"));
}
