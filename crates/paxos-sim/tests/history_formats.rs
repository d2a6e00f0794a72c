//! The client history as an outside checker reads it (docs/formats.md, "Client history"): a known
//! history against its golden JSON and EDN text, and every EDN line of real runs read back by a
//! small EDN reader and held against the JSON lines of the same run.

use paxos_core::{Key, Op};
use paxos_sim::history::History;
use paxos_sim::trace::{Event, EventKind};
use paxos_sim::{SimConfig, simulate};

const A: Key = 0;
const B: Key = 1;
const C: Key = 2;

/// A small history with every case an exporter must get right: each function answered and not,
/// an answer and an invocation at the same time, negative values, and an increment that wrapped
/// around.
fn known_history() -> History {
    let invoke = |client, seq, op| EventKind::Invoke { client, seq, op };
    let ret = |client, seq, value| EventKind::Return { client, seq, value };
    let events = [
        (1_000, invoke(0, 1, Op::Get(A))),
        (1_000, invoke(1, 1, Op::Inc(A, 2))),
        (3_000, ret(0, 1, Some(0))),
        // Same time as the return before it: the line order says the read finished first.
        (3_000, invoke(0, 2, Op::Set(B, 7))),
        (4_000, ret(1, 1, Some(2))),
        (5_000, invoke(1, 2, Op::Inc(B, 3))),
        (6_000, invoke(2, 1, Op::Get(B))),
        (6_500, invoke(3, 1, Op::Inc(C, 1))),
        (7_000, ret(3, 1, Some(i64::MIN))),
        (8_000, invoke(3, 2, Op::Set(C, -5))),
        (9_000, ret(3, 2, None)),
    ];
    let mut history = History::default();
    for (id, (time, kind)) in events.into_iter().enumerate() {
        history.record(id as u64, &Event { time, kind });
    }
    history
}

const GOLDEN_EDN: &str = r#"{:type :invoke, :f :read, :value ["a" nil], :time 1000000, :process 0, :index 0}
{:type :invoke, :f :cas, :value ["a" [0 2]], :time 1000000, :process 1, :index 1}
{:type :ok, :f :read, :value ["a" 0], :time 3000000, :process 0, :index 2}
{:type :invoke, :f :write, :value ["b" 7], :time 3000000, :process 0, :index 3}
{:type :ok, :f :cas, :value ["a" [0 2]], :time 4000000, :process 1, :index 4}
{:type :invoke, :f :inc, :value ["b" 3], :time 5000000, :process 1, :index 5}
{:type :invoke, :f :read, :value ["b" nil], :time 6000000, :process 2, :index 6}
{:type :invoke, :f :cas, :value ["c" [9223372036854775807 -9223372036854775808]], :time 6500000, :process 3, :index 7}
{:type :ok, :f :cas, :value ["c" [9223372036854775807 -9223372036854775808]], :time 7000000, :process 3, :index 8}
{:type :invoke, :f :write, :value ["c" -5], :time 8000000, :process 3, :index 9}
{:type :ok, :f :write, :value ["c" -5], :time 9000000, :process 3, :index 10}
{:type :info, :f :write, :value ["b" 7], :time 10000000, :process 0, :index 11}
{:type :info, :f :inc, :value ["b" 3], :time 10000000, :process 1, :index 12}
{:type :info, :f :read, :value ["b" nil], :time 10000000, :process 2, :index 13}
"#;

const GOLDEN_JSON: &str = r#"{"f":"get","key":"a","process":0,"time":1000,"type":"invoke","value":null}
{"f":"inc","key":"a","process":1,"time":1000,"type":"invoke","value":2}
{"f":"get","key":"a","process":0,"time":3000,"type":"ok","value":0}
{"f":"set","key":"b","process":0,"time":3000,"type":"invoke","value":7}
{"f":"inc","key":"a","process":1,"time":4000,"type":"ok","value":2}
{"f":"inc","key":"b","process":1,"time":5000,"type":"invoke","value":3}
{"f":"get","key":"b","process":2,"time":6000,"type":"invoke","value":null}
{"f":"inc","key":"c","process":3,"time":6500,"type":"invoke","value":1}
{"f":"inc","key":"c","process":3,"time":7000,"type":"ok","value":-9223372036854775808}
{"f":"set","key":"c","process":3,"time":8000,"type":"invoke","value":-5}
{"f":"set","key":"c","process":3,"time":9000,"type":"ok","value":-5}
{"f":"set","key":"b","process":0,"time":10000,"type":"info","value":7}
{"f":"inc","key":"b","process":1,"time":10000,"type":"info","value":3}
{"f":"get","key":"b","process":2,"time":10000,"type":"info","value":null}
"#;

fn joined(lines: Vec<String>) -> String {
    lines.into_iter().map(|line| line + "\n").collect()
}

#[test]
fn a_known_history_exports_to_its_golden_edn_and_json() {
    let history = known_history();
    assert_eq!(joined(history.edn_lines(10_000)), GOLDEN_EDN);
    assert_eq!(joined(history.jepsen_lines(10_000)), GOLDEN_JSON);
}

#[test]
fn the_golden_edn_reads_back_as_a_well_formed_history() {
    let ops = read_history(GOLDEN_EDN).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ops.len(), 14);
}

// ------------------------------------------------------------------------------- real runs

/// Runs the simulator, and holds every EDN line against the JSON line of the same run at the same
/// place. Returns how often each (type, f) pair was seen.
fn check_run(config_json: &str) -> Vec<(String, String)> {
    let config = SimConfig::from_json(config_json).unwrap();
    let mut sim = simulate(&config).unwrap();
    sim.run_to_end();
    let edn = joined(sim.history().edn_lines(config.end()));
    let json = sim.history().jepsen_lines(config.end());
    let ops = read_history(&edn).unwrap_or_else(|e| panic!("{config_json}: {e}"));
    assert_eq!(ops.len(), json.len(), "{config_json}: one EDN line per JSON line");
    let mut seen = Vec::new();
    for (op, json) in ops.iter().zip(&json) {
        let json: serde_json::Value = serde_json::from_str(json).unwrap();
        let at = format!("{config_json}: line {}", op.index);
        assert_eq!(op.kind, json["type"].as_str().unwrap(), "{at}");
        assert_eq!(op.process, json["process"].as_i64().unwrap(), "{at}");
        assert_eq!(op.time, json["time"].as_i64().unwrap() * 1_000, "{at}: ns = µs × 1000");
        assert_eq!(op.key, json["key"].as_str().unwrap(), "{at}");
        let value = json["value"].as_i64();
        let renders = match (json["f"].as_str().unwrap(), &op.value) {
            ("get", Edn::Nil) => op.f == "read" && op.kind != "ok" && value.is_none(),
            ("get", Edn::Int(v)) => op.f == "read" && op.kind == "ok" && value == Some(*v as i64),
            ("set", Edn::Int(v)) => op.f == "write" && value == Some(*v as i64),
            // An answered increment of d that returned v: a compare-and-set from v − d to v. The
            // JSON invocation carries d, the JSON answer v.
            ("inc", Edn::Vector(pair)) if op.f == "cas" => match (op.kind.as_str(), &pair[..]) {
                ("invoke", [Edn::Int(old), Edn::Int(new)]) => {
                    value.map(|d| (*old as i64).wrapping_add(d)) == Some(*new as i64)
                }
                ("ok", [Edn::Int(_), Edn::Int(new)]) => value == Some(*new as i64),
                _ => false,
            },
            ("inc", Edn::Int(d)) => op.f == "inc" && op.kind != "ok" && value == Some(*d as i64),
            _ => false,
        };
        assert!(renders, "{at}: {:?} does not render {json}", op.value);
        seen.push((op.kind.clone(), op.f.clone()));
    }
    seen
}

#[test]
fn every_edn_line_of_a_run_reads_back_and_says_what_its_json_line_says() {
    let mut seen = Vec::new();
    for config in [
        r#"{"seed": 1}"#,
        r#"{"seed": 42, "duration_ms": 3000, "faults": {"nemesis": {"from_ms": 0, "until_ms": 3000, "mix": "all"}}}"#,
        r#"{"protocol": "raft", "seed": 7, "duration_ms": 3000, "faults": {"nemesis": {"from_ms": 0, "until_ms": 3000, "mix": "crash"}}}"#,
        r#"{"protocol": "majority", "seed": 5, "duration_ms": 3000, "faults": {"nemesis": {"from_ms": 0, "until_ms": 3000, "mix": "partition"}}}"#,
    ] {
        seen.extend(check_run(config));
    }
    // The runs cover every kind of line, so each branch above was exercised.
    for (kind, f) in
        [("invoke", "read"), ("ok", "read"), ("ok", "write"), ("ok", "cas"), ("info", "inc"), ("info", "write")]
    {
        assert!(seen.iter().any(|(k, g)| k == kind && g == f), "no {kind} {f} line in these runs");
    }
}

/// The golden text's increments are right by arithmetic, not only by agreement with the exporter:
/// each pair is (v − d, v), wrapping as the store does.
#[test]
fn an_answered_increment_is_the_compare_and_set_it_amounts_to() {
    let ops = read_history(GOLDEN_EDN).unwrap();
    let cas: Vec<&Operation> = ops.iter().filter(|op| op.f == "cas").collect();
    assert_eq!(cas.len(), 4);
    for op in cas {
        let Edn::Vector(pair) = &op.value else { panic!("{:?}", op.value) };
        let [Edn::Int(old), Edn::Int(new)] = pair[..] else { panic!("{pair:?}") };
        let by = if op.key == "a" { 2 } else { 1 };
        assert_eq!((old as i64).wrapping_add(by), new as i64, "{op:?}");
    }
}

// ------------------------------------------------------------------- a small EDN reader

/// An EDN value, as much of EDN as a history uses (edn-format.org: nil, integers, strings,
/// keywords, vectors, maps; commas are whitespace).
#[derive(Clone, Debug, PartialEq)]
enum Edn {
    Nil,
    Int(i128),
    Str(String),
    Keyword(String),
    Vector(Vec<Edn>),
    Map(Vec<(Edn, Edn)>),
}

/// Reads one EDN value that fills the whole of `text`.
fn read_edn(text: &str) -> Result<Edn, String> {
    let mut reader = Reader { chars: text.chars().collect(), at: 0 };
    let value = reader.value()?;
    reader.skip_space();
    match reader.peek() {
        None => Ok(value),
        Some(c) => Err(format!("'{c}' after the value at {}", reader.at)),
    }
}

struct Reader {
    chars: Vec<char>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == ',') {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Edn, String> {
        self.skip_space();
        let start = self.at;
        match self.peek().ok_or("a value is missing at the end")? {
            '{' => {
                let items = self.items('}')?;
                if items.len() % 2 == 1 {
                    return Err(format!("the map at {start} has a key without a value"));
                }
                let mut pairs: Vec<(Edn, Edn)> = Vec::new();
                for pair in items.chunks(2) {
                    if pairs.iter().any(|(k, _)| *k == pair[0]) {
                        return Err(format!("the map at {start} has {:?} twice", pair[0]));
                    }
                    pairs.push((pair[0].clone(), pair[1].clone()));
                }
                Ok(Edn::Map(pairs))
            }
            '[' => Ok(Edn::Vector(self.items(']')?)),
            '"' => {
                self.at += 1;
                let mut s = String::new();
                loop {
                    match self.peek().ok_or("a string is not closed")? {
                        '"' => break,
                        '\\' => return Err("escapes are not expected in a history".into()),
                        c => s.push(c),
                    }
                    self.at += 1;
                }
                self.at += 1;
                Ok(Edn::Str(s))
            }
            ':' => {
                self.at += 1;
                let name = self.token();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(format!("':{name}' at {start} is not a keyword"));
                }
                Ok(Edn::Keyword(name))
            }
            _ => {
                let token = self.token();
                if token == "nil" {
                    return Ok(Edn::Nil);
                }
                let digits = token.strip_prefix('-').unwrap_or(&token);
                if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                    return Err(format!("'{token}' at {start} is not a value"));
                }
                token.parse().map(Edn::Int).map_err(|e| format!("'{token}': {e}"))
            }
        }
    }

    /// The values up to `close`, after the opening bracket.
    fn items(&mut self, close: char) -> Result<Vec<Edn>, String> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(format!("'{close}' is missing")),
                Some(c) if c == close => {
                    self.at += 1;
                    return Ok(items);
                }
                Some(_) => items.push(self.value()?),
            }
        }
    }

    fn token(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !c.is_whitespace() && !",{}[]\"".contains(c)) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }
}

/// One line of an EDN history, checked field by field.
#[derive(Debug)]
struct Operation {
    kind: String,
    f: String,
    key: String,
    value: Edn,
    time: i64,
    process: i64,
    index: i64,
}

/// Reads a history, one operation map a line, and checks what Knossos relies on: the fields Jepsen
/// names, `:index` counting lines, times that never go back, and each process invoking one operation
/// at a time, each completion (`:ok`, `:info`) following its process's invocation with the same
/// function and key.
fn read_history(text: &str) -> Result<Vec<Operation>, String> {
    let mut ops: Vec<Operation> = Vec::new();
    let mut pending: Vec<(i64, usize)> = Vec::new(); // process, line of its open invocation
    let mut crashed: Vec<i64> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {n}: {e}: {line}");
        let Edn::Map(fields) = read_edn(line).map_err(at)? else {
            return Err(at("not a map".into()));
        };
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| *k == Edn::Keyword(name.into()))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| at(format!(":{name} is missing")))
        };
        if fields.len() != 6 {
            return Err(at(format!("{} fields, not 6", fields.len())));
        }
        let keyword = |v: Edn| match v {
            Edn::Keyword(k) => Ok(k),
            other => Err(at(format!("{other:?} is not a keyword"))),
        };
        let int = |v: Edn| match v {
            Edn::Int(i) => i64::try_from(i).map_err(|e| at(e.to_string())),
            other => Err(at(format!("{other:?} is not an integer"))),
        };
        let (kind, f) = (keyword(field("type")?)?, keyword(field("f")?)?);
        let Edn::Vector(pair) = field("value")? else { return Err(at(":value is not a vector".into())) };
        let [Edn::Str(key), value] = &pair[..] else { return Err(at(":value is not a [key value] pair".into())) };
        let op = Operation {
            kind,
            f,
            key: key.clone(),
            value: value.clone(),
            time: int(field("time")?)?,
            process: int(field("process")?)?,
            index: int(field("index")?)?,
        };
        if !["invoke", "ok", "info"].contains(&op.kind.as_str()) {
            return Err(at(format!(":type :{} is not one of Jepsen's", op.kind)));
        }
        let value_fits = match (op.f.as_str(), &op.value) {
            ("read", Edn::Nil) => op.kind != "ok",
            ("read", Edn::Int(_)) => op.kind == "ok",
            ("write" | "inc", Edn::Int(_)) => true,
            ("cas", Edn::Vector(pair)) => matches!(pair[..], [Edn::Int(_), Edn::Int(_)]) && op.kind != "info",
            _ => false,
        };
        if !value_fits {
            return Err(at(format!("{:?} is not a value for :{} on :{}", op.value, op.f, op.kind)));
        }
        if op.index != n as i64 {
            return Err(at(format!(":index {} on line {n}", op.index)));
        }
        if ops.last().is_some_and(|last| last.time > op.time) || op.time < 0 {
            return Err(at("time goes back".into()));
        }
        let open = pending.iter().position(|&(p, _)| p == op.process);
        match (op.kind.as_str(), open) {
            ("invoke", Some(_)) => return Err(at("the process has an operation open already".into())),
            ("invoke", None) if crashed.contains(&op.process) => {
                return Err(at("the process invokes after an :info".into()));
            }
            ("invoke", None) => pending.push((op.process, n)),
            (_, None) => return Err(at("a completion without an invocation".into())),
            (kind, Some(i)) => {
                let invoked = &ops[pending.remove(i).1];
                if (invoked.f.as_str(), invoked.key.as_str()) != (op.f.as_str(), op.key.as_str()) {
                    return Err(at(format!("completes :{} on {} instead", invoked.f, invoked.key)));
                }
                if op.f != "read" && invoked.value != op.value {
                    return Err(at(format!("its value differs from its invocation's, {:?}", invoked.value)));
                }
                if kind == "info" {
                    crashed.push(op.process);
                }
            }
        }
        ops.push(op);
    }
    if let Some(&(process, line)) = pending.first() {
        return Err(format!("process {process}'s invocation on line {line} never completes"));
    }
    Ok(ops)
}

/// The reader refuses what Knossos could not read, so the checks above can fail.
#[test]
fn the_reader_refuses_malformed_histories() {
    let ok = r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :process 0, :index 0}"#;
    let done = r#"{:type :ok, :f :read, :value ["a" 3], :time 6, :process 0, :index 1}"#;
    assert!(read_history(&format!("{ok}\n{done}\n")).is_ok());
    for (bad, why) in [
        (r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :process 0, :index 0"#, "'}' is missing"),
        (r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :process 0}"#, "5 fields"),
        (r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :process 0, :index}"#, "without a value"),
        (r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :process 0, :index 3}"#, ":index 3"),
        (r#"{:type :begin, :f :read, :value ["a" nil], :time 5, :process 0, :index 0}"#, "not one of Jepsen's"),
        (r#"{:type :invoke, :f :read, :value "a", :time 5, :process 0, :index 0}"#, "not a vector"),
        (r#"{:type :invoke, :f :read, :value ["a" nil], :time 5, :time 5, :index 0}"#, "twice"),
        (ok, "never completes"),
        (&done.replace(":index 1", ":index 0"), "without an invocation"),
    ] {
        let err = read_history(&format!("{bad}\n")).unwrap_err();
        assert!(err.contains(why), "{bad}: {err}");
    }
    let twice = format!("{ok}\n{}\n", ok.replace(":index 0", ":index 1"));
    assert!(read_history(&twice).unwrap_err().contains("open already"));
    let wrong_key = format!("{ok}\n{}\n", done.replace("\"a\"", "\"b\""));
    assert!(read_history(&wrong_key).unwrap_err().contains("instead"));
    let back_in_time = format!("{ok}\n{}\n", done.replace(":time 6", ":time 4"));
    assert!(read_history(&back_in_time).unwrap_err().contains("time goes back"));
}
