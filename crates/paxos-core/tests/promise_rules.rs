//! Phase 1 and phase 2 rules of Paxos (Paxos Made Simple §2.2, P1a and P2c; seed 001), driven by
//! hand-made promises in every order, so that a proposer that happens to see the highest `vrnd`
//! last is not the only case tested (issue 15). Each test says which plausible mistake it catches.

mod common;

use common::Cluster;
use paxos_core::{Ballot, Command, Config, Input, Message as _, MsgKind, NodeId, Op, Value};
use paxos_core::{basic, multi};

fn value(client: u16, op: Op) -> Value {
    Value::batch([Command { client, seq: 1, op }])
}

/// Three values a proposer may hear of, with the ballots they were accepted at: x at 1.2, y at 2.3
/// (the highest), z at 1.4. Every order in which three promises can arrive, with nothing reported
/// by the third acceptor in half of them.
fn reports() -> [(Ballot, Value); 3] {
    [
        (Ballot::new(1, 1), value(1, Op::Set(0, 1))),
        (Ballot::new(2, 2), value(2, Op::Set(0, 2))),
        (Ballot::new(1, 3), value(3, Op::Set(0, 3))),
    ]
}

const ORDERS: [[usize; 3]; 6] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

/// The values `from` sent in phase 2 (Accept) for slot 0.
fn proposed<M: paxos_core::Message>(sent: &[common::Envelope<M>], from: NodeId) -> Vec<&M> {
    sent.iter().filter(|e| e.from == from && e.msg.label().kind == MsgKind::Accept).map(|e| &e.msg).collect()
}

/// Reference: Paxos Made Simple §2.2, P2c; seed 001 ("X must propose the value with the highest
/// vrnd"). A Basic Paxos proposer with promises from a majority proposes the value of the highest
/// `vrnd` among them, whichever promise brought it and in whatever order they came.
///
/// Kills: keeping the first or the last value reported instead of the highest-vrnd one, and
/// keeping the lowest.
#[test]
fn a_basic_paxos_proposer_adopts_the_highest_vrnd_in_any_order() {
    for order in ORDERS {
        // n1 proposes and promises itself; n2, n3, n4 promise: 4 of 7, met by the last one only.
        let mut c: Cluster<basic::Node> = Cluster::new(Config::new(7));
        c.request(0, 0, 1, Op::Set(0, 9));
        let ballot = c.network[0].msg.label().ballot;
        c.network.clear();
        let all = reports();
        for &i in &order {
            let accepted = Some(all[i].clone());
            let msg = basic::Message::Promise(basic::Promise { slot: 0, ballot, accepted });
            c.step(0, Input::Message { from: i as NodeId + 1, msg });
        }
        let accepts = proposed(&c.sent, 0);
        assert!(!accepts.is_empty(), "order {order:?}: no phase 2");
        for msg in accepts {
            let basic::Message::Accept(a) = msg else { unreachable!() };
            assert_eq!(a.value, all[1].1, "order {order:?}: the value of vrnd 2.3");
        }
    }
}

/// Reference: Paxos Made Simple §2.2 P2c and §3 (a new leader runs phase 1 for every slot); seed
/// 003. A Multi-Paxos candidate proposes, in each slot, the value of the highest `vrnd` that the
/// promises of its majority report, in whatever order they came.
///
/// Kills: keeping the first or the last value reported for a slot, or the lowest.
#[test]
fn a_multi_paxos_candidate_adopts_the_highest_vrnd_in_any_order() {
    for order in ORDERS {
        // n2, n3, n4 promise; then n1 promises itself: 4 of 7, met only once all three came.
        let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(7));
        c.step(0, Input::Timeout);
        let ballot = c.network[0].msg.label().ballot;
        c.network.clear();
        let all = reports();
        for &i in &order {
            let (vrnd, v) = all[i].clone();
            let reports = vec![multi::Report::Accepted { slot: 0, ballot: vrnd, value: v }];
            let msg = multi::Message::Promise(multi::Promise { ballot, first_open: 0, reports, snapshot: None });
            c.step(0, Input::Message { from: i as NodeId + 1, msg });
        }
        let accepts = proposed(&c.sent, 0);
        assert!(!accepts.is_empty(), "order {order:?}: no phase 2 (4 of 7 promised)");
        for msg in accepts {
            let multi::Message::Accept(a) = msg else { unreachable!() };
            assert_eq!(a.value, all[1].1, "order {order:?}: the value of vrnd 2.3");
        }
    }
}

/// Reference: Paxos Made Simple §2.2, P1a ("an acceptor can accept a proposal numbered n iff it has
/// not responded to a prepare request having a number greater than n"). A Multi-Paxos acceptor that
/// promised 2.2 refuses an Accept of 1.1: it answers with a Nack naming its promise, and neither
/// stores nor announces the value.
///
/// Kills: an acceptor that accepts below its promise (or compares with `<=` the wrong way).
#[test]
fn a_multi_paxos_acceptor_refuses_an_accept_below_its_promise() {
    let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(3));
    let (low, high) = (Ballot::new(1, 0), Ballot::new(2, 1));
    c.step(2, Input::Message { from: 1, msg: multi::Message::Prepare(multi::Prepare { ballot: high, first_open: 0 }) });
    assert_eq!(c.disks[2].promised, high);
    let since = c.sent.len();
    let x = value(0, Op::Set(0, 1));
    let msg = multi::Message::Accept(multi::Accept { ballot: low, slot: 0, value: x, commit: 0 });
    c.step(2, Input::Message { from: 0, msg });
    assert_eq!(c.kinds_since(since), [MsgKind::Nack]);
    assert_eq!(c.sent[since].msg, multi::Message::Nack(multi::Nack { ballot: low, promised: high }));
    assert_eq!(c.disks[2].accepted.get(0), None, "nothing accepted on disk");
    assert_eq!(c.disks[2].promised, high, "the promise stands");
    // An Accept at the promised ballot itself is accepted.
    let y = value(1, Op::Set(0, 2));
    let msg = multi::Message::Accept(multi::Accept { ballot: high, slot: 0, value: y.clone(), commit: 0 });
    c.step(2, Input::Message { from: 1, msg });
    assert_eq!(c.disks[2].accepted.get(0), Some(&(high, y)));
}

/// Reference: Paxos Made Simple §2.3 ("an acceptor must remember this information even if it fails
/// and then restarts"). A Basic Paxos acceptor that promised 2.2 and restarted still refuses an
/// Accept of 1.1.
///
/// Kills: an acceptor's promise kept in memory only, or not read back on recovery.
#[test]
fn a_restarted_basic_paxos_acceptor_keeps_its_promise() {
    let mut c: Cluster<basic::Node> = Cluster::new(Config::new(3));
    let (low, high) = (Ballot::new(1, 0), Ballot::new(2, 1));
    c.step(2, Input::Message { from: 1, msg: basic::Message::Prepare(basic::Prepare { slot: 0, ballot: high }) });
    c.crash(2);
    c.restart(2);
    let since = c.sent.len();
    let x = value(0, Op::Set(0, 1));
    c.step(
        2,
        Input::Message { from: 0, msg: basic::Message::Accept(basic::Accept { slot: 0, ballot: low, value: x }) },
    );
    assert_eq!(c.kinds_since(since), [MsgKind::Nack], "the promise of 2.2 survived the restart");
    assert!(c.disks[2].acceptor[&0].v.is_none());
}
