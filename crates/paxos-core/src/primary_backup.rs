//! Primary–backup replication (seed 001: 主从异步复制, 主从同步复制, 主从半同步复制) — three
//! teaching foils. None of them is consensus: the playground runs them to watch the checkers catch
//! each failing the way the seed tells.
//!
//! **Who is primary.** Views are numbered 0, 1, 2, …; the primary of view `v` is node `v mod n`
//! (a fixed rule: n1 first, then n2, …). A view is written as a [`Ballot`] whose round is the view
//! number and whose node is that view's primary. Every node starts in view 0 with n1 as primary.
//! The primary sends a `Heartbeat` every [`Timing::heartbeat_ticks`](crate::Timing); a backup that
//! hears nothing from its primary for a randomized election timeout decides the primary is dead and
//! moves to the next view — so the next node takes over. Nobody votes: each backup decides alone,
//! and a node that sees a message of a higher view adopts it (a deposed primary steps down when a
//! backup answers it with the newer view). A restarted node resumes in the view it had written.
//!
//! **Writes.** The primary orders writes: each `set` or `inc` goes into the next slot of its log,
//! is written to its disk, and is sent to every backup as `Replicate(view, first slot, values,
//! commit)`. A backup stores the values (in slot order: a value after a gap waits to be sent
//! again), answers `Ack(view, next)` — "I hold your log below `next`" — and applies every slot below
//! the primary's commit point. When the primary *commits* a slot, and so answers the client, is
//! what tells the three schemes apart:
//!
//! ```text
//!  client   primary              backups
//!    │─ set ─▶│  slot s
//!    │◀─ OK ──│                             Async: at once
//!    │        │── Replicate(s) ──▶│
//!    │        │◀───── Ack ────────│
//!    │◀─ OK ──│                             Semi-sync: once a majority, with the primary, has s
//!    │◀─ OK ──│                             Sync: once every backup has s
//! ```
//!
//! Reads are served by the primary from its own store, at once — except that a node that has just
//! become primary first commits, by its scheme's rule, the log it took over (as a promoted replica
//! first applies what it received): it may hold writes its predecessor committed and answered.
//! Each node outputs [`Output::Decided`] when it applies slot `s`, so the checkers compare the
//! nodes' logs.
//!
//! **How each fails** (seed 001):
//! - *Async*: the client hears OK before any backup has the write. If the primary dies then, the
//!   next primary never had it — an acknowledged write is lost (a later read misses it), and the new
//!   primary fills that slot with another write (logs disagree).
//! - *Sync*: nothing acknowledged is lost, but "任何一个机器宕机, 写入就进行不下去了": a write
//!   waits for every backup, so one dead node stops all writes until it comes back.
//! - *Semi-sync*: a write is acknowledged once a majority (with the primary) has it, so each
//!   backup may miss some acknowledged writes (seed 001: a reaches slave-1 only, b slave-2 only).
//!   Here a backup stores writes in slot order, so the backups hold different prefixes of the
//!   primary's log rather than different writes — b reaches slave-2 along with a, and slave-1 holds
//!   a only. The primary dies; the new primary is simply the next node, whatever it holds: if that
//!   is slave-1, the acknowledged b is lost.
//!
//! A split brain (a primary cut off but alive, while the others moved on) adds stale reads to async
//! and semi-sync: the old primary keeps answering from its store.
//!
//! **Durability.** The view, every log entry and every applied slot are written before the
//! messages that announce them leave. The log is never compacted (runs are short).

use alloc::vec::Vec;
use core::fmt;

use crate::config::{Config, Scheme, majority_of};
use crate::log::DecidedLog;
use crate::machine::Machine;
use crate::rng::Prng;
use crate::types::{Ballot, Command, MAX_NODES, NodeId, NodeSet, Op, Outcome, Reply, Slot, Value, list};
use crate::{Input, Label, MsgKind, Output, Role, SlotView, View};

/// How many log entries one `Replicate` carries at most when a backup is caught up.
pub const CATCHUP_VALUES_MAX: usize = 64;

/// A primary–backup message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// Primary to backup: "my log holds `values` from slot `first` on; every slot below `commit` is
    /// committed".
    Replicate {
        /// The primary's view.
        view: Ballot,
        /// The slot of the first value.
        first: Slot,
        /// Log entries, in slot order.
        values: Vec<Value>,
        /// The primary's commit point.
        commit: Slot,
    },
    /// Backup to primary: "in `view`, I hold your log below slot `next`". A backup in a higher view
    /// than the sender's sends its own view, which deposes a stale primary.
    Ack {
        /// The backup's view.
        view: Ballot,
        /// The backup holds the primary's log below this slot.
        next: Slot,
    },
    /// The primary is alive; every slot below `commit` is committed.
    Heartbeat {
        /// The primary's view.
        view: Ballot,
        /// The primary's commit point.
        commit: Slot,
    },
}

impl crate::Message for Message {
    fn label(&self) -> Label {
        let (kind, ballot, slot) = match *self {
            Message::Replicate { view, first, .. } => (MsgKind::Replicate, view, first),
            Message::Ack { view, next } => (MsgKind::Ack, view, next),
            Message::Heartbeat { view, commit } => (MsgKind::Heartbeat, view, commit),
        };
        Label { kind, ballot, slot }
    }
}

/// The payload in words, for a person following the run (the kind is shown apart).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Replicate { view, first, values, commit } => write!(
                f,
                "view {view}, from slot {first}, values: {}, commit {commit}",
                list(values.iter(), |f, v| write!(f, "{v}"))
            ),
            Message::Ack { view, next } => write!(f, "view {view}, holds the log below slot {next}"),
            Message::Heartbeat { view, commit } => write!(f, "view {view}, commit {commit}"),
        }
    }
}

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// The node moved to `view`.
    View(Ballot),
    /// The log holds `value` in `slot`, and nothing after it (an entry that differs from the one
    /// there replaces it and everything after it).
    Entry {
        /// The slot.
        slot: Slot,
        /// The value.
        value: Value,
    },
    /// The node applied `slot`, which holds `value`.
    Decide {
        /// The slot.
        slot: Slot,
        /// Its value.
        value: Value,
    },
}

/// What a node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// The view the node is in.
    pub view: Ballot,
    /// Its log: slot `i` holds `log[i]`.
    pub log: Vec<Value>,
    /// The slots it applied (a prefix of the log, unless logs diverged after a failover).
    pub decided: DecidedLog,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match write {
            Write::View(view) => self.view = *view,
            Write::Entry { slot, value } => {
                let slot = *slot as usize;
                debug_assert!(slot <= self.log.len(), "log entries are written in slot order");
                self.log.truncate(slot);
                if slot == self.log.len() {
                    self.log.push(value.clone());
                }
            }
            Write::Decide { slot, value } => {
                self.decided.insert(*slot, value.clone());
            }
        }
    }
}

type Out = Vec<Output<Message, Write>>;

/// A primary–backup node: the primary of its view, or a backup.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    config: Config,
    rng: Prng,
    durable: Durable,
    machine: Machine,
    /// Backup: the prefix of its log known to equal the current primary's.
    synced: Slot,
    /// Primary: how much of its log each backup is known to hold (meaningful for `known` ones).
    matched: [Slot; MAX_NODES],
    /// Primary: the backups that acknowledged something in this view.
    known: NodeSet,
    /// Primary: reads wait until the slots below this (its log when it took over) are committed.
    ready_at: Slot,
    /// Primary: reads waiting for that.
    reads: Vec<Command>,
    /// Backup: ticks since it last heard from its primary.
    quiet_ticks: u32,
    election_timeout: u32,
    /// Primary: ticks since its last heartbeat.
    heartbeat_ticks: u32,
}

impl crate::Protocol for Node {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, seed: u64) -> Node {
        assert!(config.contains(id), "node {id} is not in a cluster of {}", config.nodes);
        assert!(
            matches!(config.scheme, Scheme::Async | Scheme::Sync | Scheme::SemiSync),
            "primary–backup runs the async, sync or semi-sync scheme, not {}",
            config.scheme.name()
        );
        let mut node = Node {
            id,
            config,
            rng: Prng::new(seed),
            durable: Durable::default(),
            machine: Machine::new(None, &config),
            synced: 0,
            matched: [0; MAX_NODES],
            known: NodeSet::EMPTY,
            ready_at: 0,
            reads: Vec::new(),
            quiet_ticks: 0,
            election_timeout: 0,
            heartbeat_ticks: 0,
        };
        node.election_timeout = node.randomized_timeout();
        node
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Out) {
        match input {
            Input::Tick => self.on_tick(out),
            Input::Timeout => {
                if self.is_primary() {
                    self.broadcast(out);
                } else {
                    self.suspect_primary(out);
                }
            }
            Input::Message { from, msg } => self.on_message(from, msg, out),
            Input::Request(command) => self.on_request(command, out),
            Input::Recover(durable) => self.recover(durable, out),
        }
    }

    fn view(&self) -> View<'_> {
        View {
            id: self.id,
            role: if self.is_primary() { Role::Primary } else { Role::Backup },
            leader: Some(self.durable.view.node),
            ballot: self.durable.view,
            promised: Ballot::ZERO,
            decided: &self.durable.decided,
            store: self.machine.store(),
            applied: self.machine.applied(),
        }
    }

    fn acceptor_slots(&self) -> Vec<SlotView> {
        Vec::new()
    }
}

impl Node {
    /// Dispatches a message to the handler of the role that receives it.
    fn on_message(&mut self, from: NodeId, msg: Message, out: &mut Out) {
        match msg {
            // Backup.
            Message::Replicate { view, first, values, commit } => {
                self.on_replicate(from, view, first, values, commit, out)
            }
            Message::Heartbeat { view, commit } => self.on_heartbeat(from, view, commit, out),
            // Primary.
            Message::Ack { view, next } => self.on_ack(from, view, next, out),
        }
    }

    fn is_primary(&self) -> bool {
        self.durable.view.node == self.id
    }

    /// The view after `view`: the next node is primary.
    fn next_view(&self, view: Ballot) -> Ballot {
        let round = view.round + 1;
        Ballot::new(round, (round % u32::from(self.config.nodes)) as NodeId)
    }

    // ---------------------------------------------------------------- backup

    /// Stores the primary's entries (in slot order, from the part of the log known to match),
    /// applies what is committed, and tells the primary how far its log goes.
    fn on_replicate(
        &mut self,
        from: NodeId,
        view: Ballot,
        first: Slot,
        values: Vec<Value>,
        commit: Slot,
        out: &mut Out,
    ) {
        if !self.hear_primary(from, view, out) {
            return;
        }
        if first <= self.synced {
            let end = first + values.len() as Slot;
            for (slot, value) in (first..).zip(values) {
                // An applied slot cannot be undone: if the primary's entry differs, the logs have
                // diverged (a failover lost writes) — the checkers see it when this slot is applied
                // elsewhere.
                if slot < self.durable.decided.prefix() || self.durable.log.get(slot as usize) == Some(&value) {
                    continue;
                }
                self.persist(Write::Entry { slot, value }, out);
            }
            self.synced = self.synced.max(end).min(self.durable.log.len() as Slot);
        }
        self.learn_commit(commit, out);
        let (view, next) = (self.durable.view, self.synced);
        out.push(Output::Send { to: from, msg: Message::Ack { view, next } });
    }

    fn on_heartbeat(&mut self, from: NodeId, view: Ballot, commit: Slot, out: &mut Out) {
        if !self.hear_primary(from, view, out) {
            return;
        }
        self.learn_commit(commit, out);
        let (view, next) = (self.durable.view, self.synced);
        out.push(Output::Send { to: from, msg: Message::Ack { view, next } });
    }

    /// Handles the view of a message from a would-be primary: false if it is stale (the sender is
    /// told the newer view) or does not come from its view's primary.
    fn hear_primary(&mut self, from: NodeId, view: Ballot, out: &mut Out) -> bool {
        if view.round < self.durable.view.round {
            let (view, next) = (self.durable.view, self.synced);
            out.push(Output::Send { to: from, msg: Message::Ack { view, next } });
            return false;
        }
        if view.round > self.durable.view.round {
            self.adopt(view, out);
        }
        if view.node != from || self.is_primary() {
            return false;
        }
        self.quiet_ticks = 0;
        true
    }

    /// Applies the slots below the primary's commit point that this backup holds as the primary does.
    fn learn_commit(&mut self, commit: Slot, out: &mut Out) {
        let upto = commit.min(self.synced);
        while self.durable.decided.prefix() < upto {
            let slot = self.durable.decided.prefix();
            let value = self.durable.log[slot as usize].clone();
            self.decide(slot, value, out);
        }
    }

    /// The primary fell silent: move to the next view, and tell its primary (the next node).
    fn suspect_primary(&mut self, out: &mut Out) {
        let view = self.next_view(self.durable.view);
        self.adopt(view, out);
        if !self.is_primary() {
            out.push(Output::Send { to: view.node, msg: Message::Ack { view, next: self.synced } });
        }
    }

    // ---------------------------------------------------------------- primary

    /// A backup's answer: how much of the log it holds. A higher view deposes this primary.
    fn on_ack(&mut self, from: NodeId, view: Ballot, next: Slot, out: &mut Out) {
        if view.round > self.durable.view.round {
            self.adopt(view, out);
            return;
        }
        if view != self.durable.view || !self.is_primary() {
            return;
        }
        // The latest answer wins, even if lower: a backup that restarted may hold less than it
        // said before. (A late, older answer only makes the primary send again what it has.)
        self.known.insert(from);
        self.matched[from as usize] = next.min(self.durable.log.len() as Slot);
        self.commit(out);
    }

    /// Commits (applies, answering the clients waiting) every slot the scheme lets it: all of them
    /// (async), those a majority holds (semi-sync), those every node holds (sync).
    fn commit(&mut self, out: &mut Out) {
        debug_assert!(self.is_primary());
        let nodes = usize::from(self.config.nodes);
        let needed = match self.config.scheme {
            Scheme::Async => 1,
            Scheme::SemiSync => majority_of(nodes),
            Scheme::Sync | Scheme::Majority | Scheme::MajorityTimestamps => nodes,
        };
        loop {
            let slot = self.durable.decided.prefix();
            let Some(value) = self.durable.log.get(slot as usize).cloned() else { break };
            let holders = 1 + self.known.iter().filter(|&b| b != self.id && self.matched[b as usize] > slot).count();
            if holders < needed {
                break;
            }
            self.decide(slot, value, out);
        }
        self.serve_reads(out);
    }

    /// Answers the reads that waited for the log this primary took over to be committed.
    fn serve_reads(&mut self, out: &mut Out) {
        if self.durable.decided.prefix() < self.ready_at {
            return;
        }
        for command in core::mem::take(&mut self.reads) {
            if self.machine.is_waiting_for(&command) {
                let outcome = Outcome::Value(self.machine.store().get(command.op.key()));
                self.machine.answer(&command, outcome, out);
            }
        }
    }

    /// Every heartbeat: a backup known to lag gets the entries it misses, the others a heartbeat.
    fn broadcast(&mut self, out: &mut Out) {
        self.heartbeat_ticks = 0;
        let (view, commit, end) = (self.durable.view, self.durable.decided.prefix(), self.durable.log.len());
        for to in self.config.others(self.id).iter() {
            let from = self.matched[to as usize] as usize;
            let msg = if self.known.contains(to) && from < end {
                let values =
                    self.durable.log[from..end.min(from + self.config.entries_max(CATCHUP_VALUES_MAX))].to_vec();
                Message::Replicate { view, first: from as Slot, values, commit }
            } else {
                Message::Heartbeat { view, commit }
            };
            out.push(Output::Send { to, msg });
        }
    }

    // ---------------------------------------------------------------- clients

    /// The primary serves reads from its store and puts writes in the next slot; a backup redirects.
    fn on_request(&mut self, command: Command, out: &mut Out) {
        let reply = |outcome, out: &mut Out| {
            out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
        };
        if let Some(outcome) = self.machine.recall(&command) {
            return reply(outcome, out);
        }
        if !self.is_primary() {
            return reply(Outcome::NotLeader { hint: Some(self.durable.view.node) }, out);
        }
        if let Op::Get(_) = command.op {
            // Served from the store; a new primary first commits the log it took over, which may
            // hold writes an earlier primary committed and answered.
            if self.machine.wait_for(&command) {
                self.reads.push(command);
            }
            return self.serve_reads(out);
        }
        if !self.machine.wait_for(&command) {
            return; // Already in the log, waiting to commit.
        }
        let slot = self.durable.log.len() as Slot;
        let value = Value::batch([command]);
        self.persist(Write::Entry { slot, value: value.clone() }, out);
        self.commit(out);
        let (view, commit) = (self.durable.view, self.durable.decided.prefix());
        for to in self.config.others(self.id).iter() {
            let msg = Message::Replicate { view, first: slot, values: alloc::vec![value.clone()], commit };
            out.push(Output::Send { to, msg });
        }
    }

    // ---------------------------------------------------------------- time

    fn on_tick(&mut self, out: &mut Out) {
        if self.is_primary() {
            self.heartbeat_ticks += 1;
            if self.heartbeat_ticks >= self.config.timing.heartbeat_ticks {
                self.broadcast(out);
            }
        } else {
            self.quiet_ticks += 1;
            if self.quiet_ticks >= self.election_timeout {
                self.suspect_primary(out);
            }
        }
    }

    fn randomized_timeout(&mut self) -> u32 {
        self.config.timing.election_timeout(&mut self.rng, 0)
    }

    // ---------------------------------------------------------------- plumbing

    /// Moves to the higher `view`. A deposed primary redirects the clients waiting on it; the new
    /// primary (this node, or another) starts with nothing known about the backups.
    fn adopt(&mut self, view: Ballot, out: &mut Out) {
        assert!(view.round > self.durable.view.round, "views only move forward");
        let was_primary = self.is_primary();
        self.persist(Write::View(view), out);
        self.synced = self.durable.decided.prefix();
        self.quiet_ticks = 0;
        self.election_timeout = self.randomized_timeout();
        if was_primary {
            self.reads.clear();
            self.machine.redirect_all(Some(view.node), out);
        }
        if self.is_primary() {
            self.known = NodeSet::EMPTY;
            self.ready_at = self.durable.log.len() as Slot;
            self.commit(out);
            self.broadcast(out);
        }
    }

    /// Records that `slot` holds `value` and applies it.
    fn decide(&mut self, slot: Slot, value: Value, out: &mut Out) {
        debug_assert_eq!(slot, self.durable.decided.prefix(), "slots are applied in order");
        self.persist(Write::Decide { slot, value: value.clone() }, out);
        out.push(Output::Decided { slot, value });
        // The log is never compacted, so the checkpoint `apply` offers is not needed.
        let _ = self.machine.apply(&self.durable.decided, out);
    }

    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.machine = Machine::new(None, &self.config);
        self.durable = durable;
        self.synced = self.durable.decided.prefix();
        self.known = NodeSet::EMPTY;
        self.ready_at = self.durable.log.len() as Slot;
        self.reads.clear();
        self.quiet_ticks = 0;
        let _ = self.machine.apply(&self.durable.decided, out);
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }
}
