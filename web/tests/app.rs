//! Browser test: mounts [`paxos_web::App`] and checks that it runs the simulation and lists its trace.
//!
//! Runs in headless Chromium via `cargo test -p paxos-web --target wasm32-unknown-unknown`
//! (`cargo xtask test --only wasm-test`). Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_runs_the_simulation_and_lists_the_trace() {
    let document = web_sys::window().expect("a window").document().expect("a document");
    let root = document.create_element("div").expect("create <div>");
    document.body().expect("a <body>").append_child(&root).expect("append <div>");

    yew::Renderer::<paxos_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let html = root.inner_html();
    assert!(html.contains("<h1>Paxos playground</h1>"), "unexpected markup: {html}");
    assert!(html.contains("every invariant held"), "no verdict: {html}");
    let items = root.query_selector_all("ol.trace li").expect("a selector");
    assert_eq!(items.length() as usize, paxos_web::LINES_SHOWN);
    assert!(html.contains("Prepare"), "phase 1 is in the trace");
}
