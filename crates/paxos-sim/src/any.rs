//! Every protocol in one type, so that the simulator is compiled once for all of them.
//!
//! [`World`](crate::World), [`Run`](crate::Run) and the checkers are generic over the protocol.
//! [`simulate`](crate::simulate) picks the protocol at run time; were it to build a `Run` of each
//! protocol's own type, the whole simulator would be compiled once per protocol — six times in the
//! playground's WebAssembly. Instead it builds a `Run<AnyNode>`: [`AnyNode`] is an enum with one
//! variant per protocol, and it hands every step to the node inside, unchanged. Its messages
//! ([`AnyMessage`]) and durable state ([`AnyDurable`], [`AnyWrite`]) are enums of the same shape.
//! A run has one protocol, so the variants never mix.
//!
//! The protocols' own types still make a `Run` each (`Run<multi::Replica>`, …): the tests and
//! `paxos bench` use them, and a trace is the same either way (the golden hashes check it).

use core::fmt;

use paxos_core::{
    Config, Durable, Input, Label, Message, NodeId, Output, Outputs, Protocol, SlotView, View, basic, fast, majority,
    multi, primary_backup, raft,
};

use crate::check::WriteOf;
use crate::config::ProtocolKind;
use crate::world::Simulated;

/// A node of any protocol.
pub enum AnyNode {
    /// Basic Paxos.
    Basic(basic::Node),
    /// Multi-Paxos.
    Multi(multi::Replica),
    /// Fast Paxos.
    Fast(fast::Node),
    /// Raft.
    Raft(raft::Node),
    /// Primary–backup (async, sync, semi-sync).
    PrimaryBackup(primary_backup::Node),
    /// Majority read/write (with or without timestamps).
    Majority(majority::Node),
}

/// A message of any protocol.
pub enum AnyMessage {
    /// Basic Paxos.
    Basic(basic::Message),
    /// Multi-Paxos.
    Multi(multi::Message),
    /// Fast Paxos.
    Fast(fast::Message),
    /// Raft.
    Raft(raft::Message),
    /// Primary–backup.
    PrimaryBackup(primary_backup::Message),
    /// Majority read/write.
    Majority(majority::Message),
}

/// `Clone` for an enum of one value per protocol, kept out of line: a derived one is inlined into
/// each type that holds the enum (the world's messages in flight, each node's inbox, a snapshot of
/// the world), and the playground's wasm would carry every protocol's copying code once per place.
macro_rules! clone_once {
    ($name:ident) => {
        impl Clone for $name {
            #[inline(never)]
            fn clone(&self) -> $name {
                match self {
                    $name::Basic(x) => $name::Basic(x.clone()),
                    $name::Multi(x) => $name::Multi(x.clone()),
                    $name::Fast(x) => $name::Fast(x.clone()),
                    $name::Raft(x) => $name::Raft(x.clone()),
                    $name::PrimaryBackup(x) => $name::PrimaryBackup(x.clone()),
                    $name::Majority(x) => $name::Majority(x.clone()),
                }
            }
        }
    };
}
clone_once!(AnyNode);
clone_once!(AnyMessage);

/// The durable state of a node of any protocol.
#[derive(Clone, Default)]
pub enum AnyDurable {
    /// Nothing written yet: the empty durable state of whichever protocol (the protocol's own
    /// `Default`, which the first write or a recovery turns it into).
    #[default]
    Blank,
    /// Basic Paxos.
    Basic(basic::Durable),
    /// Multi-Paxos.
    Multi(multi::Durable),
    /// Fast Paxos.
    Fast(fast::Durable),
    /// Raft.
    Raft(raft::Durable),
    /// Primary–backup.
    PrimaryBackup(primary_backup::Durable),
    /// Majority read/write.
    Majority(majority::Durable),
}

/// A durable write of any protocol.
#[derive(Clone)]
pub enum AnyWrite {
    /// Basic Paxos.
    Basic(basic::Write),
    /// Multi-Paxos.
    Multi(multi::Write),
    /// Fast Paxos.
    Fast(fast::Write),
    /// Raft.
    Raft(raft::Write),
    /// Primary–backup.
    PrimaryBackup(primary_backup::Write),
    /// Majority read/write.
    Majority(majority::Write),
}

/// How one protocol's types sit in the enums above.
trait Member: Protocol {
    /// Its message, wrapped.
    fn wrap_message(msg: Self::Message) -> AnyMessage;
    /// Its write, wrapped.
    fn wrap_write(write: WriteOf<Self>) -> AnyWrite;
    /// Its message, if `msg` is one.
    fn message(msg: AnyMessage) -> Option<Self::Message>;
    /// Its durable state, if `disk` is one (a blank one is its empty state).
    fn durable(disk: AnyDurable) -> Option<Self::Durable>;
}

/// Implements [`Member`] for the protocol type `$node` of variant `$variant`.
macro_rules! member {
    ($node:ty, $variant:ident) => {
        impl Member for $node {
            fn wrap_message(msg: Self::Message) -> AnyMessage {
                AnyMessage::$variant(msg)
            }

            fn wrap_write(write: WriteOf<Self>) -> AnyWrite {
                AnyWrite::$variant(write)
            }

            fn message(msg: AnyMessage) -> Option<Self::Message> {
                match msg {
                    AnyMessage::$variant(msg) => Some(msg),
                    _ => None,
                }
            }

            fn durable(disk: AnyDurable) -> Option<Self::Durable> {
                match disk {
                    AnyDurable::$variant(disk) => Some(disk),
                    AnyDurable::Blank => Some(Default::default()),
                    _ => None,
                }
            }
        }
    };
}

member!(basic::Node, Basic);
member!(multi::Replica, Multi);
member!(fast::Node, Fast);
member!(raft::Node, Raft);
member!(primary_backup::Node, PrimaryBackup);
member!(majority::Node, Majority);

/// Steps `node` with `input`, appending its outputs, wrapped, to `out`. An input of another
/// protocol (which a run never makes) is ignored.
fn step_as<P: Member>(node: &mut P, input: Input<AnyMessage, AnyDurable>, out: &mut Vec<Outputs<AnyNode>>) {
    let input = match input {
        Input::Tick => Input::Tick,
        Input::Timeout => Input::Timeout,
        Input::Request(command) => Input::Request(command),
        Input::Message { from, msg } => match P::message(msg) {
            Some(msg) => Input::Message { from, msg },
            None => return,
        },
        Input::Recover(disk) => match P::durable(disk) {
            Some(disk) => Input::Recover(disk),
            None => return,
        },
    };
    let mut own = Vec::new();
    node.step(input, &mut own);
    out.extend(own.into_iter().map(|output| match output {
        Output::Send { to, msg } => Output::Send { to, msg: P::wrap_message(msg) },
        Output::Persist(write) => Output::Persist(P::wrap_write(write)),
        Output::Decided { slot, value } => Output::Decided { slot, value },
        Output::Reply(reply) => Output::Reply(reply),
        Output::Explain(rule) => Output::Explain(rule),
    }));
}

impl AnyNode {
    /// A fresh node `id` of protocol `kind` (see [`Protocol::new`]).
    pub fn of(kind: ProtocolKind, config: Config, id: NodeId, seed: u64) -> AnyNode {
        match kind {
            ProtocolKind::Basic => AnyNode::Basic(basic::Node::new(config, id, seed)),
            ProtocolKind::Multi => AnyNode::Multi(multi::Replica::new(config, id, seed)),
            ProtocolKind::Fast => AnyNode::Fast(fast::Node::new(config, id, seed)),
            ProtocolKind::Raft => AnyNode::Raft(raft::Node::new(config, id, seed)),
            ProtocolKind::Async | ProtocolKind::Sync | ProtocolKind::SemiSync => {
                AnyNode::PrimaryBackup(primary_backup::Node::new(config, id, seed))
            }
            ProtocolKind::Majority | ProtocolKind::MajorityTs => {
                AnyNode::Majority(majority::Node::new(config, id, seed))
            }
        }
    }
}

impl Simulated for AnyNode {
    fn start(kind: ProtocolKind, config: Config, id: NodeId, seed: u64) -> AnyNode {
        AnyNode::of(kind, config, id, seed)
    }
}

impl Protocol for AnyNode {
    type Message = AnyMessage;
    type Durable = AnyDurable;

    /// A Multi-Paxos node: `new` is not told the protocol (the world starts nodes with
    /// [`AnyNode::of`], through [`Simulated::start`]).
    fn new(config: Config, id: NodeId, seed: u64) -> AnyNode {
        AnyNode::of(ProtocolKind::Multi, config, id, seed)
    }

    fn step(&mut self, input: Input<AnyMessage, AnyDurable>, out: &mut Vec<Outputs<AnyNode>>) {
        match self {
            AnyNode::Basic(node) => step_as(node, input, out),
            AnyNode::Multi(node) => step_as(node, input, out),
            AnyNode::Fast(node) => step_as(node, input, out),
            AnyNode::Raft(node) => step_as(node, input, out),
            AnyNode::PrimaryBackup(node) => step_as(node, input, out),
            AnyNode::Majority(node) => step_as(node, input, out),
        }
    }

    fn set_explain(&mut self, on: bool) {
        match self {
            AnyNode::Basic(node) => node.set_explain(on),
            AnyNode::Multi(node) => node.set_explain(on),
            AnyNode::Fast(node) => node.set_explain(on),
            AnyNode::Raft(node) => node.set_explain(on),
            AnyNode::PrimaryBackup(node) => node.set_explain(on),
            AnyNode::Majority(node) => node.set_explain(on),
        }
    }

    fn view(&self) -> View<'_> {
        match self {
            AnyNode::Basic(node) => node.view(),
            AnyNode::Multi(node) => node.view(),
            AnyNode::Fast(node) => node.view(),
            AnyNode::Raft(node) => node.view(),
            AnyNode::PrimaryBackup(node) => node.view(),
            AnyNode::Majority(node) => node.view(),
        }
    }

    fn acceptor_slots(&self) -> Vec<SlotView> {
        match self {
            AnyNode::Basic(node) => node.acceptor_slots(),
            AnyNode::Multi(node) => node.acceptor_slots(),
            AnyNode::Fast(node) => node.acceptor_slots(),
            AnyNode::Raft(node) => node.acceptor_slots(),
            AnyNode::PrimaryBackup(node) => node.acceptor_slots(),
            AnyNode::Majority(node) => node.acceptor_slots(),
        }
    }
}

impl Message for AnyMessage {
    fn label(&self) -> Label {
        match self {
            AnyMessage::Basic(msg) => msg.label(),
            AnyMessage::Multi(msg) => msg.label(),
            AnyMessage::Fast(msg) => msg.label(),
            AnyMessage::Raft(msg) => msg.label(),
            AnyMessage::PrimaryBackup(msg) => msg.label(),
            AnyMessage::Majority(msg) => msg.label(),
        }
    }
}

impl Durable for AnyDurable {
    type Write = AnyWrite;

    fn apply(&mut self, write: &AnyWrite) {
        if let AnyDurable::Blank = self {
            *self = match write {
                AnyWrite::Basic(_) => AnyDurable::Basic(Default::default()),
                AnyWrite::Multi(_) => AnyDurable::Multi(Default::default()),
                AnyWrite::Fast(_) => AnyDurable::Fast(Default::default()),
                AnyWrite::Raft(_) => AnyDurable::Raft(Default::default()),
                AnyWrite::PrimaryBackup(_) => AnyDurable::PrimaryBackup(Default::default()),
                AnyWrite::Majority(_) => AnyDurable::Majority(Default::default()),
            };
        }
        match (self, write) {
            (AnyDurable::Basic(disk), AnyWrite::Basic(write)) => disk.apply(write),
            (AnyDurable::Multi(disk), AnyWrite::Multi(write)) => disk.apply(write),
            (AnyDurable::Fast(disk), AnyWrite::Fast(write)) => disk.apply(write),
            (AnyDurable::Raft(disk), AnyWrite::Raft(write)) => disk.apply(write),
            (AnyDurable::PrimaryBackup(disk), AnyWrite::PrimaryBackup(write)) => disk.apply(write),
            (AnyDurable::Majority(disk), AnyWrite::Majority(write)) => disk.apply(write),
            // A write of another protocol: a run never makes one.
            _ => {}
        }
    }
}

// Debug shows the value inside, as the protocol's own type would (for tests and debugging; the
// playground prints messages with Display).

impl fmt::Debug for AnyNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyNode::Basic(node) => node.fmt(f),
            AnyNode::Multi(node) => node.fmt(f),
            AnyNode::Fast(node) => node.fmt(f),
            AnyNode::Raft(node) => node.fmt(f),
            AnyNode::PrimaryBackup(node) => node.fmt(f),
            AnyNode::Majority(node) => node.fmt(f),
        }
    }
}

impl fmt::Debug for AnyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyMessage::Basic(msg) => msg.fmt(f),
            AnyMessage::Multi(msg) => msg.fmt(f),
            AnyMessage::Fast(msg) => msg.fmt(f),
            AnyMessage::Raft(msg) => msg.fmt(f),
            AnyMessage::PrimaryBackup(msg) => msg.fmt(f),
            AnyMessage::Majority(msg) => msg.fmt(f),
        }
    }
}

/// The payload in words, as the protocol's own message shows it.
impl fmt::Display for AnyMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyMessage::Basic(msg) => fmt::Display::fmt(msg, f),
            AnyMessage::Multi(msg) => fmt::Display::fmt(msg, f),
            AnyMessage::Fast(msg) => fmt::Display::fmt(msg, f),
            AnyMessage::Raft(msg) => fmt::Display::fmt(msg, f),
            AnyMessage::PrimaryBackup(msg) => fmt::Display::fmt(msg, f),
            AnyMessage::Majority(msg) => fmt::Display::fmt(msg, f),
        }
    }
}

impl fmt::Debug for AnyDurable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyDurable::Blank => f.write_str("Blank"),
            AnyDurable::Basic(disk) => disk.fmt(f),
            AnyDurable::Multi(disk) => disk.fmt(f),
            AnyDurable::Fast(disk) => disk.fmt(f),
            AnyDurable::Raft(disk) => disk.fmt(f),
            AnyDurable::PrimaryBackup(disk) => disk.fmt(f),
            AnyDurable::Majority(disk) => disk.fmt(f),
        }
    }
}

impl fmt::Debug for AnyWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyWrite::Basic(write) => write.fmt(f),
            AnyWrite::Multi(write) => write.fmt(f),
            AnyWrite::Fast(write) => write.fmt(f),
            AnyWrite::Raft(write) => write.fmt(f),
            AnyWrite::PrimaryBackup(write) => write.fmt(f),
            AnyWrite::Majority(write) => write.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use paxos_core::Bugs;

    use crate::check::Checked;
    use crate::run::{Picture, Run};
    use crate::{ProtocolKind, sweep};

    /// `simulate`'s `Run<AnyNode>` makes the same trace, history, violations and final picture as
    /// a `Run` of the protocol's own type, for every protocol, under every fault mix.
    #[test]
    fn any_node_runs_as_the_protocols_own_type() {
        fn same<P: Checked + 'static>(kind: ProtocolKind) {
            for seed in 0..6 {
                let config = sweep::config(kind, seed, Bugs::NONE);
                let mut own = Run::<P>::new(&config).unwrap();
                let mut any = crate::simulate(&config).unwrap();
                own.run_to_end();
                any.run_to_end();
                let what = format!("{} seed {seed}", kind.name());
                assert_eq!(any.trace().events(), own.trace().events(), "{what}");
                assert_eq!(format!("{:?}", any.history()), format!("{:?}", own.checker().history()), "{what}");
                assert_eq!(any.violations(), own.checker().violations(), "{what}");
                assert_eq!(any.invariants(), P::invariants(kind), "{what}");
                assert_eq!(any.picture(None), Picture::of(own.world()), "{what}");
            }
        }
        use paxos_core::{basic, fast, majority, multi, primary_backup, raft};
        same::<basic::Node>(ProtocolKind::Basic);
        same::<multi::Replica>(ProtocolKind::Multi);
        same::<fast::Node>(ProtocolKind::Fast);
        same::<raft::Node>(ProtocolKind::Raft);
        for kind in [ProtocolKind::Async, ProtocolKind::Sync, ProtocolKind::SemiSync] {
            same::<primary_backup::Node>(kind);
        }
        same::<majority::Node>(ProtocolKind::Majority);
        same::<majority::Node>(ProtocolKind::MajorityTs);
    }
}
