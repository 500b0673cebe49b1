//! Sign-in throttling against guessing, keyed by e-mail and by client address (governor).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{ApiError, ApiResult};

/// Two keyed limiters: one per e-mail address (guessing one account's password from many
/// addresses), one per client address (trying many accounts from one address).
#[derive(Debug)]
pub struct SignInThrottle {
    by_email: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl SignInThrottle {
    pub fn new(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute);
        Self {
            by_email: RateLimiter::keyed(quota),
            by_address: RateLimiter::keyed(quota),
        }
    }

    /// Counts one attempt; refuses it (429, with the wait) when either key is over its quota.
    pub fn check(&self, email: &str, address: Option<IpAddr>) -> ApiResult<()> {
        let clock = DefaultClock::default();
        let refuse = |not_until: governor::NotUntil<_>| ApiError::Throttled {
            retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
        };
        self.by_email
            .check_key(&email.trim().to_lowercase())
            .map_err(refuse)?;
        if let Some(address) = address {
            self.by_address.check_key(&address).map_err(refuse)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_for_one_email_within_a_minute_is_refused() {
        let throttle = SignInThrottle::new(5);
        for _ in 0..5 {
            throttle.check("Ana@Example.com", None).unwrap();
        }
        let refused = throttle.check("ana@example.com ", None).unwrap_err();
        assert!(
            matches!(refused, ApiError::Throttled { retry_after_secs } if retry_after_secs >= 1)
        );
        assert!(throttle.check("ben@example.com", None).is_ok());
    }

    #[test]
    fn one_address_trying_many_accounts_is_refused_too() {
        let throttle = SignInThrottle::new(3);
        let address: IpAddr = [10, 0, 0, 7].into();
        for n in 0..3 {
            throttle
                .check(&format!("user{n}@example.com"), Some(address))
                .unwrap();
        }
        assert!(throttle.check("user9@example.com", Some(address)).is_err());
        assert!(
            throttle
                .check("user9@example.com", Some([10, 0, 0, 8].into()))
                .is_ok()
        );
    }
}
