//! The replication schemes of seed 001 that are not consensus, one test per rule, each citing the
//! part of the seed that states it. These pin the schemes as the seed describes them — including
//! the ways they fail.

mod common;

use common::{Cluster, Envelope};
use paxos_core::majority::{self, most_common, newest};
use paxos_core::primary_backup::{self, Message};
use paxos_core::{Ballot, Config, Input, MsgKind, Op, Outcome, Protocol, Role, Scheme};

fn config(nodes: u8, scheme: Scheme) -> Config {
    let mut config = Config::new(nodes);
    config.scheme = scheme;
    config
}

fn is<M: paxos_core::Message>(kind: MsgKind) -> impl Fn(&Envelope<M>) -> bool {
    move |e| e.msg.label().kind == kind
}

/// The outcomes the clients got so far, in order.
fn outcomes<P: Protocol>(c: &Cluster<P>) -> Vec<Outcome> {
    c.replies.iter().map(|(_, reply)| reply.outcome).collect()
}

// ------------------------------------------------------------------ primary–backup

type Pb = Cluster<primary_backup::Node>;

/// Seed 001, 主从异步复制: the primary answers a write as soon as it has it, before any backup does.
#[test]
fn async_primary_answers_a_write_before_any_backup_has_it() {
    let mut c = Pb::new(config(3, Scheme::Async));
    c.request(0, 0, 1, Op::Set(0, 5));
    assert_eq!(outcomes(&c), [Outcome::Done], "answered in the same step");
    assert_eq!(c.kinds_since(0), [MsgKind::Replicate, MsgKind::Replicate], "the copies only now leave");
    assert_eq!(c.disks[0].log.len(), 1, "the write is on the primary's disk before it is sent");
    assert_eq!(c.decided[0].len(), 1);
    assert!(c.decided[1].is_empty() && c.decided[2].is_empty());
}

/// Seed 001, 主从同步复制: the primary answers only once every backup has the write.
#[test]
fn sync_primary_answers_only_when_every_backup_has_the_write() {
    let mut c = Pb::new(config(3, Scheme::Sync));
    c.request(0, 0, 1, Op::Inc(0, 2));
    c.deliver_where(|e| e.to == 1); // n2 gets the write
    c.deliver_where(|e| e.to == 0); // and acknowledges it
    assert_eq!(outcomes(&c), [], "one backup of two is not enough");
    c.deliver_where(|e| e.to == 2);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [Outcome::Value(2)]);
}

/// Seed 001, 主从同步复制: "任何一个机器宕机, 写入就进行不下去了" — with one backup down, no write
/// is answered, however long the primary waits and however often it sends the write again.
#[test]
fn sync_blocks_every_write_while_one_backup_is_down() {
    let mut c = Pb::new(config(3, Scheme::Sync));
    c.crash(2);
    c.request(0, 0, 1, Op::Set(0, 1));
    for _ in 0..20 {
        c.tick(0, 5);
        c.tick(1, 5);
        c.deliver_all(100);
    }
    assert_eq!(outcomes(&c), [], "n3 is down: the write cannot finish");
    assert!(c.decided[0].is_empty());
    // n3 comes back with an empty log: it catches up, and the write finishes.
    c.restart(2);
    for _ in 0..3 {
        c.tick(0, 5);
        c.deliver_all(100);
    }
    assert_eq!(outcomes(&c), [Outcome::Done]);
}

/// Seed 001, 主从半同步复制: the primary answers once enough backups — with itself a majority —
/// have the write.
#[test]
fn semi_sync_primary_answers_once_a_majority_with_itself_has_the_write() {
    let mut c = Pb::new(config(5, Scheme::SemiSync));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [], "2 of 5 is not a majority");
    c.deliver_where(|e| e.to == 3);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [Outcome::Done], "3 of 5 is");
}

/// Seed 001, 主从半同步复制: an acknowledged write need not be on every backup, and the next primary
/// by the fixed rule may be one that lacks it. Here a is on both backups, b (acknowledged by the
/// primary and n3, a majority) misses n2; the primary dies, n2 takes over, and b is lost.
#[test]
fn semi_sync_loses_an_acknowledged_write_the_next_primary_lacks() {
    let mut c = Pb::new(config(3, Scheme::SemiSync));
    c.request(0, 0, 1, Op::Set(0, 1)); // a
    c.deliver_all(100);
    c.request(0, 1, 1, Op::Set(1, 2)); // b
    c.drop_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 2);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [Outcome::Done, Outcome::Done], "a and b are both acknowledged");
    assert_eq!((c.disks[1].log.len(), c.disks[2].log.len()), (1, 2), "n2 lacks b");
    c.crash(0);
    c.network.clear();
    c.tick(1, c.config.timing.election_ticks_max as usize);
    assert_eq!(c.node(1).view().role, Role::Primary);
    c.request(1, 1, 2, Op::Get(1));
    for _ in 0..3 {
        c.deliver_all(100);
        c.tick(1, c.config.timing.heartbeat_ticks as usize);
    }
    assert_eq!(outcomes(&c)[2..], [Outcome::Value(0)], "b = 2 was acknowledged, and is gone");
}

/// Seed 001, primary–backup: a backup stores the primary's writes in slot order; a write after a
/// gap is not stored, and the backup's `Ack` says how far its log goes, so the primary resends.
#[test]
fn a_backup_stores_writes_in_order_and_acks_how_far_it_holds() {
    let mut c = Pb::new(config(3, Scheme::Async));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.drop_where(|e| e.to == 1);
    c.request(0, 1, 1, Op::Set(1, 2));
    c.deliver_where(|e| e.to == 1); // slot 1 without slot 0
    assert!(c.disks[1].log.is_empty());
    assert!(matches!(c.sent.last().unwrap().msg, Message::Ack { next: 0, .. }));
    c.deliver_where(|e| e.to == 0);
    c.drop_where(|e| e.to == 2);
    c.tick(0, 5); // the heartbeat resends what n2 misses
    c.deliver_all(100);
    assert_eq!(c.disks[1].log.len(), 2);
    assert_eq!(c.decided[1].iter().map(|(slot, _)| *slot).collect::<Vec<_>>(), [0, 1], "applied in order");
}

/// Seed 001, primary–backup: a backup applies only what the primary has committed.
#[test]
fn a_backup_applies_only_below_the_primarys_commit_point() {
    let mut c = Pb::new(config(3, Scheme::Sync));
    c.request(0, 0, 1, Op::Set(0, 1));
    c.deliver_where(|e| e.to == 1);
    assert_eq!(c.disks[1].log.len(), 1, "n2 holds the write");
    assert!(c.decided[1].is_empty(), "but does not apply it: the primary has not committed it");
    c.deliver_all(100); // n3 acks, the primary commits
    c.tick(0, 5); // and says so in its heartbeat
    c.deliver_all(100);
    assert_eq!(c.decided[1].len(), 1);
}

/// Primary–backup: reads are served by the primary; a backup points the client to it.
#[test]
fn a_backup_points_clients_to_the_primary() {
    let mut c = Pb::new(config(3, Scheme::Async));
    c.request(2, 0, 1, Op::Get(0));
    assert_eq!(outcomes(&c), [Outcome::NotLeader { hint: Some(0) }]);
    c.request(0, 1, 1, Op::Set(0, 4));
    c.request(0, 1, 2, Op::Get(0));
    assert_eq!(outcomes(&c)[1..], [Outcome::Done, Outcome::Value(4)]);
}

/// The failover rule of this module: a backup that hears nothing from its primary for an election
/// timeout moves to the next view, whose primary is the next node — whatever its log holds. Under
/// async that loses an acknowledged write (seed 001: 主库宕机, 数据丢失).
#[test]
fn async_failover_to_the_next_node_loses_an_acknowledged_write() {
    let mut c = Pb::new(config(3, Scheme::Async));
    c.request(0, 0, 1, Op::Set(0, 1));
    assert_eq!(outcomes(&c), [Outcome::Done]);
    c.crash(0); // before any copy arrived
    c.network.clear();
    let max = c.config.timing.election_ticks_max as usize;
    c.tick(1, max);
    let n2 = c.node(1).view();
    assert_eq!((n2.role, n2.ballot), (Role::Primary, Ballot::new(1, 1)));
    c.deliver_all(100);
    assert_eq!(c.node(2).view().leader, Some(1), "n3 follows n2");
    c.request(1, 0, 2, Op::Get(0));
    assert_eq!(outcomes(&c)[1], Outcome::Value(0), "the acknowledged a = 1 is gone");
}

/// The failover rule: a primary that learns of a newer view (a backup's answer) steps down.
#[test]
fn a_stale_primary_steps_down_when_it_hears_of_a_newer_view() {
    let mut c = Pb::new(config(3, Scheme::Async));
    let newer = Ballot::new(1, 1);
    c.step(0, Input::Message { from: 2, msg: Message::Ack { view: newer, next: 0 } });
    let n1 = c.node(0).view();
    assert_eq!((n1.role, n1.leader), (Role::Backup, Some(1)));
    assert_eq!(c.disks[0].view, newer, "the new view is on disk");
}

// ------------------------------------------------------------------ majority read/write

type Mj = Cluster<majority::Node>;

/// Seed 001, 多数派读写: a `get` is answered with a majority of answers (with 3 replicas, the
/// coordinator itself and one more).
#[test]
fn a_read_is_answered_with_a_majority_of_replies() {
    let mut c = Mj::new(config(3, Scheme::Majority));
    c.request(0, 0, 1, Op::Get(0));
    assert_eq!(c.kinds_since(0), [MsgKind::Read, MsgKind::Read]);
    assert_eq!(outcomes(&c), []);
    c.deliver_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [Outcome::Value(0)]);
}

/// Seed 001, 多数派读写: a write succeeds once a majority of replicas stored it.
#[test]
fn a_write_succeeds_with_a_majority_of_acks() {
    let mut c = Mj::new(config(3, Scheme::Majority));
    c.request(0, 0, 1, Op::Set(0, 9));
    assert_eq!(c.kinds_since(0), [MsgKind::Write, MsgKind::Write], "no read first without timestamps");
    c.drop_where(|e| e.to == 2);
    c.deliver_all(10);
    assert_eq!(outcomes(&c), [Outcome::Done]);
    assert_eq!(c.disks[0].registers[&0].0, 9);
    assert!(!c.disks[2].registers.contains_key(&0), "n3 missed it");
}

/// Seed 001, "inc 的并发冲突": inc is a majority read then a majority write; two concurrent incs both
/// read i = 0 and both write 1 — one update is lost.
#[test]
fn two_concurrent_incs_lose_one_update() {
    let mut c = Mj::new(config(3, Scheme::Majority));
    c.request(0, 0, 1, Op::Inc(0, 1)); // X
    c.request(2, 1, 1, Op::Inc(0, 1)); // Y
    // Both reads are answered before either write is delivered.
    c.deliver_all_where(1_000, is(MsgKind::Read));
    c.deliver_all_where(1_000, is(MsgKind::ReadReply));
    c.deliver_all(100);
    assert_eq!(outcomes(&c), [Outcome::Value(1), Outcome::Value(1)]);
    for disk in &c.disks {
        assert_eq!(disk.registers[&0].0, 1, "i = 1: one of the two increments is lost");
    }
}

/// Without timestamps a read of disagreeing replicas is ill-defined (seed 001); the rule taken: the
/// value most replies hold, a tie going to the lowest-numbered replica among the tied.
#[test]
fn without_timestamps_a_read_takes_the_most_common_value_ties_to_the_lowest_node() {
    let z = Ballot::ZERO;
    assert_eq!(most_common(&[(2, 7, z), (0, 5, z), (1, 7, z)]), 7);
    assert_eq!(most_common(&[(2, 7, z), (1, 5, z)]), 5, "tie: n2 < n3");
    assert_eq!(most_common(&[(0, 7, z), (1, 5, z)]), 7, "tie: n1 < n2");
    assert_eq!(most_common(&[]), 0);
}

/// Seed 001, with timestamps: a write is stamped with (the highest timestamp a majority reports) + 1
/// and the writer's node, and a read takes the value with the newest timestamp.
#[test]
fn with_timestamps_a_write_is_stamped_above_what_a_majority_holds() {
    let mut c = Mj::new(config(3, Scheme::MajorityTimestamps));
    c.request(1, 0, 1, Op::Set(0, 3));
    assert_eq!(c.kinds_since(0), [MsgKind::Read, MsgKind::Read], "a set reads the timestamps first");
    c.deliver_all(100);
    assert_eq!(c.disks[0].registers[&0], (3, Ballot::new(1, 1)));
    c.request(2, 0, 2, Op::Set(0, 4));
    c.deliver_all(100);
    assert_eq!(c.disks[0].registers[&0], (4, Ballot::new(2, 2)));
    assert_eq!(newest(&[(0, 3, Ballot::new(1, 1)), (1, 4, Ballot::new(2, 2)), (2, 5, Ballot::new(2, 0))]).0, 4);
}

/// With timestamps a replica keeps only the newest write: an older one that arrives late is
/// acknowledged but does not overwrite.
#[test]
fn with_timestamps_a_replica_ignores_an_older_write() {
    let mut c = Mj::new(config(3, Scheme::MajorityTimestamps));
    let op = majority::OpId { incarnation: 0, number: 0 };
    let write = |value, stamp| majority::Message::Write { op, key: 0, value, stamp };
    c.step(0, Input::Message { from: 1, msg: write(8, Ballot::new(2, 1)) });
    c.step(0, Input::Message { from: 2, msg: write(6, Ballot::new(1, 2)) });
    assert_eq!(c.disks[0].registers[&0], (8, Ballot::new(2, 1)));
    assert_eq!(c.kinds_since(0), [MsgKind::WriteAck, MsgKind::WriteAck]);
}

/// Seed 001, with timestamps still broken by a half-finished write: a = x₁ on n1 and n2, a = y₂
/// only on n3 (its writer died); a reader that hears n1 and n2 sees x, one that hears n2 and n3
/// sees y — and the first can come after the second.
#[test]
fn with_timestamps_a_half_finished_write_shows_readers_different_values() {
    let mut c = Mj::new(config(3, Scheme::MajorityTimestamps));
    let op = majority::OpId { incarnation: 9, number: 0 };
    let write = |value, stamp| majority::Message::Write { op, key: 0, value, stamp };
    for n in [0, 1] {
        c.step(n, Input::Message { from: 2, msg: write(1, Ballot::new(1, 0)) });
    }
    c.step(2, Input::Message { from: 1, msg: write(2, Ballot::new(2, 1)) });
    c.network.clear();
    // A reader at n3 hears n2 first: y.
    c.request(2, 0, 1, Op::Get(0));
    c.deliver_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 2);
    // Then a reader at n1 hears n2 first: x — an older value after a newer one was returned.
    c.network.clear();
    c.request(0, 1, 1, Op::Get(0));
    c.deliver_where(|e| e.to == 1);
    c.deliver_where(|e| e.to == 0);
    assert_eq!(outcomes(&c), [Outcome::Value(2), Outcome::Value(1)]);
}
