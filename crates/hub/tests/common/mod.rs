//! A hub over an in-memory store, accounts of every role, and requests through `oneshot`.
#![allow(dead_code, unreachable_pub)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers stop loudly on a broken fixture"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use doorlink_core::{DoorState, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId};
use doorlink_core::{Email, LocationId, PersonId};
use doorlink_hub::testing::open_session;
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{
    AccountRole, Clock, DirectoryGroup, DirectoryPlace, KisiDirectory, NewLocation, Store,
};
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

/// A session of one test account.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: String,
    pub csrf: String,
    pub person: Option<PersonId>,
}

/// Who calls a route in the authorization matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Nobody,
    Member,
    OtherMember,
    Staff,
    Admin,
}

pub struct TestHub {
    pub state: AppState,
    pub router: Router,
    pub location: LocationId,
    pub member: Caller,
    pub other_member: Caller,
    pub staff: Caller,
    pub admin: Caller,
}

impl TestHub {
    pub async fn new() -> Self {
        Self::with_clock(Clock::system()).await
    }

    /// A hub whose clock stands still at `now` (the store's too).
    pub async fn at(now: DateTime<Utc>) -> Self {
        Self::with_clock(Clock::from_fn(move || now)).await
    }

    async fn with_clock(clock: Clock) -> Self {
        let store = Store::open_in_memory()
            .await
            .unwrap()
            .with_clock(clock.clone());
        Self::over(store, clock).await
    }

    /// A hub over a database file at `path` (to measure what a request writes to disk).
    pub async fn on_disk(path: &std::path::Path) -> Self {
        Self::over(Store::open(path).await.unwrap(), Clock::system()).await
    }

    async fn over(store: Store, clock: Clock) -> Self {
        let mut config = HubConfig::with_database(":memory:");
        config.run_sync_worker = false;
        config.ui_dist = Some("/nonexistent-ui-dist".into());
        let state = AppState::with_clock(store, config, clock);
        let location = state
            .store()
            .locations()
            .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
            .await
            .unwrap()
            .id;
        let ana = state
            .store()
            .people()
            .create("Ana", "ana@example.com")
            .await
            .unwrap();
        let ben = state
            .store()
            .people()
            .create("Ben", "ben@example.com")
            .await
            .unwrap();
        let member = account(&state, "ana@example.com", AccountRole::Member, Some(ana.id)).await;
        let other_member =
            account(&state, "ben@example.com", AccountRole::Member, Some(ben.id)).await;
        let staff = account(&state, "desk@example.com", AccountRole::Staff, None).await;
        let admin = account(&state, "admin@example.com", AccountRole::Admin, None).await;
        Self {
            router: app(state.clone()),
            state,
            location,
            member,
            other_member,
            staff,
            admin,
        }
    }

    pub fn caller(&self, who: Who) -> Option<&Caller> {
        match who {
            Who::Nobody => None,
            Who::Member => Some(&self.member),
            Who::OtherMember => Some(&self.other_member),
            Who::Staff => Some(&self.staff),
            Who::Admin => Some(&self.admin),
        }
    }

    /// Sends a request with the caller's bearer token.
    pub async fn call(
        &self,
        who: Who,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let caller = self.caller(who).cloned();
        self.send(caller.as_ref(), method, uri, body, Transport::Bearer)
            .await
    }

    /// The status of a request whose body is a stream (SSE) and is not read.
    pub async fn status_only(&self, who: Who, method: Method, uri: &str) -> StatusCode {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(caller) = self.caller(who) {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", caller.token));
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        response.status()
    }

    /// The body of an unauthenticated request as text.
    pub async fn text(&self, method: Method, uri: &str) -> String {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
            .await
            .unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    pub async fn send(
        &self,
        caller: Option<&Caller>,
        method: Method,
        uri: &str,
        body: Option<Value>,
        transport: Transport,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(caller) = caller {
            request = match transport {
                Transport::Bearer => {
                    request.header(header::AUTHORIZATION, format!("Bearer {}", caller.token))
                }
                Transport::Cookie => {
                    request.header(header::COOKIE, format!("doorlink_session={}", caller.token))
                }
                Transport::CookieWithCsrf => request
                    .header(header::COOKIE, format!("doorlink_session={}", caller.token))
                    .header("x-csrf-token", caller.csrf.clone()),
            };
        }
        let request = match body {
            Some(json) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
            .await
            .unwrap();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, json)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Bearer,
    Cookie,
    CookieWithCsrf,
}

/// An account with a session opened directly (no argon2 work: tests stay fast).
pub async fn account(
    state: &AppState,
    email: &str,
    role: AccountRole,
    person: Option<PersonId>,
) -> Caller {
    let email = Email::parse(email).unwrap();
    let account = state
        .store()
        .accounts()
        .create(&email, role, person, "$argon2id$not-a-real-hash")
        .await
        .unwrap();
    let session = open_session(state, &account).await.unwrap();
    Caller {
        token: session.token,
        csrf: session.csrf_token,
        person: account.person,
    }
}

/// The error code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

/// The fields a validation error names, in order.
pub fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| f["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Doorlink's copy of the location's Kisi directory: one place, one group (id, name) holding one
/// lock (id, name), no restrictions.
pub async fn one_door_directory(hub: &TestHub, group: (i64, &str), lock: (i64, &str)) {
    one_door_directory_in(hub.state.store(), hub.location, group, lock).await;
}

/// [`one_door_directory`] written through any store (e.g. another process's, over the same file).
pub async fn one_door_directory_in(
    store: &Store,
    location: LocationId,
    group: (i64, &str),
    lock: (i64, &str),
) {
    store
        .kisi_mirror()
        .replace_directory(
            location,
            &KisiDirectory {
                places: vec![DirectoryPlace {
                    id: KisiPlaceId(1),
                    name: "Kreuzberg".into(),
                }],
                groups: vec![DirectoryGroup {
                    id: KisiGroupId(group.0),
                    name: group.1.into(),
                    place: Some(KisiPlaceId(1)),
                    locks: BTreeSet::from([KisiLockId(lock.0)]),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    has_foreign_members: false,
                    app_access: Some(true),
                    primary_device_restriction: Some(false),
                }],
                locks: vec![KisiLock {
                    id: KisiLockId(lock.0),
                    name: lock.1.into(),
                    place: Some(KisiPlaceId(1)),
                    reader_restriction: false,
                    geofence_restriction: false,
                    time_restriction: false,
                    state: DoorState::default(),
                }],
            },
        )
        .await
        .unwrap();
}
