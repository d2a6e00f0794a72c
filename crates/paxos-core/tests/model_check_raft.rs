//! Exhaustive model check of Raft: three nodes, terms up to 3, two client commands, one crash and
//! restart, and every interleaving of delivery, loss, duplication and reordering of messages,
//! timeouts at any node, heartbeats at any leader, crashes and restarts (see `mc` for the search and
//! why it covers all of these) — over the real `raft::Node`, with every invariant checked in every
//! state.
//!
//! Timing: a leader's tick is one heartbeat period (`heartbeat_ticks = 1`), so a tick sends every
//! follower what it lacks, with the leader's commit index; its timers are back where they were
//! after each tick, so ticks need no bound. Elections come from `Input::Timeout` only: followers and
//! candidates are never ticked (their ticks only count towards an election, which a timeout starts
//! at any moment anyway).
//!
//! The invariants are those of Figure 3 of Ongaro & Ousterhout, *In Search of an Understandable
//! Consensus Algorithm* (2014), plus what a restart must not forget:
//! - Election Safety: at most one leader per term, over the whole run (§5.2);
//! - one vote per term: no node grants votes to two candidates in one term (§5.2);
//! - durability: what a node acts on (its term, vote and log) is on its disk; no message leaves
//!   with a term above its sender's disk, nor a granted vote not on it; and no vote granted is ever
//!   forgotten, across restarts (Figure 2, "updated on stable storage before responding to RPCs");
//! - Log Matching: two logs with an entry of the same index and term are identical up to it (§5.3);
//! - Leader Completeness: an entry committed in term `t` is in the log of every leader of a term
//!   `≥ t` (§5.4);
//! - State Machine Safety: no two nodes commit different entries at one index, nor does a node
//!   commit two (§5.4.3), and every node's committed log agrees;
//! - validity: only no-ops and requested commands are committed.

mod mc;

use std::collections::{BTreeMap, BTreeSet};

use mc::{Bounds, Spec, World};
use paxos_core::raft::{Index, Message, Node, Term, Vote};
use paxos_core::{Bugs, Config, NodeId, Output, Outputs, Protocol, Value};

struct Raft;

/// Figure 3's invariants need the past: who led which term, and what was committed when.
#[derive(Clone, Debug, Default, Hash)]
struct Ghost {
    /// Every (term, node) in which the node led.
    leaders: BTreeSet<(Term, NodeId)>,
    /// Per committed index, as first committed: the entry's term and value, and the term of the node
    /// that committed it then.
    committed: BTreeMap<Index, Committed>,
    /// Every vote granted: (voter, term) → candidate.
    votes: BTreeMap<(NodeId, Term), NodeId>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Committed {
    term: Term,
    value: Value,
    in_term: Term,
}

/// The one place that looks inside a message: a vote's term, candidate and whether it was granted.
fn vote(msg: &Message) -> Option<(Term, NodeId, bool)> {
    match *msg {
        Message::Vote(Vote { term, candidate, granted }) => Some((term, candidate, granted)),
        _ => None,
    }
}

/// A message's term (0 for a forwarded request, which has none), read through the generic label.
fn term_of(msg: &Message) -> Term {
    paxos_core::Message::label(msg).ballot.round
}

impl Spec for Raft {
    type Node = Node;
    type Ghost = Ghost;
    fn observe(ghost: &mut Ghost, world: &World<Raft>, id: NodeId, out: &[Outputs<Node>]) -> Result<(), String> {
        let node = &world.nodes[id as usize];
        let disk = &world.disks[id as usize];
        for output in out {
            if let Output::Send { msg, .. } = output {
                // Durability: a message leaves only once what it announces is on disk.
                if term_of(msg) > disk.term {
                    return Err(format!(
                        "durability: n{} sent term {}, its disk has {}",
                        id + 1,
                        term_of(msg),
                        disk.term
                    ));
                }
                let Some((term, candidate, true)) = vote(msg) else { continue };
                if (disk.term, disk.voted_for) != (term, Some(candidate)) {
                    return Err(format!(
                        "durability: n{} voted for n{} in term {term}, its disk says term {} voting for {:?}",
                        id + 1,
                        candidate + 1,
                        disk.term,
                        disk.voted_for
                    ));
                }
                if let Some(&other) = ghost.votes.get(&(id, term)).filter(|&&c| c != candidate) {
                    return Err(format!(
                        "one vote per term: n{} voted for n{} and n{} in term {term}",
                        id + 1,
                        other + 1,
                        candidate + 1
                    ));
                }
                ghost.votes.insert((id, term), candidate);
                continue;
            }
            let Output::Decided { slot, value } = output else { continue };
            let index = slot + 1;
            let term =
                disk.log.term_at(index).ok_or_else(|| format!("n{} committed {index}, not in its log", id + 1))?;
            let entry = Committed { term, value: value.clone(), in_term: node.term() };
            match ghost.committed.get(&index) {
                None => {
                    ghost.committed.insert(index, entry);
                }
                Some(first) if (first.term, &first.value) == (entry.term, &entry.value) => {}
                Some(first) => {
                    return Err(format!(
                        "state machine safety: n{} committed {value} of term {term} at index {index}, \
                         where {} of term {} was committed",
                        id + 1,
                        first.value,
                        first.term
                    ));
                }
            }
        }
        if node.is_leader()
            && ghost.leaders.insert((node.term(), id))
            && let Some((_, other)) = ghost.leaders.iter().find(|&&(t, n)| t == node.term() && n != id)
        {
            return Err(format!("election safety: n{} and n{} both led term {}", other + 1, id + 1, node.term()));
        }
        Ok(())
    }

    fn check(world: &World<Raft>) -> Result<(), String> {
        let ghost = &world.ghost;
        // Validity.
        let requested = world.requested();
        for (index, entry) in &ghost.committed {
            if entry.value.commands().iter().any(|c| !requested.contains(c)) {
                return Err(format!("validity: {} committed at {index}, never requested", entry.value));
            }
        }
        // Durability: the node acts on what is on its disk, nothing more.
        for (id, (node, disk)) in world.nodes.iter().zip(&world.disks).enumerate() {
            if (node.term(), node.voted_for()) != (disk.term, disk.voted_for) || node.log() != &disk.log {
                return Err(format!(
                    "durability: n{} is in term {} voting for {:?}, its disk says term {} voting for {:?} \
                     (or the logs differ)",
                    id + 1,
                    node.term(),
                    node.voted_for(),
                    disk.term,
                    disk.voted_for
                ));
            }
        }
        // A restart forgets no vote: each vote granted is still on its voter's disk, or the voter has
        // moved on to a later term.
        for (&(voter, term), &candidate) in &ghost.votes {
            let disk = &world.disks[voter as usize];
            if disk.term < term || (disk.term == term && disk.voted_for != Some(candidate)) {
                return Err(format!(
                    "durability: n{} voted for n{} in term {term}, its disk now says term {} voting for {:?}",
                    voter + 1,
                    candidate + 1,
                    disk.term,
                    disk.voted_for
                ));
            }
        }
        // Log Matching.
        for a in 0..world.disks.len() {
            for b in a + 1..world.disks.len() {
                let (x, y) = (&world.disks[a].log, &world.disks[b].log);
                let common = x.last_index().min(y.last_index());
                let same = (1..=common).rev().find(|&i| x.term_at(i).is_some() && x.term_at(i) == y.term_at(i));
                if let Some(i) = same
                    && (1..=i).any(|j| x.entry(j) != y.entry(j))
                {
                    return Err(format!(
                        "log matching: n{} and n{} hold index {i} of the same term but differ up to it",
                        a + 1,
                        b + 1
                    ));
                }
            }
        }
        // Leader Completeness.
        for (id, node) in world.nodes.iter().enumerate() {
            if !node.is_leader() {
                continue;
            }
            for (index, c) in ghost.committed.iter().filter(|(_, c)| c.in_term <= node.term()) {
                let held = node.log().entry(*index).map(|e| (e.term, &e.value));
                if held != Some((c.term, &c.value)) {
                    return Err(format!(
                        "leader completeness: n{} leads term {} without {} of term {} committed at index {index} \
                         in term {}",
                        id + 1,
                        node.term(),
                        c.value,
                        c.term,
                        c.in_term
                    ));
                }
            }
        }
        // State Machine Safety, in every node.
        for (id, node) in world.nodes.iter().enumerate() {
            let decided = node.view().decided;
            for slot in 0..decided.prefix() {
                let value = decided.get(slot);
                if ghost.committed.get(&(slot + 1)).map(|c| &c.value) != value {
                    return Err(format!("state machine safety: n{} holds {value:?} committed at {}", id + 1, slot + 1));
                }
            }
        }
        Ok(())
    }
}

fn config(bugs: Bugs) -> Config {
    let mut config = Config::new(3);
    config.bugs = bugs;
    // One tick of a leader is one heartbeat.
    config.timing.heartbeat_ticks = 1;
    config
}

const BOUNDS: Bounds = Bounds { max_round: 3, requests: 2, crashes: 1, ticks: None };

fn check(bounds: Bounds, max_depth: Option<usize>, bugs: Bugs) -> Result<mc::Stats, mc::Counterexample> {
    mc::explore_and_report("raft", World::<Raft>::new(config(bugs), bounds), bounds, max_depth)
}

/// How the state space grows with the bounds (run by hand: `MC=rounds,requests,crashes,depth cargo
/// test --release -p paxos-core --test model_check_raft growth -- --ignored --nocapture`, depth `-` for none).
#[test]
#[ignore]
fn growth() {
    let (bounds, max_depth, bugs) = mc::bounds_from_env(None);
    check(bounds, max_depth, bugs).unwrap_or_else(|cx| panic!("{cx}"));
}

/// Every state reachable with one term (any node may start it, every interleaving of the election
/// and of the leader's heartbeats) keeps every invariant: a complete search, no depth bound.
#[test]
fn raft_is_safe_in_every_reachable_state_of_one_term() {
    let bounds = Bounds { max_round: 1, requests: 0, crashes: 0, ticks: None };
    let stats = check(bounds, None, Bugs::NONE).unwrap_or_else(|cx| panic!("{cx}"));
    // Pinned: a change to Raft's reachable behaviour changes these, and must be looked at.
    assert_eq!((stats.states, stats.depth), (26_942, 19));
}

/// Every state reachable in at most 9 transitions with the full bounds (terms ≤ 3, two commands, a
/// crash) keeps every invariant: split votes, a leader deposed by a later term, votes from a term
/// the candidate has left, a candidate with a shorter log, a restart before or after a vote.
#[test]
fn raft_is_safe_in_every_state_within_9_transitions() {
    let stats = check(BOUNDS, Some(9), Bugs::NONE).unwrap_or_else(|cx| panic!("{cx}"));
    // Pinned: a change to Raft's reachable behaviour changes these, and must be looked at.
    assert_eq!((stats.states, stats.depth), (1_709_676, 9));
}

/// The search is not blind: with each planted bug it finds a broken state, within the depth given.
#[cfg(feature = "planted-bugs")]
#[test]
fn the_search_finds_planted_raft_bugs() {
    use paxos_core::Bug;
    for (bug, depth, expected) in [
        (Bug::RaftVotesTwice, 4, "one vote per term"),
        (Bug::RaftSkipsLogCheck, 8, "log matching"),
        (Bug::SmallQuorum, 2, "election safety"),
    ] {
        let cx = check(BOUNDS, Some(depth), Bugs::NONE.with(bug)).expect_err(bug.name());
        assert!(cx.error.starts_with(expected), "{}: {cx}", bug.name());
    }
}
