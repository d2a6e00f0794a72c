//! Story mode: a captioned run told caption by caption. Playing stops exactly at the next caption's
//! event and waits for the reader (Next plays on, Back goes to the caption before); a step may ask
//! a question first and wait for an answer ("predict, then reveal"); Play through runs freely.
//!
//! The Secret Lives of Data advances caption by caption and waits for "Continue"; its readers
//! asked for Back (STYLE.md, "The page"). Plain Rust over the [`Session`] (the step reached is
//! read from its cursor, so scrubbing and stepping keep the story in step); tested natively.

use paxos_core::NodeId;
use paxos_sim::trace::{EventId, EventKind, MsgId, Time, Trace};

use paxos_play::lang::Lang;
use paxos_play::scenario::Caption;

use crate::model::Session;

/// A question a step asks before it tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quiz {
    /// The question.
    pub ask: String,
    /// The answers offered, in order.
    pub answers: Vec<String>,
    /// The index of the right one.
    pub correct: usize,
    /// Why it is right: shown after any answer.
    pub why: String,
}

/// One step of a story: a caption at its event, and perhaps a question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The event the caption speaks of (playing stops exactly there).
    pub event: EventId,
    /// The caption.
    pub text: String,
    /// A question to answer before going on.
    pub quiz: Option<Quiz>,
    /// The nodes the scenario says the caption speaks of (besides its event's).
    pub nodes: Vec<NodeId>,
}

/// The session's story, step by step, in `lang`: the one place that turns a scenario's captions,
/// questions and `points` into what the page shows.
pub fn steps(session: &Session, lang: Lang) -> Vec<Step> {
    let step = |(event, caption): &(EventId, Caption)| Step {
        event: *event,
        text: caption.text.get(lang).to_string(),
        quiz: caption.question.as_ref().map(|q| Quiz {
            ask: q.ask.get(lang).to_string(),
            answers: q.answers.iter().map(|a| a.get(lang).to_string()).collect(),
            correct: q.correct,
            why: q.why.get(lang).to_string(),
        }),
        nodes: caption.points.iter().flat_map(|p| p.nodes.iter().map(|n| n.0)).collect(),
    };
    session.captions.iter().map(step).collect()
}

/// What a step speaks of, to highlight: the message its event sends, delivers or drops, and the
/// nodes it names (a message's sender then receiver; a crashed, restarted, timed-out… node).
pub fn highlight(trace: &Trace, step: &Step) -> (Option<MsgId>, Vec<NodeId>) {
    let (msg, mut nodes) = event_highlight(trace, step.event);
    for node in &step.nodes {
        if !nodes.contains(node) {
            nodes.push(*node);
        }
    }
    (msg, nodes)
}

/// The message an event sends, delivers or drops, and the nodes it names.
fn event_highlight(trace: &Trace, event: EventId) -> (Option<MsgId>, Vec<NodeId>) {
    let Some(event) = trace.get(event) else { return (None, Vec::new()) };
    let msg = match event.kind {
        EventKind::Send { msg, .. } | EventKind::Deliver { msg } | EventKind::Drop { msg, .. } => msg,
        EventKind::Duplicate { copy, .. } => copy,
        EventKind::Timeout { node }
        | EventKind::Crash { node }
        | EventKind::Restart { node }
        | EventKind::Pause { node }
        | EventKind::Resume { node }
        | EventKind::Role { node, .. }
        | EventKind::Decide { node, .. } => return (None, vec![node]),
        EventKind::Cut { from, to } | EventKind::Repair { from, to } => return (None, vec![from, to]),
        _ => return (None, Vec::new()),
    };
    let send = trace.send_of(msg).and_then(|id| trace.get(id));
    let nodes = match send.map(|e| e.kind) {
        Some(EventKind::Send { from, to, .. }) => [from.as_node(), to.as_node()].into_iter().flatten().collect(),
        _ => Vec::new(),
    };
    (Some(msg), nodes)
}

/// What the highlighted message draws on the timeline: (sent, arrived or dropped) times, (from, to)
/// nodes. Read once per step, not per frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// When it was sent and when it arrived (or was dropped; the head if neither yet).
    pub times: (Time, Time),
    /// Its sender's and its receiver's lanes.
    pub nodes: (NodeId, NodeId),
}

/// The highlight of the step shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// The message, if the step speaks of one.
    pub msg: Option<MsgId>,
    /// The nodes it speaks of.
    pub nodes: Vec<NodeId>,
    /// The message's arrow on the timeline.
    pub arrow: Option<Arrow>,
}

impl Highlight {
    /// The highlight of `step` in `trace`.
    pub fn of(trace: &Trace, step: &Step) -> Highlight {
        let (msg, nodes) = highlight(trace, step);
        let arrow = msg.and_then(|msg| {
            let send = trace.get(trace.send_of(msg)?)?;
            let EventKind::Send { from, to, .. } = send.kind else { return None };
            let end = trace.events()[trace.send_of(msg)? as usize..]
                .iter()
                .find(|e| matches!(e.kind, EventKind::Deliver { msg: m } | EventKind::Drop { msg: m, .. } if m == msg))
                .map_or(trace.events().last().map_or(send.time, |e| e.time), |e| e.time);
            Some(Arrow { times: (send.time, end), nodes: (from.as_node()?, to.as_node()?) })
        });
        Highlight { msg, nodes, arrow }
    }
}

/// A message of story mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Msg {
    /// Play on to the next caption (or, while playing, go there at once).
    Next,
    /// Go to the caption before.
    Back,
    /// Go to step `i` (a mark on the timeline).
    Go(usize),
    /// Play the rest freely, without stopping at captions.
    Through,
    /// The reader chose answer `i` to the step's question.
    Answer(usize),
    /// Forget the answer, to try again.
    Retry,
    /// A touch went down on the caption at x (px).
    SwipeStart(f64),
    /// The touch went up at x (px): a swipe left is Next, right is Back.
    SwipeEnd(f64),
}

/// What the page is to do after a story message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more than redraw.
    None,
    /// Play (story pacing stops at the next caption).
    Play,
    /// Pause, and show this event (pinned).
    Show(EventId),
    /// Pause, and go back to the start of the run.
    Start,
}

/// How far a swipe must travel to count, px.
const SWIPE_PX: f64 = 50.0;

/// The story being told.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    /// Its steps (empty: no story).
    pub steps: Vec<Step>,
    /// Each step's answer, if the reader has given one.
    answers: Vec<Option<usize>>,
    /// Playing through: no stops at captions.
    pub through: bool,
    /// The step whose highlight is held, and the highlight.
    shown: Option<usize>,
    /// What the shown step speaks of.
    pub highlight: Highlight,
    /// Where a touch on the caption went down.
    swipe_from: Option<f64>,
    /// Set when a caption is reached by playing: the page moves focus to Next (so that Enter or
    /// space reads on), then clears it.
    pub focus_next: bool,
    /// The Next button.
    pub next: yew::NodeRef,
    /// What the live region says (see [`narration`]).
    pub narration: String,
}

impl Story {
    /// The story of `session` in `lang` (none if it has no captions).
    pub fn new(session: &Session, lang: Lang) -> Story {
        let steps = steps(session, lang);
        Story { answers: vec![None; steps.len()], steps, ..Story::default() }
    }

    /// The same story in another language: the answers given are kept.
    pub fn translate(&mut self, session: &Session, lang: Lang) {
        let steps = steps(session, lang);
        if steps.len() == self.steps.len() {
            self.steps = steps;
        }
    }

    /// Whether there is a story to tell.
    pub fn is_told(&self) -> bool {
        !self.steps.is_empty()
    }

    /// The step reached at the session's cursor (the last whose event is at or before the event
    /// shown), if any.
    pub fn at(&self, session: &Session) -> Option<usize> {
        let shown = session.shown()?;
        self.steps.iter().take_while(|s| s.event <= shown).count().checked_sub(1)
    }

    /// The answer given to step `i`, if any.
    pub fn answer(&self, i: usize) -> Option<usize> {
        self.answers.get(i).copied().flatten()
    }

    /// Whether step `i` waits for an answer (it asks, and has none yet).
    pub fn waits(&self, i: usize) -> bool {
        self.steps.get(i).is_some_and(|s| s.quiz.is_some()) && self.answer(i).is_none()
    }

    /// Where playing must stop, if story pacing applies (`pacing`): the next step's event and
    /// time; or the step reached, if it waits for an answer and the cursor is on its event.
    pub fn stop(&self, session: &Session, pacing: bool) -> Option<(EventId, Time)> {
        if !pacing || self.through || session.current != 0 {
            return None;
        }
        let at = self.at(session);
        let step = match at {
            Some(i) if self.waits(i) && session.shown() == Some(self.steps[i].event) => &self.steps[i],
            Some(i) => self.steps.get(i + 1)?,
            None => self.steps.first()?,
        };
        Some((step.event, session.sim().trace().get(step.event)?.time))
    }

    /// Handles a message, with the step reached `at` and whether the run `playing`; says what the
    /// page is to do.
    pub fn update(&mut self, msg: Msg, at: Option<usize>, playing: bool) -> Effect {
        match msg {
            Msg::Next => {
                self.through = false;
                match at {
                    Some(i) if self.waits(i) => Effect::None,
                    _ if playing => {
                        let next = at.map_or(0, |i| i + 1);
                        self.steps.get(next).map_or(Effect::None, |s| Effect::Show(s.event))
                    }
                    _ => Effect::Play,
                }
            }
            Msg::Back => {
                self.through = false;
                match at.and_then(|i| i.checked_sub(1)) {
                    Some(i) => Effect::Show(self.steps[i].event),
                    None => Effect::Start,
                }
            }
            Msg::Go(i) => {
                self.through = false;
                self.steps.get(i).map_or(Effect::None, |s| Effect::Show(s.event))
            }
            Msg::Through => {
                self.through = true;
                Effect::Play
            }
            Msg::Answer(choice) => {
                if let (Some(i), Some(slot)) = (at, at.and_then(|i| self.answers.get_mut(i)))
                    && self.steps[i].quiz.as_ref().is_some_and(|q| choice < q.answers.len())
                {
                    *slot = Some(choice);
                }
                Effect::None
            }
            Msg::Retry => {
                if let Some(slot) = at.and_then(|i| self.answers.get_mut(i)) {
                    *slot = None;
                }
                Effect::None
            }
            Msg::SwipeStart(x) => {
                self.swipe_from = Some(x);
                Effect::None
            }
            Msg::SwipeEnd(x) => match self.swipe_from.take().map(|from| x - from) {
                Some(dx) if dx <= -SWIPE_PX => self.update(Msg::Next, at, playing),
                Some(dx) if dx >= SWIPE_PX => self.update(Msg::Back, at, playing),
                _ => Effect::None,
            },
        }
    }

    /// Keeps the highlight on the step reached at the session's cursor (recomputed only when the
    /// step changes: nothing is allocated in a frame that stays on a step).
    pub fn follow(&mut self, session: &Session) {
        let at = self.at(session).filter(|_| session.current == 0);
        if at != self.shown {
            self.shown = at;
            self.highlight = at.map(|i| Highlight::of(session.sim().trace(), &self.steps[i])).unwrap_or_default();
        }
    }
}

/// What the live region says when the cursor moves to the event shown by a step or a caption: the
/// caption, if one is reached exactly there, then the event in words.
pub fn narration(session: &Session, story: &Story) -> String {
    let Some(shown) = session.shown() else { return String::new() };
    let Some(event) = session.sim().trace().get(shown) else { return String::new() };
    let trace = session.sim().trace();
    let mut words = crate::i18n::event(trace, event);
    // Why: the rules the nodes applied in this step, or that decided the message it sends.
    let rules = trace.rules(shown).iter().chain(trace.message_rules(shown));
    let mut told = Vec::new();
    for rule in rules {
        if !told.contains(rule) {
            told.push(*rule);
            words.push_str(" — ");
            words.push_str(&crate::i18n::rule(rule));
        }
    }
    match story.at(session) {
        Some(i) if story.steps[i].event == shown && session.current == 0 => {
            let step = crate::i18n::tf("story.step", &[("n", &(i + 1)), ("of", &story.steps.len())]);
            crate::i18n::tf("story.narrate", &[("step", &step), ("caption", &story.steps[i].text), ("event", &words)])
        }
        _ => words,
    }
}

// Natively: they read the scenario catalog and the built-in catalogue of words.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::Setup;
    use crate::state::cursor;

    /// The duelling proposers, loaded from the catalog (the page fetches the file).
    fn duel() -> Session {
        let name = "duelling-proposers";
        let setup = Setup { scenario: Some(name.into()), ..Setup::default() };
        let scenario = paxos_play::scenario::Scenario::named(name).expect("in the catalog");
        Session::new(setup, Some(scenario)).expect("the scenario runs")
    }

    /// Plays `session` as the page does, by `us` per frame, until story pacing stops it; returns
    /// how many frames it took (at most `frames`).
    fn play(session: &mut Session, story: &Story, us: Time, frames: usize) -> usize {
        for frame in 0..frames {
            if let Some((event, time)) = story.stop(session, true)
                && session.cursor + us >= time
            {
                cursor::jump(session, event);
                return frame;
            }
            session.seek(session.cursor + us);
        }
        frames
    }

    fn quiz() -> Quiz {
        Quiz {
            ask: "Who wins?".into(),
            answers: vec!["n1".into(), "n2".into()],
            correct: 1,
            why: "Its ballot is higher.".into(),
        }
    }

    /// The steps are the captions, in order, each at its event, in the language asked for, with
    /// the scenario's questions and the nodes it points at.
    #[test]
    fn steps_are_the_captions() {
        let session = duel();
        let steps = steps(&session, Lang::En);
        assert!(steps.len() >= 3, "the duel has captions");
        let captions: Vec<(EventId, String)> =
            session.captions.iter().map(|(event, c)| (*event, c.text.en.clone())).collect();
        assert_eq!(steps.iter().map(|s| (s.event, s.text.clone())).collect::<Vec<_>>(), captions);
        let (i, quiz) = steps.iter().enumerate().find_map(|(i, s)| Some((i, s.quiz.as_ref()?))).expect("a question");
        let question = session.captions[i].1.question.as_ref().unwrap();
        assert_eq!((quiz.correct, quiz.answers.len()), (question.correct, question.answers.len()));
        assert!(!steps[i].nodes.is_empty(), "the question's caption points at nodes");
        let chinese = super::steps(&session, Lang::Zh);
        assert_eq!(chinese[i].quiz.as_ref().unwrap().ask, question.ask.zh.clone().unwrap());
        assert_ne!(chinese[0].text, steps[0].text);
    }

    /// Playing stops exactly at each caption's event (pinned, not a later event at the same
    /// time), and Next plays on to the following one, in order, to the last.
    #[test]
    fn playing_stops_exactly_at_each_caption() {
        let mut session = duel();
        let mut story = Story::new(&session, Lang::En);
        for (i, step) in story.steps.clone().iter().enumerate() {
            play(&mut session, &story, 700, 100_000);
            assert_eq!(session.shown(), Some(step.event), "stopped at caption {}", i + 1);
            assert_eq!(story.at(&session), Some(i));
            assert_eq!(session.caption().map(|(n, _)| n), Some(i));
            // A question waits for its answer; then playing on (after the page's pause, Next)
            // heads for the following caption.
            if let Some(quiz) = &step.quiz {
                assert_eq!(story.stop(&session, true).map(|(e, _)| e), Some(step.event), "waits for an answer");
                story.update(Msg::Answer(quiz.correct), Some(i), false);
            }
            assert_eq!(story.stop(&session, true).map(|(e, _)| e), story.steps.get(i + 1).map(|s| s.event));
            assert_eq!(story.update(Msg::Next, Some(i), false), Effect::Play);
        }
        assert_eq!(story.stop(&session, true), None, "after the last caption the run plays on freely");
    }

    /// Back goes to the caption before (from between two captions: to the one reached); before
    /// the first, to the start. Next while playing goes straight to the next caption.
    #[test]
    fn back_goes_to_the_caption_before() {
        let session = duel();
        let mut story = Story::new(&session, Lang::En);
        let events: Vec<EventId> = story.steps.iter().map(|s| s.event).collect();
        assert_eq!(story.update(Msg::Back, Some(2), false), Effect::Show(events[1]));
        assert_eq!(story.update(Msg::Back, Some(0), false), Effect::Start);
        assert_eq!(story.update(Msg::Back, None, false), Effect::Start);
        assert_eq!(story.update(Msg::Next, Some(1), true), Effect::Show(events[2]));
        assert_eq!(story.update(Msg::Go(3), None, false), Effect::Show(events[3]));
        assert_eq!(story.update(Msg::Go(999), None, false), Effect::None);
    }

    /// Play through stops nowhere; Next or Back return to story pacing. Off the story's own run (a
    /// branch) or without pacing, nothing stops either.
    #[test]
    fn play_through_runs_freely() {
        let session = duel();
        let mut story = Story::new(&session, Lang::En);
        assert!(story.stop(&session, true).is_some());
        assert!(story.stop(&session, false).is_none(), "a link's speed= turns pacing off");
        assert_eq!(story.update(Msg::Through, None, false), Effect::Play);
        assert!(story.stop(&session, true).is_none());
        story.update(Msg::Next, None, true);
        assert!(!story.through);
        assert!(story.stop(&session, true).is_some());
    }

    /// A question waits for an answer: Next does nothing and playing stays on its event; a wrong
    /// answer, then Try again, then the right one; then Next plays on.
    #[test]
    fn a_question_answered_wrong_then_right() {
        let mut session = duel();
        let mut story = Story::new(&session, Lang::En);
        story.steps[1].quiz = Some(quiz());
        play(&mut session, &story, 700, 100_000);
        story.update(Msg::Next, Some(0), false);
        play(&mut session, &story, 700, 100_000);
        let event = story.steps[1].event;
        assert_eq!((story.at(&session), session.shown()), (Some(1), Some(event)));
        assert!(story.waits(1));
        assert_eq!(story.update(Msg::Next, Some(1), false), Effect::None, "Next waits for an answer");
        assert_eq!(story.stop(&session, true), Some((event, session.cursor)), "Play stays on the question");
        story.update(Msg::Answer(7), Some(1), false);
        assert_eq!(story.answer(1), None, "an answer that is not offered is ignored");
        story.update(Msg::Answer(0), Some(1), false);
        assert_eq!(story.answer(1), Some(0));
        assert!(!story.waits(1), "a wrong answer still lets the reader go on");
        story.update(Msg::Retry, Some(1), false);
        assert!(story.waits(1));
        story.update(Msg::Answer(1), Some(1), false);
        assert_eq!(story.answer(1), Some(story.steps[1].quiz.as_ref().unwrap().correct));
        assert_eq!(story.update(Msg::Next, Some(1), false), Effect::Play);
        assert_eq!(story.stop(&session, true).map(|(e, _)| e), Some(story.steps[2].event));
    }

    /// A swipe left is Next, right is Back; a short one is nothing.
    #[test]
    fn swipes_turn_the_page() {
        let session = duel();
        let mut story = Story::new(&session, Lang::En);
        story.update(Msg::SwipeStart(300.0), Some(1), false);
        assert_eq!(story.update(Msg::SwipeEnd(200.0), Some(1), false), Effect::Play);
        story.update(Msg::SwipeStart(100.0), Some(1), false);
        assert_eq!(story.update(Msg::SwipeEnd(200.0), Some(1), false), Effect::Show(story.steps[0].event));
        story.update(Msg::SwipeStart(100.0), Some(1), false);
        assert_eq!(story.update(Msg::SwipeEnd(120.0), Some(1), false), Effect::None);
        assert_eq!(story.update(Msg::SwipeEnd(0.0), Some(1), false), Effect::None, "no touch went down");
    }

    /// The highlight names what the caption's event speaks of: a message's sender and receiver, or
    /// the node of a node event; it follows the step reached.
    #[test]
    fn highlights_name_the_message_and_its_nodes() {
        let mut session = duel();
        let mut story = Story::new(&session, Lang::En);
        let trace = session.sim().trace();
        for step in &story.steps {
            // The scenario's own `points` come on top of what the event names.
            let (msg, all) = highlight(trace, step);
            assert!(step.nodes.iter().all(|n| all.contains(n)), "{all:?} lacks the points {:?}", step.nodes);
            let (event_msg, nodes) = event_highlight(trace, step.event);
            assert_eq!(event_msg, msg);
            assert!(all.starts_with(&nodes));
            match trace.get(step.event).unwrap().kind {
                EventKind::Send { msg: m, from, to, .. } => {
                    assert_eq!(msg, Some(m));
                    assert_eq!(nodes, [from.as_node(), to.as_node()].into_iter().flatten().collect::<Vec<_>>());
                }
                EventKind::Deliver { msg: m } => assert_eq!((msg, nodes.len()), (Some(m), 2)),
                EventKind::Crash { node } | EventKind::Role { node, .. } => {
                    assert_eq!((msg, nodes), (None, vec![node]))
                }
                _ => {}
            }
        }
        story.follow(&session);
        assert_eq!(story.highlight, Highlight::default(), "nothing before the first caption");
        cursor::jump(&mut session, story.steps[0].event);
        story.follow(&session);
        assert_eq!(story.highlight, Highlight::of(session.sim().trace(), &story.steps[0]));
        assert!(!story.highlight.nodes.is_empty());
    }

    /// The live region says the caption reached and the event; between captions, the event only.
    #[test]
    fn narration_says_the_caption_then_the_event() {
        crate::i18n::install_builtin(paxos_play::lang::Lang::En);
        let mut session = duel();
        let story = Story::new(&session, Lang::En);
        cursor::jump(&mut session, story.steps[1].event);
        let said = narration(&session, &story);
        let event = crate::i18n::event(session.sim().trace(), session.sim().trace().get(story.steps[1].event).unwrap());
        assert!(said.starts_with(&format!("Caption 2 of {}", story.steps.len())), "{said}");
        assert!(said.contains(&story.steps[1].text) && said.ends_with(&event), "{said}");
        // An event between two captions: the event only.
        let between =
            (story.steps[1].event + 1..story.steps[2].event).next().expect("an event between captions 2 and 3");
        cursor::jump(&mut session, between);
        let trace = session.sim().trace();
        assert_eq!(narration(&session, &story), crate::i18n::event(trace, trace.get(between).unwrap()));
    }
}
