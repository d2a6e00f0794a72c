//! Determinism, seeking and replaying a person's actions.

use paxos_core::multi::Replica;
use paxos_sim::config::NodeName;
use paxos_sim::faults::Fault;
use paxos_sim::run::SNAPSHOT_EVERY;
use paxos_sim::{Picture, ProtocolKind, Run, SimConfig, sweep};

/// A sweep seed's run (nemesis and all), for determinism.
fn faulty() -> SimConfig {
    sweep::config(ProtocolKind::Multi, 3, paxos_core::Bugs::NONE)
}

/// A fault-free run of about 60,000 events, for seeking and actions.
fn config() -> SimConfig {
    SimConfig { duration_ms: 30_000, ..SimConfig::default() }
}

#[test]
fn the_same_inputs_give_the_same_trace_and_another_seed_another() {
    let hash = |config: &SimConfig| {
        let mut run = Run::<Replica>::new(config).unwrap();
        run.run_to_end();
        run.trace().hash()
    };
    let config = faulty();
    assert_eq!(hash(&config), hash(&config));
    assert_ne!(hash(&config), hash(&SimConfig { seed: 4, ..config }));
}

/// Seeking copies the last snapshot before the event and replays to it: the world it gives is the
/// world the run had at that event.
#[test]
fn seeking_gives_the_world_as_it_was() {
    let config = config();
    let mut run = Run::<Replica>::new(&config).unwrap();
    let mut pictures = Vec::new();
    let targets = [0, 17, SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY, SNAPSHOT_EVERY + 5, 3 * SNAPSHOT_EVERY + 77];
    let mut next = 0;
    while run.step() {
        // The world just after the step that produced event `targets[next]`.
        while next < targets.len() && (run.trace().len() as u64) > targets[next] {
            pictures.push((targets[next], Picture::of(run.world())));
            next += 1;
        }
    }
    assert_eq!(pictures.len(), targets.len(), "the run is long enough");
    for (event, picture) in pictures {
        assert_eq!(Picture::of(&run.world_at(event)), picture, "event {event}");
    }
}

/// A person's actions are part of the run: seeking replays them at the step they were taken, and a
/// new run that takes them at the same steps has the same trace.
#[test]
fn actions_are_replayed_exactly() {
    let config = config();
    let mut run = Run::<Replica>::new(&config).unwrap();
    let mut taken = Vec::new();
    while run.step() {
        let step = run.world().steps();
        if step == 2_000 || step == 9_000 {
            let fault =
                if step == 2_000 { Fault::Crash { node: NodeName(0) } } else { Fault::Restart { node: NodeName(0) } };
            let before = run.trace().len() as u64;
            run.act(&fault).unwrap();
            taken.push((step, fault, before, Picture::of(run.world())));
        }
    }
    for (_, _, event, picture) in &taken {
        assert_eq!(&Picture::of(&run.world_at(*event)), picture);
    }
    let mut again = Run::<Replica>::new(&config).unwrap();
    let mut actions = taken.iter().peekable();
    loop {
        if let Some((_, fault, _, _)) = actions.next_if(|(step, ..)| *step == again.world().steps()) {
            again.act(fault).unwrap();
        } else if !again.step() {
            break;
        }
    }
    assert_eq!(again.trace().hash(), run.trace().hash());
}

/// A person's impossible action is refused with a reason, and changes nothing.
#[test]
fn an_impossible_action_is_refused_and_changes_nothing() {
    let mut run = Run::<Replica>::new(&config()).unwrap();
    run.run_until(100_000);
    let before = run.trace().hash();
    assert_eq!(run.act(&Fault::Restart { node: NodeName(1) }), Err("n2 is already up".to_string()));
    assert_eq!(
        run.act(&Fault::Crash { node: NodeName(8) }),
        Err(format!("fault: n9 is not in a cluster of {} nodes", run.world().config().nodes))
    );
    assert_eq!(run.act(&Fault::DropMessage { msg: u32::MAX }), Err(format!("message {} is not in flight", u32::MAX)));
    assert_eq!(run.trace().hash(), before);
    assert!(run.actions().is_empty());
}
