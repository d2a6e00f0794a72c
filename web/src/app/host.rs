//! The page's side of the embed API: a command from the embedding window becomes the page's own
//! message; what changed after each message is told back as events (see `crate::host`).

use paxos_play::embed::{Command, Event, Received};
use paxos_play::scenario;
use paxos_play::share;

use super::App;
use crate::i18n;
use crate::msg::Msg;
use crate::state::loading::{Run, Then};
use crate::state::{playback, story};

impl App {
    /// Does what the host asked, or tells it why not (and changes nothing).
    pub(super) fn host_command(&mut self, received: Received) {
        let Received { id, command } = received;
        let fail = |app: &App, message: String| app.host.tell(&Event::Error { message, id: id.clone() });
        let command = match command {
            Ok(command) => command,
            Err(message) => return fail(self, message),
        };
        match command {
            Command::Play => self.on.emit(Msg::Playback(playback::Msg::Play)),
            Command::Pause => self.on.emit(Msg::Playback(playback::Msg::Pause)),
            // A story moves caption by caption; a run without captions, event by event.
            Command::Next if self.story.is_told() => self.on.emit(Msg::Story(story::Msg::Next)),
            Command::Back if self.story.is_told() => self.on.emit(Msg::Story(story::Msg::Back)),
            Command::Next => self.on.emit(Msg::StepForward),
            Command::Back => self.on.emit(Msg::StepBack),
            Command::SeekCaption(n) => {
                let event = self.session.as_ref().and_then(|s| s.captions.get(n as usize)).map(|(event, _)| *event);
                match event {
                    Some(event) => self.on.emit(Msg::Jump(event)),
                    None => {
                        let of = self.session.as_ref().map_or(0, |s| s.captions.len());
                        fail(self, format!("caption: this run has {of} captions (0 to {})", of.saturating_sub(1)));
                    }
                }
            }
            Command::SeekTime(us) => self.on.emit(Msg::Seek(us)),
            Command::LoadScenario(name) => match scenario::lookup(&name) {
                Ok(found) => self.on.emit(Msg::LoadScenario(found.to_string())),
                Err(e) => fail(self, format!("scenario: {}", e.0)),
            },
            Command::LoadLink(link) => {
                let share::Link { shared, problems, .. } = share::parse_link(&link);
                if !problems.is_empty() {
                    return fail(self, format!("link: {}", problems.join("; ")));
                }
                self.start(Run::of(shared, Then::Address));
            }
        }
    }

    /// Tells the host what changed: ready (once the words and a run are there), the caption reached,
    /// the first violation of a run. (The end of a run played through is told where it ends.)
    pub(super) fn host_events(&mut self) {
        if !self.host.active() {
            return;
        }
        let Some(session) = &self.session else { return };
        let Some(lang) = i18n::current() else { return };
        if !self.host.told_ready {
            self.host.told_ready = true;
            self.host.tell(&Event::Ready { captions: session.captions.len() as u32, lang: lang.code() });
        }
        let caption = session.caption().map(|(i, _)| i);
        if caption != self.host.told_caption {
            self.host.told_caption = caption;
            if let Some(i) = caption {
                self.host.tell(&Event::Caption { index: i as u32, of: session.captions.len() as u32 });
            }
        }
        let violation = session.sim().violations().first();
        if violation.is_none() {
            self.host.told_violation = false;
        } else if let Some(v) = violation.filter(|_| !self.host.told_violation) {
            self.host.told_violation = true;
            self.host.tell(&Event::Violation { invariant: v.invariant.name().to_string() });
        }
    }
}
