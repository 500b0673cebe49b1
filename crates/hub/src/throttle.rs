//! Sign-in throttling against guessing, keyed by e-mail and by client address (governor).
//!
//! Its memory is bounded whatever arrives: a key is a fixed-size digest (never the text sent),
//! keys whose limit has fully refilled are pruned, and at most [`MAX_KEYS`] of each are kept.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// How many e-mails (and as many client addresses) the throttle remembers at most: a few hundred
/// KiB. Only keys tried within the last minute count, so reaching it takes a flood from thousands
/// of addresses; then new keys are refused for a minute rather than forgetting the guesses made.
pub(crate) const MAX_KEYS: usize = 10_000;

/// The wait answered while the throttle is full: by then every key has refilled and is pruned.
const FULL_RETRY_AFTER_SECS: u64 = 60;

/// Two keyed limiters: one per e-mail address (guessing one account's password from many
/// addresses), one per client address (trying many accounts from one address).
#[derive(Debug)]
pub struct SignInThrottle {
    by_email: DefaultKeyedRateLimiter<[u8; 32]>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    max_keys: usize,
}

impl SignInThrottle {
    pub fn new(per_minute: u32) -> Self {
        Self::with_capacity(per_minute, MAX_KEYS)
    }

    /// A throttle remembering at most `max_keys` e-mails and as many addresses.
    pub fn with_capacity(per_minute: u32, max_keys: usize) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(per_minute);
        Self {
            by_email: RateLimiter::keyed(quota),
            by_address: RateLimiter::keyed(quota),
            max_keys,
        }
    }

    /// Counts one attempt; refuses it (429, with the wait) when either key is over its quota, or
    /// when the throttle is full of recent keys.
    pub fn check(&self, email: &str, address: Option<IpAddr>) -> ApiResult<()> {
        let clock = DefaultClock::default();
        let refuse = |not_until: governor::NotUntil<_>| ApiError::Throttled {
            retry_after_secs: not_until.wait_time_from(clock.now()).as_secs().max(1),
        };
        let key: [u8; 32] = Sha256::digest(email.trim().to_lowercase()).into();
        self.make_room(&self.by_email)?;
        self.by_email.check_key(&key).map_err(refuse)?;
        if let Some(address) = address {
            self.make_room(&self.by_address)?;
            self.by_address.check_key(&address).map_err(refuse)?;
        }
        Ok(())
    }

    /// How many keys (e-mails and addresses) are remembered now.
    pub fn key_count(&self) -> usize {
        self.by_email.len() + self.by_address.len()
    }

    /// Forgets every key whose limit has fully refilled and gives the memory back; the hub runs
    /// it every minute.
    pub fn prune(&self) {
        self.by_email.prune();
        self.by_address.prune();
    }

    fn make_room<K: std::hash::Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
    ) -> ApiResult<()> {
        if limiter.len() < self.max_keys {
            return Ok(());
        }
        limiter.prune();
        if limiter.len() < self.max_keys {
            return Ok(());
        }
        tracing::warn!(
            keys = limiter.len(),
            "sign-in throttle full: refusing new sign-in keys for a minute"
        );
        Err(ApiError::Throttled {
            retry_after_secs: FULL_RETRY_AFTER_SECS,
        })
    }
}

/// Pruning of one keyed limiter, whatever its key.
trait Prune {
    fn prune(&self);
}

impl<K: std::hash::Hash + Eq + Clone> Prune for DefaultKeyedRateLimiter<K> {
    fn prune(&self) {
        self.retain_recent();
        self.shrink_to_fit();
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

    #[test]
    fn a_flood_of_unique_emails_from_many_addresses_never_grows_past_the_cap() {
        let throttle = SignInThrottle::with_capacity(5, 100);
        for n in 0..1000u32 {
            let address = IpAddr::from(n.to_be_bytes());
            let _ = throttle.check(
                &format!("{}{n}@example.com", "x".repeat(200)),
                Some(address),
            );
            assert!(throttle.key_count() <= 200, "{} keys", throttle.key_count());
        }
    }

    #[test]
    fn a_full_throttle_refuses_new_keys_rather_than_forget_the_guesses() {
        let throttle = SignInThrottle::with_capacity(5, 3);
        for n in 0..3 {
            throttle
                .check(&format!("user{n}@example.com"), None)
                .unwrap();
        }
        // Each key was tried within the last 12 s (one refill of 5 a minute), so none is pruned
        // unless the machine stalled that long.
        if throttle.key_count() == 3 {
            assert!(matches!(
                throttle.check("user9@example.com", None),
                Err(ApiError::Throttled { .. })
            ));
        }
    }
}
