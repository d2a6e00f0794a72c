//! Moving the time cursor to what a person points at: an event (pinned, since several events can
//! share a time), or what a click on the timeline hits.
//!
//! Plain Rust over the [`Session`] (its cursor and pinned event); tested natively.

use paxos_sim::trace::{EventId, MsgId, Time};

use crate::model::Session;
use crate::state::viewport::Window;
use crate::timeline::{self, Hit, Lanes};

/// Shows event `event` (pinned), at its time.
pub fn jump(session: &mut Session, event: EventId) {
    if let Some(e) = session.sim().trace().get(event) {
        session.cursor = e.time;
        session.pinned = Some(event);
    }
}

/// A click at (x, y) on a timeline of `lanes` showing `window`: on a message's arrow, shows the
/// moment it was sent (so that it is in flight in the cluster view) and returns it, to select; on
/// an event's mark, shows the event; elsewhere, moves the cursor to the time there.
pub fn click(session: &mut Session, window: Window, lanes: Lanes, (x, y): (f64, f64)) -> Option<MsgId> {
    match timeline::hit(session.sim().trace(), window, lanes, x, y) {
        Some(Hit::Message(msg, event)) => {
            let sent = session.sim().trace().send_of(msg).unwrap_or(event);
            jump(session, sent);
            return Some(msg);
        }
        Some(Hit::Event(event)) => jump(session, event),
        None => {
            let t = window.time(x, lanes.width).max(0.0) as Time;
            session.seek(t.min(session.sim().now()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Setup;

    fn session() -> Session {
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        session.seek(200_000);
        session
    }

    /// A jump shows the event itself, pinned, at its time; an unknown event changes nothing.
    #[test]
    fn a_jump_pins_the_event() {
        let mut session = session();
        jump(&mut session, 10);
        let time = session.sim().trace().get(10).expect("an event 10").time;
        assert_eq!((session.cursor, session.pinned, session.shown()), (time, Some(10), Some(10)));
        jump(&mut session, u64::MAX);
        assert_eq!(session.pinned, Some(10));
    }

    /// A click on an empty spot moves the cursor to the time under it (at most the head).
    #[test]
    fn a_click_on_nothing_seeks() {
        let mut session = session();
        let lanes = Lanes { width: 1_030.0, height: 200.0, nodes: 5 };
        let window = Window { t0: 0.0, span: 1_000_000.0 };
        // Above the lanes, nothing is hit: 100 px is a tenth of the span beyond the lane names.
        assert_eq!(click(&mut session, window, lanes, (130.0, 1.0)), None);
        assert_eq!(session.cursor, 100_000);
        click(&mut session, window, lanes, (1_030.0, 1.0));
        assert_eq!(session.cursor, session.sim().now(), "not past the head");
    }
}
