//! The simulator's speed in the browser: `paxos bench`'s workloads compiled to wasm32 and run in
//! headless Chromium (`cargo xtask test`, step `wasm-test`, which builds it with `--release`).
//! It prints figures for `BENCHMARKS.md`; it asserts only that the work was done, never on time.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const DELIVERIES: u64 = 1_000_000;

#[wasm_bindgen_test]
fn deliveries_per_second_in_the_browser() {
    for (name, faults) in [("steady state", false), ("under faults", true)] {
        let config = paxos_sim::bench::config(faults);
        let started = js_sys::Date::now();
        let work = paxos_sim::bench::world_only(&config, DELIVERIES);
        let bare = work.deliveries as f64 / ((js_sys::Date::now() - started) / 1e3);
        let started = js_sys::Date::now();
        let checked = paxos_sim::bench::checked(&config, DELIVERIES);
        let with_checkers = checked.deliveries as f64 / ((js_sys::Date::now() - started) / 1e3);
        assert_eq!((work.deliveries, checked.deliveries), (DELIVERIES, DELIVERIES));
        console_log!(
            "browser bench, {name}: {:.2} M deliveries/s simulated, {:.2} M/s with every checker on",
            bare / 1e6,
            with_checkers / 1e6
        );
    }
}
