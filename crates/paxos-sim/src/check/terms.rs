//! What a Raft node must remember across a restart: its term and its vote.
//!
//! Raft's persistent state (Figure 2, "Persistent state on all servers — updated on stable storage
//! before responding to RPCs") is `currentTerm`, `votedFor` and the log. The log is judged by Raft's
//! own checks (`crate::protocols::raft`); this file judges the other two, on what the node says and
//! on what its state shows after every step — a restart included, so a node that answered before
//! writing shows the moment it comes back:
//!
//! - **Term never decreases** (Figure 2: `currentTerm`, "increases monotonically"). A node that
//!   forgets its term can be led by, and vote in, terms it has already left behind.
//! - **One vote per term** (§5.2: "each server will vote for at most one candidate in a given
//!   term, on a first-come-first-served basis"; seed 004: 在同一个期号只能投票一次). Once a node has
//!   voted in a term — announced it with a granted `Vote`, written it, or shown it in its state — its
//!   `votedFor` for that term never changes, not to another candidate and not back to nobody. A
//!   second vote in a term is how two leaders of one term get elected (Election Safety, §5.2).
//!
//! Only the node's latest term matters: votes are cast and claimed in a node's current term, and a
//! node that goes back to an earlier term has already broken the first rule.

use paxos_core::NodeId;

use super::Invariant;

/// A term number (Raft's; the same type as `paxos_core::raft::Term`).
pub type Term = u32;

/// Per node, the highest term it has shown and the vote it cast in that term.
#[derive(Clone, Debug)]
pub struct Votes {
    nodes: Vec<(Term, Option<NodeId>)>,
}

impl Votes {
    /// Nothing seen yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Votes {
        Votes { nodes: vec![(0, None); nodes as usize] }
    }

    /// `node` voted for `candidate` in `term`: it sent a granted `Vote`, or wrote the vote.
    pub fn voted(&mut self, node: NodeId, term: Term, candidate: NodeId) -> Result<(), (Invariant, String)> {
        self.observe(node, term, Some(candidate), true)
    }

    /// `node`'s state after a step: its current term and whom it voted for in it.
    pub fn stepped(&mut self, node: NodeId, term: Term, voted_for: Option<NodeId>) -> Result<(), (Invariant, String)> {
        self.observe(node, term, voted_for, false)
    }

    /// Checks a vote `node` cast (`claim`), or its state, against what it showed before.
    fn observe(
        &mut self,
        node: NodeId,
        term: Term,
        vote: Option<NodeId>,
        claim: bool,
    ) -> Result<(), (Invariant, String)> {
        let n = node + 1;
        let (seen_term, seen_vote) = &mut self.nodes[node as usize];
        if term < *seen_term {
            let what = if claim { "voted in" } else { "is in" };
            return Err((
                Invariant::TermMonotonic,
                format!("n{n} {what} term {term} after having been in term {seen_term}"),
            ));
        }
        if term > *seen_term {
            (*seen_term, *seen_vote) = (term, vote);
            return Ok(());
        }
        match (*seen_vote, vote) {
            (None, _) => *seen_vote = vote,
            (Some(before), now) if now != Some(before) => {
                let then = match now {
                    Some(c) if claim => format!("voted for n{} too", c + 1),
                    Some(c) => format!("shows a vote for n{}", c + 1),
                    None => "shows no vote in it (forgotten)".to_string(),
                };
                let message = format!("n{n} voted for n{} in term {term}, then {then}", before + 1);
                return Err((Invariant::OneVotePerTerm, message));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Raft Figure 2: currentTerm increases monotonically — a restart that forgets it is caught.
    #[test]
    fn a_term_going_down_is_caught() {
        let mut v = Votes::new(3);
        v.stepped(0, 2, None).unwrap();
        v.stepped(0, 3, Some(0)).unwrap();
        v.stepped(0, 3, Some(0)).unwrap();
        assert_eq!(v.stepped(0, 2, Some(0)).unwrap_err().0, Invariant::TermMonotonic);
        // Other nodes are judged on their own terms.
        v.stepped(1, 1, None).unwrap();
    }

    /// Raft §5.2: one vote per term — a second candidate, or a vote forgotten, is caught; a first
    /// vote after none, or a new vote in a new term, is fine.
    #[test]
    fn a_second_or_forgotten_vote_in_a_term_is_caught() {
        let mut v = Votes::new(3);
        v.stepped(2, 4, None).unwrap();
        v.voted(2, 4, 0).unwrap();
        v.stepped(2, 4, Some(0)).unwrap();
        assert_eq!(v.voted(2, 4, 1).unwrap_err().0, Invariant::OneVotePerTerm);

        let mut v = Votes::new(3);
        v.voted(2, 4, 0).unwrap();
        // The node restarts without the vote on disk.
        assert_eq!(v.stepped(2, 4, None).unwrap_err().0, Invariant::OneVotePerTerm);

        let mut v = Votes::new(3);
        v.voted(1, 4, 1).unwrap();
        v.stepped(1, 5, None).unwrap();
        v.voted(1, 5, 2).unwrap();
        v.stepped(1, 6, Some(1)).unwrap();
    }
}
