//! The invariants that span a restart — `one-leader-per-ballot` (check/leaders.rs),
//! `term-monotonic` and `one-vote-per-term` (check/terms.rs), `exactly-once` (check/sessions.rs),
//! `votes-kept` (check/accepted.rs) and the older `promise-monotonic` (check/ballots.rs) — each fire
//! on the planted bug that breaks it, or on a hand-built trace, and stay quiet on healthy runs with
//! crashes and restarts.

use paxos_core::{Ballot, Config, Durable, Input, Output, Protocol, Value, multi, raft};
use paxos_sim::check::Checker;
use paxos_sim::world::Observer;
use paxos_sim::{Event, EventKind, FaultMix, Invariant, ProtocolKind, simulate, sweep};

/// The invariants this file is about, and the consensus protocols that keep them.
const RESTART: [(Invariant, &[ProtocolKind]); 6] = [
    (Invariant::PromiseMonotonic, &[ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast]),
    (Invariant::VotesKept, &[ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast]),
    (Invariant::OneLeaderPerBallot, &[ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast]),
    (Invariant::TermMonotonic, &[ProtocolKind::Raft]),
    (Invariant::OneVotePerTerm, &[ProtocolKind::Raft]),
    (Invariant::ExactlyOnce, &[ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast, ProtocolKind::Raft]),
];

/// A Raft node 2 of 3 restarted from `durable`.
fn restarted(durable: raft::Durable) -> raft::Node {
    let mut node = raft::Node::new(Config::new(3), 1, 7);
    node.step(Input::Recover(durable), &mut Vec::new());
    node
}

/// Feeds `checker` a restart of node 2 (event `id`) from `durable`.
fn restart(checker: &mut Checker<raft::Node>, id: u64, durable: raft::Durable) {
    Observer::<raft::Node>::event(checker, id, &Event { time: id, kind: EventKind::Restart { node: 1 } });
    checker.stepped(id, 1, &restarted(durable));
}

fn term(term: raft::Term, voted_for: Option<u8>) -> raft::Durable {
    raft::Durable { term, voted_for, ..raft::Durable::default() }
}

/// Raft Figure 2 and §5.2, on a hand-built trace: a node that comes back from a crash without the
/// vote it cast, or in an earlier term, is caught at the restart; one that kept both is not.
#[test]
fn a_raft_node_restarting_without_its_vote_or_term_is_caught_at_the_restart() {
    let config = paxos_sim::SimConfig { protocol: ProtocolKind::Raft, nodes: 3, ..Default::default() };
    let mut healthy = Checker::<raft::Node>::new(&config);
    restart(&mut healthy, 0, term(3, Some(0)));
    restart(&mut healthy, 1, term(3, Some(0)));
    restart(&mut healthy, 2, term(4, None));
    restart(&mut healthy, 3, term(4, Some(2)));
    assert!(healthy.violations().is_empty(), "a node that kept its term and vote is fine: {:?}", healthy.violations());

    let mut forgot_vote = Checker::<raft::Node>::new(&config);
    restart(&mut forgot_vote, 0, term(3, Some(0)));
    restart(&mut forgot_vote, 1, term(3, None));
    let v = forgot_vote.violation(Invariant::OneVotePerTerm).expect("the forgotten vote is caught");
    assert_eq!(v.event, 1, "{v}");
    assert!(v.message.contains("voted for n1 in term 3"), "{v}");

    let mut forgot_term = Checker::<raft::Node>::new(&config);
    restart(&mut forgot_term, 0, term(5, None));
    restart(&mut forgot_term, 1, term(2, Some(1)));
    assert_eq!(forgot_term.violation(Invariant::TermMonotonic).map(|v| v.event), Some(1));
}

/// A Multi-Paxos replica 2 of 3 restarted from what `writes` left on its disk, fed to `checker` as
/// event `id`.
fn restart_replica(checker: &mut Checker<multi::Replica>, id: u64, writes: &[multi::Write]) {
    let mut disk = multi::Durable::default();
    for write in writes {
        disk.apply(write);
    }
    let mut replica = multi::Replica::new(Config::new(3), 1, 7);
    replica.step(Input::Recover(disk), &mut Vec::new());
    Observer::<multi::Replica>::event(checker, id, &Event { time: id, kind: EventKind::Restart { node: 1 } });
    checker.stepped(id, 1, &replica);
}

/// Paxos Made Simple §2.2, on a hand-built trace: an acceptor that comes back from a crash without
/// the vote it cast, or with a lower promise, is caught at the restart; one that kept both is not.
#[test]
fn a_paxos_acceptor_restarting_without_its_vote_or_promise_is_caught_at_the_restart() {
    let config = paxos_sim::SimConfig { protocol: ProtocolKind::Multi, nodes: 3, ..Default::default() };
    let promise = multi::Write::Promise(Ballot::new(3, 0));
    let vote = multi::Write::Accept { slot: 4, ballot: Ballot::new(3, 0), value: Value::Noop };
    let cast = |checker: &mut Checker<multi::Replica>| {
        restart_replica(checker, 0, std::slice::from_ref(&promise));
        // n2 votes in slot 4, the write claiming the vote.
        checker.output(1, 1, &Output::Persist(vote.clone()));
    };
    let mut healthy = Checker::<multi::Replica>::new(&config);
    cast(&mut healthy);
    restart_replica(&mut healthy, 2, &[promise.clone(), vote.clone()]);
    assert!(healthy.violations().is_empty(), "{:?}", healthy.violations());

    let mut forgot_vote = Checker::<multi::Replica>::new(&config);
    cast(&mut forgot_vote);
    restart_replica(&mut forgot_vote, 2, std::slice::from_ref(&promise));
    let v = forgot_vote.violation(Invariant::VotesKept).expect("the lost vote is caught");
    assert_eq!(v.event, 2, "{v}");
    assert!(forgot_vote.violation(Invariant::PromiseMonotonic).is_none(), "{v}");

    let mut forgot_promise = Checker::<multi::Replica>::new(&config);
    cast(&mut forgot_promise);
    restart_replica(&mut forgot_promise, 2, &[]);
    assert_eq!(forgot_promise.violation(Invariant::PromiseMonotonic).map(|v| v.event), Some(2));
}

/// Every consensus protocol is held to the restart invariants that apply to it.
#[test]
fn every_consensus_protocol_is_held_to_its_restart_invariants() {
    for (invariant, protocols) in RESTART {
        for protocol in ProtocolKind::ALL {
            let config = sweep::config(protocol, 0, paxos_core::Bugs::NONE);
            let held = simulate(&config).expect("valid").invariants().contains(&invariant);
            let consensus =
                matches!(protocol, ProtocolKind::Basic | ProtocolKind::Multi | ProtocolKind::Fast | ProtocolKind::Raft);
            if consensus {
                assert_eq!(held, protocols.contains(&protocol), "{} for {}", invariant.name(), protocol.name());
            }
        }
    }
}

/// Healthy runs with crashes and restarts (the sweep's seeds with the crash and all-faults mixes)
/// break none of them — nor anything else.
#[test]
fn healthy_runs_with_restarts_keep_the_restart_invariants() {
    let mixes = FaultMix::ALL.len() as u64;
    let with_crashes = |s: &u64| matches!(FaultMix::ALL[(s % mixes) as usize], FaultMix::Crash | FaultMix::All);
    for protocol in [ProtocolKind::Basic, ProtocolKind::Multi, ProtocolKind::Fast, ProtocolKind::Raft] {
        let mut restarts = 0;
        for seed in (0..24).filter(with_crashes) {
            let mut sim = simulate(&sweep::config(protocol, seed, paxos_core::Bugs::NONE)).expect("valid");
            sim.run_to_end();
            assert!(sim.violations().is_empty(), "{} seed {seed}: {:?}", protocol.name(), sim.violations());
            restarts += sim.trace().events().iter().filter(|e| matches!(e.kind, EventKind::Restart { .. })).count();
        }
        assert!(restarts >= 8, "{}: only {restarts} restarts in 8 runs", protocol.name());
    }
}

/// Each restart invariant fires on the planted bug that breaks it, within a few sweep seeds.
#[cfg(feature = "planted-bugs")]
#[test]
fn each_restart_invariant_catches_its_planted_bug() {
    use paxos_core::{Bug, Bugs};
    const SEEDS_MAX: u64 = 60;
    let cases = [
        // Raft §5.2: a second vote in a term.
        (ProtocolKind::Raft, Bug::RaftVotesTwice, Invariant::OneVotePerTerm),
        // Paxos Made Simple §2.5: two proposers with one ballot.
        (ProtocolKind::Multi, Bug::SameBallot, Invariant::OneLeaderPerBallot),
        (ProtocolKind::Basic, Bug::SameBallot, Invariant::OneLeaderPerBallot),
        // Paxos Made Simple §2.3: a promise announced before it is on disk is lost in a crash.
        (ProtocolKind::Multi, Bug::PromiseBeforePersist, Invariant::PromiseMonotonic),
        (ProtocolKind::Basic, Bug::PromiseBeforePersist, Invariant::PromiseMonotonic),
        // Raft thesis §6.3: no session table.
        (ProtocolKind::Basic, Bug::NoDedup, Invariant::ExactlyOnce),
        (ProtocolKind::Multi, Bug::NoDedup, Invariant::ExactlyOnce),
        (ProtocolKind::Fast, Bug::NoDedup, Invariant::ExactlyOnce),
        (ProtocolKind::Raft, Bug::NoDedup, Invariant::ExactlyOnce),
    ];
    let mut missed = Vec::new();
    for (protocol, bug, invariant) in cases {
        let caught = (0..SEEDS_MAX).find_map(|seed| {
            let mut sim = simulate(&sweep::config(protocol, seed, Bugs::NONE.with(bug))).expect("valid");
            sim.run_to_end();
            sim.violations().iter().find(|v| v.invariant == invariant).map(|v| (seed, v.clone()))
        });
        match caught {
            Some((seed, v)) => println!("{:<6} {:<24} seed {seed:>2}: {v}", protocol.name(), bug.name()),
            None => missed.push(format!("{} {} by {}", protocol.name(), bug.name(), invariant.name())),
        }
    }
    assert!(missed.is_empty(), "not caught within {SEEDS_MAX} seeds: {missed:?}");
}
