//! The stage around the cluster view: the loaded scenario's card, the caption at the cursor, and
//! the guide that says in plain words what the cluster view shows.

use paxos_sim::config::NodeName;
use paxos_sim::world::Status;
use paxos_sim::{Picture, ProtocolKind};
use yew::prelude::*;

use crate::layout::holds_majority;
use crate::model::Session;

/// The loaded scenario's title, source and summary.
pub fn scenario_card(session: &Session) -> Html {
    let Some(scenario) = &session.scenario else { return html! {} };
    let lang = crate::i18n::current().unwrap_or_default();
    html! {
        <div class="scenario-card">
            <h2>{ scenario.title.get(lang) }</h2>
            <p class="muted">{ format!("From {}", scenario.source.get(lang)) }</p>
            <p>{ scenario.summary.get(lang) }</p>
        </div>
    }
}

/// The scenario's caption at the cursor, if any.
pub fn caption(session: &Session) -> Html {
    match session.caption() {
        Some((i, text)) => html! {
            <p class="caption"><b>{ format!("{}/{} ", i + 1, session.captions.len()) }</b>{ text.text.get(crate::i18n::current().unwrap_or_default()) }</p>
        },
        None => html! {},
    }
}

/// One or two sentences on what the cluster view shows now, in plain words, for someone who has
/// never seen Paxos: who leads, what is split or down, how far the log got. Read from the
/// picture only (roles, islands, decided prefixes), so it holds for every protocol.
pub fn guide(picture: &Picture, playing: bool, protocol: ProtocolKind) -> Html {
    let name = |n: u8| NodeName(n).to_string();
    let total = picture.nodes.len();
    let up: Vec<&paxos_sim::run::NodePicture> = picture.nodes.iter().filter(|n| n.status == Status::Up).collect();
    let mut parts = Vec::new();
    if picture.events == 0 && !playing {
        parts.push(
            "Press ▶ Play (or space) to start: the servers will elect a leader and commit the clients' commands."
                .to_string(),
        );
    }
    let leaders: Vec<String> = up
        .iter()
        .filter(|n| matches!(n.role, paxos_core::Role::Leader | paxos_core::Role::Primary))
        .map(|n| name(n.id))
        .collect();
    let top = picture.nodes.iter().map(|n| n.decided_prefix).max().unwrap_or(0);
    match leaders.as_slice() {
        [] if picture.events > 0 => parts.push("No leader right now: a server that stops hearing one times out and asks the others for their votes (◆).".to_string()),
        [] => {}
        [one] if protocol.is_foil() => parts.push(format!("{one} leads (★); {top} commands decided so far.")),
        [one] => parts.push(format!("{one} leads (★). A command counts as committed once a majority of the {total} servers has accepted it; {top} so far.")),
        many => parts.push(format!(
            "{} each believe they lead (★): at most one can get a majority to accept its commands, and the checker below watches that no two different values are chosen.",
            many.join(" and ")
        )),
    }
    let mut islands: Vec<(u8, Vec<u8>)> = Vec::new();
    for n in &picture.nodes {
        let island = picture.islands.of(n.id);
        match islands.iter_mut().find(|(i, _)| *i == island) {
            Some((_, members)) => members.push(n.id),
            None => islands.push((island, vec![n.id])),
        }
    }
    if islands.len() > 1 && !protocol.is_foil() {
        let majority = islands.iter().find(|(_, m)| holds_majority(m.len(), total));
        parts.push(match majority {
            Some((_, m)) => format!(
                "The network is split: only the island of {} holds a majority, so only it can elect a leader and commit; the others wait.",
                m.iter().map(|&n| name(n)).collect::<Vec<_>>().join(", ")
            ),
            None => "The network is split and no island holds a majority: nothing new can be committed until it heals (press Heal).".to_string(),
        });
    }
    let down: Vec<String> = picture.nodes.iter().filter(|n| n.status != Status::Up).map(|n| name(n.id)).collect();
    if !down.is_empty() {
        parts.push(format!(
            "{} {} down (✕ or ‖): restart it from its menu (right-click) or with r.",
            down.join(", "),
            if down.len() == 1 { "is" } else { "are" }
        ));
    }
    let behind: Vec<String> = up.iter().filter(|n| n.decided_prefix + 2 < top).map(|n| name(n.id)).collect();
    if !behind.is_empty() && top > 0 {
        parts.push(format!(
            "{} {} behind and will catch up once it hears the leader.",
            behind.join(", "),
            if behind.len() == 1 { "is" } else { "are" }
        ));
    }
    if parts.is_empty() {
        return html! {};
    }
    // Not a live region: it changes with every frame while playing; the page's one live region is
    // the narration (components/story.rs).
    html! { <p class="guide">{ parts.join(" ") }</p> }
}
