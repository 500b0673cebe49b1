//! A hub over a database file, serving on a socket, connected to the Kisi emulator: one location
//! with the room "Elbe" mapped to its Kisi group, and Ana, a member with a running booking of it.
//! The sync worker does not run on its own; tests drive it (`sync`) so nothing races them. The hub
//! can be restarted over the same file (`restart`), as after an update or a crash.

#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a shared test fixture; each test binary uses part of it and stops loudly"
)]

use std::path::PathBuf;

use chrono::Utc;
use doorlink_hub::{AppState, BootstrapAdmin, Hub, HubConfig, RunningHub};
use doorlink_store::Store;
use kisi_emulator::{EmulatorConfig, Login, RunningEmulator, Seed};
use reqwest::Client;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;

pub const ADMIN_EMAIL: &str = "admin@harbor.example";
pub const ADMIN_PASSWORD: &str = "admin password 123";
pub const ANA_EMAIL: &str = "ana@harbor.example";

/// One signed-in caller of the hub's HTTP API.
pub struct Api {
    client: Client,
    pub base: String,
    token: String,
}

impl Api {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.send(reqwest::Method::POST, path, Some(body)).await;
        assert!(
            (200..300).contains(&status),
            "POST {path}: {status} {answer}"
        );
        answer
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, answer) = self.send(reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {answer}");
        answer
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

pub struct KisiSpace {
    pub kisi: RunningEmulator,
    pub state: AppState,
    pub admin: Api,
    pub member: Api,
    pub location: i64,
    pub ana: i64,
    pub room: i64,
    pub room_group: i64,
    pub room_lock: i64,
    running: Option<RunningHub>,
    database: PathBuf,
    _data: TempDir,
}

impl KisiSpace {
    pub async fn start() -> Self {
        let kisi = kisi_emulator::start(EmulatorConfig {
            rate_limit_per_second: None,
            seed: Some(Seed::demo().unwrap()),
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        let data = tempfile::tempdir().unwrap();
        let database = data.path().join("doorlink.db");
        let (state, running) = serve(&database).await;
        let client = Client::new();
        let base = running.base_url();
        let admin = Api {
            token: sign_in(&client, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await,
            client: client.clone(),
            base: base.clone(),
        };

        let location = admin
            .post(
                "/api/locations",
                json!({"name": "Harbor Berlin", "time_zone": "Europe/Berlin", "access_page_visibility": "public"}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let api_key = kisi.seed_ids().unwrap().owner_api_key.clone();
        admin
            .post(
                &format!("/api/locations/{location}/kisi"),
                json!({"method": "api_key", "api_key": api_key, "base_url": kisi.base_url()}),
            )
            .await;
        let directory = admin
            .get(&format!("/api/locations/{location}/kisi/catalogue"))
            .await;
        let room_group = id_named(&directory["groups"], "Room Elbe");
        let room_lock = id_named(&directory["locks"], "Meeting Room Elbe");
        let room = admin
            .post(
                "/api/resources",
                json!({"location_id": location, "name": "Elbe", "kind": "room", "door_access": {"groups": [room_group]}}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let ana = admin
            .post(
                "/api/people",
                json!({"name": "Ana Lima", "email": ANA_EMAIL}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let invitation = admin
            .post(
                "/api/auth/invitations",
                json!({"email": ANA_EMAIL, "role": "member", "person_id": ana}),
            )
            .await;
        let session = admin
            .post(
                "/api/auth/invitations/redeem",
                json!({"token": invitation["token"], "password": "ana's long password"}),
            )
            .await;
        let member = Api {
            token: session["token"].as_str().unwrap().to_owned(),
            client,
            base,
        };
        let space = Self {
            kisi,
            state,
            admin,
            member,
            location,
            ana,
            room,
            room_group,
            room_lock,
            running: Some(running),
            database,
            _data: data,
        };
        space.book_room_now().await;
        space.sync().await;
        assert!(
            !space.ana_assignments_in(room_group).is_empty(),
            "the booking never became a role assignment in Kisi"
        );
        space
    }

    /// Books the room for Ana, running from ten minutes ago to an hour from now (R6).
    pub async fn book_room_now(&self) -> Value {
        self.book_room(chrono::Duration::minutes(-10), chrono::Duration::hours(1))
            .await
    }

    /// Books the room for Ana from `start` to `end` after now.
    pub async fn book_room(&self, start: chrono::Duration, end: chrono::Duration) -> Value {
        let now = Utc::now();
        self.admin
            .post(
                "/api/bookings",
                json!({
                    "resource_id": self.room, "booker_id": self.ana,
                    "start": (now + start).to_rfc3339(),
                    "end": (now + end).to_rfc3339(),
                }),
            )
            .await
    }

    /// Runs the sync worker until the outbox has nothing due.
    pub async fn sync(&self) {
        self.state.sync().drain().await.unwrap();
    }

    /// Stops the hub and starts a new one over the same database file; sign-ins survive.
    pub async fn restart(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
        let (state, running) = serve(&self.database).await;
        let base = running.base_url();
        self.state = state;
        self.admin.base.clone_from(&base);
        self.member.base = base;
        self.running = Some(running);
    }

    /// The folder holding the database (and its key file).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    /// The Kisi login the hub holds for Ana (A4), as the desktop app receives it.
    pub async fn ana_login_secret(&self) -> String {
        self.member
            .get(&format!("/api/me/kisi-login?location_id={}", self.location))
            .await["secret"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Ana presses the room's door on her Access page.
    pub async fn ana_unlocks_the_room(&self) -> Value {
        self.member
            .post(
                &format!("/api/me/locks/{}/unlock", self.room_lock),
                json!({}),
            )
            .await
    }

    /// Ana's Kisi user id, once sync made it.
    pub fn ana_user(&self) -> u64 {
        self.kisi
            .control()
            .state()
            .users
            .iter()
            .find(|u| u.email == ANA_EMAIL)
            .expect("Ana has no Kisi user")
            .id
    }

    /// The Kisi logins Ana's user has (Kisi keeps at most 40).
    pub fn ana_logins(&self) -> Vec<Login> {
        let user = self.ana_user();
        self.kisi
            .control()
            .state()
            .logins
            .into_iter()
            .filter(|l| l.user_id == user)
            .collect()
    }

    /// The role assignments Ana's user has in `group`.
    pub fn ana_assignments_in(&self, group: i64) -> Vec<kisi_emulator::RoleAssignment> {
        let state = self.kisi.control().state();
        let Some(user) = state
            .users
            .iter()
            .find(|u| u.email == ANA_EMAIL)
            .map(|u| u.id)
        else {
            return Vec::new();
        };
        state
            .role_assignments
            .into_iter()
            .filter(|ra| ra.user_id == user && ra.group_id as i64 == group)
            .collect()
    }

    /// Ana's Access page at the location.
    pub async fn ana_access(&self) -> Value {
        self.member
            .get(&format!("/api/me/access?location_id={}", self.location))
            .await
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
        self.kisi.shutdown().await;
    }
}

async fn serve(database: &std::path::Path) -> (AppState, RunningHub) {
    let mut config = HubConfig::with_database(database);
    config.bootstrap_admin = Some(BootstrapAdmin {
        email: ADMIN_EMAIL.into(),
        password: ADMIN_PASSWORD.into(),
    });
    config.run_sync_worker = false;
    config.sync.kisi.rate_limit = None;
    config.sync.reconcile_interval = None;
    let store = Store::open(database).await.unwrap();
    let state = AppState::new(store, config);
    let hub = Hub::with_state(state.clone()).await.unwrap();
    let running = hub
        .spawn(TcpListener::bind("127.0.0.1:0").await.unwrap())
        .unwrap();
    (state, running)
}

async fn sign_in(client: &Client, base: &str, email: &str, password: &str) -> String {
    let session: Value = client
        .post(format!("{base}/api/auth/sign-in"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"]
        .as_str()
        .unwrap_or_else(|| panic!("sign-in failed: {session}"))
        .to_owned()
}

pub fn id_named(list: &Value, name: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {list}"))["id"]
        .as_i64()
        .unwrap()
}
