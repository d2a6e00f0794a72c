//! The playground's model: a session of runs, the time cursor, branches, and the figures the panels
//! show — plain Rust with no browser in it, so it is unit-tested natively.
//!
//! ```text
//!   Setup ──simulate()──▶ run 1 ──act in the past──▶ run 2 (a branch: run 1 replayed up to the
//!                           │                          │    cursor, then the new action)
//!                        cursor ◀── play / step / scrub ┘
//! ```
//!
//! The **cursor** is a virtual time; the event shown is the last one at or before it (or, after
//! stepping event by event, the event pinned). At the head of the run the picture is the world
//! now; behind it, the simulator seeks (`Simulation::picture(Some(event))`). Acting behind the head
//! starts a **branch**: the run is replayed up to the event shown (`Simulation::branch`, which also
//! rebuilds the checkers), the action is taken there, and the earlier run stays selectable.

use core::fmt::Write as _;

use paxos_core::{Value, key_name};
use paxos_sim::faults::Fault;
use paxos_sim::trace::Time;

use crate::i18n::{t, tf};

pub use paxos_play::session::{Branch, Session};
pub use paxos_play::share::{MAX_WORKLOAD, MIN_NODES, PLAY_MS, Setup};

/// Why Fast Paxos with this many acceptors falls short of what seed 001 expects (surviving one
/// failure in a fast round), if it does — the core's explanation (`paxos_core::fast`).
///
/// Worded here from the catalogue (`setup.fast_*`) rather than by `too_small_explanation`, whose
/// English the command line keeps; the numbers are the core's.
pub fn fast_paxos_warning(nodes: u8) -> Option<String> {
    let acceptors = usize::from(nodes);
    if acceptors >= 5 {
        return None;
    }
    let (fast, classic) = (paxos_core::fast_quorum_of(acceptors), paxos_core::majority_of(acceptors));
    Some(match paxos_core::fast::fast_rounds_tolerate(acceptors) {
        0 => tf("setup.fast_none", &[("acceptors", &acceptors), ("fast", &fast)]),
        tolerated => tf(
            "setup.fast_some",
            &[("acceptors", &acceptors), ("fast", &fast), ("classic", &classic), ("tolerated", &tolerated)],
        ),
    })
}

/// A value as people read it: `no-op`, `inc a 1`, `set b 4; inc a 1`, …
pub fn value_words(value: &Value) -> String {
    match value {
        Value::Noop => "no-op".to_string(),
        Value::Batch(commands) => {
            let mut out = String::new();
            for (i, command) in commands.iter().take(2).enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let _ = write!(out, "{}", command.op);
            }
            if commands.len() > 2 {
                let _ = write!(out, " +{}", commands.len() - 2);
            }
            out
        }
    }
}

/// A fault as people read it (`fault.*` in the catalogue).
pub fn fault_words(fault: &Fault) -> String {
    let node = |key: &str, node: &dyn core::fmt::Display| tf(key, &[("node", node)]);
    let link = |key: &str, from: &dyn core::fmt::Display, to: &dyn core::fmt::Display, both: bool| {
        tf(key, &[("from", from), ("to", to), ("arrow", &if both { "↔" } else { "→" })])
    };
    match fault {
        Fault::Crash { node: n } => node("fault.crash", n),
        Fault::Restart { node: n } => node("fault.restart", n),
        Fault::Pause { node: n } => node("fault.pause", n),
        Fault::Resume { node: n } => node("fault.resume", n),
        Fault::Timeout { node: n } => node("fault.timeout", n),
        Fault::Partition { groups } => {
            let groups: Vec<String> =
                groups.iter().map(|g| g.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")).collect();
            tf("fault.partition", &[("groups", &groups.join(" | "))])
        }
        Fault::Cut { from, to, both } => link("fault.cut", from, to, *both),
        Fault::Repair { from, to, both } => link("fault.repair", from, to, *both),
        Fault::Heal {} => t("fault.heal"),
        Fault::Request { node, op, .. } => match node {
            Some(node) => tf("fault.request_at", &[("op", op), ("node", node)]),
            None => tf("fault.request", &[("op", op)]),
        },
        Fault::DropMessage { msg } => tf("fault.drop", &[("msg", msg)]),
        Fault::DuplicateMessage { msg } => tf("fault.duplicate", &[("msg", msg)]),
        Fault::DelayMessage { msg, by_us } => tf("fault.delay", &[("msg", msg), ("ms", &(by_us / 1_000))]),
        other => paxos_json::to_string(other),
    }
}

/// Virtual time as people read it: `1.234 s` or `56.7 ms` (the units from the catalogue).
pub fn time_words(time: Time) -> String {
    if time >= 1_000_000 {
        tf("time.s", &[("value", &format_args!("{}.{:03}", time / 1_000_000, (time / 1_000) % 1_000))])
    } else {
        tf("time.ms", &[("value", &format_args!("{}.{}", time / 1_000, (time / 100) % 10))])
    }
}

/// A key as people read it.
pub fn key_words(key: paxos_core::Key) -> String {
    key_name(key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_sim::config::NodeName;

    #[test]
    fn impossible_setups_are_explained() {
        let setup = |nodes, workload| Setup { nodes, workload, ..Setup::default() };
        assert_eq!(setup(2, 1).config(None).unwrap_err(), "a cluster has 3 to 9 nodes here (asked for 2)");
        assert_eq!(setup(10, 1).config(None).unwrap_err(), "a cluster has 3 to 9 nodes here (asked for 10)");
        assert_eq!(setup(5, 9).config(None).unwrap_err(), "at most 8 background clients (asked for 9)");
        assert!(paxos_play::scenario::lookup("no-such").unwrap_err().0.starts_with("no scenario named 'no-such'"));
    }

    /// Seed 001: Fast Paxos needs at least 5 acceptors to survive one failure in a fast round. With
    /// ⌈3n/4⌉ (Fast Paxos §3.3), 3 acceptors survive none, and 4 survive one only because an even
    /// cluster's majority is as large as its fast quorum: both are explained, 5 and more are not.
    #[test]
    fn fast_paxos_below_five_acceptors_is_explained() {
        crate::i18n::install_builtin(paxos_play::lang::Lang::En);
        let three = fast_paxos_warning(3).expect("3 acceptors: a fast quorum of 3 survives no failure");
        assert!(three.contains("needs all 3 of them") && three.contains("at least 5 acceptors"), "{three}");
        let four = fast_paxos_warning(4).expect("4 acceptors fall short of the seed's rule");
        assert!(four.contains("survives 1 failure"), "{four}");
        for n in 5..=9 {
            assert_eq!(fast_paxos_warning(n), None, "n = {n}");
        }
    }

    #[test]
    fn words_for_values_faults_and_times() {
        crate::i18n::install_builtin(paxos_play::lang::Lang::En);
        assert_eq!(value_words(&Value::Noop), "no-op");
        assert_eq!(fault_words(&Fault::Crash { node: NodeName(2) }), "crash n3");
        assert_eq!(time_words(1_234_567), "1.234 s");
        assert_eq!(time_words(56_789), "56.7 ms");
    }
}
