//! **Store is the fold of the decided log** (Schneider 1990, the state machine approach: replicas that
//! apply the same commands in the same order reach the same state).
//!
//! The checker keeps a shadow store per node and, whenever the node has applied more slots, applies
//! the same slots of the node's own decided log, in slot order, to the shadow with the reference
//! [`Store`] (which applies each `(client, seq)` once). The node's store must then hold exactly the
//! shadow's data — after a restart too, when the node rebuilds its store from a checkpoint and the
//! tail of its log. Slots the node no longer holds the value of (it compacted its log, or installed
//! another node's checkpoint) are folded with the value the checker saw learned there, which
//! [`super::logs`] guarantees is the same in every log. (Should a node's applied prefix ever shrink,
//! the shadow starts over from slot 0.)

use paxos_core::{NodeId, NodeName, Slot, Store, View, key_name};

use super::Invariant;
use super::logs::Logs;

/// One shadow store per node.
#[derive(Clone, Debug)]
pub struct Stores {
    shadows: Vec<(Store, Slot)>,
}

impl Stores {
    /// Empty shadows for a cluster of `nodes`.
    pub fn new(nodes: u8) -> Stores {
        Stores { shadows: vec![(Store::new(), 0); nodes as usize] }
    }

    /// `node`'s shadow store and how many slots it has applied.
    pub fn shadow(&self, node: NodeId) -> (&Store, Slot) {
        let (store, applied) = &self.shadows[node as usize];
        (store, *applied)
    }

    /// Brings `node`'s shadow up to what the node applied, and compares.
    pub fn stepped(&mut self, node: NodeId, view: &View<'_>, logs: &Logs) -> Result<(), (Invariant, String)> {
        let (shadow, applied) = &mut self.shadows[node as usize];
        if view.applied == *applied {
            return Ok(());
        }
        if view.applied < *applied {
            (*shadow, *applied) = (Store::new(), 0);
        }
        while *applied < view.applied {
            let Some(value) = view.decided.get(*applied).or_else(|| logs.learned(*applied)) else {
                return Err((
                    Invariant::StoreIsFold,
                    format!("{} applied slot {applied}, which it has not decided", NodeName(node)),
                ));
            };
            for _ in shadow.apply_value(value) {}
            *applied += 1;
        }
        if view.store.same_data(shadow) {
            return Ok(());
        }
        let keys = shadow.entries().map(|(k, _)| k).chain(view.store.entries().map(|(k, _)| k));
        let differing = keys
            .filter(|&k| shadow.get(k) != view.store.get(k))
            .map(|k| format!("{} = {} (log says {})", key_name(k), view.store.get(k), shadow.get(k)))
            .next()
            .unwrap_or_default();
        Err((
            Invariant::StoreIsFold,
            format!(
                "{}'s store after {} slots is not its log applied in order: {differing}",
                NodeName(node),
                view.applied
            ),
        ))
    }
}
