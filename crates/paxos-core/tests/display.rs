//! What the playground shows of a message in flight: its `Display`, the payload in words (the kind,
//! sender and receiver are shown beside it). One representative message of every variant of every
//! protocol, with the text a person reads: ballots, slots, terms, values, commit points and flags.

use std::rc::Rc;

use paxos_core::machine::Checkpoint;
use paxos_core::majority::OpId;
use paxos_core::multi::Report;
use paxos_core::raft::Entry;
use paxos_core::{Ballot, Command, NodeSet, Op, Outcome, Store, Value};
use paxos_core::{basic, fast, majority, multi, primary_backup, raft};

/// `[c1#4 inc a 1]`
fn inc() -> Value {
    Value::batch([Command { client: 0, seq: 4, op: Op::Inc(0, 1) }])
}

/// `[c2#1 set b 5, c3#2 get a]`
fn two() -> Value {
    Value::batch([Command { client: 1, seq: 1, op: Op::Set(1, 5) }, Command { client: 2, seq: 2, op: Op::Get(0) }])
}

/// A checkpoint of slots 0..40 whose store holds keys a, b and c.
fn checkpoint() -> Checkpoint {
    let mut store = Store::new();
    for key in 0..3 {
        store.apply(&Command { client: 0, seq: u32::from(key) + 1, op: Op::Set(key, 1) });
    }
    Checkpoint { applied: 40, store: Rc::new(store) }
}

/// Asserts each message's text, naming the one that differs.
fn check<M: std::fmt::Display>(cases: &[(M, &str)]) {
    for (message, expected) in cases {
        assert_eq!(message.to_string(), *expected);
    }
}

#[test]
fn the_shared_vocabulary_reads_as_people_write_it() {
    assert_eq!(Value::Noop.to_string(), "noop");
    assert_eq!(two().to_string(), "[c2#1 set b 5, c3#2 get a]");
    assert_eq!(format!("{:?}", two()), "[c2#1 set b 5, c3#2 get a]", "Debug is Display");
    assert_eq!(NodeSet::from_bits(0b1011).to_string(), "{n1, n2, n4}");
    assert_eq!(NodeSet::EMPTY.to_string(), "{}");
    assert_eq!(format!("{:?}", NodeSet::single(2)), "{n3}");
    assert_eq!(Outcome::Value(-3).to_string(), "value -3");
    assert_eq!(Outcome::Done.to_string(), "done");
    assert_eq!(Outcome::NotLeader { hint: Some(1) }.to_string(), "not leader (try n2)");
    assert_eq!(Outcome::NotLeader { hint: None }.to_string(), "not leader");
    assert_eq!(checkpoint().to_string(), "snapshot of 40 slots, 3 keys");
}

#[test]
fn basic_paxos_messages() {
    use basic::Message as M;
    let b = Ballot::new(2, 0);
    check(&[
        (M::Prepare(basic::Prepare { slot: 3, ballot: b }), "ballot 2.1, slot 3"),
        (
            M::Promise(basic::Promise { slot: 3, ballot: b, accepted: Some((Ballot::new(1, 1), inc())) }),
            "ballot 2.1, slot 3, accepted at 1.2 [c1#4 inc a 1]",
        ),
        (M::Promise(basic::Promise { slot: 3, ballot: b, accepted: None }), "ballot 2.1, slot 3, nothing accepted"),
        (M::Accept(basic::Accept { slot: 3, ballot: b, value: inc() }), "ballot 2.1, slot 3, value [c1#4 inc a 1]"),
        (M::Accepted(basic::Accepted { slot: 3, ballot: b, value: Value::Noop }), "ballot 2.1, slot 3, value noop"),
        (
            M::Nack(basic::Nack { slot: 3, ballot: b, promised: Ballot::new(3, 1) }),
            "ballot 2.1, slot 3, refused: promised 3.2",
        ),
        (M::Catchup(basic::Catchup { from: 7 }), "from slot 7"),
        (
            M::Votes(basic::Votes { votes: vec![(3, b, inc()), (4, Ballot::new(1, 2), Value::Noop)] }),
            "slot 3 at 2.1 [c1#4 inc a 1]; slot 4 at 1.3 noop",
        ),
        (M::Votes(basic::Votes { votes: vec![] }), "none"),
    ]);
}

#[test]
fn multi_paxos_messages() {
    use multi::Message as M;
    let b = Ballot::new(2, 0);
    let reports = vec![
        Report::Accepted { slot: 3, ballot: Ballot::new(1, 0), value: inc() },
        Report::Decided { slot: 4, value: Value::Noop },
    ];
    check(&[
        (M::Prepare(multi::Prepare { ballot: b, first_open: 3 }), "ballot 2.1, from slot 3"),
        (
            M::Promise(multi::Promise { ballot: b, first_open: 3, reports, snapshot: None }),
            "ballot 2.1, from slot 3, reports: 3 accepted at 1.1 [c1#4 inc a 1]; 4 decided noop",
        ),
        (
            M::Promise(multi::Promise { ballot: b, first_open: 3, reports: vec![], snapshot: Some(checkpoint()) }),
            "ballot 2.1, from slot 3, reports: none, snapshot of 40 slots, 3 keys",
        ),
        (
            M::Accept(multi::Accept { ballot: b, slot: 3, value: inc(), commit: 2 }),
            "ballot 2.1, slot 3, value [c1#4 inc a 1], commit 2",
        ),
        (
            M::Accepted(multi::Accepted { ballot: b, slot: 3, value: two() }),
            "ballot 2.1, slot 3, value [c2#1 set b 5, c3#2 get a]",
        ),
        (M::Nack(multi::Nack { ballot: b, promised: Ballot::new(3, 2) }), "ballot 2.1, refused: promised 3.3"),
        (M::LeaderAlive(multi::LeaderAlive { ballot: b, leader: 4 }), "ballot 2.1, refused: n5 leads"),
        (M::Heartbeat(multi::Heartbeat { ballot: b, commit: 9 }), "ballot 2.1, commit 9"),
        (
            M::HeartbeatOk(multi::HeartbeatOk { ballot: b, prefix: 6, commit: 9 }),
            "ballot 2.1, decided prefix 6, commit 9",
        ),
        (
            M::Catchup(multi::Catchup {
                ballot: b,
                first: 6,
                values: vec![inc(), Value::Noop, two(), inc(), inc()],
                commit: 11,
            }),
            "ballot 2.1, from slot 6, values: [c1#4 inc a 1]; noop; [c2#1 set b 5, c3#2 get a]; … +2 more, commit 11",
        ),
        (
            M::Snapshot(multi::Snapshot { ballot: b, checkpoint: checkpoint(), commit: 42 }),
            "ballot 2.1, snapshot of 40 slots, 3 keys, commit 42",
        ),
        (M::Forward(Command { client: 2, seq: 7, op: Op::Get(1) }), "c3#7 get b"),
    ]);
}

#[test]
fn fast_paxos_messages() {
    use fast::Message as M;
    let b = Ballot::new(1, 1);
    check(&[
        (M::FastAccept(fast::FastAccept { slot: 0, value: inc() }), "fast round, slot 0, value [c1#4 inc a 1]"),
        (M::Prepare(fast::Prepare { slot: 0, ballot: b }), "ballot 1.2, slot 0"),
        (
            M::Promise(fast::Promise { slot: 0, ballot: b, accepted: Some((fast::FAST, inc())) }),
            "ballot 1.2, slot 0, voted at 0 for [c1#4 inc a 1]",
        ),
        (M::Promise(fast::Promise { slot: 0, ballot: b, accepted: None }), "ballot 1.2, slot 0, no vote"),
        (
            M::Accept(fast::Accept { slot: 0, ballot: b, value: two() }),
            "ballot 1.2, slot 0, value [c2#1 set b 5, c3#2 get a]",
        ),
        (
            M::Accepted(fast::Accepted { slot: 0, ballot: fast::FAST, value: inc() }),
            "ballot 0, slot 0, value [c1#4 inc a 1]",
        ),
        (
            M::Nack(fast::Nack { slot: 0, ballot: b, promised: Ballot::new(2, 0) }),
            "ballot 1.2, slot 0, refused: promised 2.1",
        ),
        (M::Catchup(fast::Catchup { from: 5 }), "from slot 5"),
        (M::Votes(fast::Votes { votes: vec![(5, fast::FAST, Value::Noop)] }), "slot 5 at 0 noop"),
    ]);
}

#[test]
fn raft_messages() {
    use raft::{AppendEntries, AppendOk, Message as M, RequestVote, Snapshot, Vote};
    let entries = vec![Entry { term: 3, value: Value::Noop }, Entry { term: 3, value: inc() }];
    check(&[
        (
            M::RequestVote(RequestVote { term: 3, candidate: 1, last_index: 7, last_term: 2 }),
            "term 3, candidate n2, last entry 7 of term 2",
        ),
        (M::Vote(Vote { term: 3, candidate: 1, granted: true }), "term 3, candidate n2, granted"),
        (M::Vote(Vote { term: 4, candidate: 1, granted: false }), "term 4, candidate n2, refused"),
        (
            M::AppendEntries(AppendEntries { term: 3, leader: 0, prev_index: 4, prev_term: 2, entries, commit: 4 }),
            "term 3, leader n1, after entry 4 of term 2, entries: 5 of term 3 noop; 6 of term 3 [c1#4 inc a 1], commit 4",
        ),
        (
            M::AppendEntries(AppendEntries {
                term: 3,
                leader: 0,
                prev_index: 6,
                prev_term: 3,
                entries: vec![],
                commit: 6,
            }),
            "term 3, leader n1, after entry 6 of term 3, entries: none, commit 6",
        ),
        (M::AppendOk(AppendOk { term: 3, success: true, match_index: 6 }), "term 3, success, match index 6"),
        (M::AppendOk(AppendOk { term: 3, success: false, match_index: 2 }), "term 3, failure, match index 2"),
        (
            M::Snapshot(Snapshot { term: 3, leader: 0, checkpoint: checkpoint(), last_term: 2 }),
            "term 3, leader n1, snapshot of 40 slots, 3 keys, last included term 2",
        ),
        (M::Forward(Command { client: 0, seq: 4, op: Op::Inc(0, 1) }), "c1#4 inc a 1"),
    ]);
}

#[test]
fn primary_backup_messages() {
    use primary_backup::Message::*;
    let view = Ballot::new(2, 0);
    check(&[
        (
            Replicate { view, first: 3, values: vec![inc(), Value::Noop], commit: 2 },
            "view 2.1, from slot 3, values: [c1#4 inc a 1]; noop, commit 2",
        ),
        (Ack { view, next: 5 }, "view 2.1, holds the log below slot 5"),
        (Heartbeat { view, commit: 5 }, "view 2.1, commit 5"),
    ]);
}

#[test]
fn majority_messages() {
    use majority::Message::*;
    let op = OpId { incarnation: 0, number: 3 };
    let stamp = Ballot::new(4, 1);
    check(&[
        (Read { op, key: 0 }, "op 3, key a"),
        (ReadReply { op, key: 0, value: 7, stamp }, "op 3, key a, value 7, stamp 4.2"),
        (
            Write { op: OpId { incarnation: 1, number: 2 }, key: 1, value: -1, stamp: Ballot::ZERO },
            "op 2 (incarnation 1), key b, value -1, stamp 0",
        ),
        (WriteAck { op, key: 27 }, "op 3, key k27"),
    ]);
}
