//! The page's words: the catalogue of the reader's language (`lang/<code>.json`, see
//! `paxos_play::lang`), fetched when the page starts and when the reader switches language, and read
//! by every view through [`t`] and [`tf`].
//!
//! The words are not in the wasm: a language costs the bundle nothing, and adding one needs no code
//! here. The catalogue in use is page-wide (like the document's `lang`), so it is kept in one
//! thread-local cell rather than threaded through every view's props; the views are redrawn when it
//! changes, and the panels' props carry [`Lang`] so that they are too.

use std::cell::RefCell;
use std::fmt::Display;

use paxos_core::Role;
use paxos_play::lang::{Catalogue, Lang};
use paxos_sim::ProtocolKind;
use paxos_sim::check::Invariant;
use paxos_sim::trace::DropCause;

thread_local! {
    static WORDS: RefCell<Option<Catalogue>> = const { RefCell::new(None) };
}

/// Where the reader's choice is remembered (`localStorage`).
pub const STORAGE_KEY: &str = "paxos-lang";

/// The text of `key` in the reader's language (the key itself before a catalogue has arrived, or if
/// it lacks the key — which the tests forbid). Never inlined: it is called from some 250 places.
#[inline(never)]
pub fn t(key: &str) -> String {
    WORDS.with(|words| match &*words.borrow() {
        Some(catalogue) => catalogue.get(key).to_string(),
        None => key.to_string(),
    })
}

/// The text of `key` with its `{placeholders}` filled from `args`. Never inlined, like [`t`].
#[inline(never)]
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    WORDS.with(|words| match &*words.borrow() {
        Some(catalogue) => catalogue.format(key, args),
        None => key.to_string(),
    })
}

/// The name people read of a protocol (`protocol.<name>`; the English is `ProtocolKind::title`, which
/// the command line keeps).
pub fn protocol(kind: ProtocolKind) -> String {
    t(&format!("protocol.{}", kind.name()))
}

/// A role's name (`role.<name>`; the name itself stays the data of `data-role`).
pub fn role(role: Role) -> String {
    t(&format!("role.{}", role.name()))
}

/// What the page says of an invariant: `part` is `name`, `explain` or `source` (the command line keeps
/// `Invariant::description` and `Invariant::source`; the page does not call them, so that their
/// English is not in the wasm).
pub fn invariant(invariant: Invariant, part: &str) -> String {
    t(&format!("invariant.{}.{part}", invariant.name()))
}

/// Why a message will be dropped (`cause.<name>`).
pub fn cause(cause: DropCause) -> String {
    t(&format!("cause.{}", cause.name()))
}

/// The rule behind a node's decision, in the reader's words, with where it is stated.
pub fn rule(rule: &paxos_core::Rule) -> String {
    WORDS.with(|words| match &*words.borrow() {
        Some(catalogue) => paxos_play::explain::words(rule, catalogue),
        None => rule.key().to_string(),
    })
}

/// Puts `catalogue` in use.
pub fn install(catalogue: Catalogue) {
    WORDS.with(|words| *words.borrow_mut() = Some(catalogue));
}

/// The language in use, if a catalogue has arrived.
pub fn current() -> Option<Lang> {
    WORDS.with(|words| words.borrow().as_ref().map(Catalogue::lang))
}

/// The language to speak: the link's (`lang=zh`), else the one the reader chose before (remembered),
/// else the first of the browser's languages the playground speaks, else English.
pub fn choose(link: Option<Lang>, remembered: Option<&str>, browser: &[String]) -> Lang {
    link.or_else(|| remembered.and_then(Lang::parse))
        .unwrap_or_else(|| Lang::first_spoken(browser.iter().map(String::as_str)))
}

/// Where a language's catalogue is, relative to the page.
pub fn address(lang: Lang) -> String {
    format!("lang/{}.json", lang.code())
}

/// Installs the repository's catalogue of `lang` (for tests: the page fetches its own).
#[cfg(any(test, not(target_arch = "wasm32")))]
pub fn install_builtin(lang: Lang) {
    install(paxos_play::lang::builtin(lang));
}

/// What happened at `event` of `trace`, in the reader's words (the narration's sentence; the
/// command line's English is `paxos_sim::trace::describe`).
pub fn event(trace: &paxos_sim::trace::Trace, event: &paxos_sim::trace::Event) -> String {
    use paxos_core::{Ballot, NodeName};
    use paxos_sim::trace::{EventKind, MsgId};
    let message = |msg: MsgId| match trace.send_of(msg).and_then(|id| trace.get(id)).map(|e| e.kind) {
        Some(EventKind::Send { from, to, kind, .. }) => format!("{from} → {to} {} (m{msg})", kind.name()),
        _ => format!("m{msg}"),
    };
    let node = |n| NodeName(n).to_string();
    match event.kind {
        EventKind::Send { msg, from, to, kind, ballot, .. } => {
            let ballot = if ballot == Ballot::ZERO { String::new() } else { format!(" {ballot}") };
            tf("event.send", &[("message", &format!("{from} → {to} {}{ballot} (m{msg})", kind.name()))])
        }
        EventKind::Deliver { msg } => tf("event.deliver", &[("message", &message(msg))]),
        EventKind::Drop { msg, cause: why } => tf("event.drop", &[("message", &message(msg)), ("cause", &cause(why))]),
        EventKind::Duplicate { msg, copy } => tf("event.duplicate", &[("msg", &msg), ("copy", &copy)]),
        EventKind::Timeout { node: n } => tf("event.timeout", &[("node", &node(n))]),
        EventKind::Crash { node: n } => tf("event.crash", &[("node", &node(n))]),
        EventKind::Restart { node: n } => tf("event.restart", &[("node", &node(n))]),
        EventKind::Pause { node: n } => tf("event.pause", &[("node", &node(n))]),
        EventKind::Resume { node: n } => tf("event.resume", &[("node", &node(n))]),
        EventKind::Partition { islands } if islands.is_whole() => t("event.whole"),
        EventKind::Partition { .. } | EventKind::Weather { .. } => t("event.network"),
        EventKind::Cut { from, to } => tf("event.cut", &[("from", &node(from)), ("to", &node(to))]),
        EventKind::Repair { from, to } => tf("event.repair", &[("from", &node(from)), ("to", &node(to))]),
        EventKind::Invoke { client, seq, op } => {
            tf("event.invoke", &[("client", &format!("c{}", client + 1)), ("seq", &seq), ("op", &op)])
        }
        EventKind::Return { client, seq, value } => {
            let value = value.map_or_else(|| "ok".to_string(), |v| v.to_string());
            tf("event.return", &[("client", &format!("c{}", client + 1)), ("seq", &seq), ("value", &value)])
        }
        EventKind::Role { node: n, role: r, .. } => tf("event.role", &[("node", &node(n)), ("role", &role(r))]),
        EventKind::Decide { node: n, slot } => tf("event.decide", &[("node", &node(n)), ("slot", &slot)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_wins_then_the_remembered_choice_then_the_browser() {
        let browser = vec!["fr-FR".to_string(), "zh-CN".to_string()];
        assert_eq!(choose(Some(Lang::En), Some("zh"), &browser), Lang::En);
        assert_eq!(choose(None, Some("en"), &browser), Lang::En);
        assert_eq!(choose(None, Some("klingon"), &browser), Lang::Zh);
        assert_eq!(choose(None, None, &browser), Lang::Zh);
        assert_eq!(choose(None, None, &[]), Lang::En);
    }

    #[test]
    fn words_come_from_the_installed_catalogue() {
        install(Catalogue::parse(Lang::Zh, r#"{"a": {"b": "你好 {name}"}}"#).unwrap());
        assert_eq!(current(), Some(Lang::Zh));
        assert_eq!(tf("a.b", &[("name", &"n1")]), "你好 n1");
        assert_eq!(t("a.missing"), "a.missing");
        install_builtin(Lang::En);
        assert_eq!(current(), Some(Lang::En));
    }
}
