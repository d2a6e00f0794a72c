//! The views: functions and components that take props and a `Callback<Msg>` (never the page's
//! `Scope`), so that no view depends on the page that routes their messages.
//!
//! - [`cluster`] — the cluster view (SVG); [`timeline`] — the timeline's canvas element.
//! - [`setup`] — the setup bar; [`controls`] — play, step, speed, seek; [`stage`] — the scenario's
//!   card, the caption, the guide; [`overlays`] — the banner, help, the share panel.
//! - [`story`] — story mode's caption box, live region and highlights.
//! - [`panels`] — the side panels, each a [`panels::Panel`] component with `PartialEq` props.

pub mod author;
pub mod cluster;
pub mod controls;
pub mod overlays;
pub mod panels;
pub mod setup;
pub mod stage;
pub mod story;
pub mod timeline;

use yew::Callback;

use crate::msg::Msg;

/// A `class` attribute: the parts that are present, separated by spaces. Yew's `classes!` would
/// build an ordered hash set of them for every node drawn, at a cost of about 2 KB gzipped of
/// bundle and a SipHash of each class in every frame.
pub(crate) fn class_list(parts: &[Option<&str>]) -> String {
    let mut list = String::new();
    for part in parts.iter().flatten() {
        if !list.is_empty() {
            list.push(' ');
        }
        list.push_str(part);
    }
    list
}

/// A callback that sends the message `f` makes of an event, if it makes one.
pub(crate) fn maybe<E: 'static>(on: &Callback<Msg>, f: impl Fn(E) -> Option<Msg> + 'static) -> Callback<E> {
    let on = on.clone();
    Callback::from(move |e| {
        if let Some(msg) = f(e) {
            on.emit(msg);
        }
    })
}

/// A callback that sends `msg` whatever the event: one function for every button that sends a
/// fixed message, instead of a closure compiled for each.
pub(crate) fn send<E: 'static>(on: &Callback<Msg>, msg: Msg) -> Callback<E> {
    let on = on.clone();
    Callback::from(move |_| on.emit(msg.clone()))
}

/// A form's submit callback: the page handles it (no navigation) by sending `msg`.
pub(crate) fn submit(on: &Callback<Msg>, msg: Msg) -> Callback<yew::SubmitEvent> {
    let on = on.clone();
    Callback::from(move |e: yew::SubmitEvent| {
        e.prevent_default();
        on.emit(msg.clone());
    })
}

/// The text of the `<input>` (or `<select>`) an event came from.
pub(crate) fn input_value(e: &yew::Event) -> String {
    use yew::TargetCast;
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

#[cfg(test)]
mod tests {
    /// The parts present, in order, one space apart; nothing for none.
    #[test]
    fn class_lists_join_the_parts_present() {
        use super::class_list;
        assert_eq!(class_list(&[Some("node"), None, Some("down")]), "node down");
        assert_eq!(class_list(&[None, Some("quorum")]), "quorum");
        assert_eq!(class_list(&[None, None]), "");
    }
}
