//! The scenario file's teaching fields (issues 12–14): texts in two languages, a caption's points and
//! question. Each malformed case is refused with a message naming the field at fault; mutating a
//! valid question at random never panics; what is read writes back the same.

use paxos_json::{self as json, Json};
use paxos_play::lang::Lang;
use paxos_play::scenario::{Scenario, Text};

/// A small valid scenario whose second caption asks a question; `caption` replaces that caption.
fn with_caption(caption: &str) -> String {
    format!(
        r#"{{
  "title": {{ "en": "Duelling proposers", "zh": "两个 Proposer 相争" }},
  "source": "seed 001",
  "summary": "X and Y write at once.",
  "config": {{ "protocol": "basic", "nodes": 3, "duration_ms": 100 }},
  "captions": [
    {{ "on": {{ "type": "send", "kind": "Prepare" }}, "text": "Phase 1." }},
    {caption},
    {{ "on": {{ "type": "decide" }}, "text": "Chosen." }}
  ]
}}"#
    )
}

const QUESTION: &str = r#"{ "on": { "type": "send", "kind": "Accept" }, "text": "Phase 2.",
      "points": { "nodes": ["n1", "n2"], "slot": 0 },
      "question": {
        "ask": { "en": "What does n2 do?", "zh": "n2 会怎么做？" },
        "answers": ["Accepts", { "en": "Refuses", "zh": "拒绝" }, "Waits"],
        "correct": 1,
        "why": { "en": "It promised a higher round.", "zh": "它承诺了更大的轮次。" }
      } }"#;

fn refused(caption: &str) -> String {
    Scenario::from_json(&with_caption(caption)).map(|_| ()).unwrap_err().0
}

#[test]
fn a_valid_question_reads_in_both_languages() {
    let scenario = Scenario::from_json(&with_caption(QUESTION)).unwrap();
    let caption = &scenario.captions[1];
    let question = caption.question.as_ref().unwrap();
    assert_eq!(question.answers.len(), 3);
    assert_eq!(question.right(), Some(&Text::both("Refuses", "拒绝")));
    assert_eq!(question.ask.get(Lang::Zh), "n2 会怎么做？");
    assert_eq!(question.answers[0].get(Lang::Zh), "Accepts", "English where there is no translation");
    let points = caption.points.as_ref().unwrap();
    assert_eq!((points.nodes.iter().map(|n| n.0).collect::<Vec<_>>(), points.slot), (vec![0, 1], Some(0)));
    assert_eq!(scenario.title.get(Lang::Zh), "两个 Proposer 相争");
    assert_eq!(scenario.source.get(Lang::Zh), "seed 001");
    assert_eq!(scenario.questions().map(|(i, _)| i).collect::<Vec<_>>(), [1]);
}

#[test]
fn a_written_scenario_reads_back_the_same_in_its_shortest_form() {
    let scenario = Scenario::from_json(&with_caption(QUESTION)).unwrap();
    let written = scenario.to_json();
    assert_eq!(Scenario::from_json(&written).unwrap(), scenario);
    // English-only texts are strings again; patterns keep only their given fields; a caption
    // without points or question has neither field; the config is written as given.
    assert!(written.contains("\"source\": \"seed 001\""), "{written}");
    assert!(written.contains("\"Accepts\""), "{written}");
    assert!(!written.contains("null"), "{written}");
    assert_eq!(written.matches("\"points\"").count(), 1, "{written}");
    assert!(!written.contains("seed\": 0"), "defaults are left out: {written}");
}

#[test]
fn a_malformed_question_names_its_field() {
    let case = |from: &str, to: &str| refused(&QUESTION.replace(from, to));
    let place = "scenario: \"captions\"[1].\"question\"";
    assert_eq!(
        case("\"correct\": 1", "\"correct\": 4"),
        format!("{place}.\"correct\": 4 is not one of the 3 answers (they count from 0)")
    );
    assert_eq!(
        case("\"correct\": 1", "\"correct\": -1"),
        format!("{place}.\"correct\": expected a whole number from 0 to 4294967295, found -1")
    );
    assert_eq!(
        case(r#"["Accepts", { "en": "Refuses", "zh": "拒绝" }, "Waits"]"#, r#"["Accepts"]"#),
        format!("{place}.\"answers\": a question needs 2 to 4 answers, not 1")
    );
    assert_eq!(
        case(r#""Waits"]"#, r#""Waits", "b", "c"]"#),
        format!("{place}.\"answers\": a question needs 2 to 4 answers, not 5")
    );
    assert_eq!(case(r#""Waits"]"#, r#""Accepts"]"#), format!("{place}.\"answers\"[2]: the same as answer 0"));
    assert_eq!(case(r#""Waits"]"#, r#"""]"#), format!("{place}.\"answers\"[2]: a text cannot be empty"));
    assert_eq!(
        case("\"correct\": 1,", "\"correct\": 1, \"hint\": \"no\","),
        format!("{place}: unknown field `hint`, expected one of `ask`, `answers`, `correct`, `why`")
    );
    assert_eq!(
        case(r#""why": { "en": "It promised a higher round.", "#, r#""why": { "#),
        format!("{place}.\"why\": missing field `en` (every text has its English)")
    );
    assert_eq!(
        case(r#""zh": "n2 会怎么做？""#, r#""fr": "Que fait n2 ?""#),
        format!("{place}.\"ask\": unknown field `fr`, expected one of `en`, `zh`")
    );
    assert_eq!(case("\"correct\": 1,", ""), format!("{place}: missing field `correct`"));
    assert!(case("\"answers\": [", "\"answers\": 3, \"x\": [").contains("\"answers\": expected an array, found 3"));
}

#[test]
fn malformed_points_and_captions_name_their_field() {
    let case = |from: &str, to: &str| refused(&QUESTION.replace(from, to));
    let place = "scenario: \"captions\"[1]";
    assert_eq!(
        case(r#"["n1", "n2"]"#, r#"["n1", "n9"]"#),
        format!("{place}.\"points\".\"nodes\"[1]: n9 is not a node of the run (it has 3)")
    );
    assert_eq!(
        case(r#"["n1", "n2"]"#, r#"["n1", "n1"]"#),
        format!("{place}.\"points\".\"nodes\"[1]: n1 is named twice")
    );
    assert!(case(r#"["n1", "n2"]"#, r#"["x1"]"#).starts_with(&format!("{place}.\"points\".\"nodes\"[0]: ")));
    assert_eq!(
        case(r#"{ "nodes": ["n1", "n2"], "slot": 0 }"#, "{}"),
        format!("{place}.\"points\": points must name some nodes, a slot or a message")
    );
    assert_eq!(
        case("\"slot\": 0", "\"slot\": 0, \"msg\": 3"),
        format!("{place}.\"points\": unknown field `msg`, expected one of `nodes`, `slot`, `message`")
    );
    assert_eq!(
        case("\"points\"", "\"pointz\""),
        format!("{place}: unknown field `pointz`, expected one of `on`, `text`, `points`, `question`")
    );
    assert_eq!(
        case("\"kind\": \"Accept\"", "\"node\": \"n7\""),
        format!("{place}.\"on\".\"node\": n7 is not a node of the run (it has 3)")
    );
    assert_eq!(case("\"kind\": \"Accept\"", "\"nth\": 0"), format!("{place}.\"on\".\"nth\": nth counts from 1"));
    assert_eq!(
        case("\"text\": \"Phase 2.\"", "\"text\": 7"),
        format!("{place}.\"text\": expected a text: a string, or an object {{\"en\": …, \"zh\": …}}, found 7")
    );
    let title = Scenario::from_json(&with_caption(QUESTION).replace(r#""zh": "两个 Proposer 相争""#, r#""zh": """#));
    assert_eq!(title.unwrap_err().0, "scenario: \"title\".\"zh\": a text cannot be empty");
}

/// A small PRNG of our own (xorshift64*), so the test is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A value a careless or hostile author might write anywhere.
fn odd_value(rng: &mut Rng) -> Json {
    let number = |text: &str| Json::Number(text.into());
    let string = |text: &str| Json::String(text.into());
    match rng.below(16) {
        0 => Json::Null,
        1 => Json::Bool(true),
        2 => number(["0", "1", "2", "3", "4", "-1", "1.5", "1e3", "99999999999999999999999"][rng.below(9)]),
        3 => string(["", " ", "n1", "n9", "n0", "x", "拒绝", "\u{0}"][rng.below(8)]),
        4 => Json::Array(vec![]),
        5 => Json::Array((0..rng.below(7)).map(|i| string(&format!("answer {i}"))).collect()),
        6 => Json::Object(vec![]),
        7 => Json::object([("en", string("a"))]),
        8 => Json::object([("zh", string("只有中文"))]),
        9 => Json::object([("en", string("a")), ("zh", Json::Null)]),
        10 => Json::object([("en", string("a")), ("de", string("b"))]),
        11 => Json::Array(vec![Json::object([("en", string(""))]), string("b")]),
        12 => Json::Array(vec![Json::Array(vec![Json::Array(vec![])])]),
        13 => Json::object([("nodes", Json::Array(vec![string("n1")])), ("slot", number("4294967296"))]),
        14 => number(&u64::MAX.to_string()),
        _ => string(&"長".repeat(rng.below(2_000))),
    }
}

/// Every place inside `value`, as a path of object keys and array indexes.
fn places(value: &Json, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Item(i));
                places(item, path, out);
                path.pop();
            }
        }
        Json::Object(fields) => {
            for (i, (_, field)) in fields.iter().enumerate() {
                path.push(Step::Field(i));
                places(field, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Item(usize),
    Field(usize),
}

fn at<'a>(value: &'a mut Json, path: &[Step]) -> &'a mut Json {
    path.iter().fold(value, |value, step| match (value, step) {
        (Json::Array(items), Step::Item(i)) => &mut items[*i],
        (Json::Object(fields), Step::Field(i)) => &mut fields[*i].1,
        _ => unreachable!("paths come from the value itself"),
    })
}

/// One random change somewhere in `value`: a value replaced, a field or item dropped, duplicated or
/// added, a key renamed.
fn mutate(value: &mut Json, rng: &mut Rng) {
    let mut all = Vec::new();
    places(value, &mut Vec::new(), &mut all);
    let path = &all[rng.below(all.len())];
    let place = at(value, path);
    let keys = ["ask", "answers", "correct", "why", "en", "zh", "nodes", "slot", "extra"];
    match (rng.below(4), place) {
        (0, Json::Array(items)) if !items.is_empty() => {
            let i = rng.below(items.len());
            items.remove(i);
        }
        (1, Json::Array(items)) if !items.is_empty() => {
            let i = rng.below(items.len());
            items.insert(i, items[i].clone());
        }
        (0, Json::Object(fields)) if !fields.is_empty() => {
            let i = rng.below(fields.len());
            fields.remove(i);
        }
        (1, Json::Object(fields)) => fields.push((keys[rng.below(keys.len())].into(), odd_value(rng))),
        (2, Json::Object(fields)) if !fields.is_empty() => {
            let i = rng.below(fields.len());
            fields[i].0 = keys[rng.below(keys.len())].into();
        }
        (_, place) => *place = odd_value(rng),
    }
}

/// A property, over 5,000 mutated questions (and points): reading never panics, and a refusal is one
/// line that names the caption it is in.
#[test]
fn mutating_a_valid_question_never_panics() {
    let base = json::parse(&with_caption(QUESTION)).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..5_000 {
        let mut value = base.clone();
        let Json::Object(fields) = &mut value else { unreachable!() };
        let Json::Array(items) = &mut fields.iter_mut().find(|(k, _)| k == "captions").unwrap().1 else {
            unreachable!()
        };
        let Json::Object(parts) = &mut items[1] else { unreachable!() };
        let target = if round % 4 == 0 { "points" } else { "question" };
        let part = &mut parts.iter_mut().find(|(k, _)| k == target).unwrap().1;
        for _ in 0..1 + rng.below(3) {
            mutate(part, &mut rng);
        }
        let text = json::to_string_pretty(&value);
        match Scenario::from_json(&text) {
            Ok(scenario) => {
                accepted += 1;
                // What is accepted is well formed and writes back to itself.
                for (_, question) in scenario.questions() {
                    assert!((2..=4).contains(&question.answers.len()) && question.right().is_some(), "{text}");
                }
                assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario, "{text}");
            }
            Err(error) => {
                refused += 1;
                assert_eq!(error.0.lines().count(), 1, "{}", error.0);
                assert!(error.0.starts_with("scenario: \"captions\"[1]"), "{}\n{text}", error.0);
            }
        }
    }
    println!("5000 mutated questions and points: {accepted} accepted, {refused} refused");
    assert!(
        accepted > 0 && refused > 4_000,
        "the mutations reach both outcomes: {accepted} accepted, {refused} refused"
    );
}
