//! [`Fields`]: an object read field by field, unknown and duplicate fields refused.

use crate::typed::one_of_names;
use crate::{Error, FromJson, Json, cut};

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
