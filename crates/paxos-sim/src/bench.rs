//! Benchmark workloads, shared by `paxos bench` and the browser benchmark. They only count; the
//! caller measures time (the simulator has no clock).

use paxos_core::{Outputs, Protocol, Rule, multi};

use crate::check::Checker;
use crate::config::{ProtocolKind, SimConfig};
use crate::faults::{FaultMix, FaultPlan, Nemesis};
use crate::run::Run;
use crate::trace::{Event, EventId, EventKind};
use crate::world::{Observer, World};

/// A 5-node Multi-Paxos cluster under load from 8 clients that never pause; with `faults`, a
/// nemesis of every kind runs all along.
pub fn config(faults: bool) -> SimConfig {
    let mut config = SimConfig { protocol: ProtocolKind::Multi, nodes: 5, seed: 1, ..SimConfig::default() };
    config.duration_ms = 24 * 3_600_000;
    config.clients.workload = 8;
    config.clients.think_ms = [0, 1];
    if faults {
        config.faults = FaultPlan {
            nemesis: Some(Nemesis {
                from_ms: 0,
                until_ms: config.duration_ms,
                mix: FaultMix::All,
                every_ms: [50, 400],
                max_down: None,
                weights: None,
            }),
            ..FaultPlan::default()
        };
    }
    config
}

/// Counts deliveries and events.
#[derive(Default)]
struct Counter {
    deliveries: u64,
}

impl<P: Protocol> Observer<P> for Counter {
    fn event(&mut self, _id: EventId, event: &Event) {
        self.deliveries += u64::from(matches!(event.kind, EventKind::Deliver { .. }));
    }
}

/// Counts deliveries, and checks every invariant along the way.
struct Checked<P: crate::check::Checked> {
    counter: Counter,
    checker: Checker<P>,
}

impl<P: crate::check::Checked> Observer<P> for Checked<P> {
    fn event(&mut self, id: EventId, event: &Event) {
        Observer::<P>::event(&mut self.counter, id, event);
        self.checker.event(id, event);
    }

    fn output(&mut self, cause: EventId, node: paxos_core::NodeId, output: &Outputs<P>) {
        self.checker.output(cause, node, output);
    }

    fn stepped(&mut self, cause: EventId, node: paxos_core::NodeId, state: &P) {
        self.checker.stepped(cause, node, state);
    }
}

/// What a benchmark did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Work {
    /// Messages delivered.
    pub deliveries: u64,
    /// Trace events produced.
    pub events: u64,
}

/// Steps the bare world (no trace, no checkers) until `deliveries` messages were delivered.
pub fn world_only(config: &SimConfig, deliveries: u64) -> Work {
    let mut world = World::<multi::Replica>::new(config).expect("benchmark configurations are valid");
    let mut counter = Counter::default();
    while counter.deliveries < deliveries && world.step(&mut counter) {}
    Work { deliveries: counter.deliveries, events: world.events() }
}

/// Counts deliveries, and keeps every rule the nodes report with its step's event (as a run's
/// trace does).
#[derive(Default)]
struct Explained {
    counter: Counter,
    rules: Vec<(EventId, Rule)>,
}

impl<P: Protocol> Observer<P> for Explained {
    fn event(&mut self, id: EventId, event: &Event) {
        Observer::<P>::event(&mut self.counter, id, event);
    }

    fn explained(&mut self, cause: EventId, rule: &Rule) {
        self.rules.push((cause, *rule));
    }
}

/// Steps the world with every node explaining its decisions ([`World::set_explain`]), keeping the
/// rules (no trace, no checkers) until `deliveries` messages were delivered. Returns the work and how
/// many rules were kept.
pub fn explained(config: &SimConfig, deliveries: u64) -> (Work, usize) {
    let mut world = World::<multi::Replica>::new(config).expect("benchmark configurations are valid");
    world.set_explain(true);
    let mut observer = Explained::default();
    while observer.counter.deliveries < deliveries && world.step(&mut observer) {}
    (Work { deliveries: observer.counter.deliveries, events: world.events() }, observer.rules.len())
}

/// Steps the world with every checker on (no trace kept) until `deliveries` messages were delivered.
pub fn checked(config: &SimConfig, deliveries: u64) -> Work {
    let mut world = World::<multi::Replica>::new(config).expect("benchmark configurations are valid");
    let mut observer = Checked { counter: Counter::default(), checker: Checker::new(config) };
    while observer.counter.deliveries < deliveries && world.step(&mut observer) {}
    Work { deliveries: observer.counter.deliveries, events: world.events() }
}

/// A full run (trace, checkers, snapshots) until it has `events` trace events; returns the run.
pub fn full_run(config: &SimConfig, events: u64) -> Run<multi::Replica> {
    let mut run = Run::new(config).expect("benchmark configurations are valid");
    while (run.trace().len() as u64) < events && run.step() {}
    run
}
