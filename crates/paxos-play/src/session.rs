//! A session of runs: the time cursor and the branches — the page's model of a run, plain Rust with
//! no browser in it, so it is unit-tested natively (the page, `web/src/model.rs`, re-exports it).
//!
//! ```text
//!   Setup ──simulate()──▶ run 1 ──act in the past──▶ run 2 (a branch: run 1 replayed up to the
//!                           │                          │    cursor, then the new action)
//!                        cursor ◀── play / step / scrub ┘
//! ```
//!
//! The **cursor** is a virtual time; the event shown is the last one at or before it (or, after
//! stepping event by event, the event pinned). At the head of the run the picture is the world
//! now; behind it, the simulator seeks (`Simulation::picture(Some(event))`). Acting behind the head
//! starts a **branch**: the run is replayed up to the event shown (`Simulation::branch`, which also
//! rebuilds the checkers), the action is taken there, and the earlier run stays selectable.

use paxos_sim::faults::Fault;
use paxos_sim::run::Action;
use paxos_sim::trace::{EventId, Time, Trace};
use paxos_sim::{Picture, ProtocolKind, SimConfig, Simulation, Summary, simulate};

use crate::page::Setup;
use crate::scenario::{Caption, Scenario};
use crate::share::{self, Replayed};

/// One run of the session, with the faults taken during it at the times they were taken.
pub struct Branch {
    /// The run.
    pub sim: Box<dyn Simulation>,
    /// Every action with its virtual time (for running the same script on another protocol).
    pub timed: Vec<(Time, Fault)>,
    /// Where it branched off: (the run it came from, the event).
    pub origin: Option<(usize, EventId)>,
}

/// The playground's state apart from the page: runs, branches, the cursor, captions.
pub struct Session {
    /// What it started from.
    pub setup: Setup,
    /// Every run: the first, then each branch.
    pub branches: Vec<Branch>,
    /// The run shown.
    pub current: usize,
    /// The virtual time shown.
    pub cursor: Time,
    /// The event shown, when stepping event by event (several events share a time).
    pub pinned: Option<EventId>,
    /// The scenario's captions, each with its event.
    pub captions: Vec<(EventId, Caption)>,
    /// The scenario, if one is loaded.
    pub scenario: Option<Scenario>,
}

impl Session {
    /// A session at time 0. `scenario` is the scenario the setup names, loaded (the page fetches
    /// its file); it is ignored when the setup names none.
    pub fn new(setup: Setup, scenario: Option<Scenario>) -> Result<Session, String> {
        let config = setup.config(scenario.as_ref())?;
        let scenario = scenario.filter(|_| setup.scenario.is_some());
        let mut sim = simulate(&config).map_err(|e| e.0)?;
        let mut captions = Vec::new();
        let mut timed = Vec::new();
        if let Some(scenario) = &scenario {
            // An exported run's actions are part of its story (none fails: its file was checked).
            timed = share::take_actions(sim.as_mut(), &scenario.actions).0;
            // A scenario is short: run it whole, tie its captions to their events, play it from 0.
            sim.run_to_end();
            captions = told(scenario, sim.trace())?;
        }
        Ok(Session {
            setup,
            branches: vec![Branch { sim, timed, origin: None }],
            current: 0,
            cursor: 0,
            pinned: None,
            captions,
            scenario,
        })
    }

    /// A session that replays `actions` (each at its step, as in a shared link); the actions that
    /// fail are returned with their reasons, and the rest are kept. Actions on a scenario make a
    /// branch of the scenario's run, as they did when they were taken.
    pub fn replay(
        setup: Setup,
        scenario: Option<Scenario>,
        actions: &[Action],
    ) -> Result<(Session, Vec<String>), String> {
        let mut session = Session::new(setup, scenario)?;
        if actions.is_empty() {
            return Ok((session, Vec::new()));
        }
        let Replayed { sim, timed, problems } = share::replay(session.sim().config(), actions)?;
        let branch = Branch { sim, timed, origin: None };
        if session.scenario.is_some() {
            let at = session.sim().trace().first_at(branch.timed.first().map_or(0, |(t, _)| *t));
            session.branches.push(Branch { origin: Some((0, at)), ..branch });
            session.current = 1;
        } else {
            session.branches[0] = branch;
        }
        session.cursor = session.sim().now();
        Ok((session, problems))
    }

    /// The run shown.
    pub fn sim(&self) -> &dyn Simulation {
        self.branches[self.current].sim.as_ref()
    }

    /// The run shown, to change.
    pub fn sim_mut(&mut self) -> &mut dyn Simulation {
        self.branches[self.current].sim.as_mut()
    }

    /// The last event of the run, if any.
    pub fn last(&self) -> Option<EventId> {
        (self.sim().trace().len() as EventId).checked_sub(1)
    }

    /// The event shown: the pinned one, else the last at or before the cursor.
    pub fn shown(&self) -> Option<EventId> {
        if let Some(pinned) = self.pinned {
            return Some(pinned);
        }
        (self.sim().trace().first_at(self.cursor.saturating_add(1))).checked_sub(1)
    }

    /// Whether the cursor is at the head of the run (acting here does not branch).
    pub fn at_head(&self) -> bool {
        self.shown() == self.last()
    }

    /// The world at the cursor.
    pub fn picture(&self) -> Picture {
        match self.shown() {
            _ if self.at_head() => self.sim().picture(None),
            Some(event) => self.sim().picture(Some(event)),
            None => self.sim().picture(Some(0)),
        }
    }

    /// Moves the cursor to `time`, running the simulation on if that is past its head.
    pub fn seek(&mut self, time: Time) {
        self.pinned = None;
        if time > self.sim().now() && !self.sim().is_over() {
            self.sim_mut().run_until(time);
        }
        let end = if self.sim().is_over() { self.sim().now() } else { time };
        self.cursor = time.min(end.max(self.sim().now()));
    }

    /// Runs on by up to `steps` steps (the "as fast as possible" speed); false at the run's end.
    pub fn rush(&mut self, steps: u32) -> bool {
        self.pinned = None;
        let mut more = true;
        for _ in 0..steps {
            if !self.sim_mut().step() {
                more = false;
                break;
            }
        }
        self.cursor = self.sim().now();
        more
    }

    /// One event forward (running the simulation one step at its head).
    pub fn step_forward(&mut self) {
        let next = self.shown().map_or(0, |e| e + 1);
        if self.last().is_none_or(|last| next > last) && !self.sim_mut().step() {
            return;
        }
        if let Some(event) = self.sim().trace().get(next) {
            self.cursor = event.time;
            self.pinned = Some(next);
        }
    }

    /// One event back.
    pub fn step_back(&mut self) {
        if let Some(previous) = self.shown().and_then(|e| e.checked_sub(1)) {
            self.cursor = self.sim().trace().get(previous).map_or(0, |e| e.time);
            self.pinned = Some(previous);
        }
    }

    /// Takes `fault` at the cursor. Behind the head that starts a new branch (the old run stays).
    pub fn act(&mut self, fault: &Fault) -> Result<(), String> {
        fault.validate(self.sim().config()).map_err(|e| e.0)?;
        if !self.at_head() {
            let at = self.shown().unwrap_or(0);
            let sim = self.sim().branch(at);
            let time = sim.now();
            let timed = self.branches[self.current].timed.iter().filter(|(t, _)| *t <= time).cloned().collect();
            self.branches.push(Branch { sim, timed, origin: Some((self.current, at)) });
            self.current = self.branches.len() - 1;
        }
        let branch = &mut self.branches[self.current];
        branch.sim.act(fault)?;
        branch.timed.push((branch.sim.now(), fault.clone()));
        self.pinned = None;
        self.cursor = self.cursor.max(self.sim().now());
        Ok(())
    }

    /// Shows another run of the session.
    pub fn switch(&mut self, branch: usize) {
        if branch < self.branches.len() {
            self.current = branch;
            self.pinned = None;
            self.cursor = self.cursor.min(self.sim().now());
        }
    }

    /// The captions reached at the cursor: the latest one first.
    pub fn caption(&self) -> Option<(usize, &Caption)> {
        let shown = self.shown()?;
        let reached = self.captions.iter().take_while(|(event, _)| *event <= shown).count();
        reached.checked_sub(1).map(|i| (i, &self.captions[i].1))
    }

    /// Sets a person's own captions (each at an exact event of the run shown, see
    /// [`share::check_captions`]) in place of the scenario's, running the run on to the last one's
    /// event if needed; none brings the scenario's back. On an error nothing changes; it names the
    /// caption at fault.
    pub fn set_captions(&mut self, captions: &[Caption]) -> Result<(), String> {
        if captions.is_empty() {
            // None of one's own: a scenario's captions come back.
            self.captions = match &self.scenario {
                Some(scenario) => told(scenario, self.sim().trace())?,
                None => Vec::new(),
            };
            return Ok(());
        }
        share::check_captions(captions)?;
        if let Some(last) = captions.last().and_then(|c| c.on.id) {
            let sim = self.sim_mut();
            while sim.trace().len() as u64 <= last && sim.step() {}
        }
        let events = crate::scenario::resolve_captions(captions, self.sim().trace())?;
        self.captions = events.into_iter().zip(captions.iter().cloned()).collect();
        Ok(())
    }

    /// The actions of the run shown, each at its step (for the link).
    pub fn actions(&self) -> Vec<Action> {
        self.sim().actions().to_vec()
    }

    /// The same configuration and fault script (up to the cursor) on each of `protocols`, with the
    /// figures of each ("side by side").
    pub fn compare(&self, protocols: &[ProtocolKind]) -> Vec<(ProtocolKind, Result<Summary, String>)> {
        let until = self.cursor.max(1_000);
        let timed = &self.branches[self.current].timed;
        protocols
            .iter()
            .map(|&protocol| {
                let config = SimConfig { protocol, ..self.sim().config().clone() };
                let result = simulate(&config).map_err(|e| e.0).map(|mut sim| {
                    for (time, fault) in timed.iter().filter(|(t, _)| *t <= until) {
                        sim.run_until(*time);
                        let _ = sim.act(fault);
                    }
                    sim.run_until(until);
                    sim.summary()
                });
                (protocol, result)
            })
            .collect()
    }
}

/// `scenario`'s captions, each with the event of `trace` it is tied to.
fn told(scenario: &Scenario, trace: &Trace) -> Result<Vec<(EventId, Caption)>, String> {
    Ok(scenario.events(trace)?.into_iter().zip(scenario.captions.iter().cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_sim::config::NodeName;

    fn session() -> Session {
        Session::new(Setup::default(), None).unwrap()
    }

    /// A scenario from the catalog (the tests have it; the page fetches the file).
    fn scenario(name: &str) -> Option<Scenario> {
        Some(Scenario::named(name).unwrap())
    }

    #[test]
    fn playing_runs_the_simulation_up_to_the_cursor() {
        let mut s = session();
        s.seek(200_000);
        assert_eq!(s.cursor, 200_000);
        assert!(s.sim().now() <= 200_000 && s.sim().trace().len() > 10);
        assert!(s.at_head());
        let time = s.sim().trace().get(s.shown().unwrap()).unwrap().time;
        assert!(time <= 200_000);
    }

    #[test]
    fn stepping_goes_event_by_event_both_ways() {
        let mut s = session();
        s.step_forward();
        s.step_forward();
        assert_eq!(s.shown(), Some(1));
        s.step_back();
        assert_eq!(s.shown(), Some(0));
        s.step_back();
        assert_eq!(s.shown(), Some(0), "there is nothing before the first event");
    }

    /// Scrubbing back shows the world as it was: the picture equals the one seeking gives.
    #[test]
    fn scrubbing_back_shows_the_earlier_world() {
        let mut s = session();
        s.seek(300_000);
        let early = s.sim().trace().first_at(100_000) - 1;
        s.seek(s.sim().trace().get(early).unwrap().time);
        assert!(!s.at_head());
        assert_eq!(s.picture(), s.sim().picture(Some(s.shown().unwrap())));
    }

    /// Acting in the past starts a branch; the first run stays as it was.
    #[test]
    fn acting_in_the_past_branches() {
        let mut s = session();
        s.seek(300_000);
        let events = s.sim().trace().len();
        s.seek(100_000);
        s.act(&Fault::Crash { node: NodeName(0) }).unwrap();
        assert_eq!((s.branches.len(), s.current), (2, 1));
        assert_eq!(s.branches[0].sim.trace().len(), events, "the earlier branch is kept whole");
        assert!(s.sim().trace().len() < events);
        assert_eq!(s.actions().len(), 1);
        // At the head, acting does not branch.
        s.act(&Fault::Restart { node: NodeName(0) }).unwrap();
        assert_eq!(s.branches.len(), 2);
        s.switch(0);
        assert!(s.actions().is_empty());
    }

    #[test]
    fn a_bad_action_is_refused_with_its_reason() {
        let mut s = session();
        let err = s.act(&Fault::Crash { node: NodeName(7) }).unwrap_err();
        assert_eq!(err, "fault: n8 is not in a cluster of 5 nodes");
    }

    /// Actions on a scenario replay as a branch of it (as they were taken), so its captions stay.
    #[test]
    fn actions_on_a_scenario_replay_as_a_branch() {
        let setup = Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() };
        let mut s = Session::new(setup.clone(), scenario("duelling-proposers")).unwrap();
        s.seek(20_000);
        s.act(&Fault::Crash { node: NodeName(0) }).unwrap();
        assert_eq!(s.current, 1);
        let (replayed, problems) = Session::replay(setup, scenario("duelling-proposers"), &s.actions()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((replayed.branches.len(), replayed.current), (2, 1));
        assert!(!replayed.captions.is_empty());
        let cut = |s: &Session| share::trace_hash_until(s.sim().trace(), 20_000);
        assert_eq!(cut(&replayed), cut(&s));
    }

    /// The same seed and actions give the same run: what a shared address relies on.
    #[test]
    fn replaying_actions_gives_the_same_run() {
        let mut s = session();
        s.seek(150_000);
        s.act(&Fault::Crash { node: NodeName(1) }).unwrap();
        s.seek(250_000);
        s.act(&Fault::Heal {}).unwrap();
        let (replayed, problems) = Session::replay(Setup::default(), None, &s.actions()).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(replayed.sim().trace().hash(), s.sim().trace().hash());
    }

    #[test]
    fn side_by_side_runs_each_protocol() {
        let mut s = session();
        s.seek(200_000);
        let results = s.compare(&[ProtocolKind::Multi, ProtocolKind::Raft]);
        assert_eq!(results.len(), 2);
        let multi = results[0].1.as_ref().unwrap();
        assert!(multi.completed > 0, "Multi-Paxos commits within 200 ms");
    }
}
