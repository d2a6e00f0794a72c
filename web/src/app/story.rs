//! The page's side of story mode (`crate::state::story`): stopping a frame at a caption, doing what
//! a story message asks, the live region's words, the caption box, and the marks on the timeline.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::App;
use crate::components::story as view;
use crate::marks;
use crate::model::Session;
use crate::msg::Msg;
use crate::state::cursor;
use crate::state::playback::{self, Advance};
use crate::state::story::{self, Effect, Story};
use crate::timeline::Lanes;

impl App {
    /// Whether stories wait at their captions: always, but in an embedded page whose link sets
    /// its own speed (`speed=`), which then plays as it asks.
    fn pacing(&self) -> bool {
        !(self.page.embed && self.page.speed.is_some())
    }

    /// A new session: its story, from the start.
    pub(super) fn new_story(&mut self) {
        let lang = crate::i18n::current().unwrap_or_default();
        self.story = self.session.as_ref().map(|s| Story::new(s, lang)).unwrap_or_default();
    }

    /// Before a frame moves the run by `advance`: if that would reach or pass the next caption's
    /// event, stops exactly there (pinned, not on a later event at the same time), pauses and says
    /// so. Returns whether it stopped.
    pub(super) fn story_stops(&mut self, advance: Advance) -> bool {
        let pacing = self.pacing();
        let Some(session) = &mut self.session else { return false };
        let Some((event, time)) = self.story.stop(session, pacing) else { return false };
        let reached = match advance {
            Advance::By(us) => session.cursor.saturating_add(us) >= time,
            // A story is simulated whole: the fastest speed goes straight to the caption.
            Advance::Rush(_) => true,
        };
        if !reached {
            return false;
        }
        cursor::jump(session, event);
        self.story.focus_next = true;
        self.playback(playback::Msg::Pause);
        self.narrate();
        true
    }

    /// A story message.
    pub(super) fn story(&mut self, msg: story::Msg) {
        let Some(session) = &mut self.session else { return };
        if !self.story.is_told() || session.current != 0 {
            // No story here (n and b are the story's keys only).
            return;
        }
        let at = self.story.at(session);
        if let (story::Msg::Answer(answer), Some(i)) = (msg, at)
            && let Some(quiz) = &self.story.steps[i].quiz
        {
            let correct = answer == quiz.correct;
            let event = paxos_play::embed::Event::Answered { caption: i as u32, answer: answer as u32, correct };
            self.host.tell(&event);
        }
        match self.story.update(msg, at, self.playback.playing) {
            Effect::None => return,
            Effect::Play if self.playback.playing => return,
            Effect::Play => return self.playback(playback::Msg::Toggle),
            Effect::Show(event) => {
                self.route(Msg::Jump(event));
            }
            Effect::Start => {
                session.seek(0);
                self.playback(playback::Msg::Pause);
                self.viewport.follow = true;
            }
        }
        self.narrate();
    }

    /// Puts the moment shown into words for the live region.
    pub(super) fn narrate(&mut self) {
        if let Some(session) = &self.session {
            self.story.narration = story::narration(session, &self.story);
        }
    }

    /// After a render: moves focus to Next when a caption was just reached by playing.
    pub(super) fn focus_story(&mut self) {
        if !std::mem::take(&mut self.story.focus_next) {
            return;
        }
        // Next, unless it waits for an answer: then the first answer.
        let Some(next) = self.story.next.cast::<web_sys::Element>() else { return };
        let target = if next.has_attribute("disabled") {
            next.closest(".caption").ok().flatten().and_then(|c| c.query_selector(".answer").ok().flatten())
        } else {
            Some(next)
        };
        if let Some(element) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }

    /// The caption box with the story's controls.
    pub(super) fn view_story(&self, session: &Session) -> Html {
        view::caption(view::Props { session, story: &self.story, next: &self.story.next, on: &self.on })
    }

    /// Draws the story's marks and highlighted message over the timeline just drawn.
    pub(super) fn draw_marks(&self, session: &Session) {
        if !self.story.is_told() || session.current != 0 {
            return;
        }
        let Some((canvas, width, height)) = self.dom.canvas_size() else { return };
        let Some(mut ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let lanes = Lanes { width, height, nodes: session.sim().config().nodes };
        let at = self.story.at(session);
        let trace = session.sim().trace();
        let highlight = (self.story.highlight.arrow, self.story.highlight.nodes.as_slice());
        marks::draw(&mut ctx, trace, &self.story.steps, at, highlight, lanes, self.viewport.window);
    }

    /// A click on the timeline at (x, y): on a caption's mark, goes to that caption. Says whether
    /// it was on one.
    pub(super) fn story_mark(&mut self, (x, y): (f64, f64)) -> bool {
        let (Some(session), Some((_, width, height))) = (&self.session, self.dom.canvas_size()) else { return false };
        if !self.story.is_told() || session.current != 0 {
            return false;
        }
        let lanes = Lanes { width, height, nodes: session.sim().config().nodes };
        match marks::hit(session.sim().trace(), &self.story.steps, lanes, self.viewport.window, (x, y)) {
            Some(i) => {
                self.story(story::Msg::Go(i));
                true
            }
            None => false,
        }
    }
}
