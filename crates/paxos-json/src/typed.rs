//! Types read from and written as JSON ([`FromJson`], [`ToJson`]) for the standard types the
//! simulator's files use, and names read as one of a fixed list ([`one_of`]).

use crate::{Error, Json, cut};

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
pub(crate) fn one_of_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        _ => format!("one of {}", quoted.join(", ")),
    }
}
