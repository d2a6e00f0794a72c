//! **Liveness once faults stop.** No consensus protocol can promise progress while the network
//! misbehaves (Fischer, Lynch & Paterson, 1985); Paxos promises it once "enough of the system is
//! working properly" (Paxos Made Simple §2.4), i.e. after the global stabilization time of partial
//! synchrony (Dwork, Lynch & Stockmeyer, 1988). In a run, that moment is when faults stop (see
//! [`crate::faults`]): every node up, the network whole, no loss.
//!
//! From then on, every operation — pending at that moment or invoked later — must return within
//! [`bound`] of the later of its invocation and the moment faults stopped ([`check`]); and every
//! replica must catch up: a slot decided anywhere by then must be decided everywhere within the
//! bound ([`converged`]). The bound is built from the timing configuration, generously:
//!
//! ```text
//! bound = 3 × (election_ticks_max + backoff_ticks_max) × tick     up to three contested elections
//!       + 3 × client timeout                                      a request lost, redirected, retried
//!       + 20 × max one-way latency                                 round trips to commit and answer
//! ```
//!
//! With the defaults (10 ms ticks, elections 150–300 ms, back-off up to 640 ms, 400 ms client timeout,
//! latency ≤ 10 ms) that is 4.22 s. `BENCHMARKS.md` records the longest recovery the seed sweep saw.

use crate::check::linearizable::Operation;
use crate::config::SimConfig;
use crate::decimal::ms;
use paxos_core::{NodeId, NodeName, Slot};

use crate::trace::{EventId, Time};

/// How long after faults stop (or after its invocation, if later) an operation may take.
pub fn bound(config: &SimConfig) -> Time {
    let p = &config.params;
    let tick = u64::from(p.tick_us);
    let election = u64::from(p.election_ticks[1] + p.backoff_ticks[1]) * tick;
    let client = u64::from(config.clients.timeout_ms) * 1_000;
    let mut latency = config.network.latency_us.1.max(config.network.client_latency_us.1);
    for link in &config.network.links {
        latency = latency.max(link.latency_us.1);
    }
    3 * election + 3 * client + 20 * u64::from(latency)
}

/// Checks every operation that could have finished by `end`: the first one late names its invocation.
pub fn check(ops: &[Operation], quiet_from: Time, end: Time, bound: Time) -> Result<(), (EventId, String)> {
    let late = ops.iter().filter_map(|op| {
        let start = op.invoke.1.max(quiet_from);
        let deadline = start.saturating_add(bound);
        let finished = op.ret.map(|(_, time, _)| time);
        let on_time = finished.is_some_and(|t| t <= deadline);
        (deadline <= end && !on_time).then_some((deadline, op, finished))
    });
    match late.min_by_key(|(deadline, op, _)| (*deadline, op.invoke.0)) {
        None => Ok(()),
        Some((_, op, finished)) => {
            let when = match finished {
                Some(t) => format!("returned only at {} ms", ms(t)),
                None => "never returned".to_string(),
            };
            Err((
                op.invoke.0,
                format!(
                    "c{}'s {} (invoked at {} ms) {when}; faults stopped at {} ms and the bound is {} ms",
                    op.client + 1,
                    op.op,
                    ms(op.invoke.1),
                    ms(quiet_from),
                    ms(bound)
                ),
            ))
        }
    }
}

/// Checks that every node's decided prefix at `end` (`prefixes`) reached the highest prefix any node
/// had reached by `end - bound`, given the moments (`progress`: time, prefix, event) the highest
/// prefix grew. Only judged if faults stopped by then.
pub fn converged(
    prefixes: &[Slot],
    progress: &[(Time, Slot, EventId)],
    quiet_from: Time,
    end: Time,
    bound: Time,
) -> Result<(), (EventId, String)> {
    let judged = end.saturating_sub(bound).max(quiet_from.saturating_add(bound));
    if judged > end {
        return Ok(());
    }
    let Some(&(time, target, event)) = progress.iter().rev().find(|(t, _, _)| *t <= judged) else { return Ok(()) };
    match prefixes.iter().enumerate().find(|(_, p)| **p < target) {
        None => Ok(()),
        Some((node, &prefix)) => Err((
            event,
            format!(
                "{} had decided only {prefix} slots at the end of the run, though {target} were decided by {} ms, more than the bound ({} ms) before the end",
                NodeName(node as NodeId),
                ms(time),
                ms(bound)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_core::{Op, Outcome};

    fn op(invoke: Time, ret: Option<Time>) -> Operation {
        Operation { client: 0, op: Op::Get(0), invoke: (invoke, invoke), ret: ret.map(|t| (t, t, Outcome::Value(0))) }
    }

    #[test]
    fn default_bound_is_as_documented() {
        assert_eq!(bound(&SimConfig::default()), 4_220_000);
    }

    #[test]
    fn an_operation_late_after_faults_stop_is_caught() {
        // Faults stop at 1000; bound 100.
        assert!(check(&[op(500, Some(1_050)), op(1_200, Some(1_300))], 1_000, 5_000, 100).is_ok());
        assert_eq!(check(&[op(500, Some(1_150))], 1_000, 5_000, 100).unwrap_err().0, 500);
        assert_eq!(check(&[op(2_000, None)], 1_000, 5_000, 100).unwrap_err().0, 2_000);
        // Too close to the end of the run to judge.
        assert!(check(&[op(4_950, None)], 1_000, 5_000, 100).is_ok());
    }

    #[test]
    fn a_replica_that_never_catches_up_is_caught() {
        let progress = [(100, 5, 7), (2_000, 9, 30), (4_990, 12, 90)];
        // Faults stop at 1000, bound 100, end 5000: everyone must have the 9 slots decided by 4900.
        assert!(converged(&[12, 9, 10], &progress, 1_000, 5_000, 100).is_ok());
        assert_eq!(converged(&[12, 8, 10], &progress, 1_000, 5_000, 100).unwrap_err().0, 30);
        // A run too short to judge.
        assert!(converged(&[0, 0, 0], &progress, 4_950, 5_000, 100).is_ok());
    }
}
