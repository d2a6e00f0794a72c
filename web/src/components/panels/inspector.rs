//! The inspector: the selected node's state, and what can be done to it.

use paxos_core::{Ballot, NodeId};
use paxos_sim::ProtocolKind;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::trace::EventId;
use paxos_sim::world::Status;
use yew::prelude::*;

use crate::colors::role_glyph;
use crate::components::send;
use crate::i18n::{self, t, tf};
use crate::model::{Session, key_words, value_words};
use crate::msg::Msg;
use crate::state::gestures::node_actions;
use crate::state::shown::Moment;

/// A term and its description in a `<dl>` (with a `data-field` for the tests, if given).
fn entry(term: String, field: Option<&'static str>, description: AttrValue) -> Html {
    html! { <><dt>{ term }</dt><dd data-field={field}>{ description }</dd></> }
}

fn ballot_words(ballot: Ballot) -> String {
    if ballot == Ballot::ZERO { t("inspector.no_ballot") } else { ballot.to_string() }
}

/// What the inspector shows: the selected node (if any) and the run's protocol and tick.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Props {
    /// The world at the cursor.
    pub moment: Moment,
    /// The selected node.
    pub selected: Option<NodeId>,
    /// The run's protocol.
    pub protocol: ProtocolKind,
    /// The run's tick, µs.
    pub tick_us: u32,
    /// Why: the rules the selected node applied at its last step up to the moment shown, in words.
    pub why: Vec<String>,
}

impl Props {
    /// The inspector of node `selected` in `picture`, of a run of `session`.
    pub fn of(moment: &Moment, session: &Session, selected: Option<NodeId>) -> Props {
        let config = session.sim().config();
        let why = selected.map(|node| why(session, node)).unwrap_or_default();
        Props { moment: moment.clone(), selected, protocol: config.protocol, tick_us: config.params.tick_us, why }
    }
}

/// The rules `node` applied at its last step that has any, up to the event shown, in words.
fn why(session: &Session, node: NodeId) -> Vec<String> {
    let Some(shown) = session.shown() else { return Vec::new() };
    let trace = session.sim().trace();
    let mut last: Option<EventId> = None;
    let mut rules = Vec::new();
    for (event, rule) in trace.all_rules().take_while(|(event, _)| *event <= shown) {
        if rule.node() != node {
            continue;
        }
        if last != Some(event) {
            last = Some(event);
            rules.clear();
        }
        rules.push(*rule);
    }
    rules.iter().map(crate::i18n::rule).collect()
}

/// The selected node's state.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    let Some(node) = p.selected.and_then(|n| p.moment.0.nodes.get(usize::from(n))) else {
        return html! {
            <section class="panel inspector">
                <h2>{ t("inspector.title") }</h2>
                <p class="muted">{ t("inspector.empty") }</p>
            </section>
        };
    };
    let status = match node.status {
        Status::Up => t("status.up"),
        Status::Paused => t("status.paused"),
        Status::Down => t("status.crashed_long"),
    };
    let n = NodeName(node.id);
    let act = |fault: Fault| send(on, Msg::Act(fault));
    let protocol = p.protocol;
    let store = if node.store.is_empty() {
        t("inspector.store_empty")
    } else {
        node.store.iter().map(|(k, v)| format!("{}={v}", key_words(*k))).collect::<Vec<_>>().join(", ")
    };
    let accepted = if node.slots.iter().all(|s| s.accepted.is_none()) {
        t("inspector.nothing_undecided")
    } else {
        (node.slots.iter())
            .filter_map(|s| {
                let accepted = s.accepted.as_ref()?;
                let (ballot, value) = (accepted.0, value_words(&accepted.1));
                Some(tf("inspector.accepted_in", &[("slot", &s.slot), ("ballot", &ballot), ("value", &value)]))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    html! {
        <section class="panel inspector" id="inspector">
            <h2>{ format!("{n} — {}", i18n::role(node.role)) }</h2>
            <dl>
                { entry(t("inspector.status"), Some("status"), status.into()) }
                { entry(t("inspector.role"), Some("role"), format!("{} {}", role_glyph(node.role), i18n::role(node.role)).into()) }
                { entry(t("inspector.follows"), None, node.leader.map_or_else(|| t("inspector.no_one").into(), |l| NodeName(l).to_string().into())) }
                { entry(t("inspector.ballot"), None, ballot_words(node.ballot).into()) }
                { entry(t("inspector.promised"), None, ballot_words(node.promised).into()) }
                { entry(t("inspector.decided"), Some("decided"), tf("inspector.decided_slots", &[("last", &node.decided_prefix.saturating_sub(1)), ("count", &node.decided_prefix)]).into()) }
                { entry(t("inspector.applied"), None, node.applied.to_string().into()) }
                { entry(t("inspector.store"), None, store.into()) }
                { entry(t("inspector.accepted"), None, accepted.into()) }
                <dt>{ t("inspector.timers") }</dt><dd class="muted">{ tf("inspector.timers_what", &[("tick", &(p.tick_us / 1_000)), ("protocol", &i18n::protocol(protocol))]) }</dd>
            </dl>
            <details class="why" open={!p.why.is_empty()}>
                <summary>{ t("inspector.why") }</summary>
                { if p.why.is_empty() { html! { <p class="muted">{ t("inspector.why_none") }</p> } } else { html! {
                    <ul>{ for p.why.iter().map(|words| html! { <li>{ words }</li> }) }</ul>
                } } }
            </details>
            <div class="buttons">
                { for node_actions(n, node.status).into_iter().map(|(fault, name)| {
                    let id = matches!(fault, Fault::Crash { .. }).then_some("crash");
                    html! { <button id={id} onclick={act(fault)}>{ t(&format!("actions.{name}")) }</button> }
                }) }
            </div>
        </section>
    }
}
