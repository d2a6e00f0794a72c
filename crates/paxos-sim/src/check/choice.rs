//! Invariants on what is chosen, computed from the acceptors' votes — not from what any node believes.
//!
//! A value is *chosen* in a slot once a majority of the acceptors have voted for it in the same
//! ballot (Paxos Made Simple §2.2). The checker counts every vote claimed (see [`super::claims`]),
//! delivered or not, with its own majority (half the acceptors plus one, never the protocol's).
//!
//! - **Agreement** (§2.1, "only a single value is chosen"): no slot ever has two chosen values.
//! - **Decided is chosen** (§2.1, "a process never learns that a value has been chosen unless it
//!   actually has been"): whenever a node learns a slot, that slot's chosen value is the one learned.
//! - **Validity** (§2.1, "only a value that has been proposed may be chosen"): every command in a
//!   learned value was invoked by a client, with that very operation; no-ops are allowed.

use std::collections::BTreeMap;

use paxos_core::{Ballot, NodeId, NodeSet, Slot, Value};

use super::{Claim, Invariant};
use crate::history::History;

/// Votes per (slot, ballot), and the chosen value of each slot.
#[derive(Clone, Debug)]
pub struct Choice {
    acceptors: NodeSet,
    majority: usize,
    /// For each (slot, ballot): each value voted for, with its voters.
    votes: BTreeMap<(Slot, Ballot), Vec<(Value, NodeSet)>>,
    /// The first value chosen in each slot, with the ballot it was chosen in.
    chosen: BTreeMap<Slot, (Value, Ballot)>,
}

impl Choice {
    /// Nothing voted yet; `acceptors` are the nodes whose votes count.
    pub fn new(acceptors: NodeSet) -> Choice {
        Choice { acceptors, majority: acceptors.len() / 2 + 1, votes: BTreeMap::new(), chosen: BTreeMap::new() }
    }

    /// The value chosen in `slot`, if any.
    pub fn chosen(&self, slot: Slot) -> Option<&Value> {
        self.chosen.get(&slot).map(|(value, _)| value)
    }

    /// Counts a vote; checks agreement when it completes a majority.
    pub fn observe(&mut self, node: NodeId, claim: Claim<'_>) -> Result<(), (Invariant, String)> {
        let Claim::Vote { slot, ballot, value } = claim else { return Ok(()) };
        if !self.acceptors.contains(node) {
            return Ok(());
        }
        let tallies = self.votes.entry((slot, ballot)).or_default();
        let index = match tallies.iter().position(|(v, _)| v == value) {
            Some(index) => index,
            None => {
                tallies.push((value.clone(), NodeSet::EMPTY));
                tallies.len() - 1
            }
        };
        let voters = &mut tallies[index].1;
        if !voters.insert(node) || voters.len() != self.majority {
            return Ok(());
        }
        match self.chosen.get(&slot) {
            None => {
                self.chosen.insert(slot, (value.clone(), ballot));
                Ok(())
            }
            Some((first, _)) if first == value => Ok(()),
            Some((first, first_ballot)) => Err((
                Invariant::Agreement,
                format!(
                    "slot {slot}: {value:?} was chosen at ballot {ballot} (voters {voters:?}) after {first:?} was \
                     chosen at ballot {first_ballot}"
                ),
            )),
        }
    }

    /// Checks that `node` learned the chosen value of `slot`.
    pub fn decided(&self, node: NodeId, slot: Slot, value: &Value) -> Result<(), (Invariant, String)> {
        match self.chosen.get(&slot) {
            Some((chosen, _)) if chosen == value => Ok(()),
            Some((chosen, ballot)) => Err((
                Invariant::DecidedIsChosen,
                format!("n{} learned {value:?} in slot {slot}, but {chosen:?} was chosen (ballot {ballot})", node + 1),
            )),
            None => Err((
                Invariant::DecidedIsChosen,
                format!(
                    "n{} learned {value:?} in slot {slot} before a majority of acceptors had accepted any value there",
                    node + 1
                ),
            )),
        }
    }

    /// Checks that every command of a learned value was invoked by a client as it stands.
    pub fn valid(&self, slot: Slot, value: &Value, history: &History) -> Result<(), (Invariant, String)> {
        for command in value.commands() {
            if history.invoked(command.client, command.seq) != Some(command.op) {
                return Err((
                    Invariant::Validity,
                    format!(
                        "slot {slot} holds c{}#{} {} which no client invoked",
                        command.client + 1,
                        command.seq,
                        command.op
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Command, Op};

    fn value(seq: u32) -> Value {
        Value::batch([Command { client: 0, seq, op: Op::Inc(0, 1) }])
    }

    /// Paxos Made Simple §2.1: only a single value is chosen.
    #[test]
    fn two_majorities_for_different_values_break_agreement() {
        let mut c = Choice::new(NodeSet::first(3));
        let (x, y) = (value(1), value(2));
        let b1 = Ballot::new(1, 0);
        let b2 = Ballot::new(2, 1);
        c.observe(0, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        c.observe(0, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        assert_eq!(c.chosen(0), None, "one acceptor voting twice is one vote");
        c.observe(1, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        assert_eq!(c.chosen(0), Some(&x));
        c.observe(1, Claim::Vote { slot: 0, ballot: b2, value: &x }).unwrap();
        c.observe(2, Claim::Vote { slot: 0, ballot: b2, value: &x }).unwrap();
        c.observe(0, Claim::Vote { slot: 0, ballot: Ballot::new(3, 2), value: &y }).unwrap();
        let err = c.observe(2, Claim::Vote { slot: 0, ballot: Ballot::new(3, 2), value: &y }).unwrap_err();
        assert_eq!(err.0, Invariant::Agreement);
    }

    /// Paxos Made Simple §2.1: a process never learns a value that was not chosen.
    #[test]
    fn learning_before_a_majority_voted_is_caught() {
        let mut c = Choice::new(NodeSet::first(3));
        let x = value(1);
        c.observe(0, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        assert_eq!(c.decided(1, 0, &x).unwrap_err().0, Invariant::DecidedIsChosen);
        c.observe(2, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        c.decided(1, 0, &x).unwrap();
        assert_eq!(c.decided(1, 0, &value(9)).unwrap_err().0, Invariant::DecidedIsChosen);
    }

    #[test]
    fn votes_of_non_acceptors_do_not_count() {
        let mut c = Choice::new(NodeSet::from_bits(0b110));
        let x = value(1);
        c.observe(0, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        c.observe(1, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        assert_eq!(c.chosen(0), None, "two acceptors need both votes");
    }
}
