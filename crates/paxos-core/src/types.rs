//! The vocabulary every protocol shares: nodes, ballots, slots, client commands and the values that
//! fill slots.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use core::fmt;
use core::str::FromStr;

/// The most nodes a cluster may have. Node sets are bitmasks, so this is also the width of [`NodeSet`].
pub const MAX_NODES: usize = 16;

/// A node of the cluster, `0..n`. Shown to people as `n1`, `n2`, … (one-based).
pub type NodeId = u8;

/// A node as people name it, in files and in words: `n1` is node 0. Its `Display` is the one place
/// a node's name is spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeName(pub NodeId);

impl fmt::Display for NodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", u16::from(self.0) + 1)
    }
}

impl FromStr for NodeName {
    type Err = NotANodeName;

    fn from_str(s: &str) -> Result<NodeName, NotANodeName> {
        let number = s.strip_prefix('n').and_then(|n| n.parse::<u8>().ok()).filter(|&n| n >= 1);
        number
            .map(|n| NodeName(n - 1))
            .ok_or_else(|| NotANodeName(format!("'{s}' is not a node name (expected n1, n2, …)")))
    }
}

/// Why a text is not a [`NodeName`], worded for the person who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotANodeName(pub String);

impl fmt::Display for NotANodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client of the cluster. Clients are not nodes: they only send requests and receive replies.
pub type ClientId = u16;

/// A client's request number. A client has at most one request outstanding and numbers them 1, 2, 3, …
pub type Seq = u32;

/// A position in the replicated log. Each slot is one instance of single-decree Paxos.
pub type Slot = u32;

/// A key of the replicated key-value store.
pub type Key = u8;

/// A set of nodes, as a bitmask (bit `i` is node `i`).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeSet(u16);

impl NodeSet {
    /// The empty set.
    pub const EMPTY: NodeSet = NodeSet(0);

    /// Nodes `0..n`.
    pub const fn first(n: u8) -> NodeSet {
        assert!(n as usize <= MAX_NODES);
        if n as usize == MAX_NODES { NodeSet(u16::MAX) } else { NodeSet((1u16 << n) - 1) }
    }

    /// The set holding just `node`.
    pub const fn single(node: NodeId) -> NodeSet {
        NodeSet(1 << node)
    }

    /// The set as its bitmask.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with this bitmask.
    pub const fn from_bits(bits: u16) -> NodeSet {
        NodeSet(bits)
    }

    /// Adds `node`; returns whether it was new.
    pub fn insert(&mut self, node: NodeId) -> bool {
        let new = !self.contains(node);
        self.0 |= 1 << node;
        new
    }

    /// Removes `node`.
    pub fn remove(&mut self, node: NodeId) {
        self.0 &= !(1 << node);
    }

    /// Whether `node` is in the set.
    pub const fn contains(self, node: NodeId) -> bool {
        (node as usize) < MAX_NODES && self.0 & (1 << node) != 0
    }

    /// How many nodes the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The nodes in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (0..MAX_NODES as u8).filter(move |&n| self.contains(n))
    }

    /// The smallest node of the set.
    pub fn min(self) -> Option<NodeId> {
        if self.0 == 0 { None } else { Some(self.0.trailing_zeros() as NodeId) }
    }
}

/// `{n1, n2, n3}`, as people number nodes.
impl fmt::Display for NodeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, n) in self.iter().enumerate() {
            write!(f, "{}{}", if i > 0 { ", " } else { "" }, NodeName(n))?;
        }
        f.write_str("}")
    }
}

impl fmt::Debug for NodeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A ballot (the seeds' "round number", `rnd`): a round and the node that owns it.
///
/// Ballots are ordered lexicographically by `(round, node)`, so two proposers can never pick the
/// same ballot: they differ in `node` (Paxos Made Simple, §2.5: "different proposers choose their
/// numbers from disjoint sets"). Round 0 is below every ballot a proposer ever uses, so
/// [`Ballot::ZERO`] means "nothing promised yet".
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ballot {
    /// Compared first.
    pub round: u32,
    /// Breaks ties between proposers using the same round.
    pub node: NodeId,
}

impl Ballot {
    /// Below every ballot in use: an acceptor that promised nothing has promised this.
    pub const ZERO: Ballot = Ballot { round: 0, node: 0 };

    /// A ballot.
    pub const fn new(round: u32, node: NodeId) -> Ballot {
        Ballot { round, node }
    }
}

/// `2.1` (round 2 of node n1), or `0` for [`Ballot::ZERO`].
impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Ballot::ZERO { f.write_str("0") } else { write!(f, "{}.{}", self.round, self.node + 1) }
    }
}

impl fmt::Debug for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An operation on the key-value store: the seed's register (`get`, `set n`, `inc n`) generalised
/// to keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    /// Reads the key (missing keys read as 0).
    Get(Key),
    /// Writes the key.
    Set(Key, i64),
    /// Adds to the key (wrapping) and returns the new value.
    Inc(Key, i64),
}

impl Op {
    /// The key the operation touches.
    pub const fn key(self) -> Key {
        match self {
            Op::Get(k) | Op::Set(k, _) | Op::Inc(k, _) => k,
        }
    }
}

/// Formats a key the way people see it: `a`…`z`, then `k26`, `k27`, …
pub fn key_name(key: Key) -> KeyName {
    KeyName(key)
}

/// See [`key_name`].
pub struct KeyName(Key);

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 26 { write!(f, "{}", (b'a' + self.0) as char) } else { write!(f, "k{}", self.0) }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Op::Get(k) => write!(f, "get {}", key_name(k)),
            Op::Set(k, v) => write!(f, "set {} {v}", key_name(k)),
            Op::Inc(k, n) => write!(f, "inc {} {n}", key_name(k)),
        }
    }
}

/// A client's request: what to do, and who asked, so that a retried request is applied once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Command {
    /// Who asked.
    pub client: ClientId,
    /// The client's request number; retries reuse it.
    pub seq: Seq,
    /// What to do.
    pub op: Op,
}

/// `c1#4 inc a 1`: the client (one-based), its request number, the operation.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}#{} {}", self.client + 1, self.seq, self.op)
    }
}

/// What fills a slot: a batch of client commands, or a no-op that a new leader uses to fill a hole.
///
/// Batches are immutable and shared (`Rc`), so copying a message never copies commands.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// Fills a slot without changing the store.
    Noop,
    /// Commands applied in order.
    Batch(Rc<[Command]>),
}

impl Value {
    /// A batch of commands (a no-op when empty).
    pub fn batch(commands: impl IntoIterator<Item = Command>) -> Value {
        let commands: Rc<[Command]> = commands.into_iter().collect();
        if commands.is_empty() { Value::Noop } else { Value::Batch(commands) }
    }

    /// The commands of the value (none for a no-op).
    pub fn commands(&self) -> &[Command] {
        match self {
            Value::Noop => &[],
            Value::Batch(commands) => commands,
        }
    }
}

/// `noop`, or the batch's commands: `[c1#4 inc a 1, c2#1 get b]`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Noop => f.write_str("noop"),
            Value::Batch(commands) => {
                f.write_str("[")?;
                for (i, c) in commands.iter().enumerate() {
                    write!(f, "{}{c}", if i > 0 { ", " } else { "" })?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The answer to a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The value read by `get`, or the new value after `inc`.
    Value(i64),
    /// A `set` took effect.
    Done,
    /// This node cannot serve the request; try `hint` (the leader it knows of), if any.
    NotLeader {
        /// Where the client should go next.
        hint: Option<NodeId>,
    },
}

/// `value 5`, `done`, `not leader (try n2)` or `not leader`.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Outcome::Value(v) => write!(f, "value {v}"),
            Outcome::Done => f.write_str("done"),
            Outcome::NotLeader { hint: Some(n) } => write!(f, "not leader (try {})", NodeName(n)),
            Outcome::NotLeader { hint: None } => f.write_str("not leader"),
        }
    }
}

/// A reply to a client's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    /// The client that asked.
    pub client: ClientId,
    /// The request this answers.
    pub seq: Seq,
    /// The answer.
    pub outcome: Outcome,
}

/// How many items of a list a message's text shows before saying how many more there are.
const LIST_SHOWN: usize = 3;

/// A list inside a message's text: the first [`LIST_SHOWN`] items, `; `-separated and each written by
/// `each`, then `… +N more` (`none` for no items), so the text stays short however long the list.
pub(crate) fn list<I, F>(items: I, each: F) -> List<I, F>
where
    I: Iterator + Clone,
    F: Fn(&mut fmt::Formatter<'_>, I::Item) -> fmt::Result,
{
    List(items, each)
}

/// See [`list`].
pub(crate) struct List<I, F>(I, F);

impl<I, F> fmt::Display for List<I, F>
where
    I: Iterator + Clone,
    F: Fn(&mut fmt::Formatter<'_>, I::Item) -> fmt::Result,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = self.0.clone();
        let Some(first) = items.next() else { return f.write_str("none") };
        (self.1)(f, first)?;
        for item in items.by_ref().take(LIST_SHOWN - 1) {
            f.write_str("; ")?;
            (self.1)(f, item)?;
        }
        match items.count() {
            0 => Ok(()),
            more => write!(f, "; … +{more} more"),
        }
    }
}
