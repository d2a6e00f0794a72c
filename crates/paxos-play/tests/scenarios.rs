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

/// Issue 12: every consensus story asks at least one question before it shows the answer. Which
/// stories are consensus is read from their configurations (not a list of names), so a new one is
/// held to it too.
#[test]
fn every_consensus_scenario_asks_a_question() {
    let scenarios = every_scenario();
    let consensus: Vec<&str> =
        scenarios.iter().filter(|(_, s)| !s.config.protocol.is_foil()).map(|(name, _)| *name).collect();
    assert!(consensus.len() >= 10, "Basic, Multi and Fast Paxos and Raft stories: {consensus:?}");
    for (name, scenario) in &scenarios {
        if !scenario.config.protocol.is_foil() {
            assert!(scenario.questions().count() >= 1, "{name}: a consensus story asks at least one question");
        }
    }
}

/// A question is asked when its caption is reached, before the next caption shows what happens: so
/// it is never on the last caption, and its caption's event comes strictly before the next one's
/// (or the page would reveal the outcome in the same step that asks).
#[test]
fn every_question_is_asked_before_the_story_goes_on() {
    for (name, scenario) in every_scenario() {
        let mut sim = simulate(&scenario.config).unwrap();
        sim.run_to_end();
        let events = scenario.events(sim.trace()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, question) in scenario.questions() {
            assert!(i + 1 < scenario.captions.len(), "{name}: the question on the last caption has no answer after it");
            assert!(events[i] < events[i + 1], "{name}: caption {i}'s question and the next caption share an event");
            assert!(question.right().is_some(), "{name}: caption {i}");
        }
    }
}

/// Issue 14: every text a scenario shows — title, source, summary, every caption, question, answer
/// and explanation — is in English and in Chinese.
#[test]
fn every_scenario_is_in_english_and_chinese() {
    for (name, scenario) in every_scenario() {
        for text in scenario.texts() {
            let zh = text.zh.as_deref().unwrap_or_else(|| panic!("{name}: no Chinese for {:?}", text.en));
            assert!(!zh.trim().is_empty() && zh != text.en, "{name}: {zh:?} is not a translation");
            // Chinese text has Chinese characters in it (a pasted English text would not).
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{name}: {zh:?}");
        }
    }
}

/// Issue 13: a scenario writes back to a file that reads back the same, for every file there is.
#[test]
fn every_scenario_writes_back_to_itself() {
    for (name, scenario) in every_scenario() {
        let written = scenario.to_json();
        let read = Scenario::from_json(&written).unwrap_or_else(|e| panic!("{name}: {}\n{written}", e.0));
        assert_eq!(read, scenario, "{name}");
        assert_eq!(read.to_json(), written, "{name}: writing is stable");
    }
}
