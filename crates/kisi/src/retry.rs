//! Bounded retries with exponential backoff and full jitter.
//!
//! A small function rather than `backon`: the one twist we need, honouring Kisi's `Retry-After`
//! on 429, sits awkwardly in a generic retry crate, and the whole policy fits in a screen.

use std::time::Duration;

use rand::Rng;

/// How often and how patiently a failed call is tried again (only 429, 5xx, timeouts and
/// network failures are; see [`crate::KisiError::is_retryable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included; 1 means "never retry".
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry; it doubles for each further retry.
    pub base_delay: Duration,
    /// The backoff ceiling never grows beyond this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether another attempt is allowed after `attempts_made` attempts.
    pub(crate) fn allows_another(&self, attempts_made: u32) -> bool {
        attempts_made < self.max_attempts
    }

    /// The wait before retry number `retry` (1-based): a uniformly random time up to
    /// `base_delay * 2^(retry-1)` capped at `max_delay` ("full jitter", so clients that failed
    /// together do not retry together). Kisi's `Retry-After` is a floor, never shortened.
    pub(crate) fn delay_before(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let jittered = ceiling.mul_f64(rand::rng().random_range(0.0..=1.0));
        retry_after.map_or(jittered, |floor| jittered.max(floor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_the_doubling_ceiling() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        for _ in 0..200 {
            assert!(policy.delay_before(1, None) <= Duration::from_millis(100));
            assert!(policy.delay_before(3, None) <= Duration::from_millis(400));
            assert!(
                policy.delay_before(9, None) <= Duration::from_secs(1),
                "capped at max_delay"
            );
        }
    }

    #[test]
    fn backoff_is_jittered_not_constant() {
        let policy = RetryPolicy::default();
        let delays: std::collections::HashSet<_> =
            (0..50).map(|_| policy.delay_before(3, None)).collect();
        assert!(delays.len() > 1);
    }

    #[test]
    fn retry_after_is_a_floor() {
        let policy = RetryPolicy::default();
        assert!(policy.delay_before(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        assert!(policy.allows_another(2));
        assert!(!policy.allows_another(3));
        assert!(!RetryPolicy::never().allows_another(1));
    }
}
