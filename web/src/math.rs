//! The few transcendental functions the page needs (node positions on a circle, the log-scale speed
//! slider, wheel zoom, grid steps). In the browser they come from JavaScript's `Math`: Rust's own
//! (libm, compiled into the wasm) would add about 4 KB gzipped. Native builds (the unit tests) use
//! Rust's. Nothing here feeds the simulation, so the last bit may differ between browsers.

#[cfg(target_arch = "wasm32")]
pub use web_sys::js_sys::Math::{cos, exp, log10, pow, sin};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    pub fn cos(x: f64) -> f64 {
        x.cos()
    }
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
    pub fn exp(x: f64) -> f64 {
        x.exp()
    }
    pub fn log10(x: f64) -> f64 {
        x.log10()
    }
    pub fn pow(base: f64, exponent: f64) -> f64 {
        base.powf(exponent)
    }
}
#[cfg(not(target_arch = "wasm32"))]
pub use native::{cos, exp, log10, pow, sin};
