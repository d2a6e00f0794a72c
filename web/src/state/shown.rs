//! What the views draw from the session, kept between messages: the picture of the world at the
//! cursor (recomputed only when the moment shown changes), the figures, and the timeline's
//! partition and crash bands (read incrementally).

use std::rc::Rc;

use paxos_sim::trace::{EventId, Time};
use paxos_sim::{Picture, Summary};

use crate::model::Session;
use crate::timeline::Bands;

/// The picture of a moment, compared by identity: [`Shown`] makes a new one only when the moment
/// shown changes, so props holding the same one show the same (and comparing them costs nothing).
#[derive(Clone, Debug)]
pub struct Moment(pub Rc<Picture>);

impl PartialEq for Moment {
    fn eq(&self, other: &Moment) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Moment {}

/// Which moment a picture shows: (branch, event shown, trace length, at the head, the simulator's time).
type Key = (usize, Option<EventId>, usize, bool, Time);

/// While playing, the figures are recomputed after at most this many new events.
const SUMMARY_EVERY: usize = 4_000;

/// The session's derived views.
#[derive(Default)]
pub struct Shown {
    /// The world at the cursor.
    pub picture: Option<Rc<Picture>>,
    key: Key,
    /// The run's figures.
    pub summary: Option<Rc<Summary>>,
    /// The trace's length when they were computed.
    summary_len: usize,
    /// The timeline's bands of the run shown.
    pub bands: Bands,
    bands_branch: usize,
}

impl Shown {
    /// Brings everything up to date with `session` (while `playing`, the figures lag a little).
    pub fn refresh(&mut self, session: Option<&Session>, playing: bool) {
        let Some(session) = session else {
            self.picture = None;
            return;
        };
        // At the head the picture is the world at the simulator's time, which moves on between events
        // too (the shown time, the messages' progress): it is part of the key.
        let key =
            (session.current, session.shown(), session.sim().trace().len(), session.at_head(), session.sim().now());
        if self.picture.is_none() || key != self.key {
            self.picture = Some(Rc::new(session.picture()));
            self.key = key;
        }
        if self.bands_branch != session.current {
            self.bands = Bands::default();
            self.bands_branch = session.current;
        }
        self.bands.update(session.sim().trace());
        let len = session.sim().trace().len();
        if self.summary.is_none() || (len != self.summary_len && (!playing || len > self.summary_len + SUMMARY_EVERY)) {
            self.summary = Some(Rc::new(session.sim().summary()));
            self.summary_len = len;
        }
    }

    /// A new run: forget the bands.
    pub fn reset(&mut self) {
        self.bands = Bands::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Setup;

    /// The picture is recomputed when the moment changes and kept when it does not; the figures
    /// lag while playing.
    #[test]
    fn the_picture_follows_the_moment_shown() {
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        let mut shown = Shown::default();
        shown.refresh(Some(&session), false);
        let first = shown.picture.clone().expect("a picture");
        shown.refresh(Some(&session), false);
        assert!(Rc::ptr_eq(&first, shown.picture.as_ref().unwrap()), "same moment, same picture");
        session.seek(300_000);
        shown.refresh(Some(&session), true);
        assert!(!Rc::ptr_eq(&first, shown.picture.as_ref().unwrap()), "a new moment, a new picture");
        assert!(shown.summary.as_ref().is_some_and(|s| s.time < 300_000), "playing: the figures lag");
        shown.refresh(Some(&session), false);
        assert_eq!(shown.summary.as_ref().map(|s| s.time), Some(session.sim().summary().time));
        shown.refresh(None, false);
        assert!(shown.picture.is_none());
    }
}
