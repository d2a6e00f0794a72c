//! What a protocol's messages and durable writes *claim*, in the vocabulary of the Paxos proofs.
//!
//! The checkers never look inside a protocol. They read claims: an acceptor promised a ballot, a
//! proposer proposed a value, an acceptor voted for a value.
//!
//! - A *promise* is what an acceptor answers a prepare with: it is claimed by the `Promise` message.
//! - A *vote* is an acceptor accepting a value: it is claimed by the `Accepted` message and by the
//!   write that records it, whichever comes (a leader votes for its own proposal without a message),
//!   so a vote counts even if every copy of its `Accepted` is lost — which is how "chosen" is defined
//!   (Paxos Made Simple, §2.2: a value is chosen when a majority of acceptors have accepted it).
//! - A *proposal* is claimed by the `Accept` message.

use paxos_core::{Ballot, Durable, Protocol, Slot, Value};

/// A fact about ballots and values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim<'a> {
    /// The acceptor promised `ballot` in `slot` (Basic Paxos), or in every slot (`None`, Multi-Paxos).
    Promise {
        /// The slot, or all of them.
        slot: Option<Slot>,
        /// The ballot promised.
        ballot: Ballot,
    },
    /// A proposer asked acceptors to accept `value` in `slot` at `ballot` (phase 2a).
    Propose {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: &'a Value,
    },
    /// The acceptor accepted `value` in `slot` at `ballot` (phase 2b).
    Vote {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: &'a Value,
    },
}

/// The write type of protocol `P`.
pub type WriteOf<P> = <<P as Protocol>::Durable as Durable>::Write;
