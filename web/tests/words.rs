//! Every word the page says comes from the catalogue (`lang/en.json`, issue 14): each key the code
//! asks for exists, keys built from names (roles, protocols, invariants, …) exist for every name,
//! and no English sentence is left in the code outside the catalogue.
//!
//! Reads the sources of `web/src`. Natively only (the browser has no files).
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use paxos_core::Role;
use paxos_play::lang::{self, Catalogue, Lang};
use paxos_sim::check::Invariant;
use paxos_sim::trace::DropCause;
use paxos_sim::world::Status;
use paxos_sim::{ProtocolKind, config::NodeName};
use paxos_web::components::overlays::HELP_KEYS;
use paxos_web::state::gestures::node_actions;
use paxos_web::state::sharing::Export;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in fs::read_dir(dir).expect("web/src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("a source file");
            out.push((path, text));
        }
    }
}

fn web_sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 20, "web/src has the page's sources ({} found)", files.len());
    files
}

/// The code of a file without its tests (`#[cfg(test)]` to the end: every file here keeps its
/// tests last), without comments and without raw strings (`r#"…"#`: the pens' SVG templates).
fn code(text: &str) -> String {
    // Tests are not the page: everything from the first test module on is left out.
    let end = ["#[cfg(test)]", "#[cfg(all(test"].iter().filter_map(|m| text.find(m)).min().unwrap_or(text.len());
    let mut text = text[..end].to_string();
    while let Some(start) = text.find("r#\"") {
        let end = text[start..].find("\"#").map_or(text.len(), |end| start + end + 2);
        text.replace_range(start..end, "r");
    }
    text.lines().map(strip_comment).collect::<Vec<_>>().join("\n")
}

/// A line without its `//` comment (a `//` inside a string literal, as in a URL, is kept).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'"' if i == 0 || bytes[i - 1] != b'\\' => quoted = !quoted,
            b'/' if !quoted && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The string literals of `code`, each with the text just before it.
fn literals(code: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut rest = code;
    let mut offset = 0;
    while let Some(start) = rest.find('"') {
        let before = &code[..offset + start];
        let body = &rest[start + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else { break };
        if before.ends_with('\'') && body.starts_with('\'') {
            // A character literal, '"'.
            offset += start + 1;
            rest = &code[offset..];
            continue;
        }
        found.push((before, &body[..end]));
        offset += start + 1 + end + 1;
        rest = &code[offset..];
    }
    found
}

/// Whether `before` ends with a call of `t(` or `tf(` (not of `format(` or `closest(`).
fn calls_t(before: &str) -> bool {
    let before = before.trim_end();
    ["t(", "tf("].iter().any(|call| {
        before.strip_suffix(call).is_some_and(|head| !head.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

/// Whether `text` is shaped like a key of one of the catalogue's groups (`guide.down_one`), as a key
/// chosen by a condition before it is passed to `t` is (file names such as `timeline.png` are not).
fn key_like(text: &str, groups: &[&str]) -> bool {
    let valid = |part: &str| {
        !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-".contains(c))
    };
    let mut parts = text.split('.');
    let group = parts.next().unwrap_or_default();
    let file = [".png", ".svg", ".json", ".jsonl"].iter().any(|extension| text.ends_with(extension));
    groups.contains(&group) && text.contains('.') && !file && parts.all(valid)
}

/// The catalogue keys `code` asks for by name: `t("…")` and `tf("…", …)`, and literals shaped like
/// a key of one of `groups`.
fn keys_asked(code: &str, groups: &[&str]) -> Vec<String> {
    literals(code)
        .into_iter()
        .filter(|(before, text)| calls_t(before) || key_like(text, groups))
        .map(|(_, key)| key.to_string())
        .collect()
}

/// The catalogue's groups: the first part of its keys.
fn groups(catalogue: &Catalogue) -> Vec<&str> {
    let mut groups: Vec<&str> = catalogue.keys().filter_map(|key| key.split('.').next()).collect();
    groups.dedup();
    groups
}

/// The keys asked for that `catalogue` lacks.
fn missing_keys(code: &str, catalogue: &Catalogue) -> Vec<String> {
    keys_asked(code, &groups(catalogue)).into_iter().filter(|key| catalogue.lookup(key).is_none()).collect()
}

#[test]
fn every_key_the_page_asks_for_is_in_the_english_catalogue() {
    let english = lang::builtin(Lang::En);
    let mut asked = 0;
    for (path, text) in web_sources() {
        let code = code(&text);
        asked += keys_asked(&code, &groups(&english)).len();
        let missing = missing_keys(&code, &english);
        assert!(missing.is_empty(), "{}: lang/en.json lacks {missing:?}", path.display());
    }
    assert!(asked > 150, "the page asks for its words by key ({asked} found)");
}

#[test]
fn a_missing_key_is_caught() {
    let english = lang::builtin(Lang::En);
    let planted = "fn view() -> Html {\n    html! { <p>{ t(\"guide.start\") }{ tf(\n        \"no.such.key\", &[]) }</p> }\n}\n\
                   let key = if one { \"guide.down_one\" } else { \"guide.down_none\" };";
    assert_eq!(missing_keys(planted, &english), ["no.such.key", "guide.down_none"]);
    let asked = keys_asked(planted, &groups(&english));
    assert_eq!(asked, ["guide.start", "no.such.key", "guide.down_one", "guide.down_none"]);
}

/// Keys the page builds from a name (`role.<name>`, …) exist for every name.
#[test]
fn every_name_has_its_words() {
    let english = lang::builtin(Lang::En);
    let mut keys: Vec<String> = Vec::new();
    keys.extend(Role::ALL.iter().map(|r| format!("role.{}", r.name())));
    keys.extend(ProtocolKind::ALL.iter().map(|p| format!("protocol.{}", p.name())));
    for invariant in Invariant::ALL {
        keys.extend(["name", "explain", "source"].map(|part| format!("invariant.{}.{part}", invariant.name())));
    }
    let causes = [DropCause::Loss, DropCause::Partition, DropCause::Crashed, DropCause::Manual];
    keys.extend(causes.iter().map(|c| format!("cause.{}", c.name())));
    keys.extend(HELP_KEYS.iter().flat_map(|k| [format!("keys.{k}"), format!("keys.{k}_what")]));
    keys.extend(Export::ALL.iter().map(|(_, name)| format!("share.exports.{name}")));
    for status in [Status::Up, Status::Paused, Status::Down] {
        for (_, name) in node_actions(NodeName(0), status) {
            keys.extend([format!("actions.{name}"), format!("actions.{name}_menu")]);
        }
    }
    let missing: Vec<&String> = keys.iter().filter(|key| english.lookup(key).is_none()).collect();
    assert!(missing.is_empty(), "lang/en.json lacks {missing:?}");
    assert!(keys.len() > 100);
}

/// Literals that may stay in the code though they hold two words: not words a person reads as
/// prose (identifiers, file formats, CSS, commands), or said on purpose without a catalogue.
const ALLOWED: &[&str] = &[
    // The command a shared link replays with, in the share panel (code, not prose).
    "paxos replay --url",
    // The operation box's example: operations in the simulator's own syntax.
    "get a · set a 5 · inc a 1",
    "inc a 1",
    // When no catalogue could be had, the page says so in both languages.
    "{}: {problem} · 无法加载页面文字",
    // Browser plumbing that cannot fail on a page (it has a document and a 2D canvas).
    "no document",
    "no 2d context",
    // CSS classes chosen by a condition.
    "link cut",
    "link cut one-way",
    "client manual",
    "panel safety",
    "panel safety violated",
    "verdict right",
    "verdict wrong",
    // The embed API's errors go to the host page's developer, in the API's language (as
    // paxos_play::embed's own), not to the reader.
    "caption: this run has {of} captions (0 to {})",
    // Canvas fonts.
    "10px system-ui, sans-serif",
    "10px sans-serif",
];

/// Whether `text` reads like prose: two words of letters in a row.
fn prose(text: &str) -> bool {
    let words: Vec<&str> = text.split([' ', '\n']).collect();
    words.windows(2).any(|pair| pair.iter().all(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic())))
}

/// The prose literals of `code`: in `html!` text (`{ "…" }`), in attributes people read, and
/// anywhere else (a `format!`, an error) — but not keys, CSS classes or the allowed ones.
fn prose_literals(code: &str) -> Vec<String> {
    literals(code)
        .into_iter()
        .filter(|(before, text)| {
            let class = before.trim_end().ends_with("class=") || before.trim_end().ends_with("id=");
            !calls_t(before) && !class && prose(text) && !ALLOWED.contains(text)
        })
        .map(|(_, text)| text.to_string())
        .collect()
}

#[test]
fn no_english_sentence_is_left_in_the_page_code() {
    let mut found = Vec::new();
    for (path, text) in web_sources() {
        for literal in prose_literals(&code(&text)) {
            found.push(format!("{}: \"{literal}\"", path.display()));
        }
    }
    assert!(found.is_empty(), "English outside lang/en.json (use t/tf, or allow it in ALLOWED):\n{}", found.join("\n"));
}

#[test]
fn english_slipping_back_is_caught() {
    let planted = "html! { <p title=\"Drag me\">{ \"Press play to start\" }{ t(\"guide.start\") }</p> }\n\
                   let e = format!(\"Could not export: {e}\");\n\
                   html! { <b class=\"panel safety\">{ \"✓\" }<code>{ \"paxos replay --url\" }</code></b> }";
    assert_eq!(prose_literals(planted), ["Drag me", "Press play to start", "Could not export: {e}"]);
    // A comment or a test may say what it likes.
    assert!(prose_literals(&code("// Press play to start\n#[cfg(test)]\nmod tests { \"a b c\" }")).is_empty());
}
