//! What a node does not do twice (issue 15's mutation triage): an acceptor writes a promise once, a
//! proposer runs one proposal at a time. Mistakes here break no safety invariant, so the checkers
//! cannot see them; each costs disk writes, messages or rounds that the notes' protocol does not
//! spend, and some (a repeated Prepare refused) pre-empt a proposer for nothing. Each test says which
//! plausible mistake it catches.

mod common;

use common::Cluster;
use paxos_core::{Ballot, Command, Config, Input, Message as _, MsgKind, NodeId, Op, Output, Outputs, Protocol, Value};
use paxos_core::{basic, fast, multi};

const B12: Ballot = Ballot::new(1, 1);

/// How many disk writes `out` asks for.
fn writes<P: Protocol>(out: &[Outputs<P>]) -> usize {
    out.iter().filter(|o| matches!(o, Output::Persist(_))).count()
}

/// The messages `out` sends, as (to, kind, ballot).
fn sends<P: Protocol>(out: &[Outputs<P>]) -> Vec<(NodeId, MsgKind, Ballot)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { to, msg } => Some((*to, msg.label().kind, msg.label().ballot)),
            _ => None,
        })
        .collect()
}

/// Node 3 of a cluster of `nodes` gets `prepare` (for ballot 1.2, from node 2) twice, then `accept`
/// at the same ballot: the first promise is written and sent, the repeated Prepare gets the same
/// promise without a write, and the vote is written alone, without the promise again.
fn promises_once<P: Protocol>(nodes: u8, prepare: P::Message, accept: P::Message) {
    let mut n3 = P::new(Config::new(nodes), 2, 1);
    let step = |node: &mut P, msg: P::Message| {
        let mut out = Vec::new();
        node.step(Input::Message { from: 1, msg }, &mut out);
        out
    };
    let first = step(&mut n3, prepare.clone());
    assert_eq!(writes::<P>(&first), 1, "the promise is written: {first:?}");
    assert_eq!(sends::<P>(&first), [(1, MsgKind::Promise, B12)], "{first:?}");
    let again = step(&mut n3, prepare);
    assert_eq!(writes::<P>(&again), 0, "a repeated Prepare writes nothing: {again:?}");
    assert_eq!(sends::<P>(&again), [(1, MsgKind::Promise, B12)], "the same promise again: {again:?}");
    let voted = step(&mut n3, accept);
    assert_eq!(writes::<P>(&voted), 1, "the vote alone is written: {voted:?}");
}

/// Reference: Paxos Made Simple §2.2 (P1a: an acceptor may promise any ballot at least its
/// `last_rnd`); seed 001. A Basic Paxos acceptor answers a repeated Prepare for the ballot it
/// promised with the same promise, from what is on disk, writing nothing again.
///
/// Kills: refusing a ballot equal to the promise (`<` → `<=`: a duplicated Prepare would pre-empt
/// its own proposer), and rewriting an unchanged promise (on a Prepare or an Accept).
#[test]
fn a_basic_paxos_acceptor_writes_a_promise_once() {
    promises_once::<basic::Node>(
        3,
        basic::Message::Prepare(basic::Prepare { slot: 0, ballot: B12 }),
        basic::Message::Accept(basic::Accept { slot: 0, ballot: B12, value: value(0, 1, Op::Set(0, 1)) }),
    );
}

/// The same for a Fast Paxos acceptor, in a classic round (Fast Paxos §2.1: phase 1 as in classic
/// Paxos). Kills the same mistakes in `fast.rs`.
#[test]
fn a_fast_paxos_acceptor_writes_a_promise_once() {
    promises_once::<fast::Node>(
        5,
        fast::Message::Prepare(fast::Prepare { slot: 0, ballot: B12 }),
        fast::Message::Accept(fast::Accept { slot: 0, ballot: B12, value: value(0, 1, Op::Set(0, 1)) }),
    );
}

/// The same for a Multi-Paxos acceptor (phase 1 for every slot at once), and a leader's heartbeat at
/// the ballot it promised writes nothing either: with a rewrite, every heartbeat would cost each
/// follower a disk write.
///
/// Kills: rewriting an unchanged promise on an Accept or a Heartbeat (in `multi.rs`).
#[test]
fn a_multi_paxos_acceptor_writes_a_promise_once() {
    promises_once::<multi::Replica>(
        3,
        multi::Message::Prepare(multi::Prepare { ballot: B12, first_open: 0 }),
        multi::Message::Accept(multi::Accept { ballot: B12, slot: 0, value: value(0, 1, Op::Set(0, 1)), commit: 0 }),
    );
    let mut n3 = multi::Replica::new(Config::new(3), 2, 1);
    let heartbeat =
        || Input::Message { from: 1, msg: multi::Message::Heartbeat(multi::Heartbeat { ballot: B12, commit: 0 }) };
    let mut first = Vec::new();
    n3.step(heartbeat(), &mut first);
    assert_eq!(writes::<multi::Replica>(&first), 1, "the first heartbeat of a ballot promises it: {first:?}");
    let mut again = Vec::new();
    n3.step(heartbeat(), &mut again);
    assert_eq!(writes::<multi::Replica>(&again), 0, "the next one writes nothing: {again:?}");
    assert_eq!(sends::<multi::Replica>(&again), [(1, MsgKind::HeartbeatOk, B12)], "{again:?}");
}

/// Reference: seed 001 (a proposer runs Paxos for one value at a time; commands that lose, or wait,
/// go in the next instance). A proposer of protocol `P` that gets a second client's request while
/// its proposal runs sends nothing new: the command waits, and is proposed in the next slot.
fn runs_one_proposal_at_a_time<P: Protocol>(nodes: u8) {
    let mut c: Cluster<P> = Cluster::new(Config::new(nodes));
    c.request(0, 0, 1, Op::Set(0, 1));
    let first = c.sent.len();
    assert!(first > 0, "the first request starts a proposal");
    c.request(0, 1, 1, Op::Set(1, 1));
    assert_eq!(c.kinds_since(first), [], "the second request waits for the running proposal");
    c.deliver_all(1_000);
    let decided: Vec<_> = c.decided[0].iter().map(|(slot, v)| (*slot, v.clone())).collect();
    assert_eq!(decided, [(0, value(0, 1, Op::Set(0, 1))), (1, value(1, 1, Op::Set(1, 1)))]);
}

/// [`runs_one_proposal_at_a_time`] for Basic Paxos.
///
/// Kills: a proposal started whatever is running (the running one abandoned for a higher round on
/// every request, so a busy proposer keeps pre-empting itself).
#[test]
fn a_basic_paxos_proposer_runs_one_proposal_at_a_time() {
    runs_one_proposal_at_a_time::<basic::Node>(3);
}

/// [`runs_one_proposal_at_a_time`] for Fast Paxos: a second fast round started in the same slot would
/// split the acceptors' votes between this proposer's own two values, a collision of its own making.
#[test]
fn a_fast_paxos_proposer_runs_one_proposal_at_a_time() {
    runs_one_proposal_at_a_time::<fast::Node>(5);
}

fn value(client: u16, seq: u32, op: Op) -> Value {
    Value::batch([Command { client, seq, op }])
}
