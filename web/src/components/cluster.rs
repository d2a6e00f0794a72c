//! The cluster view (SVG): nodes on a circle per island, links, messages in flight moving along
//! their link in proportion to virtual time, clients along the bottom.
//!
//! A node's role shows by colour *and* shape, so it reads without colour: leader ★, candidate or
//! proposer ◆, follower or acceptor ●, learner ▲. A crashed node is grey with a ✕, a paused one grey
//! with ‖. Gestures: drag a node (partition), click it (inspect), right-click it (actions), click a
//! link (cut; shift: one way), click a message (drop, duplicate, delay).

use paxos_sim::decimal::fixed;
use std::rc::Rc;

use paxos_core::{Ballot, NodeId, Role};
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::run::{MessagePicture, NodePicture};
use paxos_sim::trace::MsgId;
use paxos_sim::world::Status;
use paxos_sim::{Picture, ProtocolKind};
use yew::prelude::*;

use super::{class_list, maybe, send};
use crate::colors::{ISLAND_TINTS, kind_color, role_color, role_glyph};
use crate::i18n::{self, t, tf};
use crate::layout::{HEIGHT, Layout, NODE_R, WIDTH};
use crate::model::{Session, time_words};
use crate::msg::Msg;
use crate::state::gestures::Msg::{DragEnd, DragMove, DragStart, Link, Menu, SelectMessage};
use crate::state::gestures::node_actions;

/// What the cluster view needs.
pub struct Props<'a> {
    /// The world at the cursor.
    pub picture: &'a Picture,
    /// The session.
    pub session: &'a Session,
    /// The node inspected.
    pub selected_node: Option<NodeId>,
    /// The message selected.
    pub selected_msg: Option<MsgId>,
    /// What the story's caption speaks of.
    pub highlight: &'a crate::state::story::Highlight,
    /// A node being dragged, and where the pointer is.
    pub drag: Option<(NodeId, (f64, f64))>,
    /// The node whose action menu is open.
    pub menu: Option<NodeId>,
    /// The SVG element.
    pub svg: &'a NodeRef,
    /// The node menu's box (see [`place_menu`]).
    pub menu_box: &'a NodeRef,
    /// Page coordinates to canvas units.
    pub to_canvas: Rc<dyn Fn(i32, i32) -> (f64, f64)>,
    /// Where its gestures go.
    pub on: &'a Callback<Msg>,
}

/// The SVG path of a role's shape around (0, 0), for nodes of radius [`NODE_R`]: a star, a diamond, a
/// triangle or a circle. Written out (the test `role_shapes_fit_the_node_radius` derives them from
/// the radius), so that drawing a node formats no numbers.
fn role_shape(role: Role) -> &'static str {
    match role {
        Role::Leader | Role::Primary => {
            "M0.0,-21.2L6.2,-8.5L20.2,-6.6L10.0,3.3L12.5,17.2L0.0,10.5L-12.5,17.2L-10.0,3.3L-20.2,-6.6L-6.2,-8.5Z"
        }
        Role::Candidate | Role::Proposer => "M0,-20.4L20.4,0L0,20.4L-20.4,0Z",
        Role::Learner => "M0,-20.4L18.7,13.6L-18.7,13.6Z",
        Role::Follower | Role::Acceptor | Role::Backup | Role::Replica => "M17,0A17,17 0 1,1 -17,0A17,17 0 1,1 17,0Z",
    }
}

/// A role in the legend: its glyph and its name.
/// A legend entry: the role's shape in its colour (drawn, so that its contrast is the shape's, not
/// a text's), then its name in the page's text colour.
fn legend(role: Role) -> Html {
    html! {
        <span>
            <svg class="swatch" viewBox="-22 -22 44 44" aria-hidden="true"><path d={role_shape(role)} fill={role_color(role)} /></svg>
            { i18n::role(role) }
        </span>
    }
}

fn ballot_words(ballot: Ballot) -> String {
    if ballot == Ballot::ZERO { "–".to_string() } else { ballot.to_string() }
}

/// Draws the cluster.
pub fn view(p: Props<'_>) -> Html {
    let picture = p.picture;
    let nodes = picture.nodes.len() as u8;
    let clients = p.session.sim().config().clients.count();
    let layout = Layout::new(nodes, picture.islands, clients);
    let on = p.on;
    let position = |n: NodeId| match p.drag {
        Some((dragged, point)) if dragged == n => point,
        _ => layout.nodes[usize::from(n)],
    };
    let to_canvas = p.to_canvas.clone();
    let on_move = on.reform(move |e: PointerEvent| {
        let (x, y) = to_canvas(e.client_x(), e.client_y());
        Msg::Cluster(DragMove(x, y))
    });
    let to_canvas = p.to_canvas.clone();
    let on_up = on.reform(move |e: PointerEvent| {
        let (x, y) = to_canvas(e.client_x(), e.client_y());
        Msg::Cluster(DragEnd(x, y))
    });
    let on_background = on.reform(|_: MouseEvent| Msg::Cluster(SelectMessage(None)));
    // One handler for every message (a frame re-renders hundreds of them): the dot clicked names it.
    let on_message = maybe(on, |e: MouseEvent| {
        let target = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())?;
        let id = target.closest("[data-msg]").ok().flatten()?.get_attribute("data-msg")?.parse().ok()?;
        e.stop_propagation();
        Some(Msg::Cluster(SelectMessage(Some(id))))
    });
    let protocol = p.session.sim().config().protocol;

    // Islands.
    let regions = if layout.regions.len() > 1 {
        layout
            .regions
            .iter()
            .enumerate()
            .map(|(i, region)| {
                let (x, y, w, h) = region.rect;
                let key = match (region.members.len() == 1, region.majority) {
                    (true, false) => "cluster.island_one",
                    (true, true) => "cluster.island_one_majority",
                    (false, false) => "cluster.island",
                    (false, true) => "cluster.island_majority",
                };
                let label = tf(key, &[("name", &((b'A' + i as u8) as char)), ("count", &region.members.len())]);
                html! {
                    <g class="island" data-island={region.island.to_string()}>
                        <rect x={fixed(x, 1).to_string()} y={fixed(y, 1).to_string()} width={fixed(w, 1).to_string()} height={fixed(h, 1).to_string()} rx="14"
                            fill={ISLAND_TINTS[usize::from(region.island) % ISLAND_TINTS.len()]} class="island-box" />
                        <text x={fixed(x + 8.0, 1).to_string()} y={fixed(y + 14.0, 1).to_string()} class="island-label">{ label }</text>
                    </g>
                }
            })
            .collect::<Html>()
    } else {
        html! {
            <text x="8" y="16" class="island-label">{ t("cluster.split_hint") }</text>
        }
    };

    // Links between nodes of the same island; cut ones dashed red.
    let mut links = Vec::new();
    for a in 0..nodes {
        for b in a + 1..nodes {
            if picture.islands.of(a) != picture.islands.of(b) {
                continue;
            }
            let (pa, pb) = (position(a), position(b));
            let ab = picture.cuts.contains(&(a, b));
            let ba = picture.cuts.contains(&(b, a));
            let class = match (ab, ba) {
                (true, true) => "link cut",
                (true, false) | (false, true) => "link cut one-way",
                _ => "link",
            };
            let (na, nb) = (NodeName(a), NodeName(b));
            let title = match (ab, ba) {
                (false, false) => tf("cluster.link", &[("a", &na), ("b", &nb)]),
                (true, true) => tf("cluster.link_cut", &[("a", &na), ("b", &nb)]),
                (true, false) | (false, true) => {
                    let (from, to) = if ab { (na, nb) } else { (nb, na) };
                    tf("cluster.link_cut_one_way", &[("from", &from), ("to", &to)])
                }
            };
            let onclick = on.reform(move |e: MouseEvent| {
                e.stop_propagation();
                Msg::Cluster(Link(a, b, e.shift_key()))
            });
            // Each end's coordinates, formatted once for the two lines (the wide one takes the clicks).
            let [x1, y1, x2, y2]: [AttrValue; 4] = [pa.0, pa.1, pb.0, pb.1].map(|v| fixed(v, 1).to_string().into());
            links.push(html! {
                <g class={class} {onclick} data-link={format!("{na}-{nb}")}>
                    <title>{ title }</title>
                    <line x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} class="link-hit" />
                    <line {x1} {y1} {x2} {y2} class="link-line" />
                </g>
            });
        }
    }

    // Messages in flight.
    let now = p.session.cursor.max(picture.time);
    let endpoint = |addr: paxos_sim::trace::Addr| match (addr.as_node(), addr.as_client()) {
        (Some(n), _) => position(n),
        (_, Some(c)) => layout.clients.get(usize::from(c)).copied().unwrap_or((WIDTH / 2.0, HEIGHT)),
        _ => (0.0, 0.0),
    };
    // Labels while they stay readable; the hover text (payload) while there are few enough to hover
    // one; above that, clicking a message still shows its payload. Each message is keyed by its
    // number, so a frame only moves the dots.
    let labels = picture.messages.len() <= 40;
    let titles = picture.messages.len() <= 120;
    let messages: Html = picture
        .messages
        .iter()
        .map(|m| message(m, now, (endpoint(m.from), endpoint(m.to)), (labels, titles), p.selected_msg == Some(m.id)))
        .collect();

    // Nodes.
    let node_views: Html = picture
        .nodes
        .iter()
        .map(|n| node(n, position(n.id), p.selected_node == Some(n.id), p.to_canvas.clone(), on))
        .collect();
    let clients_view: Html = layout
        .clients
        .iter()
        .enumerate()
        .map(|(c, &(x, y))| {
            let manual = c >= usize::from(p.session.sim().config().clients.workload);
            html! {
                <g class={if manual { "client manual" } else { "client" }} transform={format!("translate({},{})", fixed(x, 1), fixed(y, 1))}>
                    <title>{ tf(if manual { "cluster.client_manual" } else { "cluster.client" }, &[("client", &format_args!("c{}", c + 1))]) }</title>
                    <rect x="-7" y="-7" width="14" height="14" rx="3" />
                    <text y="4" class="client-label">{ format!("c{}", c + 1) }</text>
                </g>
            }
        })
        .collect();

    let menu = p
        .menu
        .and_then(|n| picture.nodes.get(usize::from(n)))
        .map(|n| node_menu(n, layout.nodes[usize::from(n.id)], p.menu_box, on));
    let selected = p.selected_msg.and_then(|id| picture.messages.iter().find(|m| m.id == id));
    let message_menu = selected.map(|m| {
        let id = m.id;
        // Why this message: the rule that decided it (a Nack, a vote denied), in words.
        let why: Vec<String> = p.session.sim().trace().rules_of_message(id).iter().map(i18n::rule).collect();
        html! {
            <div class="popover message-menu" role="dialog" aria-label={t("cluster.message_actions")}>
                <p><b>{ format!("m{id}: {} → {}", m.from, m.to) }</b></p>
                <p class="payload">{ &m.detail }</p>
                <p class="muted">{ tf("cluster.sent", &[("sent", &time_words(m.sent)), ("arrive", &time_words(m.arrive))]) }{ m.doomed.map_or(String::new(), |c| tf("cluster.doomed", &[("cause", &i18n::cause(c))])) }</p>
                { for why.iter().map(|words| html! { <p class="why"><b>{ t("cluster.why") }</b>{ " " }{ words }</p> }) }
                <div class="buttons">
                    <button onclick={send(on, Msg::Act(Fault::DropMessage { msg: id }))}>{ t("cluster.drop") }</button>
                    <button onclick={send(on, Msg::Act(Fault::DuplicateMessage { msg: id }))}>{ t("cluster.duplicate") }</button>
                    <button onclick={send(on, Msg::Act(Fault::DelayMessage { msg: id, by_us: 20_000 }))}>{ t("cluster.delay") }</button>
                    <button onclick={send(on, Msg::Cluster(SelectMessage(None)))}>{ t("cluster.close") }</button>
                </div>
            </div>
        }
    });

    html! {
        <div class="cluster-wrap">
            <svg ref={p.svg.clone()} class="cluster" viewBox={format!("0 0 {} {}", fixed(WIDTH, 0), fixed(HEIGHT, 0))} role="group"
                aria-label={tf("cluster.aria", &[("nodes", &nodes), ("messages", &picture.messages.len())])}
                data-islands={picture.islands.0.to_string()} data-time={picture.time.to_string()}
                onpointermove={on_move} onpointerup={on_up} onclick={on_background}>
                { regions }
                <g class="links">{ for links }</g>
                { clients_view }
                { super::story::rings(&p.highlight.nodes, p.highlight.msg.is_some(), &position) }
                { node_views }
                <g class="messages" onclick={on_message}>{ messages }</g>
            </svg>
            { menu.unwrap_or_default() }
            { message_menu.unwrap_or_default() }
            <div class="legend" aria-hidden="true">
                { legend(Role::Leader) }
                { legend(if protocol == ProtocolKind::Basic { Role::Proposer } else { Role::Candidate }) }
                { legend(if protocol == ProtocolKind::Basic { Role::Acceptor } else { Role::Follower }) }
                { legend(Role::Learner) }
                <span class="muted">{ t("cluster.legend_down") }</span>
            </div>
        </div>
    }
}

fn node(
    n: &NodePicture,
    (x, y): (f64, f64),
    selected: bool,
    to_canvas: Rc<dyn Fn(i32, i32) -> (f64, f64)>,
    on: &Callback<Msg>,
) -> Html {
    let id = n.id;
    let down = n.status != Status::Up;
    let fill = if down { "#9ca3af" } else { role_color(n.role) };
    // Only the primary button drags (and clicks); the secondary one opens the context menu.
    let onpointerdown = maybe(on, move |e: PointerEvent| {
        if e.button() != 0 {
            return None;
        }
        e.stop_propagation();
        if let Some(svg) = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|t| t.closest("svg").ok().flatten())
        {
            let _ = svg.set_pointer_capture(e.pointer_id());
        }
        let (x, y) = to_canvas(e.client_x(), e.client_y());
        Some(Msg::Cluster(DragStart(id, x, y)))
    });
    let oncontextmenu = on.reform(move |e: MouseEvent| {
        e.prevent_default();
        Msg::Cluster(Menu(Some(id)))
    });
    let onclick = Callback::from(|e: MouseEvent| e.stop_propagation());
    // The status as data (`data-status`, read by the tests) and in words.
    let status = match n.status {
        Status::Up => n.role.name(),
        Status::Paused => "paused",
        Status::Down => "crashed",
    };
    let status_words = match n.status {
        Status::Up => i18n::role(n.role),
        Status::Paused => t("status.paused"),
        Status::Down => t("status.crashed"),
    };
    let name = NodeName(id).to_string();
    let title = tf(
        "cluster.node_title",
        &[
            ("node", &name),
            ("status", &status_words),
            ("ballot", &ballot_words(n.ballot)),
            ("promised", &ballot_words(n.promised)),
            ("decided", &n.decided_prefix),
            ("follows", &n.leader.map_or(String::new(), |l| tf("cluster.follows", &[("node", &NodeName(l))]))),
        ],
    );
    // The halo and the two lines below sit 6, 12 and 22 units beyond the node's radius (`NODE_R`).
    html! {
        <g class={class_list(&[Some("node"), selected.then_some("selected"), down.then_some("down")])}
            transform={format!("translate({},{})", fixed(x, 1), fixed(y, 1))}
            data-node={name.clone()} data-role={n.role.name()} data-status={status}
            data-decided={n.decided_prefix.to_string()} data-ballot={n.ballot.to_string()}
            {onpointerdown} {oncontextmenu} {onclick} tabindex="0" role="button"
            aria-label={format!("{name}, {status_words}")}>
            <title>{ title }</title>
            { if selected { html! { <circle r="23" class="halo" /> } } else { html! {} } }
            <path d={role_shape(n.role)} fill={fill} class="shape" />
            <text y="4" class="node-label">{ name }</text>
            { match n.status {
                Status::Down => html! { <path d="M-12,-12L12,12M12,-12L-12,12" class="down-mark" /> },
                Status::Paused => html! { <path d="M-4,-8V8M4,-8V8" class="down-mark" /> },
                Status::Up => html! {},
            } }
            <text y="29" class="node-info">{ format!("{} {}", role_glyph(n.role), status_words) }</text>
            <text y="39" class="node-info muted">{ tf("cluster.node_info", &[("ballot", &ballot_words(n.ballot)), ("log", &n.decided_prefix)]) }</text>
        </g>
    }
}

fn message(
    m: &MessagePicture,
    now: u64,
    (from, to): ((f64, f64), (f64, f64)),
    (label, title): (bool, bool),
    selected: bool,
) -> Html {
    let span = m.arrive.saturating_sub(m.sent).max(1) as f64;
    let f = (now.saturating_sub(m.sent) as f64 / span).clamp(0.0, 1.0);
    // Start at the rim of the sender, end at the rim of the receiver.
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let rim = (NODE_R / len).min(0.45);
    let f = rim + f * (1.0 - 2.0 * rim);
    let (x, y) = (from.0 + dx * f, from.1 + dy * f);
    let color = kind_color(m.kind);
    let id = m.id;
    let short = abbreviation(m.kind.name());
    html! {
        <g key={id} class={class_list(&[Some("msg"), selected.then_some("selected"), m.doomed.is_some().then_some("doomed")])} data-kind={m.kind.name()}
            transform={format!("translate({},{})", fixed(x, 1), fixed(y, 1))} data-msg={id.to_string()}>
            { if title { html! {
                <title>{ format!("m{id} {} {} → {}: {}", m.kind.name(), m.from, m.to, m.detail) }{ m.doomed.map_or(String::new(), |c| tf("cluster.doomed_title", &[("cause", &i18n::cause(c))])) }</title>
            } } else { html! {} } }
            <circle r="8" class="msg-hit" />
            <circle r={if selected { "6" } else { "4.5" }} fill={color} />
            { if label { html! { <text x="6" y="-5" class="msg-label" fill={color}>{ short }</text> } } else { html! {} } }
        </g>
    }
}

fn abbreviation(name: &str) -> String {
    match name {
        "Heartbeat" => "HB".into(),
        "HeartbeatOk" => "HB✓".into(),
        "LeaderAlive" => "Alive".into(),
        "AppendEntries" => "Append".into(),
        "RequestVote" => "ReqVote".into(),
        other => other.into(),
    }
}

fn node_menu(n: &NodePicture, (x, y): (f64, f64), menu_box: &NodeRef, on: &Callback<Msg>) -> Html {
    let node = NodeName(n.id);
    let act = |fault: Fault| send(on, Msg::Act(fault));
    html! {
        <div ref={menu_box.clone()} class="popover node-menu" role="menu" aria-label={tf("cluster.actions_for", &[("node", &node)])}
            data-left={fixed(x / WIDTH * 100.0, 1).to_string()} data-top={fixed(y / HEIGHT * 100.0, 1).to_string()}>
            <p><b>{ node.to_string() }</b></p>
            { for node_actions(node, n.status).into_iter().map(|(fault, name)| html! {
                <button role="menuitem" onclick={act(fault)}>{ t(&format!("actions.{name}_menu")) }</button>
            }) }
            <button role="menuitem" onclick={send(on, Msg::Cluster(Menu(None)))}>{ t("cluster.close") }</button>
        </div>
    }
}

/// Places the open node menu over its node (its `data-left`/`data-top`, percentages of the cluster
/// view), after each render. Through the CSSOM (`element.style.setProperty`), not a `style="…"`
/// attribute: the page's Content-Security-Policy allows no inline styles, and it blocks style
/// attributes, not the CSSOM.
pub fn place_menu(menu_box: &NodeRef) {
    let Some(div) = menu_box.cast::<web_sys::HtmlElement>() else { return };
    let style = div.style();
    for side in ["left", "top"] {
        if let Some(at) = div.get_attribute(&format!("data-{side}")) {
            let _ = style.set_property(side, &format!("{at}%"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The written-out shapes are the star, diamond, triangle and circle of radius `NODE_R` (and the
    /// halo and the two lines under a node sit 6, 12 and 22 units beyond it).
    #[test]
    fn role_shapes_fit_the_node_radius() {
        let r = NODE_R;
        let star: String = (0..10)
            .map(|i| {
                let angle = -core::f64::consts::FRAC_PI_2 + core::f64::consts::PI * f64::from(i) / 5.0;
                let radius = if i % 2 == 0 { r * 1.25 } else { r * 0.62 };
                format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, radius * angle.cos(), radius * angle.sin())
            })
            .collect();
        assert_eq!(role_shape(Role::Leader), star + "Z");
        let d = r * 1.2;
        assert_eq!(role_shape(Role::Candidate), format!("M0,{:.1}L{d:.1},0L0,{d:.1}L{:.1},0Z", -d, -d));
        let (x, y) = (r * 1.1, r * 0.8);
        assert_eq!(role_shape(Role::Learner), format!("M0,{}L{x:.1},{y:.1}L{:.1},{y:.1}Z", -d, -x));
        assert_eq!(role_shape(Role::Follower), format!("M{r},0A{r},{r} 0 1,1 {},0A{r},{r} 0 1,1 {r},0Z", -r));
        assert_eq!([r + 6.0, r + 12.0, r + 22.0], [23.0, 29.0, 39.0]);
    }
}
