//! The Paxos playground's web front end: a Yew app that renders snapshots of the simulator.
//!
//! It holds no protocol logic. It shows `paxos_sim::Picture`s of the world at a moment (the cluster
//! view), the trace (the timeline), the checkers' verdicts (the safety panel) and the client history,
//! and turns gestures into `paxos_sim::Fault` actions taken through `Simulation::act`.
//!
//! ```text
//!   components (views: props + Callback<Msg>) ──Msg──▶ app (routes) ──▶ state::* (update)
//!          ▲                                             │
//!          └──────────── props read from state ◀─────────┘
//! ```
//!
//! - [`model`] — the session: runs, branches, the time cursor (plain Rust, tested natively).
//! - [`state`] — the page's state, one type per concern with its messages and `update` (tested natively).
//! - [`components`] — the views; [`msg`] — the messages they send; [`app`] — the shell that routes them.
//! - [`layout`] — where nodes and islands go, and what a drag means; [`colors`] — what both views draw with.
//! - [`timeline`], [`pen`] — drawing the timeline, on the canvas or as SVG for export; [`marks`] — a
//!   story's caption marks and highlighted message over it.
//! - [`browser`], [`export`], [`keys`] — the address bar, listeners, files, shortcuts.
//! - [`host`] — the embed API: commands from the embedding window, events back to it.
//! - [`i18n`] — the words of the reader's language, fetched (`lang/*.json`): [`i18n::t`], [`i18n::tf`].

pub mod app;
pub mod browser;
pub mod colors;
pub mod components;
pub mod export;
pub mod host;
pub mod i18n;
pub mod keys;
pub mod layout;
pub mod marks;
mod math;
pub mod model;
pub mod msg;
pub mod pen;
pub mod state;
pub mod timeline;

pub use app::App;

/// Shows a panic as a readable message on the page (and in the console) instead of a dead page:
/// with `panic = "abort"` the app cannot go on, but the person can read what happened and reload.
///
/// Debug builds only: the release wasm is built so that a panic traps at once, with no message to
/// show and no hook run (crates/xtask/src/tools.rs says why); web/panic.js shows the banner then.
#[cfg(debug_assertions)]
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(body) = document.body() else { return };
        if let Ok(element) = document.create_element("div") {
            element.set_class_name("panic");
            element.set_attribute("role", "alert").ok();
            // In the reader's language if the words have arrived (else the key, and the panic's own
            // words, which are English: the hook cannot wait for a catalogue).
            element.set_text_content(Some(&i18n::tf("page.panic", &[("info", info)])));
            let _ = body.prepend_with_node_1(&element);
        }
    }));
}
