//! Paxos rules the random sweep rarely sets up (issue 15), one scenario each, built by hand: what a
//! proposer must remember across a restart, which votes a follower may learn a commit from, and
//! quorum sizes for every cluster size from 3 to 9 (even ones included). Each test says which
//! plausible mistake in the core it catches.

mod common;

use common::Cluster;
use paxos_core::{Ballot, Command, Config, Input, Message as _, MsgKind, NodeId, Op, Protocol, Role, Slot, Value};
use paxos_core::{basic, fast, multi};

fn value(client: u16, seq: u32, op: Op) -> Value {
    Value::batch([Command { client, seq, op }])
}

/// The highest ballot `from` put in any message it sent.
fn highest_sent<P: Protocol>(c: &Cluster<P>, from: NodeId) -> Ballot {
    c.sent.iter().filter(|e| e.from == from).map(|e| e.msg.label().ballot).max().unwrap_or(Ballot::ZERO)
}

/// The ballot of the first waiting `Prepare` from `from`.
fn prepared<P: Protocol>(c: &Cluster<P>, from: NodeId) -> Ballot {
    let e = c.network.iter().find(|e| e.from == from && e.msg.label().kind == MsgKind::Prepare);
    e.expect("a Prepare is waiting").msg.label().ballot
}

/// ⌊n/2⌋ + 1 and ⌈3n/4⌉, written out so that the tests do not take the core's formulas as their
/// oracle: (n, classic quorum, fast quorum).
const QUORUMS: [(u8, usize, usize); 7] = [(3, 2, 3), (4, 3, 3), (5, 3, 4), (6, 4, 5), (7, 4, 6), (8, 5, 6), (9, 5, 7)];

/// Reference: Paxos Made Simple §2.3 ("a proposer ... must remember the highest-numbered proposal it
/// has tried to issue") and §3 (the leader's ballot); seed 003. A Multi-Paxos leader that crashes
/// and restarts from its disk runs its next election with a ballot above every ballot it sent.
///
/// Kills: the proposer's round not recovered after a restart (the restarted node would reuse the
/// ballot its Accepts already carried, and two leaders could share a ballot).
#[test]
fn a_restarted_multi_paxos_leader_never_reuses_a_ballot() {
    let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(3));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().role, Role::Leader);
    let used = highest_sent(&c, 0);
    assert!(used > Ballot::ZERO);
    c.crash(0);
    c.restart(0);
    c.step(0, Input::Timeout);
    let next = prepared(&c, 0);
    assert!(next > used, "after a restart n1 prepares {next:?}, but it already sent {used:?}");
}

/// Reference: Paxos Made Simple §2.3 (as above); seed 001. A Basic Paxos proposer restarted from its
/// disk proposes with a round above every round it used, even though no acceptor answered it.
///
/// Kills: the proposer's round not written to disk, or not read back on recovery.
#[test]
fn a_restarted_basic_paxos_proposer_never_reuses_a_round() {
    let mut c: Cluster<basic::Node> = Cluster::new(Config::new(3));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.request(0, 0, 2, Op::Set(0, 2));
    c.step(0, Input::Timeout); // a retry: a second, higher round
    let used = highest_sent(&c, 0);
    assert!(used.round >= 2, "{used:?}");
    c.crash(0);
    c.restart(0);
    c.network.clear();
    c.request(0, 0, 3, Op::Set(0, 3));
    let next = prepared(&c, 0);
    assert!(next > used, "after a restart n1 prepares {next:?}, but it already sent {used:?}");
}

/// Reference: Paxos Made Simple §2.3 (as above) and Fast Paxos §3 (classic rounds after the fast
/// round 0). A Fast Paxos proposer that fell back to a classic round and restarts from its disk
/// starts its next classic round above every round it used.
///
/// Kills: the proposer's round not written to disk, or not read back on recovery.
#[test]
fn a_restarted_fast_paxos_proposer_never_reuses_a_round() {
    let mut c: Cluster<fast::Node> = Cluster::new(Config::new(5));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.step(0, Input::Timeout); // no fast quorum answered: a classic round
    let used = highest_sent(&c, 0);
    assert!(used > fast::FAST, "{used:?}");
    c.crash(0);
    c.restart(0);
    c.network.clear();
    c.request(0, 0, 2, Op::Set(0, 2));
    c.step(0, Input::Timeout);
    let next = prepared(&c, 0);
    assert!(next > used, "after a restart n1 prepares {next:?}, but it already sent {used:?}");
}

/// Reference: seed 003 / the core's Multi-Paxos docs ("a follower that accepted slot s at the
/// leader's own ballot learns s is decided from it") — Paxos Made Simple §2.2: only the value of
/// the ballot that a majority accepted is chosen. A follower that voted for X at an old ballot must
/// not take a newer leader's commit point as deciding X: the new leader may have chosen Y there.
///
/// Kills: a follower learning a commit without checking its vote's ballot.
#[test]
fn a_follower_learns_a_commit_only_for_votes_of_the_leaders_ballot() {
    let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(3));
    let (old, new) = (Ballot::new(1, 0), Ballot::new(2, 1));
    let (x, y) = (value(0, 1, Op::Set(0, 1)), value(1, 1, Op::Set(0, 2)));
    let accept = |ballot: Ballot, value: &Value, commit: Slot| {
        multi::Message::Accept(multi::Accept { ballot, slot: 0, value: value.clone(), commit })
    };
    let heartbeat = |ballot: Ballot, commit: Slot| multi::Message::Heartbeat(multi::Heartbeat { ballot, commit });
    // n3 accepted X in slot 0 at n1's old ballot; n2 leads a newer ballot and says slot 0 is decided.
    c.step(2, Input::Message { from: 0, msg: accept(old, &x, 0) });
    c.step(2, Input::Message { from: 1, msg: heartbeat(new, 1) });
    assert!(c.decided[2].is_empty(), "X was accepted at {old:?}, not at the leader's {new:?}");
    // Its own ballot's vote is learned from the commit point.
    c.step(2, Input::Message { from: 1, msg: accept(new, &y, 0) });
    c.step(2, Input::Message { from: 1, msg: heartbeat(new, 1) });
    assert_eq!(c.decided[2], [(0, y)]);
}

/// Reference: Paxos Made Simple §2.2 (a majority of acceptors; any two majorities intersect) for
/// every size from 3 to 9. A Multi-Paxos candidate leads once a majority promised (its own promise
/// included), not one promise before; then a slot is chosen once a majority accepted, not before.
///
/// Kills: a quorum of n/2 or ⌈n/2⌉ (wrong only for even n), `>` for `>=`.
#[test]
fn multi_paxos_election_and_commit_need_exactly_a_majority_for_every_size() {
    for (n, majority, _) in QUORUMS {
        let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(n));
        c.request(0, 0, 1, Op::Set(0, 1));
        let is = |kind: MsgKind| move |e: &common::Envelope<multi::Message>| e.msg.label().kind == kind;
        // Promises from the others, one at a time; n1's own comes once it would complete a majority.
        for other in 1..majority as NodeId {
            assert_eq!(c.node(0).view().role, Role::Candidate, "n = {n}: {} promises", other);
            c.deliver_where(|e| e.to == other && is(MsgKind::Prepare)(e));
            c.deliver_where(|e| e.from == other && is(MsgKind::Promise)(e));
        }
        assert_eq!(c.node(0).view().role, Role::Leader, "n = {n}: {majority} promises");
        // Accepted from the others, one at a time; n1 accepted its own Accept already.
        c.drop_where(is(MsgKind::Prepare));
        for other in 1..majority as NodeId {
            assert!(c.decided[0].is_empty(), "n = {n}: {other} of {majority} accepted");
            c.deliver_where(|e| e.to == other && is(MsgKind::Accept)(e));
            c.deliver_where(|e| e.from == other && is(MsgKind::Accepted)(e));
        }
        assert_eq!(c.decided[0].len(), 1, "n = {n}: {majority} accepted");
    }
}

/// Reference: seed 000 (a node that still hears the leader refuses a candidate), for every size from
/// 3 to 9: a Multi-Paxos candidate keeps trying while the nodes that have not said "the leader is
/// alive" can still make a majority, and gives up at the first refusal after which they cannot.
///
/// Kills: giving up on a count that is right only for some sizes (n ÷ refusals for n − refusals
/// agrees at n = 3), or one refusal too early or too late.
#[test]
fn a_multi_paxos_candidate_gives_up_exactly_when_no_majority_is_left_for_every_size() {
    for (n, majority, _) in QUORUMS {
        let mut n1 = multi::Replica::new(Config::new(n), 0, 1);
        let mut out = Vec::new();
        n1.step(Input::Timeout, &mut out);
        let ballot = out
            .iter()
            .find_map(|o| match o {
                paxos_core::Output::Send { msg: multi::Message::Prepare(p), .. } => Some(p.ballot),
                _ => None,
            })
            .expect("a candidate sends Prepare");
        let tolerated = usize::from(n) - majority;
        for from in 1..=tolerated + 1 {
            assert_eq!(n1.view().role, Role::Candidate, "n = {n}: {} refusals", from - 1);
            let alive = multi::Message::LeaderAlive(multi::LeaderAlive { ballot, leader: 1 });
            n1.step(Input::Message { from: from as NodeId, msg: alive }, &mut Vec::new());
        }
        assert_eq!(n1.view().role, Role::Follower, "n = {n}: {} refusals", tolerated + 1);
    }
}

/// Reference: Paxos Made Simple §2.3 (a learner learns a value accepted by a majority) and seed 002
/// ("a learner reads N/2+1 acceptors"), for every size from 3 to 9: a Basic Paxos learner decides
/// on the Accepted of exactly a majority of distinct acceptors.
///
/// Kills: a learner quorum of n/2 or ⌈n/2⌉ (wrong only for even n), `>` for `>=`.
#[test]
fn a_basic_paxos_learner_needs_exactly_a_majority_for_every_size() {
    for (n, majority, _) in QUORUMS {
        let mut c: Cluster<basic::Node> = Cluster::new(Config::new(n));
        let x = value(0, 1, Op::Set(0, 1));
        let learner = n - 1;
        for acceptor in 0..majority as NodeId {
            assert!(c.decided[learner as usize].is_empty(), "n = {n}: {acceptor} votes");
            let msg =
                basic::Message::Accepted(basic::Accepted { slot: 0, ballot: Ballot::new(1, 0), value: x.clone() });
            c.step(learner, Input::Message { from: acceptor, msg });
        }
        assert_eq!(c.decided[learner as usize], [(0, x)], "n = {n}: {majority} votes");
    }
}

/// Reference: Lamport, *Fast Paxos* (2006) §3.3, and the core's `fast_quorum_of` docs ("⌈3n/4⌉ of the
/// n acceptors", so that q + 2f > 2n), for every size from 3 to 9: a learner decides a fast round on
/// exactly ⌈3n/4⌉ distinct votes, and a classic round on exactly a majority.
///
/// Kills: a fast quorum of a majority, of ⌊3n/4⌋ (wrong for n = 3, 5, 6, 7, 9) or of n (no fast
/// round would survive a failure); a classic quorum wrong for even n.
#[test]
fn a_fast_paxos_learner_needs_exactly_a_fast_quorum_for_every_size() {
    for (n, majority, fast_quorum) in QUORUMS {
        let mut c: Cluster<fast::Node> = Cluster::new(Config::new(n));
        let x = value(0, 1, Op::Set(0, 1));
        let learner = n - 1;
        let accepted =
            |slot: Slot, ballot: Ballot| fast::Message::Accepted(fast::Accepted { slot, ballot, value: x.clone() });
        for acceptor in 0..fast_quorum as NodeId {
            assert!(c.decided[learner as usize].is_empty(), "n = {n}: {acceptor} fast votes");
            c.step(learner, Input::Message { from: acceptor, msg: accepted(0, fast::FAST) });
        }
        assert_eq!(c.decided[learner as usize].len(), 1, "n = {n}: {fast_quorum} fast votes");
        let classic = Ballot::new(1, 0);
        for acceptor in 0..majority as NodeId {
            assert_eq!(c.decided[learner as usize].len(), 1, "n = {n}: {acceptor} classic votes");
            c.step(learner, Input::Message { from: acceptor, msg: accepted(1, classic) });
        }
        assert_eq!(c.decided[learner as usize].len(), 2, "n = {n}: {majority} classic votes");
    }
}

/// The `Catchup`s a node sends when it handles `input`, as the slots they ask from.
fn catchups<P: Protocol>(node: &mut P, input: Input<P::Message, P::Durable>) -> Vec<Slot> {
    let mut out = Vec::new();
    node.step(input, &mut out);
    out.into_iter()
        .filter_map(|o| match o {
            paxos_core::Output::Send { msg, .. } if msg.label().kind == MsgKind::Catchup => Some(msg.label().slot),
            _ => None,
        })
        .collect()
}

/// Seed 001 (the learner): a node that learned a later slot while missing earlier ones has a hole,
/// and asks the acceptors once for their votes from its first undecided slot. It asks nothing
/// without a hole, asks again only when its holes change (one closed, another further on), and does
/// not ask again merely because another slot beyond the same hole was decided. `accepted(slot,
/// value)` is a classic-round vote of protocol `P`; two of them decide in a cluster of three.
fn asks_for_missed_votes_once_per_hole<P: Protocol>(accepted: impl Fn(Slot, Value) -> P::Message) {
    let mut n1 = P::new(Config::new(3), 0, 1);
    assert_eq!(catchups(&mut n1, Input::Tick), Vec::<Slot>::new(), "no hole, nothing to ask");
    let decide = |node: &mut P, slot: Slot| {
        let value = value(1, slot + 1, Op::Set(0, 1));
        for from in [1, 2] {
            node.step(Input::Message { from, msg: accepted(slot, value.clone()) }, &mut Vec::new());
        }
    };
    decide(&mut n1, 2);
    assert_eq!(catchups(&mut n1, Input::Tick), [0, 0], "slots 0 and 1 missing: ask both acceptors from 0");
    assert_eq!(catchups(&mut n1, Input::Tick), Vec::<Slot>::new(), "asked once");
    decide(&mut n1, 6);
    assert_eq!(catchups(&mut n1, Input::Tick), Vec::<Slot>::new(), "the same hole: no new question");
    decide(&mut n1, 0);
    decide(&mut n1, 1);
    // Slots 0–2 decided, 3–5 missing, 6 decided: a new hole, asked about from 3.
    assert_eq!(catchups(&mut n1, Input::Tick), [3, 3]);
}

/// [`asks_for_missed_votes_once_per_hole`] for Basic Paxos.
///
/// Kills: a hole seen where there is none (every node flooding `Catchup`s), and the hole timer not
/// restarted (or restarted by every decision) when the decided prefix moves.
#[test]
fn a_basic_node_asks_for_missed_votes_once_per_hole() {
    let ballot = Ballot::new(1, 1);
    asks_for_missed_votes_once_per_hole::<basic::Node>(|slot, value| {
        basic::Message::Accepted(basic::Accepted { slot, ballot, value })
    });
}

/// [`asks_for_missed_votes_once_per_hole`] for Fast Paxos (its learner repairs holes as Basic
/// Paxos's does), with classic-round votes. Kills the same mistakes in `fast.rs`.
#[test]
fn a_fast_node_asks_for_missed_votes_once_per_hole() {
    let ballot = Ballot::new(1, 1);
    asks_for_missed_votes_once_per_hole::<fast::Node>(|slot, value| {
        fast::Message::Accepted(fast::Accepted { slot, ballot, value })
    });
}

/// Seed 001's clients wait for their command; a client that gives up and sends a newer one means
/// its older one no longer matters: a Basic Paxos proposer's queue then holds the newer command in
/// place of the older one, and every other client's command stays queued. Seen through the value
/// its next proposal carries.
///
/// Kills: the queue keeping only the requesting client's commands (every other client's command
/// silently dropped until its client retries).
#[test]
fn a_newer_request_replaces_only_its_own_clients_older_one() {
    let mut n1 = basic::Node::new(Config::new(3), 0, 1);
    let command = |client: u16, seq: u32| Command { client, seq, op: Op::Set(0, i64::from(seq)) };
    let step = |node: &mut basic::Node, input| {
        let mut out = Vec::new();
        node.step(input, &mut out);
        out
    };
    step(&mut n1, Input::Request(command(1, 1)));
    step(&mut n1, Input::Request(command(2, 1)));
    step(&mut n1, Input::Request(command(1, 2)));
    // Another proposer's value is chosen in slot 0: the running proposal ends, and the next one
    // proposes what is queued.
    let theirs = value(5, 1, Op::Set(0, 9));
    let mut prepare = None;
    for from in [1, 2] {
        let accepted = basic::Accepted { slot: 0, ballot: Ballot::new(9, 2), value: theirs.clone() };
        for o in step(&mut n1, Input::Message { from, msg: basic::Message::Accepted(accepted) }) {
            if let paxos_core::Output::Send { msg: basic::Message::Prepare(p), .. } = o {
                prepare.get_or_insert(p);
            }
        }
    }
    let basic::Prepare { slot, ballot } = prepare.expect("the next proposal starts phase 1");
    assert_eq!(slot, 1);
    let mut proposed = None;
    for from in [1, 2] {
        let promise = basic::Promise { slot, ballot, accepted: None };
        for o in step(&mut n1, Input::Message { from, msg: basic::Message::Promise(promise) }) {
            if let paxos_core::Output::Send { msg: basic::Message::Accept(a), .. } = o {
                proposed.get_or_insert(a.value);
            }
        }
    }
    let proposed = proposed.expect("the next proposal reaches phase 2");
    let queued: Vec<(u16, u32)> = proposed.commands().iter().map(|c| (c.client, c.seq)).collect();
    assert!(queued.contains(&(2, 1)), "client 2's command is still queued: {queued:?}");
    assert!(
        queued.contains(&(1, 2)) && !queued.contains(&(1, 1)),
        "client 1's newer command replaced its older one: {queued:?}"
    );
}

/// [`a_newer_request_replaces_only_its_own_clients_older_one`] for Fast Paxos, whose next proposal
/// is a fast round: its `FastAccept` carries what is queued.
///
/// Kills the same mistake in `fast.rs`.
#[test]
fn a_fast_paxos_proposer_replaces_only_its_own_clients_older_command() {
    let mut n1 = fast::Node::new(Config::new(3), 0, 1);
    let command = |client: u16, seq: u32| Command { client, seq, op: Op::Set(0, i64::from(seq)) };
    let mut out = Vec::new();
    for (client, seq) in [(1, 1), (2, 1), (1, 2)] {
        n1.step(Input::Request(command(client, seq)), &mut out);
    }
    // Another proposer's value is chosen in slot 0 (a classic round): the fast round of slot 1 starts.
    let theirs = value(5, 1, Op::Set(0, 9));
    let mut out = Vec::new();
    for from in [1, 2] {
        let accepted = fast::Accepted { slot: 0, ballot: Ballot::new(9, 2), value: theirs.clone() };
        n1.step(Input::Message { from, msg: fast::Message::Accepted(accepted) }, &mut out);
    }
    let proposed = out.into_iter().find_map(|o| match o {
        paxos_core::Output::Send { msg: fast::Message::FastAccept(fast::FastAccept { slot: 1, value }), .. } => {
            Some(value)
        }
        _ => None,
    });
    let proposed = proposed.expect("the fast round of slot 1 starts");
    let queued: Vec<(u16, u32)> = proposed.commands().iter().map(|c| (c.client, c.seq)).collect();
    assert_eq!(queued, [(2, 1), (1, 2)], "client 1's newer command replaced its older one, client 2's stays");
}
