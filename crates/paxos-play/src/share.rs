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
//! `controls=0`, `lang=en|zh` (the page's language), `theme=light|dark` (else the system's). Defaults
//! are left out.
//!
//! The actions are bytes: per action, the steps since the previous action (LEB128), a fault tag
//! ([`Fault::number`]) and its fields — a node is one byte, an optional node one byte (0 for
//! none), numbers LEB128, a partition's groups their count and a node bitmask each, an operation or
//! a message kind its text (length, bytes). A crash costs 4–5 bytes, so 200 actions fit in about
//! 1.5 KB of address (`link_of_200_actions` in the tests measures it).
//!
//! **Captions** (format 2): a person's own captions travel in `c=`, bytes in base64url like the
//! actions (the layout is in `share/captions.rs`): per caption the events since the previous one,
//! its words, and its points and question if any. A link writes `v=2` only when it has captions,
//! so a link without them is byte for byte what format 1 wrote, and older pages say "newer
//! playground" rather than drop the captions silently; this page reads both. Ten captions of a
//! sentence each (600 bytes of words) make an address of 925 characters (`link_of_10_captions` in
//! `tests/captions.rs` measures it). Base64url costs 4/3 of the words' UTF-8 bytes: less than
//! percent-encoding for English (every space and punctuation mark is 3 characters there) and far
//! less for Chinese (9 characters a character); and the bytes reuse the actions' reader.
//!
//! Reading is forgiving and total: every malformed part is named in a problem, replaced by its
//! default, and the rest is kept; no input makes it panic (a fuzz test feeds it millions).

use core::fmt::Write as _;

use crate::lang::Lang;
use crate::scenario::Caption;
use paxos_json::{self as json, Fields, FromJson, Json, ToJson};
use paxos_sim::config::{ConfigError, NodeName};
use paxos_sim::faults::Fault;
use paxos_sim::run::{Action, Simulation, simulate};
use paxos_sim::trace::{Time, Trace};
use paxos_sim::{ProtocolKind, SimConfig};

mod bytes;
mod captions;
mod export;

pub use crate::page::{MAX_SPEED, MAX_WORKLOAD, MIN_NODES, MIN_SPEED, Network, PLAY_MS, Page, Setup, Theme, View};
pub use bytes::{decode_actions, encode_actions};
pub use captions::{MAX_CAPTION_BYTES, MAX_CAPTIONS, caption_at, check_captions, decode_captions, encode_captions};

/// The newest version of the link and file formats this build reads (it reads every older one):
/// 2 added captions; a link or file without captions is still written as version 1.
pub const VERSION: u32 = 2;

/// The latest step an action may be taken at: replaying further would keep a page busy for many
/// seconds before it can show anything.
pub const MAX_ACTION_STEP: u64 = 5_000_000;

/// The most actions a shared run holds.
pub const MAX_ACTIONS: usize = 10_000;

/// The latest moment (virtual ms) a shared run may show, for the same reason.
pub const MAX_CURSOR_MS: u64 = 600_000;

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
    /// A person's own captions, in order, each at an exact event (see [`check_captions`]).
    pub captions: Vec<Caption>,
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
                Ok(1..=VERSION) => {}
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
        "c" => shared.captions = decode_captions(value)?,
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
        "lang" => {
            let lang = Lang::ALL.into_iter().find(|lang| lang.code() == value);
            page.lang = Some(lang.ok_or("lang is en or zh")?);
        }
        "theme" => {
            let theme = Theme::ALL.into_iter().find(|theme| theme.name() == value);
            page.theme = theme.ok_or("theme is light, dark or system")?;
        }
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
            return Err("unknown setting (known: v, p, n, seed, k, scenario, lat, loss, dup, t, a, c, view, node, \
                        embed, autoplay, speed, controls, lang, theme)"
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
        let mut query = format!("?v={}", self.version());
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
        if !self.captions.is_empty() {
            query.push_str("&c=");
            query.push_str(&encode_captions(&self.captions));
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
        if let Some(lang) = page.lang {
            let _ = write!(query, "&lang={lang}");
        }
        if page.theme != Theme::System {
            let _ = write!(query, "&theme={}", page.theme.name());
        }
        query
    }

    /// The format version it is written in: 1 without captions (as every earlier link and file), 2
    /// with them.
    pub fn version(&self) -> u32 {
        if self.captions.is_empty() { 1 } else { VERSION }
    }

    /// The run as a JSON file, with the hash of its trace up to the moment shown (so that an
    /// import can tell whether it replayed the same run).
    pub fn to_json(&self, trace_hash: u64) -> String {
        let setup = &self.setup;
        let mut file = vec![("playground", self.version().to_value())];
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
        if !self.captions.is_empty() {
            file.push(("captions", self.captions.to_value()));
        }
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

    /// A run file or a scenario file (one with a `"config"`, such as the playground exports with a
    /// person's captions, see [`Shared::from_scenario`]) as a run, with the trace hash a run file
    /// records.
    pub fn from_file(text: &str) -> Result<(Shared, Option<u64>), String> {
        let scenario = |file: &Json| matches!(file, Json::Object(fields) if fields.iter().any(|(k, _)| k == "config"));
        match json::parse(text) {
            Ok(file) if scenario(&file) => {
                let scenario =
                    crate::scenario::Scenario::read(&file).map_err(|e| format!("not a scenario file: {}", e.0))?;
                Ok((Shared::from_scenario(&scenario)?, None))
            }
            Ok(file @ Json::Object(_)) => Shared::read(&file),
            // Not a JSON object: the run file's reader says what is wrong.
            _ => Shared::from_json(text),
        }
    }

    /// Reads a run file; the error names the field at fault. Returns the run and the trace hash the
    /// file records, if any.
    pub fn from_json(text: &str) -> Result<(Shared, Option<u64>), String> {
        if !text.trim_start().starts_with('{') {
            return Err("not a run file: expected a JSON object { \"playground\": 1, … }".into());
        }
        let file = json::parse(text).map_err(|e| format!("not a run file: {e}"))?;
        Shared::read(&file)
    }

    /// A run file's JSON, parsed (see [`Shared::from_json`]).
    fn read(file: &Json) -> Result<(Shared, Option<u64>), String> {
        let mut o = Fields::new(file)?;
        match o.opt::<Json>("playground")? {
            None => {
                return Err(format!("\"playground\" is missing: a run file starts {{ \"playground\": {VERSION}, … }}"));
            }
            Some(version) => match u64::from_value(&version) {
                Ok(v) if (1..=u64::from(VERSION)).contains(&v) => {}
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
        // Each caption on its own too, read as a scenario file's caption is.
        let captions: Vec<Json> = o.opt("captions")?.unwrap_or_default();
        for (i, caption) in captions.iter().enumerate() {
            let caption =
                Caption::from_value(caption).map_err(|e| format!("\"captions\"[{i}] (caption {}): {e}", i + 1))?;
            shared.captions.push(caption);
        }
        check_captions(&shared.captions).map_err(|e| format!("\"captions\": {e}"))?;
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
    let (timed, problems) = take_actions(sim.as_mut(), actions);
    Ok(Replayed { sim, timed, problems })
}

/// Takes `actions` on `sim`, each at its step (running it on to there): each action taken with its
/// time, and the problems of those that could not be taken.
pub fn take_actions(sim: &mut dyn Simulation, actions: &[Action]) -> (Vec<(Time, Fault)>, Vec<String>) {
    let mut timed = Vec::with_capacity(actions.len());
    let mut problems = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        while sim.steps() < action.step && sim.step() {}
        match action.fault.validate(sim.config()).map_err(|e| e.0).and_then(|()| sim.act(&action.fault)) {
            Ok(()) => timed.push((sim.now(), action.fault.clone())),
            Err(e) => problems.push(format!("action {} ({}): {e}", i + 1, action.fault.name())),
        }
    }
    (timed, problems)
}

/// The hash of the trace up to virtual time `cursor` (every event at or before it): what a shared
/// run shows, compared across browsers and the command line.
pub fn trace_hash_until(trace: &Trace, cursor: Time) -> u64 {
    trace.hash_prefix(trace.first_at(cursor.saturating_add(1)) as usize)
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
