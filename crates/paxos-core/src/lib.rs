//! Paxos as sans-IO state machines.
//!
//! A node never reads a clock, touches a socket or draws a random number of its own. It is a value
//! with one mutating entry point, [`Protocol::step`], which takes an [`Input`] (a tick of logical time,
//! a message from another node, a client's request, or the durable state to recover from after a
//! crash) and appends [`Output`]s to a buffer the caller owns:
//!
//! ```text
//!             Input::{Tick, Timeout, Message, Request, Recover}
//!                                  │
//!                                  ▼
//!                       ┌─────────────────────┐
//!                       │  node.step(input)   │   state: role, ballots, log, store
//!                       └─────────────────────┘
//!                                  │
//!      Output::{Persist, Send, Decided, Reply, Explain}  (appended to the caller's Vec)
//! ```
//!
//! The driver (the simulator, a test, a real server) must make every [`Output::Persist`] of a step
//! durable before it lets any [`Output::Send`] of the same step leave: a promise or a vote that was
//! announced must survive a crash.
//!
//! Protocols:
//! - [`basic`]: single-decree Paxos as in the seeds — proposers, acceptors (`last_rnd`, `v`,
//!   `vrnd`) and learners — run once per slot of a log, with no leader.
//! - [`multi`]: Multi-Paxos — an elected leader runs phase 1 once for all slots, then each command
//!   costs one round trip (phase 2).
//! - [`fast`]: Fast Paxos — proposers write straight to the acceptors in a fast round; a collision
//!   falls back to a classic round.
//! - [`raft`]: Raft — terms, votes, and a leader's log replicated with AppendEntries.
//! - [`primary_backup`] and [`majority`]: the replication schemes of seed 001 that are *not*
//!   consensus, kept as teaching foils: the checkers catch each failing the way the seed tells.
//!
//! Where does an acceptor handle `Prepare`? [`basic::Node`]'s `on_prepare` and
//! [`multi::Replica`]'s `on_prepare`, each in its protocol's one `match` over messages.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod basic;
pub mod config;
pub mod explain;
pub mod fast;
pub mod kv;
pub mod log;
pub mod machine;
pub mod majority;
pub mod multi;
pub mod primary_backup;
pub mod raft;
pub mod rng;
pub mod slots;
pub mod types;
pub mod vec_map;

use alloc::vec::Vec;
use core::fmt::{Debug, Display};

pub use config::{Bug, Bugs, Config, Scheme, Timing, fast_quorum_of, majority_of};
pub use explain::{Rule, ValueId};
pub use kv::Store;
pub use log::{Committed, DecidedLog};
pub use rng::{Prng, Ratio};
pub use types::{
    Ballot, ClientId, Command, Key, MAX_NODES, NodeId, NodeName, NodeSet, NotANodeName, Op, Outcome, Reply, Seq, Slot,
    Value, key_name,
};

/// What a node reacts to.
#[derive(Clone, Debug)]
pub enum Input<M, D> {
    /// One unit of logical time has passed.
    Tick,
    /// Act as if the node's timeout had just expired (a person forcing an election).
    Timeout,
    /// A message from another node.
    Message {
        /// The sender.
        from: NodeId,
        /// What it sent.
        msg: M,
    },
    /// A client's request.
    Request(Command),
    /// The node restarts after a crash with only what it had made durable.
    Recover(D),
}

/// What a node asks its driver to do.
#[derive(Clone, Debug)]
pub enum Output<M, W> {
    /// Send `msg` to node `to` (never to the sender itself).
    Send {
        /// The receiver.
        to: NodeId,
        /// The message.
        msg: M,
    },
    /// Make this write durable before any `Send` of the same step leaves.
    Persist(W),
    /// The node learned that `slot` holds `value`.
    Decided {
        /// The slot.
        slot: Slot,
        /// Its value.
        value: Value,
    },
    /// Answer a client.
    Reply(Reply),
    /// Why the node decided what it did in this step (only from a node asked to explain itself:
    /// [`Protocol::set_explain`]). Changes nothing: a driver may drop it. Directly before a `Send`
    /// to the node [`Rule::answered`] names, it explains that message too.
    Explain(Rule),
}

/// The messages a node sends to itself (a proposer to its own acceptor): they never go on the
/// network; the node handles them before its step returns.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Loopback<M>(alloc::collections::VecDeque<M>);

impl<M> Loopback<M> {
    /// None waiting.
    pub const fn new() -> Self {
        Loopback(alloc::collections::VecDeque::new())
    }

    /// Sends `msg` from node `me` to node `to`: queued here if `to` is `me`, out to the driver otherwise.
    pub fn send<W>(&mut self, me: NodeId, to: NodeId, msg: M, out: &mut Vec<Output<M, W>>) {
        if to == me {
            self.0.push_back(msg);
        } else {
            out.push(Output::Send { to, msg });
        }
    }

    /// The next message to handle, oldest first.
    pub fn pop(&mut self) -> Option<M> {
        self.0.pop_front()
    }
}

impl<M> Default for Loopback<M> {
    fn default() -> Self {
        Loopback::new()
    }
}

impl<M: Debug> Debug for Loopback<M> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

/// The durable state of a node: what survives a crash. The driver keeps one per node, applies each
/// [`Output::Persist`] to it, and hands it back with [`Input::Recover`] on restart.
pub trait Durable: Clone + Debug + Default {
    /// One durable write.
    type Write: Clone + Debug;
    /// Applies a write.
    fn apply(&mut self, write: &Self::Write);
}

/// A protocol's node: the sans-IO state machine the driver steps.
pub trait Protocol: Clone + Debug {
    /// What nodes send each other.
    type Message: Message;
    /// What survives a crash.
    type Durable: Durable;

    /// A fresh node `id` of a cluster with `config`, whose randomized timeouts draw from a generator
    /// seeded with `seed`.
    fn new(config: Config, id: NodeId, seed: u64) -> Self;

    /// Reacts to `input`, appending what the node wants done to `out`.
    fn step(&mut self, input: Input<Self::Message, Self::Durable>, out: &mut Vec<Outputs<Self>>);

    /// Asks the node to report the rule behind each decision ([`Output::Explain`]) or, with `false`
    /// (the default), to report none. Behaviour is the same either way. Protocols that explain
    /// nothing ignore it.
    fn set_explain(&mut self, on: bool) {
        let _ = on;
    }

    /// A read-only picture of the node for checkers and the user interface. Cheap: no allocation.
    fn view(&self) -> View<'_>;

    /// The node's acceptor state for slots it has not seen decided, in slot order (for inspectors).
    fn acceptor_slots(&self) -> Vec<SlotView>;
}

/// The output type of protocol `P`.
pub type Outputs<P> = Output<<P as Protocol>::Message, <<P as Protocol>::Durable as Durable>::Write>;

/// A message between nodes; its `Display` is the payload in words (the kind, sender and receiver are
/// shown apart).
pub trait Message: Clone + Debug + Display {
    /// What the trace and the user interface show of it.
    fn label(&self) -> Label;
}

/// The kind of a message, across all protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum MsgKind {
    /// Phase 1a.
    Prepare,
    /// Phase 1b.
    Promise,
    /// Phase 2a.
    Accept,
    /// Phase 2b.
    Accepted,
    /// A rejection carrying the higher ballot the acceptor promised.
    Nack,
    /// "Don't elect anyone: the leader is alive" (seed 000).
    LeaderAlive,
    /// The leader's periodic "I am alive", with what it has decided.
    Heartbeat,
    /// A follower's answer to a heartbeat, with what it has decided.
    HeartbeatOk,
    /// Catching a lagging replica up: decided values (Multi-Paxos), or a learner's request for
    /// votes (Basic Paxos).
    Catchup,
    /// Votes an acceptor cast earlier, restated for a lagging learner.
    Votes,
    /// A checkpoint of the store, for a replica lagging behind a compacted log.
    Snapshot,
    /// A client request passed on to the leader.
    Forward,
    /// A client's request (client to node).
    Request,
    /// An answer to a client (node to client).
    Reply,
    /// Fast Paxos: a proposer's phase 2a sent straight to the acceptors in the fast round.
    FastAccept,
    /// Raft: a candidate asks for a vote.
    RequestVote,
    /// Raft: the answer to `RequestVote`.
    Vote,
    /// Raft: the leader's log entries (none: a heartbeat).
    AppendEntries,
    /// Raft: the answer to `AppendEntries`.
    AppendOk,
    /// Primary–backup: the primary sends a write to a backup.
    Replicate,
    /// Primary–backup: a backup acknowledges a write.
    Ack,
    /// Majority read/write: read a key from a replica.
    Read,
    /// Majority read/write: a replica's answer to `Read`.
    ReadReply,
    /// Majority read/write: write a key at a replica.
    Write,
    /// Majority read/write: a replica's answer to `Write`.
    WriteAck,
}

impl MsgKind {
    /// Every kind, in tag order.
    pub const ALL: [MsgKind; 25] = [
        MsgKind::Prepare,
        MsgKind::Promise,
        MsgKind::Accept,
        MsgKind::Accepted,
        MsgKind::Nack,
        MsgKind::LeaderAlive,
        MsgKind::Heartbeat,
        MsgKind::HeartbeatOk,
        MsgKind::Catchup,
        MsgKind::Votes,
        MsgKind::Snapshot,
        MsgKind::Forward,
        MsgKind::Request,
        MsgKind::Reply,
        MsgKind::FastAccept,
        MsgKind::RequestVote,
        MsgKind::Vote,
        MsgKind::AppendEntries,
        MsgKind::AppendOk,
        MsgKind::Replicate,
        MsgKind::Ack,
        MsgKind::Read,
        MsgKind::ReadReply,
        MsgKind::Write,
        MsgKind::WriteAck,
    ];

    /// The name people see.
    pub const fn name(self) -> &'static str {
        match self {
            MsgKind::Prepare => "Prepare",
            MsgKind::Promise => "Promise",
            MsgKind::Accept => "Accept",
            MsgKind::Accepted => "Accepted",
            MsgKind::Nack => "Nack",
            MsgKind::LeaderAlive => "LeaderAlive",
            MsgKind::Heartbeat => "Heartbeat",
            MsgKind::HeartbeatOk => "HeartbeatOk",
            MsgKind::Catchup => "Catchup",
            MsgKind::Votes => "Votes",
            MsgKind::Snapshot => "Snapshot",
            MsgKind::FastAccept => "FastAccept",
            MsgKind::RequestVote => "RequestVote",
            MsgKind::Vote => "Vote",
            MsgKind::AppendEntries => "AppendEntries",
            MsgKind::AppendOk => "AppendOk",
            MsgKind::Replicate => "Replicate",
            MsgKind::Ack => "Ack",
            MsgKind::Read => "Read",
            MsgKind::ReadReply => "ReadReply",
            MsgKind::Write => "Write",
            MsgKind::WriteAck => "WriteAck",
            MsgKind::Forward => "Forward",
            MsgKind::Request => "Request",
            MsgKind::Reply => "Reply",
        }
    }

    /// The kind with this tag.
    pub fn from_tag(tag: u8) -> Option<MsgKind> {
        MsgKind::ALL.get(tag as usize).copied()
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<MsgKind> {
        MsgKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A message's kind with the ballot and slot it concerns (zero where it has none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// What kind of message.
    pub kind: MsgKind,
    /// Its ballot.
    pub ballot: Ballot,
    /// Its slot (for Multi-Paxos phase 1, the first slot it covers; for catch-up, the first value's).
    pub slot: Slot,
}

/// What part a node plays right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Role {
    /// Multi-Paxos: follows a leader.
    Follower,
    /// Multi-Paxos: running phase 1 to become leader.
    Candidate,
    /// Multi-Paxos: phase 1 done; proposes directly in phase 2.
    Leader,
    /// Basic Paxos: running a proposal.
    Proposer,
    /// Basic Paxos: votes, and is not proposing now.
    Acceptor,
    /// Basic Paxos: only learns.
    Learner,
    /// Primary–backup: takes the writes and sends them to the backups.
    Primary,
    /// Primary–backup: keeps a copy.
    Backup,
    /// Majority read/write: a replica a client reads from and writes to.
    Replica,
}

impl Role {
    /// Every role, in tag order.
    pub const ALL: [Role; 9] = [
        Role::Follower,
        Role::Candidate,
        Role::Leader,
        Role::Proposer,
        Role::Acceptor,
        Role::Learner,
        Role::Primary,
        Role::Backup,
        Role::Replica,
    ];

    /// The name people see.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
            Role::Proposer => "proposer",
            Role::Acceptor => "acceptor",
            Role::Learner => "learner",
            Role::Primary => "primary",
            Role::Backup => "backup",
            Role::Replica => "replica",
        }
    }

    /// The role with this tag.
    pub fn from_tag(tag: u8) -> Option<Role> {
        Role::ALL.get(tag as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_of_kinds_and_roles_agree_with_their_tags() {
        for (i, kind) in MsgKind::ALL.into_iter().enumerate() {
            assert_eq!((kind as usize, MsgKind::from_name(kind.name())), (i, Some(kind)));
        }
        for (i, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, i);
        }
    }

    #[test]
    fn node_names_are_one_based_and_read_back() {
        use alloc::string::ToString;
        assert_eq!(NodeName(0).to_string(), "n1");
        for n in 0..MAX_NODES as NodeId {
            assert_eq!(NodeName(n).to_string().parse::<NodeName>(), Ok(NodeName(n)));
        }
        assert_eq!(NodeSet::first(3).to_string(), "{n1, n2, n3}");
        let err = "n0".parse::<NodeName>().unwrap_err();
        assert_eq!(err.to_string(), "'n0' is not a node name (expected n1, n2, …)");
        assert!("x1".parse::<NodeName>().is_err() && "n".parse::<NodeName>().is_err());
    }
}

/// An acceptor's state for one slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotView {
    /// The slot.
    pub slot: Slot,
    /// The highest ballot promised for this slot (`last_rnd`).
    pub promised: Ballot,
    /// The ballot of the accepted value (`vrnd`), with the value (`v`), if any.
    pub accepted: Option<(Ballot, Value)>,
}

/// A read-only picture of a node.
#[derive(Clone, Debug)]
pub struct View<'a> {
    /// The node.
    pub id: NodeId,
    /// Its role now.
    pub role: Role,
    /// The leader it follows, if it knows one.
    pub leader: Option<NodeId>,
    /// The ballot it proposes or leads with ([`Ballot::ZERO`] if none).
    pub ballot: Ballot,
    /// The highest ballot it has promised (for Basic Paxos, over all slots).
    pub promised: Ballot,
    /// What it has learned (for Raft, its log up to the commit index).
    pub decided: &'a dyn Committed,
    /// Its copy of the store.
    pub store: &'a Store,
    /// Slots `0..applied` are applied to the store.
    pub applied: Slot,
}
