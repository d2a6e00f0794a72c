//! The trace: the one record of a run that every view reads.
//!
//! Every send, delivery, drop, duplicate, timeout, crash, restart, pause, network change, client
//! invocation and return, role change and decision is an [`Event`] with its virtual time. Events are
//! numbered by their position (the [`EventId`]); a delivery or drop names the [`MsgId`] of its send,
//! and [`Trace::send_of`] finds that send. Events are `Copy` and small: **32 bytes each** (pinned by a
//! test), so a 1,000,000-event run takes 32 MB. Message payloads are not in the trace, only what a
//! timeline needs to draw them (kind, ballot, slot); the full message of any moment can be had by
//! seeking a world to it (see [`crate::run`]).
//!
//! The trace's canonical byte encoding ([`Event::encode`]) is the same on every platform; its
//! FNV-1a hash ([`Trace::hash`]) is the golden value that proves a run is bit-identical natively and
//! in the browser.

use core::fmt;

use paxos_core::vec_map::VecMap;
use paxos_core::{Ballot, ClientId, MsgKind, NodeId, NodeName, Op, Outcome, Role, Rule, Seq, Slot, key_name};

use crate::json::{self, Json, ToJson};

/// Virtual time in microseconds since the start of the run.
pub type Time = u64;

/// An event's position in the trace.
pub type EventId = u64;

/// A message's number, unique in a run, in the order messages were sent.
pub type MsgId = u32;

/// An endpoint of the network: a node (`0..16`) or a client (`16..`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Addr(u8);

/// Where client addresses start.
const CLIENT_BASE: u8 = paxos_core::MAX_NODES as u8;

/// The most clients a run may have (they share the `u8` address space with nodes).
pub const MAX_CLIENTS: usize = (u8::MAX - CLIENT_BASE) as usize + 1;

impl Addr {
    /// Node `node`.
    pub const fn node(node: NodeId) -> Addr {
        Addr(node)
    }

    /// Client `client` (`client < MAX_CLIENTS`).
    pub const fn client(client: ClientId) -> Addr {
        Addr(CLIENT_BASE + client as u8)
    }

    /// The node, if this is a node.
    pub const fn as_node(self) -> Option<NodeId> {
        if self.0 < CLIENT_BASE { Some(self.0) } else { None }
    }

    /// The client, if this is a client.
    pub const fn as_client(self) -> Option<ClientId> {
        if self.0 >= CLIENT_BASE { Some((self.0 - CLIENT_BASE) as ClientId) } else { None }
    }

    /// The raw address byte.
    pub const fn raw(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.as_node(), self.as_client()) {
            (Some(n), _) => write!(f, "{}", NodeName(n)),
            (_, Some(c)) => write!(f, "c{}", c + 1),
            _ => unreachable!("an address is a node or a client"),
        }
    }
}

impl fmt::Debug for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DropCause {
    /// The network lost it (random loss).
    Loss,
    /// Sender and receiver were in different islands, or the link was cut.
    Partition,
    /// The receiver was down when it arrived.
    Crashed,
    /// A person dropped it by hand.
    Manual,
}

impl DropCause {
    /// The name people see.
    pub const fn name(self) -> &'static str {
        match self {
            DropCause::Loss => "loss",
            DropCause::Partition => "partition",
            DropCause::Crashed => "crashed",
            DropCause::Manual => "manual",
        }
    }
}

/// The islands of a partition: island number (0–15) of each node, four bits per node.
/// All zero means one island, a healed network.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Islands(pub u64);

impl Islands {
    /// The island of `node`.
    pub const fn of(self, node: NodeId) -> u8 {
        ((self.0 >> (4 * node as u32)) & 0xF) as u8
    }

    /// These islands with `node` moved to `island`.
    pub const fn with(self, node: NodeId, island: u8) -> Islands {
        let shift = 4 * node as u32;
        Islands((self.0 & !(0xF << shift)) | ((island as u64 & 0xF) << shift))
    }

    /// Whether every node is in the same island.
    pub const fn is_whole(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Debug for Islands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Islands({:#x})", self.0)
    }
}

/// What happened. See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A message left `from` for `to`.
    Send {
        /// Its number.
        msg: MsgId,
        /// The sender.
        from: Addr,
        /// The receiver.
        to: Addr,
        /// What kind of message.
        kind: MsgKind,
        /// The ballot it carries.
        ballot: Ballot,
        /// The slot it concerns.
        slot: Slot,
    },
    /// Message `msg` arrived and its receiver handled it.
    Deliver {
        /// The message.
        msg: MsgId,
    },
    /// Message `msg` will never arrive.
    Drop {
        /// The message.
        msg: MsgId,
        /// Why.
        cause: DropCause,
    },
    /// The network duplicated message `msg`; `copy` is the duplicate's number.
    Duplicate {
        /// The original.
        msg: MsgId,
        /// The copy (it has a `Send` event of its own).
        copy: MsgId,
    },
    /// A timer of `node` fired and the node acted on it (ticks that change nothing are not recorded).
    Timeout {
        /// The node.
        node: NodeId,
    },
    /// `node` crashed: it loses everything but its durable state.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// `node` restarted from its durable state.
    Restart {
        /// The node.
        node: NodeId,
    },
    /// `node` froze: it handles nothing until resumed (messages wait for it).
    Pause {
        /// The node.
        node: NodeId,
    },
    /// `node` resumed.
    Resume {
        /// The node.
        node: NodeId,
    },
    /// The network split into these islands (all zero: healed).
    Partition {
        /// Island of each node.
        islands: Islands,
    },
    /// The one-way link from `from` to `to` was cut.
    Cut {
        /// The sender side.
        from: NodeId,
        /// The receiver side.
        to: NodeId,
    },
    /// The one-way link from `from` to `to` was repaired.
    Repair {
        /// The sender side.
        from: NodeId,
        /// The receiver side.
        to: NodeId,
    },
    /// Random loss and duplication changed, each now `(numerator, denominator)`.
    Weather {
        /// Probability of loss.
        loss: (u16, u16),
        /// Probability of duplication.
        duplication: (u16, u16),
    },
    /// A client invoked an operation (the first time; retries are sends, not invocations).
    Invoke {
        /// The client.
        client: ClientId,
        /// Its request number.
        seq: Seq,
        /// The operation.
        op: Op,
    },
    /// A client received the answer to its operation.
    Return {
        /// The client.
        client: ClientId,
        /// Its request number.
        seq: Seq,
        /// The answer: the value read or the new value, or `None` for a completed `set`.
        value: Option<i64>,
    },
    /// `node` changed role.
    Role {
        /// The node.
        node: NodeId,
        /// Its new role.
        role: Role,
        /// The ballot it now proposes or leads with.
        ballot: Ballot,
    },
    /// `node` learned that `slot` is decided.
    Decide {
        /// The node.
        node: NodeId,
        /// The slot.
        slot: Slot,
    },
}

/// One entry of the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    /// When it happened.
    pub time: Time,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// The node the event belongs to on a timeline (the sender for a send), if any.
    pub fn node(&self) -> Option<NodeId> {
        match self.kind {
            EventKind::Send { from, .. } => from.as_node(),
            EventKind::Timeout { node }
            | EventKind::Crash { node }
            | EventKind::Restart { node }
            | EventKind::Pause { node }
            | EventKind::Resume { node }
            | EventKind::Role { node, .. }
            | EventKind::Decide { node, .. } => Some(node),
            EventKind::Cut { from, .. } | EventKind::Repair { from, .. } => Some(from),
            _ => None,
        }
    }

    /// Appends the canonical little-endian encoding: a tag byte, then the fields in order.
    /// The same on every platform; the golden trace hash is computed over it.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.time.to_le_bytes());
        let ballot = |out: &mut Vec<u8>, b: Ballot| {
            out.extend_from_slice(&b.round.to_le_bytes());
            out.push(b.node);
        };
        match self.kind {
            EventKind::Send { msg, from, to, kind, ballot: b, slot } => {
                out.push(0);
                out.extend_from_slice(&msg.to_le_bytes());
                out.extend_from_slice(&[from.raw(), to.raw(), kind as u8]);
                ballot(out, b);
                out.extend_from_slice(&slot.to_le_bytes());
            }
            EventKind::Deliver { msg } => {
                out.push(1);
                out.extend_from_slice(&msg.to_le_bytes());
            }
            EventKind::Drop { msg, cause } => {
                out.push(2);
                out.extend_from_slice(&msg.to_le_bytes());
                out.push(cause as u8);
            }
            EventKind::Duplicate { msg, copy } => {
                out.push(3);
                out.extend_from_slice(&msg.to_le_bytes());
                out.extend_from_slice(&copy.to_le_bytes());
            }
            EventKind::Timeout { node } => out.extend_from_slice(&[4, node]),
            EventKind::Crash { node } => out.extend_from_slice(&[5, node]),
            EventKind::Restart { node } => out.extend_from_slice(&[6, node]),
            EventKind::Pause { node } => out.extend_from_slice(&[7, node]),
            EventKind::Resume { node } => out.extend_from_slice(&[8, node]),
            EventKind::Partition { islands } => {
                out.push(9);
                out.extend_from_slice(&islands.0.to_le_bytes());
            }
            EventKind::Cut { from, to } => out.extend_from_slice(&[10, from, to]),
            EventKind::Repair { from, to } => out.extend_from_slice(&[11, from, to]),
            EventKind::Weather { loss, duplication } => {
                out.push(12);
                for x in [loss.0, loss.1, duplication.0, duplication.1] {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
            EventKind::Invoke { client, seq, op } => {
                out.push(13);
                out.extend_from_slice(&client.to_le_bytes());
                out.extend_from_slice(&seq.to_le_bytes());
                let (f, key, value) = op_fields(op);
                out.extend_from_slice(&[f, key]);
                out.extend_from_slice(&value.unwrap_or(0).to_le_bytes());
            }
            EventKind::Return { client, seq, value } => {
                out.push(14);
                out.extend_from_slice(&client.to_le_bytes());
                out.extend_from_slice(&seq.to_le_bytes());
                out.push(value.is_some() as u8);
                out.extend_from_slice(&value.unwrap_or(0).to_le_bytes());
            }
            EventKind::Role { node, role, ballot: b } => {
                out.extend_from_slice(&[15, node, role as u8]);
                ballot(out, b);
            }
            EventKind::Decide { node, slot } => {
                out.extend_from_slice(&[16, node]);
                out.extend_from_slice(&slot.to_le_bytes());
            }
        }
    }
}

/// An operation as (function tag, key, argument): get = 0, set = 1, inc = 2.
pub fn op_fields(op: Op) -> (u8, u8, Option<i64>) {
    match op {
        Op::Get(k) => (0, k, None),
        Op::Set(k, v) => (1, k, Some(v)),
        Op::Inc(k, n) => (2, k, Some(n)),
    }
}

/// The value a client sees for an outcome (`None` for a completed `set`).
pub fn outcome_value(outcome: Outcome) -> Option<i64> {
    match outcome {
        Outcome::Value(v) => Some(v),
        Outcome::Done | Outcome::NotLeader { .. } => None,
    }
}

/// The events of a run, in order, with an index from message numbers to their sends, and the
/// rules the nodes applied (kept beside the events: no part of them, nor of the trace's hash).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    events: Vec<Event>,
    /// `sends[msg]` is the id of message `msg`'s `Send` event.
    sends: Vec<EventId>,
    /// The rules applied in each step, by the step's event (non-decreasing).
    step_rules: Rules,
    /// The rules that decided a message, by its `Send` event (non-decreasing).
    message_rules: Rules,
}

/// Rules by event id, in event order: two parallel vectors, so that one event's rules are a slice.
#[derive(Clone, Debug, Default)]
struct Rules {
    events: Vec<EventId>,
    rules: Vec<Rule>,
}

impl Rules {
    fn push(&mut self, event: EventId, rule: Rule) {
        debug_assert!(self.events.last().is_none_or(|&last| last <= event), "rules come in event order");
        self.events.push(event);
        self.rules.push(rule);
    }

    fn of(&self, event: EventId) -> &[Rule] {
        let start = self.events.partition_point(|&e| e < event);
        let end = start + self.events[start..].partition_point(|&e| e == event);
        &self.rules[start..end]
    }

    fn truncate(&mut self, len: usize) {
        let keep = self.events.partition_point(|&e| e < len as EventId);
        self.events.truncate(keep);
        self.rules.truncate(keep);
    }

    fn iter(&self) -> impl Iterator<Item = (EventId, &Rule)> {
        self.events.iter().copied().zip(&self.rules)
    }
}

impl Trace {
    /// Appends an event and returns its id.
    pub fn push(&mut self, event: Event) -> EventId {
        let id = self.events.len() as EventId;
        if let EventKind::Send { msg, .. } = event.kind {
            debug_assert_eq!(msg as usize, self.sends.len(), "messages are numbered in send order");
            self.sends.push(id);
        }
        self.events.push(event);
        id
    }

    /// Records that a node applied `rule` in the step started by event `cause`.
    pub fn explain(&mut self, cause: EventId, rule: Rule) {
        self.step_rules.push(cause, rule);
    }

    /// Records that `rule` decided the message whose `Send` is event `send`.
    pub fn explain_message(&mut self, send: EventId, rule: Rule) {
        self.message_rules.push(send, rule);
    }

    /// The rules nodes applied in the step started by event `event` (a delivery, a timeout, a
    /// client's request…), in the order they applied them; none for other events.
    pub fn rules(&self, event: EventId) -> &[Rule] {
        self.step_rules.of(event)
    }

    /// The rules that decided the message sent at event `send` (a `Send` event): why this `Nack`,
    /// this `Vote` denied. Each of them is also among the [`Trace::rules`] of the step that sent it.
    pub fn message_rules(&self, send: EventId) -> &[Rule] {
        self.message_rules.of(send)
    }

    /// The rules that decided message `msg` (by its number, as [`Trace::send_of`] finds it).
    pub fn rules_of_message(&self, msg: MsgId) -> &[Rule] {
        self.send_of(msg).map_or(&[], |send| self.message_rules(send))
    }

    /// The bytes the rules take (each with its event id), for the run's memory estimate.
    pub fn rules_bytes(&self) -> u64 {
        let each = (std::mem::size_of::<EventId>() + std::mem::size_of::<Rule>()) as u64;
        (self.step_rules.rules.len() + self.message_rules.rules.len()) as u64 * each
    }

    /// Every (step event, rule), in event order.
    pub fn all_rules(&self) -> impl Iterator<Item = (EventId, &Rule)> {
        self.step_rules.iter()
    }

    /// Every event, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The event with this id.
    pub fn get(&self, id: EventId) -> Option<&Event> {
        self.events.get(usize::try_from(id).ok()?)
    }

    /// The `Send` event of message `msg`.
    pub fn send_of(&self, msg: MsgId) -> Option<EventId> {
        self.sends.get(msg as usize).copied()
    }

    /// The id of the first event at or after `time` (the trace's length if none).
    pub fn first_at(&self, time: Time) -> EventId {
        self.events.partition_point(|e| e.time < time) as EventId
    }

    /// Forgets every event from `len` on (when a person acts in the past and starts a branch).
    pub fn truncate(&mut self, len: usize) {
        self.events.truncate(len);
        let sends = self.events.iter().filter(|e| matches!(e.kind, EventKind::Send { .. })).count();
        self.sends.truncate(sends);
        self.step_rules.truncate(len);
        self.message_rules.truncate(len);
    }

    /// The trace of a run of `nodes` nodes as JSON lines, one per event (`docs/formats.md`): what
    /// `paxos run --trace` writes and the playground exports.
    pub fn json_lines(&self, nodes: u8) -> impl Iterator<Item = String> + '_ {
        self.events.iter().enumerate().map(move |(id, event)| event_json(id as EventId, event, nodes))
    }

    /// The FNV-1a 64-bit hash of the canonical encoding of every event: equal traces, equal hashes,
    /// on every platform.
    pub fn hash(&self) -> u64 {
        self.hash_prefix(self.events.len())
    }

    /// The hash of the first `len` events, as [`Trace::hash`] of a trace that held only them.
    pub fn hash_prefix(&self, len: usize) -> u64 {
        let mut hasher = Fnv1a::default();
        let mut buffer = Vec::with_capacity(32);
        for event in &self.events[..len.min(self.events.len())] {
            buffer.clear();
            event.encode(&mut buffer);
            hasher.write(&buffer);
        }
        hasher.finish()
    }
}

/// FNV-1a, 64 bits: tiny, and defined byte by byte, so no platform can disagree.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(0xCBF2_9CE4_8422_2325)
    }
}

impl Fnv1a {
    /// Hashes more bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01B3);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// One event in words, e.g. `n1 → n2 Prepare 1.1 slot 0 (m12)`; deliveries and drops name what
/// was sent, so a line reads on its own.
pub fn describe(trace: &Trace, event: &Event) -> String {
    let message = |msg: MsgId| match trace.send_of(msg).and_then(|id| trace.get(id)).map(|e| e.kind) {
        Some(EventKind::Send { from, to, kind, .. }) => format!("{from} → {to} {} (m{msg})", kind.name()),
        _ => format!("m{msg}"),
    };
    match event.kind {
        EventKind::Send { msg, from, to, kind, ballot, slot } => match kind {
            MsgKind::Request | MsgKind::Reply => format!("{from} → {to} {} #{slot} (m{msg})", kind.name()),
            _ if ballot == Ballot::ZERO => format!("{from} → {to} {} slot {slot} (m{msg})", kind.name()),
            _ => format!("{from} → {to} {} {ballot} slot {slot} (m{msg})", kind.name()),
        },
        EventKind::Deliver { msg } => format!("delivered: {}", message(msg)),
        EventKind::Drop { msg, cause } => format!("dropped ({}): {}", cause.name(), message(msg)),
        EventKind::Duplicate { msg, copy } => format!("duplicated m{msg} as m{copy}"),
        EventKind::Timeout { node } => format!("{} times out", NodeName(node)),
        EventKind::Crash { node } => format!("{} crashes", NodeName(node)),
        EventKind::Restart { node } => format!("{} restarts from its disk", NodeName(node)),
        EventKind::Pause { node } => format!("{} pauses", NodeName(node)),
        EventKind::Resume { node } => format!("{} resumes", NodeName(node)),
        EventKind::Partition { islands } if islands.is_whole() => "the network is whole again".to_string(),
        EventKind::Partition { islands } => {
            let mut groups: Vec<Vec<String>> = Vec::new();
            for node in 0..paxos_core::MAX_NODES as NodeId {
                let island = islands.of(node) as usize;
                if groups.len() <= island {
                    groups.resize(island + 1, Vec::new());
                }
                groups[island].push(NodeName(node).to_string());
            }
            let groups: Vec<String> = groups.into_iter().filter(|g| !g.is_empty()).map(|g| g.join(" ")).collect();
            format!("partition: {}", groups.join(" | "))
        }
        EventKind::Cut { from, to } => format!("link {} → {} cut", NodeName(from), NodeName(to)),
        EventKind::Repair { from, to } => format!("link {} → {} repaired", NodeName(from), NodeName(to)),
        EventKind::Weather { loss, duplication } => {
            format!("loss {}/{}, duplication {}/{}", loss.0, loss.1, duplication.0, duplication.1)
        }
        EventKind::Invoke { client, seq, op } => format!("c{} invokes #{seq}: {op}", client + 1),
        EventKind::Return { client, seq, value: Some(v) } => format!("c{} gets {v} for #{seq}", client + 1),
        EventKind::Return { client, seq, value: None } => format!("c{} gets ok for #{seq}", client + 1),
        EventKind::Role { node, role, ballot } if ballot == Ballot::ZERO => {
            format!("{} is now {}", NodeName(node), role.name())
        }
        EventKind::Role { node, role, ballot } => {
            format!("{} is now {} at ballot {ballot}", NodeName(node), role.name())
        }
        EventKind::Decide { node, slot } => format!("{} learns slot {slot}", NodeName(node)),
    }
}

/// One event of a run of `nodes` nodes as a line of JSON (see `docs/formats.md`).
pub fn event_json(id: EventId, event: &Event, nodes: u8) -> String {
    let ballot = |b: Ballot| if b == Ballot::ZERO { Json::Null } else { [b.round, u32::from(b.node) + 1].to_value() };
    let node = |n: NodeId| json_string(&NodeName(n).to_string());
    let kind = |name: &str| ("type", json_string(name));
    let fields = match event.kind {
        EventKind::Send { msg, from, to, kind: k, ballot: b, slot } => vec![
            kind("send"),
            ("msg", msg.to_value()),
            ("from", json_string(&from.to_string())),
            ("to", json_string(&to.to_string())),
            ("kind", json_string(k.name())),
            ("ballot", ballot(b)),
            ("slot", slot.to_value()),
        ],
        EventKind::Deliver { msg } => vec![kind("deliver"), ("msg", msg.to_value())],
        EventKind::Drop { msg, cause } => {
            vec![kind("drop"), ("msg", msg.to_value()), ("cause", json_string(cause.name()))]
        }
        EventKind::Duplicate { msg, copy } => {
            vec![kind("duplicate"), ("msg", msg.to_value()), ("copy", copy.to_value())]
        }
        EventKind::Timeout { node: n } => vec![kind("timeout"), ("node", node(n))],
        EventKind::Crash { node: n } => vec![kind("crash"), ("node", node(n))],
        EventKind::Restart { node: n } => vec![kind("restart"), ("node", node(n))],
        EventKind::Pause { node: n } => vec![kind("pause"), ("node", node(n))],
        EventKind::Resume { node: n } => vec![kind("resume"), ("node", node(n))],
        EventKind::Partition { islands } => {
            let islands: Vec<u8> = (0..nodes).map(|n| islands.of(n)).collect();
            vec![kind("partition"), ("islands", islands.to_value())]
        }
        EventKind::Cut { from, to } => vec![kind("cut"), ("from", node(from)), ("to", node(to))],
        EventKind::Repair { from, to } => vec![kind("repair"), ("from", node(from)), ("to", node(to))],
        EventKind::Weather { loss, duplication } => vec![
            kind("weather"),
            ("loss", [loss.0, loss.1].to_value()),
            ("duplication", [duplication.0, duplication.1].to_value()),
        ],
        EventKind::Invoke { client, seq, op } => {
            let (f, key, value) = op_fields(op);
            vec![
                kind("invoke"),
                ("client", json_string(&format!("c{}", client + 1))),
                ("seq", seq.to_value()),
                ("f", json_string(["get", "set", "inc"][f as usize])),
                ("key", json_string(&key_name(key).to_string())),
                ("value", json_number(value)),
            ]
        }
        EventKind::Return { client, seq, value } => vec![
            kind("return"),
            ("client", json_string(&format!("c{}", client + 1))),
            ("seq", seq.to_value()),
            ("value", json_number(value)),
        ],
        EventKind::Role { node: n, role, ballot: b } => {
            vec![kind("role"), ("node", node(n)), ("role", json_string(role.name())), ("ballot", ballot(b))]
        }
        EventKind::Decide { node: n, slot } => vec![kind("decide"), ("node", node(n)), ("slot", slot.to_value())],
    };
    json_object([("id", id.to_value()), ("time_us", event.time.to_value())].into_iter().chain(fields))
}

/// `{"key":value,…}` with the keys in byte order (as `serde_json`'s `Value` printed them, which
/// these lines were first written with), by `paxos-json`'s writer, the one that writes run files
/// too: serde_json's `Value` and its map stay out of the browser bundle.
pub(crate) fn json_object(fields: impl IntoIterator<Item = (&'static str, Json)>) -> String {
    let fields: VecMap<&str, Json> = fields.into_iter().collect();
    json::to_string(&Json::object(fields))
}

/// A string as JSON.
pub(crate) fn json_string(s: &str) -> Json {
    s.to_value()
}

/// A number, or `null`.
pub(crate) fn json_number(n: Option<i64>) -> Json {
    n.map_or(Json::Null, |n| Json::Number(n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trace of a long run lives in memory (and in the browser): keep events small.
    #[test]
    fn an_event_takes_32_bytes() {
        assert_eq!(core::mem::size_of::<Event>(), 32);
    }

    #[test]
    fn addresses_tell_nodes_from_clients() {
        assert_eq!(Addr::node(2).as_node(), Some(2));
        assert_eq!(Addr::client(3).as_client(), Some(3));
        assert_eq!(Addr::client(0).as_node(), None);
        assert_eq!(Addr::node(0).to_string(), "n1");
        assert_eq!(Addr::client(0).to_string(), "c1");
    }

    #[test]
    fn islands_pack_four_bits_per_node() {
        let islands = Islands::default().with(3, 2).with(15, 1);
        assert_eq!((islands.of(3), islands.of(15), islands.of(0)), (2, 1, 0));
        assert!(!islands.is_whole());
        assert!(islands.with(3, 0).with(15, 0).is_whole());
    }

    #[test]
    fn hash_depends_on_every_event() {
        let mut a = Trace::default();
        a.push(Event { time: 1, kind: EventKind::Crash { node: 0 } });
        let mut b = a.clone();
        assert_eq!(a.hash(), b.hash());
        b.push(Event { time: 2, kind: EventKind::Restart { node: 0 } });
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn descriptions_name_what_was_sent() {
        let mut trace = Trace::default();
        let kind = EventKind::Send {
            msg: 0,
            from: Addr::node(0),
            to: Addr::node(1),
            kind: MsgKind::Prepare,
            ballot: Ballot::new(1, 0),
            slot: 0,
        };
        trace.push(Event { time: 0, kind });
        let deliver = Event { time: 5, kind: EventKind::Deliver { msg: 0 } };
        assert_eq!(describe(&trace, &trace.events()[0]), "n1 → n2 Prepare 1.1 slot 0 (m0)");
        assert_eq!(describe(&trace, &deliver), "delivered: n1 → n2 Prepare (m0)");
    }

    /// The lines are what `serde_json`'s `Value` (which wrote them before) printed, for every kind
    /// of event.
    #[test]
    fn json_lines_are_what_serde_json_printed() {
        use paxos_core::{Op, Role};
        use serde_json::json;
        fn by_value(id: EventId, event: &Event, nodes: u8) -> String {
            let ballot =
                |b: Ballot| if b == Ballot::ZERO { serde_json::Value::Null } else { json!([b.round, b.node + 1]) };
            let node = |n: NodeId| format!("n{}", n + 1);
            let mut line = json!({ "id": id, "time_us": event.time });
            let fields = match event.kind {
                EventKind::Send { msg, from, to, kind, ballot: b, slot } => json!({
                    "type": "send", "msg": msg, "from": from.to_string(), "to": to.to_string(),
                    "kind": kind.name(), "ballot": ballot(b), "slot": slot,
                }),
                EventKind::Deliver { msg } => json!({ "type": "deliver", "msg": msg }),
                EventKind::Drop { msg, cause } => json!({ "type": "drop", "msg": msg, "cause": cause.name() }),
                EventKind::Duplicate { msg, copy } => json!({ "type": "duplicate", "msg": msg, "copy": copy }),
                EventKind::Timeout { node: n } => json!({ "type": "timeout", "node": node(n) }),
                EventKind::Crash { node: n } => json!({ "type": "crash", "node": node(n) }),
                EventKind::Restart { node: n } => json!({ "type": "restart", "node": node(n) }),
                EventKind::Pause { node: n } => json!({ "type": "pause", "node": node(n) }),
                EventKind::Resume { node: n } => json!({ "type": "resume", "node": node(n) }),
                EventKind::Partition { islands } => {
                    let islands: Vec<u8> = (0..nodes).map(|n| islands.of(n)).collect();
                    json!({ "type": "partition", "islands": islands })
                }
                EventKind::Cut { from, to } => json!({ "type": "cut", "from": node(from), "to": node(to) }),
                EventKind::Repair { from, to } => json!({ "type": "repair", "from": node(from), "to": node(to) }),
                EventKind::Weather { loss, duplication } => json!({
                    "type": "weather", "loss": [loss.0, loss.1], "duplication": [duplication.0, duplication.1],
                }),
                EventKind::Invoke { client, seq, op } => {
                    let (f, key, value) = op_fields(op);
                    let f = ["get", "set", "inc"][f as usize];
                    json!({
                        "type": "invoke", "client": format!("c{}", client + 1), "seq": seq,
                        "f": f, "key": key_name(key).to_string(), "value": value,
                    })
                }
                EventKind::Return { client, seq, value } => json!({
                    "type": "return", "client": format!("c{}", client + 1), "seq": seq, "value": value,
                }),
                EventKind::Role { node: n, role, ballot: b } => json!({
                    "type": "role", "node": node(n), "role": role.name(), "ballot": ballot(b),
                }),
                EventKind::Decide { node: n, slot } => json!({ "type": "decide", "node": node(n), "slot": slot }),
            };
            if let (Some(line), serde_json::Value::Object(fields)) = (line.as_object_mut(), fields) {
                line.extend(fields);
            }
            line.to_string()
        }
        let b = Ballot::new(3, 1);
        let kinds = [
            EventKind::Send {
                msg: 9,
                from: Addr::client(2),
                to: Addr::node(1),
                kind: MsgKind::Prepare,
                ballot: b,
                slot: 4,
            },
            EventKind::Send {
                msg: 9,
                from: Addr::node(0),
                to: Addr::node(4),
                kind: MsgKind::Request,
                ballot: Ballot::ZERO,
                slot: 0,
            },
            EventKind::Deliver { msg: u32::MAX },
            EventKind::Drop { msg: 3, cause: DropCause::Loss },
            EventKind::Duplicate { msg: 3, copy: 12 },
            EventKind::Timeout { node: 0 },
            EventKind::Crash { node: 1 },
            EventKind::Restart { node: 2 },
            EventKind::Pause { node: 3 },
            EventKind::Resume { node: 4 },
            EventKind::Partition { islands: Islands::default().with(1, 2).with(4, 1) },
            EventKind::Cut { from: 1, to: 3 },
            EventKind::Repair { from: 3, to: 1 },
            EventKind::Weather { loss: (1, 10), duplication: (0, 1) },
            EventKind::Invoke { client: 0, seq: 1, op: Op::Get(0) },
            EventKind::Invoke { client: 7, seq: 22, op: Op::Set(30, -5) },
            EventKind::Invoke { client: 3, seq: 2, op: Op::Inc(2, i64::MAX) },
            EventKind::Return { client: 2, seq: 5, value: Some(i64::MIN) },
            EventKind::Return { client: 2, seq: 6, value: None },
            EventKind::Role { node: 2, role: Role::Leader, ballot: b },
            EventKind::Role { node: 2, role: Role::Follower, ballot: Ballot::ZERO },
            EventKind::Decide { node: 1, slot: 77 },
        ];
        for (id, kind) in kinds.into_iter().enumerate() {
            let event = Event { time: 1_000_000 + id as u64, kind };
            assert_eq!(event_json(id as u64, &event, 5), by_value(id as u64, &event, 5));
        }
    }

    #[test]
    fn json_lines_name_nodes_one_based() {
        let line = event_json(7, &Event { time: 5, kind: EventKind::Crash { node: 0 } }, 3);
        assert_eq!(line, r#"{"id":7,"node":"n1","time_us":5,"type":"crash"}"#);
        let islands = Islands::default().with(2, 1);
        let line = event_json(8, &Event { time: 6, kind: EventKind::Partition { islands } }, 3);
        assert_eq!(line, r#"{"id":8,"islands":[0,0,1],"time_us":6,"type":"partition"}"#);
    }
}
