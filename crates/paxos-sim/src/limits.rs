//! Limits on one run, so that a run that floods itself (a bug that answers every message with
//! several, say) ends as a finding instead of taking the machine down.
//!
//! TigerBeetle's rule, "put a limit on everything": a run may produce at most so many trace events,
//! hold at most so many messages in flight, and take at most so many bytes by a cheap estimate (the
//! trace, the queue, the messages in flight and the snapshots kept for seeking). [`crate::run::Run`]
//! checks them after every step — three comparisons — and stops at the first one exceeded; the
//! command line then exits with its own code (7, see `docs/formats.md`) and the sweep prints the seed.
//!
//! Without limits one such run grew to 24 GB and the kernel killed the sweep (exit 137), so none of
//! the promised exit codes held (issue 15).

use core::fmt;

use crate::trace::{EventId, Time};

/// Trace events one run may produce: 20 million events are 640 MB of trace. A sweep run makes about
/// 10⁵; a day of virtual time under load in the playground a few million.
pub const MAX_EVENTS_PER_RUN: u64 = 20_000_000;

/// Messages one run may have in flight at once. A sweep run has at most a few thousand (nine nodes,
/// messages delayed by up to a second); a flood passes this within seconds.
pub const MAX_IN_FLIGHT: u64 = 200_000;

/// Bytes one run may take by [`Limits`]' estimate: 1 GiB, so that the sweep's threads together stay
/// well below the memory of a CI machine.
pub const MAX_RUN_BYTES: u64 = 1 << 30;

/// Which limit a run exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// [`Limits::events`].
    Events,
    /// [`Limits::in_flight`].
    InFlight,
    /// [`Limits::bytes`].
    Bytes,
}

/// The limits one run keeps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Trace events at most.
    pub events: u64,
    /// Messages in flight at most (counted as [`crate::World::in_flight_span`]).
    pub in_flight: u64,
    /// Estimated bytes at most.
    pub bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { events: MAX_EVENTS_PER_RUN, in_flight: MAX_IN_FLIGHT, bytes: MAX_RUN_BYTES }
    }
}

/// What a run had when it passed a limit: a finding, like a broken invariant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Exceeded {
    /// Which limit.
    pub limit: Limit,
    /// Its value.
    pub max: u64,
    /// What the run had.
    pub value: u64,
    /// The last trace event before the run stopped.
    pub event: EventId,
    /// Virtual time then.
    pub time: Time,
}

/// What a run has, measured after each step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    /// Trace events so far.
    pub events: u64,
    /// Messages in flight now.
    pub in_flight: u64,
    /// Estimated bytes now.
    pub bytes: u64,
}

impl Limits {
    /// The first limit `usage` passes, if any.
    pub fn check(&self, usage: Usage, time: Time) -> Option<Exceeded> {
        // In the order of `Limit` (plain comparisons: this runs after every step).
        let (limit, max, value) = if usage.events > self.events {
            (Limit::Events, self.events, usage.events)
        } else if usage.in_flight > self.in_flight {
            (Limit::InFlight, self.in_flight, usage.in_flight)
        } else if usage.bytes > self.bytes {
            (Limit::Bytes, self.bytes, usage.bytes)
        } else {
            return None;
        };
        Some(Exceeded { limit, max, value, event: usage.events.saturating_sub(1), time })
    }
}

/// `run exceeded 200000 messages in flight (had 200001) at event 912345, 3021.5 ms`.
impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.limit {
            Limit::Events => "trace events",
            Limit::InFlight => "messages in flight",
            Limit::Bytes => "bytes (estimated: trace, queue, messages in flight and snapshots)",
        };
        write!(
            f,
            "run exceeded {} {what} (had {}) at event {}, {}.{} ms",
            self.max,
            self.value,
            self.event,
            self.time / 1_000,
            self.time % 1_000 / 100
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_limit_passed_is_named() {
        let limits = Limits { events: 10, in_flight: 5, bytes: 1_000 };
        let under = Usage { events: 10, in_flight: 5, bytes: 1_000 };
        assert_eq!(limits.check(under, 0), None);
        let flood = Usage { in_flight: 6, bytes: 2_000, ..under };
        let exceeded = limits.check(flood, 1_500).expect("over");
        assert_eq!((exceeded.limit, exceeded.max, exceeded.value, exceeded.event), (Limit::InFlight, 5, 6, 9));
        assert_eq!(exceeded.to_string(), "run exceeded 5 messages in flight (had 6) at event 9, 1.5 ms");
        let exceeded = limits.check(Usage { bytes: 1_001, ..under }, 0).expect("over");
        assert_eq!(exceeded.limit, Limit::Bytes);
    }
}
