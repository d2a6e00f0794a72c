//! The setup bar: protocol, nodes, seed, background clients, network, scenario, "New run".

use paxos_sim::ProtocolKind;
use paxos_sim::config::MAX_CLUSTER;
use yew::prelude::*;

use super::{input_value, submit};
use crate::i18n::{self, t, tf};
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
            if text.trim().is_empty() {
                return Msg::Dice(false);
            }
            match text.trim().parse() {
                Ok(seed) => Msg::EditSetup(Setup { seed, ..setup.clone() }),
                Err(_) => Msg::Problem(tf(
                    "setup.not_a_seed",
                    &[("text", &text.trim()), ("max", &u64::MAX), ("seed", &setup.seed)],
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
        html! { <option value={p.name()} selected={p == setup.protocol}>{ if p.is_foil() { tf("setup.foil_option", &[("protocol", &i18n::protocol(p))]) } else { i18n::protocol(p) } }</option> }
    };
    let scenarios = paxos_play::scenario::index();
    let lang = crate::i18n::current().unwrap_or_default();
    let warning = (setup.protocol == ProtocolKind::Fast).then(|| fast_paxos_warning(setup.nodes)).flatten();
    html! {
        <form class="setup" onsubmit={submit(on, Msg::NewRun)}>
            <label>{ t("setup.protocol") }{ " " }
                <select id="protocol" onchange={protocol}>
                    <optgroup label={t("setup.consensus")}>{ for ProtocolKind::ALL.into_iter().filter(|p| !p.is_foil()).map(option) }</optgroup>
                    <optgroup label={t("setup.foils")}>{ for ProtocolKind::ALL.into_iter().filter(|p| p.is_foil()).map(option) }</optgroup>
                </select>
            </label>
            <label>{ t("setup.nodes") }{ " " }
                <select id="nodes" onchange={nodes}>
                    { for (MIN_NODES..=MAX_CLUSTER).map(|n| html! { <option value={n.to_string()} selected={n == setup.nodes}>{ n }</option> }) }
                </select>
            </label>
            <label>{ t("setup.seed") }{ " " }<input id="seed" inputmode="numeric" size="8" value={setup.seed.to_string()} onchange={seed} /></label>
            <button type="button" id="dice" onclick={crate::components::send(on, Msg::Dice(true))} title={t("setup.dice_title")} aria-label={t("setup.dice_title")}>{ "🎲" }</button>
            <label title={t("setup.clients_title")}>{ t("setup.clients") }{ " " }
                <input id="workload" type="number" min="0" max="8" value={setup.workload.to_string()} onchange={workload} />
            </label>
            <details class="network">
                <summary title={t("setup.network_title")}>{ t("setup.network") }</summary>
                <label>{ t("setup.latency") }{ " " }
                    <input id="latency-min" type="number" min="1" max="10000" value={network.latency_ms.0.to_string()} onchange={latency_min} aria-label={t("setup.latency_min")} />
                    { "–" }
                    <input id="latency-max" type="number" min="1" max="10000" value={network.latency_ms.1.to_string()} onchange={latency_max} aria-label={t("setup.latency_max")} />
                    { " ms" }
                </label>
                <label>{ t("setup.loss") }{ " " }<input id="loss" type="number" min="0" max="100" value={network.loss_percent.to_string()} onchange={loss} />{ " %" }</label>
                <label>{ t("setup.duplication") }{ " " }<input id="duplication" type="number" min="0" max="100" value={network.duplication_percent.to_string()} onchange={duplication} />{ " %" }</label>
            </details>
            <button type="submit" id="new-run">{ t("setup.new_run") }</button>
            <label>{ t("setup.scenario") }{ " " }
                <select id="scenario" onchange={scenario} disabled={scenarios.is_empty()}>
                    <option value="" selected={setup.scenario.is_none()}>{ if scenarios.is_empty() { t("setup.no_scenarios") } else { t("setup.choose_scenario") } }</option>
                    { for scenarios.iter().map(|entry| html! {
                        <option value={entry.name} selected={setup.scenario.as_deref() == Some(entry.name)}>{ entry.title(lang) }</option>
                    }) }
                </select>
            </label>
            { if setup.protocol.is_foil() {
                html! { <p class="warn">{ tf("setup.foil_warning", &[("protocol", &i18n::protocol(setup.protocol))]) }</p> }
            } else { html! {} } }
            { for warning.map(|w| html! { <p class="warn" id="fast-warning">{ w }</p> }) }
        </form>
    }
}
