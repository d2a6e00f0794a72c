//! A person's own captions in a shared run: what they must be ([`check_captions`]) and their bytes
//! in a link's `c=` (base64url, like the actions).
//!
//! Per caption, in order:
//!
//! ```text
//! event   LEB128: the first caption's event number; then the events skipped since the previous
//!         caption's (its event − the previous − 1, so every byte string reads as captions in order)
//! text    a text (below)
//! flags   one byte: 1 = points follow, 2 = a question follows (other bits refused)
//! points  count of nodes (one byte), a byte per node; slot and message as LEB128, 0 for none, else
//!         the number + 1
//! question  ask (a text), count of answers (one byte), each answer (a text), correct (one byte),
//!         why (a text)
//! ```
//!
//! A text is its English (LEB128 length, UTF-8 bytes) then its Chinese (the same; length 0 for none,
//! since an empty text is refused). An author writes one string, which every language shows
//! ([`Text::get`] falls back to English); a file can still give both, and a link carries both.
//!
//! What the bytes decode to is checked as a scenario file's caption is (the same reader, so a
//! caption a link accepts is one a file accepts: non-empty texts, 2–4 distinct answers, …), then by
//! [`check_captions`].

use paxos_json::{FromJson, ToJson};
use paxos_sim::config::MAX_CLUSTER;
use paxos_sim::trace::EventId;

use super::MAX_ACTION_STEP;
use super::bytes::{Reader, base64url, from_base64url, put_number, put_text};
use crate::scenario::{Caption, Pattern, Points, Question, Text};

/// The most captions a shared run holds.
pub const MAX_CAPTIONS: usize = 100;

/// The longest text of a caption (its words, a question, an answer, why), UTF-8 bytes.
pub const MAX_CAPTION_BYTES: usize = 1_000;

/// A caption a person writes at event `event`: `on` is that exact event, the text one string.
pub fn caption_at(event: EventId, text: &str) -> Caption {
    Caption { on: Pattern::at(event), text: Text::new(text), points: None, question: None }
}

/// What a shared run's captions must be: at most [`MAX_CAPTIONS`], each at an exact event
/// (`{"id": N}`, N at most [`MAX_ACTION_STEP`]: the page runs on to the last caption's event, and a
/// run that long keeps it busy for many seconds) after the previous caption's, texts of at most [`MAX_CAPTION_BYTES`] bytes, nodes
/// within a cluster. The error names the caption (counted from 1) and what is wrong.
pub fn check_captions(captions: &[Caption]) -> Result<(), String> {
    if captions.len() > MAX_CAPTIONS {
        return Err(format!("{} captions, at most {MAX_CAPTIONS}", captions.len()));
    }
    let mut previous: Option<EventId> = None;
    for (i, caption) in captions.iter().enumerate() {
        let n = i + 1;
        let Some(event) = caption.on.id.filter(|&id| caption.on == Pattern::at(id)) else {
            return Err(format!("caption {n}: a shared caption is at an exact event, \"on\": {{\"id\": N}}"));
        };
        if let Some(previous) = previous.filter(|&p| p >= event) {
            return Err(format!("caption {n} is at event {event}, not after the previous caption's ({previous})"));
        }
        if event > MAX_ACTION_STEP {
            return Err(format!("caption {n} is at event {event}, past the {MAX_ACTION_STEP} events a page replays"));
        }
        previous = Some(event);
        if let Some(long) =
            caption.texts().flat_map(|t| [Some(&t.en), t.zh.as_ref()]).flatten().find(|t| t.len() > MAX_CAPTION_BYTES)
        {
            return Err(format!("caption {n}: a text of {} bytes (at most {MAX_CAPTION_BYTES})", long.len()));
        }
        if let Some(node) = caption.points.iter().flat_map(|p| &p.nodes).find(|n| n.0 >= MAX_CLUSTER) {
            return Err(format!("caption {n}: {node} is beyond the largest cluster ({MAX_CLUSTER} nodes)"));
        }
    }
    Ok(())
}

/// Writes captions as bytes, base64url (the link's `c=`). The captions are assumed checked
/// ([`check_captions`]); an event before the previous one is written as the next event.
pub fn encode_captions(captions: &[Caption]) -> String {
    let mut out = Vec::with_capacity(captions.len() * 40);
    let mut next = 0;
    for caption in captions {
        let event = caption.on.id.unwrap_or(next).max(next);
        put_number(&mut out, event - next);
        next = event.saturating_add(1);
        put_words(&mut out, &caption.text);
        out.push(u8::from(caption.points.is_some()) | u8::from(caption.question.is_some()) << 1);
        if let Some(points) = &caption.points {
            out.push(points.nodes.len() as u8);
            out.extend(points.nodes.iter().map(|n| n.0));
            put_number(&mut out, points.slot.map_or(0, |s| u64::from(s) + 1));
            put_number(&mut out, points.message.map_or(0, |m| u64::from(m) + 1));
        }
        if let Some(question) = &caption.question {
            put_words(&mut out, &question.ask);
            out.push(question.answers.len() as u8);
            question.answers.iter().for_each(|answer| put_words(&mut out, answer));
            out.push(question.correct as u8);
            put_words(&mut out, &question.why);
        }
    }
    base64url(&out)
}

/// Reads captions written by [`encode_captions`]; the error names the caption at fault.
pub fn decode_captions(text: &str) -> Result<Vec<Caption>, String> {
    if text.len() > 128 * 1024 {
        return Err(format!("the captions are {} characters; at most 131072", text.len()));
    }
    let bytes = from_base64url(text, "captions")?;
    let mut reader = Reader { bytes: &bytes, at: 0 };
    let mut captions = Vec::new();
    let mut next: EventId = 0;
    while !reader.done() {
        let n = captions.len() + 1;
        if captions.len() == MAX_CAPTIONS {
            return Err(format!("more than {MAX_CAPTIONS} captions"));
        }
        let caption = reader.caption(&mut next).map_err(|e| format!("caption {n}: {e}"))?;
        // The file's reader checks what the bytes cannot hold wrong by construction.
        let read = Caption::from_value(&caption.to_value()).map_err(|e| format!("caption {n}: {e}"))?;
        captions.push(read);
    }
    check_captions(&captions)?;
    Ok(captions)
}

fn put_words(out: &mut Vec<u8>, text: &Text) {
    put_text(out, &text.en);
    put_text(out, text.zh.as_deref().unwrap_or(""));
}

impl Reader<'_> {
    fn words(&mut self) -> Result<Text, String> {
        let en = self.text_up_to(MAX_CAPTION_BYTES)?.to_string();
        let zh = Some(self.text_up_to(MAX_CAPTION_BYTES)?.to_string()).filter(|zh| !zh.is_empty());
        Ok(Text { en, zh })
    }

    /// A number stored plus one, 0 for none.
    fn maybe<T: TryFrom<u64>>(&mut self, what: &str) -> Result<Option<T>, String> {
        match self.number()? {
            0 => Ok(None),
            n => T::try_from(n - 1).map(Some).map_err(|_| format!("{what} {} is too large", n - 1)),
        }
    }

    fn caption(&mut self, next: &mut EventId) -> Result<Caption, String> {
        let event = next.checked_add(self.number()?).filter(|&e| e < EventId::MAX).ok_or("an event too large")?;
        *next = event + 1;
        let text = self.words()?;
        let flags = self.byte()?;
        if flags > 3 {
            return Err(format!("unknown flags {flags} (this page reads format {})", super::VERSION));
        }
        let points = match flags & 1 {
            0 => None,
            _ => {
                let count = self.byte()?;
                if count > MAX_CLUSTER {
                    return Err(format!("points at {count} nodes (at most {MAX_CLUSTER})"));
                }
                let nodes = (0..count).map(|_| self.node()).collect::<Result<_, _>>()?;
                Some(Points { nodes, slot: self.maybe("a slot")?, message: self.maybe("a message number")? })
            }
        };
        let question = match flags & 2 {
            0 => None,
            _ => {
                let ask = self.words()?;
                let answers = (0..self.byte()?).map(|_| self.words()).collect::<Result<_, _>>()?;
                let correct = usize::from(self.byte()?);
                Some(Question { ask, answers, correct, why: self.words()? })
            }
        };
        Ok(Caption { on: Pattern::at(event), text, points, question })
    }
}
