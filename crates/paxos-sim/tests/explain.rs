//! Explanations are beside the run, never part of it: a world whose nodes explain themselves makes
//! exactly the events of one whose nodes do not (so the golden hashes and the sweep's findings stay),
//! and a run keeps each rule with the event of the step that applied it, in event order.

use paxos_core::{Bugs, Rule};
use paxos_sim::trace::Event;
use paxos_sim::world::Observer;
use paxos_sim::{AnyNode, EventId, ProtocolKind, Run, World, sweep};

/// Every event, and every rule with its step's event.
#[derive(Default)]
struct Recorded {
    events: Vec<Event>,
    rules: Vec<(EventId, Rule)>,
}

impl Observer<AnyNode> for Recorded {
    fn event(&mut self, _id: EventId, event: &Event) {
        self.events.push(*event);
    }

    fn explained(&mut self, cause: EventId, rule: &Rule) {
        self.rules.push((cause, *rule));
    }
}

fn world_run(protocol: ProtocolKind, seed: u64, explain: bool) -> Recorded {
    let config = sweep::config(protocol, seed, Bugs::NONE);
    let mut world = World::<AnyNode>::new(&config).unwrap();
    world.set_explain(explain);
    let mut recorded = Recorded::default();
    while recorded.events.len() < 20_000 && world.step(&mut recorded) {}
    recorded
}

#[test]
fn explaining_nodes_make_the_same_events() {
    for protocol in [ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast, ProtocolKind::Raft] {
        for seed in [1, 2] {
            let (bare, explained) = (world_run(protocol, seed, false), world_run(protocol, seed, true));
            assert_eq!(bare.events, explained.events, "{protocol:?} seed {seed}");
            assert!(bare.rules.is_empty());
            assert!(explained.rules.len() > 100, "{protocol:?} seed {seed}: {} rules", explained.rules.len());
            // Each rule is reported during its step, whose event is already in the trace.
            let mut seen = 0;
            for &(cause, _) in &explained.rules {
                assert!(cause >= seen && (cause as usize) < explained.events.len());
                seen = cause;
            }
        }
    }
}

#[test]
fn a_run_keeps_its_rules_and_a_branch_or_a_cut_keeps_those_before_it() {
    let config = sweep::config(ProtocolKind::Raft, 3, Bugs::NONE);
    let mut run = Run::<AnyNode>::new(&config).unwrap();
    while run.trace().len() < 5_000 && run.step() {}
    let trace = run.trace();
    let all: Vec<(EventId, Rule)> = trace.all_rules().map(|(e, r)| (e, *r)).collect();
    assert!(all.iter().any(|(_, r)| matches!(r, Rule::VoteGranted { .. })));
    for &(event, rule) in all.iter().take(200) {
        assert!(trace.rules(event).contains(&rule));
    }
    // A message a rule decided: a vote's Send event holds it, and so does the step before.
    let (send, vote) = (0..trace.len() as EventId)
        .find_map(|e| trace.message_rules(e).first().map(|r| (e, *r)))
        .expect("some message is explained");
    assert!((0..send).rev().any(|e| trace.rules(e).contains(&vote)));

    let at = all[all.len() / 2].0;
    let branch = run.branch(at);
    let before: Vec<(EventId, Rule)> = all.iter().copied().filter(|&(e, _)| e <= at).collect();
    let kept: Vec<(EventId, Rule)> = branch.trace().all_rules().map(|(e, r)| (e, *r)).collect();
    assert_eq!(kept, before);

    let mut cut = trace.clone();
    cut.truncate(send as usize);
    assert!(cut.message_rules(send).is_empty() && cut.rules(send).is_empty());
    assert!(cut.all_rules().all(|(e, _)| e < send));
    assert_eq!(cut.all_rules().count(), all.iter().filter(|&&(e, _)| e < send).count());
}

#[test]
fn a_run_told_not_to_explain_keeps_no_rules_and_the_same_events() {
    let config = sweep::config(ProtocolKind::Multi, 4, Bugs::NONE);
    let mut explained = Run::<AnyNode>::new(&config).unwrap();
    let mut bare = Run::<AnyNode>::new(&config).unwrap();
    bare.set_explain(false);
    while explained.trace().len() < 3_000 && explained.step() {}
    while bare.trace().len() < explained.trace().len() && bare.step() {}
    assert_eq!(bare.trace().events(), explained.trace().events());
    assert_eq!(bare.trace().all_rules().count(), 0);
    assert!(explained.trace().all_rules().count() > 100);
    // The memory estimate (what `--max-mb` limits) counts the rules kept, and only them.
    assert_eq!(explained.usage().bytes - bare.usage().bytes, explained.trace().rules_bytes());
    assert!(explained.trace().rules_bytes() > 0);
}
