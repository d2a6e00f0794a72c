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

pub use paxos_play::session::{Branch, Session};
pub use paxos_play::share::{MAX_WORKLOAD, MIN_NODES, PLAY_MS, Setup};

/// Why Fast Paxos with this many acceptors falls short of what seed 001 expects (surviving one
/// failure in a fast round), if it does — the core's explanation (`paxos_core::fast`).
pub fn fast_paxos_warning(nodes: u8) -> Option<String> {
    paxos_core::fast::too_small_explanation(usize::from(nodes))
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

/// A fault as people read it.
pub fn fault_words(fault: &Fault) -> String {
    match fault {
        Fault::Crash { node } => format!("crash {node}"),
        Fault::Restart { node } => format!("restart {node}"),
        Fault::Pause { node } => format!("pause {node}"),
        Fault::Resume { node } => format!("resume {node}"),
        Fault::Timeout { node } => format!("time out {node}"),
        Fault::Partition { groups } => {
            let groups: Vec<String> =
                groups.iter().map(|g| g.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")).collect();
            format!("partition {}", groups.join(" | "))
        }
        Fault::Cut { from, to, both } => format!("cut {from} {} {to}", if *both { "↔" } else { "→" }),
        Fault::Repair { from, to, both } => format!("repair {from} {} {to}", if *both { "↔" } else { "→" }),
        Fault::Heal {} => "heal".to_string(),
        Fault::Request { node, op, .. } => match node {
            Some(node) => format!("request {op} at {node}"),
            None => format!("request {op}"),
        },
        Fault::DropMessage { msg } => format!("drop m{msg}"),
        Fault::DuplicateMessage { msg } => format!("duplicate m{msg}"),
        Fault::DelayMessage { msg, by_us } => format!("delay m{msg} by {} ms", by_us / 1_000),
        other => paxos_json::to_string(other),
    }
}

/// Virtual time as people read it: `1.234 s` or `56.7 ms`.
pub fn time_words(time: Time) -> String {
    if time >= 1_000_000 {
        format!("{}.{:03} s", time / 1_000_000, (time / 1_000) % 1_000)
    } else {
        format!("{}.{} ms", time / 1_000, (time / 100) % 10)
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
        assert_eq!(value_words(&Value::Noop), "no-op");
        assert_eq!(fault_words(&Fault::Crash { node: NodeName(2) }), "crash n3");
        assert_eq!(time_words(1_234_567), "1.234 s");
        assert_eq!(time_words(56_789), "56.7 ms");
    }
}
