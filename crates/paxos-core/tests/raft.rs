//! Raft, one test per rule, each citing the section of Ongaro & Ousterhout, *In Search of an
//! Understandable Consensus Algorithm* (2014) that states it.

mod common;

use common::Cluster;
use paxos_core::raft::{AppendEntries, AppendOk, Entry, Message, Node, RequestVote, Vote};
use paxos_core::{Command, Config, Input, MsgKind, NodeId, Op, Outcome, Protocol, Reply, Role, Value};

fn cluster(n: u8) -> Cluster<Node> {
    Cluster::new(Config::new(n))
}

fn value(client: u16, seq: u32, op: Op) -> Value {
    Value::batch([Command { client, seq, op }])
}

/// Fires `id`'s election timeout and delivers everything: `id` leads.
fn elect(c: &mut Cluster<Node>, id: NodeId) {
    c.step(id, Input::Timeout);
    c.deliver_all(1_000);
    assert!(c.node(id).is_leader(), "n{} leads", id + 1);
}

/// `id` receives `msg` from `from` (a message the test makes up, as if from that node).
fn receive(c: &mut Cluster<Node>, id: NodeId, from: NodeId, msg: Message) {
    c.step(id, Input::Message { from, msg });
}

/// The waiting messages to `to` that match.
fn waiting(c: &Cluster<Node>, to: NodeId, pred: impl Fn(&Message) -> bool) -> Vec<Message> {
    c.network.iter().filter(|e| e.to == to && pred(&e.msg)).map(|e| e.msg.clone()).collect()
}

fn votes_to(c: &Cluster<Node>, to: NodeId) -> Vec<(u32, bool)> {
    c.network
        .iter()
        .filter(|e| e.to == to)
        .filter_map(|e| match e.msg {
            Message::Vote(Vote { term, granted, .. }) => Some((term, granted)),
            _ => None,
        })
        .collect()
}

fn request_vote(term: u32, candidate: NodeId, last_index: paxos_core::raft::Index, last_term: u32) -> Message {
    Message::RequestVote(RequestVote { term, candidate, last_index, last_term })
}

fn append(
    term: u32,
    leader: NodeId,
    prev: (paxos_core::raft::Index, u32),
    entries: Vec<Entry>,
    commit: paxos_core::raft::Index,
) -> Message {
    Message::AppendEntries(AppendEntries { term, leader, prev_index: prev.0, prev_term: prev.1, entries, commit })
}

fn entry(term: u32, seq: u32) -> Entry {
    Entry { term, value: value(9, seq, Op::Set(0, i64::from(seq))) }
}

fn log_terms(c: &Cluster<Node>, id: NodeId) -> Vec<u32> {
    c.node(id).log().entries().iter().map(|e| e.term).collect()
}

/// §5.2: on an election timeout a follower starts a new term, votes for itself (on disk) and asks
/// every other node with RequestVote; votes from a majority make it leader, and it appends a no-op
/// of its term at once (§8) and sends it.
#[test]
fn a_timeout_starts_an_election_that_a_majority_wins() {
    let mut c = cluster(5);
    c.step(2, Input::Timeout);
    assert_eq!(c.node(2).view().role, Role::Candidate);
    assert_eq!((c.node(2).term(), c.node(2).voted_for()), (1, Some(2)));
    assert_eq!((c.disks[2].term, c.disks[2].voted_for), (1, Some(2)), "the vote for itself is on disk");
    assert_eq!(c.kinds_since(0), [MsgKind::RequestVote; 4]);
    // Two votes: with its own, 3 of 5.
    c.deliver_where(|e| e.to == 0);
    c.deliver_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 2 && matches!(e.msg, Message::Vote(_)));
    assert_eq!(c.node(2).view().role, Role::Candidate, "2 of 5 is no majority");
    c.deliver_where(|e| e.to == 2 && matches!(e.msg, Message::Vote(_)));
    assert!(c.node(2).is_leader());
    assert_eq!(log_terms(&c, 2), [1], "the no-op of term 1");
    assert_eq!(c.node(2).log().entries()[0].value, Value::Noop);
    c.deliver_all(1_000);
    assert_eq!(c.node(2).commit_index(), 1, "a majority stores the no-op");
    // The followers learn the commit index from the next AppendEntries (here a heartbeat).
    c.tick(2, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    for n in 0..5 {
        assert_eq!(c.node(n).commit_index(), 1, "n{}", n + 1);
        assert_eq!(c.node(n).view().leader, Some(2), "n{}", n + 1);
    }
}

/// §5.2: each server votes for at most one candidate in a term, first come first served — and the
/// vote is written to disk before it is sent (Figure 2, persistent state).
#[test]
fn a_node_votes_once_per_term() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, request_vote(1, 1, 0, 0));
    assert_eq!(c.disks[0].voted_for, Some(1), "on disk before the answer leaves");
    receive(&mut c, 0, 2, request_vote(1, 2, 0, 0));
    assert_eq!(votes_to(&c, 1), [(1, true)]);
    assert_eq!(votes_to(&c, 2), [(1, false)], "n1 already voted in term 1");
    // The same candidate asking again (a retry) gets the same answer.
    receive(&mut c, 0, 1, request_vote(1, 1, 0, 0));
    assert_eq!(votes_to(&c, 1), [(1, true), (1, true)]);
    // A new term frees the vote.
    receive(&mut c, 0, 2, request_vote(2, 2, 0, 0));
    assert_eq!(votes_to(&c, 2), [(1, false), (2, true)]);
}

/// Figure 2 (persistent state): a node that crashes after voting still knows its vote when it
/// restarts, and does not vote again in that term.
#[test]
fn a_vote_survives_a_restart() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, request_vote(4, 1, 0, 0));
    c.crash(0);
    c.restart(0);
    assert_eq!((c.node(0).term(), c.node(0).voted_for()), (4, Some(1)));
    receive(&mut c, 0, 2, request_vote(4, 2, 0, 0));
    assert_eq!(votes_to(&c, 2), [(4, false)]);
}

/// §5.4.1: a voter refuses a candidate whose log is less up to date than its own — a lower last
/// term, or the same last term and a shorter log — and grants one whose log is at least as long.
#[test]
fn a_voter_refuses_a_candidate_with_an_older_log() {
    let mut c = cluster(3);
    // n1 holds entries of terms 1 and 2.
    receive(&mut c, 0, 1, append(2, 1, (0, 0), vec![entry(1, 1), entry(2, 2)], 0));
    receive(&mut c, 0, 2, request_vote(3, 2, 5, 1));
    assert_eq!(votes_to(&c, 2), [(3, false)], "a longer log whose last term is older");
    receive(&mut c, 0, 2, request_vote(4, 2, 1, 2));
    assert_eq!(votes_to(&c, 2), [(3, false), (4, false)], "the same last term, shorter");
    receive(&mut c, 0, 2, request_vote(5, 2, 2, 2));
    assert_eq!(votes_to(&c, 2), [(3, false), (4, false), (5, true)], "as up to date");
    assert_eq!(c.node(0).term(), 5, "a higher term is adopted even when the vote is refused");
}

/// §5.1 (and Figure 2, "all servers"): a message with a higher term makes a leader step down; a
/// message with a lower term is refused, its answer carrying the newer term.
#[test]
fn a_higher_term_deposes_the_leader() {
    let mut c = cluster(3);
    elect(&mut c, 0);
    receive(&mut c, 0, 2, Message::AppendOk(AppendOk { term: 7, success: false, match_index: 0 }));
    assert_eq!(c.node(0).view().role, Role::Follower);
    assert_eq!(c.node(0).term(), 7);
    // A stale leader's AppendEntries is refused with the newer term.
    let since = c.network.len();
    receive(&mut c, 0, 1, append(1, 1, (1, 1), vec![], 1));
    assert!(
        matches!(c.network[since..], [ref e] if matches!(e.msg, Message::AppendOk(AppendOk { term: 7, success: false, .. })))
    );
}

/// §5.3: a follower refuses AppendEntries unless its log holds an entry at `prev_index` of
/// `prev_term` (the consistency check); the leader then backs up and sends earlier entries.
#[test]
fn the_consistency_check_refuses_entries_after_a_missing_or_different_entry() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1)], 0));
    // A gap: entry 2 is missing.
    receive(&mut c, 0, 1, append(1, 1, (2, 1), vec![entry(1, 3)], 0));
    assert_eq!(log_terms(&c, 0), [1]);
    // A different previous term.
    receive(&mut c, 0, 2, append(2, 2, (1, 2), vec![entry(2, 4)], 0));
    assert_eq!(log_terms(&c, 0), [1]);
    let answers = waiting(&c, 1, |m| matches!(m, Message::AppendOk(_)));
    assert!(
        matches!(
            answers[..],
            [
                Message::AppendOk(AppendOk { success: true, .. }),
                Message::AppendOk(AppendOk { success: false, match_index: 1, .. })
            ]
        ),
        "{answers:?}"
    );
    assert!(matches!(
        waiting(&c, 2, |_| true)[..],
        [Message::AppendOk(AppendOk { success: false, match_index: 0, .. })]
    ));
}

/// §5.3: an existing entry that conflicts with a new one (same index, different term) is deleted
/// with all that follow it; entries already held are kept; a stale, shorter AppendEntries does not
/// cut the log.
#[test]
fn conflicting_entries_are_deleted_and_replaced() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3)], 1));
    receive(&mut c, 0, 2, append(2, 2, (1, 1), vec![entry(2, 4)], 1));
    assert_eq!(log_terms(&c, 0), [1, 2], "entries 2 and 3 of term 1 are gone");
    receive(&mut c, 0, 2, append(2, 2, (2, 2), vec![entry(2, 5)], 1));
    // A duplicate of the earlier message: everything it carries is held already.
    receive(&mut c, 0, 2, append(2, 2, (1, 1), vec![entry(2, 4)], 1));
    assert_eq!(log_terms(&c, 0), [1, 2, 2]);
}

/// Figure 2 (AppendEntries, rule 5): a follower sets its commit index to the smaller of the
/// leader's and the index of the last entry the message carried — never a stale tail beyond it.
#[test]
fn a_follower_commits_only_what_the_leader_vouched_for() {
    let mut c = cluster(3);
    // n1 holds entries 1–3 of term 1 from an old leader; only entry 1 matches the new leader.
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3)], 0));
    receive(&mut c, 0, 2, append(2, 2, (0, 0), vec![entry(1, 1)], 3));
    assert_eq!(c.node(0).commit_index(), 1, "entries 2 and 3 were not part of this message");
    assert_eq!(c.decided[0].len(), 1);
}

/// Raft keeps one copy of its entries: what the checkers and the page read as decided (the view's
/// committed prefix) is its log up to the commit index, and nothing beyond it.
#[test]
fn the_committed_prefix_is_the_log_up_to_the_commit_index() {
    let mut c = cluster(3);
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3)], 2));
    let view = c.node(0).view();
    assert_eq!((view.decided.prefix(), view.decided.end()), (2, 2));
    assert_eq!(view.decided.get(1), Some(&entry(1, 2).value), "slot 1 is entry 2");
    assert_eq!(view.decided.get(2), None, "entry 3 is in the log but not committed");
    assert_eq!(view.decided.decided_from(0).map(|(slot, _)| slot).collect::<Vec<_>>(), [0, 1]);
    assert_eq!(c.disks[0].commit, 2, "the commit index is on disk");
}

/// Figure 2 (the commit index only increases; each committed entry is applied once, in log order):
/// every node, leader and followers, outputs each committed entry once, slot after slot, however
/// many heartbeats repeat a commit index it knows, and writes an unchanged commit index nothing.
///
/// Kills: committing from the commit index itself instead of the entry after it (the last committed
/// entry decided again, and the commit index rewritten, on every message that repeats it).
#[test]
fn each_committed_entry_is_output_once_in_order() {
    let mut c = cluster(3);
    elect(&mut c, 0);
    for seq in 1..=3 {
        c.request(0, 0, seq, Op::Set(0, i64::from(seq)));
        c.deliver_all(1_000);
        c.tick(0, c.config.timing.heartbeat_ticks as usize);
        c.deliver_all(1_000);
    }
    for id in 0..3 {
        let slots: Vec<_> = c.decided[id as usize].iter().map(|(slot, _)| *slot).collect();
        assert_eq!(slots, [0, 1, 2, 3], "n{}", id + 1);
    }
    let mut out = Vec::new();
    let heartbeat = append(1, 0, (4, 1), Vec::new(), 4);
    c.nodes[1].as_mut().expect("n2 is up").step(Input::Message { from: 0, msg: heartbeat }, &mut out);
    assert!(
        !out.iter().any(|o| matches!(o, paxos_core::Output::Persist(_) | paxos_core::Output::Decided { .. })),
        "a heartbeat that repeats the commit index writes and decides nothing: {out:?}"
    );
}

/// §5.4.2 (Figure 8): a leader never commits an entry of an earlier term by counting its
/// replicas; it commits it only with an entry of its own term stored on a majority.
#[test]
fn an_old_term_entry_is_committed_only_with_one_of_the_current_term() {
    let mut c = cluster(3);
    // n1 got entry 1 from the leader of term 1, which then vanished.
    receive(&mut c, 0, 1, append(1, 1, (0, 0), vec![entry(1, 1)], 0));
    c.network.clear();
    // n1 leads term 2 (n3 votes); its no-op is entry 2, not delivered yet.
    c.step(0, Input::Timeout);
    c.deliver_where(|e| e.to == 2);
    c.deliver_where(|e| e.to == 0);
    assert!(c.node(0).is_leader());
    assert_eq!(log_terms(&c, 0), [1, 2]);
    // n3 reports it holds entry 1: with n1, a majority holds it — but it is of term 1.
    receive(&mut c, 0, 2, Message::AppendOk(AppendOk { term: 2, success: true, match_index: 1 }));
    assert_eq!(c.node(0).commit_index(), 0, "§5.4.2: not by counting replicas");
    // n3 holds the no-op of term 2: both commit.
    receive(&mut c, 0, 2, Message::AppendOk(AppendOk { term: 2, success: true, match_index: 2 }));
    assert_eq!(c.node(0).commit_index(), 2);
}

/// §5.4.3 / seed 004's partition: a leader cut off from the majority appends a client's command but
/// never commits it nor answers; once it meets the newer term it steps down and its uncommitted
/// entry is replaced by the new leader's.
#[test]
fn a_stale_leaders_uncommitted_entry_is_rolled_back() {
    let mut c = cluster(3);
    elect(&mut c, 0);
    c.request(0, 1, 1, Op::Set(0, 5));
    c.network.clear(); // n1 is cut off: its AppendEntries are lost.
    assert_eq!(c.node(0).log().last_index(), 2);
    // n2 leads term 2 with n3 and commits set x 8.
    c.step(1, Input::Timeout);
    c.deliver_where(|e| e.to == 2);
    c.deliver_where(|e| e.to == 1);
    assert!(c.node(1).is_leader());
    c.request(1, 2, 1, Op::Set(0, 8));
    c.drop_where(|e| e.to == 0);
    c.deliver_all(1_000);
    assert_eq!(c.node(1).commit_index(), 3);
    assert!(c.replies.iter().all(|(_, r)| r.client != 1), "the cut-off leader answered nobody");
    // The partition heals: n2's heartbeat deposes n1 and repairs its log.
    c.tick(1, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().role, Role::Follower);
    assert_eq!(log_terms(&c, 0), [1, 2, 2]);
    assert_eq!(c.node(0).log().entries()[2].value, value(2, 1, Op::Set(0, 8)));
    assert_eq!(c.node(0).view().store.get(0), 8);
    let told = c.replies.iter().find(|(_, r)| r.client == 1).expect("the client is told");
    assert!(matches!(told.1.outcome, Outcome::NotLeader { .. }));
}

/// Seed 004 and §8: a read goes through the log — the leader answers a `get` only once its entry
/// is committed; a follower passes requests to the leader it knows, and without one says so.
#[test]
fn reads_go_through_the_log_and_followers_redirect() {
    let mut c = cluster(3);
    c.request(1, 0, 1, Op::Get(0));
    assert_eq!(c.replies, [(1, Reply { client: 0, seq: 1, outcome: Outcome::NotLeader { hint: None } })]);
    elect(&mut c, 0);
    c.request(1, 0, 2, Op::Set(0, 3));
    assert!(matches!(c.network[..], [ref e] if e.to == 0 && matches!(e.msg, Message::Forward(_))));
    c.deliver_all(1_000);
    c.request(0, 0, 3, Op::Get(0));
    assert_eq!(c.replies.len(), 2, "not answered before its entry commits");
    c.deliver_all(1_000);
    assert_eq!(c.replies.last().unwrap().1.outcome, Outcome::Value(3));
    assert_eq!(c.node(0).log().last_index(), 3, "the no-op, the set and the get");
}

/// §8 (clients find the leader through redirects): a request forwarded once is not forwarded again.
/// A follower whose idea of the leader is stale answers a forwarded request with its hint instead,
/// so two followers that each think the other leads cannot pass a request back and forth.
#[test]
fn a_forwarded_request_is_not_forwarded_again() {
    let mut c = cluster(3);
    elect(&mut c, 0);
    c.network.clear();
    let command = Command { client: 0, seq: 1, op: Op::Set(0, 1) };
    receive(&mut c, 1, 2, Message::Forward(command));
    assert!(waiting(&c, 0, |m| matches!(m, Message::Forward(_))).is_empty(), "{:?}", c.network);
    let told = c.replies.iter().find(|(id, _)| *id == 1).map(|(_, r)| r.outcome);
    assert_eq!(told, Some(Outcome::NotLeader { hint: Some(0) }), "the follower names the leader it knows");
}

/// n1 leads and commits 150 increments while n3 is down, enough for n1 to compact its log into a
/// checkpoint; then n3 restarts from its disk, behind the checkpoint.
fn restart_n3_behind_the_checkpoint() -> Cluster<Node> {
    let mut c = cluster(3);
    elect(&mut c, 0);
    c.crash(2);
    for seq in 1..=150 {
        c.request(0, 0, seq, Op::Inc(0, 1));
        c.deliver_all(1_000);
    }
    assert!(c.node(0).log().base() > 0, "the leader compacted its log");
    c.restart(2);
    c
}

/// §7: a node compacts its log into a checkpoint; a follower too far behind gets the checkpoint
/// (InstallSnapshot) and then the entries after it; a restart starts from the checkpoint.
#[test]
fn a_lagging_follower_gets_a_snapshot() {
    let mut c = restart_n3_behind_the_checkpoint();
    for _ in 0..4 {
        c.tick(0, c.config.timing.heartbeat_ticks as usize);
        c.deliver_all(1_000);
    }
    assert!(c.sent.iter().any(|e| e.to == 2 && matches!(e.msg, Message::Snapshot(_))));
    assert_eq!(c.node(2).commit_index(), c.node(0).commit_index());
    assert_eq!(c.node(2).view().store.get(0), 150);
    c.crash(2);
    c.restart(2);
    assert_eq!(c.node(2).view().store.get(0), 150, "from the checkpoint and the committed entries after it");
}

/// §7 with §5.3's pipelining: once the leader has sent its checkpoint to a lagging follower, it goes
/// on from the entries after it. A heartbeat while the checkpoint is still on its way carries those
/// entries (after the checkpoint's last index), not the whole store again; had the checkpoint been
/// lost, the follower's refusal would bring it back.
///
/// Kills: the follower's next index left at or below the checkpoint once it is sent, so a follower
/// on a slow link gets the whole store with every heartbeat.
#[test]
fn after_a_snapshot_the_leader_goes_on_from_the_entries_after_it() {
    let mut c = restart_n3_behind_the_checkpoint();
    let base = c.node(0).log().base();
    let is_snapshot = |e: &common::Envelope<Message>| matches!(e.msg, Message::Snapshot(_));
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    c.deliver_all_where(1_000, |e| !is_snapshot(e));
    assert!(c.network.iter().any(|e| e.to == 2 && is_snapshot(e)), "the checkpoint is on its way to n3");
    let before = c.sent.len();
    c.tick(0, c.config.timing.heartbeat_ticks as usize);
    let to_n3: Vec<_> = c.sent[before..].iter().filter(|e| e.to == 2).map(|e| e.msg.clone()).collect();
    match &to_n3[..] {
        [Message::AppendEntries(m)] => assert_eq!(m.prev_index, base, "after the checkpoint's last index"),
        _ => panic!("one AppendEntries after the checkpoint, not the checkpoint again: {to_n3:?}"),
    }
    c.deliver_all(1_000);
    assert_eq!(c.node(2).commit_index(), c.node(0).commit_index(), "n3 is level");
}

/// What the page and the checkers read of a Raft node (its `View`): the term as a ballot, with the
/// leader it follows (or itself) as the ballot's node, and its vote as the promise; both zero before
/// the first term.
///
/// Kills: the view's ballot or promise zero in every term but the first, and non-zero before it.
#[test]
fn a_nodes_view_shows_its_term_leader_and_vote() {
    use paxos_core::Ballot;
    let mut c = cluster(3);
    let seen = |c: &Cluster<Node>, id| (c.node(id).view().ballot, c.node(id).view().promised);
    assert_eq!(seen(&c, 0), (Ballot::ZERO, Ballot::ZERO));
    c.step(0, Input::Timeout);
    assert_eq!(seen(&c, 0), (Ballot::new(1, 0), Ballot::new(1, 0)), "a candidate of term 1 voted for itself");
    receive(&mut c, 1, 2, append(3, 2, (0, 0), Vec::new(), 0));
    assert_eq!(seen(&c, 1), (Ballot::new(3, 2), Ballot::new(3, 1)), "n2 follows n3 in term 3, no vote cast");
}

/// What the inspector lists as a Raft node's open slots: its entries after the commit index (slot =
/// index − 1), each with its term as the ballot's round.
///
/// Kills: the list starting before the commit index (committed entries shown as open).
#[test]
fn a_nodes_open_slots_are_its_uncommitted_entries() {
    let mut c = cluster(3);
    receive(&mut c, 1, 2, append(1, 2, (0, 0), vec![entry(1, 1), entry(1, 2), entry(1, 3)], 2));
    let open: Vec<_> =
        c.node(1).acceptor_slots().iter().map(|s| (s.slot, s.accepted.as_ref().map(|(b, _)| b.round))).collect();
    assert_eq!(open, [(2, Some(1))], "index 3 is open, 1 and 2 are committed");
}
