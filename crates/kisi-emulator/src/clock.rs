//! The emulator's virtual clock: real time unless a test freezes it, and movable forward so tests
//! can cross a `valid_from`/`valid_until` boundary instead of sleeping.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

use crate::lock;

/// Wall-clock time as the emulator sees it, plus a monotonic reading for the rate limiter.
#[derive(Debug)]
pub(crate) struct VirtualClock {
    started: Instant,
    state: Mutex<ClockState>,
}

#[derive(Debug, Default)]
struct ClockState {
    /// `Some` once a test froze the clock: time then moves only through `advance`.
    frozen_at: Option<DateTime<Utc>>,
    /// Added to real time while the clock runs freely.
    offset: TimeDelta,
    /// Everything `advance` ever added; lets rate-limit buckets refill when a test moves time.
    advanced: Duration,
}

impl VirtualClock {
    pub(crate) fn new() -> Self {
        Self {
            started: Instant::now(),
            state: Mutex::new(ClockState::default()),
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        let state = lock(&self.state);
        state.frozen_at.unwrap_or_else(|| Utc::now() + state.offset)
    }

    /// Freezes the clock at `at`.
    pub(crate) fn set(&self, at: DateTime<Utc>) {
        lock(&self.state).frozen_at = Some(at);
    }

    /// Moves the clock forward, frozen or not.
    pub(crate) fn advance(&self, by: Duration) {
        let mut state = lock(&self.state);
        let delta = TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
        match state.frozen_at.as_mut() {
            Some(frozen) => *frozen = frozen.checked_add_signed(delta).unwrap_or(*frozen),
            None => state.offset = state.offset.checked_add(&delta).unwrap_or(state.offset),
        }
        state.advanced = state.advanced.saturating_add(by);
    }

    /// Real time since start plus every advance. Freezing does not stop it, so a test that freezes
    /// the calendar is not locked out by the rate limit forever; advancing refills the buckets.
    pub(crate) fn monotonic(&self) -> Duration {
        let advanced = lock(&self.state).advanced;
        self.started.elapsed().saturating_add(advanced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = VirtualClock::new();
        let at = "2026-03-02T09:00:00Z".parse::<DateTime<Utc>>().unwrap();
        clock.set(at);
        assert_eq!(clock.now(), at);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.now(), at + TimeDelta::seconds(90));
    }

    #[test]
    fn advancing_a_running_clock_shifts_it_and_the_monotonic_reading() {
        let clock = VirtualClock::new();
        let before = clock.monotonic();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() > Utc::now() + TimeDelta::minutes(59));
        assert!(clock.monotonic() >= before + Duration::from_secs(3600));
    }
}
