//! The time controls: play, step, speed, seek, heal; and the compact strip of an embedded page.

use paxos_sim::faults::Fault;
use paxos_sim::trace::Time;
use yew::prelude::*;

use crate::components::send;
use crate::i18n::{t, tf};
use crate::model::{Session, time_words};
use crate::msg::Msg;
use crate::state::playback::{self, SPEED_MAX, speed_us_per_s};

/// Play, step, speed, seek, heal.
pub fn controls(session: &Session, playing: bool, speed: u32, on: &Callback<Msg>) -> Html {
    let head = session.sim().now().max(1);
    let cursor = session.cursor.min(head);
    let speed_label = if speed >= SPEED_MAX {
        t("controls.fastest")
    } else {
        tf("controls.per_second", &[("time", &time_words(speed_us_per_s(speed) as Time))])
    };
    let seek = on.reform(|e: InputEvent| {
        Msg::Seek(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0))
    });
    let speed_input = on.reform(|e: InputEvent| {
        Msg::Playback(playback::Msg::Speed(
            e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0),
        ))
    });
    let shown = session.shown().map_or_else(|| t("controls.before_first"), |e| tf("controls.event", &[("event", &e)]));
    html! {
        <div class="controls">
            <div class="buttons">
                <button id="step-back" onclick={send(on, Msg::StepBack)} title={t("controls.back_title")} aria-label={t("controls.back")}>{ t("controls.back_button") }</button>
                <button id="play" class="primary" onclick={send(on, Msg::Playback(playback::Msg::Toggle))} title={t("controls.play_title")}>
                    { if playing { t("controls.pause") } else { t("controls.play") } }
                </button>
                <button id="step" onclick={send(on, Msg::StepForward)} title={t("controls.step_title")} aria-label={t("controls.step")}>{ t("controls.step_button") }</button>
                <button id="heal" onclick={send(on, Msg::Act(Fault::Heal {}))} title={t("controls.heal_title")}>{ t("controls.heal") }</button>
            </div>
            <label class="speed">{ t("controls.speed") }{ " " }
                <input id="speed" type="range" min="0" max={SPEED_MAX.to_string()} value={speed.to_string()} oninput={speed_input} />
                <span class="muted">{ speed_label }</span>
            </label>
            <label class="seek">
                <span id="clock">{ tf("controls.clock", &[("time", &time_words(session.cursor)), ("shown", &shown)]) }</span>
                <input id="seek" type="range" min="0" max={head.to_string()} value={cursor.to_string()} oninput={seek} aria-label={t("controls.seek")} />
                <span class="muted">{ if session.at_head() { t("controls.live") } else { tf("controls.behind", &[("head", &time_words(head))]) } }</span>
            </label>
        </div>
    }
}

/// The embedded page's strip: step back, play, step, the clock, and `open` (a link to the full
/// playground).
pub fn embed_controls(session: &Session, playing: bool, open: Html, on: &Callback<Msg>) -> Html {
    html! {
        <nav class="embed-controls" aria-label={t("embed.controls")}>
            <button id="step-back" onclick={send(on, Msg::StepBack)} aria-label={t("controls.back")} title={t("embed.back_title")}>{ "◀" }</button>
            <button id="play" class="primary" onclick={send(on, Msg::Playback(playback::Msg::Toggle))} title={t("embed.play_title")}>
                { if playing { "⏸" } else { "▶" } }
            </button>
            <button id="step" onclick={send(on, Msg::StepForward)} aria-label={t("controls.step")} title={t("embed.step_title")}>{ "▶|" }</button>
            <span id="clock" class="muted">{ time_words(session.cursor) }</span>
            { open }
        </nav>
    }
}
