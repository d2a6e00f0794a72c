//! The story on the timeline: a small mark under the time axis at each caption's event (a click
//! goes there), and the message the caption shown speaks of, drawn over its arrow.
//!
//! Drawn after [`crate::timeline::draw`], on the same canvas (the export leaves them out). A frame
//! reads each caption's event once and allocates nothing.

use paxos_core::NodeId;
use paxos_sim::trace::Trace;

use crate::pen::Pen;
use crate::state::story::{Arrow, Step};
use crate::state::viewport::{TOP, Window};
use crate::timeline::Lanes;

/// A mark's height below the axis, px.
const MARK_H: f64 = 8.0;
/// The story's colour (the cluster view's rings have it too, in style.css).
const STORY: &str = "#d97706";

/// Draws a mark at each step's event, the one reached (`at`) filled, the highlighted `arrow`, and a
/// bar beside the names of the lanes of the `nodes` highlighted.
pub fn draw(
    ctx: &mut dyn Pen,
    trace: &Trace,
    steps: &[Step],
    at: Option<usize>,
    (arrow, nodes): (Option<Arrow>, &[NodeId]),
    lanes: Lanes,
    window: Window,
) {
    ctx.set_stroke_style_str(STORY);
    ctx.set_fill_style_str(STORY);
    for &n in nodes {
        ctx.fill_rect(0.0, lanes.y(n) - 7.0, 3.0, 14.0);
    }
    if let Some(Arrow { times: (sent, end), nodes: (from, to) }) = arrow {
        ctx.set_line_width(3.0);
        ctx.begin_path();
        ctx.move_to(window.x(sent as f64, lanes.width), lanes.y(from));
        ctx.line_to(window.x(end as f64, lanes.width), lanes.y(to));
        ctx.stroke();
    }
    ctx.set_line_width(1.5);
    for (i, step) in steps.iter().enumerate() {
        let Some(e) = trace.get(step.event) else { continue };
        let x = window.x(e.time as f64, lanes.width);
        if x < crate::state::viewport::LEFT || x > lanes.width {
            continue;
        }
        ctx.begin_path();
        ctx.move_to(x - 4.0, TOP);
        ctx.line_to(x + 4.0, TOP);
        ctx.line_to(x, TOP + MARK_H);
        ctx.close_path();
        if at == Some(i) { ctx.fill() } else { ctx.stroke() }
    }
    ctx.set_line_width(1.0);
}

/// The step whose mark is at (x, y), if any (within a few px).
pub fn hit(trace: &Trace, steps: &[Step], lanes: Lanes, window: Window, (x, y): (f64, f64)) -> Option<usize> {
    if !(TOP - 2.0..=TOP + MARK_H + 4.0).contains(&y) {
        return None;
    }
    let distance =
        |i: usize| trace.get(steps[i].event).map_or(f64::MAX, |e| (window.x(e.time as f64, lanes.width) - x).abs());
    (0..steps.len()).filter(|&i| distance(i) <= 6.0).min_by(|&a, &b| distance(a).total_cmp(&distance(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pen::SvgPen;

    fn steps(events: &[u64]) -> Vec<Step> {
        events.iter().map(|&event| Step { event, text: String::new(), quiz: None, nodes: Vec::new() }).collect()
    }

    fn run() -> paxos_sim::SimConfig {
        paxos_sim::SimConfig { seed: 2, ..paxos_sim::SimConfig::default() }
    }

    /// A click on a mark names its caption; beside it, or down among the lanes, nothing.
    #[test]
    fn clicks_on_marks_name_their_caption() {
        let mut sim = paxos_sim::simulate(&run()).unwrap();
        sim.run_until(200_000);
        let trace = sim.trace();
        let steps = steps(&[10, trace.len() as u64 / 2]);
        let lanes = Lanes { width: 1_030.0, height: 200.0, nodes: 5 };
        let window = Window { t0: 0.0, span: 200_000.0 };
        let x = |i: usize| window.x(trace.get(steps[i].event).unwrap().time as f64, lanes.width);
        assert_eq!(hit(trace, &steps, lanes, window, (x(1) + 3.0, TOP + 4.0)), Some(1));
        assert_eq!(hit(trace, &steps, lanes, window, (x(0), TOP + 1.0)), Some(0));
        assert_eq!(hit(trace, &steps, lanes, window, (x(0) + 30.0, TOP + 4.0)), None);
        assert_eq!(hit(trace, &steps, lanes, window, (x(0), 150.0)), None, "among the lanes");
    }

    /// One mark per caption in view, the one reached filled; the arrow drawn when there is one.
    #[test]
    fn a_mark_per_caption_in_view() {
        let mut sim = paxos_sim::simulate(&run()).unwrap();
        sim.run_until(200_000);
        let trace = sim.trace();
        let lanes = Lanes { width: 1_030.0, height: 200.0, nodes: 5 };
        let window = Window { t0: 0.0, span: 200_000.0 };
        let svg = |at, arrow| {
            let mut pen = SvgPen::new(lanes.width, lanes.height);
            draw(&mut pen, trace, &steps(&[10, 20, 30]), at, (arrow, &[]), lanes, window);
            pen.finish()
        };
        let plain = svg(None, None);
        let filled = svg(Some(1), None);
        assert_ne!(plain, filled, "the mark reached is drawn otherwise");
        let arrow = Arrow { times: (1_000, 9_000), nodes: (0, 3) };
        assert!(svg(None, Some(arrow)).len() > plain.len(), "the arrow is drawn");
        let mut pen = SvgPen::new(lanes.width, lanes.height);
        draw(&mut pen, trace, &[], None, (None, &[2]), lanes, window);
        assert_ne!(pen.finish(), SvgPen::new(lanes.width, lanes.height).finish(), "a highlighted lane is marked");
    }
}
