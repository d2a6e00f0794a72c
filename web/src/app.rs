//! The page: a thin shell that owns the [`Session`] and each concern's state (`crate::state`),
//! routes the views' messages to them, and does what they return: take a `paxos_sim::Fault` at
//! the cursor, pause, fetch a file.
//!
//! Everything the page shows is read from the session (a `Picture` of the world at the cursor, the
//! trace, the checkers); the views (`crate::components`) take props and a `Callback<Msg>`. The
//! page holds no protocol logic.

use std::rc::Rc;

use paxos_play::share::{self, Page, Shared};
use paxos_sim::ProtocolKind;
use paxos_sim::config::{NodeName, OpSpec};
use paxos_sim::faults::Fault;
use web_sys::Element;
use yew::prelude::*;

use crate::browser::{self, Dom, now_ms};
use crate::components::cluster;
use crate::components::panels::{Side, stats};
use crate::export;
use crate::host::Host;
use crate::i18n;
use crate::keys::{self, Shortcut};
use crate::model::{Session, Setup};
use crate::msg::Msg;
use crate::state::authoring::Authoring;
use crate::state::banner::Banner;
use crate::state::cursor;
use crate::state::frames::Frames;
use crate::state::gestures::{self, Gestures, Outcome};
use crate::state::loading::{Loading, Run, Then};
use crate::state::playback::{self, Advance, Change, Playback, SPEED_DEFAULT, speed_position};
use crate::state::sharing::{self, Share};
use crate::state::shown::{Moment, Shown};
use crate::state::story::Story;
use crate::state::viewport::{self, Effect, Viewport};
use crate::timeline;

mod author;
mod host;
mod run;
mod story;
mod views;

/// While playing, the side panels (inspector, slots, safety, figures, clients) follow the run at
/// most this often (ms); the cluster view and the timeline follow every frame.
pub const SIDE_EVERY_MS: f64 = 200.0;

/// The page.
pub struct App {
    session: Option<Session>,
    /// The setup bar.
    setup: Setup,
    loading: Loading,
    /// How the link asked to show the page (embedded, autoplay, controls).
    page: Page,
    share: Share,
    shown: Shown,
    playback: Playback,
    gestures: Gestures,
    viewport: Viewport,
    op_text: String,
    banner: Banner,
    help: bool,
    compare: Option<stats::Comparison>,
    /// Story mode: the captions as steps, answers, the live region's words.
    story: Story,
    /// The person's own captions (what the link carries).
    author: Authoring,
    frames: Frames,
    /// What the side panels show, rebuilt by every message but a frame, and by a frame at most
    /// every [`SIDE_EVERY_MS`] while playing.
    side: Option<Rc<Side>>,
    /// When a frame last rebuilt it (ms).
    side_at: f64,
    /// Where the views send their messages (one callback, so that the panels' props compare equal).
    on: Callback<Msg>,
    dom: Dom,
    /// The window that embeds the page, if one does (commands in, events out).
    host: Host,
}

impl App {
    /// The session, if one could be started.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Frame times in ms (update + draw) of the last frames played, for the benchmark.
    pub fn frame_times(&self) -> &[f64] {
        self.frames.times()
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let share::Link { shared, page, .. } = share::parse_link(&browser::query());
        // The address's problems are said when the words arrive (`run.rs`, `words`).
        let mut app = App {
            session: None,
            setup: shared.setup.clone(),
            loading: Loading::default(),
            page,
            share: Share { view: shared.view, panel: None },
            shown: Shown::default(),
            playback: Playback::new(page.speed.map_or(SPEED_DEFAULT, speed_position)),
            gestures: Gestures::selecting(shared.node.map(|n| n.0)),
            viewport: Viewport::default(),
            op_text: "inc a 1".to_string(),
            banner: Banner::default(),
            help: false,
            compare: None,
            story: Story::default(),
            author: Authoring::default(),
            frames: Frames::default(),
            side: None,
            side_at: 0.0,
            on: ctx.link().callback(|msg| msg),
            dom: Dom::default(),
            host: Host::default(),
        };
        browser::set_theme(page.theme);
        // The run starts once the page has words (`run.rs`, `words`), so that what starting it says
        // (a scenario that cannot be had, the address's problems) is in the reader's language.
        if i18n::current().is_some() {
            app.start_from_address();
        }
        let remembered = browser::remembered(i18n::STORAGE_KEY);
        app.fetch_words(i18n::choose(page.lang, remembered.as_deref(), &browser::languages()));
        app
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        let frame = match msg {
            Msg::Frame(ts) => Some(ts),
            _ => None,
        };
        match msg {
            // Timeline gestures are frames too (for the benchmark's figures); playing starts afresh.
            Msg::Timeline(viewport::Msg::Wheel(..) | viewport::Msg::Move(..)) => self.frames.started = Some(now_ms()),
            Msg::Playback(playback::Msg::Toggle) => self.frames.clear(),
            _ => {}
        }
        let render = self.route(msg);
        if render {
            self.refresh(frame);
        }
        self.host_events();
        render
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        self.view_page()
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.dom.listen(&self.on);
            self.host.listen(&self.on);
        }
        self.dom.attach_wheel(self.page.embed, &self.on);
        self.draw_timeline();
        cluster::place_menu(&self.dom.menu_box);
        self.focus_story();
        if let Some(started) = self.frames.started.take()
            && let Some(text) = self.frames.record(now_ms() - started)
            && let Some(canvas) = self.dom.canvas.cast::<Element>()
        {
            // Every 60 frames, for the benchmark (e2e/bench.mjs).
            let _ = canvas.set_attribute("data-frame-ms", &text);
        }
        if self.playback.playing {
            self.dom.request_frame(&self.on);
        }
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        self.dom.remove();
        self.host.remove();
    }
}

impl App {
    /// Routes a message to its concern; says whether the page is to be rendered again.
    fn route(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Frame(ts) => self.frame(ts),
            Msg::Playback(msg) => self.playback(msg),
            Msg::StepForward | Msg::StepBack => {
                self.playback(playback::Msg::Pause);
                if let Some(session) = &mut self.session {
                    if matches!(msg, Msg::StepForward) { session.step_forward() } else { session.step_back() }
                }
                self.viewport.follow = true;
                self.narrate();
            }
            Msg::Seek(t) => self.session.iter_mut().for_each(|s| s.seek(t)),
            Msg::Jump(event) => {
                self.playback(playback::Msg::Pause);
                if let Some(session) = &mut self.session {
                    cursor::jump(session, event);
                    self.viewport.centre(session.cursor as f64);
                }
                self.viewport.follow = false;
                self.narrate();
            }
            Msg::Act(fault) => {
                self.gestures.menu = None;
                self.act(fault);
            }
            Msg::Branch(i) => {
                if let Some(session) = &mut self.session {
                    session.switch(i);
                }
                self.shown.summary = None;
                // The captions are tied to events of the run shown.
                self.apply_captions();
            }
            Msg::Cluster(msg) => match self.gestures.update(msg, self.shown.picture.as_deref()) {
                Outcome::None => return false,
                Outcome::Redraw => {}
                Outcome::Act(fault) => self.act(fault),
            },
            Msg::Timeline(msg) => return self.timeline(msg),
            Msg::EditSetup(setup) => {
                self.banner.error = setup.validate().err();
                self.setup = setup;
            }
            Msg::NewRun => {
                let setup = Setup { scenario: None, ..self.setup.clone() };
                self.banner.dismiss();
                self.start(Run::new(setup, Then::NewRun));
            }
            Msg::Dice(start) => match browser::fresh_seed() {
                Ok(seed) => {
                    self.setup.seed = seed;
                    if start {
                        return self.route(Msg::NewRun);
                    }
                }
                Err(e) => self.banner.error(i18n::tf("banner.no_randomness", &[("error", &e)])),
            },
            Msg::LoadScenario(name) => {
                self.banner.dismiss();
                let setup = Setup { scenario: Some(name), ..self.setup.clone() };
                self.start(Run::new(setup, Then::Menu));
            }
            Msg::Key(key) => return self.key(&key),
            Msg::OpText(text) => {
                self.op_text = text;
                return false;
            }
            Msg::SendOp => match self.op_text.parse::<OpSpec>() {
                Ok(op) => {
                    self.act(Fault::Request { client: None, node: self.gestures.selected_node.map(NodeName), op })
                }
                Err(e) => self.banner.error(e.0),
            },
            Msg::Compare => {
                if let Some(session) = &self.session {
                    self.compare = Some(session.compare(&[ProtocolKind::Multi, ProtocolKind::Raft]).into());
                }
            }
            Msg::Help => self.help = !self.help,
            Msg::Author(msg) => self.author(msg),
            Msg::Problem(text) => self.banner.error(text),
            Msg::Dismiss => self.banner.dismiss(),
            Msg::Share(msg) => match self.share.update(msg) {
                sharing::Effect::None => {}
                sharing::Effect::Open => self.open_sharing(),
                sharing::Effect::Copy(url) => self.copy(&url),
            },
            Msg::Export(what) => self.export(what),
            Msg::Import(file) => {
                let (on, name) = (self.on.clone(), file.name());
                export::read_file(&file, move |text| on.emit(Msg::Imported(name, text)));
            }
            Msg::Imported(name, text) => self.import(&name, text),
            Msg::Fetched(name, text) => self.fetched(name, text),
            Msg::Lang(lang) => {
                browser::remember(i18n::STORAGE_KEY, lang.code());
                self.page.lang = Some(lang);
                self.fetch_words(lang);
                return false;
            }
            Msg::Words(lang, text) => self.words(lang, text),
            Msg::Host(received) => self.host_command(received),
            Msg::Story(msg) => self.story(msg),
        }
        true
    }

    /// A playback message; a pause checks the whole history and writes the address.
    fn playback(&mut self, msg: playback::Msg) {
        match self.playback.update(msg) {
            Change::None => {}
            Change::Started => {
                self.viewport.follow = true;
                self.gestures.menu = None;
            }
            Change::Paused => {
                if let Some(session) = &mut self.session {
                    session.sim_mut().check_history();
                }
                self.shown.summary = None;
                self.write_address();
            }
        }
    }

    /// An animation frame: moves the run as playback asks.
    fn frame(&mut self, ts: f64) {
        self.dom.frame_came();
        let started = now_ms();
        let Some(advance) = self.playback.frame(ts) else { return };
        if self.story_stops(advance) {
            return;
        }
        let Some(session) = &mut self.session else { return };
        let over = match advance {
            Advance::Rush(steps) => {
                let more = session.rush(steps);
                self.playback.rushed(now_ms() - started);
                !more
            }
            Advance::By(us) => {
                let (target, head) = (session.cursor + us, session.sim().now());
                session.seek(target);
                session.sim().is_over() && target > head
            }
        };
        if over {
            self.playback(playback::Msg::Pause);
            self.host.tell(&paxos_play::embed::Event::Ended);
        }
        self.frames.started = Some(started);
    }

    /// A timeline gesture; says whether to render.
    fn timeline(&mut self, msg: viewport::Msg) -> bool {
        let width = self.dom.canvas_size().map(|(_, width, _)| width);
        let cursor = self.session.as_ref().map_or(-1e12, |s| s.cursor as f64);
        match self.viewport.update(msg, width, cursor) {
            Effect::None => return false,
            Effect::Pause => {
                self.playback(playback::Msg::Pause);
                return false;
            }
            Effect::Redraw => {}
            Effect::Seek(t) => self.session.iter_mut().for_each(|s| s.seek(t.min(s.sim().now()))),
            Effect::Click(x, y) => {
                if self.story_mark((x, y)) {
                    return true;
                }
                self.playback(playback::Msg::Pause);
                if let (Some((_, width, height)), Some(session)) = (self.dom.canvas_size(), &mut self.session) {
                    let lanes = timeline::Lanes { width, height, nodes: session.sim().config().nodes };
                    if let Some(msg) = cursor::click(session, self.viewport.window, lanes, (x, y)) {
                        self.gestures.selected_msg = Some(msg);
                    }
                }
            }
        }
        true
    }

    /// A key on the page; says whether to render.
    fn key(&mut self, key: &web_sys::KeyboardEvent) -> bool {
        let Some(name) = keys::pressed(key) else { return false };
        let (node, paused) = keys::target(self.gestures.selected_node, self.shown.picture.as_deref());
        match keys::shortcut(&name, node, paused) {
            Shortcut::None => false,
            Shortcut::Escape => {
                // Closes what is open, and lets the browser have the key too.
                self.escape();
                true
            }
            Shortcut::Send(msg) => {
                msg.into_iter().for_each(|msg| self.on.emit(msg));
                key.prevent_default();
                false
            }
        }
    }

    /// Closes what is open: help, the share panel, the node menu, the message popover.
    fn escape(&mut self) {
        self.help = false;
        self.share.update(sharing::Msg::Close);
        self.gestures.update(gestures::Msg::Close, None);
    }

    /// Brings the derived views up to date; rebuilds the side panels' props unless this is a
    /// frame (timestamp `frame`) less than [`SIDE_EVERY_MS`] after the last one that did.
    fn refresh(&mut self, frame: Option<f64>) {
        self.shown.refresh(self.session.as_ref(), self.playback.playing);
        if let Some(session) = &self.session {
            self.viewport.follow_cursor(session.cursor as f64);
            self.story.follow(session);
        }
        if let Some(ts) = frame {
            if ts - self.side_at < SIDE_EVERY_MS {
                return;
            }
            self.side_at = ts;
        }
        let (Some(session), Some(picture)) = (&self.session, &self.shown.picture) else { return };
        let figures = stats::Props { summary: self.shown.summary.clone(), compare: self.compare.clone() };
        let moment = Moment(picture.clone());
        self.side = Some(Rc::new(Side::of(&moment, session, self.gestures.selected_node, &self.op_text, figures)));
    }

    /// The run as shared: the setup, the actions of the run shown, the moment and the view.
    fn shared(&self) -> Option<Shared> {
        let session = self.session.as_ref()?;
        Some(Shared {
            setup: session.setup.clone(),
            actions: session.actions(),
            cursor: Some(session.cursor),
            view: self.share.view,
            node: self.gestures.selected_node.map(NodeName),
            captions: self.author.shared(),
        })
    }

    fn write_address(&self) {
        if let Some(shared) = self.shared() {
            browser::write_address(&shared.to_query(&self.page));
        }
    }

    /// Takes `fault` at the cursor.
    fn act(&mut self, fault: Fault) {
        let Some(session) = &mut self.session else { return };
        match session.act(&fault) {
            Ok(()) => {
                self.banner.error = None;
                self.write_address();
            }
            Err(e) => self
                .banner
                .error(i18n::tf("banner.could_not", &[("action", &crate::model::fault_words(&fault)), ("error", &e)])),
        }
    }

    fn draw_timeline(&self) {
        let Some(session) = &self.session else { return };
        let Some(canvas) = self.dom.canvas.cast::<web_sys::HtmlCanvasElement>() else { return };
        timeline::draw(&canvas, &self.scene(session));
        self.draw_marks(session);
    }

    /// What the timeline shows now.
    fn scene<'a>(&'a self, session: &'a Session) -> timeline::Scene<'a> {
        let last_time = session.sim().trace().events().last().map_or(0, |e| e.time);
        timeline::Scene {
            trace: session.sim().trace(),
            bands: &self.shown.bands,
            window: self.viewport.window,
            nodes: session.sim().config().nodes,
            cursor: session.cursor,
            head: last_time.max(session.sim().now()),
            selected: self.gestures.selected_msg,
            dark: browser::dark_scheme(),
        }
    }
}
