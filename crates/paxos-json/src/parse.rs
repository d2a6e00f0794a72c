//! The parser: text to a [`Json`] tree, with the line and column of a syntax error.

use crate::{Error, FromJson, Json, MAX_DEPTH};

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
