//! The cluster view's gestures: the node and message selected, a node's open menu, a node being
//! dragged to another island, and a click on a link.
//!
//! Plain Rust: [`Gestures::update`] reads the picture shown (for the layout) and returns the
//! `Fault` a gesture means, for the page to take.

use paxos_core::NodeId;
use paxos_sim::Picture;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::trace::MsgId;
use paxos_sim::world::Status;

use crate::layout::{self, Layout};

/// A point in the cluster view's units.
pub type Point = (f64, f64);

/// Below this distance (cluster units) from where it was pressed, a released node was clicked, not dragged.
const CLICK_SLOP: f64 = 6.0;

/// A message of the cluster view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Msg {
    /// Select a message (or none).
    SelectMessage(Option<MsgId>),
    /// Pointer down on a node at (x, y).
    DragStart(NodeId, f64, f64),
    /// The pointer moved over the cluster view.
    DragMove(f64, f64),
    /// The pointer was released over the cluster view.
    DragEnd(f64, f64),
    /// Open a node's menu (or close it).
    Menu(Option<NodeId>),
    /// A link was clicked: cut it (one way, from the first to the second, if the flag is set), or
    /// repair it if it is cut.
    Link(NodeId, NodeId, bool),
    /// Close the menu and the message's popover (Escape).
    Close,
}

/// What a message did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Nothing to redraw.
    None,
    /// Redraw.
    Redraw,
    /// Take this action.
    Act(Fault),
}

/// A node being dragged.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    node: NodeId,
    /// Its centre when pressed.
    centre: Point,
    /// Where it was pressed.
    press: Point,
    /// Where the pointer is.
    at: Point,
}

/// The cluster view's selection, menu and drag.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gestures {
    /// The node inspected (and the one keys act on).
    pub selected_node: Option<NodeId>,
    /// The message whose popover is open.
    pub selected_msg: Option<MsgId>,
    /// The node whose menu is open.
    pub menu: Option<NodeId>,
    drag: Option<Drag>,
}

impl Gestures {
    /// Handles a message about the world `picture` shows.
    pub fn update(&mut self, msg: Msg, picture: Option<&Picture>) -> Outcome {
        match msg {
            Msg::SelectMessage(msg) => self.selected_msg = msg,
            Msg::DragStart(node, x, y) => {
                let Some(picture) = picture else { return Outcome::None };
                let layout = Layout::new(picture.nodes.len() as u8, picture.islands, 0);
                self.drag = Some(Drag { node, centre: layout.nodes[usize::from(node)], press: (x, y), at: (x, y) });
                self.menu = None;
                return Outcome::None;
            }
            Msg::DragMove(x, y) => {
                let Some(drag) = &mut self.drag else { return Outcome::None };
                drag.at = (x, y);
            }
            Msg::DragEnd(x, y) => {
                let Some(Drag { node, centre, press, .. }) = self.drag.take() else { return Outcome::None };
                let Some(picture) = picture else { return Outcome::Redraw };
                if ((x - press.0).powi(2) + (y - press.1).powi(2)).sqrt() < CLICK_SLOP {
                    self.selected_node = Some(node);
                    return Outcome::Redraw;
                }
                let nodes = picture.nodes.len() as u8;
                let layout = Layout::new(nodes, picture.islands, 0);
                // Where the node's centre lands (it moves with the pointer, keeping where it was grabbed).
                let landed = (centre.0 + x - press.0, centre.1 + y - press.1);
                if let Some(target) = layout.drop_target(node, landed) {
                    return Outcome::Act(layout::move_node(nodes, picture.islands, node, target));
                }
            }
            Msg::Menu(node) => {
                self.menu = node;
                if node.is_some() {
                    self.selected_node = node;
                }
            }
            Msg::Link(a, b, one_way) => {
                let Some(picture) = picture else { return Outcome::None };
                let (from, to) = (NodeName(a), NodeName(b));
                let cut = picture.cuts.contains(&(a, b)) || picture.cuts.contains(&(b, a));
                return Outcome::Act(if cut {
                    Fault::Repair { from, to, both: true }
                } else {
                    Fault::Cut { from, to, both: !one_way }
                });
            }
            Msg::Close => {
                self.menu = None;
                self.selected_msg = None;
            }
        }
        Outcome::Redraw
    }

    /// Nothing open, node `selected` selected.
    pub fn selecting(selected: Option<NodeId>) -> Gestures {
        Gestures { selected_node: selected, ..Gestures::default() }
    }

    /// The node being dragged and where its centre is now.
    pub fn dragged(&self) -> Option<(NodeId, Point)> {
        self.drag.map(|d| (d.node, (d.centre.0 + d.at.0 - d.press.0, d.centre.1 + d.at.1 - d.press.1)))
    }
}

/// What can be done to a node that is `status`: the fault, and its name in the catalogue (its label
/// in the inspector is `actions.<name>`, in the node's menu, with its key, `actions.<name>_menu`).
pub fn node_actions(node: NodeName, status: Status) -> Vec<(Fault, &'static str)> {
    match status {
        Status::Down => vec![(Fault::Restart { node }, "restart")],
        Status::Paused => vec![(Fault::Resume { node }, "resume")],
        Status::Up => vec![
            (Fault::Crash { node }, "crash"),
            (Fault::Pause { node }, "pause"),
            (Fault::Timeout { node }, "timeout"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Session, Setup};

    fn picture() -> Picture {
        Session::new(Setup::default(), None).expect("the default setup runs").picture()
    }

    /// Pressing and releasing a node in place selects it; the drag follows the pointer meanwhile.
    #[test]
    fn a_press_without_a_drag_selects_the_node() {
        let picture = picture();
        let mut g = Gestures { menu: Some(3), ..Gestures::default() };
        assert_eq!(g.update(Msg::DragStart(1, 100.0, 100.0), Some(&picture)), Outcome::None);
        assert_eq!(g.menu, None, "a drag closes the menu");
        g.update(Msg::DragMove(102.0, 101.0), Some(&picture));
        let centre = Layout::new(5, picture.islands, 0).nodes[1];
        assert_eq!(g.dragged(), Some((1, (centre.0 + 2.0, centre.1 + 1.0))));
        assert_eq!(g.update(Msg::DragEnd(102.0, 101.0), Some(&picture)), Outcome::Redraw);
        assert_eq!((g.selected_node, g.dragged()), (Some(1), None));
        assert_eq!(g.update(Msg::DragEnd(0.0, 0.0), Some(&picture)), Outcome::None, "no drag, no drop");
    }

    /// Dragging a node to an empty corner puts it on an island of its own.
    #[test]
    fn dragging_a_node_away_partitions_it() {
        let picture = picture();
        let mut g = Gestures::default();
        let centre = Layout::new(5, picture.islands, 0).nodes[2];
        g.update(Msg::DragStart(2, centre.0, centre.1), Some(&picture));
        let outcome = g.update(Msg::DragEnd(10.0, 10.0), Some(&picture));
        let layout = Layout::new(5, picture.islands, 0);
        let target = layout.drop_target(2, (10.0, 10.0)).expect("a corner is a drop target");
        assert_eq!(outcome, Outcome::Act(layout::move_node(5, picture.islands, 2, target)));
        assert_eq!(g.selected_node, None);
    }

    /// A link click cuts both ways (one way with shift); the menu selects its node; Escape closes.
    #[test]
    fn links_cut_and_menus_select() {
        let picture = picture();
        let mut g = Gestures::default();
        let cut = g.update(Msg::Link(0, 1, false), Some(&picture));
        assert_eq!(cut, Outcome::Act(Fault::Cut { from: NodeName(0), to: NodeName(1), both: true }));
        let one_way = g.update(Msg::Link(0, 1, true), Some(&picture));
        assert_eq!(one_way, Outcome::Act(Fault::Cut { from: NodeName(0), to: NodeName(1), both: false }));
        g.update(Msg::Menu(Some(4)), Some(&picture));
        assert_eq!((g.menu, g.selected_node), (Some(4), Some(4)));
        g.update(Msg::SelectMessage(Some(7)), None);
        g.update(Msg::Close, None);
        assert_eq!((g.menu, g.selected_msg, g.selected_node), (None, None, Some(4)));
    }

    /// A node that is down can only be restarted; one that is up can be crashed, paused, timed out.
    #[test]
    fn a_node_offers_what_its_status_allows() {
        let n = NodeName(2);
        let faults = |status| node_actions(n, status).into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(faults(Status::Down), [Fault::Restart { node: n }]);
        assert_eq!(faults(Status::Paused), [Fault::Resume { node: n }]);
        assert_eq!(
            faults(Status::Up),
            [Fault::Crash { node: n }, Fault::Pause { node: n }, Fault::Timeout { node: n }]
        );
    }
}
