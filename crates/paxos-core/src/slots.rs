//! [`SlotMap`]: values keyed by slot, for keys that sit in a window (the slots just above the decided
//! prefix, where proposals and accepted values live) — a ring buffer rather than a tree.

use alloc::collections::VecDeque;

use crate::types::Slot;

/// A map from slots to values whose keys lie close together. Iteration is in slot order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SlotMap<T> {
    /// `items[i]` is slot `base + i`. Never starts or ends with `None` (so equal maps are equal).
    items: VecDeque<Option<T>>,
    base: Slot,
    len: usize,
}

impl<T> Default for SlotMap<T> {
    fn default() -> Self {
        SlotMap { items: VecDeque::new(), base: 0, len: 0 }
    }
}

impl<T> SlotMap<T> {
    /// How many slots hold a value.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no slot holds a value.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index(&self, slot: Slot) -> Option<usize> {
        slot.checked_sub(self.base).map(|i| i as usize).filter(|&i| i < self.items.len())
    }

    /// The value in `slot`.
    pub fn get(&self, slot: Slot) -> Option<&T> {
        self.items.get(self.index(slot)?)?.as_ref()
    }

    /// The value in `slot`, to change.
    pub fn get_mut(&mut self, slot: Slot) -> Option<&mut T> {
        let index = self.index(slot)?;
        self.items.get_mut(index)?.as_mut()
    }

    /// Puts `value` in `slot`, returning what was there.
    pub fn insert(&mut self, slot: Slot, value: T) -> Option<T> {
        if self.items.is_empty() {
            self.base = slot;
        }
        while slot < self.base {
            self.items.push_front(None);
            self.base -= 1;
        }
        let index = (slot - self.base) as usize;
        if index >= self.items.len() {
            self.items.resize_with(index + 1, || None);
        }
        let old = self.items[index].replace(value);
        self.len += usize::from(old.is_none());
        old
    }

    /// Takes the value out of `slot`.
    pub fn remove(&mut self, slot: Slot) -> Option<T> {
        let index = self.index(slot)?;
        let old = self.items[index].take()?;
        self.len -= 1;
        self.trim();
        Some(old)
    }

    /// Drops every slot below `from`.
    pub fn remove_below(&mut self, from: Slot) {
        while self.base < from && !self.items.is_empty() {
            if self.items.pop_front().flatten().is_some() {
                self.len -= 1;
            }
            self.base += 1;
        }
        self.trim();
    }

    fn trim(&mut self) {
        while let Some(None) = self.items.front() {
            self.items.pop_front();
            self.base += 1;
        }
        while let Some(None) = self.items.back() {
            self.items.pop_back();
        }
        if self.items.is_empty() {
            self.base = 0;
        }
    }

    /// Every slot with its value, in slot order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Slot, &T)> {
        let base = self.base;
        self.items.iter().enumerate().filter_map(move |(i, v)| Some((base + i as Slot, v.as_ref()?)))
    }

    /// Every slot with its value, to change, in slot order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Slot, &mut T)> {
        let base = self.base;
        self.items.iter_mut().enumerate().filter_map(move |(i, v)| Some((base + i as Slot, v.as_mut()?)))
    }

    /// The slots from `from` on, with their values, in slot order.
    pub fn from(&self, from: Slot) -> impl Iterator<Item = (Slot, &T)> {
        self.iter().skip_while(move |(slot, _)| *slot < from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec::Vec;

    /// Behaves like a `BTreeMap` under any sequence of inserts, removals and changes in place, read
    /// forwards, backwards and from a slot on.
    #[test]
    fn agrees_with_a_btree_map() {
        let mut rng = crate::Prng::new(11);
        let mut map = SlotMap::default();
        let mut reference = BTreeMap::new();
        for step in 0..20_000u32 {
            let slot = 100 + rng.below(40) as Slot;
            match rng.below(7) {
                0 | 1 => assert_eq!(map.insert(slot, step), reference.insert(slot, step)),
                2 => assert_eq!(map.remove(slot), reference.remove(&slot)),
                3 => {
                    let from = 100 + rng.below(40) as Slot;
                    map.remove_below(from);
                    reference = reference.split_off(&from);
                }
                4 => {
                    if let Some(v) = map.get_mut(slot) {
                        *v += 1;
                    }
                    if let Some(v) = reference.get_mut(&slot) {
                        *v += 1;
                    }
                }
                5 => {
                    map.iter_mut().for_each(|(s, v)| *v += s);
                    reference.iter_mut().for_each(|(s, v)| *v += *s);
                }
                _ => assert_eq!(map.get(slot), reference.get(&slot)),
            }
            assert_eq!(map.len(), reference.len());
            assert_eq!(map.is_empty(), reference.is_empty());
            let from = 100 + rng.below(40) as Slot;
            let ours: Vec<_> = map.from(from).map(|(s, v)| (s, *v)).collect();
            let theirs: Vec<_> = reference.range(from..).map(|(s, v)| (*s, *v)).collect();
            assert_eq!(ours, theirs);
            let ours: Vec<_> = map.iter().rev().map(|(s, v)| (s, *v)).collect();
            let theirs: Vec<_> = reference.iter().rev().map(|(s, v)| (*s, *v)).collect();
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn equal_contents_are_equal_maps() {
        let mut a = SlotMap::default();
        a.insert(5, 'x');
        a.insert(9, 'y');
        a.remove(9);
        let mut b = SlotMap::default();
        b.insert(5, 'x');
        assert_eq!(a, b);
        a.remove(5);
        assert_eq!(a, SlotMap::default());
    }
}
