//! A person's own captions: in a link (format 2), in a run file, in the session, and exported as a
//! scenario file that replays the same run.

use paxos_json as json;
use paxos_play::scenario::{Caption, Pattern, Points, Question, Scenario, Text};
use paxos_play::session::Session;
use paxos_play::share::{self, Page, Setup, Shared};
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::run::Action;

/// A caption of one sentence, as a person writes them.
fn sentence(event: u64, i: usize) -> Caption {
    share::caption_at(event, &format!("Step {i}: n1 asks the others to promise ballot {i}, and they do."))
}

fn run_with(captions: Vec<Caption>) -> Shared {
    Shared {
        actions: vec![Action { step: 300, fault: Fault::Crash { node: NodeName(0) } }],
        cursor: Some(250_000),
        captions,
        ..Shared::default()
    }
}

fn question() -> Question {
    Question {
        ask: Text::new("Who leads next?"),
        answers: vec![Text::new("n2"), Text::both("n3", "n3 号")],
        correct: 0,
        why: Text::new("Its timer fires first."),
    }
}

#[test]
fn a_captioned_link_is_format_2_and_round_trips() {
    let mut captions: Vec<Caption> = (0..3).map(|i| sentence(10 + 40 * i as u64, i)).collect();
    captions[1].points = Some(Points { nodes: vec![NodeName(4), NodeName(1)], slot: None, message: Some(12) });
    captions[2].question = Some(question());
    captions[2].text = Text::both("中文 and English", "只有中文");
    let shared = run_with(captions);
    let query = shared.to_query(&Page::default());
    assert!(query.starts_with("?v=2&") && query.contains("&c="), "{query}");
    let link = share::parse_link(&query);
    assert_eq!(link.problems, Vec::<String>::new());
    assert_eq!(link.shared, shared);
    // Without captions a link is what format 1 wrote.
    let plain = run_with(Vec::new()).to_query(&Page::default());
    assert!(plain.starts_with("?v=1&") && !plain.contains("&c="), "{plain}");
    // A format-1 link with captions (by hand) reads too, and writes back as format 2.
    let by_hand = query.replacen("v=2", "v=1", 1);
    assert_eq!(share::parse_link(&by_hand).shared, shared);
}

/// Ten captions of a sentence each, as a person writes a story: how long the address gets.
#[test]
fn link_of_10_captions() {
    let captions: Vec<Caption> = (0..10).map(|i| sentence(25 + 60 * i as u64, i)).collect();
    let text_bytes: usize = captions.iter().map(|c| c.text.en.len()).sum();
    let shared = run_with(captions);
    let address = format!("https://example.org/paxos/{}", shared.to_query(&Page::default()));
    let without = format!("https://example.org/paxos/{}", run_with(Vec::new()).to_query(&Page::default()));
    println!(
        "10 captions ({text_bytes} bytes of text): an address of {} characters ({} without the captions)",
        address.len(),
        without.len()
    );
    assert!(address.len() > without.len() + text_bytes, "the captions' words are in the link");
    assert_eq!(share::parse_link(&address).shared, shared);
}

#[test]
fn malformed_captions_are_named_and_dropped_and_the_rest_kept() {
    let shared = run_with(vec![sentence(5, 1), sentence(9, 2)]);
    let query = shared.to_query(&Page::default());
    let cut = share::parse_link(&query[..query.len() - 3]);
    assert_eq!(cut.problems.len(), 1, "{:?}", cut.problems);
    assert!(
        cut.problems[0].starts_with("'c=") && cut.problems[0].contains("caption 2: cut short"),
        "{:?}",
        cut.problems
    );
    assert_eq!((cut.shared.captions.len(), &cut.shared.actions), (0, &shared.actions), "the rest is kept");
    // An empty text, bad flags, a node beyond the largest cluster, a question of one answer.
    let bytes = |b: &[u8]| share::parse_link(&format!("?c={}", base64(b))).problems.join("\n");
    assert!(bytes(&[0, 0, 0, 0]).contains("caption 1: \"text\": a text cannot be empty"), "{}", bytes(&[0, 0, 0, 0]));
    assert!(bytes(&[0, 1, b'a', 0, 9]).contains("caption 1: unknown flags 9"));
    assert!(bytes(&[0, 1, b'a', 0, 1, 1, 12, 0, 0]).contains("caption 1: node number 12"));
    let one_answer = [0, 1, b'a', 0, 2, 1, b'q', 0, 1, 1, b'x', 0, 0, 1, b'w', 0];
    assert!(bytes(&one_answer).contains("a question needs 2 to 4 answers, not 1"), "{}", bytes(&one_answer));
    assert!(share::parse_link("?c=a!").problems[0].contains("the captions hold '!'"));
    // An event further than a page replays (5,000,000): refused, not run to.
    let far = bytes(&[0xc1, 0x96, 0xb1, 0x02, 1, b'a', 0, 0]);
    assert!(far.contains("caption 1 is at event 5000001, past the 5000000 events"), "{far}");
}

/// Base64url, as the link writes bytes (a test's own, to build malformed input).
fn base64(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        (0..=chunk.len()).for_each(|i| out.push(DIGITS[(n >> (18 - 6 * i) & 63) as usize] as char));
    }
    out
}

#[test]
fn a_run_file_carries_captions_as_a_scenario_does() {
    let mut captions = vec![sentence(5, 1), sentence(9, 2)];
    captions[1].question = Some(question());
    let shared = run_with(captions);
    let file = shared.to_json(7);
    assert!(file.contains("\"playground\": 2") && file.contains("\"on\": {\n        \"id\": 5"), "{file}");
    assert_eq!(Shared::from_json(&file), Ok((shared.clone(), Some(7))));
    // The captions are those of a scenario file: the same JSON, read by the same reader.
    let scenario_captions: Vec<Caption> = json::read(&json::to_string(&shared.captions)).unwrap();
    assert_eq!(scenario_captions, shared.captions);
    // An older file (format 1, no captions) still reads.
    let old = run_with(Vec::new()).to_json(7);
    assert!(old.contains("\"playground\": 1"), "{old}");
    assert_eq!(Shared::from_json(&old).unwrap().0.captions, Vec::new());
    let refused = |from: &str, to: &str| Shared::from_json(&file.replacen(from, to, 1)).unwrap_err();
    assert!(refused("\"id\": 9", "\"id\": 5").contains("caption 2 is at event 5, not after the previous"));
    assert!(refused("\"id\": 5", "\"type\": \"send\"").contains("caption 1: a shared caption is at an exact event"));
    assert!(
        refused("\"correct\": 0", "\"correct\": 2").contains("\"captions\"[1] (caption 2): \"question\".\"correct\"")
    );
}

#[test]
fn an_exact_pattern_names_one_event_and_stands_alone() {
    assert_eq!(json::read::<Pattern>(r#"{"id": 12}"#), Ok(Pattern::at(12)));
    assert_eq!(json::to_string(&Pattern::at(12).to_file()), r#"{"id":12}"#);
    let mixed = json::read::<Pattern>(r#"{"id": 12, "type": "send"}"#).unwrap_err().to_string();
    assert!(mixed.contains("an exact event stands alone"), "{mixed}");
    // In a scenario: tied to that very event, after the previous caption's.
    let mut scenario = Scenario::named("duelling-proposers").unwrap();
    let mut first = scenario.simulate().unwrap();
    let events = scenario.events(run_whole(&mut first).trace()).unwrap();
    scenario.captions.insert(1, Caption { on: Pattern::at(events[0] + 1), ..scenario.captions[1].clone() });
    let mut run = scenario.simulate().unwrap();
    let sim = run_whole(&mut run);
    assert_eq!(scenario.events(sim.trace()).unwrap()[1], events[0] + 1);
    scenario.captions[1].on = Pattern::at(events[0]);
    assert!(scenario.events(sim.trace()).unwrap_err().contains("caption 2 (\""));
    scenario.captions[1].on = Pattern::at(u64::MAX - 1);
    assert!(scenario.events(sim.trace()).unwrap_err().contains("matches no event after event"));
}

fn run_whole(replayed: &mut share::Replayed) -> &dyn paxos_sim::Simulation {
    replayed.sim.run_to_end();
    replayed.sim.as_ref()
}

#[test]
fn a_session_shows_a_persons_captions_at_their_events() {
    let (mut session, problems) = Session::replay(Setup::default(), None, &run_with(Vec::new()).actions).unwrap();
    assert!(problems.is_empty());
    session.set_captions(&[sentence(40, 1), sentence(900, 2)]).unwrap();
    assert!(session.sim().trace().len() > 900, "the run went on to the last caption's event");
    session.seek(session.sim().trace().get(40).unwrap().time);
    assert_eq!(session.caption().map(|(i, c)| (i, c.text.en.starts_with("Step 1"))), Some((0, true)));
    let err = session.set_captions(&[sentence(9, 1), sentence(9, 2)]).unwrap_err();
    assert!(err.contains("caption 2 is at event 9"), "{err}");
    assert_eq!(session.captions.len(), 2, "a refused change changes nothing");
}

/// Export → file → read → replay: the same run (trace hash) with the same captions, for a
/// playground run and for a run that started from a scenario.
#[test]
fn an_exported_run_replays_the_same_trace() {
    let played = run_with(vec![sentence(60, 1), sentence(1_500, 2)]);
    let on_scenario = Shared {
        setup: Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() },
        actions: vec![Action { step: 40, fault: Fault::Crash { node: NodeName(1) } }],
        cursor: Some(30_000),
        captions: vec![sentence(20, 1)],
        ..Shared::default()
    };
    for shared in [played, on_scenario] {
        let loaded = shared.setup.scenario().unwrap();
        let config = shared.setup.config(loaded.as_ref()).unwrap();
        let title = Text::new("My story");
        let exported = shared.to_scenario(loaded.as_ref(), title.clone(), Text::new("What I saw.")).unwrap();
        let file = exported.to_json();
        let read = Scenario::from_json(&file).unwrap_or_else(|e| panic!("{e}\n{file}"));
        assert_eq!(read, exported);
        assert_eq!((&read.title, &read.captions, &read.actions), (&title, &shared.captions, &shared.actions));
        let mut replayed = read.simulate().unwrap();
        replayed.sim.run_to_end();
        let end = read.config.end();
        let mut original = share::replay(&config, &shared.actions).unwrap();
        original.sim.run_until(end);
        let (a, b) = (replayed.sim.trace(), original.sim.trace());
        assert!(end >= shared.cursor.unwrap() && a.len() > 20);
        assert_eq!(share::trace_hash_until(a, end), share::trace_hash_until(b, end), "{file}");
        assert_eq!(a.hash(), share::trace_hash_until(b, end), "the file's run ends at its duration");
        let ids: Vec<u64> = shared.captions.iter().filter_map(|c| c.on.id).collect();
        assert_eq!(read.events(a).unwrap(), ids);
        // The playground loads it as a scenario: the captions at their events, the actions taken.
        let setup = Setup { scenario: Some("mine".into()), ..Setup::default() };
        let session = Session::new(setup, Some(read)).unwrap();
        assert_eq!(session.captions.iter().map(|(e, _)| *e).collect::<Vec<_>>(), ids);
        assert_eq!(session.sim().trace().hash(), a.hash());
    }
    // A caption past the run's end cannot be exported.
    let setup = Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() };
    let late = Shared { setup: setup.clone(), captions: vec![sentence(100_000, 1)], ..Shared::default() };
    let error = late.to_scenario(setup.scenario().unwrap().as_ref(), Text::new("t"), Text::new("s")).unwrap_err();
    assert!(error.contains("caption 1 (\"Step 1") && error.contains("matches no event"), "{error}");
}

/// A scenario file exported from a playground run imports back as that run (the same setup, actions
/// and captions, the same trace); a catalogue scenario's own script is more than a link holds, and
/// importing it says so; a file that is neither is named.
#[test]
fn an_exported_run_imports_back_as_the_same_run() {
    let shared = Shared {
        setup: Setup { seed: 7, network: share::Network { loss_percent: 5, ..Default::default() }, ..Setup::default() },
        captions: vec![sentence(60, 1), Caption { question: Some(question()), ..sentence(400, 2) }],
        ..run_with(Vec::new())
    };
    let exported = shared.to_scenario(None, Text::new("Mine"), Text::new("What I saw.")).unwrap();
    let (read, hash) = Shared::from_file(&exported.to_json()).unwrap();
    assert_eq!(hash, None);
    assert_eq!((&read.setup, &read.actions, &read.captions), (&shared.setup, &shared.actions, &shared.captions));
    assert_eq!(read.cursor, Some(0), "a story is shown from its start");
    let config = read.setup.config(None).unwrap();
    let end = exported.config.end();
    let (mut a, mut b) =
        (share::replay(&config, &read.actions).unwrap(), share::replay(&config, &shared.actions).unwrap());
    a.sim.run_until(end);
    b.sim.run_until(end);
    assert_eq!(a.sim.trace().hash(), b.sim.trace().hash());
    // Its link round-trips like any captioned link.
    let page = Page::default();
    assert_eq!(share::parse_link(&read.to_query(&page)).shared, read);

    // A catalogue scenario with its own schedule of faults: refused, with the way to play it.
    let named = Scenario::named("duelling-proposers").unwrap();
    let error = Shared::from_file(&named.to_json()).unwrap_err();
    assert!(error.contains("paxos run --scenario FILE"), "{error}");
    // A run file still reads as one; neither kind is named as what it is not.
    let run_file = shared.to_json(42);
    assert_eq!(Shared::from_file(&run_file).map(|(s, h)| (s.captions, h)), Ok((shared.captions.clone(), Some(42))));
    let error = Shared::from_file(r#"{"config": {"protocol": "basic"}, "title": "x"}"#).unwrap_err();
    assert!(error.starts_with("not a scenario file:"), "{error}");
}
