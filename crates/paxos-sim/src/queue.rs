//! The simulator's event queue: a calendar queue (Brown, "Calendar queues", CACM 1988).
//!
//! Everything due is ordered by `(time, insertion number)` — a total order, so every platform pops
//! the same sequence. Most entries are due soon (messages arrive within tens of milliseconds, ticks
//! every 10 ms), so time is cut into buckets of [`BUCKET_US`] µs and the next [`BUCKETS`] buckets sit
//! in a ring; an entry further out waits in an ordinary binary heap until its bucket comes into the
//! ring. A bucket is sorted only when it becomes the current one, and is then popped from the back.
//! Pushing and popping cost O(1) on average, against O(log n) for a heap of a few hundred entries;
//! `BENCHMARKS.md` records what that gained.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::trace::Time;

/// The width of a bucket, µs.
pub const BUCKET_US: Time = 1_024;

/// How many buckets the ring holds (so it spans `BUCKETS × BUCKET_US` ≈ 65 ms).
pub const BUCKETS: usize = 64;

/// An entry's position in the order: its time, then its insertion number.
pub type Key = (Time, u64);

/// See the module docs.
#[derive(Clone, Debug)]
pub struct Queue<T> {
    /// `ring[b % BUCKETS]` holds the entries of absolute bucket `b`, for `current <= b < current + BUCKETS`.
    ring: Vec<Vec<(Key, T)>>,
    /// The absolute bucket (`time / BUCKET_US`) entries are popped from now.
    current: u64,
    /// Whether the current bucket is sorted, largest key first.
    sorted: bool,
    /// Entries of buckets beyond the ring.
    later: BinaryHeap<Reverse<Later<T>>>,
    len: usize,
}

/// An entry of `later`, ordered by its key only.
#[derive(Clone, Debug)]
struct Later<T>(Key, T);

impl<T> PartialEq for Later<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T> Eq for Later<T> {}

impl<T> PartialOrd for Later<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Later<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            ring: (0..BUCKETS).map(|_| Vec::new()).collect(),
            current: 0,
            sorted: false,
            later: BinaryHeap::new(),
            len: 0,
        }
    }
}

fn bucket(time: Time) -> u64 {
    time / BUCKET_US
}

/// Sorts a bucket by key, largest first, by insertion: a bucket holds the few entries due within its
/// microseconds, which is what insertion sort is quick at (the standard library's sort also uses it
/// below 20 elements), and its code is a few dozen bytes where `sort_unstable_by` would compile a
/// second quicksort into the browser bundle (1.9 KB gzipped).
fn largest_first<T>(entries: &mut [(Key, T)]) {
    for i in 1..entries.len() {
        let mut j = i;
        while j > 0 && entries[j - 1].0 < entries[j].0 {
            entries.swap(j - 1, j);
            j -= 1;
        }
    }
}

impl<T> Queue<T> {
    /// How many entries wait.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether none waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds an entry. Its time must not be before the last popped entry's.
    pub fn push(&mut self, key: Key, item: T) {
        self.len += 1;
        let b = bucket(key.0).max(self.current);
        if b >= self.current + BUCKETS as u64 {
            self.later.push(Reverse(Later(key, item)));
            return;
        }
        let entries = &mut self.ring[b as usize % BUCKETS];
        if b == self.current && self.sorted {
            // Keep the current bucket sorted (largest first): it is being popped from the back.
            let at = entries.partition_point(|(k, _)| *k > key);
            entries.insert(at, (key, item));
        } else {
            entries.push((key, item));
        }
    }

    /// The smallest key, if any, without moving (a scan: for occasional use).
    pub fn first_key(&self) -> Option<Key> {
        let ring = (0..BUCKETS as u64).map(|i| &self.ring[(self.current + i) as usize % BUCKETS]);
        let soonest =
            ring.filter(|entries| !entries.is_empty()).find_map(|entries| entries.iter().map(|(key, _)| *key).min());
        soonest.or_else(|| self.later.peek().map(|Reverse(Later(key, _))| *key))
    }

    /// The smallest key, if any (moves to the bucket it is in).
    pub fn peek_key(&mut self) -> Option<Key> {
        self.settle()?;
        self.ring[self.current as usize % BUCKETS].last().map(|(key, _)| *key)
    }

    /// Removes the entry with the smallest key.
    pub fn pop(&mut self) -> Option<(Key, T)> {
        self.settle()?;
        self.len -= 1;
        self.ring[self.current as usize % BUCKETS].pop()
    }

    /// Advances to the first non-empty bucket and sorts it; `None` if the queue is empty.
    fn settle(&mut self) -> Option<()> {
        if self.len == 0 {
            return None;
        }
        while self.ring[self.current as usize % BUCKETS].is_empty() {
            self.current = if self.len == self.later.len() {
                // The ring is empty: jump straight to the next entry's bucket.
                bucket(self.later.peek().map(|Reverse(Later(key, _))| key.0).unwrap_or_default())
            } else {
                self.current + 1
            };
            self.sorted = false;
            let end = self.current + BUCKETS as u64;
            while self.later.peek().is_some_and(|Reverse(Later(key, _))| bucket(key.0) < end) {
                let Some(Reverse(Later(key, item))) = self.later.pop() else { break };
                self.ring[bucket(key.0) as usize % BUCKETS].push((key, item));
            }
        }
        if !self.sorted {
            largest_first(&mut self.ring[self.current as usize % BUCKETS]);
            self.sorted = true;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::Prng;

    /// Pops in exactly the order a sorted list would, with pushes in between, near and far.
    #[test]
    fn pops_in_key_order_like_a_heap() {
        let mut queue = Queue::default();
        let mut heap = BinaryHeap::new();
        let mut rng = Prng::new(5);
        let mut now = 0;
        for seq in 0..50_000u64 {
            // Mostly soon, sometimes now, sometimes far beyond the ring.
            let delay = match rng.below(10) {
                0 => 0,
                1 => rng.below(2_000_000),
                _ => rng.below(40_000),
            };
            queue.push((now + delay, seq), seq);
            heap.push(Reverse((now + delay, seq)));
            if rng.below(2) == 0 {
                let popped = queue.pop().map(|(key, _)| key);
                let expected = heap.pop().map(|Reverse(key)| key);
                assert_eq!(popped, expected);
                now = popped.map_or(now, |(time, _)| time);
            }
        }
        while let Some(Reverse(expected)) = heap.pop() {
            assert_eq!(queue.first_key(), Some(expected));
            assert_eq!(queue.peek_key(), Some(expected));
            assert_eq!(queue.pop().map(|(key, _)| key), Some(expected));
        }
        assert!(queue.is_empty() && queue.pop().is_none());
    }
}
