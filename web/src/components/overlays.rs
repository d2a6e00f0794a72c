//! What lies over the page: the banner (errors and notes), the scenario being fetched, the help,
//! and the share and export panel.

use paxos_play::share::View;
use yew::prelude::*;

use crate::components::send;
use crate::msg::Msg;
use crate::state::banner::Banner;
use crate::state::sharing::{self, Export, Sharing};

/// The banner: the error and the notes, with a button that dismisses them.
pub fn banner(banner: &Banner, on: &Callback<Msg>) -> Html {
    if banner.is_empty() {
        return html! {};
    }
    html! {
        <div class="banner" role="alert">
            { for banner.error.iter().map(|e| html! { <p>{ e }</p> }) }
            { for banner.notes.iter().map(|n| html! { <p>{ n }</p> }) }
            <button onclick={send(on, Msg::Dismiss)} aria-label="Dismiss">{ "×" }</button>
        </div>
    }
}

/// A scenario's file on its way: its title, while the current run (if any) stays.
pub fn loading(title: Option<&str>) -> Html {
    match title {
        Some(title) => {
            html! { <p class="empty loading" role="status">{ format!("Loading the scenario “{title}”…") }</p> }
        }
        None => html! {},
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
pub fn help(on: &Callback<Msg>) -> Html {
    html! {
        <div class="overlay" role="dialog" aria-label="Help" onclick={send(on, Msg::Help)}>
            <div class="help">
                <h2>{ "How to play" }</h2>
                <p>{ "Each circle is a server. Press Play: a leader (★) is elected by a majority, then commits the clients' commands by sending Accept messages and collecting Accepted replies from a majority. Break things and watch it cope — or, with an unsafe foil, watch the safety panel catch it." }</p>
                <dl>{ for HELP_KEYS.iter().map(|&(keys, what)| html! { <><dt>{ keys }</dt><dd>{ what }</dd></> }) }</dl>
                { crate::components::story::help_keys() }
                <p class="muted">{ "Every run is deterministic: the address bar holds the seed and your actions, so a link replays it exactly. Acting while scrubbed back starts a new branch; earlier branches stay selectable." }</p>
                <button>{ "Close" }</button>
            </div>
        </div>
    }
}

/// The share and export panel: the link to this moment (with its trace hash, so that two browsers
/// can be compared), the views a link shows, exports, and importing a run file.
pub fn share(sharing: &Sharing, view: View, on: &Callback<Msg>) -> Html {
    let hash = format!("{:016x}", sharing.hash);
    let view_choice = |v: View, label: &'static str| {
        html! {
            <label><input type="radio" name="view" checked={v == view} onchange={send(on, Msg::Share(sharing::Msg::View(v)))} />{ label }</label>
        }
    };
    let import = on.reform(|e: Event| {
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
                    <button id="copy-link" class="primary" onclick={send(on, Msg::Share(sharing::Msg::Copy))}>{ if sharing.copied { "Copied ✓" } else { "Copy" } }</button>
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
                        <button data-export={label} onclick={send(on, Msg::Export(what))}>{ label }</button>
                    }) }
                </div>
                <h3>{ "Import" }</h3>
                <p class="muted">{ "A run file (.json) exported here: pick it, or drop it anywhere on the page." }</p>
                <input id="import" type="file" accept=".json,application/json" onchange={import} />
                <p><button onclick={send(on, Msg::Share(sharing::Msg::Toggle))}>{ "Close" }</button></p>
            </div>
        </div>
    }
}
