//! Raft's clocks (issue 15's mutation triage), as `multi_timing.rs` has Multi-Paxos's: when a leader
//! sends heartbeats, when a candidate asks again and when it starts a new term. A clock that fires
//! every tick, or never, breaks no safety invariant, so each period is tested here tick by tick.
//! Each test says which plausible mistake it catches.

mod common;

use common::Cluster;
use paxos_core::raft::{Message, Node, Vote};
use paxos_core::{Config, Input, NodeId, Output, Outputs, Protocol};

/// §5.2 ("leaders send periodic heartbeats … to all followers in order to maintain their
/// authority"): a leader sends every follower an AppendEntries every `heartbeat_ticks`, and nothing
/// in between.
///
/// Kills: a heartbeat on every tick (a tick counter that wraps, or a comparison the wrong way round)
/// and a heartbeat never (a counter that does not count).
#[test]
fn a_raft_leader_sends_heartbeats_on_their_period() {
    let mut c: Cluster<Node> = Cluster::new(Config::new(3));
    c.step(0, Input::Timeout);
    c.deliver_all(1_000);
    assert!(c.node(0).is_leader(), "n1 leads");
    let timing = c.config.timing;
    for tick in 1..=3 * timing.heartbeat_ticks {
        let before = c.sent.len();
        c.tick(0, 1);
        c.network.clear();
        let to: Vec<NodeId> =
            c.sent[before..].iter().filter(|e| matches!(e.msg, Message::AppendEntries(_))).map(|e| e.to).collect();
        let expected: &[NodeId] = if tick % timing.heartbeat_ticks == 0 { &[1, 2] } else { &[] };
        assert_eq!(to, expected, "tick {tick}");
    }
}

/// §5.1 (servers retry RPCs that receive no response) and §5.2 (a candidate that neither wins nor
/// loses times out and starts a new election, with a timeout drawn from a fixed interval): a
/// candidate asks again, every resend period, exactly those that have not voted for it (never
/// itself), and after its election timeout, between `election_ticks_min` and `election_ticks_max`
/// ticks, asks everyone in a new term.
///
/// Kills: resending on every tick or never, to the wrong nodes, a timeout that fires at once
/// (a counter that wraps, a timeout of 0 or 1 tick), and a candidacy that never times out.
#[test]
fn a_raft_candidate_asks_the_silent_again_then_starts_over() {
    let mut config = Config::new(5);
    config.timing.resend_ticks = 3;
    let timing = config.timing;
    let mut n1 = Node::new(config, 0, 1);
    let asks = |out: &[Outputs<Node>]| -> Vec<(NodeId, u32)> {
        out.iter()
            .filter_map(|o| match o {
                Output::Send { to, msg: Message::RequestVote(m) } => Some((*to, m.term)),
                _ => None,
            })
            .collect()
    };
    let mut out = Vec::new();
    n1.step(Input::Timeout, &mut out);
    assert_eq!(asks(&out), [1, 2, 3, 4].map(|to| (to, 1)));
    // n2 votes for n1; two votes are not a majority of 5.
    let vote = Message::Vote(Vote { term: 1, candidate: 0, granted: true });
    n1.step(Input::Message { from: 1, msg: vote }, &mut Vec::new());
    let silent = [2, 3, 4].map(|to| (to, 1));
    for tick in 1..200u32 {
        let mut out = Vec::new();
        n1.step(Input::Tick, &mut out);
        let sent = asks(&out);
        if sent.first().is_some_and(|(_, term)| *term != 1) {
            let window = timing.election_ticks_min..=timing.election_ticks_max;
            assert!(window.contains(&tick), "tick {tick}: a new term outside {window:?}");
            assert_eq!(sent, [1, 2, 3, 4].map(|to| (to, 2)), "tick {tick}: everyone is asked in term 2");
            return;
        }
        let expected: &[(NodeId, u32)] = if tick % timing.resend_ticks == 0 { &silent } else { &[] };
        assert_eq!(sent, expected, "tick {tick}");
    }
    panic!("the candidacy never timed out");
}
