//! What the playground offers and how it shows a run: its limits ([`PLAY_MS`], [`MIN_NODES`],
//! [`MAX_WORKLOAD`], speeds), the choices of its setup bar ([`Setup`], [`Network`]), the views
//! ([`View`]) and a link's page settings ([`Page`]). A link or a run file carries them ([`crate::share`]).

use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{ClientConfig, ConfigError, LatencySpec, MAX_CLUSTER, RatioSpec};
use paxos_sim::{ProtocolKind, SimConfig};

use crate::scenario::Scenario;

/// How long a playground run may last, virtual ms (an hour: longer than anyone watches).
pub const PLAY_MS: u64 = 3_600_000;

/// The fewest nodes the playground offers.
pub const MIN_NODES: u8 = 3;

/// The most background clients the playground offers.
pub const MAX_WORKLOAD: u16 = 8;

/// The slowest speed a link may ask for, virtual µs per real second.
pub const MIN_SPEED: u32 = 100;
/// The fastest speed a link may ask for before "max", virtual µs per real second.
pub const MAX_SPEED: u32 = 10_000_000;

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
    /// The language the link asks for (`lang=zh`); `None`: the reader's own choice or browser's.
    pub lang: Option<crate::lang::Lang>,
    /// Light or dark colours (`theme=light|dark`), e.g. to match the post that embeds the page.
    pub theme: Theme,
}

impl Default for Page {
    fn default() -> Page {
        Page { embed: false, autoplay: false, speed: None, controls: true, lang: None, theme: Theme::System }
    }
}

/// The page's colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// As the reader's system prefers (`prefers-color-scheme`).
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

impl Theme {
    /// Every theme, in menu order.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Its name in links (`theme=dark`) and on the page (`<html data-theme>`).
    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}
