//! A [`Rule`] in the reader's words: the catalogue's text for the rule's key (`rule.*` in
//! `lang/<code>.json`) with the rule's numbers filled in, followed by where the rule is stated.
//!
//! ```text
//! Rule::AcceptRefused { node: 3, to: 0, slot: 0, ballot: 1.1, promised: 1.2 }
//!   ─▶ "n4 refused Accept 1.1 from n1 in slot 0: it promised 1.2 (last_rnd), which is higher
//!       (Paxos Made Simple P1a; seed 001)"
//! ```

use core::fmt::Display;

use paxos_core::{NodeName, Rule};

use crate::lang::Catalogue;

/// The rule in words, with its source: what `paxos replay --explain` prints and the page shows on a
/// message and in the inspector.
pub fn words(rule: &Rule, catalogue: &Catalogue) -> String {
    let text = sentence(rule, catalogue);
    catalogue.format("rule.cited", &[("rule", &text), ("source", &rule.source())])
}

/// The rule in words, without its source.
pub fn sentence(rule: &Rule, catalogue: &Catalogue) -> String {
    let node = NodeName(rule.node());
    let fill = |args: &[(&str, &dyn Display)]| {
        let mut all: Vec<(&str, &dyn Display)> = Vec::with_capacity(args.len() + 1);
        all.push(("node", &node));
        all.extend_from_slice(args);
        catalogue.format(rule.key(), &all)
    };
    use Rule::*;
    match *rule {
        PrepareRefused { to, slot, ballot, promised, .. } | AcceptRefused { to, slot, ballot, promised, .. } => {
            fill(&[("to", &NodeName(to)), ("slot", &slot), ("ballot", &ballot), ("promised", &promised)])
        }
        Promised { to, slot, ballot, accepted, .. } => match accepted {
            Some((vrnd, value)) => {
                fill(&[("to", &NodeName(to)), ("slot", &slot), ("ballot", &ballot), ("vrnd", &vrnd), ("value", &value)])
            }
            None => fill(&[("to", &NodeName(to)), ("slot", &slot), ("ballot", &ballot)]),
        },
        PromisedSlots { to, ballot, first_open, reports, .. } => {
            fill(&[("to", &NodeName(to)), ("ballot", &ballot), ("first_open", &first_open), ("reports", &reports)])
        }
        Accepted { slot, ballot, value, .. } => fill(&[("slot", &slot), ("ballot", &ballot), ("value", &value)]),
        AlreadyVoted { to, slot, vrnd, value, .. } => {
            fill(&[("to", &NodeName(to)), ("slot", &slot), ("vrnd", &vrnd), ("value", &value)])
        }
        LeaderAlive { to, ballot, leader, .. } => {
            fill(&[("to", &NodeName(to)), ("ballot", &ballot), ("leader", &NodeName(leader))])
        }
        ProposeHighest { slot, ballot, value, vrnd, promises, .. } => {
            fill(&[("slot", &slot), ("ballot", &ballot), ("value", &value), ("vrnd", &vrnd), ("promises", &promises)])
        }
        ProposeOwn { slot, ballot, value, promises, .. } => {
            fill(&[("slot", &slot), ("ballot", &ballot), ("value", &value), ("promises", &promises)])
        }
        Preempted { slot, ballot, promised, wait_ticks, .. } => {
            fill(&[("slot", &slot), ("ballot", &ballot), ("promised", &promised), ("wait", &wait_ticks)])
        }
        NoAnswer { slot, ballot, ticks, .. } => fill(&[("slot", &slot), ("ballot", &ballot), ("ticks", &ticks)]),
        RepairHole { slot, ticks, .. } => fill(&[("slot", &slot), ("ticks", &ticks)]),
        Chosen { slot, ballot, value, votes, quorum, .. } => {
            fill(&[("slot", &slot), ("ballot", &ballot), ("value", &value), ("votes", &votes), ("quorum", &quorum)])
        }
        ElectionTimeout { ticks, ballot, .. } => fill(&[("ticks", &ticks), ("ballot", &ballot)]),
        Elected { ballot, promises, quorum, .. } => {
            fill(&[("ballot", &ballot), ("promises", &promises), ("quorum", &quorum)])
        }
        Repropose { slot, ballot, vrnd, value, .. } => {
            fill(&[("slot", &slot), ("ballot", &ballot), ("vrnd", &vrnd), ("value", &value)])
        }
        FillHole { slot, ballot, .. } => fill(&[("slot", &slot), ("ballot", &ballot)]),
        SkipPhase1 { slot, ballot, value, .. } => fill(&[("slot", &slot), ("ballot", &ballot), ("value", &value)]),
        SteppedDown { ours, seen, .. } => fill(&[("ours", &ours), ("seen", &seen)]),
        GaveUp { ballot, leader, refusals, .. } => {
            fill(&[("ballot", &ballot), ("leader", &NodeName(leader)), ("refusals", &refusals)])
        }
        LostQuorum { ballot, heard, quorum, .. } => {
            fill(&[("ballot", &ballot), ("heard", &heard), ("quorum", &quorum)])
        }
        CatchUp { to, prefix, commit, .. } => fill(&[("to", &NodeName(to)), ("prefix", &prefix), ("commit", &commit)]),
        Collision { slot, best, silent, fast_quorum, .. } => {
            fill(&[("slot", &slot), ("best", &best), ("silent", &silent), ("fast_quorum", &fast_quorum)])
        }
        RecoveryKeeps { slot, ballot, value, votes, promises, acceptors, fast_quorum, .. } => {
            let needed = recovery_threshold(promises, acceptors, fast_quorum);
            fill(&[
                ("slot", &slot),
                ("ballot", &ballot),
                ("value", &value),
                ("votes", &votes),
                ("promises", &promises),
                ("acceptors", &acceptors),
                ("fast_quorum", &fast_quorum),
                ("needed", &needed),
            ])
        }
        RecoveryFree { slot, ballot, value, best, promises, acceptors, fast_quorum, .. } => {
            let needed = recovery_threshold(promises, acceptors, fast_quorum);
            fill(&[
                ("slot", &slot),
                ("ballot", &ballot),
                ("value", &value),
                ("best", &best),
                ("promises", &promises),
                ("acceptors", &acceptors),
                ("fast_quorum", &fast_quorum),
                ("needed", &needed),
            ])
        }
        ChosenFast { slot, value, votes, fast_quorum, .. } => {
            fill(&[("slot", &slot), ("value", &value), ("votes", &votes), ("fast_quorum", &fast_quorum)])
        }
        VoteDeniedStaleTerm { candidate, term, current, .. } => {
            fill(&[("candidate", &NodeName(candidate)), ("term", &term), ("current", &current)])
        }
        VoteDeniedAlreadyVoted { candidate, term, voted_for, .. } => {
            fill(&[("candidate", &NodeName(candidate)), ("term", &term), ("voted_for", &NodeName(voted_for))])
        }
        VoteDeniedLogOlder { candidate, term, theirs, ours, .. } => fill(&[
            ("candidate", &NodeName(candidate)),
            ("term", &term),
            ("their_term", &theirs.0),
            ("their_index", &theirs.1),
            ("our_term", &ours.0),
            ("our_index", &ours.1),
        ]),
        VoteGranted { candidate, term, .. } => fill(&[("candidate", &NodeName(candidate)), ("term", &term)]),
        HigherTerm { term, seen, .. } => fill(&[("term", &term), ("seen", &seen)]),
        AppendStaleTerm { leader, term, current, .. } => {
            fill(&[("leader", &NodeName(leader)), ("term", &term), ("current", &current)])
        }
        AppendMismatch { leader, prev_index, prev_term, ours, .. } => match ours {
            Some(ours) => fill(&[
                ("leader", &NodeName(leader)),
                ("prev_index", &prev_index),
                ("prev_term", &prev_term),
                ("ours", &ours),
            ]),
            None => fill(&[("leader", &NodeName(leader)), ("prev_index", &prev_index), ("prev_term", &prev_term)]),
        },
        Committed { index, term, replicas, quorum, .. } => {
            fill(&[("index", &index), ("term", &term), ("replicas", &replicas), ("quorum", &quorum)])
        }
        OldTermNotCommitted { index, entry_term, term, .. } => {
            fill(&[("index", &index), ("entry_term", &entry_term), ("term", &term)])
        }
        RaftTimeout { ticks, term, .. } => fill(&[("ticks", &ticks), ("term", &term)]),
        RaftElected { term, votes, quorum, .. } => fill(&[("term", &term), ("votes", &votes), ("quorum", &quorum)]),
    }
}

/// `q − (n − f)`, at least 1: the fast-round votes a value needs among `q` promises to be kept
/// (Fast Paxos §3.3; `paxos_core::fast::pick_value`).
fn recovery_threshold(promises: u8, acceptors: u8, fast_quorum: u8) -> usize {
    (usize::from(promises) + usize::from(fast_quorum)).saturating_sub(usize::from(acceptors)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{self, Lang};
    use paxos_core::{Ballot, ValueId};

    #[test]
    fn a_refused_accept_reads_with_both_ballots_and_its_source() {
        let rule =
            Rule::AcceptRefused { node: 3, to: 0, slot: 0, ballot: Ballot::new(1, 0), promised: Ballot::new(1, 1) };
        assert_eq!(
            words(&rule, &lang::builtin(Lang::En)),
            "n4 refused Accept 1.1 from n1 in slot 0: it promised 1.2 (last_rnd), which is higher \
             (Paxos Made Simple P1a; seed 001)"
        );
        let zh = words(&rule, &lang::builtin(Lang::Zh));
        assert!(zh.contains("n4") && zh.contains("1.1") && zh.contains("1.2") && zh.contains("拒绝"), "{zh}");
    }

    #[test]
    fn a_fast_recovery_shows_its_threshold_worked_out() {
        let rule = Rule::RecoveryKeeps {
            node: 0,
            slot: 2,
            ballot: Ballot::new(1, 0),
            value: ValueId::Batch { client: 1, seq: 3, more: 0 },
            votes: 2,
            promises: 3,
            acceptors: 5,
            fast_quorum: 4,
        };
        let text = words(&rule, &lang::builtin(Lang::En));
        assert!(text.contains("keeps c2#3 in slot 2") && text.contains("3 − (5 − 4) = 2"), "{text}");
    }

    #[test]
    fn every_rule_key_has_words_in_every_language() {
        // The keys `Rule::key` can return, one rule of each: a key missing from a catalogue would
        // show as the key itself.
        for language in Lang::ALL {
            let catalogue = lang::builtin(language);
            for rule in one_of_each() {
                assert!(catalogue.lookup(rule.key()).is_some(), "lang/{language}.json lacks {}", rule.key());
                let text = words(&rule, &catalogue);
                assert!(!text.contains('{'), "lang/{language}.json: {} left a placeholder: {text}", rule.key());
            }
        }
        // And no words for a rule that does not exist.
        let mut keys: Vec<&str> = one_of_each().iter().map(Rule::key).collect();
        keys.push("rule.cited");
        keys.sort_unstable();
        keys.dedup();
        let english = lang::builtin(Lang::En);
        let listed: Vec<&str> = english.keys().filter(|key| key.starts_with("rule.")).collect();
        assert_eq!(listed, keys);
    }

    /// One rule of each key.
    pub(crate) fn one_of_each() -> Vec<Rule> {
        let (b, c) = (Ballot::new(1, 0), Ballot::new(2, 1));
        let v = ValueId::Noop;
        vec![
            Rule::PrepareRefused { node: 0, to: 1, slot: 0, ballot: b, promised: c },
            Rule::AcceptRefused { node: 0, to: 1, slot: 0, ballot: b, promised: c },
            Rule::Promised { node: 0, to: 1, slot: 0, ballot: b, accepted: None },
            Rule::Promised { node: 0, to: 1, slot: 0, ballot: c, accepted: Some((b, v)) },
            Rule::PromisedSlots { node: 0, to: 1, ballot: b, first_open: 0, reports: 2 },
            Rule::Accepted { node: 0, slot: 0, ballot: b, value: v },
            Rule::AlreadyVoted { node: 0, to: 1, slot: 0, vrnd: Ballot::ZERO, value: v },
            Rule::LeaderAlive { node: 0, to: 1, ballot: b, leader: 2 },
            Rule::ProposeHighest { node: 0, slot: 0, ballot: c, value: v, vrnd: b, promises: 2 },
            Rule::ProposeOwn { node: 0, slot: 0, ballot: c, value: v, promises: 2 },
            Rule::Preempted { node: 0, slot: 0, ballot: b, promised: c, wait_ticks: 0 },
            Rule::Preempted { node: 0, slot: 0, ballot: b, promised: c, wait_ticks: 3 },
            Rule::NoAnswer { node: 0, slot: 0, ballot: b, ticks: 5 },
            Rule::RepairHole { node: 0, slot: 0, ticks: 6 },
            Rule::Chosen { node: 0, slot: 0, ballot: b, value: v, votes: 2, quorum: 2 },
            Rule::ElectionTimeout { node: 0, ticks: 20, ballot: b },
            Rule::Elected { node: 0, ballot: b, promises: 2, quorum: 2 },
            Rule::Repropose { node: 0, slot: 0, ballot: c, vrnd: b, value: v },
            Rule::FillHole { node: 0, slot: 0, ballot: c },
            Rule::SkipPhase1 { node: 0, slot: 0, ballot: c, value: v },
            Rule::SteppedDown { node: 0, ours: b, seen: c },
            Rule::GaveUp { node: 0, ballot: b, leader: 2, refusals: 2 },
            Rule::LostQuorum { node: 0, ballot: b, heard: 1, quorum: 2 },
            Rule::CatchUp { node: 0, to: 1, prefix: 0, commit: 3, snapshot: false },
            Rule::CatchUp { node: 0, to: 1, prefix: 0, commit: 3, snapshot: true },
            Rule::Collision { node: 0, slot: 0, best: 2, silent: 0, fast_quorum: 4 },
            Rule::RecoveryKeeps {
                node: 0,
                slot: 0,
                ballot: c,
                value: v,
                votes: 2,
                promises: 3,
                acceptors: 5,
                fast_quorum: 4,
            },
            Rule::RecoveryFree {
                node: 0,
                slot: 0,
                ballot: c,
                value: v,
                best: 1,
                promises: 3,
                acceptors: 5,
                fast_quorum: 4,
            },
            Rule::ChosenFast { node: 0, slot: 0, value: v, votes: 4, fast_quorum: 4 },
            Rule::VoteDeniedStaleTerm { node: 0, candidate: 1, term: 1, current: 2 },
            Rule::VoteDeniedAlreadyVoted { node: 0, candidate: 1, term: 2, voted_for: 2 },
            Rule::VoteDeniedLogOlder { node: 0, candidate: 1, term: 2, theirs: (1, 1), ours: (1, 2) },
            Rule::VoteGranted { node: 0, candidate: 1, term: 2 },
            Rule::HigherTerm { node: 0, term: 1, seen: 2, stepped_down: true },
            Rule::HigherTerm { node: 0, term: 1, seen: 2, stepped_down: false },
            Rule::AppendStaleTerm { node: 0, leader: 1, term: 1, current: 2 },
            Rule::AppendMismatch { node: 0, leader: 1, prev_index: 2, prev_term: 2, ours: Some(1) },
            Rule::AppendMismatch { node: 0, leader: 1, prev_index: 2, prev_term: 2, ours: None },
            Rule::Committed { node: 0, index: 2, term: 2, replicas: 2, quorum: 2 },
            Rule::OldTermNotCommitted { node: 0, index: 1, entry_term: 1, term: 2 },
            Rule::RaftTimeout { node: 0, ticks: 20, term: 2 },
            Rule::RaftElected { node: 0, term: 2, votes: 2, quorum: 2 },
        ]
    }
}
