//! Raft: the shared checks on what nodes decide and answer, plus Raft's own five properties
//! (Ongaro & Ousterhout, *In Search of an Understandable Consensus Algorithm*, 2014, Figure 3),
//! checked on every node's state after each of its steps:
//!
//! | property | what is checked | when |
//! |---|---|---|
//! | Election Safety | at most one node leads in each term | a node leads |
//! | Leader Append-Only | a leader's log only grows, and no write of its own term rewrites an entry | a leader steps |
//! | Log Matching | the same (index, term) always has the same value and follows the same previous term — by induction, logs that share an entry are identical up to it | entries written |
//! | Leader Completeness | a newly elected leader holds every entry committed in an earlier term | a node becomes leader |
//! | State Machine Safety | no two nodes commit different entries at the same index | a node's commit index grows |
//!
//! Raft has no Paxos ballots, so the Paxos claims (promises, proposals, votes) do not apply; the
//! shared checks that do are validity, logs agree, logs grow, store is the fold of the log, exactly
//! once, linearizability and liveness. What a node must remember across a restart — its term, and
//! its vote in it — is judged by [`crate::check::terms`], fed from here: the votes a node writes or
//! grants, and its term and vote after every step.

use paxos_core::vec_map::VecMap;

use paxos_core::raft::{Index, Message, Node, RaftLog, Term, Vote, Write};
use paxos_core::{NodeId, NodeName, Protocol, Role, Value};

use crate::check::terms::Votes;
use crate::check::{Checked, Invariant, OwnChecks};
use crate::config::{ProtocolKind, SimConfig};
use crate::world::Simulated;

impl Simulated for Node {}

impl Checked for Node {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        &[
            Invariant::TermMonotonic,
            Invariant::OneVotePerTerm,
            Invariant::ElectionSafety,
            Invariant::LeaderAppendOnly,
            Invariant::LogMatching,
            Invariant::LeaderCompleteness,
            Invariant::StateMachineSafety,
            Invariant::Validity,
            Invariant::LogsAgree,
            Invariant::LogsGrow,
            Invariant::StoreIsFold,
            Invariant::ExactlyOnce,
            Invariant::Linearizable,
            Invariant::Liveness,
            Invariant::Available,
        ]
    }

    type Own = RaftChecks;
}

/// What the checks read of a node after a step.
#[derive(Clone, Copy, Debug)]
pub struct State<'a> {
    /// The current term.
    pub term: Term,
    /// Whether the node leads.
    pub leader: bool,
    /// Its log.
    pub log: &'a RaftLog,
    /// Its commit index.
    pub commit: Index,
}

impl<'a> State<'a> {
    /// The state of `node`.
    pub fn of(node: &'a Node) -> State<'a> {
        State {
            term: node.term(),
            leader: node.view().role == Role::Leader,
            log: node.log(),
            commit: node.commit_index(),
        }
    }
}

/// What the checks remember of a node from its previous step.
#[derive(Clone, Debug, Default)]
struct Seen {
    term: Term,
    leader: bool,
    last_index: Index,
    last_term: Term,
    commit: Index,
    /// The lowest index the node wrote entries at during its last step.
    written: Option<Index>,
}

/// A committed entry, and the term of the node that first committed it.
#[derive(Clone, Debug)]
struct Committed {
    term: Term,
    value: Value,
    in_term: Term,
}

/// Raft's five properties (see the module docs).
#[derive(Clone, Debug)]
pub struct RaftChecks {
    /// Term → the node that led it (Election Safety).
    leaders: VecMap<Term, NodeId>,
    nodes: Vec<Seen>,
    /// (index, term) → (the term of the entry before it, the value): Log Matching by induction.
    entries: VecMap<(Index, Term), (Term, Value)>,
    /// Index → the entry committed there (State Machine Safety, Leader Completeness).
    committed: VecMap<Index, Committed>,
    /// Terms and votes (see [`crate::check::terms`]).
    votes: Votes,
}

type CheckResult = Result<(), (Invariant, String)>;

impl RaftChecks {
    /// Checks for a cluster of `nodes` nodes.
    pub fn with_nodes(nodes: u8) -> RaftChecks {
        RaftChecks {
            leaders: VecMap::new(),
            nodes: vec![Seen::default(); nodes as usize],
            entries: VecMap::new(),
            committed: VecMap::new(),
            votes: Votes::new(nodes),
        }
    }

    /// `node` wrote log entries from index `from` on during the step being taken.
    pub fn written(&mut self, node: NodeId, from: Index) {
        let seen = &mut self.nodes[node as usize];
        seen.written = Some(seen.written.map_or(from, |w| w.min(from)));
    }

    /// Checks `node`'s state after a step.
    pub fn check(&mut self, node: NodeId, state: State<'_>) -> CheckResult {
        let seen = std::mem::take(&mut self.nodes[node as usize]);
        let log = state.log;
        self.nodes[node as usize] = Seen {
            term: state.term,
            leader: state.leader,
            last_index: log.last_index(),
            last_term: log.last_term(),
            commit: state.commit,
            written: None,
        };
        let n = node + 1;
        let stayed_leader = seen.leader && state.leader && seen.term == state.term;
        if state.leader {
            self.election_safety(node, state.term)?;
        }
        if stayed_leader {
            leader_append_only(n, &seen, state)?;
        }
        if let Some(from) = seen.written {
            self.log_matching(n, from, log)?;
        }
        if state.commit > seen.commit {
            self.state_machine_safety(n, seen.commit, state)?;
        }
        if state.leader && !stayed_leader {
            self.leader_completeness(n, state)?;
        }
        Ok(())
    }

    /// Election Safety (Raft, Figure 3, §5.2): at most one leader can be elected in a given term.
    fn election_safety(&mut self, node: NodeId, term: Term) -> CheckResult {
        let leader = *self.leaders.entry(term).or_insert(node);
        if leader != node {
            let message = format!("{} and {} both lead term {term}", NodeName(leader), NodeName(node));
            return Err((Invariant::ElectionSafety, message));
        }
        Ok(())
    }

    /// Log Matching (Raft, Figure 3, §5.3): if two logs contain an entry with the same index and term,
    /// the logs are identical in all entries up through that index. Checked by induction on the
    /// index: every entry written with a given (index, term) must carry the same value and follow an
    /// entry of the same term as every other entry ever seen with that (index, term).
    fn log_matching(&mut self, n: u8, from: Index, log: &RaftLog) -> CheckResult {
        for index in from.max(log.base() + 1)..=log.last_index() {
            let (Some(entry), Some(prev_term)) = (log.entry(index), log.term_at(index - 1)) else { continue };
            match self.entries.get(&(index, entry.term)) {
                None => {
                    self.entries.insert((index, entry.term), (prev_term, entry.value.clone()));
                }
                Some((other_prev, other_value)) if (*other_prev, other_value) != (prev_term, &entry.value) => {
                    let message = format!(
                        "n{n}'s entry {index} of term {} is {} after an entry of term {prev_term}, but another log \
                         has {other_value} there after an entry of term {other_prev}: logs sharing an entry differ \
                         up to it",
                        entry.term, entry.value
                    );
                    return Err((Invariant::LogMatching, message));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// State Machine Safety (Raft, Figure 3, §5.4.3): if a server has applied a log entry at a given
    /// index to its state machine, no other server will ever apply a different log entry for the same
    /// index. Checked when entries are committed (they are applied in order right after).
    fn state_machine_safety(&mut self, n: u8, from: Index, state: State<'_>) -> CheckResult {
        for index in from + 1..=state.commit {
            let Some(entry) = state.log.entry(index) else { continue };
            match self.committed.get(&index) {
                None => {
                    let committed = Committed { term: entry.term, value: entry.value.clone(), in_term: state.term };
                    self.committed.insert(index, committed);
                }
                Some(c) if (c.term, &c.value) != (entry.term, &entry.value) => {
                    let message = format!(
                        "n{n} commits entry {index} as {} of term {}, but {} of term {} was committed there",
                        entry.value, entry.term, c.value, c.term
                    );
                    return Err((Invariant::StateMachineSafety, message));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Leader Completeness (Raft, Figure 3, §5.4): if a log entry is committed in a given term, that
    /// entry will be present in the logs of the leaders for all higher-numbered terms. Checked when a
    /// node becomes leader, for the entries its log still keeps (the rest are in its snapshot).
    fn leader_completeness(&self, n: u8, state: State<'_>) -> CheckResult {
        let log = state.log;
        for (&index, c) in self.committed.range(log.base() + 1..) {
            if c.in_term >= state.term {
                continue;
            }
            let held = log.entry(index).is_some_and(|e| (e.term, &e.value) == (c.term, &c.value));
            if !held {
                let message = format!(
                    "n{n} leads term {} without entry {index} ({} of term {}), committed in term {}",
                    state.term, c.value, c.term, c.in_term
                );
                return Err((Invariant::LeaderCompleteness, message));
            }
        }
        Ok(())
    }
}

/// Leader Append-Only (Raft, Figure 3, §5.3): a leader never overwrites or deletes entries in its
/// log; it only appends new entries. Checked between two steps of the same node leading the same
/// term: its log is no shorter, its old last entry is still there, and it wrote nothing below its
/// old end.
fn leader_append_only(n: u8, seen: &Seen, state: State<'_>) -> CheckResult {
    let log = state.log;
    let kept = seen.last_index <= log.base() || log.term_at(seen.last_index) == Some(seen.last_term);
    let rewrote = seen.written.filter(|&from| from <= seen.last_index);
    if log.last_index() < seen.last_index || !kept || rewrote.is_some() {
        let message = format!(
            "n{n}, leading term {}, changed its log below its end: it ended at entry {} of term {} and now ends at \
             entry {} of term {}{}",
            state.term,
            seen.last_index,
            seen.last_term,
            log.last_index(),
            log.last_term(),
            rewrote.map_or(String::new(), |from| format!(", having written from entry {from}"))
        );
        return Err((Invariant::LeaderAppendOnly, message));
    }
    Ok(())
}

impl OwnChecks<Node> for RaftChecks {
    fn new(config: &SimConfig) -> Self {
        RaftChecks::with_nodes(config.nodes)
    }

    fn persisted(&mut self, node: NodeId, write: &Write) -> CheckResult {
        match *write {
            Write::Entries { from, .. } => self.written(node, from),
            Write::Term { term, voted_for: Some(candidate) } => return self.votes.voted(node, term, candidate),
            _ => {}
        }
        Ok(())
    }

    fn sent(&mut self, node: NodeId, msg: &Message) -> CheckResult {
        match *msg {
            Message::Vote(Vote { term, candidate, granted: true }) => self.votes.voted(node, term, candidate),
            _ => Ok(()),
        }
    }

    fn stepped(&mut self, node: NodeId, state: &Node) -> CheckResult {
        let votes = self.votes.stepped(node, state.term(), state.voted_for());
        let rest = self.check(node, State::of(state));
        votes.and(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::raft::Entry;
    use paxos_core::{Command, Op};

    fn value(v: i64) -> Value {
        Value::batch([Command { client: 0, seq: v as u32, op: Op::Set(0, v) }])
    }

    /// A log of entries with these (term, value) pairs, from index 1.
    fn log(entries: &[(Term, i64)]) -> RaftLog {
        let mut log = RaftLog::default();
        for &(term, v) in entries {
            log.push(Entry { term, value: value(v) });
        }
        log
    }

    fn state(term: Term, leader: bool, log: &RaftLog, commit: Index) -> State<'_> {
        State { term, leader, log, commit }
    }

    fn violated(result: CheckResult) -> Invariant {
        result.expect_err("the check must fail").0
    }

    /// Raft Figure 3, Election Safety: two leaders in one term are caught.
    #[test]
    fn two_leaders_in_one_term_break_election_safety() {
        let mut checks = RaftChecks::with_nodes(3);
        let empty = RaftLog::default();
        checks.check(0, state(2, true, &empty, 0)).unwrap();
        checks.check(1, state(3, true, &empty, 0)).unwrap();
        assert_eq!(violated(checks.check(2, state(2, true, &empty, 0))), Invariant::ElectionSafety);
    }

    /// Raft Figure 3, Leader Append-Only: a leader that loses an entry while leading its term is caught,
    /// and so is one that rewrites an entry below its end.
    #[test]
    fn a_leader_deleting_or_rewriting_entries_breaks_leader_append_only() {
        let mut checks = RaftChecks::with_nodes(3);
        let long = log(&[(1, 1), (2, 2)]);
        checks.check(0, state(2, true, &long, 0)).unwrap();
        let short = log(&[(1, 1)]);
        assert_eq!(violated(checks.check(0, state(2, true, &short, 0))), Invariant::LeaderAppendOnly);

        let mut checks = RaftChecks::with_nodes(3);
        checks.check(0, state(2, true, &long, 0)).unwrap();
        checks.written(0, 2);
        let rewritten = log(&[(1, 1), (2, 2), (2, 3)]);
        assert_eq!(violated(checks.check(0, state(2, true, &rewritten, 0))), Invariant::LeaderAppendOnly);
        // Appending is fine; and a follower may have its log cut (§5.3).
        let mut checks = RaftChecks::with_nodes(3);
        checks.check(0, state(2, true, &long, 0)).unwrap();
        checks.written(0, 3);
        checks.check(0, state(2, true, &rewritten, 0)).unwrap();
        checks.check(1, state(2, false, &long, 0)).unwrap();
        checks.written(1, 2);
        checks.check(1, state(2, false, &short, 0)).unwrap();
    }

    /// Raft Figure 3 and §5.3, Log Matching: two logs with the same (index, term) but different
    /// entries before it are caught, as are different values at the same (index, term).
    #[test]
    fn logs_sharing_an_entry_but_differing_before_it_break_log_matching() {
        let mut checks = RaftChecks::with_nodes(3);
        checks.written(0, 1);
        checks.check(0, state(3, false, &log(&[(1, 1), (3, 5)]), 0)).unwrap();
        checks.written(1, 1);
        let err = checks.check(1, state(3, false, &log(&[(2, 9), (3, 5)]), 0));
        assert_eq!(violated(err), Invariant::LogMatching);

        let mut checks = RaftChecks::with_nodes(3);
        checks.written(0, 1);
        checks.check(0, state(3, false, &log(&[(3, 5)]), 0)).unwrap();
        checks.written(1, 1);
        assert_eq!(violated(checks.check(1, state(3, false, &log(&[(3, 8)]), 0))), Invariant::LogMatching);
        // The same entries after the same ones are fine.
        checks.written(2, 1);
        checks.check(2, state(3, false, &log(&[(3, 5)]), 0)).unwrap();
    }

    /// Raft Figure 3 and §5.4.3, State Machine Safety: two nodes committing different entries at one
    /// index are caught.
    #[test]
    fn different_entries_committed_at_one_index_break_state_machine_safety() {
        let mut checks = RaftChecks::with_nodes(3);
        checks.check(0, state(2, false, &log(&[(1, 1), (2, 2)]), 2)).unwrap();
        checks.check(1, state(2, false, &log(&[(1, 1)]), 1)).unwrap();
        let err = checks.check(2, state(3, false, &log(&[(1, 1), (3, 7)]), 2));
        assert_eq!(violated(err), Invariant::StateMachineSafety);
    }

    /// Raft Figure 3 and §5.4, Leader Completeness (Figure 8's danger): a leader of a later term whose
    /// log lacks an entry committed earlier is caught.
    #[test]
    fn a_leader_missing_a_committed_entry_breaks_leader_completeness() {
        let mut checks = RaftChecks::with_nodes(5);
        // n1 commits entry 2 of term 2 while in term 4.
        checks.check(0, state(4, true, &log(&[(1, 1), (2, 2), (4, 0)]), 2)).unwrap();
        // n5 becomes leader of term 5 with entry 2 of term 3 instead.
        let err = checks.check(4, state(5, true, &log(&[(1, 1), (3, 3)]), 1));
        assert_eq!(violated(err), Invariant::LeaderCompleteness);
        // A leader of term 5 that holds it is fine.
        let mut checks = RaftChecks::with_nodes(5);
        checks.check(0, state(4, true, &log(&[(1, 1), (2, 2), (4, 0)]), 2)).unwrap();
        checks.check(4, state(5, true, &log(&[(1, 1), (2, 2)]), 1)).unwrap();
    }
}
