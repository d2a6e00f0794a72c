//! The teaching foils' scenarios show the failures seed 001 tells of: which write is lost, which
//! invariant flags it, and at which moment. (`scenarios.rs` checks that every story's captions find
//! their events; this file checks the outcomes the captions claim.)

use paxos_core::Bugs;
use paxos_core::{Ballot, MsgKind, NodeId, Protocol, Role, majority, primary_backup};
use paxos_play::scenario::Scenario;
use paxos_sim::check::{Checked, Invariant};
use paxos_sim::faults::FaultPlan;
use paxos_sim::sweep::{self, Verdict};
use paxos_sim::trace::{Addr, EventId, EventKind};
use paxos_sim::{ProtocolKind, Run, simulate};

/// The scenario called `name`, run to its end, with the moments its captions resolve to.
fn run<P: Checked>(name: &str) -> (Run<P>, Vec<EventId>) {
    let scenario = Scenario::named(name).unwrap();
    let mut run = Run::<P>::new(&scenario.config).unwrap();
    run.run_to_end();
    let moments = scenario.resolve(run.trace()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let moments = moments.into_iter().map(|(event, _)| event).collect();
    (run, moments)
}

/// Client `client`'s answers, in order, with their events (`None` for a completed `set`).
fn answers<P: Checked>(run: &Run<P>, client: u16) -> Vec<(EventId, Option<i64>)> {
    let events = run.trace().events().iter().enumerate();
    events
        .filter_map(|(id, e)| match e.kind {
            EventKind::Return { client: c, value, .. } if c == client => Some((id as EventId, value)),
            _ => None,
        })
        .collect()
}

/// The first event that sends a message of `kind` from node `from`, and the first that delivers a
/// message of `kind` from anyone.
fn first_send_and_delivery<P: Checked>(run: &Run<P>, kind: MsgKind, from: NodeId) -> (EventId, EventId) {
    let events = run.trace().events();
    let sends: Vec<(usize, u32, Addr)> = (events.iter().enumerate())
        .filter_map(|(id, e)| match e.kind {
            EventKind::Send { msg, kind: k, from, .. } if k == kind => Some((id, msg, from)),
            _ => None,
        })
        .collect();
    let sent = sends.iter().find(|&&(_, _, f)| f == Addr::node(from)).expect("the node sends one").0;
    let delivered = (events.iter().enumerate())
        .find(|(_, e)| matches!(e.kind, EventKind::Deliver { msg } if sends.iter().any(|&(_, m, _)| m == msg)))
        .expect("one is delivered")
        .0;
    (sent as EventId, delivered as EventId)
}

/// Key `key` in node `n`'s store.
fn store<P: Checked>(run: &Run<P>, n: NodeId, key: char) -> i64 {
    let key = (key as u8) - b'a';
    run.world().node(n).expect("the node is up at the end").view().store.get(key)
}

const N1: NodeId = 0;
const N2: NodeId = 1;
const N3: NodeId = 2;

/// Seed 001, "inc 的并发冲突": under majority read/write, X and Y each read i = 0 from a majority
/// before either write lands, both write i = 1, and one increment is lost.
#[test]
fn lost_update_majority_loses_one_of_two_concurrent_incs() {
    let (run, moments) = run::<majority::Node>("lost-update-majority");

    // Y had read i and decided what to write before X's write reached any replica: the race.
    let (y_writes, first_write_lands) = first_send_and_delivery(&run, MsgKind::Write, N3);
    assert!(y_writes < first_write_lands, "Y writes at event {y_writes}, the first write lands at {first_write_lands}");

    // Both clients are told 1, and i is 1 everywhere: one of the two increments is lost.
    let (c1, c2) = (answers(&run, 0), answers(&run, 1));
    assert_eq!(c1.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [Some(1)]);
    assert_eq!(c2.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [Some(1)]);
    for n in [N1, N2, N3] {
        assert_eq!(store(&run, n, 'i'), 1, "n{}", n + 1);
    }

    // The linearizability checker flags the second answer, the story's last caption, and nothing else.
    let violations = run.checker().violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].invariant, Invariant::Linearizable);
    assert_eq!(violations[0].event, c2[0].0, "flagged at c2's answer");
    assert_eq!(Some(&violations[0].event), moments.last(), "the last caption is the flagged answer");
    assert!(violations[0].message.contains("could only have returned 2"), "{}", violations[0].message);
}

/// Seed 001, "主从异步复制": the primary acknowledges a write before any backup has it; it dies,
/// a backup takes over without it, and a later read misses the acknowledged write.
#[test]
fn async_lost_write_loses_an_acknowledged_write_on_failover() {
    let (run, moments) = run::<primary_backup::Node>("async-lost-write");

    // c1's set a = 1 was acknowledged, then its read of a from the new primary returned 0.
    let c1 = answers(&run, 0);
    assert_eq!(c1.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [None, Some(0)]);

    // The only copy of the write is on n1's disk; n1 is down and n2 took over with an empty log.
    let n1_disk = run.world().disk(N1).expect("n1's disk");
    let n1_log: Vec<String> = n1_disk.log.iter().flat_map(|v| v.commands().iter().map(|c| c.op.to_string())).collect();
    assert_eq!(n1_log, ["set a 1"]);
    assert!(run.world().node(N1).is_none(), "n1 stays down");
    let n2 = run.world().node(N2).unwrap().view();
    assert_eq!((n2.role, n2.leader), (Role::Primary, Some(N2)));
    assert_eq!((store(&run, N2, 'a'), store(&run, N3, 'a')), (0, 0));
    assert!(n2.decided.get(0).is_none(), "n2 never had slot 0");

    // The linearizability checker flags the read, the story's last caption.
    let violations = run.checker().violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].invariant, Invariant::Linearizable);
    assert_eq!(violations[0].event, c1[1].0, "flagged at the read's answer");
    assert_eq!(Some(&violations[0].event), moments.last());
    assert!(violations[0].message.contains("could only have returned 1"), "{}", violations[0].message);
}

/// Seed 001, "主从同步复制": a write waits for every backup, so while n3 is down neither client's
/// write finishes; once n3 is back and caught up, both do. Nothing is lost; the checker flags only
/// that one node of three down stopped every write (`available`), at c1's write.
#[test]
fn sync_blocked_answers_no_write_until_the_dead_backup_is_back() {
    let (run, moments) = run::<primary_backup::Node>("sync-blocked");
    let violations = run.checker().violations();
    assert_eq!(
        violations.iter().map(|v| v.invariant).collect::<Vec<_>>(),
        [Invariant::Available],
        "sync loses nothing"
    );
    assert_eq!(Some(&violations[0].event), moments.get(1), "flagged at c1's write: {}", violations[0].message);
    assert!(violations[0].message.contains("only n3 of 3 nodes was down"), "{}", violations[0].message);
    let events = run.trace().events();
    let restart = (events.iter().position(|e| matches!(e.kind, EventKind::Restart { node: N3 }))).expect("n3 restarts")
        as EventId;
    let decided = events.iter().position(|e| matches!(e.kind, EventKind::Decide { .. })).unwrap() as EventId;
    assert!(decided > restart, "no slot committed anywhere while n3 was down");
    let (c1, c2) = (answers(&run, 0), answers(&run, 1));
    assert_eq!(c1.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [None]);
    assert_eq!(c2.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [Some(5)]);
    assert!(c1[0].0 > restart && c2[0].0 > restart, "both answered only after n3 came back");
    for n in [N1, N2, N3] {
        assert_eq!((store(&run, n, 'a'), store(&run, n, 'b')), (1, 5), "n{}", n + 1);
    }
    assert_eq!(moments[5], restart, "the caption on n3's return");
}

/// Seed 001, "主从半同步复制": b is acknowledged by a majority (n1 and n3) without n2; n1 dies, n2
/// becomes primary by the fixed rule, and a later read misses the acknowledged b.
#[test]
fn semi_sync_lost_write_loses_a_write_a_majority_acknowledged() {
    let (run, moments) = run::<primary_backup::Node>("semi-sync-lost-write");
    let c1 = answers(&run, 0);
    assert_eq!(c1.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [None, None, Some(0)], "set a, set b, get b");

    // b = 2 is in slot 1 of n3's log (and of dead n1's), not of n2's, the new primary.
    let log = |n: NodeId| -> Vec<String> {
        let disk = run.world().disk(n).expect("a disk");
        disk.log.iter().flat_map(|v| v.commands().iter().map(|c| c.op.to_string())).collect()
    };
    assert_eq!(log(N1), ["set a 1", "set b 2"]);
    assert_eq!(log(N2), ["set a 1"]);
    assert_eq!(log(N3), ["set a 1", "set b 2"]);
    let n2 = run.world().node(N2).unwrap().view();
    assert_eq!(n2.role, Role::Primary);

    let violations = run.checker().violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].invariant, Invariant::Linearizable);
    assert_eq!(violations[0].event, c1[2].0, "flagged at the read's answer");
    assert_eq!(Some(&violations[0].event), moments.last());
    assert!(violations[0].message.contains("could only have returned 2"), "{}", violations[0].message);
}

/// Seed 001, timestamps and a half-finished write: n1 and n2 hold a = 1₁, only n3 holds a = 2₂
/// (its writer crashed); a reader hearing n3 gets 2, a later one hearing n1 and n2 gets 1.
#[test]
fn half_finished_write_shows_a_later_reader_the_older_value() {
    let (run, moments) = run::<majority::Node>("half-finished-write");
    let registers = |n: NodeId| run.world().disk(n).expect("a disk").registers[&0];
    assert_eq!(registers(N1), (1, Ballot::new(1, N1)));
    assert_eq!(registers(N2), (1, Ballot::new(1, N1)));
    assert_eq!(registers(N3), (2, Ballot::new(2, N3)), "only n3 has the newer write");

    let (c1, c2, c3) = (answers(&run, 0), answers(&run, 1), answers(&run, 2));
    assert_eq!(c2, [], "the writer died: c2 never hears back");
    assert_eq!(c3.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [Some(2)]);
    assert_eq!(c1.iter().map(|&(_, v)| v).collect::<Vec<_>>(), [None, Some(1)]);
    assert!(c3[0].0 < c1[1].0);

    let violations = run.checker().violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].invariant, Invariant::Linearizable);
    assert_eq!(violations[0].event, c1[1].0, "flagged at the second read's answer");
    assert_eq!(Some(&violations[0].event), moments.last());
}

/// The same two stories without the fault that causes each are clean: the foils fail for the
/// reason the seed gives, not for another.
#[test]
fn without_the_race_or_the_lost_copies_nothing_is_flagged() {
    // Majority: Y asks long after X's inc has finished, so it reads X's write.
    let mut scenario = Scenario::named("lost-update-majority").unwrap();
    scenario.config.faults.schedule[1].at_ms = 100;
    let mut run = Run::<majority::Node>::new(&scenario.config).unwrap();
    run.run_to_end();
    assert_eq!(run.checker().violations(), &[]);
    assert_eq!(answers(&run, 1).iter().map(|&(_, v)| v).collect::<Vec<_>>(), [Some(2)]);

    // Async: the copies arrive before n1 dies, so n2 takes over with the write.
    let mut scenario = Scenario::named("async-lost-write").unwrap();
    scenario.config.faults.schedule.remove(0);
    let mut run = Run::<primary_backup::Node>::new(&scenario.config).unwrap();
    run.run_to_end();
    assert_eq!(run.checker().violations(), &[]);
    assert_eq!(answers(&run, 0).iter().map(|&(_, v)| v).collect::<Vec<_>>(), [None, Some(1)]);
}

/// Without faults, each scheme keeps what it claims where the seed says it works: primary–backup
/// with four concurrent clients (the primary orders every write), majority read/write with one
/// client at a time (no concurrent `inc`, no half-finished write). With the standard links of the
/// sweep (a quarter of them slow), so reads and writes overtake each other.
#[test]
fn without_faults_each_scheme_keeps_what_it_claims() {
    let cases = [
        (ProtocolKind::Async, 4),
        (ProtocolKind::Sync, 4),
        (ProtocolKind::SemiSync, 4),
        (ProtocolKind::Majority, 1),
        (ProtocolKind::MajorityTs, 1),
    ];
    for (protocol, clients) in cases {
        for seed in 0..6 {
            let mut config = sweep::config(protocol, seed, Bugs::NONE);
            config.faults = FaultPlan::default();
            config.clients.workload = clients;
            config.duration_ms = 3_000;
            let mut sim = simulate(&config).unwrap();
            sim.run_to_end();
            assert_eq!(sim.violations(), &[], "{} seed {seed}", protocol.name());
            let done = sim.history().operations().iter().filter(|op| op.ret.is_some()).count();
            assert!(done > 20, "{} seed {seed}: only {done} operations completed", protocol.name());
        }
    }
}

/// The sweep catches each unsafe scheme failing the way seed 001 says (`sweep::anomaly`), never by
/// a panic or another invariant. Sync loses nothing; it is caught blocking, in the crash mix's outage
/// (every sixth seed), by `available`.
#[test]
fn the_sweep_catches_each_foil_by_its_anomaly() {
    let foils = [
        ProtocolKind::Async,
        ProtocolKind::SemiSync,
        ProtocolKind::Majority,
        ProtocolKind::MajorityTs,
        ProtocolKind::Sync,
    ];
    for protocol in foils {
        let expected = sweep::anomaly(protocol);
        assert!(!expected.is_empty(), "{} has an anomaly to catch", protocol.name());
        let verdicts: Vec<Verdict> = (0..30).map(|seed| sweep::run_seed(protocol, seed, Bugs::NONE)).collect();
        for (seed, verdict) in verdicts.iter().enumerate() {
            let anomaly = verdict.violation().is_some_and(|v| expected.contains(&v.invariant));
            assert!(anomaly || *verdict == Verdict::Pass, "{} seed {seed}: {verdict:?}", protocol.name());
        }
        let caught = verdicts.iter().filter(|v| **v != Verdict::Pass).count();
        let least = if protocol == ProtocolKind::Sync { 2 } else { 5 };
        assert!(caught >= least, "{}: caught in only {caught} of 30 seeds", protocol.name());
    }
    assert_eq!(sweep::anomaly(ProtocolKind::Sync), &[Invariant::Available]);
}
