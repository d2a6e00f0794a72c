//! The writer, compact or pretty: the bytes serde_json printed (the tests pin them). The only JSON
//! writer of the workspace: run files, fault descriptions and the trace's lines all come through it.

use crate::{Json, ToJson};

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
