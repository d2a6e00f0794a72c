//! Faults as data: what can go wrong, scripted at times or drawn at random by a nemesis.
//!
//! A fault file is JSON:
//!
//! ```json
//! {
//!   "schedule": [
//!     { "at_ms": 500,  "fault": "crash", "node": "n1" },
//!     { "at_ms": 900,  "fault": "partition", "groups": [["n1", "n2"], ["n3", "n4", "n5"]] },
//!     { "at_ms": 2000, "fault": "heal" }
//!   ],
//!   "nemesis": { "from_ms": 0, "until_ms": 4000, "mix": "all" }
//! }
//! ```
//!
//! Faults stop at the nemesis's `until_ms` (or at `quiet_from_ms` if given): every node is
//! restarted and resumed, the network heals, loss and duplication stop. From then on the liveness
//! checker expects every client operation to complete within its bound.

use crate::config::{ClientName, ConfigError, KindName, NodeName, OpSpec, RatioSpec, SimConfig};
use crate::json::{self, Error, Fields, FromJson, Json, ToJson};
use crate::trace::{MsgId, Time};

/// One fault, or one action of a person or a scenario. In JSON its name, then its fields:
/// `{"fault": "crash", "node": "n1"}` ([`Fault::read`], [`Fault::fields`]). A field the fault
/// does not have is refused (a `"node"` on `heal` is a mistake, not something to drop silently).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The node stops; only its durable state survives.
    Crash {
        /// Which node.
        node: NodeName,
    },
    /// The node that leads now crashes: of the running nodes in the role of leader (or primary),
    /// the one with the highest ballot. The same script then hits each protocol where it hurts.
    CrashLeader {},
    /// A crashed node starts again from its durable state.
    Restart {
        /// Which node.
        node: NodeName,
    },
    /// The node freezes (a long GC pause, a stopped VM): it handles nothing, messages wait.
    Pause {
        /// Which node.
        node: NodeName,
    },
    /// A paused node continues.
    Resume {
        /// Which node.
        node: NodeName,
    },
    /// The network splits: each group is an island; nodes in no group form one more island.
    Partition {
        /// The islands.
        groups: Vec<Vec<NodeName>>,
    },
    /// Cuts the link from `from` to `to` (and back, if `both`).
    Cut {
        /// Sender side.
        from: NodeName,
        /// Receiver side.
        to: NodeName,
        /// Both directions.
        both: bool,
    },
    /// Repairs the link from `from` to `to` (and back, if `both`).
    Repair {
        /// Sender side.
        from: NodeName,
        /// Receiver side.
        to: NodeName,
        /// Both directions.
        both: bool,
    },
    /// One island again, every link repaired.
    Heal {},
    /// Messages between nodes are lost with this probability from now on.
    Loss {
        /// `[numerator, denominator]`.
        ratio: RatioSpec,
    },
    /// Messages between nodes are duplicated with this probability from now on.
    Duplication {
        /// `[numerator, denominator]`.
        ratio: RatioSpec,
    },
    /// The node acts as if its timeout expired (forces an election or a retry).
    Timeout {
        /// Which node.
        node: NodeName,
    },
    /// A client sends an operation (to `node`, or to the node it believes leads).
    Request {
        /// Which client (default: the first manual client).
        client: Option<ClientName>,
        /// Which node to ask first.
        node: Option<NodeName>,
        /// What to do, e.g. `"inc a 1"`.
        op: OpSpec,
    },
    /// A message in flight is lost now.
    DropMessage {
        /// Its number.
        msg: MsgId,
    },
    /// A message in flight is delivered twice.
    DuplicateMessage {
        /// Its number.
        msg: MsgId,
    },
    /// A message in flight arrives later.
    DelayMessage {
        /// Its number.
        msg: MsgId,
        /// By how much, in µs.
        by_us: u64,
    },
    /// Faults stop: every node restarted and resumed, the network healed, no more loss.
    Recover {},
    /// Drops (or, with `delay_us`, delays) the next `count` messages sent that match: from `from`,
    /// to `to`, of kind `kind` (each left out matches any). A scenario's way to stage an interleaving.
    Intercept {
        /// Sender.
        from: Option<NodeName>,
        /// Receiver.
        to: Option<NodeName>,
        /// Message kind, e.g. `"Accept"`.
        kind: Option<KindName>,
        /// Delay them by this many µs instead of dropping them.
        delay_us: Option<u64>,
        /// How many messages (default 1).
        count: u32,
    },
}

impl Fault {
    /// Its place in [`Fault`] and [`FAULT_NAMES`] (links write faults by number: `paxos_play::share`).
    pub const fn number(&self) -> u8 {
        match self {
            Fault::Crash { .. } => 0,
            Fault::CrashLeader {} => 1,
            Fault::Restart { .. } => 2,
            Fault::Pause { .. } => 3,
            Fault::Resume { .. } => 4,
            Fault::Partition { .. } => 5,
            Fault::Cut { .. } => 6,
            Fault::Repair { .. } => 7,
            Fault::Heal {} => 8,
            Fault::Loss { .. } => 9,
            Fault::Duplication { .. } => 10,
            Fault::Timeout { .. } => 11,
            Fault::Request { .. } => 12,
            Fault::DropMessage { .. } => 13,
            Fault::DuplicateMessage { .. } => 14,
            Fault::DelayMessage { .. } => 15,
            Fault::Recover {} => 16,
            Fault::Intercept { .. } => 17,
        }
    }

    /// Its name in fault files (`"crash-leader"`).
    pub const fn name(&self) -> &'static str {
        FAULT_NAMES[self.number() as usize]
    }
}

impl Fault {
    /// Checks the nodes and clients it names.
    pub fn validate(&self, config: &SimConfig) -> Result<(), ConfigError> {
        match self {
            Fault::Crash { node } | Fault::Restart { node } | Fault::Pause { node } | Fault::Resume { node } => {
                config.check_nodes("fault", [*node])
            }
            Fault::Timeout { node } => config.check_nodes("timeout", [*node]),
            Fault::Partition { groups } => {
                let mut seen = paxos_core::NodeSet::EMPTY;
                for node in groups.iter().flatten() {
                    config.check_nodes("partition", [*node])?;
                    if !seen.insert(node.0) {
                        return Err(ConfigError(format!("partition: {node} is in two groups")));
                    }
                }
                if groups.len() > 15 {
                    return Err(ConfigError("partition: at most 15 groups".into()));
                }
                Ok(())
            }
            Fault::Cut { from, to, .. } | Fault::Repair { from, to, .. } => {
                config.check_nodes("link", [*from, *to])?;
                if from == to {
                    return Err(ConfigError(format!("link: {from} → {to} is not a link")));
                }
                Ok(())
            }
            Fault::Loss { ratio } => ratio.ratio("loss").map(drop),
            Fault::Duplication { ratio } => ratio.ratio("duplication").map(drop),
            Fault::Request { client, node, .. } => {
                if let Some(node) = node {
                    config.check_nodes("request", [*node])?;
                }
                match client {
                    Some(client) => config.check_client("request", *client),
                    None if config.clients.manual == 0 => {
                        Err(ConfigError("request: name a client, or set clients.manual to at least 1".into()))
                    }
                    None => Ok(()),
                }
            }
            Fault::DelayMessage { by_us, .. } if *by_us == 0 => {
                Err(ConfigError("delay-message: by_us must be at least 1".into()))
            }
            Fault::Heal {}
            | Fault::Recover {}
            | Fault::CrashLeader {}
            | Fault::DropMessage { .. }
            | Fault::DuplicateMessage { .. } => Ok(()),
            Fault::DelayMessage { .. } => Ok(()),
            Fault::Intercept { from, to, count, delay_us, .. } => {
                config.check_nodes("intercept", from.iter().chain(to).copied())?;
                if *count == 0 || *delay_us == Some(0) {
                    return Err(ConfigError("intercept: count and delay_us must be at least 1".into()));
                }
                Ok(())
            }
        }
    }
}

/// A fault at a time: `{"at_ms": 500, "fault": "crash", "node": "n1"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    /// When, in virtual ms.
    pub at_ms: u64,
    /// What.
    pub fault: Fault,
}

impl FromJson for Scheduled {
    fn from_value(value: &Json) -> Result<Scheduled, Error> {
        Fields::read(value, |o| Ok(Scheduled { at_ms: o.req("at_ms")?, fault: Fault::read(o)? }))
    }
}

/// The faults' names in JSON, in [`Fault`]'s order (a fault's [`Fault::number`] is its place here).
pub const FAULT_NAMES: [&str; 18] = [
    "crash",
    "crash-leader",
    "restart",
    "pause",
    "resume",
    "partition",
    "cut",
    "repair",
    "heal",
    "loss",
    "duplication",
    "timeout",
    "request",
    "drop-message",
    "duplicate-message",
    "delay-message",
    "recover",
    "intercept",
];

impl Fault {
    /// Reads a fault from an object's fields: `"fault"` names it, then its own fields. The object
    /// may hold more (an action's `"step"`): its reader asks for them, and refuses the rest.
    pub fn read(o: &mut Fields<'_>) -> Result<Fault, Error> {
        let name: String = o.req("fault")?;
        let Some(number) = FAULT_NAMES.iter().position(|n| *n == name) else {
            return Err(json::unknown_variant(&name, &FAULT_NAMES).in_field("fault"));
        };
        // By its number (one search of the names, instead of a comparison per name), and the faults
        // that share fields read them in one place: the playground's wasm carries this code.
        Ok(match number {
            0 | 2 | 3 | 4 | 11 => {
                let node = o.req("node")?;
                match number {
                    0 => Fault::Crash { node },
                    2 => Fault::Restart { node },
                    3 => Fault::Pause { node },
                    4 => Fault::Resume { node },
                    _ => Fault::Timeout { node },
                }
            }
            1 => Fault::CrashLeader {},
            5 => Fault::Partition { groups: o.req("groups")? },
            6 | 7 => {
                let (from, to, both) = (o.req("from")?, o.req("to")?, o.opt("both")?.unwrap_or(false));
                if number == 6 { Fault::Cut { from, to, both } } else { Fault::Repair { from, to, both } }
            }
            8 => Fault::Heal {},
            9 | 10 => {
                let ratio = o.req("ratio")?;
                if number == 9 { Fault::Loss { ratio } } else { Fault::Duplication { ratio } }
            }
            12 => Fault::Request { client: o.opt("client")?, node: o.opt("node")?, op: o.req("op")? },
            13 | 14 => {
                let msg = o.req("msg")?;
                if number == 13 { Fault::DropMessage { msg } } else { Fault::DuplicateMessage { msg } }
            }
            15 => Fault::DelayMessage { msg: o.req("msg")?, by_us: o.req("by_us")? },
            16 => Fault::Recover {},
            _ => Fault::Intercept {
                from: o.opt("from")?,
                to: o.opt("to")?,
                kind: o.opt("kind")?,
                delay_us: o.opt("delay_us")?,
                count: o.opt("count")?.unwrap_or(1),
            },
        })
    }

    /// The fault as the fields of an object: its name, then its own fields (`None` as `null`).
    pub fn fields(&self) -> Vec<(&'static str, Json)> {
        let mut fields = vec![("fault", self.name().to_value())];
        match self {
            Fault::Crash { node } | Fault::Restart { node } | Fault::Pause { node } | Fault::Resume { node } => {
                fields.push(("node", node.to_value()));
            }
            Fault::Timeout { node } => fields.push(("node", node.to_value())),
            Fault::CrashLeader {} | Fault::Heal {} | Fault::Recover {} => {}
            Fault::Partition { groups } => fields.push(("groups", groups.to_value())),
            Fault::Cut { from, to, both } | Fault::Repair { from, to, both } => {
                fields.extend([("from", from.to_value()), ("to", to.to_value()), ("both", both.to_value())]);
            }
            Fault::Loss { ratio } | Fault::Duplication { ratio } => fields.push(("ratio", ratio.to_value())),
            Fault::Request { client, node, op } => {
                fields.extend([("client", client.to_value()), ("node", node.to_value()), ("op", op.to_value())]);
            }
            Fault::DropMessage { msg } | Fault::DuplicateMessage { msg } => fields.push(("msg", msg.to_value())),
            Fault::DelayMessage { msg, by_us } => fields.extend([("msg", msg.to_value()), ("by_us", by_us.to_value())]),
            Fault::Intercept { from, to, kind, delay_us, count } => fields.extend([
                ("from", from.to_value()),
                ("to", to.to_value()),
                ("kind", kind.to_value()),
                ("delay_us", delay_us.to_value()),
                ("count", count.to_value()),
            ]),
        }
        fields
    }
}

impl FromJson for Fault {
    fn from_value(value: &Json) -> Result<Fault, Error> {
        Fields::read(value, Fault::read)
    }
}

/// `{"fault": "crash", "node": "n1"}`.
impl ToJson for Fault {
    fn to_value(&self) -> Json {
        Json::object(self.fields())
    }
}

/// Which kinds of random fault a nemesis draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultMix {
    /// Message loss bursts.
    Loss,
    /// Message duplication bursts.
    Duplication,
    /// Partitions and one-way link cuts.
    Partition,
    /// Crashes and restarts.
    Crash,
    /// Pauses and resumes.
    Pause,
    /// All of the above.
    All,
}

impl FaultMix {
    /// Every mix, in the order the sweep cycles through them.
    pub const ALL: [FaultMix; 6] =
        [FaultMix::Loss, FaultMix::Duplication, FaultMix::Partition, FaultMix::Crash, FaultMix::Pause, FaultMix::All];

    /// The name used in files and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            FaultMix::Loss => "loss",
            FaultMix::Duplication => "duplication",
            FaultMix::Partition => "partition",
            FaultMix::Crash => "crash",
            FaultMix::Pause => "pause",
            FaultMix::All => "all",
        }
    }

    /// Relative weights of the nemesis's moves, in [`NEMESIS_MOVES`]' order, for this mix. The
    /// moves added later (long delays, leader churn, one-way partitions) weigh nothing in the named
    /// mixes, so that runs with those draw exactly what they drew before; a nemesis's own `weights`
    /// (the swarm sweep's) can choose them.
    pub const fn weights(self) -> FaultWeights {
        // One table indexed by the mix: data, where a `match` would be code storing ten numbers per mix.
        const WEIGHTS: [FaultWeights; 6] = [
            [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
            [0, 0, 3, 2, 0, 0, 2, 0, 0, 0],
            [0, 0, 0, 0, 3, 0, 2, 0, 0, 0],
            [0, 0, 0, 0, 0, 3, 2, 0, 0, 0],
            [2, 1, 2, 1, 2, 1, 2, 0, 0, 0],
        ];
        WEIGHTS[self as usize]
    }
}

/// The moves a nemesis draws from, in the order of [`FaultWeights`]:
///
/// | move | what it does |
/// |---|---|
/// | `loss`, `duplication` | messages between nodes are lost (0–30 %) or duplicated (0–20 %) from now on |
/// | `partition` | two islands, each node in one at random |
/// | `cut` | one link cut, one way or both |
/// | `crash`, `pause` | a running node (while fewer than `max_down` are down) |
/// | `heal-one` | a node down comes back, or, if none, the network heals |
/// | `delay` | the messages in flight from one node (or, one time in three, all of them) arrive later by one to three maximum election timeouts |
/// | `churn` | leader churn: the leader pauses (while fewer than `max_down` are down), or another node times out and runs for leadership |
/// | `one-way` | an asymmetric partition: two groups at random, and every link from the first to the second cut one way only |
pub const NEMESIS_MOVES: [&str; 10] =
    ["loss", "duplication", "partition", "cut", "crash", "pause", "heal-one", "delay", "churn", "one-way"];

/// Relative weights of the nemesis's moves, in [`NEMESIS_MOVES`]' order.
pub type FaultWeights = [u32; 10];

impl FromJson for FaultMix {
    fn from_value(value: &Json) -> Result<FaultMix, Error> {
        json::one_of(value, &FaultMix::ALL, FaultMix::name)
    }
}

/// A nemesis: random faults between `from_ms` and `until_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nemesis {
    /// When it starts, in virtual ms.
    pub from_ms: u64,
    /// When it stops; all faults are repaired then.
    pub until_ms: u64,
    /// What it does.
    pub mix: FaultMix,
    /// Time between two faults, `[min, max]` ms.
    pub every_ms: [u64; 2],
    /// At most this many nodes down (crashed or paused) at once; default: a minority.
    pub max_down: Option<u8>,
    /// The weights of its moves, replacing the mix's ([`NEMESIS_MOVES`] lists them in order).
    pub weights: Option<FaultWeights>,
}

impl Nemesis {
    /// The weights of its moves: its own, or its mix's.
    pub fn weights(&self) -> FaultWeights {
        self.weights.unwrap_or(self.mix.weights())
    }
}

impl FromJson for Nemesis {
    fn from_value(value: &Json) -> Result<Nemesis, Error> {
        Fields::read(value, |o| {
            Ok(Nemesis {
                from_ms: o.or("from_ms", 0)?,
                until_ms: o.req("until_ms")?,
                mix: o.req("mix")?,
                every_ms: o.or("every_ms", [50, 400])?,
                max_down: o.opt("max_down")?,
                weights: match o.opt::<Vec<u32>>("weights")? {
                    None => None,
                    Some(list) => Some(FaultWeights::try_from(list).map_err(|list| {
                        Error::new(format!(
                            "weights: expected {} numbers, one for each of {}; found {}",
                            NEMESIS_MOVES.len(),
                            NEMESIS_MOVES.join(", "),
                            list.len()
                        ))
                    })?),
                },
            })
        })
    }
}

/// Scripted faults and an optional nemesis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultPlan {
    /// Faults at fixed times.
    pub schedule: Vec<Scheduled>,
    /// Random faults.
    pub nemesis: Option<Nemesis>,
    /// When faults stop, if not at the nemesis's end (see the module docs).
    pub quiet_from_ms: Option<u64>,
}

impl FromJson for FaultPlan {
    fn from_value(value: &Json) -> Result<FaultPlan, Error> {
        Fields::read(value, |o| {
            Ok(FaultPlan {
                schedule: o.or("schedule", Vec::new())?,
                nemesis: o.opt("nemesis")?,
                quiet_from_ms: o.opt("quiet_from_ms")?,
            })
        })
    }
}

impl FaultPlan {
    /// Parses and (against `config`) validates a fault file.
    pub fn from_json(text: &str, config: &SimConfig) -> Result<FaultPlan, ConfigError> {
        let plan: FaultPlan = json::read(text).map_err(|e| ConfigError(format!("faults: {e}")))?;
        plan.validate(config)?;
        Ok(plan)
    }

    /// Checks every fault against the run's configuration.
    pub fn validate(&self, config: &SimConfig) -> Result<(), ConfigError> {
        for (i, scheduled) in self.schedule.iter().enumerate() {
            scheduled.fault.validate(config).map_err(|e| ConfigError(format!("schedule[{i}]: {e}")))?;
        }
        if let Some(nemesis) = &self.nemesis {
            if nemesis.until_ms < nemesis.from_ms {
                return Err(ConfigError(format!(
                    "nemesis: until_ms ({}) is before from_ms ({})",
                    nemesis.until_ms, nemesis.from_ms
                )));
            }
            let [lo, hi] = nemesis.every_ms;
            if lo == 0 || hi < lo {
                return Err(ConfigError(format!("nemesis: every_ms [{lo}, {hi}] must be a range with 1 ≤ min ≤ max")));
            }
            if nemesis.weights().iter().all(|&w| w == 0) {
                return Err(ConfigError("nemesis: weights must not all be 0".into()));
            }
            if nemesis.max_down.is_some_and(|d| d >= config.nodes) {
                return Err(ConfigError(format!("nemesis: max_down must be below the cluster size {}", config.nodes)));
            }
        }
        Ok(())
    }

    /// When faults stop: the explicit quiet time, else the nemesis's end, else never.
    pub fn quiet_from(&self) -> Option<Time> {
        self.quiet_from_ms.or(self.nemesis.as_ref().map(|n| n.until_ms)).map(|ms| ms * 1_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_a_fault_does_not_have_is_refused() {
        let config = SimConfig::default();
        for fault in ["heal", "recover", "crash-leader"] {
            let json = format!(r#"{{"schedule": [{{"at_ms": 5, "fault": "{fault}", "node": "n1"}}]}}"#);
            let error = FaultPlan::from_json(&json, &config).unwrap_err().0;
            assert!(error.contains("unknown field `node`"), "{fault}: {error}");
            let json = format!(r#"{{"schedule": [{{"at_ms": 5, "fault": "{fault}"}}]}}"#);
            assert!(FaultPlan::from_json(&json, &config).is_ok(), "{fault}");
        }
    }

    /// Every fault reads back as it was written, and `FAULT_NAMES` names them all.
    #[test]
    fn every_fault_reads_back_as_written() {
        let (n1, n2) = (NodeName(0), NodeName(1));
        let faults = [
            Fault::Crash { node: n1 },
            Fault::CrashLeader {},
            Fault::Restart { node: n1 },
            Fault::Pause { node: n1 },
            Fault::Resume { node: n1 },
            Fault::Partition { groups: vec![vec![n1], vec![n2]] },
            Fault::Cut { from: n1, to: n2, both: true },
            Fault::Repair { from: n1, to: n2, both: false },
            Fault::Heal {},
            Fault::Loss { ratio: RatioSpec(1, 3) },
            Fault::Duplication { ratio: RatioSpec(1, 2) },
            Fault::Timeout { node: n2 },
            Fault::Request { client: Some(ClientName(1)), node: None, op: OpSpec(paxos_core::Op::Inc(0, 1)) },
            Fault::DropMessage { msg: 7 },
            Fault::DuplicateMessage { msg: 8 },
            Fault::DelayMessage { msg: 9, by_us: 1_000 },
            Fault::Recover {},
            Fault::Intercept { from: Some(n1), to: None, kind: None, delay_us: Some(5), count: 2 },
        ];
        assert_eq!(faults.len(), FAULT_NAMES.len());
        for (fault, name) in faults.iter().zip(FAULT_NAMES) {
            assert_eq!(fault.name(), name);
            let text = json::to_string(fault);
            assert!(text.contains(&format!(r#""fault":"{name}""#)), "{text}");
            assert_eq!(&json::read::<Fault>(&text).unwrap(), fault, "{text}");
            let scheduled = Json::object([("at_ms", 3u64.to_value())].into_iter().chain(fault.fields()));
            let scheduled = json::to_string(&scheduled);
            assert_eq!(json::read::<Scheduled>(&scheduled), Ok(Scheduled { at_ms: 3, fault: fault.clone() }), "{text}");
        }
        let err = |text: &str| json::read::<Fault>(text).unwrap_err().to_string();
        assert_eq!(err(r#"{"fault": "crash"}"#), "missing field `node`");
        assert_eq!(
            err(r#"{"fault": "crash", "node": "n1", "at_ms": 3}"#),
            "unknown field `at_ms`, expected one of `fault`, `node`"
        );
        assert!(err(r#"{"fault": "cut", "from": "n1", "to": "n2", "colour": 1}"#).contains("unknown field `colour`"));
        assert_eq!(
            err(r#"{"fault": "crash", "node": "n0"}"#),
            r#""node": 'n0' is not a node name (expected n1, n2, …)"#
        );
        assert_eq!(err(r#"{"fault": "crash", "node": 1}"#), r#""node": expected a node name such as "n1", found 1"#);
        assert!(
            err(r#"{"fault": "explode"}"#)
                .starts_with(r#""fault": unknown variant `explode`, expected one of `crash`"#)
        );
        assert_eq!(err(r#"{"node": "n1"}"#), "missing field `fault`");
        let intercept = json::read::<Fault>(r#"{"fault": "intercept"}"#).unwrap();
        assert_eq!(intercept, Fault::Intercept { from: None, to: None, kind: None, delay_us: None, count: 1 });
        // `null` is an optional field left out, as before.
        let request = json::read::<Fault>(r#"{"fault": "request", "client": null, "node": null, "op": "get a"}"#);
        assert_eq!(request, Ok(Fault::Request { client: None, node: None, op: OpSpec(paxos_core::Op::Get(0)) }));
        let cut = json::read::<Fault>(r#"{"fault": "cut", "from": "n1", "to": "n2", "both": null}"#);
        assert_eq!(cut, Ok(Fault::Cut { from: n1, to: n2, both: false }));
        assert_eq!(json::read::<Scheduled>(r#"{"fault": "heal"}"#).unwrap_err().to_string(), "missing field `at_ms`");
    }

    /// A fault read among other fields (as a run file's actions are) refuses stray fields too.
    #[test]
    fn a_fault_among_other_fields_refuses_stray_fields() {
        let read = |text: &str| json::read::<crate::run::Action>(text).map(|a| a.fault).map_err(|e| e.to_string());
        assert_eq!(read(r#"{"step": 3, "fault": "crash", "node": "n2"}"#), Ok(Fault::Crash { node: NodeName(1) }));
        assert_eq!(
            read(r#"{"step": 3, "fault": "crash", "node": "n2", "colour": 1}"#),
            Err("unknown field `colour`, expected one of `step`, `fault`, `node`".into())
        );
        assert!(read(r#"{"step": 3, "fault": "heal", "node": "n2"}"#).unwrap_err().contains("unknown field `node`"));
    }

    #[test]
    fn a_fault_file_parses() {
        let config = SimConfig::default();
        let plan = FaultPlan::from_json(
            r#"{"schedule": [{"at_ms": 5, "fault": "crash", "node": "n1"},
                             {"at_ms": 9, "fault": "request", "op": "inc a 1"}],
                "nemesis": {"until_ms": 100, "mix": "all"}}"#,
            &config,
        )
        .unwrap();
        assert_eq!(plan.schedule[0].fault, Fault::Crash { node: NodeName(0) });
        assert_eq!(plan.quiet_from(), Some(100_000));
    }

    #[test]
    fn mistakes_are_named() {
        let config = SimConfig::default();
        let err = |text: &str| FaultPlan::from_json(text, &config).unwrap_err().0;
        assert_eq!(
            err(r#"{"schedule": [{"at_ms": 5, "fault": "crash", "node": "n7"}]}"#),
            "schedule[0]: fault: n7 is not in a cluster of 5 nodes"
        );
        assert!(err(r#"{"schedule": [{"at_ms": 5, "fault": "explode"}]}"#).contains("unknown variant `explode`"));
        assert!(err(r#"{"schedule": [{"at_ms": 5, "fault": "request", "op": "put a"}]}"#).contains("not an operation"));
        assert_eq!(
            err(r#"{"schedule": [{"at_ms": 1, "fault": "partition", "groups": [["n1"], ["n1", "n2"]]}]}"#),
            "schedule[0]: partition: n1 is in two groups"
        );
        assert!(err("{").starts_with("faults: EOF while parsing"));
        assert!(
            err(r#"{"schedule": [{"at_ms": 1, "fault": "intercept", "kind": "Acept"}]}"#)
                .contains("'Acept' is not a message kind")
        );
    }
}
