//! A hand-driven cluster for protocol tests: messages wait in a list until a test delivers them,
//! drops them, or lets everything flow.

#![allow(dead_code)]

use paxos_core::{Command, Config, Durable, Input, MsgKind, NodeId, Op, Output, Outputs, Protocol, Reply, Value};

/// A message waiting for delivery.
#[derive(Clone, Debug)]
pub struct Envelope<M> {
    pub from: NodeId,
    pub to: NodeId,
    pub msg: M,
}

/// Nodes, their disks, and the messages between them.
pub struct Cluster<P: Protocol> {
    pub config: Config,
    pub nodes: Vec<Option<P>>,
    pub disks: Vec<P::Durable>,
    pub network: Vec<Envelope<P::Message>>,
    pub replies: Vec<(NodeId, Reply)>,
    pub decided: Vec<Vec<(paxos_core::Slot, Value)>>,
    /// Every message ever sent, in order.
    pub sent: Vec<Envelope<P::Message>>,
    /// Every rule a node reported applying ([`Output::Explain`]), in order.
    pub rules: Vec<paxos_core::Rule>,
}

/// `node`, asked to report the rules it applies.
fn explaining<P: Protocol>(mut node: P) -> P {
    node.set_explain(true);
    node
}

impl<P: Protocol> Cluster<P> {
    pub fn new(config: Config) -> Cluster<P> {
        let n = config.nodes as usize;
        Cluster {
            config,
            nodes: (0..config.nodes).map(|id| Some(explaining(P::new(config, id, 7 + u64::from(id))))).collect(),
            disks: vec![P::Durable::default(); n],
            network: Vec::new(),
            replies: Vec::new(),
            decided: vec![Vec::new(); n],
            sent: Vec::new(),
            rules: Vec::new(),
        }
    }

    pub fn node(&self, id: NodeId) -> &P {
        self.nodes[id as usize].as_ref().expect("node is up")
    }

    /// Steps node `id` and carries out its outputs (persists first, as drivers must).
    pub fn step(&mut self, id: NodeId, input: Input<P::Message, P::Durable>) {
        let mut out: Vec<Outputs<P>> = Vec::new();
        let Some(node) = self.nodes[id as usize].as_mut() else { return };
        node.step(input, &mut out);
        for output in &out {
            if let Output::Persist(write) = output {
                self.disks[id as usize].apply(write);
            }
        }
        for output in out {
            match output {
                Output::Persist(_) => {}
                Output::Send { to, msg } => {
                    assert_ne!(to, id, "nodes never send to themselves");
                    self.sent.push(Envelope { from: id, to, msg: msg.clone() });
                    self.network.push(Envelope { from: id, to, msg });
                }
                Output::Decided { slot, value } => self.decided[id as usize].push((slot, value)),
                Output::Reply(reply) => self.replies.push((id, reply)),
                Output::Explain(rule) => self.rules.push(rule),
            }
        }
    }

    pub fn tick(&mut self, id: NodeId, times: usize) {
        for _ in 0..times {
            self.step(id, Input::Tick);
        }
    }

    pub fn request(&mut self, id: NodeId, client: u16, seq: u32, op: Op) {
        self.step(id, Input::Request(Command { client, seq, op }));
    }

    /// Delivers the first waiting message that matches, if any; returns whether one did.
    pub fn deliver_where(&mut self, pred: impl Fn(&Envelope<P::Message>) -> bool) -> bool {
        let Some(i) = self.network.iter().position(pred) else { return false };
        let e = self.network.remove(i);
        if self.nodes[e.to as usize].is_some() {
            self.step(e.to, Input::Message { from: e.from, msg: e.msg });
        }
        true
    }

    /// Delivers messages, oldest first, until none is left; panics if `limit` were delivered first
    /// (a mistake that makes nodes talk for ever fails the test instead of hanging it).
    pub fn deliver_all(&mut self, limit: usize) {
        self.deliver_all_where(limit, |_| true);
    }

    /// Delivers the waiting messages that match, oldest first, until none is left; panics if `limit`
    /// were delivered first.
    pub fn deliver_all_where(&mut self, limit: usize, pred: impl Fn(&Envelope<P::Message>) -> bool) {
        for _ in 0..limit {
            if !self.deliver_where(&pred) {
                return;
            }
        }
        panic!("the network never went quiet within {limit} deliveries");
    }

    /// Forgets every waiting message that matches.
    pub fn drop_where(&mut self, pred: impl Fn(&Envelope<P::Message>) -> bool) {
        self.network.retain(|e| !pred(e));
    }

    pub fn crash(&mut self, id: NodeId) {
        self.nodes[id as usize] = None;
        self.network.retain(|e| e.to != id);
    }

    pub fn restart(&mut self, id: NodeId) {
        self.nodes[id as usize] = Some(explaining(P::new(self.config, id, 99 + u64::from(id))));
        let disk = self.disks[id as usize].clone();
        self.step(id, Input::Recover(disk));
    }

    /// Kinds of the messages sent since `since` (an index into `sent`).
    pub fn kinds_since(&self, since: usize) -> Vec<MsgKind> {
        self.sent[since..].iter().map(|e| paxos_core::Message::label(&e.msg).kind).collect()
    }
}

/// Elects n1 of a Multi-Paxos cluster by a client request (it knows no leader, so it runs phase 1
/// at once).
pub fn elect_n1(c: &mut Cluster<paxos_core::multi::Replica>) {
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_all(1_000);
    assert_eq!(c.node(0).view().role, paxos_core::Role::Leader);
}

/// A model for [`explore`]: a whole system's state, its successors, and what must hold in it.
pub trait Model: std::hash::Hash + Sized {
    /// Every state one transition away.
    fn successors(&self) -> Vec<Self>;
    /// The invariants, or the first one broken.
    fn check(&self) -> Result<(), String>;
    /// Whether some learner has learned a value here.
    fn learned(&self) -> bool;
}

/// Explores every state reachable from `initial` in at most `depth` transitions; returns (states,
/// states in which a value was learned) or the first violation.
///
/// Depth-first, so memory holds one path, not a whole level. Each state is remembered as a 64-bit
/// fingerprint (SipHash with fixed keys, so every run agrees) with the smallest depth it was reached
/// at; a state reached again at a smaller depth is explored again, so nothing within the bound is
/// missed. With a few million states the chance that two fingerprints collide is below one in a
/// million.
pub fn explore<S: Model>(initial: S, depth: u8) -> Result<(usize, usize), String> {
    use std::collections::{HashMap, HashSet};
    use std::hash::Hasher;
    let fingerprint = |state: &S| {
        let mut hasher = std::hash::DefaultHasher::new();
        state.hash(&mut hasher);
        hasher.finish()
    };
    let mut shallowest: HashMap<u64, u8> = HashMap::from([(fingerprint(&initial), 0)]);
    let mut learned: HashSet<u64> = HashSet::new();
    let mut stack = vec![(initial, 0u8)];
    while let Some((state, at)) = stack.pop() {
        if at == depth {
            continue;
        }
        for successor in state.successors() {
            let print = fingerprint(&successor);
            match shallowest.get(&print) {
                Some(&seen) if seen <= at + 1 => continue,
                Some(_) => {}
                None => {
                    successor.check()?;
                    if successor.learned() {
                        learned.insert(print);
                    }
                }
            }
            shallowest.insert(print, at + 1);
            stack.push((successor, at + 1));
        }
    }
    Ok((shallowest.len(), learned.len()))
}

/// The rules `node` reports ([`Output::Explain`]) while handling `input`.
pub fn rules<P: Protocol>(node: &mut P, input: Input<P::Message, P::Durable>) -> Vec<paxos_core::Rule> {
    let mut out: Vec<Outputs<P>> = Vec::new();
    node.step(input, &mut out);
    out.into_iter()
        .filter_map(|o| match o {
            Output::Explain(rule) => Some(rule),
            _ => None,
        })
        .collect()
}
