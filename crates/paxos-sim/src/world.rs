//! The simulated world: nodes, network, clients and faults, advanced one event at a time.
//!
//! Time is virtual (µs). Everything that will happen is an entry in one queue ordered by
//! `(time, insertion number)`, so two runs with the same seed and inputs pop the same entries in the
//! same order, on any platform. Each [`World::step`] pops one entry — a message arriving, a node's
//! tick, a client's timer, a scheduled fault, the nemesis — and carries it out:
//!
//! ```text
//!   queue ──pop──▶ deliver / tick / client timer / fault
//!                     │
//!                     ▼  node.step(input, &mut out)
//!          Persist ─▶ disk (all of them first)      Send ─▶ network ─▶ queue (at arrival time)
//!          Decided ─▶ trace                          Reply ─▶ client link ─▶ queue
//! ```
//!
//! Every choice (latency, loss, duplication, the nemesis's moves, the clients' operations, the
//! nodes' election jitter) draws from a [`Prng`] stream derived from the run's seed. What happens is
//! reported to an [`Observer`]: the trace recorder and the checkers (see [`crate::run`]), or nobody
//! when a world is replayed to seek.

use std::collections::VecDeque;
use std::rc::Rc;

use paxos_core::{
    Ballot, ClientId, Command, Config, Durable, Input, Label, Message, MsgKind, NodeId, NodeSet, Outcome, Output,
    Outputs, Prng, Protocol, Ratio, Reply, Role, Rule, majority_of,
};

use crate::client::{Client, Pending};
use crate::config::{ConfigError, ProtocolKind, SimConfig};
use crate::config::{NodeName, RatioSpec};
use crate::faults::{Fault, FaultWeights};
use crate::network::Network;
use crate::queue::Queue;
use crate::trace::{Addr, DropCause, Event, EventId, EventKind, Islands, MsgId, Time, outcome_value};

/// A protocol the world can run: how it starts a node. Each protocol's nodes start with
/// [`Protocol::new`]; [`AnyNode`](crate::any::AnyNode), which is every protocol in one type, also
/// needs to know which one the run configures.
pub trait Simulated: Protocol {
    /// A fresh node `id` of a run of protocol `kind` (see [`Protocol::new`]).
    fn start(kind: ProtocolKind, config: Config, id: NodeId, seed: u64) -> Self {
        let _ = kind;
        Self::new(config, id, seed)
    }
}

/// Receives what happens in a world, as it happens.
pub trait Observer<P: Protocol> {
    /// An event was added to the trace; `id` is its position.
    fn event(&mut self, _id: EventId, _event: &Event) {}
    /// `node` produced `output` in a step started by event `cause` (before the world acts on it).
    fn output(&mut self, _cause: EventId, _node: NodeId, _output: &Outputs<P>) {}
    /// `node` finished a step started by event `cause`; `state` is the node after it.
    fn stepped(&mut self, _cause: EventId, _node: NodeId, _state: &P) {}
    /// A node applied `rule` in the step started by event `cause` (only from a world that asks its
    /// nodes to explain themselves: [`World::set_explain`]).
    fn explained(&mut self, _cause: EventId, _rule: &Rule) {}
    /// `rule` decided the message whose `Send` is event `send` (a `Nack`, a `Vote`, …).
    fn explained_message(&mut self, _send: EventId, _rule: &Rule) {}
}

/// An observer that ignores everything (for replays).
pub struct Unobserved;

impl<P: Protocol> Observer<P> for Unobserved {}

/// Something due at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Due {
    /// A message arrives.
    Deliver(MsgId),
    /// A node's tick (of the node's `incarnation`: ticks of a crashed incarnation are stale).
    Tick { node: NodeId, incarnation: u32 },
    /// A client's timer (of generation `timer`: a replaced timer is stale).
    Client { client: ClientId, timer: u32 },
    /// Scheduled fault number `i` of the run's fault plan.
    Fault(u32),
    /// The nemesis strikes.
    Nemesis,
    /// Faults stop.
    Quiet,
}

/// What a message carries.
#[derive(Clone, Debug)]
pub enum Payload<M> {
    /// A protocol message between nodes.
    Node(M),
    /// A client's request to a node.
    Request(Command),
    /// A node's answer to a client.
    Reply(Reply),
}

impl<M: Message> Payload<M> {
    /// What the trace shows of it. Client messages carry the request number in `slot`.
    pub fn label(&self) -> Label {
        match self {
            Payload::Node(msg) => msg.label(),
            Payload::Request(command) => Label { kind: MsgKind::Request, ballot: Ballot::ZERO, slot: command.seq },
            Payload::Reply(reply) => Label { kind: MsgKind::Reply, ballot: Ballot::ZERO, slot: reply.seq },
        }
    }
}

/// A message on its way.
#[derive(Clone, Debug)]
pub struct Envelope<M> {
    /// Its number.
    pub id: MsgId,
    /// Sender.
    pub from: Addr,
    /// Receiver.
    pub to: Addr,
    /// When it was sent.
    pub sent: Time,
    /// When it arrives.
    pub arrive: Time,
    /// If set, it will be dropped on arrival, for this reason.
    pub doomed: Option<DropCause>,
    /// What it carries.
    pub payload: Payload<M>,
}

/// A buffer one step fills and empties, so empty whenever the world is copied: a copy starts with a
/// new one. (A derived `Clone` would copy its contents, and bring every protocol's code for copying
/// its writes into the playground's wasm for a vector that is always empty.)
#[derive(Debug)]
struct Scratch<T>(Vec<T>);

impl<T> Clone for Scratch<T> {
    fn clone(&self) -> Scratch<T> {
        debug_assert!(self.0.is_empty(), "a world is copied between steps");
        Scratch(Vec::new())
    }
}

/// A node's place in the world.
#[derive(Clone, Debug)]
struct NodeSlot<P: Protocol> {
    /// The running node; `None` while crashed.
    state: Option<P>,
    /// Its durable state (survives crashes).
    disk: P::Durable,
    paused: bool,
    /// Messages that arrived while paused, handled on resume.
    inbox: VecDeque<Envelope<P::Message>>,
    incarnation: u32,
    /// Role and ballot last reported in the trace.
    role: Role,
    ballot: Ballot,
}

/// A rule that drops or delays the next messages that match (see [`Fault::Intercept`]).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Interceptor {
    from: Option<NodeId>,
    to: Option<NodeId>,
    kind: Option<paxos_core::MsgKind>,
    delay: Option<Time>,
    left: u32,
}

/// Whether a node is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Running.
    Up,
    /// Frozen; messages wait.
    Paused,
    /// Crashed; only its durable state remains.
    Down,
}

/// The random streams of a run, one per purpose (see [`Prng::derive`]).
#[derive(Clone, Debug)]
struct Streams {
    network: Prng,
    clients: Prng,
    nemesis: Prng,
}

/// How a node's step is announced in the trace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Announce {
    /// Already announced (a delivery).
    Done,
    /// A tick: record a `Timeout` only if the node did something.
    IfActive,
    /// A forced timeout: always record it.
    Always,
}

/// The simulated world. `Clone` is a snapshot.
#[derive(Clone, Debug)]
pub struct World<P: Protocol> {
    config: Rc<SimConfig>,
    core: Config,
    now: Time,
    /// Everything due, by (time, insertion number).
    queue: Queue<Due>,
    queued: u64,
    /// Messages in flight, by number, from `first_in_flight` on.
    in_flight: VecDeque<Option<Envelope<P::Message>>>,
    first_in_flight: MsgId,
    next_msg: MsgId,
    nodes: Vec<NodeSlot<P>>,
    network: Network,
    clients: Vec<Client>,
    rng: Streams,
    events: u64,
    steps: u64,
    /// Whether faults have stopped (see [`crate::faults`]).
    quiet: bool,
    /// Scenario rules for the next messages sent.
    interceptors: Vec<Interceptor>,
    /// The outputs of the step being run (kept to reuse its allocation; empty between steps).
    out: Scratch<Outputs<P>>,
    /// Whether the nodes report the rules they apply (see [`World::set_explain`]).
    explain: bool,
}

impl<P: Simulated> World<P> {
    /// The world at time 0 of a run.
    pub fn new(config: &SimConfig) -> Result<World<P>, ConfigError> {
        config.validate()?;
        let core = config.core();
        let seed = config.seed;
        let mut setup = Prng::derive(seed, 4);
        let tick = u64::from(config.params.tick_us);
        let nodes = (0..config.nodes)
            .map(|n| NodeSlot {
                state: Some(P::start(config.protocol, core, n, node_seed(seed, n, 0))),
                disk: P::Durable::default(),
                paused: false,
                inbox: VecDeque::new(),
                incarnation: 0,
                role: Role::Follower,
                ballot: Ballot::ZERO,
            })
            .collect();
        let workload = config.clients.workload;
        let clients = (0..config.clients.count() as ClientId).map(|c| Client::new(c, c < workload)).collect();
        let mut world = World {
            config: Rc::new(config.clone()),
            core,
            now: 0,
            queue: Queue::default(),
            queued: 0,
            in_flight: VecDeque::new(),
            first_in_flight: 0,
            next_msg: 0,
            nodes,
            network: Network::new(&config.network)?,
            clients,
            rng: Streams {
                network: Prng::derive(seed, 1),
                clients: Prng::derive(seed, 2),
                nemesis: Prng::derive(seed, 3),
            },
            events: 0,
            steps: 0,
            quiet: false,
            interceptors: Vec::new(),
            out: Scratch(Vec::new()),
            explain: false,
        };
        for n in 0..config.nodes {
            world.nodes[n as usize].role =
                world.nodes[n as usize].state.as_ref().map_or(Role::Follower, |s| s.view().role);
            world.schedule(setup.between(1, tick), Due::Tick { node: n, incarnation: 0 });
        }
        for c in 0..workload {
            let think = think_time(&world.config, &mut setup);
            world.arm_client_timer(c, think);
        }
        for (i, scheduled) in config.faults.schedule.iter().enumerate() {
            world.schedule(scheduled.at_ms.saturating_mul(1_000), Due::Fault(i as u32));
        }
        if let Some(nemesis) = &config.faults.nemesis {
            let first = nemesis.from_ms * 1_000 + setup.between(nemesis.every_ms[0], nemesis.every_ms[1]) * 1_000;
            world.schedule(first, Due::Nemesis);
        }
        if let Some(quiet) = config.faults.quiet_from() {
            world.schedule(quiet, Due::Quiet);
        }
        Ok(world)
    }

    // ------------------------------------------------------------------ reading

    /// Asks every node, now and after each restart, to report the rule behind each decision
    /// ([`Observer::explained`]), or (`false`, the default) to report none. The run is the same
    /// either way; a world that explains costs a little more (BENCHMARKS.md).
    pub fn set_explain(&mut self, on: bool) {
        self.explain = on;
        for state in self.nodes.iter_mut().filter_map(|slot| slot.state.as_mut()) {
            state.set_explain(on);
        }
    }

    /// The nodes that lead from the start, before any trace event says so (a primary–backup
    /// cluster starts with its primary; the consensus protocols elect theirs).
    pub fn leaders_at_start(&self) -> NodeSet {
        let mut leaders = NodeSet::EMPTY;
        for n in 0..self.config.nodes {
            let role = P::start(self.config.protocol, self.core, n, node_seed(self.config.seed, n, 0)).view().role;
            if matches!(role, Role::Leader | Role::Primary) {
                leaders.insert(n);
            }
        }
        leaders
    }

    /// The run's configuration.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The current virtual time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// How many trace events the world has produced.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// How many entries are waiting in the queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// How many queue entries it has carried out.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// When the next entry is due, if any.
    pub fn next_time(&mut self) -> Option<Time> {
        self.queue.peek_key().map(|(time, _)| time)
    }

    /// When the next entry is due, if any (slower than [`World::next_time`], but needs no `mut`).
    pub fn peek_time(&self) -> Option<Time> {
        self.queue.first_key().map(|(time, _)| time)
    }

    /// Node `n`, unless it is crashed.
    pub fn node(&self, n: NodeId) -> Option<&P> {
        self.nodes.get(n as usize)?.state.as_ref()
    }

    /// Node `n`'s durable state.
    pub fn disk(&self, n: NodeId) -> Option<&P::Durable> {
        Some(&self.nodes.get(n as usize)?.disk)
    }

    /// Whether node `n` runs.
    pub fn status(&self, n: NodeId) -> Status {
        match self.nodes.get(n as usize) {
            Some(slot) if slot.state.is_none() => Status::Down,
            Some(slot) if slot.paused => Status::Paused,
            Some(_) => Status::Up,
            None => Status::Down,
        }
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The clients.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Messages on their way (not those waiting at a paused node), oldest first.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope<P::Message>> {
        self.in_flight.iter().flatten()
    }

    /// How many message slots the world holds in flight: from the oldest message still on its way
    /// to the newest sent (delivered ones in between leave holes until the oldest arrives). What the
    /// run's limit on messages in flight counts ([`crate::limits`]).
    pub fn in_flight_span(&self) -> usize {
        self.in_flight.len()
    }

    /// An estimate of the bytes the world's queue and messages in flight take (their fixed-size
    /// parts; the payloads' own heap is left out). Cheap: two lengths and two sizes.
    pub fn footprint(&self) -> u64 {
        let message = std::mem::size_of::<Option<Envelope<P::Message>>>();
        let entry = std::mem::size_of::<((Time, u64), Due)>();
        (self.in_flight.len() * message + self.queue.len() * entry) as u64
    }

    /// Messages waiting at paused node `n`.
    pub fn inbox(&self, n: NodeId) -> impl Iterator<Item = &Envelope<P::Message>> {
        self.nodes.get(n as usize).into_iter().flat_map(|slot| slot.inbox.iter())
    }

    /// Whether faults have stopped.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    // ------------------------------------------------------------------ stepping

    /// Carries out the next due entry. Returns false if nothing is due.
    pub fn step(&mut self, obs: &mut impl Observer<P>) -> bool {
        let Some(((time, _), due)) = self.queue.pop() else { return false };
        debug_assert!(time >= self.now, "time never runs backwards");
        self.now = time;
        self.steps += 1;
        match due {
            Due::Deliver(msg) => self.deliver(msg, obs),
            Due::Tick { node, incarnation } => self.tick(node, incarnation, obs),
            Due::Client { client, timer } => self.client_timer(client, timer, obs),
            Due::Fault(i) => {
                let fault = self.config.faults.schedule[i as usize].fault.clone();
                // A scripted fault that does not apply (crashing a crashed node) changes nothing.
                let _ = self.apply(&fault, obs);
            }
            Due::Nemesis => self.nemesis(obs),
            Due::Quiet => {
                let _ = self.apply(&Fault::Recover {}, obs);
                self.quiet = true;
            }
        }
        true
    }

    /// Carries out a person's (or a scenario's) action now. Counts as a step, so that a replay that
    /// applies the same actions after the same number of steps reproduces the run exactly.
    pub fn act(&mut self, fault: &Fault, obs: &mut impl Observer<P>) -> Result<(), String> {
        fault.validate(&self.config).map_err(|e| e.0)?;
        self.steps += 1;
        self.apply(fault, obs)
    }

    fn schedule(&mut self, time: Time, due: Due) {
        self.queued += 1;
        self.queue.push((time, self.queued), due);
    }

    fn emit(&mut self, obs: &mut impl Observer<P>, kind: EventKind) -> EventId {
        let id = self.events;
        self.events += 1;
        obs.event(id, &Event { time: self.now, kind });
        id
    }

    // ------------------------------------------------------------------ nodes

    fn tick(&mut self, node: NodeId, incarnation: u32, obs: &mut impl Observer<P>) {
        let slot = &self.nodes[node as usize];
        if slot.incarnation != incarnation || slot.state.is_none() {
            return;
        }
        let paused = slot.paused;
        let next = self.now + u64::from(self.config.params.tick_us);
        self.schedule(next, Due::Tick { node, incarnation });
        if !paused {
            self.run_node(node, Input::Tick, Announce::IfActive, obs);
        }
    }

    /// Steps node `node` with `input` and carries out its outputs: persists first, then the rest.
    fn run_node(
        &mut self,
        node: NodeId,
        input: Input<P::Message, P::Durable>,
        announce: Announce,
        obs: &mut impl Observer<P>,
    ) {
        let mut out = std::mem::take(&mut self.out.0);
        let slot = &mut self.nodes[node as usize];
        let Some(state) = slot.state.as_mut() else { return };
        state.step(input, &mut out);
        let view = state.view();
        let (role, ballot) = (view.role, view.ballot);
        let changed = role != slot.role || ballot != slot.ballot;
        let cause = match announce {
            Announce::Done => self.events.saturating_sub(1),
            // A step that only explained itself did nothing: no event, as with explanations off.
            Announce::IfActive
                if !changed
                    && (out.is_empty() || (self.explain && out.iter().all(|o| matches!(o, Output::Explain(_))))) =>
            {
                out.clear();
                self.out.0 = out;
                return;
            }
            Announce::IfActive | Announce::Always => self.emit(obs, EventKind::Timeout { node }),
        };
        if changed {
            let slot = &mut self.nodes[node as usize];
            slot.role = role;
            slot.ballot = ballot;
            self.emit(obs, EventKind::Role { node, role, ballot });
        }
        // The driver's contract: everything a step persists is durable before anything it sends leaves.
        for output in &out {
            if let Output::Persist(write) = output {
                self.nodes[node as usize].disk.apply(write);
            }
        }
        if self.explain {
            // A rule that answers a node explains the message to it that directly follows (see
            // `paxos_core::explain`).
            let mut answering: Option<(NodeId, Rule)> = None;
            for output in out.drain(..) {
                if let Output::Explain(rule) = output {
                    obs.explained(cause, &rule);
                    answering = rule.answered().map(|to| (to, rule));
                    continue;
                }
                let send = self.events;
                let to = match &output {
                    Output::Send { to, .. } => Some(*to),
                    _ => None,
                };
                obs.output(cause, node, &output);
                self.carry_out(node, output, obs);
                if let Some((answered, rule)) = answering.take()
                    && to == Some(answered)
                {
                    obs.explained_message(send, &rule);
                }
            }
        } else {
            // The bare path (a sweep's, a benchmark's): no node explains, so no rule to look for.
            for output in out.drain(..) {
                obs.output(cause, node, &output);
                self.carry_out(node, output, obs);
            }
        }
        self.out.0 = out;
        if let Some(state) = self.nodes[node as usize].state.as_ref() {
            obs.stepped(cause, node, state);
        }
    }

    /// Carries out one output of `node`'s step (its persists are already on disk).
    #[inline(always)]
    fn carry_out(&mut self, node: NodeId, output: Outputs<P>, obs: &mut impl Observer<P>) {
        match output {
            Output::Persist(_) | Output::Explain(_) => {}
            Output::Send { to, msg } => {
                debug_assert_ne!(to, node, "a node handles messages to itself");
                self.send(Addr::node(node), Addr::node(to), Payload::Node(msg), obs);
            }
            Output::Decided { slot, .. } => {
                self.emit(obs, EventKind::Decide { node, slot });
            }
            Output::Reply(reply) => {
                self.send(Addr::node(node), Addr::client(reply.client), Payload::Reply(reply), obs);
            }
        }
    }

    // ------------------------------------------------------------------ network

    /// Sends a message: records it, decides its fate, and queues its arrival.
    fn send(&mut self, from: Addr, to: Addr, payload: Payload<P::Message>, obs: &mut impl Observer<P>) -> MsgId {
        let id = self.next_msg;
        self.next_msg += 1;
        let label = payload.label();
        self.emit(obs, EventKind::Send { msg: id, from, to, kind: label.kind, ballot: label.ballot, slot: label.slot });
        let (arrive, doomed, duplicate) = match (from.as_node(), to.as_node()) {
            (Some(f), Some(t)) => {
                let doomed = if !self.network.connected(f, t) {
                    Some(DropCause::Partition)
                } else if self.rng.network.chance(self.network.loss) {
                    Some(DropCause::Loss)
                } else {
                    None
                };
                let duplicate = doomed.is_none() && self.rng.network.chance(self.network.duplication);
                (self.network.arrival(&mut self.rng.network, self.now, f, t), doomed, duplicate)
            }
            _ => (self.network.client_arrival(&mut self.rng.network, self.now), None, false),
        };
        let (mut arrive, mut doomed) = (arrive, doomed);
        if let Some(rule) = self.interceptors.iter_mut().find(|rule| {
            rule.from.is_none_or(|n| from.as_node() == Some(n))
                && rule.to.is_none_or(|n| to.as_node() == Some(n))
                && rule.kind.is_none_or(|k| k == label.kind)
        }) {
            rule.left -= 1;
            match rule.delay {
                Some(delay) => arrive += delay,
                None => doomed = Some(DropCause::Manual),
            }
            self.interceptors.retain(|rule| rule.left > 0);
        }
        let envelope = Envelope { id, from, to, sent: self.now, arrive, doomed, payload };
        let copy = duplicate.then(|| envelope.clone());
        self.in_flight.push_back(Some(envelope));
        self.schedule(arrive, Due::Deliver(id));
        if let Some(original) = copy {
            self.copy_message(&original, obs);
        }
        id
    }

    /// Puts a copy of a message on the wire (network duplication, or a person's click): the same
    /// packet seen twice, arriving within a millisecond after the original (as a retransmission
    /// would), and never lost or copied again itself.
    fn copy_message(&mut self, original: &Envelope<P::Message>, obs: &mut impl Observer<P>) {
        let copy = self.next_msg;
        self.next_msg += 1;
        self.emit(obs, EventKind::Duplicate { msg: original.id, copy });
        let label = original.payload.label();
        let (from, to) = (original.from, original.to);
        self.emit(
            obs,
            EventKind::Send { msg: copy, from, to, kind: label.kind, ballot: label.ballot, slot: label.slot },
        );
        let arrive = original.arrive.max(self.now) + self.rng.network.between(1, 1_000);
        let envelope =
            Envelope { id: copy, from, to, sent: self.now, arrive, doomed: None, payload: original.payload.clone() };
        self.in_flight.push_back(Some(envelope));
        self.schedule(arrive, Due::Deliver(copy));
    }

    fn envelope_mut(&mut self, msg: MsgId) -> Option<&mut Envelope<P::Message>> {
        let index = msg.checked_sub(self.first_in_flight)? as usize;
        self.in_flight.get_mut(index)?.as_mut()
    }

    fn take_envelope(&mut self, msg: MsgId) -> Option<Envelope<P::Message>> {
        let index = msg.checked_sub(self.first_in_flight)? as usize;
        let envelope = self.in_flight.get_mut(index)?.take();
        while let Some(None) = self.in_flight.front() {
            self.in_flight.pop_front();
            self.first_in_flight += 1;
        }
        envelope
    }

    fn deliver(&mut self, msg: MsgId, obs: &mut impl Observer<P>) {
        // A delayed message has a newer arrival entry; this one is stale.
        let now = self.now;
        if self.envelope_mut(msg).is_none_or(|e| e.arrive != now) {
            return;
        }
        let Some(envelope) = self.take_envelope(msg) else { return };
        match envelope.to.as_node() {
            Some(node) => self.arrive_at_node(node, envelope, obs),
            None => {
                // A reply a person intercepted ("drop the next Reply to c1") is lost on its way.
                if let Some(cause) = envelope.doomed {
                    self.emit(obs, EventKind::Drop { msg, cause });
                    return;
                }
                self.emit(obs, EventKind::Deliver { msg });
                let Payload::Reply(reply) = envelope.payload else { return };
                let from = envelope.from.as_node().unwrap_or(0);
                self.client_reply(reply, from, obs);
            }
        }
    }

    fn arrive_at_node(&mut self, node: NodeId, envelope: Envelope<P::Message>, obs: &mut impl Observer<P>) {
        let msg = envelope.id;
        let slot = &mut self.nodes[node as usize];
        let cut_off = envelope.from.as_node().is_some_and(|from| !self.network.connected(from, node));
        let cause = if slot.state.is_none() {
            Some(DropCause::Crashed)
        } else if envelope.doomed.is_some() {
            envelope.doomed
        } else if cut_off {
            Some(DropCause::Partition)
        } else {
            None
        };
        if let Some(cause) = cause {
            self.emit(obs, EventKind::Drop { msg, cause });
            return;
        }
        if slot.paused {
            slot.inbox.push_back(envelope);
            return;
        }
        self.emit(obs, EventKind::Deliver { msg });
        let input = match envelope.payload {
            Payload::Node(m) => Input::Message { from: envelope.from.as_node().unwrap_or(0), msg: m },
            Payload::Request(command) => Input::Request(command),
            Payload::Reply(_) => return,
        };
        self.run_node(node, input, Announce::Done, obs);
    }

    // ------------------------------------------------------------------ clients

    /// Sets when `client` next needs attention. A client has at most one live entry in the queue: a
    /// new one is queued only if the queued one would come too late (so finished requests do not
    /// leave their timeouts behind in the queue).
    fn arm_client_timer(&mut self, client: ClientId, after: Time) {
        let c = &mut self.clients[client as usize];
        c.wake = self.now + after;
        if c.queued.is_none_or(|(at, _)| at > c.wake) {
            c.timers = c.timers.wrapping_add(1);
            c.queued = Some((c.wake, c.timers));
            let (wake, timer) = (c.wake, c.timers);
            self.schedule(wake, Due::Client { client, timer });
        }
    }

    fn client_timer(&mut self, client: ClientId, timer: u32, obs: &mut impl Observer<P>) {
        let c = &mut self.clients[client as usize];
        if c.queued.is_none_or(|(_, live)| live != timer) {
            return;
        }
        c.queued = None;
        if c.wake > self.now {
            // Re-armed for later since this entry was queued.
            let after = c.wake - self.now;
            self.arm_client_timer(client, after);
            return;
        }
        match c.pending {
            // Timed out (or told to wait): ask another node.
            Some(pending) => {
                let target = self.other_node(pending.target);
                if let Some(p) = self.clients[client as usize].pending.as_mut() {
                    p.target = target;
                }
                self.send_request(client, obs);
            }
            None => self.invoke_next(client, obs),
        }
    }

    fn invoke_next(&mut self, client: ClientId, obs: &mut impl Observer<P>) {
        let keys = self.config.clients.keys;
        let c = &mut self.clients[client as usize];
        if c.pending.is_some() {
            return;
        }
        let Some((node, op)) = c.next_op(&mut self.rng.clients, keys) else { return };
        c.seq += 1;
        let seq = c.seq;
        let target = match node.or(c.hint) {
            Some(target) => target,
            None => self.rng.clients.below(u64::from(self.config.nodes)) as NodeId,
        };
        self.clients[client as usize].pending = Some(Pending { seq, op, target, invoked: self.now });
        self.emit(obs, EventKind::Invoke { client, seq, op });
        self.send_request(client, obs);
    }

    fn send_request(&mut self, client: ClientId, obs: &mut impl Observer<P>) {
        let Some(p) = self.clients[client as usize].pending else { return };
        let command = Command { client, seq: p.seq, op: p.op };
        self.send(Addr::client(client), Addr::node(p.target), Payload::Request(command), obs);
        let timeout = u64::from(self.config.clients.timeout_ms) * 1_000;
        self.arm_client_timer(client, timeout);
    }

    fn client_reply(&mut self, reply: Reply, from: NodeId, obs: &mut impl Observer<P>) {
        let client = reply.client;
        let Some(pending) = self.clients[client as usize].pending else { return };
        if pending.seq != reply.seq {
            return;
        }
        match reply.outcome {
            Outcome::NotLeader { hint } => {
                let hint = hint.filter(|&h| h != from && h < self.config.nodes);
                self.clients[client as usize].hint = hint;
                match hint {
                    Some(target) => {
                        if let Some(p) = self.clients[client as usize].pending.as_mut() {
                            p.target = target;
                        }
                        self.send_request(client, obs);
                    }
                    // Nobody knows a leader yet: wait a moment, then try another node.
                    None => self.arm_client_timer(client, 2 * u64::from(self.config.params.tick_us)),
                }
            }
            outcome => {
                let c = &mut self.clients[client as usize];
                c.pending = None;
                c.hint = Some(from);
                let value = outcome_value(outcome);
                self.emit(obs, EventKind::Return { client, seq: reply.seq, value });
                if !self.clients[client as usize].script.is_empty() {
                    self.invoke_next(client, obs);
                } else if self.clients[client as usize].workload {
                    let think = think_time(&self.config, &mut self.rng.clients);
                    self.arm_client_timer(client, think);
                }
            }
        }
    }

    /// A random node other than `not` (or `not` itself in a one-node cluster).
    fn other_node(&mut self, not: NodeId) -> NodeId {
        let n = self.config.nodes;
        if n <= 1 {
            return not;
        }
        let pick = self.rng.clients.below(u64::from(n - 1)) as NodeId;
        if pick >= not { pick + 1 } else { pick }
    }

    // ------------------------------------------------------------------ faults

    /// Applies a fault. Errors say why it does not apply (crashing a crashed node, …).
    fn apply(&mut self, fault: &Fault, obs: &mut impl Observer<P>) -> Result<(), String> {
        match *fault {
            Fault::Crash { node } => self.crash(node.0, obs),
            Fault::CrashLeader {} => {
                let leader = (0..self.config.nodes)
                    .filter(|&n| self.status(n) == Status::Up)
                    .filter(|&n| matches!(self.nodes[n as usize].role, Role::Leader | Role::Primary))
                    .max_by_key(|&n| self.nodes[n as usize].ballot)
                    .ok_or("no running node leads now")?;
                self.crash(leader, obs)
            }
            Fault::Restart { node } => self.restart(node.0, obs),
            Fault::Pause { node } => {
                let slot = &mut self.nodes[node.0 as usize];
                if slot.state.is_none() || slot.paused {
                    return Err(format!("{node} is not running"));
                }
                slot.paused = true;
                self.emit(obs, EventKind::Pause { node: node.0 });
                Ok(())
            }
            Fault::Resume { node } => self.resume(node.0, obs),
            Fault::Partition { ref groups } => {
                let mut islands = Islands::default();
                for (i, group) in groups.iter().enumerate() {
                    for node in group {
                        islands = islands.with(node.0, i as u8 + 1);
                    }
                }
                self.set_islands(normalize(islands, self.config.nodes), obs);
                Ok(())
            }
            Fault::Cut { from, to, both } | Fault::Repair { from, to, both } => {
                let cut = matches!(fault, Fault::Cut { .. });
                let mut links = vec![(from.0, to.0)];
                if both {
                    links.push((to.0, from.0));
                }
                for (f, t) in links {
                    if self.network.set_cut(f, t, cut) {
                        let kind =
                            if cut { EventKind::Cut { from: f, to: t } } else { EventKind::Repair { from: f, to: t } };
                        self.emit(obs, kind);
                    }
                }
                Ok(())
            }
            Fault::Heal {} => {
                self.heal(obs);
                Ok(())
            }
            Fault::Loss { ratio } => {
                self.network.loss = ratio.ratio("loss").map_err(|e| e.0)?;
                self.emit_weather(obs);
                Ok(())
            }
            Fault::Duplication { ratio } => {
                self.network.duplication = ratio.ratio("duplication").map_err(|e| e.0)?;
                self.emit_weather(obs);
                Ok(())
            }
            Fault::Timeout { node } => {
                if self.status(node.0) != Status::Up {
                    return Err(format!("{node} is not running"));
                }
                self.run_node(node.0, Input::Timeout, Announce::Always, obs);
                Ok(())
            }
            Fault::Request { client, node, op } => {
                let client = client.map_or(self.config.clients.workload, |c| c.0);
                self.clients[client as usize].script.push_back((node.map(|n| n.0), op.0));
                self.invoke_next(client, obs);
                Ok(())
            }
            Fault::DropMessage { msg } => {
                self.take_envelope(msg).ok_or_else(|| format!("message {msg} is not in flight"))?;
                self.emit(obs, EventKind::Drop { msg, cause: DropCause::Manual });
                Ok(())
            }
            Fault::DuplicateMessage { msg } => {
                let envelope = self.envelope_mut(msg).ok_or_else(|| format!("message {msg} is not in flight"))?.clone();
                self.copy_message(&envelope, obs);
                Ok(())
            }
            Fault::DelayMessage { msg, by_us } => {
                let envelope = self.envelope_mut(msg).ok_or_else(|| format!("message {msg} is not in flight"))?;
                envelope.arrive += by_us;
                let arrive = envelope.arrive;
                self.schedule(arrive, Due::Deliver(msg));
                Ok(())
            }
            Fault::Intercept { from, to, kind, delay_us, count } => {
                self.interceptors.push(Interceptor {
                    from: from.map(|n| n.0),
                    to: to.map(|n| n.0),
                    kind: kind.map(|k| k.0),
                    delay: delay_us,
                    left: count,
                });
                Ok(())
            }
            Fault::Recover {} => {
                for n in 0..self.config.nodes {
                    match self.status(n) {
                        Status::Down => self.restart(n, obs)?,
                        Status::Paused => self.resume(n, obs)?,
                        Status::Up => {}
                    }
                }
                self.heal(obs);
                if !self.network.loss.is_never() || !self.network.duplication.is_never() {
                    self.network.loss = Ratio::NEVER;
                    self.network.duplication = Ratio::NEVER;
                    self.emit_weather(obs);
                }
                Ok(())
            }
        }
    }

    fn crash(&mut self, node: NodeId, obs: &mut impl Observer<P>) -> Result<(), String> {
        let slot = &mut self.nodes[node as usize];
        if slot.state.is_none() {
            return Err(format!("{} is already down", NodeName(node)));
        }
        slot.state = None;
        slot.paused = false;
        let lost: Vec<MsgId> = slot.inbox.drain(..).map(|e| e.id).collect();
        self.emit(obs, EventKind::Crash { node });
        for msg in lost {
            self.emit(obs, EventKind::Drop { msg, cause: DropCause::Crashed });
        }
        Ok(())
    }

    fn restart(&mut self, node: NodeId, obs: &mut impl Observer<P>) -> Result<(), String> {
        let core = self.core;
        let seed = self.config.seed;
        let slot = &mut self.nodes[node as usize];
        if slot.state.is_some() {
            return Err(format!("{} is already up", NodeName(node)));
        }
        slot.incarnation += 1;
        let incarnation = slot.incarnation;
        let mut fresh = P::start(self.config.protocol, core, node, node_seed(seed, node, incarnation));
        fresh.set_explain(self.explain);
        slot.role = fresh.view().role;
        slot.ballot = fresh.view().ballot;
        slot.state = Some(fresh);
        let disk = slot.disk.clone();
        self.emit(obs, EventKind::Restart { node });
        self.run_node(node, Input::Recover(disk), Announce::Done, obs);
        let first_tick = self.now + u64::from(self.config.params.tick_us);
        self.schedule(first_tick, Due::Tick { node, incarnation });
        Ok(())
    }

    fn resume(&mut self, node: NodeId, obs: &mut impl Observer<P>) -> Result<(), String> {
        let slot = &mut self.nodes[node as usize];
        if slot.state.is_none() || !slot.paused {
            return Err(format!("{} is not paused", NodeName(node)));
        }
        slot.paused = false;
        let waiting: Vec<Envelope<P::Message>> = slot.inbox.drain(..).collect();
        self.emit(obs, EventKind::Resume { node });
        for envelope in waiting {
            // Messages that reached the node before it froze are handled now, in arrival order.
            self.emit(obs, EventKind::Deliver { msg: envelope.id });
            let input = match envelope.payload {
                Payload::Node(m) => Input::Message { from: envelope.from.as_node().unwrap_or(0), msg: m },
                Payload::Request(command) => Input::Request(command),
                Payload::Reply(_) => continue,
            };
            self.run_node(node, input, Announce::Done, obs);
        }
        Ok(())
    }

    fn set_islands(&mut self, islands: Islands, obs: &mut impl Observer<P>) {
        if self.network.islands != islands {
            self.network.islands = islands;
            self.emit(obs, EventKind::Partition { islands });
        }
    }

    fn heal(&mut self, obs: &mut impl Observer<P>) {
        self.set_islands(Islands::default(), obs);
        let cuts: Vec<(NodeId, NodeId)> = self.network.cuts().collect();
        for (from, to) in cuts {
            self.network.set_cut(from, to, false);
            self.emit(obs, EventKind::Repair { from, to });
        }
    }

    fn emit_weather(&mut self, obs: &mut impl Observer<P>) {
        let (loss, dup) = (self.network.loss, self.network.duplication);
        self.emit(
            obs,
            EventKind::Weather {
                loss: (loss.numerator as u16, loss.denominator as u16),
                duplication: (dup.numerator as u16, dup.denominator as u16),
            },
        );
    }

    /// The nemesis draws a fault, applies it, and schedules its next move.
    fn nemesis(&mut self, obs: &mut impl Observer<P>) {
        let Some(nemesis) = self.config.faults.nemesis.clone() else { return };
        if self.quiet || self.now >= nemesis.until_ms * 1_000 {
            return;
        }
        let n = self.config.nodes;
        let max_down = nemesis.max_down.unwrap_or(n - majority_of(usize::from(n)) as u8);
        for fault in self.draw_faults(nemesis.weights(), n, max_down) {
            let _ = self.apply(&fault, obs);
        }
        let wait = self.rng.nemesis.between(nemesis.every_ms[0], nemesis.every_ms[1]) * 1_000;
        self.schedule(self.now + wait, Due::Nemesis);
    }

    /// The nemesis's next move (see [`crate::faults::NEMESIS_MOVES`]): one fault, or several that
    /// make one move (a one-way partition cuts many links). The first seven moves draw exactly as
    /// they did before the last three were added.
    fn draw_faults(&mut self, weights: FaultWeights, n: u8, max_down: u8) -> Vec<Fault> {
        let down = (0..n).filter(|&x| self.status(x) != Status::Up).count() as u8;
        let rng = &mut self.rng.nemesis;
        let total: u32 = weights.iter().sum();
        let mut pick = rng.below(u64::from(total)) as u32;
        let Some(kind) = weights.iter().position(|&w| {
            let hit = pick < w;
            pick = pick.saturating_sub(w);
            hit
        }) else {
            return Vec::new();
        };
        match kind {
            7 => self.draw_delays(),
            8 => self.draw_churn(down < max_down).into_iter().collect(),
            9 => {
                // Two groups at random; every link from the first to the second is cut, one way.
                let rng = &mut self.rng.nemesis;
                let sides: Vec<u64> = (0..n).map(|_| rng.below(2)).collect();
                let mut cuts = Vec::new();
                for from in (0..n).filter(|&x| sides[x as usize] == 0) {
                    for to in (0..n).filter(|&x| sides[x as usize] == 1) {
                        cuts.push(Fault::Cut { from: NodeName(from), to: NodeName(to), both: false });
                    }
                }
                cuts
            }
            _ => self.draw_fault(kind, n, max_down).into_iter().collect(),
        }
    }

    /// Long delays: the messages in flight from one node (one time in three, every message in
    /// flight) arrive later by one to three maximum election timeouts — longer than any node waits
    /// before suspecting the sender. A message is delayed once: one delayed already (on its way for
    /// longer than an election timeout) is left alone, so delays do not pile up past the faults.
    fn draw_delays(&mut self) -> Vec<Fault> {
        let election = u64::from(self.config.params.election_ticks[1]) * u64::from(self.config.params.tick_us);
        let rng = &mut self.rng.nemesis;
        let by_us = rng.between(election, 3 * election);
        let from = match rng.below(3) {
            0 => None,
            _ => Some(rng.below(u64::from(self.config.nodes)) as NodeId),
        };
        self.in_flight
            .iter()
            .flatten()
            .filter(|e| e.to.as_node().is_some() && from.is_none_or(|f| e.from.as_node() == Some(f)))
            .filter(|e| e.arrive - e.sent < election)
            .map(|e| Fault::DelayMessage { msg: e.id, by_us })
            .collect()
    }

    /// Leader churn: the node that leads pauses (if another node may go down), or another running
    /// node times out and runs for leadership.
    fn draw_churn(&mut self, may_pause: bool) -> Option<Fault> {
        let up: Vec<NodeId> = (0..self.config.nodes).filter(|&x| self.status(x) == Status::Up).collect();
        let leader = up
            .iter()
            .copied()
            .filter(|&x| matches!(self.nodes[x as usize].role, Role::Leader | Role::Primary))
            .max_by_key(|&x| self.nodes[x as usize].ballot);
        let rng = &mut self.rng.nemesis;
        match leader {
            Some(leader) if may_pause && rng.below(2) == 0 => Some(Fault::Pause { node: NodeName(leader) }),
            _ => {
                let others: Vec<NodeId> = up.into_iter().filter(|&x| Some(x) != leader).collect();
                let node = *others.get(rng.below(others.len().max(1) as u64) as usize)?;
                Some(Fault::Timeout { node: NodeName(node) })
            }
        }
    }

    /// One of the first seven moves (drawn as before the others were added).
    fn draw_fault(&mut self, kind: usize, n: u8, max_down: u8) -> Option<Fault> {
        let rng = &mut self.rng.nemesis;
        let down: Vec<NodeId> =
            (0..n).filter(|&x| self.nodes[x as usize].state.is_none() || self.nodes[x as usize].paused).collect();
        let up: Vec<NodeId> = (0..n).filter(|x| !down.contains(x)).collect();
        let any = |rng: &mut Prng, from: &[NodeId]| from.get(rng.below(from.len() as u64) as usize).copied();
        Some(match kind {
            0 => Fault::Loss { ratio: RatioSpec(rng.below(31) as u16, 100) },
            1 => Fault::Duplication { ratio: RatioSpec(rng.below(21) as u16, 100) },
            2 => {
                // Two islands: each node lands in one at random.
                let mut groups = vec![Vec::new(), Vec::new()];
                for node in 0..n {
                    groups[rng.below(2) as usize].push(NodeName(node));
                }
                Fault::Partition { groups }
            }
            3 => {
                let from = rng.below(u64::from(n)) as NodeId;
                let to = (from + 1 + rng.below(u64::from(n.max(2) - 1)) as NodeId) % n;
                if from == to {
                    return None;
                }
                Fault::Cut { from: NodeName(from), to: NodeName(to), both: rng.below(2) == 0 }
            }
            4 if (down.len() as u8) < max_down => Fault::Crash { node: NodeName(any(rng, &up)?) },
            5 if (down.len() as u8) < max_down => Fault::Pause { node: NodeName(any(rng, &up)?) },
            // Repair something: bring a node back, or heal the network.
            _ => match any(rng, &down) {
                Some(node) if self.nodes[node as usize].paused => Fault::Resume { node: NodeName(node) },
                Some(node) => Fault::Restart { node: NodeName(node) },
                None => Fault::Heal {},
            },
        })
    }
}

/// Renumbers islands so that the island of node 0 is 0, the next new island 1, and so on: equal
/// partitions get equal numbers, and a partition that keeps everyone together is "healed".
fn normalize(islands: Islands, nodes: u8) -> Islands {
    let mut map = [u8::MAX; 16];
    let mut next = 0;
    let mut out = Islands::default();
    for node in 0..nodes {
        let island = islands.of(node) as usize;
        if map[island] == u8::MAX {
            map[island] = next;
            next += 1;
        }
        out = out.with(node, map[island]);
    }
    out
}

/// How long a client pauses between two operations.
fn think_time(config: &SimConfig, rng: &mut Prng) -> Time {
    let [lo, hi] = config.clients.think_ms;
    rng.between(u64::from(lo) * 1_000, u64::from(hi) * 1_000)
}

/// The seed of node `node`'s generator in its `incarnation`-th life.
fn node_seed(seed: u64, node: NodeId, incarnation: u32) -> u64 {
    Prng::derive(seed, 0x1_0000 + (u64::from(incarnation) << 8) + u64::from(node)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_numbered_canonically() {
        let a = Islands::default().with(0, 3).with(1, 3).with(2, 5);
        let b = Islands::default().with(2, 1);
        assert_eq!(normalize(a, 3), b);
        assert!(normalize(Islands::default().with(0, 2).with(1, 2), 2).is_whole());
    }
}
