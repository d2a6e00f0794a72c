//! [`VecMap`]: a map kept as a `Vec` sorted by key — the part of `BTreeMap`'s interface the
//! protocols and checkers use, with the same key order; [`VecSet`], the same for sets.
//!
//! Why not `BTreeMap`: the browser bundle carries one copy of a map's code per key/value type, and
//! a B-tree's copy (node splits, merges, rebalancing) is several times the size of a sorted
//! `Vec`'s. The maps here are small, or filled in (nearly) increasing key order — slots, ballots,
//! request numbers — so inserting into a sorted `Vec` mostly appends.
//!
//! Why not `litemap` (ICU4X's sorted-`Vec` map, also `no_std`): measured under this same API
//! (BENCHMARKS.md, "Hand-written infrastructure, measured"), it made the bundle 462 bytes larger
//! and the simulator with its checkers 3% slower (it binary-searches where [`VecMap::insert`] first
//! looks at the last key), while the wrapper would still need our `range`, `retain`, `FromIterator`
//! (litemap's sorts with a stable sort, one more per key/value type in the bundle), `Hash` and `Debug`.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::{Bound, RangeBounds};

/// A map from `K` to `V`, iterated in key order, like `BTreeMap` (and hashed and printed like it).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct VecMap<K, V> {
    /// Sorted by key, no key twice.
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        VecMap { items: Vec::new() }
    }

    /// Where `key` is (`Ok`), or where it would go (`Err`).
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Keys mostly arrive in increasing order: look at the last one first.
        match self.items.last() {
            Some((last, _)) if last.borrow() < key => Err(self.items.len()),
            _ => self.items.binary_search_by(|(k, _)| k.borrow().cmp(key)),
        }
    }

    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    /// The value for `key`, to change.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.items[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Puts `value` under `key`, returning what was there.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes the value for `key` out.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.items.remove(i).1)
    }

    /// The place for `key`, filled or not.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.find(&key);
        Entry { map: self, key, at }
    }

    /// The entries whose keys lie in `range`, in key order.
    pub fn range<R: RangeBounds<K>>(&self, range: R) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        let start = match range.start_bound() {
            Bound::Included(k) => self.find(k).unwrap_or_else(|i| i),
            Bound::Excluded(k) => self.find(k).map_or_else(|i| i, |i| i + 1),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(k) => self.find(k).map_or_else(|i| i, |i| i + 1),
            Bound::Excluded(k) => self.find(k).unwrap_or_else(|i| i),
            Bound::Unbounded => self.items.len(),
        };
        self.items[start..end.max(start)].iter().map(|(k, v)| (k, v))
    }
}

impl<K, V> VecMap<K, V> {
    /// How many keys have a value.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no key has a value.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Empties the map.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.items.iter().map(|(k, v)| (k, v))
    }

    /// Every entry, values to change, in key order.
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.items.iter().map(|(k, _)| k)
    }

    /// Every value, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.items.iter().map(|(_, v)| v)
    }

    /// Every value, to change, in key order.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.items.iter_mut().map(|(_, v)| v)
    }

    /// The entry with the lowest key.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.items.first().map(|(k, v)| (k, v))
    }

    /// The entry with the highest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.items.last().map(|(k, v)| (k, v))
    }

    /// Keeps the entries for which `keep` says yes.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for VecMap<K, V> {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = alloc::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = core::iter::Map<core::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

/// `map[&key]`: the value for `key`, which must have one.
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> core::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

/// Hashes like `BTreeMap`: the length, then each entry in key order.
impl<K: Hash, V: Hash> Hash for VecMap<K, V> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.items.len());
        for (k, v) in &self.items {
            k.hash(state);
            v.hash(state);
        }
    }
}

/// Prints like `BTreeMap`: `{k: v, …}`.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A key's place in a [`VecMap`], from [`VecMap::entry`].
pub struct Entry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    key: K,
    /// `Ok(i)`: the key is at `i`; `Err(i)`: it would go there.
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The value, put there first if the key had none.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The value, made by `make` first if the key had none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.items.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.items[i].1
    }

    /// The value, the default first if the key had none.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

/// A set of `T`, iterated in order, like `BTreeSet`: a [`VecMap`] without values.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct VecSet<T> {
    map: VecMap<T, ()>,
}

impl<T: Ord> VecSet<T> {
    /// An empty set.
    pub const fn new() -> Self {
        VecSet { map: VecMap::new() }
    }

    /// Adds `item`; whether it was new.
    pub fn insert(&mut self, item: T) -> bool {
        self.map.insert(item, ()).is_none()
    }

    /// Takes `item` out; whether it was there.
    pub fn remove(&mut self, item: &T) -> bool {
        self.map.remove(item).is_some()
    }

    /// Whether `item` is in the set.
    pub fn contains(&self, item: &T) -> bool {
        self.map.contains_key(item)
    }
}

impl<T> VecSet<T> {
    /// How many items.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every item, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.map.keys()
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = core::iter::Map<core::slice::Iter<'a, (T, ())>, fn(&'a (T, ())) -> &'a T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.items.iter().map(|(item, ())| item)
    }
}

/// Prints like `BTreeSet`: `{a, …}`.
impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;

    /// Behaves like a `BTreeMap` under any sequence of inserts, removals and range queries.
    #[test]
    fn like_btreemap() {
        let mut rng = crate::rng::Prng::derive(7, 0);
        let mut map = VecMap::new();
        let mut reference = BTreeMap::new();
        for step in 0..5_000u32 {
            let key = rng.below(64) as u32;
            match rng.below(4) {
                0 => assert_eq!(map.remove(&key), reference.remove(&key)),
                1 => {
                    *map.entry(key).or_insert(0) += 1;
                    *reference.entry(key).or_insert(0) += 1;
                }
                _ => assert_eq!(map.insert(key, step), reference.insert(key, step)),
            }
            let lo = rng.below(70) as u32;
            let hi = lo + rng.below(10) as u32;
            assert!(map.range(lo..hi).eq(reference.range(lo..hi)));
            assert!(map.range(lo..=hi).eq(reference.range(lo..=hi)));
            assert!(map.range(lo..).eq(reference.range(lo..)));
            assert_eq!(map.get(&key), reference.get(&key));
        }
    }
}
