//! The replicated state machine: a key-value store of integers with `get`, `set` and `inc`.
//!
//! Every replica applies the decided log to its own store, slot by slot, in slot order. A client may
//! send the same request more than once (after a timeout, or to a new leader), and the log may then
//! hold it more than once; the store applies each `(client, seq)` exactly once and answers a repeat
//! with the outcome it recorded the first time (the "session table" of Raft's thesis, §6.3).

use crate::vec_map::VecMap;

use crate::types::{ClientId, Command, Key, Op, Outcome, Seq, Value};

/// A key-value store with a per-client session table for exactly-once application.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Store {
    data: VecMap<Key, i64>,
    sessions: VecMap<ClientId, Session>,
    dedup: bool,
}

/// The last request a client had applied and its outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Session {
    seq: Seq,
    outcome: Outcome,
}

impl Store {
    /// An empty store that applies each `(client, seq)` once.
    pub fn new() -> Store {
        Store { dedup: true, ..Store::default() }
    }

    /// An empty store without the session table: a repeated request is applied again. Only for the
    /// planted bug that shows why the table is needed.
    pub fn without_dedup() -> Store {
        Store::default()
    }

    /// Applies every command of a decided value, in order, returning each command's outcome.
    pub fn apply_value<'v>(&mut self, value: &'v Value) -> impl Iterator<Item = (&'v Command, Outcome)> {
        value.commands().iter().map(|command| (command, self.apply(command)))
    }

    /// Applies one command (or recalls its outcome if it was applied before) and returns the outcome.
    pub fn apply(&mut self, command: &Command) -> Outcome {
        if let Some(outcome) = self.recall(command) {
            return outcome;
        }
        let outcome = match command.op {
            Op::Get(key) => Outcome::Value(self.get(key)),
            Op::Set(key, value) => {
                self.data.insert(key, value);
                Outcome::Done
            }
            Op::Inc(key, by) => {
                let value = self.get(key).wrapping_add(by);
                self.data.insert(key, value);
                Outcome::Value(value)
            }
        };
        if self.dedup {
            self.sessions.insert(command.client, Session { seq: command.seq, outcome });
        }
        outcome
    }

    /// The outcome of `command` if the store has applied it already.
    ///
    /// A client numbers its requests 1, 2, 3, … and has one outstanding at a time, so a request
    /// older than the client's last applied one will never be waited for; it is answered with the
    /// last outcome, which the client ignores.
    pub fn recall(&self, command: &Command) -> Option<Outcome> {
        let session = self.sessions.get(&command.client)?;
        (command.seq <= session.seq).then_some(session.outcome)
    }

    /// The value of `key` (0 if it was never written).
    pub fn get(&self, key: Key) -> i64 {
        self.data.get(&key).copied().unwrap_or(0)
    }

    /// Every key that was written, with its value, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (Key, i64)> + '_ {
        self.data.iter().map(|(&k, &v)| (k, v))
    }

    /// The session table: each client's last applied request number and its outcome, in client
    /// order (for checkers that compare replicas' tables).
    pub fn sessions(&self) -> impl Iterator<Item = (ClientId, Seq, Outcome)> + '_ {
        self.sessions.iter().map(|(&client, s)| (client, s.seq, s.outcome))
    }

    /// Whether two stores hold the same data (session tables aside).
    pub fn same_data(&self, other: &Store) -> bool {
        self.data == other.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(client: ClientId, seq: Seq, op: Op) -> Command {
        Command { client, seq, op }
    }

    #[test]
    fn get_set_inc() {
        let mut store = Store::new();
        assert_eq!(store.apply(&cmd(1, 1, Op::Get(0))), Outcome::Value(0));
        assert_eq!(store.apply(&cmd(1, 2, Op::Set(0, 5))), Outcome::Done);
        assert_eq!(store.apply(&cmd(1, 3, Op::Inc(0, 2))), Outcome::Value(7));
        assert_eq!(store.apply(&cmd(2, 1, Op::Inc(0, i64::MAX))), Outcome::Value(7i64.wrapping_add(i64::MAX)));
    }

    /// Raft thesis §6.3: a retried request must not be applied twice; the retry gets the first answer.
    #[test]
    fn a_repeated_request_is_applied_once() {
        let mut store = Store::new();
        let inc = cmd(1, 1, Op::Inc(0, 1));
        assert_eq!(store.apply(&inc), Outcome::Value(1));
        assert_eq!(store.apply(&inc), Outcome::Value(1));
        assert_eq!(store.get(0), 1);

        let mut buggy = Store::without_dedup();
        buggy.apply(&inc);
        buggy.apply(&inc);
        assert_eq!(buggy.get(0), 2, "without the session table the retry is applied again");
    }

    /// The store-is-fold checker compares replicas with `same_data`: it must see a difference in any
    /// key's value, and ignore only the session tables.
    #[test]
    fn same_data_tells_stores_apart_by_their_values_only() {
        let (mut a, mut b) = (Store::new(), Store::new());
        assert!(a.same_data(&b));
        a.apply(&cmd(1, 1, Op::Set(2, 5)));
        assert!(!a.same_data(&b) && !b.same_data(&a), "a key written on one side only");
        b.apply(&cmd(2, 1, Op::Set(2, 5)));
        assert!(a.same_data(&b), "the same data written by other clients: session tables aside");
        b.apply(&cmd(2, 2, Op::Inc(2, 1)));
        assert!(!a.same_data(&b), "the same key with another value");
    }
}
