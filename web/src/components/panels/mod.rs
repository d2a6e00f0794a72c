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
use yew::prelude::*;

use crate::model::Session;
use crate::msg::Msg;
use crate::state::shown::Moment;

/// A side panel and what it shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Panel {
    /// The selected node.
    Inspector(inspector::Props),
    /// The slot table.
    Slots(slots::Props),
    /// The invariants.
    Safety(safety::Props),
    /// The figures.
    Stats(stats::Props),
    /// The clients.
    Clients(clients::Props),
    /// The branches.
    Branches(branches::Props),
}

/// Properties of [`PanelView`].
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The panel and what it shows.
    pub panel: Rc<Panel>,
    /// Where its buttons' messages go.
    pub on: Callback<Msg>,
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
        let on = &ctx.props().on;
        match &*ctx.props().panel {
            Panel::Inspector(p) => inspector::view(p, on),
            Panel::Slots(p) => slots::view(p),
            Panel::Safety(p) => safety::view(p, on),
            Panel::Stats(p) => stats::view(p, on),
            Panel::Clients(p) => clients::view(p, on),
            Panel::Branches(p) => branches::view(p, on),
        }
    }
}

/// What the side panels show of `session` at `picture`, with node `selected`, the operation text
/// box holding `op_text`, and the figures.
pub fn side(
    moment: &Moment,
    session: &Session,
    selected: Option<NodeId>,
    op_text: &str,
    stats: stats::Props,
) -> Vec<Rc<Panel>> {
    [
        Panel::Inspector(inspector::Props::of(moment, session, selected)),
        Panel::Slots(slots::Props::of(moment, session)),
        Panel::Safety(safety::Props::of(moment, session)),
        Panel::Stats(stats),
        Panel::Clients(clients::Props::of(moment, session, op_text, selected)),
        Panel::Branches(branches::Props::of(moment, session)),
    ]
    .into_iter()
    .map(Rc::new)
    .collect()
}

/// The side panels.
pub fn view(side: &[Rc<Panel>], on: &Callback<Msg>) -> Html {
    side.iter().map(|panel| html! { <PanelView panel={panel.clone()} on={on.clone()} /> }).collect()
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

    /// Built twice of the same moment, the panels are equal (so none re-renders); a change shows
    /// only in the panels that show it.
    #[test]
    fn panels_change_only_with_what_they_show() {
        let mut session = Session::new(Setup::default(), None).expect("the default setup runs");
        session.seek(200_000);
        let moment = Moment(Rc::new(session.picture()));
        let before = side(&moment, &session, None, "inc a 1", stats());
        let changed = |after: &[Rc<Panel>]| (0..before.len()).filter(|&i| before[i] != after[i]).collect::<Vec<_>>();
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
        assert_eq!(changed(&side(&again, &session, None, "inc a 1", stats())), [0, 1, 2, 4, 5]);
        let figures = stats::Props { summary: Some(Rc::new(session.sim().summary())), compare: None };
        assert_eq!(changed(&side(&moment, &session, None, "inc a 1", figures)), [3], "new figures");
        session.act(&Fault::Crash { node: NodeName(1) }).expect("a crash");
        let crashed = Moment(Rc::new(session.picture()));
        let after = side(&crashed, &session, Some(1), "inc a 1", stats());
        assert!(matches!(&*after[0], Panel::Inspector(p) if p.moment.0.nodes[1].status == Status::Down));
    }
}
