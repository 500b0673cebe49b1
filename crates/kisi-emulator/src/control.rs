//! The in-process control API (`Control`; the README's "Control API"): what tests use to set the
//! scene and check the result. `routes/control.rs` mirrors it 1:1 over HTTP under `/__emulator/`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::clock::VirtualClock;
use crate::config::EmulatorConfig;
use crate::errors::ApiError;
use crate::faults::{Fault, Faults};
use crate::lock;
use crate::rate_limit::{RateLimits, RequestCounts};
use crate::seed::{Seed, SeedError, SeedIds, build_store};
use crate::state::access::{AssignmentChange, NewRoleAssignment, OverlapPolicy, ROLE_GROUP_BASIC};
use crate::state::offline::OfflineReaders;
use crate::state::users::NewUser;
use crate::state::{
    AssignmentSource, Event, LockState, Restrictions, RoleAssignment, Snapshot, Store, User,
};
use crate::webhooks::{NewWebhook, Webhook, WebhookFaults, Webhooks};

/// Everything a running emulator shares between its connections and its control API.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) clock: Arc<VirtualClock>,
    pub(crate) faults: Faults,
    pub(crate) rate_limits: RateLimits,
    pub(crate) webhooks: Arc<Webhooks>,
}

impl Shared {
    /// The shared state, and the queue of recorded events for the webhook dispatcher
    /// (`webhooks::dispatch::run`, which the server spawns).
    pub(crate) fn new(config: &EmulatorConfig) -> (Self, UnboundedReceiver<Event>) {
        let clock = Arc::new(VirtualClock::new());
        let (event_sink, recorded_events) = unbounded_channel();
        let mut store = Store::new(config.login_quota);
        store.overlaps = config.overlapping_assignments;
        store.event_sink = Some(event_sink);
        let shared = Self {
            store: Mutex::new(store),
            rate_limits: RateLimits::new(Arc::clone(&clock), config.rate_limit_per_second),
            webhooks: Arc::new(Webhooks::new(Arc::clone(&clock))),
            clock,
            faults: Faults::default(),
        };
        (shared, recorded_events)
    }
}

/// Why a control call was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ControlError {
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error("no {kind} with id {id} in the emulator")]
    NotFound { kind: &'static str, id: u64 },
    #[error("{kind} {id} was already deleted")]
    AlreadyDeleted { kind: &'static str, id: u64 },
    #[error("invalid {field}: {problem}")]
    Invalid { field: String, problem: String },
}

impl ControlError {
    fn from_api(error: ApiError, kind: &'static str, id: u64) -> Self {
        match error {
            ApiError::GroupNotFound => Self::AlreadyDeleted { kind, id },
            ApiError::Invalid(errors) => {
                let (field, problems) = errors.into_iter().next().unwrap_or_default();
                Self::Invalid {
                    field,
                    problem: problems.join(", "),
                }
            }
            _ => Self::NotFound { kind, id },
        }
    }
}

/// Handle on a running emulator's state, clock and faults. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Control {
    pub(crate) shared: Arc<Shared>,
}

impl Control {
    /// Replaces the whole organization with `seed` and returns the ids it got.
    ///
    /// # Panics
    /// When the seed is inconsistent (a lock names an unknown place, ...). This is the test-fixture
    /// form; use [`Control::try_seed`] for seeds from files.
    #[allow(
        clippy::panic,
        reason = "documented fixture API; try_seed is the fallible form"
    )]
    pub fn seed(&self, seed: Seed) -> SeedIds {
        self.try_seed(seed)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    /// Replaces the whole organization with `seed` (ids restart; the login quota is kept).
    #[allow(
        clippy::needless_pass_by_value,
        reason = "the contract takes the seed by value, like the HTTP control API does"
    )]
    pub fn try_seed(&self, seed: Seed) -> Result<SeedIds, SeedError> {
        let now = self.now();
        let mut store = lock(&self.shared.store);
        let (mut fresh, ids) = build_store(&seed, store.login_quota, now)?;
        fresh.overlaps = store.overlaps;
        fresh.offline_readers = store.offline_readers;
        fresh.event_sink = store.event_sink.take();
        *store = fresh;
        Ok(ids)
    }

    /// Everything the emulator holds (logins without secrets).
    pub fn state(&self) -> Snapshot {
        let now = self.now();
        lock(&self.shared.store).snapshot(now)
    }

    /// Freezes the emulator's clock at `at`; it then moves only with [`Control::advance_clock`].
    pub fn set_clock(&self, at: DateTime<Utc>) {
        self.shared.clock.set(at);
    }

    /// Moves the emulator's clock forward (frozen or not); rate-limit buckets refill accordingly.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Deletes a group behind Doorlink's back; payloads naming it then get 404 `group_not_found`.
    pub fn delete_group(&self, id: u64) -> Result<(), ControlError> {
        lock(&self.shared.store)
            .delete_group(id)
            .map_err(|e| ControlError::from_api(e, "group", id))
    }

    /// Deletes a lock behind Doorlink's back (it leaves every group).
    pub fn delete_lock(&self, id: u64) -> Result<(), ControlError> {
        lock(&self.shared.store)
            .delete_lock(id)
            .map_err(|e| ControlError::from_api(e, "lock", id))
    }

    /// Takes a lock offline or back online, and locks it down or ends the lockdown, as its
    /// controller or an administrator would: `GET /locks` reports it, and while either holds every
    /// remote unlock of it is refused (a tap at an offline reader: see
    /// [`Control::set_offline_readers`]). Back online, the taps its reader held are delivered.
    pub fn set_lock_state(
        &self,
        id: u64,
        online: bool,
        locked_down: bool,
    ) -> Result<(), ControlError> {
        lock(&self.shared.store)
            .set_lock_state(
                id,
                LockState {
                    online,
                    locked_down,
                },
                self.now(),
            )
            .map_err(|e| ControlError::from_api(e, "lock", id))
    }

    pub fn set_lock_restrictions(
        &self,
        id: u64,
        reader: bool,
        geofence: bool,
        time: bool,
    ) -> Result<(), ControlError> {
        lock(&self.shared.store)
            .set_lock_restrictions(
                id,
                Restrictions {
                    reader,
                    geofence,
                    time,
                },
            )
            .map_err(|e| ControlError::from_api(e, "lock", id))
    }

    pub fn set_group_restrictions(
        &self,
        id: u64,
        reader: bool,
        geofence: bool,
        time: bool,
    ) -> Result<(), ControlError> {
        lock(&self.shared.store)
            .set_group_restrictions(
                id,
                Restrictions {
                    reader,
                    geofence,
                    time,
                },
            )
            .map_err(|e| ControlError::from_api(e, "group", id))
    }

    /// A user someone added by hand in the Kisi dashboard: a regular user, not managed, so
    /// Doorlink cannot log in on its behalf; unconfirmed ones see `unconfirmed_email`.
    pub fn add_regular_user(
        &self,
        email: &str,
        name: &str,
        confirmed: bool,
    ) -> Result<User, ControlError> {
        let new = NewUser {
            email: email.to_owned(),
            name: name.to_owned(),
            confirmed,
            managed: false,
            admin: false,
            send_emails: true,
            password: None,
        };
        let now = self.now();
        lock(&self.shared.store)
            .add_user(new, now)
            .map_err(|e| ControlError::from_api(e, "user", 0))
    }

    /// A `group_basic` assignment made by hand in the dashboard: one Doorlink does not own.
    pub fn add_role_assignment_by_hand(
        &self,
        user_id: u64,
        group_id: u64,
        valid_from: Option<DateTime<Utc>>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Result<RoleAssignment, ControlError> {
        let new = NewRoleAssignment {
            user_id,
            group_id,
            role_id: ROLE_GROUP_BASIC.to_owned(),
            valid_from,
            valid_until,
            source: AssignmentSource::Dashboard,
        };
        let now = self.now();
        let mut store = lock(&self.shared.store);
        if !store.users.contains_key(&user_id) {
            return Err(ControlError::NotFound {
                kind: "user",
                id: user_id,
            });
        }
        store
            .add_role_assignment(new, now)
            .map_err(|e| ControlError::from_api(e, "group", group_id))
    }

    /// What the reader of an offline lock does with a tap: refuse it, or open from the access it
    /// cached and deliver the event when the lock is back (kept across seeds; `state/offline.rs`).
    pub fn set_offline_readers(&self, readers: OfflineReaders) {
        lock(&self.shared.store).offline_readers = readers;
    }

    /// Whether one user may hold overlapping role assignments in one group (kept across seeds).
    pub fn set_overlap_policy(&self, policy: OverlapPolicy) {
        lock(&self.shared.store).overlaps = policy;
    }

    /// Every role assignment created or removed so far, in the order Kisi made the change.
    pub fn assignment_history(&self) -> Vec<AssignmentChange> {
        lock(&self.shared.store).assignment_history.clone()
    }

    /// Active owner-sign-in logins allowed before `login_quota_exceeded`.
    pub fn set_login_quota(&self, quota: usize) {
        lock(&self.shared.store).login_quota = quota;
    }

    /// Gives the user with `email` two-factor sign-in: from now on an owner sign-in needs
    /// `otp_attempt` equal to `code`.
    pub fn require_two_factor(&self, email: &str, code: &str) -> Result<(), ControlError> {
        let mut store = lock(&self.shared.store);
        let user = store
            .user_by_email(email)
            .map(|user| user.id)
            .ok_or_else(|| ControlError::Invalid {
                field: "email".to_owned(),
                problem: format!("no user has the e-mail {email}"),
            })?;
        store.two_factor_codes.insert(user, code.to_owned());
        Ok(())
    }

    /// Requests per second per user (burst of the same size); `None` turns the limit off.
    pub fn set_rate_limit(&self, per_second: Option<u32>) {
        self.shared.rate_limits.set(per_second);
    }

    /// The requests Kisi user `user` made with any of their logins: let through, and refused
    /// with 429 by the rate limit.
    pub fn requests_of_user(&self, user: u64) -> RequestCounts {
        self.shared
            .rate_limits
            .counts(crate::rate_limit::RateKey::User(user))
    }

    /// Adds an "Event Webhook" integration, as an admin does in Kisi's dashboard; every event
    /// recorded from now on that it wants is POSTed to it. Kept across seeds.
    pub fn add_webhook(&self, new: NewWebhook) -> Result<u64, ControlError> {
        self.shared
            .webhooks
            .add(new)
            .map_err(|problem| ControlError::Invalid {
                field: "url".to_owned(),
                problem,
            })
    }

    /// Every integration with its delivery log.
    pub fn webhooks(&self) -> Vec<Webhook> {
        self.shared.webhooks.list()
    }

    /// Removes an integration; deliveries still queued for it are abandoned.
    pub fn remove_webhook(&self, id: u64) -> Result<(), ControlError> {
        if self.shared.webhooks.remove(id) {
            Ok(())
        } else {
            Err(ControlError::NotFound {
                kind: "webhook",
                id,
            })
        }
    }

    /// Sets the webhook faults present in `faults` (they combine; see [`WebhookFaults`]).
    pub fn inject_webhook_faults(&self, faults: WebhookFaults) {
        self.shared.webhooks.inject(faults);
    }

    /// Back to faithful delivery (and the default retries).
    pub fn clear_webhook_faults(&self) {
        self.shared.webhooks.clear_faults();
    }

    /// Someone presents their card or phone at the lock's reader: judged as an unlock by that
    /// user in person (`state/unlock.rs`), recorded as their event and delivered by webhook.
    /// The credential does not change the judgement.
    pub fn tap(
        &self,
        lock_id: u64,
        user_id: u64,
        credential: Credential,
    ) -> Result<TapOutcome, ControlError> {
        self.tap_at(lock_id, user_id, credential, self.now())
    }

    /// [`Control::tap`] as it happened at `at` (judged by the rights valid then, recorded with
    /// that time): a history of the day for demos. Appended to the log after later events, as a
    /// reader that was offline reports late.
    pub fn tap_at(
        &self,
        lock_id: u64,
        user_id: u64,
        credential: Credential,
        at: DateTime<Utc>,
    ) -> Result<TapOutcome, ControlError> {
        let decision = lock(&self.shared.store)
            .tap(user_id, lock_id, at)
            .map_err(|error| match error {
                ApiError::Unauthorized => ControlError::NotFound {
                    kind: "user",
                    id: user_id,
                },
                _ => ControlError::NotFound {
                    kind: "lock",
                    id: lock_id,
                },
            })?;
        tracing::info!(
            lock_id,
            user_id,
            ?credential,
            success = decision.is_ok(),
            "tap at the reader"
        );
        Ok(TapOutcome {
            success: decision.is_ok(),
            error_code: decision
                .as_ref()
                .err()
                .and_then(ApiError::code)
                .map(str::to_owned),
            error_message: decision.err().map(|error| error.message().to_owned()),
        })
    }
}

/// What is presented at the reader in [`Control::tap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    /// A card or fob.
    Card,
    /// The phone app at the reader (tap to unlock).
    Reader,
}

/// The reader's verdict on a tap, with Kisi's code and message when it refused (as in the event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TapOutcome {
    pub success: bool,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}
