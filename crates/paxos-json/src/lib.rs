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
//! spaces, pretty with two-space indents and one array item per line.

use core::fmt;

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
fn cut(text: &str) -> String {
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

// ------------------------------------------------------------------------------------------ parser

/// Parses one JSON value (with white space around it, and nothing else).
pub fn parse(text: &str) -> Result<Json, Error> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.space();
    if parser.at < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok(value)
}

/// Parses `text` and reads it as a `T`.
pub fn read<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_value(&parse(text)?)
}

struct Parser<'a> {
    text: &'a str,
    /// A byte offset into `text`: at a character boundary between tokens (inside a string it steps
    /// over the bytes of multi-byte characters, and slices only at ASCII ones).
    at: usize,
}

impl Parser<'_> {
    /// `what` at the current place, as "line L column C" (both from 1, columns in characters).
    fn error(&self, what: &str) -> Error {
        let before = &self.text[..self.at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::new(format!("{what} at line {line} column {column}"))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Skips white space, then takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let next = self.peek() == Some(byte);
        self.at += usize::from(next);
        next
    }

    /// A value nested in `depth` arrays and objects.
    fn value(&mut self, depth: usize) -> Result<Json, Error> {
        self.space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'[' | b'{') if depth == MAX_DEPTH => {
                Err(self.error(&format!("arrays and objects nested more than {MAX_DEPTH} deep")))
            }
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, value) in [("true", Json::Bool(true)), ("false", Json::Bool(false)), ("null", Json::Null)] {
                    if self.text[self.at..].starts_with(word) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(self.error("expected a value"))
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, Error> {
        self.at += 1; // [
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            self.separator(b',', "`,` or `]`", "an array")?;
            self.space();
            if self.peek() == Some(b']') {
                return Err(self.error("trailing comma"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, Error> {
        self.at += 1; // {
        let mut fields = Vec::new();
        if self.eat(b'}') {
            return Ok(Json::Object(fields));
        }
        loop {
            self.space();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !fields.is_empty() => return Err(self.error("trailing comma")),
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected a key in double quotes")),
            }
            let key = self.string()?;
            self.separator(b':', "`:`", "an object")?;
            fields.push((key, self.value(depth)?));
            if self.eat(b'}') {
                return Ok(Json::Object(fields));
            }
            self.separator(b',', "`,` or `}`", "an object")?;
        }
    }

    /// Takes `byte` (after white space), or says what was `expected` in `inside`.
    fn separator(&mut self, byte: u8, expected: &str, inside: &str) -> Result<(), Error> {
        if self.eat(byte) {
            Ok(())
        } else if self.peek().is_none() {
            Err(self.error(&format!("EOF while parsing {inside}")))
        } else {
            Err(self.error(&format!("expected {expected}")))
        }
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1; // "
        let mut out = String::new();
        let mut start = self.at;
        loop {
            match self.peek() {
                None => return Err(self.error("EOF while parsing a string")),
                Some(b'"') => {
                    out.push_str(&self.text[start..self.at]);
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[start..self.at]);
                    self.at += 1;
                    out.push(self.escape()?);
                    start = self.at;
                }
                Some(0..0x20) => return Err(self.error("a control character (U+0000 to U+001F) in a string")),
                // Bytes of a multi-byte character are all ≥ 0x80: the slices above stay on boundaries.
                Some(_) => self.at += 1,
            }
        }
    }

    /// The character of an escape, after its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let simple = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let unit = self.hex4()?;
                let code = match unit {
                    0xd800..0xdc00 => {
                        // A high surrogate: a low one must follow, and the two make one character.
                        let low = if self.text[self.at..].starts_with("\\u") {
                            self.at += 2;
                            self.hex4()?
                        } else {
                            0
                        };
                        if !(0xdc00..0xe000).contains(&low) {
                            return Err(self.error("a lone surrogate in a \\u escape"));
                        }
                        0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    0xdc00..0xe000 => return Err(self.error("a lone surrogate in a \\u escape")),
                    _ => unit,
                };
                return char::from_u32(code).ok_or_else(|| self.error("an invalid \\u escape"));
            }
            None => return Err(self.error("EOF while parsing a string")),
            Some(_) => return Err(self.error("an invalid escape")),
        };
        self.at += 1;
        Ok(simple)
    }

    /// The four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.text.get(self.at..self.at + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let unit =
            digits.and_then(|d| u32::from_str_radix(d, 16).ok()).ok_or_else(|| self.error("an invalid \\u escape"))?;
        self.at += 4;
        Ok(unit)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Result<Json, Error> {
        let start = self.at;
        self.at += usize::from(self.peek() == Some(b'-'));
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.at += 1;
            }
            p.at - from
        };
        let whole = self.at;
        let count = digits(self);
        if count == 0 || (count > 1 && self.text.as_bytes()[whole] == b'0') {
            return Err(self.error("an invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.error("an invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            self.at += usize::from(matches!(self.peek(), Some(b'+' | b'-')));
            if digits(self) == 0 {
                return Err(self.error("an invalid number"));
            }
        }
        Ok(Json::Number(self.text[start..self.at].to_string()))
    }
}

// ------------------------------------------------------------------------------------------ writer

/// The value in one line, without spaces: `{"fault":"crash","node":"n1"}`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    write(&mut out, &value.to_value(), None);
    out
}

/// The value over several lines, indented by two spaces per level, one array item per line.
pub fn to_string_pretty<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    write(&mut out, &value.to_value(), Some(0));
    out
}

/// Writes `value`; `indent` is its nesting level when pretty, `None` when compact.
fn write(out: &mut String, value: &Json, indent: Option<usize>) {
    let inner = indent.map(|level| level + 1);
    // Before each item: a comma after the first, and when pretty a new line, indented.
    let item = |out: &mut String, i: usize| {
        if i > 0 {
            out.push(',');
        }
        if let Some(level) = inner {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    // Before the closing bracket of a non-empty array or object.
    let close = |out: &mut String, empty: bool| {
        if let Some(level) = indent.filter(|_| !empty) {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(text) => out.push_str(text),
        Json::String(s) => write_string(out, s),
        Json::Array(items) => {
            out.push('[');
            for (i, value) in items.iter().enumerate() {
                item(out, i);
                write(out, value, inner);
            }
            close(out, items.is_empty());
            out.push(']');
        }
        Json::Object(fields) => {
            out.push('{');
            for (i, (key, value)) in fields.iter().enumerate() {
                item(out, i);
                write_string(out, key);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write(out, value, inner);
            }
            close(out, fields.is_empty());
            out.push('}');
        }
    }
}

/// Writes `s` quoted, escaping `"`, `\` and the control characters (as serde_json does: the short
/// escapes where JSON has them, `\u00XX` for the others; everything else as it is).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

// ----------------------------------------------------------------------------------- typed values

/// A type read from JSON.
pub trait FromJson: Sized {
    /// Reads `value`; the error says what was expected and what was found.
    fn from_value(value: &Json) -> Result<Self, Error>;
}

/// A type written as JSON.
pub trait ToJson {
    /// The value to write.
    fn to_value(&self) -> Json;
}

impl FromJson for Json {
    fn from_value(value: &Json) -> Result<Json, Error> {
        Ok(value.clone())
    }
}

impl ToJson for Json {
    fn to_value(&self) -> Json {
        self.clone()
    }
}

impl FromJson for bool {
    fn from_value(value: &Json) -> Result<bool, Error> {
        match value {
            Json::Bool(b) => Ok(*b),
            other => Err(Error::expected("true or false", other)),
        }
    }
}

impl ToJson for bool {
    fn to_value(&self) -> Json {
        Json::Bool(*self)
    }
}

/// `value` as a whole number from 0 to `max`: digits only, no sign, fraction or exponent.
fn whole(value: &Json, max: u64) -> Result<u64, Error> {
    let n = match value {
        Json::Number(text) => text.parse::<u64>().ok().filter(|&n| n <= max),
        _ => None,
    };
    n.ok_or_else(|| Error::expected(&format!("a whole number from 0 to {max}"), value))
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_value(value: &Json) -> Result<$t, Error> {
                // In range: `whole` checked it.
                whole(value, <$t>::MAX.into()).map(|n| n as $t)
            }
        }
        impl ToJson for $t {
            fn to_value(&self) -> Json {
                Json::Number(self.to_string())
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

impl FromJson for String {
    fn from_value(value: &Json) -> Result<String, Error> {
        match value {
            Json::String(s) => Ok(s.clone()),
            other => Err(Error::expected("a string", other)),
        }
    }
}

impl ToJson for str {
    fn to_value(&self) -> Json {
        Json::String(self.to_string())
    }
}

impl ToJson for String {
    fn to_value(&self) -> Json {
        Json::String(self.clone())
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_value(value: &Json) -> Result<Option<T>, Error> {
        match value {
            Json::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }
}

/// `None` is `null`.
impl<T: ToJson> ToJson for Option<T> {
    fn to_value(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_value)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_value(value: &Json) -> Result<Vec<T>, Error> {
        match value {
            Json::Array(items) => {
                items.iter().enumerate().map(|(i, item)| T::from_value(item).map_err(|e| e.in_item(i))).collect()
            }
            other => Err(Error::expected("an array", other)),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_value(&self) -> Json {
        Json::Array(self.iter().map(T::to_value).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_value(&self) -> Json {
        self.as_slice().to_value()
    }
}

/// A pair, `[x, y]`: ranges (`[min, max]`) and ratios (`[numerator, denominator]`).
impl<T: FromJson> FromJson for [T; 2] {
    fn from_value(value: &Json) -> Result<[T; 2], Error> {
        match value {
            Json::Array(items) if items.len() == 2 => {
                let item = |i: usize| T::from_value(&items[i]).map_err(|e| e.in_item(i));
                Ok([item(0)?, item(1)?])
            }
            other => Err(Error::expected("a pair [x, y]", other)),
        }
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn to_value(&self) -> Json {
        self.as_slice().to_value()
    }
}

/// One of the names `all` have (`name` gives each its name): a protocol, a nemesis's mix, a view.
pub fn one_of<T: Copy>(value: &Json, all: &[T], name: impl Fn(T) -> &'static str) -> Result<T, Error> {
    let Json::String(given) = value else {
        return Err(Error::expected("a string", value));
    };
    all.iter().copied().find(|&t| name(t) == given).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|&t| name(t)).collect();
        unknown_variant(given, &names)
    })
}

/// `unknown variant `given`, expected one of `a`, `b`` (as serde said it).
pub fn unknown_variant(given: &str, names: &[&str]) -> Error {
    Error::new(format!("unknown variant `{}`, expected {}", cut(given), one_of_names(names)))
}

/// "one of `a`, `b`", "`a`", or "nothing".
fn one_of_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

// ------------------------------------------------------------------------------------------ fields

/// Reads the fields of an object one by one, then refuses the fields nobody asked for:
///
/// ```
/// # use paxos_json::{self as json, Fields};
/// let value = json::parse(r#"{"nodes": 3}"#).unwrap();
/// let (nodes, seed): (u8, u64) = Fields::read(&value, |o| Ok((o.req("nodes")?, o.or("seed", 7)?))).unwrap();
/// assert_eq!((nodes, seed), (3, 7));
/// let value = json::parse(r#"{"nodes": 3, "colour": "red"}"#).unwrap();
/// let error = Fields::read(&value, |o| o.req::<u8>("nodes")).unwrap_err();
/// assert_eq!(error.to_string(), "unknown field `colour`, expected `nodes`");
/// ```
///
/// An error in a field's value names the field (`"nodes": expected a whole number from 0 to 255,
/// found "five"`); a field given twice is refused.
pub struct Fields<'a> {
    fields: &'a [(String, Json)],
    /// The fields asked for so far: the object may hold these.
    known: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object.
    pub fn new(value: &'a Json) -> Result<Fields<'a>, Error> {
        match value {
            Json::Object(fields) => Ok(Fields { fields, known: Vec::new() }),
            other => Err(Error::expected("an object", other)),
        }
    }

    /// Reads `value` with `read` (which asks for its fields), then refuses any other field.
    pub fn read<T>(value: &'a Json, read: impl FnOnce(&mut Fields<'a>) -> Result<T, Error>) -> Result<T, Error> {
        let mut fields = Fields::new(value)?;
        let read = read(&mut fields)?;
        fields.finish()?;
        Ok(read)
    }

    /// Field `name`'s value, if the object has it (`null` included).
    pub fn get(&mut self, name: &'static str) -> Result<Option<&'a Json>, Error> {
        self.known.push(name);
        let mut values = self.fields.iter().filter(|(key, _)| key == name).map(|(_, value)| value);
        let value = values.next();
        if values.next().is_some() {
            return Err(Error::new(format!("duplicate field `{name}`")));
        }
        Ok(value)
    }

    /// An optional field: `None` if it is missing or `null`.
    pub fn opt<T: FromJson>(&mut self, name: &'static str) -> Result<Option<T>, Error> {
        match self.get(name)? {
            None | Some(Json::Null) => Ok(None),
            Some(value) => T::from_value(value).map(Some).map_err(|e| e.in_field(name)),
        }
    }

    /// A field with a default, used if it is missing (`null` is not a `T`, unless `T` is an `Option`).
    pub fn or<T: FromJson>(&mut self, name: &'static str, default: T) -> Result<T, Error> {
        match self.get(name)? {
            None => Ok(default),
            Some(value) => T::from_value(value).map_err(|e| e.in_field(name)),
        }
    }

    /// A field that must be there.
    pub fn req<T: FromJson>(&mut self, name: &'static str) -> Result<T, Error> {
        match self.get(name)? {
            None => Err(Error::new(format!("missing field `{name}`"))),
            Some(value) => T::from_value(value).map_err(|e| e.in_field(name)),
        }
    }

    /// Refuses a field that was not asked for, naming the ones that were.
    pub fn finish(self) -> Result<(), Error> {
        match self.fields.iter().find(|(key, _)| !self.known.contains(&key.as_str())) {
            None => Ok(()),
            Some((key, _)) if self.known.is_empty() => {
                Err(Error::new(format!("unknown field `{}`, there are no fields", cut(key))))
            }
            Some((key, _)) => {
                Err(Error::new(format!("unknown field `{}`, expected {}", cut(key), one_of_names(&self.known))))
            }
        }
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
