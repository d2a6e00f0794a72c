//! **Votes kept** (Lamport, Paxos Made Simple, 2001, §2.2: "an acceptor must remember this
//! information even if it fails and then restarts"; §2.5: "an acceptor records its intended
//! response in stable storage before actually sending the response").
//!
//! A vote (phase 2b) counts towards a choice the moment it is cast, and a proposer of a higher
//! ballot learns of it only from the acceptor's phase 1 answer. An acceptor that comes back from
//! a crash without a vote it cast may report nothing in that slot: the proposer is then free to
//! propose another value, and a value already chosen can be replaced. So after every restart, in
//! each slot it has not learned, an acceptor must still hold a vote at least as high as the highest
//! it cast there (a promise alone is not enough, and a decided slot needs no vote).
//!
//! Checked at each restart, against the votes [`super::ballots`] saw the node cast (by `Accepted`
//! messages and writes).

use paxos_core::vec_map::VecMap;
use paxos_core::{Ballot, NodeId, Slot, SlotView, Value, View};

use super::Invariant;

/// Which nodes restarted and have not yet been checked.
#[derive(Clone, Debug)]
pub struct Kept {
    restarted: Vec<bool>,
}

impl Kept {
    /// No restart yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Kept {
        Kept { restarted: vec![false; nodes as usize] }
    }

    /// `node` restarted: check it after its next step.
    pub fn restarted(&mut self, node: NodeId) {
        self.restarted[node as usize] = true;
    }

    /// Whether `node` restarted since it was last checked (the caller then calls [`Kept::check`]).
    pub fn due(&mut self, node: NodeId) -> bool {
        std::mem::replace(&mut self.restarted[node as usize], false)
    }

    /// Checks that `node`, just restarted with `view` and `slots` (its acceptor state), still holds
    /// every vote it `cast`: per (slot, ballot), the value.
    pub fn check(
        node: NodeId,
        view: &View<'_>,
        slots: &[SlotView],
        cast: &VecMap<(Slot, Ballot), Value>,
    ) -> Result<(), (Invariant, String)> {
        // `cast` is in (slot, ballot) order: the last entry of each slot is its highest vote. Only
        // slots from the node's decided prefix on can be unlearned: the run's earlier votes are
        // skipped, so a restart late in a long run costs what its open slots cost.
        let mut highest: Vec<(Slot, Ballot, &Value)> = Vec::new();
        for (&(slot, ballot), value) in cast.range((view.decided.prefix(), Ballot::ZERO)..) {
            match highest.last_mut() {
                Some(last) if last.0 == slot => *last = (slot, ballot, value),
                _ => highest.push((slot, ballot, value)),
            }
        }
        let learned = |slot: Slot| slot < view.decided.prefix() || view.decided.get(slot).is_some();
        for (slot, ballot, value) in highest.into_iter().filter(|&(slot, ..)| !learned(slot)) {
            let held = slots.iter().find(|s| s.slot == slot).and_then(|s| s.accepted.as_ref());
            if held.is_none_or(|(b, _)| *b < ballot) {
                let now = held.map_or("no vote there".to_string(), |(b, v)| format!("only {v} at ballot {b}"));
                let message = format!(
                    "n{} voted for {value} in slot {slot} at ballot {ballot}, and after its restart holds {now}",
                    node + 1
                );
                return Err((Invariant::VotesKept, message));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Command, DecidedLog, Op, Role, Store};

    fn value(v: i64) -> Value {
        Value::batch([Command { client: 0, seq: v as u32, op: Op::Set(0, v) }])
    }

    fn slot(slot: Slot, accepted: Option<(Ballot, Value)>) -> SlotView {
        SlotView { slot, promised: Ballot::new(9, 0), accepted }
    }

    /// Paxos Made Simple §2.2: an acceptor that comes back without its vote — or with only a lower
    /// one — is caught; a vote kept, overtaken by a higher one, or in a learned slot, is fine.
    #[test]
    fn a_vote_lost_in_a_restart_is_caught() {
        let (store, mut decided) = (Store::new(), DecidedLog::default());
        decided.insert(0, value(0));
        let view = View {
            id: 1,
            role: Role::Acceptor,
            leader: None,
            ballot: Ballot::ZERO,
            promised: Ballot::ZERO,
            decided: &decided,
            store: &store,
            applied: 1,
        };
        let mut cast = VecMap::new();
        cast.insert((0, Ballot::new(1, 0)), value(0));
        cast.insert((3, Ballot::new(1, 0)), value(1));
        cast.insert((3, Ballot::new(2, 1)), value(2));
        let kept = [slot(3, Some((Ballot::new(2, 1), value(2))))];
        Kept::check(1, &view, &kept, &cast).unwrap();
        let higher = [slot(3, Some((Ballot::new(4, 2), value(4))))];
        Kept::check(1, &view, &higher, &cast).unwrap();
        let lower = [slot(3, Some((Ballot::new(1, 0), value(1))))];
        assert_eq!(Kept::check(1, &view, &lower, &cast).unwrap_err().0, Invariant::VotesKept);
        let err = Kept::check(1, &view, &[slot(3, None)], &cast).unwrap_err();
        assert_eq!(err.0, Invariant::VotesKept);
        assert!(err.1.contains("slot 3 at ballot 2.2, and after its restart holds no vote there"), "{}", err.1);
    }
}
