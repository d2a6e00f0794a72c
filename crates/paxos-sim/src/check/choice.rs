//! Invariants on what is chosen, computed from the acceptors' votes — not from what any node believes.
//!
//! A value is *chosen* in a slot once a majority of the acceptors have voted for it in the same
//! ballot (Paxos Made Simple §2.2) — in a fast round, once a fast quorum (⌈3n/4⌉) did (Fast Paxos
//! §3.3). The checker counts every vote claimed (see [`super::claims`]), delivered or not, with its own
//! quorums (never the protocol's).
//!
//! - **Agreement** (§2.1, "only a single value is chosen"): no slot ever has two chosen values.
//! - **Decided is chosen** (§2.1, "a process never learns that a value has been chosen unless it
//!   actually has been"): whenever a node learns a slot, that slot's chosen value is the one learned.
//! - **Validity** (§2.1, "only a value that has been proposed may be chosen"): every command in a
//!   learned value was invoked by a client, with that very operation; no-ops are allowed.

use paxos_core::vec_map::VecMap;

use paxos_core::{Ballot, NodeId, NodeName, NodeSet, Slot, Value, majority_of};

use super::{Claim, Invariant};
use crate::history::History;

/// Votes per (slot, ballot), and the chosen value of each slot.
#[derive(Clone, Debug)]
pub struct Choice {
    acceptors: NodeSet,
    majority: usize,
    fast_quorum: usize,
    /// For each (slot, ballot): each value voted for, with its voters.
    votes: VecMap<(Slot, Ballot), Vec<(Value, NodeSet)>>,
    /// The first value chosen in each slot, with the ballot it was chosen in.
    chosen: VecMap<Slot, (Value, Ballot)>,
}

impl Choice {
    /// Nothing voted yet; `acceptors` are the nodes whose votes count, and `fast_quorum` the votes a
    /// value needs to be chosen in a fast round.
    pub fn new(acceptors: NodeSet, fast_quorum: usize) -> Choice {
        let majority = majority_of(acceptors.len());
        Choice { acceptors, majority, fast_quorum, votes: VecMap::new(), chosen: VecMap::new() }
    }

    /// The value chosen in `slot`, with the ballot it was chosen in and its voters then.
    pub fn chosen_with_quorum(&self, slot: Slot) -> Option<(&Value, Ballot, NodeSet)> {
        let (value, ballot) = self.chosen.get(&slot)?;
        let voters = self.votes.get(&(slot, *ballot))?.iter().find(|(v, _)| v == value)?.1;
        Some((value, *ballot, voters))
    }

    /// The value chosen in `slot`, if any.
    pub fn chosen(&self, slot: Slot) -> Option<&Value> {
        self.chosen.get(&slot).map(|(value, _)| value)
    }

    /// Counts a vote (in a fast round if `fast`); checks agreement when it completes a quorum.
    pub fn observe(&mut self, node: NodeId, claim: Claim<'_>, fast: bool) -> Result<(), (Invariant, String)> {
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
        let quorum = if fast { self.fast_quorum } else { self.majority };
        if !voters.insert(node) || voters.len() != quorum {
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
                    "slot {slot}: {value} was chosen at ballot {ballot} (voters {voters}) after {first} was \
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
                format!("{} learned {value} in slot {slot}, but {chosen} was chosen (ballot {ballot})", NodeName(node)),
            )),
            None => Err((
                Invariant::DecidedIsChosen,
                format!(
                    "{} learned {value} in slot {slot} before a majority of acceptors had accepted any value there",
                    NodeName(node)
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

    impl Choice {
        fn observe_classic(&mut self, node: NodeId, claim: Claim<'_>) -> Result<(), (Invariant, String)> {
            self.observe(node, claim, false)
        }
    }

    /// Fast Paxos §3.3: in the fast round a majority is not enough; a fast quorum is.
    #[test]
    fn a_fast_round_value_is_chosen_only_by_a_fast_quorum() {
        let mut c = Choice::new(NodeSet::first(5), 4);
        let x = value(1);
        for node in 0..3 {
            c.observe(node, Claim::Vote { slot: 0, ballot: Ballot::ZERO, value: &x }, true).unwrap();
        }
        assert_eq!(c.chosen(0), None);
        c.observe(3, Claim::Vote { slot: 0, ballot: Ballot::ZERO, value: &x }, true).unwrap();
        assert_eq!(c.chosen_with_quorum(0), Some((&x, Ballot::ZERO, NodeSet::from_bits(0b1111))));
    }

    fn value(seq: u32) -> Value {
        Value::batch([Command { client: 0, seq, op: Op::Inc(0, 1) }])
    }

    /// Paxos Made Simple §2.1: only a single value is chosen.
    #[test]
    fn two_majorities_for_different_values_break_agreement() {
        let mut c = Choice::new(NodeSet::first(3), 3);
        let (x, y) = (value(1), value(2));
        let b1 = Ballot::new(1, 0);
        let b2 = Ballot::new(2, 1);
        c.observe_classic(0, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        c.observe_classic(0, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        assert_eq!(c.chosen(0), None, "one acceptor voting twice is one vote");
        c.observe_classic(1, Claim::Vote { slot: 0, ballot: b1, value: &x }).unwrap();
        assert_eq!(c.chosen(0), Some(&x));
        c.observe_classic(1, Claim::Vote { slot: 0, ballot: b2, value: &x }).unwrap();
        c.observe_classic(2, Claim::Vote { slot: 0, ballot: b2, value: &x }).unwrap();
        c.observe_classic(0, Claim::Vote { slot: 0, ballot: Ballot::new(3, 2), value: &y }).unwrap();
        let err = c.observe_classic(2, Claim::Vote { slot: 0, ballot: Ballot::new(3, 2), value: &y }).unwrap_err();
        assert_eq!(err.0, Invariant::Agreement);
    }

    /// Paxos Made Simple §2.1: a process never learns a value that was not chosen.
    #[test]
    fn learning_before_a_majority_voted_is_caught() {
        let mut c = Choice::new(NodeSet::first(3), 3);
        let x = value(1);
        c.observe_classic(0, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        assert_eq!(c.decided(1, 0, &x).unwrap_err().0, Invariant::DecidedIsChosen);
        c.observe_classic(2, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        c.decided(1, 0, &x).unwrap();
        assert_eq!(c.decided(1, 0, &value(9)).unwrap_err().0, Invariant::DecidedIsChosen);
    }

    #[test]
    fn votes_of_non_acceptors_do_not_count() {
        let mut c = Choice::new(NodeSet::from_bits(0b110), 2);
        let x = value(1);
        c.observe_classic(0, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        c.observe_classic(1, Claim::Vote { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        assert_eq!(c.chosen(0), None, "two acceptors need both votes");
    }
}
