//! The banner: an error (the last thing that could not be done) and notes (what a link or a file
//! asked that could not be replayed), until dismissed.

/// The banner's contents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Banner {
    /// The last error.
    pub error: Option<String>,
    /// Notes, in order.
    pub notes: Vec<String>,
}

impl Banner {
    /// Shows `error`.
    pub fn error(&mut self, error: impl Into<String>) {
        self.error = Some(error.into());
    }

    /// Forgets everything shown.
    pub fn dismiss(&mut self) {
        self.error = None;
        self.notes.clear();
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.error.is_none() && self.notes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error replaces the last one; notes stay until dismissed.
    #[test]
    fn errors_replace_and_dismiss_clears() {
        let mut banner = Banner { notes: vec!["In the address: …".into()], ..Banner::default() };
        assert!(!banner.is_empty());
        banner.error("one");
        banner.error("two");
        assert_eq!(banner.error.as_deref(), Some("two"));
        banner.dismiss();
        assert!(banner.is_empty());
    }
}
