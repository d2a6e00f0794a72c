//! The page's messages: what the views emit and [`crate::app::App`] routes, each concern's own
//! messages wrapped in one variant. The views take a `Callback<Msg>`, never the page's `Scope`.

use paxos_play::embed::Received;
use paxos_play::lang::Lang;
use paxos_sim::faults::Fault;
use paxos_sim::trace::{EventId, Time};

use crate::model::Setup;
use crate::state::sharing::{self, Export};
use crate::state::{authoring, gestures, playback, story, viewport};

/// A message of the page.
#[derive(Clone)]
pub enum Msg {
    /// An animation frame, with its timestamp (ms).
    Frame(f64),
    /// Play, pause, speed.
    Playback(playback::Msg),
    /// One event forward.
    StepForward,
    /// One event back.
    StepBack,
    /// Move the cursor to a time.
    Seek(Time),
    /// Show an event (pinned).
    Jump(EventId),
    /// Take an action at the cursor.
    Act(Fault),
    /// Show another branch.
    Branch(usize),
    /// A gesture on the cluster view.
    Cluster(gestures::Msg),
    /// A gesture on the timeline.
    Timeline(viewport::Msg),
    /// A setup field changed.
    EditSetup(Setup),
    /// Start a new session from the setup bar.
    NewRun,
    /// Draw a fresh seed (🎲, or an emptied seed box); `true`: and start a run with it.
    Dice(bool),
    /// Load a scenario from the catalog.
    LoadScenario(String),
    /// A key was pressed.
    Key(web_sys::KeyboardEvent),
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
    /// Forget the messages in the banner.
    Dismiss,
    /// The share panel and the views shown.
    Share(sharing::Msg),
    /// Export something.
    Export(Export),
    /// Import a run file a person picked or dropped.
    Import(web_sys::File),
    /// A run file was read: its name and text.
    Imported(String, Result<String, String>),
    /// A scenario's file was fetched (or not): its name and text.
    Fetched(&'static str, Result<String, String>),
    /// Speak this language (the language switch).
    Lang(Lang),
    /// A language's catalogue was fetched (or not).
    Words(Lang, Result<String, String>),
    /// A command from the window that embeds the page (`crate::host`).
    Host(Received),
    /// Story mode: next, back, play through, an answer.
    Story(story::Msg),
    /// A change to the person's own captions.
    Author(authoring::Msg),
}
