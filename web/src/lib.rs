//! The Paxos playground's web front end: a Yew app that renders snapshots of the simulator.
//!
//! It holds no protocol logic. It shows `paxos_sim::Picture`s of the world at a moment (the cluster
//! view), the trace (the timeline), the checkers' verdicts (the safety panel) and the client history,
//! and turns gestures into `paxos_sim::Fault` actions taken through `Simulation::act`.
//!
//! - [`model`] — the session: runs, branches, the time cursor (plain Rust, tested natively).
//! - [`pen`] — what the timeline draws with: the canvas, or SVG for export.
//! - [`layout`] — where nodes and islands go, and what a drag means.
//! - [`cluster`], [`timeline`], [`panels`] — the views; [`app`] — the component that owns it all.

pub mod app;
pub mod cluster;
pub mod export;
pub mod layout;
mod math;
pub mod model;
pub mod panels;
pub mod pen;
pub mod timeline;

pub use app::App;

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

/// Shows a panic as a readable message on the page (and in the console) instead of a dead page:
/// with `panic = "abort"` the app cannot go on, but the person can read what happened and reload.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(body) = document.body() else { return };
        if let Ok(element) = document.create_element("div") {
            element.set_class_name("panic");
            element.set_attribute("role", "alert").ok();
            element.set_text_content(Some(&format!(
                "The playground hit a bug and stopped: {info}. Reload the page to start again (the address keeps your run); \
                 please report it with this address."
            )));
            let _ = body.prepend_with_node_1(&element);
        }
    }));
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
