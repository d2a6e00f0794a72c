//! `paxos run --scenario FILE`: a run exported from the playground as a scenario file plays with its
//! actions and captions, in the language asked; a missing or malformed file gets one clear line.

mod common;

use common::{paxos, refused, text};

use paxos_play::scenario::{Question, Text};
use paxos_play::share::{self, Setup, Shared};
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::run::Action;

#[test]
fn an_exported_run_plays_from_its_file_with_its_captions() {
    let mut second = share::caption_at(700, "n2 crashed: who leads now?");
    second.text = Text::both("n2 crashed: who leads now?", "n2 崩溃了：现在谁是 leader？");
    second.question = Some(Question {
        ask: Text::new("Does the cluster go on?"),
        answers: vec![Text::new("Yes"), Text::new("No")],
        correct: 0,
        why: Text::new("Four of five nodes are a majority."),
    });
    let shared = Shared {
        setup: Setup { protocol: paxos_sim::ProtocolKind::Raft, seed: 9, ..Setup::default() },
        actions: vec![Action { step: 400, fault: Fault::Crash { node: NodeName(1) } }],
        cursor: Some(1_500_000),
        captions: vec![share::caption_at(80, "The first election."), second],
        ..Shared::default()
    };
    let scenario = shared.to_scenario(None, Text::new("My Raft story"), Text::new("A crash, told.")).unwrap();
    // Its link replays with the captions counted and the same hash as without them.
    let replay = |shared: &Shared| paxos(&["replay", "--url", &shared.to_query(&Default::default())]);
    let (with, without) = (replay(&shared), replay(&Shared { captions: Vec::new(), ..shared.clone() }));
    assert_eq!(with.status.code(), Some(0), "{}", text(&with.stderr));
    assert!(text(&with.stderr).contains("1 actions, 2 captions, up to 1500.000 ms"), "{}", text(&with.stderr));
    assert_eq!(text(&with.stdout).lines().last(), text(&without.stdout).lines().last());
    // Where the captions' events fall in the run the link shows: the file must tell them there.
    let mut replayed = share::replay(&shared.setup.config(None).unwrap(), &shared.actions).unwrap();
    replayed.sim.run_until(scenario.config.end());
    let time_of = |id: u64| replayed.sim.trace().get(id).unwrap().time as f64 / 1e3;

    let dir = std::env::temp_dir().join(format!("paxos-cli-scenario-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("my-story.json");
    std::fs::write(&path, scenario.to_json()).unwrap();
    let path = path.to_str().unwrap();

    let out = paxos(&["run", "--scenario", path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("My Raft story (a run written in the playground)\nA crash, told."), "{stdout}");
    for (id, words) in [(80, "The first election."), (700, "n2 crashed: who leads now?")] {
        let line = format!("{:>9.3} ms  event {id:<6} {words}", time_of(id));
        assert!(stdout.contains(&line), "{line:?} not in\n{stdout}");
    }
    assert!(stdout.contains("Q: Does the cluster go on?") && stdout.contains("answer: a) Yes"), "{stdout}");
    assert!(!stdout.contains("the story went wrong"), "{stdout}");

    let zh = text(&paxos(&["run", "--scenario", path, "--lang", "zh"]).stdout);
    assert!(zh.contains("n2 崩溃了") && zh.contains("The first election."), "one string shows in every language: {zh}");

    std::fs::write(dir.join("bad.json"), "{\"title\": \"t\"").unwrap();
    let bad = dir.join("bad.json");
    let bad = bad.to_str().unwrap();
    assert!(refused(&["run", "--scenario", bad]).starts_with(&format!("paxos: {bad}: scenario: ")));
    let missing = dir.join("missing.json");
    let missing = missing.to_str().unwrap();
    assert!(
        refused(&["run", "--scenario", missing]).starts_with(&format!("paxos: cannot read scenario file '{missing}'"))
    );
    // Names still work, and a name that is not a file here is looked up in the catalog.
    assert!(refused(&["run", "--scenario", "nope.json"]).contains("no scenario named 'nope.json'"));
    std::fs::remove_dir_all(&dir).unwrap();
}
