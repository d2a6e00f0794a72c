//! The playground layer: what the page and the `paxos` command both offer a person, on top of the
//! simulator (`paxos-sim`), which knows nothing of it.
//!
//! - [`share`] — a run in a link or a file, replaying it exactly.
//! - [`embed`] — the embed's `postMessage` API: commands a host page sends, events sent back.
//! - [`explain`] — the rule behind a node's decision ([`paxos_core::Rule`]) in the reader's words.
//! - [`lang`] — words in the reader's language: the catalogues `lang/*.json`, placeholders.
//! - [`page`] — the playground's limits, the choices of its setup bar ([`page::Setup`]), its views
//!   ([`page::View`]) and a link's page settings ([`page::Page`]).
//! - [`scenario`] — scripted runs with expectations, and the catalogue of `scenarios/*.json` that the
//!   build embeds (`build.rs`).
//! - [`session`] — a session of runs: the time cursor and the branches (the page's model).
//! - [`snippet`] — the `<iframe>` snippet that embeds a run, with its options.

pub mod embed;
pub mod explain;
pub mod lang;
pub mod page;
pub mod scenario;
pub mod session;
pub mod share;
pub mod snippet;
