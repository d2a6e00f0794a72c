//! The client history: every operation from its invocation to its return, read off the trace.
//!
//! Exported as JSON lines in Jepsen's shape (`docs/formats.md`): one `invoke` line per operation and
//! one `ok` line when it returned, or an `info` line at the end of the run if it never did (it may or
//! may not have taken effect).

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

    /// The history as Jepsen-shaped JSON lines, in time order; operations still open at `end` get an
    /// `info` line at `end`.
    pub fn jepsen_lines(&self, end: Time) -> Vec<String> {
        let mut lines: Vec<(EventId, String)> = Vec::new();
        for op in &self.operations {
            let (f, key, argument) = crate::trace::op_fields(op.op);
            let (f, key) = (json_string(["get", "set", "inc"][f as usize]), json_string(&key_name(key).to_string()));
            let line = |kind: &str, value: Option<i64>, time: Time| {
                json_object([
                    ("process", op.client.to_value()),
                    ("type", json_string(kind)),
                    ("f", f.clone()),
                    ("key", key.clone()),
                    ("value", json_number(value)),
                    ("time", time.to_value()),
                ])
            };
            lines.push((op.invoke.0, line("invoke", argument, op.invoke.1)));
            match op.ret {
                Some((id, time, outcome)) => {
                    let value = match outcome {
                        Outcome::Value(v) => Some(v),
                        _ => argument,
                    };
                    lines.push((id, line("ok", value, time)));
                }
                None => lines.push((EventId::MAX, line("info", argument, end))),
            }
        }
        crate::sort::sort_by_key(&mut lines, |&(id, _)| (id, 0));
        lines.into_iter().map(|(_, line)| line).collect()
    }
}
