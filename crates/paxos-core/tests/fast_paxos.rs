//! Fast Paxos, one test per rule, each citing where the rule is stated (Lamport, "Fast Paxos",
//! 2006; seed 001's fast-paxos section).

mod common;

use common::{Cluster, Envelope};
use paxos_core::fast::{self, FAST, Message, Node};
use paxos_core::{Ballot, Command, Config, Input, MsgKind, NodeId, Op, Value};

/// Five nodes, each proposer, acceptor and learner: the smallest cluster whose fast rounds survive
/// one failed acceptor.
fn cluster() -> Cluster<Node> {
    Cluster::new(Config::new(5))
}

fn value(client: u16, op: Op) -> Value {
    Value::batch([Command { client, seq: 1, op }])
}

fn x() -> Value {
    value(0, Op::Set(0, 1))
}

fn y() -> Value {
    value(1, Op::Set(0, 2))
}

fn is(kind: MsgKind) -> impl Fn(&Envelope<Message>) -> bool {
    move |e| paxos_core::Message::label(&e.msg).kind == kind
}

fn accepted(slot: paxos_core::Slot, ballot: Ballot, value: &Value) -> Message {
    Message::Accepted { slot, ballot, value: value.clone() }
}

/// Ticks every node, then delivers everything, until every node learned `slots` slots.
fn settle(c: &mut Cluster<Node>, slots: usize) {
    for _ in 0..200 {
        c.deliver_all(10_000);
        if c.decided.iter().all(|d| d.len() >= slots) {
            return;
        }
        for n in 0..5 {
            c.tick(n, 1);
        }
    }
    panic!("not every node learned {slots} slots: {:?}", c.decided);
}

/// Fast Paxos §3.3 (and the seed: "fast paxos needs at least 5 acceptors to tolerate 1 unavailable
/// acceptor"): with q = ⌊n/2⌋ + 1 and f = ⌈3n/4⌉, q + 2f > 2n — any classic quorum meets any two
/// fast quorums — and a fast round survives n − f failures: none below 5 acceptors but 4.
#[test]
fn quorums_satisfy_q_plus_2f_above_2n() {
    for n in 1..=16usize {
        let (q, f) = (n / 2 + 1, fast::fast_quorum_of(n));
        assert!(q + 2 * f > 2 * n, "n = {n}: q = {q}, f = {f}");
        assert!(f <= n && f >= q, "n = {n}");
        assert_eq!(Config::new(n as u8).fast_quorum(), f);
    }
    assert_eq!(fast::fast_quorum_of(5), 4);
    assert_eq!([3, 5, 7].map(fast::fast_rounds_tolerate), [0, 1, 1]);
    assert!(fast::too_small_explanation(3).is_some_and(|s| s.contains("5 acceptors")));
    assert_eq!(fast::too_small_explanation(5), None);
}

/// Fast Paxos §1 and §3.1: a proposer skips phase 1 — round 0 needs no promise — and its value is
/// chosen after one round trip (FastAccept, Accepted), with no Prepare at all.
#[test]
fn a_lone_proposer_skips_phase_1() {
    let mut c = cluster();
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_all(1_000);
    let kinds = c.kinds_since(0);
    assert!(kinds.iter().all(|k| matches!(k, MsgKind::FastAccept | MsgKind::Accepted)), "{kinds:?}");
    for n in 0..5 {
        assert_eq!(c.decided[n], [(0, x())], "n{}", n + 1);
    }
    assert_eq!(c.replies.len(), 1);
}

/// Fast Paxos §3.1; seed 001: an acceptor votes in the fast round only while it holds no value in
/// the slot and promised no classic round; a later proposal gets its vote restated, not a new vote.
#[test]
fn an_acceptor_votes_once_in_the_fast_round() {
    let mut c = cluster();
    let fast_accept = |value: Value| Message::FastAccept { slot: 0, value };
    c.step(2, Input::Message { from: 0, msg: fast_accept(x()) });
    let before = c.sent.len();
    c.step(2, Input::Message { from: 1, msg: fast_accept(y()) });
    assert_eq!(c.kinds_since(before), [MsgKind::Votes]);
    assert_eq!(c.sent.last().unwrap().msg, Message::Votes { votes: vec![(0, FAST, x())] });
    let n3 = &c.disks[2].acceptor[&0];
    assert_eq!((n3.vrnd, n3.v.clone()), (FAST, Some(x())), "on disk: the first value, in round 0");

    // An acceptor that promised round 1 no longer votes in round 0 (it is below the promise).
    c.step(3, Input::Message { from: 1, msg: Message::Prepare { slot: 0, ballot: Ballot::new(1, 1) } });
    let before = c.sent.len();
    c.step(3, Input::Message { from: 0, msg: fast_accept(x()) });
    assert_eq!(c.kinds_since(before), [MsgKind::Nack]);
    assert!(c.disks[3].acceptor[&0].v.is_none());
}

/// Fast Paxos §3.3: a value is chosen in the fast round only by a fast quorum (4 of 5) of distinct
/// acceptors; a classic majority of fast votes is not enough. In a classic round a majority is.
#[test]
fn a_learner_needs_a_fast_quorum_in_the_fast_round() {
    let mut c = cluster();
    for from in [0, 1, 2, 2] {
        c.step(4, Input::Message { from, msg: accepted(0, FAST, &x()) });
    }
    assert!(c.decided[4].is_empty(), "3 distinct fast votes (one duplicated) are not a fast quorum");
    c.step(4, Input::Message { from: 3, msg: accepted(0, FAST, &x()) });
    assert_eq!(c.decided[4], [(0, x())]);

    let classic = Ballot::new(1, 0);
    for from in [0, 1, 2] {
        c.step(4, Input::Message { from, msg: accepted(1, classic, &y()) });
    }
    assert_eq!(c.decided[4].get(1), Some(&(1, y())), "a classic round is decided by a majority");
}

/// Fast Paxos §3.2, the coordinator's rule: with the highest vrnd a classic round, its value; with
/// the fast round, the value with at least q − (n − f) votes among the promises (it may have been
/// chosen); otherwise the coordinator is free.
#[test]
fn the_recovery_rule_keeps_what_may_have_been_chosen() {
    let (x, y) = (x(), y());
    let reports = [(FAST, x.clone()), (FAST, x.clone()), (FAST, y.clone())];
    assert_eq!(fast::pick_value(&reports, 3, 5, 4), Some(&x), "2 = 3 − (5 − 4) votes: x may be chosen");
    let reports = [(FAST, x.clone()), (FAST, y.clone())];
    assert_eq!(fast::pick_value(&reports, 3, 5, 4), None, "1 vote each of 3 promises: neither was chosen");
    let reports = [(FAST, x.clone()), (FAST, x.clone()), (Ballot::new(1, 2), y.clone())];
    assert_eq!(fast::pick_value(&reports, 3, 5, 4), Some(&y), "a classic vote above round 0 wins");
    assert_eq!(fast::pick_value(&[], 3, 5, 4), None);
    // Among all 5 acceptors a fast quorum would have left 5 − (5 − 4) = 4 votes: 3 are not enough.
    let reports = [(FAST, x.clone()), (FAST, x.clone()), (FAST, x.clone()), (FAST, y.clone()), (FAST, y)];
    assert_eq!(fast::pick_value(&reports, 5, 5, 4), None);
}

/// Fast Paxos §3.2; seed 001's "X succeeded, Y failed": x won the fast round with 4 votes; Y, which
/// heard of none of them, recovers with a classic round over n1, n2, n3 and must propose x.
#[test]
fn a_recovery_after_x_won_the_fast_round_proposes_x() {
    let mut c = cluster();
    c.request(0, 0, 1, Op::Set(0, 1)); // X = n1, votes x itself
    c.request(1, 1, 1, Op::Set(0, 2)); // Y = n2, votes y itself
    for to in 2..5 {
        c.deliver_where(|e| e.from == 0 && e.to == to && matches!(e.msg, Message::FastAccept { .. }));
    }
    // Y's proposal and every vote sent to Y are lost: Y's fast round stays undecided.
    c.drop_where(|e| e.to == 1 || e.from == 1);
    while c.deliver_where(|e| e.to != 1) {}
    c.drop_where(|e| e.to == 1);
    assert!(c.decided[0].contains(&(0, x())), "X learned x from the fast quorum");
    assert!(c.decided[1].is_empty());

    // Y's fast round times out; its phase 1 reaches n1 and n3 only (with itself: a classic quorum).
    let before = c.sent.len();
    c.tick(1, c.config.timing.resend_ticks as usize);
    assert!(c.kinds_since(before).contains(&MsgKind::Prepare));
    c.drop_where(|e| e.from == 1 && (e.to == 3 || e.to == 4));
    c.deliver_where(|e| e.from == 1 && e.to == 0);
    c.deliver_where(|e| e.from == 1 && e.to == 2);
    c.deliver_where(|e| e.to == 1 && matches!(e.msg, Message::Promise { .. }));
    let before = c.sent.len();
    c.deliver_where(|e| e.to == 1 && matches!(e.msg, Message::Promise { .. }));
    let proposed: Vec<&Value> = c.sent[before..]
        .iter()
        .filter_map(|e| match &e.msg {
            Message::Accept { slot: 0, value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert!(!proposed.is_empty() && proposed.iter().all(|v| **v == x()), "{proposed:?}");

    settle(&mut c, 2);
    for n in 0..5 {
        assert_eq!(c.decided[n].iter().find(|d| d.0 == 0), Some(&(0, x())), "n{}", n + 1);
        assert_eq!(c.decided[n].iter().find(|d| d.0 == 1), Some(&(1, y())), "n{}", n + 1);
    }
}

/// Fast Paxos §3.2; seed 001's "neither reached a fast quorum" and "if there is a conflict, fall back
/// to classic Paxos with a rnd > 0": split votes are a collision; a classic round settles slot 0 and
/// the other command follows in slot 1.
#[test]
fn a_split_vote_falls_back_to_a_classic_round() {
    let mut c = cluster();
    c.request(0, 0, 1, Op::Set(0, 1)); // n1 votes x
    c.request(1, 1, 1, Op::Set(0, 2)); // n2 votes y
    c.deliver_where(|e| e.from == 0 && e.to == 2 && matches!(e.msg, Message::FastAccept { .. }));
    c.deliver_where(|e| e.from == 1 && e.to == 3 && matches!(e.msg, Message::FastAccept { .. }));
    c.deliver_where(|e| e.from == 1 && e.to == 4 && matches!(e.msg, Message::FastAccept { .. }));
    c.deliver_all(1_000);
    assert!(c.decided.iter().all(Vec::is_empty), "2 + 3 votes: nothing chosen in the fast round");
    assert!(c.network.is_empty() && !c.sent.iter().any(is(MsgKind::Prepare)));

    settle(&mut c, 2);
    assert!(
        c.sent.iter().any(|e| matches!(e.msg, Message::Prepare { slot: 0, ballot } if ballot.round >= 1)),
        "a classic round recovered slot 0"
    );
    let mut both: Vec<Value> = c.decided[0].iter().map(|d| d.1.clone()).collect();
    both.sort();
    assert_eq!(both, [x(), y()]);
    for n in 1..5 {
        assert_eq!(c.decided[n].len(), 2, "n{}", n + 1);
        assert!(c.decided[n].iter().all(|d| c.decided[0].contains(d)), "n{} agrees with n1", n + 1);
    }
    assert_eq!(c.replies.len(), 2);
}

/// Fast Paxos §2.2 (an acceptor's state is stable storage): a restarted acceptor remembers its fast
/// vote — it will not vote again in round 0, and reports the vote to a classic round's phase 1.
#[test]
fn a_restarted_acceptor_remembers_its_fast_vote() {
    let mut c = cluster();
    c.step(2, Input::Message { from: 0, msg: Message::FastAccept { slot: 0, value: x() } });
    c.crash(2);
    c.restart(2);
    let before = c.sent.len();
    c.step(2, Input::Message { from: 1, msg: Message::FastAccept { slot: 0, value: y() } });
    c.step(2, Input::Message { from: 1, msg: Message::Prepare { slot: 0, ballot: Ballot::new(1, 1) } });
    let answers: Vec<&Message> = c.sent[before..].iter().map(|e| &e.msg).collect();
    assert_eq!(
        answers,
        [
            &Message::Votes { votes: vec![(0, FAST, x())] },
            &Message::Promise { slot: 0, ballot: Ballot::new(1, 1), accepted: Some((FAST, x())) },
        ]
    );
}

/// Paxos Made Simple §3 (a learner that missed votes asks for them): a learner with a hole in its log
/// asks the acceptors for their votes and fills it.
#[test]
fn a_learner_with_a_hole_catches_up() {
    let mut c = cluster();
    c.request(0, 0, 1, Op::Set(0, 1));
    let lagging: NodeId = 4;
    c.drop_where(|e| e.to == lagging);
    c.deliver_all(1_000);
    assert!(c.decided[lagging as usize].is_empty(), "3 votes of 4 needed reached n5");
    // Slot 1 reaches everybody, so n5 now has a hole at slot 0.
    c.request(1, 1, 1, Op::Set(0, 2));
    c.deliver_all(1_000);
    assert!(!c.decided[lagging as usize].iter().any(|d| d.0 == 0));
    let before = c.sent.len();
    c.tick(lagging, 1);
    assert!(c.kinds_since(before).contains(&MsgKind::Catchup));
    c.deliver_all(1_000);
    assert!(c.decided[lagging as usize].contains(&(0, x())), "{:?}", c.decided[lagging as usize]);
}

/// Paxos Made Simple §3 (learning a chosen value): a learner that was down while the last slot was
/// chosen has no hole to notice; on restart it asks the acceptors for their votes and learns it.
#[test]
fn a_restarted_learner_learns_what_was_chosen_while_it_was_down() {
    let mut c = cluster();
    c.crash(4);
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_all(1_000);
    assert!((0..4).all(|n| c.decided[n] == [(0, x())]));
    let before = c.sent.len();
    c.restart(4);
    assert_eq!(c.kinds_since(before), [MsgKind::Catchup; 4]);
    c.deliver_all(1_000);
    assert_eq!(c.decided[4], [(0, x())]);
}

/// Fast Paxos §2.1 (proposers, acceptors and learners are roles, not machines): with proposers
/// n1, n2 apart from acceptors n3–n7, a collision is still recovered and every learner learns both.
#[test]
fn split_roles_recover_a_collision() {
    let mut config = Config::new(7);
    config.acceptors = paxos_core::NodeSet::from_bits(0b111_1100);
    config.proposers = paxos_core::NodeSet::from_bits(0b000_0011);
    let mut c: Cluster<Node> = Cluster::new(config);
    c.request(0, 0, 1, Op::Set(0, 1));
    c.request(1, 1, 1, Op::Set(0, 2));
    // x reaches n3, n4; y reaches n5, n6, n7: 2 + 3 votes, no fast quorum (4 of 5).
    for (from, to) in [(0, 2), (0, 3), (1, 4), (1, 5), (1, 6)] {
        c.deliver_where(|e| e.from == from && e.to == to && matches!(e.msg, Message::FastAccept { .. }));
    }
    for _ in 0..200 {
        c.deliver_all(10_000);
        if c.decided.iter().all(|d| d.len() >= 2) {
            break;
        }
        for n in 0..7 {
            c.tick(n, 1);
        }
    }
    let mut both: Vec<Value> = c.decided[0].iter().map(|d| d.1.clone()).collect();
    both.sort();
    assert_eq!(both, [x(), y()]);
    assert!((1..7).all(|n| c.decided[n].len() == 2 && c.decided[n].iter().all(|d| c.decided[0].contains(d))));
    assert_eq!(c.replies.len(), 2);
}
