//! The stage around the cluster view: the loaded scenario's card, the caption at the cursor, and
//! the guide that says in plain words what the cluster view shows.

use paxos_sim::config::NodeName;
use paxos_sim::world::Status;
use paxos_sim::{Picture, ProtocolKind};
use yew::prelude::*;

use crate::i18n::{t, tf};
use crate::layout::holds_majority;
use crate::model::Session;

/// The loaded scenario's title, source and summary.
pub fn scenario_card(session: &Session) -> Html {
    let Some(scenario) = &session.scenario else { return html! {} };
    let lang = crate::i18n::current().unwrap_or_default();
    html! {
        <div class="scenario-card">
            <h2>{ scenario.title.get(lang) }</h2>
            <p class="muted">{ tf("guide.from", &[("source", &scenario.source.get(lang))]) }</p>
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
        parts.push(t("guide.start"));
    }
    let leaders: Vec<String> = up
        .iter()
        .filter(|n| matches!(n.role, paxos_core::Role::Leader | paxos_core::Role::Primary))
        .map(|n| name(n.id))
        .collect();
    let top = picture.nodes.iter().map(|n| n.decided_prefix).max().unwrap_or(0);
    match leaders.as_slice() {
        [] if picture.events > 0 => parts.push(t("guide.no_leader")),
        [] => {}
        [one] if protocol.is_foil() => parts.push(tf("guide.foil_leads", &[("node", one), ("top", &top)])),
        [one] => parts.push(tf("guide.leads", &[("node", one), ("total", &total), ("top", &top)])),
        many => parts.push(tf("guide.many_lead", &[("nodes", &many.join(&t("guide.and")))])),
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
            Some((_, m)) => {
                tf("guide.split", &[("nodes", &m.iter().map(|&n| name(n)).collect::<Vec<_>>().join(&t("guide.comma")))])
            }
            None => t("guide.split_no_majority"),
        });
    }
    let down: Vec<String> = picture.nodes.iter().filter(|n| n.status != Status::Up).map(|n| name(n.id)).collect();
    if !down.is_empty() {
        let key = if down.len() == 1 { "guide.down_one" } else { "guide.down_many" };
        parts.push(tf(key, &[("nodes", &down.join(&t("guide.comma")))]));
    }
    let behind: Vec<String> = up.iter().filter(|n| n.decided_prefix + 2 < top).map(|n| name(n.id)).collect();
    if !behind.is_empty() && top > 0 {
        let key = if behind.len() == 1 { "guide.behind_one" } else { "guide.behind_many" };
        parts.push(tf(key, &[("nodes", &behind.join(&t("guide.comma")))]));
    }
    if parts.is_empty() {
        return html! {};
    }
    // Not a live region: it changes with every frame while playing; the page's one live region is
    // the narration (components/story.rs).
    // Sentences are one space apart after Latin punctuation, none after a full-width one (Chinese).
    let mut text = String::new();
    for part in parts {
        if text.chars().last().is_some_and(|c| c.is_ascii()) {
            text.push(' ');
        }
        text.push_str(&part);
    }
    html! { <p class="guide">{ text }</p> }
}
