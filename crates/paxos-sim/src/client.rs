//! Closed-loop clients: each has at most one operation outstanding, retries it (same request
//! number) until it is answered, then thinks for a while and issues the next.

use std::collections::VecDeque;

use paxos_core::{ClientId, Key, NodeId, Op, Prng, Seq};

use crate::trace::Time;

/// An operation a client is waiting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The request number (retries reuse it).
    pub seq: Seq,
    /// The operation.
    pub op: Op,
    /// The node the client last sent it to.
    pub target: NodeId,
    /// When it was first invoked.
    pub invoked: Time,
}

/// One client.
#[derive(Clone, Debug)]
pub struct Client {
    /// Its number.
    pub id: ClientId,
    /// Whether it issues random operations on its own.
    pub workload: bool,
    /// The last request number used.
    pub seq: Seq,
    /// The operation outstanding, if any.
    pub pending: Option<Pending>,
    /// Operations a scenario or a person asked for, waiting their turn, with the node to ask.
    pub script: VecDeque<(Option<NodeId>, Op)>,
    /// The node the client believes leads.
    pub hint: Option<NodeId>,
    /// When the client next needs attention (the end of its pause, or its request's timeout).
    pub wake: Time,
    /// The time and generation of the one timer entry the world has queued for it, if any.
    /// A timer event of another generation is stale.
    pub queued: Option<(Time, u32)>,
    /// Timer generations handed out so far.
    pub timers: u32,
}

impl Client {
    /// A client with no operation outstanding.
    pub fn new(id: ClientId, workload: bool) -> Client {
        Client {
            id,
            workload,
            seq: 0,
            pending: None,
            script: VecDeque::new(),
            hint: None,
            wake: 0,
            queued: None,
            timers: 0,
        }
    }

    /// The next operation to invoke, if any: a scripted one first, else a random one for a
    /// workload client.
    pub fn next_op(&mut self, rng: &mut Prng, keys: u8) -> Option<(Option<NodeId>, Op)> {
        if let Some(next) = self.script.pop_front() {
            return Some(next);
        }
        if !self.workload {
            return None;
        }
        let key = rng.below(u64::from(keys)) as Key;
        let op = match rng.below(3) {
            0 => Op::Get(key),
            1 => Op::Set(key, rng.below(100) as i64),
            _ => Op::Inc(key, 1 + rng.below(5) as i64),
        };
        Some((None, op))
    }
}
