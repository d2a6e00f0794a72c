//! The page: one component that owns the [`Session`] and turns gestures into messages.
//!
//! Everything the page shows is read from the session (a `Picture` of the world at the cursor, the
//! trace, the checkers); everything a person does becomes either a movement of the cursor or a
//! `paxos_sim::Fault` taken at it (`Session::act`). The component holds no protocol logic.

use crate::math;
use paxos_core::NodeId;
use paxos_play::scenario::{self, Scenario};
use paxos_play::share::{self, Page, Shared, View};
use paxos_sim::config::{NodeName, OpSpec};
use paxos_sim::decimal::fixed;
use paxos_sim::faults::Fault;
use paxos_sim::run::Action;
use paxos_sim::trace::{EventId, MsgId, Time};
use paxos_sim::world::Status;
use paxos_sim::{Picture, ProtocolKind, Summary};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlCanvasElement, KeyboardEvent, WheelEvent};
use yew::html::Scope;
use yew::prelude::*;

use crate::export::{self, Export};
use crate::layout::{HEIGHT, Layout, WIDTH};
use crate::model::{Session, Setup};
use crate::timeline::{self, Bands, Hit, Lanes, Window};
use crate::{cluster, panels};

/// How much virtual time the timeline shows at first, µs.
pub const DEFAULT_SPAN_US: f64 = 400_000.0;

/// The speed slider's top: as fast as the browser can simulate.
pub const SPEED_MAX: u32 = 100;
/// The speed slider's starting position (50 virtual ms per second).
pub const SPEED_DEFAULT: u32 = 54;

/// Virtual µs per real second at slider position `v` (log scale: 0.1 ms/s to 10 s/s).
pub fn speed_us_per_s(v: u32) -> f64 {
    math::pow(10.0, 2.0 + 5.0 * f64::from(v.min(SPEED_MAX)) / f64::from(SPEED_MAX))
}

/// The slider position for a link's `speed` (virtual µs per real second; `u32::MAX`: the top).
pub fn speed_position(us_per_s: u32) -> u32 {
    if us_per_s == u32::MAX {
        return SPEED_MAX;
    }
    let v = (math::log10(f64::from(us_per_s.max(1))) - 2.0) * f64::from(SPEED_MAX) / 5.0;
    (v.round().max(0.0) as u32).min(SPEED_MAX - 1)
}

/// While playing, the side panels (inspector, slots, safety, figures, clients) follow the run at
/// most this often (ms); the cluster view and the timeline follow every frame.
pub const SIDE_EVERY_MS: f64 = 200.0;

/// Properties of [`Frozen`].
#[derive(Properties)]
pub struct FrozenProps {
    /// Bumped whenever the children are to be rendered again.
    pub version: u64,
    /// The markup (built only when `version` changed; ignored otherwise).
    pub children: Html,
}

impl PartialEq for FrozenProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// Markup that Yew re-renders only when its `version` changes: the side panels are many DOM nodes,
/// and re-diffing them in every animation frame would cost more than the cluster view itself.
///
/// A struct component, not a `#[function_component]`: the page has no hooks, and Yew's hook
/// machinery would cost the bundle about 3 KB gzipped.
pub struct Frozen;

impl Component for Frozen {
    type Message = ();
    type Properties = FrozenProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Frozen
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        ctx.props().children.clone()
    }
}

/// A message of the page.
pub enum Msg {
    /// An animation frame, with its timestamp (ms).
    Frame(f64),
    /// Play or pause.
    TogglePlay,
    /// Pause (the tab was hidden, or a gesture needs the world to stand still).
    Pause,
    /// One event forward.
    StepForward,
    /// One event back.
    StepBack,
    /// The speed slider moved.
    Speed(u32),
    /// Move the cursor to a time.
    Seek(Time),
    /// Show an event (pinned).
    Jump(EventId),
    /// Take an action at the cursor.
    Act(Fault),
    /// Select a node (or none).
    SelectNode(Option<NodeId>),
    /// Select a message (or none).
    SelectMessage(Option<MsgId>),
    /// A node is being dragged: pointer down on it at (x, y) in canvas units.
    DragStart(NodeId, f64, f64),
    /// The pointer moved over the cluster view.
    DragMove(f64, f64),
    /// The pointer was released over the cluster view.
    DragEnd(f64, f64),
    /// A node's context menu, at (x, y) in canvas units.
    Menu(Option<NodeId>),
    /// A link was clicked: cut it (one way, from the first to the second, if `one_way`).
    Link(NodeId, NodeId, bool),
    /// A setup field changed.
    EditSetup(Setup),
    /// Start a new session from the setup bar.
    NewRun,
    /// Load a scenario from the catalog.
    LoadScenario(String),
    /// Show another branch.
    Branch(usize),
    /// A key was pressed.
    Key(KeyboardEvent),
    /// The operation text box changed.
    OpText(String),
    /// Send the operation in the text box to the selected node.
    SendOp,
    /// Run the same script on Multi-Paxos and Raft.
    Compare,
    /// Show or hide the help overlay.
    Help,
    /// Show a message about something impossible that was asked.
    Problem(String),
    /// Forget the message in the banner.
    Dismiss,
    /// The wheel turned over the timeline at x px, by `delta`.
    Wheel(f64, f64),
    /// Pointer down on the timeline at (x, y) px.
    TimelineDown(i32, f64, f64),
    /// Pointer moved on the timeline.
    TimelineMove(i32, f64, f64),
    /// Pointer up on the timeline.
    TimelineUp(i32, f64, f64),
    /// Follow the cursor in the timeline again.
    Follow,
    /// Open or close the share and export panel.
    Share,
    /// Show these views.
    View(View),
    /// Copy the link to the clipboard.
    CopyLink,
    /// Export something.
    Export(Export),
    /// Import a run file a person picked or dropped.
    Import(web_sys::File),
    /// A run file was read: its name and text.
    Imported(String, Result<String, String>),
    /// A scenario's file was fetched (or not): its name and text.
    Fetched(&'static str, Result<String, String>),
}

/// A run waiting for its scenario's file (`scenarios/NAME.json`, fetched relative to the page).
struct Loading {
    /// The scenario's name in the catalog.
    name: &'static str,
    /// What to start once it is there.
    setup: Setup,
    actions: Vec<Action>,
    cursor: Option<Time>,
    then: Then,
}

/// What asked for a run, for what follows once it has started.
enum Then {
    /// The page's address (it may ask to play at once).
    Address,
    /// The setup bar's New run.
    NewRun,
    /// The scenario menu.
    Menu,
    /// A run file: its name, the trace hash it records, and the view and node it shows.
    Import(String, Option<u64>, View, Option<NodeId>),
}

/// What the share panel shows: the link to this moment and the hash of the trace up to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sharing {
    /// The whole address.
    pub url: String,
    /// `share::trace_hash_until` at the cursor.
    pub hash: u64,
    /// Whether Copy was pressed.
    pub copied: bool,
}

/// What the timeline's pointer is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gesture {
    /// Dragging the cursor.
    Scrub,
    /// Panning, from (x, window) at the press.
    Pan(f64, Window, bool),
    /// Two fingers: (pointer ids, distance at the start, window at the start).
    Pinch,
}

/// The page.
pub struct App {
    session: Option<Session>,
    setup: Setup,
    /// The scenarios fetched so far (choosing one again fetches nothing).
    scenarios: Vec<(&'static str, Scenario)>,
    /// A scenario being fetched, and the run that waits for it.
    loading: Option<Loading>,
    /// How the link asked to show the page (embedded, autoplay, controls).
    page: Page,
    /// The views shown.
    view: View,
    /// The share panel, when open.
    sharing: Option<Sharing>,
    picture: Option<Picture>,
    picture_key: (usize, Option<EventId>, usize, bool, Time),
    summary: Option<Summary>,
    summary_len: usize,
    playing: bool,
    speed: u32,
    last_frame: Option<f64>,
    rush_steps: u32,
    selected_node: Option<NodeId>,
    selected_msg: Option<MsgId>,
    menu: Option<NodeId>,
    /// A node being dragged: its centre when pressed, where it was pressed, where the pointer is.
    drag: Option<(NodeId, Point, Point, Point)>,
    op_text: String,
    error: Option<String>,
    notes: Vec<String>,
    help: bool,
    compare: Option<Vec<(ProtocolKind, Result<Summary, String>)>>,
    window: Window,
    follow: bool,
    gesture: Option<Gesture>,
    pointers: Vec<(i32, f64)>,
    pinch: Option<(f64, Window)>,
    moved: bool,
    bands: Bands,
    bands_branch: usize,
    /// The side panels' version: bumped by every message but a frame, and by a frame at most
    /// every [`SIDE_EVERY_MS`] while playing.
    side_version: u64,
    /// When a frame last bumped it (ms).
    side_bumped: f64,
    /// The version last built by `view`.
    side_rendered: std::cell::Cell<u64>,
    /// Milliseconds each of the last frames took to update and draw (for the benchmark).
    frame_times: Vec<f64>,
    /// When the frame being rendered started (ms), until it is drawn.
    frame_started: Option<f64>,
    canvas: NodeRef,
    svg: NodeRef,
    /// The node menu's box, placed after each render (see [`cluster::place_menu`]).
    menu_box: NodeRef,
    raf: Option<Closure<dyn FnMut(f64)>>,
    listeners: Vec<(&'static str, Listener)>,
    /// The timeline's wheel listener (not passive, so the page does not scroll), and the canvas it is on.
    wheel: Option<(Element, WheelListener)>,
}

/// A point in the cluster view's units.
type Point = (f64, f64);
/// A listener on the document.
type Listener = Closure<dyn FnMut(web_sys::Event)>;
/// The timeline's wheel listener.
type WheelListener = Closure<dyn FnMut(WheelEvent)>;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn dark_scheme() -> bool {
    window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()).is_some_and(|m| m.matches())
}

impl App {
    /// The session, if one could be started.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Starts a run of `setup` with `actions`, showing `cursor`; then does what `then` asks. A
    /// scenario's file is fetched first, unless it was already: the run starts when it is there
    /// ([`Msg::Fetched`]), and the current run stays meanwhile.
    fn start(&mut self, link: &Scope<Self>, setup: Setup, actions: &[Action], cursor: Option<Time>, then: Then) {
        // A newer choice wins over a scenario still loading.
        self.loading = None;
        let mut loaded = None;
        if let Some(named) = &setup.scenario {
            let name = match scenario::lookup(named) {
                Ok(name) => name,
                Err(e) => {
                    // A scenario that is not in the catalog: say so, and start the setup without it.
                    self.start(link, Setup { scenario: None, ..setup }, actions, cursor, then);
                    self.error = Some(format!("Cannot load this scenario: {}", e.0));
                    return;
                }
            };
            match self.scenarios.iter().find(|(n, _)| *n == name) {
                Some((_, scenario)) => loaded = Some(scenario.clone()),
                None => {
                    let link = link.clone();
                    export::fetch_text(&format!("scenarios/{name}.json"), move |text| {
                        link.send_message(Msg::Fetched(name, text));
                    });
                    self.loading = Some(Loading { name, setup, actions: actions.to_vec(), cursor, then });
                    return;
                }
            }
        }
        self.begin(setup, loaded, actions, cursor);
        self.finish(then);
    }

    /// A scenario's file arrived (or could not be had): starts the run that waited for it, or says
    /// what went wrong and keeps the current run (or starts the default one if there is none).
    fn fetched(&mut self, name: &'static str, text: Result<String, String>) {
        let read = text.and_then(|text| {
            Scenario::from_json(&text)
                .map_err(|e| format!("the file is not a scenario the playground can read ({})", e.0))
        });
        if let Ok(scenario) = &read
            && !self.scenarios.iter().any(|(n, _)| *n == name)
        {
            self.scenarios.push((name, scenario.clone()));
        }
        // Unless something else was chosen meanwhile.
        let Some(Loading { setup, actions, cursor, then, .. }) = self.loading.take_if(|l| l.name == name) else {
            return;
        };
        match read {
            Ok(scenario) => {
                self.begin(setup, Some(scenario), &actions, cursor);
                self.finish(then);
            }
            Err(e) => {
                let problem = format!("Cannot load the scenario '{name}' (scenarios/{name}.json): {e}.");
                if self.session.is_some() {
                    self.error = Some(format!("{problem} The current run is kept."));
                } else {
                    self.begin(Setup { scenario: None, ..setup }, None, &actions, cursor);
                    self.finish(then);
                    self.error = Some(format!("{problem} The default run is shown instead."));
                }
            }
        }
    }

    /// What follows a start: autoplay for an address that asks, the setup bar showing a scenario's
    /// protocol and size, an imported run's view and the check of its trace hash; the address.
    fn finish(&mut self, then: Then) {
        match then {
            Then::Address => {
                if self.page.autoplay && self.session.is_some() {
                    self.playing = true;
                }
                return;
            }
            Then::NewRun => {}
            Then::Menu => {
                // The setup bar shows what the scenario runs.
                if let Some(session) = &self.session {
                    let config = session.sim().config();
                    (self.setup.protocol, self.setup.nodes) = (config.protocol, config.nodes);
                }
            }
            Then::Import(name, hash, view, node) => {
                self.view = view;
                self.selected_node = node;
                self.playing = false;
                if let (Some(recorded), Some(replayed)) = (hash, self.trace_hash())
                    && recorded != replayed
                {
                    self.notes.push(format!(
                        "{name} was replayed, but its trace differs from the one exported (hash {replayed:016x}, the \
                         file says {recorded:016x}): it was made by another version of the simulator."
                    ));
                }
            }
        }
        self.write_address();
    }

    /// Starts a run of `setup`, with its scenario (if it names one) loaded.
    fn begin(&mut self, setup: Setup, scenario: Option<Scenario>, actions: &[Action], cursor: Option<Time>) {
        self.playing = false;
        self.selected_msg = None;
        self.compare = None;
        self.bands = Bands::default();
        self.follow = true;
        match Session::replay(setup.clone(), scenario, actions) {
            Ok((mut session, problems)) => {
                self.notes.extend(problems);
                match cursor {
                    Some(t) => session.seek(t),
                    // A scenario plays from the start (in an embed, when asked to).
                    None if session.scenario.is_some() => {
                        session.seek(0);
                        self.playing = !self.page.embed;
                    }
                    None => {}
                }
                // A scenario is short and simulated whole: the timeline shows all of it.
                let span = if session.scenario.is_some() { session.sim().now() as f64 * 1.05 } else { DEFAULT_SPAN_US };
                self.window = Window { t0: 0.0, span: span.max(1_000.0) };
                self.session = Some(session);
                self.setup = setup;
            }
            Err(e) if setup.scenario.is_some() => {
                // A scenario that does not run: say so, and start the setup without it.
                self.begin(Setup { scenario: None, ..setup }, None, actions, cursor);
                self.error = Some(format!("Cannot load this scenario: {e}"));
                return;
            }
            Err(e) => {
                self.error = Some(format!("Cannot start this run: {e}"));
                self.session = None;
            }
        }
        self.refresh();
    }

    /// Recomputes the picture (if the shown moment changed) and the bands.
    fn refresh(&mut self) {
        let Some(session) = &self.session else {
            self.picture = None;
            return;
        };
        // At the head the picture is the world at the simulator's time, which moves on between events
        // too (the shown time, the messages' progress): it is part of the key.
        let key =
            (session.current, session.shown(), session.sim().trace().len(), session.at_head(), session.sim().now());
        if self.picture.is_none() || key != self.picture_key {
            self.picture = Some(session.picture());
            self.picture_key = key;
        }
        if self.bands_branch != session.current {
            self.bands = Bands::default();
            self.bands_branch = session.current;
        }
        self.bands.update(session.sim().trace());
        let len = session.sim().trace().len();
        if self.summary.is_none() || (len != self.summary_len && (!self.playing || len > self.summary_len + 4_000)) {
            self.summary = Some(session.sim().summary());
            self.summary_len = len;
        }
        if self.follow {
            let cursor = session.cursor as f64;
            self.window.t0 = (cursor - self.window.span * 0.85).max(0.0);
        }
    }

    /// The run as shared: the setup, the actions of the run shown, the moment and the view.
    fn shared(&self) -> Option<Shared> {
        let session = self.session.as_ref()?;
        Some(Shared {
            setup: session.setup.clone(),
            actions: session.actions(),
            cursor: Some(session.cursor),
            view: self.view,
            node: self.selected_node.map(NodeName),
        })
    }

    fn write_address(&self) {
        let Some(shared) = self.shared() else { return };
        let query = shared.to_query(&self.page);
        if let Some(history) = window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
        }
    }

    /// The hash of the trace up to the cursor, with the run simulated through the cursor's time
    /// (stepping event by event can stop between two events at the same time).
    fn trace_hash(&mut self) -> Option<u64> {
        let session = self.session.as_mut()?;
        let cursor = session.cursor;
        if session.sim().now() <= cursor {
            session.sim_mut().run_until(cursor);
        }
        Some(share::trace_hash_until(session.sim().trace(), cursor))
    }

    /// Opens the share panel on the link to this moment.
    fn open_sharing(&mut self) {
        self.pause();
        self.write_address();
        let Some(hash) = self.trace_hash() else { return };
        let Some(shared) = self.shared() else { return };
        let location = window().map(|w| w.location());
        let base = location.map(|l| format!("{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default()));
        let url = format!("{}{}", base.unwrap_or_default(), shared.to_query(&Page::default()));
        self.sharing = Some(Sharing { url, hash, copied: false });
    }

    /// A file name for an export of this run: `paxos-multi-seed1-t350ms.json`.
    fn file_name(&self, extension: &str) -> String {
        let Some(session) = &self.session else { return format!("paxos.{extension}") };
        let config = session.sim().config();
        let what = match &session.setup.scenario {
            Some(name) => name.clone(),
            None => format!("{}-seed{}", config.protocol.name(), config.seed),
        };
        format!("paxos-{what}-t{}ms.{extension}", session.cursor / 1_000)
    }

    fn export(&mut self, what: Export, ctx: &Context<Self>) -> Result<(), String> {
        let hash = self.trace_hash().ok_or("there is no run to export")?;
        let (Some(session), Some(shared)) = (&self.session, self.shared()) else {
            return Err("there is no run to export".into());
        };
        let sim = session.sim();
        match what {
            Export::Run => export::download_text(&self.file_name("json"), "application/json", &shared.to_json(hash)),
            Export::Trace => {
                let lines: Vec<String> = sim.trace().json_lines(sim.config().nodes).collect();
                export::download_text(
                    &self.file_name("trace.jsonl"),
                    "application/x-ndjson",
                    &(lines.join("\n") + "\n"),
                )
            }
            Export::History => {
                let lines = sim.history().jepsen_lines(sim.now());
                export::download_text(
                    &self.file_name("history.jsonl"),
                    "application/x-ndjson",
                    &(lines.join("\n") + "\n"),
                )
            }
            Export::TimelineSvg | Export::TimelinePng => {
                let (canvas, width, height) = self.canvas_size().ok_or("the timeline is not shown")?;
                if what == Export::TimelinePng {
                    return export::canvas_png(&canvas, &self.file_name("timeline.png"));
                }
                let svg = timeline::svg(&self.scene(session), width, height);
                export::download_text(&self.file_name("timeline.svg"), "image/svg+xml", &svg)
            }
            Export::ClusterSvg | Export::ClusterPng => {
                let element = self.svg.cast::<Element>().ok_or("the cluster view is not shown")?;
                let svg = export::standalone_svg(&element);
                if what == Export::ClusterSvg {
                    return export::download_text(&self.file_name("cluster.svg"), "image/svg+xml", &svg);
                }
                let link = ctx.link().clone();
                let (w, h) = (WIDTH as u32 * 2, HEIGHT as u32 * 2);
                export::svg_png(&svg, w, h, &self.file_name("cluster.png"), move |e| link.send_message(Msg::Problem(e)))
            }
        }
    }

    /// Starts the run a file holds; a bad file is named and the current run kept.
    fn import(&mut self, link: &Scope<Self>, name: &str, text: Result<String, String>) {
        let read = text.and_then(|text| Shared::from_json(&text));
        let (shared, hash) = match read {
            Ok(read) => read,
            Err(e) => {
                self.error = Some(format!("Cannot import {name}: {e}. The current run is kept."));
                return;
            }
        };
        self.notes.clear();
        self.error = None;
        self.sharing = None;
        let then = Then::Import(name.to_string(), hash, shared.view, shared.node.map(|n| n.0));
        self.start(link, shared.setup, &shared.actions, shared.cursor, then);
    }

    fn pause(&mut self) {
        if self.playing {
            self.playing = false;
            if let Some(session) = &mut self.session {
                session.sim_mut().check_history();
            }
            self.summary = None;
            self.write_address();
        }
    }

    fn act(&mut self, fault: Fault) {
        let Some(session) = &mut self.session else { return };
        match session.act(&fault) {
            Ok(()) => {
                self.error = None;
                self.write_address();
            }
            Err(e) => self.error = Some(format!("Could not {}: {e}", crate::model::fault_words(&fault))),
        }
    }

    /// The node that keys act on: the selected one, else the leader shown.
    fn target_node(&self) -> Option<NodeId> {
        self.selected_node.or_else(|| {
            let picture = self.picture.as_ref()?;
            picture.nodes.iter().find(|n| n.role == paxos_core::Role::Leader && n.status == Status::Up).map(|n| n.id)
        })
    }

    fn canvas_size(&self) -> Option<(HtmlCanvasElement, f64, f64)> {
        let canvas = self.canvas.cast::<HtmlCanvasElement>()?;
        let (w, h) = (f64::from(canvas.client_width()), f64::from(canvas.client_height()));
        Some((canvas, w, h))
    }

    fn lanes(&self) -> Option<Lanes> {
        let (_, width, height) = self.canvas_size()?;
        let nodes = self.session.as_ref()?.sim().config().nodes;
        Some(Lanes { width, height, nodes })
    }

    fn frame(&mut self, ts: f64) {
        self.raf = None;
        let started = now_ms();
        let dt = self.last_frame.map_or(16.0, |last| (ts - last).clamp(0.0, 100.0));
        self.last_frame = Some(ts);
        if !self.playing {
            return;
        }
        let Some(session) = &mut self.session else { return };
        if self.speed >= SPEED_MAX {
            let before = now_ms();
            let more = session.rush(self.rush_steps);
            let spent = now_ms() - before;
            // Aim for about 8 ms of simulation per frame.
            self.rush_steps = if spent < 6.0 {
                (self.rush_steps * 3 / 2).min(200_000)
            } else if spent > 10.0 {
                (self.rush_steps * 2 / 3).max(100)
            } else {
                self.rush_steps
            };
            if !more {
                self.pause();
            }
        } else {
            let advance = (speed_us_per_s(self.speed) * dt / 1_000.0).max(1.0) as Time;
            let target = session.cursor + advance;
            let head = session.sim().now();
            session.seek(target);
            if session.sim().is_over() && target > head {
                self.pause();
            }
        }
        self.refresh();
        self.frame_started = Some(started);
    }

    /// What the timeline shows now.
    fn scene<'a>(&'a self, session: &'a Session) -> timeline::Scene<'a> {
        let last_time = session.sim().trace().events().last().map_or(0, |e| e.time);
        timeline::Scene {
            trace: session.sim().trace(),
            bands: &self.bands,
            window: self.window,
            nodes: session.sim().config().nodes,
            cursor: session.cursor,
            head: last_time.max(session.sim().now()),
            selected: self.selected_msg,
            dark: dark_scheme(),
        }
    }

    fn draw_timeline(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else { return };
        timeline::draw(&canvas, &self.scene(session));
    }

    fn install_listeners(&mut self, ctx: &Context<Self>) {
        let Some(document) = window().and_then(|w| w.document()) else { return };
        let link = ctx.link().clone();
        let keys = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            if let Ok(key) = e.dyn_into::<KeyboardEvent>() {
                link.send_message(Msg::Key(key));
            }
        });
        let _ = document.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        self.listeners.push(("keydown", keys));
        let link = ctx.link().clone();
        let hidden = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if window().and_then(|w| w.document()).is_some_and(|d| d.hidden()) {
                link.send_message(Msg::Pause);
            }
        });
        let _ = document.add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
        self.listeners.push(("visibilitychange", hidden));
    }

    /// Keeps the wheel listener on the timeline's canvas (the canvas is re-created when a session starts).
    fn attach_wheel(&mut self, ctx: &Context<Self>) {
        let canvas = self.canvas.cast::<Element>();
        if self.wheel.as_ref().map(|(on, _)| on) == canvas.as_ref() {
            return;
        }
        if let Some((old, closure)) = self.wheel.take() {
            let _ = old.remove_event_listener_with_callback("wheel", closure.as_ref().unchecked_ref());
        }
        let Some(canvas) = canvas else { return };
        let link = ctx.link().clone();
        // Embedded in a page, the wheel scrolls that page unless Ctrl (or ⌘) is held: no scroll trap.
        let embed = self.page.embed;
        let wheel = Closure::<dyn FnMut(WheelEvent)>::new(move |e: WheelEvent| {
            if embed && !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            link.send_message(Msg::Wheel(f64::from(e.offset_x()), e.delta_y()));
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = canvas.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            wheel.as_ref().unchecked_ref(),
            &options,
        );
        self.wheel = Some((canvas, wheel));
    }

    fn key(&mut self, ctx: &Context<Self>, key: KeyboardEvent) -> bool {
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return false;
        }
        let tag = key.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|e| e.tag_name()).unwrap_or_default();
        let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
        let name = key.key();
        // A focused button takes space and Enter itself (a click); every other shortcut still works.
        let pressing = tag == "BUTTON" && matches!(name.as_str(), " " | "Enter");
        if (typing || pressing) && name != "Escape" {
            return false;
        }
        let node = self.target_node().map(NodeName);
        let link = ctx.link();
        match name.as_str() {
            " " => link.send_message(Msg::TogglePlay),
            "ArrowRight" => link.send_message(Msg::StepForward),
            "ArrowLeft" => link.send_message(Msg::StepBack),
            "c" => node.into_iter().for_each(|node| link.send_message(Msg::Act(Fault::Crash { node }))),
            "r" => node.into_iter().for_each(|node| link.send_message(Msg::Act(Fault::Restart { node }))),
            "p" => {
                let paused = self
                    .picture
                    .as_ref()
                    .zip(node)
                    .is_some_and(|(p, n)| p.nodes[usize::from(n.0)].status == Status::Paused);
                let fault = |node| if paused { Fault::Resume { node } } else { Fault::Pause { node } };
                node.into_iter().for_each(|node| link.send_message(Msg::Act(fault(node))));
            }
            "t" => node.into_iter().for_each(|node| link.send_message(Msg::Act(Fault::Timeout { node }))),
            "h" => link.send_message(Msg::Act(Fault::Heal {})),
            "?" => link.send_message(Msg::Help),
            "Escape" => {
                self.help = false;
                self.sharing = None;
                self.menu = None;
                self.selected_msg = None;
                return true;
            }
            _ => return false,
        }
        key.prevent_default();
        false
    }

    fn timeline_click(&mut self, x: f64, y: f64) {
        let Some(lanes) = self.lanes() else { return };
        let Some(session) = &mut self.session else { return };
        match timeline::hit(session.sim().trace(), self.window, lanes, x, y) {
            Some(Hit::Message(msg, event)) => {
                self.selected_msg = Some(msg);
                // Jump to the moment the message was sent, so it is in flight in the cluster view.
                let sent = session.sim().trace().send_of(msg).unwrap_or(event);
                jump(session, sent);
            }
            Some(Hit::Event(event)) => jump(session, event),
            None => {
                let t = self.window.time(x, lanes.width).max(0.0) as Time;
                session.seek(t.min(session.sim().now()));
            }
        }
        self.follow = false;
    }
}

fn jump(session: &mut Session, event: EventId) {
    if let Some(e) = session.sim().trace().get(event) {
        session.cursor = e.time;
        session.pinned = Some(event);
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let query = window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let share::Link { shared, page, problems } = share::parse_link(&query);
        let mut app = App {
            session: None,
            setup: shared.setup.clone(),
            scenarios: Vec::new(),
            loading: None,
            page,
            view: shared.view,
            sharing: None,
            picture: None,
            picture_key: (0, None, 0, false, 0),
            summary: None,
            summary_len: 0,
            playing: false,
            speed: page.speed.map_or(SPEED_DEFAULT, speed_position),
            last_frame: None,
            rush_steps: 2_000,
            selected_node: shared.node.map(|n| n.0),
            selected_msg: None,
            menu: None,
            drag: None,
            op_text: "inc a 1".to_string(),
            error: None,
            notes: problems.iter().map(|p| format!("In the address: {p}")).collect(),
            help: false,
            compare: None,
            window: Window { t0: 0.0, span: DEFAULT_SPAN_US },
            follow: true,
            gesture: None,
            pointers: Vec::new(),
            pinch: None,
            moved: false,
            bands: Bands::default(),
            bands_branch: 0,
            frame_times: Vec::new(),
            frame_started: None,
            side_version: 0,
            side_bumped: 0.0,
            side_rendered: std::cell::Cell::new(u64::MAX),
            canvas: NodeRef::default(),
            svg: NodeRef::default(),
            menu_box: NodeRef::default(),
            raf: None,
            listeners: Vec::new(),
            wheel: None,
        };
        app.start(ctx.link(), shared.setup, &shared.actions, shared.cursor, Then::Address);
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if !matches!(msg, Msg::Frame(_)) {
            self.side_version += 1;
        }
        match msg {
            // Timeline gestures are frames too (for the benchmark's figures); playing starts afresh.
            Msg::Wheel(..) | Msg::TimelineMove(..) => self.frame_started = Some(now_ms()),
            Msg::TogglePlay => self.frame_times.clear(),
            _ => {}
        }
        match msg {
            Msg::Frame(ts) => {
                if ts - self.side_bumped >= SIDE_EVERY_MS {
                    self.side_version += 1;
                    self.side_bumped = ts;
                }
                self.frame(ts);
            }
            Msg::TogglePlay => {
                if self.playing {
                    self.pause();
                } else {
                    self.playing = true;
                    self.follow = true;
                    self.last_frame = None;
                    self.menu = None;
                }
            }
            Msg::Pause => self.pause(),
            Msg::StepForward | Msg::StepBack => {
                self.pause();
                if let Some(session) = &mut self.session {
                    if matches!(msg, Msg::StepForward) {
                        session.step_forward();
                    } else {
                        session.step_back();
                    }
                }
                self.follow = true;
            }
            Msg::Speed(v) => self.speed = v.min(SPEED_MAX),
            Msg::Seek(t) => {
                if let Some(session) = &mut self.session {
                    session.seek(t);
                }
            }
            Msg::Jump(event) => {
                self.pause();
                if let Some(session) = &mut self.session {
                    jump(session, event);
                    let t = session.cursor as f64;
                    self.window.t0 = (t - self.window.span / 2.0).max(0.0);
                }
                self.follow = false;
            }
            Msg::Act(fault) => {
                self.menu = None;
                self.act(fault);
            }
            Msg::SelectNode(node) => {
                self.selected_node = node;
                self.menu = None;
            }
            Msg::SelectMessage(msg) => self.selected_msg = msg,
            Msg::DragStart(node, x, y) => {
                let Some(picture) = &self.picture else { return false };
                let layout = Layout::new(picture.nodes.len() as u8, picture.islands, 0);
                self.drag = Some((node, layout.nodes[usize::from(node)], (x, y), (x, y)));
                self.menu = None;
                return false;
            }
            Msg::DragMove(x, y) => {
                let Some((node, centre, press, _)) = self.drag else { return false };
                self.drag = Some((node, centre, press, (x, y)));
            }
            Msg::DragEnd(x, y) => {
                let Some((node, centre, press, _)) = self.drag.take() else { return false };
                let Some(picture) = &self.picture else { return true };
                let moved = ((x - press.0).powi(2) + (y - press.1).powi(2)).sqrt();
                if moved < 6.0 {
                    self.selected_node = Some(node);
                    return true;
                }
                let nodes = picture.nodes.len() as u8;
                let layout = Layout::new(nodes, picture.islands, 0);
                // Where the node's centre lands (it moves with the pointer, keeping where it was grabbed).
                let landed = (centre.0 + x - press.0, centre.1 + y - press.1);
                if let Some(target) = layout.drop_target(node, landed) {
                    let fault = crate::layout::move_node(nodes, picture.islands, node, target);
                    self.act(fault);
                }
            }
            Msg::Menu(node) => {
                self.menu = node;
                if node.is_some() {
                    self.selected_node = node;
                }
            }
            Msg::Link(a, b, one_way) => {
                let Some(picture) = &self.picture else { return false };
                let (from, to) = (NodeName(a), NodeName(b));
                let cut = picture.cuts.contains(&(a, b)) || picture.cuts.contains(&(b, a));
                let fault =
                    if cut { Fault::Repair { from, to, both: true } } else { Fault::Cut { from, to, both: !one_way } };
                self.act(fault);
            }
            Msg::EditSetup(setup) => {
                self.setup = setup;
                self.error = self.setup.validate().err();
            }
            Msg::NewRun => {
                let setup = Setup { scenario: None, ..self.setup.clone() };
                self.notes.clear();
                self.error = None;
                self.start(ctx.link(), setup, &[], None, Then::NewRun);
            }
            Msg::LoadScenario(name) => {
                self.notes.clear();
                self.error = None;
                let setup = Setup { scenario: Some(name), ..self.setup.clone() };
                self.start(ctx.link(), setup, &[], None, Then::Menu);
            }
            Msg::Branch(i) => {
                if let Some(session) = &mut self.session {
                    session.switch(i);
                }
                self.summary = None;
                self.write_address();
            }
            Msg::Key(key) => {
                if !self.key(ctx, key) {
                    return false;
                }
            }
            Msg::OpText(text) => {
                self.op_text = text;
                return false;
            }
            Msg::SendOp => match self.op_text.parse::<OpSpec>() {
                Ok(op) => {
                    let node = self.selected_node.map(NodeName);
                    self.act(Fault::Request { client: None, node, op });
                }
                Err(e) => self.error = Some(e.0),
            },
            Msg::Compare => {
                if let Some(session) = &self.session {
                    self.compare = Some(session.compare(&[ProtocolKind::Multi, ProtocolKind::Raft]));
                }
            }
            Msg::Help => self.help = !self.help,
            Msg::Problem(text) => self.error = Some(text),
            Msg::Dismiss => {
                self.error = None;
                self.notes.clear();
            }
            Msg::Wheel(x, delta) => {
                let Some((_, width, _)) = self.canvas_size() else { return false };
                let factor = math::exp(delta / 300.0).clamp(0.5, 2.0);
                self.window = self.window.zoom(factor, x, width);
                self.follow = false;
            }
            Msg::TimelineDown(id, x, y) => {
                self.pointers.retain(|(p, _)| *p != id);
                self.pointers.push((id, x));
                self.moved = false;
                if self.pointers.len() == 2 {
                    let d = (self.pointers[0].1 - self.pointers[1].1).abs().max(10.0);
                    self.pinch = Some((d, self.window));
                    self.gesture = Some(Gesture::Pinch);
                    return false;
                }
                let Some((_, width, _)) = self.canvas_size() else { return false };
                let cursor_x = self.session.as_ref().map_or(-100.0, |s| self.window.x(s.cursor as f64, width));
                self.gesture = Some(if (x - cursor_x).abs() <= 8.0 || y < timeline::TOP {
                    self.pause();
                    Gesture::Scrub
                } else {
                    Gesture::Pan(x, self.window, false)
                });
                let _ = y;
                return false;
            }
            Msg::TimelineMove(id, x, _y) => {
                let Some((_, width, _)) = self.canvas_size() else { return false };
                if let Some(p) = self.pointers.iter_mut().find(|(p, _)| *p == id) {
                    p.1 = x;
                }
                match self.gesture {
                    Some(Gesture::Scrub) => {
                        if let Some(session) = &mut self.session {
                            let t = self.window.time(x, width).max(0.0) as Time;
                            session.seek(t.min(session.sim().now()));
                        }
                        self.follow = false;
                    }
                    Some(Gesture::Pan(from, start, _)) => {
                        if (x - from).abs() < 3.0 && !self.moved {
                            return false;
                        }
                        self.moved = true;
                        let dt = (x - from) / (width - timeline::LEFT) * start.span;
                        self.window = Window { t0: start.t0 - dt, span: start.span };
                        self.follow = false;
                    }
                    Some(Gesture::Pinch) => {
                        let (Some((d0, start)), [(_, a), (_, b)]) = (self.pinch, self.pointers.as_slice()) else {
                            return false;
                        };
                        let d = (a - b).abs().max(10.0);
                        self.window = start.zoom(d0 / d, (a + b) / 2.0, width);
                        self.follow = false;
                    }
                    None => return false,
                }
            }
            Msg::TimelineUp(id, x, y) => {
                self.pointers.retain(|(p, _)| *p != id);
                let gesture = self.gesture.take();
                self.pinch = None;
                if matches!(gesture, Some(Gesture::Pan(..))) && !self.moved {
                    self.pause();
                    self.timeline_click(x, y);
                }
            }
            Msg::Follow => self.follow = true,
            Msg::Share => {
                if self.sharing.take().is_none() {
                    self.open_sharing();
                }
            }
            Msg::CopyLink => {
                if let (Some(sharing), Some(w)) = (&mut self.sharing, window()) {
                    // The browser may refuse (no permission, no focus): then say so; the link stays
                    // selectable in the panel.
                    let link = ctx.link().clone();
                    export::settle(&w.navigator().clipboard().write_text(&sharing.url), move |copied| {
                        if copied.is_err() {
                            link.send_message(Msg::Problem(
                                "The browser did not let the page copy the link: select it in the panel and copy it."
                                    .into(),
                            ));
                        }
                    });
                    sharing.copied = true;
                }
            }
            Msg::Export(what) => {
                if let Err(e) = self.export(what, ctx) {
                    self.error = Some(format!("Could not export: {e}"));
                }
            }
            Msg::Import(file) => {
                let link = ctx.link().clone();
                let name = file.name();
                export::read_file(&file, move |text| link.send_message(Msg::Imported(name, text)));
            }
            Msg::Imported(name, text) => self.import(ctx.link(), &name, text),
            Msg::Fetched(name, text) => self.fetched(name, text),
            Msg::View(view) => {
                self.view = view;
                self.open_sharing();
            }
        }
        self.refresh();
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let banner = match (&self.error, self.notes.is_empty()) {
            (None, true) => html! {},
            (error, _) => html! {
                <div class="banner" role="alert">
                    { for error.iter().map(|e| html! { <p>{ e }</p> }) }
                    { for self.notes.iter().map(|n| html! { <p>{ n }</p> }) }
                    <button onclick={link.callback(|_| Msg::Dismiss)} aria-label="Dismiss">{ "×" }</button>
                </div>
            },
        };
        // A scenario's file on its way: its title, while the current run (if any) stays.
        let loading = match &self.loading {
            Some(loading) => {
                let title = scenario::index().iter().find(|(n, _)| *n == loading.name).map_or(loading.name, |(_, t)| t);
                html! { <p class="empty loading" role="status">{ format!("Loading the scenario “{title}”…") }</p> }
            }
            None => html! {},
        };
        if self.page.embed {
            return html! {
                <div class="app embed">
                    { banner }
                    { loading }
                    { match &self.session {
                        Some(session) => self.view_embed(session, ctx),
                        None if self.loading.is_some() => html! {},
                        None => html! { <p class="empty">{ "This run cannot be shown; open it in the playground to see why." }</p> },
                    } }
                </div>
            };
        }
        // A run file dropped anywhere on the page is imported.
        let dragover = Callback::from(|e: DragEvent| e.prevent_default());
        let drop = link.batch_callback(|e: DragEvent| {
            e.prevent_default();
            e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)).map(Msg::Import)
        });
        html! {
            <div class="app" ondragover={dragover} ondrop={drop}>
                <header class="top">
                    <h1>{ "Paxos playground" }</h1>
                    { panels::setup_bar(&self.setup, link) }
                    <button id="share" onclick={link.callback(|_| Msg::Share)} title="Share a link to this run; export or import it">{ "Share" }</button>
                    <button class="help-button" onclick={link.callback(|_| Msg::Help)} title="Help and shortcuts (?)">{ "?" }</button>
                </header>
                { banner }
                { loading }
                { match &self.session {
                    Some(session) => self.view_session(session, ctx),
                    None if self.loading.is_some() => html! {},
                    None => html! { <p class="empty">{ "Choose a setup above and press New run." }</p> },
                } }
                { if self.help { panels::help(link) } else { html! {} } }
                { for self.sharing.as_ref().map(|sharing| panels::share(sharing, self.view, link)) }
            </div>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.install_listeners(ctx);
        }
        self.attach_wheel(ctx);
        self.draw_timeline();
        cluster::place_menu(&self.menu_box);
        if let Some(started) = self.frame_started.take() {
            self.record_frame(now_ms() - started);
        }
        if self.playing && self.raf.is_none() {
            let link = ctx.link().clone();
            let closure = Closure::<dyn FnMut(f64)>::new(move |ts: f64| link.send_message(Msg::Frame(ts)));
            if let Some(w) = window() {
                let _ = w.request_animation_frame(closure.as_ref().unchecked_ref());
            }
            self.raf = Some(closure);
        }
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        if let Some(document) = window().and_then(|w| w.document()) {
            for (name, closure) in &self.listeners {
                let _ = document.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
        }
        if let Some((canvas, wheel)) = self.wheel.take() {
            let _ = canvas.remove_event_listener_with_callback("wheel", wheel.as_ref().unchecked_ref());
        }
    }
}

impl App {
    /// The cluster view.
    fn cluster_view(&self, session: &Session, picture: &Picture, ctx: &Context<Self>) -> Html {
        let svg = self.svg.clone();
        let to_canvas = move |x: i32, y: i32| -> (f64, f64) {
            let Some(element) = svg.cast::<Element>() else { return (0.0, 0.0) };
            let rect = element.get_bounding_client_rect();
            let scale = (WIDTH / rect.width()).max(HEIGHT / rect.height());
            let (ox, oy) = ((rect.width() * scale - WIDTH) / 2.0, (rect.height() * scale - HEIGHT) / 2.0);
            ((f64::from(x) - rect.left()) * scale - ox, (f64::from(y) - rect.top()) * scale - oy)
        };
        cluster::view(cluster::Props {
            picture,
            session,
            selected_node: self.selected_node,
            selected_msg: self.selected_msg,
            drag: self.drag.map(|(n, c, press, p)| (n, (c.0 + p.0 - press.0, c.1 + p.1 - press.1))),
            menu: self.menu,
            svg: &self.svg,
            menu_box: &self.menu_box,
            to_canvas: std::rc::Rc::new(to_canvas),
            link: ctx.link(),
        })
    }

    /// The scenario's caption at the cursor, if any.
    fn caption(session: &Session) -> Html {
        match session.caption() {
            Some((i, text)) => html! {
                <p class="caption" aria-live="polite"><b>{ format!("{}/{} ", i + 1, session.captions.len()) }</b>{ text }</p>
            },
            None => html! {},
        }
    }

    /// The timeline's canvas.
    fn timeline_canvas(&self, session: &Session, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let down = link.callback(|e: PointerEvent| {
            if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                let _ = target.set_pointer_capture(e.pointer_id());
            }
            Msg::TimelineDown(e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y()))
        });
        let moved = link.callback(|e: PointerEvent| {
            Msg::TimelineMove(e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y()))
        });
        let up = link.callback(|e: PointerEvent| {
            Msg::TimelineUp(e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y()))
        });
        html! {
            <canvas ref={self.canvas.clone()} class="lamport" data-head={session.sim().now().to_string()}
                data-t0={fixed(self.window.t0, 0).to_string()} data-span={fixed(self.window.span, 0).to_string()} data-cursor={session.cursor.to_string()}
                onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up} />
        }
    }

    fn view_session(&self, session: &Session, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(picture) = &self.picture else { return html! {} };
        // The panels are built only when they are to change (see `Frozen`).
        let side = if self.side_rendered.replace(self.side_version) == self.side_version {
            html! {}
        } else {
            html! { <>
                { panels::inspector(picture, session, self.selected_node, link) }
                { panels::slot_table(picture, session) }
                { panels::safety(session, link) }
                { panels::stats(self.summary.as_ref(), self.compare.as_deref(), link) }
                { panels::clients(session, &self.op_text, self.selected_node, link) }
                { panels::branches(session, link) }
            </> }
        };
        let timeline = html! {
            <section class="timeline" aria-label="Timeline">
                <div class="timeline-head">
                    <h2>{ "Timeline" }</h2>
                    <span class="hint">{ "drag the ▼ cursor to scrub · wheel or pinch to zoom · drag to pan · click an arrow" }</span>
                    { if self.follow { html! {} } else {
                        html! { <button onclick={link.callback(|_| Msg::Follow)}>{ "Follow" }</button> }
                    } }
                </div>
                { self.timeline_canvas(session, ctx) }
            </section>
        };
        html! {
            <main class={format!("layout view-{}", self.view.name())}>
                <section class="stage" aria-label="Cluster">
                    { panels::scenario_card(session) }
                    { if self.view.cluster() { self.cluster_view(session, picture, ctx) } else { html! {} } }
                    { if session.scenario.is_none() { panels::guide(picture, self.playing, session.sim().config().protocol) } else { html! {} } }
                    { Self::caption(session) }
                    { panels::controls(session, self.playing, self.speed, link) }
                </section>
                { if self.view.timeline() { timeline } else { html! {} } }
                <aside class="side">
                    <Frozen version={self.side_version}>{ side }</Frozen>
                </aside>
            </main>
        }
    }

    /// The chrome-less page for an iframe: the views the link asks for, sized to the frame, a
    /// compact control strip, and a link to the full playground.
    fn view_embed(&self, session: &Session, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(picture) = &self.picture else { return html! {} };
        let full = self.shared().map(|shared| format!("./{}", shared.to_query(&Page::default()))).unwrap_or_default();
        let open = html! {
            <a class="open-full" href={full} target="_blank" rel="noopener" title="Open this run in the full playground" aria-label="Open this run in the playground">{ "Playground ↗" }</a>
        };
        let controls = if self.page.controls {
            html! {
                <nav class="embed-controls" aria-label="Controls">
                    <button id="step-back" onclick={link.callback(|_| Msg::StepBack)} aria-label="Step back" title="One event back">{ "◀" }</button>
                    <button id="play" class="primary" onclick={link.callback(|_| Msg::TogglePlay)} title="Play / pause">
                        { if self.playing { "⏸" } else { "▶" } }
                    </button>
                    <button id="step" onclick={link.callback(|_| Msg::StepForward)} aria-label="Step forward" title="One event forward">{ "▶|" }</button>
                    <span id="clock" class="muted">{ crate::model::time_words(session.cursor) }</span>
                    { open }
                </nav>
            }
        } else {
            html! { <nav class="embed-controls bare">{ open }</nav> }
        };
        html! {
            <main class={format!("embed-layout view-{}", self.view.name())}>
                { if self.view.cluster() {
                    html! { <section class="stage" aria-label="Cluster">{ self.cluster_view(session, picture, ctx) }</section> }
                } else { html! {} } }
                { if self.view.timeline() {
                    html! { <section class="timeline" aria-label="Timeline">{ self.timeline_canvas(session, ctx) }</section> }
                } else { html! {} } }
                { Self::caption(session) }
                { controls }
            </main>
        }
    }

    /// Records what a played frame cost (simulate, picture, view, diff, draw), and every 60 frames
    /// writes the median and 95th percentile of the last ones on the canvas (`data-frame-ms`), for
    /// the benchmark (e2e/bench.mjs).
    fn record_frame(&mut self, ms: f64) {
        self.frame_times.push(ms);
        if self.frame_times.len() > 600 {
            self.frame_times.drain(..300);
        }
        if self.frame_times.len().is_multiple_of(60) {
            // Durations are never negative, so their bits sort as they do; through the simulator's
            // one sort instead of another compiled for f64.
            let mut sorted = self.frame_times.clone();
            paxos_sim::sort::sort_by_key(&mut sorted, |ms| (ms.max(0.0).to_bits(), 0));
            let at = |p: usize| sorted[(sorted.len() * p / 100).min(sorted.len() - 1)];
            if let Some(canvas) = self.canvas.cast::<Element>() {
                let _ = canvas.set_attribute(
                    "data-frame-ms",
                    &format!("{} {} {}", fixed(at(50), 1), fixed(at(95), 1), sorted.len()),
                );
            }
        }
    }

    /// Frame times in ms (update + draw) of the last frames played, for the benchmark.
    pub fn frame_times(&self) -> &[f64] {
        &self.frame_times
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link's speed lands on the slider position that plays at about that speed.
    #[test]
    fn link_speeds_map_to_slider_positions() {
        for v in 0..SPEED_MAX {
            assert_eq!(speed_position(speed_us_per_s(v).round() as u32), v);
        }
        assert_eq!(speed_position(u32::MAX), SPEED_MAX);
        assert_eq!(speed_position(1), 0);
    }
}
