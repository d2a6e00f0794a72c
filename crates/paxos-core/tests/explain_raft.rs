//! Every Raft decision explains itself (issue 12): for each rule, the situation that calls for it,
//! built by hand, and exactly the [`Rule`] (with its terms and indexes) the node reports. Each test
//! cites the section of the Raft paper (Ongaro & Ousterhout, 2014) that states the rule; seed 004.

mod common;

use common::rules;
use paxos_core::raft::{AppendEntries, AppendOk, Entry, Message, Node, RequestVote, Vote};
use paxos_core::{Config, Input, Protocol, Role, Rule, Value};

/// Node `id` of a cluster of three, asked to explain itself.
fn node(id: u8) -> Node {
    let mut node = Node::new(Config::new(3), id, 1);
    node.set_explain(true);
    node
}

fn from(from: u8, msg: Message) -> Input<Message, paxos_core::raft::Durable> {
    Input::Message { from, msg }
}

fn vote_request(term: u32, candidate: u8, last_index: u32, last_term: u32) -> Message {
    Message::RequestVote(RequestVote { term, candidate, last_index, last_term })
}

/// AppendEntries from `leader` in `term`, after `(prev_index, prev_term)`, with entries of `terms`.
fn append(term: u32, leader: u8, prev_index: u32, prev_term: u32, terms: &[u32]) -> Message {
    let entries = terms.iter().map(|&term| Entry { term, value: Value::Noop }).collect();
    Message::AppendEntries(AppendEntries { term, leader, prev_index, prev_term, entries, commit: 0 })
}

/// §5.1: a node that sees a higher term adopts it; §5.1 again: a vote request of an older term is
/// denied; §5.2: the first candidate of a term gets the vote, the next is denied.
#[test]
fn votes_are_denied_for_a_stale_term_and_a_second_candidate_and_granted_once() {
    let mut n2 = node(1);
    let got = rules(&mut n2, from(0, append(2, 0, 0, 0, &[])));
    assert_eq!(got, [Rule::HigherTerm { node: 1, term: 0, seen: 2, stepped_down: false }]);
    let got = rules(&mut n2, from(2, vote_request(1, 2, 0, 0)));
    assert_eq!(got, [Rule::VoteDeniedStaleTerm { node: 1, candidate: 2, term: 1, current: 2 }]);
    let got = rules(&mut n2, from(2, vote_request(3, 2, 0, 0)));
    assert_eq!(
        got,
        [
            Rule::HigherTerm { node: 1, term: 2, seen: 3, stepped_down: false },
            Rule::VoteGranted { node: 1, candidate: 2, term: 3 }
        ]
    );
    let got = rules(&mut n2, from(0, vote_request(3, 0, 0, 0)));
    assert_eq!(got, [Rule::VoteDeniedAlreadyVoted { node: 1, candidate: 0, term: 3, voted_for: 2 }]);
}

/// The paper's order (§5.2 before §5.4.1): a node that already voted in a term denies a second
/// candidate for that vote, even when the second's log is also older.
///
/// Kills: the log reason given when the vote was already cast (`free && !up_to_date` → `||`).
#[test]
fn a_second_candidate_with_an_older_log_is_denied_for_the_vote_cast() {
    let mut n2 = node(1);
    rules(&mut n2, from(0, append(2, 0, 0, 0, &[2])));
    let got = rules(&mut n2, from(2, vote_request(3, 2, 1, 2)));
    assert_eq!(got[1..], [Rule::VoteGranted { node: 1, candidate: 2, term: 3 }]);
    let got = rules(&mut n2, from(0, vote_request(3, 0, 0, 0)));
    assert_eq!(got, [Rule::VoteDeniedAlreadyVoted { node: 1, candidate: 0, term: 3, voted_for: 2 }]);
}

/// §5.4.1: a candidate whose log is less up to date (its last entry's term is lower) is denied,
/// whatever its log's length.
#[test]
fn a_vote_is_denied_to_a_candidate_with_an_older_log() {
    let mut n2 = node(1);
    rules(&mut n2, from(0, append(2, 0, 0, 0, &[2])));
    assert_eq!(n2.log().last_index(), 1);
    let got = rules(&mut n2, from(2, vote_request(3, 2, 5, 1)));
    assert_eq!(got[1], Rule::VoteDeniedLogOlder { node: 1, candidate: 2, term: 3, theirs: (1, 5), ours: (2, 1) });
}

/// §5.1: a leader's AppendEntries of an older term is rejected; §5.3: so is one whose previous
/// entry the follower's log does not hold (another term there, or no entry at all).
#[test]
fn append_entries_is_rejected_for_a_stale_term_or_a_log_mismatch() {
    let mut n2 = node(1);
    rules(&mut n2, from(0, append(2, 0, 0, 0, &[2])));
    let got = rules(&mut n2, from(2, append(1, 2, 0, 0, &[])));
    assert_eq!(got, [Rule::AppendStaleTerm { node: 1, leader: 2, term: 1, current: 2 }]);
    let got = rules(&mut n2, from(0, append(2, 0, 1, 1, &[2])));
    assert_eq!(got, [Rule::AppendMismatch { node: 1, leader: 0, prev_index: 1, prev_term: 1, ours: Some(2) }]);
    let got = rules(&mut n2, from(0, append(2, 0, 5, 2, &[2])));
    assert_eq!(got, [Rule::AppendMismatch { node: 1, leader: 0, prev_index: 5, prev_term: 2, ours: None }]);
}

/// §7 with §5.1: InstallSnapshot from a leader of an older term is rejected like its AppendEntries
/// (the follower keeps its leader and what it has committed); one from the current term's leader is
/// installed when it covers more than is committed here.
#[test]
fn a_snapshot_of_a_stale_term_is_rejected_and_the_current_leaders_installed() {
    use paxos_core::machine::Checkpoint;
    use paxos_core::raft::Snapshot;
    let snapshot = |term: u32, leader: u8| {
        let checkpoint = Checkpoint { applied: 5, store: std::rc::Rc::new(paxos_core::Store::default()) };
        Message::Snapshot(Snapshot { term, leader, checkpoint, last_term: term })
    };
    let mut n2 = node(1);
    rules(&mut n2, from(0, append(2, 0, 0, 0, &[2])));
    let got = rules(&mut n2, from(2, snapshot(1, 2)));
    assert_eq!(got, [Rule::AppendStaleTerm { node: 1, leader: 2, term: 1, current: 2 }]);
    assert_eq!(n2.commit_index(), 0, "nothing installed from a stale leader");
    rules(&mut n2, from(0, snapshot(2, 0)));
    assert_eq!(n2.commit_index(), 5, "the current leader's snapshot is installed");
}

/// §5.2: a follower that hears no leader for its election timeout becomes a candidate of a new term;
/// votes from a majority make it leader; §5.1: a candidate that sees a higher term steps down.
#[test]
fn an_election_timeout_makes_a_candidate_a_majority_a_leader_a_higher_term_a_follower() {
    let mut n1 = node(0);
    let timing = Config::new(3).timing;
    let mut timeout = None;
    for _ in 0..=timing.election_ticks_max {
        let got = rules(&mut n1, Input::Tick);
        if !got.is_empty() {
            timeout = Some(got);
            break;
        }
    }
    let got = timeout.expect("n1 timed out");
    match got[..] {
        [Rule::RaftTimeout { node: 0, ticks, term: 1 }] => {
            assert!((timing.election_ticks_min..=timing.election_ticks_max).contains(&ticks), "{ticks}")
        }
        _ => panic!("{got:?}"),
    }
    let got = rules(&mut n1, from(1, Message::Vote(Vote { term: 1, candidate: 0, granted: true })));
    assert_eq!(got, [Rule::RaftElected { node: 0, term: 1, votes: 2, quorum: 2 }]);
    assert!(n1.is_leader());

    let mut n3 = node(2);
    n3.step(Input::Timeout, &mut Vec::new());
    assert_eq!(n3.view().role, Role::Candidate);
    let got = rules(&mut n3, from(0, append(4, 0, 0, 0, &[])));
    assert_eq!(got, [Rule::HigherTerm { node: 2, term: 1, seen: 4, stepped_down: true }]);
}

/// §5.4.2: a leader commits an entry of its own term once a majority stores it — and does not
/// commit an entry of an older term that a majority stores (Figure 8). Each commit is reported once.
#[test]
fn a_leader_commits_its_own_terms_entries_by_counting_and_no_older_ones() {
    // n1 holds an entry of term 1 from a former leader n2, then leads term 2 (and appends a no-op).
    let mut n1 = node(0);
    rules(&mut n1, from(1, append(1, 1, 0, 0, &[1])));
    n1.step(Input::Timeout, &mut Vec::new());
    rules(&mut n1, from(2, Message::Vote(Vote { term: 2, candidate: 0, granted: true })));
    assert!(n1.is_leader());
    assert_eq!(n1.log().last_index(), 2);
    // n3 stores index 1 (term 1): a majority (n1, n3) stores it, but its term is 1, not 2.
    let got = rules(&mut n1, from(2, Message::AppendOk(AppendOk { term: 2, success: true, match_index: 1 })));
    assert_eq!(got, [Rule::OldTermNotCommitted { node: 0, index: 1, entry_term: 1, term: 2 }]);
    assert_eq!(n1.commit_index(), 0);
    // n3 stores index 2 (term 2): committed, and index 1 with it.
    let got = rules(&mut n1, from(2, Message::AppendOk(AppendOk { term: 2, success: true, match_index: 2 })));
    assert_eq!(got, [Rule::Committed { node: 0, index: 2, term: 2, replicas: 2, quorum: 2 }]);
    assert_eq!(n1.commit_index(), 2);
    // The same answer again commits nothing new, and says nothing.
    let got = rules(&mut n1, from(2, Message::AppendOk(AppendOk { term: 2, success: true, match_index: 2 })));
    assert_eq!(got, [], "nothing more is committed");
}
