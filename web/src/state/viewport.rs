//! The timeline's viewport: the window of virtual time it shows, whether it follows the cursor,
//! and what the pointer is doing on it (scrubbing the cursor, panning, pinching to zoom).
//!
//! Plain Rust: the page turns pointer and wheel events into [`Msg`]s with the canvas's width, and
//! does what the returned [`Effect`] asks of the run (pause, seek, click).

use paxos_sim::trace::Time;

/// Room on the left for lane names, px.
pub const LEFT: f64 = 30.0;
/// Room on top for the time axis, px.
pub const TOP: f64 = 16.0;

/// How much virtual time the timeline shows at first, µs.
pub const DEFAULT_SPAN_US: f64 = 400_000.0;

/// The visible window of virtual time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Its left edge, µs.
    pub t0: f64,
    /// Its width, µs.
    pub span: f64,
}

impl Window {
    /// The x of time `t` on a canvas `width` px wide.
    pub fn x(&self, t: f64, width: f64) -> f64 {
        LEFT + (t - self.t0) / self.span * (width - LEFT)
    }

    /// The time at x.
    pub fn time(&self, x: f64, width: f64) -> f64 {
        self.t0 + (x - LEFT) / (width - LEFT) * self.span
    }

    /// Zoomed by `factor` (< 1: in) around x.
    pub fn zoom(&self, factor: f64, x: f64, width: f64) -> Window {
        let pivot = self.time(x, width);
        let span = (self.span * factor).clamp(200.0, 3.6e9);
        Window { t0: pivot - (pivot - self.t0) * span / self.span, span }
    }
}

/// What the timeline's pointer is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gesture {
    /// Dragging the cursor.
    Scrub,
    /// Panning, from (x, window) at the press.
    Pan(f64, Window),
    /// Two fingers: the distance between them and the window at the start.
    Pinch(f64, Window),
}

/// A message of the timeline: wheel and pointer events, in px on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Msg {
    /// The wheel turned at x by `delta`.
    Wheel(f64, f64),
    /// Pointer `id` went down at (x, y).
    Down(i32, f64, f64),
    /// Pointer `id` moved to x.
    Move(i32, f64),
    /// Pointer `id` went up at (x, y).
    Up(i32, f64, f64),
    /// Follow the cursor again.
    Follow,
}

/// What a message asks of the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effect {
    /// Nothing to redraw.
    None,
    /// The window changed: redraw.
    Redraw,
    /// A scrub starts: pause (nothing to redraw yet).
    Pause,
    /// Move the cursor to this time (at most the run's head).
    Seek(Time),
    /// A click (press and release without panning) at (x, y): pause, and select what is there.
    Click(f64, f64),
}

/// The timeline's viewport.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewport {
    /// The window shown.
    pub window: Window,
    /// Whether the window follows the cursor.
    pub follow: bool,
    gesture: Option<Gesture>,
    /// The pointers down: (id, x).
    pointers: Vec<(i32, f64)>,
    /// Whether the pan moved past its threshold (else a release is a click).
    moved: bool,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport {
            window: Window { t0: 0.0, span: DEFAULT_SPAN_US },
            follow: true,
            gesture: None,
            pointers: Vec::new(),
            moved: false,
        }
    }
}

impl Viewport {
    /// A new run: show `span` µs from 0, following the cursor.
    pub fn reset(&mut self, span: f64) {
        self.window = Window { t0: 0.0, span: span.max(1_000.0) };
        self.follow = true;
    }

    /// Keeps the cursor (µs) in view, 85% of the way across, while following.
    pub fn follow_cursor(&mut self, cursor: f64) {
        if self.follow {
            self.window.t0 = (cursor - self.window.span * 0.85).max(0.0);
        }
    }

    /// Shows time `t` in the middle, and stops following (a jump to an event).
    pub fn centre(&mut self, t: f64) {
        self.window.t0 = (t - self.window.span / 2.0).max(0.0);
        self.follow = false;
    }

    /// Handles a message on a canvas `width` px wide (`None`: not shown) whose cursor is at
    /// `cursor` µs.
    pub fn update(&mut self, msg: Msg, width: Option<f64>, cursor: f64) -> Effect {
        match msg {
            Msg::Follow => {
                self.follow = true;
                Effect::Redraw
            }
            Msg::Wheel(x, delta) => {
                let Some(width) = width else { return Effect::None };
                let factor = crate::math::exp(delta / 300.0).clamp(0.5, 2.0);
                self.window = self.window.zoom(factor, x, width);
                self.follow = false;
                Effect::Redraw
            }
            Msg::Down(id, x, y) => {
                self.pointers.retain(|(p, _)| *p != id);
                self.pointers.push((id, x));
                self.moved = false;
                if let [(_, a), (_, b)] = self.pointers[..] {
                    self.gesture = Some(Gesture::Pinch((a - b).abs().max(10.0), self.window));
                    return Effect::None;
                }
                let Some(width) = width else { return Effect::None };
                // On the cursor (or the axis above the lanes): scrub; elsewhere: pan, or click.
                if (x - self.window.x(cursor, width)).abs() <= 8.0 || y < TOP {
                    self.gesture = Some(Gesture::Scrub);
                    Effect::Pause
                } else {
                    self.gesture = Some(Gesture::Pan(x, self.window));
                    Effect::None
                }
            }
            Msg::Move(id, x) => {
                let Some(width) = width else { return Effect::None };
                if let Some(p) = self.pointers.iter_mut().find(|(p, _)| *p == id) {
                    p.1 = x;
                }
                match self.gesture {
                    Some(Gesture::Scrub) => {
                        self.follow = false;
                        Effect::Seek(self.window.time(x, width).max(0.0) as Time)
                    }
                    Some(Gesture::Pan(from, start)) => {
                        // A few px of jitter keep a press a click.
                        if (x - from).abs() < 3.0 && !self.moved {
                            return Effect::None;
                        }
                        self.moved = true;
                        let dt = (x - from) / (width - LEFT) * start.span;
                        self.window = Window { t0: start.t0 - dt, span: start.span };
                        self.follow = false;
                        Effect::Redraw
                    }
                    Some(Gesture::Pinch(d0, start)) => {
                        let [(_, a), (_, b)] = self.pointers[..] else { return Effect::None };
                        let d = (a - b).abs().max(10.0);
                        self.window = start.zoom(d0 / d, (a + b) / 2.0, width);
                        self.follow = false;
                        Effect::Redraw
                    }
                    None => Effect::None,
                }
            }
            Msg::Up(id, x, y) => {
                self.pointers.retain(|(p, _)| *p != id);
                let gesture = self.gesture.take();
                if matches!(gesture, Some(Gesture::Pan(..))) && !self.moved {
                    self.follow = false;
                    return Effect::Click(x, y);
                }
                Effect::Redraw
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDTH: f64 = 1_030.0;

    #[test]
    fn zoom_keeps_the_time_under_the_pointer() {
        let w = Window { t0: 0.0, span: 1_000_000.0 };
        let before = w.time(300.0, 1_000.0);
        let zoomed = w.zoom(0.5, 300.0, 1_000.0);
        assert!((zoomed.time(300.0, 1_000.0) - before).abs() < 1e-6);
        assert!((zoomed.span - 500_000.0).abs() < 1e-6);
    }

    /// Pressing on the cursor scrubs: it pauses, then each move seeks to the time under the pointer.
    #[test]
    fn pressing_the_cursor_scrubs() {
        let mut v = Viewport::default();
        v.reset(1_000_000.0);
        let cursor = 500_000.0;
        let x = v.window.x(cursor, WIDTH);
        assert_eq!(v.update(Msg::Down(1, x + 3.0, 100.0), Some(WIDTH), cursor), Effect::Pause);
        assert_eq!(v.update(Msg::Move(1, LEFT + 100.0), Some(WIDTH), cursor), Effect::Seek(100_000));
        assert!(!v.follow, "scrubbing stops following");
        assert_eq!(v.update(Msg::Up(1, LEFT + 100.0, 100.0), Some(WIDTH), cursor), Effect::Redraw);
        assert_eq!(v.update(Msg::Move(1, LEFT + 200.0), Some(WIDTH), cursor), Effect::None, "released");
    }

    /// A press away from the cursor pans once it moves 3 px; released before that, it is a click.
    #[test]
    fn a_press_pans_when_it_moves_and_clicks_when_it_does_not() {
        let mut v = Viewport::default();
        v.reset(1_000_000.0);
        v.update(Msg::Down(1, 600.0, 100.0), Some(WIDTH), 0.0);
        assert_eq!(v.update(Msg::Move(1, 602.0), Some(WIDTH), 0.0), Effect::None, "jitter");
        assert_eq!(v.update(Msg::Up(1, 602.0, 100.0), Some(WIDTH), 0.0), Effect::Click(602.0, 100.0));

        v.update(Msg::Down(1, 600.0, 100.0), Some(WIDTH), 0.0);
        assert_eq!(v.update(Msg::Move(1, 500.0), Some(WIDTH), 0.0), Effect::Redraw);
        // 100 px of 1000 px (the width beyond the lane names) is a tenth of the span.
        assert!((v.window.t0 - 100_000.0).abs() < 1e-6, "{:?}", v.window);
        assert_eq!(v.update(Msg::Up(1, 500.0, 100.0), Some(WIDTH), 0.0), Effect::Redraw, "a pan is no click");
    }

    /// Two pointers pinch: spreading them twice as far apart halves the span.
    #[test]
    fn two_pointers_pinch_to_zoom() {
        let mut v = Viewport::default();
        v.reset(1_000_000.0);
        v.update(Msg::Down(1, 400.0, 100.0), Some(WIDTH), 0.0);
        assert_eq!(v.update(Msg::Down(2, 500.0, 100.0), Some(WIDTH), 0.0), Effect::None);
        assert_eq!(v.update(Msg::Move(2, 600.0), Some(WIDTH), 0.0), Effect::Redraw);
        assert!((v.window.span - 500_000.0).abs() < 1e-6, "{:?}", v.window);
    }

    /// Following keeps the cursor 85% across; the wheel zooms and stops following; Follow resumes.
    #[test]
    fn the_window_follows_the_cursor_until_zoomed() {
        let mut v = Viewport::default();
        v.follow_cursor(1_000_000.0);
        assert!((v.window.t0 - (1_000_000.0 - 0.85 * DEFAULT_SPAN_US)).abs() < 1e-6);
        assert_eq!(v.update(Msg::Wheel(500.0, -300.0), Some(WIDTH), 0.0), Effect::Redraw);
        assert!(!v.follow && v.window.span < DEFAULT_SPAN_US);
        assert_eq!(v.update(Msg::Wheel(500.0, 300.0), None, 0.0), Effect::None, "no canvas, no zoom");
        v.update(Msg::Follow, None, 0.0);
        assert!(v.follow);
        v.centre(100.0);
        assert_eq!((v.window.t0, v.follow), (0.0, false));
    }
}
