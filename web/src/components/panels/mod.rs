//! The side panels: inspector, slot table, safety, figures, clients, branches.
//!
//! Each panel's props are plain data read from the session ([`side`]), compared with `PartialEq`:
//! Yew re-renders a panel only when what it shows changed. While playing, the page rebuilds them
//! at most every few hundred ms (the side panels are many DOM nodes; the cluster view and the
//! timeline follow every frame).
//!
//! One component type, [`PanelView`], shows any of the six: each struct component instantiates
//! Yew's component machinery anew (about 1–2 KB gzipped each), and the bundle has little room.

pub mod branches;
pub mod clients;
pub mod inspector;
pub mod safety;
pub mod slots;
pub mod stats;

use std::rc::Rc;

use paxos_core::NodeId;
use paxos_play::lang::Lang;
use yew::prelude::*;

use crate::model::Session;
use crate::msg::Msg;
use crate::state::shown::Moment;

/// What the side panels show.
#[derive(Clone, Debug)]
pub struct Side {
    /// The selected node.
    pub inspector: inspector::Props,
    /// The slot table.
    pub slots: slots::Props,
    /// The invariants.
    pub safety: safety::Props,
    /// The figures.
    pub stats: stats::Props,
    /// The clients.
    pub clients: clients::Props,
    /// The branches.
    pub branches: branches::Props,
}

impl Side {
    /// What the side panels show of `session` at `moment`, with node `selected`, the operation
    /// text box holding `op_text`, and the figures.
    pub fn of(
        moment: &Moment,
        session: &Session,
        selected: Option<NodeId>,
        op_text: &str,
        stats: stats::Props,
    ) -> Side {
        Side {
            inspector: inspector::Props::of(moment, session, selected),
            slots: slots::Props::of(moment, session),
            safety: safety::Props::of(moment, session),
            stats,
            clients: clients::Props::of(moment, session, op_text, selected),
            branches: branches::Props::of(session),
        }
    }
}

/// A side panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The selected node.
    Inspector,
    /// The slot table.
    Slots,
    /// The invariants.
    Safety,
    /// The figures.
    Stats,
    /// The clients.
    Clients,
    /// The branches.
    Branches,
}

impl Panel {
    /// Every panel, top to bottom.
    pub const ALL: [Panel; 6] =
        [Panel::Inspector, Panel::Slots, Panel::Safety, Panel::Stats, Panel::Clients, Panel::Branches];
}

/// Properties of [`PanelView`]: one panel of a [`Side`].
#[derive(Properties)]
pub struct PanelProps {
    /// What the side panels show.
    pub side: Rc<Side>,
    /// The panel shown.
    pub panel: Panel,
    /// Where its buttons' messages go.
    pub on: Callback<Msg>,
    /// The language its words are in (a switch re-renders it).
    pub lang: Option<Lang>,
}

/// Props are equal when their panel's part of the side is (each panel's `PartialEq` says when).
impl PartialEq for PanelProps {
    fn eq(&self, other: &PanelProps) -> bool {
        let (a, b) = (&*self.side, &*other.side);
        self.panel == other.panel
            && self.on == other.on
            && self.lang == other.lang
            && match self.panel {
                Panel::Inspector => a.inspector == b.inspector,
                Panel::Slots => a.slots == b.slots,
                Panel::Safety => a.safety == b.safety,
                Panel::Stats => a.stats == b.stats,
                Panel::Clients => a.clients == b.clients,
                Panel::Branches => a.branches == b.branches,
            }
    }
}

/// A side panel: re-rendered only when its props change.
pub struct PanelView;

impl Component for PanelView {
    type Message = ();
    type Properties = PanelProps;

    fn create(_ctx: &Context<Self>) -> Self {
        PanelView
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let PanelProps { side, panel, on, .. } = ctx.props();
        match panel {
            Panel::Inspector => inspector::view(&side.inspector, on),
            Panel::Slots => slots::view(&side.slots),
            Panel::Safety => safety::view(&side.safety, on),
            Panel::Stats => stats::view(&side.stats, on),
            Panel::Clients => clients::view(&side.clients, on),
            Panel::Branches => branches::view(&side.branches, on),
        }
    }
}

/// The side panels.
pub fn view(side: &Rc<Side>, on: &Callback<Msg>) -> Html {
    let lang = crate::i18n::current();
    Panel::ALL
        .into_iter()
        .map(|panel| html! { <PanelView side={side.clone()} {panel} on={on.clone()} {lang} /> })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Setup;
    use paxos_sim::config::NodeName;
    use paxos_sim::faults::Fault;
    use paxos_sim::world::Status;

    fn stats() -> stats::Props {
        stats::Props { summary: None, compare: None }
    }

    fn side(
        moment: &Moment,
        session: &Session,
        selected: Option<NodeId>,
        op_text: &str,
        stats: stats::Props,
    ) -> Rc<Side> {
        Rc::new(Side::of(moment, session, selected, op_text, stats))
    }

    /// The panels whose props differ between two sides.
    fn differ(a: &Rc<Side>, b: &Rc<Side>) -> Vec<usize> {
        let on = Callback::from(|_: Msg| ());
        let props = |side: &Rc<Side>, panel| PanelProps { side: side.clone(), panel, on: on.clone(), lang: None };
        (0..6).filter(|&i| props(a, Panel::ALL[i]) != props(b, Panel::ALL[i])).collect()
    }
    /// Built twice of the same moment, the panels are equal (so none re-renders); a change shows
    /// only in the panels that show it.
    #[test]
    fn panels_change_only_with_what_they_show() {
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        session.seek(200_000);
        let moment = Moment(Rc::new(session.picture()));
        let before = side(&moment, &session, None, "inc a 1", stats());
        let changed = |after: &Rc<Side>| differ(&before, after);
        assert_eq!(changed(&side(&moment, &session, None, "inc a 1", stats())), [0usize; 0]);
        assert_eq!(
            changed(&side(&moment, &session, None, "get a", stats())),
            [4],
            "only the clients panel shows the text box"
        );
        assert_eq!(
            changed(&side(&moment, &session, Some(1), "inc a 1", stats())),
            [0, 4],
            "the inspector, and Send to n2"
        );
        // Another picture (even of the same moment) is shown anew by the panels keyed on it: all
        // but the figures, which are their own `Rc`s.
        let again = Moment(Rc::new(session.picture()));
        assert_eq!(changed(&side(&again, &session, None, "inc a 1", stats())), [0, 1, 2, 4]);
        let figures = stats::Props { summary: Some(Rc::new(session.sim().summary())), compare: None };
        assert_eq!(changed(&side(&moment, &session, None, "inc a 1", figures)), [3], "new figures");
        session.act(&Fault::Crash { node: NodeName(1) }).expect("a crash");
        let crashed = Moment(Rc::new(session.picture()));
        let after = side(&crashed, &session, Some(1), "inc a 1", stats());
        assert_eq!(after.inspector.moment.0.nodes[1].status, Status::Down);
    }
}
