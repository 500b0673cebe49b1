//! A coworking space for end-to-end sync tests: a seeded Kisi emulator over real TCP with its clock
//! frozen, a Doorlink store in a temp folder connected to it, and a worker driven step by step.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different part of the fixture"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test fixture: a broken set-up should stop the test loudly"
)]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use doorlink_core::{
    DoorAccess, KisiGroupId, KisiLockId, LocationId, PersonId, ResourceId, ResourceKind,
    resolve_local,
};
use doorlink_store::{Backoff, Clock, KisiAuth, NewBooking, NewLocation, SecretValue, Store};
use doorlink_sync::{SyncConfig, SyncEngine, Worker, WorkerPass};
use kisi::{
    Connection, KisiClient, KisiConfig, KisiError, LockId, RetryPolicy, Secret, UnlockContext,
};
use kisi_emulator::{
    Control, EmulatorConfig, RoleAssignment, RunningEmulator, Seed, SeedGroup, SeedIds, SeedLock,
    SeedOrganization, SeedOwner, SeedPlace, Snapshot,
};
use tempfile::TempDir;

pub const ZONE: &str = "Europe/Berlin";

/// Monday 2 March 2026, 09:00 in Berlin: where every test's clock starts.
pub fn monday_morning() -> DateTime<Utc> {
    berlin("2026-03-02 09:00")
}

/// A wall-clock time in Berlin as an instant.
pub fn berlin(text: &str) -> DateTime<Utc> {
    let wall = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    resolve_local(ZONE.parse().unwrap(), wall)
}

fn lock(name: &str) -> SeedLock {
    SeedLock {
        name: name.to_owned(),
        place: "Hive".to_owned(),
        description: String::new(),
        reader_restriction: false,
        geofence_restriction: false,
        time_restriction: false,
        geofence_radius_meters: None,
    }
}

fn group(name: &str, locks: &[&str]) -> SeedGroup {
    SeedGroup {
        name: name.to_owned(),
        description: String::new(),
        locks: locks.iter().map(|l| (*l).to_owned()).collect(),
        reader_restriction: false,
        geofence_restriction: false,
        time_restriction: false,
        login_enabled: true,
        primary_device_restriction: false,
    }
}

/// Hive: a front door, a meeting room, a studio and a server room; "Members" opens the front door,
/// "Room A" the front door and the meeting room, "Studio" the studio.
pub fn hive_seed() -> Seed {
    Seed {
        organization: SeedOrganization {
            name: "Hive".to_owned(),
            domain: "hive".to_owned(),
        },
        owner: SeedOwner {
            email: "owner@hive.test".to_owned(),
            password: "correct horse".to_owned(),
            name: "Olga Owner".to_owned(),
        },
        places: vec![SeedPlace {
            name: "Hive".to_owned(),
            address: "Torstr. 1".to_owned(),
            latitude: 52.52,
            longitude: 13.405,
            time_zone: ZONE.to_owned(),
        }],
        locks: vec![
            lock("Front Door"),
            lock("Room A"),
            lock("Studio"),
            lock("Server Room"),
        ],
        groups: vec![
            group("Members", &["Front Door"]),
            group("Room A", &["Front Door", "Room A"]),
            group("Studio", &["Studio"]),
        ],
        users: vec![],
    }
}

/// Fast retries: backoff in tests must not cost real seconds. A 429 (whose `Retry-After` is a
/// whole second) goes back to the worker at once, which backs the entry off on the outbox instead.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::ZERO,
    }
}

pub fn kisi_connection(base_url: &str, retry: RetryPolicy) -> Connection {
    Connection {
        base_url: base_url.to_owned(),
        integration: None,
        timeout: Duration::from_secs(5),
        retry,
        rate_limit: None,
    }
}

pub fn test_config(base_url: &str) -> SyncConfig {
    SyncConfig {
        kisi: kisi_connection(base_url, quick_retries()),
        batch: 16,
        lease: Duration::from_secs(60),
        location_lease: Duration::from_secs(60),
        lease_wait: Duration::from_secs(5),
        backoff: Backoff {
            base: Duration::from_secs(1),
            max: Duration::from_secs(8),
        },
        poll_interval: Duration::from_millis(20),
        reconcile_interval: None,
    }
}

/// `(valid_from, valid_until)` as Kisi holds them.
pub type KisiWindow = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub struct Space {
    pub emulator: RunningEmulator,
    pub ids: SeedIds,
    pub store: Store,
    pub location: LocationId,
    pub worker: Worker,
    /// The owner's key, for reading Kisi and acting "in the dashboard".
    pub admin: KisiClient,
    pub dir: TempDir,
}

impl Space {
    /// Hive, connected and caught up (the connect's full reconcile ran), clock frozen at
    /// [`monday_morning`].
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Like [`Space::start`], with the sync configuration adjusted first.
    pub async fn start_with(adjust: impl FnOnce(&mut SyncConfig)) -> Self {
        let space = Self::connected(adjust).await;
        let pass = space.sync().await;
        assert_eq!(pass.failed, 0, "the first reconcile failed");
        space
    }

    /// Hive, connected, with the connect's full reconcile still waiting in the outbox.
    pub async fn connected(adjust: impl FnOnce(&mut SyncConfig)) -> Self {
        Self::build(None, adjust).await
    }

    /// Hive as Kisi really behaves: 5 requests per second per user, enforced by the emulator and
    /// respected by the client's budget. Caught up like [`Space::start`].
    pub async fn start_rate_limited() -> Self {
        let space = Self::build(Some(5), |config| {
            config.kisi.rate_limit = std::num::NonZeroU32::new(5);
            // Kisi's Retry-After is honoured, as in production.
            config.kisi.retry = RetryPolicy::default();
        })
        .await;
        let pass = space.sync().await;
        assert_eq!(pass.failed, 0, "the first reconcile failed");
        space
    }

    async fn build(rate_limit: Option<u32>, adjust: impl FnOnce(&mut SyncConfig)) -> Self {
        let emulator = kisi_emulator::start(EmulatorConfig {
            rate_limit_per_second: rate_limit,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        let control = emulator.control().clone();
        control.set_clock(monday_morning());
        let ids = control.seed(hive_seed());
        let dir = tempfile::tempdir().unwrap();
        let clock = emulator_clock(&control);
        // A file, or a PostgreSQL database of its own when the run asks for it
        // (`doorlink_store::testing`).
        let store = doorlink_store::testing::TestDatabase::fresh(dir.path())
            .await
            .unwrap()
            .open()
            .await
            .unwrap()
            .with_clock(clock.clone());
        let location = store
            .locations()
            .create(&NewLocation::new("Hive", ZONE))
            .await
            .unwrap()
            .id;
        store
            .locations()
            .connect(
                location,
                &emulator.base_url(),
                &KisiAuth::ApiKey,
                &SecretValue::new(ids.owner_api_key.clone()),
            )
            .await
            .unwrap();
        let mut config = test_config(&emulator.base_url());
        adjust(&mut config);
        let worker = Worker::new(Arc::new(SyncEngine::new(store.clone(), clock, config)));
        let admin = KisiClient::new(KisiConfig {
            connection: kisi_connection(&emulator.base_url(), quick_retries()),
            credential: Secret::new(ids.owner_api_key.clone()),
        })
        .unwrap();
        Self {
            emulator,
            ids,
            store,
            location,
            worker,
            admin,
            dir,
        }
    }

    pub fn control(&self) -> &Control {
        self.emulator.control()
    }

    pub fn engine(&self) -> &Arc<SyncEngine> {
        self.worker.engine()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.control().now()
    }

    pub fn advance(&self, by: Duration) {
        self.control().advance_clock(by);
    }

    pub fn group(&self, name: &str) -> KisiGroupId {
        KisiGroupId(i64::try_from(self.ids.groups[name]).unwrap())
    }

    pub fn lock(&self, name: &str) -> KisiLockId {
        KisiLockId(i64::try_from(self.ids.locks[name]).unwrap())
    }

    pub async fn person(&self, name: &str, email: &str) -> PersonId {
        self.store.people().create(name, email).await.unwrap().id
    }

    /// A bookable room opening `access` (M2).
    pub async fn room(&self, name: &str, access: DoorAccess) -> ResourceId {
        self.store
            .catalog()
            .create_resource(self.location, name, ResourceKind::Room, &access)
            .await
            .unwrap()
            .id
    }

    pub async fn book(
        &self,
        resource: ResourceId,
        booker: PersonId,
        invitees: &[PersonId],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> doorlink_core::BookingId {
        self.store
            .bookings()
            .create(&NewBooking {
                resource,
                booker,
                invitees: invitees.iter().copied().collect::<BTreeSet<_>>(),
                start,
                end,
            })
            .await
            .unwrap()
            .id
    }

    /// Runs every due outbox entry.
    pub async fn sync(&self) -> WorkerPass {
        self.worker.drain().await.unwrap()
    }

    /// Runs the outbox until it is empty, moving the clock past each back-off (at most `rounds`).
    pub async fn sync_until_settled(&self, rounds: usize) {
        for _ in 0..rounds {
            self.sync().await;
            if self.store.outbox().entries(None).await.unwrap().is_empty() {
                return;
            }
            self.advance(Duration::from_secs(10));
        }
        let left = self.store.outbox().entries(None).await.unwrap();
        panic!("the outbox did not settle: {left:#?}");
    }

    pub fn kisi(&self) -> Snapshot {
        self.control().state()
    }

    /// The Kisi user id of the user with this e-mail, if Kisi has one.
    pub fn kisi_user(&self, email: &str) -> Option<u64> {
        self.kisi()
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .map(|u| u.id)
    }

    /// Every role assignment Kisi holds for the user with this e-mail, in id order.
    pub fn assignments_of(&self, email: &str) -> Vec<RoleAssignment> {
        let Some(user) = self.kisi_user(email) else {
            return Vec::new();
        };
        self.kisi()
            .role_assignments
            .into_iter()
            .filter(|a| a.user_id == user)
            .collect()
    }

    /// The windows Kisi enforces for the user in one group.
    pub fn windows_in(&self, email: &str, group: KisiGroupId) -> Vec<KisiWindow> {
        self.assignments_of(email)
            .into_iter()
            .filter(|a| i64::try_from(a.group_id).unwrap() == group.0)
            .map(|a| (a.valid_from, a.valid_until))
            .collect()
    }

    /// Whether the person, signed in with their own Kisi login, may open the lock at the
    /// emulator's current clock.
    pub async fn can_unlock(&self, email: &str, lock: KisiLockId) -> bool {
        let login = self.admin.create_login_for_user(email).await.unwrap();
        let member = KisiClient::new(KisiConfig {
            connection: kisi_connection(&self.emulator.base_url(), RetryPolicy::never()),
            credential: login.secret,
        })
        .unwrap();
        match member
            .unlock(LockId(lock.0), &UnlockContext::default())
            .await
        {
            Ok(_) => true,
            Err(KisiError::NoCurrentAccess { .. }) => false,
            Err(other) => panic!("unexpected unlock failure: {other}"),
        }
    }

    /// Whether the person may open the lock at `at` (the emulator's clock is moved there and back).
    pub async fn can_unlock_at(&self, email: &str, lock: KisiLockId, at: DateTime<Utc>) -> bool {
        let before = self.now();
        self.control().set_clock(at);
        let allowed = self.can_unlock(email, lock).await;
        self.control().set_clock(before);
        allowed
    }
}

/// The store's and sync's "now": the emulator's clock, so moving it moves everything.
pub fn emulator_clock(control: &Control) -> Clock {
    let control = control.clone();
    Clock::from_fn(move || control.now())
}
