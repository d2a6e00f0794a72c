//! Words in the reader's language: one catalogue per language, with named placeholders.
//!
//! The words the page and the command line say live in `lang/<code>.json` at the repository's root,
//! not in the code: the page fetches the one catalogue it needs (so a language costs the wasm
//! nothing), and the command line embeds them ([`builtin`]). A catalogue is a JSON object of strings;
//! nested objects name their keys with dots, so
//!
//! ```json
//! { "controls": { "play": "▶ Play", "clock": "{time} · event {event}" } }
//! ```
//!
//! holds the keys `controls.play` and `controls.clock`. `{name}` in a text is a placeholder filled by
//! [`Catalogue::format`]; `{{` and `}}` are a literal brace. Every language has every key with the
//! same placeholders (`tests/lang.rs` fails otherwise), so a missing word is a failed test, never a
//! blank on the page.
//!
//! Adding a language: add its variant to [`Lang`] (its code and its name in itself), copy
//! `lang/en.json` to `lang/<code>.json` and translate every value, keeping each `{placeholder}`.

use core::fmt::{self, Display};

use paxos_json::{self as json, Error, Json};

/// A language the playground speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 简体中文 (Simplified Chinese), in the seeds' own vocabulary (docs/glossary.md).
    Zh,
}

impl Lang {
    /// Every language, in the order the page offers them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's code in links (`lang=zh`), file names (`lang/zh.json`) and HTML's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's name in itself, as the language switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// The language of a code: `en`, `zh`, and BCP 47 tags such as `en-GB`, `zh-CN`, `zh-Hans`
    /// (case does not matter). `None` for a language the playground does not speak.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL.into_iter().find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The first of the reader's preferred languages (the browser's `navigator.languages`, in order)
    /// that the playground speaks; English if none.
    pub fn first_spoken<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::parse).unwrap_or_default()
    }
}

impl Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One language's words: keys to texts with `{placeholders}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    lang: Lang,
    /// Sorted by key, for [`Catalogue::get`]'s binary search.
    entries: Vec<(String, String)>,
}

impl Catalogue {
    /// Reads a catalogue file: a JSON object whose values are strings or objects of the same kind.
    /// A value of another kind or a key given twice is an error naming the key.
    pub fn parse(lang: Lang, text: &str) -> Result<Catalogue, Error> {
        let value = json::parse(text)?;
        let mut entries = Vec::new();
        flatten("", &value, &mut entries)?;
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(Error::new(format!("the key \"{}\" is given twice", pair[0].0)));
        }
        Ok(Catalogue { lang, entries })
    }

    /// The language these words are in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of `key`, or `None` if the catalogue lacks it.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        let at = self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&self.entries[at].1)
    }

    /// The text of `key`; the key itself if the catalogue lacks it (the tests make sure none is
    /// lacking: a key on the page is easier to report than a blank).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.lookup(key).unwrap_or(key)
    }

    /// The text of `key` with its placeholders filled from `args` (see [`fill`]).
    pub fn format(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.get(key), args)
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(key, _)| key.as_str())
    }

    /// Every (key, text), in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(key, text)| (key.as_str(), text.as_str()))
    }
}

/// Adds `value`'s strings to `out` under `prefix`.
fn flatten(prefix: &str, value: &Json, out: &mut Vec<(String, String)>) -> Result<(), Error> {
    let Json::Object(fields) = value else {
        return Err(Error::expected("an object of texts", value));
    };
    for (key, value) in fields {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            Json::String(text) => out.push((full, text.clone())),
            Json::Object(_) => flatten(&full, value, out)?,
            other => return Err(Error::expected("a text or an object of texts", other).in_field(&full)),
        }
    }
    Ok(())
}

/// `template` with each `{name}` replaced by the argument of that name; `{{` and `}}` are literal
/// braces. A placeholder with no argument stays as written, so a mistake shows on the page instead of
/// vanishing.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match placeholder(tail) {
            Some(name) => {
                match args.iter().find(|(arg, _)| *arg == name) {
                    Some((_, value)) => {
                        use fmt::Write;
                        let _ = write!(out, "{value}");
                    }
                    None => out.push_str(&tail[..name.len() + 2]),
                }
                rest = &tail[name.len() + 2..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of `template`, in order (each as often as it appears).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
        } else if let Some(name) = placeholder(tail) {
            names.push(name);
            rest = &tail[name.len() + 2..];
        } else {
            rest = &tail[1..];
        }
    }
    names
}

/// The name of the placeholder `tail` starts with (`{name}…`): letters, digits and `_`.
fn placeholder(tail: &str) -> Option<&str> {
    let body = tail.strip_prefix('{')?;
    let end = body.find('}')?;
    let name = &body[..end];
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// The catalogues in `lang/`, as the repository holds them (the command line and the tests use them;
/// the page fetches its one catalogue instead, so that its wasm carries no words).
pub fn builtin(lang: Lang) -> Catalogue {
    let text = match lang {
        Lang::En => include_str!("../../../lang/en.json"),
        Lang::Zh => include_str!("../../../lang/zh.json"),
    };
    // The tests read every built-in catalogue, so this cannot fail in a build that passed them.
    Catalogue::parse(lang, text).unwrap_or_else(|error| panic!("lang/{lang}.json: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_named_placeholders_and_keeps_literal_braces() {
        let n = 3;
        let text = fill(
            "{node} refused {{Accept}} {ballot}: it promised {promised}",
            &[("node", &"n4"), ("ballot", &"1.1"), ("promised", &"1.2"), ("unused", &n)],
        );
        assert_eq!(text, "n4 refused {Accept} 1.1: it promised 1.2");
    }

    #[test]
    fn a_placeholder_without_argument_stays_visible() {
        assert_eq!(fill("{a} and {b}", &[("a", &1)]), "1 and {b}");
        assert_eq!(fill("a { b } {}", &[]), "a { b } {}");
        assert_eq!(placeholders("{a} {{x}} {b_2} {a} { c }"), ["a", "b_2", "a"]);
    }

    #[test]
    fn nested_objects_name_keys_with_dots() {
        let catalogue = Catalogue::parse(Lang::En, r#"{"b": "B", "a": {"x": "X {n}", "y": {"z": "Z"}}}"#).unwrap();
        assert_eq!(catalogue.keys().collect::<Vec<_>>(), ["a.x", "a.y.z", "b"]);
        assert_eq!(catalogue.format("a.x", &[("n", &7)]), "X 7");
        assert_eq!(catalogue.get("missing.key"), "missing.key");
        assert_eq!(catalogue.lookup("a"), None);
    }

    #[test]
    fn a_bad_catalogue_names_what_is_wrong() {
        let error = Catalogue::parse(Lang::En, r#"{"a": {"b": 3}}"#).unwrap_err().to_string();
        assert!(error.contains("a.b") && error.contains("text"), "{error}");
        let error = Catalogue::parse(Lang::En, r#"{"a.b": "1", "a": {"b": "2"}}"#).unwrap_err().to_string();
        assert!(error.contains("twice") && error.contains("a.b"), "{error}");
        assert!(Catalogue::parse(Lang::En, "[]").is_err());
    }

    #[test]
    fn languages_from_tags_and_preferences() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("ZH_hans"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::first_spoken(["fr-FR", "zh-TW", "en"]), Lang::Zh);
        assert_eq!(Lang::first_spoken(["de"]), Lang::En);
    }
}
