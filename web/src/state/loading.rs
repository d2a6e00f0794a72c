//! Scenario loading: the scenarios fetched so far, and the run that waits for one being fetched.
//!
//! The wasm carries only the catalog's names and titles; a scenario's file (`scenarios/NAME.json`)
//! is fetched when it is chosen. Plain Rust: [`Loading::request`] says whether a run can start now
//! or must wait for a fetch, and [`Loading::fetched`] hands back the run that waited.

use paxos_core::NodeId;
use paxos_play::scenario::{self, Caption, Scenario};
use paxos_play::share::{Shared, View};
use paxos_sim::run::Action;
use paxos_sim::trace::Time;

use crate::i18n::tf;
use crate::model::Setup;

/// What asked for a run, for what follows once it has started.
#[derive(Clone, Debug, PartialEq)]
pub enum Then {
    /// The page's address (it may ask to play at once).
    Address,
    /// The setup bar's New run.
    NewRun,
    /// The scenario menu.
    Menu,
    /// A run file: its name, the trace hash it records, and the view and node it shows.
    Import(String, Option<u64>, View, Option<NodeId>),
}

/// A run to start: its setup, actions, the moment to show, a person's captions, and what follows.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// The setup (it may name a scenario).
    pub setup: Setup,
    /// The actions taken in it.
    pub actions: Vec<Action>,
    /// The moment to show (`None`: the start of a scenario, else the head).
    pub cursor: Option<Time>,
    /// The captions a person wrote for it (see `crate::state::authoring`).
    pub captions: Vec<Caption>,
    /// What follows the start.
    pub then: Then,
}

impl Run {
    /// A fresh run of `setup`: no actions, no captions.
    pub fn new(setup: Setup, then: Then) -> Run {
        Run { setup, actions: Vec::new(), cursor: None, captions: Vec::new(), then }
    }

    /// The run `shared` holds (a link, a run file).
    pub fn of(shared: Shared, then: Then) -> Run {
        Run { setup: shared.setup, actions: shared.actions, cursor: shared.cursor, captions: shared.captions, then }
    }
}

/// What [`Loading::request`] found.
// Returned once per run started and never stored: boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum Request {
    /// Start it now, with its scenario (if it names one).
    Start(Run, Option<Scenario>),
    /// Fetch this scenario's file; the run waits for it.
    Fetch(&'static str),
    /// The scenario is not in the catalog: start the run without it, and say why.
    Unknown(Run, String),
}

/// The scenarios fetched, and a run waiting for one.
#[derive(Default)]
pub struct Loading {
    /// The scenarios fetched so far (choosing one again fetches nothing).
    scenarios: Vec<(&'static str, Scenario)>,
    /// A scenario being fetched, and the run that waits for it.
    waiting: Option<(&'static str, Run)>,
}

impl Loading {
    /// Asks for `run`: a newer choice wins over a scenario still loading.
    pub fn request(&mut self, run: Run) -> Request {
        self.waiting = None;
        let Some(named) = &run.setup.scenario else { return Request::Start(run, None) };
        let name = match scenario::lookup(named) {
            Ok(name) => name,
            Err(e) => {
                let run = Run { setup: Setup { scenario: None, ..run.setup }, ..run };
                return Request::Unknown(run, tf("banner.scenario_failed", &[("error", &e.0)]));
            }
        };
        match self.scenarios.iter().find(|(n, _)| *n == name) {
            Some((_, scenario)) => {
                let scenario = scenario.clone();
                Request::Start(run, Some(scenario))
            }
            None => {
                self.waiting = Some((name, run));
                Request::Fetch(name)
            }
        }
    }

    /// The file of scenario `name` arrived (or could not be had): keeps it, and hands back the run
    /// that waited for it (none if something else was chosen meanwhile) with the scenario or what
    /// went wrong.
    pub fn fetched(
        &mut self,
        name: &'static str,
        text: Result<String, String>,
    ) -> Option<(Run, Result<Scenario, String>)> {
        let read = text
            .and_then(|text| Scenario::from_json(&text).map_err(|e| tf("banner.not_a_scenario", &[("error", &e.0)])));
        if let Ok(scenario) = &read
            && !self.scenarios.iter().any(|(n, _)| *n == name)
        {
            self.scenarios.push((name, scenario.clone()));
        }
        let (_, run) = self.waiting.take_if(|(waiting, _)| *waiting == name)?;
        let read = read.map_err(|e| tf("banner.scenario_fetch_failed", &[("name", &name), ("error", &e)]));
        Some((run, read))
    }

    /// Whether a run waits for a scenario.
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// The title of the scenario being fetched, if one is.
    pub fn title(&self) -> Option<&'static str> {
        let (name, _) = self.waiting.as_ref()?;
        Some(
            scenario::index()
                .iter()
                .find(|e| e.name == *name)
                .map_or(name, |e| e.title(crate::i18n::current().unwrap_or_default())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(scenario: Option<&str>) -> Run {
        let setup = Setup { scenario: scenario.map(str::to_string), ..Setup::default() };
        Run::new(setup, Then::Menu)
    }

    /// The first scenario of the catalog: its name and JSON.
    fn first() -> (&'static str, &'static str) {
        scenario::catalog()[0]
    }

    /// A run without a scenario starts at once; one naming an unknown scenario starts without it.
    #[test]
    fn runs_without_a_known_scenario_start_at_once() {
        crate::i18n::install_builtin(paxos_play::lang::Lang::En);
        let mut loading = Loading::default();
        assert_eq!(loading.request(run(None)), Request::Start(run(None), None));
        match loading.request(run(Some("no-such-story"))) {
            Request::Unknown(started, why) => {
                assert_eq!(started, run(None));
                assert!(why.contains("no scenario named 'no-such-story'"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!loading.is_waiting());
    }

    /// A scenario is fetched once: the run waits for it, then starts; asking again needs no fetch.
    #[test]
    fn a_scenario_is_fetched_once() {
        let (name, json) = first();
        let mut loading = Loading::default();
        assert_eq!(loading.request(run(Some(name))), Request::Fetch(name));
        assert!(loading.is_waiting());
        assert!(loading.title().is_some_and(|t| !t.is_empty()));
        let (waited, scenario) = loading.fetched(name, Ok(json.to_string())).expect("the run waited");
        assert_eq!(waited, run(Some(name)));
        assert!(scenario.is_ok());
        assert!(!loading.is_waiting());
        assert!(matches!(loading.request(run(Some(name))), Request::Start(_, Some(_))));
    }

    /// A newer choice wins: the file that arrives late is kept, but starts nothing.
    #[test]
    fn a_newer_choice_wins_over_a_fetch_under_way() {
        let (name, json) = first();
        let mut loading = Loading::default();
        loading.request(run(Some(name)));
        loading.request(run(None));
        assert_eq!(loading.fetched(name, Ok(json.to_string())), None);
        assert!(matches!(loading.request(run(Some(name))), Request::Start(_, Some(_))), "kept");
    }

    /// A file that cannot be had, or read, is named in the error.
    #[test]
    fn a_bad_file_is_named() {
        crate::i18n::install_builtin(paxos_play::lang::Lang::En);
        let (name, _) = first();
        let mut loading = Loading::default();
        loading.request(run(Some(name)));
        let (_, read) = loading.fetched(name, Ok("{ not json".to_string())).expect("the run waited");
        let why = read.expect_err("not a scenario");
        assert!(why.contains(&format!("scenarios/{name}.json")) && why.contains("not a scenario"), "{why}");
        loading.request(run(Some(name)));
        let (_, read) = loading.fetched(name, Err("404".to_string())).expect("the run waited");
        assert!(read.expect_err("no file").ends_with("404."));
    }
}
