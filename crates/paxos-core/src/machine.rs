//! A replica's state machine: the store, how far the decided log has been applied to it, and which
//! clients wait at this replica for an answer. Shared by every protocol.
//!
//! Decided slots are applied strictly in slot order. Every [`CHECKPOINT_EVERY`] slots the replica
//! writes a [`Checkpoint`] of its store and compacts its log up to it, so that a restart replays only
//! the tail of the log and the log stays short however long the run. A replica that lags behind
//! another's compacted log installs that replica's checkpoint instead of replaying values.

use crate::vec_map::VecMap;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::fmt;

use crate::Output;
use crate::config::{Bug, Bugs};
use crate::kv::Store;
use crate::log::Committed;
use crate::types::{ClientId, Command, Outcome, Reply, Seq, Slot};

/// How many slots apart a replica checkpoints its store.
pub const CHECKPOINT_EVERY: Slot = 64;

/// The store as it was after applying slots `0..applied`. Immutable once taken, so copies (on disk,
/// in a `Snapshot` message) share it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Checkpoint {
    /// Slots applied.
    pub applied: Slot,
    /// The store then.
    pub store: Rc<Store>,
}

/// `snapshot of 64 slots, 3 keys`: what a message carrying it shows, rather than the whole store.
impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.store.entries().count();
        write!(f, "snapshot of {} slots, {keys} key{}", self.applied, if keys == 1 { "" } else { "s" })
    }
}

/// See the module docs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Machine {
    store: Store,
    applied: Slot,
    /// Requests this replica must answer once applied: client → request number.
    waiting: VecMap<ClientId, Seq>,
    bugs: Bugs,
    /// Slots between checkpoints ([`crate::Config::checkpoint_every`]).
    every: Slot,
}

impl Machine {
    /// An empty store, or the one in `checkpoint`, with nothing waiting; it checkpoints every
    /// `config.checkpoint_every` slots.
    pub fn new(checkpoint: Option<&Checkpoint>, config: &crate::Config) -> Machine {
        let bugs = config.bugs;
        let every = config.checkpoint_every.max(1);
        let (store, applied) = match checkpoint {
            Some(c) => (Store::clone(&c.store), c.applied),
            None if bugs.has(Bug::NoDedup) => (Store::without_dedup(), 0),
            None => (Store::new(), 0),
        };
        Machine { store, applied, waiting: VecMap::new(), bugs, every }
    }

    /// Replaces the store with a checkpoint from a replica further ahead (the clients waiting here
    /// keep waiting). Does nothing if this replica has already applied as much.
    pub fn install(&mut self, checkpoint: &Checkpoint) {
        if checkpoint.applied > self.applied {
            self.store = Store::clone(&checkpoint.store);
            self.applied = checkpoint.applied;
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Slots `0..applied` are applied.
    pub fn applied(&self) -> Slot {
        self.applied
    }

    /// The outcome of `command` if it was applied already (a retried request).
    pub fn recall(&self, command: &Command) -> Option<Outcome> {
        self.store.recall(command)
    }

    /// Notes that this replica will answer `command`; false if it was already waiting for it.
    pub fn wait_for(&mut self, command: &Command) -> bool {
        self.waiting.insert(command.client, command.seq) != Some(command.seq)
    }

    /// Whether this replica will answer `command`.
    pub fn is_waiting_for(&self, command: &Command) -> bool {
        self.waiting.get(&command.client) == Some(&command.seq)
    }

    /// Stops waiting for `command` and answers it now.
    pub fn answer<M, W>(&mut self, command: &Command, outcome: Outcome, out: &mut Vec<Output<M, W>>) {
        self.waiting.remove(&command.client);
        out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
    }

    /// Stops waiting for everything, telling each client to go to `hint` instead.
    pub fn redirect_all<M, W>(&mut self, hint: Option<crate::NodeId>, out: &mut Vec<Output<M, W>>) {
        for (client, seq) in core::mem::take(&mut self.waiting) {
            out.push(Output::Reply(Reply { client, seq, outcome: Outcome::NotLeader { hint } }));
        }
    }

    /// Applies every decided slot that became contiguous, in slot order, answering the clients
    /// waiting here. Returns a checkpoint to write, when one is due.
    pub fn apply<M, W>(&mut self, log: &impl Committed, out: &mut Vec<Output<M, W>>) -> Option<Checkpoint> {
        let ready = self.applied..log.prefix();
        if ready.is_empty() {
            return None;
        }
        let mut slots: Vec<Slot> = ready.clone().collect();
        if self.bugs.has(Bug::CatchupOutOfOrder) {
            slots.reverse();
        }
        for slot in slots {
            let Some(value) = log.get(slot) else { continue };
            for command in value.commands() {
                let outcome = self.store.apply(command);
                if self.is_waiting_for(command) {
                    self.answer(command, outcome, out);
                }
            }
        }
        let before = self.applied;
        self.applied = ready.end;
        (before / self.every != self.applied / self.every)
            .then(|| Checkpoint { applied: self.applied, store: Rc::new(self.store.clone()) })
    }
}
