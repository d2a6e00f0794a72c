//! Numbers with a fixed count of decimals, written with integer arithmetic.
//!
//! `format!("{:.1}", x)` pulls `core::fmt`'s float printing (Grisu, Dragon4 and their tables) into
//! the playground's WebAssembly: about 10 KB gzipped for a few coordinates and durations. Every
//! number the simulator and the page print with decimals goes through [`fixed`] or [`ms`] instead.

use core::fmt;

use crate::trace::Time;

/// `x` rounded to `places` decimals (half away from zero), e.g. `fixed(-2.25, 1)` prints `-2.3`.
/// Magnitudes beyond ±9.2e18 / 10^places print as the nearest that fits; NaN prints as 0.
pub fn fixed(x: f64, places: u8) -> Fixed {
    let scale = 10i64.pow(u32::from(places.min(6)));
    // `as` saturates (and maps NaN to 0), so no input panics.
    Fixed { scaled: (x * scale as f64).round() as i64, scale }
}

/// A time in µs as milliseconds with one decimal, e.g. `ms(1_250)` prints `1.3`.
pub fn ms(time: Time) -> Fixed {
    let tenths = time / 100 + u64::from(time % 100 >= 50);
    Fixed { scaled: i64::try_from(tenths).unwrap_or(i64::MAX), scale: 10 }
}

/// A number as an integer count of `1 / scale`; see [`fixed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixed {
    scaled: i64,
    scale: i64,
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.scaled < 0 { "-" } else { "" };
        let magnitude = self.scaled.unsigned_abs();
        let scale = self.scale.unsigned_abs();
        write!(f, "{sign}{}", magnitude / scale)?;
        if scale > 1 {
            let width = scale.ilog10() as usize;
            write!(f, ".{:0width$}", magnitude % scale)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_what_format_prints_away_from_ties() {
        for x in [0.0, 1.0, -1.0, 12.34, -12.36, 0.04, -3.06, 99.96, 1234567.891, 20.4, -18.7] {
            for places in 0..=3u8 {
                let places_usize = usize::from(places);
                assert_eq!(fixed(x, places).to_string(), format!("{x:.places_usize$}"), "{x} to {places} places");
            }
        }
    }

    #[test]
    fn rounds_half_away_from_zero_and_never_prints_minus_zero() {
        assert_eq!(fixed(2.5, 0).to_string(), "3");
        assert_eq!(fixed(-2.5, 0).to_string(), "-3");
        assert_eq!(fixed(-0.01, 1).to_string(), "0.0");
        assert_eq!(fixed(f64::NAN, 1).to_string(), "0.0");
        assert_eq!(fixed(f64::INFINITY, 0).to_string(), i64::MAX.to_string());
    }

    #[test]
    fn milliseconds_from_microseconds() {
        assert_eq!(ms(0).to_string(), "0.0");
        assert_eq!(ms(1_249).to_string(), "1.2");
        assert_eq!(ms(1_250).to_string(), "1.3");
        assert_eq!(ms(300_000).to_string(), "300.0");
        assert_eq!(ms(u64::MAX).to_string(), "18446744073709551.6");
    }
}
