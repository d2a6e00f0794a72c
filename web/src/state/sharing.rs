//! Sharing: the share panel (the link to this moment and its trace hash), the views a link shows,
//! and the names of exported files.
//!
//! Plain Rust: opening the panel needs the page's address and the trace hash, which the page
//! computes when [`Share::update`] returns [`Effect::Open`].

use paxos_play::share::View;
use paxos_sim::trace::Time;

use crate::model::Session;

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
}

/// What a message asks of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Open the panel on a link to this moment ([`Share::open`]).
    Open,
    /// Put this link on the clipboard.
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
        }
    }

    /// Opens the panel on `query` (a link's `?…`) at the page's address `base`, with the trace hash.
    pub fn open(&mut self, base: &str, query: &str, hash: u64) {
        self.panel = Some(Sharing { url: format!("{base}{query}"), hash, copied: false });
    }
}

/// Something to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The run as JSON (what the link holds, readable).
    Run,
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
    pub const ALL: [(Export, &'static str); 7] = [
        (Export::Run, "run"),
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
        share.open("https://example.org/", "?seed=1", 0xab);
        assert_eq!(share.update(Msg::Copy), Effect::Copy("https://example.org/?seed=1".into()));
        assert_eq!(share.panel.as_ref().map(|p| (p.copied, p.hash)), Some((true, 0xab)));
        assert_eq!(share.update(Msg::View(View::Timeline)), Effect::Open);
        assert_eq!(share.view, View::Timeline);
        assert_eq!(share.update(Msg::Toggle), Effect::None);
        assert_eq!(share.panel, None);
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
