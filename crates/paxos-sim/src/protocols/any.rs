//! [`AnyNode`], every protocol in one type: each question goes to the protocol the run
//! configures (its own file answers it), and so do the own checks of Fast Paxos and Raft.

use paxos_core::{Ballot, NodeId, Slot, Value, basic, fast, majority, multi, primary_backup, raft};

use super::fast::FastChecks;
use super::raft::RaftChecks;
use crate::any::{AnyMessage, AnyNode, AnyWrite};
use crate::check::{Checked, Claim, Invariant, NoOwnChecks, OwnChecks};
use crate::config::{ProtocolKind, SimConfig};
use crate::trace::{Event, EventId};

type CheckResult = Result<(), (Invariant, String)>;

impl Checked for AnyNode {
    fn invariants(kind: ProtocolKind) -> &'static [Invariant] {
        match kind {
            ProtocolKind::Basic => basic::Node::invariants(kind),
            ProtocolKind::Multi => multi::Replica::invariants(kind),
            ProtocolKind::Fast => fast::Node::invariants(kind),
            ProtocolKind::Raft => raft::Node::invariants(kind),
            ProtocolKind::Async | ProtocolKind::Sync | ProtocolKind::SemiSync => primary_backup::Node::invariants(kind),
            ProtocolKind::Majority | ProtocolKind::MajorityTs => majority::Node::invariants(kind),
        }
    }

    fn message_claim(msg: &AnyMessage) -> Option<Claim<'_>> {
        match msg {
            AnyMessage::Basic(msg) => basic::Node::message_claim(msg),
            AnyMessage::Multi(msg) => multi::Replica::message_claim(msg),
            AnyMessage::Fast(msg) => fast::Node::message_claim(msg),
            AnyMessage::Raft(msg) => raft::Node::message_claim(msg),
            AnyMessage::PrimaryBackup(msg) => primary_backup::Node::message_claim(msg),
            AnyMessage::Majority(msg) => majority::Node::message_claim(msg),
        }
    }

    fn write_claim(write: &AnyWrite) -> Option<Claim<'_>> {
        match write {
            AnyWrite::Basic(write) => basic::Node::write_claim(write),
            AnyWrite::Multi(write) => multi::Replica::write_claim(write),
            AnyWrite::Fast(write) => fast::Node::write_claim(write),
            AnyWrite::Raft(write) => raft::Node::write_claim(write),
            AnyWrite::PrimaryBackup(write) => primary_backup::Node::write_claim(write),
            AnyWrite::Majority(write) => majority::Node::write_claim(write),
        }
    }

    fn is_fast_round(kind: ProtocolKind, ballot: Ballot) -> bool {
        // Only Fast Paxos has fast rounds (the others answer no).
        kind == ProtocolKind::Fast && fast::Node::is_fast_round(kind, ballot)
    }

    type Own = AnyChecks;
}

/// The own checks of the run's protocol.
#[derive(Clone, Debug)]
pub enum AnyChecks {
    /// A protocol without checks of its own.
    None,
    /// Fast Paxos's.
    Fast(FastChecks),
    /// Raft's.
    Raft(RaftChecks),
}

impl OwnChecks<AnyNode> for AnyChecks {
    fn new(config: &SimConfig) -> AnyChecks {
        match config.protocol {
            ProtocolKind::Fast => AnyChecks::Fast(OwnChecks::<fast::Node>::new(config)),
            ProtocolKind::Raft => AnyChecks::Raft(OwnChecks::<raft::Node>::new(config)),
            _ => {
                let NoOwnChecks = OwnChecks::<AnyNode>::new(config);
                AnyChecks::None
            }
        }
    }

    fn event(&mut self, id: EventId, event: &Event) -> CheckResult {
        match self {
            AnyChecks::None => Ok(()),
            AnyChecks::Fast(checks) => OwnChecks::<fast::Node>::event(checks, id, event),
            AnyChecks::Raft(checks) => OwnChecks::<raft::Node>::event(checks, id, event),
        }
    }

    fn sent(&mut self, node: NodeId, msg: &AnyMessage) -> CheckResult {
        match (self, msg) {
            (AnyChecks::Fast(checks), AnyMessage::Fast(msg)) => checks.sent(node, msg),
            (AnyChecks::Raft(checks), AnyMessage::Raft(msg)) => checks.sent(node, msg),
            _ => Ok(()),
        }
    }

    fn persisted(&mut self, node: NodeId, write: &AnyWrite) -> CheckResult {
        match (self, write) {
            (AnyChecks::Fast(checks), AnyWrite::Fast(write)) => OwnChecks::<fast::Node>::persisted(checks, node, write),
            (AnyChecks::Raft(checks), AnyWrite::Raft(write)) => checks.persisted(node, write),
            _ => Ok(()),
        }
    }

    fn decided(&mut self, node: NodeId, slot: Slot, value: &Value) -> CheckResult {
        match self {
            AnyChecks::None => Ok(()),
            AnyChecks::Fast(checks) => OwnChecks::<fast::Node>::decided(checks, node, slot, value),
            AnyChecks::Raft(checks) => OwnChecks::<raft::Node>::decided(checks, node, slot, value),
        }
    }

    fn stepped(&mut self, node: NodeId, state: &AnyNode) -> CheckResult {
        match (self, state) {
            (AnyChecks::Fast(checks), AnyNode::Fast(state)) => checks.stepped(node, state),
            (AnyChecks::Raft(checks), AnyNode::Raft(state)) => checks.stepped(node, state),
            _ => Ok(()),
        }
    }
}
