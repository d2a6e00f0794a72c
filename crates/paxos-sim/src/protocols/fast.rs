//! Fast Paxos: promises and votes per slot, many proposals in the fast round (round 0), and two
//! checks of its own.
//!
//! - **Fast quorum** (Fast Paxos §3.3). No node learns a value from the fast round unless a fast
//!   quorum (⌈3n/4⌉, the checker's own count) voted for it there — or a classic majority chose it in
//!   a classic round. A learner counting a classic majority of fast votes breaks it.
//! - **Recovery picks the chosen value** (Fast Paxos §3.2, the coordinator's rule). When a classic
//!   round proposes a value in a slot, every value that may have been chosen in the fast round must
//!   be that value. A value *may have been chosen* (or may still be) while its fast votes plus the
//!   acceptors that could still vote for it in round 0 — those with no vote in the slot and no promise
//!   above round 0 — make a fast quorum. The acceptors of the proposer's phase 1 have all promised,
//!   so a correct coordinator sees at least `q − (n − f)` votes for such a value among them and must
//!   pick it; this check computes the same from every vote the checker saw, not from what the
//!   coordinator heard.

use paxos_core::vec_map::VecMap;

use paxos_core::fast::{self, Message, Node, Write};
use paxos_core::{Ballot, NodeId, NodeName, NodeSet, Slot, Value, fast_quorum_of, majority_of};

use crate::check::{Checked, Claim, Invariant, OwnChecks};
use crate::config::{ProtocolKind, SimConfig};
use crate::world::Simulated;

impl Simulated for Node {}

impl Checked for Node {
    fn invariants(_kind: ProtocolKind) -> &'static [Invariant] {
        /// Every Paxos invariant, and the three of the fast round.
        const FAST: [Invariant; super::PAXOS.len() + 3] = {
            let own = [Invariant::OneVotePerRound, Invariant::FastQuorum, Invariant::RecoveryPicksChosen];
            let mut all = [Invariant::Agreement; super::PAXOS.len() + 3];
            let mut i = 0;
            while i < all.len() {
                all[i] = if i < super::PAXOS.len() { super::PAXOS[i] } else { own[i - super::PAXOS.len()] };
                i += 1;
            }
            all
        };
        &FAST
    }

    fn message_claim(msg: &Message) -> Option<Claim<'_>> {
        match msg {
            Message::FastAccept(fast::FastAccept { slot, value }) => {
                Some(Claim::Propose { slot: *slot, ballot: fast::FAST, value })
            }
            Message::Promise(fast::Promise { slot, ballot, .. }) => {
                Some(Claim::Promise { slot: Some(*slot), ballot: *ballot })
            }
            Message::Accept(fast::Accept { slot, ballot, value }) => {
                Some(Claim::Propose { slot: *slot, ballot: *ballot, value })
            }
            Message::Accepted(fast::Accepted { slot, ballot, value }) => {
                Some(Claim::Vote { slot: *slot, ballot: *ballot, value })
            }
            // Restated votes (`Votes`) were claimed when they were cast.
            Message::Prepare(_) | Message::Nack(_) | Message::Catchup(_) | Message::Votes(_) => None,
        }
    }

    fn write_claim(write: &Write) -> Option<Claim<'_>> {
        // Fast Paxos writes what Basic Paxos writes (`fast::Write` is `basic::Write`).
        <paxos_core::basic::Node as Checked>::write_claim(write)
    }

    fn is_fast_round(_kind: ProtocolKind, ballot: Ballot) -> bool {
        fast::is_fast(ballot)
    }

    type Own = FastChecks;
}

/// What the two Fast Paxos checks know of one slot.
#[derive(Clone, Debug, Default)]
struct SlotVotes {
    /// Fast-round votes: each value with its voters.
    fast: Vec<(Value, NodeSet)>,
    /// Classic-round votes: per ballot, each value with its voters.
    classic: VecMap<Ballot, Vec<(Value, NodeSet)>>,
    /// Acceptors that can no longer vote in the fast round although they did not: they promised or
    /// voted in a classic round.
    moved_on: NodeSet,
}

impl SlotVotes {
    fn fast_voters(&self) -> NodeSet {
        NodeSet::from_bits(self.fast.iter().fold(0, |all, (_, voters)| all | voters.bits()))
    }

    fn fast_votes(&self, value: &Value) -> NodeSet {
        self.fast.iter().find(|(v, _)| v == value).map_or(NodeSet::EMPTY, |(_, voters)| *voters)
    }

    /// Whether a classic majority voted for `value` in one classic round.
    fn chosen_classic(&self, value: &Value, majority: usize) -> bool {
        self.classic.values().flatten().any(|(v, voters)| v == value && voters.len() >= majority)
    }
}

/// The Fast Paxos checks ([`Invariant::FastQuorum`], [`Invariant::RecoveryPicksChosen`]), with
/// their own quorums (never the protocol's).
#[derive(Clone, Debug)]
pub struct FastChecks {
    acceptors: NodeSet,
    majority: usize,
    fast_quorum: usize,
    slots: VecMap<Slot, SlotVotes>,
}

impl FastChecks {
    /// Checks for a cluster whose acceptors are `acceptors`.
    pub fn with_acceptors(acceptors: NodeSet) -> FastChecks {
        let n = acceptors.len();
        FastChecks { acceptors, majority: majority_of(n), fast_quorum: fast_quorum_of(n), slots: VecMap::new() }
    }

    fn vote(&mut self, node: NodeId, slot: Slot, ballot: Ballot, value: &Value) {
        if !self.acceptors.contains(node) {
            return;
        }
        let votes = self.slots.entry(slot).or_default();
        let tallies = if fast::is_fast(ballot) {
            &mut votes.fast
        } else {
            votes.moved_on.insert(node);
            votes.classic.entry(ballot).or_default()
        };
        match tallies.iter_mut().find(|(v, _)| v == value) {
            Some((_, voters)) => {
                voters.insert(node);
            }
            None => tallies.push((value.clone(), NodeSet::single(node))),
        }
    }

    fn promise(&mut self, node: NodeId, slot: Slot, ballot: Ballot) {
        if self.acceptors.contains(node) && !fast::is_fast(ballot) {
            self.slots.entry(slot).or_default().moved_on.insert(node);
        }
    }

    /// Fast Paxos §3.2: a classic proposal of `value` must carry every value that may have been
    /// chosen in the fast round of `slot`.
    fn proposed(&self, node: NodeId, slot: Slot, ballot: Ballot, value: &Value) -> Result<(), (Invariant, String)> {
        let Some(votes) = self.slots.get(&slot) else { return Ok(()) };
        let undecided = self.acceptors.bits() & !votes.fast_voters().bits() & !votes.moved_on.bits();
        let could_still_vote = NodeSet::from_bits(undecided);
        for (candidate, voters) in &votes.fast {
            if candidate != value && voters.len() + could_still_vote.len() >= self.fast_quorum {
                return Err((
                    Invariant::RecoveryPicksChosen,
                    format!(
                        "{} proposed {value} in slot {slot} at ballot {ballot}, but {candidate} had fast-round \
                         votes from {voters} and {could_still_vote} could still vote for it: with a fast \
                         quorum of {} it may have been chosen, so the classic round must propose it",
                        NodeName(node),
                        self.fast_quorum
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Fast Paxos §3.3: a value learned from the fast round had a fast quorum of votes.
    fn decided(&self, node: NodeId, slot: Slot, value: &Value) -> Result<(), (Invariant, String)> {
        let Some(votes) = self.slots.get(&slot) else { return Ok(()) };
        let voters = votes.fast_votes(value);
        if voters.is_empty() || voters.len() >= self.fast_quorum || votes.chosen_classic(value, self.majority) {
            // Not a fast-round value (the shared checks judge it), or chosen.
            return Ok(());
        }
        Err((
            Invariant::FastQuorum,
            format!(
                "{} learned {value} in slot {slot} with only {} fast-round votes ({voters}); a fast quorum is {} \
                 of the {} acceptors",
                NodeName(node),
                voters.len(),
                self.fast_quorum,
                self.acceptors.len()
            ),
        ))
    }
}

impl OwnChecks<Node> for FastChecks {
    fn new(config: &SimConfig) -> FastChecks {
        FastChecks::with_acceptors(config.core().acceptors)
    }

    fn sent(&mut self, node: NodeId, msg: &Message) -> Result<(), (Invariant, String)> {
        match msg {
            Message::Accepted(fast::Accepted { slot, ballot, value }) => self.vote(node, *slot, *ballot, value),
            Message::Promise(fast::Promise { slot, ballot, .. }) => self.promise(node, *slot, *ballot),
            Message::Accept(fast::Accept { slot, ballot, value }) => return self.proposed(node, *slot, *ballot, value),
            _ => {}
        }
        Ok(())
    }

    fn persisted(&mut self, node: NodeId, write: &Write) -> Result<(), (Invariant, String)> {
        match write {
            Write::Accept { slot, ballot, value } => self.vote(node, *slot, *ballot, value),
            Write::Promise { slot, ballot } => self.promise(node, *slot, *ballot),
            _ => {}
        }
        Ok(())
    }

    fn decided(&mut self, node: NodeId, slot: Slot, value: &Value) -> Result<(), (Invariant, String)> {
        FastChecks::decided(self, node, slot, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Command, Op};

    fn value(client: u16) -> Value {
        Value::batch([Command { client, seq: 1, op: Op::Set(0, i64::from(client)) }])
    }

    fn classic(round: u32, node: NodeId) -> Ballot {
        Ballot::new(round, node)
    }

    /// Fast Paxos §3.3: three fast votes of five are a classic majority, not a fast quorum.
    #[test]
    fn learning_a_fast_value_from_a_majority_is_caught() {
        let mut c = FastChecks::with_acceptors(NodeSet::first(5));
        let x = value(1);
        for node in 0..3 {
            c.vote(node, 0, fast::FAST, &x);
        }
        assert_eq!(c.decided(4, 0, &x).unwrap_err().0, Invariant::FastQuorum);
        c.vote(3, 0, fast::FAST, &x);
        c.decided(4, 0, &x).unwrap();
        // A value chosen by a classic majority is fine with fewer fast votes.
        let y = value(2);
        c.vote(0, 1, fast::FAST, &y);
        for node in 0..3 {
            c.vote(node, 1, classic(1, 1), &y);
        }
        c.decided(4, 1, &y).unwrap();
    }

    /// Fast Paxos §3.2; seed 001's "X succeeded, Y failed": x has 4 fast votes of 5, so a recovery
    /// that proposes y would change a chosen value.
    #[test]
    fn a_recovery_that_ignores_a_possibly_chosen_value_is_caught() {
        let mut c = FastChecks::with_acceptors(NodeSet::first(5));
        let (x, y) = (value(1), value(2));
        for node in [0, 2, 3] {
            c.vote(node, 0, fast::FAST, &x);
        }
        c.vote(1, 0, fast::FAST, &y);
        // n5 has not voted yet: x may still reach 4. Y's phase 1 over n2, n3, n4.
        for node in [1, 2, 3] {
            c.promise(node, 0, classic(1, 1));
        }
        assert_eq!(c.proposed(1, 0, classic(1, 1), &y).unwrap_err().0, Invariant::RecoveryPicksChosen);
        c.proposed(1, 0, classic(1, 1), &x).unwrap();
        // Once n5 promised too, x can no longer reach a fast quorum: any value may be proposed.
        c.promise(4, 0, classic(2, 4));
        c.proposed(4, 0, classic(2, 4), &y).unwrap();
    }

    /// Seed 001's "neither reached a fast quorum": 3 and 2 votes of 5 leave the recovery free.
    #[test]
    fn a_split_fast_round_leaves_the_recovery_free() {
        let mut c = FastChecks::with_acceptors(NodeSet::first(5));
        let (x, y) = (value(1), value(2));
        for node in [0, 2, 3] {
            c.vote(node, 0, fast::FAST, &x);
        }
        for node in [1, 4] {
            c.vote(node, 0, fast::FAST, &y);
        }
        c.proposed(1, 0, classic(1, 1), &y).unwrap();
        c.proposed(0, 0, classic(1, 0), &x).unwrap();
    }
}
