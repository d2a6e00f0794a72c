//! The client history: every operation from its invocation to its return, read off the trace.
//!
//! Exported in Jepsen's shape (`docs/formats.md`), as JSON lines or as EDN ([`crate::edn`]): one
//! `invoke` line per operation and one `ok` line when it returned, or an `info` line at the end of
//! the run if it never did (it may or may not have taken effect). [`History::lines`] fixes the lines
//! and their order once for both.

use paxos_core::vec_map::VecMap;
use paxos_core::{ClientId, Op, Outcome, Seq, key_name};

use crate::check::linearizable::Operation;
use crate::json::ToJson;
use crate::trace::{Event, EventId, EventKind, Time, json_number, json_object, json_string};

/// Every client operation of a run so far, in invocation order.
#[derive(Clone, Debug, Default)]
pub struct History {
    operations: Vec<Operation>,
    /// Operation index by client, then request number (per client, in increasing order).
    index: Vec<VecMap<Seq, usize>>,
}

impl History {
    /// Takes note of an invocation or a return.
    pub fn record(&mut self, id: EventId, event: &Event) {
        match event.kind {
            EventKind::Invoke { client, seq, op } => {
                if self.index.len() <= client as usize {
                    self.index.resize_with(client as usize + 1, VecMap::new);
                }
                self.index[client as usize].insert(seq, self.operations.len());
                self.operations.push(Operation { client, op, invoke: (id, event.time), ret: None });
            }
            EventKind::Return { client, seq, value } => {
                if let Some(i) = self.position(client, seq) {
                    let outcome = value.map_or(Outcome::Done, Outcome::Value);
                    self.operations[i].ret = Some((id, event.time, outcome));
                }
            }
            _ => {}
        }
    }

    /// Every operation, in invocation order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation client `client` invoked as request `seq`, if it did.
    pub fn invoked(&self, client: ClientId, seq: Seq) -> Option<Op> {
        self.position(client, seq).map(|i| self.operations[i].op)
    }

    /// Where the operation client `client` invoked as request `seq` is in `operations`.
    fn position(&self, client: ClientId, seq: Seq) -> Option<usize> {
        self.index.get(client as usize)?.get(&seq).copied()
    }

    /// How many operations returned.
    pub fn completed(&self) -> usize {
        self.operations.iter().filter(|o| o.ret.is_some()).count()
    }

    /// The lines of the history as exported (`docs/formats.md`), in their order: each operation's
    /// invocation, and its return or, if it has none, an `info` line at `end`.
    ///
    /// The order is the trace's (event ids strictly increase, while two events may share a time), so
    /// a line's place, not its `time`, is the real-time order a checker needs: an operation whose
    /// `ok` line comes before another's `invoke` line finished before the other began. `info` lines
    /// come last, in invocation order.
    pub fn lines(&self, end: Time) -> Vec<Line<'_>> {
        let mut lines: Vec<(EventId, Line<'_>)> = Vec::with_capacity(2 * self.operations.len());
        for operation in &self.operations {
            let (id, time) = operation.invoke;
            lines.push((id, Line { operation, kind: LineKind::Invoke, time }));
            lines.push(match operation.ret {
                Some((id, time, outcome)) => (id, Line { operation, kind: LineKind::Ok(outcome), time }),
                None => (EventId::MAX, Line { operation, kind: LineKind::Info, time: end }),
            });
        }
        crate::sort::sort_by_key(&mut lines, |&(id, _)| (id, 0));
        lines.into_iter().map(|(_, line)| line).collect()
    }

    /// The history as Jepsen-shaped JSON lines, in the order of [`History::lines`]; operations still
    /// open at `end` get an `info` line at `end`.
    pub fn jepsen_lines(&self, end: Time) -> Vec<String> {
        let line_json = |line: &Line<'_>| {
            let (f, key, argument) = crate::trace::op_fields(line.operation.op);
            let value = match line.kind {
                LineKind::Ok(Outcome::Value(v)) => Some(v),
                _ => argument,
            };
            json_object([
                ("process", line.operation.client.to_value()),
                ("type", json_string(line.kind.name())),
                ("f", json_string(["get", "set", "inc"][f as usize])),
                ("key", json_string(&key_name(key).to_string())),
                ("value", json_number(value)),
                ("time", line.time.to_value()),
            ])
        };
        self.lines(end).iter().map(line_json).collect()
    }

    /// The history in Jepsen's EDN shape, one operation map a line, for Knossos: see [`crate::edn`].
    pub fn edn_lines(&self, end: Time) -> Vec<String> {
        crate::edn::history_lines(&self.lines(end))
    }
}

/// One line of an exported history: an operation's invocation, or how it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line<'h> {
    /// The operation.
    pub operation: &'h Operation,
    /// What this line says about it.
    pub kind: LineKind,
    /// When, in virtual µs: the invocation's or the return's time, or for `info` the end of the
    /// export (the run's end), not a moment anything happened.
    pub time: Time,
}

/// What a line of an exported history says about its operation (Jepsen's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// The client invoked it (`invoke`).
    Invoke,
    /// It returned with this outcome (`ok`).
    Ok(Outcome),
    /// It had not returned when the history was exported (`info`): it may or may not have taken
    /// effect, at any moment after its invocation. Clients never give up on an operation, so there
    /// is no `fail`.
    Info,
}

impl LineKind {
    /// Jepsen's name for it: `invoke`, `ok` or `info`.
    pub const fn name(self) -> &'static str {
        match self {
            LineKind::Invoke => "invoke",
            LineKind::Ok(_) => "ok",
            LineKind::Info => "info",
        }
    }
}
