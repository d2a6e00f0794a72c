//! **One leader per ballot** (Paxos Made Simple §2.5; seed 001: 每个Proposer都必须生成全局单调递增的
//! round, 这样round既能用来区分先后也能用来区分不同的Proposer).
//!
//! A ballot belongs to one proposer. Lamport: "Different proposers choose their numbers from
//! disjoint sets of numbers, so two different proposers never issue a proposal with the same number.
//! Each proposer remembers (in stable storage) the highest-numbered proposal it has tried to issue,
//! and begins phase 1 with a higher-numbered proposal than any it has already used." A node that
//! restarted is, for this rule, a new proposer: it does not remember what it proposed before, so
//! if it leads a ballot it already led, it may propose other values in the slots it proposed in —
//! two values in one ballot, and phase 1's guarantee is gone.
//!
//! Checked on the state: whenever a node leads (Multi-Paxos) or runs a proposal (Basic and Fast
//! Paxos) at a ballot, that ballot must never have been led by another node, nor by the same node
//! before a restart. Fast rounds, where every proposer proposes, and [`Ballot::ZERO`] (no ballot)
//! are exempt. A Multi-Paxos *candidate* is not judged: retrying phase 1 with a ballot whose bid
//! failed issues no proposal, and a restarted candidate may do so.

use paxos_core::vec_map::VecMap;
use paxos_core::{Ballot, NodeId, Role};

use super::Invariant;

/// Who led each ballot, and how many times each node restarted.
#[derive(Clone, Debug)]
pub struct Leaders {
    /// Ballot → (the node that led it, in which of its lives).
    owners: VecMap<Ballot, (NodeId, u32)>,
    /// Per node: how many times it restarted.
    lives: Vec<u32>,
    /// Per node: the ballot it led after its last step (to look up each ballot once).
    leading: Vec<Ballot>,
}

impl Leaders {
    /// No ballot led yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Leaders {
        Leaders { owners: VecMap::new(), lives: vec![0; nodes as usize], leading: vec![Ballot::ZERO; nodes as usize] }
    }

    /// `node` restarted: from now on it is a new proposer.
    pub fn restarted(&mut self, node: NodeId) {
        self.lives[node as usize] += 1;
        self.leading[node as usize] = Ballot::ZERO;
    }

    /// Checks `node` after a step, in `role` with `ballot`; `fast` says `ballot` is a fast round.
    pub fn stepped(&mut self, node: NodeId, role: Role, ballot: Ballot, fast: bool) -> Result<(), (Invariant, String)> {
        let leads = matches!(role, Role::Leader | Role::Proposer) && ballot != Ballot::ZERO && !fast;
        let ballot = if leads { ballot } else { Ballot::ZERO };
        if std::mem::replace(&mut self.leading[node as usize], ballot) == ballot || !leads {
            return Ok(());
        }
        let me = (node, self.lives[node as usize]);
        let (owner, life) = *self.owners.entry(ballot).or_insert(me);
        if (owner, life) == me {
            return Ok(());
        }
        let who = if owner == node {
            format!("n{} led ballot {ballot} before it restarted, and again after", node + 1)
        } else {
            format!("n{} and n{} both led ballot {ballot}", owner + 1, node + 1)
        };
        Err((Invariant::OneLeaderPerBallot, who))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paxos Made Simple §2.5: two proposers never share a ballot.
    #[test]
    fn two_nodes_leading_one_ballot_are_caught() {
        let mut l = Leaders::new(3);
        let b = Ballot::new(1, 0);
        l.stepped(0, Role::Leader, b, false).unwrap();
        l.stepped(0, Role::Leader, b, false).unwrap();
        // Following, or a candidate's bid, is not leading.
        l.stepped(1, Role::Follower, b, false).unwrap();
        l.stepped(1, Role::Candidate, b, false).unwrap();
        assert_eq!(l.stepped(1, Role::Leader, b, false).unwrap_err().0, Invariant::OneLeaderPerBallot);
        // Every proposer proposes in a fast round.
        l.stepped(2, Role::Proposer, Ballot::new(0, 1), true).unwrap();
        l.stepped(1, Role::Proposer, Ballot::new(0, 1), true).unwrap();
    }

    /// Paxos Made Simple §2.5: a proposer remembers its highest ballot in stable storage — a
    /// restarted node that leads its old ballot again is caught; a new ballot is fine.
    #[test]
    fn leading_an_old_ballot_after_a_restart_is_caught() {
        let mut l = Leaders::new(3);
        l.stepped(0, Role::Proposer, Ballot::new(1, 0), false).unwrap();
        l.stepped(0, Role::Acceptor, Ballot::ZERO, false).unwrap();
        l.stepped(0, Role::Proposer, Ballot::new(1, 0), false).unwrap();
        l.restarted(0);
        l.stepped(0, Role::Proposer, Ballot::new(2, 0), false).unwrap();
        l.restarted(0);
        let err = l.stepped(0, Role::Proposer, Ballot::new(1, 0), false).unwrap_err();
        assert_eq!(err.0, Invariant::OneLeaderPerBallot);
    }
}
