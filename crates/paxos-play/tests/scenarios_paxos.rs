//! The Basic and Multi-Paxos scenarios show what their seeds say they show: which value is chosen
//! in which slot, who leads, what every store ends with. (`scenarios.rs` checks that every story's
//! captions find their events; this file checks the outcomes the captions claim.)

use paxos_core::{Ballot, MsgKind, NodeId, Protocol, Role, Slot, basic, multi};
use paxos_play::scenario::Scenario;
use paxos_sim::check::Checked;
use paxos_sim::trace::Addr;
use paxos_sim::{EventKind, Run, Simulation};

/// The scenario called `name`, run to its end, with no violation.
fn run<P: Checked>(name: &str) -> Run<P> {
    let scenario = Scenario::named(name).unwrap();
    let mut run = Run::<P>::new(&scenario.config).unwrap();
    run.run_to_end();
    assert_eq!(run.checker().violations(), &[], "{name}");
    run
}

/// Node `n` (n1 is 0).
fn node<P: Checked>(run: &Run<P>, n: NodeId) -> &P {
    run.world().node(n).expect("the node is up at the end")
}

/// The commands node `n` learned for `slot`, in words (`None` if it has not learned the slot).
fn decided<P: Checked>(run: &Run<P>, n: NodeId, slot: Slot) -> Option<String> {
    let value = node(run, n).view().decided.get(slot)?.clone();
    Some(value.commands().iter().map(|c| c.op.to_string()).collect::<Vec<_>>().join("; "))
}

/// Key `key` in node `n`'s store.
fn store<P: Checked>(run: &Run<P>, n: NodeId, key: char) -> i64 {
    let key = (key as u8) - b'a';
    node(run, n).view().store.get(key)
}

/// Every send of `kind` in the trace, as (from, to, ballot, slot).
fn sends<P: Checked>(run: &Run<P>, kind: MsgKind) -> Vec<(Addr, Addr, Ballot, Slot)> {
    run.trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Send { from, to, kind: k, ballot, slot, .. } if k == kind => Some((from, to, ballot, slot)),
            _ => None,
        })
        .collect()
}

/// Every role change, as (node, role, ballot).
fn roles<P: Checked>(run: &Run<P>) -> Vec<(NodeId, Role, Ballot)> {
    run.trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Role { node, role, ballot } => Some((node, role, ballot)),
            _ => None,
        })
        .collect()
}

/// Client `client`'s answers, in order (`None` for a completed `set`).
fn answers<P: Checked>(run: &Run<P>, client: u16) -> Vec<Option<i64>> {
    run.trace()
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Return { client: c, value, .. } if c == client => Some(value),
            _ => None,
        })
        .collect()
}

const fn ballot(round: u32, node: NodeId) -> Ballot {
    Ballot { round, node }
}

const N1: NodeId = 0;
const N2: NodeId = 1;
const N3: NodeId = 2;
const N4: NodeId = 3;

/// Seed 001, phase 1 and phase 2: one round of each, and every learner learns the value.
#[test]
fn basic_happy_path_chooses_the_value_in_one_round() {
    let run = run::<basic::Node>("basic-happy-path");
    for n in 0..4 {
        assert_eq!(decided(&run, n, 0).as_deref(), Some("set i 1"), "n{}", n + 1);
    }
    let prepares = sends(&run, MsgKind::Prepare);
    assert_eq!(prepares.len(), 3, "one Prepare per acceptor");
    assert!(prepares.iter().all(|p| p.2 == ballot(1, N1)));
    assert_eq!(answers(&run, 0), [None]);
    assert_eq!(run.summary().delays, [4], "Prepare, Promise, Accept, Accepted");
}

/// Seed 001, example 1: Y's higher round makes the middle acceptor refuse X's Accept; y is chosen.
#[test]
fn duelling_proposers_choose_y() {
    let run = run::<basic::Node>("duelling-proposers");
    assert_eq!(decided(&run, N1, 0).as_deref(), Some("set i 20"));
    assert_eq!(decided(&run, N2, 0).as_deref(), Some("set i 20"));
    let nacks = sends(&run, MsgKind::Nack);
    assert!(
        nacks.iter().any(|&(from, to, b, slot)| from == Addr::node(N4)
            && to == Addr::node(N1)
            && b == ballot(1, N2)
            && slot == 0),
        "the middle acceptor refuses X's Accept, naming Y's round: {nacks:?}"
    );
    let votes = sends(&run, MsgKind::Accepted);
    assert!(
        votes.iter().any(|v| v.0 == Addr::node(2) && v.2 == ballot(1, N1)),
        "X's value is accepted at the left acceptor"
    );
    assert!(!votes.iter().any(|v| v.0 == Addr::node(N4) && v.2 == ballot(1, N1)), "but not at the middle one");
}

/// Seed 001, example 2 (Paxos Made Simple, P2c): X's later round finds x and y and must propose y,
/// the value with the highest vrnd; its own value goes to the next slot.
#[test]
fn recovery_proposes_the_value_with_the_highest_vrnd() {
    let run = run::<basic::Node>("recover-value");
    assert!(sends(&run, MsgKind::Accept).iter().any(|a| a.0 == Addr::node(N1) && a.2 == ballot(2, N1) && a.3 == 0));
    for n in [N1, N2] {
        assert_eq!(decided(&run, n, 0).as_deref(), Some("set i 20"), "n{}", n + 1);
        assert_eq!(decided(&run, n, 1).as_deref(), Some("set i 10"), "n{}", n + 1);
        assert_eq!(store(&run, n, 'i'), 10);
    }
}

/// Seed 001, livelock: without back-off the two proposers preempt each other for ever; nothing
/// is chosen, and nothing wrong either (the run has no violation).
#[test]
fn livelock_chooses_nothing_round_after_round() {
    let run = run::<basic::Node>("livelock");
    for n in 0..5 {
        assert_eq!(decided(&run, n, 0), None, "n{}", n + 1);
    }
    let rounds = |p: NodeId| {
        let mut r: Vec<u32> =
            sends(&run, MsgKind::Prepare).iter().filter(|s| s.0 == Addr::node(p)).map(|s| s.2.round).collect();
        r.dedup();
        r.len()
    };
    assert!(rounds(N1) >= 5 && rounds(N2) >= 5, "X {} rounds, Y {}", rounds(N1), rounds(N2));
    assert_eq!((answers(&run, 0).len(), answers(&run, 1).len()), (0, 0));
}

/// Seed 001, the livelock's cure: randomized back-off lets one proposer finish; the other's
/// command follows in the next slot.
#[test]
fn back_off_cures_the_livelock() {
    let run = run::<basic::Node>("livelock-cured");
    let first = decided(&run, N1, 0).expect("slot 0 chosen");
    let second = decided(&run, N1, 1).expect("slot 1 chosen");
    let mut both = [first.as_str(), second.as_str()];
    both.sort();
    assert_eq!(both, ["set i 10", "set i 20"]);
    assert_eq!(answers(&run, 0).len() + answers(&run, 1).len(), 2);
}

/// Seed 001, "inc 的并发冲突": every version of i is written once, so two concurrent inc both count.
#[test]
fn concurrent_incs_are_both_applied() {
    let run = run::<basic::Node>("no-lost-update");
    for n in 0..3 {
        assert_eq!(decided(&run, n, 0).as_deref(), Some("inc i 1"));
        assert_eq!(decided(&run, n, 1).as_deref(), Some("inc i 1"));
        assert_eq!(store(&run, n, 'i'), 2, "n{}", n + 1);
    }
    // Y (c2) won slot 0, X (c1) took slot 1.
    assert_eq!((answers(&run, 1), answers(&run, 0)), (vec![Some(1)], vec![Some(2)]));
}

/// Seed 003: "Multi-Paxos 在没有故障发生的时候, 将消息延迟从4次减少到了2次" — one phase 1, then two
/// message delays per command sent to the leader.
#[test]
fn multi_paxos_runs_phase_one_once() {
    let run = run::<multi::Replica>("multi-steady-state");
    let prepares = sends(&run, MsgKind::Prepare);
    assert!(!prepares.is_empty() && prepares.iter().all(|p| p.2 == ballot(1, N3)), "{prepares:?}");
    assert_eq!(run.summary().delays, [2, 2, 3], "sorted: forwarded once, then straight to the leader twice");
    for n in 0..5 {
        assert_eq!(store(&run, n, 'x'), 3, "n{}", n + 1);
    }
    assert_eq!(answers(&run, 0), [None, Some(3), Some(3)]);
}

/// Seed 000, Recovering Phase I: a follower's crash changes nothing for the leader, and the
/// follower catches up after its restart without deposing the leader.
#[test]
fn a_restarted_follower_catches_up() {
    let run = run::<multi::Replica>("follower-recovery");
    assert!(roles(&run).iter().all(|&(n, role, _)| role != Role::Leader || n == N3), "only n3 leads");
    for slot in 0..3 {
        assert_eq!(decided(&run, N1, slot), decided(&run, N3, slot), "slot {slot}");
    }
    assert_eq!(store(&run, N1, 'x'), 3);
    assert_eq!(answers(&run, 0), [None, Some(3), Some(3)]);
}

/// Seed 000, Recovering Phase II (Paxos Made Simple, P2c): the new leader re-proposes the value the
/// dead leader got chosen, and the client's retry is applied once.
#[test]
fn a_new_leader_keeps_the_value_the_old_one_got_chosen() {
    let run = run::<multi::Replica>("leader-recovery");
    assert!(roles(&run).contains(&(N2, Role::Leader, ballot(2, N2))));
    assert!(sends(&run, MsgKind::Accept).iter().any(|a| a.0 == Addr::node(N2) && a.2 == ballot(2, N2) && a.3 == 1));
    for n in [N1, N2, N3] {
        assert_eq!(decided(&run, n, 1).as_deref(), Some("inc x 2"), "n{}", n + 1);
        assert_eq!(store(&run, n, 'x'), 3, "n{}: inc x 2 applied once despite the retry", n + 1);
    }
    assert_eq!(answers(&run, 0), [None, Some(3)]);
}

/// Seed 000: "其它节点收到重新选主的消息时, 发送一个消息说leader还活着" — a node that missed heartbeats
/// cannot depose a live leader.
#[test]
fn a_late_heartbeat_does_not_depose_the_leader() {
    let run = run::<multi::Replica>("delayed-heartbeat");
    let roles = roles(&run);
    assert!(roles.contains(&(N1, Role::Candidate, ballot(2, N1))), "n1 does run: {roles:?}");
    assert!(roles.iter().all(|&(n, role, _)| role != Role::Leader || n == N3), "{roles:?}");
    let refusals = sends(&run, MsgKind::LeaderAlive);
    assert!(refusals.iter().any(|r| r.0 == Addr::node(N2)) && refusals.iter().any(|r| r.0 == Addr::node(N3)));
    assert_eq!(node(&run, N2).view().promised, ballot(1, N3), "n2 never promised n1's round");
    assert_eq!(decided(&run, N3, 0).as_deref(), Some("set x 1"));
}
