//! [`Text`]: a text a person reads in a scenario, in English and, where it has been translated, in
//! 简体中文.
//!
//! In a file a text is either a string (English only) or an object with the language codes of
//! [`Lang`] as keys: `"Phase 1 begins."` or `{"en": "Phase 1 begins.", "zh": "第一阶段开始。"}`. English
//! is required (it is what a missing translation falls back to); an empty text, or a language the
//! playground does not speak, is refused by name.

use core::fmt;

use paxos_json::{Error, Fields, FromJson, Json, ToJson};

use crate::lang::Lang;

/// A text in English and, if translated, in Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    /// The English text: always there, and what [`Text::get`] falls back to.
    pub en: String,
    /// The 简体中文 text, if translated.
    pub zh: Option<String>,
}

impl Text {
    /// An English-only text.
    pub fn new(en: impl Into<String>) -> Text {
        Text { en: en.into(), zh: None }
    }

    /// A text in both languages.
    pub fn both(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text { en: en.into(), zh: Some(zh.into()) }
    }

    /// The text in `lang`; English where it has no translation to `lang` yet.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => self.zh.as_deref().unwrap_or(&self.en),
        }
    }

    /// Whether the text is written in `lang` itself (not only through the English fallback).
    pub fn has(&self, lang: Lang) -> bool {
        match lang {
            Lang::En => true,
            Lang::Zh => self.zh.is_some(),
        }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text::new(en)
    }
}

/// The English text (for logs and the command line's lists; a reader's page uses [`Text::get`]).
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A text, which must not be empty.
fn words(value: &Json) -> Result<String, Error> {
    let text = String::from_value(value)?;
    if text.trim().is_empty() {
        return Err(Error::new("a text cannot be empty"));
    }
    Ok(text)
}

impl FromJson for Text {
    fn from_value(value: &Json) -> Result<Text, Error> {
        match value {
            Json::String(_) => words(value).map(Text::new),
            Json::Object(_) => Fields::read(value, |o| {
                let field = |o: &mut Fields<'_>, name: &'static str| match o.get(name)? {
                    None => Ok(None),
                    Some(value) => words(value).map(Some).map_err(|e| e.in_field(name)),
                };
                let en = field(o, "en")?;
                let zh = field(o, "zh")?;
                let en = en.ok_or_else(|| Error::new("missing field `en` (every text has its English)"))?;
                Ok(Text { en, zh })
            }),
            other => Err(Error::expected("a text: a string, or an object {\"en\": …, \"zh\": …}", other)),
        }
    }
}

/// The shortest form that reads back the same: a string for English only, else the object.
impl ToJson for Text {
    fn to_value(&self) -> Json {
        match &self.zh {
            None => self.en.to_value(),
            Some(zh) => Json::object([("en", self.en.to_value()), ("zh", zh.to_value())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use paxos_json as json;

    use super::*;

    #[test]
    fn a_text_is_a_string_or_its_languages() {
        assert_eq!(json::read::<Text>(r#""hi""#), Ok(Text::new("hi")));
        assert_eq!(json::read::<Text>(r#"{"en": "hi"}"#), Ok(Text::new("hi")));
        let both = json::read::<Text>(r#"{"zh": "你好", "en": "hi"}"#).unwrap();
        assert_eq!(both, Text::both("hi", "你好"));
        assert_eq!((both.get(Lang::En), both.get(Lang::Zh)), ("hi", "你好"));
        assert_eq!(Text::new("hi").get(Lang::Zh), "hi", "English where there is no translation");
        assert!(both.has(Lang::Zh) && !Text::new("hi").has(Lang::Zh));
    }

    #[test]
    fn a_text_writes_back_in_its_shortest_form() {
        assert_eq!(json::to_string(&Text::new("hi")), r#""hi""#);
        assert_eq!(json::to_string(&Text::both("hi", "你好")), r#"{"en":"hi","zh":"你好"}"#);
        for text in [Text::new("a \"quoted\" line"), Text::both("x", "y")] {
            assert_eq!(json::read::<Text>(&json::to_string(&text)), Ok(text));
        }
    }

    #[test]
    fn a_malformed_text_is_named() {
        let error = |text: &str| json::read::<Text>(text).unwrap_err().to_string();
        assert_eq!(error(r#""""#), "a text cannot be empty");
        assert_eq!(error(r#"{"en": " "}"#), "\"en\": a text cannot be empty");
        assert_eq!(error(r#"{"zh": "你好"}"#), "missing field `en` (every text has its English)");
        assert_eq!(error(r#"{"en": "hi", "fr": "salut"}"#), "unknown field `fr`, expected one of `en`, `zh`");
        assert_eq!(error(r#"{"en": "hi", "zh": 3}"#), "\"zh\": expected a string, found 3");
        assert!(error("3").starts_with("expected a text"), "{}", error("3"));
    }
}
