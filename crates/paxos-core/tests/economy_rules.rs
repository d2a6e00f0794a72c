//! What a node does not do twice (issue 15's mutation triage): an acceptor writes a promise once, a
//! proposer runs one proposal at a time, a Raft follower installs a checkpoint once and a Raft
//! leader sends each entry once. Mistakes here break no safety invariant, so the checkers cannot see
//! them; each costs disk writes, messages or rounds that the notes' protocol does not spend, and some
//! (a repeated Prepare refused) pre-empt a proposer for nothing. Each test says which plausible
//! mistake it catches.

mod common;

use common::Cluster;
use paxos_core::{Ballot, Command, Config, Input, Message as _, MsgKind, NodeId, Op, Output, Outputs, Protocol, Value};
use paxos_core::{basic, fast, multi, raft};

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

/// Raft §7 (InstallSnapshot: a follower discards its log only for a snapshot that covers more than
/// it holds): the leader's checkpoint, delivered twice, is written once; the duplicate is answered
/// as a success at the checkpoint's index, writing nothing. A checkpoint holds the whole store, so
/// a rewrite costs as much as the first.
///
/// Kills: installing a checkpoint that covers nothing this node has not committed (`>` → `>=`).
#[test]
fn a_raft_follower_installs_a_duplicated_snapshot_once() {
    let mut n2 = raft::Node::new(Config::new(3), 1, 1);
    let checkpoint =
        paxos_core::machine::Checkpoint { applied: 5, store: std::rc::Rc::new(paxos_core::Store::default()) };
    let snapshot = raft::Message::Snapshot(raft::Snapshot { term: 2, leader: 0, checkpoint, last_term: 2 });
    let mut written = Vec::new();
    for _ in 0..2 {
        let mut out = Vec::new();
        n2.step(Input::Message { from: 0, msg: snapshot.clone() }, &mut out);
        let snapshots = out.iter().filter(|o| matches!(o, Output::Persist(raft::Write::Snapshot { .. }))).count();
        written.push(snapshots);
        let answer = raft::AppendOk { term: 2, success: true, match_index: 5 };
        let answers: Vec<_> = out
            .iter()
            .filter_map(|o| match o {
                Output::Send { to: 0, msg: raft::Message::AppendOk(ok) } => Some(ok.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(answers, [answer], "{out:?}");
    }
    assert_eq!(written, [1, 0], "the checkpoint is written the first time only");
    assert_eq!(n2.commit_index(), 5);
}

/// Raft §5.3 (after a rejection the leader retries from an earlier index; a success tells it how far
/// the follower's log matches): with one entry per message, a leader of four entries whose follower
/// n2 refuses with "my log may match up to 1" sends entry 2 at once. A second, reordered refusal
/// ("up to 2") points where the leader already resumed, and a late success at 4 says n2 holds
/// everything: neither costs a message.
///
/// Kills: answering a refusal that points at the next index with the same entry again (`<` → `<=`,
/// `match_index + 1` → `* 1`), and a success that leaves the next index at or below what the
/// follower holds (`matched + 1` → `- 1`, `* 1`), so the leader sends what the follower has.
#[test]
fn a_raft_leader_sends_a_lagging_follower_each_entry_once() {
    let mut config = Config::new(3);
    config.entries_max = 1;
    let mut n1 = raft::Node::new(config, 0, 1);
    let step = |node: &mut raft::Node, input| {
        let mut out = Vec::new();
        node.step(input, &mut out);
        // What n2 is sent: each AppendEntries as (the index it follows, how many entries).
        out.iter()
            .filter_map(|o| match o {
                Output::Send { to: 1, msg: raft::Message::AppendEntries(m) } => Some((m.prev_index, m.entries.len())),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let answer = |success, match_index| Input::Message {
        from: 1,
        msg: raft::Message::AppendOk(raft::AppendOk { term: 1, success, match_index }),
    };
    step(&mut n1, Input::Timeout);
    step(
        &mut n1,
        Input::Message { from: 2, msg: raft::Message::Vote(raft::Vote { term: 1, candidate: 0, granted: true }) },
    );
    for seq in 1..=3 {
        step(&mut n1, Input::Request(Command { client: 0, seq, op: Op::Set(0, i64::from(seq)) }));
    }
    assert_eq!(n1.log().last_index(), 4, "a no-op and three commands");
    assert_eq!(step(&mut n1, answer(false, 1)), [(1, 1)], "entry 2 at once, after index 1");
    assert_eq!(step(&mut n1, answer(false, 2)), [], "entry 2 is on its way already");
    assert_eq!(step(&mut n1, answer(true, 4)), [], "n2 holds every entry");
    assert_eq!(n1.commit_index(), 4);
}

fn value(client: u16, seq: u32, op: Op) -> Value {
    Value::batch([Command { client, seq, op }])
}
