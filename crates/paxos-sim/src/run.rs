//! A run: a world, the trace it writes, the checkers watching it, and snapshots for seeking.
//!
//! [`Run`] is generic over the protocol; [`Simulation`] is the same thing behind a trait object, so
//! the command line and the playground can pick the protocol at run time ([`simulate`]).
//!
//! **Seeking.** Every [`SNAPSHOT_EVERY`] trace events the run keeps a copy of the whole world. To see
//! the world as it was at event `e`, [`Run::world_at`] copies the last snapshot before `e` and replays
//! from there — deterministically, with the person's actions re-applied at the step they were taken —
//! until event `e` has happened. `BENCHMARKS.md` records what that costs on a 1,000,000-event run.

use paxos_core::{Ballot, Key, NodeId, NodeSet, Outputs, Role, Rule, Slot, SlotView, Value};

use crate::any::AnyNode;
use crate::check::{Checked, Checker, Invariant, Violation};
use crate::config::{ConfigError, SimConfig};
use crate::faults::Fault;
use crate::history::History;
use crate::json::{self, Fields, FromJson, Json, ToJson};
use crate::limits::{Exceeded, Limits, Usage};
use crate::stats::{self, Summary};
use crate::trace::{Addr, DropCause, Event, EventId, Islands, MsgId, Time, Trace};
use crate::world::{Observer, Simulated, Status, World};

/// How many trace events apart the run keeps snapshots of its world.
pub const SNAPSHOT_EVERY: u64 = 16_384;

/// How many of its latest decided slots a [`NodePicture`] lists.
pub const DECIDED_SHOWN: Slot = 32;

/// Records events in the trace and feeds the checkers — or, while a world is replayed to seek
/// (`None`), nothing. One observer type for both, so that a run's world is compiled once: with a
/// separate observer for replays, every step of the world would be compiled twice.
struct Recorder<'a, P: Checked>(Option<(&'a mut Trace, &'a mut Checker<P>)>);

impl<P: Checked> Observer<P> for Recorder<'_, P> {
    fn event(&mut self, id: EventId, event: &Event) {
        if let Some((trace, checker)) = &mut self.0 {
            let pushed = trace.push(*event);
            debug_assert_eq!(pushed, id);
            checker.event(id, event);
        }
    }

    fn output(&mut self, cause: EventId, node: NodeId, output: &Outputs<P>) {
        if let Some((_, checker)) = &mut self.0 {
            checker.output(cause, node, output);
        }
    }

    fn stepped(&mut self, cause: EventId, node: NodeId, state: &P) {
        if let Some((_, checker)) = &mut self.0 {
            checker.stepped(cause, node, state);
        }
    }

    fn explained(&mut self, cause: EventId, rule: &Rule) {
        if let Some((trace, _)) = &mut self.0 {
            trace.explain(cause, *rule);
        }
    }

    fn explained_message(&mut self, send: EventId, rule: &Rule) {
        if let Some((trace, _)) = &mut self.0 {
            trace.explain_message(send, *rule);
        }
    }
}

/// A person's action, taken after `step` steps of the run. In a file:
/// `{ "step": 812, "fault": "crash", "node": "n1" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// How many steps the world had taken.
    pub step: u64,
    /// What was done.
    pub fault: Fault,
}

impl FromJson for Action {
    fn from_value(value: &Json) -> Result<Action, json::Error> {
        Fields::read(value, |o| Ok(Action { step: o.req("step")?, fault: Fault::read(o)? }))
    }
}

impl ToJson for Action {
    fn to_value(&self) -> Json {
        Json::object([("step", self.step.to_value())].into_iter().chain(self.fault.fields()))
    }
}

/// A run of protocol `P`.
#[derive(Clone, Debug)]
pub struct Run<P: Checked> {
    world: World<P>,
    trace: Trace,
    checker: Checker<P>,
    /// Worlds at step boundaries, the first at time 0, then one per `SNAPSHOT_EVERY` events.
    snapshots: Vec<World<P>>,
    actions: Vec<Action>,
    finished: bool,
    /// What the run may use ([`crate::limits`]), and the limit it passed, which stops it.
    limits: Limits,
    exceeded: Option<Exceeded>,
    /// The estimated bytes of the snapshots kept.
    snapshot_bytes: u64,
}

impl<P: Checked> Run<P> {
    /// A run at time 0.
    pub fn new(config: &SimConfig) -> Result<Run<P>, ConfigError> {
        let mut world = World::new(config)?;
        // A run keeps its trace, so it keeps the rules behind each step too (the page and
        // `paxos replay --explain` show them); the bare world of a sweep or a benchmark does not.
        world.set_explain(true);
        Ok(Run {
            snapshots: vec![world.clone()],
            world,
            trace: Trace::default(),
            checker: Checker::new(config),
            actions: Vec::new(),
            finished: false,
            limits: Limits::default(),
            exceeded: None,
            snapshot_bytes: 0,
        })
    }

    /// The world now.
    pub fn world(&self) -> &World<P> {
        &self.world
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The checkers.
    pub fn checker(&self) -> &Checker<P> {
        &self.checker
    }

    /// The actions taken so far.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Carries out the next due entry if it is due before the end of the run, unless the run passed
    /// one of its limits (then it stops there for good: [`Run::exceeded`]).
    pub fn step(&mut self) -> bool {
        let end = self.world.config().end();
        if self.exceeded.is_some() || self.world.next_time().is_none_or(|t| t > end) {
            return false;
        }
        let mut recorder = Recorder(Some((&mut self.trace, &mut self.checker)));
        self.world.step(&mut recorder);
        self.keep_snapshot();
        self.exceeded = self.limits.check(self.usage(), self.world.now());
        true
    }

    /// What the run uses now, as its limits count it.
    pub fn usage(&self) -> Usage {
        let trace = self.trace.len() as u64 * std::mem::size_of::<Event>() as u64 + self.trace.rules_bytes();
        Usage {
            events: self.world.events(),
            in_flight: self.world.in_flight_span() as u64,
            bytes: trace + self.world.footprint() + self.snapshot_bytes,
        }
    }

    /// Sets the limits the run keeps to from now on ([`crate::limits`]; the defaults otherwise).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Whether the trace keeps the rules behind the nodes' decisions from now on ([`Trace::rules`];
    /// on unless switched off). The run is the same either way; a run that nobody will ask "why?"
    /// (a sweep's) is a few percent faster without them (BENCHMARKS.md, "Rule explanations").
    pub fn set_explain(&mut self, on: bool) {
        self.world.set_explain(on);
    }

    /// The limit the run passed, which stopped it.
    pub fn exceeded(&self) -> Option<&Exceeded> {
        self.exceeded.as_ref()
    }

    /// Steps until virtual time `time` (or the end of the run).
    pub fn run_until(&mut self, time: Time) {
        while self.world.next_time().is_some_and(|t| t <= time) && self.step() {}
    }

    /// Runs to the end and runs the whole-history checks.
    pub fn run_to_end(&mut self) {
        while self.step() {}
        self.finish();
    }

    /// Runs the whole-history checks (linearizability, liveness) on what happened so far.
    pub fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            // Nothing happens between the last event and the end of a finished run.
            let end = if self.is_over() { self.world.config().end() } else { self.world.now() };
            // Borrows the world's configuration while the checker is borrowed mutably (two fields):
            // no copy of the configuration.
            self.checker.finish(self.world.config(), end);
        }
    }

    /// Whether the run has reached its end.
    pub fn is_over(&self) -> bool {
        let end = self.world.config().end();
        self.world.peek_time().is_none_or(|t| t > end)
    }

    /// Takes a person's action now; it becomes part of the run (and of every replay).
    pub fn act(&mut self, fault: &Fault) -> Result<(), String> {
        let step = self.world.steps();
        let mut recorder = Recorder(Some((&mut self.trace, &mut self.checker)));
        self.world.act(fault, &mut recorder)?;
        self.actions.push(Action { step, fault: fault.clone() });
        self.finished = false;
        self.keep_snapshot();
        Ok(())
    }

    fn keep_snapshot(&mut self) {
        let last = self.snapshots.last().map_or(0, World::events);
        if self.world.events() >= last + SNAPSHOT_EVERY {
            self.snapshot_bytes += self.world.footprint() + std::mem::size_of::<World<P>>() as u64;
            self.snapshots.push(self.world.clone());
        }
    }

    /// A new run that is this one up to just after trace event `event`: the same configuration and
    /// the actions taken up to then, replayed from time 0 so that the checkers see the branch's own
    /// history and nothing of what came after. A person acting in the past starts one.
    pub fn branch(&self, event: EventId) -> Run<P> {
        // (Not `expect`: that would print the error with `Debug`, and bring its machinery into the wasm.)
        let mut run = Run::new(self.world.config())
            .unwrap_or_else(|error| panic!("this run's configuration was valid when it started: {error}"));
        let mut next_action = 0;
        while run.world.events() <= event {
            if let Some(action) = self.actions.get(next_action).filter(|a| a.step == run.world.steps()) {
                // It succeeded the first time, from the same state, so it succeeds again.
                let _ = run.act(&action.fault);
                next_action += 1;
            } else if !run.step() {
                break;
            }
        }
        run
    }

    /// The world just after the step that produced trace event `event` (the world now, if `event`
    /// is past the end of the trace).
    pub fn world_at(&self, event: EventId) -> World<P> {
        if event >= self.world.events().saturating_sub(1) {
            return self.world.clone();
        }
        let from = self.snapshots.partition_point(|w| w.events() <= event).saturating_sub(1);
        let mut world = self.snapshots[from].clone();
        let mut next_action = self.actions.partition_point(|a| a.step < world.steps());
        while world.events() <= event {
            if let Some(action) = self.actions.get(next_action).filter(|a| a.step == world.steps()) {
                let _ = world.act(&action.fault, &mut Recorder::<P>(None));
                next_action += 1;
            } else if !world.step(&mut Recorder::<P>(None)) {
                break;
            }
        }
        world
    }
}

/// A run behind a trait object, whatever its protocol.
pub trait Simulation {
    /// The configuration.
    fn config(&self) -> &SimConfig;
    /// The current virtual time.
    fn now(&self) -> Time;
    /// Carries out the next entry; false at the end of the run.
    fn step(&mut self) -> bool;
    /// Steps until `time` (or the end).
    fn run_until(&mut self, time: Time);
    /// Runs to the end and runs the whole-history checks.
    fn run_to_end(&mut self);
    /// Whether the run reached its end.
    fn is_over(&self) -> bool;
    /// Takes a person's action now.
    fn act(&mut self, fault: &Fault) -> Result<(), String>;
    /// The trace so far.
    fn trace(&self) -> &Trace;
    /// The client history so far.
    fn history(&self) -> &History;
    /// The first violation of each invariant found so far.
    fn violations(&self) -> &[Violation];
    /// What the cluster looked like just after event `at` (now, if `None`).
    fn picture(&self, at: Option<EventId>) -> Picture;
    /// Figures about the run so far.
    fn summary(&self) -> Summary;
    /// Runs the whole-history checks (linearizability; liveness if faults stopped) on the history so
    /// far, again if they ran before: the playground calls it whenever a person pauses.
    fn check_history(&mut self);
    /// The invariants the checkers hold this protocol to (the others do not apply to it).
    fn invariants(&self) -> &'static [Invariant];
    /// The actions taken so far, each with the step it was taken at.
    fn actions(&self) -> &[Action];
    /// Steps taken so far.
    fn steps(&self) -> u64;
    /// A new run that is this one up to just after trace event `event` (see [`Run::branch`]).
    fn branch(&self, event: EventId) -> Box<dyn Simulation>;
    /// The value the acceptors' votes chose in `slot` so far, the ballot it was chosen in, and the
    /// acceptors whose votes chose it.
    fn chosen(&self, slot: Slot) -> Option<(Value, Ballot, NodeSet)>;
    /// Sets the limits the run keeps to ([`crate::limits`]).
    fn set_limits(&mut self, limits: Limits);
    /// Whether the trace keeps the rules behind the nodes' decisions from now on (see
    /// [`Run::set_explain`]).
    fn set_explain(&mut self, on: bool);
    /// The limit the run passed, which stopped it: a finding of its own (`paxos` exits with 7).
    fn exceeded(&self) -> Option<&Exceeded>;
}

impl<P: Checked + 'static> Simulation for Run<P> {
    fn config(&self) -> &SimConfig {
        self.world.config()
    }

    fn now(&self) -> Time {
        self.world.now()
    }

    fn step(&mut self) -> bool {
        Run::step(self)
    }

    fn run_until(&mut self, time: Time) {
        Run::run_until(self, time);
    }

    fn run_to_end(&mut self) {
        Run::run_to_end(self);
    }

    fn is_over(&self) -> bool {
        Run::is_over(self)
    }

    fn act(&mut self, fault: &Fault) -> Result<(), String> {
        Run::act(self, fault)
    }

    fn trace(&self) -> &Trace {
        &self.trace
    }

    fn history(&self) -> &History {
        self.checker.history()
    }

    fn violations(&self) -> &[Violation] {
        self.checker.violations()
    }

    fn picture(&self, at: Option<EventId>) -> Picture {
        match at {
            Some(event) => Picture::of(&self.world_at(event)),
            None => Picture::of(&self.world),
        }
    }

    fn summary(&self) -> Summary {
        stats::summarize(self.world.leaders_at_start(), &self.trace, self.checker.history(), self.checker.violations())
    }

    fn check_history(&mut self) {
        self.finished = false;
        self.finish();
    }

    fn invariants(&self) -> &'static [Invariant] {
        P::invariants(self.world.config().protocol)
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }

    fn steps(&self) -> u64 {
        self.world.steps()
    }

    fn branch(&self, event: EventId) -> Box<dyn Simulation> {
        Box::new(Run::branch(self, event))
    }

    fn chosen(&self, slot: Slot) -> Option<(Value, Ballot, NodeSet)> {
        self.checker.choice().chosen_with_quorum(slot).map(|(value, ballot, voters)| (value.clone(), ballot, voters))
    }

    fn set_limits(&mut self, limits: Limits) {
        Run::set_limits(self, limits);
    }

    fn set_explain(&mut self, on: bool) {
        Run::set_explain(self, on);
    }

    fn exceeded(&self) -> Option<&Exceeded> {
        Run::exceeded(self)
    }
}

/// A run of the configured protocol: a `Run<AnyNode>`, so that the simulator is compiled once for
/// every protocol (see [`crate::any`]).
pub fn simulate(config: &SimConfig) -> Result<Box<dyn Simulation>, ConfigError> {
    Ok(Box::new(Run::<AnyNode>::new(config)?))
}

/// A protocol-independent picture of a world at one moment, for people to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picture {
    /// The moment.
    pub time: Time,
    /// Trace events up to it.
    pub events: u64,
    /// Every node.
    pub nodes: Vec<NodePicture>,
    /// Messages on their way.
    pub messages: Vec<MessagePicture>,
    /// The network's islands.
    pub islands: Islands,
    /// Cut links, `(from, to)`.
    pub cuts: Vec<(NodeId, NodeId)>,
}

/// One node in a [`Picture`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePicture {
    /// The node.
    pub id: NodeId,
    /// Up, paused or down.
    pub status: Status,
    /// Its role (the last it had, if down).
    pub role: Role,
    /// The leader it follows.
    pub leader: Option<NodeId>,
    /// Its proposing or leading ballot.
    pub ballot: Ballot,
    /// Its highest promise.
    pub promised: Ballot,
    /// First undecided slot.
    pub decided_prefix: Slot,
    /// Slots applied to its store.
    pub applied: Slot,
    /// Its store.
    pub store: Vec<(Key, i64)>,
    /// Its acceptor state in undecided slots.
    pub slots: Vec<SlotView>,
    /// Its latest decided slots (at most [`DECIDED_SHOWN`]), with their values.
    pub decided: Vec<(Slot, Value)>,
}

/// One message in a [`Picture`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessagePicture {
    /// Its number.
    pub id: MsgId,
    /// Sender.
    pub from: Addr,
    /// Receiver.
    pub to: Addr,
    /// When it left.
    pub sent: Time,
    /// When it arrives.
    pub arrive: Time,
    /// If it will be dropped on arrival, why.
    pub doomed: Option<DropCause>,
    /// Its kind (as in the trace).
    pub kind: paxos_core::MsgKind,
    /// The message's payload in words (its `Display`; the kind, sender and receiver are apart).
    pub detail: String,
}

impl Picture {
    /// The picture of `world`.
    pub fn of<P: Simulated>(world: &World<P>) -> Picture {
        let nodes = (0..world.config().nodes)
            .map(|n| {
                let status = world.status(n);
                match world.node(n) {
                    Some(node) => {
                        let view = node.view();
                        NodePicture {
                            id: n,
                            status,
                            role: view.role,
                            leader: view.leader,
                            ballot: view.ballot,
                            promised: view.promised,
                            decided_prefix: view.decided.prefix(),
                            applied: view.applied,
                            store: view.store.entries().collect(),
                            slots: node.acceptor_slots(),
                            decided: view
                                .decided
                                .decided_from(view.decided.end().saturating_sub(DECIDED_SHOWN))
                                .map(|(slot, value)| (slot, value.clone()))
                                .collect(),
                        }
                    }
                    None => NodePicture {
                        id: n,
                        status,
                        role: Role::Follower,
                        leader: None,
                        ballot: Ballot::ZERO,
                        promised: Ballot::ZERO,
                        decided_prefix: 0,
                        applied: 0,
                        store: Vec::new(),
                        slots: Vec::new(),
                        decided: Vec::new(),
                    },
                }
            })
            .collect();
        let messages = world
            .in_flight()
            .map(|e| MessagePicture {
                id: e.id,
                from: e.from,
                to: e.to,
                sent: e.sent,
                arrive: e.arrive,
                doomed: e.doomed,
                kind: e.payload.label().kind,
                detail: match &e.payload {
                    crate::world::Payload::Node(m) => m.to_string(),
                    crate::world::Payload::Request(c) => format!("request {c}"),
                    crate::world::Payload::Reply(r) => format!("reply c{}#{} {}", r.client + 1, r.seq, r.outcome),
                },
            })
            .collect();
        Picture {
            time: world.now(),
            events: world.events(),
            nodes,
            messages,
            islands: world.network().islands,
            cuts: world.network().cuts().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::NodeName;
    use paxos_core::multi;

    /// A branch is the run up to its event, actions included, and nothing after: its trace is a
    /// prefix of the original's and its world is the one seeking shows there.
    #[test]
    fn a_branch_replays_the_run_up_to_its_event() {
        let config = SimConfig { seed: 3, duration_ms: 2_000, ..SimConfig::default() };
        let mut run = Run::<multi::Replica>::new(&config).unwrap();
        run.run_until(300_000);
        run.act(&Fault::Crash { node: NodeName(0) }).unwrap();
        run.run_until(600_000);
        let at = run.trace().len() as EventId - 40;
        let branch = run.branch(at);
        assert_eq!(branch.trace().len() as EventId, at + 1);
        assert_eq!(branch.trace().events(), &run.trace().events()[..=at as usize]);
        assert_eq!(branch.actions(), run.actions());
        assert_eq!(Picture::of(branch.world()), Picture::of(&run.world_at(at)));
        let early = run.branch(10);
        assert!(early.actions().is_empty(), "the crash came later than event 10");
    }
}
