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
    /// A 429 whose `Retry-After` asks for a longer wait is returned to the caller at once
    /// (as `RateLimited` with the wait), so a worker can reschedule instead of blocking.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
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

    /// The wait before the next attempt, after `attempts_made` attempts of which the last one
    /// failed retryably; `None` when the bound is reached or Kisi asked for too long a wait.
    pub(crate) fn next_delay(
        &self,
        attempts_made: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let too_long = retry_after.is_some_and(|wait| wait > self.max_retry_after);
        (attempts_made < self.max_attempts && !too_long)
            .then(|| self.delay_before(attempts_made, retry_after))
    }

    /// The wait before retry number `retry` (1-based): a uniformly random time up to
    /// `base_delay * 2^(retry-1)` capped at `max_delay` ("full jitter", so clients that failed
    /// together do not retry together). Kisi's `Retry-After` is a floor, never shortened.
    fn delay_before(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
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
            ..RetryPolicy::default()
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
    fn a_retry_after_longer_than_allowed_is_left_to_the_caller() {
        let policy = RetryPolicy::default();
        assert!(
            policy
                .next_delay(1, Some(Duration::from_secs(10)))
                .is_some()
        );
        assert_eq!(policy.next_delay(1, Some(Duration::from_secs(11))), None);
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        assert!(policy.next_delay(2, None).is_some());
        assert_eq!(policy.next_delay(3, None), None);
        assert_eq!(RetryPolicy::never().next_delay(1, None), None);
    }
}
