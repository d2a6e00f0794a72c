//! What a run is made of: protocol, cluster, network, clients, faults and seed — all data (JSON, read
//! through [`crate::json`]), all validated with messages that name what is wrong.

use core::fmt;
use core::str::FromStr;

use paxos_core::{Bugs, ClientId, Config, Key, Op, Ratio, Timing};

use crate::faults::FaultPlan;
use crate::json::{Error, Fields, FromJson, Json, ToJson};
use crate::trace::{MAX_CLIENTS, Time};

/// The largest cluster the simulator runs.
pub const MAX_CLUSTER: u8 = 9;

/// Which protocol a run simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtocolKind {
    /// Basic Paxos, one single-decree instance per slot, no leader.
    Basic,
    /// Multi-Paxos with a stable leader.
    Multi,
    /// Fast Paxos: a fast round, then classic rounds on collision.
    Fast,
    /// Raft.
    Raft,
    /// Primary–backup, asynchronous (unsafe: a teaching foil).
    Async,
    /// Primary–backup, synchronous (blocks when a backup is down: a teaching foil).
    Sync,
    /// Primary–backup, semi-synchronous (unsafe: a teaching foil).
    SemiSync,
    /// Majority read/write (unsafe: a teaching foil).
    Majority,
    /// Majority read/write with timestamps (unsafe: a teaching foil).
    MajorityTs,
}

impl ProtocolKind {
    /// Every protocol, consensus first, then the teaching foils.
    pub const ALL: [ProtocolKind; 9] = [
        ProtocolKind::Basic,
        ProtocolKind::Multi,
        ProtocolKind::Fast,
        ProtocolKind::Raft,
        ProtocolKind::Async,
        ProtocolKind::Sync,
        ProtocolKind::SemiSync,
        ProtocolKind::Majority,
        ProtocolKind::MajorityTs,
    ];

    /// The name used on the command line and in files.
    pub const fn name(self) -> &'static str {
        match self {
            ProtocolKind::Basic => "basic",
            ProtocolKind::Multi => "multi",
            ProtocolKind::Fast => "fast",
            ProtocolKind::Raft => "raft",
            ProtocolKind::Async => "async",
            ProtocolKind::Sync => "sync",
            ProtocolKind::SemiSync => "semi-sync",
            ProtocolKind::Majority => "majority",
            ProtocolKind::MajorityTs => "majority-ts",
        }
    }

    /// The name people read.
    pub const fn title(self) -> &'static str {
        match self {
            ProtocolKind::Basic => "Basic Paxos",
            ProtocolKind::Multi => "Multi-Paxos",
            ProtocolKind::Fast => "Fast Paxos",
            ProtocolKind::Raft => "Raft",
            ProtocolKind::Async => "Asynchronous primary–backup",
            ProtocolKind::Sync => "Synchronous primary–backup",
            ProtocolKind::SemiSync => "Semi-synchronous primary–backup",
            ProtocolKind::Majority => "Majority read/write",
            ProtocolKind::MajorityTs => "Majority read/write with timestamps",
        }
    }

    /// Whether this is one of seed 001's replication schemes that fail: run to watch the checkers
    /// catch it, never to trust it.
    pub const fn is_foil(self) -> bool {
        !matches!(self, ProtocolKind::Basic | ProtocolKind::Multi | ProtocolKind::Fast | ProtocolKind::Raft)
    }

    /// Whether the protocol runs with a leader (or primary), so that time without one means
    /// commands wait. Basic and Fast Paxos and the majority schemes have none.
    pub const fn has_leader(self) -> bool {
        matches!(
            self,
            ProtocolKind::Multi
                | ProtocolKind::Raft
                | ProtocolKind::Async
                | ProtocolKind::Sync
                | ProtocolKind::SemiSync
        )
    }

    /// The scheme a foil follows (`Async` for the consensus protocols, which ignore it).
    pub const fn scheme(self) -> paxos_core::Scheme {
        match self {
            ProtocolKind::Sync => paxos_core::Scheme::Sync,
            ProtocolKind::SemiSync => paxos_core::Scheme::SemiSync,
            ProtocolKind::Majority => paxos_core::Scheme::Majority,
            ProtocolKind::MajorityTs => paxos_core::Scheme::MajorityTimestamps,
            _ => paxos_core::Scheme::Async,
        }
    }
}

impl FromJson for ProtocolKind {
    fn from_value(value: &Json) -> Result<ProtocolKind, Error> {
        crate::json::one_of(value, &ProtocolKind::ALL, ProtocolKind::name)
    }
}

impl FromStr for ProtocolKind {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<ProtocolKind, ConfigError> {
        ProtocolKind::ALL.into_iter().find(|p| p.name() == s).ok_or_else(|| {
            let names: Vec<&str> = ProtocolKind::ALL.iter().map(|p| p.name()).collect();
            ConfigError(format!("unknown protocol '{s}' (expected one of: {})", names.join(", ")))
        })
    }
}

/// A mistake in a configuration, scenario or fault file, worded for the person who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// A node as people name it in files: `"n1"` is node 0. It reads and writes JSON (`paxos-json`'s
/// traits cannot be implemented for the core's type here); its text is the core's one spelling of a
/// node's name, [`paxos_core::NodeName`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeName(pub paxos_core::NodeId);

impl fmt::Display for NodeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        paxos_core::NodeName(self.0).fmt(f)
    }
}

impl FromStr for NodeName {
    type Err = paxos_core::NotANodeName;

    fn from_str(s: &str) -> Result<NodeName, paxos_core::NotANodeName> {
        s.parse::<paxos_core::NodeName>().map(|n| NodeName(n.0))
    }
}

/// A misspelt node name is a mistake in a file like any other.
impl From<paxos_core::NotANodeName> for ConfigError {
    fn from(e: paxos_core::NotANodeName) -> ConfigError {
        ConfigError(e.0)
    }
}

/// A client as people name it in files: `"c1"` is client 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientName(pub ClientId);

impl FromStr for ClientName {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<ClientName, ConfigError> {
        let number = s.strip_prefix('c').and_then(|n| n.parse::<u16>().ok()).filter(|&n| n >= 1);
        number
            .map(|n| ClientName(n - 1))
            .ok_or_else(|| ConfigError(format!("'{s}' is not a client name (expected c1, c2, …)")))
    }
}

impl fmt::Display for ClientName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0 + 1)
    }
}

/// An operation as people write it: `get a`, `set a 5`, `inc a 1` (keys `a`–`z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpSpec(pub Op);

impl FromStr for OpSpec {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<OpSpec, ConfigError> {
        let bad = |why: &str| {
            ConfigError(format!("'{s}' is not an operation: {why} (expected 'get a', 'set a 5' or 'inc a 1')"))
        };
        let words: Vec<&str> = s.split_whitespace().collect();
        let key = |word: &str| -> Result<Key, ConfigError> {
            match word.as_bytes() {
                [k @ b'a'..=b'z'] => Ok(k - b'a'),
                _ => Err(bad("a key is one letter a–z")),
            }
        };
        let number = |word: &str| word.parse::<i64>().map_err(|_| bad("the amount must be a whole number"));
        match words.as_slice() {
            ["get", k] => Ok(OpSpec(Op::Get(key(k)?))),
            ["set", k, v] => Ok(OpSpec(Op::Set(key(k)?, number(v)?))),
            ["inc", k, n] => Ok(OpSpec(Op::Inc(key(k)?, number(n)?))),
            [] => Err(bad("it is empty")),
            [f, ..] if !["get", "set", "inc"].contains(f) => Err(bad("unknown function")),
            _ => Err(bad("wrong number of words")),
        }
    }
}

impl fmt::Display for OpSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A message kind as people name it in files: `"Prepare"`, `"Accept"`, …
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindName(pub paxos_core::MsgKind);

impl FromStr for KindName {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<KindName, ConfigError> {
        paxos_core::MsgKind::from_name(s).map(KindName).ok_or_else(|| {
            let names: Vec<&str> = paxos_core::MsgKind::ALL.iter().map(|k| k.name()).collect();
            ConfigError(format!("'{s}' is not a message kind (expected one of: {})", names.join(", ")))
        })
    }
}

impl fmt::Display for KindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// The `FromStr`/`Display` name types are JSON strings: `"n1"`, `"c2"`, `"inc a 1"`, `"Accept"`.
macro_rules! json_string {
    ($($t:ty: $what:literal),*) => {$(
        impl FromJson for $t {
            fn from_value(value: &Json) -> Result<$t, Error> {
                match value {
                    Json::String(text) => text.parse::<$t>().map_err(|e| Error::new(ConfigError::from(e).0)),
                    other => Err(Error::expected($what, other)),
                }
            }
        }
        impl ToJson for $t {
            fn to_value(&self) -> Json {
                Json::String(self.to_string())
            }
        }
    )*};
}
json_string!(
    NodeName: "a node name such as \"n1\"",
    ClientName: "a client name such as \"c1\"",
    OpSpec: "an operation such as \"inc a 1\"",
    KindName: "a message kind such as \"Accept\""
);

/// A probability written as `[numerator, denominator]`, e.g. `[1, 10]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RatioSpec(pub u16, pub u16);

impl FromJson for RatioSpec {
    fn from_value(value: &Json) -> Result<RatioSpec, Error> {
        <[u16; 2]>::from_value(value).map(|[numerator, denominator]| RatioSpec(numerator, denominator))
    }
}

impl ToJson for RatioSpec {
    fn to_value(&self) -> Json {
        [self.0, self.1].to_value()
    }
}

impl RatioSpec {
    /// Never.
    pub const NEVER: RatioSpec = RatioSpec(0, 1);

    /// The ratio, or what is wrong with it.
    pub fn ratio(self, what: &str) -> Result<Ratio, ConfigError> {
        if self.0 > self.1 {
            return Err(ConfigError(format!("{what} [{}, {}] is more than 1", self.0, self.1)));
        }
        Ratio::new(u32::from(self.0), u32::from(self.1))
            .ok_or_else(|| ConfigError(format!("{what} [{}, {}] has a zero denominator", self.0, self.1)))
    }
}

/// A range of one-way latencies, in microseconds, `[min, max]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LatencySpec(pub u32, pub u32);

impl FromJson for LatencySpec {
    fn from_value(value: &Json) -> Result<LatencySpec, Error> {
        <[u32; 2]>::from_value(value).map(|[min, max]| LatencySpec(min, max))
    }
}

impl LatencySpec {
    fn validate(self, what: &str) -> Result<(), ConfigError> {
        if self.0 == 0 || self.1 < self.0 {
            return Err(ConfigError(format!(
                "{what} [{}, {}] must be a range [min, max] of microseconds with 1 ≤ min ≤ max",
                self.0, self.1
            )));
        }
        Ok(())
    }
}

/// A latency that differs from the default on one directed link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSpec {
    /// Sender.
    pub from: NodeName,
    /// Receiver.
    pub to: NodeName,
    /// Its latency range.
    pub latency_us: LatencySpec,
}

impl FromJson for LinkSpec {
    fn from_value(value: &Json) -> Result<LinkSpec, Error> {
        Fields::read(value, |o| {
            Ok(LinkSpec { from: o.req("from")?, to: o.req("to")?, latency_us: o.req("latency_us")? })
        })
    }
}

/// The network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Latency between nodes.
    pub latency_us: LatencySpec,
    /// Latency between clients and nodes (client links are never lost or partitioned).
    pub client_latency_us: LatencySpec,
    /// Per-link exceptions.
    pub links: Vec<LinkSpec>,
    /// Whether messages on one link may overtake each other (if false, links are FIFO).
    pub reorder: bool,
    /// Probability that a message between nodes is lost.
    pub loss: RatioSpec,
    /// Probability that a message between nodes is delivered twice.
    pub duplication: RatioSpec,
}

impl Default for NetworkConfig {
    fn default() -> NetworkConfig {
        NetworkConfig {
            latency_us: LatencySpec(1_000, 10_000),
            client_latency_us: LatencySpec(1_000, 5_000),
            links: Vec::new(),
            reorder: true,
            loss: RatioSpec::NEVER,
            duplication: RatioSpec::NEVER,
        }
    }
}

/// The clients.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Closed-loop clients that issue random operations (`c1` … `cK`).
    pub workload: u16,
    /// Further clients that only send what a scenario or a person asks (`cK+1` …).
    pub manual: u16,
    /// Keys the workload uses (`a`, `b`, …).
    pub keys: u8,
    /// Pause between a client's operations, `[min, max]` ms.
    pub think_ms: [u32; 2],
    /// A client that hears nothing for this long sends its request again, to another node.
    pub timeout_ms: u32,
}

impl Default for ClientConfig {
    fn default() -> ClientConfig {
        ClientConfig { workload: 3, manual: 1, keys: 3, think_ms: [0, 50], timeout_ms: 400 }
    }
}

impl FromJson for NetworkConfig {
    fn from_value(value: &Json) -> Result<NetworkConfig, Error> {
        let d = NetworkConfig::default();
        Fields::read(value, |o| {
            Ok(NetworkConfig {
                latency_us: o.or("latency_us", d.latency_us)?,
                client_latency_us: o.or("client_latency_us", d.client_latency_us)?,
                links: o.or("links", d.links)?,
                reorder: o.or("reorder", d.reorder)?,
                loss: o.or("loss", d.loss)?,
                duplication: o.or("duplication", d.duplication)?,
            })
        })
    }
}

impl FromJson for ClientConfig {
    fn from_value(value: &Json) -> Result<ClientConfig, Error> {
        let d = ClientConfig::default();
        Fields::read(value, |o| {
            Ok(ClientConfig {
                workload: o.or("workload", d.workload)?,
                manual: o.or("manual", d.manual)?,
                keys: o.or("keys", d.keys)?,
                think_ms: o.or("think_ms", d.think_ms)?,
                timeout_ms: o.or("timeout_ms", d.timeout_ms)?,
            })
        })
    }
}

impl ClientConfig {
    /// Every client.
    pub fn count(&self) -> usize {
        usize::from(self.workload) + usize::from(self.manual)
    }
}

/// Protocol parameters (see [`paxos_core::Config`] and [`paxos_core::Timing`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolConfig {
    /// How long one tick of logical time is, in µs.
    pub tick_us: u32,
    /// Leader heartbeat period, in ticks.
    pub heartbeat_ticks: u32,
    /// Election timeout range, in ticks.
    pub election_ticks: [u32; 2],
    /// Resend period, in ticks.
    pub resend_ticks: u32,
    /// Back-off range after a rejection, in ticks: `[base, max]`.
    pub backoff_ticks: [u32; 2],
    /// Whether rejected proposers back off at all (off to show livelock).
    pub backoff: bool,
    /// Multi-Paxos pipelining window.
    pub window: u32,
    /// Commands per slot at most.
    pub batch_max: u32,
    /// Log entries one AppendEntries or catch-up message carries at most (default: each protocol's
    /// own ceiling; see [`paxos_core::Config::entries_max`]).
    pub entries_max: Option<u32>,
    /// Slots between two checkpoints of a replica's store (default 64; see
    /// [`paxos_core::Config::checkpoint_every`]).
    pub checkpoint_every: Option<u32>,
    /// Basic Paxos: the nodes that are acceptors (default: all).
    pub acceptors: Option<Vec<NodeName>>,
    /// Basic Paxos: the nodes that are proposers (default: all). Proposers are always learners.
    pub proposers: Option<Vec<NodeName>>,
}

impl Default for ProtocolConfig {
    fn default() -> ProtocolConfig {
        let timing = Timing::default();
        ProtocolConfig {
            tick_us: 10_000,
            heartbeat_ticks: timing.heartbeat_ticks,
            election_ticks: [timing.election_ticks_min, timing.election_ticks_max],
            resend_ticks: timing.resend_ticks,
            backoff_ticks: [timing.backoff_ticks_base, timing.backoff_ticks_max],
            backoff: true,
            window: 8,
            batch_max: 16,
            entries_max: None,
            checkpoint_every: None,
            acceptors: None,
            proposers: None,
        }
    }
}

impl FromJson for ProtocolConfig {
    fn from_value(value: &Json) -> Result<ProtocolConfig, Error> {
        let d = ProtocolConfig::default();
        Fields::read(value, |o| {
            Ok(ProtocolConfig {
                tick_us: o.or("tick_us", d.tick_us)?,
                heartbeat_ticks: o.or("heartbeat_ticks", d.heartbeat_ticks)?,
                election_ticks: o.or("election_ticks", d.election_ticks)?,
                resend_ticks: o.or("resend_ticks", d.resend_ticks)?,
                backoff_ticks: o.or("backoff_ticks", d.backoff_ticks)?,
                backoff: o.or("backoff", d.backoff)?,
                window: o.or("window", d.window)?,
                batch_max: o.or("batch_max", d.batch_max)?,
                entries_max: o.opt("entries_max")?,
                checkpoint_every: o.opt("checkpoint_every")?,
                acceptors: o.opt("acceptors")?,
                proposers: o.opt("proposers")?,
            })
        })
    }
}

/// Everything that determines a run (with the user actions taken during it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// Which protocol.
    pub protocol: ProtocolKind,
    /// Cluster size, 1–9.
    pub nodes: u8,
    /// The seed every random choice derives from.
    pub seed: u64,
    /// How long the run lasts, in virtual ms.
    pub duration_ms: u64,
    /// Protocol parameters (`protocol_config` in files).
    pub params: ProtocolConfig,
    /// The network.
    pub network: NetworkConfig,
    /// The clients.
    pub clients: ClientConfig,
    /// Scripted and random faults.
    pub faults: FaultPlan,
    /// Planted bugs (tests only; never in files).
    pub bugs: Bugs,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            protocol: ProtocolKind::Multi,
            nodes: 5,
            seed: 0,
            duration_ms: 10_000,
            params: ProtocolConfig::default(),
            network: NetworkConfig::default(),
            clients: ClientConfig::default(),
            faults: FaultPlan::default(),
            bugs: Bugs::NONE,
        }
    }
}

impl FromJson for SimConfig {
    fn from_value(value: &Json) -> Result<SimConfig, Error> {
        let d = SimConfig::default();
        Fields::read(value, |o| {
            Ok(SimConfig {
                protocol: o.or("protocol", d.protocol)?,
                nodes: o.or("nodes", d.nodes)?,
                seed: o.or("seed", d.seed)?,
                duration_ms: o.or("duration_ms", d.duration_ms)?,
                params: o.or("protocol_config", d.params)?,
                network: o.or("network", d.network)?,
                clients: o.or("clients", d.clients)?,
                faults: o.or("faults", d.faults)?,
                bugs: d.bugs,
            })
        })
    }
}

impl SimConfig {
    /// Parses and validates a JSON configuration.
    pub fn from_json(text: &str) -> Result<SimConfig, ConfigError> {
        let config: SimConfig = crate::json::read(text).map_err(|e| ConfigError(format!("configuration: {e}")))?;
        config.validate()?;
        Ok(config)
    }

    /// The end of the run.
    pub fn end(&self) -> Time {
        self.duration_ms.saturating_mul(1_000)
    }

    /// Checks every field, naming the first that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |msg: String| Err(ConfigError(msg));
        if !(1..=MAX_CLUSTER).contains(&self.nodes) {
            return err(format!("nodes must be between 1 and {MAX_CLUSTER} (got {})", self.nodes));
        }
        if self.duration_ms == 0 || self.duration_ms > 24 * 3_600_000 {
            return err(format!(
                "duration must be between 1 ms and 24 h of virtual time (got {} ms)",
                self.duration_ms
            ));
        }
        let p = &self.params;
        if p.tick_us == 0 {
            return err("tick_us must be at least 1".into());
        }
        if p.heartbeat_ticks == 0 || p.resend_ticks == 0 {
            return err("heartbeat_ticks and resend_ticks must be at least 1".into());
        }
        let [lo, hi] = p.election_ticks;
        if lo == 0 || hi < lo {
            return err(format!("election_ticks [{lo}, {hi}] must be a range [min, max] with 1 ≤ min ≤ max"));
        }
        if p.heartbeat_ticks >= lo {
            return err(format!(
                "heartbeat_ticks ({}) must be below the minimum election timeout ({lo}), or followers would \
                 suspect a healthy leader between heartbeats",
                p.heartbeat_ticks
            ));
        }
        let [base, max] = p.backoff_ticks;
        if base == 0 || max < base {
            return err(format!("backoff_ticks [{base}, {max}] must be a range [base, max] with 1 ≤ base ≤ max"));
        }
        if p.window == 0 || p.batch_max == 0 {
            return err("window and batch_max must be at least 1".into());
        }
        if p.entries_max == Some(0) || p.checkpoint_every == Some(0) {
            return err("entries_max and checkpoint_every must be at least 1".into());
        }
        for (what, list) in [("acceptors", &p.acceptors), ("proposers", &p.proposers)] {
            if let Some(list) = list {
                if list.is_empty() {
                    return err(format!("{what} must name at least one node"));
                }
                self.check_nodes(what, list.iter().copied())?;
                if self.protocol != ProtocolKind::Basic {
                    return err(format!(
                        "{what} can only be chosen for Basic Paxos (Multi-Paxos nodes play every role)"
                    ));
                }
            }
        }
        let n = &self.network;
        n.latency_us.validate("latency_us")?;
        n.client_latency_us.validate("client_latency_us")?;
        for link in &n.links {
            self.check_nodes("links", [link.from, link.to])?;
            link.latency_us.validate(&format!("latency_us of the link {} → {}", link.from, link.to))?;
        }
        n.loss.ratio("loss")?;
        n.duplication.ratio("duplication")?;
        let c = &self.clients;
        if c.count() > MAX_CLIENTS {
            return err(format!("at most {MAX_CLIENTS} clients (got {})", c.count()));
        }
        if c.keys == 0 || c.keys > 26 {
            return err(format!("keys must be between 1 and 26 (got {})", c.keys));
        }
        if c.think_ms[1] < c.think_ms[0] {
            return err(format!("think_ms [{}, {}] must be a range [min, max]", c.think_ms[0], c.think_ms[1]));
        }
        if c.timeout_ms == 0 {
            return err("clients' timeout_ms must be at least 1".into());
        }
        self.faults.validate(self)
    }

    /// Checks that every node named is in the cluster.
    pub(crate) fn check_nodes(&self, what: &str, nodes: impl IntoIterator<Item = NodeName>) -> Result<(), ConfigError> {
        for node in nodes {
            if node.0 >= self.nodes {
                return Err(ConfigError(format!("{what}: {node} is not in a cluster of {} nodes", self.nodes)));
            }
        }
        Ok(())
    }

    /// Checks that a client named is one of the run's.
    pub(crate) fn check_client(&self, what: &str, client: ClientName) -> Result<(), ConfigError> {
        if usize::from(client.0) >= self.clients.count() {
            return Err(ConfigError(format!(
                "{what}: {client} is not one of the {} clients (c1–c{})",
                self.clients.count(),
                self.clients.count()
            )));
        }
        Ok(())
    }

    /// The configuration every node of the run shares.
    pub fn core(&self) -> Config {
        let mut config = Config::new(self.nodes);
        let p = &self.params;
        config.timing = Timing {
            heartbeat_ticks: p.heartbeat_ticks,
            election_ticks_min: p.election_ticks[0],
            election_ticks_max: p.election_ticks[1],
            resend_ticks: p.resend_ticks,
            backoff_ticks_base: p.backoff_ticks[0],
            backoff_ticks_max: p.backoff_ticks[1],
        };
        config.window = p.window;
        config.batch_max = p.batch_max;
        if let Some(entries_max) = p.entries_max {
            config.entries_max = entries_max;
        }
        if let Some(every) = p.checkpoint_every {
            config.checkpoint_every = every;
        }
        config.backoff = p.backoff;
        config.scheme = self.protocol.scheme();
        let set = |list: &Option<Vec<NodeName>>| {
            list.as_ref().map(|list| {
                let mut set = paxos_core::NodeSet::EMPTY;
                for node in list {
                    set.insert(node.0);
                }
                set
            })
        };
        if let Some(acceptors) = set(&p.acceptors) {
            config.acceptors = acceptors;
        }
        if let Some(proposers) = set(&p.proposers) {
            config.proposers = proposers;
            // Proposers learn (they must hear whether their value was chosen); others learn too.
        }
        config.bugs = self.bugs;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        SimConfig::default().validate().unwrap();
    }

    #[test]
    fn bad_values_are_named() {
        let config = SimConfig { nodes: 12, ..SimConfig::default() };
        assert_eq!(config.validate().unwrap_err().0, "nodes must be between 1 and 9 (got 12)");
        let err = SimConfig::from_json(r#"{"nodes": 5, "colour": "red"}"#).unwrap_err();
        assert!(err.0.contains("unknown field `colour`"), "{err}");
        let err = SimConfig::from_json(r#"{"network": {"loss": [3, 2]}}"#).unwrap_err();
        assert_eq!(err.0, "loss [3, 2] is more than 1");
        let err = SimConfig::from_json(r#"{"protocol": "zab"}"#).unwrap_err();
        assert!(err.0.contains("unknown variant `zab`"), "{err}");
        // A value of the wrong kind is named by its path.
        let err = |text: &str| SimConfig::from_json(text).unwrap_err().0;
        assert_eq!(
            err(r#"{"nodes": "five"}"#),
            r#"configuration: "nodes": expected a whole number from 0 to 255, found "five""#
        );
        assert_eq!(
            err(r#"{"network": {"loss": [1, "x"]}}"#),
            r#"configuration: "network"."loss"[1]: expected a whole number from 0 to 65535, found "x""#
        );
        assert_eq!(
            err(r#"{"faults": {"schedule": [{"at_ms": 1, "fault": "crash", "node": 3}]}}"#),
            r#"configuration: "faults"."schedule"[0]."node": expected a node name such as "n1", found 3"#
        );
        assert_eq!(
            err(r#"{"seed": 1.5}"#),
            r#"configuration: "seed": expected a whole number from 0 to 18446744073709551615, found 1.5"#
        );
        assert_eq!(err(r#"{"nodes": 3,}"#), "configuration: trailing comma at line 1 column 13");
    }

    /// Every field is optional, with the defaults `docs/formats.md` shows; a seed reads exactly.
    #[test]
    fn a_configuration_reads_its_fields_and_defaults() {
        assert_eq!(SimConfig::from_json("{}"), Ok(SimConfig::default()));
        let config = SimConfig::from_json(
            r#"{"protocol": "basic", "seed": 18446744073709551615, "protocol_config": {"acceptors": ["n3", "n4"],
                "proposers": null, "backoff": false}, "network": {"links": [{"from": "n1", "to": "n2",
                "latency_us": [5000, 30000]}], "loss": [1, 10]}, "clients": {"think_ms": [5, 6]},
                "faults": {"nemesis": {"until_ms": 400, "mix": "crash"}}}"#,
        )
        .unwrap();
        assert_eq!(config.seed, u64::MAX);
        assert_eq!(config.protocol, ProtocolKind::Basic);
        assert_eq!(config.params.acceptors, Some(vec![NodeName(2), NodeName(3)]));
        assert_eq!((config.params.proposers.clone(), config.params.backoff), (None, false));
        assert_eq!(config.params.window, ProtocolConfig::default().window);
        let link = LinkSpec { from: NodeName(0), to: NodeName(1), latency_us: LatencySpec(5_000, 30_000) };
        assert_eq!((config.network.links.clone(), config.network.loss), (vec![link], RatioSpec(1, 10)));
        assert_eq!(config.network.latency_us, NetworkConfig::default().latency_us);
        assert_eq!((config.clients.think_ms, config.clients.workload), ([5, 6], 3));
        let nemesis = config.faults.nemesis.unwrap();
        assert_eq!((nemesis.from_ms, nemesis.every_ms, nemesis.max_down), (0, [50, 400], None));
    }

    #[test]
    fn names_parse_and_print() {
        assert_eq!("n3".parse::<NodeName>().unwrap(), NodeName(2));
        assert_eq!(NodeName(2).to_string(), "n3");
        assert!("n0".parse::<NodeName>().is_err());
        assert!("x1".parse::<NodeName>().is_err());
        assert_eq!("c2".parse::<ClientName>().unwrap(), ClientName(1));
        assert_eq!("inc i 1".parse::<OpSpec>().unwrap(), OpSpec(Op::Inc(8, 1)));
        assert_eq!("set a -5".parse::<OpSpec>().unwrap(), OpSpec(Op::Set(0, -5)));
        let err = "put a 1".parse::<OpSpec>().unwrap_err();
        assert_eq!(err.0, "'put a 1' is not an operation: unknown function (expected 'get a', 'set a 5' or 'inc a 1')");
        assert!("get ab".parse::<OpSpec>().is_err());
        assert!("inc a x".parse::<OpSpec>().is_err());
    }
}
