//! Every decision explains itself (issue 12): for each rule of Basic, Multi and Fast Paxos, the
//! situation that calls for it, built by hand, and exactly the [`Rule`] (with its numbers) the node
//! reports. Each test fails if the rule is not reported, or reported with other numbers.
//!
//! Rules and where they are stated: Paxos Made Simple P1a (an acceptor refuses below its promise),
//! P2c (the value with the highest `vrnd`); seed 000 (the leader is alive); seed 001 (the seeds'
//! proposer, acceptor and learner); Fast Paxos §3.3 (collision and recovery).

mod common;

use common::{Cluster, rules};
use paxos_core::multi::Report;
use paxos_core::{Ballot, Command, Config, Input, Op, Output, Outputs, Protocol, Role, Rule, Slot, Value, ValueId};
use paxos_core::{basic, fast, multi};

fn value(client: u16, seq: u32) -> Value {
    Value::batch([Command { client, seq, op: Op::Set(0, i64::from(seq)) }])
}

/// Node `id` of a cluster of `nodes`, asked to explain itself.
fn node<P: Protocol>(nodes: u8, id: u8) -> P {
    let mut node = P::new(Config::new(nodes), id, 1);
    node.set_explain(true);
    node
}

fn msg<M, D>(from: u8, msg: M) -> Input<M, D> {
    Input::Message { from, msg }
}

/// `msg` from `from`, as input to a node of protocol `P`.
fn from<P: Protocol>(from: u8, msg: P::Message) -> Input<P::Message, P::Durable> {
    Input::Message { from, msg }
}

const B11: Ballot = Ballot::new(1, 0);
const B12: Ballot = Ballot::new(1, 1);
const B13: Ballot = Ballot::new(1, 2);

// ------------------------------------------------------------------------------ Basic Paxos acceptor

/// Paxos Made Simple P1a; seed 001: an acceptor promises a ballot at least its `last_rnd`, and
/// refuses a lower one naming the ballot it promised.
#[test]
fn basic_an_acceptor_promises_then_refuses_a_lower_prepare() {
    let mut n3: basic::Node = node(3, 2);
    let promised =
        rules(&mut n3, from::<basic::Node>(1, basic::Message::Prepare(basic::Prepare { slot: 4, ballot: B12 })));
    assert_eq!(promised, [Rule::Promised { node: 2, to: 1, slot: 4, ballot: B12, accepted: None }]);
    let refused =
        rules(&mut n3, from::<basic::Node>(0, basic::Message::Prepare(basic::Prepare { slot: 4, ballot: B11 })));
    assert_eq!(refused, [Rule::PrepareRefused { node: 2, to: 0, slot: 4, ballot: B11, promised: B12 }]);
}

/// Paxos Made Simple P1a; seed 001: an acceptor accepts unless it promised higher; a later promise
/// reports what it accepted (`v`, `vrnd`).
#[test]
fn basic_an_acceptor_accepts_refuses_below_its_promise_and_reports_its_vote() {
    let mut n3: basic::Node = node(3, 2);
    let x = value(0, 1);
    let accept = |ballot| basic::Message::Accept(basic::Accept { slot: 0, ballot, value: x.clone() });
    let accepted = rules(&mut n3, from::<basic::Node>(0, accept(B11)));
    assert_eq!(accepted, [Rule::Accepted { node: 2, slot: 0, ballot: B11, value: ValueId::of(&x) }]);
    let promise =
        rules(&mut n3, from::<basic::Node>(2, basic::Message::Prepare(basic::Prepare { slot: 0, ballot: B13 })));
    let reported = Some((B11, ValueId::Batch { client: 0, seq: 1, more: 0 }));
    assert_eq!(promise, [Rule::Promised { node: 2, to: 2, slot: 0, ballot: B13, accepted: reported }]);
    let refused = rules(&mut n3, from::<basic::Node>(1, accept(B12)));
    assert_eq!(refused, [Rule::AcceptRefused { node: 2, to: 1, slot: 0, ballot: B12, promised: B13 }]);
}

// ------------------------------------------------------------------------------ Basic Paxos proposer

/// Paxos Made Simple P2c: with no value among a majority of promises, a proposer proposes its own.
#[test]
fn basic_a_proposer_proposes_its_own_value_when_no_promise_reports_one() {
    let mut n1: basic::Node = node(3, 0);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    let promise = basic::Message::Promise(basic::Promise { slot: 0, ballot: B11, accepted: None });
    let got = rules(&mut n1, from::<basic::Node>(1, promise));
    let own = ValueId::Batch { client: 0, seq: 1, more: 0 };
    assert_eq!(got[0], Rule::ProposeOwn { node: 0, slot: 0, ballot: B11, value: own, promises: 2 });
}

/// Paxos Made Simple P2c; seed 001 ("X must choose y"): a promise reporting a value makes the
/// proposer propose the value with the highest `vrnd`, not its own.
#[test]
fn basic_a_proposer_proposes_the_value_with_the_highest_vrnd() {
    let mut n1: basic::Node = node(3, 0);
    let y = value(1, 7);
    // A vote seen at round 1 makes n1's own round 2.
    let seen = basic::Message::Accepted(basic::Accepted { slot: 9, ballot: B12, value: y.clone() });
    n1.step(msg(1, seen), &mut Vec::new());
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    let ours = Ballot::new(2, 0);
    let promise = basic::Message::Promise(basic::Promise { slot: 0, ballot: ours, accepted: Some((B12, y.clone())) });
    let got = rules(&mut n1, from::<basic::Node>(1, promise));
    let expected =
        Rule::ProposeHighest { node: 0, slot: 0, ballot: ours, value: ValueId::of(&y), vrnd: B12, promises: 2 };
    assert_eq!(got[0], expected);
}

/// Seed 001 (livelock and its cure): a `Nack` makes the proposer give its round up and try a higher
/// one, after a random back-off or, without back-off, at once.
#[test]
fn basic_a_proposer_preempted_by_a_nack_backs_off_or_retries() {
    let mut n1: basic::Node = node(3, 0);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    let nack = basic::Message::Nack(basic::Nack { slot: 0, ballot: B11, promised: B13 });
    let got = rules(&mut n1, from::<basic::Node>(2, nack.clone()));
    let limit = Config::new(3).timing.backoff_ticks_base;
    match got[..] {
        [Rule::Preempted { node: 0, slot: 0, ballot: B11, promised: B13, wait_ticks }] => {
            assert!((1..=limit).contains(&wait_ticks), "{wait_ticks}")
        }
        _ => panic!("{got:?}"),
    }

    let mut config = Config::new(3);
    config.backoff = false;
    let mut n1 = basic::Node::new(config, 0, 1);
    n1.set_explain(true);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    let got = rules(&mut n1, from::<basic::Node>(2, nack));
    assert_eq!(got[0], Rule::Preempted { node: 0, slot: 0, ballot: B11, promised: B13, wait_ticks: 0 });
}

/// Seed 001; seed 002: a value accepted by a majority in one round is chosen.
#[test]
fn basic_a_learner_learns_a_value_a_majority_accepted() {
    let mut n1: basic::Node = node(3, 0);
    let x = value(0, 1);
    let vote = || basic::Message::Accepted(basic::Accepted { slot: 3, ballot: B12, value: x.clone() });
    assert_eq!(rules(&mut n1, from::<basic::Node>(1, vote())), []);
    let chosen = rules(&mut n1, from::<basic::Node>(2, vote()));
    assert_eq!(chosen, [Rule::Chosen { node: 0, slot: 3, ballot: B12, value: ValueId::of(&x), votes: 2, quorum: 2 }]);
}

/// Explaining changes nothing else: the same steps give the same other outputs, and a node not
/// asked reports no rule.
#[test]
fn explaining_changes_no_other_output() {
    let script = |explain: bool| {
        let mut n1 = basic::Node::new(Config::new(3), 0, 5);
        n1.set_explain(explain);
        let mut out = Vec::new();
        n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut out);
        n1.step(msg(1, basic::Message::Promise(basic::Promise { slot: 0, ballot: B11, accepted: None })), &mut out);
        n1.step(msg(2, basic::Message::Nack(basic::Nack { slot: 0, ballot: B11, promised: B13 })), &mut out);
        out
    };
    let (bare, explained) = (script(false), script(true));
    let is_rule = |o: &Outputs<basic::Node>| matches!(o, Output::Explain(_));
    assert!(!bare.iter().any(is_rule));
    assert!(explained.iter().filter(|o| is_rule(o)).count() >= 3);
    let others: Vec<String> = explained.iter().filter(|o| !is_rule(o)).map(|o| format!("{o:?}")).collect();
    assert_eq!(others, bare.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>());
}

// ------------------------------------------------------------------------------ Multi-Paxos

/// Paxos Made Simple P1a (Multi-Paxos promises every slot from `first_open` at once); seed 000: a
/// follower that hears its leader refuses to help elect another.
#[test]
fn multi_an_acceptor_promises_refuses_and_defends_a_live_leader() {
    let mut n2: multi::Replica = node(3, 1);
    let prepare = |ballot| multi::Message::Prepare(multi::Prepare { ballot, first_open: 0 });
    let got = rules(&mut n2, from::<multi::Replica>(2, prepare(Ballot::new(2, 2))));
    assert_eq!(got, [Rule::PromisedSlots { node: 1, to: 2, ballot: Ballot::new(2, 2), first_open: 0, reports: 0 }]);
    let got = rules(&mut n2, from::<multi::Replica>(0, prepare(B11)));
    assert_eq!(got, [Rule::PrepareRefused { node: 1, to: 0, slot: 0, ballot: B11, promised: Ballot::new(2, 2) }]);
    let accept = multi::Message::Accept(multi::Accept { ballot: B11, slot: 0, value: value(0, 1), commit: 0 });
    let got = rules(&mut n2, from::<multi::Replica>(0, accept));
    assert_eq!(got, [Rule::AcceptRefused { node: 1, to: 0, slot: 0, ballot: B11, promised: Ballot::new(2, 2) }]);

    let mut n2: multi::Replica = node(3, 1);
    n2.step(msg(0, multi::Message::Heartbeat(multi::Heartbeat { ballot: B11, commit: 0 })), &mut Vec::new());
    let got = rules(&mut n2, from::<multi::Replica>(2, prepare(Ballot::new(2, 2))));
    assert_eq!(got, [Rule::LeaderAlive { node: 1, to: 2, ballot: Ballot::new(2, 2), leader: 0 }]);
}

/// Paxos Made Simple §3: a leader is elected by a majority of promises, then proposes each command
/// in phase 2 only; an acceptor accepts; a majority of votes chooses. Seed 000: the election starts
/// when no leader was heard for a randomized timeout.
#[test]
fn multi_election_by_timeout_then_phase_2_only() {
    let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(3));
    let timing = c.config.timing;
    for _ in 0..timing.election_ticks_max + 1 {
        c.tick(0, 1);
        if c.node(0).view().role == Role::Candidate {
            break;
        }
    }
    let timeout = c.rules.iter().find_map(|r| match *r {
        Rule::ElectionTimeout { node: 0, ticks, ballot } => Some((ticks, ballot)),
        _ => None,
    });
    let (ticks, ballot) = timeout.expect("n1 ran for leader on a timeout");
    assert!((timing.election_ticks_min..=timing.election_ticks_max).contains(&ticks), "{ticks}");
    assert_eq!(ballot, B11);
    c.deliver_all(100);
    assert!(c.rules.contains(&Rule::Elected { node: 0, ballot: B11, promises: 2, quorum: 2 }), "{:?}", c.rules);
    c.rules.clear();
    c.request(0, 0, 1, Op::Set(0, 1));
    let x = ValueId::Batch { client: 0, seq: 1, more: 0 };
    assert_eq!(
        c.rules,
        [
            Rule::SkipPhase1 { node: 0, slot: 0, ballot: B11, value: x },
            Rule::Accepted { node: 0, slot: 0, ballot: B11, value: x }
        ]
    );
    c.deliver_all(100);
    assert!(c.rules.contains(&Rule::Chosen { node: 0, slot: 0, ballot: B11, value: x, votes: 2, quorum: 2 }));
}

/// Paxos Made Simple P2c applied per slot by a new leader: re-propose the highest `vrnd`'s value,
/// fill a slot nobody reported with a no-op.
#[test]
fn multi_a_new_leader_reproposes_reported_values_and_fills_holes() {
    let mut n1: multi::Replica = node(3, 0);
    n1.step(Input::Timeout, &mut Vec::new());
    n1.step(Input::Timeout, &mut Vec::new()); // a second bid: ballot 2.1
    let ours = Ballot::new(2, 0);
    let (y, z) = (value(1, 1), value(2, 1));
    let reports = vec![
        Report::Accepted { slot: 0, ballot: B12, value: y.clone() },
        Report::Accepted { slot: 2, ballot: B13, value: z.clone() },
    ];
    let promise = multi::Message::Promise(multi::Promise { ballot: ours, first_open: 0, reports, snapshot: None });
    let got = rules(&mut n1, from::<multi::Replica>(1, promise));
    let chosen: Vec<Rule> = got
        .into_iter()
        .filter(|r| matches!(r, Rule::Elected { .. } | Rule::Repropose { .. } | Rule::FillHole { .. }))
        .collect();
    assert_eq!(
        chosen,
        [
            Rule::Elected { node: 0, ballot: ours, promises: 2, quorum: 2 },
            Rule::Repropose { node: 0, slot: 0, ballot: ours, vrnd: B12, value: ValueId::of(&y) },
            Rule::FillHole { node: 0, slot: 1, ballot: ours },
            Rule::Repropose { node: 0, slot: 2, ballot: ours, vrnd: B13, value: ValueId::of(&z) },
        ]
    );
}

/// Paxos Made Simple §3 (preemption): a candidate or leader that sees a higher ballot steps down.
#[test]
fn multi_a_candidate_steps_down_on_a_higher_ballot() {
    let mut n1: multi::Replica = node(3, 0);
    n1.step(Input::Timeout, &mut Vec::new());
    let nack = multi::Message::Nack(multi::Nack { ballot: B11, promised: Ballot::new(3, 2) });
    let got = rules(&mut n1, from::<multi::Replica>(1, nack));
    assert_eq!(got, [Rule::SteppedDown { node: 0, ours: B11, seen: Ballot::new(3, 2) }]);
    assert_eq!(n1.view().role, Role::Follower);
}

/// Seed 000: a candidate that so many tell "the leader is alive" that no majority is left gives up.
#[test]
fn multi_a_candidate_gives_up_when_a_majority_hears_a_leader() {
    let mut n1: multi::Replica = node(3, 0);
    n1.step(Input::Timeout, &mut Vec::new());
    let alive = || multi::Message::LeaderAlive(multi::LeaderAlive { ballot: B11, leader: 2 });
    assert_eq!(rules(&mut n1, from::<multi::Replica>(1, alive())), []);
    let got = rules(&mut n1, from::<multi::Replica>(2, alive()));
    assert_eq!(got, [Rule::GaveUp { node: 0, ballot: B11, leader: 2, refusals: 2 }]);
}

/// Check quorum: a leader that hears no majority for an election timeout steps down; a lagging
/// follower is sent the decided values it lacks.
#[test]
fn multi_a_leader_catches_followers_up_and_steps_down_alone() {
    let mut c: Cluster<multi::Replica> = Cluster::new(Config::new(3));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_all(100);
    c.request(0, 0, 2, Op::Set(0, 2));
    c.deliver_all(100);
    assert_eq!(c.node(0).view().role, Role::Leader);
    let ballot = c.node(0).view().ballot;
    c.rules.clear();
    let lagging = multi::Message::HeartbeatOk(multi::HeartbeatOk { ballot, prefix: 0, commit: 2 });
    c.step(0, Input::Message { from: 2, msg: lagging });
    assert_eq!(c.rules, [Rule::CatchUp { node: 0, to: 2, prefix: 0, commit: 2, snapshot: false }]);

    c.crash(1);
    c.crash(2);
    c.rules.clear();
    c.tick(0, c.config.timing.election_ticks_max as usize * 2);
    assert!(c.rules.contains(&Rule::LostQuorum { node: 0, ballot, heard: 1, quorum: 2 }), "{:?}", c.rules);
}

// ------------------------------------------------------------------------------ Fast Paxos

/// Fast Paxos §3.1; seed 001: an acceptor votes once in the fast round (round 0), refuses it once
/// it promised a classic round, and restates its vote to a late proposer.
#[test]
fn fast_an_acceptor_votes_once_and_refuses_the_fast_round_after_a_promise() {
    let (x, y) = (value(0, 1), value(1, 1));
    let mut n3: fast::Node = node(5, 2);
    let fast_accept = |v: &Value| fast::Message::FastAccept(fast::FastAccept { slot: 0, value: v.clone() });
    let got = rules(&mut n3, from::<fast::Node>(0, fast_accept(&x)));
    assert_eq!(got, [Rule::Accepted { node: 2, slot: 0, ballot: Ballot::ZERO, value: ValueId::of(&x) }]);
    let got = rules(&mut n3, from::<fast::Node>(1, fast_accept(&y)));
    assert_eq!(got, [Rule::AlreadyVoted { node: 2, to: 1, slot: 0, vrnd: Ballot::ZERO, value: ValueId::of(&x) }]);

    let mut n4: fast::Node = node(5, 3);
    let prepare = fast::Message::Prepare(fast::Prepare { slot: 0, ballot: B12 });
    assert_eq!(
        rules(&mut n4, from::<fast::Node>(1, prepare)),
        [Rule::Promised { node: 3, to: 1, slot: 0, ballot: B12, accepted: None }]
    );
    let got = rules(&mut n4, from::<fast::Node>(0, fast_accept(&x)));
    assert_eq!(got, [Rule::AcceptRefused { node: 3, to: 0, slot: 0, ballot: Ballot::ZERO, promised: B12 }]);
}

/// Fast Paxos §3.3; seed 001: votes so split that no value can still reach a fast quorum are a
/// collision; a learner learns a value a fast quorum voted for.
#[test]
fn fast_a_proposer_sees_a_collision_and_a_learner_a_fast_quorum() {
    let mut n1: fast::Node = node(5, 0);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    let vote = |v: Value| fast::Message::Accepted(fast::Accepted { slot: 0, ballot: Ballot::ZERO, value: v });
    assert_eq!(rules(&mut n1, from::<fast::Node>(1, vote(value(1, 1)))), []);
    let got = rules(&mut n1, from::<fast::Node>(2, vote(value(2, 1))));
    assert_eq!(got, [Rule::Collision { node: 0, slot: 0, best: 1, silent: 2, fast_quorum: 4 }]);

    let mut n5: fast::Node = node(5, 4);
    let x = value(0, 1);
    for voter in 0..3 {
        assert_eq!(rules(&mut n5, from::<fast::Node>(voter, vote(x.clone()))), []);
    }
    let got = rules(&mut n5, from::<fast::Node>(3, vote(x.clone())));
    assert_eq!(got, [Rule::ChosenFast { node: 4, slot: 0, value: ValueId::of(&x), votes: 4, fast_quorum: 4 }]);
}

/// Fast Paxos §3.3: after a fast round, the classic round keeps a value with at least q − (n − f)
/// votes among the q promises (it may have been chosen), and is free when none has that many.
#[test]
fn fast_recovery_keeps_a_value_with_enough_votes_or_is_free() {
    let (y, z) = (value(1, 1), value(2, 1));
    let recover = |second: &Value, third: &Value| {
        let mut n1: fast::Node = node(5, 0);
        n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
        n1.step(Input::Timeout, &mut Vec::new()); // a classic round 1.1; n1's own acceptor promises
        let promise = |v: &Value| {
            fast::Message::Promise(fast::Promise { slot: 0, ballot: B11, accepted: Some((Ballot::ZERO, v.clone())) })
        };
        assert_eq!(rules(&mut n1, from::<fast::Node>(1, promise(second))), []);
        rules(&mut n1, from::<fast::Node>(2, promise(third)))
    };
    // n = 5, f = 4, q = 3: a value needs 3 − (5 − 4) = 2 votes among the promises.
    let kept = recover(&y, &y);
    assert_eq!(
        kept[0],
        Rule::RecoveryKeeps {
            node: 0,
            slot: 0,
            ballot: B11,
            value: ValueId::of(&y),
            votes: 2,
            promises: 3,
            acceptors: 5,
            fast_quorum: 4
        }
    );
    let free = recover(&y, &z);
    let own = ValueId::Batch { client: 0, seq: 1, more: 0 };
    assert_eq!(
        free[0],
        Rule::RecoveryFree {
            node: 0,
            slot: 0,
            ballot: B11,
            value: own,
            best: 1,
            promises: 3,
            acceptors: 5,
            fast_quorum: 4
        }
    );
}

/// Fast Paxos §3.3, with Paxos Made Simple §2.2 (P2c) for classic votes: a classic round whose
/// promises report a classic vote keeps the value of the highest one (fast-round votes below it do
/// not count); with no vote reported it proposes its own value.
#[test]
fn fast_a_classic_round_keeps_the_highest_classic_vote_or_proposes_its_own() {
    let (y, z) = (value(1, 1), value(2, 1));
    let start = |timeouts: usize| {
        let mut n1: fast::Node = node(5, 0);
        n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
        for _ in 0..timeouts {
            n1.step(Input::Timeout, &mut Vec::new());
        }
        n1
    };
    let promise = |ballot: Ballot, accepted: Option<(Ballot, Value)>| {
        fast::Message::Promise(fast::Promise { slot: 0, ballot, accepted })
    };
    // No vote reported: its own value. (n2 promised n1's round 1.1 before its client's request came,
    // so its own acceptor refused its fast round and has no vote to report either.)
    let mut n2: fast::Node = node(5, 1);
    n2.step(from::<fast::Node>(0, fast::Message::Prepare(fast::Prepare { slot: 0, ballot: B11 })), &mut Vec::new());
    n2.step(Input::Request(Command { client: 1, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    n2.step(Input::Timeout, &mut Vec::new()); // above the promised 1.1: round 2.2
    let b22 = Ballot::new(2, 1);
    assert_eq!(rules(&mut n2, from::<fast::Node>(2, promise(b22, None))), []);
    let got = rules(&mut n2, from::<fast::Node>(3, promise(b22, None)));
    let theirs = ValueId::Batch { client: 1, seq: 1, more: 0 };
    let proposed = Rule::ProposeOwn { node: 1, slot: 0, ballot: b22, value: theirs, promises: 3 };
    assert_eq!(got.first(), Some(&proposed), "{got:?}");
    // A classic vote (round 1) above fast-round votes (round 0) for another value: the classic one.
    let b21 = Ballot::new(2, 0);
    let mut n1 = start(2);
    let voted = |ballot: Ballot, v: &Value| promise(b21, Some((ballot, v.clone())));
    assert_eq!(rules(&mut n1, from::<fast::Node>(1, voted(Ballot::ZERO, &z))), []);
    let got = rules(&mut n1, from::<fast::Node>(2, voted(B12, &y)));
    let highest =
        Rule::ProposeHighest { node: 0, slot: 0, ballot: b21, value: ValueId::of(&y), vrnd: B12, promises: 3 };
    assert_eq!(got.first(), Some(&highest), "{got:?}");
}

/// Fast Paxos §2.1 and Paxos Made Simple §2.2: accepting a proposal numbered n promises n too, so an
/// acceptor that votes in round 1.2 without having seen its Prepare refuses a later Prepare of 1.1.
///
/// Kills: not raising the promise when a vote is above it (the acceptor would then promise 1.1,
/// report a vote from a higher round than it promised, and could overwrite that vote with 1.1's).
#[test]
fn fast_a_vote_above_the_promise_raises_the_promise() {
    let x = value(0, 1);
    let mut n3: fast::Node = node(5, 2);
    let accept = fast::Message::Accept(fast::Accept { slot: 0, ballot: B12, value: x.clone() });
    let got = rules(&mut n3, from::<fast::Node>(1, accept));
    assert_eq!(got, [Rule::Accepted { node: 2, slot: 0, ballot: B12, value: ValueId::of(&x) }]);
    let promised = n3.acceptor(0).map(|a| a.last_rnd);
    assert_eq!(promised, Some(B12));
    let prepare = fast::Message::Prepare(fast::Prepare { slot: 0, ballot: B11 });
    let got = rules(&mut n3, from::<fast::Node>(0, prepare));
    assert_eq!(got, [Rule::PrepareRefused { node: 2, to: 0, slot: 0, ballot: B11, promised: B12 }]);
}

/// Paxos Made Simple §2.2 (a proposer may abandon a proposal at any time): a proposer that hears no
/// answer for its resend time tries a higher ballot — in Fast Paxos, a fast round that times out
/// falls back to a classic round.
#[test]
fn a_proposer_that_hears_nothing_abandons_its_ballot() {
    let resend = Config::new(3).timing.resend_ticks;
    let mut n1: basic::Node = node(3, 0);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    for _ in 1..resend {
        assert_eq!(rules(&mut n1, Input::Tick), []);
    }
    assert_eq!(rules(&mut n1, Input::Tick)[0], Rule::NoAnswer { node: 0, slot: 0, ballot: B11, ticks: resend });

    let mut n1: fast::Node = node(5, 0);
    n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut Vec::new());
    for _ in 1..resend {
        n1.step(Input::Tick, &mut Vec::new());
    }
    let got = rules(&mut n1, Input::Tick);
    assert_eq!(got[0], Rule::NoAnswer { node: 0, slot: 0, ballot: Ballot::ZERO, ticks: resend });
}

/// Seed 001 (a proposer's run "repairs" an interrupted one): a learner that misses a slot below a
/// decided one, and cannot learn it from the acceptors, runs Paxos there with a no-op — after its
/// resend time, not before, and only with a hole. `accepted(slot, value)` is a classic-round vote of
/// protocol `P`.
fn repairs_a_hole_with_a_noop<P: Protocol>(accepted: impl Fn(Slot, Value) -> P::Message) {
    let resend = Config::new(3).timing.resend_ticks;
    let mut n1: P = node(3, 0);
    for _ in 0..=resend + 1 {
        assert_eq!(rules(&mut n1, Input::Tick), [], "no hole, nothing to repair");
    }
    let x = value(1, 1);
    for voter in [1, 2] {
        n1.step(msg(voter, accepted(1, x.clone())), &mut Vec::new());
    }
    let mut repaired = None;
    for _ in 0..=resend + 1 {
        let got = rules(&mut n1, Input::Tick);
        if !got.is_empty() {
            repaired = Some(got);
            break;
        }
    }
    let got = repaired.expect("n1 repairs slot 0");
    assert_eq!(got[0], Rule::RepairHole { node: 0, slot: 0, ticks: resend + 1 });
}

/// [`repairs_a_hole_with_a_noop`] for Basic Paxos.
#[test]
fn basic_a_learner_with_a_hole_repairs_it_with_a_noop() {
    repairs_a_hole_with_a_noop::<basic::Node>(|slot, value| {
        basic::Message::Accepted(basic::Accepted { slot, ballot: B12, value })
    });
}

/// [`repairs_a_hole_with_a_noop`] for Fast Paxos (the no-op goes through a classic round, whose
/// recovery rule finds a value that may have been chosen there).
///
/// Kills: the repair started at once, or by a node with no hole, or before the resend time.
#[test]
fn fast_a_learner_with_a_hole_repairs_it_with_a_noop() {
    repairs_a_hole_with_a_noop::<fast::Node>(|slot, value| {
        fast::Message::Accepted(fast::Accepted { slot, ballot: B12, value })
    });
}

/// The ballot of the first `Prepare` among `out`, if any.
fn prepared(out: &[Outputs<basic::Node>]) -> Option<Ballot> {
    out.iter().find_map(|o| match o {
        Output::Send { msg: basic::Message::Prepare(p), .. } => Some(p.ballot),
        _ => None,
    })
}

fn prepared_fast(out: &[Outputs<fast::Node>]) -> Option<Ballot> {
    out.iter().find_map(|o| match o {
        Output::Send { msg: fast::Message::Prepare(p), .. } => Some(p.ballot),
        _ => None,
    })
}

/// Seed 001 (the livelock, cured by a randomized back-off): the k-th `Nack` for the round being
/// tried makes the proposer wait 1 to base·2^(k−1) ticks (at most the maximum) before its next
/// round; a `Nack` that arrives while it already waits changes nothing. Read through the rule each
/// `Nack` reports (`Preempted`'s `wait_ticks`), over many seeds.
#[test]
fn basic_the_back_off_doubles_with_each_nack_and_ignores_nacks_while_waiting() {
    let nack = |ballot, promised| basic::Message::Nack(basic::Nack { slot: 0, ballot, promised });
    the_back_off_doubles::<basic::Node>(|_, _| {}, nack, prepared);
}

/// The same cure in Fast Paxos (§3.3 leaves what a pre-empted classic round does to the
/// implementation; this one backs off as Basic Paxos does), from a classic round its timeout started.
#[test]
fn fast_the_back_off_doubles_with_each_nack_and_ignores_nacks_while_waiting() {
    let nack = |ballot, promised| fast::Message::Nack(fast::Nack { slot: 0, ballot, promised });
    the_back_off_doubles::<fast::Node>(|n, out| n.step(Input::Timeout, out), nack, prepared_fast);
}

/// The back-off test for a proposer of protocol `P`: after a request (and `classic`, which gets it to
/// a classic round if it does not start in one), each `Nack` (made by `nack(ballot, promised)`) is
/// answered by a wait within the doubling range, and `prepared` finds the next round's ballot.
fn the_back_off_doubles<P: Protocol>(
    classic: impl Fn(&mut P, &mut Vec<Outputs<P>>),
    nack: impl Fn(Ballot, Ballot) -> P::Message,
    prepared: impl Fn(&[Outputs<P>]) -> Option<Ballot>,
) {
    let config = Config::new(3);
    let (base, max) = (config.timing.backoff_ticks_base, config.timing.backoff_ticks_max);
    let mut largest = [0u32; 4];
    for seed in 0..300 {
        let mut n1 = P::new(config, 0, seed);
        n1.set_explain(true);
        let mut out = Vec::new();
        n1.step(Input::Request(Command { client: 0, seq: 1, op: Op::Set(0, 1) }), &mut out);
        classic(&mut n1, &mut out);
        let mut ballot = prepared(&out).expect("a classic round");
        for (attempt, longest) in largest.iter_mut().enumerate() {
            let promised = Ballot::new(ballot.round + 1, 2);
            let wait = match rules(&mut n1, from::<P>(2, nack(ballot, promised)))[..] {
                [Rule::Preempted { wait_ticks, .. }] => wait_ticks,
                ref got => panic!("seed {seed}, attempt {attempt}: {got:?}"),
            };
            let limit = base.saturating_mul(1 << attempt).min(max);
            assert!((1..=limit).contains(&wait), "seed {seed}, attempt {attempt}: waits {wait}, limit {limit}");
            *longest = (*longest).max(wait);
            // Another Nack for the same round while waiting: no new decision, no new wait.
            assert_eq!(
                rules(&mut n1, from::<P>(1, nack(ballot, promised))),
                [],
                "seed {seed}: a Nack while backing off"
            );
            // The wait ends after exactly `wait` ticks with a higher round.
            let mut out = Vec::new();
            for _ in 0..wait {
                assert_eq!(prepared(&out), None, "seed {seed}: the round restarted before its wait was over");
                n1.step(Input::Tick, &mut out);
            }
            let next = prepared(&out).unwrap_or_else(|| panic!("seed {seed}: no new round after {wait} ticks"));
            assert!(next > promised, "seed {seed}: the new round {next} is above the promise {promised}");
            ballot = next;
        }
    }
    // The range really doubles: over 300 seeds each attempt's longest wait passes the limit before.
    for attempt in 1..4 {
        let before = base.saturating_mul(1 << (attempt - 1)).min(max);
        assert!(largest[attempt] > before || before == max, "attempt {attempt}: longest wait {largest:?}");
    }
}
