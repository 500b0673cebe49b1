//! Kisi's rate limit (kisi-api.md, "General"): per Kisi user, shared by all that user's logins;
//! per IP for requests without a valid login. A GCRA token bucket (governor) whose burst equals the
//! per-second rate, timed by the emulator's clock so a test can advance time to refill it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::VirtualClock;
use crate::errors::ApiError;
use crate::lock;

/// Whose budget a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RateKey {
    User(u64),
    AccessLink(u64),
    Ip(IpAddr),
}

/// The emulator clock's monotonic reading, as governor wants it.
#[derive(Debug, Clone)]
struct EmulatorClock(Arc<VirtualClock>);

impl Clock for EmulatorClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.0.monotonic()
    }
}

type KeyedLimiter =
    RateLimiter<RateKey, HashMapStateStore<RateKey>, EmulatorClock, NoOpMiddleware<Duration>>;

#[derive(Debug)]
pub(crate) struct RateLimits {
    clock: Arc<VirtualClock>,
    /// `None` while the limit is off; replaced whole when the rate changes.
    limiter: Mutex<Option<Arc<KeyedLimiter>>>,
    /// Requests let through and refused (429), per key: tests count what one Kisi user spent.
    counts: Mutex<HashMap<RateKey, RequestCounts>>,
}

/// How many requests of one user (or IP) the rate limit let through and refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    pub allowed: u64,
    pub rate_limited: u64,
}

impl RateLimits {
    pub(crate) fn new(clock: Arc<VirtualClock>, per_second: Option<u32>) -> Self {
        let limits = Self {
            clock,
            limiter: Mutex::new(None),
            counts: Mutex::new(HashMap::new()),
        };
        limits.set(per_second);
        limits
    }

    /// Sets requests per second (and burst); `None` or `Some(0)` turns the limit off.
    pub(crate) fn set(&self, per_second: Option<u32>) {
        let limiter = per_second.and_then(NonZeroU32::new).map(|rate| {
            Arc::new(RateLimiter::hashmap_with_clock(
                Quota::per_second(rate),
                EmulatorClock(Arc::clone(&self.clock)),
            ))
        });
        *lock(&self.limiter) = limiter;
    }

    /// Spends one request of `key`'s budget, or says when to retry (whole seconds, at least 1).
    pub(crate) fn check(&self, key: RateKey) -> Result<(), ApiError> {
        let result = self.spend(key);
        let mut counts = lock(&self.counts);
        let count = counts.entry(key).or_default();
        match result {
            Ok(()) => count.allowed += 1,
            Err(_) => count.rate_limited += 1,
        }
        result
    }

    /// What the rate limit saw of `key` so far.
    pub(crate) fn counts(&self, key: RateKey) -> RequestCounts {
        lock(&self.counts).get(&key).copied().unwrap_or_default()
    }

    fn spend(&self, key: RateKey) -> Result<(), ApiError> {
        let Some(limiter) = lock(&self.limiter).clone() else {
            return Ok(());
        };
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.monotonic());
            let retry_after_seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ApiError::RateLimited {
                retry_after_seconds: retry_after_seconds.max(1),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_a_burst_of_five_then_waits_until_time_moves() {
        let clock = Arc::new(VirtualClock::new());
        let limits = RateLimits::new(Arc::clone(&clock), Some(5));
        for _ in 0..5 {
            assert_eq!(limits.check(RateKey::User(1)), Ok(()));
        }
        assert!(matches!(
            limits.check(RateKey::User(1)),
            Err(ApiError::RateLimited { .. })
        ));
        clock.advance(Duration::from_secs(1));
        assert_eq!(limits.check(RateKey::User(1)), Ok(()));
    }

    #[test]
    fn what_a_user_spent_and_was_refused_is_counted() {
        let limits = RateLimits::new(Arc::new(VirtualClock::new()), Some(1));
        assert_eq!(limits.check(RateKey::User(1)), Ok(()));
        assert!(limits.check(RateKey::User(1)).is_err());
        assert_eq!(
            limits.counts(RateKey::User(1)),
            RequestCounts {
                allowed: 1,
                rate_limited: 1
            }
        );
    }

    #[test]
    fn users_have_separate_budgets() {
        let limits = RateLimits::new(Arc::new(VirtualClock::new()), Some(1));
        assert_eq!(limits.check(RateKey::User(1)), Ok(()));
        assert_eq!(limits.check(RateKey::User(2)), Ok(()));
    }

    #[test]
    fn turning_the_limit_off_lets_everything_through() {
        let limits = RateLimits::new(Arc::new(VirtualClock::new()), Some(1));
        limits.set(None);
        for _ in 0..50 {
            assert_eq!(limits.check(RateKey::User(1)), Ok(()));
        }
    }
}
