//! Story mode's views: the caption with its place in the story ("3/10"), Back, Next and Play
//! through; a step's question and, once answered, whether it was right and why; the one live
//! region that narrates the moment shown; the rings around what the caption speaks of in the
//! cluster view; the story's line in the help.

use paxos_core::NodeId;
use paxos_sim::decimal::fixed;
use yew::prelude::*;

use crate::components::{class_list, maybe, send};
use crate::i18n::{t, tf};
use crate::model::Session;
use crate::msg::Msg;
use crate::state::story::{Msg as StoryMsg, Quiz, Story};

/// What the caption box needs.
pub struct Props<'a> {
    /// The session.
    pub session: &'a Session,
    /// The story.
    pub story: &'a Story,
    /// The Next button (focused when a caption is reached).
    pub next: &'a NodeRef,
    /// Where its messages go.
    pub on: &'a Callback<Msg>,
}

fn story(on: &Callback<Msg>, msg: StoryMsg) -> Callback<MouseEvent> {
    send(on, Msg::Story(msg))
}

/// The caption at the cursor with the story's controls (nothing without a story). Before the
/// first caption it invites the reader to begin; a question hides the caption until answered.
pub fn caption(p: Props<'_>) -> Html {
    let (session, s, on) = (p.session, p.story, p.on);
    if !s.is_told() {
        return html! {};
    }
    if session.current != 0 {
        // A branch: the story's pacing is off, its captions still name the events before the branch.
        return crate::components::stage::caption(session);
    }
    let of = s.steps.len();
    let at = s.at(session);
    let waits = at.is_some_and(|i| s.waits(i));
    let body = match at {
        None => html! { <p>{ tf("story.start", &[("of", &of)]) }</p> },
        Some(i) => {
            let step = &s.steps[i];
            let count =
                html! { <b class="story-count">{ tf("story.count", &[("n", &(i + 1)), ("of", &of)]) }{ " " }</b> };
            match &step.quiz {
                Some(quiz) => {
                    html! { <>{ count }{ question(quiz, s.answer(i), on) }{ if waits { html! {} } else { html! { <p>{ &step.text }</p> } } }</> }
                }
                None => html! { <p>{ count }{ &step.text }</p> },
            }
        }
    };
    // Swipes are a touch's: a mouse dragging over the caption selects its text.
    let touch = |e: &PointerEvent| (e.pointer_type() == "touch").then(|| f64::from(e.client_x()));
    let down = maybe(on, move |e: PointerEvent| touch(&e).map(|x| Msg::Story(StoryMsg::SwipeStart(x))));
    let up = maybe(on, move |e: PointerEvent| touch(&e).map(|x| Msg::Story(StoryMsg::SwipeEnd(x))));
    html! {
        <div class="caption story" onpointerdown={down} onpointerup={up}>
            { body }
            <nav class="buttons" aria-label={t("story.nav")}>
                <button id="story-back" onclick={story(on, StoryMsg::Back)}>{ t("story.back") }</button>
                <button id="story-next" ref={p.next.clone()} class="primary" disabled={waits} onclick={story(on, StoryMsg::Next)}>{ t("story.next") }</button>
                <button id="story-through" onclick={story(on, StoryMsg::Through)}>{ t("story.through") }</button>
            </nav>
        </div>
    }
}

/// A step's question: the answers as a group of radio-like buttons (Tab and Enter or space choose);
/// once answered, right or wrong, why, and Try again.
fn question(quiz: &Quiz, answer: Option<usize>, on: &Callback<Msg>) -> Html {
    html! {
        <div class="quiz">
            <p id="quiz-ask">{ &quiz.ask }</p>
            <div class="answers" role="radiogroup" aria-labelledby="quiz-ask">
                { for quiz.answers.iter().enumerate().map(|(i, text)| {
                    let chosen = answer == Some(i);
                    let class = class_list(&[Some("answer"), chosen.then_some("chosen"), (chosen && i == quiz.correct).then_some("right")]);
                    html! { <button {class} role="radio" aria-checked={chosen.to_string()} onclick={story(on, StoryMsg::Answer(i))}>{ text }</button> }
                }) }
            </div>
            { for answer.map(|a| html! {
                <p class={if a == quiz.correct { "verdict right" } else { "verdict wrong" }}>
                    <b>{ if a == quiz.correct { t("story.right") } else { t("story.wrong") } }</b>{ " " }{ &quiz.why }{ " " }
                    { if a == quiz.correct { html! {} } else { html! { <button id="quiz-retry" onclick={story(on, StoryMsg::Retry)}>{ t("story.retry") }</button> } } }
                </p>
            }) }
        </div>
    }
}

/// The page's one live region: visually hidden, read politely when the moment shown moves by a
/// step or a caption.
pub fn narration(text: &str) -> Html {
    html! { <p id="narration" class="sr-only" aria-live="polite">{ text }</p> }
}

/// Rings around the nodes a caption speaks of, and a line along its message's path, drawn under the
/// nodes of the cluster view (`position`: where node n is drawn).
pub fn rings(nodes: &[NodeId], message: bool, position: &dyn Fn(NodeId) -> (f64, f64)) -> Html {
    if nodes.is_empty() {
        return html! {};
    }
    let path = match nodes {
        [a, b] if message => {
            let ((x1, y1), (x2, y2)) = (position(*a), position(*b));
            html! { <line class="story-path" x1={fixed(x1, 1).to_string()} y1={fixed(y1, 1).to_string()} x2={fixed(x2, 1).to_string()} y2={fixed(y2, 1).to_string()} /> }
        }
        _ => html! {},
    };
    html! {
        <g class="story-highlight" aria-hidden="true">
            { path }
            { for nodes.iter().map(|&n| {
                let (x, y) = position(n);
                html! { <circle class="story-ring" cx={fixed(x, 1).to_string()} cy={fixed(y, 1).to_string()} r="28" /> }
            }) }
        </g>
    }
}

/// The story's keys, for the help overlay.
pub fn help_keys() -> Html {
    html! { <dl><dt>{ t("story.keys") }</dt><dd>{ t("story.keys_help") }</dd></dl> }
}
