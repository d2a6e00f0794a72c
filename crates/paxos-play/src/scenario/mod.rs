//! Scenarios: runs set up to tell one story from the seeds, step by step, with captions that can
//! point at what they speak of and ask a question before the run shows the answer.
//!
//! A scenario is a JSON file in the repository's `scenarios/` folder (`NN-name.json`; `name` is how
//! the command line and the playground call it):
//!
//! ```json
//! {
//!   "title": { "en": "Duelling proposers", "zh": "两个 Proposer 的竞争" },
//!   "source": "seed 001, example 1",
//!   "summary": "X and Y run Paxos at the same time; Y's higher round stops X's phase 2.",
//!   "config": { "protocol": "basic", "nodes": 5, "...": "any run configuration (docs/formats.md)" },
//!   "captions": [
//!     { "on": { "type": "send", "kind": "Prepare", "from": "n1" }, "text": "X starts phase 1 with rnd=1." },
//!     { "on": { "type": "send", "kind": "Accept", "from": "n1" }, "text": "…",
//!       "points": { "nodes": ["n4"], "slot": 0 },
//!       "question": { "ask": "What does n4 do?", "answers": ["Accepts", "Refuses"], "correct": 1, "why": "…" } },
//!     { "on": { "type": "send", "kind": "Nack", "from": "n4" }, "text": "n4 refuses: it promised 1.2." }
//!   ]
//! }
//! ```
//!
//! Every text a person reads ([`Text`]) is a string (English) or `{"en": …, "zh": …}`.
//!
//! A scenario exported from the playground ([`crate::share::Shared::to_scenario`]) also holds the
//! `actions` the person took, each at the step it was taken (`[{"step": 1234, "fault": "crash",
//! "node": "n1"}]`, as in a run file), and captions tied to exact events (`"on": {"id": 123}`). The
//! actions are replayed as a shared link's are ([`crate::share::replay`]), so the run is the very one
//! the person saw: the config's `faults` are scheduled at virtual ms, but a person acts at a step
//! (between two events that may share a time), which a time cannot always name.
//!
//! A caption is tied to the first trace event after the previous caption's that matches its pattern
//! (`nth` picks a later match), so captions follow the story in order. [`Scenario::resolve`] finds
//! those events; a caption that matches nothing is an error naming it, which is how a change that
//! breaks a story fails its test. A caption's [`Points`] name what the page highlights while it is
//! shown; its [`Question`] is asked when it is reached, before the next caption reveals the outcome.
//!
//! Files: `pattern.rs` ([`Pattern`], matching events), `text.rs` ([`Text`]), `question.rs`
//! ([`Points`], [`Question`]); this file the scenario, its checks, and the catalog `build.rs` embeds.

use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{ClientName, ConfigError, NodeName, SimConfig};
use paxos_sim::run::Action;
use paxos_sim::trace::{EventId, Trace};

use crate::lang::Lang;
use crate::share::{self, MAX_ACTION_STEP, MAX_ACTIONS, Replayed};

mod pattern;
mod question;
mod text;

pub use pattern::{EVENT_TYPES, Pattern};
pub use question::{MAX_ANSWERS, MIN_ANSWERS, Points, Question};
pub use text::Text;

/// Every scenario in the repository, as (name, JSON), in the order of their file numbers.
///
/// The command line and the tests use it; the playground does not (its wasm would carry every file):
/// it lists [`index`] and fetches the one file chosen.
pub fn catalog() -> &'static [(&'static str, &'static str)] {
    CATALOG
}

/// A scenario as the playground's menu lists it, without its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its name (`duelling-proposers`).
    pub name: &'static str,
    /// Its title in English.
    pub title_en: &'static str,
    /// Its title in 简体中文, if translated.
    pub title_zh: Option<&'static str>,
}

impl Entry {
    /// The title in `lang` (English where it has no translation).
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.title_en,
            Lang::Zh => self.title_zh.unwrap_or(self.title_en),
        }
    }
}

/// Every scenario in the repository, by name and title, in the order of their file numbers: the
/// playground's menu, without the files.
pub fn index() -> &'static [Entry] {
    INDEX
}

/// The name a scenario has in the catalog, given its name or its file's (`15-raft-partition`,
/// `15-raft-partition.json`); an unknown name is an error listing the names there are.
pub fn lookup(name: &str) -> Result<&'static str, ConfigError> {
    let bare = name.strip_suffix(".json").unwrap_or(name);
    let bare = bare.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix('-').unwrap_or(bare);
    let Some(found) = index().iter().find(|e| e.name == bare) else {
        let names: Vec<&str> = index().iter().map(|e| e.name).collect();
        return Err(ConfigError(format!("no scenario named '{name}' (there are: {})", names.join(", "))));
    };
    Ok(found.name)
}

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// A scenario: a run configuration and the captions that tell its story.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// What the scenario is called.
    pub title: Text,
    /// Where in the seeds the story is told.
    pub source: Text,
    /// The story in a few sentences.
    pub summary: Text,
    /// The run.
    pub config: SimConfig,
    /// The run's configuration as the file gives it (what is written back: only the fields the
    /// author set, the defaults left out). [`Scenario::from_json`] reads `config` from it; one who
    /// builds a scenario by hand keeps the two in step.
    pub config_json: Json,
    /// The captions, in story order.
    pub captions: Vec<Caption>,
    /// A person's actions, each at the step it was taken (empty for the catalogue's stories).
    pub actions: Vec<Action>,
}

/// A caption: words for a moment of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    /// The moment: the first matching event after the previous caption's.
    pub on: Pattern,
    /// What is happening, in plain words.
    pub text: Text,
    /// What the page highlights while the caption is shown.
    pub points: Option<Points>,
    /// A question asked when the caption is reached, before the story goes on.
    pub question: Option<Question>,
}

impl FromJson for Scenario {
    fn from_value(value: &Json) -> Result<Scenario, Error> {
        let scenario = Fields::read(value, |o| {
            let config_json: Json = o.req("config")?;
            Ok(Scenario {
                title: o.req("title")?,
                source: o.req("source")?,
                summary: o.req("summary")?,
                config: SimConfig::from_value(&config_json).map_err(|e| e.in_field("config"))?,
                config_json,
                captions: o.req("captions")?,
                actions: o.or("actions", Vec::new())?,
            })
        })?;
        check_actions(&scenario.actions, &scenario.config).map_err(|e| e.in_field("actions"))?;
        for (i, caption) in scenario.captions.iter().enumerate() {
            caption.check(&scenario.config).map_err(|e| e.in_item(i).in_field("captions"))?;
        }
        Ok(scenario)
    }
}

/// Every field; the config as the file gave it.
impl ToJson for Scenario {
    fn to_value(&self) -> Json {
        let fields = [
            ("title", self.title.to_value()),
            ("source", self.source.to_value()),
            ("summary", self.summary.to_value()),
            ("config", self.config_json.clone()),
            ("captions", self.captions.to_value()),
        ];
        // Only an exported run has actions: the catalogue's files write back as they are.
        let actions = Some(("actions", self.actions.to_value())).filter(|_| !self.actions.is_empty());
        Json::object(fields.into_iter().chain(actions))
    }
}

/// What a scenario's actions must be to replay as a link's: at most [`MAX_ACTIONS`], steps in
/// order and within [`MAX_ACTION_STEP`], each fault possible in the run.
fn check_actions(actions: &[Action], config: &SimConfig) -> Result<(), Error> {
    if actions.len() > MAX_ACTIONS {
        return Err(Error::new(format!("{} actions, at most {MAX_ACTIONS}", actions.len())));
    }
    let mut previous = 0;
    for (i, action) in actions.iter().enumerate() {
        let problem = if action.step > MAX_ACTION_STEP {
            format!("step {} is past the {MAX_ACTION_STEP} steps a page replays", action.step)
        } else if action.step < previous {
            format!("step {} comes before the previous action's step {previous}", action.step)
        } else if let Err(e) = action.fault.validate(config) {
            e.0
        } else {
            previous = action.step;
            continue;
        };
        return Err(Error::new(problem).in_item(i));
    }
    Ok(())
}

impl FromJson for Caption {
    fn from_value(value: &Json) -> Result<Caption, Error> {
        Fields::read(value, |o| {
            Ok(Caption {
                on: o.req("on")?,
                text: o.req("text")?,
                points: o.opt("points")?,
                question: o.opt("question")?,
            })
        })
    }
}

/// The pattern's given fields only, and `points` and `question` only if there are some.
impl ToJson for Caption {
    fn to_value(&self) -> Json {
        let mut fields = vec![("on", self.on.to_file()), ("text", self.text.to_value())];
        if let Some(points) = &self.points {
            fields.push(("points", points.to_value()));
        }
        if let Some(question) = &self.question {
            fields.push(("question", question.to_value()));
        }
        Json::object(fields)
    }
}

impl Caption {
    /// What only the run can tell: that the nodes and clients it names are in it.
    fn check(&self, config: &SimConfig) -> Result<(), Error> {
        let run_has = |addr: &str| {
            let node = addr.parse::<NodeName>().map(|n| n.0 < config.nodes);
            let client = addr.parse::<ClientName>().map(|c| usize::from(c.0) < config.clients.count());
            node.or(client).unwrap_or(false)
        };
        for (field, addr) in [("from", &self.on.from), ("to", &self.on.to)] {
            if let Some(addr) = addr
                && !run_has(addr)
            {
                let error = Error::new(format!("'{addr}' is not a node or client of the run"));
                return Err(error.in_field(field).in_field("on"));
            }
        }
        if let Some(node) = self.on.node
            && node.0 >= config.nodes
        {
            let error = Error::new(format!("{node} is not a node of the run (it has {})", config.nodes));
            return Err(error.in_field("node").in_field("on"));
        }
        let nodes = self.points.iter().flat_map(|p| p.nodes.iter().enumerate());
        if let Some((i, node)) = nodes.into_iter().find(|(_, n)| n.0 >= config.nodes) {
            let error = Error::new(format!("{node} is not a node of the run (it has {})", config.nodes));
            return Err(error.in_item(i).in_field("nodes").in_field("points"));
        }
        Ok(())
    }

    /// Every text of the caption: its words, then its question's.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        core::iter::once(&self.text).chain(self.question.iter().flat_map(Question::texts))
    }
}

impl Scenario {
    /// Parses and validates a scenario file.
    pub fn from_json(text: &str) -> Result<Scenario, ConfigError> {
        Scenario::read(&json::parse(text).map_err(|e| ConfigError(format!("scenario: {e}")))?)
    }

    /// Reads and validates a scenario file's JSON, parsed.
    pub fn read(file: &Json) -> Result<Scenario, ConfigError> {
        let scenario = Scenario::from_value(file).map_err(|e| ConfigError(format!("scenario: {e}")))?;
        scenario.config.validate()?;
        Ok(scenario)
    }

    /// The scenario as a file (pretty JSON), which [`Scenario::from_json`] reads back the same.
    pub fn to_json(&self) -> String {
        json::to_string_pretty(self)
    }

    /// Its run: the configuration, with the actions (if any) taken at their steps. The run is at
    /// its last action; play it on with [`paxos_sim::Simulation::run_to_end`].
    pub fn simulate(&self) -> Result<Replayed, String> {
        share::replay(&self.config, &self.actions)
    }

    /// The scenario called `name` in the catalog (the file's name works too, see [`lookup`]).
    pub fn named(name: &str) -> Result<Scenario, ConfigError> {
        let found = lookup(name)?;
        let json = catalog().iter().find(|(n, _)| *n == found).map_or("", |(_, json)| json);
        Scenario::from_json(json).map_err(|e| ConfigError(format!("scenario {name}: {e}")))
    }

    /// The event each caption is tied to, in caption order; an error names the first caption that
    /// matches no event (an exact one, `{"id": N}`, must come after the previous caption's event
    /// and be in the trace).
    pub fn events(&self, trace: &Trace) -> Result<Vec<EventId>, String> {
        resolve_captions(&self.captions, trace)
    }

    /// Each caption's event and its English words, in order (see [`Scenario::events`]).
    pub fn resolve(&self, trace: &Trace) -> Result<Vec<(EventId, &str)>, String> {
        Ok(self.events(trace)?.into_iter().zip(self.captions.iter().map(|c| c.text.en.as_str())).collect())
    }

    /// Every text a person reads: title, source, summary, then each caption's.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        [&self.title, &self.source, &self.summary].into_iter().chain(self.captions.iter().flat_map(Caption::texts))
    }

    /// The questions, each with the index of its caption.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.captions.iter().enumerate().filter_map(|(i, c)| c.question.as_ref().map(|q| (i, q)))
    }
}

/// The event each of `captions` is tied to, in order (see [`Scenario::events`]).
pub fn resolve_captions(captions: &[Caption], trace: &Trace) -> Result<Vec<EventId>, String> {
    let mut resolved = Vec::with_capacity(captions.len());
    let mut from: EventId = 0;
    for (i, caption) in captions.iter().enumerate() {
        let nth = caption.on.nth.unwrap_or(1).max(1) as usize;
        // An exact event is looked up, not searched for: the search would visit every event before it.
        let found = match caption.on.id {
            Some(id) => Some(id).filter(|&id| id >= from && caption.on.matches(trace, id)),
            None => (from..trace.len() as EventId).filter(|&id| caption.on.matches(trace, id)).nth(nth - 1),
        };
        let Some(at) = found else {
            return Err(format!(
                "caption {} (\"{}\") matches no event after event {from} (the run has {}): {}",
                i + 1,
                caption.text.en,
                trace.len(),
                caption.on
            ));
        };
        resolved.push(at);
        from = at + 1;
    }
    Ok(resolved)
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
            id: None,
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
        for (entry, (file, json)) in index().iter().zip(catalog()) {
            assert_eq!(entry.name, *file);
            let title = Scenario::from_json(json).unwrap().title;
            assert_eq!((entry.title_en, entry.title_zh), (title.en.as_str(), title.zh.as_deref()), "{file}");
            assert_eq!(entry.title(Lang::Zh), title.get(Lang::Zh));
        }
        assert_eq!(lookup("15-raft-partition.json").unwrap(), "raft-partition");
        assert_eq!(lookup("raft-partition").unwrap(), "raft-partition");
    }
}
