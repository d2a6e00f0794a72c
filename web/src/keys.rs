//! The keyboard shortcuts (listed in the help overlay): what each key asks of the page.

use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;

use crate::msg::Msg;
use crate::state::playback;

/// What a key does.
pub enum Shortcut {
    /// Not a shortcut: the key does what it does in the browser.
    None,
    /// A shortcut: the browser's default is prevented, and this is sent (nothing if the key acts
    /// on a node and there is none to act on).
    Send(Option<Msg>),
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
        "?" => Shortcut::Send(Some(Msg::Help)),
        "Escape" => Shortcut::Send(Some(Msg::Escape)),
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
    }
}
