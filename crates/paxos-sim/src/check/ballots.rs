//! Invariants on ballots, checked as promises, proposals and votes are claimed.
//!
//! - **Promised ballot never decreases** (Paxos Made Simple §2.3). An acceptor answers a prepare
//!   only for a ballot at least as high as any it promised before — across crashes too, which is why
//!   the promise must be on disk before the answer leaves. Checked twice: on the promises it
//!   announces, and on its promised ballot after every step (a restart that forgets a promise shows
//!   at once, before it does any harm).
//! - **Accepted ballot within the promise** (Paxos Made Simple, P1a). An acceptor accepts ballot `b`
//!   only if it promised nothing higher: the vote's ballot is at least every ballot promised before.
//!   (In state terms: an acceptor's `vrnd` never exceeds its `last_rnd`, and a vote never goes
//!   below it.)
//! - **One value per (ballot, slot)** (Lamport's TLA+ `OneValuePerBallot`). A ballot belongs to one
//!   proposer, which proposes at most one value per slot in it; two values in one (ballot, slot) mean
//!   two proposers shared a ballot, and phase 1's guarantee no longer holds. Fast Paxos's fast round
//!   is the exception: every proposer proposes in it.
//! - **One vote per round** (Fast Paxos §2.1). An acceptor votes for at most one value in a
//!   (ballot, slot) — in a fast round too, where several values are proposed.

use paxos_core::vec_map::VecMap;

use paxos_core::{Ballot, NodeId, NodeName, Slot, Value};

use super::{Claim, Invariant};

/// The highest promises seen per acceptor, and the value of every (slot, ballot) proposed.
#[derive(Clone, Debug)]
pub struct Ballots {
    /// Per node: the highest promise covering every slot.
    promised_all: Vec<Ballot>,
    /// Per node: the highest promise for one slot.
    promised_slot: Vec<VecMap<Slot, Ballot>>,
    proposed: VecMap<(Slot, Ballot), Value>,
    /// Per node: the highest promised ballot its state has shown.
    state: Vec<Ballot>,
    /// Per node: the value it voted for in each (slot, ballot).
    votes: Vec<VecMap<(Slot, Ballot), Value>>,
}

impl Ballots {
    /// No promises yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Ballots {
        Ballots {
            promised_all: vec![Ballot::ZERO; nodes as usize],
            promised_slot: vec![VecMap::new(); nodes as usize],
            proposed: VecMap::new(),
            state: vec![Ballot::ZERO; nodes as usize],
            votes: vec![VecMap::new(); nodes as usize],
        }
    }

    /// Checks that `node`'s promised ballot, as its state shows it after a step, did not go down.
    pub fn stepped(&mut self, node: NodeId, promised: Ballot) -> Result<(), (Invariant, String)> {
        let before = std::mem::replace(&mut self.state[node as usize], promised).max(promised);
        self.state[node as usize] = before;
        if promised < before {
            return Err((
                Invariant::PromiseMonotonic,
                format!("{}'s promised ballot went down from {before} to {promised}", NodeName(node)),
            ));
        }
        Ok(())
    }

    /// Every vote `node` cast: per (slot, ballot), the value.
    pub fn cast(&self, node: NodeId) -> &VecMap<(Slot, Ballot), Value> {
        &self.votes[node as usize]
    }

    /// The highest ballot `node` promised that covers `slot` (or every slot, for `None`).
    fn promised(&self, node: NodeId, slot: Option<Slot>) -> Ballot {
        let all = self.promised_all[node as usize];
        let one = slot.and_then(|s| self.promised_slot[node as usize].get(&s).copied()).unwrap_or(Ballot::ZERO);
        all.max(one)
    }

    /// Checks a claim by `node`; `fast` says the claim's ballot is a fast round.
    pub fn observe(&mut self, node: NodeId, claim: Claim<'_>, fast: bool) -> Result<(), (Invariant, String)> {
        let n = node + 1;
        match claim {
            Claim::Promise { slot, ballot } => {
                let before = self.promised(node, slot);
                match slot {
                    Some(s) => {
                        let entry = self.promised_slot[node as usize].entry(s).or_insert(Ballot::ZERO);
                        *entry = (*entry).max(ballot);
                    }
                    None => self.promised_all[node as usize] = self.promised_all[node as usize].max(ballot),
                }
                if ballot < before {
                    let place = slot.map_or(String::new(), |s| format!(" in slot {s}"));
                    return Err((
                        Invariant::PromiseMonotonic,
                        format!("n{n} promised ballot {ballot}{place} after having promised {before}"),
                    ));
                }
            }
            Claim::Vote { slot, ballot, value } => {
                let promised = self.promised(node, Some(slot));
                if ballot < promised {
                    return Err((
                        Invariant::AcceptWithinPromise,
                        format!("n{n} accepted ballot {ballot} in slot {slot} after promising {promised}"),
                    ));
                }
                match self.votes[node as usize].get(&(slot, ballot)) {
                    Some(earlier) if earlier != value => {
                        return Err((
                            Invariant::OneVotePerRound,
                            format!("n{n} voted twice in slot {slot} at ballot {ballot}: {earlier}, then {value}"),
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.votes[node as usize].insert((slot, ballot), value.clone());
                    }
                }
            }
            Claim::Propose { .. } if fast => {}
            Claim::Propose { slot, ballot, value } => match self.proposed.get(&(slot, ballot)) {
                Some(earlier) if earlier != value => {
                    return Err((
                        Invariant::OneValuePerBallot,
                        format!(
                            "ballot {ballot} proposed two values in slot {slot}: {earlier} and, from n{n}, {value}"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    self.proposed.insert((slot, ballot), value.clone());
                }
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Ballots {
        fn observe_classic(&mut self, node: NodeId, claim: Claim<'_>) -> Result<(), (Invariant, String)> {
            self.observe(node, claim, false)
        }
    }

    /// Fast Paxos §2.1: one vote per acceptor per round, and many proposals in the fast round.
    #[test]
    fn a_second_vote_in_a_round_is_caught_and_the_fast_round_takes_many_proposals() {
        let mut b = Ballots::new(3);
        let x = Value::batch([paxos_core::Command { client: 0, seq: 1, op: paxos_core::Op::Get(0) }]);
        let fast = Ballot::ZERO;
        b.observe(0, Claim::Propose { slot: 0, ballot: fast, value: &x }, true).unwrap();
        b.observe(1, Claim::Propose { slot: 0, ballot: fast, value: NOOP }, true).unwrap();
        b.observe(2, Claim::Vote { slot: 0, ballot: fast, value: &x }, true).unwrap();
        b.observe(2, Claim::Vote { slot: 0, ballot: fast, value: &x }, true).unwrap();
        let err = b.observe(2, Claim::Vote { slot: 0, ballot: fast, value: NOOP }, true).unwrap_err();
        assert_eq!(err.0, Invariant::OneVotePerRound);
    }

    const NOOP: &Value = &Value::Noop;

    /// Paxos Made Simple §2.3: a promise, once made, binds for good.
    #[test]
    fn a_lower_promise_after_a_higher_one_is_caught() {
        let mut b = Ballots::new(3);
        b.observe_classic(0, Claim::Promise { slot: None, ballot: Ballot::new(2, 1) }).unwrap();
        b.observe_classic(0, Claim::Promise { slot: None, ballot: Ballot::new(2, 1) }).unwrap();
        let err = b.observe_classic(0, Claim::Promise { slot: None, ballot: Ballot::new(1, 2) }).unwrap_err();
        assert_eq!(err.0, Invariant::PromiseMonotonic);
        // A restart that forgot the promise shows in the state at once.
        b.stepped(0, Ballot::new(2, 1)).unwrap();
        assert_eq!(b.stepped(0, Ballot::ZERO).unwrap_err().0, Invariant::PromiseMonotonic);
        // Per-slot promises (Basic Paxos) are independent of each other.
        b.observe_classic(1, Claim::Promise { slot: Some(0), ballot: Ballot::new(5, 0) }).unwrap();
        b.observe_classic(1, Claim::Promise { slot: Some(1), ballot: Ballot::new(1, 0) }).unwrap();
    }

    /// Paxos Made Simple, P1a.
    #[test]
    fn a_vote_below_a_promise_is_caught() {
        let mut b = Ballots::new(3);
        b.observe_classic(2, Claim::Promise { slot: Some(4), ballot: Ballot::new(3, 0) }).unwrap();
        b.observe_classic(2, Claim::Vote { slot: 4, ballot: Ballot::new(3, 0), value: NOOP }).unwrap();
        b.observe_classic(2, Claim::Vote { slot: 5, ballot: Ballot::new(1, 0), value: NOOP }).unwrap();
        let err = b.observe_classic(2, Claim::Vote { slot: 4, ballot: Ballot::new(2, 1), value: NOOP }).unwrap_err();
        assert_eq!(err.0, Invariant::AcceptWithinPromise);
    }

    /// TLA+ OneValuePerBallot.
    #[test]
    fn two_values_in_one_ballot_are_caught() {
        let mut b = Ballots::new(3);
        let x = Value::batch([paxos_core::Command { client: 0, seq: 1, op: paxos_core::Op::Get(0) }]);
        b.observe_classic(0, Claim::Propose { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        b.observe_classic(0, Claim::Propose { slot: 0, ballot: Ballot::new(1, 0), value: &x }).unwrap();
        b.observe_classic(1, Claim::Propose { slot: 0, ballot: Ballot::new(1, 1), value: NOOP }).unwrap();
        let err = b.observe_classic(1, Claim::Propose { slot: 0, ballot: Ballot::new(1, 0), value: NOOP }).unwrap_err();
        assert_eq!(err.0, Invariant::OneValuePerBallot);
    }
}
