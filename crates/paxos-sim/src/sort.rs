//! Stable sorting with one sort compiled for all the simulator's element types.
//!
//! Rust compiles a sort once per element type and comparison, and each copy of the stable sort is
//! about 5 KB of the browser bundle. [`sort_by_key`] sorts (key, position) pairs instead — always
//! the same type — and then moves the elements into that order. The positions make the pairs
//! distinct, so the order is exactly the stable sort's: elements with equal keys keep their order.

/// Sorts `items` by `key` (two numbers, compared in turn), keeping equal keys in their order.
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> (u64, u64)) {
    let mut order: Vec<(u64, u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(position, item)| {
            let (a, b) = key(item);
            (a, b, position)
        })
        .collect();
    order.sort_unstable();
    let mut taken: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().map(|&(_, _, position)| taken[position].take().expect("each position once")));
}

#[cfg(test)]
mod tests {
    use paxos_core::Prng;

    /// Gives the order of the standard library's stable sort.
    #[test]
    fn like_the_stable_sort() {
        let mut rng = Prng::derive(3, 0);
        for len in 0..200 {
            let items: Vec<(u64, u64, u32)> = (0..len).map(|i| (rng.below(5), rng.below(3), i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(a, b, _)| (a, b));
            let mut got = items;
            super::sort_by_key(&mut got, |&(a, b, _)| (a, b));
            assert_eq!(got, expected);
        }
    }
}
