//! The page's side of the embed API (`paxos_play::embed`, documented in the README): commands from
//! the window that embeds the page arrive as [`Msg::Host`]; [`Host::tell`] posts events back to it.
//!
//! Only the embedding window is listened to (a message whose `source` is not `window.parent` is
//! ignored: another frame or a script of the page's own cannot drive it), and events go only to it.
//! A page that is not in a frame neither listens nor posts. What arrives crosses the JavaScript
//! boundary as JSON text (`JSON.stringify`) read by paxos-json into typed values, the same reader as
//! links and run files: a malformed message is an `error` event back, never a panic.

use paxos_json::{self as json};
use paxos_play::embed::{self, Event};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::js_sys::{JSON, Object};
use yew::Callback;

use crate::browser::window;
use crate::msg::Msg;

/// The listener on `message` events, and the events already told (each is told once per change).
#[derive(Default)]
pub struct Host {
    listener: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    /// The caption last told, so that one is told once.
    pub told_caption: Option<usize>,
    /// Whether a violation was told for this run.
    pub told_violation: bool,
    /// Whether `ready` was told.
    pub told_ready: bool,
}

impl Host {
    /// Listens to the embedding window, if the page is in a frame.
    pub fn listen(&mut self, on: &Callback<Msg>) {
        let Some((window, parent)) = frame() else { return };
        let send = on.clone();
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let from_parent = e.source().is_some_and(|source| Object::is(&source, &parent));
            if !from_parent {
                return;
            }
            let Some(text) = JSON::stringify(&e.data()).ok().and_then(|text| text.as_string()) else { return };
            if let Some(received) = embed::receive(&text) {
                send.emit(Msg::Host(received));
            }
        });
        let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        self.listener = Some(listener);
    }

    /// Whether the page is in a frame and listens to it.
    pub fn active(&self) -> bool {
        self.listener.is_some()
    }

    /// Posts `event` to the embedding window (nothing if the page is not in a frame).
    pub fn tell(&self, event: &Event) {
        if !self.active() {
            return;
        }
        let Some((_, parent)) = frame() else { return };
        let Ok(value) = JSON::parse(&json::to_string(event)) else { return };
        // The target is the embedding window itself; its origin is not known before it speaks,
        // and nothing in an event is private to the page.
        // Unchecked: a window of another origin is no `instanceof Window` in this one's realm.
        let _ = parent.unchecked_ref::<web_sys::Window>().post_message(&value, "*");
    }

    /// Stops listening.
    pub fn remove(&mut self) {
        if let (Some(listener), Some(window)) = (self.listener.take(), window()) {
            let _ = window.remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        }
    }
}

/// The page's window and the window that embeds it, if the page is in a frame.
fn frame() -> Option<(web_sys::Window, Object)> {
    let window = window()?;
    let parent: Object = window.parent().ok()??.into();
    if Object::is(&parent, &window) {
        return None;
    }
    Some((window, parent))
}
