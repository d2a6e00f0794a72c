//! The search: depth first over every reachable state, each remembered once by its fingerprint.

use std::collections::HashMap;
use std::fmt;

use super::{Spec, World};

/// What a complete search saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Distinct states reached (the initial one included).
    pub states: usize,
    /// Transitions taken (each successor computed, new or not).
    pub transitions: usize,
    /// The longest path from the initial state in the search's tree (without a depth bound, the
    /// search is depth first and keeps the first path found to a state, not the shortest).
    pub depth: usize,
}

/// A broken invariant and the transitions that lead to it.
#[derive(Debug)]
pub struct Counterexample {
    /// The invariant broken.
    pub error: String,
    /// The transitions from the initial state, oldest first.
    pub trace: Vec<String>,
}

impl fmt::Display for Counterexample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.error)?;
        writeln!(f, "after {} transitions:", self.trace.len())?;
        for (i, step) in self.trace.iter().enumerate() {
            writeln!(f, "{:4}. {step}", i + 1)?;
        }
        Ok(())
    }
}

/// Explores every state reachable from `initial` (the bounds are in the world's transitions) in at
/// most `max_depth` transitions (`None`: any number), checks each new one, and returns the figures,
/// or the first state that breaks an invariant.
///
/// Depth first, so memory holds the fingerprints and the states on the current path with their
/// siblings, never a whole level. A fingerprint is 64 bits (SipHash with fixed keys): with a few
/// million states the chance that two distinct states collide, and one goes unexplored, is below
/// one in a million. With a depth bound, each state is remembered with the smallest depth it was
/// reached at, and explored again if reached at a smaller one, so nothing within the bound is missed.
pub fn explore<S: Spec>(initial: World<S>, max_depth: Option<usize>) -> Result<Stats, Counterexample> {
    let fail = |world: &World<S>, error: String| Counterexample { error, trace: world.trace() };
    initial.check().map_err(|error| fail(&initial, error))?;
    let mut shallowest: HashMap<u64, usize> = HashMap::from([(initial.fingerprint(), 0)]);
    let mut stats = Stats { states: 1, transitions: 0, depth: 0 };
    let mut stack = vec![(initial, 0usize)];
    while let Some((world, depth)) = stack.pop() {
        if max_depth.is_some_and(|max| depth >= max) {
            continue;
        }
        for next in world.successors() {
            stats.transitions += 1;
            let print = next.fingerprint();
            match shallowest.get(&print) {
                Some(&seen) if max_depth.is_none() || seen <= depth + 1 => continue,
                Some(_) => {}
                None => {
                    next.check().map_err(|error| fail(&next, error))?;
                    stats.states += 1;
                    if stats.states.is_multiple_of(1 << 21) {
                        eprintln!("  … {stats:?}, {} on the stack", stack.len());
                    }
                }
            }
            shallowest.insert(print, depth + 1);
            stats.depth = stats.depth.max(depth + 1);
            stack.push((next, depth + 1));
        }
    }
    Ok(stats)
}
