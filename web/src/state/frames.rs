//! What played frames cost (simulate, picture, view, diff, draw), for the benchmark (e2e/bench.mjs):
//! every 60 frames the median and 95th percentile of the last ones.

/// The last frames' durations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frames {
    /// Milliseconds each of the last frames took to update and draw.
    times: Vec<f64>,
    /// When the frame being rendered started (ms), until it is drawn.
    pub started: Option<f64>,
}

impl Frames {
    /// Forgets the frames so far (playing starts afresh).
    pub fn clear(&mut self) {
        self.times.clear();
    }

    /// Records a frame of `ms`; every 60 frames, returns "median p95 count" (ms, one decimal).
    pub fn record(&mut self, ms: f64) -> Option<String> {
        self.times.push(ms);
        if self.times.len() > 600 {
            self.times.drain(..300);
        }
        if !self.times.len().is_multiple_of(60) {
            return None;
        }
        // Durations are never negative, so their bits sort as they do; through the simulator's
        // one sort instead of another compiled for f64.
        let mut sorted = self.times.clone();
        paxos_sim::sort::sort_by_key(&mut sorted, |ms| (ms.max(0.0).to_bits(), 0));
        let at = |p: usize| sorted[(sorted.len() * p / 100).min(sorted.len() - 1)];
        let fixed = paxos_sim::decimal::fixed;
        Some(format!("{} {} {}", fixed(at(50), 1), fixed(at(95), 1), sorted.len()))
    }

    /// Frame times in ms of the last frames played.
    pub fn times(&self) -> &[f64] {
        &self.times
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every 60th frame reports the median and the 95th percentile; the list keeps at most 600.
    #[test]
    fn every_sixtieth_frame_reports_percentiles() {
        let mut frames = Frames::default();
        for i in 0..59 {
            assert_eq!(frames.record(f64::from(i % 10)), None);
        }
        assert_eq!(frames.record(100.0).as_deref(), Some("5.0 9.0 60"));
        for _ in 0..600 {
            frames.record(1.0);
        }
        assert!(frames.times().len() <= 600);
        frames.clear();
        assert!(frames.times().is_empty());
    }
}
