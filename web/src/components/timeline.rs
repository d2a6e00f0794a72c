//! The timeline's canvas element and its head (the diagram itself is drawn after each render, by
//! [`crate::timeline::draw`]).

use paxos_sim::decimal::fixed;
use paxos_sim::trace::Time;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::components::send;
use crate::i18n::t;
use crate::msg::Msg;
use crate::state::viewport::{self, Window};

/// What the canvas element needs.
pub struct Props<'a> {
    /// The canvas.
    pub canvas: &'a NodeRef,
    /// The simulator's time (the run's head), µs.
    pub head: Time,
    /// The cursor, µs.
    pub cursor: Time,
    /// The window shown.
    pub window: Window,
    /// Where its pointer events go.
    pub on: &'a Callback<Msg>,
}

/// The canvas, with its window and cursor in `data-` attributes (for the tests).
pub fn canvas(p: Props<'_>) -> Html {
    let down = p.on.reform(|e: PointerEvent| {
        if let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            let _ = target.set_pointer_capture(e.pointer_id());
        }
        Msg::Timeline(viewport::Msg::Down(e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y())))
    });
    let moved =
        p.on.reform(|e: PointerEvent| Msg::Timeline(viewport::Msg::Move(e.pointer_id(), f64::from(e.offset_x()))));
    let up = p.on.reform(|e: PointerEvent| {
        Msg::Timeline(viewport::Msg::Up(e.pointer_id(), f64::from(e.offset_x()), f64::from(e.offset_y())))
    });
    html! {
        <canvas ref={p.canvas.clone()} class="lamport" data-head={p.head.to_string()}
            data-t0={fixed(p.window.t0, 0).to_string()} data-span={fixed(p.window.span, 0).to_string()} data-cursor={p.cursor.to_string()}
            onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up} />
    }
}

/// The timeline section of the full page: a head with hints and Follow (when not following), and
/// the `canvas`.
pub fn section(canvas: Html, follow: bool, on: &Callback<Msg>) -> Html {
    html! {
        <section class="timeline" aria-label={t("timeline.label")}>
            <div class="timeline-head">
                <h2>{ t("timeline.title") }</h2>
                <span class="hint">{ t("timeline.hint") }</span>
                { if follow { html! {} } else {
                    html! { <button onclick={send(on, Msg::Timeline(viewport::Msg::Follow))}>{ t("timeline.follow") }</button> }
                } }
            </div>
            { canvas }
        </section>
    }
}
