//! The inspector: the selected node's state, and what can be done to it.

use paxos_core::{Ballot, NodeId};
use paxos_sim::ProtocolKind;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::world::Status;
use yew::prelude::*;

use crate::colors::role_glyph;
use crate::components::send;
use crate::model::{Session, key_words, value_words};
use crate::msg::Msg;
use crate::state::gestures::node_actions;
use crate::state::shown::Moment;

/// A term and its description in a `<dl>` (with a `data-field` for the tests, if given).
fn entry(term: &'static str, field: Option<&'static str>, description: AttrValue) -> Html {
    html! { <><dt>{ term }</dt><dd data-field={field}>{ description }</dd></> }
}

fn ballot_words(ballot: Ballot) -> String {
    if ballot == Ballot::ZERO { "none".to_string() } else { ballot.to_string() }
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
}

impl Props {
    /// The inspector of node `selected` in `picture`, of a run of `session`.
    pub fn of(moment: &Moment, session: &Session, selected: Option<NodeId>) -> Props {
        let config = session.sim().config();
        Props { moment: moment.clone(), selected, protocol: config.protocol, tick_us: config.params.tick_us }
    }
}

/// The selected node's state.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    let Some(node) = p.selected.and_then(|n| p.moment.0.nodes.get(usize::from(n))) else {
        return html! {
            <section class="panel inspector">
                <h2>{ "Inspector" }</h2>
                <p class="muted">{ "Click a node to see its state; right-click it (or long-press) for actions." }</p>
            </section>
        };
    };
    let status = match node.status {
        Status::Up => "up",
        Status::Paused => "paused",
        Status::Down => "crashed (only its disk survives)",
    };
    let n = NodeName(node.id);
    let act = |fault: Fault| send(on, Msg::Act(fault));
    let protocol = p.protocol;
    let store = if node.store.is_empty() {
        "empty".to_string()
    } else {
        node.store.iter().map(|(k, v)| format!("{}={v}", key_words(*k))).collect::<Vec<_>>().join(", ")
    };
    let accepted = if node.slots.iter().all(|s| s.accepted.is_none()) {
        "nothing undecided".to_string()
    } else {
        (node.slots.iter())
            .filter_map(|s| s.accepted.as_ref().map(|(b, v)| format!("slot {}: ({b}, {})", s.slot, value_words(v))))
            .collect::<Vec<_>>()
            .join("; ")
    };
    html! {
        <section class="panel inspector" id="inspector">
            <h2>{ format!("{n} — {}", node.role.name()) }</h2>
            <dl>
                { entry("status", Some("status"), status.into()) }
                { entry("role", Some("role"), format!("{} {}", role_glyph(node.role), node.role.name()).into()) }
                { entry("follows", None, node.leader.map_or("no one".into(), |l| NodeName(l).to_string().into())) }
                { entry("ballot", None, ballot_words(node.ballot).into()) }
                { entry("promised", None, ballot_words(node.promised).into()) }
                { entry("decided prefix", Some("decided"), format!("slots 0–{} ({} decided)", node.decided_prefix.saturating_sub(1), node.decided_prefix).into()) }
                { entry("applied", None, node.applied.to_string().into()) }
                { entry("store", None, store.into()) }
                { entry("accepted", None, accepted.into()) }
                <dt>{ "timers" }</dt><dd class="muted">{ format!("every {} ms tick; {} does not expose its deadlines", p.tick_us / 1_000, protocol.title()) }</dd>
            </dl>
            <div class="buttons">
                { for node_actions(n, node.status).into_iter().map(|(fault, label, _)| {
                    let id = matches!(fault, Fault::Crash { .. }).then_some("crash");
                    html! { <button id={id} onclick={act(fault)}>{ label }</button> }
                }) }
            </div>
        </section>
    }
}
