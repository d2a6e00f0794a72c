//! The simulated network between nodes: who can reach whom, how long it takes, what gets lost.

use paxos_core::{MAX_NODES, NodeId, Prng, Ratio};

use crate::config::{ConfigError, NetworkConfig};
use crate::trace::{Islands, Time};

/// The network's state at one moment.
#[derive(Clone, Debug)]
pub struct Network {
    /// Island of every node; nodes talk only within an island.
    pub islands: Islands,
    /// `cut[from]` has bit `to` set when the link from `from` to `to` is cut.
    cut: [u16; MAX_NODES],
    /// Latency range of each directed link, µs.
    latency: [[(u32, u32); MAX_NODES]; MAX_NODES],
    client_latency: (u32, u32),
    /// The arrival time of the last message on each link (for FIFO links).
    last_arrival: [[Time; MAX_NODES]; MAX_NODES],
    reorder: bool,
    /// Probability of losing a message between nodes.
    pub loss: Ratio,
    /// Probability of duplicating a message between nodes.
    pub duplication: Ratio,
}

impl Network {
    /// The network a configuration describes.
    pub fn new(config: &NetworkConfig) -> Result<Network, ConfigError> {
        let default = (config.latency_us.0, config.latency_us.1);
        let mut latency = [[default; MAX_NODES]; MAX_NODES];
        for link in &config.links {
            latency[link.from.0 as usize][link.to.0 as usize] = (link.latency_us.0, link.latency_us.1);
        }
        Ok(Network {
            islands: Islands::default(),
            cut: [0; MAX_NODES],
            latency,
            client_latency: (config.client_latency_us.0, config.client_latency_us.1),
            last_arrival: [[0; MAX_NODES]; MAX_NODES],
            reorder: config.reorder,
            loss: config.loss.ratio("loss")?,
            duplication: config.duplication.ratio("duplication")?,
        })
    }

    /// Whether a message sent now from `from` to `to` can arrive.
    pub fn connected(&self, from: NodeId, to: NodeId) -> bool {
        self.islands.of(from) == self.islands.of(to) && self.cut[from as usize] & (1 << to) == 0
    }

    /// Whether the link from `from` to `to` is cut (apart from islands).
    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut[from as usize] & (1 << to) != 0
    }

    /// Cuts or repairs the link from `from` to `to`; returns whether anything changed.
    pub fn set_cut(&mut self, from: NodeId, to: NodeId, cut: bool) -> bool {
        let before = self.cut[from as usize];
        if cut {
            self.cut[from as usize] |= 1 << to;
        } else {
            self.cut[from as usize] &= !(1 << to);
        }
        before != self.cut[from as usize]
    }

    /// Every cut link, as `(from, to)`.
    pub fn cuts(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        (0..MAX_NODES as NodeId).flat_map(move |from| {
            (0..MAX_NODES as NodeId).filter(move |&to| self.is_cut(from, to)).map(move |to| (from, to))
        })
    }

    /// When a message sent now from `from` to `to` arrives.
    pub fn arrival(&mut self, rng: &mut Prng, now: Time, from: NodeId, to: NodeId) -> Time {
        let (min, max) = self.latency[from as usize][to as usize];
        let mut arrive = now + rng.between(u64::from(min), u64::from(max));
        if !self.reorder {
            let last = &mut self.last_arrival[from as usize][to as usize];
            arrive = arrive.max(*last + 1);
            *last = arrive;
        }
        arrive
    }

    /// When a message between a client and a node sent now arrives.
    pub fn client_arrival(&self, rng: &mut Prng, now: Time) -> Time {
        now + rng.between(u64::from(self.client_latency.0), u64::from(self.client_latency.1))
    }

    /// The mean one-way latency between nodes, µs.
    pub fn mean_latency(&self) -> u64 {
        let (min, max) = self.latency[0][0];
        (u64::from(min) + u64::from(max)) / 2
    }
}
