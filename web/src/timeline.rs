//! The space-time diagram (Lamport 1978): one lane per node, time left to right, every message an
//! arrow from its send to its delivery (a dropped one ends in a cross), marks for crashes, restarts,
//! role changes and decisions, partitions as shaded bands, and the cursor.
//!
//! It is drawn on a canvas, and only the visible window: the events in it are found by binary
//! search on time (the trace is in time order), so the cost of a frame depends on what is on screen,
//! not on the length of the run. When a window holds more than [`DETAIL_LIMIT`] events, messages are
//! drawn as a density per pixel column instead of one arrow each.

use crate::math;
use paxos_core::{MsgKind, NodeId};
use paxos_sim::decimal::fixed;
use paxos_sim::trace::{EventId, EventKind, Islands, MsgId, Time, Trace};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::colors::{ISLAND_TINTS, Palette, kind_color, role_color};
use crate::pen::{Pen, SvgPen};
use crate::state::viewport::{LEFT, TOP, Window};

/// Above this many events in the window, messages are drawn as a density.
pub const DETAIL_LIMIT: u64 = 20_000;

/// How far before the window a message's send may lie and still be drawn (its delivery is in view).
const LOOKBACK_US: f64 = 50_000.0;

/// The lanes' geometry.
#[derive(Clone, Copy, Debug)]
pub struct Lanes {
    /// Canvas width, px.
    pub width: f64,
    /// Canvas height, px.
    pub height: f64,
    /// How many nodes.
    pub nodes: u8,
}

impl Lanes {
    /// The y of node `n`'s lane.
    pub fn y(&self, n: NodeId) -> f64 {
        let lane = (self.height - TOP) / f64::from(self.nodes.max(1));
        TOP + lane * (f64::from(n) + 0.5)
    }

    fn lane_height(&self) -> f64 {
        (self.height - TOP) / f64::from(self.nodes.max(1))
    }
}

/// What a click on the diagram hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A message's arrow.
    Message(MsgId, EventId),
    /// A mark (crash, restart, role change, decision, …).
    Event(EventId),
}

/// The range of event ids with time in `[from, to)`.
fn range(trace: &Trace, from: f64, to: f64) -> (u64, u64) {
    (trace.first_at(from.max(0.0) as Time), trace.first_at(to.max(0.0) as Time))
}

/// The message an event draws as an arrow: (message, its send's time, from, to, kind).
fn arrow(trace: &Trace, kind: &EventKind) -> Option<(MsgId, Time, NodeId, NodeId, MsgKind)> {
    let msg = match *kind {
        EventKind::Deliver { msg } | EventKind::Drop { msg, .. } => msg,
        _ => return None,
    };
    let send = trace.get(trace.send_of(msg)?)?;
    match send.kind {
        EventKind::Send { from, to, kind, .. } => Some((msg, send.time, from.as_node()?, to.as_node()?, kind)),
        _ => None,
    }
}

/// What is at (x, y), if anything (within a few px).
pub fn hit(trace: &Trace, window: Window, lanes: Lanes, x: f64, y: f64) -> Option<Hit> {
    let (i0, i1) = range(trace, window.t0 - LOOKBACK_US, window.t0 + window.span);
    if i1 - i0 > DETAIL_LIMIT {
        return None;
    }
    let mut best: Option<(f64, Hit)> = None;
    let mut consider = |d: f64, hit: Hit| {
        if d < 6.0 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, hit));
        }
    };
    for id in i0..i1 {
        let Some(event) = trace.get(id) else { break };
        let ex = window.x(event.time as f64, lanes.width);
        if let Some((msg, sent, from, to, _)) = arrow(trace, &event.kind) {
            let a = (window.x(sent as f64, lanes.width), lanes.y(from));
            let b = (ex, lanes.y(to));
            consider(segment_distance((x, y), a, b), Hit::Message(msg, id));
        } else if let Some(node) = mark_node(&event.kind) {
            consider(((ex - x).powi(2) + (lanes.y(node) - y).powi(2)).sqrt() - 1.0, Hit::Event(id));
        }
    }
    best.map(|(_, hit)| hit)
}

fn mark_node(kind: &EventKind) -> Option<NodeId> {
    match *kind {
        EventKind::Crash { node }
        | EventKind::Restart { node }
        | EventKind::Pause { node }
        | EventKind::Resume { node }
        | EventKind::Role { node, .. }
        | EventKind::Decide { node, .. } => Some(node),
        _ => None,
    }
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Changes of the network and of node liveness over a run, kept up to date incrementally so that a
/// frame need not scan the whole trace for them.
#[derive(Clone, Debug, Default)]
pub struct Bands {
    /// How many trace events have been read.
    pub read: usize,
    /// (time, islands) at every partition change.
    pub partitions: Vec<(Time, Islands)>,
    /// (time, node, down) at every crash (true) and restart (false).
    pub downs: Vec<(Time, NodeId, bool)>,
}

impl Bands {
    /// Reads the events not read yet.
    pub fn update(&mut self, trace: &Trace) {
        if trace.len() < self.read {
            *self = Bands::default();
        }
        for event in &trace.events()[self.read..] {
            match event.kind {
                EventKind::Partition { islands } => self.partitions.push((event.time, islands)),
                EventKind::Crash { node } => self.downs.push((event.time, node, true)),
                EventKind::Restart { node } => self.downs.push((event.time, node, false)),
                _ => {}
            }
        }
        self.read = trace.len();
    }
}

/// Everything a frame draws.
pub struct Scene<'a> {
    /// The run's trace.
    pub trace: &'a Trace,
    /// Partitions and crashes.
    pub bands: &'a Bands,
    /// The window.
    pub window: Window,
    /// How many nodes.
    pub nodes: u8,
    /// The cursor, µs.
    pub cursor: Time,
    /// The last event's time (nothing is drawn past the run's head).
    pub head: Time,
    /// The selected message.
    pub selected: Option<MsgId>,
    /// Dark page.
    pub dark: bool,
}

/// Draws a frame on `canvas` (resizing its backing store to its CSS size). Returns how many events
/// were in the window.
pub fn draw(canvas: &HtmlCanvasElement, scene: &Scene<'_>) -> u64 {
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let (css_w, css_h) = (f64::from(canvas.client_width()), f64::from(canvas.client_height()));
    if css_w <= 0.0 || css_h <= 0.0 {
        return 0;
    }
    let (pw, ph) = ((css_w * ratio) as u32, (css_h * ratio) as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return 0;
    };
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    let lanes = Lanes { width: css_w, height: css_h, nodes: scene.nodes };
    let mut ctx = ctx;
    paint(&mut ctx, scene, lanes)
}

/// The same picture as an SVG document, `width` × `height` px (for export).
pub fn svg(scene: &Scene<'_>, width: f64, height: f64) -> String {
    let mut pen = SvgPen::new(width, height);
    paint(&mut pen, scene, Lanes { width, height, nodes: scene.nodes });
    pen.finish()
}

fn paint(ctx: &mut dyn Pen, scene: &Scene<'_>, lanes: Lanes) -> u64 {
    let palette = Palette::for_scheme(scene.dark);
    let w = scene.window;
    let (width, height) = (lanes.width, lanes.height);
    let x = |t: f64| w.x(t, width);
    let t1 = w.t0 + w.span;
    let head = scene.head as f64;
    ctx.set_fill_style_str(palette.background);
    ctx.fill_rect(0.0, 0.0, width, height);

    // Partitions: each lane tinted with its island's colour while the network is split.
    let lane_h = lanes.lane_height();
    for (i, &(from, islands)) in scene.bands.partitions.iter().enumerate() {
        let until = scene.bands.partitions.get(i + 1).map_or(head, |&(t, _)| t as f64);
        if islands.is_whole() || until < w.t0 || from as f64 > t1 {
            continue;
        }
        let (a, b) = (x(from as f64).max(LEFT), x(until).min(width));
        for n in 0..scene.nodes {
            ctx.set_fill_style_str(ISLAND_TINTS[usize::from(islands.of(n)) % ISLAND_TINTS.len()]);
            ctx.fill_rect(a, lanes.y(n) - lane_h / 2.0, b - a, lane_h);
        }
    }
    // Crashed stretches: grey on the lane.
    ctx.set_fill_style_str(palette.down);
    for (i, &(from, node, down)) in scene.bands.downs.iter().enumerate() {
        if !down {
            continue;
        }
        let until =
            scene.bands.downs[i + 1..].iter().find(|&&(_, n, d)| n == node && !d).map_or(head, |&(t, _, _)| t as f64);
        if until < w.t0 || from as f64 > t1 {
            continue;
        }
        let (a, b) = (x(from as f64).max(LEFT), x(until).min(width));
        ctx.fill_rect(a, lanes.y(node) - lane_h * 0.3, b - a, lane_h * 0.6);
    }

    // Time axis and grid.
    let step = nice_step(w.span / 8.0);
    ctx.set_font("10px system-ui, sans-serif");
    ctx.set_stroke_style_str(palette.grid);
    ctx.set_fill_style_str(palette.text);
    ctx.set_line_width(1.0);
    let mut t = (w.t0 / step).ceil() * step;
    while t < t1 {
        let gx = x(t).round() + 0.5;
        ctx.begin_path();
        ctx.move_to(gx, TOP - 4.0);
        ctx.line_to(gx, height);
        ctx.stroke();
        ctx.fill_text(&axis_label(t, step), gx + 2.0, 10.0);
        t += step;
    }
    // Lanes.
    ctx.set_stroke_style_str(palette.lane);
    for n in 0..scene.nodes {
        let y = lanes.y(n).round() + 0.5;
        ctx.begin_path();
        ctx.move_to(LEFT, y);
        ctx.line_to(x(head.min(t1)).max(LEFT), y);
        ctx.stroke();
        ctx.set_fill_style_str(palette.text);
        ctx.fill_text(&format!("n{}", n + 1), 4.0, y + 3.5);
    }

    let (i0, i1) = range(scene.trace, w.t0 - LOOKBACK_US, t1);
    let count = i1 - i0;
    if count > DETAIL_LIMIT {
        density(ctx, scene, lanes, i0, i1);
    } else {
        detail(ctx, scene, lanes, i0, i1);
    }

    // The cursor, with a handle to drag.
    let cx = x(scene.cursor as f64);
    ctx.set_stroke_style_str(palette.cursor);
    ctx.set_fill_style_str(palette.cursor);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(cx, TOP - 2.0);
    ctx.line_to(cx, height);
    ctx.stroke();
    ctx.begin_path();
    ctx.move_to(cx - 6.0, 0.0);
    ctx.line_to(cx + 6.0, 0.0);
    ctx.line_to(cx, TOP - 2.0);
    ctx.close_path();
    ctx.fill();
    ctx.set_line_width(1.0);
    count
}

/// One arrow per message, one mark per node event.
fn detail(ctx: &mut dyn Pen, scene: &Scene<'_>, lanes: Lanes, i0: u64, i1: u64) {
    let width = lanes.width;
    let x = |t: f64| scene.window.x(t, width);
    let mut current = "";
    let mut selected = None;
    for id in i0..i1 {
        let Some(event) = scene.trace.get(id) else { break };
        let ex = x(event.time as f64);
        if let Some((msg, sent, from, to, kind)) = arrow(scene.trace, &event.kind) {
            let (ax, ay, by) = (x(sent as f64), lanes.y(from), lanes.y(to));
            if Some(msg) == scene.selected {
                selected = Some((ax, ay, ex, by));
            }
            let color = kind_color(kind);
            if color != current {
                ctx.set_stroke_style_str(color);
                ctx.set_fill_style_str(color);
                current = color;
            }
            ctx.begin_path();
            ctx.move_to(ax, ay);
            ctx.line_to(ex, by);
            ctx.stroke();
            if matches!(event.kind, EventKind::Drop { .. }) {
                ctx.begin_path();
                ctx.move_to(ex - 3.0, by - 3.0);
                ctx.line_to(ex + 3.0, by + 3.0);
                ctx.move_to(ex + 3.0, by - 3.0);
                ctx.line_to(ex - 3.0, by + 3.0);
                ctx.stroke();
            } else {
                arrow_head(ctx, (ax, ay), (ex, by));
            }
            continue;
        }
        let (node, color, size) = match event.kind {
            EventKind::Crash { node } => (node, "#dc2626", 5.0),
            EventKind::Restart { node } => (node, "#16a34a", 5.0),
            EventKind::Pause { node } | EventKind::Resume { node } => (node, "#9ca3af", 4.0),
            EventKind::Role { node, role, .. } => (node, role_color(role), 4.5),
            EventKind::Decide { node, .. } => (node, "#16a34a", 2.0),
            _ => continue,
        };
        current = "";
        let y = lanes.y(node);
        ctx.set_fill_style_str(color);
        match event.kind {
            EventKind::Crash { .. } => {
                ctx.set_stroke_style_str(color);
                ctx.set_line_width(2.0);
                ctx.begin_path();
                ctx.move_to(ex - size, y - size);
                ctx.line_to(ex + size, y + size);
                ctx.move_to(ex + size, y - size);
                ctx.line_to(ex - size, y + size);
                ctx.stroke();
                ctx.set_line_width(1.0);
            }
            EventKind::Decide { .. } => ctx.fill_rect(ex - 1.0, y - 6.0, 2.0, 12.0),
            _ => {
                ctx.begin_path();
                ctx.move_to(ex, y - size);
                ctx.line_to(ex + size, y);
                ctx.line_to(ex, y + size);
                ctx.line_to(ex - size, y);
                ctx.close_path();
                ctx.fill();
            }
        }
    }
    if let Some((ax, ay, bx, by)) = selected {
        ctx.set_stroke_style_str("#f5b942");
        ctx.set_line_width(4.0);
        ctx.begin_path();
        ctx.move_to(ax, ay);
        ctx.line_to(bx, by);
        ctx.stroke();
        ctx.set_line_width(1.0);
    }
}

fn arrow_head(ctx: &mut dyn Pen, from: (f64, f64), to: (f64, f64)) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 8.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    ctx.begin_path();
    ctx.move_to(to.0, to.1);
    ctx.line_to(to.0 - 6.0 * ux + 3.0 * uy, to.1 - 6.0 * uy - 3.0 * ux);
    ctx.line_to(to.0 - 6.0 * ux - 3.0 * uy, to.1 - 6.0 * uy + 3.0 * ux);
    ctx.close_path();
    ctx.fill();
}

/// Too many events to draw one by one: how many messages each node sent per pixel column.
fn density(ctx: &mut dyn Pen, scene: &Scene<'_>, lanes: Lanes, i0: u64, i1: u64) {
    let width = lanes.width;
    let columns = (width - LEFT).max(1.0) as usize;
    let nodes = usize::from(scene.nodes);
    let mut counts = vec![0u32; columns * nodes];
    let per_px = scene.window.span / (width - LEFT);
    let t0 = scene.window.t0;
    for event in &scene.trace.events()[i0 as usize..i1 as usize] {
        if let EventKind::Send { from, .. } = event.kind
            && let Some(n) = from.as_node()
        {
            let column = ((event.time as f64 - t0) / per_px) as isize;
            if (0..columns as isize).contains(&column) {
                counts[usize::from(n) * columns + column as usize] += 1;
            }
        }
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let lane_h = lanes.lane_height();
    ctx.set_fill_style_str("#2563eb");
    for n in 0..nodes {
        let y = lanes.y(n as NodeId);
        for (c, &count) in counts[n * columns..(n + 1) * columns].iter().enumerate() {
            if count > 0 {
                let h = (f64::from(count) / max).sqrt() * lane_h * 0.8;
                ctx.fill_rect(LEFT + c as f64, y - h / 2.0, 1.0, h);
            }
        }
    }
}

/// A round step for grid lines: 1, 2 or 5 times a power of ten, µs.
fn nice_step(raw: f64) -> f64 {
    let power = math::pow(10.0, math::log10(raw.max(1.0)).floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power)
}

fn axis_label(t: f64, step: f64) -> String {
    if step >= 1_000_000.0 {
        format!("{} s", fixed(t / 1e6, 0))
    } else if step >= 1_000.0 {
        format!("{} ms", fixed(t / 1e3, 0))
    } else {
        format!("{} ms", fixed(t / 1e3, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(nice_step(3_000.0), 5_000.0);
        assert_eq!(nice_step(11_000.0), 20_000.0);
        assert_eq!(nice_step(100.0), 100.0);
    }

    /// A click on an arrow selects its message; far from everything selects nothing.
    #[test]
    fn clicks_hit_arrows() {
        let config = paxos_sim::SimConfig { seed: 2, ..paxos_sim::SimConfig::default() };
        let mut sim = paxos_sim::simulate(&config).unwrap();
        sim.run_until(200_000);
        let trace = sim.trace();
        let lanes = Lanes { width: 1_000.0, height: 200.0, nodes: 5 };
        let window = Window { t0: 0.0, span: 200_000.0 };
        let (id, (msg, sent, from, to, _)) = (0..trace.len() as u64)
            .find_map(|id| Some((id, arrow(trace, &trace.get(id)?.kind)?)))
            .expect("a delivered message");
        let (a, b) = (
            (window.x(sent as f64, 1_000.0), lanes.y(from)),
            (window.x(trace.get(id).unwrap().time as f64, 1_000.0), lanes.y(to)),
        );
        let middle = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let _ = msg;
        assert!(matches!(hit(trace, window, lanes, middle.0, middle.1), Some(Hit::Message(..))));
        assert_eq!(hit(trace, window, lanes, 999.0, 1.0), None);
    }
}
