//! The Fast Paxos scenarios show what seed 001 says they show: how the fast-round votes split, which
//! value the classic recovery picks, and which command ends in which slot. (`scenarios.rs` checks
//! every story generically; this file checks the outcomes the captions claim.)

use paxos_core::{Ballot, MsgKind, NodeId, Protocol, Slot, Value, fast};
use paxos_play::scenario::Scenario;
use paxos_sim::trace::Addr;
use paxos_sim::{EventKind, Run, World};

/// The scenario called `name`, run to its end, with no violation and every caption tied to an
/// event, in order.
fn run(name: &str) -> Run<fast::Node> {
    let scenario = Scenario::named(name).unwrap();
    let mut run = Run::<fast::Node>::new(&scenario.config).unwrap();
    run.run_to_end();
    assert_eq!(run.checker().violations(), &[], "{name}");
    let moments = scenario.resolve(run.trace()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(moments.len(), scenario.captions.len());
    run
}

/// A value's commands in words.
fn words(value: &Value) -> String {
    value.commands().iter().map(|c| c.op.to_string()).collect::<Vec<_>>().join("; ")
}

/// The commands node `n` learned for `slot`, in words (`None` if it has not learned the slot).
fn decided(world: &World<fast::Node>, n: NodeId, slot: Slot) -> Option<String> {
    world.node(n).expect("the node is up").view().decided.get(slot).map(words)
}

/// Every send of `kind` in the trace, as (event, from, to, ballot, slot).
fn sends(run: &Run<fast::Node>, kind: MsgKind) -> Vec<(u64, Addr, Addr, Ballot, Slot)> {
    run.trace()
        .events()
        .iter()
        .enumerate()
        .filter_map(|(id, e)| match e.kind {
            EventKind::Send { from, to, kind: k, ballot, slot, .. } if k == kind => {
                Some((id as u64, from, to, ballot, slot))
            }
            _ => None,
        })
        .collect()
}

/// The senders of the promises `node` received before trace event `before`, in order of arrival.
fn promises_heard(run: &Run<fast::Node>, node: NodeId, before: u64) -> Vec<Addr> {
    let promises = sends(run, MsgKind::Promise);
    run.trace().events()[..before as usize]
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Deliver { msg } => {
                let send = |id: u64| match run.trace().events()[id as usize].kind {
                    EventKind::Send { msg: m, .. } => m == msg,
                    _ => false,
                };
                promises.iter().find(|p| p.2 == Addr::node(node) && send(p.0)).map(|p| p.1)
            }
            _ => None,
        })
        .collect()
}

/// In `world`, the acceptors holding a fast-round vote in `slot` for the value `op` (in words).
fn fast_voters(world: &World<fast::Node>, slot: Slot, op: &str) -> Vec<NodeId> {
    (0..5)
        .filter(|&n| {
            let state = world.node(n).expect("the node is up").acceptor(slot);
            state.is_some_and(|a| fast::is_fast(a.vrnd) && a.v.as_ref().is_some_and(|v| words(v) == op))
        })
        .collect()
}

const N1: NodeId = 0;
const N2: NodeId = 1;
const N3: NodeId = 2;
const N4: NodeId = 3;
const N5: NodeId = 4;

/// Seed 001, "fast-round中X成功, Y失败": x reaches a fast quorum (4 of 5) in round 0 and is chosen;
/// Y's classic recovery must find it — any 3 acceptors hold at least q − (n − f) = 2 votes for x —
/// and propose x (Fast Paxos §3.2). Y's own command goes to slot 1.
#[test]
fn a_value_chosen_in_the_fast_round_survives_the_recovery() {
    let run = run("fast-one-wins");
    let prepares = sends(&run, MsgKind::Prepare);
    let &(first_prepare, from, _, ballot, slot) = prepares.first().expect("Y runs a classic round");
    assert_eq!((from, slot), (Addr::node(N2), 0), "Y recovers slot 0");
    assert!(!fast::is_fast(ballot), "the recovery is a classic round (rnd > 0): {ballot}");
    assert!(prepares.iter().all(|p| p.1 == Addr::node(N2)), "only Y recovers: {prepares:?}");

    // When Y starts its recovery, the fast round is over: x has a fast quorum, y one vote.
    let before = run.world_at(first_prepare);
    assert_eq!(fast_voters(&before, 0, "set a 1"), [N1, N3, N4, N5]);
    assert_eq!(fast_voters(&before, 0, "set a 2"), [N2]);
    assert_eq!(decided(&before, N1, 0).as_deref(), Some("set a 1"), "X learned x from the fast quorum");
    assert_eq!(decided(&before, N2, 0), None, "Y could not tell");

    // Y's quorum: itself (y) and the first two promises it received, from n1 and n3 (x each).
    let first_accept = sends(&run, MsgKind::Accept).first().expect("Y runs phase 2").0;
    assert_eq!(promises_heard(&run, N2, first_accept), [Addr::node(N1), Addr::node(N3)]);

    // Y proposed x: its own acceptor, which voted y in the fast round, now holds x at Y's round.
    let end = run.world();
    let y_acceptor = end.node(N2).unwrap().acceptor(0).unwrap();
    assert_eq!((y_acceptor.vrnd, y_acceptor.v.as_ref().map(words).as_deref()), (ballot, Some("set a 1")));
    for n in 0..5 {
        assert_eq!(decided(end, n, 0).as_deref(), Some("set a 1"), "n{}", n + 1);
        assert_eq!(decided(end, n, 1).as_deref(), Some("set a 2"), "n{}", n + 1);
        assert_eq!(end.node(n).unwrap().view().store.get(0), 2, "n{}: a = 2", n + 1);
    }
}

/// Seed 001, "X和Y都没有达到fast-quorum的冲突": 2 and 3 votes of 5, no fast quorum, nothing chosen;
/// the classic round picks one of them (here x: among X's three promises x has the 2 votes that
/// Fast Paxos §3.2 keeps), and the other command is applied in slot 1.
#[test]
fn a_collision_is_resolved_by_one_classic_round() {
    let run = run("fast-collision");
    let prepares: Vec<_> = sends(&run, MsgKind::Prepare).into_iter().filter(|p| p.4 == 0).collect();
    let &(first_prepare, _, _, ballot, _) = prepares.first().expect("a classic round recovers slot 0");
    assert_eq!(ballot, Ballot { round: 1, node: N1 });
    assert!(prepares.iter().all(|p| p.3 == ballot), "one classic round, X's: {prepares:?}");

    // The collision: neither value has a fast quorum, and nobody learned anything.
    let before = run.world_at(first_prepare);
    assert_eq!(fast_voters(&before, 0, "set a 1"), [N1, N3]);
    assert_eq!(fast_voters(&before, 0, "set a 2"), [N2, N4, N5]);
    assert!((0..5).all(|n| decided(&before, n, 0).is_none()), "nothing chosen in the fast round");

    let accepts = sends(&run, MsgKind::Accept);
    assert!(accepts.iter().filter(|a| a.4 == 0).all(|a| a.1 == Addr::node(N1) && a.3 == ballot));
    // X's quorum: itself and n3 (x each), then n2 (y): x has the 2 votes the rule keeps.
    assert_eq!(promises_heard(&run, N1, accepts[0].0), [Addr::node(N3), Addr::node(N2)]);
    let end = run.world();
    for n in 0..5 {
        assert_eq!(decided(end, n, 0).as_deref(), Some("set a 1"), "n{}", n + 1);
        assert_eq!(decided(end, n, 1).as_deref(), Some("set a 2"), "n{}", n + 1);
        assert_eq!(end.node(n).unwrap().view().store.get(0), 2, "n{}: a = 2", n + 1);
    }
    // Both clients were answered, once each.
    let returns = run.trace().events().iter().filter(|e| matches!(e.kind, EventKind::Return { .. })).count();
    assert_eq!(returns, 2);
}
