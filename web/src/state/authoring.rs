//! A person's own story (issue 13): the captions they write at moments of the run, each at one
//! exact event, with what it points at and perhaps a question. The link and the run file carry
//! them; story mode tells them in place of a scenario's. Plain Rust: after a change, the page gives
//! the list to the session (`Session::set_captions`), which checks it and ties it to the trace.

use paxos_play::scenario::{Caption, MAX_ANSWERS, MIN_ANSWERS, Pattern, Points, Question, Text};
use paxos_sim::config::NodeName;
use paxos_sim::trace::{EventId, MsgId};

/// The captions written so far, in the order of their events (one per event).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Authoring {
    /// The captions, by event.
    pub captions: Vec<Caption>,
}

/// A change to the captions.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// A new caption at this event, pointing at this node and this message (what is selected).
    Add(EventId, Option<NodeName>, Option<MsgId>),
    /// Caption `i`'s words.
    Text(usize, String),
    /// Caption `i` moves to this event.
    MoveTo(usize, EventId),
    /// Caption `i` goes.
    Delete(usize),
    /// Caption `i` asks a question (`true`: an empty one to fill in) or stops asking (`false`).
    Ask(usize, bool),
    /// The question's words.
    QuestionText(usize, String),
    /// Answer `j`'s words.
    Answer(usize, usize, String),
    /// One more answer (up to four).
    AddAnswer(usize),
    /// Answer `j` is the right one.
    Correct(usize, usize),
    /// Why the right answer is right.
    Why(usize, String),
}

/// Why a change was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Another caption is already at that event (its number, from 1).
    Taken(usize),
}

impl Authoring {
    /// Makes the change; says whether the captions changed. Adding at an event that has a caption
    /// (or moving one there) is refused: one caption per event keeps the story's order plain.
    pub fn update(&mut self, msg: Msg) -> Result<bool, Refused> {
        let changed = match msg {
            Msg::Add(event, node, message) => {
                self.free(event, None)?;
                let points = (node.is_some() || message.is_some()).then(|| Points {
                    nodes: node.into_iter().collect(),
                    slot: None,
                    message,
                });
                let caption = Caption { on: Pattern::at(event), text: Text::new(""), points, question: None };
                self.captions.push(caption);
                self.sort();
                true
            }
            Msg::MoveTo(i, event) => {
                self.free(event, Some(i))?;
                self.caption(i).map(|c| c.on = Pattern::at(event)).is_some() && {
                    self.sort();
                    true
                }
            }
            Msg::Delete(i) => {
                i < self.captions.len() && {
                    self.captions.remove(i);
                    true
                }
            }
            Msg::Text(i, text) => self.caption(i).map(|c| c.text = Text::new(text)).is_some(),
            Msg::Ask(i, ask) => {
                let question = ask.then(|| Question {
                    ask: Text::new(""),
                    answers: vec![Text::new(""); MIN_ANSWERS],
                    correct: 0,
                    why: Text::new(""),
                });
                self.caption(i).map(|c| c.question = question).is_some()
            }
            Msg::QuestionText(i, text) => self.question(i).map(|q| q.ask = Text::new(text)).is_some(),
            Msg::Answer(i, j, text) => {
                self.question(i).and_then(|q| q.answers.get_mut(j)).map(|a| *a = Text::new(text)).is_some()
            }
            Msg::AddAnswer(i) => self
                .question(i)
                .filter(|q| q.answers.len() < MAX_ANSWERS)
                .map(|q| q.answers.push(Text::new("")))
                .is_some(),
            Msg::Correct(i, j) => self.question(i).filter(|q| j < q.answers.len()).map(|q| q.correct = j).is_some(),
            Msg::Why(i, text) => self.question(i).map(|q| q.why = Text::new(text)).is_some(),
        };
        Ok(changed)
    }

    /// The captions as the link and the run file carry them: those with words, each with its
    /// question only once the question is whole (words, 2–4 different answers, why) — what a link
    /// can be read back with. A caption being written stays here, out of the link, until then.
    pub fn shared(&self) -> Vec<Caption> {
        let filled = |text: &Text| !text.en.trim().is_empty();
        let whole = |q: &Question| {
            let distinct = q.answers.iter().enumerate().all(|(i, a)| !q.answers[..i].contains(a));
            filled(&q.ask) && filled(&q.why) && q.answers.iter().all(filled) && distinct && q.correct < q.answers.len()
        };
        let shared = |c: &Caption| Caption { question: c.question.clone().filter(whole), ..c.clone() };
        self.captions.iter().filter(|c| filled(&c.text)).map(shared).collect()
    }

    /// The event of caption `i`.
    pub fn event(&self, i: usize) -> Option<EventId> {
        self.captions.get(i).and_then(|c| c.on.id)
    }

    fn caption(&mut self, i: usize) -> Option<&mut Caption> {
        self.captions.get_mut(i)
    }

    fn question(&mut self, i: usize) -> Option<&mut Question> {
        self.caption(i).and_then(|c| c.question.as_mut())
    }

    /// Refuses `event` if a caption other than `except` is there.
    fn free(&self, event: EventId, except: Option<usize>) -> Result<(), Refused> {
        match self.captions.iter().position(|c| c.on.id == Some(event)) {
            Some(i) if Some(i) != except => Err(Refused::Taken(i + 1)),
            _ => Ok(()),
        }
    }

    fn sort(&mut self) {
        self.captions.sort_by_key(|c| c.on.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(a: &Authoring) -> Vec<EventId> {
        a.captions.iter().filter_map(|c| c.on.id).collect()
    }

    #[test]
    fn captions_stay_in_event_order_one_per_event() {
        let mut a = Authoring::default();
        assert_eq!(a.update(Msg::Add(40, Some(NodeName(1)), None)), Ok(true));
        assert_eq!(a.update(Msg::Add(7, None, Some(3))), Ok(true));
        assert_eq!(events(&a), [7, 40]);
        assert_eq!(a.captions[1].points.as_ref().map(|p| p.nodes.clone()), Some(vec![NodeName(1)]));
        assert_eq!(a.captions[0].points.as_ref().and_then(|p| p.message), Some(3));
        assert_eq!(a.update(Msg::Add(40, None, None)), Err(Refused::Taken(2)), "one caption per event");
        assert_eq!(a.update(Msg::MoveTo(0, 40)), Err(Refused::Taken(2)));
        assert_eq!(a.update(Msg::MoveTo(1, 3)), Ok(true));
        assert_eq!(events(&a), [3, 7], "moved before the other");
        assert_eq!(a.update(Msg::MoveTo(0, 3)), Ok(true), "moving to its own event is no clash");
        assert_eq!(a.update(Msg::Delete(0)), Ok(true));
        assert_eq!(events(&a), [7]);
        assert_eq!(a.update(Msg::Delete(5)), Ok(false));
    }

    /// What is shared reads back from a link exactly: captions without words and unfinished
    /// questions are left out until they are whole.
    #[test]
    fn only_whole_captions_go_into_the_link_and_they_read_back() {
        use paxos_play::share::{decode_captions, encode_captions};
        let mut a = Authoring::default();
        for event in [3, 9, 20] {
            a.update(Msg::Add(event, Some(NodeName(0)), None)).unwrap();
        }
        a.update(Msg::Text(0, "A promise".into())).unwrap();
        a.update(Msg::Text(1, "   ".into())).unwrap();
        a.update(Msg::Text(2, "X asks".into())).unwrap();
        a.update(Msg::Ask(2, true)).unwrap();
        a.update(Msg::QuestionText(2, "Which value?".into())).unwrap();
        a.update(Msg::Answer(2, 0, "x".into())).unwrap();
        a.update(Msg::Answer(2, 1, "x".into())).unwrap();
        a.update(Msg::Why(2, "the highest vrnd".into())).unwrap();
        let shared = a.shared();
        assert_eq!(shared.iter().filter_map(|c| c.on.id).collect::<Vec<_>>(), [3, 20], "no words, not shared");
        assert_eq!(shared[1].question, None, "two answers alike: not yet");
        let in_link = |a: &Authoring, i: usize| a.shared().contains(&a.captions[i]);
        assert!(in_link(&a, 0) && !in_link(&a, 1) && !in_link(&a, 2));
        a.update(Msg::Answer(2, 1, "y".into())).unwrap();
        assert!(a.shared()[1].question.is_some() && in_link(&a, 2));
        assert_eq!(decode_captions(&encode_captions(&a.shared())), Ok(a.shared()));
    }

    #[test]
    fn a_question_has_two_to_four_answers_and_one_right() {
        let mut a = Authoring::default();
        a.update(Msg::Add(1, None, None)).unwrap();
        assert_eq!(a.update(Msg::QuestionText(0, "?".into())), Ok(false), "no question yet");
        a.update(Msg::Ask(0, true)).unwrap();
        a.update(Msg::Text(0, "X proposes".into())).unwrap();
        a.update(Msg::QuestionText(0, "Which value?".into())).unwrap();
        a.update(Msg::Answer(0, 1, "y".into())).unwrap();
        assert_eq!(a.update(Msg::Correct(0, 2)), Ok(false), "only two answers so far");
        for _ in 0..5 {
            a.update(Msg::AddAnswer(0)).unwrap();
        }
        assert_eq!(a.update(Msg::Correct(0, 3)), Ok(true));
        a.update(Msg::Why(0, "the highest vrnd".into())).unwrap();
        let caption = &a.captions[0];
        assert_eq!(caption.text.en, "X proposes");
        let question = caption.question.as_ref().unwrap();
        assert_eq!((question.answers.len(), question.correct), (MAX_ANSWERS, 3));
        assert_eq!((question.ask.en.as_str(), question.answers[1].en.as_str()), ("Which value?", "y"));
        assert_eq!(question.why.en, "the highest vrnd");
        a.update(Msg::Ask(0, false)).unwrap();
        assert_eq!(a.captions[0].question, None);
    }
}
