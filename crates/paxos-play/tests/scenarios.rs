//! Every scenario of the catalog, whatever its protocol: it loads, runs, and its captions find
//! their events in story order. A change to a protocol or the simulator that breaks a story fails
//! here, naming the scenario and the caption. What each story must *show* is pinned per protocol
//! (`scenarios_paxos.rs` and the others).

use paxos_play::scenario::{self, Scenario};
use paxos_sim::simulate;

fn every_scenario() -> Vec<(&'static str, Scenario)> {
    scenario::catalog()
        .iter()
        .map(|&(name, json)| (name, Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {}", e.0))))
        .collect()
}

#[test]
fn every_scenario_tells_its_whole_story_in_order() {
    let scenarios = every_scenario();
    assert!(scenarios.len() >= 10, "the seeds' worked examples: {}", scenarios.len());
    for (name, scenario) in scenarios {
        assert!(scenario.texts().all(|t| !t.en.trim().is_empty()), "{name}: every text has its English");
        assert!(scenario.captions.len() >= 3, "{name}: a story needs a few captions");
        let mut sim = simulate(&scenario.config).unwrap_or_else(|e| panic!("{name}: {}", e.0));
        sim.run_to_end();
        let moments = scenario.resolve(sim.trace()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(moments.len(), scenario.captions.len(), "{name}");
        assert!(moments.windows(2).all(|w| w[0].0 <= w[1].0), "{name}: captions out of order");
        let kind = scenario.config.protocol;
        if !kind.is_foil() {
            assert_eq!(sim.violations(), &[], "{name}: a consensus protocol stays safe in every story");
        }
    }
}

#[test]
fn every_scenario_is_deterministic() {
    for (name, scenario) in every_scenario() {
        let hash = || {
            let mut sim = simulate(&scenario.config).unwrap();
            sim.run_to_end();
            sim.trace().hash()
        };
        assert_eq!(hash(), hash(), "{name}");
    }
}

#[test]
fn a_scenario_name_that_is_not_in_the_catalog_is_named_with_the_choices() {
    let error = Scenario::named("duelling").unwrap_err().0;
    assert!(error.contains("'duelling'") && error.contains("duelling-proposers"), "{error}");
}
