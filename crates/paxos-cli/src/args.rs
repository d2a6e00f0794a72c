//! Command-line arguments: `--name value` pairs and bare `--flags`, with errors that name the
//! argument at fault.

use std::collections::BTreeMap;
use std::str::FromStr;

/// A mistake on the command line, worded for the person who typed it.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// Parsed `--name value` options and `--flag`s of one subcommand.
#[derive(Debug)]
pub struct Args {
    values: BTreeMap<String, String>,
    flags: Vec<String>,
}

impl Args {
    /// Parses `words`, accepting only the options in `valued` (which take a value) and `flags` (which
    /// do not).
    pub fn parse(words: &[String], valued: &[&str], flags: &[&str]) -> Result<Args, UsageError> {
        let mut args = Args { values: BTreeMap::new(), flags: Vec::new() };
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let Some(name) = word.strip_prefix("--") else {
                return Err(UsageError(format!("unexpected argument '{word}' (options start with --)")));
            };
            let (name, inline) = match name.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (name, None),
            };
            if valued.contains(&name) {
                let value = match inline {
                    Some(value) => value,
                    None => words.next().cloned().ok_or_else(|| UsageError(format!("--{name} needs a value")))?,
                };
                if args.values.insert(name.to_string(), value).is_some() {
                    return Err(UsageError(format!("--{name} is given twice")));
                }
            } else if flags.contains(&name) && inline.is_none() {
                args.flags.push(name.to_string());
            } else {
                let mut known: Vec<String> = valued.iter().chain(flags).map(|o| format!("--{o}")).collect();
                known.sort();
                return Err(UsageError(format!(
                    "unknown option '--{name}' (this command takes: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(args)
    }

    /// The raw value of `--name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The value of `--name` parsed as `T`, if given.
    pub fn parsed<T: FromStr>(&self, name: &str, what: &str) -> Result<Option<T>, UsageError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => {
                text.parse().map(Some).map_err(|_| UsageError(format!("--{name} must be {what} (got '{text}')")))
            }
        }
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_and_flags_parse() {
        let args = Args::parse(&words("--seed 4 --nodes=3 --json"), &["seed", "nodes"], &["json"]).unwrap();
        assert_eq!(args.parsed::<u64>("seed", "a number").unwrap(), Some(4));
        assert_eq!(args.get("nodes"), Some("3"));
        assert!(args.flag("json"));
        assert_eq!(args.get("trace"), None);
    }

    #[test]
    fn mistakes_are_named() {
        let err = |text: &str| Args::parse(&words(text), &["seed"], &["json"]).unwrap_err().0;
        assert_eq!(err("--seed"), "--seed needs a value");
        assert_eq!(err("--sed 3"), "unknown option '--sed' (this command takes: --json, --seed)");
        assert_eq!(err("seed 3"), "unexpected argument 'seed' (options start with --)");
        assert_eq!(err("--seed 1 --seed 2"), "--seed is given twice");
        let args = Args::parse(&words("--seed x"), &["seed"], &[]).unwrap();
        assert_eq!(
            args.parsed::<u64>("seed", "a whole number").unwrap_err().0,
            "--seed must be a whole number (got 'x')"
        );
    }
}
