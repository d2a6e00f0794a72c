//! Invariants on the nodes' decided logs.
//!
//! - **Logs agree** (Paxos Made Moderately Complex, R1: no two different commands are decided for
//!   the same slot). Every node that learns a slot learns the same value, so every node's applied
//!   prefix is a prefix of one common log.
//! - **Logs only grow** (PMMC, R3: `slot_out` cannot decrease). A node's decided prefix never
//!   shrinks — across a crash too, since a decision is written before it is acted on.

use paxos_core::{NodeId, NodeName, Slot, Value, View};

use super::Invariant;

/// The first value learned in each slot (by anyone), and each node's decided prefix.
#[derive(Clone, Debug)]
pub struct Logs {
    learned: Vec<Option<(Value, NodeId)>>,
    prefix: Vec<Slot>,
}

impl Logs {
    /// Nothing learned yet in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Logs {
        Logs { learned: Vec::new(), prefix: vec![0; nodes as usize] }
    }

    /// Checks that `node` learned in `slot` what everyone else learned there.
    pub fn decided(&mut self, node: NodeId, slot: Slot, value: &Value) -> Result<(), (Invariant, String)> {
        let index = slot as usize;
        if index >= self.learned.len() {
            self.learned.resize(index + 1, None);
        }
        match &self.learned[index] {
            None => {
                self.learned[index] = Some((value.clone(), node));
                Ok(())
            }
            Some((first, _)) if first == value => Ok(()),
            Some((first, by)) => Err((
                Invariant::LogsAgree,
                format!(
                    "{} learned {value} in slot {slot}, but {} learned {first} there",
                    NodeName(node),
                    NodeName(*by)
                ),
            )),
        }
    }

    /// The value first learned in `slot`, by any node.
    pub fn learned(&self, slot: Slot) -> Option<&Value> {
        self.learned.get(slot as usize)?.as_ref().map(|(value, _)| value)
    }

    /// Every node's decided prefix now.
    pub fn prefixes(&self) -> &[Slot] {
        &self.prefix
    }

    /// Checks that `node`'s decided prefix did not shrink.
    pub fn stepped(&mut self, node: NodeId, view: &View<'_>) -> Result<(), (Invariant, String)> {
        let now = view.decided.prefix();
        let before = std::mem::replace(&mut self.prefix[node as usize], now);
        if now < before {
            return Err((
                Invariant::LogsGrow,
                format!("{}'s decided prefix shrank from {before} to {now} slots", NodeName(node)),
            ));
        }
        Ok(())
    }
}
