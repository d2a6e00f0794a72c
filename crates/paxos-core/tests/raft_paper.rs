//! Raft's rules that the random sweep rarely sets up (issue 15): each test builds its precondition
//! by hand, one claim of Ongaro & Ousterhout, *In Search of an Understandable Consensus Algorithm*
//! (2014) per test, in the manner of raft-rs's `test_raft_paper.rs`. Each says which plausible
//! mistake in the core it catches.

mod common;

use common::Cluster;
use paxos_core::raft::{AppendEntries, AppendOk, Entry, Index, Message, Node, RequestVote, Term, Vote};
use paxos_core::{Command, Config, Input, NodeId, Op, Protocol, Role, Value};

fn cluster(n: u8) -> Cluster<Node> {
    Cluster::new(Config::new(n))
}

/// `id` receives `msg` from `from` (a message the test makes up, as if from that node).
fn receive(c: &mut Cluster<Node>, id: NodeId, from: NodeId, msg: Message) {
    c.step(id, Input::Message { from, msg });
}

fn request_vote(term: Term, candidate: NodeId, last_index: Index, last_term: Term) -> Message {
    Message::RequestVote(RequestVote { term, candidate, last_index, last_term })
}

fn append(term: Term, leader: NodeId, prev: (Index, Term), entries: Vec<Entry>, commit: Index) -> Message {
    Message::AppendEntries(AppendEntries { term, leader, prev_index: prev.0, prev_term: prev.1, entries, commit })
}

fn append_ok(term: Term, match_index: Index) -> Message {
    Message::AppendOk(AppendOk { term, success: true, match_index })
}

fn vote(term: Term, candidate: NodeId) -> Message {
    Message::Vote(Vote { term, candidate, granted: true })
}

fn entry(term: Term, seq: u32) -> Entry {
    Entry { term, value: Value::batch([Command { client: 9, seq, op: Op::Set(0, i64::from(seq)) }]) }
}

fn log_terms(c: &Cluster<Node>, id: NodeId) -> Vec<Term> {
    c.node(id).log().entries().iter().map(|e| e.term).collect()
}

/// The votes `from` sent `to` that are waiting: (term, granted).
fn answers(c: &Cluster<Node>, from: NodeId, to: NodeId) -> Vec<(Term, bool)> {
    c.network
        .iter()
        .filter(|e| e.from == from && e.to == to)
        .filter_map(|e| match e.msg {
            Message::Vote(Vote { term, granted, .. }) => Some((term, granted)),
            _ => None,
        })
        .collect()
}

/// Reference: Raft §5.4.1 — "If the logs have last entries with different terms, then the log with
/// the later term is more up-to-date. If the logs end with the same term, then whichever log is
/// longer is more up-to-date." A candidate with a *shorter* log whose last term is higher gets the
/// vote; one with a longer log whose last term is lower does not.
///
/// Kills: comparing log lengths only (the shorter candidate is refused), and comparing
/// `(last_index, last_term)` the wrong way round.
#[test]
fn a_shorter_log_with_a_later_last_term_is_more_up_to_date() {
    let mut c = cluster(5);
    // n1 holds three entries of term 1 and one of term 2 (index 4, last term 2).
    receive(&mut c, 0, 1, append(2, 1, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3), entry(2, 4)], 0));
    assert_eq!(log_terms(&c, 0), [1, 1, 1, 2]);
    // n3: a log of 2 entries ending in term 3 — shorter, but later.
    receive(&mut c, 0, 2, request_vote(4, 2, 2, 3));
    assert_eq!(answers(&c, 0, 2), [(4, true)], "a later last term wins over a longer log");
    // n4: a log of 9 entries ending in term 1 — longer, but older (a new term, so n1's vote is free).
    receive(&mut c, 0, 3, request_vote(5, 3, 9, 1));
    assert_eq!(answers(&c, 0, 3), [(5, false)], "a longer log with an older last term loses");
    // n5: the same last term as n1's, one entry longer — more up to date.
    receive(&mut c, 0, 4, request_vote(6, 4, 5, 2));
    assert_eq!(answers(&c, 0, 4), [(6, true)]);
}

/// Reference: Raft §5.4.2 and Figure 8 (S1–S5 are n1–n5) — a leader does not commit an entry of an
/// earlier term once a majority stores it, because a later leader may still overwrite it: here S5,
/// whose last entry is of term 3, is elected by S2, S3 and S4 and replaces the term-2 entry that S1,
/// S2 and S3 held.
///
/// Kills: committing an old-term entry by counting its replicas (Figure 8 (c)), which (d) then
/// overwrites.
#[test]
fn figure_8_an_old_term_entry_on_a_majority_is_not_committed_and_can_be_overwritten() {
    let mut c = cluster(5);
    // Index 1 (term 1) is on every server.
    for n in 1..5 {
        receive(&mut c, n, 0, append(1, 0, (0, 0), vec![entry(1, 1)], 0));
    }
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1)], 0));
    // (a) S1 leads term 2 and gets index 2 to S2 only.
    receive(&mut c, 0, 1, append(2, 0, (1, 1), vec![entry(2, 2)], 0));
    receive(&mut c, 1, 0, append(2, 0, (1, 1), vec![entry(2, 2)], 0));
    // (b) S5 leads term 3 (votes of S3, S4) and stores a different index 2; S1 hears term 3 too.
    receive(&mut c, 4, 2, append(3, 4, (1, 1), vec![entry(3, 3)], 0));
    for n in [0, 2, 3] {
        receive(&mut c, n, 4, append(3, 4, (1, 1), vec![], 0));
    }
    c.network.clear();
    assert_eq!((log_terms(&c, 0), log_terms(&c, 1), log_terms(&c, 4)), (vec![1, 2], vec![1, 2], vec![1, 3]));

    // (c) S1 is elected in term 4 (S2, S3, S4 vote; S5's log is more up to date) ...
    c.step(0, Input::Timeout);
    assert_eq!(c.node(0).term(), 4);
    for n in [1, 2, 3] {
        c.deliver_where(|e| e.from == 0 && e.to == n);
        c.deliver_where(|e| e.from == n && e.to == 0);
    }
    assert!(c.node(0).is_leader());
    c.network.clear();
    // ... and index 2 reaches S3: S1, S2 and S3 store it, a majority — but it is of term 2.
    receive(&mut c, 2, 0, append(4, 0, (1, 1), vec![entry(2, 2)], 0));
    assert_eq!(log_terms(&c, 2), [1, 2]);
    receive(&mut c, 0, 1, append_ok(4, 2));
    receive(&mut c, 0, 2, append_ok(4, 2));
    assert_eq!(c.node(0).commit_index(), 0, "Figure 8 (c): index 2 must not be committed");
    assert!(c.decided[0].is_empty());

    // (d) S1 crashes; S5 is elected in term 5 by S2, S3, S4 and overwrites index 2 with term 3's.
    c.crash(0);
    c.network.clear();
    c.step(4, Input::Timeout);
    c.step(4, Input::Timeout);
    assert_eq!(c.node(4).term(), 5);
    c.network.retain(|e| e.msg.term() == 5);
    for n in [1, 2, 3] {
        c.deliver_where(|e| e.from == 4 && e.to == n);
    }
    c.deliver_all(1_000);
    assert!(c.node(4).is_leader(), "S5's last term 3 beats S2's and S3's term 2");
    assert_eq!(log_terms(&c, 1)[..2], [1, 3], "S2's index 2 of term 2 was replaced");
    assert_eq!(log_terms(&c, 2)[..2], [1, 3], "S3's too: it was never committed");
}

/// Reference: Raft Figure 2 (RequestVote response, "term: currentTerm, for candidate to update
/// itself") and §5.2 — a candidate counts votes of its current term only: a vote granted for an
/// earlier candidacy, arriving late, is no vote in the new election, and a new term starts the
/// count afresh.
///
/// Kills: counting a granted vote without checking its term; carrying last term's votes into the
/// next election.
#[test]
fn votes_from_an_earlier_term_are_not_counted() {
    let mut c = cluster(5);
    c.step(0, Input::Timeout); // term 1
    receive(&mut c, 0, 1, vote(1, 0));
    assert_eq!(c.node(0).view().role, Role::Candidate, "2 of 5");
    c.step(0, Input::Timeout); // term 2: a new count
    assert_eq!(c.node(0).term(), 2);
    // Late term-1 votes from n3 and n4: with them, 3 of 5 — if they counted.
    receive(&mut c, 0, 2, vote(1, 0));
    receive(&mut c, 0, 3, vote(1, 0));
    assert_eq!(c.node(0).view().role, Role::Candidate, "votes of term 1 do not elect in term 2");
    // One term-2 vote, n3's: with n1's own, 2 of 5 (n2's term-1 vote does not carry over).
    receive(&mut c, 0, 2, vote(2, 0));
    assert_eq!(c.node(0).view().role, Role::Candidate, "n2's term-1 vote does not carry over");
    receive(&mut c, 0, 1, vote(2, 0));
    assert!(c.node(0).is_leader(), "3 votes of term 2");
}

/// Reference: Raft §5.2 ("a candidate wins an election if it receives votes from a majority") — an
/// answer of the current term that refuses the vote is no vote.
///
/// Kills: counting every Vote of the term, granted or not.
#[test]
fn refused_votes_are_not_counted() {
    let mut c = cluster(3);
    c.step(0, Input::Timeout);
    receive(&mut c, 0, 1, Message::Vote(Vote { term: 1, candidate: 0, granted: false }));
    receive(&mut c, 0, 2, Message::Vote(Vote { term: 1, candidate: 0, granted: false }));
    assert_eq!(c.node(0).view().role, Role::Candidate, "two refusals and its own vote");
    receive(&mut c, 0, 2, vote(1, 0));
    assert!(c.node(0).is_leader());
}

/// Reference: Raft Figure 2 (RequestVote receiver rule 1: "Reply false if term < currentTerm") — a
/// request of an older term is refused, even by a node that has not voted in its own term, and the
/// answer carries the newer term; the voter's term never goes back.
///
/// Kills: a vote decided without comparing the request's term (a node in term 3 with no vote yet
/// would vote in term 2 and write term 2 to disk).
#[test]
fn a_request_of_an_older_term_is_refused() {
    let mut c = cluster(3);
    receive(&mut c, 0, 2, append(3, 2, (0, 0), vec![], 0)); // n1 is in term 3, with no vote
    assert_eq!((c.node(0).term(), c.node(0).voted_for()), (3, None));
    receive(&mut c, 0, 1, request_vote(2, 1, 5, 2));
    assert_eq!(answers(&c, 0, 1), [(3, false)]);
    assert_eq!((c.disks[0].term, c.disks[0].voted_for), (3, None));
}

/// Reference: Raft §5.2 ("If the AppendEntries RPC is from a leader whose term is at least as large
/// as the candidate's current term, then the candidate recognizes the leader as legitimate and
/// returns to follower state") — a candidate that hears the leader of its own term steps down.
///
/// Kills: a candidate stepping down only for a higher term (it would keep asking for votes in a
/// term that already has a leader, and start yet another election when it times out).
#[test]
fn a_candidate_that_hears_the_leader_of_its_term_follows_it() {
    let mut c = cluster(3);
    c.step(0, Input::Timeout);
    assert_eq!(c.node(0).view().role, Role::Candidate);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1)], 0));
    assert_eq!(c.node(0).view().role, Role::Follower);
    assert_eq!(c.node(0).view().leader, Some(1));
    assert_eq!(log_terms(&c, 0), [1], "and takes its entries");
}

/// Reference: Raft Figure 2, persistent state ("currentTerm", "votedFor", updated on stable storage
/// before responding to RPCs) — a *candidate* that crashes keeps its term and its vote for itself:
/// restarted, it refuses another candidate of that term, and its next election is a later term.
///
/// Kills: recovering the term but not the vote (or neither), and a restarted node restarting its
/// terms from 0.
#[test]
fn a_restarted_candidate_keeps_its_term_and_its_vote_for_itself() {
    let mut c = cluster(3);
    c.step(0, Input::Timeout);
    c.step(0, Input::Timeout);
    assert_eq!((c.node(0).term(), c.node(0).voted_for()), (2, Some(0)));
    c.crash(0);
    c.restart(0);
    assert_eq!((c.node(0).term(), c.node(0).voted_for()), (2, Some(0)));
    receive(&mut c, 0, 1, request_vote(2, 1, 0, 0));
    assert_eq!(answers(&c, 0, 1), [(2, false)], "n1 voted for itself in term 2");
    c.step(0, Input::Timeout);
    assert_eq!(c.node(0).term(), 3, "never a term it already stood in");
}

/// ⌊n/2⌋ + 1, written out so that the test does not take the core's own formula as its oracle.
const MAJORITY: [(u8, usize); 7] = [(3, 2), (4, 3), (5, 3), (6, 4), (7, 4), (8, 5), (9, 5)];

/// Reference: Raft §5.2 ("votes from a majority of the servers in the full cluster") for every size
/// from 3 to 9 — even sizes included, where n/2 is not a majority: a candidate with n/2 votes
/// (its own included) stays a candidate; one more makes it leader.
///
/// Kills: a quorum of ⌈n/2⌉ or n/2 (wrong only for even n), and `>` for `>=` (one vote too many).
#[test]
fn an_election_needs_exactly_a_majority_for_every_cluster_size() {
    for (n, majority) in MAJORITY {
        let mut c = cluster(n);
        c.step(0, Input::Timeout);
        for voter in 1..majority as NodeId {
            assert_eq!(c.node(0).view().role, Role::Candidate, "n = {n}: {voter} votes are not {majority}");
            receive(&mut c, 0, voter, vote(1, 0));
        }
        assert!(c.node(0).is_leader(), "n = {n}: {majority} votes elect");
    }
}

/// Reference: Raft §5.3 ("once the entry has been replicated on a majority of the servers") for every
/// size from 3 to 9: the leader's entry is committed when, with its own copy, exactly a majority
/// stores it — not one replica before.
///
/// Kills: a commit quorum of n/2 or ⌈n/2⌉ (wrong for even n), and counting the leader twice or not
/// at all.
#[test]
fn a_commit_needs_exactly_a_majority_for_every_cluster_size() {
    for (n, majority) in MAJORITY {
        let mut c = cluster(n);
        c.step(0, Input::Timeout);
        for voter in 1..n {
            receive(&mut c, 0, voter, vote(1, 0));
        }
        assert!(c.node(0).is_leader());
        assert_eq!(log_terms(&c, 0), [1], "n = {n}: the no-op");
        c.network.clear();
        for follower in 1..majority as NodeId {
            assert_eq!(c.node(0).commit_index(), 0, "n = {n}: {follower} copies are not {majority}");
            receive(&mut c, 0, follower, append_ok(1, 1));
        }
        assert_eq!(c.node(0).commit_index(), 1, "n = {n}: {majority} copies commit");
    }
}

/// Reference: Raft Figure 2 (AppendEntries rule 5: "set commitIndex = min(leaderCommit, index of last
/// new entry)") — a heartbeat vouches for the follower's log only up to `prev_index`: a stale tail
/// beyond it, left by an older leader, is not committed by a higher `leaderCommit`.
///
/// Kills: taking min(leaderCommit, last log index) — the follower would commit entries 3 and 4 of
/// term 1, which the new leader's log does not hold.
#[test]
fn a_heartbeat_commits_no_further_than_its_prev_index() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3), entry(1, 4)], 0));
    // The leader of term 2 holds entries 1, 2 of term 1 and 3, 4 of term 2, all committed; it
    // believes n1 matches up to 2.
    receive(&mut c, 0, 2, append(2, 2, (2, 1), vec![], 4));
    assert_eq!(c.node(0).commit_index(), 2, "only what the heartbeat vouched for");
    assert_eq!(c.decided[0].len(), 2);
    assert_eq!(log_terms(&c, 0), [1, 1, 1, 1], "the stale tail stays until the leader replaces it");
}

/// The refusals `from` sent `to` that are waiting: the index each says to retry after.
fn refusals(c: &Cluster<Node>, from: NodeId, to: NodeId) -> Vec<Index> {
    c.network
        .iter()
        .filter(|e| e.from == from && e.to == to)
        .filter_map(|e| match e.msg {
            Message::AppendOk(AppendOk { success: false, match_index, .. }) => Some(match_index),
            _ => None,
        })
        .collect()
}

/// Reference: Raft §5.3 — "when rejecting an AppendEntries request, the follower can include the term
/// of the conflicting entry and the first index it stores for that term. With this information, the
/// leader can decrement nextIndex to bypass all of the conflicting entries in that term". A follower
/// holding 1, 1 (committed up to 1) then 2, 2, 2 refuses a check at index 5 of term 3 by pointing
/// before the whole run of term 2 (index 2), neither one entry back nor all the way to its commit.
#[test]
fn a_refusal_skips_back_over_the_conflicting_terms_run() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1), entry(1, 2)], 1));
    receive(&mut c, 0, 2, append(2, 2, (2, 1), vec![entry(2, 3), entry(2, 4), entry(2, 5)], 1));
    assert_eq!((log_terms(&c, 0), c.node(0).commit_index()), (vec![1, 1, 2, 2, 2], 1));
    c.network.clear();
    receive(&mut c, 0, 1, append(3, 1, (5, 3), vec![], 1));
    assert_eq!(refusals(&c, 0, 1), [2], "retry after index 2, the last entry before term 2's run");
}
