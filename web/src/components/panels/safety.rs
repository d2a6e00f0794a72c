//! The safety panel: each invariant of the protocol, green until the checker finds it broken.

use paxos_sim::check::{Invariant, Violation};
use yew::prelude::*;

use crate::components::send;
use crate::i18n::{self, t, tf};
use crate::model::Session;
use crate::msg::Msg;
use crate::state::shown::Moment;

/// What the safety panel shows: the protocol's invariants and the violations found so far.
#[derive(Clone, Debug)]
pub struct Props {
    /// The moment shown (of this run and branch).
    pub moment: Moment,
    /// The invariants checked.
    pub invariants: &'static [Invariant],
    /// The violations found.
    pub violations: Vec<Violation>,
}

impl Props {
    /// The checks of the run `session` shows.
    pub fn of(moment: &Moment, session: &Session) -> Props {
        let sim = session.sim();
        Props { moment: moment.clone(), invariants: sim.invariants(), violations: sim.violations().to_vec() }
    }
}

/// A run's checkers only add violations (as the trace grows, and when a pause checks the whole
/// history), and another run or branch is another moment: the moment and the count tell them apart.
impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.moment == other.moment && self.violations.len() == other.violations.len()
    }
}

/// Each invariant of the protocol, live.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    let violations = &p.violations;
    let items: Html = p
        .invariants
        .iter()
        .map(|&invariant| {
            let violation = violations.iter().find(|v| v.invariant == invariant);
            let whole = matches!(invariant, Invariant::Linearizable | Invariant::Liveness | Invariant::Available);
            match violation {
                Some(v) => {
                    let event = v.event;
                    html! {
                        <li class="bad" data-invariant={invariant.name()}>
                            <span class="mark">{ "✕" }</span>
                            <span><b>{ i18n::invariant(invariant, "name") }</b>{ tf("safety.broken", &[("event", &event), ("message", &v.message)]) }</span>
                            <button onclick={send(on, Msg::Jump(event))}>{ t("safety.jump") }</button>
                        </li>
                    }
                }
                None => html! {
                    <li class="ok" data-invariant={invariant.name()} title={format!("{} — {}", i18n::invariant(invariant, "explain"), i18n::invariant(invariant, "source"))}>
                        <span class="mark">{ "✓" }</span>
                        <span><b>{ i18n::invariant(invariant, "name") }</b>{ if whole { t("safety.whole_history") } else { String::new() } }</span>
                    </li>
                },
            }
        })
        .collect();
    let safe = violations.is_empty();
    html! {
        <section class={if safe { "panel safety" } else { "panel safety violated" }} id="safety">
            <h2>{ if safe { t("safety.holds") } else { t("safety.violated") } }</h2>
            <ul>{ items }</ul>
        </section>
    }
}
