//! The client history as Jepsen writes histories, in EDN, so that Knossos (Jepsen's
//! linearizability checker) can check a run's history (`docs/formats.md`, "Client history as EDN").
//!
//! One operation map a line, its fields in the order Jepsen prints them (the example history of
//! `jepsen.history`'s documentation, <https://cljdoc.org/d/io.jepsen/history>):
//!
//! ```text
//! {:type :invoke, :f :read, :value ["a" nil], :time 1518000, :process 1, :index 0}
//! ```
//!
//! The store is one register per key, so every `:value` is a `[key value]` pair: the shape of
//! Jepsen's independent keys (`jepsen.independent`, whose checker splits a history by the pair's
//! key and checks each key's operations on their own; `jepsen.tests.linearizable-register` writes
//! `{:f :write, :value [k v]}`, `{:f :read, :value [k nil]}`, `{:f :cas, :value [k [v v']]}`).
//! Linearizability is local, so checking key by key is exact (Herlihy & Wing 1990, Theorem 1).
//! Each key is then a register that starts at 0, Knossos's `(cas-register 0)`:
//!
//! | operation | `:f` | `:value` |
//! |---|---|---|
//! | `get` | `:read` | `[k nil]` on the `:invoke` and `:info` lines, `[k v]` with the value read on `:ok` |
//! | `set v` | `:write` | `[k v]` |
//! | `inc d` that returned `v` | `:cas` | `[k [v−d v]]` on both lines |
//! | `inc d` that did not return | `:inc` | `[k d]` |
//!
//! An increment that returned `v` read `v − d` and wrote `v` in one atomic step, which is exactly a
//! compare-and-set from `v − d` to `v` that succeeded: Knossos's `CASRegister` steps to the new value
//! iff it holds the old one (`knossos/model.clj`). Knossos fills an invocation's value in from its
//! `:ok` completion anyway (`knossos.history/complete`), so writing the pair on the `:invoke` line
//! too changes nothing for it and lets a reader see the operation whole. An increment that never
//! returned may have added `d` to whatever the register held, or not: no model of Knossos's can say
//! that, so it keeps `:f :inc`, and a checker needs a register that knows `:inc` (the formats
//! document gives one).
//!
//! `:time` is Jepsen's unit, nanoseconds since the start of the run: the virtual µs times 1,000.

use paxos_core::{Op, Outcome, key_name};

use crate::history::{Line, LineKind};

/// The lines as EDN operation maps, one string per line, `:index` counting them from 0.
pub fn history_lines(lines: &[Line<'_>]) -> Vec<String> {
    lines.iter().enumerate().map(|(index, line)| op_map(index, line)).collect()
}

/// One operation map. Key names are `a`…`z` or `k26`…, so they need no escaping in an EDN string.
fn op_map(index: usize, line: &Line<'_>) -> String {
    let operation = line.operation;
    let answer = operation.ret.map(|(_, _, outcome)| outcome);
    let (f, value) = match (operation.op, answer) {
        (Op::Get(_), _) => match line.kind {
            LineKind::Ok(Outcome::Value(v)) => ("read", v.to_string()),
            _ => ("read", "nil".to_string()),
        },
        (Op::Set(_, v), _) => ("write", v.to_string()),
        (Op::Inc(_, by), Some(Outcome::Value(new))) => ("cas", format!("[{} {new}]", new.wrapping_sub(by))),
        (Op::Inc(_, by), _) => ("inc", by.to_string()),
    };
    format!(
        "{{:type :{}, :f :{f}, :value [\"{}\" {value}], :time {}, :process {}, :index {index}}}",
        line.kind.name(),
        key_name(operation.op.key()),
        line.time.saturating_mul(1_000),
        operation.client
    )
}
