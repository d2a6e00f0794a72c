//! A shared run as a scenario file ([`Shared::to_scenario`]): the catalogue's format, so that the
//! playground imports it back and `paxos run --scenario FILE` plays it with its captions.
//!
//! The file holds the run's configuration (the setup's, or the scenario's it started from), the
//! person's actions at their steps and their captions at their exact events. Its `duration_ms` is
//! cut to the moment shown (or the last caption's event, if later): a scenario is played whole when
//! it loads, and a playground run lasts an hour. Cutting the end changes no event before it, so the
//! file replays the same trace up to there (`an_exported_run_replays_the_same_trace` checks it).

use paxos_json::{FromJson, Json, ToJson};
use paxos_sim::SimConfig;
use paxos_sim::config::RatioSpec;
use paxos_sim::trace::Time;

use super::{Shared, check_captions, replay};
use crate::page::{Network, Setup};
use crate::scenario::{Caption, Pattern, Scenario, Text, resolve_captions};

impl Shared {
    /// The run as a scenario called `title`, told in `summary`. `scenario` is the scenario its setup
    /// names, loaded (as for [`Setup::config`]). Actions that can never be taken in the run (which
    /// a replay skips) are left out; captions that fall after the run's end are an error.
    pub fn to_scenario(&self, scenario: Option<&Scenario>, title: Text, summary: Text) -> Result<Scenario, String> {
        check_captions(&self.captions)?;
        let config = self.setup.config(scenario)?;
        let actions: Vec<_> = self.actions.iter().filter(|a| a.fault.validate(&config).is_ok()).cloned().collect();
        let mut sim = replay(&config, &actions)?.sim;
        let mut until: Time = self.cursor.unwrap_or_else(|| sim.now());
        sim.run_until(until);
        if let Some(last) = self.captions.last().and_then(|c| c.on.id) {
            while sim.trace().len() as u64 <= last && sim.step() {}
            until = until.max(sim.trace().get(last).map_or(0, |e| e.time));
        }
        let duration_ms = until.div_ceil(1_000).clamp(1, config.duration_ms);
        let config = SimConfig { duration_ms, ..config };
        let mut config_json = match (&self.setup.scenario, scenario) {
            (Some(_), Some(scenario)) => scenario.config_json.clone(),
            _ => setup_json(&self.setup),
        };
        if let Json::Object(fields) = &mut config_json {
            fields.retain(|(key, _)| key != "duration_ms");
            fields.push(("duration_ms".into(), duration_ms.to_value()));
        }
        // The file must say what the run was: checked, not assumed.
        if SimConfig::from_value(&config_json).as_ref() != Ok(&config) {
            return Err("this run's configuration cannot be written as a scenario file".into());
        }
        sim.run_until(config.end());
        resolve_captions(&self.captions, sim.trace())?;
        Ok(Scenario {
            title,
            source: Text::new("a run written in the playground"),
            summary,
            config,
            config_json,
            captions: self.captions.clone(),
            actions,
        })
    }

    /// A scenario file as a run a link can hold: one whose configuration is a playground setup's (as
    /// every file exported from a playground run is) comes back with its actions, and with its
    /// captions tied to the exact events they speak of, shown from the start. Any other (a scripted
    /// schedule of faults, other timings) is refused, saying why: `paxos run --scenario FILE`
    /// plays it.
    pub fn from_scenario(scenario: &Scenario) -> Result<Shared, String> {
        let config = &scenario.config;
        let (latency, loss, duplication) = (config.network.latency_us, config.network.loss, config.network.duplication);
        let percent = |ratio: RatioSpec| match ratio {
            RatioSpec::NEVER => Some(0),
            RatioSpec(p, 100) => u8::try_from(p).ok(),
            _ => None,
        };
        let network = match (percent(loss), percent(duplication)) {
            (Some(loss_percent), Some(duplication_percent)) => {
                Network { latency_ms: (latency.0 / 1_000, latency.1 / 1_000), loss_percent, duplication_percent }
            }
            _ => return Err(BEYOND.into()),
        };
        let setup = Setup {
            protocol: config.protocol,
            nodes: config.nodes,
            seed: config.seed,
            workload: config.clients.workload,
            network,
            scenario: None,
        };
        let as_setup = setup.config(None).map(|c| SimConfig { duration_ms: config.duration_ms, ..c });
        if as_setup.as_ref() != Ok(config) {
            return Err(BEYOND.into());
        }
        let mut sim = scenario.simulate()?.sim;
        sim.run_until(config.end());
        let events = scenario.events(sim.trace())?;
        let captions = events
            .into_iter()
            .zip(&scenario.captions)
            .map(|(event, c)| Caption { on: Pattern::at(event), ..c.clone() });
        let captions: Vec<Caption> = captions.collect();
        check_captions(&captions)?;
        Ok(Shared { setup, actions: scenario.actions.clone(), cursor: Some(0), captions, ..Shared::default() })
    }
}

/// Why a scenario file cannot become a playground run.
const BEYOND: &str = "this scenario sets more than a playground run holds (a script of faults, other timings): \
                      `paxos run --scenario FILE` plays it";

/// A playground setup as a scenario's `config` (the fields [`Setup::config`] sets).
fn setup_json(setup: &Setup) -> Json {
    let network = setup.network;
    let percent = |p: u8| if p == 0 { [0, 1] } else { [u16::from(p), 100] };
    Json::object([
        ("protocol", setup.protocol.name().to_value()),
        ("nodes", setup.nodes.to_value()),
        ("seed", setup.seed.to_value()),
        ("clients", Json::object([("workload", setup.workload.to_value()), ("manual", 1u16.to_value())])),
        (
            "network",
            Json::object([
                ("latency_us", [network.latency_ms.0 * 1_000, network.latency_ms.1 * 1_000].to_value()),
                ("loss", percent(network.loss_percent).to_value()),
                ("duplication", percent(network.duplication_percent).to_value()),
            ]),
        ),
    ])
}
