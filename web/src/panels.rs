//! The panels around the two views: setup bar, time controls, inspector, slot table, safety,
//! stats, clients, branches, help. Each is a function from the session to markup.

use paxos_core::{Ballot, Outcome, Slot};
use paxos_sim::check::Invariant;
use paxos_sim::config::{MAX_CLUSTER, NodeName};
use paxos_sim::faults::Fault;
use paxos_sim::trace::Time;
use paxos_sim::world::Status;
use paxos_sim::{Picture, ProtocolKind, Summary};
use yew::html::Scope;
use yew::prelude::*;

use paxos_play::share::View;

use crate::app::{App, Msg, SPEED_MAX, Sharing, speed_us_per_s};
use crate::class_list;
use crate::export::Export;
use crate::model::{MIN_NODES, Session, Setup, fast_paxos_warning, key_words, time_words, value_words};

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

/// Protocol, nodes, seed, clients, scenario, "New run".
pub fn setup_bar(setup: &Setup, link: &Scope<App>) -> Html {
    let edit = |f: fn(&mut Setup, String)| {
        let setup = setup.clone();
        link.callback(move |e: Event| {
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
        link.callback(move |e: Event| {
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
    let scenario = link.callback(|e: Event| {
        let name = input_value(&e);
        if name.is_empty() { Msg::Dismiss } else { Msg::LoadScenario(name) }
    });
    let option = |p: ProtocolKind| {
        html! { <option value={p.name()} selected={p == setup.protocol}>{ p.title() }{ if p.is_foil() { " — unsafe foil" } else { "" } }</option> }
    };
    let scenarios = paxos_play::scenario::index();
    let warning = (setup.protocol == ProtocolKind::Fast).then(|| fast_paxos_warning(setup.nodes)).flatten();
    html! {
        <form class="setup" onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::NewRun })}>
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
                    { for scenarios.iter().map(|(name, title)| html! {
                        <option value={*name} selected={setup.scenario.as_deref() == Some(*name)}>{ title }</option>
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

/// The loaded scenario's title, source and summary.
pub fn scenario_card(session: &Session) -> Html {
    let Some(scenario) = &session.scenario else { return html! {} };
    html! {
        <div class="scenario-card">
            <h2>{ &scenario.title }</h2>
            <p class="muted">{ format!("From {}", scenario.source) }</p>
            <p>{ &scenario.summary }</p>
        </div>
    }
}

/// Play, step, speed, seek, heal.
pub fn controls(session: &Session, playing: bool, speed: u32, link: &Scope<App>) -> Html {
    let head = session.sim().now().max(1);
    let cursor = session.cursor.min(head);
    let speed_label = if speed >= SPEED_MAX {
        "as fast as possible".to_string()
    } else {
        format!("{} per second", time_words(speed_us_per_s(speed) as Time))
    };
    let seek = link.callback(|e: InputEvent| {
        Msg::Seek(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0))
    });
    let speed_input = link.callback(|e: InputEvent| {
        Msg::Speed(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0))
    });
    let shown = session.shown().map_or("before the first event".to_string(), |e| format!("event {e}"));
    html! {
        <div class="controls">
            <div class="buttons">
                <button id="step-back" onclick={link.callback(|_| Msg::StepBack)} title="One event back (←)" aria-label="Step back">{ "◀ step" }</button>
                <button id="play" class="primary" onclick={link.callback(|_| Msg::TogglePlay)} title="Play / pause (space)">
                    { if playing { "⏸ Pause" } else { "▶ Play" } }
                </button>
                <button id="step" onclick={link.callback(|_| Msg::StepForward)} title="One event forward (→)" aria-label="Step forward">{ "step ▶" }</button>
                <button id="heal" onclick={link.callback(|_| Msg::Act(paxos_sim::Fault::Heal {}))} title="Merge every island and repair every link (h)">{ "Heal" }</button>
            </div>
            <label class="speed">{ "Speed " }
                <input id="speed" type="range" min="0" max={SPEED_MAX.to_string()} value={speed.to_string()} oninput={speed_input} />
                <span class="muted">{ speed_label }</span>
            </label>
            <label class="seek">
                <span id="clock">{ format!("{} · {}", time_words(session.cursor), shown) }</span>
                <input id="seek" type="range" min="0" max={head.to_string()} value={cursor.to_string()} oninput={seek} aria-label="Seek" />
                <span class="muted">{ if session.at_head() { "live".to_string() } else { format!("of {} — acting here starts a branch", time_words(head)) } }</span>
            </label>
        </div>
    }
}

/// What can be done to a node that is `status`: the fault, its label in the inspector, and its
/// label in the node's menu (with its key).
pub fn node_actions(node: NodeName, status: Status) -> Vec<(Fault, &'static str, &'static str)> {
    match status {
        Status::Down => vec![(Fault::Restart { node }, "Restart", "Restart (r)")],
        Status::Paused => vec![(Fault::Resume { node }, "Resume", "Resume (p)")],
        Status::Up => vec![
            (Fault::Crash { node }, "Crash", "Crash (c)"),
            (Fault::Pause { node }, "Pause", "Pause (p)"),
            (Fault::Timeout { node }, "Time out", "Time out: start an election (t)"),
        ],
    }
}

/// A term and its description in a `<dl>` (with a `data-field` for the tests, if given).
fn entry(term: &'static str, field: Option<&'static str>, description: AttrValue) -> Html {
    html! { <><dt>{ term }</dt><dd data-field={field}>{ description }</dd></> }
}

fn ballot_words(ballot: Ballot) -> String {
    if ballot == Ballot::ZERO { "none".to_string() } else { ballot.to_string() }
}

/// The selected node's state.
pub fn inspector(picture: &Picture, session: &Session, selected: Option<u8>, link: &Scope<App>) -> Html {
    let Some(node) = selected.and_then(|n| picture.nodes.get(usize::from(n))) else {
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
    let act = |fault: Fault| link.callback(move |_| Msg::Act(fault.clone()));
    let protocol = session.sim().config().protocol;
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
            <h2>{ format!("n{} — {}", node.id + 1, node.role.name()) }</h2>
            <dl>
                { entry("status", Some("status"), status.into()) }
                { entry("role", Some("role"), format!("{} {}", crate::cluster::role_glyph(node.role), node.role.name()).into()) }
                { entry("follows", None, node.leader.map_or("no one".into(), |l| format!("n{}", l + 1).into())) }
                { entry("ballot", None, ballot_words(node.ballot).into()) }
                { entry("promised", None, ballot_words(node.promised).into()) }
                { entry("decided prefix", Some("decided"), format!("slots 0–{} ({} decided)", node.decided_prefix.saturating_sub(1), node.decided_prefix).into()) }
                { entry("applied", None, node.applied.to_string().into()) }
                { entry("store", None, store.into()) }
                { entry("accepted", None, accepted.into()) }
                <dt>{ "timers" }</dt><dd class="muted">{ format!("every {} ms tick; {} does not expose its deadlines", session.sim().config().params.tick_us / 1_000, protocol.title()) }</dd>
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

/// Rows are slots, columns nodes; each cell what the node accepted (or decided) in the slot; the
/// chosen value is highlighted with the quorum that chose it.
pub fn slot_table(picture: &Picture, session: &Session) -> Html {
    let top = picture
        .nodes
        .iter()
        .map(|n| {
            let decided = n.decided.last().map_or(0, |(s, _)| s + 1);
            let accepted = n.slots.iter().filter(|s| s.accepted.is_some()).map(|s| s.slot + 1).max().unwrap_or(0);
            decided.max(accepted).max(n.decided_prefix)
        })
        .max()
        .unwrap_or(0);
    let rows: Vec<Slot> = (top.saturating_sub(8)..top).rev().collect();
    let at_head = session.at_head();
    let body: Html = rows
        .iter()
        .map(|&slot| {
            let decided_anywhere = picture.nodes.iter().any(|n| n.decided.iter().any(|(s, _)| *s == slot));
            let chosen = (at_head || decided_anywhere).then(|| session.sim().chosen(slot)).flatten();
            let cells: Html = picture
                .nodes
                .iter()
                .map(|n| {
                    let decided = n.decided.iter().find(|(s, _)| *s == slot).map(|(_, v)| v);
                    let accepted = n.slots.iter().find(|s| s.slot == slot).and_then(|s| s.accepted.as_ref());
                    let in_quorum = chosen.as_ref().is_some_and(|(_, _, voters)| voters.contains(n.id));
                    let (text, class) = match (decided, accepted) {
                        (Some(v), _) => (format!("✓ {}", value_words(v)), "decided"),
                        (None, Some((b, v))) => (format!("{b}: {}", value_words(v)), "accepted"),
                        (None, None) if slot < n.decided_prefix => ("✓ (compacted)".to_string(), "decided"),
                        _ => (String::new(), ""),
                    };
                    html! { <td class={class_list(&[Some(class), in_quorum.then_some("quorum")])}>{ text }</td> }
                })
                .collect();
            let head = match &chosen {
                Some((v, b, voters)) => format!(
                    "{slot}: chose {} at {b} (n{})",
                    value_words(v),
                    voters.iter().map(|n| (n + 1).to_string()).collect::<Vec<_>>().join(",n")
                ),
                None => slot.to_string(),
            };
            html! { <tr><th class={chosen.is_some().then_some("chosen")}>{ head }</th>{ cells }</tr> }
        })
        .collect();
    html! {
        <section class="panel slots">
            <h2>{ "Slots" }</h2>
            { if rows.is_empty() { html! { <p class="muted">{ "Nothing accepted yet." }</p> } } else { html! {
                <div class="scroll">
                    <table>
                        <thead><tr><th>{ "slot" }</th>{ for picture.nodes.iter().map(|n| html! { <th>{ format!("n{}", n.id + 1) }</th> }) }</tr></thead>
                        <tbody>{ body }</tbody>
                    </table>
                </div>
            } } }
            <p class="muted small">{ "Each cell: (ballot, value) the node accepted, or ✓ once it learned the slot. A highlighted row was chosen by a majority of votes — the quorum's cells are outlined." }</p>
        </section>
    }
}

/// Each invariant of the protocol, live.
pub fn safety(session: &Session, link: &Scope<App>) -> Html {
    let violations = session.sim().violations();
    let items: Html = session
        .sim()
        .invariants()
        .iter()
        .map(|&invariant| {
            let violation = violations.iter().find(|v| v.invariant == invariant);
            let whole = matches!(invariant, Invariant::Linearizable | Invariant::Liveness | Invariant::Available);
            match violation {
                Some(v) => {
                    let event = v.event;
                    html! {
                        <li class="bad" data-invariant={invariant.name()}>
                            <span class="mark">{ "✕" }</span>
                            <span><b>{ invariant.name() }</b>{ format!(" broken at event {event}: {}", v.message) }</span>
                            <button onclick={link.callback(move |_| Msg::Jump(event))}>{ "Jump" }</button>
                        </li>
                    }
                }
                None => html! {
                    <li class="ok" data-invariant={invariant.name()} title={format!("{} — {}", invariant.description(), invariant.source())}>
                        <span class="mark">{ "✓" }</span>
                        <span><b>{ invariant.name() }</b>{ if whole { " (checked on the whole history at each pause)" } else { "" } }</span>
                    </li>
                },
            }
        })
        .collect();
    let safe = violations.is_empty();
    html! {
        <section class={if safe { "panel safety" } else { "panel safety violated" }} id="safety">
            <h2>{ if safe { "Safety: every invariant holds" } else { "Safety: VIOLATED" } }</h2>
            <ul>{ items }</ul>
        </section>
    }
}

fn summary_row(label: &str, s: &Summary) -> Html {
    let per_op = s.messages_per_op_x100().map_or("–".to_string(), |x| format!("{}.{:02}", x / 100, x % 100));
    let delay = s.delay_percentile(50).map_or("–".to_string(), |d| d.to_string());
    let leaderless = if s.time == 0 {
        "–".to_string()
    } else {
        format!("{} ({}%)", time_words(s.leaderless_us), s.leaderless_us * 100 / s.time.max(1))
    };
    html! {
        <tr><th>{ label }</th><td data-stat="committed">{ s.completed }</td><td>{ per_op }</td><td>{ delay }</td><td>{ leaderless }</td></tr>
    }
}

/// The stats strip, and the side-by-side comparison.
pub fn stats(
    summary: Option<&Summary>,
    compare: Option<&[(ProtocolKind, Result<Summary, String>)]>,
    link: &Scope<App>,
) -> Html {
    html! {
        <section class="panel stats" id="stats">
            <h2>{ "Figures" }</h2>
            <table>
                <thead><tr><th></th><th>{ "committed" }</th><th>{ "msgs / cmd" }</th><th>{ "latency (msg delays, median)" }</th><th>{ "no leader" }</th></tr></thead>
                <tbody>
                    { for summary.map(|s| summary_row("this run", s)) }
                    { for compare.into_iter().flatten().map(|(p, r)| match r {
                        Ok(s) => summary_row(p.title(), s),
                        Err(e) => html! { <tr><th>{ p.title() }</th><td colspan="4">{ e }</td></tr> },
                    }) }
                </tbody>
            </table>
            <button id="compare" onclick={link.callback(|_| Msg::Compare)} title="Run this configuration and your actions so far on both protocols">
                { "Side by side: Multi-Paxos vs Raft" }
            </button>
        </section>
    }
}

/// Sending operations by hand, and the history of client operations.
pub fn clients(session: &Session, op_text: &str, selected: Option<u8>, link: &Scope<App>) -> Html {
    let operations = session.sim().history().operations();
    let shown = session.shown().unwrap_or(0);
    let rows: Html = operations
        .iter()
        .rev()
        .filter(|op| op.invoke.0 <= shown)
        .take(12)
        .map(|op| {
            let result = match op.ret {
                Some((id, time, outcome)) if id <= shown => {
                    let value = match outcome {
                        Outcome::Value(v) => v.to_string(),
                        Outcome::Done => "ok".to_string(),
                        Outcome::NotLeader { .. } => "not leader".to_string(),
                    };
                    (time_words(time), value)
                }
                _ => ("…".to_string(), "pending".to_string()),
            };
            html! {
                <tr><td>{ format!("c{}", op.client + 1) }</td><td>{ op.op.to_string() }</td><td>{ time_words(op.invoke.1) }</td><td>{ result.0 }</td><td>{ result.1 }</td></tr>
            }
        })
        .collect();
    let text =
        link.callback(|e: InputEvent| Msg::OpText(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
    let manual = session.sim().config().clients.manual > 0;
    html! {
        <section class="panel clients">
            <h2>{ "Clients" }</h2>
            { if manual { html! {
                <form class="send" onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::SendOp })}>
                    <input id="op" value={op_text.to_string()} oninput={text} aria-label="Operation" placeholder="get a · set a 5 · inc a 1" />
                    <button type="submit">{ match selected { Some(n) => format!("Send to n{}", n + 1), None => "Send to the leader".to_string() } }</button>
                </form>
            } } else { html! { <p class="muted">{ "This scenario has no client of yours." }</p> } } }
            <table class="history">
                <thead><tr><th>{ "client" }</th><th>{ "op" }</th><th>{ "invoked" }</th><th>{ "returned" }</th><th>{ "result" }</th></tr></thead>
                <tbody>{ rows }</tbody>
            </table>
            <p class="muted small">{ format!("{} operations so far; the background clients are set in the bar above.", operations.len()) }</p>
        </section>
    }
}

/// The runs of the session: acting in the past starts a branch.
pub fn branches(session: &Session, link: &Scope<App>) -> Html {
    if session.branches.len() < 2 {
        return html! {};
    }
    html! {
        <section class="panel branches">
            <h2>{ "Branches" }</h2>
            <ul>
                { for session.branches.iter().enumerate().map(|(i, b)| {
                    let label = match b.origin {
                        None => "the first run".to_string(),
                        Some((from, event)) => format!("from branch {} at event {event}", from + 1),
                    };
                    html! {
                        <li>
                            <button class={(i == session.current).then_some("primary")} onclick={link.callback(move |_| Msg::Branch(i))}>
                                { format!("Branch {}", i + 1) }
                            </button>
                            { format!(" {label} · {} actions", b.sim.actions().len()) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The help overlay's gestures and keys, and what they do.
const HELP_KEYS: [(&str, &str); 9] = [
    ("space", "play / pause"),
    ("← →", "one event back / forward"),
    ("c r p t", "crash, restart, pause/resume, time out the selected node (or the leader)"),
    ("h", "heal the network"),
    ("drag a node", "to an empty spot: its own island; onto another island: join it"),
    ("click a link", "cut it; shift-click: only the first → second direction; click again to repair"),
    ("click a message", "drop, duplicate or delay it; hover shows its contents"),
    ("timeline", "drag the cursor to scrub, wheel or pinch to zoom, drag to pan, click an arrow to select it"),
    ("?", "this help"),
];

/// The help overlay.
pub fn help(link: &Scope<App>) -> Html {
    html! {
        <div class="overlay" role="dialog" aria-label="Help" onclick={link.callback(|_| Msg::Help)}>
            <div class="help">
                <h2>{ "How to play" }</h2>
                <p>{ "Each circle is a server. Press Play: a leader (★) is elected by a majority, then commits the clients' commands by sending Accept messages and collecting Accepted replies from a majority. Break things and watch it cope — or, with an unsafe foil, watch the safety panel catch it." }</p>
                <dl>{ for HELP_KEYS.iter().map(|&(keys, what)| entry(keys, None, what.into())) }</dl>
                <p class="muted">{ "Every run is deterministic: the address bar holds the seed and your actions, so a link replays it exactly. Acting while scrubbed back starts a new branch; earlier branches stay selectable." }</p>
                <button>{ "Close" }</button>
            </div>
        </div>
    }
}

/// The share and export panel: the link to this moment (with its trace hash, so that two browsers
/// can be compared), the views a link shows, exports, and importing a run file.
pub fn share(sharing: &Sharing, view: View, link: &Scope<App>) -> Html {
    let hash = format!("{:016x}", sharing.hash);
    let view_choice = |v: View, label: &'static str| {
        html! {
            <label><input type="radio" name="view" checked={v == view} onchange={link.callback(move |_| Msg::View(v))} />{ label }</label>
        }
    };
    let import = link.callback(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        match input.files().and_then(|files| files.get(0)) {
            Some(file) => Msg::Import(file),
            None => Msg::Dismiss,
        }
    });
    html! {
        <div class="overlay" role="dialog" aria-label="Share and export">
            <div class="help share-panel" data-trace-hash={hash.clone()}>
                <h2>{ "Share this run" }</h2>
                <p class="muted">{ "The link replays this run exactly, up to the moment shown, in any browser — and on the command line with " }<code>{ "paxos replay --url" }</code>{ "." }</p>
                <div class="share-link">
                    <input id="share-link" readonly=true value={sharing.url.clone()} aria-label="Link to this run"
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().select())} />
                    <button id="copy-link" class="primary" onclick={link.callback(|_| Msg::CopyLink)}>{ if sharing.copied { "Copied ✓" } else { "Copy" } }</button>
                </div>
                <p class="muted">{ format!("{} characters · trace hash ", sharing.url.len()) }<code id="trace-hash">{ hash }</code></p>
                <fieldset class="views"><legend>{ "Show" }</legend>
                    { view_choice(View::Both, "cluster and timeline") }
                    { view_choice(View::Cluster, "cluster only") }
                    { view_choice(View::Timeline, "timeline only") }
                </fieldset>
                <h3>{ "Export" }</h3>
                <div class="exports">
                    { for Export::ALL.iter().map(|&(what, label)| html! {
                        <button data-export={label} onclick={link.callback(move |_| Msg::Export(what))}>{ label }</button>
                    }) }
                </div>
                <h3>{ "Import" }</h3>
                <p class="muted">{ "A run file (.json) exported here: pick it, or drop it anywhere on the page." }</p>
                <input id="import" type="file" accept=".json,application/json" onchange={import} />
                <p><button onclick={link.callback(|_| Msg::Share)}>{ "Close" }</button></p>
            </div>
        </div>
    }
}

/// One or two sentences on what the cluster view shows now, in plain words, for someone who has
/// never seen Paxos: who leads, what is split or down, how far the log got. Read from the
/// picture only (roles, islands, decided prefixes), so it holds for every protocol.
pub fn guide(picture: &Picture, playing: bool, protocol: ProtocolKind) -> Html {
    let name = |n: u8| format!("n{}", n + 1);
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
        let majority = islands.iter().find(|(_, m)| 2 * m.len() > total);
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
    html! { <p class="guide" aria-live="polite">{ parts.join(" ") }</p> }
}
