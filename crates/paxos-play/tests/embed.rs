//! The embed's postMessage API on hostile input: whatever a host page (or any other script in it)
//! posts, reading it never panics, and a message meant for the API is either a command or an error
//! that names what is wrong.

use paxos_core::Prng;
use paxos_json as json;
use paxos_play::embed::{self, Command, Event};

/// Valid commands, to mutate.
const SEEDS: &[&str] = &[
    r#"{"paxos":1,"type":"play"}"#,
    r#"{"paxos":1,"type":"seek","caption":3,"id":"s1"}"#,
    r#"{"paxos":1,"type":"seek","time_us":125000}"#,
    r#"{"paxos":1,"type":"load","scenario":"raft-partition"}"#,
    r#"{"paxos":1,"type":"load","link":"?v=1&p=raft&n=5&seed=3"}"#,
    r#"{"paxos":1,"type":"next","id":{"nested":[1,2]}}"#,
];

#[test]
fn fuzz_the_commands() {
    const ALPHABET: &[u8] = b"{}[]\":,0123456789-.eE truefalsnlpaxosyidcm\\";
    let mut rng = Prng::derive(2026, 12);
    let (mut commands, mut errors, mut ignored) = (0u64, 0u64, 0u64);
    for _ in 0..300_000 {
        let mut bytes = SEEDS[rng.below(SEEDS.len() as u64) as usize].as_bytes().to_vec();
        for _ in 0..=rng.below(3) {
            let at = rng.below(bytes.len() as u64 + 1) as usize;
            match rng.below(3) {
                0 => bytes.insert(at, ALPHABET[rng.below(ALPHABET.len() as u64) as usize]),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = ALPHABET[rng.below(ALPHABET.len() as u64) as usize],
                _ => bytes.truncate(at),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        match embed::receive(&text) {
            None => ignored += 1,
            Some(received) => match received.command {
                Ok(command) => {
                    commands += 1;
                    // A command read is one the seeds could say: nothing half-read gets through.
                    assert!(
                        !matches!(&command, Command::LoadScenario(name) | Command::LoadLink(name) if name.contains('\u{fffd}')),
                        "{text}"
                    );
                }
                Err(message) => {
                    errors += 1;
                    assert!(!message.is_empty(), "{text}");
                    // The error event carries the host's id back, and is itself valid JSON.
                    let event = Event::Error { message, id: received.id };
                    assert!(json::parse(&json::to_string(&event)).is_ok());
                }
            },
        }
    }
    println!("fuzzed 300000 messages: {commands} commands, {errors} errors named, {ignored} ignored");
    assert!(commands > 1_000 && errors > 1_000 && ignored > 1_000, "the fuzz must reach every outcome");
}
