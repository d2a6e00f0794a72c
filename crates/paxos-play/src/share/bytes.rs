//! A shared run's actions as bytes, base64url (the link's `a=`): per action the steps since the
//! previous one (LEB128), a fault tag ([`Fault::number`]) and its fields (see [`crate::share`]).

use paxos_core::ClientId;
use paxos_sim::config::{ClientName, KindName, MAX_CLUSTER, NodeName, OpSpec, RatioSpec};
use paxos_sim::faults::Fault;
use paxos_sim::run::Action;

use super::{MAX_ACTION_STEP, MAX_ACTIONS, VERSION};

/// Writes actions as bytes, base64url.
pub fn encode_actions(actions: &[Action]) -> String {
    let mut out = Vec::with_capacity(actions.len() * 5);
    let mut previous = 0;
    for action in actions {
        // Steps never decrease in a run; a file that had them decrease was refused on import.
        put_number(&mut out, action.step.saturating_sub(previous));
        previous = action.step;
        out.push(action.fault.number());
        let node = |out: &mut Vec<u8>, n: NodeName| out.push(n.0);
        let maybe_node = |out: &mut Vec<u8>, n: Option<NodeName>| out.push(n.map_or(0, |n| n.0 + 1));
        match &action.fault {
            Fault::Crash { node: n }
            | Fault::Restart { node: n }
            | Fault::Pause { node: n }
            | Fault::Resume { node: n }
            | Fault::Timeout { node: n } => node(&mut out, *n),
            Fault::CrashLeader {} | Fault::Heal {} | Fault::Recover {} => {}
            Fault::Partition { groups } => {
                put_number(&mut out, groups.len() as u64);
                for group in groups {
                    put_number(&mut out, group.iter().fold(0u64, |mask, n| mask | 1u64 << (n.0 & 63)));
                }
            }
            Fault::Cut { from, to, both } | Fault::Repair { from, to, both } => {
                node(&mut out, *from);
                node(&mut out, *to);
                out.push(u8::from(*both));
            }
            Fault::Loss { ratio } | Fault::Duplication { ratio } => {
                put_number(&mut out, ratio.0.into());
                put_number(&mut out, ratio.1.into());
            }
            Fault::Request { client, node: n, op } => {
                put_number(&mut out, client.map_or(0, |c| u64::from(c.0) + 1));
                maybe_node(&mut out, *n);
                put_text(&mut out, &op.to_string());
            }
            Fault::DropMessage { msg } | Fault::DuplicateMessage { msg } => put_number(&mut out, (*msg).into()),
            Fault::DelayMessage { msg, by_us } => {
                put_number(&mut out, (*msg).into());
                put_number(&mut out, *by_us);
            }
            Fault::Intercept { from, to, kind, delay_us, count } => {
                maybe_node(&mut out, *from);
                maybe_node(&mut out, *to);
                put_text(&mut out, &kind.map(|k| k.to_string()).unwrap_or_default());
                put_number(&mut out, delay_us.unwrap_or(0));
                put_number(&mut out, (*count).into());
            }
        }
    }
    base64url(&out)
}

/// Reads actions written by [`encode_actions`]; the error names the action at fault.
pub fn decode_actions(text: &str) -> Result<Vec<Action>, String> {
    if text.len() > 64 * 1024 {
        return Err(format!("the actions are {} characters; at most 65536", text.len()));
    }
    let bytes = from_base64url(text, "actions")?;
    let mut reader = Reader { bytes: &bytes, at: 0 };
    let mut actions = Vec::new();
    let mut step = 0u64;
    while !reader.done() {
        let n = actions.len() + 1;
        if actions.len() == MAX_ACTIONS {
            return Err(format!("more than {MAX_ACTIONS} actions"));
        }
        let action = reader.action(&mut step).map_err(|e| format!("action {n}: {e}"))?;
        if action.step > MAX_ACTION_STEP {
            return Err(format!(
                "action {n} is at step {}, past the {MAX_ACTION_STEP} steps a page replays; no action was taken",
                action.step
            ));
        }
        actions.push(action);
    }
    Ok(actions)
}

pub(super) fn put_number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(super) fn put_text(out: &mut Vec<u8>, text: &str) {
    put_number(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Reads the bytes of [`encode_actions`] (and of the captions).
pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl Reader<'_> {
    pub(super) fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub(super) fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("cut short")?;
        self.at += 1;
        Ok(byte)
    }

    pub(super) fn number(&mut self) -> Result<u64, String> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            n |= u64::from(byte & 0x7f)
                .checked_shl(shift)
                .filter(|_| shift < 63 || byte <= 1)
                .ok_or("a number too large")?;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err("a number too large".into())
    }

    pub(super) fn small<T: TryFrom<u64>>(&mut self, what: &str) -> Result<T, String> {
        let n = self.number()?;
        T::try_from(n).map_err(|_| format!("{what} {n} is too large"))
    }

    pub(super) fn node(&mut self) -> Result<NodeName, String> {
        match self.byte()? {
            n if n < MAX_CLUSTER => Ok(NodeName(n)),
            n => Err(format!("node number {n} (at most {MAX_CLUSTER} nodes)")),
        }
    }

    fn maybe_node(&mut self) -> Result<Option<NodeName>, String> {
        match self.byte()? {
            0 => Ok(None),
            n if n <= MAX_CLUSTER => Ok(Some(NodeName(n - 1))),
            n => Err(format!("node number {n} (at most {MAX_CLUSTER} nodes)")),
        }
    }

    fn text(&mut self) -> Result<&str, String> {
        self.text_up_to(64)
    }

    pub(super) fn text_up_to(&mut self, max: usize) -> Result<&str, String> {
        let len: usize = self.small("a text length")?;
        if len > max {
            return Err(format!("a text of {len} bytes (at most {max})"));
        }
        let bytes = self.bytes.get(self.at..self.at.saturating_add(len)).ok_or("cut short")?;
        self.at += len;
        core::str::from_utf8(bytes).map_err(|_| "a text that is not UTF-8".to_string())
    }

    fn action(&mut self, step: &mut u64) -> Result<Action, String> {
        *step = step.checked_add(self.number()?).ok_or("a step too large")?;
        let fault = match self.byte()? {
            0 => Fault::Crash { node: self.node()? },
            1 => Fault::CrashLeader {},
            2 => Fault::Restart { node: self.node()? },
            3 => Fault::Pause { node: self.node()? },
            4 => Fault::Resume { node: self.node()? },
            5 => {
                let count: usize = self.small("a number of islands")?;
                if count > 16 {
                    return Err(format!("{count} islands (at most 16)"));
                }
                let mut groups = Vec::with_capacity(count);
                for _ in 0..count {
                    let mask = self.number()?;
                    if mask >> MAX_CLUSTER != 0 {
                        return Err(format!("an island with nodes beyond n{MAX_CLUSTER}"));
                    }
                    groups.push((0..MAX_CLUSTER).filter(|n| mask & 1 << n != 0).map(NodeName).collect());
                }
                Fault::Partition { groups }
            }
            tag @ (6 | 7) => {
                let (from, to) = (self.node()?, self.node()?);
                let both = match self.byte()? {
                    0 => false,
                    1 => true,
                    b => return Err(format!("'both' is 0 or 1, not {b}")),
                };
                if tag == 6 { Fault::Cut { from, to, both } } else { Fault::Repair { from, to, both } }
            }
            8 => Fault::Heal {},
            tag @ (9 | 10) => {
                let ratio = RatioSpec(self.small("a numerator")?, self.small("a denominator")?);
                if tag == 9 { Fault::Loss { ratio } } else { Fault::Duplication { ratio } }
            }
            11 => Fault::Timeout { node: self.node()? },
            12 => {
                let client = match self.number()? {
                    0 => None,
                    c => Some(ClientName(
                        ClientId::try_from(c - 1).map_err(|_| format!("client number {c} is too large"))?,
                    )),
                };
                let node = self.maybe_node()?;
                let op = self.text()?.parse::<OpSpec>().map_err(|e| e.0)?;
                Fault::Request { client, node, op }
            }
            13 => Fault::DropMessage { msg: self.small("a message number")? },
            14 => Fault::DuplicateMessage { msg: self.small("a message number")? },
            15 => Fault::DelayMessage { msg: self.small("a message number")?, by_us: self.number()? },
            16 => Fault::Recover {},
            17 => {
                let (from, to) = (self.maybe_node()?, self.maybe_node()?);
                let kind = match self.text()? {
                    "" => None,
                    name => Some(name.parse::<KindName>().map_err(|e| e.0)?),
                };
                let delay_us = Some(self.number()?).filter(|&d| d != 0);
                let count = self.small("a count")?;
                Fault::Intercept { from, to, kind, delay_us, count }
            }
            tag => return Err(format!("unknown fault number {tag} (this page reads format {VERSION})")),
        };
        Ok(Action { step: *step, fault })
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5): safe in an address without escaping.
pub(super) fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Base64url read back; `what` ("actions", "captions") names the part in messages.
pub(super) fn from_base64url(text: &str, what: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return Err(format!("the {what} are cut short (not whole bytes of base64url)"));
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for (c, chunk) in text.as_bytes().chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &byte) in chunk.iter().enumerate() {
            let Some(digit) = BASE64URL.iter().position(|&d| d == byte) else {
                return Err(format!(
                    "the {what} hold '{}' at character {}, which base64url does not use",
                    char::from(byte).escape_default(),
                    c * 4 + i + 1
                ));
            };
            n |= (digit as u32) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    Ok(out)
}
