//! The learner's record of decided slots, and [`Committed`], how checkers and the page read what a
//! node decided whatever the protocol keeps it in.

use alloc::vec::Vec;
use core::fmt;

use crate::types::{Slot, Value};

/// What a node has decided (committed), slot by slot. Paxos learners keep a [`DecidedLog`]; Raft
/// reads its committed entries straight from its own log up to the commit index, without a copy.
///
/// Not a `Debug` subtrait: a `&dyn Committed` vtable would then hold each implementor's derived
/// `Debug` (Raft's whole durable state with it) and keep it in the wasm bundle. `dyn Committed` has a
/// short `Debug` of its own below.
pub trait Committed {
    /// The first slot not yet decided: everything below it is decided.
    fn prefix(&self) -> Slot;

    /// One past the highest decided slot (the prefix if nothing beyond it is decided).
    fn end(&self) -> Slot;

    /// The value decided in `slot`, if it is decided and still kept (not compacted into a checkpoint).
    fn get(&self, slot: Slot) -> Option<&Value>;
}

impl<'a> dyn Committed + 'a {
    /// The decided slots at or after `from` whose values are kept, in slot order. It looks at every
    /// slot from `from` to [`Committed::end`], so callers ask for a short tail.
    pub fn decided_from(&self, from: Slot) -> impl Iterator<Item = (Slot, &Value)> + '_ {
        (from..self.end()).filter_map(move |slot| Some((slot, self.get(slot)?)))
    }
}

/// The decided range, `Committed { prefix: 3, end: 5 }` (what a [`crate::View`]'s `Debug` shows of it).
impl fmt::Debug for dyn Committed + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Committed {{ prefix: {}, end: {} }}", self.prefix(), self.end())
    }
}

/// Decided values by slot. Slots may be learned out of order; the *prefix* is the first slot not yet
/// decided, so slots `0..prefix` can be applied to the store.
///
/// A log can be *compacted* up to a slot covered by a checkpoint of the store: the values below it are
/// dropped (they are still decided, and the checkpoint holds their effect).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DecidedLog {
    /// `values[i]` is slot `base + i`.
    values: Vec<Option<Value>>,
    base: Slot,
    prefix: Slot,
}

impl DecidedLog {
    /// Records that `slot` holds `value`. Returns false, changing nothing, if `slot` was decided
    /// already (a slot is decided once; the checkers, not this type, judge a conflicting value).
    pub fn insert(&mut self, slot: Slot, value: Value) -> bool {
        let Some(index) = slot.checked_sub(self.base).map(|i| i as usize) else { return false };
        if index == self.values.len() {
            self.values.push(None);
        } else if index > self.values.len() {
            self.values.resize(index + 1, None);
        }
        if self.values[index].is_some() {
            return false;
        }
        self.values[index] = Some(value);
        self.advance();
        true
    }

    fn advance(&mut self) {
        while self.values.get((self.prefix - self.base) as usize).is_some_and(Option::is_some) {
            self.prefix += 1;
        }
    }

    /// The value decided in `slot`, if it is decided and not compacted away.
    pub fn get(&self, slot: Slot) -> Option<&Value> {
        self.values.get(slot.checked_sub(self.base)? as usize)?.as_ref()
    }

    /// Whether `slot` is decided.
    pub fn contains(&self, slot: Slot) -> bool {
        slot < self.base || self.get(slot).is_some()
    }

    /// The first slot not yet decided: everything below it is decided.
    pub fn prefix(&self) -> Slot {
        self.prefix
    }

    /// The first slot whose value is kept (everything below was compacted).
    pub fn base(&self) -> Slot {
        self.base
    }

    /// One past the highest decided slot (the prefix if nothing beyond it is decided).
    pub fn end(&self) -> Slot {
        self.base + self.values.len() as Slot
    }

    /// The decided slots at or after `from` whose values are kept, in slot order.
    pub fn decided_from(&self, from: Slot) -> impl Iterator<Item = (Slot, &Value)> {
        let start = (from.saturating_sub(self.base) as usize).min(self.values.len());
        let base = self.base;
        self.values[start..]
            .iter()
            .enumerate()
            .filter_map(move |(i, v)| Some((base + (start + i) as Slot, v.as_ref()?)))
    }

    /// Forgets the values of slots below `upto`, which a checkpoint covers: they count as decided
    /// from now on, so the prefix moves up to `upto` if it was below (installing a checkpoint).
    pub fn compact(&mut self, upto: Slot) {
        if upto <= self.base {
            return;
        }
        let drop = ((upto - self.base) as usize).min(self.values.len());
        self.values.drain(..drop);
        self.base = upto;
        self.prefix = self.prefix.max(upto);
        self.advance();
    }
}

impl Committed for DecidedLog {
    fn prefix(&self) -> Slot {
        self.prefix
    }

    fn end(&self) -> Slot {
        DecidedLog::end(self)
    }

    fn get(&self, slot: Slot) -> Option<&Value> {
        DecidedLog::get(self, slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_advances_only_over_contiguous_slots() {
        let mut log = DecidedLog::default();
        assert!(log.insert(1, Value::Noop));
        assert_eq!(log.prefix(), 0);
        assert_eq!(log.end(), 2);
        assert!(log.insert(0, Value::Noop));
        assert_eq!(log.prefix(), 2);
        assert!(!log.insert(0, Value::Noop), "a slot is decided once");
        assert_eq!(log.decided_from(1).map(|(s, _)| s).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn compaction_keeps_slots_decided_and_installs_a_prefix() {
        let mut log = DecidedLog::default();
        for slot in [0, 1, 2, 4] {
            log.insert(slot, Value::Noop);
        }
        log.compact(2);
        assert_eq!((log.base(), log.prefix(), log.end()), (2, 3, 5));
        assert!(log.contains(0) && log.get(0).is_none() && log.get(2).is_some());
        assert!(!log.insert(1, Value::Noop), "a compacted slot is decided");
        assert_eq!(log.decided_from(0).map(|(s, _)| s).collect::<Vec<_>>(), [2, 4]);
        // Installing a checkpoint beyond the prefix: slots up to it count as decided.
        log.compact(4);
        assert_eq!((log.base(), log.prefix()), (4, 5));
        log.compact(9);
        assert_eq!((log.base(), log.prefix(), log.end()), (9, 9, 9));
    }

    /// The checkers and the page read a learner's log through `dyn Committed`: it must say what the
    /// log itself says.
    #[test]
    fn read_as_committed_a_log_says_the_same() {
        let mut log = DecidedLog::default();
        assert!(log.insert(0, Value::Noop));
        assert!(log.insert(2, Value::Noop));
        let committed: &dyn Committed = &log;
        assert_eq!((committed.prefix(), committed.end(), committed.get(2)), (1, 3, Some(&Value::Noop)));
        assert_eq!(committed.get(1), None);
        assert_eq!(committed.decided_from(0).map(|(slot, _)| slot).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(alloc::format!("{committed:?}"), "Committed { prefix: 1, end: 3 }");
    }
}
