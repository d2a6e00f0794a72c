//! The slot table: what each node accepted or learned in the last slots, and what was chosen.

use paxos_core::{Ballot, NodeSet, Slot, Value};
use paxos_sim::config::NodeName;
use yew::prelude::*;

use crate::components::class_list;
use crate::i18n::{t, tf};
use crate::model::{Session, value_words};
use crate::state::shown::Moment;

/// A value chosen, the ballot it was chosen in, and the acceptors whose votes chose it.
pub type Chosen = (Value, Ballot, NodeSet);

/// What the slot table shows: the picture's nodes, and the last slots (newest first) with the
/// value chosen in each, if one was.
#[derive(Clone, Debug)]
pub struct Props {
    /// The world at the cursor.
    pub moment: Moment,
    /// The slots shown, newest first, each with the value chosen in it, its ballot and quorum.
    pub rows: Vec<(Slot, Option<Chosen>)>,
}

impl Props {
    /// The last eight slots any node accepted or learned in `picture`. What was chosen is read
    /// from the checker, at the head or where a node already learned it (behind the head the
    /// checker knows more than the moment shown).
    pub fn of(moment: &Moment, session: &Session) -> Props {
        let picture = &moment.0;
        let top = picture
            .nodes
            .iter()
            .map(|n| {
                let decided = n.decided.last().map_or(0, |(s, _)| s + 1);
                let accepted = n.slots.iter().filter(|s| s.accepted.is_some()).map(|s| s.slot + 1).max().unwrap_or(0);
                decided.max(accepted).max(n.decided_prefix)
            })
            .max()
            .unwrap_or(0);
        let at_head = session.at_head();
        let rows = (top.saturating_sub(8)..top)
            .rev()
            .map(|slot| {
                let decided_anywhere = picture.nodes.iter().any(|n| n.decided.iter().any(|(s, _)| *s == slot));
                (slot, (at_head || decided_anywhere).then(|| session.sim().chosen(slot)).flatten())
            })
            .collect();
        Props { moment: moment.clone(), rows }
    }
}

/// The rows are a function of the moment: what the checker chose is fixed by the run, the branch
/// and the trace's length, which the moment's picture is keyed on (`state::shown`).
impl PartialEq for Props {
    fn eq(&self, other: &Props) -> bool {
        self.moment == other.moment
    }
}

/// Rows are slots, columns nodes; each cell what the node accepted (or decided) in the slot; the
/// chosen value is highlighted with the quorum that chose it.
pub fn view(p: &Props) -> Html {
    let picture = &p.moment.0;
    let rows = &p.rows;
    let body: Html = rows
        .iter()
        .map(|(slot, chosen)| {
            let slot = *slot;
            let cells: Html = picture
                .nodes
                .iter()
                .map(|n| {
                    let decided = n.decided.iter().find(|(s, _)| *s == slot).map(|(_, v)| v);
                    let accepted = n.slots.iter().find(|s| s.slot == slot).and_then(|s| s.accepted.as_ref());
                    let in_quorum = chosen.as_ref().is_some_and(|(_, _, voters)| voters.contains(n.id));
                    let (text, class) = match (decided, accepted) {
                        (Some(v), _) => (format!("✓ {}", value_words(v)), "decided"),
                        (None, Some((b, v))) => (format!("{b}: {}", value_words(v)), "accepted"),
                        (None, None) if slot < n.decided_prefix => (t("slots.compacted"), "decided"),
                        _ => (String::new(), ""),
                    };
                    html! { <td class={class_list(&[Some(class), in_quorum.then_some("quorum")])}>{ text }</td> }
                })
                .collect();
            let head = match &chosen {
                Some((v, b, voters)) => {
                    let voters = voters.iter().map(|n| NodeName(n).to_string()).collect::<Vec<_>>().join(",");
                    tf(
                        "slots.chose",
                        &[("slot", &slot), ("value", &value_words(v)), ("ballot", b), ("voters", &voters)],
                    )
                }
                None => slot.to_string(),
            };
            html! { <tr><th class={chosen.is_some().then_some("chosen")}>{ head }</th>{ cells }</tr> }
        })
        .collect();
    html! {
        <section class="panel slots">
            <h2>{ t("slots.title") }</h2>
            { if rows.is_empty() { html! { <p class="muted">{ t("slots.empty") }</p> } } else { html! {
                <div class="scroll">
                    <table>
                        <thead><tr><th>{ t("slots.slot") }</th>{ for picture.nodes.iter().map(|n| html! { <th>{ NodeName(n.id).to_string() }</th> }) }</tr></thead>
                        <tbody>{ body }</tbody>
                    </table>
                </div>
            } } }
            <p class="muted small">{ t("slots.legend") }</p>
        </section>
    }
}
