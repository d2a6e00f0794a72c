//! Where things go in the cluster view, and what a drag means.
//!
//! The view is a 400 × 300 canvas (SVG user units). Each island of the network is a column, as wide
//! as its share of the nodes; its nodes sit on a circle inside it. One island (a whole network) is
//! one big circle. Clients sit in a row along the bottom.
//!
//! ```text
//!  ┌──────── island A (majority) ───────┐┌── island B ──┐
//!  │        n1                          ││              │
//!  │   n5        n2                     ││   n4    n3   │
//!  └────────────────────────────────────┘└──────────────┘
//!     c1  c2  c3                                             (clients)
//! ```
//!
//! Dropping a dragged node on a node or a region of another island moves it there; dropping it far
//! from where it was, outside any other island, puts it on an island of its own.

use crate::math;
use paxos_core::NodeId;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::trace::Islands;

/// Canvas width.
pub const WIDTH: f64 = 400.0;
/// Canvas height.
pub const HEIGHT: f64 = 300.0;
/// Where the client row is.
pub const CLIENT_Y: f64 = 284.0;
/// Node radius.
pub const NODE_R: f64 = 17.0;

/// One island's region.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Its number in the network's islands.
    pub island: u8,
    /// Left, top, width, height.
    pub rect: (f64, f64, f64, f64),
    /// Its nodes.
    pub members: Vec<NodeId>,
    /// Whether it holds a majority of the cluster (it can elect a leader and commit).
    pub majority: bool,
}

/// Positions of everything.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Each node's centre.
    pub nodes: Vec<(f64, f64)>,
    /// The islands (just one when the network is whole).
    pub regions: Vec<Region>,
    /// Each client's centre.
    pub clients: Vec<(f64, f64)>,
}

impl Layout {
    /// Lays out `nodes` nodes in `islands`, and `clients` clients.
    pub fn new(nodes: u8, islands: Islands, clients: usize) -> Layout {
        let mut members: Vec<(u8, Vec<NodeId>)> = Vec::new();
        for node in 0..nodes {
            let island = islands.of(node);
            // Kept in island order as they are found (no sort: one less sort compiled into the wasm).
            let at = members.partition_point(|(i, _)| *i < island);
            match members.get_mut(at).filter(|(i, _)| *i == island) {
                Some((_, list)) => list.push(node),
                None => members.insert(at, (island, vec![node])),
            }
        }
        let (top, bottom, gap) = (6.0, CLIENT_Y - 18.0, 6.0);
        let total: f64 = members.iter().map(|(_, m)| m.len() as f64 + 1.0).sum();
        let usable = WIDTH - gap * (members.len() as f64 + 1.0);
        let mut x = gap;
        let mut positions = vec![(0.0, 0.0); usize::from(nodes)];
        let mut regions = Vec::new();
        for (island, list) in members {
            let w = usable * (list.len() as f64 + 1.0) / total;
            let h = bottom - top;
            let (cx, cy) = (x + w / 2.0, top + h / 2.0);
            let radius = if list.len() == 1 { 0.0 } else { (w.min(h) / 2.0 - NODE_R - 14.0).max(NODE_R * 1.2) };
            for (i, &node) in list.iter().enumerate() {
                let angle = -core::f64::consts::FRAC_PI_2 + core::f64::consts::TAU * i as f64 / list.len() as f64;
                positions[usize::from(node)] = (cx + radius * math::cos(angle), cy + radius * math::sin(angle));
            }
            let majority = holds_majority(list.len(), usize::from(nodes));
            regions.push(Region { island, rect: (x, top, w, h), members: list, majority });
            x += w + gap;
        }
        let spacing = (WIDTH - 40.0) / clients.max(1) as f64;
        let clients = (0..clients).map(|c| (20.0 + spacing * (c as f64 + 0.5), CLIENT_Y)).collect();
        Layout { nodes: positions, regions, clients }
    }

    /// Which island a drop of `node` at `point` puts it in: `Some(Some(island))` to join one,
    /// `Some(None)` for a new island of its own, `None` for no change.
    pub fn drop_target(&self, node: NodeId, point: (f64, f64)) -> Option<Option<u8>> {
        let own = self.regions.iter().find(|r| r.members.contains(&node))?;
        // Onto another node.
        for (other, &(x, y)) in self.nodes.iter().enumerate() {
            let other = other as NodeId;
            if other != node && distance((x, y), point) <= NODE_R * 1.6 {
                let island = self.regions.iter().find(|r| r.members.contains(&other))?.island;
                return (island != own.island).then_some(Some(island));
            }
        }
        let inside = |r: &Region| {
            let (x, y, w, h) = r.rect;
            (x..=x + w).contains(&point.0) && (y..=y + h).contains(&point.1)
        };
        // Into another island's region (when there are several).
        if let Some(region) = self.regions.iter().find(|r| r.island != own.island && inside(r)) {
            return Some(Some(region.island));
        }
        // Far from where it was: an island of its own (unless it is alone already).
        let moved = distance(self.nodes[usize::from(node)], point);
        (moved > 70.0 && own.members.len() > 1).then_some(None)
    }
}

/// Whether `members` of `nodes` nodes make a majority: more than half, the quorum that can elect a
/// leader and commit (`paxos_core::Config::quorum` when every node is an acceptor). The page's one
/// spelling of it (the cluster view's islands, the guide).
pub fn holds_majority(members: usize, nodes: usize) -> bool {
    2 * members > nodes
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// The partition fault that moves `node` to `target` (an island, or a new one if `None`).
pub fn move_node(nodes: u8, islands: Islands, node: NodeId, target: Option<u8>) -> Fault {
    let target = target.unwrap_or_else(|| (0..16).find(|i| (0..nodes).all(|n| islands.of(n) != *i)).unwrap_or(15));
    let moved = islands.with(node, target);
    let mut groups: Vec<(u8, Vec<NodeName>)> = Vec::new();
    for n in 0..nodes {
        let island = moved.of(n);
        match groups.iter_mut().find(|(i, _)| *i == island) {
            Some((_, g)) => g.push(NodeName(n)),
            None => groups.push((island, vec![NodeName(n)])),
        }
    }
    if groups.len() == 1 {
        return Fault::Heal {};
    }
    Fault::Partition { groups: groups.into_iter().map(|(_, g)| g).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More than half is a majority, as the core counts its quorums.
    #[test]
    fn a_majority_is_the_cores_quorum() {
        for nodes in 1..=9u8 {
            let quorum = paxos_core::Config::new(nodes).quorum();
            for members in 0..=usize::from(nodes) {
                assert_eq!(holds_majority(members, usize::from(nodes)), members >= quorum, "{members} of {nodes}");
            }
        }
    }

    #[test]
    fn a_whole_network_is_one_circle_and_a_majority() {
        let layout = Layout::new(5, Islands::default(), 3);
        assert_eq!(layout.regions.len(), 1);
        assert!(layout.regions[0].majority);
        assert_eq!(layout.nodes.len(), 5);
        assert_eq!(layout.clients.len(), 3);
        for &(x, y) in &layout.nodes {
            assert!((0.0..WIDTH).contains(&x) && (0.0..CLIENT_Y).contains(&y));
        }
    }

    /// Dragging a node to a corner makes an island of it; dropping another on it joins it.
    #[test]
    fn drags_make_and_join_islands() {
        let whole = Layout::new(5, Islands::default(), 0);
        assert_eq!(whole.drop_target(0, (390.0, 260.0)), Some(None));
        assert_eq!(whole.drop_target(0, whole.nodes[0]), None, "a drop in place changes nothing");
        let fault = move_node(5, Islands::default(), 0, None);
        let expected = |groups: &[&[u8]]| Fault::Partition {
            groups: groups.iter().map(|g| g.iter().map(|&n| NodeName(n)).collect()).collect(),
        };
        assert_eq!(fault, expected(&[&[0], &[1, 2, 3, 4]]));
        let split = Islands::default().with(0, 1);
        let layout = Layout::new(5, split, 0);
        assert_eq!(layout.regions.iter().map(|r| r.members.len()).collect::<Vec<_>>(), vec![4, 1]);
        assert!(layout.regions[0].majority && !layout.regions[1].majority);
        assert_eq!(layout.drop_target(1, layout.nodes[0]), Some(Some(1)));
        assert_eq!(move_node(5, split, 1, Some(1)), expected(&[&[0, 1], &[2, 3, 4]]));
        // Moving the last one back heals.
        assert_eq!(move_node(5, split, 0, Some(0)), Fault::Heal {});
    }
}
