//! Shared set-up for the conformance tests: a seeded emulator on a random port and a plain
//! reqwest client speaking Kisi's wire format over real TCP.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]
#![allow(
    clippy::expect_used,
    reason = "test set-up: a broken emulator or answer should stop the test loudly"
)]

use chrono::{DateTime, Utc};
use kisi_emulator::{
    EmulatorConfig, RunningEmulator, Seed, SeedGroup, SeedIds, SeedLock, SeedOrganization,
    SeedOwner, SeedPlace,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const DOMAIN: &str = "hive";
pub(crate) const OWNER_EMAIL: &str = "olga@hive.test";
pub(crate) const OWNER_PASSWORD: &str = "correct horse";
/// The place's coordinates (Berlin); geofence tests stand here or far away.
pub(crate) const HIVE: (f64, f64) = (52.5200, 13.4050);

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

/// A small coworking space: a front door, a room, a reader-restricted server room, a geofenced
/// gate and a time-restricted terrace.
pub(crate) fn hive_seed() -> Seed {
    Seed {
        organization: SeedOrganization {
            name: "Hive".to_owned(),
            domain: DOMAIN.to_owned(),
        },
        owner: SeedOwner {
            email: OWNER_EMAIL.to_owned(),
            password: OWNER_PASSWORD.to_owned(),
            name: "Olga Owner".to_owned(),
        },
        places: vec![SeedPlace {
            name: "Hive".to_owned(),
            address: "Alexanderplatz 1".to_owned(),
            latitude: HIVE.0,
            longitude: HIVE.1,
            time_zone: "Europe/Berlin".to_owned(),
        }],
        locks: vec![
            lock("Front Door"),
            lock("Room A"),
            SeedLock {
                reader_restriction: true,
                ..lock("Server Room")
            },
            SeedLock {
                geofence_restriction: true,
                ..lock("Gate")
            },
            SeedLock {
                time_restriction: true,
                ..lock("Terrace")
            },
        ],
        groups: vec![
            group("Members", &["Front Door", "Terrace", "Gate"]),
            group("Room A", &["Front Door", "Room A"]),
            group("IT", &["Server Room"]),
            SeedGroup {
                reader_restriction: true,
                ..group("Night Shift", &["Front Door"])
            },
        ],
        users: vec![],
    }
}

pub(crate) struct Kisi {
    pub(crate) emulator: RunningEmulator,
    pub(crate) ids: SeedIds,
    pub(crate) http: reqwest::Client,
}

/// The hive seed with the rate limit off (tests that want it turn it on).
pub(crate) async fn hive() -> Kisi {
    start(EmulatorConfig {
        rate_limit_per_second: None,
        ..EmulatorConfig::default()
    })
    .await
}

pub(crate) async fn start(config: EmulatorConfig) -> Kisi {
    let emulator = kisi_emulator::start(config).await.expect("emulator starts");
    let ids = emulator.control().seed(hive_seed());
    Kisi {
        emulator,
        ids,
        http: reqwest::Client::new(),
    }
}

// Kisi's words for each refusal (src/errors.rs; docs/kisi-api.md, "Errors").
pub(crate) const UNAUTHORIZED: &str = "Unauthorized";
pub(crate) const UNCONFIRMED_EMAIL: &str =
    "You have to confirm your email address before continuing.";
pub(crate) const FORBIDDEN: &str = "You are not authorized to perform this action.";
pub(crate) const ACCESS_DENIED: &str = "You do not have access to this lock right now.";
pub(crate) const GEOFENCE_RESTRICTED: &str = "You need to be near the door to unlock it.";
pub(crate) const TIME_RESTRICTED: &str = "This door cannot be unlocked at this time.";
pub(crate) const PRIMARY_DEVICE_RESTRICTED: &str = "Please unlock from your primary device.";
pub(crate) const LOCKED_DOWN: &str = "This door is in lockdown.";
pub(crate) const LOCK_OFFLINE: &str = "This door is offline.";
pub(crate) const GROUP_NOT_FOUND: &str = "Group is not found";
pub(crate) const INVALID: &str = "Validation failed";
pub(crate) const LOGIN_QUOTA_EXCEEDED: &str =
    "Too many API logins: remove some logins in the Kisi dashboard and try again.";
pub(crate) const RATE_LIMITED: &str = "Too many requests";
pub(crate) const SERVER_ERROR: &str = "Something went wrong";

/// A status and a parsed JSON body (`Null` when empty), plus the headers.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Value,
}

impl Answer {
    /// Kisi's code of a failed answer where it sends one (`bb5bbff`), else its message.
    pub(crate) fn code(&self) -> &str {
        self.body["code"]
            .as_str()
            .or_else(|| self.body["error"].as_str())
            .unwrap_or_default()
    }

    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Kisi {
    pub(crate) fn owner_key(&self) -> &str {
        &self.ids.owner_api_key
    }

    pub(crate) fn lock_id(&self, name: &str) -> u64 {
        self.ids.locks[name]
    }

    pub(crate) fn group_id(&self, name: &str) -> u64 {
        self.ids.groups[name]
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        key: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let url = format!("{}{path}", self.emulator.base_url());
        let mut request = self
            .http
            .request(method, url)
            .header("Accept", "application/json");
        if let Some(key) = key {
            request = request.header("Authorization", format!("KISI-LOGIN {key}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the emulator answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("JSON")
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    pub(crate) async fn get(&self, key: &str, path: &str) -> Answer {
        self.call(Method::GET, Some(key), path, None).await
    }

    pub(crate) async fn post(&self, key: &str, path: &str, body: Value) -> Answer {
        self.call(Method::POST, Some(key), path, Some(body)).await
    }

    pub(crate) async fn delete(&self, key: &str, path: &str) -> Answer {
        self.call(Method::DELETE, Some(key), path, None).await
    }

    /// Creates a managed, confirmed user as Doorlink does and returns its id.
    pub(crate) async fn managed_user(&self, email: &str) -> u64 {
        let answer = self
            .post(
                self.owner_key(),
                "/users",
                json!({"user": {"email": email, "name": email, "send_emails": false, "confirm": true}}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.body["id"].as_u64().expect("user id")
    }

    /// A login on behalf of a managed user, made with the owner's key; returns the secret.
    pub(crate) async fn login_for(&self, email: &str) -> String {
        let answer = self
            .post(
                self.owner_key(),
                "/logins",
                json!({"login": {"type": "device", "email": email, "expire": "false"}}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.body["secret"].as_str().expect("secret").to_owned()
    }

    pub(crate) async fn assign(
        &self,
        user_id: u64,
        group: &str,
        valid_from: Option<DateTime<Utc>>,
        valid_until: Option<DateTime<Utc>>,
    ) -> Answer {
        self.post(
            self.owner_key(),
            "/role_assignments",
            json!({"role_assignment": {
                "user_id": user_id, "role_id": "group_basic", "group_id": self.group_id(group),
                "valid_from": valid_from, "valid_until": valid_until,
            }}),
        )
        .await
    }

    /// A managed member with a login and an open-ended assignment to `group`.
    pub(crate) async fn member_of(&self, email: &str, group: &str) -> (u64, String) {
        let user_id = self.managed_user(email).await;
        let answer = self.assign(user_id, group, None, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        (user_id, self.login_for(email).await)
    }

    pub(crate) async fn unlock(&self, key: &str, lock: &str, body: Value) -> Answer {
        self.post(key, &format!("/locks/{}/unlock", self.lock_id(lock)), body)
            .await
    }
}

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 time")
}
