//! The figures: commands committed, messages per command, latency, time without a leader; and the
//! same script run side by side on Multi-Paxos and Raft.

use std::rc::Rc;

use paxos_sim::{ProtocolKind, Summary};
use yew::prelude::*;

use crate::components::send;
use crate::i18n::{self, t};
use crate::model::time_words;
use crate::msg::Msg;

fn summary_row(label: String, s: &Summary) -> Html {
    let per_op = s.messages_per_op_x100().map_or("–".to_string(), |x| format!("{}.{:02}", x / 100, x % 100));
    let delay = s.delay_percentile(50).map_or("–".to_string(), |d| d.to_string());
    let leaderless = if s.time == 0 {
        "–".to_string()
    } else {
        format!("{} ({}%)", time_words(s.leaderless_us), s.leaderless_us * 100 / s.time.max(1))
    };
    html! {
        <tr><th>{ label }</th><td data-stat="committed">{ s.completed }</td><td>{ per_op }</td><td>{ delay }</td><td>{ leaderless }</td></tr>
    }
}

/// A comparison of protocols: each one's figures, or why it could not run.
pub type Comparison = Rc<[(ProtocolKind, Result<Summary, String>)]>;

/// What the figures show: this run's, and a comparison if one was asked for.
#[derive(Clone, Debug)]
pub struct Props {
    /// This run's figures.
    pub summary: Option<Rc<Summary>>,
    /// The same script on other protocols.
    pub compare: Option<Comparison>,
}

/// Figures are recomputed into new `Rc`s (`state::shown`, the Compare button): the same `Rc`s
/// show the same figures.
impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        fn same<T: ?Sized>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
        }
        same(&self.summary, &other.summary) && same(&self.compare, &other.compare)
    }
}

/// The stats strip, and the side-by-side comparison.
pub fn view(p: &Props, on: &Callback<Msg>) -> Html {
    let (summary, compare) = (p.summary.as_deref(), p.compare.as_deref());
    html! {
        <section class="panel stats" id="stats">
            <h2>{ t("stats.title") }</h2>
            <table>
                <thead><tr><th></th><th>{ t("stats.committed") }</th><th>{ t("stats.per_command") }</th><th>{ t("stats.latency") }</th><th>{ t("stats.leaderless") }</th></tr></thead>
                <tbody>
                    { for summary.map(|s| summary_row(t("stats.this_run"), s)) }
                    { for compare.into_iter().flatten().map(|(p, r)| match r {
                        Ok(s) => summary_row(i18n::protocol(*p), s),
                        Err(e) => html! { <tr><th>{ i18n::protocol(*p) }</th><td colspan="4">{ e }</td></tr> },
                    }) }
                </tbody>
            </table>
            <button id="compare" onclick={send(on, Msg::Compare)} title={t("stats.compare_title")}>
                { t("stats.compare") }
            </button>
        </section>
    }
}
