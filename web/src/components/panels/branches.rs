//! The branches panel: acting in the past starts a branch; every run stays selectable.

use paxos_sim::trace::EventId;
use yew::prelude::*;

use crate::components::send;
use crate::i18n::{t, tf};
use crate::model::Session;
use crate::msg::Msg;

/// What the branches panel shows: each run's origin and how many actions it has, and the one shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Props {
    /// Each run: where it branched off (the run and the event), and its actions.
    pub branches: Vec<(Option<(usize, EventId)>, usize)>,
    /// The run shown.
    pub current: usize,
}

impl Props {
    /// The runs of `session`.
    pub fn of(session: &Session) -> Props {
        let branches = session.branches.iter().map(|b| (b.origin, b.sim.actions().len())).collect();
        Props { branches, current: session.current }
    }
}

/// The runs of the session: acting in the past starts a branch.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    if p.branches.len() < 2 {
        return html! {};
    }
    html! {
        <section class="panel branches">
            <h2>{ t("branches.title") }</h2>
            <ul>
                { for p.branches.iter().enumerate().map(|(i, &(origin, actions))| {
                    let label = match origin {
                        None => t("branches.first"),
                        Some((from, event)) => tf("branches.from", &[("branch", &(from + 1)), ("event", &event)]),
                    };
                    html! {
                        <li>
                            <button class={(i == p.current).then_some("primary")} onclick={send(on, Msg::Branch(i))}>
                                { tf("branches.branch", &[("number", &(i + 1))]) }
                            </button>
                            { " " }{ tf("branches.what", &[("origin", &label), ("actions", &actions)]) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
