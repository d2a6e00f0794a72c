//! The page's state, one plain Rust type per concern, each with its messages and its `update`, and
//! each unit-tested natively. The page ([`crate::app`]) routes messages to them and does what
//! they return (take a fault, pause, fetch a file).
//!
//! - [`playback`] — play, pause, speed, how far a frame moves the run.
//! - [`viewport`] — the timeline's window of time and its pointer gestures.
//! - [`gestures`] — the cluster view's selection, node menu, drags and link clicks.
//! - [`sharing`] — the share panel, the views shown, export file names.
//! - [`loading`] — scenario files fetched, and the run waiting for one.
//! - [`shown`] — the picture, figures and bands derived from the session.
//! - [`cursor`] — jumping to an event, clicking on the timeline.
//! - [`story`] — story mode: a captioned run that waits at each caption, and its questions.
//! - [`authoring`] — a person's own captions, what the link carries.
//! - [`banner`], [`frames`] — the error banner; frame times for the benchmark.

pub mod authoring;
pub mod banner;
pub mod cursor;
pub mod frames;
pub mod gestures;
pub mod loading;
pub mod playback;
pub mod sharing;
pub mod shown;
pub mod story;
pub mod viewport;
