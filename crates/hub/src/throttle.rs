//! Sign-in throttling against guessing, keyed by e-mail and by client address, counted in the
//! database (issue 14) so every hub on it counts the same attempts: a guesser alternating between
//! two hubs gets no more guesses than on one.
//!
//! The quota is the one the in-memory limiter (governor) kept: `per_minute` attempts at once, one
//! more every minute / `per_minute` (GCRA; the store keeps per key only when its quota is full
//! again). Its size is bounded whatever arrives: a key is a SHA-256 digest (never the text
//! sent), keys whose quota has fully refilled are pruned, and at most [`MAX_KEYS`] of each kind
//! are kept.

use std::net::IpAddr;
use std::time::Duration;

use doorlink_store::{AttemptOutcome, AttemptQuota, Store, ThrottleKind};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// How many e-mails (and as many client addresses) the throttle remembers at most: a few MiB of
/// rows. Only keys tried within the last minute count, so reaching it takes a flood from
/// thousands of addresses; then new keys are refused for a minute rather than forgetting the
/// guesses made.
pub(crate) const MAX_KEYS: usize = 10_000;

/// The wait answered while the throttle is full: by then every key has refilled and is pruned.
const FULL_RETRY_AFTER_SECS: u64 = 60;

/// Two throttles over the store's `sign_in_throttle` rows: one per e-mail address (guessing one
/// account's password from many addresses), one per client address (trying many accounts from
/// one address).
#[derive(Debug, Clone)]
pub struct SignInThrottle {
    store: Store,
    quota: AttemptQuota,
}

impl SignInThrottle {
    pub fn new(store: Store, per_minute: u32) -> Self {
        Self::with_capacity(store, per_minute, MAX_KEYS)
    }

    /// A throttle remembering at most `max_keys` e-mails and as many addresses.
    pub fn with_capacity(store: Store, per_minute: u32, max_keys: usize) -> Self {
        let burst = per_minute.max(1);
        Self {
            store,
            quota: AttemptQuota {
                burst,
                interval: Duration::from_secs(60) / burst,
                max_keys: u64::try_from(max_keys).unwrap_or(u64::MAX),
            },
        }
    }

    /// Counts one attempt; refuses it (429, with the wait) when either key is over its quota, or
    /// when the throttle is full of recent keys.
    ///
    /// A database error refuses the attempt (fails closed, 503 while the database is busy, as
    /// every other route answers then): letting sign-ins through uncounted whenever the database
    /// struggles would hand a guesser unlimited tries exactly when it is loaded, and a sign-in
    /// cannot succeed without the database anyway (the password hash and the session live there).
    pub async fn check(&self, email: &str, address: Option<IpAddr>) -> ApiResult<()> {
        self.count(ThrottleKind::Email, email.trim().to_lowercase().as_bytes())
            .await?;
        if let Some(address) = address {
            self.count(ThrottleKind::Address, address.to_string().as_bytes())
                .await?;
        }
        Ok(())
    }

    /// How many keys (e-mails and addresses) are remembered now.
    pub async fn key_count(&self) -> ApiResult<u64> {
        Ok(self.store.sign_in_attempts().count().await?)
    }

    /// Forgets every key whose quota has fully refilled; the hub runs it every minute.
    pub async fn prune(&self) -> ApiResult<u64> {
        Ok(self.store.sign_in_attempts().prune().await?)
    }

    async fn count(&self, kind: ThrottleKind, key: &[u8]) -> ApiResult<()> {
        let digest: String = Sha256::digest(key)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let outcome = self
            .store
            .sign_in_attempts()
            .attempt(kind, &digest, self.quota)
            .await?;
        match outcome {
            AttemptOutcome::Allowed => Ok(()),
            AttemptOutcome::Refused { retry_after } => Err(ApiError::Throttled {
                retry_after_secs: retry_after.as_secs().max(1),
            }),
            AttemptOutcome::Full { keys } => {
                tracing::warn!(
                    keys,
                    "sign-in throttle full: refusing new sign-in keys for a minute"
                );
                Err(ApiError::Throttled {
                    retry_after_secs: FULL_RETRY_AFTER_SECS,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use chrono::{DateTime, Utc};
    use doorlink_store::Clock;

    use super::*;

    async fn store() -> Store {
        Store::open_in_memory().await.unwrap()
    }

    /// A store whose clock the test moves.
    async fn store_at(millis: Arc<AtomicI64>) -> Store {
        store().await.with_clock(Clock::from_fn(move || {
            DateTime::<Utc>::from_timestamp_millis(millis.load(Ordering::SeqCst)).unwrap()
        }))
    }

    #[tokio::test]
    async fn the_sixth_attempt_for_one_email_within_a_minute_is_refused() {
        let throttle = SignInThrottle::new(store().await, 5);
        for _ in 0..5 {
            throttle.check("Ana@Example.com", None).await.unwrap();
        }
        let refused = throttle.check("ana@example.com ", None).await.unwrap_err();
        assert!(
            matches!(refused, ApiError::Throttled { retry_after_secs } if retry_after_secs >= 1)
        );
        assert!(throttle.check("ben@example.com", None).await.is_ok());
    }

    #[tokio::test]
    async fn one_address_trying_many_accounts_is_refused_too() {
        let throttle = SignInThrottle::new(store().await, 3);
        let address: IpAddr = [10, 0, 0, 7].into();
        for n in 0..3 {
            throttle
                .check(&format!("user{n}@example.com"), Some(address))
                .await
                .unwrap();
        }
        assert!(
            throttle
                .check("user9@example.com", Some(address))
                .await
                .is_err()
        );
        assert!(
            throttle
                .check("user9@example.com", Some([10, 0, 0, 8].into()))
                .await
                .is_ok()
        );
    }

    /// The adversary: a flood of distinct e-mails from distinct addresses, each long.
    #[tokio::test]
    async fn a_flood_of_unique_emails_from_many_addresses_never_grows_past_the_cap() {
        let throttle = SignInThrottle::with_capacity(store().await, 5, 100);
        for n in 0..1000u32 {
            let address = IpAddr::from(n.to_be_bytes());
            let _ = throttle
                .check(
                    &format!("{}{n}@example.com", "x".repeat(200)),
                    Some(address),
                )
                .await;
            let keys = throttle.key_count().await.unwrap();
            assert!(keys <= 200, "{keys} keys");
        }
    }

    #[tokio::test]
    async fn a_full_throttle_refuses_new_keys_rather_than_forget_the_guesses() {
        let now = Arc::new(AtomicI64::new(1_800_000_000_000));
        let throttle = SignInThrottle::with_capacity(store_at(Arc::clone(&now)).await, 5, 3);
        for n in 0..3 {
            throttle
                .check(&format!("user{n}@example.com"), None)
                .await
                .unwrap();
        }
        // The store's clock stands still: no key has refilled, so none is pruned.
        assert_eq!(throttle.key_count().await.unwrap(), 3);
        assert!(matches!(
            throttle.check("user9@example.com", None).await,
            Err(ApiError::Throttled {
                retry_after_secs: FULL_RETRY_AFTER_SECS
            })
        ));
        assert_eq!(throttle.key_count().await.unwrap(), 3);
        // A minute on, every key has refilled: the new key takes the room of a pruned one.
        now.fetch_add(60_000, Ordering::SeqCst);
        assert!(throttle.check("user9@example.com", None).await.is_ok());
    }

    /// The adversary: a guesser who waits for the window instead of hammering.
    #[tokio::test]
    async fn the_window_refills_one_attempt_per_interval_and_prune_forgets_refilled_keys() {
        let now = Arc::new(AtomicI64::new(1_800_000_000_000));
        let throttle = SignInThrottle::new(store_at(Arc::clone(&now)).await, 5);
        for _ in 0..5 {
            throttle.check("ana@example.com", None).await.unwrap();
        }
        let Err(ApiError::Throttled { retry_after_secs }) =
            throttle.check("ana@example.com", None).await
        else {
            panic!("the sixth attempt within a minute is refused");
        };
        // One attempt comes back every 12 s (5 a minute), as the in-memory limiter answered.
        assert_eq!(retry_after_secs, 12);
        now.fetch_add(12_000, Ordering::SeqCst);
        throttle.check("ana@example.com", None).await.unwrap();
        assert!(throttle.check("ana@example.com", None).await.is_err());
        assert_eq!(throttle.prune().await.unwrap(), 0, "not refilled yet");
        now.fetch_add(60_000, Ordering::SeqCst);
        assert_eq!(throttle.prune().await.unwrap(), 1);
        assert_eq!(throttle.key_count().await.unwrap(), 0);
    }

    /// The adversary: the database fails while an attempt is counted.
    #[tokio::test]
    async fn a_database_failure_refuses_the_attempt_rather_than_let_it_through_uncounted() {
        let store = store().await;
        let throttle = SignInThrottle::new(store.clone(), 5);
        store.close().await;
        assert!(throttle.check("ana@example.com", None).await.is_err());
    }
}
