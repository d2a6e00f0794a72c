//! The keyboard shortcuts (listed in the help overlay): what each key asks of the page.

use paxos_core::{NodeId, Role};
use paxos_sim::Picture;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::world::Status;
use wasm_bindgen::JsCast;

use crate::msg::Msg;
use crate::state::{playback, story};

/// What a key does.
pub enum Shortcut {
    /// Not a shortcut: the key does what it does in the browser.
    None,
    /// Close what is open (help, the share panel, the node menu, the message popover); the
    /// browser has the key too.
    Escape,
    /// A shortcut: the browser's default is prevented, and this is sent (nothing if the key acts
    /// on a node and there is none to act on).
    Send(Option<Msg>),
}

/// The name of the key pressed, unless it is not for the page: with Ctrl, ⌘ or Alt (the
/// browser's), typed into a field, or space and Enter on a focused button (a click). Escape is
/// always the page's.
pub fn pressed(key: &web_sys::KeyboardEvent) -> Option<String> {
    if key.ctrl_key() || key.meta_key() || key.alt_key() {
        return None;
    }
    let tag =
        key.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.tag_name()).unwrap_or_default();
    let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
    let name = key.key();
    let pressing = tag == "BUTTON" && matches!(name.as_str(), " " | "Enter");
    ((!typing && !pressing) || name == "Escape").then_some(name)
}

/// The node keys act on — the `selected` one, else the leader `picture` shows — and whether it
/// is paused.
pub fn target(selected: Option<NodeId>, picture: Option<&Picture>) -> (Option<NodeName>, bool) {
    let Some(picture) = picture else { return (selected.map(NodeName), false) };
    let node = selected
        .or_else(|| picture.nodes.iter().find(|n| n.role == Role::Leader && n.status == Status::Up).map(|n| n.id));
    let paused = node.and_then(|n| picture.nodes.get(usize::from(n))).is_some_and(|n| n.status == Status::Paused);
    (node.map(NodeName), paused)
}

/// The shortcut of key `name`, acting on `node` (the selected node, else the leader), which is
/// `paused` or not.
pub fn shortcut(name: &str, node: Option<NodeName>, paused: bool) -> Shortcut {
    let act = |fault: fn(NodeName) -> Fault| Shortcut::Send(node.map(|node| Msg::Act(fault(node))));
    match name {
        " " => Shortcut::Send(Some(Msg::Playback(playback::Msg::Toggle))),
        "ArrowRight" => Shortcut::Send(Some(Msg::StepForward)),
        "ArrowLeft" => Shortcut::Send(Some(Msg::StepBack)),
        "c" => act(|node| Fault::Crash { node }),
        "r" => act(|node| Fault::Restart { node }),
        "p" if paused => act(|node| Fault::Resume { node }),
        "p" => act(|node| Fault::Pause { node }),
        "t" => act(|node| Fault::Timeout { node }),
        "h" => Shortcut::Send(Some(Msg::Act(Fault::Heal {}))),
        "n" => Shortcut::Send(Some(Msg::Story(story::Msg::Next))),
        "b" => Shortcut::Send(Some(Msg::Story(story::Msg::Back))),
        "?" => Shortcut::Send(Some(Msg::Help)),
        "Escape" => Shortcut::Escape,
        _ => Shortcut::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(shortcut: Shortcut) -> Option<Fault> {
        match shortcut {
            Shortcut::Send(Some(Msg::Act(fault))) => Some(fault),
            _ => None,
        }
    }

    /// The node keys act on the node given; p pauses or resumes; without a node they do nothing
    /// (but are still the page's); other keys are left to the browser.
    /// Keys act on the selected node, else on the leader; p knows whether it is paused.
    #[test]
    fn keys_act_on_the_selected_node_or_the_leader() {
        use crate::model::{Session, Setup};
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        session.seek(2_000_000);
        let picture = session.picture();
        let leader = picture.nodes.iter().find(|n| n.role == Role::Leader).map(|n| NodeName(n.id));
        assert!(leader.is_some(), "a leader after two seconds");
        assert_eq!(target(None, Some(&picture)), (leader, false));
        assert_eq!(target(Some(3), Some(&picture)), (Some(NodeName(3)), false));
        session.act(&Fault::Pause { node: NodeName(3) }).expect("a pause");
        assert_eq!(target(Some(3), Some(&session.picture())), (Some(NodeName(3)), true));
        assert_eq!(target(None, None), (None, false));
    }

    #[test]
    fn node_keys_act_on_the_node() {
        let n = Some(NodeName(2));
        assert_eq!(fault(shortcut("c", n, false)), Some(Fault::Crash { node: NodeName(2) }));
        assert_eq!(fault(shortcut("p", n, false)), Some(Fault::Pause { node: NodeName(2) }));
        assert_eq!(fault(shortcut("p", n, true)), Some(Fault::Resume { node: NodeName(2) }));
        assert_eq!(fault(shortcut("h", None, false)), Some(Fault::Heal {}));
        assert!(matches!(shortcut("t", None, false), Shortcut::Send(None)));
        assert!(matches!(shortcut(" ", None, false), Shortcut::Send(Some(Msg::Playback(playback::Msg::Toggle)))));
        assert!(matches!(shortcut("x", n, false), Shortcut::None));
        assert!(matches!(shortcut("n", None, false), Shortcut::Send(Some(Msg::Story(story::Msg::Next)))));
        assert!(matches!(shortcut("b", None, false), Shortcut::Send(Some(Msg::Story(story::Msg::Back)))));
        assert!(matches!(shortcut("Escape", n, false), Shortcut::Escape));
    }
}
