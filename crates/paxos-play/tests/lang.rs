//! Every language has every key, with the same placeholders: a missing word is a failed test, never
//! a blank (or a key) on the page.

use paxos_play::lang::{self, Catalogue, Lang};

#[test]
fn every_catalogue_has_every_key_of_english_and_no_other() {
    let english = lang::builtin(Lang::En);
    assert!(english.keys().count() > 0);
    for language in Lang::ALL {
        let catalogue = lang::builtin(language);
        let missing: Vec<&str> = english.keys().filter(|key| catalogue.lookup(key).is_none()).collect();
        let extra: Vec<&str> = catalogue.keys().filter(|key| english.lookup(key).is_none()).collect();
        assert!(missing.is_empty(), "lang/{language}.json lacks {missing:?}");
        assert!(extra.is_empty(), "lang/{language}.json has keys English lacks: {extra:?}");
    }
}

#[test]
fn every_text_has_the_placeholders_of_its_english_text() {
    let english = lang::builtin(Lang::En);
    for language in Lang::ALL {
        let catalogue = lang::builtin(language);
        for (key, text) in catalogue.entries() {
            assert!(!text.trim().is_empty(), "lang/{language}.json: \"{key}\" is empty");
            let mut ours = lang::placeholders(text);
            let mut theirs = lang::placeholders(english.get(key));
            ours.sort_unstable();
            ours.dedup();
            theirs.sort_unstable();
            theirs.dedup();
            assert_eq!(ours, theirs, "lang/{language}.json: \"{key}\" has other placeholders than English");
        }
    }
}

#[test]
fn the_parity_check_fails_on_a_missing_key() {
    // The check above, on a catalogue with one key removed: it must notice.
    let english = lang::builtin(Lang::En);
    let first = english.keys().next().unwrap().to_string();
    let without: Vec<String> = english
        .entries()
        .filter(|(key, _)| *key != first)
        .map(|(key, text)| format!("{}: {}", paxos_json::to_string(key), paxos_json::to_string(text)))
        .collect();
    let smaller = Catalogue::parse(Lang::Zh, &format!("{{{}}}", without.join(","))).unwrap();
    assert!(smaller.lookup(&first).is_none());
    assert_eq!(english.keys().filter(|key| smaller.lookup(key).is_none()).count(), 1);
}
