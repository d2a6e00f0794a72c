//! The playground layer: what the page and the `paxos` command both offer a person, on top of the
//! simulator (`paxos-sim`), which knows nothing of it.
//!
//! - [`share`] — a run in a link or a file, replaying it exactly; the page's limits ([`share::PLAY_MS`],
//!   [`share::MIN_NODES`], speeds), its [`share::View`] and [`share::Page`].
//! - [`scenario`] — scripted runs with expectations, and the catalogue of `scenarios/*.json` that the
//!   build embeds (`build.rs`).
//! - [`session`] — a session of runs: the time cursor and the branches (the page's model).
//! - [`bench`] — the benchmark workloads of `paxos bench` and the browser benchmark.

pub mod bench;
pub mod scenario;
pub mod session;
pub mod share;
