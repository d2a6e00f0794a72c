//! Majority read/write (seed 001: 多数派读写), with or without timestamps — teaching foils, not
//! consensus. The checkers catch both losing updates and showing readers different values.
//!
//! Every node is a *replica* holding one register per key, and a *coordinator* for the client
//! requests it receives. There is no leader and no log: a coordinator talks to every replica and
//! is content with a majority of answers.
//!
//! ```text
//!  client   coordinator            replicas (itself included)
//!    │─ get ─▶│── Read(k) ────────▶│
//!    │        │◀── ReadReply(v, t) ─│   a majority answered: pick a value
//!    │◀─ v ───│
//!    │─ set ─▶│── Write(k, v, t) ──▶│
//!    │        │◀──── WriteAck ──────│   a majority answered
//!    │◀─ OK ──│
//!    │─ inc ─▶│  a majority read, then a majority write of the value read + n
//! ```
//!
//! - **`get`**: `Read` to every replica; with a majority of `ReadReply`s the coordinator answers.
//! - **`set`**: `Write` to every replica; with a majority of `WriteAck`s it answers OK.
//! - **`inc n`**: a majority read, then a majority write of what it read plus `n` (seed 001: "读取一个
//!   变量的值i₁, 给它加上一个数字得到i₂, 再通过多数派把i₂写回"). The two steps are not atomic: two
//!   concurrent `inc`s can both read `i = 0` and both write `1` — one update is lost.
//!
//! **Which value a read returns.** Without timestamps ([`Scheme::Majority`]) a replica overwrites its
//! register with every `Write` it gets, and a read that sees different values (seed 001: node-1,
//! node-2 hold a=x, node-2, node-3 were then written a=y, a reader contacts node-1 and node-2) has
//! no way to tell which is newer. The rule taken here: the value reported by the most replicas of
//! the majority; a tie goes to the value of the lowest-numbered replica among those tied.
//!
//! With timestamps ([`Scheme::MajorityTimestamps`]) every write carries a timestamp, a [`Ballot`]
//! `(counter, writer)`: the coordinator first reads the highest timestamp from a majority and writes
//! with counter + 1 and its own node number (ordered by counter, then node, so no two writers share
//! one) — globally increasing without consensus, since any two majorities meet. A replica keeps
//! only the newest write it saw, and a read takes the value with the highest timestamp. So a `set`
//! costs a majority read and a majority write. Still broken by a half-finished write (seed 001:
//! a=x₁ on node-1 and node-2, a=y₂ only on node-3, then the writer dies): a reader that contacts
//! node-1 and node-2 sees x, one that contacts node-2 and node-3 sees y — and the first can come
//! after the second. Concurrent `inc`s still lose updates.
//!
//! A coordinator asks again, every [`Timing::resend_ticks`](crate::Timing), the replicas that have
//! not answered. Registers are written to disk before the `WriteAck` leaves; a coordinator's
//! operations in progress are lost if it crashes (the client retries elsewhere). There is no
//! session table: a retried `inc` whose write had reached a majority is applied twice.

use core::cmp::Reverse;
use core::fmt;

use crate::vec_map::VecMap;
use alloc::vec::Vec;

use crate::config::{Config, Scheme, majority_of};
use crate::kv::Store;
use crate::log::DecidedLog;
use crate::types::{Ballot, ClientId, Command, Key, NodeId, NodeSet, Op, Outcome, Reply, Seq, key_name};
use crate::{Input, Label, Loopback, MsgKind, Output, Role, SlotView, View};

/// Which operation of which coordinator a message belongs to: the coordinator's restart count
/// (so answers meant for an operation from before a crash are not mistaken for a new one's) and a
/// number counting its operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpId {
    /// How many times the coordinator had restarted.
    pub incarnation: u32,
    /// The operation's number at that coordinator.
    pub number: u32,
}

/// A majority read/write message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {
    /// Coordinator to replica: "what do you hold for `key`?"
    Read {
        /// The operation.
        op: OpId,
        /// The key.
        key: Key,
    },
    /// Replica to coordinator: the register of `key`.
    ReadReply {
        /// The operation.
        op: OpId,
        /// The key.
        key: Key,
        /// Its value (0 if never written).
        value: i64,
        /// Its timestamp ([`Ballot::ZERO`] if never written, or without timestamps).
        stamp: Ballot,
    },
    /// Coordinator to replica: "write `value` in `key`".
    Write {
        /// The operation.
        op: OpId,
        /// The key.
        key: Key,
        /// The value.
        value: i64,
        /// Its timestamp (with timestamps only).
        stamp: Ballot,
    },
    /// Replica to coordinator: the write is on disk (or a newer one is).
    WriteAck {
        /// The operation.
        op: OpId,
        /// The key.
        key: Key,
    },
}

impl crate::Message for Message {
    fn label(&self) -> Label {
        let (kind, ballot, key) = match *self {
            Message::Read { key, .. } => (MsgKind::Read, Ballot::ZERO, key),
            Message::ReadReply { key, stamp, .. } => (MsgKind::ReadReply, stamp, key),
            Message::Write { key, stamp, .. } => (MsgKind::Write, stamp, key),
            Message::WriteAck { key, .. } => (MsgKind::WriteAck, Ballot::ZERO, key),
        };
        Label { kind, ballot, slot: u32::from(key) }
    }
}

/// `op 3`, or `op 3 (incarnation 1)` once the coordinator has restarted.
impl fmt::Display for OpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.incarnation {
            0 => write!(f, "op {}", self.number),
            i => write!(f, "op {} (incarnation {i})", self.number),
        }
    }
}

/// The payload in words, for a person following the run (the kind is shown apart).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Read { op, key } | Message::WriteAck { op, key } => write!(f, "{op}, key {}", key_name(*key)),
            Message::ReadReply { op, key, value, stamp } | Message::Write { op, key, value, stamp } => {
                write!(f, "{op}, key {}, value {value}, stamp {stamp}", key_name(*key))
            }
        }
    }
}

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {
    /// The register of `key` now holds `value`, written with `stamp`.
    Register {
        /// The key.
        key: Key,
        /// The value.
        value: i64,
        /// Its timestamp.
        stamp: Ballot,
    },
    /// The node restarted once more.
    Restarted,
}

/// What a replica keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// Each written key's value and timestamp.
    pub registers: VecMap<Key, (i64, Ballot)>,
    /// How many times the node restarted.
    pub incarnation: u32,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match *write {
            Write::Register { key, value, stamp } => {
                self.registers.insert(key, (value, stamp));
            }
            Write::Restarted => self.incarnation += 1,
        }
    }
}

type Out = Vec<Output<Message, Write>>;

/// An operation a coordinator runs for a client.
#[derive(Clone, Debug)]
struct Operation {
    command: Command,
    phase: Phase,
    /// Replicas that answered in the current phase.
    answered: NodeSet,
    ticks: u32,
}

#[derive(Clone, Debug)]
enum Phase {
    /// The majority read: the answers so far, in arrival order.
    Reading(Vec<(NodeId, i64, Ballot)>),
    /// The majority write of `value` with `stamp`; the client then gets `outcome`.
    Writing { value: i64, stamp: Ballot, outcome: Outcome },
}

/// A majority read/write node: a replica, and a coordinator for the requests it receives.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    config: Config,
    durable: Durable,
    /// The registers as a store, for the views (no log: `decided` stays empty).
    store: Store,
    decided: DecidedLog,
    /// Operations in progress, by id.
    operations: VecMap<OpId, Operation>,
    next_number: u32,
    /// The last answer this coordinator gave each client, for a request that arrives twice.
    answered: VecMap<ClientId, (Seq, Outcome)>,
    /// Messages to itself, handled before the step returns.
    loopback: Loopback<Message>,
}

impl crate::Protocol for Node {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, _seed: u64) -> Node {
        assert!(config.contains(id), "node {id} is not in a cluster of {}", config.nodes);
        assert!(
            matches!(config.scheme, Scheme::Majority | Scheme::MajorityTimestamps),
            "majority read/write runs with or without timestamps, not {}",
            config.scheme.name()
        );
        Node {
            id,
            config,
            durable: Durable::default(),
            store: Store::without_dedup(),
            decided: DecidedLog::default(),
            operations: VecMap::new(),
            next_number: 0,
            answered: VecMap::new(),
            loopback: Loopback::new(),
        }
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Out) {
        match input {
            Input::Tick | Input::Timeout => self.on_tick(matches!(input, Input::Timeout), out),
            Input::Message { from, msg } => self.on_message(from, msg, out),
            Input::Request(command) => self.on_request(command, out),
            Input::Recover(durable) => self.recover(durable, out),
        }
        while let Some(msg) = self.loopback.pop() {
            self.on_message(self.id, msg, out);
        }
    }

    fn view(&self) -> View<'_> {
        View {
            id: self.id,
            role: Role::Replica,
            leader: None,
            ballot: Ballot::ZERO,
            promised: Ballot::ZERO,
            decided: &self.decided,
            store: &self.store,
            applied: 0,
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
            // Replica.
            Message::Read { op, key } => self.on_read(from, op, key, out),
            Message::Write { op, key, value, stamp } => self.on_write(from, op, key, value, stamp, out),
            // Coordinator.
            Message::ReadReply { op, value, stamp, .. } => self.on_read_reply(from, op, value, stamp, out),
            Message::WriteAck { op, .. } => self.on_write_ack(from, op, out),
        }
    }

    fn timestamps(&self) -> bool {
        self.config.scheme == Scheme::MajorityTimestamps
    }

    fn quorum(&self) -> usize {
        majority_of(usize::from(self.config.nodes))
    }

    // ---------------------------------------------------------------- replica

    fn on_read(&mut self, from: NodeId, op: OpId, key: Key, out: &mut Out) {
        let (value, stamp) = self.durable.registers.get(&key).copied().unwrap_or((0, Ballot::ZERO));
        self.send(from, Message::ReadReply { op, key, value, stamp }, out);
    }

    /// Without timestamps every write overwrites; with them, only a newer one does.
    fn on_write(&mut self, from: NodeId, op: OpId, key: Key, value: i64, stamp: Ballot, out: &mut Out) {
        let current = self.durable.registers.get(&key).map(|&(_, stamp)| stamp);
        if !self.timestamps() || current.is_none_or(|current| stamp > current) {
            self.persist(Write::Register { key, value, stamp }, out);
            let set = Command { client: 0, seq: 0, op: Op::Set(key, value) };
            self.store.apply(&set);
        }
        self.send(from, Message::WriteAck { op, key }, out);
    }

    // ---------------------------------------------------------------- coordinator

    fn on_request(&mut self, command: Command, out: &mut Out) {
        if let Some(&(seq, outcome)) = self.answered.get(&command.client)
            && seq == command.seq
        {
            out.push(Output::Reply(Reply { client: command.client, seq, outcome }));
            return;
        }
        if self.operations.values().any(|o| o.command == command) {
            return; // Already running.
        }
        let id = OpId { incarnation: self.durable.incarnation, number: self.next_number };
        self.next_number += 1;
        let phase = match command.op {
            Op::Set(_, value) if !self.timestamps() => {
                Phase::Writing { value, stamp: Ballot::ZERO, outcome: Outcome::Done }
            }
            Op::Get(_) | Op::Set(..) | Op::Inc(..) => Phase::Reading(Vec::new()),
        };
        self.operations.insert(id, Operation { command, phase, answered: NodeSet::EMPTY, ticks: 0 });
        self.ask(id, self.config.all(), out);
    }

    /// A replica's register. With a majority of answers the read is over: a `get` is answered, a
    /// `set` or `inc` goes on to its write.
    fn on_read_reply(&mut self, from: NodeId, id: OpId, value: i64, stamp: Ballot, out: &mut Out) {
        let (quorum, timestamps) = (self.quorum(), self.timestamps());
        let Some(operation) = self.operations.get_mut(&id) else { return };
        let Phase::Reading(replies) = &mut operation.phase else { return };
        if !operation.answered.insert(from) {
            return;
        }
        replies.push((from, value, stamp));
        if replies.len() < quorum {
            return;
        }
        let (read, stamp) = if timestamps {
            let (value, newest) = newest(replies);
            (value, Ballot::new(newest.round + 1, self.id))
        } else {
            (most_common(replies), Ballot::ZERO)
        };
        let command = operation.command;
        let phase = match command.op {
            Op::Get(_) => return self.finish(id, Outcome::Value(read), out),
            Op::Set(_, value) => Phase::Writing { value, stamp, outcome: Outcome::Done },
            Op::Inc(_, by) => {
                let value = read.wrapping_add(by);
                Phase::Writing { value, stamp, outcome: Outcome::Value(value) }
            }
        };
        operation.phase = phase;
        operation.answered = NodeSet::EMPTY;
        operation.ticks = 0;
        self.ask(id, self.config.all(), out);
    }

    /// A replica wrote: with a majority the client is answered.
    fn on_write_ack(&mut self, from: NodeId, id: OpId, out: &mut Out) {
        let quorum = self.quorum();
        let Some(operation) = self.operations.get_mut(&id) else { return };
        let Phase::Writing { outcome, .. } = operation.phase else { return };
        if operation.answered.insert(from) && operation.answered.len() >= quorum {
            self.finish(id, outcome, out);
        }
    }

    fn finish(&mut self, id: OpId, outcome: Outcome, out: &mut Out) {
        let Some(operation) = self.operations.remove(&id) else { return };
        let Command { client, seq, .. } = operation.command;
        self.answered.insert(client, (seq, outcome));
        out.push(Output::Reply(Reply { client, seq, outcome }));
    }

    /// Sends the current phase's message of operation `id` to the replicas in `to`.
    fn ask(&mut self, id: OpId, to: NodeSet, out: &mut Out) {
        let Some(operation) = self.operations.get(&id) else { return };
        let key = operation.command.op.key();
        let msg = match operation.phase {
            Phase::Reading(_) => Message::Read { op: id, key },
            Phase::Writing { value, stamp, .. } => Message::Write { op: id, key, value, stamp },
        };
        for node in to.iter() {
            self.send(node, msg.clone(), out);
        }
    }

    // ---------------------------------------------------------------- time

    /// Asks again the replicas that have not answered (at once if `now`).
    fn on_tick(&mut self, now: bool, out: &mut Out) {
        let resend = self.config.timing.resend_ticks.max(1);
        let mut due = Vec::new();
        for (&id, operation) in self.operations.iter_mut() {
            operation.ticks += 1;
            if now || operation.ticks >= resend {
                operation.ticks = 0;
                due.push((id, NodeSet::from_bits(self.config.all().bits() & !operation.answered.bits())));
            }
        }
        for (id, silent) in due {
            self.ask(id, silent, out);
        }
    }

    // ---------------------------------------------------------------- plumbing

    /// Restarts from disk: the registers survive, the operations in progress do not.
    fn recover(&mut self, durable: Durable, out: &mut Out) {
        self.durable = durable;
        self.persist(Write::Restarted, out);
        self.store = Store::without_dedup();
        for (&key, &(value, _)) in &self.durable.registers {
            self.store.apply(&Command { client: 0, seq: 0, op: Op::Set(key, value) });
        }
        self.operations.clear();
        self.answered.clear();
        self.next_number = 0;
    }

    fn persist(&mut self, write: Write, out: &mut Out) {
        crate::Durable::apply(&mut self.durable, &write);
        out.push(Output::Persist(write));
    }

    fn send(&mut self, to: NodeId, msg: Message, out: &mut Out) {
        self.loopback.send(self.id, to, msg, out);
    }
}

/// Without timestamps: the value most replies hold; a tie goes to the value of the lowest-numbered
/// replica among the tied.
pub fn most_common(replies: &[(NodeId, i64, Ballot)]) -> i64 {
    let count = |value: i64| replies.iter().filter(|&&(_, v, _)| v == value).count();
    // The highest count first, then the lowest node (then the lowest value, had a node replied twice).
    let best = replies.iter().map(|&(node, value, _)| (Reverse(count(value)), node, value)).min();
    best.map_or(0, |(_, _, value)| value)
}

/// With timestamps: the value with the highest timestamp, and that timestamp.
pub fn newest(replies: &[(NodeId, i64, Ballot)]) -> (i64, Ballot) {
    replies.iter().max_by_key(|&&(_, _, stamp)| stamp).map_or((0, Ballot::ZERO), |&(_, value, stamp)| (value, stamp))
}
