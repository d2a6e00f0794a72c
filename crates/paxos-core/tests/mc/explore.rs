//! The search: depth first over every reachable state, each remembered once by its fingerprint.

use std::collections::HashSet;
use std::fmt;

use super::{Spec, World};

/// What a complete search saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Distinct states reached (the initial one included).
    pub states: usize,
    /// Transitions taken (each successor computed, new or not).
    pub transitions: usize,
    /// The longest path from the initial state in the search's tree (depth first, so a path to a
    /// state is the first one found, not the shortest).
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

/// Explores every state reachable from `initial` (the bounds are in the world's transitions), checks
/// each new one, and returns the figures, or the first state that breaks an invariant.
///
/// Depth first, so memory holds the fingerprints and the states on the current path with their
/// siblings, never a whole level. A fingerprint is 64 bits (SipHash with fixed keys): with a few
/// million states the chance that two distinct states collide, and one goes unexplored, is below
/// one in a million.
pub fn explore<S: Spec>(initial: World<S>) -> Result<Stats, Counterexample> {
    let fail = |world: &World<S>, error: String| Counterexample { error, trace: world.trace() };
    initial.check().map_err(|error| fail(&initial, error))?;
    let mut seen: HashSet<u64> = HashSet::from([initial.fingerprint()]);
    let mut stats = Stats { states: 1, transitions: 0, depth: 0 };
    let mut stack = vec![(initial, 0usize)];
    while let Some((world, depth)) = stack.pop() {
        for next in world.successors() {
            stats.transitions += 1;
            if !seen.insert(next.fingerprint()) {
                continue;
            }
            next.check().map_err(|error| fail(&next, error))?;
            stats.states += 1;
            if stats.states % (1 << 20) == 0 {
                eprintln!("  … {stats:?}, {} on the stack", stack.len());
            }
            stats.depth = stats.depth.max(depth + 1);
            stack.push((next, depth + 1));
        }
    }
    Ok(stats)
}
