//! A run in a page address, so that a link shares it exactly.
//!
//! `?p=multi&n=5&seed=42&k=2&t=350&a=[[812,{"fault":"crash","node":"n1"}]]` (the JSON percent-encoded):
//! protocol, nodes, seed, background clients, an optional scenario (`s=`), the cursor in virtual ms
//! (to the µs: `t=350.125`) and the actions taken, each with the step it was taken at. Together
//! with the seed they replay the run bit for bit.
//!
//! Reading is forgiving: each malformed part is named in a message and replaced by its default, and
//! everything else is kept. Nothing in here can panic on any input.

use paxos_sim::ProtocolKind;
use paxos_sim::faults::Fault;
use paxos_sim::trace::Time;

use crate::model::Setup;

/// The latest step an action of an address may be taken at: replaying further would keep the page
/// busy for many seconds before it can show anything.
pub const MAX_ACTION_STEP: u64 = 5_000_000;

/// The latest cursor (virtual ms) an address may ask for, for the same reason.
pub const MAX_CURSOR_MS: u64 = 600_000;

/// What an address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shared {
    /// The setup.
    pub setup: Setup,
    /// The actions, as `(step, fault)`.
    pub actions: Vec<(u64, Fault)>,
    /// The cursor, virtual µs.
    pub cursor: Option<Time>,
    /// What was wrong with the address, one message per part.
    pub problems: Vec<String>,
}

/// Reads the query part of an address (with or without its `?`).
pub fn parse(query: &str) -> Shared {
    let mut shared = Shared::default();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = match decode(raw) {
            Ok(value) => value,
            Err(e) => {
                shared.problems.push(format!("'{key}': {e}"));
                continue;
            }
        };
        let setup = &mut shared.setup;
        let result = match key {
            "p" => value.parse::<ProtocolKind>().map(|p| setup.protocol = p).map_err(|e| e.0),
            "n" => number(&value, "n (the number of nodes)").map(|n| setup.nodes = n),
            "seed" => number(&value, "seed").map(|s| setup.seed = s),
            "k" => number(&value, "k (background clients)").map(|k| setup.workload = k),
            "s" => {
                setup.scenario = Some(value.clone());
                Ok(())
            }
            "t" => cursor_us(&value).and_then(|us| {
                if us > MAX_CURSOR_MS * 1_000 {
                    return Err(format!("the cursor is at most {MAX_CURSOR_MS} ms here; starting at 0 instead"));
                }
                shared.cursor = Some(us);
                Ok(())
            }),
            "a" => serde_json::from_str::<Vec<(u64, Fault)>>(&value)
                .map_err(|e| format!("the actions are not readable: {e}"))
                .and_then(|actions| match actions.iter().position(|(step, _)| *step > MAX_ACTION_STEP) {
                    Some(i) => Err(format!(
                        "action {} is at step {}, past the {MAX_ACTION_STEP} steps a page replays; no action was taken",
                        i + 1,
                        actions[i].0
                    )),
                    None => {
                        shared.actions = actions;
                        Ok(())
                    }
                }),
            _ => Err("unknown setting (known: p, n, seed, k, s, t, a)".to_string()),
        };
        if let Err(e) = result {
            shared.problems.push(format!("'{key}={value}': {e}"));
        }
    }
    if let Err(e) = shared.setup.validate() {
        shared.problems.push(format!("{e}; using the defaults instead"));
        let defaults = Setup::default();
        shared.setup.nodes = defaults.nodes;
        shared.setup.workload = defaults.workload;
    }
    shared
}

/// Writes the query part of an address (with its `?`).
pub fn encode(setup: &Setup, actions: &[(u64, Fault)], cursor: Time) -> String {
    let mut query = match &setup.scenario {
        Some(name) => format!("?s={}", escape(name)),
        None => format!("?p={}&n={}&seed={}&k={}", setup.protocol.name(), setup.nodes, setup.seed, setup.workload),
    };
    // The cursor to the µs, so a shared link shows exactly the moment that was shown.
    match cursor % 1_000 {
        0 => query.push_str(&format!("&t={}", cursor / 1_000)),
        us => query.push_str(&format!("&t={}.{us:03}", cursor / 1_000)),
    }
    if !actions.is_empty() {
        let json = serde_json::to_string(actions).unwrap_or_default();
        query.push_str("&a=");
        query.push_str(&escape(&json));
    }
    query
}

/// The cursor `t`, in ms with up to three decimals (`350`, `350.125`), as µs.
fn cursor_us(text: &str) -> Result<Time, String> {
    let what = "t (the cursor, ms with at most 3 decimals)";
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let ms: u64 = number(whole, what)?;
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{what} must be a number like 350 or 350.125"));
    }
    let us: u64 = if fraction.is_empty() { 0 } else { number(&format!("{fraction:0<3}"), what)? };
    Ok(ms.saturating_mul(1_000).saturating_add(us))
}

fn number<T: core::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{what} must be a whole number in range"))
}

/// Percent-encodes everything but letters, digits and `-_.~`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes percent-encoding (`+` is a space).
pub fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| core::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(byte) = byte else {
                    return Err(format!("'%' at position {i} is not followed by two hex digits"));
                };
                out.push(byte);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8 once decoded".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use paxos_sim::config::NodeName;

    #[test]
    fn an_address_round_trips() {
        let setup = Setup { protocol: ProtocolKind::Raft, nodes: 7, seed: 99, workload: 3, scenario: None };
        let actions = vec![
            (12, Fault::Crash { node: NodeName(0) }),
            (40, Fault::Partition { groups: vec![vec![NodeName(1), NodeName(2)], vec![NodeName(3)]] }),
        ];
        let query = encode(&setup, &actions, 2_500_000);
        let shared = parse(&query);
        assert_eq!(shared.problems, Vec::<String>::new());
        assert_eq!(shared.setup, setup);
        assert_eq!(shared.actions, actions);
        assert_eq!(shared.cursor, Some(2_500_000));
        // The cursor keeps its µs.
        let query = encode(&setup, &actions, 2_500_037);
        assert!(query.contains("&t=2500.037"), "{query}");
        assert_eq!(parse(&query).cursor, Some(2_500_037));
        assert_eq!(parse("t=1.5").cursor, Some(1_500));
        assert!(parse("t=1.5000").problems[0].contains("350.125"));
    }

    /// Each bad part is named and replaced; the good parts are kept.
    #[test]
    fn a_malformed_address_names_what_is_wrong_and_keeps_the_rest() {
        let shared = parse("?p=paxos&n=5&seed=x7&k=2&a=%5B%5Bnope&zz=1&t=%ZZ");
        assert_eq!(shared.setup.protocol, ProtocolKind::Multi);
        assert_eq!(shared.setup.nodes, 5);
        assert_eq!(shared.setup.workload, 2);
        let all = shared.problems.join("\n");
        assert!(all.contains("'p=paxos': unknown protocol 'paxos'"), "{all}");
        assert!(all.contains("'seed=x7': seed must be a whole number"), "{all}");
        assert!(all.contains("'a=[[nope': the actions are not readable"), "{all}");
        assert!(all.contains("'zz=1': unknown setting"), "{all}");
        assert!(all.contains("'t': '%' at position 0"), "{all}");
        assert_eq!(shared.problems.len(), 5);
    }

    #[test]
    fn impossible_sizes_fall_back_to_defaults_with_a_message() {
        let shared = parse("n=12&seed=4");
        assert_eq!(shared.setup.nodes, 5);
        assert_eq!(shared.setup.seed, 4);
        assert!(shared.problems[0].contains("3 to 9 nodes"));
    }

    /// An address that would keep the page busy replaying is refused with a message, not run.
    #[test]
    fn an_address_too_far_in_the_future_is_refused() {
        let shared = parse("t=600001&a=%5B%5B5000001,%7B%22fault%22:%22heal%22%7D%5D%5D");
        assert_eq!(shared.cursor, None);
        assert_eq!(shared.actions, Vec::new());
        let all = shared.problems.join("\n");
        assert!(all.contains("the cursor is at most 600000 ms"), "{all}");
        assert!(all.contains("action 1 is at step 5000001"), "{all}");
        assert_eq!(parse("t=600000").cursor, Some(600_000_000));
    }

    /// Any bytes at all: messages, never a panic.
    #[test]
    fn garbage_never_panics() {
        for query in
            ["", "?", "&&&", "=", "a=", "%", "%e2%82", "n=-1", "t=99999999999999999999", "a=%5B%5B1,%7B%7D%5D%5D"]
        {
            let _ = parse(query);
        }
        assert_eq!(decode("a%20b+c"), Ok("a b c".to_string()));
    }
}
