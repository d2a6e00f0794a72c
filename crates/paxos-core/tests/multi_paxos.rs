//! Multi-Paxos, one test per rule, each citing where the rule is stated.

mod common;

use common::{Cluster, elect_n1};
use paxos_core::multi::{self, Message, Replica, Report};
use paxos_core::{Ballot, Command, Config, Input, Message as _, MsgKind, Op, Outcome, Protocol, Role, Value};

fn cluster(n: u8) -> Cluster<Replica> {
    Cluster::new(Config::new(n))
}

/// Client 0's requests `seqs` to the leader n1, each `inc` of key 1 committed before the next.
fn commit_incs(c: &mut Cluster<Replica>, seqs: std::ops::Range<u32>) {
    for seq in seqs {
        c.request(0, 0, seq, Op::Inc(1, 1));
        c.deliver_all(1_000);
    }
}

/// n1 leads and commits an increment for each of `seqs` while n3 is down; then n3 restarts from its
/// disk, behind by all of them.
fn restart_n3_behind(c: &mut Cluster<Replica>, seqs: std::ops::Range<u32>) {
    elect_n1(c);
    c.crash(2);
    commit_incs(c, seqs);
    c.restart(2);
}

fn value(client: u16, seq: u32, op: Op) -> Value {
    Value::batch([Command { client, seq, op }])
}

/// Paxos Made Simple §3: the leader runs phase 1 once for all instances; seed 003's first diagram:
/// Prepare, Promise, Accept, Accepted.
#[test]
fn the_first_command_elects_a_leader_with_phase_1_then_commits_with_phase_2() {
    let mut c = cluster(3);
    c.request(0, 0, 1, Op::Inc(0, 5));
    c.deliver_all(1_000);
    let kinds = c.kinds_since(0);
    let first = |k: MsgKind| kinds.iter().position(|&x| x == k).unwrap();
    assert!(first(MsgKind::Prepare) < first(MsgKind::Promise));
    assert!(first(MsgKind::Promise) < first(MsgKind::Accept));
    assert!(first(MsgKind::Accept) < first(MsgKind::Accepted));
    assert_eq!(c.replies, [(0, paxos_core::Reply { client: 0, seq: 1, outcome: Outcome::Value(5) })]);
}

/// Seed 003's second diagram ("Following Requests"): a stable leader skips phase 1 — only Accept and
/// Accepted (2 message delays).
#[test]
fn a_stable_leader_skips_phase_1() {
    let mut c = cluster(5);
    elect_n1(&mut c);
    let since = c.sent.len();
    c.request(0, 0, 2, Op::Inc(0, 1));
    c.deliver_all(1_000);
    let kinds = c.kinds_since(since);
    assert!(kinds.iter().all(|k| matches!(k, MsgKind::Accept | MsgKind::Accepted)), "{kinds:?}");
    assert_eq!(kinds.len(), 8, "4 Accepts out, 4 Accepteds back");
    assert_eq!(c.replies.last().unwrap().1.outcome, Outcome::Value(2));
}

/// Paxos Made Simple, P1a: an acceptor accepts ballot n only if it promised nothing higher; it
/// tells the proposer so (Nack carrying its promise), which demotes a stale leader (preemption).
#[test]
fn an_acceptor_refuses_a_lower_ballot_and_the_stale_leader_steps_down() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    let stale = c.node(0).view().ballot;
    // n1 is cut off; n2 and n3 stop hearing it and elect one of them.
    let new_leader = elect_without(&mut c, 0);
    assert_ne!(new_leader, 0);
    // n1's stale heartbeat reaches n3, which promised the newer ballot: a Nack back, and n1 steps down.
    c.step(2, Input::Message { from: 0, msg: Message::Heartbeat(multi::Heartbeat { ballot: stale, commit: 0 }) });
    assert!(c.network.iter().any(|e| matches!(e.msg, Message::Nack(_)) && e.to == 0));
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().role, Role::Follower);
    // The new leader's next heartbeat makes n1 follow it.
    c.tick(new_leader, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().leader, Some(new_leader));
}

/// Cuts `cut` off (its messages are lost both ways) and ticks the others until one leads.
fn elect_without(c: &mut Cluster<Replica>, cut: u8) -> u8 {
    for _ in 0..c.config.timing.election_ticks_max * 4 {
        for n in 0..c.config.nodes {
            if n != cut {
                c.tick(n, 1);
            }
        }
        c.drop_where(|e| e.from == cut || e.to == cut);
        c.deliver_all(1_000);
        if let Some(leader) = (0..c.config.nodes).find(|&n| n != cut && c.node(n).view().role == Role::Leader) {
            return leader;
        }
    }
    panic!("no leader was elected without n{}", cut + 1);
}

/// Paxos Made Simple, P2c (and seed 001, example 2): a new leader proposes, in each open slot, the
/// value with the highest ballot among those its phase-1 quorum reports.
#[test]
fn a_new_leader_reproposes_the_value_with_the_highest_ballot() {
    let mut c = cluster(5);
    let (x, y) = (value(0, 1, Op::Set(0, 1)), value(1, 1, Op::Set(0, 2)));
    // Before a crash, n1 led twice: at ballot 1.1 it got x accepted by n2 only, at ballot 2.1 y by
    // n3 only. Neither was chosen. Back, n1 runs phase 1 again (at 3.1); its majority is itself, n2
    // and n3 (their promises arrive first), so it hears both values and must pick y.
    for (node, ballot, v) in [(1, Ballot::new(1, 0), &x), (2, Ballot::new(2, 0), &y)] {
        let msg = Message::Accept(multi::Accept { ballot, slot: 0, value: v.clone(), commit: 0 });
        c.step(node, Input::Message { from: 0, msg });
    }
    c.network.clear();
    c.restart(0);
    c.step(
        0,
        Input::Message {
            from: 2,
            msg: Message::Nack(multi::Nack { ballot: Ballot::ZERO, promised: Ballot::new(2, 0) }),
        },
    );
    c.step(0, Input::Timeout);
    c.deliver_all(1_000);
    let proposed: Vec<&Value> = c
        .sent
        .iter()
        .filter_map(|e| match &e.msg {
            Message::Accept(multi::Accept { slot: 0, value, ballot, .. }) if ballot.node == 0 => Some(value),
            _ => None,
        })
        .collect();
    assert!(!proposed.is_empty() && proposed.iter().all(|v| **v == y), "{proposed:?}");
    assert_eq!(c.decided[0], [(0, y)]);
}

/// Multi-Paxos hole filling (Lamport, Paxos Made Simple §3: "it proposes a special no-op command"):
/// a new leader fills a slot nobody reported with a no-op, so later slots can be applied.
#[test]
fn a_new_leader_fills_holes_with_noops() {
    let mut c = cluster(3);
    let z = value(0, 1, Op::Set(0, 9));
    // Before a crash, n1 led at ballot 1.1 and got z accepted in slot 1 by n2 — slot 0's accepts were
    // all lost. Back, n1 runs phase 1 again (at 2.1).
    let msg = Message::Accept(multi::Accept { ballot: Ballot::new(1, 0), slot: 1, value: z.clone(), commit: 0 });
    c.step(1, Input::Message { from: 0, msg });
    c.network.clear();
    c.restart(0);
    c.step(
        0,
        Input::Message {
            from: 1,
            msg: Message::Nack(multi::Nack { ballot: Ballot::ZERO, promised: Ballot::new(1, 0) }),
        },
    );
    c.step(0, Input::Timeout);
    c.deliver_all(1_000);
    assert_eq!(c.decided[0], [(0, Value::Noop), (1, z)]);
    assert_eq!(c.node(0).view().store.get(0), 9);
}

/// Seed 000, Recovering Phase II: a node that suspects the leader by mistake (a delayed heartbeat)
/// is told by the others that the leader is alive, and follows it again.
#[test]
fn followers_that_hear_the_leader_answer_that_it_is_alive() {
    let mut c = cluster(5);
    elect_n1(&mut c);
    let leader_ballot = c.node(0).view().ballot;
    c.step(3, Input::Timeout);
    let before = c.sent.len();
    c.deliver_all(1_000);
    assert!(c.kinds_since(before).contains(&MsgKind::LeaderAlive));
    assert_eq!(c.node(3).view().role, Role::Follower);
    assert_eq!(c.node(3).view().leader, Some(0));
    // The failed bid left no trace that would disturb the leader: it still leads with its ballot.
    assert_eq!(c.node(0).view().ballot, leader_ballot);
    c.request(0, 0, 2, Op::Get(0));
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().role, Role::Leader);
}

/// Seed 000, Recovering Phase II: when the leader falls silent, a follower times out and is elected
/// with Paxos; the old leader, back, finds the new leader and follows it.
#[test]
fn a_follower_replaces_a_silent_leader_and_the_old_leader_follows_on_return() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    c.crash(0);
    let timing = c.config.timing;
    for _ in 0..timing.election_ticks_max * 3 {
        c.tick(1, 1);
        c.tick(2, 1);
        c.deliver_all(1_000);
    }
    let leader = (1..3).find(|&n| c.node(n).view().role == Role::Leader).expect("a new leader");
    c.restart(0);
    for _ in 0..timing.heartbeat_ticks * 2 {
        c.tick(leader, 1);
        c.deliver_all(1_000);
    }
    assert_eq!(c.node(0).view().role, Role::Follower);
    assert_eq!(c.node(0).view().leader, Some(leader));
}

/// Paxos Made Simple §2.3: an acceptor remembers its promise in stable storage across a restart.
#[test]
fn a_restarted_acceptor_keeps_its_promise() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    // A heartbeat tells the followers what is decided.
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    let promised = c.node(2).view().promised;
    assert!(promised > Ballot::ZERO);
    c.crash(2);
    c.restart(2);
    assert_eq!(c.node(2).view().promised, promised);
    assert_eq!(c.node(2).view().store.get(0), c.node(0).view().store.get(0), "the store is rebuilt from disk");
}

/// Recovering Phase I (seed 000) and log catch-up: a follower that was down when slots were
/// decided learns them from the leader, in slot order.
#[test]
fn a_lagging_follower_catches_up_from_the_leader() {
    let mut c = cluster(3);
    restart_n3_behind(&mut c, 2..200);
    for _ in 0..20 {
        c.tick(0, 1);
        c.deliver_all(1_000);
    }
    let (leader, follower) = (c.node(0).view(), c.node(2).view());
    assert_eq!(follower.decided.prefix(), leader.decided.prefix());
    assert!(follower.store.same_data(leader.store));
    assert_eq!(follower.store.get(1), 198);
    // The leader's log is compacted below its checkpoint: the follower got a snapshot.
    assert!(c.kinds_since(0).contains(&MsgKind::Snapshot));
}

/// Recovering Phase I (seed 000) across a checkpoint: an acceptor whose log is compacted below its
/// checkpoint answers a candidate that lacks those slots with the checkpoint in its promise (it can
/// no longer report their values one by one), and a candidate that has them without it.
///
/// Kills: the snapshot left out for a candidate further behind than the compacted base (it could
/// then take a compacted slot for an open one), or sent to one that needs none.
#[test]
fn a_promise_carries_the_checkpoint_to_a_candidate_behind_it() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    commit_incs(&mut c, 2..200);
    // n2 restarts from its disk: it hears no leader, so it answers a candidate.
    c.crash(1);
    c.restart(1);
    let decided = c.node(1).view().decided;
    let base = (0..decided.prefix()).find(|&slot| decided.get(slot).is_some()).expect("slots kept");
    assert!(base > 0, "n2's log is compacted below its checkpoint");
    let snapshot_for = |c: &mut Cluster<Replica>, first_open| {
        let before = c.sent.len();
        let prepare = multi::Prepare { ballot: Ballot::new(50, 2), first_open };
        c.step(1, Input::Message { from: 2, msg: Message::Prepare(prepare) });
        match c.sent[before..].iter().map(|e| &e.msg).collect::<Vec<_>>()[..] {
            [Message::Promise(p)] => p.snapshot.as_ref().map(|checkpoint| checkpoint.applied),
            ref other => panic!("one Promise, not {other:?}"),
        }
    };
    assert_eq!(snapshot_for(&mut c, 0), Some(base), "a candidate missing compacted slots gets the checkpoint");
    assert_eq!(snapshot_for(&mut c, base), None, "a candidate with every compacted slot gets none");
}

/// Recovering Phase I (seed 000), when catch-up comes in batches (here of 2 values): a follower far
/// behind asks for the next batch as soon as one arrives, so one heartbeat brings it level, without
/// waiting a heartbeat period per batch.
///
/// Kills: the follower not asking for more, which leaves it behind until the next heartbeat, batch
/// after batch; and asking again once level.
#[test]
fn a_lagging_follower_asks_for_each_next_batch_at_once() {
    let mut c: Cluster<Replica> = Cluster::new(Config { entries_max: 2, ..Config::new(3) });
    restart_n3_behind(&mut c, 2..12);
    c.deliver_all(1_000);
    let behind = c.node(0).view().decided.prefix() - c.node(2).view().decided.prefix();
    assert!(behind > 4, "n3 missed {behind} slots");
    // One heartbeat, then no tick at all.
    let before = c.sent.len();
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    assert_eq!(c.node(2).view().decided.prefix(), c.node(0).view().decided.prefix());
    // n3 answers the heartbeat, then asks again after each batch but the last, which levels it.
    let count = |from, kind| c.sent[before..].iter().filter(|e| e.from == from && e.msg.label().kind == kind).count();
    assert_eq!(count(2, MsgKind::HeartbeatOk), count(0, MsgKind::Catchup), "one question per batch");
}

/// Recovering Phase I (seed 000) under duplication: the leader's checkpoint, delivered twice to a
/// follower it brings level, is written once (a checkpoint holds the whole store).
///
/// Kills: installing a checkpoint that covers nothing this replica has not decided (`>` → `>=`).
#[test]
fn a_duplicated_snapshot_is_written_once() {
    let mut c = cluster(3);
    restart_n3_behind(&mut c, 2..200);
    let is_snapshot = |e: &common::Envelope<Message>| matches!(e.msg, Message::Snapshot(_));
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all_where(1_000, |e| !is_snapshot(e));
    let snapshot = c.network.iter().find(|e| e.to == 2 && is_snapshot(e)).expect("the leader sends its checkpoint");
    let snapshot = snapshot.msg.clone();
    let n3 = c.nodes[2].as_mut().expect("n3 is up");
    let mut writes = [0, 0];
    for written in &mut writes {
        let mut out = Vec::new();
        n3.step(Input::Message { from: 0, msg: snapshot.clone() }, &mut out);
        *written = out.iter().filter(|o| matches!(o, paxos_core::Output::Persist(_))).count();
    }
    assert_eq!(writes, [1, 0], "the checkpoint is written the first time only");
}

/// Seed 000 (followers send requests to the leader): a request forwarded once is not forwarded
/// again. A follower whose idea of the leader is stale answers a forwarded request with its hint, so
/// two followers that each think the other leads cannot pass a request back and forth.
///
/// Kills: forwarding whatever the request's path (the guard dropped, or `&&` → `||`).
#[test]
fn a_forwarded_request_is_not_forwarded_again() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    let before = c.sent.len();
    let command = Command { client: 0, seq: 9, op: Op::Set(0, 1) };
    c.step(1, Input::Message { from: 2, msg: Message::Forward(command) });
    assert_eq!(c.kinds_since(before), [], "n2 forwards nothing");
    let told = c.replies.iter().find(|(id, _)| *id == 1).map(|(_, r)| r.outcome);
    assert_eq!(told, Some(Outcome::NotLeader { hint: Some(0) }), "n2 names the leader it knows");
}

/// A non-leader passes client requests on to the leader it knows (seed 000: "all nodes send requests
/// to the leader"); the leader answers the client.
#[test]
fn a_follower_forwards_requests_to_the_leader() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    let before = c.sent.len();
    c.request(2, 1, 1, Op::Inc(2, 3));
    c.deliver_all(1_000);
    assert_eq!(c.kinds_since(before)[0], MsgKind::Forward);
    assert_eq!(c.replies.last(), Some(&(0, paxos_core::Reply { client: 1, seq: 1, outcome: Outcome::Value(3) })));
}

/// Pipelining and batching: at most `window` slots are in flight; commands arriving meanwhile share
/// the next free slot.
#[test]
fn commands_beyond_the_window_are_batched_into_one_slot() {
    let mut config = Config::new(3);
    config.window = 2;
    let mut c: Cluster<Replica> = Cluster::new(config);
    elect_n1(&mut c);
    for client in 1..=6 {
        c.request(0, client, 1, Op::Inc(0, 1));
    }
    let accepts =
        |c: &Cluster<Replica>| c.network.iter().filter(|e| matches!(e.msg, Message::Accept(_)) && e.to == 1).count();
    assert_eq!(accepts(&c), 2, "the window holds two slots");
    c.deliver_all(1_000);
    let batch = c.decided[0].iter().map(|(_, v)| v.commands().len()).max().unwrap();
    assert_eq!(batch, 4, "the four waiting commands went into one slot");
    assert_eq!(c.node(0).view().store.get(0), 7);
}

/// Exactly once per (client, seq) (Raft thesis §6.3): a request retried at the leader after it was
/// applied gets the recorded answer, and the store is not changed twice.
#[test]
fn a_retried_request_is_answered_without_being_applied_again() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    c.request(0, 5, 1, Op::Inc(3, 10));
    c.deliver_all(1_000);
    c.request(0, 5, 1, Op::Inc(3, 10));
    c.deliver_all(1_000);
    let answers: Vec<_> = c.replies.iter().filter(|(_, r)| r.client == 5).map(|(_, r)| r.outcome).collect();
    assert_eq!(answers, [Outcome::Value(10), Outcome::Value(10)]);
    assert_eq!(c.node(0).view().store.get(3), 10);
}

/// Phase 1 reports (Paxos Made Simple, P2c): an acceptor reports every accepted value from the
/// candidate's first open slot on, and what it knows is decided.
#[test]
fn a_promise_reports_accepted_and_decided_values() {
    let mut c = cluster(3);
    elect_n1(&mut c);
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    // The leader itself runs phase 1 again (a node that hears a leader answers the leader's Prepare).
    c.step(
        2,
        Input::Message { from: 0, msg: Message::Prepare(multi::Prepare { ballot: Ballot::new(9, 0), first_open: 0 }) },
    );
    let Some(Message::Promise(multi::Promise { reports, .. })) =
        c.network.iter().rev().map(|e| e.msg.clone()).find(|m| matches!(m, Message::Promise(_)))
    else {
        panic!("no promise")
    };
    assert!(reports.iter().any(|r| matches!(r, Report::Decided { slot: 0, .. })));
}
