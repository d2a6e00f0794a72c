//! The page's side of a person writing their own story: each change to the captions goes to the
//! session (which checks it against the run and tells it in story mode) and into the address.

use super::App;
use crate::i18n::tf;
use crate::state::authoring::{Msg, Refused};

impl App {
    /// Makes a change to the captions; says why one cannot be made.
    pub(super) fn author(&mut self, msg: Msg) {
        match self.author.update(msg) {
            Ok(true) => self.apply_captions(),
            Ok(false) => {}
            Err(Refused::Taken(number)) => self.banner.error(tf("author.taken", &[("number", &number)])),
        }
    }

    /// Tells the run with the captions written so far (those whole enough to share), and writes
    /// them into the address.
    pub(super) fn apply_captions(&mut self) {
        let Some(session) = &mut self.session else { return };
        if let Err(e) = session.set_captions(&self.author.shared()) {
            return self.banner.error(tf("author.refused", &[("error", &e)]));
        }
        self.new_story();
        self.write_address();
    }
}
