//! An exhaustive model checker for a three-node cluster of any [`Protocol`], over the real state
//! machines: every state reachable within small bounds, each checked against the invariants of a
//! [`Spec`].
//!
//! A state of the whole system ([`World`]) is the nodes, their disks (the driver's copy of what each
//! node made durable, built from `Output::Persist` alone), every message sent, the counts of client
//! requests, crashes and ticks used, and a ghost record of what the nodes did that the invariants
//! need (what was decided and announced, who led which ballot).
//!
//! **The network** is the set of every message ever sent; a transition delivers any of them, at any
//! moment, any number of times (as in the TLA+ specifications of Paxos, whose `msgs` only grows).
//! This covers every interleaving of delivery, loss, duplication and reordering: reordering and
//! duplication directly; a lost message is one never delivered, and since no node can observe that
//! a message is missing, every state of the nodes reachable with a loss is reachable without it.
//! (A multiset whose deliveries consume messages was tried too: with heartbeats it grows without
//! bound, and bounding duplicates made far more states, not fewer.) What the invariants need of past
//! messages (votes and promises announced) is recorded in the ghost when sent.
//!
//! **Transitions** from each state: deliver any message; fire `Input::Timeout` at any node (a new
//! election), refused if it would take a ballot's round (a Raft term) beyond the bound; `Input::Tick`
//! at a leader (heartbeats and resends: see each spec for the timing that makes one tick a period),
//! bounded where the leader's timers do not return to where they were;
//! a client request at any node, up to the bound; a crash and restart of any node, up to the bound.
//! A crash is taken together with its restart (`Input::Recover` with the node's disk): a node that is
//! down sends nothing and the others cannot tell it from one that is up and hears nothing, and
//! recovering sends nothing either, so restarting at once and delivering nothing to it yet reaches
//! every state that a later restart would.
//!
//! **State hashing.** Each node is hashed with its disk once per step that changes it; the set of
//! messages is hashed as the sum of its members' hashes, kept up to date as it grows. A search
//! ([`explore`]) remembers each state as a 64-bit fingerprint. Node-permutation symmetry is not
//! used: ballots order nodes by id (a lower id loses ties), so permuting ids changes behaviour.
//! Hashing alone does not make the full bounds fit CI (the reachable states run to many millions),
//! so the tests also bound the number of transitions, as the single-decree check does.

#![allow(dead_code)]

mod explore;

use std::collections::hash_map::DefaultHasher;
use std::fmt::{Debug, Display};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

pub use explore::{Counterexample, Stats, explore};
use paxos_core::{Command, Config, Durable, Input, Message, NodeId, Op, Output, Outputs, Protocol, Role};

/// The cluster size.
pub const NODES: usize = 3;

/// How far a search may go.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// No ballot round (Raft: term) above this.
    pub max_round: u32,
    /// How many client requests (each a new command) in all.
    pub requests: u8,
    /// How many crash-and-restarts in all.
    pub crashes: u8,
    /// How many leader ticks in all (`None`: any number, for protocols whose leaders' timers
    /// return to where they were after each tick).
    pub ticks: Option<u8>,
}

/// Searches from `initial` (bounded by `bounds`, at most `max_depth` transitions if given) and prints
/// what it found and how long it took: the time is a figure for BENCHMARKS.md, never asserted.
pub fn explore_and_report<S: Spec>(
    name: &str,
    initial: World<S>,
    bounds: Bounds,
    max_depth: Option<usize>,
) -> Result<Stats, Counterexample> {
    let t = std::time::Instant::now();
    let result = explore(initial, max_depth);
    match &result {
        Ok(stats) => println!("{name} {bounds:?}, depth ≤ {max_depth:?}: {stats:?} in {:.1?}", t.elapsed()),
        Err(cx) => println!("{name} {bounds:?}, depth ≤ {max_depth:?}: counterexample in {:.1?}: {cx}", t.elapsed()),
    }
    result
}

/// The bounds, depth and planted bug of a search run by hand (the `growth` tests): `MC` is
/// `rounds,requests,crashes,depth` (depth `-` for none), `BUG` a planted bug's name.
pub fn bounds_from_env(ticks: Option<u8>) -> (Bounds, Option<usize>, paxos_core::Bugs) {
    let spec = std::env::var("MC").unwrap_or_else(|_| "1,0,0,-".into());
    let n: Vec<&str> = spec.split(',').collect();
    fn field<T: std::str::FromStr>(n: &[&str], i: usize) -> T {
        n.get(i).and_then(|x| x.parse().ok()).unwrap_or_else(|| panic!("MC={}: field {i} is not a number", n.join(",")))
    }
    let bounds = Bounds { max_round: field(&n, 0), requests: field(&n, 1), crashes: field(&n, 2), ticks };
    #[allow(unused_mut)]
    let mut bugs = paxos_core::Bugs::NONE;
    #[cfg(feature = "planted-bugs")]
    if let Ok(bug) = std::env::var("BUG") {
        bugs = bugs.with(paxos_core::Bug::from_name(&bug).expect("a planted bug's name"));
    }
    (bounds, n.get(3).and_then(|d| d.parse().ok()), bugs)
}

/// A protocol under check: its node type, what the checker remembers of a run, and the invariants.
pub trait Spec: Sized + 'static {
    /// The node.
    type Node: Protocol<Message: Hash + Eq, Durable: Hash> + Hash;
    /// What the invariants need to know about the past (decisions, leaders, votes).
    type Ghost: Clone + Debug + Default + Hash;

    /// Records what node `id` just did (its outputs, in order, and its state after the step; `world`'s
    /// own ghost is empty during the call); an error names a broken invariant seen in the outputs
    /// themselves (two values decided for a slot).
    fn observe(
        ghost: &mut Self::Ghost,
        world: &World<Self>,
        id: NodeId,
        out: &[Outputs<Self::Node>],
    ) -> Result<(), String>;

    /// The invariants; an error describes the first one broken.
    fn check(world: &World<Self>) -> Result<(), String>;
}

/// A message with its sender and receiver.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Envelope<M> {
    /// The sender.
    pub from: NodeId,
    /// The receiver.
    pub to: NodeId,
    /// The message.
    pub msg: M,
}

/// Every message ever sent, in the order first sent, with a hash of the set as a whole.
#[derive(Clone)]
pub struct Network<M> {
    list: Vec<Rc<Envelope<M>>>,
    /// The members' hashes, sorted, to tell a new message from one already in the set.
    prints: Vec<u64>,
    /// The sum of the members' hashes: the same for the same set, whatever the order of sending.
    sum: u64,
}

impl<M: Hash + Eq> Network<M> {
    fn insert(&mut self, envelope: Envelope<M>) {
        let print = fingerprint(&envelope);
        if let Err(at) = self.prints.binary_search(&print) {
            self.prints.insert(at, print);
            self.sum = self.sum.wrapping_add(print);
            self.list.push(Rc::new(envelope));
        }
    }

    /// The messages, in the order first sent.
    pub fn iter(&self) -> impl Iterator<Item = &Envelope<M>> {
        self.list.iter().map(|e| &**e)
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.list.len()
    }
}

/// One transition, for counterexamples.
pub enum Action<M> {
    Deliver(Rc<Envelope<M>>),
    Tick(NodeId),
    Timeout(NodeId),
    Request(NodeId, Command),
    Restart(NodeId),
}

impl<M: Message> Display for Action<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Deliver(e) => write!(f, "n{} → n{}: {} {}", e.from + 1, e.to + 1, e.msg.label().kind.name(), e.msg),
            Action::Tick(n) => write!(f, "tick at n{}", n + 1),
            Action::Timeout(n) => write!(f, "timeout at n{}", n + 1),
            Action::Request(n, command) => write!(f, "request {command} at n{}", n + 1),
            Action::Restart(n) => write!(f, "n{} crashes and restarts from its disk", n + 1),
        }
    }
}

/// The path to a state, newest action first (shared between a state and its successors).
struct Trace<M> {
    action: Action<M>,
    before: Option<Rc<Trace<M>>>,
}

/// The messages of protocol `S`.
pub type Msg<S> = <<S as Spec>::Node as Protocol>::Message;
/// The durable state of protocol `S`.
pub type Disk<S> = <<S as Spec>::Node as Protocol>::Durable;

/// The whole system's state.
pub struct World<S: Spec> {
    pub bounds: Bounds,
    pub config: Config,
    pub nodes: Vec<S::Node>,
    /// Per node, the fingerprint of its state and its disk.
    prints: Vec<u64>,
    /// Per node, what it made durable (built from its `Persist` outputs only).
    pub disks: Vec<Disk<S>>,
    pub network: Rc<Network<Msg<S>>>,
    /// Client requests made (the commands are `command(0..requests)`).
    pub requests: u8,
    pub crashes: u8,
    pub ticks: u8,
    pub ghost: S::Ghost,
    /// A broken invariant seen in a step's outputs.
    error: Option<String>,
    trace: Option<Rc<Trace<Msg<S>>>>,
}

impl<S: Spec> Clone for World<S> {
    fn clone(&self) -> Self {
        World {
            bounds: self.bounds,
            config: self.config,
            nodes: self.nodes.clone(),
            prints: self.prints.clone(),
            disks: self.disks.clone(),
            network: Rc::clone(&self.network),
            requests: self.requests,
            crashes: self.crashes,
            ticks: self.ticks,
            ghost: self.ghost.clone(),
            error: self.error.clone(),
            trace: self.trace.clone(),
        }
    }
}

/// The `k`-th client command: client `k + 1` sets key 0 to `k + 1`.
pub fn command(k: u8) -> Command {
    Command { client: u16::from(k) + 1, seq: 1, op: Op::Set(0, i64::from(k) + 1) }
}

/// The seed every node's generator starts from (it only draws election timeouts, which never fire
/// by themselves here: elections come from `Input::Timeout`).
const SEED: u64 = 7;

impl<S: Spec> World<S> {
    /// Three fresh nodes, nothing sent.
    pub fn new(config: Config, bounds: Bounds) -> World<S> {
        assert_eq!(config.nodes as usize, NODES);
        let nodes: Vec<S::Node> = (0..NODES as NodeId).map(|id| S::Node::new(config, id, SEED)).collect();
        let disks = vec![Disk::<S>::default(); NODES];
        let prints = nodes.iter().zip(&disks).map(|(n, d)| node_print::<S>(n, d)).collect();
        World {
            bounds,
            config,
            nodes,
            prints,
            disks,
            network: Rc::new(Network { list: Vec::new(), prints: Vec::new(), sum: 0 }),
            requests: 0,
            crashes: 0,
            ticks: 0,
            ghost: S::Ghost::default(),
            error: None,
            trace: None,
        }
    }

    /// The commands requested so far.
    pub fn requested(&self) -> Vec<Command> {
        (0..self.requests).map(command).collect()
    }

    /// The actions that led here, oldest first.
    pub fn trace(&self) -> Vec<String> {
        let mut steps = Vec::new();
        let mut at = self.trace.as_deref();
        while let Some(step) = at {
            steps.push(step.action.to_string());
            at = step.before.as_deref();
        }
        steps.reverse();
        steps
    }

    /// The fingerprint of this state (the trace is not part of it).
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.prints.hash(&mut hasher);
        self.network.sum.hash(&mut hasher);
        (self.requests, self.crashes, self.ticks).hash(&mut hasher);
        self.ghost.hash(&mut hasher);
        self.error.hash(&mut hasher);
        hasher.finish()
    }

    /// The invariants (and any broken one seen in a step's outputs).
    pub fn check(&self) -> Result<(), String> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        S::check(self)
    }

    /// Steps node `id`, applies its writes to its disk, sends its messages and records the rest.
    fn step(&mut self, id: NodeId, input: Input<Msg<S>, Disk<S>>, action: Action<Msg<S>>) {
        self.trace = Some(Rc::new(Trace { action, before: self.trace.take() }));
        let n = id as usize;
        let mut out = Vec::new();
        self.nodes[n].step(input, &mut out);
        for output in &out {
            if let Output::Persist(write) = output {
                self.disks[n].apply(write);
            }
        }
        // Taken out for the call, which reads the rest of the world (never the ghost itself).
        let mut ghost = std::mem::take(&mut self.ghost);
        if let Err(error) = S::observe(&mut ghost, self, id, &out)
            && self.error.is_none()
        {
            self.error = Some(error);
        }
        self.ghost = ghost;
        if out.iter().any(|o| matches!(o, Output::Send { .. })) {
            let network = Rc::make_mut(&mut self.network);
            for output in out {
                if let Output::Send { to, msg } = output {
                    assert_ne!(to, id, "nodes never send to themselves");
                    network.insert(Envelope { from: id, to, msg });
                }
            }
        }
        self.prints[n] = node_print::<S>(&self.nodes[n], &self.disks[n]);
    }

    /// Whether node `id`'s ballot round (Raft: term) is within the bound.
    fn within_bounds(&self, id: NodeId) -> bool {
        let view = self.nodes[id as usize].view();
        view.ballot.round <= self.bounds.max_round && view.promised.round <= self.bounds.max_round
    }

    /// Every state one transition away, in a fixed order.
    pub fn successors(&self) -> Vec<World<S>> {
        let mut next = Vec::new();
        for envelope in &self.network.list {
            let mut world = self.clone();
            let input = Input::Message { from: envelope.from, msg: envelope.msg.clone() };
            world.step(envelope.to, input, Action::Deliver(Rc::clone(envelope)));
            next.push(world);
        }
        for id in 0..NODES as NodeId {
            let ticks_left = self.bounds.ticks.is_none_or(|ticks| self.ticks < ticks);
            if self.nodes[id as usize].view().role == Role::Leader && ticks_left {
                let mut world = self.clone();
                if self.bounds.ticks.is_some() {
                    world.ticks += 1;
                }
                world.step(id, Input::Tick, Action::Tick(id));
                next.push(world);
            }
            let mut world = self.clone();
            world.step(id, Input::Timeout, Action::Timeout(id));
            if world.within_bounds(id) {
                next.push(world);
            }
            if self.requests < self.bounds.requests {
                let mut world = self.clone();
                let command = command(self.requests);
                world.requests += 1;
                world.step(id, Input::Request(command), Action::Request(id, command));
                if world.within_bounds(id) {
                    next.push(world);
                }
            }
            if self.crashes < self.bounds.crashes {
                let mut world = self.clone();
                world.crashes += 1;
                world.nodes[id as usize] = S::Node::new(self.config, id, SEED);
                let disk = world.disks[id as usize].clone();
                world.step(id, Input::Recover(disk), Action::Restart(id));
                next.push(world);
            }
        }
        next
    }
}

/// A 64-bit hash with fixed keys, so every run agrees.
fn fingerprint(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of a node's state and its disk.
fn node_print<S: Spec>(node: &S::Node, disk: &Disk<S>) -> u64 {
    fingerprint(&(node, disk))
}
