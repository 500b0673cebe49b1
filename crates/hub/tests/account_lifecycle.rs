//! An account's life: an admin disables, enables, re-roles and ends the sessions of accounts and
//! withdraws invitations; everyone changes their own password and ends their own sessions; an
//! unused session ends after the idle timeout. Each names who it defends against.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Caller, TestHub, Transport, Who, code, fields};
use doorlink_core::Email;
use doorlink_store::AccountRole;
use serde_json::{Value, json};

const PASSWORD: &str = "the first passphrase";

/// Cara, staff, with a real password (argon2), not signed in yet.
async fn cara(hub: &TestHub) -> i64 {
    let hash = doorlink_hub::hash_password(PASSWORD).await.unwrap();
    hub.state
        .store()
        .accounts()
        .create(
            &Email::parse("cara@example.com").unwrap(),
            AccountRole::Staff,
            None,
            &hash,
        )
        .await
        .unwrap()
        .id
        .0
}

async fn sign_in(hub: &TestHub, password: &str) -> (StatusCode, Value) {
    hub.send(
        None,
        Method::POST,
        "/api/auth/sign-in",
        Some(json!({"email": "cara@example.com", "password": password})),
        Transport::Bearer,
    )
    .await
}

fn caller(session: &Value) -> Caller {
    Caller {
        token: session["token"].as_str().unwrap().to_owned(),
        csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        person: None,
    }
}

async fn as_caller(
    hub: &TestHub,
    caller: &Caller,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    hub.send(Some(caller), method, uri, body, Transport::Bearer)
        .await
}

async fn still_signed_in(hub: &TestHub, caller: &Caller) -> bool {
    as_caller(hub, caller, Method::GET, "/api/auth/session", None)
        .await
        .0
        == StatusCode::OK
}

#[tokio::test]
async fn a_disabled_account_loses_its_open_sessions_and_cannot_sign_in_until_enabled() {
    // The adversary: staff who left, with a session still open on the front desk computer.
    let hub = TestHub::new().await;
    let id = cara(&hub).await;
    let (status, session) = sign_in(&hub, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let left_open = caller(&session);

    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/accounts/{id}/disable"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["disabled_at"].is_string(), "{body}");
    assert!(!still_signed_in(&hub, &left_open).await);

    let (status, body) = sign_in(&hub, PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("disabled"),
        "{body}"
    );
    let (status, _) = sign_in(&hub, "not the password").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a wrong password learns nothing about the account"
    );

    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/accounts/{id}/enable"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = sign_in(&hub, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);

    let (_, accounts) = hub
        .call(Who::Admin, Method::GET, "/api/accounts", None)
        .await;
    let listed = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "cara@example.com")
        .unwrap();
    assert!(listed["disabled_at"].is_null());
    assert!(listed["last_sign_in_at"].is_string(), "{listed}");
    assert_eq!(listed["role"], "staff");
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_other_session() {
    // The adversaries: someone at an unlocked laptop who does not know the password, and a
    // stolen session on another computer.
    let hub = TestHub::new().await;
    cara(&hub).await;
    let (_, here) = sign_in(&hub, PASSWORD).await;
    let (_, stolen) = sign_in(&hub, PASSWORD).await;
    let (here, stolen) = (caller(&here), caller(&stolen));

    let (status, body) = as_caller(
        &hub,
        &here,
        Method::POST,
        "/api/auth/password",
        Some(json!({"current_password": "a guess at it", "new_password": "the second passphrase"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["current_password"]);
    assert!(still_signed_in(&hub, &stolen).await, "nothing changed");

    let (status, body) = as_caller(
        &hub,
        &here,
        Method::POST,
        "/api/auth/password",
        Some(json!({"current_password": PASSWORD, "new_password": "short"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["new_password"]);

    let (status, body) = as_caller(
        &hub,
        &here,
        Method::POST,
        "/api/auth/password",
        Some(json!({"current_password": PASSWORD, "new_password": "the second passphrase"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(still_signed_in(&hub, &here).await);
    assert!(!still_signed_in(&hub, &stolen).await);
    assert_eq!(sign_in(&hub, PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        sign_in(&hub, "the second passphrase").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_person_lists_and_ends_their_own_sessions_but_never_another_persons() {
    // The adversary: a member guessing the session ids of someone else.
    let hub = TestHub::new().await;
    cara(&hub).await;
    let (_, here) = sign_in(&hub, PASSWORD).await;
    let (_, there) = sign_in(&hub, PASSWORD).await;
    let (_, third) = sign_in(&hub, PASSWORD).await;
    let (here, there, third) = (caller(&here), caller(&there), caller(&third));

    let (status, sessions) = as_caller(&hub, &here, Method::GET, "/api/auth/sessions", None).await;
    assert_eq!(status, StatusCode::OK, "{sessions}");
    let sessions = sessions.as_array().unwrap().clone();
    assert_eq!(sessions.len(), 3);
    assert_eq!(
        sessions.iter().filter(|s| s["current"] == true).count(),
        1,
        "{sessions:?}"
    );
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_i64()
        .unwrap();

    let (status, _) = hub
        .call(
            Who::Member,
            Method::DELETE,
            &format!("/api/auth/sessions/{other}"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "Ana cannot end Cara's session"
    );
    assert!(still_signed_in(&hub, &there).await && still_signed_in(&hub, &third).await);

    let (status, _) = as_caller(
        &hub,
        &here,
        Method::DELETE,
        &format!("/api/auth/sessions/{other}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, left) = as_caller(&hub, &here, Method::GET, "/api/auth/sessions", None).await;
    assert_eq!(left.as_array().unwrap().len(), 2);

    let (status, _) = as_caller(
        &hub,
        &here,
        Method::POST,
        "/api/auth/sessions/end-others",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(still_signed_in(&hub, &here).await);
    assert!(!still_signed_in(&hub, &there).await && !still_signed_in(&hub, &third).await);
}

#[tokio::test]
async fn an_admin_ends_every_session_of_a_lost_laptop() {
    let hub = TestHub::new().await;
    let id = cara(&hub).await;
    let (_, lost) = sign_in(&hub, PASSWORD).await;
    let lost = caller(&lost);
    let (status, _) = hub
        .call(
            Who::Staff,
            Method::POST,
            &format!("/api/accounts/{id}/sessions/end"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff cannot end others' sessions"
    );
    assert!(still_signed_in(&hub, &lost).await);
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/accounts/{id}/sessions/end"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!still_signed_in(&hub, &lost).await);
    assert_eq!(sign_in(&hub, PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_withdrawn_invitation_no_longer_redeems() {
    // The adversary: whoever found the token in a chat log after the invitation was withdrawn.
    let hub = TestHub::new().await;
    let (status, invitation) = hub
        .call(
            Who::Admin,
            Method::POST,
            "/api/auth/invitations",
            Some(json!({"email": "dora@example.com", "role": "staff"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, pending) = hub
        .call(Who::Admin, Method::GET, "/api/auth/invitations", None)
        .await;
    let pending = pending.as_array().unwrap().clone();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["email"], "dora@example.com");
    assert!(
        pending[0]["token"].is_null(),
        "the token is shown only once"
    );
    let id = pending[0]["id"].as_i64().unwrap();

    let (status, _) = hub
        .call(
            Who::Admin,
            Method::DELETE,
            &format!("/api/auth/invitations/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/invitations/redeem",
            Some(json!({"token": invitation["token"], "password": "a long passphrase"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(code(&body), "not_found");
    let (_, pending) = hub
        .call(Who::Admin, Method::GET, "/api/auth/invitations", None)
        .await;
    assert_eq!(pending, json!([]));
}

#[tokio::test]
async fn every_account_action_is_in_the_history_with_who_did_it() {
    let hub = TestHub::new().await;
    let id = cara(&hub).await;
    let eve = hub
        .state
        .store()
        .people()
        .create("Eve", "eve@example.com")
        .await
        .unwrap()
        .id
        .0;
    hub.call(
        Who::Admin,
        Method::PUT,
        &format!("/api/accounts/{id}/role"),
        Some(json!({"role": "admin"})),
    )
    .await;
    hub.call(
        Who::Admin,
        Method::POST,
        &format!("/api/accounts/{id}/disable"),
        None,
    )
    .await;
    hub.call(
        Who::Staff,
        Method::POST,
        "/api/auth/invitations",
        Some(json!({"email": "dora@example.com", "role": "member", "person_id": eve})),
    )
    .await;
    let (status, history) = hub
        .call(Who::Admin, Method::GET, "/api/accounts/history", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let lines: Vec<String> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["actor_email"].as_str().unwrap_or("-"),
                e["action"].as_str().unwrap(),
                e["subject_email"].as_str().unwrap(),
                e["detail"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "desk@example.com invited dora@example.com as member",
            "admin@example.com disabled cara@example.com ",
            "admin@example.com changed the role cara@example.com from staff to admin",
        ],
        "newest first"
    );
}

#[tokio::test]
async fn a_session_left_unused_longer_than_the_idle_timeout_ends() {
    // The adversary: whoever sits down at a computer someone left signed in overnight.
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use doorlink_hub::testing::open_session;
    use doorlink_hub::{AppState, HubConfig, app};
    use doorlink_store::{Clock, Store};

    let minutes_later = Arc::new(AtomicI64::new(0));
    let offset = minutes_later.clone();
    let clock = Clock::from_fn(move || {
        chrono::Utc::now() + chrono::Duration::minutes(offset.load(Ordering::SeqCst))
    });
    let store = Store::open_in_memory()
        .await
        .unwrap()
        .with_clock(clock.clone());
    let mut config = HubConfig::with_database(":memory:");
    config.session_idle = std::time::Duration::from_secs(3600);
    let state = AppState::with_clock(store, config, clock);
    let account = state
        .store()
        .accounts()
        .create(
            &Email::parse("desk@example.com").unwrap(),
            AccountRole::Staff,
            None,
            "$argon2id$unused",
        )
        .await
        .unwrap();
    let session = open_session(&state, &account).await.unwrap();
    let router = app(state);
    let ask = || {
        let request = axum::http::Request::get("/api/auth/session")
            .header("authorization", format!("Bearer {}", session.token))
            .body(axum::body::Body::empty())
            .unwrap();
        tower::ServiceExt::oneshot(router.clone(), request)
    };
    // Used every 50 minutes, it lives on past the hour…
    for at in [50, 100, 150] {
        minutes_later.store(at, Ordering::SeqCst);
        assert_eq!(ask().await.unwrap().status(), StatusCode::OK, "at {at} min");
    }
    // …left alone for 61 minutes, it ends.
    minutes_later.store(211, Ordering::SeqCst);
    assert_eq!(ask().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
