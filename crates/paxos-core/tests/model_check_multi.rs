//! Exhaustive model check of Multi-Paxos: three replicas, ballot rounds up to 3, two client
//! commands, one crash and restart, and every interleaving of delivery, loss, duplication and
//! reordering of messages, timeouts at any node, ticks at any leader, crashes and restarts (see `mc`
//! for the search and why it covers all of these) — over the real `multi::Replica`, with every
//! invariant checked in every state.
//!
//! Timing: one tick of a leader is one period of everything it does on a timer — a heartbeat, a
//! resend of unanswered `Accept`s, and the check that it heard a majority since the last tick (else it
//! steps down); ticks are bounded, as each also counts the time since the node last heard a leader.
//! Elections come from `Input::Timeout`, or from a client's request at a node that knows no leader;
//! followers and candidates are never ticked (their ticks only count towards an election, which a
//! timeout starts at any moment anyway). `election_ticks_min = 0` turns off the "a leader is alive"
//! lease, which only refuses promises (liveness), so every `Prepare` may be promised.
//!
//! The invariants (Lamport, *Paxos Made Simple*, 2001, §2.1–2.3, per slot):
//! - agreement: at most one value is chosen (accepted by a majority in one ballot) per slot;
//! - learners learn only chosen values, and a node never learns two values for a slot;
//! - validity: only no-ops and requested commands are chosen;
//! - one value per ballot and slot: no two acceptors accept different values for one slot in one
//!   ballot (what lets a follower learn a slot from the leader's commit point);
//! - at most one leader per ballot, over the whole run;
//! - durability: every `Promise` and `Accepted` a node sent is backed by its disk (a promise at least
//!   as high, the vote itself), and the promise a node acts on is the one on its disk — a restart
//!   forgets nothing it announced (§2.3, "an acceptor must remember this information even if it
//!   fails and then restarts").

mod mc;

use std::collections::{BTreeMap, BTreeSet};

use mc::{Bounds, Spec, World};
use paxos_core::multi::{Replica, Write};
use paxos_core::{Ballot, Bugs, Config, MsgKind, NodeId, Output, Outputs, Protocol, Role, Slot, Value};

struct Multi;

#[derive(Clone, Debug, Default, Hash)]
struct Ghost {
    /// Every vote cast: (slot, ballot, acceptor, value).
    votes: BTreeSet<(Slot, Ballot, NodeId, Value)>,
    /// The value each slot was first learned with.
    decided: BTreeMap<Slot, Value>,
    /// Every (ballot, node) a node led with.
    leaders: BTreeSet<(Ballot, NodeId)>,
    /// Per node, the highest ballot it announced it promised (in a `Promise` or an `Accepted`).
    announced: [Ballot; 3],
}

/// The one place that looks inside a durable write: a vote (slot, ballot, value).
fn vote(write: &Write) -> Option<(Slot, Ballot, &Value)> {
    match write {
        Write::Accept { slot, ballot, value } => Some((*slot, *ballot, value)),
        _ => None,
    }
}

impl Spec for Multi {
    type Node = Replica;
    type Ghost = Ghost;
    fn observe(ghost: &mut Ghost, world: &World<Multi>, id: NodeId, out: &[Outputs<Replica>]) -> Result<(), String> {
        let disk = &world.disks[id as usize];
        for output in out {
            match output {
                Output::Send { msg, .. } => {
                    // Durability: a message leaves only once what it announces is on disk.
                    let label = paxos_core::Message::label(msg);
                    let backed = match label.kind {
                        MsgKind::Promise => disk.promised >= label.ballot,
                        MsgKind::Accepted => {
                            disk.promised >= label.ballot
                                && (disk.decided.contains(label.slot)
                                    || disk.accepted.get(label.slot).is_some_and(|(vrnd, _)| *vrnd >= label.ballot))
                        }
                        _ => continue,
                    };
                    if !backed {
                        return Err(format!(
                            "durability: n{} sent {} at {} for slot {}, its disk has promised {}",
                            id + 1,
                            label.kind.name(),
                            label.ballot,
                            label.slot,
                            disk.promised
                        ));
                    }
                    let announced = &mut ghost.announced[id as usize];
                    *announced = (*announced).max(label.ballot);
                }
                Output::Persist(write) => {
                    let Some((slot, ballot, value)) = vote(write) else { continue };
                    if let Some(other) = ghost.votes.iter().find(|v| v.0 == slot && v.1 == ballot && &v.3 != value) {
                        return Err(format!(
                            "one value per ballot: n{} accepted {value} and n{} {} in slot {slot} at {ballot}",
                            id + 1,
                            other.2 + 1,
                            other.3
                        ));
                    }
                    ghost.votes.insert((slot, ballot, id, value.clone()));
                }
                Output::Decided { slot, value } => match ghost.decided.get(slot) {
                    None => {
                        ghost.decided.insert(*slot, value.clone());
                    }
                    Some(first) if first == value => {}
                    Some(first) => {
                        return Err(format!(
                            "agreement: n{} learned {value} in slot {slot}, {first} was learned",
                            id + 1
                        ));
                    }
                },
                _ => {}
            }
        }
        let view = world.nodes[id as usize].view();
        if view.role == Role::Leader
            && ghost.leaders.insert((view.ballot, id))
            && let Some((_, other)) = ghost.leaders.iter().find(|&&(b, n)| b == view.ballot && n != id)
        {
            return Err(format!("one leader per ballot: n{} and n{} both led {}", other + 1, id + 1, view.ballot));
        }
        Ok(())
    }

    fn check(world: &World<Multi>) -> Result<(), String> {
        let ghost = &world.ghost;
        let majority = world.config.acceptors.len() / 2 + 1;
        // Agreement: chosen values, from the votes.
        let mut chosen: BTreeMap<Slot, BTreeSet<&Value>> = BTreeMap::new();
        let mut tally: BTreeMap<(Slot, Ballot, &Value), usize> = BTreeMap::new();
        for (slot, ballot, _, value) in &ghost.votes {
            let count = tally.entry((*slot, *ballot, value)).or_default();
            *count += 1;
            if *count == majority {
                chosen.entry(*slot).or_default().insert(value);
            }
        }
        if let Some((slot, values)) = chosen.iter().find(|(_, values)| values.len() > 1) {
            return Err(format!("agreement: two values chosen in slot {slot}: {values:?}"));
        }
        let requested = world.requested();
        for (slot, value) in &ghost.decided {
            if !chosen.get(slot).is_some_and(|values| values.contains(value)) {
                return Err(format!("learned {value} in slot {slot}, which is not chosen"));
            }
            if value.commands().iter().any(|c| !requested.contains(c)) {
                return Err(format!("validity: learned {value} in slot {slot}, never requested"));
            }
        }
        // Durability: a restart forgets no promise announced, and the node acts on its disk's.
        for (id, (node, disk)) in world.nodes.iter().zip(&world.disks).enumerate() {
            if disk.promised < ghost.announced[id] {
                return Err(format!(
                    "durability: n{} announced a promise of {}, its disk now has {}",
                    id + 1,
                    ghost.announced[id],
                    disk.promised
                ));
            }
            if node.view().promised != disk.promised {
                return Err(format!(
                    "durability: n{} acts on promise {}, its disk has {}",
                    id + 1,
                    node.view().promised,
                    disk.promised
                ));
            }
        }
        Ok(())
    }
}

fn config(bugs: Bugs) -> Config {
    let mut config = Config::new(3);
    config.bugs = bugs;
    // One tick of a leader is one period of each of its timers (see the module docs).
    config.timing.heartbeat_ticks = 1;
    config.timing.resend_ticks = 1;
    config.timing.election_ticks_min = 0;
    config.timing.election_ticks_max = 1;
    config
}

const BOUNDS: Bounds = Bounds { max_round: 3, requests: 2, crashes: 1, ticks: Some(2) };

fn check(bounds: Bounds, max_depth: Option<usize>, bugs: Bugs) -> Result<mc::Stats, mc::Counterexample> {
    mc::explore_and_report("multi", World::<Multi>::new(config(bugs), bounds), bounds, max_depth)
}

/// How the state space grows with the bounds (run by hand: `MC=rounds,requests,crashes,depth cargo
/// test --release -p paxos-core --test model_check_multi growth -- --ignored --nocapture`, depth `-` for none).
#[test]
#[ignore]
fn growth() {
    let (bounds, max_depth, bugs) = mc::bounds_from_env(Some(2));
    check(bounds, max_depth, bugs).unwrap_or_else(|cx| panic!("{cx}"));
}

/// Every state reachable in at most 8 transitions with the full bounds (rounds ≤ 3, two commands, a
/// crash, two leader ticks) keeps every invariant: duelling candidates, a leader preempted by a
/// higher ballot, values re-proposed from phase 1, a restart between promise and accept.
#[test]
fn multi_paxos_is_safe_in_every_state_within_8_transitions() {
    let stats = check(BOUNDS, Some(8), Bugs::NONE).unwrap_or_else(|cx| panic!("{cx}"));
    // Pinned: a change to Multi-Paxos's reachable behaviour changes these, and must be looked at.
    assert_eq!((stats.states, stats.depth), (1_452_806, 8));
}

/// The search is not blind: with each planted bug it finds a broken state, within the depth given.
#[cfg(feature = "planted-bugs")]
#[test]
fn the_search_finds_planted_multi_paxos_bugs() {
    use paxos_core::Bug;
    for (bug, depth, expected) in [
        (Bug::PromiseBeforePersist, 4, "durability"),
        (Bug::SmallQuorum, 4, "learned"),
        (Bug::SameBallot, 6, "one value per ballot"),
        (Bug::AcceptBelowPromise, 8, "agreement"),
        (Bug::IgnorePromisedValues, 8, "agreement"),
    ] {
        let cx = check(BOUNDS, Some(depth), Bugs::NONE.with(bug)).expect_err(bug.name());
        assert!(cx.error.starts_with(expected), "{}: {cx}", bug.name());
    }
}
