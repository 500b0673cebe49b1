//! Issue 14: two hubs (two `AppState`s and routers, as two processes) over one database file
//! share what used to be process-local: the sign-in throttle counts in the database, and a
//! session is a row both hubs read.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use common::{Caller, account, code};
use doorlink_api::routes::{AUTH_SESSION, AUTH_SIGN_IN, AUTH_SIGN_OUT};
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{AccountRole, Clock, Store};
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// One hub process over the shared database file.
struct Hub {
    state: AppState,
    router: Router,
}

impl Hub {
    /// A hub whose clock stands still (the store's too), so a slow machine refills no attempt
    /// between two guesses.
    async fn over(path: &std::path::Path) -> Self {
        let now = Utc::now();
        let clock = Clock::from_fn(move || now);
        let store = Store::open(path).await.unwrap().with_clock(clock.clone());
        let mut config = HubConfig::with_database(path);
        config.run_sync_worker = false;
        config.ui_dist = Some("/nonexistent-ui-dist".into());
        let state = AppState::with_clock(store, config, clock);
        Self {
            router: app(state.clone()),
            state,
        }
    }

    async fn send(
        &self,
        caller: Option<&Caller>,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(caller) = caller {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", caller.token));
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
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn guess(&self, email: &str) -> (StatusCode, Value) {
        self.send(
            None,
            Method::POST,
            AUTH_SIGN_IN,
            Some(json!({"email": email, "password": "guess guess"})),
        )
        .await
    }
}

async fn two_hubs() -> (TempDir, Hub, Hub) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let first = Hub::over(&path).await;
    let second = Hub::over(&path).await;
    (dir, first, second)
}

/// How many wrong passwords the hubs answer 401 before they throttle (at most 20 are tried).
async fn guesses_before_throttled(hubs: &[&Hub], email: &str) -> usize {
    const TRIES: usize = 20;
    for attempt in 0..TRIES {
        let (status, body) = hubs[attempt % hubs.len()].guess(email).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(code(&body), "throttled");
            return attempt;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    TRIES
}

/// The adversary: a guesser alternating between two hubs on one database, hoping each counts
/// only its own attempts (twice the guesses).
#[tokio::test]
async fn a_guesser_alternating_between_two_hubs_is_throttled_after_as_many_attempts_as_on_one() {
    let (_dir, a, b) = two_hubs().await;
    account(&a.state, "ana@example.com", AccountRole::Member, None).await;
    account(&a.state, "ben@example.com", AccountRole::Member, None).await;
    let on_one = guesses_before_throttled(&[&a], "ana@example.com").await;
    let on_two = guesses_before_throttled(&[&a, &b], "ben@example.com").await;
    assert_eq!(on_one, 5);
    assert_eq!(on_two, on_one);
    // Either hub refuses the next guess now.
    assert_eq!(
        b.guess("ana@example.com").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// The adversary: a stolen session presented to the other hub, and one ended on this hub.
#[tokio::test]
async fn a_session_made_on_one_hub_is_accepted_by_the_other_until_signed_out_on_either() {
    let (_dir, a, b) = two_hubs().await;
    let ana = account(&a.state, "ana@example.com", AccountRole::Member, None).await;
    let (status, body) = b.send(Some(&ana), Method::GET, AUTH_SESSION, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = a.send(Some(&ana), Method::POST, AUTH_SIGN_OUT, None).await;
    assert!(status.is_success(), "{status} {body}");
    let (status, _) = b.send(Some(&ana), Method::GET, AUTH_SESSION, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
