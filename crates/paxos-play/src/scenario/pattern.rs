//! [`Pattern`]: what a caption's event looks like, and how it is found in a trace.
//!
//! A pattern describes an event (`{"type": "send", "kind": "Prepare", "from": "n1"}`), or names one
//! exactly by its number in the trace (`{"id": 123}`): what a caption written in the playground is
//! tied to, since its author pointed at that very event. An exact pattern stands alone.

use core::fmt;

use paxos_core::{Ballot, Role, Slot};
use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{ClientName, KindName, NodeName};
use paxos_sim::trace::{Addr, Event, EventId, EventKind, Trace};

/// The event types a pattern can name (`"type"`), as the trace's JSON names them.
pub const EVENT_TYPES: [&str; 17] = [
    "send",
    "deliver",
    "drop",
    "duplicate",
    "timeout",
    "crash",
    "restart",
    "pause",
    "resume",
    "partition",
    "cut",
    "repair",
    "weather",
    "invoke",
    "return",
    "role",
    "decide",
];

/// What a caption's event looks like; every field given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    /// Exactly this event of the trace (its number, from 0); no other field is given with it.
    pub id: Option<EventId>,
    /// The event's type (`"type"` in files) as in the trace's JSON: `send`, `deliver`, `drop`, `role`, `decide`,
    /// `invoke`, `return`, `timeout`, `crash`, `restart`, `pause`, `resume`, `partition`, …
    pub event: Option<String>,
    /// For a send, delivery or drop: the message's kind.
    pub kind: Option<KindName>,
    /// For a send, delivery or drop: the sender (`n1`, or a client `c1`).
    pub from: Option<String>,
    /// For a send, delivery or drop: the receiver.
    pub to: Option<String>,
    /// For node events (role, decide, crash, …): the node.
    pub node: Option<NodeName>,
    /// For a role change: the new role (`leader`, `candidate`, …).
    pub role: Option<String>,
    /// For a message or a decision: the slot (for client requests and replies: the request number).
    pub slot: Option<Slot>,
    /// For a message or a role change: the ballot, `[round, node number]`.
    pub ballot: Option<[u32; 2]>,
    /// For an invocation or a return: the client.
    pub client: Option<ClientName>,
    /// Not before this time, ms.
    pub after_ms: Option<u64>,
    /// Which match (1 = the first).
    pub nth: Option<u32>,
}

impl FromJson for Pattern {
    fn from_value(value: &Json) -> Result<Pattern, Error> {
        let pattern = Fields::read(value, |o| {
            Ok(Pattern {
                id: o.opt("id")?,
                event: o.opt("type")?,
                kind: o.opt("kind")?,
                from: o.opt("from")?,
                to: o.opt("to")?,
                node: o.opt("node")?,
                role: o.opt("role")?,
                slot: o.opt("slot")?,
                ballot: o.opt("ballot")?,
                client: o.opt("client")?,
                after_ms: o.opt("after_ms")?,
                nth: o.opt("nth")?,
            })
        })?;
        // Mistakes a file can hold whatever the run: each named at its field.
        if pattern.id.is_some() && pattern != Pattern::at(pattern.id.unwrap_or(0)) {
            return Err(Error::new("an exact event stands alone: give \"id\" or the other fields, not both"));
        }
        if let Some(event) = &pattern.event
            && !EVENT_TYPES.contains(&event.as_str())
        {
            return Err(Error::new(format!("'{event}' is not an event type")).in_field("type"));
        }
        if let Some(role) = &pattern.role
            && !Role::ALL.iter().any(|r| r.name() == role)
        {
            return Err(Error::new(format!("'{role}' is not a role")).in_field("role"));
        }
        if pattern.nth == Some(0) {
            return Err(Error::new("nth counts from 1").in_field("nth"));
        }
        Ok(pattern)
    }
}

/// Every field, `null` where not given: how a caption that matches nothing names its pattern (see
/// [`Pattern::to_file`] for the form a scenario file holds).
impl ToJson for Pattern {
    fn to_value(&self) -> Json {
        let fields = [
            ("type", self.event.to_value()),
            ("kind", self.kind.to_value()),
            ("from", self.from.to_value()),
            ("to", self.to.to_value()),
            ("node", self.node.to_value()),
            ("role", self.role.to_value()),
            ("slot", self.slot.to_value()),
            ("ballot", self.ballot.to_value()),
            ("client", self.client.to_value()),
            ("after_ms", self.after_ms.to_value()),
            ("nth", self.nth.to_value()),
        ];
        // `id` only when given, so that the other patterns print as they always have.
        Json::object(self.id.map(|id| ("id", id.to_value())).into_iter().chain(fields))
    }
}

/// The fields of an event a pattern can test (a delivery or drop takes them from its send).
struct Facts {
    event: &'static str,
    kind: Option<paxos_core::MsgKind>,
    from: Option<Addr>,
    to: Option<Addr>,
    node: Option<u8>,
    role: Option<Role>,
    slot: Option<Slot>,
    ballot: Option<Ballot>,
    client: Option<u16>,
}

fn facts(trace: &Trace, event: &Event) -> Facts {
    let mut f = Facts {
        event: "",
        kind: None,
        from: None,
        to: None,
        node: None,
        role: None,
        slot: None,
        ballot: None,
        client: None,
    };
    let message = |f: &mut Facts, msg| {
        if let Some(EventKind::Send { from, to, kind, ballot, slot, .. }) =
            trace.send_of(msg).and_then(|id| trace.get(id)).map(|e| e.kind)
        {
            (f.kind, f.from, f.to, f.ballot, f.slot) = (Some(kind), Some(from), Some(to), Some(ballot), Some(slot));
        }
    };
    match event.kind {
        EventKind::Send { msg, .. } => {
            f.event = "send";
            message(&mut f, msg);
        }
        EventKind::Deliver { msg } => {
            f.event = "deliver";
            message(&mut f, msg);
        }
        EventKind::Drop { msg, .. } => {
            f.event = "drop";
            message(&mut f, msg);
        }
        EventKind::Duplicate { msg, .. } => {
            f.event = "duplicate";
            message(&mut f, msg);
        }
        EventKind::Timeout { node } => (f.event, f.node) = ("timeout", Some(node)),
        EventKind::Crash { node } => (f.event, f.node) = ("crash", Some(node)),
        EventKind::Restart { node } => (f.event, f.node) = ("restart", Some(node)),
        EventKind::Pause { node } => (f.event, f.node) = ("pause", Some(node)),
        EventKind::Resume { node } => (f.event, f.node) = ("resume", Some(node)),
        EventKind::Partition { .. } => f.event = "partition",
        EventKind::Cut { from, .. } => (f.event, f.node) = ("cut", Some(from)),
        EventKind::Repair { from, .. } => (f.event, f.node) = ("repair", Some(from)),
        EventKind::Weather { .. } => f.event = "weather",
        EventKind::Invoke { client, seq, .. } => (f.event, f.client, f.slot) = ("invoke", Some(client), Some(seq)),
        EventKind::Return { client, seq, .. } => (f.event, f.client, f.slot) = ("return", Some(client), Some(seq)),
        EventKind::Role { node, role, ballot } => {
            (f.event, f.node, f.role, f.ballot) = ("role", Some(node), Some(role), Some(ballot));
        }
        EventKind::Decide { node, slot } => (f.event, f.node, f.slot) = ("decide", Some(node), Some(slot)),
    }
    f
}

impl Pattern {
    /// The pattern as a scenario file writes it: only the fields given.
    pub fn to_file(&self) -> Json {
        let Json::Object(fields) = self.to_value() else { return Json::object([]) };
        Json::Object(fields.into_iter().filter(|(_, value)| *value != Json::Null).collect())
    }

    /// The pattern of exactly event `id` (`{"id": 123}`): a caption written in the playground.
    pub fn at(id: EventId) -> Pattern {
        Pattern { id: Some(id), ..Pattern::default() }
    }

    /// Whether event `id` of `trace` matches (an exact pattern: whether it is that event).
    pub fn matches(&self, trace: &Trace, id: EventId) -> bool {
        let Some(event) = trace.get(id) else { return false };
        if let Some(want) = self.id {
            return want == id;
        }
        let f = facts(trace, event);
        let addr = |want: &Option<String>, got: Option<Addr>| {
            want.as_ref().is_none_or(|w| got.is_some_and(|a| a.to_string() == *w))
        };
        self.event.as_ref().is_none_or(|e| e == f.event)
            && self.kind.is_none_or(|k| f.kind == Some(k.0))
            && addr(&self.from, f.from)
            && addr(&self.to, f.to)
            && self.node.is_none_or(|n| f.node == Some(n.0))
            && self.role.as_ref().is_none_or(|r| f.role.is_some_and(|role| role.name() == r))
            && self.slot.is_none_or(|s| f.slot == Some(s))
            && self
                .ballot
                .is_none_or(|[round, node]| f.ballot.is_some_and(|b| b.round == round && u32::from(b.node) + 1 == node))
            && self.client.is_none_or(|c| f.client == Some(c.0))
            && self.after_ms.is_none_or(|ms| event.time >= ms * 1_000)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&json::to_string(self))
    }
}
