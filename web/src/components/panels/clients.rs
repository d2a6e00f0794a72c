//! The clients panel: send an operation by hand, and the history of the clients' operations.

use paxos_core::{NodeId, Outcome};
use paxos_sim::check::linearizable::Operation;
use paxos_sim::config::{ClientName, NodeName};
use paxos_sim::trace::EventId;
use yew::prelude::*;

use crate::components::submit;
use crate::i18n::{t, tf};
use crate::model::{Session, time_words};
use crate::msg::Msg;
use crate::state::shown::Moment;

/// What the clients panel shows.
#[derive(Clone, Debug)]
pub struct Props {
    /// The moment shown.
    pub moment: Moment,
    /// The last operations invoked by the event shown, newest first.
    pub operations: Vec<Operation>,
    /// The event shown (an answer after it is still pending).
    pub shown: EventId,
    /// How many operations the run has.
    pub total: usize,
    /// Whether the run has a client of the person's.
    pub manual: bool,
    /// The operation text box.
    pub op_text: String,
    /// The node it is sent to (else the leader).
    pub selected: Option<NodeId>,
}

impl Props {
    /// The clients of the run `session` shows, the text box holding `op_text`.
    pub fn of(moment: &Moment, session: &Session, op_text: &str, selected: Option<NodeId>) -> Props {
        let all = session.sim().history().operations();
        let shown = session.shown().unwrap_or(0);
        Props {
            moment: moment.clone(),
            operations: all.iter().rev().filter(|op| op.invoke.0 <= shown).take(12).cloned().collect(),
            shown,
            total: all.len(),
            manual: session.sim().config().clients.manual > 0,
            op_text: op_text.to_string(),
            selected,
        }
    }
}

/// The history shown is a function of the moment (the event shown and the trace's length) and of
/// how many operations there are.
impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.moment == other.moment
            && self.total == other.total
            && self.op_text == other.op_text
            && self.selected == other.selected
    }
}

/// Sending operations by hand, and the history of client operations.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    let rows: Html = p
        .operations
        .iter()
        .map(|op| {
            let result = match op.ret {
                Some((id, time, outcome)) if id <= p.shown => {
                    let value = match outcome {
                        Outcome::Value(v) => v.to_string(),
                        Outcome::Done => t("clients.ok"),
                        Outcome::NotLeader { .. } => t("clients.not_leader"),
                    };
                    (time_words(time), value)
                }
                _ => ("…".to_string(), t("clients.pending")),
            };
            html! {
                <tr><td>{ ClientName(op.client).to_string() }</td><td>{ op.op.to_string() }</td><td>{ time_words(op.invoke.1) }</td><td>{ result.0 }</td><td>{ result.1 }</td></tr>
            }
        })
        .collect();
    let text = on.reform(|e: InputEvent| Msg::OpText(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
    let manual = p.manual;
    html! {
        <section class="panel clients">
            <h2>{ t("clients.title") }</h2>
            { if manual { html! {
                <form class="send" onsubmit={submit(on, Msg::SendOp)}>
                    <input id="op" value={p.op_text.clone()} oninput={text} aria-label={t("clients.operation")} placeholder="get a · set a 5 · inc a 1" />
                    <button type="submit">{ match p.selected { Some(n) => tf("clients.send_to", &[("node", &NodeName(n))]), None => t("clients.send_to_leader") } }</button>
                </form>
            } } else { html! { <p class="muted">{ t("clients.none_yours") }</p> } } }
            <table class="history">
                <thead><tr><th>{ t("clients.client") }</th><th>{ t("clients.op") }</th><th>{ t("clients.invoked") }</th><th>{ t("clients.returned") }</th><th>{ t("clients.result") }</th></tr></thead>
                <tbody>{ rows }</tbody>
            </table>
            <p class="muted small">{ tf("clients.total", &[("count", &p.total)]) }</p>
        </section>
    }
}
