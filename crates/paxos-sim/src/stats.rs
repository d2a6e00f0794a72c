//! Figures about a run, read off its trace: messages, operations, and latency in message delays.
//!
//! **Message delays.** The latency of an operation in message delays is the length of the longest
//! chain of messages that starts with the client's request and ends with the reply, counting only
//! messages sent after the request (Lamport's happened-before, 1978, restricted to the operation's
//! lifetime). It does not depend on how long each message took. The client's two legs are not
//! counted: a command committed by a stable Multi-Paxos leader costs 2 (Accept, Accepted); one that
//! first needs phase 1 costs 4 (Prepare, Promise, Accept, Accepted); a forwarded request 1 more.
//!
//! **Time without a leader.** The virtual time during which no node that is up holds the role of
//! leader (or primary), from time 0 to the last event: the window in which a leader-based protocol
//! cannot commit. A node leads from its `Role` event naming it leader until it changes role or crashes.

use paxos_core::vec_map::VecMap;

use paxos_core::{MsgKind, NodeSet, Role};

use crate::check::Violation;
use crate::history::History;
use crate::trace::{Addr, EventKind, MsgId, Trace};

/// Figures about a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Virtual time reached, µs.
    pub time: u64,
    /// Trace events.
    pub events: u64,
    /// Messages sent between nodes.
    pub messages: u64,
    /// Messages between nodes delivered.
    pub delivered: u64,
    /// Messages dropped (any reason).
    pub dropped: u64,
    /// Client operations invoked.
    pub invoked: u64,
    /// Client operations completed.
    pub completed: u64,
    /// Highest slot decided by any node, plus one.
    pub slots_decided: u64,
    /// Commit latency in message delays of every completed operation, sorted.
    pub delays: Vec<u32>,
    /// The first violation of each invariant.
    pub violations: Vec<Violation>,
    /// Virtual time without a leader, µs (see the module docs).
    pub leaderless_us: u64,
    /// The golden hash of the trace.
    pub trace_hash: u64,
}

impl Summary {
    /// The `q`-th percentile (0–100) of the commit latency, if any operation completed.
    pub fn delay_percentile(&self, q: usize) -> Option<u32> {
        let last = self.delays.len().checked_sub(1)?;
        Some(self.delays[last * q.min(100) / 100])
    }

    /// Messages between nodes per completed operation, ×100 (an integer, for determinism).
    pub fn messages_per_op_x100(&self) -> Option<u64> {
        (self.completed > 0).then(|| self.messages * 100 / self.completed)
    }
}

/// Computes the figures of a run; `leaders_at_start` lead before any trace event says so (a
/// primary–backup cluster starts with its primary).
pub fn summarize(leaders_at_start: NodeSet, trace: &Trace, history: &History, violations: &[Violation]) -> Summary {
    let mut summary = Summary {
        time: trace.events().last().map_or(0, |e| e.time),
        events: trace.len() as u64,
        messages: 0,
        delivered: 0,
        dropped: 0,
        invoked: history.operations().len() as u64,
        completed: history.completed() as u64,
        slots_decided: 0,
        delays: Vec::new(),
        violations: violations.to_vec(),
        leaderless_us: 0,
        trace_hash: trace.hash(),
    };
    let mut leaders = leaders_at_start;
    let mut leaderless_since = leaders.is_empty().then_some(0);
    let between_nodes = |msg: MsgId| {
        trace.send_of(msg).and_then(|id| trace.get(id)).is_some_and(
            |e| matches!(e.kind, EventKind::Send { from, to, .. } if from.as_node().is_some() && to.as_node().is_some()),
        )
    };
    for event in trace.events() {
        match event.kind {
            EventKind::Role { node, role: Role::Leader | Role::Primary, .. } => {
                leaders.insert(node);
            }
            EventKind::Role { node, .. } | EventKind::Crash { node } => leaders.remove(node),
            _ => {}
        }
        match (leaders.is_empty(), leaderless_since) {
            (true, None) => leaderless_since = Some(event.time),
            (false, Some(since)) => {
                summary.leaderless_us += event.time - since;
                leaderless_since = None;
            }
            _ => {}
        }
        match event.kind {
            EventKind::Send { from, to, .. } if from.as_node().is_some() && to.as_node().is_some() => {
                summary.messages += 1;
            }
            EventKind::Deliver { msg } if between_nodes(msg) => summary.delivered += 1,
            EventKind::Drop { .. } => summary.dropped += 1,
            EventKind::Decide { slot, .. } => summary.slots_decided = summary.slots_decided.max(u64::from(slot) + 1),
            _ => {}
        }
    }
    if let Some(since) = leaderless_since {
        summary.leaderless_us += summary.time - since;
    }
    summary.delays = history
        .operations()
        .iter()
        .filter_map(|op| {
            let (returned, _, _) = op.ret?;
            Some(message_delays(trace, op.invoke.0, returned)?.saturating_sub(2))
        })
        .collect();
    crate::sort::sort_by_key(&mut summary.delays, |&delay| (u64::from(delay), 0));
    summary
}

/// The longest chain of messages from the request sent right after invocation event `invoke` to
/// the return event `returned`, client legs included; `None` if the trace does not show one.
pub fn message_delays(trace: &Trace, invoke: u64, returned: u64) -> Option<u32> {
    let events = trace.events();
    let client = match events.get(invoke as usize + 1)?.kind {
        EventKind::Send { from, kind: MsgKind::Request, .. } => from,
        _ => return None,
    };
    // Longest chain length reaching each address so far (absent: not reached).
    let mut reach: VecMap<Addr, u32> = VecMap::from([(client, 0)]);
    let mut carried: VecMap<MsgId, u32> = VecMap::new();
    for event in &events[invoke as usize + 1..returned as usize] {
        match event.kind {
            EventKind::Send { msg, from, .. } => {
                if let Some(&hops) = reach.get(&from) {
                    carried.insert(msg, hops);
                }
            }
            EventKind::Deliver { msg } => {
                let Some(hops) = carried.remove(&msg) else { continue };
                let to = match trace.get(trace.send_of(msg)?)?.kind {
                    EventKind::Send { to, .. } => to,
                    _ => continue,
                };
                let best = reach.entry(to).or_insert(0);
                *best = (*best).max(hops + 1);
            }
            _ => {}
        }
    }
    reach.get(&client).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Event;
    use paxos_core::Ballot;

    fn summary_of(events: &[(u64, EventKind)]) -> Summary {
        let mut trace = Trace::default();
        for &(time, kind) in events {
            trace.push(Event { time, kind });
        }
        summarize(NodeSet::EMPTY, &trace, &History::default(), &[])
    }

    /// Nobody leads until n1 is elected at 30; n1 crashes at 100 and n2 leads from 160: 30 + 60.
    #[test]
    fn time_without_a_leader_counts_from_start_and_across_a_crash() {
        let role = |node, role| EventKind::Role { node, role, ballot: Ballot::new(1, node) };
        let summary = summary_of(&[
            (10, role(0, Role::Candidate)),
            (30, role(0, Role::Leader)),
            (100, EventKind::Crash { node: 0 }),
            (120, role(1, Role::Candidate)),
            (160, role(1, Role::Leader)),
            (400, EventKind::Timeout { node: 2 }),
        ]);
        assert_eq!(summary.leaderless_us, 30 + 60);
    }

    /// A primary–backup cluster starts with n1 as primary, announced by no event: only its
    /// failover, from the crash at 100 to n2 taking over at 150, is time without a leader.
    #[test]
    fn a_leader_from_the_start_is_not_time_without_one() {
        let mut trace = Trace::default();
        let events = [
            (100, EventKind::Crash { node: 0 }),
            (150, EventKind::Role { node: 1, role: Role::Primary, ballot: Ballot::new(1, 1) }),
            (400, EventKind::Timeout { node: 2 }),
        ];
        for (time, kind) in events {
            trace.push(Event { time, kind });
        }
        let summary = summarize(NodeSet::single(0), &trace, &History::default(), &[]);
        assert_eq!(summary.leaderless_us, 50);
    }

    /// A run that never elects anyone was leaderless all along.
    #[test]
    fn a_run_without_leaders_is_leaderless_throughout() {
        let summary = summary_of(&[(5, EventKind::Timeout { node: 0 }), (50, EventKind::Timeout { node: 1 })]);
        assert_eq!(summary.leaderless_us, 50);
    }
}
