//! Faults that name no node: `crash-leader` looks up who leads when it fires, so one script hits
//! every protocol where it hurts (what `paxos compare` runs side by side).

use paxos_core::Role;
use paxos_sim::faults::Scheduled;
use paxos_sim::{EventKind, Fault, FaultPlan, ProtocolKind, SimConfig, simulate};

fn crash_leader_at(protocol: ProtocolKind, at_ms: u64) -> SimConfig {
    let mut config = SimConfig { protocol, duration_ms: 4_000, ..SimConfig::default() };
    config.faults = FaultPlan {
        schedule: vec![Scheduled { at_ms, fault: Fault::CrashLeader {} }],
        nemesis: None,
        quiet_from_ms: None,
    };
    config
}

/// The roles every node held just before the first crash, and the crash: (node, time).
fn first_crash(config: &SimConfig) -> (Vec<Role>, Option<(u8, u64)>) {
    let mut sim = simulate(config).expect("a valid configuration");
    sim.run_to_end();
    let mut roles = vec![Role::Follower; usize::from(config.nodes)];
    for event in sim.trace().events() {
        match event.kind {
            EventKind::Role { node, role, .. } => roles[usize::from(node)] = role,
            EventKind::Crash { node } => return (roles, Some((node, event.time))),
            _ => {}
        }
    }
    (roles, None)
}

#[test]
fn crash_leader_crashes_the_node_that_leads_then() {
    let config = crash_leader_at(ProtocolKind::Multi, 1_500);
    let (roles, crash) = first_crash(&config);
    let (node, time) = crash.expect("the leader crashed");
    assert_eq!(time, 1_500_000, "at the scripted time");
    assert_eq!(
        roles[usize::from(node)],
        Role::Leader,
        "n{} was {:?}, not the leader",
        node + 1,
        roles[usize::from(node)]
    );
}

#[test]
fn crash_leader_without_a_leader_changes_nothing() {
    // Basic Paxos has no leader: the fault does not apply, and no node goes down.
    let config = crash_leader_at(ProtocolKind::Basic, 1_500);
    assert_eq!(first_crash(&config).1, None);
}

/// An `intercept` of a client's `Reply` drops it, as the fault says: the client never hears the
/// answer, times out and asks again, and the replica answers the retry from its session table
/// (exactly once). It used to be delivered anyway while still using up the rule's `count`.
#[test]
fn an_intercepted_reply_is_dropped_and_the_client_retries() {
    use paxos_core::MsgKind;
    use paxos_sim::trace::DropCause;
    let mut config = SimConfig { protocol: ProtocolKind::Multi, duration_ms: 3_000, ..SimConfig::default() };
    config.faults = FaultPlan {
        schedule: vec![Scheduled {
            at_ms: 1_000,
            fault: Fault::Intercept {
                from: None,
                to: None,
                kind: Some(paxos_sim::config::KindName(MsgKind::Reply)),
                delay_us: None,
                count: 1,
            },
        }],
        nemesis: None,
        quiet_from_ms: None,
    };
    let mut sim = simulate(&config).expect("a valid configuration");
    sim.run_to_end();
    let events = sim.trace().events();
    let reply = events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::Send { msg, kind: MsgKind::Reply, .. } if e.time >= 1_000_000 => Some(msg),
            _ => None,
        })
        .expect("a reply was sent after the fault");
    let fate: Vec<_> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Drop { msg, cause } if msg == reply => Some(Some(cause)),
            EventKind::Deliver { msg } if msg == reply => Some(None),
            _ => None,
        })
        .collect();
    assert_eq!(fate, [Some(DropCause::Manual)], "the first reply after the fault is dropped, not delivered");
    assert!(sim.violations().is_empty(), "{:?}", sim.violations());
}
