//! Sharing: the share panel (the link to this moment and its trace hash, and the `<iframe>` snippet
//! that embeds it), the views a link shows, and the names of exported files.
//!
//! Plain Rust: opening the panel needs the page's address and the trace hash, which the page
//! computes when [`Share::update`] returns [`Effect::Open`].

use paxos_play::lang::Lang;
use paxos_play::share::{Page, Shared, View};
use paxos_play::snippet::{self, HEIGHT_MAX, HEIGHT_MIN, Options};
use paxos_sim::trace::Time;

use crate::model::Session;

/// What the share panel shows: the link to this moment and the hash of the trace up to it, and
/// the snippet that embeds the run with the Embed options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sharing {
    /// The whole address.
    pub url: String,
    /// `share::trace_hash_until` at the cursor.
    pub hash: u64,
    /// Whether Copy was pressed.
    pub copied: bool,
    /// The page's address, without its query.
    pub base: String,
    /// The run shared.
    pub shared: Shared,
    /// The embed's title: the scenario's, or the playground's name.
    pub title: String,
    /// The Embed options.
    pub options: Options,
    /// Whether the snippet's Copy was pressed (since the options last changed).
    pub snippet_copied: bool,
    /// Whether the embed's preview is shown (asked for: it loads a second playground).
    pub preview: bool,
}

impl Sharing {
    /// The embed's address, for the preview.
    pub fn embed_url(&self) -> String {
        snippet::url(&self.base, &self.shared, &self.options)
    }

    /// The `<iframe>` snippet.
    pub fn snippet(&self) -> String {
        snippet::snippet(&self.base, &self.shared, &self.options, &self.title)
    }
}

/// A message of sharing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// Open the panel, or close it.
    Toggle,
    /// Close the panel.
    Close,
    /// Show these views (and share a link to them).
    View(View),
    /// Copy the link.
    Copy,
    /// Embed with these options.
    Embed(Options),
    /// Copy the embed snippet.
    CopySnippet,
    /// Show the embed's preview, or hide it.
    Preview,
}

/// What a message asks of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Open the panel on a link to this moment ([`Share::open`]).
    Open,
    /// Put this text (the link or the snippet) on the clipboard.
    Copy(String),
}

/// The views shown and the share panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Share {
    /// The views shown (and shared).
    pub view: View,
    /// The panel, when open.
    pub panel: Option<Sharing>,
}

impl Share {
    /// Handles a message.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Toggle if self.panel.take().is_some() => Effect::None,
            Msg::Toggle => Effect::Open,
            Msg::Close => {
                self.panel = None;
                Effect::None
            }
            Msg::View(view) => {
                self.view = view;
                Effect::Open
            }
            Msg::Copy => match &mut self.panel {
                Some(panel) => {
                    panel.copied = true;
                    Effect::Copy(panel.url.clone())
                }
                None => Effect::None,
            },
            Msg::Embed(options) => {
                if let Some(panel) = &mut self.panel {
                    let height = options.height.clamp(HEIGHT_MIN, HEIGHT_MAX);
                    panel.options = Options { height, ..options };
                    panel.snippet_copied = false;
                }
                Effect::None
            }
            Msg::CopySnippet => match &mut self.panel {
                Some(panel) => {
                    panel.snippet_copied = true;
                    Effect::Copy(panel.snippet())
                }
                None => Effect::None,
            },
            Msg::Preview => {
                if let Some(panel) = &mut self.panel {
                    panel.preview = !panel.preview;
                }
                Effect::None
            }
        }
    }

    /// Opens the panel on `shared` at the page's address `base`, with the trace hash; the embed is
    /// titled `title` and speaks `lang`. Reopened (on another view), it keeps the Embed options.
    pub fn open(&mut self, base: &str, shared: Shared, hash: u64, title: String, lang: Option<Lang>) {
        let url = format!("{base}{}", shared.to_query(&Page::default()));
        let (options, preview) =
            self.panel.as_ref().map_or_else(|| (Options::for_run(&shared, lang), false), |p| (p.options, p.preview));
        let base = base.to_string();
        self.panel =
            Some(Sharing { url, hash, copied: false, base, shared, title, options, snippet_copied: false, preview });
    }
}

/// Something to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The run as JSON (what the link holds, readable).
    Run,
    /// The run as a scenario file, with the person's captions (`paxos run --scenario FILE` plays it).
    Scenario,
    /// The trace as JSON lines (`paxos run --trace`).
    Trace,
    /// The client history as JSON lines (`paxos run --history`).
    History,
    /// The timeline's window as SVG.
    TimelineSvg,
    /// The timeline's window as PNG.
    TimelinePng,
    /// The cluster view as SVG.
    ClusterSvg,
    /// The cluster view as PNG.
    ClusterPng,
}

impl Export {
    /// Every export, in menu order, with its name (`data-export`; its button's text is the
    /// catalogue's `share.exports.<name>`).
    pub const ALL: [(Export, &'static str); 8] = [
        (Export::Run, "run"),
        (Export::Scenario, "scenario"),
        (Export::Trace, "trace"),
        (Export::History, "history"),
        (Export::TimelineSvg, "timeline-svg"),
        (Export::TimelinePng, "timeline-png"),
        (Export::ClusterSvg, "cluster-svg"),
        (Export::ClusterPng, "cluster-png"),
    ];
}

/// A file name for an export of the run `session` shows: `paxos-multi-seed1-t350ms.json`.
pub fn file_name(session: Option<&Session>, extension: &str) -> String {
    let Some(session) = session else { return format!("paxos.{extension}") };
    let config = session.sim().config();
    let what = match &session.setup.scenario {
        Some(name) => name.clone(),
        None => format!("{}-seed{}", config.protocol.name(), config.seed),
    };
    let cursor: Time = session.cursor;
    format!("paxos-{what}-t{}ms.{extension}", cursor / 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Setup;

    /// Toggle asks to open, then closes; choosing a view reopens on it; Copy marks the panel.
    #[test]
    fn the_panel_opens_closes_and_copies() {
        let mut share = Share::default();
        assert_eq!(share.update(Msg::Copy), Effect::None, "nothing to copy while closed");
        assert_eq!(share.update(Msg::Toggle), Effect::Open);
        share.open("https://example.org/", Shared::default(), 0xab, "Paxos".into(), None);
        assert_eq!(
            share.update(Msg::Copy),
            Effect::Copy(format!("https://example.org/{}", Shared::default().to_query(&Page::default())))
        );
        assert_eq!(share.panel.as_ref().map(|p| (p.copied, p.hash)), Some((true, 0xab)));
        assert_eq!(share.update(Msg::View(View::Timeline)), Effect::Open);
        assert_eq!(share.view, View::Timeline);
        assert_eq!(share.update(Msg::Toggle), Effect::None);
        assert_eq!(share.panel, None);
    }

    /// The Embed options start as the run asks (a story waits, another run autoplays, the page's
    /// language), change the snippet and its preview together, clamp the height, survive a change
    /// of view, and Copy copies the snippet shown.
    #[test]
    fn the_embed_options_change_the_snippet() {
        let mut share = Share::default();
        let story =
            Shared { setup: Setup { scenario: Some("livelock".into()), ..Setup::default() }, ..Shared::default() };
        assert_eq!(share.update(Msg::CopySnippet), Effect::None, "nothing to copy while closed");
        share.open("https://example.org/", story, 1, "Livelock".into(), Some(Lang::Zh));
        let panel = share.panel.clone().expect("open");
        assert_eq!((panel.options.autoplay, panel.options.lang), (false, Some(Lang::Zh)));
        assert!(
            panel.snippet().contains("scenario=livelock") && panel.snippet().contains("lang=zh"),
            "{}",
            panel.snippet()
        );
        assert_eq!(share.update(Msg::CopySnippet), Effect::Copy(panel.snippet()));
        assert!(share.panel.as_ref().is_some_and(|p| p.snippet_copied));

        let options = Options { controls: false, height: 1, ..panel.options };
        assert_eq!(share.update(Msg::Embed(options)), Effect::None);
        let changed = share.panel.clone().expect("still open");
        assert_eq!((changed.options.height, changed.snippet_copied), (HEIGHT_MIN, false));
        assert!(changed.snippet().contains("controls=0") && changed.embed_url().contains("controls=0"));
        assert_ne!(changed.snippet(), panel.snippet());

        assert!(!changed.preview, "the preview waits to be asked for");
        assert_eq!(share.update(Msg::Preview), Effect::None);
        assert!(share.panel.as_ref().is_some_and(|p| p.preview));
        assert_eq!(share.update(Msg::View(View::Cluster)), Effect::Open);
        share.open("https://example.org/", changed.shared.clone(), 1, "Livelock".into(), Some(Lang::Zh));
        assert_eq!(
            share.panel.as_ref().map(|p| (p.options, p.preview)),
            Some((changed.options, true)),
            "kept on reopening"
        );

        share.update(Msg::Close);
        share.open("https://example.org/", Shared::default(), 1, "Paxos".into(), None);
        assert!(share.panel.as_ref().is_some_and(|p| p.options.autoplay && p.snippet().contains("autoplay")));
    }

    /// Exported files are named after the protocol and seed (or the scenario) and the moment.
    #[test]
    fn export_names_say_what_and_when() {
        assert_eq!(file_name(None, "json"), "paxos.json");
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        session.seek(350_000);
        let config = session.sim().config();
        let expected = format!("paxos-{}-seed{}-t350ms.trace.jsonl", config.protocol.name(), config.seed);
        assert_eq!(file_name(Some(&session), "trace.jsonl"), expected);
    }
}
