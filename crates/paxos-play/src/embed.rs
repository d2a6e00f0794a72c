//! The embed's `postMessage` API: what a host page may ask of an embedded playground, and what the
//! embed tells it back, as typed values read from and written as JSON.
//!
//! A host page (a blog post with the playground in an `<iframe>`) posts plain objects to the frame:
//!
//! ```js
//! frame.contentWindow.postMessage({ paxos: 1, type: 'next' }, '*');
//! frame.contentWindow.postMessage({ paxos: 1, type: 'seek', caption: 3 }, '*');
//! frame.contentWindow.postMessage({ paxos: 1, type: 'load', scenario: 'raft-partition' }, '*');
//! ```
//!
//! and listens for the embed's events (`ready`, `caption`, `answered`, `violation`, `ended`, and
//! `error` for a message it could not take). Every message carries `paxos: 1` (the API's version), so
//! that other scripts' messages are told apart and ignored; a message with `paxos` but a wrong shape
//! gets an `error` event naming what is wrong, and changes nothing. An optional `id` in a command is
//! echoed in the error it causes, so a host can tell which of its commands failed.
//!
//! The page (`web/src/host.rs`) only listens to the window that embeds it, and posts only to it.

use paxos_json::{self as json, Error, Fields, FromJson, Json, ToJson};

/// The version of the API, carried by every message as `paxos`.
pub const VERSION: u32 = 1;

/// What a host asks of the embed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Play (a story plays to its next caption and waits).
    Play,
    /// Pause.
    Pause,
    /// Go on to the next caption.
    Next,
    /// Go back to the previous caption.
    Back,
    /// Show caption `n` (counted from 0).
    SeekCaption(u32),
    /// Show the run at this virtual time, in µs.
    SeekTime(u64),
    /// Load the scenario of this name (`raft-partition`).
    LoadScenario(String),
    /// Load the run of a playground link (its query, `?v=1&p=raft&…`, or a whole address).
    LoadLink(String),
}

/// A command as the host sent it: the command, or why it could not be read, with the host's `id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The host's `id` for the command, echoed in an error it causes (any JSON value).
    pub id: Option<Json>,
    /// The command, or what is wrong with the message.
    pub command: Result<Command, String>,
}

/// Reads a message posted to the embed, given as JSON text (the page stringifies what it receives).
/// `None` for a message that is not for this API (no `paxos` field, or not an object): another
/// script's, to be ignored silently.
pub fn receive(text: &str) -> Option<Received> {
    let value = json::parse(text).ok()?;
    let Json::Object(fields) = &value else { return None };
    if !fields.iter().any(|(key, _)| key == "paxos") {
        return None;
    }
    let id = fields.iter().find(|(key, _)| key == "id").map(|(_, value)| value.clone());
    Some(Received { id, command: command(&value).map_err(|e| e.to_string()) })
}

fn command(value: &Json) -> Result<Command, Error> {
    Fields::read(value, |o| {
        let version: u32 = o.req("paxos")?;
        if version != VERSION {
            return Err(
                Error::new(format!("this embed speaks version {VERSION} of the API, not {version}")).in_field("paxos")
            );
        }
        let _id: Option<Json> = o.opt("id")?;
        let kind: String = o.req("type")?;
        Ok(match kind.as_str() {
            "play" => Command::Play,
            "pause" => Command::Pause,
            "next" => Command::Next,
            "back" => Command::Back,
            "seek" => match (o.opt::<u32>("caption")?, o.opt::<u64>("time_us")?) {
                (Some(caption), None) => Command::SeekCaption(caption),
                (None, Some(time)) => Command::SeekTime(time),
                _ => return Err(Error::new("seek needs one of `caption` (a number from 0) or `time_us`")),
            },
            "load" => match (o.opt::<String>("scenario")?, o.opt::<String>("link")?) {
                (Some(name), None) => Command::LoadScenario(name),
                (None, Some(link)) => Command::LoadLink(link),
                _ => return Err(Error::new("load needs one of `scenario` (a name) or `link` (a playground link)")),
            },
            other => {
                return Err(
                    json::unknown_variant(other, &["play", "pause", "next", "back", "seek", "load"]).in_field("type")
                );
            }
        })
    })
}

/// What the embed tells its host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The embed is ready for commands: the run, its captions, and the language it speaks.
    Ready {
        /// How many captions the run has.
        captions: u32,
        /// The language's code (`en`, `zh`).
        lang: &'static str,
    },
    /// The story reached caption `index` of `of` (counted from 0).
    Caption {
        /// Which caption.
        index: u32,
        /// How many there are.
        of: u32,
    },
    /// The reader answered the question of caption `caption`.
    Answered {
        /// Which caption asked.
        caption: u32,
        /// The answer chosen (from 0).
        answer: u32,
        /// Whether it was the right one.
        correct: bool,
    },
    /// A checker found an invariant broken.
    Violation {
        /// The invariant's name.
        invariant: String,
    },
    /// The run played to its end.
    Ended,
    /// A message could not be taken: what is wrong, and the command's `id`, if it had one.
    Error {
        /// What is wrong.
        message: String,
        /// The command's `id`.
        id: Option<Json>,
    },
}

impl ToJson for Event {
    fn to_value(&self) -> Json {
        let head = |kind: &str| vec![("paxos", VERSION.to_value()), ("type", kind.to_value())];
        let fields = match self {
            Event::Ready { captions, lang } => {
                let mut f = head("ready");
                f.extend([("captions", captions.to_value()), ("lang", lang.to_value())]);
                f
            }
            Event::Caption { index, of } => {
                let mut f = head("caption");
                f.extend([("index", index.to_value()), ("of", of.to_value())]);
                f
            }
            Event::Answered { caption, answer, correct } => {
                let mut f = head("answered");
                f.extend([
                    ("caption", caption.to_value()),
                    ("answer", answer.to_value()),
                    ("correct", correct.to_value()),
                ]);
                f
            }
            Event::Violation { invariant } => {
                let mut f = head("violation");
                f.push(("invariant", invariant.to_value()));
                f
            }
            Event::Ended => head("ended"),
            Event::Error { message, id } => {
                let mut f = head("error");
                f.push(("message", message.to_value()));
                if let Some(id) = id {
                    f.push(("id", id.clone()));
                }
                f
            }
        };
        Json::object(fields)
    }
}

impl FromJson for Command {
    fn from_value(value: &Json) -> Result<Command, Error> {
        command(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Command, String> {
        receive(text).expect("a message for the API").command
    }

    #[test]
    fn commands_are_read() {
        assert_eq!(read(r#"{"paxos":1,"type":"play"}"#), Ok(Command::Play));
        assert_eq!(read(r#"{"paxos":1,"type":"next","id":7}"#), Ok(Command::Next));
        assert_eq!(read(r#"{"paxos":1,"type":"seek","caption":3}"#), Ok(Command::SeekCaption(3)));
        assert_eq!(read(r#"{"paxos":1,"type":"seek","time_us":1500}"#), Ok(Command::SeekTime(1500)));
        assert_eq!(
            read(r#"{"paxos":1,"type":"load","scenario":"livelock"}"#),
            Ok(Command::LoadScenario("livelock".into()))
        );
        assert_eq!(receive(r#"{"paxos":1,"type":"back","id":"b"}"#).unwrap().id, Some(Json::String("b".into())));
    }

    #[test]
    fn other_scripts_messages_are_ignored() {
        for text in [r#"{"type":"play"}"#, "[1,2]", "\"hello\"", "not json", "null", r#"{"source":"react-devtools"}"#] {
            assert_eq!(receive(text), None, "{text}");
        }
    }

    #[test]
    fn a_malformed_command_is_named() {
        let cases = [
            (r#"{"paxos":2,"type":"play"}"#, "version 1"),
            (r#"{"paxos":1,"type":"fly"}"#, "type"),
            (r#"{"paxos":1}"#, "missing field `type`"),
            (r#"{"paxos":1,"type":"seek"}"#, "caption"),
            (r#"{"paxos":1,"type":"seek","caption":-1}"#, "caption"),
            (r#"{"paxos":1,"type":"seek","caption":1,"time_us":2}"#, "one of"),
            (r#"{"paxos":1,"type":"load"}"#, "scenario"),
            (r#"{"paxos":1,"type":"play","colour":"red"}"#, "colour"),
            (r#"{"paxos":"1","type":"play"}"#, "paxos"),
        ];
        for (text, expected) in cases {
            let error = read(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn events_are_written_with_the_version() {
        let text = json::to_string(&Event::Answered { caption: 2, answer: 1, correct: false });
        assert_eq!(text, r#"{"paxos":1,"type":"answered","caption":2,"answer":1,"correct":false}"#);
        let error = Event::Error { message: "type: no".into(), id: Some(Json::Number("7".into())) };
        assert_eq!(json::to_string(&error), r#"{"paxos":1,"type":"error","message":"type: no","id":7}"#);
    }
}
