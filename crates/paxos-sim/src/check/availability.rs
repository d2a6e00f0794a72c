//! **Available with a minority down.** A majority-quorum protocol tolerates ⌈n/2⌉−1 failures:
//! "Paxos … can make progress as long as a majority of the acceptors are working" (Lamport, Paxos
//! Made Simple, 2001, §2.4 and §3), and Raft "is fully functional (available) as long as any
//! majority of the servers are operational" (Ongaro & Ousterhout, 2014, §1). Seed 001's synchronous
//! primary–backup is the foil: "任何一个机器宕机, 写入就进行不下去了" — one dead backup stops every write.
//!
//! The check: take every stretch of time during which the same nodes are down (crashed or paused),
//! at least one and at most a minority, and the rest of the system works — the network whole, no
//! link cut, no loss. Every operation pending in such a stretch must return within the liveness
//! [`bound`](super::liveness::bound) of the later of its invocation and the stretch's start, if the
//! stretch lasts that long. (With no node down, [`super::liveness`] judges the run once faults stop.)
//! Stretches are cut wherever any fault changes, so a nemesis that crashes a new leader every few
//! hundred milliseconds is not blamed on the protocol.
//!
//! ```text
//!   n3 down ────────────────────────────────┐   network whole, no loss
//!   ├──── stretch ──────────────────────────┤
//!        invoke ───── bound ─────┤ deadline: must have returned by here
//! ```

use paxos_core::vec_map::VecSet;

use paxos_core::{NodeId, NodeName, NodeSet, majority_of};

use crate::check::linearizable::Operation;
use crate::decimal::ms;
use crate::trace::{Event, EventId, EventKind, Time};

/// A stretch of time with the same nodes down and the network working.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stretch {
    /// When it began.
    pub from: Time,
    /// When it ended (the next fault, or the end of the run).
    pub to: Time,
    /// The nodes down throughout.
    pub down: NodeSet,
}

/// Follows the faults of a run and remembers the stretches in which a minority was down.
#[derive(Clone, Debug)]
pub struct Stretches {
    nodes: u8,
    down: NodeSet,
    split: bool,
    cuts: VecSet<(NodeId, NodeId)>,
    lossy: bool,
    since: Time,
    done: Vec<Stretch>,
}

impl Stretches {
    /// Nothing down yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Stretches {
        Stretches {
            nodes,
            down: NodeSet::EMPTY,
            split: false,
            cuts: VecSet::new(),
            lossy: false,
            since: 0,
            done: Vec::new(),
        }
    }

    /// What this check sees of the system: the nodes down, whether the network is split, how many
    /// links are cut, whether messages are lost.
    fn health(&self) -> (NodeSet, bool, usize, bool) {
        (self.down, self.split, self.cuts.len(), self.lossy)
    }

    /// Whether a system in this state is one this check judges: a minority (but someone) down, the
    /// rest working.
    fn judged(&self, (down, split, cuts, lossy): (NodeSet, bool, usize, bool)) -> bool {
        let nodes = usize::from(self.nodes);
        let minority = nodes.saturating_sub(majority_of(nodes));
        (1..=minority).contains(&down.len()) && !split && cuts == 0 && !lossy
    }

    /// Takes in one trace event.
    pub fn event(&mut self, event: &Event) {
        let before = self.health();
        match event.kind {
            EventKind::Crash { node } | EventKind::Pause { node } => {
                self.down.insert(node);
            }
            EventKind::Restart { node } | EventKind::Resume { node } => self.down.remove(node),
            EventKind::Partition { islands } => self.split = !islands.is_whole(),
            EventKind::Cut { from, to } => {
                self.cuts.insert((from, to));
            }
            EventKind::Repair { from, to } => {
                self.cuts.remove(&(from, to));
            }
            EventKind::Weather { loss, .. } => self.lossy = loss.0 != 0,
            // Messages, clients, roles: nothing this check follows.
            _ => return,
        }
        if before != self.health() {
            // The stretch that ends here had the state from before the event.
            if self.judged(before) && event.time > self.since {
                self.done.push(Stretch { from: self.since, to: event.time, down: before.0 });
            }
            self.since = event.time;
        }
    }

    /// The judged stretches of a run that ended at `end`.
    pub fn until(&self, end: Time) -> Vec<Stretch> {
        let mut all = self.done.clone();
        if self.judged(self.health()) && end > self.since {
            all.push(Stretch { from: self.since, to: end, down: self.down });
        }
        all
    }
}

/// Checks every operation pending in a judged stretch: the first one late names its invocation.
pub fn check(ops: &[Operation], stretches: &[Stretch], nodes: u8, bound: Time) -> Result<(), (EventId, String)> {
    let late = stretches.iter().flat_map(|s| {
        ops.iter().filter_map(move |op| {
            let finished = op.ret.map(|(_, time, _)| time);
            let pending_in_stretch = op.invoke.1 < s.to && finished.is_none_or(|t| t > s.from);
            let deadline = op.invoke.1.max(s.from).saturating_add(bound);
            let late = pending_in_stretch && deadline <= s.to && finished.is_none_or(|t| t > deadline);
            late.then_some((deadline, op, s))
        })
    });
    match late.min_by_key(|(deadline, op, _)| (*deadline, op.invoke.0)) {
        None => Ok(()),
        Some((deadline, op, s)) => {
            let down: Vec<String> = s.down.iter().map(|n| NodeName(n).to_string()).collect();
            Err((
                op.invoke.0,
                format!(
                    "c{}'s {} (invoked at {} ms) had not returned by {} ms, though from {} ms to {} ms only {} \
                     of {nodes} nodes {} down and the network worked (the bound is {} ms)",
                    op.client + 1,
                    op.op,
                    ms(op.invoke.1),
                    ms(deadline),
                    ms(s.from),
                    ms(s.to),
                    down.join(", "),
                    if down.len() == 1 { "was" } else { "were" },
                    ms(bound)
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Islands;
    use paxos_core::{Op, Outcome};

    fn op(invoke: Time, ret: Option<Time>) -> Operation {
        Operation { client: 0, op: Op::Get(0), invoke: (invoke, invoke), ret: ret.map(|t| (t, t, Outcome::Value(0))) }
    }

    fn at(time: Time, kind: EventKind) -> Event {
        Event { time, kind }
    }

    #[test]
    fn only_a_minority_down_with_the_network_working_is_judged() {
        let mut s = Stretches::new(5);
        s.event(&at(100, EventKind::Crash { node: 0 }));
        s.event(&at(200, EventKind::Pause { node: 1 }));
        s.event(&at(300, EventKind::Crash { node: 2 })); // a majority down: not judged
        s.event(&at(400, EventKind::Restart { node: 2 }));
        s.event(&at(500, EventKind::Cut { from: 3, to: 4 })); // a link cut: not judged
        s.event(&at(600, EventKind::Repair { from: 3, to: 4 }));
        s.event(&at(700, EventKind::Partition { islands: Islands::default().with(4, 1) }));
        s.event(&at(800, EventKind::Partition { islands: Islands::default() }));
        s.event(&at(900, EventKind::Weather { loss: (1, 10), duplication: (0, 1) }));
        s.event(&at(950, EventKind::Weather { loss: (0, 1), duplication: (1, 10) }));
        let two = NodeSet::from_bits(0b11);
        assert_eq!(
            s.until(1_000),
            [
                Stretch { from: 100, to: 200, down: NodeSet::single(0) },
                Stretch { from: 200, to: 300, down: two },
                Stretch { from: 400, to: 500, down: two },
                Stretch { from: 600, to: 700, down: two },
                Stretch { from: 800, to: 900, down: two },
                Stretch { from: 950, to: 1_000, down: two },
            ]
        );
    }

    #[test]
    fn an_operation_blocked_while_a_minority_is_down_is_caught() {
        // n3 down from 1000 to 5000; bound 100.
        let stretches = [Stretch { from: 1_000, to: 5_000, down: NodeSet::single(2) }];
        assert!(check(&[op(500, Some(1_050)), op(2_000, Some(2_100))], &stretches, 3, 100).is_ok());
        // Pending at the stretch's start: its deadline runs from the start.
        assert_eq!(check(&[op(500, Some(1_200))], &stretches, 3, 100).unwrap_err().0, 500);
        let (event, message) = check(&[op(2_000, None)], &stretches, 3, 100).unwrap_err();
        assert_eq!(event, 2_000);
        assert!(message.contains("only n3 of 3 nodes was down"), "{message}");
        // Too close to the stretch's end to judge, and before it: not this check's business.
        assert!(check(&[op(4_950, None), op(100, Some(900))], &stretches, 3, 100).is_ok());
    }
}
