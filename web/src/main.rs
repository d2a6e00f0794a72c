//! Entry point of the playground's wasm binary: mounts [`paxos_web::App`] on `<body>`.

fn main() {
    // A panic shows as a readable message on the page and in the console, not as a dead page
    // (in release builds, web/panic.js shows it).
    #[cfg(debug_assertions)]
    paxos_web::install_panic_hook();
    yew::Renderer::<paxos_web::App>::new().render();
}
