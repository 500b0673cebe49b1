//! Kisi's budget of 5 requests per second per user, kept by the client itself.
//!
//! One budget per (Kisi server, Kisi user, rate), shared process-wide, so every `KisiClient` of
//! the same user draws from the same budget: Kisi counts per user, shared by all of that user's
//! logins (two locations connected with one account, an owner login and an API key of the same
//! person). A client whose user is not known is budgeted per credential. The burst is 1: calls
//! leave evenly spaced (every 200 ms at 5/s), so a server-side bucket of 5/s never sees more than
//! it allows, however the calls are scheduled.
//!
//! Issue 12's priority lane: when a slot opens, an [`Lane::Interactive`] call waiting for it (a
//! person's booking, a hold) takes it before any [`Lane::Bulk`] call (a full reconcile of 2,000
//! people), so a person at the door waits for at most one slot, not for the bulk work queued
//! before them. Bulk work can also wait for a free slot without taking it
//! ([`RateBudget::until_free`]), so its caller can still hand the slot to interactive work that
//! arrives meanwhile.
//!
//! Issue 14, several processes (hubs, a `doorlink sync`) on one database: each process paces its
//! own calls as above, so two would send 10 a second together. After the local pacer hands a call
//! its slot (so the lanes keep their order within the process), the call reserves a slot of the
//! budget shared by every process through a [`SharedBudget`] (the store, implemented where the
//! clients are built: this crate does not know the store) and waits for it.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use tokio::time::Instant;
use tracing::warn;

/// Kisi's documented limit: 5 requests per second per user (and per IP without auth).
pub const KISI_REQUESTS_PER_SECOND: NonZeroU32 = match NonZeroU32::new(5) {
    Some(rate) => rate,
    None => NonZeroU32::MIN,
};

/// Which calls go first when several wait for the same budget.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lane {
    /// A change to one person's access: takes the next free slot.
    #[default]
    Interactive,
    /// Location-wide work (a full reconcile): leaves each slot to interactive calls waiting for
    /// it.
    Bulk,
}

/// A shared pacing budget; cloning shares it.
#[derive(Debug, Clone)]
pub(crate) struct RateBudget {
    pacer: Arc<Pacer>,
}

#[derive(Debug)]
struct Pacer {
    /// Time between two calls: a second divided by the rate.
    period: Duration,
    slots: Mutex<Slots>,
    /// Told whenever an interactive call stops waiting (it took its slot, or was dropped).
    changed: Notify,
}

#[derive(Debug)]
struct Slots {
    /// When the next call may leave.
    next_free: Instant,
    /// Until when Kisi asked this user to stop (`Retry-After` on a 429): every client of the
    /// user waits, not only the one that was told.
    paused_until: Option<Instant>,
    /// Interactive calls waiting for a slot: bulk calls leave the slot to them.
    interactive_waiting: usize,
}

impl Slots {
    fn opens_at(&self) -> Instant {
        self.paused_until
            .map_or(self.next_free, |paused| paused.max(self.next_free))
    }
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

impl BudgetKey {
    /// Time between two calls: a second divided by the rate.
    pub(crate) fn period(&self) -> Duration {
        Duration::from_secs(1) / self.per_second.get()
    }
}

/// Why a shared slot could not be reserved (the store's words, for the log).
pub type SharedBudgetError = Box<dyn std::error::Error + Send + Sync>;

/// The rate budget shared by every process calling Kisi as the same user: reserving a slot says
/// how long to wait for it. Implemented over the store, whose clock and rows are the same for
/// every hub on one database.
pub trait SharedBudget: fmt::Debug + Send + Sync {
    /// Takes the next free slot of `key` (a hex SHA-256 digest of the Kisi server and user) and
    /// moves the next one `period` past it; answers how long from now until the slot.
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        period: Duration,
    ) -> Pin<Box<dyn Future<Output = Result<Duration, SharedBudgetError>> + Send + 'a>>;
}

/// The key of a budget shared between processes: a SHA-256 digest of the Kisi server and the
/// Kisi user (or of the credential while the user is unknown), so no credential is ever stored.
/// `None` for unauthenticated calls, which Kisi counts per IP: hubs on other machines have other
/// addresses, and this machine's own pacer keeps its own.
pub(crate) fn shared_key(base_url: &str, who: SharedCaller<'_>) -> Option<String> {
    let mut digest = Sha256::new();
    digest.update(b"doorlink kisi rate budget\n");
    digest.update(base_url.as_bytes());
    match who {
        SharedCaller::User(user) => digest.update(format!("\nuser {user}").as_bytes()),
        SharedCaller::Credential(secret) => {
            digest.update(b"\ncredential ");
            digest.update(secret.as_bytes());
        }
        SharedCaller::Anonymous => return None,
    }
    Some(
        digest
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect(),
    )
}

/// Whose shared budget a client spends (see [`shared_key`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum SharedCaller<'a> {
    User(i64),
    Credential(&'a str),
    Anonymous,
}

/// How long a call waits for its shared slot of `key`, after its local slot.
///
/// When the store cannot reserve (busy, unreachable), the call waits one full period rather than
/// leave at once: leaving unpaced would let every hub burst on top of the others at the moment
/// the shared count is unknown, and Kisi answers 429 to all of the user's logins; one period is
/// the spacing this process alone would keep, so the failure slows calls down, never speeds them.
pub(crate) async fn shared_wait(
    shared: &dyn SharedBudget,
    key: &str,
    period: Duration,
) -> Duration {
    match shared.reserve(key, period).await {
        Ok(wait) => wait,
        Err(error) => {
            warn!(
                %error,
                "could not reserve a slot of the Kisi rate budget shared with other hubs; \
                 waiting a full period instead"
            );
            period
        }
    }
}

static REGISTRY: LazyLock<Mutex<HashMap<BudgetKey, RateBudget>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// An interactive call counted as waiting until it is dropped, however its future ends.
struct Waiting<'a>(&'a Pacer);

impl<'a> Waiting<'a> {
    fn new(pacer: &'a Pacer) -> Self {
        pacer.lock().interactive_waiting += 1;
        Self(pacer)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut slots = self.0.lock();
        slots.interactive_waiting = slots.interactive_waiting.saturating_sub(1);
        drop(slots);
        self.0.changed.notify_waiters();
    }
}

impl Pacer {
    fn lock(&self) -> MutexGuard<'_, Slots> {
        // A poisoned lock still holds valid instants; keep using them.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until a call of `lane` may leave now; takes that slot when `take`.
    async fn wait(&self, lane: Lane, take: bool) {
        let _waiting = (lane == Lane::Interactive && take).then(|| Waiting::new(self));
        loop {
            // Made before looking, so a change between the look and the sleep still wakes us.
            let changed = self.changed.notified();
            let wake_at = {
                let mut slots = self.lock();
                let now = Instant::now();
                let opens_at = slots.opens_at();
                let yields = lane == Lane::Bulk && slots.interactive_waiting > 0;
                if now >= opens_at && !yields {
                    if take {
                        slots.next_free = now + self.period;
                    }
                    return;
                }
                // Yielding: the interactive call takes this slot; look again at the next.
                if yields {
                    opens_at.max(now) + self.period
                } else {
                    opens_at
                }
            };
            tokio::select! {
                () = tokio::time::sleep_until(wake_at) => {}
                () = changed => {}
            }
        }
    }
}

impl RateBudget {
    /// The budget for `key`, created on first use and shared afterwards.
    pub(crate) fn shared(key: BudgetKey) -> Self {
        // A poisoned map still holds valid budgets; keep using it.
        let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        let budget = Self::separate(&key);
        registry.entry(key).or_insert(budget).clone()
    }

    /// A budget of its own, shared with no other client of this process: as a client in another
    /// process (another hub) has.
    pub(crate) fn separate(key: &BudgetKey) -> Self {
        Self {
            pacer: Arc::new(Pacer {
                period: key.period(),
                slots: Mutex::new(Slots {
                    next_free: Instant::now(),
                    paused_until: None,
                    interactive_waiting: 0,
                }),
                changed: Notify::new(),
            }),
        }
    }

    /// Time between two calls of this budget.
    pub(crate) fn period(&self) -> Duration {
        self.pacer.period
    }

    /// Waits until Kisi's last `Retry-After` has passed and the budget allows one more request
    /// of `lane`, and takes that slot.
    pub(crate) async fn until_ready(&self, lane: Lane) {
        self.pacer.wait(lane, true).await;
    }

    /// Waits until a call of `lane` could leave at once, without taking the slot.
    pub(crate) async fn until_free(&self, lane: Lane) {
        self.pacer.wait(lane, false).await;
    }

    /// Kisi answered 429 with `Retry-After: wait`: no client of this user sends before it passed.
    pub(crate) fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut slots = self.pacer.lock();
        if slots.paused_until.is_none_or(|current| current < until) {
            slots.paused_until = Some(until);
        }
    }

    #[cfg(test)]
    fn same_as(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.pacer, &other.pacer)
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

    fn budget_of(base_url: &str, per_second: u32) -> RateBudget {
        RateBudget::shared(BudgetKey {
            base_url: base_url.to_owned(),
            who: Caller::Credential(42),
            per_second: NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN),
        })
    }

    async fn until_interactive_waiting(budget: &RateBudget, count: usize) {
        while budget.pacer.lock().interactive_waiting != count {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn budget_allows_one_request_then_spaces_the_next() {
        let budget = budget_of("http://spacing.test", 1);
        budget.until_ready(Lane::Interactive).await;
        assert!(
            budget.pacer.lock().opens_at() > Instant::now(),
            "burst of 1: the second call must wait"
        );
    }

    /// The adversary: a full reconcile queued for the budget before a person's booking.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_interactive_call_takes_the_slot_a_bulk_call_waited_for_longer() {
        let budget = budget_of("http://lanes.test", 10);
        budget.pause(Duration::from_millis(300));
        let order = Arc::new(Mutex::new(Vec::new()));
        let call = |lane: Lane| {
            let (budget, order) = (budget.clone(), Arc::clone(&order));
            tokio::spawn(async move {
                budget.until_ready(lane).await;
                order
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(lane);
            })
        };
        let bulk = call(Lane::Bulk);
        tokio::task::yield_now().await;
        let interactive = call(Lane::Interactive);
        until_interactive_waiting(&budget, 1).await;
        let (bulk, interactive) = tokio::join!(bulk, interactive);
        assert!(bulk.is_ok() && interactive.is_ok());
        assert_eq!(
            *order.lock().unwrap_or_else(PoisonError::into_inner),
            [Lane::Interactive, Lane::Bulk]
        );
    }

    /// The adversary: an interactive call dropped while it waits (its run fenced by a
    /// disconnect), which must not leave bulk work yielding to nobody for ever.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_interactive_call_does_not_hold_back_bulk_calls() {
        let budget = budget_of("http://dropped.test", 10);
        budget.pause(Duration::from_millis(100));
        let waiting = {
            let budget = budget.clone();
            tokio::spawn(async move { budget.until_ready(Lane::Interactive).await })
        };
        until_interactive_waiting(&budget, 1).await;
        waiting.abort();
        assert!(waiting.await.is_err_and(|e| e.is_cancelled()));
        let bulk = tokio::time::timeout(Duration::from_secs(30), budget.until_ready(Lane::Bulk));
        assert!(bulk.await.is_ok(), "bulk work waited for a dropped call");
        assert_eq!(budget.pacer.lock().interactive_waiting, 0);
    }

    /// A shared budget whose store is down.
    #[derive(Debug)]
    struct StoreDown;

    impl SharedBudget for StoreDown {
        fn reserve<'a>(
            &'a self,
            _key: &'a str,
            _period: Duration,
        ) -> Pin<Box<dyn Future<Output = Result<Duration, SharedBudgetError>> + Send + 'a>>
        {
            Box::pin(async { Err("database is locked".into()) })
        }
    }

    /// The adversary: the database the hubs share fails while a call reserves its slot.
    #[tokio::test]
    async fn a_store_failure_while_reserving_delays_the_call_a_full_period_instead_of_bursting() {
        let period = Duration::from_millis(200);
        assert_eq!(shared_wait(&StoreDown, "key", period).await, period);
    }

    #[test]
    fn the_shared_budget_key_is_a_digest_per_server_and_user_never_the_credential() {
        let of_user = |url: &str, id| shared_key(url, SharedCaller::User(id));
        let key = of_user("https://api.kisi.io", 7).unwrap_or_default();
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(of_user("https://api.kisi.io", 7).as_ref(), Some(&key));
        assert_ne!(of_user("https://api.kisi.io", 8).as_ref(), Some(&key));
        assert_ne!(of_user("http://other.test", 7).as_ref(), Some(&key));
        let of_secret = shared_key("https://api.kisi.io", SharedCaller::Credential("sk-secret"));
        assert!(of_secret.is_some_and(|k| !k.contains("sk-secret") && k.len() == 64));
        assert_eq!(
            shared_key("https://api.kisi.io", SharedCaller::Anonymous),
            None
        );
    }

    #[tokio::test]
    async fn waiting_for_a_free_slot_leaves_it_free() {
        let budget = budget_of("http://free.test", 1);
        budget.until_free(Lane::Bulk).await;
        budget.until_free(Lane::Bulk).await;
        assert!(budget.pacer.lock().opens_at() <= Instant::now());
    }
}
