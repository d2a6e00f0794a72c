//! The page's ties to the browser that are not markup: the address bar, the clock, the colour
//! scheme, listeners on the document (keys, a hidden tab), the timeline's wheel listener, and
//! animation frames. Each sends the page's messages through a `Callback<Msg>`.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, KeyboardEvent, WheelEvent};
use yew::{Callback, NodeRef};

use crate::msg::Msg;
use crate::state::{playback, viewport};

/// A listener on the document.
type Listener = Closure<dyn FnMut(web_sys::Event)>;
/// The timeline's wheel listener.
type WheelListener = Closure<dyn FnMut(WheelEvent)>;

/// The browser window, if there is one.
pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Milliseconds since the page loaded.
pub fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Whether the page is shown in a dark colour scheme: the link's `theme=` (see [`set_theme`]),
/// else the system's.
pub fn dark_scheme() -> bool {
    let root = window().and_then(|w| w.document()).and_then(|d| d.document_element());
    match root.and_then(|root| root.get_attribute("data-theme")).as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches()),
    }
}

/// Shows the page in `theme`'s colours (`<html data-theme>`, which web/style.css reads).
pub fn set_theme(theme: paxos_play::share::Theme) {
    if let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme.name());
    }
}

/// The address's query (`?…`), or nothing.
pub fn query() -> String {
    window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The page's address without its query: origin and path.
pub fn base() -> String {
    let location = window().map(|w| w.location());
    let base = location.map(|l| format!("{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default()));
    base.unwrap_or_default()
}

/// Puts `query` in the address bar, without a new history entry.
pub fn write_address(query: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}

/// A fresh seed from the browser's cryptographic randomness (through getrandom): below 2³², so that
/// it stays short in a link. Randomness stays here, out of the simulator: the seed it draws is shown
/// and goes into the link, so the run still replays exactly.
pub fn fresh_seed() -> Result<u64, String> {
    let mut bytes = [0u8; 4];
    getrandom::getrandom(&mut bytes).map_err(|e| e.to_string())?;
    Ok(u64::from(u32::from_le_bytes(bytes)))
}

/// What the page remembered under `key` in this browser (`localStorage`), if it may remember.
pub fn remembered(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Remembers `value` under `key` (nothing if the browser forbids storage, as in some embeds).
pub fn remember(key: &str, value: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// The reader's languages, most preferred first (`navigator.languages`).
pub fn languages() -> Vec<String> {
    let Some(window) = window() else { return Vec::new() };
    window.navigator().languages().iter().filter_map(|tag| tag.as_string()).collect()
}

/// Sets the document's language (`<html lang>`), for screen readers, fonts and line breaking, and
/// the words web/panic.js shows if the wasm traps (`<html data-panic>`, with `{info}` still to fill).
pub fn set_document_lang(code: &str, panic_words: &str) {
    if let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
        let _ = root.set_attribute("data-panic", panic_words);
    }
}

/// Sets the document's title (the tab's name), in the reader's language.
pub fn set_document_title(title: &str) {
    if let Some(document) = window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// The page's element references and listeners.
#[derive(Default)]
pub struct Dom {
    /// The timeline's canvas.
    pub canvas: NodeRef,
    /// The cluster view's SVG.
    pub svg: NodeRef,
    /// The node menu's box, placed after each render (see `components::cluster::place_menu`).
    pub menu_box: NodeRef,
    raf: Option<Closure<dyn FnMut(f64)>>,
    listeners: Vec<(&'static str, Listener)>,
    /// The timeline's wheel listener (not passive, so the page does not scroll), and the canvas it is on.
    wheel: Option<(Element, WheelListener)>,
}

impl Dom {
    /// Listens to keys and to the tab being hidden (which pauses).
    pub fn listen(&mut self, on: &Callback<Msg>) {
        let Some(document) = window().and_then(|w| w.document()) else { return };
        let send = on.clone();
        let keys = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            if let Ok(key) = e.dyn_into::<KeyboardEvent>() {
                send.emit(Msg::Key(key));
            }
        });
        let _ = document.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        self.listeners.push(("keydown", keys));
        let send = on.clone();
        let hidden = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if window().and_then(|w| w.document()).is_some_and(|d| d.hidden()) {
                send.emit(Msg::Playback(playback::Msg::Pause));
            }
        });
        let _ = document.add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
        self.listeners.push(("visibilitychange", hidden));
    }

    /// Keeps the wheel listener on the timeline's canvas (the canvas is re-created when a session
    /// starts). Embedded in a page (`embed`), the wheel scrolls that page unless Ctrl (or ⌘) is
    /// held: no scroll trap.
    pub fn attach_wheel(&mut self, embed: bool, on: &Callback<Msg>) {
        let canvas = self.canvas.cast::<Element>();
        if self.wheel.as_ref().map(|(on, _)| on) == canvas.as_ref() {
            return;
        }
        if let Some((old, closure)) = self.wheel.take() {
            let _ = old.remove_event_listener_with_callback("wheel", closure.as_ref().unchecked_ref());
        }
        let Some(canvas) = canvas else { return };
        let send = on.clone();
        let wheel = Closure::<dyn FnMut(WheelEvent)>::new(move |e: WheelEvent| {
            if embed && !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            send.emit(Msg::Timeline(viewport::Msg::Wheel(f64::from(e.offset_x()), e.delta_y())));
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = canvas.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            wheel.as_ref().unchecked_ref(),
            &options,
        );
        self.wheel = Some((canvas, wheel));
    }

    /// Asks for an animation frame, unless one is asked for already.
    pub fn request_frame(&mut self, on: &Callback<Msg>) {
        if self.raf.is_some() {
            return;
        }
        let send = on.clone();
        let closure = Closure::<dyn FnMut(f64)>::new(move |ts: f64| send.emit(Msg::Frame(ts)));
        if let Some(w) = window() {
            let _ = w.request_animation_frame(closure.as_ref().unchecked_ref());
        }
        self.raf = Some(closure);
    }

    /// The frame asked for came.
    pub fn frame_came(&mut self) {
        self.raf = None;
    }

    /// The canvas's element and its CSS size, if it is shown.
    pub fn canvas_size(&self) -> Option<(web_sys::HtmlCanvasElement, f64, f64)> {
        let canvas = self.canvas.cast::<web_sys::HtmlCanvasElement>()?;
        let (w, h) = (f64::from(canvas.client_width()), f64::from(canvas.client_height()));
        Some((canvas, w, h))
    }

    /// Removes every listener.
    pub fn remove(&mut self) {
        if let Some(document) = window().and_then(|w| w.document()) {
            for (name, closure) in &self.listeners {
                let _ = document.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
        }
        if let Some((canvas, wheel)) = self.wheel.take() {
            let _ = canvas.remove_event_listener_with_callback("wheel", wheel.as_ref().unchecked_ref());
        }
    }
}
