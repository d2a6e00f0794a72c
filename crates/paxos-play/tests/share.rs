//! A run in a link and in a file: round trips, the messages bad input gets, and a fuzz of the
//! decoders (millions of inputs, no panic).

use paxos_core::Prng;
use paxos_json as json;
use paxos_play::lang::Lang;
use paxos_play::scenario::{Caption, Points, Question, Text};
use paxos_play::share::{self, Link, Network, Page, Setup, Shared, View};
use paxos_sim::ProtocolKind;
use paxos_sim::config::{ClientName, KindName, NodeName, OpSpec, RatioSpec};
use paxos_sim::faults::Fault;
use paxos_sim::run::Action;

/// One fault of every kind, with fields set to values other than their defaults.
fn every_fault() -> Vec<Fault> {
    let n = NodeName;
    vec![
        Fault::Crash { node: n(0) },
        Fault::CrashLeader {},
        Fault::Restart { node: n(8) },
        Fault::Pause { node: n(2) },
        Fault::Resume { node: n(2) },
        Fault::Partition { groups: vec![vec![n(0), n(3)], vec![n(1)], vec![]] },
        Fault::Cut { from: n(1), to: n(4), both: true },
        Fault::Repair { from: n(4), to: n(1), both: false },
        Fault::Heal {},
        Fault::Loss { ratio: RatioSpec(1, 10) },
        Fault::Duplication { ratio: RatioSpec(300, 1000) },
        Fault::Timeout { node: n(3) },
        Fault::Request { client: Some(ClientName(2)), node: Some(n(1)), op: "inc a -7".parse().unwrap() },
        Fault::Request { client: None, node: None, op: "get z".parse::<OpSpec>().unwrap() },
        Fault::DropMessage { msg: 4_000_000_000 },
        Fault::DuplicateMessage { msg: 0 },
        Fault::DelayMessage { msg: 17, by_us: 1_000_000 },
        Fault::Recover {},
        Fault::Intercept {
            from: Some(n(0)),
            to: None,
            kind: Some("Accept".parse::<KindName>().unwrap()),
            delay_us: Some(5),
            count: 3,
        },
        Fault::Intercept { from: None, to: Some(n(8)), kind: None, delay_us: None, count: 1 },
    ]
}

fn shared_with(faults: Vec<Fault>) -> Shared {
    let actions = faults.into_iter().enumerate().map(|(i, fault)| Action { step: i as u64 * 37, fault }).collect();
    Shared {
        setup: Setup {
            protocol: ProtocolKind::Raft,
            nodes: 9,
            seed: u64::MAX,
            workload: 3,
            network: Network { latency_ms: (2, 30), loss_percent: 5, duplication_percent: 1 },
            scenario: None,
        },
        actions,
        cursor: Some(2_500_037),
        view: View::Timeline,
        node: Some(NodeName(4)),
        captions: Vec::new(),
    }
}

/// Captions of every shape: plain, in two languages, pointing, asking.
fn some_captions() -> Vec<Caption> {
    let text = |en: &str| Text::new(en);
    vec![
        share::caption_at(3, "Phase 1 begins: n1 sends Prepare."),
        Caption {
            points: Some(Points { nodes: vec![NodeName(2), NodeName(0)], slot: Some(4), message: Some(9) }),
            text: Text::both("n3 promises.", "n3 作出承诺。"),
            ..share::caption_at(4, "x")
        },
        Caption {
            question: Some(Question {
                ask: text("What does n4 do?"),
                answers: vec![text("Accepts"), Text::both("Refuses", "拒绝"), text("Nothing")],
                correct: 1,
                why: text("It promised a higher ballot."),
            }),
            points: Some(Points { nodes: vec![], slot: None, message: Some(0) }),
            ..share::caption_at(200, "A \"quoted\" & percent% line ✓")
        },
    ]
}

#[test]
fn a_link_round_trips_every_fault_and_setting() {
    let shared = shared_with(every_fault());
    let page = Page {
        embed: true,
        autoplay: true,
        speed: Some(12_500),
        controls: false,
        lang: Some(Lang::Zh),
        theme: share::Theme::Dark,
    };
    let query = shared.to_query(&page);
    let link = share::parse_link(&query);
    assert_eq!(link.problems, Vec::<String>::new(), "{query}");
    assert_eq!(link.shared, shared);
    assert_eq!(link.page, page);
    // Whole addresses are read too, fragment and all.
    let address = format!("https://example.org/paxos/{query}#here");
    assert_eq!(share::parse_link(&address).shared, shared);
    // Defaults are left out.
    let plain = Shared::default().to_query(&Page::default());
    assert_eq!(plain, "?v=1&p=multi&n=5&seed=1&k=2");
}

#[test]
fn a_file_round_trips_and_is_readable() {
    let shared = shared_with(every_fault());
    let json = shared.to_json(0xfeed);
    assert!(json.contains(r#""fault": "crash","#) && json.contains(r#""step": 0"#), "{json}");
    assert_eq!(share::Shared::from_json(&json), Ok((shared, Some(0xfeed))));
    // A scenario file names the scenario and nothing it fixes.
    let scenario = Shared {
        setup: Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() },
        ..Shared::default()
    };
    let json = scenario.to_json(1);
    assert!(!json.contains("\"protocol\""), "{json}");
    assert_eq!(share::Shared::from_json(&json).map(|(s, _)| s), Ok(scenario));
}

/// Run files are written byte for byte as serde_json's pretty printer wrote them (pinned in
/// `tests/golden/run-*.json` before the writer changed), and read back as written.
#[test]
fn run_files_are_written_as_before() {
    let scenario = Shared {
        setup: Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() },
        actions: vec![
            Action { step: 1234, fault: Fault::Crash { node: NodeName(0) } },
            Action { step: 1300, fault: Fault::Heal {} },
        ],
        cursor: Some(1_003_500),
        ..Shared::default()
    };
    // Every character a string may need escaped, and some that need not be.
    let odd_name = "q\"b\\s/\u{1}\u{7f}\n\t\u{8}\u{c}\r é ✓ \u{1F600}";
    let odd = Shared {
        setup: Setup { scenario: Some(odd_name.into()), ..Setup::default() },
        view: View::Cluster,
        ..Shared::default()
    };
    let cases = [
        (shared_with(every_fault()), 0xfeed, include_str!("golden/run-every-fault.json")),
        (scenario, 0x60f3_29b6_713e_3ca2, include_str!("golden/run-scenario.json")),
        (Shared::default(), 0, include_str!("golden/run-default.json")),
        (odd, 1, include_str!("golden/run-odd-scenario-name.json")),
    ];
    for (shared, hash, golden) in cases {
        assert_eq!(shared.to_json(hash), golden);
        assert_eq!(Shared::from_json(golden), Ok((shared, Some(hash))));
    }
}

/// A fault in one line of JSON (the playground describes some faults so): as serde_json wrote it.
#[test]
fn faults_are_written_as_before() {
    let golden = [
        r#"{"fault":"crash","node":"n1"}"#,
        r#"{"fault":"crash-leader"}"#,
        r#"{"fault":"restart","node":"n9"}"#,
        r#"{"fault":"pause","node":"n3"}"#,
        r#"{"fault":"resume","node":"n3"}"#,
        r#"{"fault":"partition","groups":[["n1","n4"],["n2"],[]]}"#,
        r#"{"fault":"cut","from":"n2","to":"n5","both":true}"#,
        r#"{"fault":"repair","from":"n5","to":"n2","both":false}"#,
        r#"{"fault":"heal"}"#,
        r#"{"fault":"loss","ratio":[1,10]}"#,
        r#"{"fault":"duplication","ratio":[300,1000]}"#,
        r#"{"fault":"timeout","node":"n4"}"#,
        r#"{"fault":"request","client":"c3","node":"n2","op":"inc a -7"}"#,
        r#"{"fault":"request","client":null,"node":null,"op":"get z"}"#,
        r#"{"fault":"drop-message","msg":4000000000}"#,
        r#"{"fault":"duplicate-message","msg":0}"#,
        r#"{"fault":"delay-message","msg":17,"by_us":1000000}"#,
        r#"{"fault":"recover"}"#,
        r#"{"fault":"intercept","from":"n1","to":null,"kind":"Accept","delay_us":5,"count":3}"#,
        r#"{"fault":"intercept","from":null,"to":"n9","kind":null,"delay_us":null,"count":1}"#,
    ];
    let faults = every_fault();
    assert_eq!(faults.len(), golden.len());
    for (fault, golden) in faults.iter().zip(golden) {
        assert_eq!(json::to_string(fault), golden);
    }
}

/// 200 actions of a person's usual mix fit in an address that browsers and chat tools accept.
#[test]
fn link_of_200_actions() {
    let n = NodeName;
    let mix = |i: u64| match i % 8 {
        0 => Fault::Crash { node: n((i % 5) as u8) },
        1 => Fault::Restart { node: n((i % 5) as u8) },
        2 => Fault::Partition { groups: vec![vec![n(0), n(1)], vec![n(2), n(3), n(4)]] },
        3 => Fault::Heal {},
        4 => Fault::DropMessage { msg: 1_000 + i as u32 * 40 },
        5 => Fault::Request { client: None, node: Some(n(1)), op: "inc a 1".parse().unwrap() },
        6 => Fault::Cut { from: n(0), to: n(2), both: true },
        _ => Fault::Timeout { node: n(3) },
    };
    let actions: Vec<Action> = (0..200).map(|i| Action { step: 300 + i * 450, fault: mix(i) }).collect();
    let shared = Shared { actions, cursor: Some(98_765_432), ..Shared::default() };
    let query = shared.to_query(&Page::default());
    let address = format!("https://example.org/paxos/{query}");
    println!("200 actions: an address of {} characters", address.len());
    assert!(address.len() <= 2_000, "{} characters", address.len());
    assert_eq!(share::parse_link(&query).shared, shared);
}

#[test]
fn a_malformed_link_names_each_bad_part_and_keeps_the_rest() {
    let link = share::parse_link("?p=paxos&n=5&seed=x7&k=2&a=AA%21&zz=1&t=%ZZ&view=side&speed=0.01&lang=fr");
    assert_eq!(link.shared.setup.protocol, ProtocolKind::Multi);
    assert_eq!((link.shared.setup.nodes, link.shared.setup.workload), (5, 2));
    let all = link.problems.join("\n");
    for expected in [
        "'p=paxos': unknown protocol 'paxos'",
        "'seed=x7': seed must be a whole number",
        "'a=AA!': the actions hold '!' at character 3",
        "'zz=1': unknown setting",
        "'t': '%' at position 0",
        "'view=side': the view is cluster, timeline or both",
        "'speed=0.01': speed is 0.1 to 10000 virtual ms per second",
        "'lang=fr': lang is en or zh",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    assert_eq!(link.problems.len(), 8, "{all}");
    assert_eq!(link.page.lang, None, "a bad language leaves the reader's own");
}

#[test]
fn truncated_and_impossible_links_get_messages() {
    let shared = shared_with(every_fault());
    let query = shared.to_query(&Page::default());
    let cut = &query[..query.len() - 5];
    let link = share::parse_link(cut);
    assert!(link.problems.iter().any(|p| p.contains("'a=") && p.contains("cut short")), "{:?}", link.problems);
    assert_eq!(link.shared.actions, Vec::new());
    assert_eq!(link.shared.setup.protocol, ProtocolKind::Raft, "the rest is kept");

    let link = share::parse_link("n=12&seed=4");
    assert_eq!((link.shared.setup.nodes, link.shared.setup.seed), (5, 1));
    assert!(link.problems[0].contains("3 to 9 nodes"), "{:?}", link.problems);

    let link = share::parse_link("n=3&node=n4");
    assert_eq!(link.shared.node, None);
    assert!(link.problems[0].contains("there are 3 nodes"), "{:?}", link.problems);

    let link = share::parse_link("t=600001&lat=5-2");
    assert_eq!(link.shared.cursor, None);
    let all = link.problems.join("\n");
    assert!(all.contains("at most 600000 ms") && all.contains("latency is a range"), "{all}");
}

#[test]
fn a_link_from_a_newer_playground_shows_the_default_run_and_says_why() {
    let link = share::parse_link("?v=3&p=raft&n=7&a=zzzz");
    assert_eq!(link.shared, Shared::default());
    assert_eq!(link.problems.len(), 1);
    assert!(link.problems[0].contains("newer playground (format 3"), "{:?}", link.problems);
    // An embedded one stays embedded (a frame in someone's page must not grow the whole chrome).
    let link = share::parse_link("?v=3&embed&scenario=x");
    assert!(link.page.embed);
    assert_eq!(link.shared, Shared::default());
    // A long bad key is cut in the message.
    let link = share::parse_link(&format!("{}=1", "k".repeat(5_000)));
    assert!(link.problems[0].len() < 300, "{}", link.problems[0].len());
}

#[test]
fn a_bad_file_names_the_field_at_fault() {
    let cases = [
        ("[1, 2]", "expected a JSON object"),
        (r#"{"nodes": 5}"#, "\"playground\" is missing"),
        (r#"{"playground": 7}"#, "format 7, from a newer playground"),
        (r#"{"playground": 1, "nodes": "five"}"#, "\"nodes\": expected a whole number from 0 to 255, found \"five\""),
        (r#"{"playground": 1, "nodes": 12}"#, "3 to 9 nodes"),
        (r#"{"playground": 1, "protocol": "pbft"}"#, "\"protocol\": unknown protocol 'pbft'"),
        (
            r#"{"playground": 1, "network": {"latency": 3}}"#,
            "\"network\": unknown field `latency`, expected one of `latency_ms`",
        ),
        (
            r#"{"playground": 1, "actions": [{"step": 1, "fault": "explode"}]}"#,
            "\"actions\"[0] (action 1): \"fault\": unknown variant `explode`",
        ),
        (
            r#"{"playground": 1, "actions": [{"step": 9, "fault": "heal"}, {"step": 3, "fault": "heal"}]}"#,
            "\"actions\"[1]: step 3 comes before",
        ),
        (r#"{"playground": 1, "actions": [{"step": 1, "fault": "heal", "node": "n1"}]}"#, "unknown field `node`"),
        (r#"{"playground": 1, "colour": "red"}"#, "unknown field `colour`, expected one of `playground`"),
        (
            r#"{"playground": 1, "network": {"loss_percent": "lots"}}"#,
            "\"network\".\"loss_percent\": expected a whole number from 0 to 255, found \"lots\"",
        ),
        (r#"{"playground": 1, "trace_hash": "xyz"}"#, "\"trace_hash\": 'xyz' is not"),
        ("{\"playground\": 1, \"nodes\": 5", "not a run file: EOF while parsing"),
    ];
    for (file, expected) in cases {
        match Shared::from_json(file) {
            Ok(read) => panic!("{file} was read as {read:?}"),
            Err(e) => assert!(e.contains(expected), "{file}: {e:?} does not say {expected:?}"),
        }
    }
}

/// The same link replays the same run: the trace up to the moment shown hashes the same, and an
/// action that cannot be taken is named while the others are kept.
#[test]
fn replaying_a_link_reproduces_the_run() {
    let actions = vec![
        Action { step: 400, fault: Fault::Partition { groups: vec![vec![NodeName(0), NodeName(1)]] } },
        Action { step: 900, fault: Fault::CrashLeader {} },
        Action { step: 950, fault: Fault::Crash { node: NodeName(7) } },
        Action { step: 1_500, fault: Fault::Heal {} },
    ];
    let shared = Shared { actions, cursor: Some(1_200_000), ..Shared::default() };
    let link = share::parse_link(&shared.to_query(&Page::default()));
    let config = link.shared.setup.config(None).unwrap();
    // Two replays run on to different times: what they show up to the cursor is the same.
    let hashes: Vec<u64> = [1_500_000, 3_000_000]
        .into_iter()
        .map(|until| {
            let mut replayed = share::replay(&config, &link.shared.actions).unwrap();
            assert_eq!(replayed.timed.len(), 3);
            assert_eq!(replayed.problems.len(), 1, "{:?}", replayed.problems);
            assert!(replayed.problems[0].starts_with("action 3 (crash):"), "{:?}", replayed.problems);
            replayed.sim.run_until(until);
            let trace = replayed.sim.trace();
            assert_eq!(trace.hash_prefix(trace.len()), trace.hash());
            assert_ne!(share::trace_hash_until(trace, 1_200_000), trace.hash(), "events after the cursor count");
            share::trace_hash_until(trace, 1_200_000)
        })
        .collect();
    assert_eq!(hashes[0], hashes[1]);
}

/// Random valid action lists round-trip through the bytes.
#[test]
fn random_actions_round_trip() {
    let mut rng = Prng::derive(7, 0);
    let faults = every_fault();
    for _ in 0..20_000 {
        let mut step = 0;
        let actions: Vec<Action> = (0..rng.below(12))
            .map(|_| {
                let bits = rng.below(17);
                let gap = rng.below(3) * rng.below(1 << bits);
                step += gap;
                Action { step, fault: faults[rng.below(faults.len() as u64) as usize].clone() }
            })
            .collect();
        let text = share::encode_actions(&actions);
        assert_eq!(share::decode_actions(&text), Ok(actions));
    }
}

/// Inputs for the fuzz: random text from the alphabet of links, valid links with bytes changed,
/// inserted, deleted or cut, and random bytes (as text).
fn fuzz_input(rng: &mut Prng, seeds: &[String]) -> String {
    const ALPHABET: &[u8] = b"?&=%+.-_~0123456789abcdefABCDEFvpnsedktaxyzlo#/:!*'()";
    match rng.below(4) {
        0 => (0..rng.below(80)).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char).collect(),
        1 => {
            String::from_utf8_lossy(&(0..rng.below(80)).map(|_| rng.next_u64() as u8).collect::<Vec<u8>>()).into_owned()
        }
        _ => {
            let mut bytes = seeds[rng.below(seeds.len() as u64) as usize].clone().into_bytes();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len() as u64 + 1) as usize;
                match rng.below(4) {
                    0 => bytes.truncate(at),
                    1 => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len() as u64) as usize]),
                    2 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ if at < bytes.len() => bytes[at] = rng.next_u64() as u8,
                    _ => {}
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

/// 1,000,000 inputs to the link decoder and 200,000 to the file reader, about half of them grown
/// from links and files with captions: no panic, and every link that reads is canonical once
/// written: for any input, `parse` gives (S, P); `to_query(S, P)` = Q reads back with no problem as
/// the same (S, P), and writing that again gives Q itself. Whatever is read holds a valid setup and
/// valid captions; every file that reads writes back (`to_json`) to a file that reads the same; and
/// whatever JSON the file reader's parser reads writes back to the same value.
#[test]
fn fuzz_the_decoders() {
    let started = std::time::Instant::now();
    let captioned = Shared { captions: some_captions(), ..shared_with(every_fault()[..3].to_vec()) };
    let seeds: Vec<String> = [
        shared_with(every_fault()).to_query(&Page {
            embed: true,
            autoplay: true,
            speed: Some(u32::MAX),
            controls: false,
            lang: Some(Lang::En),
            theme: share::Theme::Light,
        }),
        shared_with(every_fault()[..5].to_vec()).to_query(&Page::default()),
        "?v=1&scenario=duelling-proposers&embed&view=cluster&speed=50".to_string(),
        captioned.to_query(&Page::default()),
        Shared { captions: some_captions()[..1].to_vec(), ..Shared::default() }.to_query(&Page::default()),
        Shared { captions: some_captions()[1..].to_vec(), ..Shared::default() }.to_query(&Page::default()),
    ]
    .to_vec();
    assert!(seeds[3].contains("&c="), "{}", seeds[3]);
    let mut with_captions = 0u64;
    let mut rng = Prng::derive(2026, 11);
    let (mut with_problems, mut total) = (0u64, 0u64);
    for _ in 0..1_000_000 {
        let input = fuzz_input(&mut rng, &seeds);
        let Link { shared, page, problems } = share::parse_link(&input);
        total += 1;
        with_problems += u64::from(!problems.is_empty());
        assert_eq!(shared.setup.validate(), Ok(()), "{input:?}");
        assert_eq!(share::check_captions(&shared.captions), Ok(()), "{input:?}");
        with_captions += u64::from(!shared.captions.is_empty());
        let query = shared.to_query(&page);
        let again = share::parse_link(&query);
        assert_eq!(again.problems, Vec::<String>::new(), "{input:?} wrote {query:?}, which does not read");
        assert_eq!((&again.shared, &again.page), (&shared, &page), "{input:?} does not read back the same");
        assert_eq!(again.shared.to_query(&again.page), query, "{input:?}: its link is not stable");
    }
    let files: Vec<String> = seeds.iter().map(|q| share::parse_link(q).shared.to_json(42)).collect();
    let mut files_read = 0u64;
    for _ in 0..200_000 {
        let input = fuzz_input(&mut rng, &files);
        total += 1;
        // The JSON parser on its own: whatever it reads, its writer writes back to the same value.
        if let Ok(value) = json::parse(&input) {
            assert_eq!(json::parse(&json::to_string(&value)).as_ref(), Ok(&value), "{input:?}");
            assert_eq!(json::parse(&json::to_string_pretty(&value)), Ok(value), "{input:?}");
        }
        if let Ok((shared, hash)) = Shared::from_json(&input) {
            files_read += 1;
            assert_eq!(shared.setup.validate(), Ok(()), "{input:?}");
            assert_eq!(share::check_captions(&shared.captions), Ok(()), "{input:?}");
            let written = shared.to_json(hash.unwrap_or(0));
            assert_eq!(Shared::from_json(&written), Ok((shared, Some(hash.unwrap_or(0)))), "{input:?}");
        }
    }
    println!(
        "fuzzed {total} inputs in {:.1} s: 0 panics; {with_problems} of 1,000,000 links had problems named, \
         {with_captions} read with captions; {files_read} of 200,000 files read",
        started.elapsed().as_secs_f64()
    );
    assert!(with_captions > 10_000, "the fuzz must reach captions that read: {with_captions}");
    assert!(with_problems > 100_000 && with_problems < 1_000_000, "the fuzz must reach both outcomes: {with_problems}");
    assert!(files_read > 0, "no mutated file was readable: the fuzz does not reach the reader's end");
}

/// A setup's network reaches the simulator's configuration.
/// A setup naming a scenario runs the scenario its caller loaded (from the catalog on the command
/// line, from the fetched file in the playground); without it, the error says so.
#[test]
fn a_scenario_setup_runs_the_scenario_it_is_given() {
    let setup = Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() };
    let scenario = setup.scenario().unwrap().expect("the setup names a scenario");
    assert_eq!(setup.config(Some(&scenario)).unwrap(), scenario.config);
    assert_eq!(setup.config(None).unwrap_err(), "the scenario 'duelling-proposers' is not loaded");
    assert_eq!(Setup::default().config(Some(&scenario)).unwrap(), Setup::default().config(None).unwrap());
}

#[test]
fn the_network_settings_reach_the_run() {
    let setup = Setup {
        network: Network { latency_ms: (20, 40), loss_percent: 10, duplication_percent: 0 },
        ..Setup::default()
    };
    let config = setup.config(None).unwrap();
    assert_eq!(config.network.latency_us.0, 20_000);
    assert_eq!(config.network.loss, RatioSpec(10, 100));
    assert_eq!(config.network.duplication, RatioSpec::NEVER);
    assert_eq!(Setup::default().config(None).unwrap().network, paxos_sim::config::NetworkConfig::default());
}

/// The cut-short link of the browser test (e2e/share.test.mjs): two whole actions, then a cut
/// without its direction byte.
#[test]
fn the_browser_tests_cut_short_link_is_cut_short_at_action_3() {
    let link = share::parse_link("?v=1&p=raft&n=7&t=300&a=ZAAAAAIAZAYAAQ");
    assert_eq!(link.problems, vec!["'a=ZAAAAAIAZAYAAQ': action 3: cut short".to_string()]);
}
