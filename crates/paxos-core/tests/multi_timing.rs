//! Multi-Paxos's clocks (issue 15's mutation triage): when a candidate asks again and starts over,
//! how its election timeout backs off, and when a leader sends heartbeats and resends Accepts. A
//! clock that fires every tick, or never, breaks no safety invariant, so each period is tested here
//! tick by tick. Each test says which plausible mistake it catches.

mod common;

use common::{Cluster, elect_n1};
use paxos_core::multi::{self, Message, Replica};
use paxos_core::{Ballot, Config, Input, Message as _, MsgKind, Op, Protocol};

/// Seed 000 (a candidate runs phase 1 until a majority promises, or its time runs out): a candidate
/// asks again, every resend period, exactly those that have not promised (never itself), and runs
/// a new election with a higher ballot once its election timeout passes.
///
/// Kills: resending on every tick or never, to the wrong nodes, and a candidacy that never times out.
#[test]
fn a_candidate_asks_the_silent_again_then_starts_over() {
    let mut config = Config::new(5);
    config.timing.resend_ticks = 3;
    let mut n1 = Replica::new(config, 0, 1);
    let prepares = |out: &[paxos_core::Outputs<Replica>]| -> Vec<(u8, Ballot)> {
        out.iter()
            .filter_map(|o| match o {
                paxos_core::Output::Send { to, msg: Message::Prepare(p) } => Some((*to, p.ballot)),
                _ => None,
            })
            .collect()
    };
    let mut out = Vec::new();
    n1.step(Input::Timeout, &mut out);
    let ballot = prepares(&out)[0].1;
    assert_eq!(prepares(&out), [1, 2, 3, 4].map(|to| (to, ballot)));
    // n2 promises; one promise and its own are not a majority of 5.
    let promise = multi::Promise { ballot, first_open: 0, reports: Vec::new(), snapshot: None };
    n1.step(Input::Message { from: 1, msg: Message::Promise(promise) }, &mut Vec::new());
    let silent = [2, 3, 4].map(|to| (to, ballot));
    for tick in 1..200u32 {
        let mut out = Vec::new();
        n1.step(Input::Tick, &mut out);
        let sent = prepares(&out);
        if sent.first().is_some_and(|(_, b)| *b != ballot) {
            assert!(tick > 2 * config.timing.resend_ticks, "tick {tick}: a new election before the timeout");
            assert!(sent.iter().all(|(_, b)| *b > ballot), "tick {tick}: {sent:?}");
            return;
        }
        let expected: &[(u8, Ballot)] = if tick % config.timing.resend_ticks == 0 { &silent } else { &[] };
        assert_eq!(sent, expected, "tick {tick}");
    }
    panic!("the candidacy never timed out");
}

/// Seed 000 (the leader's heartbeats) and Paxos Made Simple §2.2 (a proposer may resend): a leader
/// sends a heartbeat every `heartbeat_ticks` and resends an Accept that a majority has not answered
/// every `resend_ticks` — to the nodes that have not voted — and not more often.
///
/// Kills: a heartbeat or a resend on every tick (a tick counter that wraps instead of counting).
#[test]
fn a_leader_sends_heartbeats_and_resends_accepts_on_their_periods() {
    let mut c: Cluster<Replica> = Cluster::new(Config::new(3));
    elect_n1(&mut c);
    c.network.clear();
    let timing = c.config.timing;
    // Slot 1 is proposed; n1 votes for it itself, n2 and n3 never get the Accept.
    c.request(0, 0, 2, Op::Set(0, 2));
    c.network.clear();
    let kinds_at = |c: &mut Cluster<Replica>| {
        let before = c.sent.len();
        c.tick(0, 1);
        c.network.clear();
        c.sent[before..].iter().map(|e| (e.to, e.msg.label().kind)).collect::<Vec<_>>()
    };
    for tick in 1..=2 * timing.resend_ticks.max(timing.heartbeat_ticks) {
        let sent = kinds_at(&mut c);
        let heartbeats = sent.iter().filter(|(_, kind)| *kind == MsgKind::Heartbeat).count();
        let resent: Vec<u8> = sent.iter().filter(|(_, kind)| *kind == MsgKind::Accept).map(|(to, _)| *to).collect();
        assert_eq!(heartbeats, if tick % timing.heartbeat_ticks == 0 { 2 } else { 0 }, "tick {tick}: {sent:?}");
        let expected: &[u8] = if tick % timing.resend_ticks == 0 { &[1, 2] } else { &[] };
        assert_eq!(resent, expected, "tick {tick}: {sent:?}");
    }
}

/// Seed 000 and Raft §5.2's randomized timeouts, with the back-off that cures duelling candidates
/// (seed 001's livelock): the k-th election in a row without a leader lasts between
/// `election_ticks_min` and `election_ticks_max` + base·2^(k−1) ticks (the back-off at most its
/// maximum), and over many seeds the longest passes the bound before it. Read through the rule each
/// timeout reports (`ElectionTimeout`'s `ticks`).
///
/// Kills: a back-off that does not double (or starts doubled).
#[test]
fn a_candidates_election_timeout_backs_off_with_each_failure() {
    let timing = paxos_core::Timing::default();
    let (min, max) = (timing.election_ticks_min, timing.election_ticks_max);
    let mut longest = [0u32; 4];
    for seed in 0..300 {
        let mut n1 = Replica::new(Config::new(3), 0, seed);
        n1.set_explain(true);
        n1.step(Input::Timeout, &mut Vec::new());
        for (attempt, longest) in longest.iter_mut().enumerate() {
            let ticks = (1..1_000)
                .find_map(|_| match common::rules(&mut n1, Input::Tick)[..] {
                    [paxos_core::Rule::ElectionTimeout { ticks, .. }] => Some(ticks),
                    _ => None,
                })
                .expect("the candidacy times out");
            let backoff = timing.backoff_ticks_base.saturating_mul(1 << attempt).min(timing.backoff_ticks_max);
            assert!((min..=max + backoff).contains(&ticks), "seed {seed}, election {}: {ticks} ticks", attempt + 1);
            *longest = (*longest).max(ticks);
        }
    }
    for attempt in 1..4 {
        let before = max + timing.backoff_ticks_base.saturating_mul(1 << (attempt - 1));
        assert!(longest[attempt] > before, "election {}: longest {longest:?}", attempt + 1);
    }
}
