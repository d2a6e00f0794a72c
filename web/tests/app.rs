//! Browser tests of the components: mount [`paxos_web::App`] and check what a person sees and can do.
//!
//! Runs in headless Chromium via `cargo test -p paxos-web --target wasm32-unknown-unknown`
//! (`cargo xtask test --only wasm-test`). Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app in a fresh `<div>` and lets it render. The address is cleared first: the app
/// writes the run into it, and a test's actions must not become the next test's link.
async fn mount() -> Element {
    let window = web_sys::window().expect("a window");
    let path = window.location().pathname().expect("a path");
    window
        .history()
        .expect("a history")
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .expect("clear the query");
    let document = window.document().expect("a document");
    let root = document.create_element("div").expect("create <div>");
    // The page speaks once its catalogue is there: the repository's English one (the page's own
    // fetch of lang/en.json finds no file next to the test runner's page, and only adds a banner).
    paxos_web::i18n::install(paxos_play::lang::builtin(paxos_play::lang::Lang::En));
    document.body().expect("a <body>").append_child(&root).expect("append <div>");
    yew::Renderer::<paxos_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn attr(root: &Element, selector: &str, name: &str) -> String {
    let element = root.query_selector(selector).expect("a selector").unwrap_or_else(|| panic!("no {selector}"));
    element.get_attribute(name).unwrap_or_else(|| panic!("{selector} has no {name}"))
}

fn click(root: &Element, selector: &str) {
    let element = root.query_selector(selector).expect("a selector").unwrap_or_else(|| panic!("no {selector}"));
    element.dyn_into::<HtmlElement>().expect("an HTML element").click();
}

/// The first page: five nodes on a circle, every role readable by shape and name, the checker's
/// invariants all green, the timeline canvas, the time controls.
#[wasm_bindgen_test]
async fn the_page_shows_the_cluster_the_checker_and_the_controls() {
    let root = mount().await;
    let html = root.inner_html();
    assert!(html.contains("<h1>Paxos playground</h1>"), "unexpected markup: {html}");
    assert_eq!(root.query_selector_all("svg.cluster g.node").expect("a selector").length(), 5);
    let invariants = root.query_selector_all("#safety li.ok").expect("a selector").length();
    assert!(invariants >= 3, "the safety panel lists the invariants ({invariants} shown)");
    assert_eq!(root.query_selector_all("#safety li.bad").expect("a selector").length(), 0);
    assert!(root.query_selector("canvas.lamport").expect("a selector").is_some());
    for id in ["#play", "#step", "#step-back", "#heal", "#speed", "#seek", "#scenario", "#protocol"] {
        assert!(root.query_selector(id).expect("a selector").is_some(), "{id} is on the page");
    }
}

/// Stepping moves the cursor one event forward, and stepping back returns to the same moment.
#[wasm_bindgen_test]
async fn stepping_forward_and_back_moves_the_cursor() {
    let root = mount().await;
    click(&root, "#step");
    yew::scheduler::flush().await;
    let start = attr(&root, "svg.cluster", "data-time");
    for _ in 0..40 {
        click(&root, "#step");
        yew::scheduler::flush().await;
    }
    let later = attr(&root, "svg.cluster", "data-time");
    assert!(later.parse::<u64>().unwrap() > start.parse::<u64>().unwrap(), "{start} → {later}");
    let clock = root.query_selector("#clock").unwrap().unwrap().text_content().unwrap();
    assert!(clock.contains("event"), "the clock names the event shown: {clock}");
    for _ in 0..40 {
        click(&root, "#step-back");
        yew::scheduler::flush().await;
    }
    assert_eq!(attr(&root, "svg.cluster", "data-time"), start);
}

/// Crashing a node from the inspector greys it and marks it crashed; restarting brings it back.
#[wasm_bindgen_test]
async fn a_node_can_be_crashed_and_restarted_from_the_inspector() {
    let root = mount().await;
    for _ in 0..10 {
        click(&root, "#step");
    }
    yew::scheduler::flush().await;
    // A click on a node (pointer down and up without moving) selects it for the inspector.
    let node = root.query_selector("g.node[data-node=\"n2\"]").unwrap().unwrap();
    let rect = node.get_bounding_client_rect();
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + rect.width() / 2.0) as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    let down = web_sys::PointerEvent::new_with_event_init_dict("pointerdown", &init).unwrap();
    node.dispatch_event(&down).unwrap();
    let up = web_sys::PointerEvent::new_with_event_init_dict("pointerup", &init).unwrap();
    root.query_selector("svg.cluster").unwrap().unwrap().dispatch_event(&up).unwrap();
    yew::scheduler::flush().await;
    click(&root, "#crash");
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "g.node[data-node=\"n2\"]", "data-status"), "crashed");
    assert!(attr(&root, "g.node[data-node=\"n2\"]", "class").contains("down"));
    let restart = root.query_selector("#inspector button").unwrap().unwrap();
    assert_eq!(restart.text_content().unwrap(), "Restart");
    restart.dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_ne!(attr(&root, "g.node[data-node=\"n2\"]", "data-status"), "crashed");
}

/// The help overlay opens from its button and closes on a click.
#[wasm_bindgen_test]
async fn the_help_overlay_opens_and_closes() {
    let root = mount().await;
    click(&root, ".help-button");
    yew::scheduler::flush().await;
    assert!(root.query_selector(".overlay").unwrap().is_some());
    click(&root, ".overlay");
    yew::scheduler::flush().await;
    assert!(root.query_selector(".overlay").unwrap().is_none());
}

/// Right-clicking a node opens its action menu over it (placed through the CSSOM, since the CSP
/// blocks style attributes), and the menu's actions act on that node.
#[wasm_bindgen_test]
async fn the_node_menu_opens_over_its_node_and_acts_on_it() {
    let root = mount().await;
    let node = root.query_selector("g.node[data-node=\"n3\"]").unwrap().unwrap();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let menu = web_sys::MouseEvent::new_with_mouse_event_init_dict("contextmenu", &init).unwrap();
    node.dispatch_event(&menu).unwrap();
    yew::scheduler::flush().await;
    let menu = root.query_selector(".node-menu").unwrap().expect("the node menu is open");
    assert_eq!(menu.get_attribute("aria-label").as_deref(), Some("Actions for n3"));
    let style = menu.dyn_ref::<HtmlElement>().unwrap().style();
    for side in ["left", "top"] {
        let at: f64 = attr(&root, ".node-menu", &format!("data-{side}")).parse().expect("a percentage");
        assert!((0.0..=100.0).contains(&at), "{side} {at}");
        let placed = style.get_property_value(side).unwrap();
        let placed: f64 =
            placed.strip_suffix('%').and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("{side}: {placed}"));
        assert_eq!(placed, at, "the menu's {side}");
    }
    let crash = root.query_selector(".node-menu button").unwrap().unwrap();
    assert_eq!(crash.text_content().unwrap(), "Crash (c)");
    crash.dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "g.node[data-node=\"n3\"]", "data-status"), "crashed");
    assert!(root.query_selector(".node-menu").unwrap().is_none(), "acting closes the menu");
}
