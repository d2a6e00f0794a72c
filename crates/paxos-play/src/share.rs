//! A run to share: in a link (compact, for the address bar and chat) and in a file (JSON, for
//! people to read). Both hold the same [`Shared`]: the setup, the actions a person took (each at the
//! step it was taken), the moment shown and the view. With the seed they replay the run bit for bit
//! ([`replay`]), in any browser and in `paxos replay --url`.
//!
//! **Links** (format version [`VERSION`]):
//!
//! ```text
//! ?v=1&p=raft&n=5&seed=42&k=2&t=350.125&a=AQUBBAIA…
//!      │      │   │       │   │         └ actions, binary, base64url (see below)
//!      │      │   │       │   └ the moment shown, virtual ms (to the µs)
//!      │      │   │       └ background clients
//!      │      │   └ seed
//!      │      └ nodes
//!      └ protocol
//! ```
//!
//! Also `scenario=NAME` (instead of the protocol, nodes and clients), `lat=1-10` (latency range, ms),
//! `loss=5` and `dup=5` (percent), `view=cluster|timeline|both`, `node=n2` (the node selected), and
//! for embedding: `embed`, `autoplay`, `speed=50` (virtual ms per real second, or `max`),
//! `controls=0`. Defaults are left out.
//!
//! The actions are bytes: per action, the steps since the previous action (LEB128), a fault tag
//! ([`Fault::number`]) and its fields — a node is one byte, an optional node one byte (0 for
//! none), numbers LEB128, a partition's groups their count and a node bitmask each, an operation or
//! a message kind its text (length, bytes). A crash costs 4–5 bytes, so 200 actions fit in about
//! 1.5 KB of address (`link_of_200_actions` in the tests measures it).
//!
//! Reading is forgiving and total: every malformed part is named in a problem, replaced by its
//! default, and the rest is kept; no input makes it panic (a fuzz test feeds it millions).

use core::fmt::Write as _;

use paxos_core::ClientId;

use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{
    ClientConfig, ClientName, ConfigError, KindName, LatencySpec, MAX_CLUSTER, NodeName, OpSpec, RatioSpec,
};
use paxos_sim::faults::Fault;
use paxos_sim::run::{Action, Simulation, simulate};
use paxos_sim::trace::{Time, Trace};
use paxos_sim::{ProtocolKind, SimConfig};

use crate::scenario::Scenario;

/// The version of the link and file formats this build writes and reads.
pub const VERSION: u32 = 1;

/// How long a playground run may last, virtual ms (an hour: longer than anyone watches).
pub const PLAY_MS: u64 = 3_600_000;

/// The fewest nodes the playground offers.
pub const MIN_NODES: u8 = 3;

/// The most background clients the playground offers.
pub const MAX_WORKLOAD: u16 = 8;

/// The latest step an action may be taken at: replaying further would keep a page busy for many
/// seconds before it can show anything.
pub const MAX_ACTION_STEP: u64 = 5_000_000;

/// The most actions a shared run holds.
pub const MAX_ACTIONS: usize = 10_000;

/// The latest moment (virtual ms) a shared run may show, for the same reason.
pub const MAX_CURSOR_MS: u64 = 600_000;

/// The network of a playground run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    /// One-way latency between nodes, `(min, max)` ms.
    pub latency_ms: (u32, u32),
    /// Messages between nodes lost, percent.
    pub loss_percent: u8,
    /// Messages between nodes delivered twice, percent.
    pub duplication_percent: u8,
}

impl Default for Network {
    fn default() -> Network {
        Network { latency_ms: (1, 10), loss_percent: 0, duplication_percent: 0 }
    }
}

/// In a run file: `{"latency_ms": [1, 10], "loss_percent": 0, "duplication_percent": 0}`; a field
/// left out (or `null`) keeps the latency's default, no loss, no duplication.
impl FromJson for Network {
    fn from_value(value: &Json) -> Result<Network, Error> {
        Fields::read(value, |o| {
            Ok(Network {
                latency_ms: o
                    .opt::<[u32; 2]>("latency_ms")?
                    .map_or(Network::default().latency_ms, |[low, high]| (low, high)),
                loss_percent: o.opt("loss_percent")?.unwrap_or(0),
                duplication_percent: o.opt("duplication_percent")?.unwrap_or(0),
            })
        })
    }
}

impl ToJson for Network {
    fn to_value(&self) -> Json {
        Json::object([
            ("latency_ms", [self.latency_ms.0, self.latency_ms.1].to_value()),
            ("loss_percent", self.loss_percent.to_value()),
            ("duplication_percent", self.duplication_percent.to_value()),
        ])
    }
}

/// What a playground run starts from: the choices of the setup bar, or a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The protocol.
    pub protocol: ProtocolKind,
    /// Cluster size, 3–9.
    pub nodes: u8,
    /// The seed.
    pub seed: u64,
    /// Background clients, 0–8.
    pub workload: u16,
    /// The network.
    pub network: Network,
    /// A scenario from the catalog; it fixes everything else.
    pub scenario: Option<String>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            protocol: ProtocolKind::Multi,
            nodes: 5,
            seed: 1,
            workload: 2,
            network: Network::default(),
            scenario: None,
        }
    }
}

impl Setup {
    /// Checks the choices, with a message a person can act on.
    pub fn validate(&self) -> Result<(), String> {
        if !(MIN_NODES..=MAX_CLUSTER).contains(&self.nodes) {
            return Err(format!("a cluster has {MIN_NODES} to {MAX_CLUSTER} nodes here (asked for {})", self.nodes));
        }
        if self.workload > MAX_WORKLOAD {
            return Err(format!("at most {MAX_WORKLOAD} background clients (asked for {})", self.workload));
        }
        let Network { latency_ms: (low, high), loss_percent, duplication_percent } = self.network;
        if low == 0 || high < low || high > 10_000 {
            return Err(format!("latency is a range of 1 to 10000 ms with min ≤ max (asked for {low}–{high} ms)"));
        }
        if loss_percent > 100 || duplication_percent > 100 {
            return Err(format!(
                "loss and duplication are percentages, 0 to 100 (asked for {loss_percent}% and {duplication_percent}%)"
            ));
        }
        Ok(())
    }

    /// A scenario fixes everything else: the other choices go back to their defaults, so that
    /// equal runs have equal setups.
    pub fn normalize(&mut self) {
        if self.scenario.is_some() {
            *self = Setup { scenario: self.scenario.take(), ..Setup::default() };
        }
    }

    /// The scenario it names, if any, from the catalog embedded in this build (the command line's
    /// way; the playground fetches the scenario's file instead).
    pub fn scenario(&self) -> Result<Option<Scenario>, String> {
        self.scenario.as_deref().map(Scenario::named).transpose().map_err(|e| e.0)
    }

    /// The run configuration: the scenario's, or the playground's defaults with these choices.
    /// `scenario` is the scenario the setup names, loaded by the caller (from the catalog with
    /// [`Setup::scenario`], or from its file); it is ignored when the setup names none.
    pub fn config(&self, scenario: Option<&Scenario>) -> Result<SimConfig, String> {
        self.validate()?;
        if let Some(name) = &self.scenario {
            let scenario = scenario.ok_or_else(|| format!("the scenario '{name}' is not loaded"))?;
            return Ok(scenario.config.clone());
        }
        let mut config = SimConfig {
            protocol: self.protocol,
            nodes: self.nodes,
            seed: self.seed,
            duration_ms: PLAY_MS,
            clients: ClientConfig { workload: self.workload, manual: 1, ..ClientConfig::default() },
            ..SimConfig::default()
        };
        let network = self.network;
        config.network.latency_us = LatencySpec(network.latency_ms.0 * 1_000, network.latency_ms.1 * 1_000);
        config.network.loss = RatioSpec(network.loss_percent.into(), 100);
        config.network.duplication = RatioSpec(network.duplication_percent.into(), 100);
        if network.loss_percent == 0 {
            config.network.loss = RatioSpec::NEVER;
        }
        if network.duplication_percent == 0 {
            config.network.duplication = RatioSpec::NEVER;
        }
        config.validate().map_err(|ConfigError(e)| e)?;
        Ok(config)
    }
}

/// Which views a shared run shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The cluster and the timeline.
    #[default]
    Both,
    /// The cluster only.
    Cluster,
    /// The timeline only.
    Timeline,
}

impl View {
    /// Its name in links and files.
    pub const fn name(self) -> &'static str {
        match self {
            View::Both => "both",
            View::Cluster => "cluster",
            View::Timeline => "timeline",
        }
    }

    /// Whether it shows the cluster.
    pub const fn cluster(self) -> bool {
        !matches!(self, View::Timeline)
    }

    /// Whether it shows the timeline.
    pub const fn timeline(self) -> bool {
        !matches!(self, View::Cluster)
    }
}

impl FromJson for View {
    fn from_value(value: &Json) -> Result<View, Error> {
        json::one_of(value, &[View::Both, View::Cluster, View::Timeline], View::name)
    }
}

/// A run as shared: what replays it, and what was being looked at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shared {
    /// The setup.
    pub setup: Setup,
    /// The actions, each at the step it was taken.
    pub actions: Vec<Action>,
    /// The moment shown, virtual µs (`None`: just after the last action).
    pub cursor: Option<Time>,
    /// The views shown.
    pub view: View,
    /// The node selected.
    pub node: Option<NodeName>,
}

/// How a link asks the page to show the run (the link only: a file holds no page settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Chrome-less, for an iframe.
    pub embed: bool,
    /// Start playing at once.
    pub autoplay: bool,
    /// Virtual µs per real second (`u32::MAX`: as fast as possible).
    pub speed: Option<u32>,
    /// Show the controls.
    pub controls: bool,
}

impl Default for Page {
    fn default() -> Page {
        Page { embed: false, autoplay: false, speed: None, controls: true }
    }
}

/// A link read: the run, the page settings, and what was wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// The run.
    pub shared: Shared,
    /// How to show it.
    pub page: Page,
    /// What was wrong, one message per part (each part at fault was replaced by its default).
    pub problems: Vec<String>,
}

/// The slowest speed a link may ask for, virtual µs per real second.
pub const MIN_SPEED: u32 = 100;
/// The fastest speed a link may ask for before "max", virtual µs per real second.
pub const MAX_SPEED: u32 = 10_000_000;

/// Reads a link: a whole address or its query (with or without `?`); a `#fragment` is ignored.
pub fn parse_link(address: &str) -> Link {
    let query = address.split_once('#').map_or(address, |(before, _)| before);
    let query = query.split_once('?').map_or(query, |(_, after)| after);
    let mut link = Link::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = match unescape(raw) {
            Ok(value) => value,
            Err(e) => {
                link.problems.push(format!("'{}': {e}", shorten(key)));
                continue;
            }
        };
        if key == "v" {
            // An address without `v` is read as the current format.
            match value.parse::<u32>() {
                Ok(VERSION) => {}
                Ok(v) if v > VERSION => {
                    link.problems.push(format!(
                        "this link is from a newer playground (format {v}; this one reads format {VERSION}): \
                         showing the default run instead"
                    ));
                    // Still chrome-less if embedded: a frame in someone's page stays a frame.
                    let embed = query.split('&').any(|pair| pair == "embed" || pair.starts_with("embed="));
                    let page = Page { embed, ..Page::default() };
                    return Link { problems: link.problems, page, ..Link::default() };
                }
                _ => link.problems.push(format!("'v={value}': unknown format version (this page reads {VERSION})")),
            }
            continue;
        }
        if let Err(e) = read_part(&mut link, key, &value) {
            link.problems.push(format!("'{}={}': {e}", shorten(key), shorten(&value)));
        }
    }
    let setup = &mut link.shared.setup;
    if let Err(e) = setup.validate() {
        link.problems.push(format!("{e}; using the defaults instead"));
        *setup = Setup { scenario: setup.scenario.take(), ..Setup::default() };
    }
    setup.normalize();
    if let Some(node) = link.shared.node.filter(|n| setup.scenario.is_none() && n.0 >= setup.nodes) {
        link.problems.push(format!("'node={node}': there are {} nodes; none is selected", setup.nodes));
        link.shared.node = None;
    }
    link
}

/// A long value, cut for a message.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// Reads one `key=value` of a link into `link`.
fn read_part(link: &mut Link, key: &str, value: &str) -> Result<(), String> {
    let shared = &mut link.shared;
    let setup = &mut shared.setup;
    let page = &mut link.page;
    match key {
        "p" => setup.protocol = value.parse::<ProtocolKind>().map_err(|e| e.0)?,
        "n" => setup.nodes = number(value, "n (the number of nodes)")?,
        "seed" => setup.seed = number(value, "seed")?,
        "k" => setup.workload = number(value, "k (background clients)")?,
        "scenario" if value.is_empty() => return Err("name a scenario (see `paxos scenarios`)".into()),
        "scenario" => setup.scenario = Some(value.to_string()),
        "lat" => {
            let (low, high) = value.split_once('-').unwrap_or((value, value));
            let what = "lat (latency, ms: 1-10)";
            setup.network.latency_ms = (number(low, what)?, number(high, what)?);
        }
        "loss" => setup.network.loss_percent = number(value, "loss (percent)")?,
        "dup" => setup.network.duplication_percent = number(value, "dup (percent)")?,
        "t" => {
            let us = thousandths(value, "t (the moment shown, ms with at most 3 decimals)")?;
            if us > MAX_CURSOR_MS * 1_000 {
                return Err(format!(
                    "the moment shown is at most {MAX_CURSOR_MS} ms here; showing the run's start instead"
                ));
            }
            shared.cursor = Some(us);
        }
        "a" => shared.actions = decode_actions(value)?,
        "view" => {
            shared.view = match value {
                "both" => View::Both,
                "cluster" => View::Cluster,
                "timeline" => View::Timeline,
                _ => return Err("the view is cluster, timeline or both".into()),
            }
        }
        "node" => shared.node = Some(value.parse::<NodeName>().map_err(|e| e.0)?),
        "embed" => page.embed = flag(value, "embed")?,
        "autoplay" => page.autoplay = flag(value, "autoplay")?,
        "controls" => page.controls = flag(value, "controls")?,
        "speed" => {
            if value == "max" {
                page.speed = Some(u32::MAX);
            } else {
                let us = thousandths(value, "speed (virtual ms per second, or max)")?;
                if !(u64::from(MIN_SPEED)..=u64::from(MAX_SPEED)).contains(&us) {
                    return Err(format!(
                        "speed is {} to {} virtual ms per second, or max",
                        paxos_sim::decimal::fixed(f64::from(MIN_SPEED) / 1e3, 1),
                        MAX_SPEED / 1_000
                    ));
                }
                page.speed = Some(us as u32);
            }
        }
        _ => {
            return Err("unknown setting (known: v, p, n, seed, k, scenario, lat, loss, dup, t, a, view, node, \
                        embed, autoplay, speed, controls)"
                .into());
        }
    }
    Ok(())
}

/// A present-or-not setting: `embed`, `embed=1`, `embed=0`.
fn flag(value: &str, what: &str) -> Result<bool, String> {
    match value {
        "" | "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(format!("{what} is on (`{what}` or `{what}=1`) or off (`{what}=0`)")),
    }
}

fn number<T: core::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{what} must be a whole number in range"))
}

/// A number with up to three decimals (`350`, `350.125`), in thousandths.
fn thousandths(text: &str, what: &str) -> Result<u64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = number(whole, what)?;
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} must be a number like 350 or 350.125"));
    }
    let fraction: u64 = if fraction.is_empty() { 0 } else { number(&format!("{fraction:0<3}"), what)? };
    Ok(whole.saturating_mul(1_000).saturating_add(fraction))
}

/// Thousandths written back as a number with up to three decimals.
fn write_thousandths(out: &mut String, value: u64) {
    let _ = match value % 1_000 {
        0 => write!(out, "{}", value / 1_000),
        rest => write!(out, "{}.{rest:03}", value / 1_000),
    };
}

impl Shared {
    /// The query part of its link (with the `?`); `page` adds the embedding settings.
    pub fn to_query(&self, page: &Page) -> String {
        let mut query = format!("?v={VERSION}");
        let setup = &self.setup;
        let defaults = Setup::default();
        match &setup.scenario {
            Some(name) => {
                query.push_str("&scenario=");
                query.push_str(&escape(name));
            }
            None => {
                let _ = write!(
                    query,
                    "&p={}&n={}&seed={}&k={}",
                    setup.protocol.name(),
                    setup.nodes,
                    setup.seed,
                    setup.workload
                );
                let network = setup.network;
                if network.latency_ms != defaults.network.latency_ms {
                    let _ = write!(query, "&lat={}-{}", network.latency_ms.0, network.latency_ms.1);
                }
                if network.loss_percent != 0 {
                    let _ = write!(query, "&loss={}", network.loss_percent);
                }
                if network.duplication_percent != 0 {
                    let _ = write!(query, "&dup={}", network.duplication_percent);
                }
            }
        }
        if let Some(cursor) = self.cursor {
            query.push_str("&t=");
            write_thousandths(&mut query, cursor);
        }
        if self.view != View::Both {
            let _ = write!(query, "&view={}", self.view.name());
        }
        if let Some(node) = self.node {
            let _ = write!(query, "&node={node}");
        }
        if !self.actions.is_empty() {
            query.push_str("&a=");
            query.push_str(&encode_actions(&self.actions));
        }
        if page.embed {
            query.push_str("&embed");
        }
        if page.autoplay {
            query.push_str("&autoplay");
        }
        match page.speed {
            Some(u32::MAX) => query.push_str("&speed=max"),
            Some(speed) => {
                query.push_str("&speed=");
                write_thousandths(&mut query, speed.into());
            }
            None => {}
        }
        if !page.controls {
            query.push_str("&controls=0");
        }
        query
    }

    /// The run as a JSON file, with the hash of its trace up to the moment shown (so that an
    /// import can tell whether it replayed the same run).
    pub fn to_json(&self, trace_hash: u64) -> String {
        let setup = &self.setup;
        let mut file = vec![("playground", VERSION.to_value())];
        match &setup.scenario {
            Some(scenario) => file.push(("scenario", scenario.to_value())),
            None => file.extend([
                ("protocol", setup.protocol.name().to_value()),
                ("nodes", setup.nodes.to_value()),
                ("seed", setup.seed.to_value()),
                ("clients", setup.workload.to_value()),
                ("network", setup.network.to_value()),
            ]),
        }
        file.push(("actions", self.actions.to_value()));
        if let Some(cursor) = self.cursor {
            file.push(("cursor_us", cursor.to_value()));
        }
        file.push(("view", self.view.name().to_value()));
        if let Some(node) = self.node {
            file.push(("node", node.to_value()));
        }
        file.push(("trace_hash", format!("{trace_hash:016x}").to_value()));
        json::to_string_pretty(&Json::object(file))
    }

    /// Reads a run file; the error names the field at fault. Returns the run and the trace hash the
    /// file records, if any.
    pub fn from_json(text: &str) -> Result<(Shared, Option<u64>), String> {
        if !text.trim_start().starts_with('{') {
            return Err("not a run file: expected a JSON object { \"playground\": 1, … }".into());
        }
        let file = json::parse(text).map_err(|e| format!("not a run file: {e}"))?;
        let mut o = Fields::new(&file)?;
        match o.opt::<Json>("playground")? {
            None => {
                return Err(format!("\"playground\" is missing: a run file starts {{ \"playground\": {VERSION}, … }}"));
            }
            Some(version) => match u64::from_value(&version) {
                Ok(v) if v == u64::from(VERSION) => {}
                Ok(v) if v > u64::from(VERSION) => {
                    return Err(format!(
                        "\"playground\": this file is format {v}, from a newer playground; this one reads format {VERSION}"
                    ));
                }
                _ => {
                    return Err(format!(
                        "\"playground\": {} is not a format version (this page reads {VERSION})",
                        json::to_string(&version)
                    ));
                }
            },
        }
        let mut shared = Shared::default();
        let setup = &mut shared.setup;
        setup.scenario = o.opt("scenario")?;
        if let Some(protocol) = o.opt::<String>("protocol")? {
            setup.protocol = protocol.parse().map_err(|e: ConfigError| format!("\"protocol\": {}", e.0))?;
        }
        setup.nodes = o.opt("nodes")?.unwrap_or(setup.nodes);
        setup.seed = o.opt("seed")?.unwrap_or(setup.seed);
        setup.workload = o.opt("clients")?.unwrap_or(setup.workload);
        setup.network = o.opt("network")?.unwrap_or_default();
        setup.validate()?;
        setup.normalize();
        // Each action on its own, so that an error counts actions as people do.
        let actions: Vec<Json> = o.opt("actions")?.unwrap_or_default();
        if actions.len() > MAX_ACTIONS {
            return Err(format!("\"actions\": {} actions, at most {MAX_ACTIONS}", actions.len()));
        }
        for (i, action) in actions.iter().enumerate() {
            let action = Action::from_value(action).map_err(|e| format!("\"actions\"[{i}] (action {}): {e}", i + 1))?;
            if action.step > MAX_ACTION_STEP {
                return Err(format!(
                    "\"actions\"[{i}]: step {} is past the {MAX_ACTION_STEP} steps a page replays",
                    action.step
                ));
            }
            if let Some(previous) = shared.actions.last().filter(|p| p.step > action.step) {
                return Err(format!(
                    "\"actions\"[{i}]: step {} comes before the previous action's step {}",
                    action.step, previous.step
                ));
            }
            shared.actions.push(action);
        }
        shared.cursor = o.opt("cursor_us")?;
        if shared.cursor.is_some_and(|c| c > MAX_CURSOR_MS * 1_000) {
            return Err(format!("\"cursor_us\": at most {} (= {MAX_CURSOR_MS} ms)", MAX_CURSOR_MS * 1_000));
        }
        shared.view = o.opt("view")?.unwrap_or_default();
        shared.node = o.opt("node")?;
        let hash = match o.opt::<String>("trace_hash")? {
            Some(hex) => Some(
                u64::from_str_radix(&hex, 16).map_err(|_| format!("\"trace_hash\": '{hex}' is not 16 hex digits"))?,
            ),
            None => None,
        };
        o.finish().map_err(|e| format!("not a run file: {e}"))?;
        Ok((shared, hash))
    }
}

/// A shared run replayed: the simulation with the actions taken, each action's time, and the
/// actions that could not be taken (with their reasons; the others are kept).
pub struct Replayed {
    /// The simulation, just after the last action.
    pub sim: Box<dyn Simulation>,
    /// Each action taken, with the virtual time it was taken at.
    pub timed: Vec<(Time, Fault)>,
    /// The actions that failed, and why.
    pub problems: Vec<String>,
}

/// Replays `actions` on a new run of `config`, each at its step.
pub fn replay(config: &SimConfig, actions: &[Action]) -> Result<Replayed, String> {
    let mut sim = simulate(config).map_err(|e| e.0)?;
    let mut timed = Vec::with_capacity(actions.len());
    let mut problems = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        while sim.steps() < action.step && sim.step() {}
        match action.fault.validate(config).map_err(|e| e.0).and_then(|()| sim.act(&action.fault)) {
            Ok(()) => timed.push((sim.now(), action.fault.clone())),
            Err(e) => problems.push(format!("action {} ({}): {e}", i + 1, action.fault.name())),
        }
    }
    Ok(Replayed { sim, timed, problems })
}

/// The hash of the trace up to virtual time `cursor` (every event at or before it): what a shared
/// run shows, compared across browsers and the command line.
pub fn trace_hash_until(trace: &Trace, cursor: Time) -> u64 {
    trace.hash_prefix(trace.first_at(cursor.saturating_add(1)) as usize)
}

// ------------------------------------------------------------------------------ actions as bytes

/// Writes actions as bytes, base64url.
pub fn encode_actions(actions: &[Action]) -> String {
    let mut out = Vec::with_capacity(actions.len() * 5);
    let mut previous = 0;
    for action in actions {
        // Steps never decrease in a run; a file that had them decrease was refused on import.
        put_number(&mut out, action.step.saturating_sub(previous));
        previous = action.step;
        out.push(action.fault.number());
        let node = |out: &mut Vec<u8>, n: NodeName| out.push(n.0);
        let maybe_node = |out: &mut Vec<u8>, n: Option<NodeName>| out.push(n.map_or(0, |n| n.0 + 1));
        match &action.fault {
            Fault::Crash { node: n }
            | Fault::Restart { node: n }
            | Fault::Pause { node: n }
            | Fault::Resume { node: n }
            | Fault::Timeout { node: n } => node(&mut out, *n),
            Fault::CrashLeader {} | Fault::Heal {} | Fault::Recover {} => {}
            Fault::Partition { groups } => {
                put_number(&mut out, groups.len() as u64);
                for group in groups {
                    put_number(&mut out, group.iter().fold(0u64, |mask, n| mask | 1u64 << (n.0 & 63)));
                }
            }
            Fault::Cut { from, to, both } | Fault::Repair { from, to, both } => {
                node(&mut out, *from);
                node(&mut out, *to);
                out.push(u8::from(*both));
            }
            Fault::Loss { ratio } | Fault::Duplication { ratio } => {
                put_number(&mut out, ratio.0.into());
                put_number(&mut out, ratio.1.into());
            }
            Fault::Request { client, node: n, op } => {
                put_number(&mut out, client.map_or(0, |c| u64::from(c.0) + 1));
                maybe_node(&mut out, *n);
                put_text(&mut out, &op.to_string());
            }
            Fault::DropMessage { msg } | Fault::DuplicateMessage { msg } => put_number(&mut out, (*msg).into()),
            Fault::DelayMessage { msg, by_us } => {
                put_number(&mut out, (*msg).into());
                put_number(&mut out, *by_us);
            }
            Fault::Intercept { from, to, kind, delay_us, count } => {
                maybe_node(&mut out, *from);
                maybe_node(&mut out, *to);
                put_text(&mut out, &kind.map(|k| k.to_string()).unwrap_or_default());
                put_number(&mut out, delay_us.unwrap_or(0));
                put_number(&mut out, (*count).into());
            }
        }
    }
    base64url(&out)
}

/// Reads actions written by [`encode_actions`]; the error names the action at fault.
pub fn decode_actions(text: &str) -> Result<Vec<Action>, String> {
    if text.len() > 64 * 1024 {
        return Err(format!("the actions are {} characters; at most 65536", text.len()));
    }
    let bytes = from_base64url(text)?;
    let mut reader = Reader { bytes: &bytes, at: 0 };
    let mut actions = Vec::new();
    let mut step = 0u64;
    while !reader.done() {
        let n = actions.len() + 1;
        if actions.len() == MAX_ACTIONS {
            return Err(format!("more than {MAX_ACTIONS} actions"));
        }
        let action = reader.action(&mut step).map_err(|e| format!("action {n}: {e}"))?;
        if action.step > MAX_ACTION_STEP {
            return Err(format!(
                "action {n} is at step {}, past the {MAX_ACTION_STEP} steps a page replays; no action was taken",
                action.step
            ));
        }
        actions.push(action);
    }
    Ok(actions)
}

fn put_number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_number(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Reads the bytes of [`encode_actions`].
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("cut short")?;
        self.at += 1;
        Ok(byte)
    }

    fn number(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f)
                .checked_shl(shift)
                .filter(|_| shift < 63 || byte <= 1)
                .ok_or("a number too large")?;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("a number too large".into())
    }

    fn small<T: TryFrom<u64>>(&mut self, what: &str) -> Result<T, String> {
        let n = self.number()?;
        T::try_from(n).map_err(|_| format!("{what} {n} is too large"))
    }

    fn node(&mut self) -> Result<NodeName, String> {
        match self.byte()? {
            n if n < MAX_CLUSTER => Ok(NodeName(n)),
            n => Err(format!("node number {n} (at most {MAX_CLUSTER} nodes)")),
        }
    }

    fn maybe_node(&mut self) -> Result<Option<NodeName>, String> {
        match self.byte()? {
            0 => Ok(None),
            n if n <= MAX_CLUSTER => Ok(Some(NodeName(n - 1))),
            n => Err(format!("node number {n} (at most {MAX_CLUSTER} nodes)")),
        }
    }

    fn text(&mut self) -> Result<&str, String> {
        let len: usize = self.small("a text length")?;
        if len > 64 {
            return Err(format!("a text of {len} bytes (at most 64)"));
        }
        let bytes = self.bytes.get(self.at..self.at + len).ok_or("cut short")?;
        self.at += len;
        core::str::from_utf8(bytes).map_err(|_| "a text that is not UTF-8".to_string())
    }

    fn action(&mut self, step: &mut u64) -> Result<Action, String> {
        *step = step.checked_add(self.number()?).ok_or("a step too large")?;
        let fault = match self.byte()? {
            0 => Fault::Crash { node: self.node()? },
            1 => Fault::CrashLeader {},
            2 => Fault::Restart { node: self.node()? },
            3 => Fault::Pause { node: self.node()? },
            4 => Fault::Resume { node: self.node()? },
            5 => {
                let count: usize = self.small("a number of islands")?;
                if count > 16 {
                    return Err(format!("{count} islands (at most 16)"));
                }
                let mut groups = Vec::with_capacity(count);
                for _ in 0..count {
                    let mask = self.number()?;
                    if mask >> MAX_CLUSTER != 0 {
                        return Err(format!("an island with nodes beyond n{MAX_CLUSTER}"));
                    }
                    groups.push((0..MAX_CLUSTER).filter(|n| mask & 1 << n != 0).map(NodeName).collect());
                }
                Fault::Partition { groups }
            }
            tag @ (6 | 7) => {
                let (from, to) = (self.node()?, self.node()?);
                let both = match self.byte()? {
                    0 => false,
                    1 => true,
                    b => return Err(format!("'both' is 0 or 1, not {b}")),
                };
                if tag == 6 { Fault::Cut { from, to, both } } else { Fault::Repair { from, to, both } }
            }
            8 => Fault::Heal {},
            tag @ (9 | 10) => {
                let ratio = RatioSpec(self.small("a numerator")?, self.small("a denominator")?);
                if tag == 9 { Fault::Loss { ratio } } else { Fault::Duplication { ratio } }
            }
            11 => Fault::Timeout { node: self.node()? },
            12 => {
                let client = match self.number()? {
                    0 => None,
                    c => Some(ClientName(
                        ClientId::try_from(c - 1).map_err(|_| format!("client number {c} is too large"))?,
                    )),
                };
                let node = self.maybe_node()?;
                let op = self.text()?.parse::<OpSpec>().map_err(|e| e.0)?;
                Fault::Request { client, node, op }
            }
            13 => Fault::DropMessage { msg: self.small("a message number")? },
            14 => Fault::DuplicateMessage { msg: self.small("a message number")? },
            15 => Fault::DelayMessage { msg: self.small("a message number")?, by_us: self.number()? },
            16 => Fault::Recover {},
            17 => {
                let (from, to) = (self.maybe_node()?, self.maybe_node()?);
                let kind = match self.text()? {
                    "" => None,
                    name => Some(name.parse::<KindName>().map_err(|e| e.0)?),
                };
                let delay_us = Some(self.number()?).filter(|&d| d != 0);
                let count = self.small("a count")?;
                Fault::Intercept { from, to, kind, delay_us, count }
            }
            tag => return Err(format!("unknown fault number {tag} (this page reads format {VERSION})")),
        };
        Ok(Action { step: *step, fault })
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5): safe in an address without escaping.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn from_base64url(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return Err("the actions are cut short (not whole bytes of base64url)".into());
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for (c, chunk) in text.as_bytes().chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &byte) in chunk.iter().enumerate() {
            let Some(digit) = BASE64URL.iter().position(|&d| d == byte) else {
                return Err(format!(
                    "the actions hold '{}' at character {}, which base64url does not use",
                    char::from(byte).escape_default(),
                    c * 4 + i + 1
                ));
            };
            n |= (digit as u32) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    Ok(out)
}

/// Percent-encodes everything but letters, digits and `-_.~`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Undoes percent-encoding (`+` is a space).
pub fn unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| core::str::from_utf8(h).ok());
                let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                    return Err(format!("'%' at position {i} is not followed by two hex digits"));
                };
                out.push(byte);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8 once decoded".to_string())
}
