//! Entry point of the playground's wasm binary: mounts [`paxos_web::App`] on `<body>`.

fn main() {
    // Panics show up as readable messages in the browser console instead of "unreachable".
    console_error_panic_hook::set_once();
    yew::Renderer::<paxos_web::App>::new().render();
}
