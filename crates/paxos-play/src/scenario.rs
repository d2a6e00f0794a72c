//! Scenarios: runs set up to tell one story from the seeds, step by step, with captions.
//!
//! A scenario is a JSON file in the repository's `scenarios/` folder (`NN-name.json`; `name` is how
//! the command line and the playground call it):
//!
//! ```json
//! {
//!   "title": "Duelling proposers",
//!   "source": "seed 001, example 1",
//!   "summary": "X and Y run Paxos at the same time; Y's higher round stops X's phase 2.",
//!   "config": { "protocol": "basic", "nodes": 5, "...": "any run configuration (docs/formats.md)" },
//!   "captions": [
//!     { "on": { "type": "send", "kind": "Prepare", "from": "n1" }, "text": "X starts phase 1 with rnd=1." },
//!     { "on": { "type": "drop", "kind": "Accept", "to": "n4" }, "text": "…" }
//!   ]
//! }
//! ```
//!
//! A caption is tied to the first trace event after the previous caption's that matches its pattern
//! (`nth` picks a later match), so captions follow the story in order. [`Scenario::resolve`] finds
//! those events; a caption that matches nothing is an error naming it, which is how a change that
//! breaks a story fails its test.

use core::fmt;

use paxos_core::{Ballot, Role, Slot};

use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{ClientName, ConfigError, KindName, NodeName, SimConfig};
use paxos_sim::trace::{Addr, Event, EventId, EventKind, Trace};

/// Every scenario in the repository, as (name, JSON), in the order of their file numbers.
///
/// The command line and the tests use it; the playground does not (its wasm would carry every file):
/// it lists [`index`] and fetches the one file chosen.
pub fn catalog() -> &'static [(&'static str, &'static str)] {
    CATALOG
}

/// Every scenario in the repository, as (name, title), in the order of their file numbers: the
/// playground's menu, without the files.
pub fn index() -> &'static [(&'static str, &'static str)] {
    INDEX
}

/// The name a scenario has in the catalog, given its name or its file's (`15-raft-partition`,
/// `15-raft-partition.json`); an unknown name is an error listing the names there are.
pub fn lookup(name: &str) -> Result<&'static str, ConfigError> {
    let bare = name.strip_suffix(".json").unwrap_or(name);
    let bare = bare.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix('-').unwrap_or(bare);
    let Some((found, _)) = index().iter().find(|(n, _)| *n == bare) else {
        let names: Vec<&str> = index().iter().map(|(n, _)| *n).collect();
        return Err(ConfigError(format!("no scenario named '{name}' (there are: {})", names.join(", "))));
    };
    Ok(found)
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// A scenario: a run configuration and the captions that tell its story.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// What the scenario is called.
    pub title: String,
    /// Where in the seeds the story is told.
    pub source: String,
    /// The story in a few sentences.
    pub summary: String,
    /// The run.
    pub config: SimConfig,
    /// The captions, in story order.
    pub captions: Vec<Caption>,
}

/// A caption: words for a moment of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    /// The moment: the first matching event after the previous caption's.
    pub on: Pattern,
    /// What is happening, in plain words.
    pub text: String,
}

/// What a caption's event looks like; every field given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    /// The event's type (`"type"` in files) as in the trace's JSON: `send`, `deliver`, `drop`, `role`, `decide`,
    /// `invoke`, `return`, `timeout`, `crash`, `restart`, `pause`, `resume`, `partition`, …
    pub event: Option<String>,
    /// For a send, delivery or drop: the message's kind.
    pub kind: Option<KindName>,
    /// For a send, delivery or drop: the sender (`n1`, or a client `c1`).
    pub from: Option<String>,
    /// For a send, delivery or drop: the receiver.
    pub to: Option<String>,
    /// For node events (role, decide, crash, …): the node.
    pub node: Option<NodeName>,
    /// For a role change: the new role (`leader`, `candidate`, …).
    pub role: Option<String>,
    /// For a message or a decision: the slot (for client requests and replies: the request number).
    pub slot: Option<Slot>,
    /// For a message or a role change: the ballot, `[round, node number]`.
    pub ballot: Option<[u32; 2]>,
    /// For an invocation or a return: the client.
    pub client: Option<ClientName>,
    /// Not before this time, ms.
    pub after_ms: Option<u64>,
    /// Which match (1 = the first).
    pub nth: Option<u32>,
}

impl FromJson for Scenario {
    fn from_value(value: &Json) -> Result<Scenario, Error> {
        Fields::read(value, |o| {
            Ok(Scenario {
                title: o.req("title")?,
                source: o.req("source")?,
                summary: o.req("summary")?,
                config: o.req("config")?,
                captions: o.req("captions")?,
            })
        })
    }
}

impl FromJson for Caption {
    fn from_value(value: &Json) -> Result<Caption, Error> {
        Fields::read(value, |o| Ok(Caption { on: o.req("on")?, text: o.req("text")? }))
    }
}

impl FromJson for Pattern {
    fn from_value(value: &Json) -> Result<Pattern, Error> {
        Fields::read(value, |o| {
            Ok(Pattern {
                event: o.opt("type")?,
                kind: o.opt("kind")?,
                from: o.opt("from")?,
                to: o.opt("to")?,
                node: o.opt("node")?,
                role: o.opt("role")?,
                slot: o.opt("slot")?,
                ballot: o.opt("ballot")?,
                client: o.opt("client")?,
                after_ms: o.opt("after_ms")?,
                nth: o.opt("nth")?,
            })
        })
    }
}

/// Every field, `null` where not given.
impl ToJson for Pattern {
    fn to_value(&self) -> Json {
        Json::object([
            ("type", self.event.to_value()),
            ("kind", self.kind.to_value()),
            ("from", self.from.to_value()),
            ("to", self.to.to_value()),
            ("node", self.node.to_value()),
            ("role", self.role.to_value()),
            ("slot", self.slot.to_value()),
            ("ballot", self.ballot.to_value()),
            ("client", self.client.to_value()),
            ("after_ms", self.after_ms.to_value()),
            ("nth", self.nth.to_value()),
        ])
    }
}

/// The fields of an event a pattern can test (a delivery or drop takes them from its send).
struct Facts {
    event: &'static str,
    kind: Option<paxos_core::MsgKind>,
    from: Option<Addr>,
    to: Option<Addr>,
    node: Option<u8>,
    role: Option<Role>,
    slot: Option<Slot>,
    ballot: Option<Ballot>,
    client: Option<u16>,
}

fn facts(trace: &Trace, event: &Event) -> Facts {
    let mut f = Facts {
        event: "",
        kind: None,
        from: None,
        to: None,
        node: None,
        role: None,
        slot: None,
        ballot: None,
        client: None,
    };
    let message = |f: &mut Facts, msg| {
        if let Some(EventKind::Send { from, to, kind, ballot, slot, .. }) =
            trace.send_of(msg).and_then(|id| trace.get(id)).map(|e| e.kind)
        {
            (f.kind, f.from, f.to, f.ballot, f.slot) = (Some(kind), Some(from), Some(to), Some(ballot), Some(slot));
        }
    };
    match event.kind {
        EventKind::Send { msg, .. } => {
            f.event = "send";
            message(&mut f, msg);
        }
        EventKind::Deliver { msg } => {
            f.event = "deliver";
            message(&mut f, msg);
        }
        EventKind::Drop { msg, .. } => {
            f.event = "drop";
            message(&mut f, msg);
        }
        EventKind::Duplicate { msg, .. } => {
            f.event = "duplicate";
            message(&mut f, msg);
        }
        EventKind::Timeout { node } => (f.event, f.node) = ("timeout", Some(node)),
        EventKind::Crash { node } => (f.event, f.node) = ("crash", Some(node)),
        EventKind::Restart { node } => (f.event, f.node) = ("restart", Some(node)),
        EventKind::Pause { node } => (f.event, f.node) = ("pause", Some(node)),
        EventKind::Resume { node } => (f.event, f.node) = ("resume", Some(node)),
        EventKind::Partition { .. } => f.event = "partition",
        EventKind::Cut { from, .. } => (f.event, f.node) = ("cut", Some(from)),
        EventKind::Repair { from, .. } => (f.event, f.node) = ("repair", Some(from)),
        EventKind::Weather { .. } => f.event = "weather",
        EventKind::Invoke { client, seq, .. } => (f.event, f.client, f.slot) = ("invoke", Some(client), Some(seq)),
        EventKind::Return { client, seq, .. } => (f.event, f.client, f.slot) = ("return", Some(client), Some(seq)),
        EventKind::Role { node, role, ballot } => {
            (f.event, f.node, f.role, f.ballot) = ("role", Some(node), Some(role), Some(ballot));
        }
        EventKind::Decide { node, slot } => (f.event, f.node, f.slot) = ("decide", Some(node), Some(slot)),
    }
    f
}

impl Pattern {
    /// Whether `event` (of `trace`) matches.
    pub fn matches(&self, trace: &Trace, event: &Event) -> bool {
        let f = facts(trace, event);
        let addr = |want: &Option<String>, got: Option<Addr>| {
            want.as_ref().is_none_or(|w| got.is_some_and(|a| a.to_string() == *w))
        };
        self.event.as_ref().is_none_or(|e| e == f.event)
            && self.kind.is_none_or(|k| f.kind == Some(k.0))
            && addr(&self.from, f.from)
            && addr(&self.to, f.to)
            && self.node.is_none_or(|n| f.node == Some(n.0))
            && self.role.as_ref().is_none_or(|r| f.role.is_some_and(|role| role.name() == r))
            && self.slot.is_none_or(|s| f.slot == Some(s))
            && self
                .ballot
                .is_none_or(|[round, node]| f.ballot.is_some_and(|b| b.round == round && u32::from(b.node) + 1 == node))
            && self.client.is_none_or(|c| f.client == Some(c.0))
            && self.after_ms.is_none_or(|ms| event.time >= ms * 1_000)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&json::to_string(self))
    }
}

impl Scenario {
    /// Parses and validates a scenario file.
    pub fn from_json(text: &str) -> Result<Scenario, ConfigError> {
        let scenario: Scenario = json::read(text).map_err(|e| ConfigError(format!("scenario: {e}")))?;
        scenario.config.validate()?;
        for (i, caption) in scenario.captions.iter().enumerate() {
            let p = &caption.on;
            let events = [
                "send",
                "deliver",
                "drop",
                "duplicate",
                "timeout",
                "crash",
                "restart",
                "pause",
                "resume",
                "partition",
                "cut",
                "repair",
                "weather",
                "invoke",
                "return",
                "role",
                "decide",
            ];
            if let Some(event) = &p.event
                && !events.contains(&event.as_str())
            {
                return Err(ConfigError(format!("caption {}: '{event}' is not an event type", i + 1)));
            }
            if let Some(role) = &p.role
                && !Role::ALL.iter().any(|r| r.name() == role)
            {
                return Err(ConfigError(format!("caption {}: '{role}' is not a role", i + 1)));
            }
            for addr in p.from.iter().chain(&p.to) {
                let node = addr.parse::<NodeName>().map(|n| n.0 < scenario.config.nodes);
                let client = addr.parse::<ClientName>().map(|c| usize::from(c.0) < scenario.config.clients.count());
                if !node.or(client).unwrap_or(false) {
                    return Err(ConfigError(format!("caption {}: '{addr}' is not a node or client of the run", i + 1)));
                }
            }
            if p.nth == Some(0) {
                return Err(ConfigError(format!("caption {}: nth counts from 1", i + 1)));
            }
        }
        Ok(scenario)
    }

    /// The scenario called `name` in the catalog (the file's name works too, see [`lookup`]).
    pub fn named(name: &str) -> Result<Scenario, ConfigError> {
        let found = lookup(name)?;
        let json = catalog().iter().find(|(n, _)| *n == found).map_or("", |(_, json)| json);
        Scenario::from_json(json).map_err(|e| ConfigError(format!("scenario {name}: {e}")))
    }

    /// The event each caption is tied to, in order; an error names the first caption that matches
    /// no event.
    pub fn resolve(&self, trace: &Trace) -> Result<Vec<(EventId, &str)>, String> {
        let mut resolved = Vec::with_capacity(self.captions.len());
        let mut from = 0;
        for (i, caption) in self.captions.iter().enumerate() {
            let nth = caption.on.nth.unwrap_or(1) as usize;
            let found = trace.events()[from..]
                .iter()
                .enumerate()
                .filter(|(_, event)| caption.on.matches(trace, event))
                .nth(nth - 1)
                .map(|(offset, _)| from + offset);
            let Some(at) = found else {
                return Err(format!(
                    "caption {} (\"{}\") matches no event after event {from}: {}",
                    i + 1,
                    caption.text,
                    caption.on
                ));
            };
            resolved.push(at as EventId);
            from = at + 1;
        }
        Ok(resolved.into_iter().zip(self.captions.iter().map(|c| c.text.as_str())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogued_scenario_parses() {
        for (name, json) in catalog() {
            Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    /// A pattern prints as the JSON serde_json wrote for it (captions that match nothing name it so).
    #[test]
    fn patterns_print_as_before() {
        let full = Pattern {
            event: Some("send".into()),
            kind: Some("Accept".parse().unwrap()),
            from: Some("n1".into()),
            to: Some("c2".into()),
            node: Some(NodeName(3)),
            role: Some("leader".into()),
            slot: Some(u32::MAX),
            ballot: Some([2, 3]),
            client: Some(ClientName(0)),
            after_ms: Some(500),
            nth: Some(2),
        };
        let role = Pattern { event: Some("role".into()), role: Some("leader".into()), ..Pattern::default() };
        assert_eq!(
            Pattern::default().to_string(),
            r#"{"type":null,"kind":null,"from":null,"to":null,"node":null,"role":null,"slot":null,"ballot":null,"client":null,"after_ms":null,"nth":null}"#
        );
        assert_eq!(
            full.to_string(),
            r#"{"type":"send","kind":"Accept","from":"n1","to":"c2","node":"n4","role":"leader","slot":4294967295,"ballot":[2,3],"client":"c1","after_ms":500,"nth":2}"#
        );
        assert_eq!(
            role.to_string(),
            r#"{"type":"role","kind":null,"from":null,"to":null,"node":null,"role":"leader","slot":null,"ballot":null,"client":null,"after_ms":null,"nth":null}"#
        );
    }

    #[test]
    fn mistakes_in_a_scenario_are_named() {
        let err = |json: &str| Scenario::from_json(json).unwrap_err().0;
        let base = r#""title": "t", "source": "s", "summary": "x", "config": {}"#;
        assert!(
            err(&format!("{{{base}, \"captions\": [{{\"on\": {{\"type\": \"sned\"}}, \"text\": \"t\"}}]}}"))
                .contains("'sned' is not an event type")
        );
        assert!(
            err(&format!("{{{base}, \"captions\": [{{\"on\": {{\"from\": \"n9\"}}, \"text\": \"t\"}}]}}"))
                .contains("'n9' is not a node or client")
        );
        assert!(
            err(&format!("{{{base}, \"captions\": [{{\"on\": {{\"kind\": \"Promis\"}}, \"text\": \"t\"}}]}}"))
                .contains("'Promis' is not a message kind")
        );
        assert!(err(r#"{"title": "t"}"#).contains("missing field"));
        assert!(Scenario::named("no-such-story").unwrap_err().0.starts_with("no scenario named 'no-such-story'"));
    }

    /// The playground's menu lists what the catalog holds, by the titles the files give.
    #[test]
    fn the_index_names_every_catalogued_scenario_by_its_title() {
        assert_eq!(index().len(), catalog().len());
        for ((name, title), (file, json)) in index().iter().zip(catalog()) {
            assert_eq!(name, file);
            assert_eq!(*title, Scenario::from_json(json).unwrap().title, "{name}");
        }
        assert_eq!(lookup("15-raft-partition.json").unwrap(), "raft-partition");
        assert_eq!(lookup("raft-partition").unwrap(), "raft-partition");
    }
}
