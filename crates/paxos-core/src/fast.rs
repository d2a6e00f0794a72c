//! Fast Paxos (seed 001): proposers send phase 2 straight to the acceptors in a fast round.
//!
//! Skeleton: issue 4 replaces it with the protocol. It answers every client "not the leader".

use alloc::vec::Vec;

use crate::config::Config;
use crate::log::DecidedLog;
use crate::machine::Machine;
use crate::types::{Ballot, NodeId, Outcome, Reply};
use crate::{Input, Label, MsgKind, Output, Role, SlotView, View};

/// A message of this protocol.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Message {}

impl crate::Message for Message {
    fn label(&self) -> Label {
        match *self {}
    }
}

/// One durable write.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Write {}

/// What a node keeps on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Durable {
    /// Decided values.
    pub decided: DecidedLog,
}

impl crate::Durable for Durable {
    type Write = Write;

    fn apply(&mut self, write: &Write) {
        match *write {}
    }
}

/// A node of this protocol.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    durable: Durable,
    machine: Machine,
}

impl crate::Protocol for Node {
    type Message = Message;
    type Durable = Durable;

    fn new(config: Config, id: NodeId, _seed: u64) -> Node {
        Node { id, durable: Durable::default(), machine: Machine::new(None, config.bugs) }
    }

    fn step(&mut self, input: Input<Message, Durable>, out: &mut Vec<Output<Message, Write>>) {
        if let Input::Request(command) = input {
            let outcome = Outcome::NotLeader { hint: None };
            out.push(Output::Reply(Reply { client: command.client, seq: command.seq, outcome }));
        }
    }

    fn view(&self) -> View<'_> {
        View {
            id: self.id,
            role: Role::Follower,
            leader: None,
            ballot: Ballot::ZERO,
            promised: Ballot::ZERO,
            decided: &self.durable.decided,
            store: self.machine.store(),
            applied: self.machine.applied(),
        }
    }

    fn acceptor_slots(&self) -> Vec<SlotView> {
        let _ = MsgKind::Prepare;
        Vec::new()
    }
}
