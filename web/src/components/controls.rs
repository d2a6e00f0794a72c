//! The time controls: play, step, speed, seek, heal; and the compact strip of an embedded page.

use paxos_sim::faults::Fault;
use paxos_sim::trace::Time;
use yew::prelude::*;

use crate::components::send;
use crate::model::{Session, time_words};
use crate::msg::Msg;
use crate::state::playback::{self, SPEED_MAX, speed_us_per_s};

/// Play, step, speed, seek, heal.
pub fn controls(session: &Session, playing: bool, speed: u32, on: &Callback<Msg>) -> Html {
    let head = session.sim().now().max(1);
    let cursor = session.cursor.min(head);
    let speed_label = if speed >= SPEED_MAX {
        "as fast as possible".to_string()
    } else {
        format!("{} per second", time_words(speed_us_per_s(speed) as Time))
    };
    let seek = on.reform(|e: InputEvent| {
        Msg::Seek(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0))
    });
    let speed_input = on.reform(|e: InputEvent| {
        Msg::Playback(playback::Msg::Speed(
            e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0),
        ))
    });
    let shown = session.shown().map_or("before the first event".to_string(), |e| format!("event {e}"));
    html! {
        <div class="controls">
            <div class="buttons">
                <button id="step-back" onclick={send(on, Msg::StepBack)} title="One event back (←)" aria-label="Step back">{ "◀ step" }</button>
                <button id="play" class="primary" onclick={send(on, Msg::Playback(playback::Msg::Toggle))} title="Play / pause (space)">
                    { if playing { "⏸ Pause" } else { "▶ Play" } }
                </button>
                <button id="step" onclick={send(on, Msg::StepForward)} title="One event forward (→)" aria-label="Step forward">{ "step ▶" }</button>
                <button id="heal" onclick={send(on, Msg::Act(Fault::Heal {}))} title="Merge every island and repair every link (h)">{ "Heal" }</button>
            </div>
            <label class="speed">{ "Speed " }
                <input id="speed" type="range" min="0" max={SPEED_MAX.to_string()} value={speed.to_string()} oninput={speed_input} />
                <span class="muted">{ speed_label }</span>
            </label>
            <label class="seek">
                <span id="clock">{ format!("{} · {}", time_words(session.cursor), shown) }</span>
                <input id="seek" type="range" min="0" max={head.to_string()} value={cursor.to_string()} oninput={seek} aria-label="Seek" />
                <span class="muted">{ if session.at_head() { "live".to_string() } else { format!("of {} — acting here starts a branch", time_words(head)) } }</span>
            </label>
        </div>
    }
}

/// The embedded page's strip: step back, play, step, the clock, and `open` (a link to the full
/// playground).
pub fn embed_controls(session: &Session, playing: bool, open: Html, on: &Callback<Msg>) -> Html {
    html! {
        <nav class="embed-controls" aria-label="Controls">
            <button id="step-back" onclick={send(on, Msg::StepBack)} aria-label="Step back" title="One event back">{ "◀" }</button>
            <button id="play" class="primary" onclick={send(on, Msg::Playback(playback::Msg::Toggle))} title="Play / pause">
                { if playing { "⏸" } else { "▶" } }
            </button>
            <button id="step" onclick={send(on, Msg::StepForward)} aria-label="Step forward" title="One event forward">{ "▶|" }</button>
            <span id="clock" class="muted">{ time_words(session.cursor) }</span>
            { open }
        </nav>
    }
}
