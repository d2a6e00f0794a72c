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

use serde::{Deserialize, Deserializer, Serialize, de};

use crate::config::{ClientName, ConfigError, KindName, NodeName, OpSpec, RatioSpec, SimConfig};
use crate::trace::{MsgId, Time};

/// One fault, or one action of a person or a scenario. The faults without fields are written
/// `Heal {}`, not `Heal`: serde ignores stray fields on a unit variant, and a `"node"` on `heal` or
/// `crash-leader` must be refused, not silently dropped.
///
/// It is written by serde's derived `Serialize` (`{"fault": "crash", "node": "n1"}`) and read by
/// the `Deserialize` below, which reads the same and refuses the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fault", rename_all = "kebab-case")]
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
    fn one() -> u32 {
        1
    }

    /// Its place in [`Fault`] and [`FAULT_NAMES`] (links write faults by number: `crate::share`).
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scheduled {
    /// When, in virtual ms.
    pub at_ms: u64,
    /// What.
    #[serde(flatten)]
    pub fault: Fault,
}

impl<'de> Deserialize<'de> for Scheduled {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scheduled, D::Error> {
        let mut fields = FaultFields::deserialize(AsMap(deserializer))?;
        let at_ms = fields.at_ms.take().ok_or_else(|| de::Error::missing_field("at_ms"))?;
        Ok(Scheduled { at_ms, fault: fields.fault()? })
    }
}

impl<'de> Deserialize<'de> for Fault {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fault, D::Error> {
        FaultFields::deserialize(AsMap(deserializer))?.fault()
    }
}

/// Every field of every fault (and a [`Scheduled`]'s `at_ms`), as a fault is written in JSON.
///
/// A fault is read through this one flat struct rather than serde's derived code for an internally
/// tagged enum, which buffers the fields and is compiled once per variant: 40 KB of the
/// playground's WebAssembly. [`FaultFields::fault`] then refuses what the derived code refused —
/// an unknown fault, a field the fault does not have, a missing field — with serde's words.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultFields {
    fault: String,
    at_ms: Option<u64>,
    node: Option<NodeName>,
    groups: Option<Vec<Vec<NodeName>>>,
    from: Option<NodeName>,
    to: Option<NodeName>,
    both: Option<bool>,
    ratio: Option<RatioSpec>,
    client: Option<ClientName>,
    op: Option<OpSpec>,
    msg: Option<MsgId>,
    by_us: Option<u64>,
    kind: Option<KindName>,
    delay_us: Option<u64>,
    count: Option<u32>,
}

/// A deserializer that reads whatever is asked of it as a map. [`FaultFields`] is read through it:
/// serde reads a struct flattened into another (a run file's action, `{"step": 5, "fault": …}`)
/// by passing on only the fields the struct names, so a stray field would slip by unrefused.
struct AsMap<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for AsMap<D> {
    type Error = D::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
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

/// `value`, or serde's "missing field" error.
fn needed<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

impl FaultFields {
    /// The fault these fields describe.
    fn fault<E: de::Error>(self) -> Result<Fault, E> {
        let f = self;
        let fields: &'static [&'static str] = match f.fault.as_str() {
            "crash" | "restart" | "pause" | "resume" | "timeout" => &["node"],
            "crash-leader" | "heal" | "recover" => &[],
            "partition" => &["groups"],
            "cut" | "repair" => &["from", "to", "both"],
            "loss" | "duplication" => &["ratio"],
            "request" => &["client", "node", "op"],
            "drop-message" | "duplicate-message" => &["msg"],
            "delay-message" => &["msg", "by_us"],
            "intercept" => &["from", "to", "kind", "delay_us", "count"],
            other => return Err(E::unknown_variant(other, &FAULT_NAMES)),
        };
        let given = [
            ("at_ms", f.at_ms.is_some()),
            ("node", f.node.is_some()),
            ("groups", f.groups.is_some()),
            ("from", f.from.is_some()),
            ("to", f.to.is_some()),
            ("both", f.both.is_some()),
            ("ratio", f.ratio.is_some()),
            ("client", f.client.is_some()),
            ("op", f.op.is_some()),
            ("msg", f.msg.is_some()),
            ("by_us", f.by_us.is_some()),
            ("kind", f.kind.is_some()),
            ("delay_us", f.delay_us.is_some()),
            ("count", f.count.is_some()),
        ];
        if let Some((stray, _)) = given.iter().find(|&&(name, given)| given && !fields.contains(&name)) {
            return Err(E::unknown_field(stray, fields));
        }
        Ok(match f.fault.as_str() {
            "crash" => Fault::Crash { node: needed(f.node, "node")? },
            "crash-leader" => Fault::CrashLeader {},
            "restart" => Fault::Restart { node: needed(f.node, "node")? },
            "pause" => Fault::Pause { node: needed(f.node, "node")? },
            "resume" => Fault::Resume { node: needed(f.node, "node")? },
            "timeout" => Fault::Timeout { node: needed(f.node, "node")? },
            "partition" => Fault::Partition { groups: needed(f.groups, "groups")? },
            "cut" => {
                Fault::Cut { from: needed(f.from, "from")?, to: needed(f.to, "to")?, both: f.both.unwrap_or(false) }
            }
            "repair" => {
                Fault::Repair { from: needed(f.from, "from")?, to: needed(f.to, "to")?, both: f.both.unwrap_or(false) }
            }
            "heal" => Fault::Heal {},
            "loss" => Fault::Loss { ratio: needed(f.ratio, "ratio")? },
            "duplication" => Fault::Duplication { ratio: needed(f.ratio, "ratio")? },
            "request" => Fault::Request { client: f.client, node: f.node, op: needed(f.op, "op")? },
            "drop-message" => Fault::DropMessage { msg: needed(f.msg, "msg")? },
            "duplicate-message" => Fault::DuplicateMessage { msg: needed(f.msg, "msg")? },
            "delay-message" => Fault::DelayMessage { msg: needed(f.msg, "msg")?, by_us: needed(f.by_us, "by_us")? },
            "recover" => Fault::Recover {},
            _ => Fault::Intercept {
                from: f.from,
                to: f.to,
                kind: f.kind,
                delay_us: f.delay_us,
                count: f.count.unwrap_or_else(Fault::one),
            },
        })
    }
}

/// Which kinds of random fault a nemesis draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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

    /// Relative weights of (loss, duplication, partition, cut, crash, pause, heal-one) for this mix.
    pub(crate) const fn weights(self) -> [u32; 7] {
        match self {
            FaultMix::Loss => [1, 0, 0, 0, 0, 0, 0],
            FaultMix::Duplication => [0, 1, 0, 0, 0, 0, 0],
            FaultMix::Partition => [0, 0, 3, 2, 0, 0, 2],
            FaultMix::Crash => [0, 0, 0, 0, 3, 0, 2],
            FaultMix::Pause => [0, 0, 0, 0, 0, 3, 2],
            FaultMix::All => [2, 1, 2, 1, 2, 1, 2],
        }
    }
}

/// A nemesis: random faults between `from_ms` and `until_ms`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nemesis {
    /// When it starts, in virtual ms.
    #[serde(default)]
    pub from_ms: u64,
    /// When it stops; all faults are repaired then.
    pub until_ms: u64,
    /// What it does.
    pub mix: FaultMix,
    /// Time between two faults, `[min, max]` ms.
    #[serde(default = "Nemesis::default_every")]
    pub every_ms: [u64; 2],
    /// At most this many nodes down (crashed or paused) at once; default: a minority.
    #[serde(default)]
    pub max_down: Option<u8>,
}

impl Nemesis {
    fn default_every() -> [u64; 2] {
        [50, 400]
    }
}

/// Scripted faults and an optional nemesis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Faults at fixed times.
    pub schedule: Vec<Scheduled>,
    /// Random faults.
    pub nemesis: Option<Nemesis>,
    /// When faults stop, if not at the nemesis's end (see the module docs).
    pub quiet_from_ms: Option<u64>,
}

impl FaultPlan {
    /// Parses and (against `config`) validates a fault file.
    pub fn from_json(text: &str, config: &SimConfig) -> Result<FaultPlan, ConfigError> {
        let plan: FaultPlan = serde_json::from_str(text).map_err(|e| ConfigError(format!("faults: {e}")))?;
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
            let json = serde_json::to_string(fault).unwrap();
            assert!(json.contains(&format!(r#""fault":"{name}""#)), "{json}");
            assert_eq!(&serde_json::from_str::<Fault>(&json).unwrap(), fault, "{json}");
            let scheduled = Scheduled { at_ms: 3, fault: fault.clone() };
            let json = serde_json::to_string(&scheduled).unwrap();
            assert_eq!(serde_json::from_str::<Scheduled>(&json).unwrap(), scheduled, "{json}");
        }
        let err = |json: &str| serde_json::from_str::<Fault>(json).unwrap_err().to_string();
        assert!(err(r#"{"fault": "crash"}"#).contains("missing field `node`"));
        assert!(err(r#"{"fault": "crash", "node": "n1", "at_ms": 3}"#).contains("unknown field `at_ms`"));
        assert!(err(r#"{"fault": "cut", "from": "n1", "to": "n2", "colour": 1}"#).contains("unknown field `colour`"));
        let intercept = serde_json::from_str::<Fault>(r#"{"fault": "intercept"}"#).unwrap();
        assert_eq!(intercept, Fault::Intercept { from: None, to: None, kind: None, delay_us: None, count: 1 });
        assert!(serde_json::from_str::<Scheduled>(r#"{"fault": "heal"}"#).unwrap_err().to_string().contains("at_ms"));
    }

    /// A fault flattened into another object (as a run file's actions are) refuses stray fields too.
    #[test]
    fn a_flattened_fault_refuses_stray_fields() {
        #[derive(Debug, Deserialize)]
        struct Action {
            #[allow(dead_code)]
            step: u64,
            #[serde(flatten)]
            fault: Fault,
        }
        let read = |json: &str| serde_json::from_str::<Action>(json).map(|a| a.fault).map_err(|e| e.to_string());
        assert_eq!(read(r#"{"step": 3, "fault": "crash", "node": "n2"}"#), Ok(Fault::Crash { node: NodeName(1) }));
        assert!(read(r#"{"step": 3, "fault": "crash", "node": "n2", "colour": 1}"#).unwrap_err().contains("colour"));
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
