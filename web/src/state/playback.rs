//! Playback: playing or paused, the speed slider, and how far each animation frame moves the run.
//!
//! Plain Rust: the page passes each frame's timestamp to [`Playback::frame`] and moves the run by
//! the [`Advance`] it returns; at full speed it reports how long the simulation took
//! ([`Playback::rushed`]), so that a frame simulates about 8 ms.

use paxos_sim::trace::Time;

use crate::math;

/// The speed slider's top: as fast as the browser can simulate.
pub const SPEED_MAX: u32 = 100;
/// The speed slider's starting position (50 virtual ms per second).
pub const SPEED_DEFAULT: u32 = 54;

/// Virtual µs per real second at slider position `v` (log scale: 0.1 ms/s to 10 s/s).
pub fn speed_us_per_s(v: u32) -> f64 {
    math::pow(10.0, 2.0 + 5.0 * f64::from(v.min(SPEED_MAX)) / f64::from(SPEED_MAX))
}

/// The slider position for a link's `speed` (virtual µs per real second; `u32::MAX`: the top).
pub fn speed_position(us_per_s: u32) -> u32 {
    if us_per_s == u32::MAX {
        return SPEED_MAX;
    }
    let v = (math::log10(f64::from(us_per_s.max(1))) - 2.0) * f64::from(SPEED_MAX) / 5.0;
    (v.round().max(0.0) as u32).min(SPEED_MAX - 1)
}

/// A message of playback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// Play or pause.
    Toggle,
    /// Play (nothing if playing).
    Play,
    /// Pause (the tab was hidden, or a gesture needs the world to stand still).
    Pause,
    /// The speed slider moved.
    Speed(u32),
}

/// What changed, for the page to follow up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing that concerns the rest of the page.
    None,
    /// Playing started.
    Started,
    /// Playing stopped (the page checks the history and writes the address).
    Paused,
}

/// How far a frame moves the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
    /// As fast as possible: this many simulation steps.
    Rush(u32),
    /// This many virtual µs.
    By(Time),
}

/// Playing or paused, and at what speed.
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    /// Whether the run plays.
    pub playing: bool,
    /// The speed slider's position (0 ..= [`SPEED_MAX`]).
    pub speed: u32,
    /// The last frame's timestamp (ms).
    last_frame: Option<f64>,
    /// Steps per frame at full speed.
    rush_steps: u32,
}

impl Playback {
    /// Paused, at slider position `speed`.
    pub fn new(speed: u32) -> Playback {
        Playback { playing: false, speed: speed.min(SPEED_MAX), last_frame: None, rush_steps: 2_000 }
    }

    /// Handles a message; says what changed.
    pub fn update(&mut self, msg: Msg) -> Change {
        match msg {
            Msg::Toggle if self.playing => self.update(Msg::Pause),
            Msg::Play if self.playing => Change::None,
            Msg::Toggle | Msg::Play => {
                self.playing = true;
                self.last_frame = None;
                Change::Started
            }
            Msg::Pause => {
                if !self.playing {
                    return Change::None;
                }
                self.playing = false;
                Change::Paused
            }
            Msg::Speed(v) => {
                self.speed = v.min(SPEED_MAX);
                Change::None
            }
        }
    }

    /// An animation frame at `ts` (ms): how far to move the run, if it plays. A frame counts at
    /// most 100 ms (a hidden tab's frames stall), the first one 16 ms.
    pub fn frame(&mut self, ts: f64) -> Option<Advance> {
        let dt = self.last_frame.map_or(16.0, |last| (ts - last).clamp(0.0, 100.0));
        self.last_frame = Some(ts);
        if !self.playing {
            return None;
        }
        if self.speed >= SPEED_MAX {
            return Some(Advance::Rush(self.rush_steps));
        }
        Some(Advance::By((speed_us_per_s(self.speed) * dt / 1_000.0).max(1.0) as Time))
    }

    /// A rush of [`Advance::Rush`] steps took `spent` ms: aim for about 8 ms of simulation per frame.
    pub fn rushed(&mut self, spent: f64) {
        self.rush_steps = if spent < 6.0 {
            (self.rush_steps * 3 / 2).min(200_000)
        } else if spent > 10.0 {
            (self.rush_steps * 2 / 3).max(100)
        } else {
            self.rush_steps
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link's speed lands on the slider position that plays at about that speed.
    #[test]
    fn link_speeds_map_to_slider_positions() {
        for v in 0..SPEED_MAX {
            assert_eq!(speed_position(speed_us_per_s(v).round() as u32), v);
        }
        assert_eq!(speed_position(u32::MAX), SPEED_MAX);
        assert_eq!(speed_position(1), 0);
    }

    /// Toggle starts and stops; pausing what is paused changes nothing (no second history check).
    #[test]
    fn toggle_plays_and_pauses() {
        let mut p = Playback::new(SPEED_DEFAULT);
        assert_eq!(p.update(Msg::Pause), Change::None);
        assert_eq!(p.update(Msg::Toggle), Change::Started);
        assert!(p.playing);
        assert_eq!(p.update(Msg::Toggle), Change::Paused);
        assert!(!p.playing);
        p.update(Msg::Speed(1_000));
        assert_eq!(p.speed, SPEED_MAX, "the slider stops at its top");
    }

    /// A frame moves the run by the speed times the time since the last frame (at most 100 ms);
    /// paused, it moves nothing.
    #[test]
    fn frames_advance_by_speed_times_elapsed_time() {
        let mut p = Playback::new(SPEED_DEFAULT);
        assert_eq!(p.frame(0.0), None, "paused");
        p.update(Msg::Toggle);
        let per_ms = speed_us_per_s(SPEED_DEFAULT) / 1_000.0;
        assert_eq!(p.frame(1_000.0), Some(Advance::By((per_ms * 16.0) as Time)), "the first frame counts 16 ms");
        assert_eq!(p.frame(1_010.0), Some(Advance::By((per_ms * 10.0) as Time)));
        assert_eq!(p.frame(9_000.0), Some(Advance::By((per_ms * 100.0) as Time)), "a stall counts 100 ms");
    }

    /// At full speed a frame rushes; fast rushes grow, slow ones shrink, within bounds.
    #[test]
    fn rushes_aim_for_eight_milliseconds() {
        let mut p = Playback::new(SPEED_MAX);
        p.update(Msg::Toggle);
        assert_eq!(p.frame(0.0), Some(Advance::Rush(2_000)));
        p.rushed(1.0);
        assert_eq!(p.frame(16.0), Some(Advance::Rush(3_000)));
        p.rushed(20.0);
        assert_eq!(p.frame(32.0), Some(Advance::Rush(2_000)));
        p.rushed(8.0);
        assert_eq!(p.frame(48.0), Some(Advance::Rush(2_000)));
        for _ in 0..50 {
            p.rushed(50.0);
        }
        assert_eq!(p.frame(64.0), Some(Advance::Rush(100)));
    }
}
