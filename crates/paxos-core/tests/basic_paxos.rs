//! Basic Paxos, one test per rule, each citing where the rule is stated.

mod common;

use common::{Cluster, Envelope};
use paxos_core::basic::{self, Message, Node};
use paxos_core::{Ballot, Command, Config, Input, MsgKind, NodeSet, Op, Protocol, Value};

/// Seed 001's cluster: proposers X (n1) and Y (n2), acceptors n3, n4, n5 (left, middle, right).
fn seed_cluster() -> Cluster<Node> {
    let mut config = Config::new(5);
    config.acceptors = NodeSet::from_bits(0b11100);
    config.proposers = NodeSet::from_bits(0b00011);
    Cluster::new(config)
}

fn value(client: u16, op: Op) -> Value {
    Value::batch([Command { client, seq: 1, op }])
}

fn is(kind: MsgKind) -> impl Fn(&common::Envelope<Message>) -> bool {
    move |e| paxos_core::Message::label(&e.msg).kind == kind
}

/// Paxos Made Simple §2.2, phase 1 and 2; seed 003's first diagram: one proposer, a majority of
/// acceptors, and a learner that learns from a majority of Accepted.
#[test]
fn one_proposer_gets_its_value_chosen_and_learned() {
    let mut c = seed_cluster();
    c.request(0, 0, 1, Op::Set(0, 7));
    c.deliver_all(1_000);
    let x = value(0, Op::Set(0, 7));
    for learner in 0..5 {
        assert_eq!(c.decided[learner], [(0, x.clone())], "n{}", learner + 1);
    }
    assert_eq!(c.replies.len(), 1);
}

/// Paxos Made Simple, P1a; seed 001 example 1: Y's higher round overrides X's promise, so the
/// acceptor that promised Y rejects X's phase 2.
#[test]
fn an_acceptor_rejects_phase_2_of_a_round_below_its_promise() {
    let mut c = seed_cluster();
    c.request(0, 0, 1, Op::Set(0, 1)); // X
    // X's phase 1 reaches the left two acceptors (n3, n4) only.
    c.deliver_where(|e| e.from == 0 && e.to == 2);
    c.deliver_where(|e| e.from == 0 && e.to == 3);
    c.drop_where(|e| e.from == 0 && e.to == 4);
    c.deliver_where(|e| e.to == 0);
    c.deliver_where(|e| e.to == 0);
    // Y runs with a higher round on the right two (n4, n5).
    c.request(1, 1, 1, Op::Set(0, 2));
    c.drop_where(|e| e.from == 1 && e.to == 2);
    c.deliver_where(|e| e.from == 1 && e.to == 3);
    c.deliver_where(|e| e.from == 1 && e.to == 4);
    // X's phase 2 succeeds on the leftmost; the middle one rejects it.
    c.deliver_where(|e| e.from == 0 && e.to == 2 && matches!(e.msg, Message::Accept(_)));
    let before = c.sent.len();
    c.deliver_where(|e| e.from == 0 && e.to == 3 && matches!(e.msg, Message::Accept(_)));
    assert_eq!(c.kinds_since(before), [MsgKind::Nack]);
    let middle = &c.disks[3].acceptor[&0];
    assert!(middle.v.is_none() && middle.last_rnd.node == 1, "the middle acceptor promised Y: {middle:?}");
}

/// Paxos Made Simple, P2c; seed 001 example 2: X retries with a higher round, sees (x, 1) and
/// (y, 2), and must propose y, the value with the highest vrnd.
#[test]
fn a_proposer_adopts_the_value_with_the_highest_vrnd() {
    let mut c = seed_cluster();
    let (x, y) = (value(0, Op::Set(0, 1)), value(1, Op::Set(0, 2)));
    // Leftmost acceptor accepted x at round 1.X, middle accepted y at round 2.Y.
    let accept = |slot, ballot, value: &Value| Message::Accept(basic::Accept { slot, ballot, value: value.clone() });
    c.step(2, Input::Message { from: 0, msg: accept(0, Ballot::new(1, 0), &x) });
    c.step(3, Input::Message { from: 1, msg: accept(0, Ballot::new(2, 1), &y) });
    c.network.clear();
    // X (round 3 now, after seeing round 2) runs phase 1 on the left two.
    c.step(
        0,
        Input::Message {
            from: 3,
            msg: Message::Nack(basic::Nack { slot: 0, ballot: Ballot::ZERO, promised: Ballot::new(2, 1) }),
        },
    );
    c.request(0, 0, 1, Op::Set(0, 1));
    c.drop_where(|e| e.to == 4);
    c.deliver_all(1_000);
    let proposed: Vec<&Value> = c
        .sent
        .iter()
        .filter_map(|e| match &e.msg {
            Message::Accept(basic::Accept { slot: 0, value, ballot, .. }) if ballot.node == 0 => Some(value),
            _ => None,
        })
        .collect();
    assert!(!proposed.is_empty() && proposed.iter().all(|v| **v == y), "{proposed:?}");
    assert_eq!(c.decided[0].first(), Some(&(0, y)));
    // X's own value, having lost slot 0, is chosen in slot 1.
    assert_eq!(c.decided[0].get(1), Some(&(1, x)));
}

/// Paxos Made Simple §2.3 ("an acceptor can ignore any prepare request it has already
/// responded to"; answering the same round again is harmless): the seed's open question "what if
/// rnd equals last_rnd?" — the same proposer is asking again, so it gets the same promise.
#[test]
fn an_acceptor_promises_again_for_the_same_round_and_refuses_a_lower_one() {
    let mut c = seed_cluster();
    let prepare = |round, node| Message::Prepare(basic::Prepare { slot: 0, ballot: Ballot::new(round, node) });
    c.step(2, Input::Message { from: 0, msg: prepare(2, 0) });
    c.step(2, Input::Message { from: 0, msg: prepare(2, 0) });
    c.step(2, Input::Message { from: 1, msg: prepare(1, 1) });
    let kinds: Vec<MsgKind> = c.kinds_since(0);
    assert_eq!(kinds, [MsgKind::Promise, MsgKind::Promise, MsgKind::Nack]);
}

/// Paxos Made Simple §2.2: a value is chosen when a majority of acceptors accepted it; a learner
/// must count distinct acceptors, so a duplicated message is one vote.
#[test]
fn a_learner_counts_distinct_acceptors() {
    let mut c = seed_cluster();
    let x = value(0, Op::Set(0, 1));
    let accepted = Message::Accepted(basic::Accepted { slot: 0, ballot: Ballot::new(1, 0), value: x.clone() });
    c.step(0, Input::Message { from: 2, msg: accepted.clone() });
    c.step(0, Input::Message { from: 2, msg: accepted.clone() });
    assert!(c.decided[0].is_empty(), "the same acceptor twice is one vote");
    c.step(0, Input::Message { from: 3, msg: accepted });
    assert_eq!(c.decided[0], [(0, x)]);
}

/// Seed 001, livelock: a rejected proposer backs off for a random time before its next round, so
/// two duelling proposers stop pre-empting each other.
#[test]
fn a_rejected_proposer_backs_off_then_retries_with_a_higher_round() {
    let mut c = seed_cluster();
    c.request(0, 0, 1, Op::Set(0, 1));
    c.network.clear();
    c.step(
        0,
        Input::Message {
            from: 2,
            msg: Message::Nack(basic::Nack { slot: 0, ballot: Ballot::new(1, 0), promised: Ballot::new(4, 1) }),
        },
    );
    assert!(c.network.is_empty(), "no immediate retry");
    let limit = c.config.timing.backoff_ticks_base;
    c.tick(0, limit as usize);
    let retried: Vec<Ballot> = c
        .network
        .iter()
        .filter(|e| is(MsgKind::Prepare)(e))
        .map(|e| paxos_core::Message::label(&e.msg).ballot)
        .collect();
    assert!(!retried.is_empty() && retried.iter().all(|b| *b > Ballot::new(4, 1)), "{retried:?}");
}

/// Seed 001 ("i's versions i₁, i₂, …: each version is written once"): a proposer whose command lost
/// its slot to another value proposes it again in the next slot.
#[test]
fn a_command_that_lost_its_slot_goes_into_the_next() {
    let mut c = seed_cluster();
    let y = value(1, Op::Inc(8, 1));
    c.request(1, 1, 1, Op::Inc(8, 1));
    c.deliver_all(1_000); // Y's inc is chosen in slot 0.
    c.request(0, 0, 1, Op::Inc(8, 1)); // X learned slot 0, so it proposes in slot 1.
    c.deliver_all(1_000);
    assert_eq!(c.decided[0][0], (0, y));
    assert_eq!(c.decided[0][1].0, 1);
    assert_eq!(c.node(0).view().store.get(8), 2, "no update is lost");
}

/// Seed 002 (a learner reads N/2+1 acceptors to learn a value): a learner that missed the votes of a
/// slot asks the acceptors for them and learns the slot.
#[test]
fn a_learner_with_a_hole_asks_the_acceptors_for_their_votes() {
    let mut c = seed_cluster();
    c.request(0, 0, 1, Op::Set(0, 1));
    c.drop_where(|_| false);
    // Slot 0 is chosen, but n2's copies of the votes are lost.
    let lost = |e: &Envelope<Message>| e.to == 1 && matches!(e.msg, Message::Accepted(_));
    c.deliver_all_where(1_000, |e| !lost(e));
    c.drop_where(lost);
    c.request(0, 0, 2, Op::Set(0, 2));
    c.deliver_all(1_000); // Slot 1: n2 learns it, and sees the hole at 0.
    assert_eq!(c.node(1).view().decided.prefix(), 0);
    c.tick(1, 1);
    c.deliver_all(1_000);
    assert!(c.kinds_since(0).contains(&MsgKind::Votes));
    assert_eq!(c.node(1).view().decided.prefix(), 2);
    assert_eq!(c.node(1).view().store.get(0), 2);
}
