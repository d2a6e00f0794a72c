//! The page's side of starting a run (from the address, the setup bar, the scenario menu, a run
//! file), and of sharing and exporting it: the parts that touch the browser or several concerns
//! at once. What can be decided without them is in `crate::state::{loading, sharing}`.

use paxos_play::lang::{Catalogue, Lang};
use paxos_play::scenario::{Caption, Scenario};
use paxos_play::share::{self, Shared};

use super::App;
use crate::browser;
use crate::export;
use crate::i18n::{self, t, tf};
use crate::model::{Session, Setup};
use crate::msg::Msg;
use crate::state::authoring::Authoring;
use crate::state::loading::{Request, Run, Then};
use crate::state::playback;
use crate::state::sharing::Export;
use crate::state::viewport::DEFAULT_SPAN_US;

impl App {
    /// Starts `run`. A scenario's file is fetched first, unless it was already: the run starts
    /// when it is there ([`Msg::Fetched`]), and the current run stays meanwhile.
    pub(super) fn start(&mut self, run: Run) {
        match self.loading.request(run) {
            Request::Start(run, scenario) => self.begin(run, scenario),
            Request::Unknown(run, why) => {
                self.begin(run, None);
                self.banner.error(why);
            }
            Request::Fetch(name) => {
                let on = self.on.clone();
                export::fetch_text(&format!("scenarios/{name}.json"), move |text| on.emit(Msg::Fetched(name, text)));
            }
        }
    }

    /// Fetches the catalogue of `lang`; the page speaks it when it arrives ([`Msg::Words`]).
    pub(super) fn fetch_words(&self, lang: Lang) {
        let on = self.on.clone();
        export::fetch_text(&i18n::address(lang), move |text| on.emit(Msg::Words(lang, text)));
    }

    /// Starts the run the address holds, and says what in the address could not be read.
    pub(super) fn start_from_address(&mut self) {
        let share::Link { shared, problems, .. } = share::parse_link(&browser::query());
        self.banner.notes.extend(problems.iter().map(|p| tf("banner.address", &[("problem", p)])));
        self.start(Run::of(shared, Then::Address));
    }

    /// A catalogue arrived (or could not be had): the page speaks it, and the address says so if the
    /// reader chose it. Without one, the page falls back to English, and says why in both languages
    /// (there are no words to say it with otherwise).
    pub(super) fn words(&mut self, lang: Lang, text: Result<String, String>) {
        match text.and_then(|text| Catalogue::parse(lang, &text).map_err(|e| e.to_string())) {
            Ok(catalogue) => {
                let first = i18n::current().is_none();
                i18n::install(catalogue);
                if first {
                    self.start_from_address();
                }
                browser::set_document_lang(lang.code(), &i18n::tf("page.panic", &[("info", &"{info}")]));
                browser::set_document_title(&t("page.title"));
                if let Some(session) = &self.session {
                    self.story.translate(session, lang);
                }
                self.write_address();
            }
            Err(problem) => {
                self.banner.error(format!("{}: {problem} · 无法加载页面文字", i18n::address(lang)));
                if lang != Lang::En && i18n::current().is_none() {
                    self.fetch_words(Lang::En);
                }
            }
        }
    }

    /// A scenario's file arrived (or could not be had): starts the run that waited for it, or says
    /// what went wrong and keeps the current run (or starts the default one if there is none).
    pub(super) fn fetched(&mut self, name: &'static str, text: Result<String, String>) {
        let Some((run, read)) = self.loading.fetched(name, text) else { return };
        match read {
            Ok(scenario) => self.begin(run, Some(scenario)),
            Err(problem) if self.session.is_some() => {
                self.banner.error(tf("banner.run_kept", &[("problem", &problem)]))
            }
            Err(problem) => {
                self.begin(Run { setup: Setup { scenario: None, ..run.setup }, ..run }, None);
                self.banner.error(tf("banner.default_shown", &[("problem", &problem)]));
            }
        }
    }

    /// Starts `run`, with its scenario (if it names one) loaded; then does what follows.
    fn begin(&mut self, run: Run, scenario: Option<Scenario>) {
        let Run { setup, actions, cursor, captions, then } = run;
        self.replay(setup, scenario, &actions, cursor, captions);
        self.refresh(None);
        self.finish(then);
    }

    /// Replays `actions` on `setup`, showing `cursor`, told with a person's `captions` if any.
    fn replay(
        &mut self,
        setup: Setup,
        scenario: Option<Scenario>,
        actions: &[paxos_sim::run::Action],
        cursor: Option<u64>,
        captions: Vec<Caption>,
    ) {
        self.playback.playing = false;
        self.gestures.selected_msg = None;
        self.compare = None;
        self.shown.reset();
        self.viewport.follow = true;
        match Session::replay(setup.clone(), scenario, actions) {
            Ok((mut session, problems)) => {
                self.banner.notes.extend(problems);
                // A person's own captions replace the scenario's (which the session already tells).
                if !captions.is_empty()
                    && let Err(e) = session.set_captions(&captions)
                {
                    self.banner.notes.push(tf("author.refused", &[("error", &e)]));
                }
                self.author = Authoring { captions };
                match cursor {
                    Some(t) => session.seek(t),
                    // A scenario plays from the start (in an embed, when asked to).
                    None if session.scenario.is_some() => {
                        session.seek(0);
                        self.playback.playing = !self.page.embed;
                    }
                    None => {}
                }
                // A scenario is short and simulated whole: the timeline shows all of it.
                let span = if session.scenario.is_some() { session.sim().now() as f64 * 1.05 } else { DEFAULT_SPAN_US };
                self.viewport.reset(span);
                self.session = Some(session);
                self.setup = setup;
                self.new_story();
            }
            Err(e) if setup.scenario.is_some() => {
                // A scenario that does not run: say so, and start the setup without it.
                self.replay(Setup { scenario: None, ..setup }, None, actions, cursor, captions);
                self.banner.error(tf("banner.scenario_failed", &[("error", &e)]));
            }
            Err(e) => {
                self.banner.error(tf("banner.run_failed", &[("error", &e)]));
                self.session = None;
            }
        }
    }

    /// What follows a start: autoplay for an address that asks, the setup bar showing a scenario's
    /// protocol and size, an imported run's view and the check of its trace hash; the address.
    fn finish(&mut self, then: Then) {
        // The setup bar shows what a scenario runs, however it was opened (the menu, a link, a file).
        if let Some(session) = self.session.as_ref().filter(|s| s.scenario.is_some()) {
            let config = session.sim().config();
            (self.setup.protocol, self.setup.nodes) = (config.protocol, config.nodes);
        }
        match then {
            Then::Address => {
                if self.page.autoplay && self.session.is_some() {
                    self.playback.playing = true;
                }
                return;
            }
            Then::NewRun | Then::Menu => {}
            Then::Import(name, hash, view, node) => {
                self.share.view = view;
                self.gestures.selected_node = node;
                self.playback.playing = false;
                if let (Some(recorded), Some(replayed)) = (hash, self.trace_hash())
                    && recorded != replayed
                {
                    let (replayed, recorded) = (format!("{replayed:016x}"), format!("{recorded:016x}"));
                    self.banner.notes.push(tf(
                        "banner.hash_differs",
                        &[("name", &name), ("replayed", &replayed), ("recorded", &recorded)],
                    ));
                }
            }
        }
        self.write_address();
    }

    /// Starts the run a file holds; a bad file is named and the current run kept.
    pub(super) fn import(&mut self, name: &str, text: Result<String, String>) {
        let (shared, hash) = match text.and_then(|text| Shared::from_file(&text)) {
            Ok(read) => read,
            Err(e) => return self.banner.error(tf("banner.import_failed", &[("name", &name), ("error", &e)])),
        };
        self.banner.dismiss();
        self.share.panel = None;
        let then = Then::Import(name.to_string(), hash, shared.view, shared.node.map(|n| n.0));
        self.start(Run::of(shared, then));
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
    pub(super) fn open_sharing(&mut self) {
        self.playback(playback::Msg::Pause);
        self.write_address();
        let Some(hash) = self.trace_hash() else { return };
        let Some(shared) = self.shared() else { return };
        let lang = i18n::current();
        let title = shared.setup.scenario.as_deref().and_then(|name| {
            let entry = paxos_play::scenario::index().iter().find(|e| e.name == name)?;
            Some(entry.title(lang.unwrap_or_default()).to_string())
        });
        self.share.open(&browser::base(), shared, hash, title.unwrap_or_else(|| t("page.title")), lang);
    }

    /// Copies the link (or the embed snippet) to the clipboard. The browser may refuse (no permission, no focus): then
    /// say so; the link stays selectable in the panel.
    pub(super) fn copy(&self, url: &str) {
        let Some(w) = browser::window() else { return };
        let on = self.on.clone();
        export::settle(&w.navigator().clipboard().write_text(url), move |copied| {
            if copied.is_err() {
                on.emit(Msg::Problem(t("banner.copy_refused")));
            }
        });
    }

    /// Exports `what`; says what went wrong, if anything did.
    pub(super) fn export(&mut self, what: Export) {
        let hash = self.trace_hash();
        let result = match (hash, &self.session, self.shared()) {
            (Some(hash), Some(session), Some(shared)) => {
                let on = self.on.clone();
                let problem = move |e| on.emit(Msg::Problem(e));
                export::export(what, session, (&shared, hash), &self.scene(session), &self.dom, problem)
            }
            _ => Err(t("banner.nothing_to_export")),
        };
        if let Err(e) = result {
            self.banner.error(tf("banner.export_failed", &[("error", &e)]));
        }
    }
}
