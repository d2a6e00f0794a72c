//! The deterministic simulator of the Paxos playground.
//!
//! A run is fully determined by its [`SimConfig`] (protocol, cluster, network, clients, faults and a
//! `u64` seed) and the actions a person takes during it: the same inputs give a bit-identical
//! [`Trace`] on every platform, natively and in the browser. Modules:
//!
//! - [`any`] — every protocol in one type, [`AnyNode`], so the simulator is compiled once.
//! - [`world`] — virtual time, the event queue, nodes, network, clients, faults; one step at a time.
//! - [`trace`] — the record of a run that every view reads (32-byte events, golden hash).
//! - [`run`] — a world with its trace, checkers and snapshots for seeking; [`simulate`] picks the
//!   protocol at run time.
//! - [`check`] — the invariants, each once, with where the literature states it.
//! - [`config`], [`faults`] — runs and faults as validated JSON data (read and written with
//!   `paxos-json`).
//! - [`limits`] — how many events, messages in flight and bytes one run may take.
//! - [`history`], [`stats`] — the client history (Jepsen's shape) and the figures of a run;
//!   [`edn`] writes the history as Jepsen's EDN, for Knossos.
//! - [`sweep`] — many seeds across fault mixes: the simulator's own test (the golden hashes, the
//!   planted bugs), and `paxos sweep`.
//! - [`bench`] — the workloads of `paxos bench` and the browser benchmark. They drive [`World`]
//!   directly, and live here so that it is compiled in this crate, as the simulator is everywhere
//!   else: natively (no LTO) a world compiled in another crate cannot inline this crate's small
//!   functions (`Network::arrival`), 1.7% more instructions per delivery (callgrind).
//!
//! What a person plays with — links and run files, the page's limits, scenarios, a session of runs —
//! is in `paxos-play`, on top of this crate.

pub mod any;
pub mod bench;
pub mod check;
pub mod client;
pub mod config;
pub mod decimal;
pub mod edn;
pub mod faults;
pub mod history;
pub mod limits;
pub mod network;
mod protocols;
pub mod queue;
pub mod run;
pub mod sort;
pub mod stats;
pub mod sweep;
pub mod trace;
pub mod world;

// The engine's files and fault plans are JSON, read and written by `paxos-json` (its `FromJson` and
// `ToJson` impls live beside the types, as Rust's orphan rule wants); its modules say `crate::json`.
use paxos_json as json;

pub use any::AnyNode;
pub use check::{Invariant, Violation};
pub use config::{ConfigError, ProtocolKind, SimConfig};
pub use faults::{Fault, FaultMix, FaultPlan};
pub use run::{Picture, Run, Simulation, simulate};
pub use stats::Summary;
pub use trace::{Event, EventId, EventKind, Time, Trace};
pub use world::World;
