//! The page's markup: where each view goes, with its props read from the page's state. The views
//! themselves are in `crate::components`.

use paxos_play::lang::Lang;
use paxos_play::share::Page;
use paxos_sim::Picture;
use web_sys::Element;
use yew::prelude::*;

use super::App;
use crate::components::{author, cluster, controls, overlays, panels, send, setup, stage, timeline};
use crate::i18n::{self, t};
use crate::layout::{HEIGHT, WIDTH};
use crate::model::Session;
use crate::msg::Msg;
use crate::state::sharing;

impl App {
    /// The whole page (or, embedded, the chrome-less one).
    pub(super) fn view_page(&self) -> Html {
        let on = &self.on;
        let banner = overlays::banner(&self.banner, on);
        let Some(lang) = i18n::current() else {
            // The words have not arrived yet: nothing to say (or only why they cannot).
            return html! { <div class="app" aria-busy="true">{ banner }</div> };
        };
        let loading = overlays::loading(self.loading.title());
        let waiting = self.loading.is_waiting();
        if self.page.embed {
            return html! {
                <div class="app embed">
                    { banner }
                    { loading }
                    { match &self.session {
                        Some(session) => self.view_embed(session),
                        None if waiting => html! {},
                        None => html! { <p class="empty">{ t("embed.cannot_show") }</p> },
                    } }
                </div>
            };
        }
        // A run file dropped anywhere on the page is imported.
        let dragover = Callback::from(|e: DragEvent| e.prevent_default());
        let drop = crate::components::maybe(on, |e: DragEvent| {
            e.prevent_default();
            e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)).map(Msg::Import)
        });
        html! {
            <div class="app" ondragover={dragover} ondrop={drop}>
                <header class="top">
                    <h1>{ t("page.title") }</h1>
                    { setup::setup_bar(&self.setup, on) }
                    <button id="share" onclick={send(on, Msg::Share(sharing::Msg::Toggle))} title={t("page.share_title")}>{ t("page.share") }</button>
                    <button class="help-button" onclick={send(on, Msg::Help)} title={t("page.help_title")}>{ "?" }</button>
                    { language_switch(lang, on) }
                </header>
                { banner }
                { loading }
                { match &self.session {
                    Some(session) => self.view_session(session),
                    None if waiting => html! {},
                    None => html! { <p class="empty">{ t("page.empty") }</p> },
                } }
                { if self.help { overlays::help(on) } else { html! {} } }
                { for self.share.panel.as_ref().map(|panel| overlays::share(panel, self.share.view, on)) }
            </div>
        }
    }

    /// The cluster view.
    fn cluster_view(&self, session: &Session, picture: &Picture) -> Html {
        let svg = self.dom.svg.clone();
        let to_canvas = move |x: i32, y: i32| -> (f64, f64) {
            let Some(element) = svg.cast::<Element>() else { return (0.0, 0.0) };
            let rect = element.get_bounding_client_rect();
            let scale = (WIDTH / rect.width()).max(HEIGHT / rect.height());
            let (ox, oy) = ((rect.width() * scale - WIDTH) / 2.0, (rect.height() * scale - HEIGHT) / 2.0);
            ((f64::from(x) - rect.left()) * scale - ox, (f64::from(y) - rect.top()) * scale - oy)
        };
        cluster::view(cluster::Props {
            picture,
            session,
            selected_node: self.gestures.selected_node,
            selected_msg: self.gestures.selected_msg,
            highlight: &self.story.highlight,
            drag: self.gestures.dragged(),
            menu: self.gestures.menu,
            svg: &self.dom.svg,
            menu_box: &self.dom.menu_box,
            to_canvas: std::rc::Rc::new(to_canvas),
            on: &self.on,
        })
    }

    /// The timeline's canvas.
    fn canvas(&self, session: &Session) -> Html {
        timeline::canvas(timeline::Props {
            canvas: &self.dom.canvas,
            head: session.sim().now(),
            cursor: session.cursor,
            window: self.viewport.window,
            on: &self.on,
        })
    }

    fn view_session(&self, session: &Session) -> Html {
        let on = &self.on;
        let Some(picture) = &self.shown.picture else { return html! {} };
        let view = self.share.view;
        html! {
            <main class={format!("layout view-{}", view.name())}>
                <section class="stage" aria-label={t("cluster.label")}>
                    { stage::scenario_card(session) }
                    { if view.cluster() { self.cluster_view(session, picture) } else { html! {} } }
                    { if session.scenario.is_none() { stage::guide(picture, self.playback.playing, session.sim().config().protocol) } else { html! {} } }
                    { self.view_story(session) }
                    { crate::components::story::narration(&self.story.narration) }
                    { controls::controls(session, self.playback.playing, self.playback.speed, on) }
                </section>
                { if view.timeline() { timeline::section(self.canvas(session), self.viewport.follow, on) } else { html! {} } }
                <aside class="side">
                    { for self.side.as_ref().map(|side| panels::view(side, on)) }
                    { author::view(author::Props {
                        authoring: &self.author,
                        session,
                        node: self.gestures.selected_node.map(paxos_sim::config::NodeName),
                        message: self.gestures.selected_msg,
                        on,
                    }) }
                </aside>
            </main>
        }
    }

    /// The chrome-less page for an iframe: the views the link asks for, sized to the frame, a
    /// compact control strip, and a link to the full playground.
    fn view_embed(&self, session: &Session) -> Html {
        let Some(picture) = &self.shown.picture else { return html! {} };
        let full = self.shared().map(|shared| format!("./{}", shared.to_query(&Page::default()))).unwrap_or_default();
        let open = html! {
            <a class="open-full" href={full} target="_blank" rel="noopener" title={t("embed.open_title")} aria-label={t("embed.open_label")}>{ t("embed.open") }</a>
        };
        let controls = if self.page.controls {
            controls::embed_controls(session, self.playback.playing, open, &self.on)
        } else {
            html! { <nav class="embed-controls bare">{ open }</nav> }
        };
        let view = self.share.view;
        html! {
            <main class={format!("embed-layout view-{}", view.name())}>
                { if view.cluster() {
                    html! { <section class="stage" aria-label={t("cluster.label")}>{ self.cluster_view(session, picture) }</section> }
                } else { html! {} } }
                { if view.timeline() {
                    html! { <section class="timeline" aria-label={t("timeline.label")}>{ self.canvas(session) }</section> }
                } else { html! {} } }
                { self.view_story(session) }
                { crate::components::story::narration(&self.story.narration) }
                { controls }
            </main>
        }
    }
}

/// The language switch: each language named in itself.
fn language_switch(lang: Lang, on: &Callback<Msg>) -> Html {
    let change = on.reform(|e: Event| {
        let code = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        Msg::Lang(Lang::parse(&code).unwrap_or_default())
    });
    html! {
        <select id="lang" class="lang" aria-label={t("page.language")} title={t("page.language")} onchange={change}>
            { for Lang::ALL.iter().map(|l| html! {
                <option value={l.code()} selected={*l == lang} lang={l.code()}>{ l.name() }</option>
            }) }
        </select>
    }
}
