//! The Paxos playground's web front end.
//!
//! For now a minimal page: it runs a 5-node Multi-Paxos simulation from a seed, in the browser, and
//! lists its trace. The model ([`TraceRun`]) is plain Rust, unit-tested natively; the [`App`]
//! component only draws it and turns the form into a new seed.

use paxos_sim::trace::describe;
use paxos_sim::{SimConfig, simulate};
use yew::prelude::*;

/// How long the simulated run lasts, ms of virtual time.
pub const RUN_MS: u64 = 3_000;

/// How many trace lines the page shows.
pub const LINES_SHOWN: usize = 400;

/// A finished run, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRun {
    /// The seed it ran from.
    pub seed: u64,
    /// One line of figures.
    pub summary: String,
    /// Whether every invariant held.
    pub safe: bool,
    /// The first trace events, as `(time in ms, what happened)`.
    pub lines: Vec<(String, String)>,
    /// How many events the trace has in all.
    pub events: usize,
}

/// Reads a seed as a person types it: a whole number from 0 to 2⁶⁴ − 1.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let text = text.trim();
    text.parse().map_err(|_| format!("'{text}' is not a seed: type a whole number from 0 to 18446744073709551615"))
}

/// The seed in a page address's query (`?seed=42`), if it has one.
pub fn seed_in_query(query: &str) -> Option<&str> {
    query.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix("seed="))
}

/// Runs 5-node Multi-Paxos from `seed` for [`RUN_MS`] and keeps what the page shows.
pub fn run(seed: u64) -> TraceRun {
    let config = SimConfig { seed, duration_ms: RUN_MS, ..SimConfig::default() };
    let mut sim = simulate(&config).expect("the default configuration is valid");
    sim.run_to_end();
    let summary = sim.summary();
    let trace = sim.trace();
    let lines = trace
        .events()
        .iter()
        .take(LINES_SHOWN)
        .map(|event| (format!("{:.3}", event.time as f64 / 1e3), describe(trace, event)))
        .collect();
    let verdict = match sim.violations() {
        [] => "every invariant held".to_string(),
        violations => violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
    };
    let median = summary.delay_percentile(50).map_or("-".into(), |d| d.to_string());
    TraceRun {
        seed,
        summary: format!(
            "{} ms of virtual time: {} commands completed, {} messages between nodes, {median} message delays \
             per commit (median); {verdict}.",
            RUN_MS, summary.completed, summary.messages
        ),
        safe: sim.violations().is_empty(),
        lines,
        events: trace.len(),
    }
}

/// The whole page.
#[component]
pub fn App() -> Html {
    let initial = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|query| seed_in_query(&query).map(str::to_string))
        .unwrap_or_else(|| "1".to_string());
    let text = use_state(|| initial.clone());
    let outcome = use_state(|| parse_seed(&initial).map(run));

    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            text.set(input.value());
        })
    };
    let onsubmit = {
        let (text, outcome) = (text.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            outcome.set(parse_seed(&text).map(run));
        })
    };

    html! {
        <main class="app">
            <h1>{ "Paxos playground" }</h1>
            <p class="lede">
                { "A 5-node Multi-Paxos cluster with three clients, simulated in your browser from a seed: \
                   the same seed gives the same run, on any machine. The interactive playground is on its way; \
                   here is the simulator's trace." }
            </p>
            <form class="seed" {onsubmit}>
                <label for="seed">{ "Seed" }</label>
                <input id="seed" inputmode="numeric" value={(*text).clone()} {oninput} />
                <button type="submit">{ "Run" }</button>
            </form>
            { match &*outcome {
                Err(message) => html! { <p class="error" role="alert">{ message }</p> },
                Ok(trace) => view_trace(trace),
            } }
        </main>
    }
}

fn view_trace(trace: &TraceRun) -> Html {
    html! {
        <>
            <p class={classes!("summary", if trace.safe { "safe" } else { "unsafe" })}>{ &trace.summary }</p>
            <p class="count">
                { format!("Seed {}: the first {} of {} events.", trace.seed, trace.lines.len(), trace.events) }
            </p>
            <ol class="trace">
                { for trace.lines.iter().map(|(time, what)| html! {
                    <li><time>{ format!("{time} ms") }</time>{ " " }<span>{ what }</span></li>
                }) }
            </ol>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_read_with_a_clear_message_for_mistakes() {
        assert_eq!(parse_seed(" 42 "), Ok(42));
        assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_seed("-3"),
            Err("'-3' is not a seed: type a whole number from 0 to 18446744073709551615".to_string())
        );
        assert!(parse_seed("abc").is_err());
        assert!(parse_seed("18446744073709551616").is_err());
    }

    #[test]
    fn the_seed_comes_from_the_query() {
        assert_eq!(seed_in_query("?seed=7"), Some("7"));
        assert_eq!(seed_in_query("?x=1&seed=9"), Some("9"));
        assert_eq!(seed_in_query(""), None);
    }

    /// The trace starts with a client's request and the election it triggers (phase 1).
    #[test]
    fn a_run_lists_its_trace_and_holds_every_invariant() {
        let trace = run(1);
        assert!(trace.safe, "{}", trace.summary);
        assert_eq!(trace.lines.len(), LINES_SHOWN);
        assert!(trace.events > LINES_SHOWN);
        assert!(trace.lines.iter().any(|(_, what)| what.contains("Prepare")));
        assert!(trace.lines.iter().any(|(_, what)| what.contains("is now leader")));
        assert_eq!(run(1), trace, "the same seed gives the same run");
    }
}
