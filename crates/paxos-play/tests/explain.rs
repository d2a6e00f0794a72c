//! The rules behind a scenario's decisions are in its trace, at the events the story is about, and
//! read as the seeds tell them.

use paxos_core::{Ballot, MsgKind, Rule, basic};
use paxos_play::explain::words;
use paxos_play::lang::{self, Lang};
use paxos_play::scenario::Scenario;
use paxos_sim::trace::Addr;
use paxos_sim::{EventId, EventKind, Run};

/// Seed 001's duel: n4 promised Y's 1.2, so X's Accept(1.1) is refused — the Nack n4 sends n1 says so,
/// and so does the delivery of that Accept.
#[test]
fn in_the_duel_n4s_nack_is_explained_by_its_promise_to_y() {
    let scenario = Scenario::named("02-duelling-proposers").unwrap();
    let mut run = Run::<basic::Node>::new(&scenario.config).unwrap();
    run.run_to_end();
    let trace = run.trace();
    let nack = trace
        .events()
        .iter()
        .position(|e| {
            matches!(e.kind, EventKind::Send { from, to, kind: MsgKind::Nack, .. }
                if from == Addr::node(3) && to == Addr::node(0))
        })
        .expect("n4 refuses X") as EventId;
    let refused =
        Rule::AcceptRefused { node: 3, to: 0, slot: 0, ballot: Ballot::new(1, 0), promised: Ballot::new(1, 1) };
    assert_eq!(trace.message_rules(nack), [refused]);
    let EventKind::Send { msg, .. } = trace.get(nack).unwrap().kind else { unreachable!() };
    assert_eq!(trace.rules_of_message(msg), [refused]);
    let delivery = (0..nack).rev().find(|&e| matches!(trace.get(e).unwrap().kind, EventKind::Deliver { .. })).unwrap();
    assert_eq!(trace.rules(delivery), [refused]);
    assert_eq!(
        words(&refused, &lang::builtin(Lang::En)),
        "n4 refused Accept 1.1 from n1 in slot 0: it promised 1.2 (last_rnd), which is higher \
         (Paxos Made Simple P1a; seed 001)"
    );
    // Y proposes its own value: the promises it got reported none.
    assert!(trace.all_rules().any(|(_, r)| matches!(r, Rule::ProposeOwn { node: 1, ballot, .. }
        if *ballot == Ballot::new(1, 1))));
}
