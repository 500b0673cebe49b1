//! Shared fixture: a seeded emulator on loopback and clients pointed at it.
#![allow(
    clippy::expect_used,
    reason = "a broken fixture should stop the test loudly"
)]
#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different part of the fixture"
)]

use std::time::Duration;

use kisi::{
    Connection, GroupId, KisiClient, KisiConfig, LockId, PlaceId, RetryPolicy, Secret, UserId,
};
use kisi_emulator::{EmulatorConfig, RunningEmulator, Seed, SeedIds};

pub const DOMAIN: &str = "hive";
pub const OWNER_EMAIL: &str = "owner@hive.test";
pub const OWNER_PASSWORD: &str = "correct horse";
pub const MEMBER_EMAIL: &str = "member@hive.test";
pub const UNCONFIRMED_EMAIL: &str = "unconfirmed@hive.test";
pub const UNCONFIRMED_PASSWORD: &str = "not yet";
/// Hive's place: Berlin.
pub const HIVE_LATITUDE: f64 = 52.52;
pub const HIVE_LONGITUDE: f64 = 13.405;

/// A small coworking space: one place, a plain door and one door per restriction, a members
/// group holding all of them, an empty group, a managed member and an unconfirmed regular user.
pub fn seed() -> Seed {
    Seed::from_json(&format!(
        r#"{{
        "organization": {{"name": "Hive", "domain": "{DOMAIN}"}},
        "owner": {{"email": "{OWNER_EMAIL}", "password": "{OWNER_PASSWORD}", "name": "Olga Owner"}},
        "places": [
            {{"name": "Hive Berlin", "address": "Torstr. 1", "lat": {HIVE_LATITUDE}, "long": {HIVE_LONGITUDE}, "time_zone": "Europe/Berlin"}},
            {{"name": "Hive Annex", "address": "Torstr. 9", "lat": 52.53, "long": 13.41, "time_zone": "Europe/Berlin"}}
        ],
        "locks": [
            {{"name": "Front door", "place": "Hive Berlin"}},
            {{"name": "Reader door", "place": "Hive Berlin", "reader_restriction": true}},
            {{"name": "Geo door", "place": "Hive Berlin", "geofence_restriction": true}},
            {{"name": "Night door", "place": "Hive Berlin", "time_restriction": true}},
            {{"name": "Annex door", "place": "Hive Annex"}}
        ],
        "groups": [
            {{"name": "Members", "description": "Everyone with a plan", "locks": ["Front door", "Reader door", "Geo door", "Night door"]}},
            {{"name": "Annex", "locks": ["Annex door"]}}
        ],
        "users": [
            {{"email": "{MEMBER_EMAIL}", "name": "Mia Member", "managed": true}},
            {{"email": "{UNCONFIRMED_EMAIL}", "name": "Una Unconfirmed", "confirmed": false, "password": "{UNCONFIRMED_PASSWORD}"}}
        ]
    }}"#
    ))
    .expect("the test seed is valid")
}

/// Retries fast enough for tests; Kisi's `Retry-After` still applies.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
        ..RetryPolicy::default()
    }
}

pub struct Fixture {
    pub emulator: RunningEmulator,
    pub ids: SeedIds,
    /// A client with the owner's API key.
    pub admin: KisiClient,
}

impl Fixture {
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Self {
        Self::start_seeded(seed(), config).await
    }

    pub async fn start_seeded(seed: Seed, config: EmulatorConfig) -> Self {
        let emulator = kisi_emulator::start(EmulatorConfig {
            seed: Some(seed),
            ..config
        })
        .await
        .expect("the emulator starts");
        let ids = emulator.seed_ids().expect("seeded").clone();
        let admin = KisiClient::new(KisiConfig {
            connection: connection(&emulator),
            credential: Secret::new(ids.owner_api_key.clone()),
        })
        .expect("client builds");
        Self {
            emulator,
            ids,
            admin,
        }
    }

    pub fn connection(&self) -> Connection {
        connection(&self.emulator)
    }

    /// A client for `credential` against this emulator, with `retry`.
    pub fn client(&self, credential: Secret, retry: RetryPolicy) -> KisiClient {
        KisiClient::new(KisiConfig {
            connection: Connection {
                retry,
                ..self.connection()
            },
            credential,
        })
        .expect("client builds")
    }

    /// The owner's key with a retry policy of the test's choosing.
    pub fn admin_with(&self, retry: RetryPolicy) -> KisiClient {
        self.client(Secret::new(self.ids.owner_api_key.clone()), retry)
    }

    pub fn lock(&self, name: &str) -> LockId {
        LockId(to_i64(self.ids.locks[name]))
    }

    pub fn group(&self, name: &str) -> GroupId {
        GroupId(to_i64(self.ids.groups[name]))
    }

    pub fn place(&self, name: &str) -> PlaceId {
        PlaceId(to_i64(self.ids.places[name]))
    }

    pub fn user(&self, email: &str) -> UserId {
        UserId(to_i64(self.ids.users[email]))
    }

    pub fn owner(&self) -> UserId {
        UserId(to_i64(self.ids.owner_id))
    }
}

pub fn connection(emulator: &RunningEmulator) -> Connection {
    Connection {
        retry: fast_retry(),
        ..Connection::new(emulator.base_url())
    }
}

fn to_i64(id: u64) -> i64 {
    i64::try_from(id).expect("emulator ids fit in i64")
}
