//! The embed snippet: the `<iframe>` a person pastes into a page to show a run there, with the
//! options of the share panel's Embed section ([`Options`]).
//!
//! ```html
//! <iframe src="https://…/?v=1&amp;scenario=duelling-proposers&amp;embed" title="Duelling proposers"
//!   width="100%" height="480" loading="lazy" sandbox="allow-scripts allow-same-origin"></iframe>
//! ```
//!
//! The address is the run's link ([`Shared::to_query`]) with the page settings the options ask for;
//! the snippet has no inline `style` (the host page's Content-Security-Policy may forbid it), only
//! `width` and `height` attributes. Every attribute value is escaped ([`attribute`]), so no title or
//! address can close the attribute or open a tag.

use core::fmt::Write as _;

use crate::lang::Lang;
use crate::share::{Page, Shared, Theme, View};

/// The height an embed gets unless asked otherwise, px.
pub const HEIGHT_DEFAULT: u32 = 480;
/// The lowest height offered, px (the controls and a caption need about this much).
pub const HEIGHT_MIN: u32 = 160;
/// The highest height offered, px.
pub const HEIGHT_MAX: u32 = 2_000;

/// How an embedded run is shown: the choices of the share panel's Embed section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The views shown.
    pub view: View,
    /// Play at once; off, a story waits at each caption (and a run without captions waits for Play).
    pub autoplay: bool,
    /// Start at the run's beginning rather than at the moment shown.
    pub from_start: bool,
    /// Show the controls.
    pub controls: bool,
    /// The frame's height, px ([`HEIGHT_MIN`]–[`HEIGHT_MAX`]; clamped when written).
    pub height: u32,
    /// The language the embed speaks (`None`: its reader's own).
    pub lang: Option<Lang>,
    /// Its colours (to match the post; `System`: the reader's).
    pub theme: Theme,
}

impl Options {
    /// The defaults for `shared` in a page speaking `lang`: its view, story mode for a scenario (it
    /// waits at each caption), autoplay for a run without captions, this moment, controls shown.
    pub fn for_run(shared: &Shared, lang: Option<Lang>) -> Options {
        Options {
            view: shared.view,
            autoplay: shared.setup.scenario.is_none() && shared.captions.is_empty(),
            from_start: false,
            controls: true,
            height: HEIGHT_DEFAULT,
            lang,
            theme: Theme::System,
        }
    }
}

/// The address of the embed: `base` (the page's address, without a query) and the run's link with
/// the page settings of `options`.
pub fn url(base: &str, shared: &Shared, options: &Options) -> String {
    let mut shared = Shared { view: options.view, ..shared.clone() };
    if options.from_start {
        // A scenario's story begins at its first caption when no moment is given; another run is
        // shown at time 0 (no moment would mean "after the last action").
        shared.cursor = if shared.setup.scenario.is_some() { None } else { Some(0) };
    }
    let page = Page {
        embed: true,
        autoplay: options.autoplay,
        controls: options.controls,
        lang: options.lang,
        theme: options.theme,
        speed: None,
    };
    format!("{base}{}", shared.to_query(&page))
}

/// The `<iframe>` that shows `shared` at `base` as `options` ask, titled `title` (the scenario's
/// title in the reader's language, or the playground's name).
pub fn snippet(base: &str, shared: &Shared, options: &Options, title: &str) -> String {
    let mut out = String::from("<iframe src=\"");
    out.push_str(&attribute(&url(base, shared, options)));
    let _ = write!(
        out,
        "\" title=\"{}\" width=\"100%\" height=\"{}\" loading=\"lazy\" sandbox=\"allow-scripts allow-same-origin\"></iframe>",
        attribute(title),
        options.height.clamp(HEIGHT_MIN, HEIGHT_MAX)
    );
    out
}

/// `text` escaped for a double-quoted HTML attribute: `&`, `"`, `<`, `>` and `'` as references.
pub fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{Link, Setup, parse_link};
    use paxos_sim::faults::Fault;
    use paxos_sim::run::Action;

    const BASE: &str = "https://example.org/paxos/";

    fn scenario() -> Shared {
        Shared {
            setup: Setup { scenario: Some("duelling-proposers".into()), ..Setup::default() },
            cursor: Some(12_500),
            ..Shared::default()
        }
    }

    fn run() -> Shared {
        Shared {
            setup: Setup { seed: 42, ..Setup::default() },
            actions: vec![Action { step: 7, fault: Fault::Crash { node: paxos_sim::config::NodeName(1) } }],
            cursor: Some(350_125),
            view: View::Timeline,
            ..Shared::default()
        }
    }

    /// The `src` of a snippet, unescaped again (as a browser reads the attribute).
    fn src(snippet: &str) -> String {
        let start = snippet.find("src=\"").expect("a src") + 5;
        let end = start + snippet[start..].find('"').expect("a closing quote");
        snippet[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn read(snippet: &str) -> Link {
        let src = src(snippet);
        assert!(src.starts_with(BASE), "{src}");
        let link = parse_link(&src);
        assert_eq!(link.problems, Vec::<String>::new(), "{src}");
        link
    }

    /// The snippet's address replays the same run, with the page settings the options ask for.
    #[test]
    fn the_snippet_round_trips() {
        for (shared, lang) in [(scenario(), Some(Lang::Zh)), (run(), None), (run(), Some(Lang::En))] {
            let options = Options::for_run(&shared, lang);
            let link = read(&snippet(BASE, &shared, &options, "Paxos playground"));
            assert_eq!(link.shared, shared);
            let page = Page { embed: true, autoplay: options.autoplay, controls: true, lang, ..Page::default() };
            assert_eq!(link.page, page);
        }
    }

    /// A story waits at each caption by default (no autoplay); a run without captions plays at once.
    #[test]
    fn stories_wait_and_other_runs_autoplay() {
        let story = snippet(BASE, &scenario(), &Options::for_run(&scenario(), None), "t");
        assert!(story.contains("scenario=duelling-proposers") && story.contains("&amp;embed"), "{story}");
        assert!(!story.contains("autoplay"), "{story}");
        let other = snippet(BASE, &run(), &Options::for_run(&run(), None), "t");
        assert!(other.contains("&amp;autoplay"), "{other}");
    }

    /// Each option changes its own parameter of the address and nothing else.
    #[test]
    fn each_option_changes_exactly_its_parameter() {
        let shared = run();
        let base = Options::for_run(&shared, None);
        let before = parse_link(&url(BASE, &shared, &base));
        type Change = fn(&mut Link);
        let cases: [(Options, Change); 6] = [
            (Options { view: View::Cluster, ..base }, |l| l.shared.view = View::Cluster),
            (Options { autoplay: false, ..base }, |l| l.page.autoplay = false),
            (Options { from_start: true, ..base }, |l| l.shared.cursor = Some(0)),
            (Options { controls: false, ..base }, |l| l.page.controls = false),
            (Options { lang: Some(Lang::Zh), ..base }, |l| l.page.lang = Some(Lang::Zh)),
            (Options { theme: Theme::Dark, ..base }, |l| l.page.theme = Theme::Dark),
        ];
        for (options, change) in cases {
            let mut expected = before.clone();
            change(&mut expected);
            assert_ne!(expected, before, "{options:?} must change something");
            assert_eq!(parse_link(&url(BASE, &shared, &options)), expected, "{options:?}");
        }
        // The height is the frame's, not the address's.
        let tall = snippet(BASE, &shared, &Options { height: 900, ..base }, "t");
        assert!(tall.contains("height=\"900\""), "{tall}");
        assert_eq!(src(&tall), url(BASE, &shared, &base));
        // A scenario from its start has no moment: its story begins at the first caption.
        let from_start = Options { from_start: true, ..Options::for_run(&scenario(), None) };
        assert_eq!(parse_link(&url(BASE, &scenario(), &from_start)).shared.cursor, None);
    }

    /// Heights outside the offered range are clamped.
    #[test]
    fn heights_are_clamped() {
        let options = Options::for_run(&run(), None);
        for (asked, written) in [(0, HEIGHT_MIN), (HEIGHT_MAX + 1, HEIGHT_MAX), (300, 300)] {
            let text = snippet(BASE, &run(), &Options { height: asked, ..options }, "t");
            assert!(text.contains(&format!("height=\"{written}\"")), "{asked}: {text}");
        }
    }

    /// The title and the address are escaped for the attribute; nothing else is an attribute.
    #[test]
    fn attributes_are_escaped() {
        assert_eq!(attribute(r#"a&b"<c>'d"#), "a&amp;b&quot;&lt;c&gt;&#39;d");
        let text =
            snippet("https://x.org/a\"b<c>/", &scenario(), &Options::for_run(&scenario(), None), "Tom & \"Jerry\" <3");
        assert!(text.contains("title=\"Tom &amp; &quot;Jerry&quot; &lt;3\""), "{text}");
        assert!(text.contains("src=\"https://x.org/a&quot;b&lt;c&gt;/?v=1&amp;scenario="), "{text}");
        assert!(!text.contains("style"), "no inline style: {text}");
    }

    /// Over every combination of options, titles and bases with awkward characters, each attribute
    /// value holds no raw `"` or `<`, and the snippet is one `<iframe …></iframe>` element.
    #[test]
    fn no_combination_breaks_out_of_an_attribute() {
        let titles = ["Paxos playground", "决斗的提议者", "a\"b", "<script>", "x' onload='y", "&amp;"];
        let bases = ["https://example.org/", "http://h/p?q\"<>/", "file:///tmp/a b/"];
        let mut count = 0;
        for shared in [scenario(), run()] {
            for bits in 0..32u32 {
                for view in [View::Both, View::Cluster, View::Timeline] {
                    for lang in [None, Some(Lang::En), Some(Lang::Zh)] {
                        let options = Options {
                            view,
                            autoplay: bits & 1 != 0,
                            from_start: bits & 2 != 0,
                            controls: bits & 4 != 0,
                            height: [0, 480, u32::MAX, 161][(bits >> 3) as usize],
                            lang,
                            theme: Theme::ALL[bits as usize % 3],
                        };
                        for (title, base) in titles.iter().zip(bases.iter().cycle()) {
                            let text = snippet(base, &shared, &options, title);
                            let inner = text
                                .strip_prefix("<iframe ")
                                .and_then(|t| t.strip_suffix("></iframe>"))
                                .unwrap_or_else(|| panic!("one element: {text}"));
                            // Attributes are `name="value"` separated by spaces: splitting on `"`
                            // gives names and values in turn; values hold no `"` by construction, so
                            // check that the names are plain and the values hold no `<`.
                            let parts: Vec<&str> = inner.split('"').collect();
                            assert_eq!(parts.len() % 2, 1, "balanced quotes: {text}");
                            for (i, part) in parts.iter().enumerate() {
                                if i % 2 == 0 {
                                    let name = part.trim().trim_end_matches('=');
                                    assert!(name.is_empty() || name.bytes().all(|b| b.is_ascii_lowercase()), "{text}");
                                } else {
                                    assert!(!part.contains('<') && !part.contains('>'), "{text}");
                                }
                            }
                            let names: Vec<&str> = parts
                                .iter()
                                .step_by(2)
                                .map(|p| p.trim().trim_end_matches('='))
                                .filter(|n| !n.is_empty())
                                .collect();
                            assert_eq!(names, ["src", "title", "width", "height", "loading", "sandbox"], "{text}");
                            count += 1;
                        }
                    }
                }
            }
        }
        assert!(count > 1_000, "{count} snippets checked");
    }
}
