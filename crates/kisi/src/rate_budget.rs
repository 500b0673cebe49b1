//! Kisi's budget of 5 requests per second per user, kept by the client itself.
//!
//! One `governor` limiter per (Kisi server, Kisi user, rate), shared process-wide, so every
//! `KisiClient` of the same user draws from the same budget: Kisi counts per user, shared by all
//! of that user's logins (two locations connected with one account, an owner login and an API
//! key of the same person). A client whose user is not known is budgeted per credential. The burst is 1: calls leave
//! evenly spaced (every 200 ms at 5/s), so a server-side bucket of 5/s never sees more than it
//! allows, however the calls are scheduled.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Kisi's documented limit: 5 requests per second per user (and per IP without auth).
pub const KISI_REQUESTS_PER_SECOND: NonZeroU32 = match NonZeroU32::new(5) {
    Some(rate) => rate,
    None => NonZeroU32::MIN,
};

/// A shared pacing budget; cloning shares it.
#[derive(Debug, Clone)]
pub(crate) struct RateBudget {
    limiter: Arc<DefaultDirectRateLimiter>,
    /// Until when Kisi asked this user to stop (`Retry-After` on a 429): every client of the
    /// user waits, not only the one that was told.
    paused_until: Arc<Mutex<Option<tokio::time::Instant>>>,
}

/// Who a budget belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct BudgetKey {
    pub(crate) base_url: String,
    pub(crate) who: Caller,
    pub(crate) per_second: NonZeroU32,
}

/// Whom Kisi counts a request against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Caller {
    /// The Kisi user the credential belongs to (`GET /user`).
    User(i64),
    /// A credential whose user is not known yet, kept only as an in-process fingerprint.
    Credential(u64),
    /// Unauthenticated calls (owner sign-in), which Kisi limits per IP.
    Anonymous,
}

static REGISTRY: LazyLock<Mutex<HashMap<BudgetKey, RateBudget>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl RateBudget {
    /// The budget for `key`, created on first use and shared afterwards.
    pub(crate) fn shared(key: BudgetKey) -> Self {
        // A poisoned map still holds valid limiters; keep using it.
        let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        let per_second = key.per_second;
        registry
            .entry(key)
            .or_insert_with(|| Self {
                limiter: Arc::new(RateLimiter::direct(
                    Quota::per_second(per_second).allow_burst(NonZeroU32::MIN),
                )),
                paused_until: Arc::new(Mutex::new(None)),
            })
            .clone()
    }

    /// Waits until Kisi's last `Retry-After` has passed and the budget allows one more request.
    pub(crate) async fn until_ready(&self) {
        loop {
            let paused_until = *self
                .paused_until
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match paused_until {
                Some(until) if until > tokio::time::Instant::now() => {
                    tokio::time::sleep_until(until).await;
                }
                _ => break,
            }
        }
        self.limiter.until_ready().await;
    }

    /// Kisi answered 429 with `Retry-After: wait`: no client of this user sends before it passed.
    pub(crate) fn pause(&self, wait: std::time::Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut paused_until = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if paused_until.is_none_or(|current| current < until) {
            *paused_until = Some(until);
        }
    }

    #[cfg(test)]
    fn same_as(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.limiter, &other.limiter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(base_url: &str, fingerprint: Option<u64>) -> BudgetKey {
        BudgetKey {
            base_url: base_url.to_owned(),
            who: fingerprint.map_or(Caller::Anonymous, Caller::Credential),
            per_second: KISI_REQUESTS_PER_SECOND,
        }
    }

    #[test]
    fn two_logins_of_one_kisi_user_share_one_budget() {
        let user = |base_url: &str, id| BudgetKey {
            base_url: base_url.to_owned(),
            who: Caller::User(id),
            per_second: KISI_REQUESTS_PER_SECOND,
        };
        let a = RateBudget::shared(user("http://users.test", 7));
        assert!(a.same_as(&RateBudget::shared(user("http://users.test", 7))));
        assert!(!a.same_as(&RateBudget::shared(user("http://users.test", 8))));
    }

    #[test]
    fn clients_of_the_same_credential_share_one_budget() {
        let a = RateBudget::shared(key("http://kisi.test", Some(1)));
        let b = RateBudget::shared(key("http://kisi.test", Some(1)));
        assert!(a.same_as(&b));
    }

    #[test]
    fn different_credentials_or_servers_have_their_own_budget() {
        let a = RateBudget::shared(key("http://kisi.test", Some(1)));
        assert!(!a.same_as(&RateBudget::shared(key("http://kisi.test", Some(2)))));
        assert!(!a.same_as(&RateBudget::shared(key("http://other.test", Some(1)))));
        assert!(!a.same_as(&RateBudget::shared(key("http://kisi.test", None))));
    }

    #[test]
    fn budget_allows_one_request_then_spaces_the_next() {
        let budget = RateBudget::shared(key("http://spacing.test", Some(42)));
        assert!(budget.limiter.check().is_ok());
        assert!(
            budget.limiter.check().is_err(),
            "burst of 1: the second call must wait"
        );
    }
}
