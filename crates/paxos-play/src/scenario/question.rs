//! What a caption adds to its words: [`Points`], what the page highlights while the caption is
//! shown, and a [`Question`] asked before the run goes on.
//!
//! A question is asked when its caption is reached, before the next caption shows what happens: the
//! page waits for an answer, says whether it was right, shows [`Question::why`], then plays on. So a
//! question belongs on the caption just *before* the event that answers it (TSLOD's "ask before you
//! reveal", docs/STYLE.md).
//!
//! ```json
//! "points": { "nodes": ["n3", "n4"], "slot": 0, "message": 17 },
//! "question": {
//!   "ask": { "en": "What does n4 do with X's Accept(1.1)?", "zh": "n4 如何处理 X 的 Accept(1.1)?" },
//!   "answers": [ { "en": "Accepts it", "zh": "接受" }, { "en": "Refuses it", "zh": "拒绝" } ],
//!   "correct": 1,
//!   "why": { "en": "It promised 1.2 …", "zh": "它已承诺 1.2 …" }
//! }
//! ```

use paxos_core::Slot;
use paxos_json::{Error, Fields, FromJson, Json, ToJson};
use paxos_sim::config::NodeName;
use paxos_sim::trace::MsgId;

use super::text::Text;

/// The fewest answers a question has.
pub const MIN_ANSWERS: usize = 2;
/// The most answers a question has (more is a quiz, not a pause to think).
pub const MAX_ANSWERS: usize = 4;

/// What the page highlights while a caption is shown, besides the message of the caption's own
/// event (which it always highlights).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Points {
    /// The nodes the caption speaks of.
    pub nodes: Vec<NodeName>,
    /// The slot (log position) it speaks of.
    pub slot: Option<Slot>,
    /// A message it speaks of (its number in the trace), besides its event's own.
    pub message: Option<MsgId>,
}

/// A question with 2 to 4 answers, one of them right, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The question.
    pub ask: Text,
    /// The answers to choose from, in the order shown.
    pub answers: Vec<Text>,
    /// Which answer is right (an index into `answers`, from 0).
    pub correct: usize,
    /// Why the right answer is right, shown after any answer.
    pub why: Text,
}

impl FromJson for Points {
    fn from_value(value: &Json) -> Result<Points, Error> {
        let points = Fields::read(value, |o| {
            Ok(Points { nodes: o.or("nodes", Vec::new())?, slot: o.opt("slot")?, message: o.opt("message")? })
        })?;
        if points == Points::default() {
            return Err(Error::new("points must name some nodes, a slot or a message"));
        }
        if let Some((i, node)) = points.nodes.iter().enumerate().find(|(i, n)| points.nodes[..*i].contains(n)) {
            return Err(Error::new(format!("{node} is named twice")).in_item(i).in_field("nodes"));
        }
        Ok(points)
    }
}

/// Only the fields given.
impl ToJson for Points {
    fn to_value(&self) -> Json {
        let mut fields = Vec::new();
        if !self.nodes.is_empty() {
            fields.push(("nodes", self.nodes.to_value()));
        }
        if let Some(slot) = self.slot {
            fields.push(("slot", slot.to_value()));
        }
        if let Some(message) = self.message {
            fields.push(("message", message.to_value()));
        }
        Json::object(fields)
    }
}

impl FromJson for Question {
    fn from_value(value: &Json) -> Result<Question, Error> {
        Fields::read(value, |o| {
            let ask = o.req("ask")?;
            let answers: Vec<Text> = o.req("answers")?;
            if !(MIN_ANSWERS..=MAX_ANSWERS).contains(&answers.len()) {
                let error = format!("a question needs {MIN_ANSWERS} to {MAX_ANSWERS} answers, not {}", answers.len());
                return Err(Error::new(error).in_field("answers"));
            }
            if let Some((i, twin)) =
                answers.iter().enumerate().find_map(|(i, a)| answers[..i].iter().position(|b| b == a).map(|j| (i, j)))
            {
                return Err(Error::new(format!("the same as answer {twin}")).in_item(i).in_field("answers"));
            }
            let correct: u32 = o.req("correct")?;
            let correct = correct as usize;
            if correct >= answers.len() {
                let error = format!("{correct} is not one of the {} answers (they count from 0)", answers.len());
                return Err(Error::new(error).in_field("correct"));
            }
            Ok(Question { ask, answers, correct, why: o.req("why")? })
        })
    }
}

impl ToJson for Question {
    fn to_value(&self) -> Json {
        Json::object([
            ("ask", self.ask.to_value()),
            ("answers", self.answers.to_value()),
            ("correct", (self.correct as u64).to_value()),
            ("why", self.why.to_value()),
        ])
    }
}

impl Question {
    /// The right answer (`None` only for a question built by hand with `correct` out of range; one
    /// read from a file never is).
    pub fn right(&self) -> Option<&Text> {
        self.answers.get(self.correct)
    }

    /// Every text of the question: the question, the answers, why.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        core::iter::once(&self.ask).chain(&self.answers).chain(core::iter::once(&self.why))
    }
}
