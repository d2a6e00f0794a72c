//! The Paxos playground's web front end: Yew components, mounted by `main.rs`.
//!
//! For now this is a placeholder page; the real playground replaces [`App`].

use yew::prelude::*;

/// The whole page: a heading and a status line.
#[function_component]
pub fn App() -> Html {
    html! {
        <main class="app">
            <h1>{ "Paxos playground" }</h1>
            <p class="status">{ "loading…" }</p>
        </main>
    }
}
