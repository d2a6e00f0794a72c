//! **Exactly once** (Ongaro, *Consensus: Bridging Theory and Practice*, 2014, §6.3; Schneider 1990).
//!
//! A client may send a request again (after a timeout, or to a new leader), so the log may hold it
//! twice; every replica's state machine must apply each `(client, seq)` once and answer a repeat
//! with the outcome it recorded. What makes it so is the session table — each client's last
//! applied request and its answer — and it must be part of the replicated state: restored with the
//! store from a checkpoint after a restart, and installed with a checkpoint from another replica. A
//! replica that loses it applies a retried `inc` a second time, or answers a retry with another
//! outcome than the first.
//!
//! Checked whenever a node's applied prefix moves, and after every restart: its session table must
//! be the one of the checker's shadow store ([`super::store`]), which applied the same slots of the
//! decided log in order with each `(client, seq)` once.

use paxos_core::{NodeId, Slot, Store, View};

use super::Invariant;

/// Per node: the applied prefix when its table was last compared, and whether it restarted since.
#[derive(Clone, Debug)]
pub struct Sessions {
    nodes: Vec<(Slot, bool)>,
}

impl Sessions {
    /// Nothing compared yet, in a cluster of `nodes`.
    pub fn new(nodes: u8) -> Sessions {
        Sessions { nodes: vec![(0, false); nodes as usize] }
    }

    /// `node` restarted: compare its table after its next step.
    pub fn restarted(&mut self, node: NodeId) {
        self.nodes[node as usize].1 = true;
    }

    /// Compares `node`'s session table with the `shadow`'s, which applied `shadow_applied` slots.
    pub fn stepped(
        &mut self,
        node: NodeId,
        view: &View<'_>,
        shadow: &Store,
        shadow_applied: Slot,
    ) -> Result<(), (Invariant, String)> {
        let (applied, restarted) = &mut self.nodes[node as usize];
        if (*applied == view.applied && !*restarted) || shadow_applied != view.applied {
            // Nothing applied since; or the shadow could not follow (the store check says why).
            return Ok(());
        }
        (*applied, *restarted) = (view.applied, false);
        let mut ours = view.store.sessions();
        let mut log = shadow.sessions();
        loop {
            let (a, b) = (ours.next(), log.next());
            if a == b {
                if a.is_none() {
                    return Ok(());
                }
                continue;
            }
            let show = |s: Option<(_, _, _)>| match s {
                Some((_, seq, outcome)) => format!("request {seq} ({outcome})"),
                None => "nothing".to_string(),
            };
            let client = a.into_iter().chain(b).map(|(c, _, _)| c).min().unwrap_or(0);
            let (a, b) = (a.filter(|s| s.0 == client), b.filter(|s| s.0 == client));
            let slots = if view.applied == 1 { "1 slot".to_string() } else { format!("{} slots", view.applied) };
            let message = format!(
                "n{}'s session table after {slots} says client c{} last applied {}, but its log applied once \
                 per request says {}",
                node + 1,
                client + 1,
                show(a),
                show(b)
            );
            return Err((Invariant::ExactlyOnce, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Command, DecidedLog, Op, Value};

    fn view<'a>(store: &'a Store, decided: &'a DecidedLog, applied: Slot) -> View<'a> {
        let (role, ballot, promised) = (paxos_core::Role::Follower, paxos_core::Ballot::ZERO, paxos_core::Ballot::ZERO);
        View { id: 0, role, leader: None, ballot, promised, decided, store, applied }
    }

    /// Raft thesis §6.3: a replica whose session table was not restored from its checkpoint is
    /// caught at its restart, before it applies a retried request again.
    #[test]
    fn a_session_table_lost_at_a_restart_is_caught() {
        let inc = Command { client: 1, seq: 3, op: Op::Inc(0, 1) };
        let mut shadow = Store::new();
        for _ in shadow.apply_value(&Value::batch([inc])) {}
        let decided = DecidedLog::default();
        let mut sessions = Sessions::new(3);
        sessions.stepped(0, &view(&shadow.clone(), &decided, 1), &shadow, 1).unwrap();
        // The restarted node has the data but no sessions.
        let mut lost = Store::without_dedup();
        for _ in lost.apply_value(&Value::batch([inc])) {}
        sessions.restarted(0);
        let err = sessions.stepped(0, &view(&lost, &decided, 1), &shadow, 1).unwrap_err();
        assert_eq!(err.0, Invariant::ExactlyOnce);
        assert!(err.1.contains("client c2 last applied nothing"), "{}", err.1);
        // A node whose table is the log's is fine, restarted or not.
        sessions.restarted(1);
        sessions.stepped(1, &view(&shadow.clone(), &decided, 1), &shadow, 1).unwrap();
    }
}
