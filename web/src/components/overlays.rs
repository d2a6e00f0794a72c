//! What lies over the page: the banner (errors and notes), the scenario being fetched, the help,
//! and the share and export panel.

use paxos_play::share::{Theme, View};
use yew::prelude::*;

use crate::components::send;
use crate::i18n::{t, tf};
use crate::msg::Msg;
use crate::state::banner::Banner;
use crate::state::sharing::{self, Export, Sharing};
use paxos_play::snippet::{HEIGHT_MAX, HEIGHT_MIN};
use wasm_bindgen::JsCast;

/// The banner: the error and the notes, with a button that dismisses them.
pub fn banner(banner: &Banner, on: &Callback<Msg>) -> Html {
    if banner.is_empty() {
        return html! {};
    }
    html! {
        <div class="banner" role="alert">
            { for banner.error.iter().map(|e| html! { <p>{ e }</p> }) }
            { for banner.notes.iter().map(|n| html! { <p>{ n }</p> }) }
            <button onclick={send(on, Msg::Dismiss)} aria-label={t("banner.dismiss")}>{ "×" }</button>
        </div>
    }
}

/// A scenario's file on its way: its title, while the current run (if any) stays.
pub fn loading(title: Option<&str>) -> Html {
    match title {
        Some(title) => {
            html! { <p class="empty loading" role="status">{ tf("page.loading_scenario", &[("title", &title)]) }</p> }
        }
        None => html! {},
    }
}

/// The help overlay's gestures and keys (`keys.<name>` is the gesture or key, `keys.<name>_what`
/// what it does).
pub const HELP_KEYS: [&str; 9] = ["space", "arrows", "nodes", "heal", "drag", "link", "message", "timeline", "help"];

/// The help overlay.
pub fn help(on: &Callback<Msg>) -> Html {
    html! {
        <div class="overlay" role="dialog" aria-label={t("help.label")} onclick={send(on, Msg::Help)}>
            <div class="help">
                <h2>{ t("help.title") }</h2>
                <p>{ t("help.intro") }</p>
                <dl>{ for HELP_KEYS.iter().map(|name| html! {
                    <><dt>{ t(&format!("keys.{name}")) }</dt><dd>{ t(&format!("keys.{name}_what")) }</dd></>
                }) }</dl>
                { crate::components::story::help_keys() }
                <p class="muted">{ t("help.deterministic") }</p>
                <button>{ t("help.close") }</button>
            </div>
        </div>
    }
}

/// The share and export panel: the link to this moment (with its trace hash, so that two browsers
/// can be compared), the views a link shows, exports, and importing a run file.
pub fn share(sharing: &Sharing, view: View, on: &Callback<Msg>) -> Html {
    let hash = format!("{:016x}", sharing.hash);
    let view_choice = |v: View, label: String| {
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
        <div class="overlay" role="dialog" aria-label={t("share.label")}>
            <div class="help share-panel" data-trace-hash={hash.clone()}>
                <h2>{ t("share.title") }</h2>
                <p class="muted">{ t("share.intro") }<code>{ "paxos replay --url" }</code>{ t("share.intro_end") }</p>
                <div class="share-link">
                    <input id="share-link" readonly=true value={sharing.url.clone()} aria-label={t("share.link")}
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().select())} />
                    <button id="copy-link" class="primary" onclick={send(on, Msg::Share(sharing::Msg::Copy))}>{ if sharing.copied { t("share.copied") } else { t("share.copy") } }</button>
                </div>
                <p class="muted">{ tf("share.length", &[("count", &sharing.url.len())]) }{ " " }<code id="trace-hash">{ hash }</code></p>
                <fieldset class="views"><legend>{ t("share.show") }</legend>
                    { view_choice(View::Both, t("share.both")) }
                    { view_choice(View::Cluster, t("share.cluster_only")) }
                    { view_choice(View::Timeline, t("share.timeline_only")) }
                </fieldset>
                { embed(sharing, on) }
                <h3>{ t("share.export") }</h3>
                <div class="exports">
                    { for Export::ALL.iter().map(|&(what, name)| html! {
                        <button data-export={name} onclick={send(on, Msg::Export(what))}>{ t(&format!("share.exports.{name}")) }</button>
                    }) }
                </div>
                <h3>{ t("share.import") }</h3>
                <p class="muted">{ t("share.import_hint") }</p>
                <input id="import" type="file" accept=".json,application/json" aria-label={t("share.import")} onchange={import} />
                <p><button onclick={send(on, Msg::Share(sharing::Msg::Toggle))}>{ t("share.close") }</button></p>
            </div>
        </div>
    }
}

/// The share panel's Embed section: the options, the `<iframe>` snippet they make, its Copy, and a
/// small live preview of the embed (on request: it loads a second playground).
fn embed(sharing: &Sharing, on: &Callback<Msg>) -> Html {
    let options = sharing.options;
    // One listener for the whole fieldset (change events bubble): each control is told by its id.
    let change = on.reform(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let mut o = options;
        match input.id().as_str() {
            "embed-view" => {
                let index = input.unchecked_ref::<web_sys::HtmlSelectElement>().selected_index();
                o.view = [View::Both, View::Cluster, View::Timeline].get(index as usize).copied().unwrap_or_default();
            }
            "embed-theme" => {
                let index = input.unchecked_ref::<web_sys::HtmlSelectElement>().selected_index();
                o.theme = Theme::ALL.get(index as usize).copied().unwrap_or_default();
            }
            "embed-autoplay" => o.autoplay = input.checked(),
            "embed-from_start" => o.from_start = input.checked(),
            "embed-controls" => o.controls = input.checked(),
            _ => o.height = input.value().parse().unwrap_or(o.height),
        }
        Msg::Share(sharing::Msg::Embed(o))
    });
    let check = |id: &'static str, key: &str, checked: bool| {
        html! { <label><input type="checkbox" {id} {checked} />{ t(key) }</label> }
    };
    let snippet = sharing.snippet();
    html! {
        <>
            <h3>{ t("share.embed.title") }</h3>
            <fieldset class="embed-options" onchange={change}><legend>{ t("share.embed.options") }</legend>
                <label>{ t("share.show") }{ " " }<select id="embed-view">
                    { for [(View::Both, "both"), (View::Cluster, "cluster_only"), (View::Timeline, "timeline_only")].iter().map(|&(v, key)| html! {
                        <option selected={v == options.view}>{ t(&format!("share.{key}")) }</option>
                    }) }
                </select></label>
                <label>{ t("share.embed.theme") }{ " " }<select id="embed-theme">
                    { for Theme::ALL.iter().map(|&theme| html! {
                        <option selected={theme == options.theme}>{ t(&format!("share.embed.theme_{}", theme.name())) }</option>
                    }) }
                </select></label>
                { check("embed-autoplay", "share.embed.autoplay", options.autoplay) }
                { check("embed-from_start", "share.embed.from_start", options.from_start) }
                { check("embed-controls", "share.embed.controls", options.controls) }
                <label>{ t("share.embed.height") }{ " " }<input id="embed-height" type="number" min={HEIGHT_MIN.to_string()} max={HEIGHT_MAX.to_string()} step="20" value={options.height.to_string()} /></label>
            </fieldset>
            <div class="share-link">
                <textarea id="embed-snippet" readonly=true rows="3" value={snippet} aria-label={t("share.embed.snippet")} />
                <button id="copy-snippet" class="primary" onclick={send(on, Msg::Share(sharing::Msg::CopySnippet))}>{ if sharing.snippet_copied { t("share.copied") } else { t("share.copy") } }</button>
            </div>
            <button id="embed-preview" aria-pressed={sharing.preview.to_string()} onclick={send(on, Msg::Share(sharing::Msg::Preview))}>{ t("share.embed.show_preview") }</button>
            if sharing.preview {
                <iframe class="embed-preview" src={sharing.embed_url()} title={t("share.embed.preview")} loading="lazy" sandbox="allow-scripts allow-same-origin" />
            }
        </>
    }
}
