//! "Your story" (issue 13): the person's own captions — add one at the event shown, write it, point
//! it at what is selected, ask a question, move it, delete it. The state is
//! [`crate::state::authoring`]; the link and the run file carry the captions.

use paxos_play::scenario::{Caption, MAX_ANSWERS, Question};
use paxos_sim::config::NodeName;
use paxos_sim::trace::{EventId, MsgId};
use yew::prelude::*;

use crate::components::{input_value, send};
use crate::i18n::{t, tf};
use crate::model::Session;
use crate::msg::Msg;
use crate::state::authoring::{Authoring, Msg as Author};

/// What the section shows and what a new caption would point at.
pub struct Props<'a> {
    /// The captions written so far.
    pub authoring: &'a Authoring,
    /// The run shown (the event shown, and each caption's time).
    pub session: &'a Session,
    /// The node selected, if any.
    pub node: Option<NodeName>,
    /// The message selected, if any.
    pub message: Option<MsgId>,
    /// Where the section's messages go.
    pub on: &'a Callback<Msg>,
}

/// The section, in the side column.
pub fn view(p: Props<'_>) -> Html {
    let on = p.on;
    let shown = p.session.shown();
    // What the link holds (each caption shows whether it is in it yet).
    let shared = p.authoring.shared();
    let add = match shown {
        Some(event) => send(on, Msg::Author(Author::Add(event, p.node, p.message))),
        None => Callback::noop(),
    };
    html! {
        <section id="author" class="panel author" aria-labelledby="author-title">
            <h2 id="author-title">{ t("author.title") }</h2>
            <p class="author-hint">{ t("author.hint") }</p>
            <button id="add-caption" onclick={add} disabled={shown.is_none()} title={t("author.add_title")}>
                { t("author.add") }
            </button>
            <ol class="captions">
                { for p.authoring.captions.iter().enumerate().map(|(i, caption)| {
                    item(i, caption, shared.contains(caption), shown, p.session, on)
                }) }
            </ol>
        </section>
    }
}

/// Caption `i`: where it is, its words, what it points at, its question; whether it is `shared` yet.
fn item(
    i: usize,
    caption: &Caption,
    shared: bool,
    shown: Option<EventId>,
    session: &Session,
    on: &Callback<Msg>,
) -> Html {
    let number = i + 1;
    let event = caption.on.id.unwrap_or_default();
    let time = session.sim().trace().get(event).map(|e| paxos_sim::decimal::ms(e.time).to_string()).unwrap_or_default();
    let text = field(on, move |text| Author::Text(i, text));
    let moved = match shown.filter(|&s| s != event) {
        Some(here) => send(on, Msg::Author(Author::MoveTo(i, here))),
        None => Callback::noop(),
    };
    let points = caption.points.as_ref().map(|points| {
        let nodes = points.nodes.iter().map(NodeName::to_string).collect::<Vec<_>>().join(", ");
        let message = points.message.map(|m| format!("m{m}")).unwrap_or_default();
        let what = [nodes, message].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
        html! { <p class="points">{ tf("author.points", &[("what", &what)]) }</p> }
    });
    html! {
        <li class="authored" data-event={event.to_string()}>
            <div class="caption-head">
                <button class="goto" onclick={send(on, Msg::Jump(event))} title={t("author.go_title")}>
                    { tf("author.at", &[("number", &number), ("event", &event), ("time", &time)]) }
                </button>
                <button onclick={moved} disabled={shown.is_none_or(|s| s == event)} title={t("author.move_title")}>
                    { t("author.move") }
                </button>
                <button class="delete" onclick={send(on, Msg::Author(Author::Delete(i)))}
                    aria-label={tf("author.delete_label", &[("number", &number)])} title={t("author.delete_title")}>{ "✕" }</button>
            </div>
            <label class="caption-text">
                { tf("author.text", &[("number", &number)]) }
                <textarea value={caption.text.en.clone()} oninput={text} rows="2" />
            </label>
            { for points }
            { if shared { html! {} } else { html! { <p class="draft">{ t("author.draft") }</p> } } }
            { match &caption.question {
                None => html! {
                    <button class="ask" onclick={send(on, Msg::Author(Author::Ask(i, true)))}>{ t("author.ask") }</button>
                },
                Some(question) => question_editor(i, question, on),
            } }
        </li>
    }
}

/// The question of caption `i`: the question, 2–4 answers (the right one chosen), and why.
fn question_editor(i: usize, q: &Question, on: &Callback<Msg>) -> Html {
    let group = format!("correct-{i}");
    html! {
        <fieldset class="question-editor">
            <legend>{ t("author.question") }</legend>
            <label>{ t("author.ask_text") }<input value={q.ask.en.clone()} oninput={field(on, move |s| Author::QuestionText(i, s))} /></label>
            { for q.answers.iter().enumerate().map(|(j, answer)| html! {
                <div class="answer">
                    <input type="radio" name={group.clone()} checked={q.correct == j}
                        onchange={send(on, Msg::Author(Author::Correct(i, j)))}
                        aria-label={tf("author.right", &[("number", &(j + 1))])} title={t("author.right_title")} />
                    <input value={answer.en.clone()} oninput={field(on, move |s| Author::Answer(i, j, s))}
                        aria-label={tf("author.answer", &[("number", &(j + 1))])} placeholder={tf("author.answer", &[("number", &(j + 1))])} />
                </div>
            }) }
            { if q.answers.len() < MAX_ANSWERS {
                html! { <button onclick={send(on, Msg::Author(Author::AddAnswer(i)))}>{ t("author.add_answer") }</button> }
            } else { html! {} } }
            <label>{ t("author.why") }<input value={q.why.en.clone()} oninput={field(on, move |s| Author::Why(i, s))} /></label>
            <button onclick={send(on, Msg::Author(Author::Ask(i, false)))}>{ t("author.no_question") }</button>
        </fieldset>
    }
}

/// An input's callback: its text, made into a change by `to`.
fn field(on: &Callback<Msg>, to: impl Fn(String) -> Author + 'static) -> Callback<InputEvent> {
    on.reform(move |e: InputEvent| Msg::Author(to(input_value(&e))))
}
