//! JSON, read and written by hand: a value ([`Json`]), a parser ([`parse`]), a writer ([`to_string`],
//! [`to_string_pretty`]), and [`Fields`], which reads an object field by field.
//!
//! The simulator's files (configurations, fault files, scenarios, run files) are small and few, so
//! the reader is simple rather than fast: the text is parsed into a [`Json`] tree once, then each
//! type reads itself from it ([`FromJson`]). One parser for every type keeps the playground's
//! WebAssembly small (a derived deserializer is compiled once per type and format).
//!
//! ```text
//!  text ──parse──▶ Json ──FromJson::from_value──▶ SimConfig, FaultPlan, Scenario, Action, …
//!  text ◀─to_string── Json ◀──ToJson::to_value─── Fault, Action, Pattern, a run file
//! ```
//!
//! - Objects keep their keys in the order written (a `Vec` of pairs, not a map), so what is written
//!   comes out in the order it was built.
//! - Numbers keep their text: a `u64` seed reads back exactly, and a number where a whole number is
//!   wanted (`5.0`, `-1`, `1e3`, `300` for a `u8`) is refused, not rounded.
//! - Nesting is limited to [`MAX_DEPTH`] levels, so `[[[[…` is refused instead of overflowing the stack.
//! - A syntax error gives its line and column; a value of the wrong kind names the path of fields
//!   to it (`"network"."loss": expected a pair [x, y], found 5`).
//! - [`Fields`] refuses unknown fields (naming the known ones) and duplicate ones.
//!
//! The writer prints what `serde_json` printed before it (the tests pin its bytes): compact with no
//! spaces, pretty with two-space indents and one array item per line. It is the workspace's only
//! JSON writer: run files, fault descriptions and the trace's JSON lines all come through it.
//!
//! Files: `parse.rs` (text → [`Json`]), `write.rs` ([`Json`] → text), `typed.rs` ([`FromJson`],
//! [`ToJson`] for the standard types), `fields.rs` ([`Fields`]).

use core::fmt;

mod fields;
mod parse;
mod typed;
mod write;

pub use fields::Fields;
pub use parse::{parse, read};
pub use typed::{FromJson, ToJson, one_of, unknown_variant};
pub use write::{to_string, to_string_pretty, write_string};

/// The deepest nesting of arrays and objects [`parse`] accepts (serde_json's limit too).
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number as written (checked against JSON's grammar), so that no digit is lost.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// `[…]`.
    Array(Vec<Json>),
    /// `{…}`, its fields in the order written.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// An object of these fields, in this order.
    pub fn object<'a>(fields: impl IntoIterator<Item = (&'a str, Json)>) -> Json {
        Json::Object(fields.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }

    /// The value in a few words, for an error message: `"five"`, `12`, `an object`.
    fn describe(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(text) => cut(text),
            Json::String(s) => to_string(&cut(s)),
            Json::Array(items) if items.is_empty() => "an empty array".into(),
            Json::Array(items) if items.len() == 1 => "an array of 1 item".into(),
            Json::Array(items) => format!("an array of {} items", items.len()),
            Json::Object(_) => "an object".into(),
        }
    }
}

/// At most 40 characters of `text` (a value quoted in an error message can be any length).
pub(crate) fn cut(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

// ------------------------------------------------------------------------------------------ errors

/// What is wrong with a text, and where: a line and column for a syntax error, the path of fields
/// for a value of the wrong kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// `"network"."loss"`, `"schedule"[2]."node"`, or empty (the value itself, or a syntax error).
    path: String,
    message: String,
}

impl Error {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Error {
        Error { path: String::new(), message: message.into() }
    }

    /// "expected `what`, found `value`".
    pub fn expected(what: &str, found: &Json) -> Error {
        Error::new(format!("expected {what}, found {}", found.describe()))
    }

    /// The same error, in field `key` of an object.
    pub fn in_field(self, key: &str) -> Error {
        self.prefixed(format!("\"{key}\""))
    }

    /// The same error, in item `index` of an array.
    pub fn in_item(self, index: usize) -> Error {
        self.prefixed(format!("[{index}]"))
    }

    fn prefixed(mut self, mut place: String) -> Error {
        if self.path.starts_with('"') {
            place.push('.');
        }
        place.push_str(&self.path);
        self.path = place;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}

impl std::error::Error for Error {}

/// Errors are read by people: where a message is a `String`, an error is its words.
impl From<Error> for String {
    fn from(error: Error) -> String {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn values_of_every_kind_parse() {
        let value = parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {}, \"c\": [], \"d\": \"x\"}\n").unwrap();
        let number = |n: &str| Json::Number(n.into());
        assert_eq!(
            value,
            Json::object([
                (
                    "a",
                    Json::Array(vec![number("1"), number("-2.5e3"), Json::Bool(true), Json::Bool(false), Json::Null])
                ),
                ("b", Json::Object(vec![])),
                ("c", Json::Array(vec![])),
                ("d", Json::String("x".into())),
            ])
        );
        // Keys keep their order, and the writer keeps it too.
        assert_eq!(to_string(&parse(r#"{"z": 1, "a": 2}"#).unwrap()), r#"{"z":1,"a":2}"#);
    }

    #[test]
    fn strings_unescape_every_escape() {
        let read = |text: &str| read::<String>(text).unwrap();
        assert_eq!(read(r#""q\"b\\s\/\b\f\n\r\t""#), "q\"b\\s/\u{8}\u{c}\n\r\t");
        assert_eq!(read(r#""\u0041\u00e9\u2713""#), "Aé✓");
        assert_eq!(read(r#""\ud83d\ude00 and é✓😀""#), "😀 and é✓😀");
        assert_eq!(read(r#""\uD83D\uDE00""#), "😀");
    }

    #[test]
    fn malformed_text_is_refused_with_its_place() {
        let cases = [
            ("", "EOF while parsing a value at line 1 column 1"),
            ("{", "EOF while parsing an object at line 1 column 2"),
            ("[1,", "EOF while parsing a value at line 1 column 4"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("{\"a\": 1 \"b\": 2}", "expected `,` or `}` at line 1 column 9"),
            ("{a: 1}", "expected a key in double quotes at line 1 column 2"),
            ("[1,]", "trailing comma at line 1 column 4"),
            ("{\"a\": 1,}", "trailing comma at line 1 column 9"),
            ("{}\n x", "trailing characters at line 2 column 2"),
            ("\"abc", "EOF while parsing a string at line 1 column 5"),
            ("\"a\nb\"", "a control character (U+0000 to U+001F) in a string at line 1 column 3"),
            (r#""\x""#, "an invalid escape at line 1 column 3"),
            (r#""\u12""#, "an invalid \\u escape at line 1 column 4"),
            (r#""\u+123""#, "an invalid \\u escape at line 1 column 4"),
            (r#""\ud800""#, "a lone surrogate in a \\u escape at line 1 column 8"),
            (r#""\ud800\u0041""#, "a lone surrogate in a \\u escape at line 1 column 14"),
            (r#""\udc00""#, "a lone surrogate in a \\u escape at line 1 column 8"),
            ("01", "an invalid number at line 1 column 3"),
            ("-", "an invalid number at line 1 column 2"),
            ("1.", "an invalid number at line 1 column 3"),
            ("1e+", "an invalid number at line 1 column 4"),
            ("+1", "expected a value at line 1 column 1"),
            ("nul", "expected a value at line 1 column 1"),
            ("\u{feff}{}", "expected a value at line 1 column 1"),
            ("[\"é✓\", x]", "expected a value at line 1 column 8"),
        ];
        for (text, expected) in cases {
            assert_eq!(error(text), expected, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(error(&nested(MAX_DEPTH + 1)), "arrays and objects nested more than 128 deep at line 1 column 129");
        assert!(error(&"{\"a\":".repeat(100_000)).contains("nested more than 128 deep"));
        assert!(error(&"[".repeat(1_000_000)).contains("nested more than 128 deep"));
    }

    #[test]
    fn whole_numbers_are_exact_and_in_range() {
        assert_eq!(read::<u64>("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(read::<u8>("255"), Ok(255));
        assert_eq!(read::<u32>("0"), Ok(0));
        for (text, found) in [
            ("18446744073709551616", "18446744073709551616"),
            ("1.0", "1.0"),
            ("1e3", "1e3"),
            ("-1", "-1"),
            ("-0", "-0"),
            ("\"5\"", "\"5\""),
            ("null", "null"),
        ] {
            let error = read::<u64>(text).unwrap_err().to_string();
            assert_eq!(error, format!("expected a whole number from 0 to 18446744073709551615, found {found}"));
        }
        assert_eq!(read::<u8>("256").unwrap_err().to_string(), "expected a whole number from 0 to 255, found 256");
        // Numbers that are not read as integers keep their text.
        assert_eq!(
            to_string(&parse("[-0.5e-7, 12345678901234567890123]").unwrap()),
            "[-0.5e-7,12345678901234567890123]"
        );
    }

    #[test]
    fn pairs_options_and_arrays_read() {
        assert_eq!(read::<[u16; 2]>("[1, 10]"), Ok([1, 10]));
        assert_eq!(
            read::<[u16; 2]>("[1]").unwrap_err().to_string(),
            "expected a pair [x, y], found an array of 1 item"
        );
        assert_eq!(
            read::<[u16; 2]>("[1, -1]").unwrap_err().to_string(),
            "[1]: expected a whole number from 0 to 65535, found -1"
        );
        assert_eq!(read::<Option<u8>>("null"), Ok(None));
        assert_eq!(read::<Option<u8>>("3"), Ok(Some(3)));
        assert_eq!(read::<Vec<Vec<bool>>>("[[], [true]]"), Ok(vec![vec![], vec![true]]));
        assert_eq!(read::<Vec<bool>>("[true, 1]").unwrap_err().to_string(), "[1]: expected true or false, found 1");
        assert_eq!(read::<Vec<bool>>("{}").unwrap_err().to_string(), "expected an array, found an object");
    }

    #[test]
    fn fields_name_the_path_to_an_error() {
        #[derive(Debug, PartialEq)]
        struct Inner {
            loss: [u16; 2],
        }
        #[derive(Debug, PartialEq)]
        struct Outer {
            nodes: u8,
            inner: Vec<Inner>,
            name: Option<String>,
        }
        impl FromJson for Inner {
            fn from_value(value: &Json) -> Result<Inner, Error> {
                Fields::read(value, |o| Ok(Inner { loss: o.req("loss")? }))
            }
        }
        impl FromJson for Outer {
            fn from_value(value: &Json) -> Result<Outer, Error> {
                Fields::read(value, |o| {
                    Ok(Outer { nodes: o.or("nodes", 5)?, inner: o.or("inner", vec![])?, name: o.opt("name")? })
                })
            }
        }
        assert_eq!(read::<Outer>("{}"), Ok(Outer { nodes: 5, inner: vec![], name: None }));
        assert_eq!(
            read::<Outer>(r#"{"name": null, "inner": [{"loss": [1, 2]}], "nodes": 3}"#),
            Ok(Outer { nodes: 3, inner: vec![Inner { loss: [1, 2] }], name: None })
        );
        let error = |text: &str| read::<Outer>(text).unwrap_err().to_string();
        assert_eq!(error(r#"{"nodes": "five"}"#), r#""nodes": expected a whole number from 0 to 255, found "five""#);
        assert_eq!(error(r#"{"nodes": null}"#), r#""nodes": expected a whole number from 0 to 255, found null"#);
        assert_eq!(
            error(r#"{"inner": [{"loss": [1, 2]}, {"loss": [1, "x"]}]}"#),
            r#""inner"[1]."loss"[1]: expected a whole number from 0 to 65535, found "x""#
        );
        assert_eq!(error(r#"{"inner": [{}]}"#), r#""inner"[0]: missing field `loss`"#);
        assert_eq!(error(r#"{"colour": 1}"#), "unknown field `colour`, expected one of `nodes`, `inner`, `name`");
        assert_eq!(
            error(r#"{"inner": [{"loss": [1, 2], "gain": 1}]}"#),
            r#""inner"[0]: unknown field `gain`, expected `loss`"#
        );
        assert_eq!(error(r#"{"nodes": 1, "nodes": 1}"#), "duplicate field `nodes`");
        assert_eq!(error("[]"), "expected an object, found an empty array");
        assert_eq!(Fields::read(&Json::Object(vec![]), |_| Ok(())), Ok(()));
        let stray = parse(r#"{"node": "n1"}"#).unwrap();
        assert_eq!(
            Fields::read(&stray, |_| Ok(())).unwrap_err().to_string(),
            "unknown field `node`, there are no fields"
        );
        // A long value is cut in the message.
        let long = format!(r#"{{"nodes": "{}"}}"#, "x".repeat(10_000));
        assert!(error(&long).len() < 120, "{}", error(&long));
    }

    #[test]
    fn names_are_one_of_a_list() {
        let names = |n: u8| ["both", "cluster", "timeline"][n as usize];
        assert_eq!(one_of(&Json::String("cluster".into()), &[0, 1, 2], names), Ok(1));
        assert_eq!(
            one_of(&Json::String("side".into()), &[0, 1, 2], names).unwrap_err().to_string(),
            "unknown variant `side`, expected one of `both`, `cluster`, `timeline`"
        );
        assert_eq!(one_of(&Json::Null, &[0], names).unwrap_err().to_string(), "expected a string, found null");
    }

    #[test]
    fn the_writer_prints_compact_and_pretty() {
        let value = parse(r#"{"a": [1, [2, []], {}], "b": {"c": null, "d": "é\n"}, "e": []}"#).unwrap();
        assert_eq!(to_string(&value), r#"{"a":[1,[2,[]],{}],"b":{"c":null,"d":"é\n"},"e":[]}"#);
        let pretty = "{\n  \"a\": [\n    1,\n    [\n      2,\n      []\n    ],\n    {}\n  ],\n  \"b\": {\n    \"c\": null,\n    \"d\": \"é\\n\"\n  },\n  \"e\": []\n}";
        assert_eq!(to_string_pretty(&value), pretty);
        assert_eq!(parse(pretty), Ok(value));
        assert_eq!(to_string_pretty(&Json::Null), "null");
        // Every control character is escaped, and nothing else is.
        let all: String = (0..0x80u8).map(char::from).chain("é✓😀".chars()).collect();
        let written = to_string(all.as_str());
        assert!(written.starts_with(r#""\u0000\u0001"#) && written.contains(r##"\u001f !\"#$"##), "{written}");
        assert!(written.contains(r#"\b\t\n\u000b\f\r"#) && written.ends_with("\u{7f}é✓😀\""), "{written}");
        assert_eq!(read::<String>(&written), Ok(all));
    }
}
