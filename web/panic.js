// A panic in the release wasm traps at once (no message, no location: crates/xtask/src/tools.rs says
// why) and reaches the page as an uncaught WebAssembly.RuntimeError. This says so on the page instead of
// leaving it dead: the words are the catalogue's `page.panic`, which the wasm puts in <html data-panic>
// when a catalogue arrives. (Debug builds also have a Rust panic hook, which shows the panic's own words
// first; then this stays quiet.)
(() => {
  const show = (error) => {
    if (!(error instanceof WebAssembly.RuntimeError) || document.querySelector('.panic')) return;
    const banner = document.createElement('div');
    banner.className = 'panic';
    banner.setAttribute('role', 'alert');
    const words = document.documentElement.dataset.panic || '{info}';
    banner.textContent = words.replace('{info}', error.message);
    document.body.prepend(banner);
  };
  addEventListener('error', (event) => show(event.error));
  addEventListener('unhandledrejection', (event) => show(event.reason));
})();
