//! The setup bar: protocol, nodes, seed, background clients, network, scenario, "New run".

use paxos_sim::ProtocolKind;
use paxos_sim::config::MAX_CLUSTER;
use yew::prelude::*;

use super::{input_value, submit};
use crate::model::{MIN_NODES, Setup, fast_paxos_warning};
use crate::msg::Msg;

/// Protocol, nodes, seed, clients, scenario, "New run".
pub fn setup_bar(setup: &Setup, on: &Callback<Msg>) -> Html {
    let edit = |f: fn(&mut Setup, String)| {
        let setup = setup.clone();
        on.reform(move |e: Event| {
            let mut next = setup.clone();
            f(&mut next, input_value(&e));
            Msg::EditSetup(next)
        })
    };
    let protocol = edit(|s, v| {
        if let Ok(p) = v.parse() {
            s.protocol = p;
        }
    });
    let nodes = edit(|s, v| s.nodes = v.parse().unwrap_or(s.nodes));
    let seed = {
        let setup = setup.clone();
        on.reform(move |e: Event| {
            let text = input_value(&e);
            match text.trim().parse() {
                Ok(seed) => Msg::EditSetup(Setup { seed, ..setup.clone() }),
                Err(_) => Msg::Problem(format!(
                    "'{}' is not a seed: a seed is a whole number from 0 to {} (keeping {})",
                    text.trim(),
                    u64::MAX,
                    setup.seed
                )),
            }
        })
    };
    let workload = edit(|s, v| s.workload = v.parse().unwrap_or(s.workload));
    let latency_min = edit(|s, v| s.network.latency_ms.0 = v.parse().unwrap_or(s.network.latency_ms.0));
    let latency_max = edit(|s, v| s.network.latency_ms.1 = v.parse().unwrap_or(s.network.latency_ms.1));
    let loss = edit(|s, v| s.network.loss_percent = v.parse().unwrap_or(s.network.loss_percent));
    let duplication = edit(|s, v| s.network.duplication_percent = v.parse().unwrap_or(s.network.duplication_percent));
    let network = setup.network;
    let scenario = on.reform(|e: Event| {
        let name = input_value(&e);
        if name.is_empty() { Msg::Dismiss } else { Msg::LoadScenario(name) }
    });
    let option = |p: ProtocolKind| {
        html! { <option value={p.name()} selected={p == setup.protocol}>{ p.title() }{ if p.is_foil() { " — unsafe foil" } else { "" } }</option> }
    };
    let scenarios = paxos_play::scenario::index();
    let lang = crate::i18n::current().unwrap_or_default();
    let warning = (setup.protocol == ProtocolKind::Fast).then(|| fast_paxos_warning(setup.nodes)).flatten();
    html! {
        <form class="setup" onsubmit={submit(on, Msg::NewRun)}>
            <label>{ "Protocol " }
                <select id="protocol" onchange={protocol}>
                    <optgroup label="Consensus">{ for ProtocolKind::ALL.into_iter().filter(|p| !p.is_foil()).map(option) }</optgroup>
                    <optgroup label="Unsafe teaching foils (the checker will catch them)">{ for ProtocolKind::ALL.into_iter().filter(|p| p.is_foil()).map(option) }</optgroup>
                </select>
            </label>
            <label>{ "Nodes " }
                <select id="nodes" onchange={nodes}>
                    { for (MIN_NODES..=MAX_CLUSTER).map(|n| html! { <option value={n.to_string()} selected={n == setup.nodes}>{ n }</option> }) }
                </select>
            </label>
            <label>{ "Seed " }<input id="seed" inputmode="numeric" size="8" value={setup.seed.to_string()} onchange={seed} /></label>
            <label title="Background clients that send random get/set/inc operations">{ "Clients " }
                <input id="workload" type="number" min="0" max="8" value={setup.workload.to_string()} onchange={workload} />
            </label>
            <details class="network">
                <summary title="Latency, loss and duplication between nodes">{ "Network" }</summary>
                <label>{ "Latency " }
                    <input id="latency-min" type="number" min="1" max="10000" value={network.latency_ms.0.to_string()} onchange={latency_min} aria-label="Minimum latency, ms" />
                    { "–" }
                    <input id="latency-max" type="number" min="1" max="10000" value={network.latency_ms.1.to_string()} onchange={latency_max} aria-label="Maximum latency, ms" />
                    { " ms" }
                </label>
                <label>{ "Loss " }<input id="loss" type="number" min="0" max="100" value={network.loss_percent.to_string()} onchange={loss} />{ " %" }</label>
                <label>{ "Duplication " }<input id="duplication" type="number" min="0" max="100" value={network.duplication_percent.to_string()} onchange={duplication} />{ " %" }</label>
            </details>
            <button type="submit" id="new-run">{ "New run" }</button>
            <label>{ "Scenario " }
                <select id="scenario" onchange={scenario} disabled={scenarios.is_empty()}>
                    <option value="" selected={setup.scenario.is_none()}>{ if scenarios.is_empty() { "none yet" } else { "choose a story…" } }</option>
                    { for scenarios.iter().map(|entry| html! {
                        <option value={entry.name} selected={setup.scenario.as_deref() == Some(entry.name)}>{ entry.title(lang) }</option>
                    }) }
                </select>
            </label>
            { if setup.protocol.is_foil() {
                html! { <p class="warn">{ format!("{} is not consensus: it is here to fail. Crash or partition its nodes and watch the safety panel turn red.", setup.protocol.title()) }</p> }
            } else { html! {} } }
            { for warning.map(|w| html! { <p class="warn" id="fast-warning">{ w }</p> }) }
        </form>
    }
}
