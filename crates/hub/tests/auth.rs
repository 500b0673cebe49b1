//! Sign-in, sessions, CSRF, throttling and invitations.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{TestHub, Transport, Who, code};
use serde_json::json;

#[tokio::test]
async fn an_invited_person_sets_a_password_and_signs_in() {
    let hub = TestHub::new().await;
    let cara = hub
        .state
        .store()
        .people()
        .create("Cara", "cara@example.com")
        .await
        .unwrap();
    let (status, invitation) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/auth/invitations",
            Some(json!({"email": "Cara@Example.com", "role": "member", "person_id": cara.id.0})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    assert_eq!(invitation["email"], "cara@example.com");
    let token = invitation["token"].as_str().unwrap();

    let (status, session) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/invitations/redeem",
            Some(json!({"token": token, "password": "a long passphrase"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["account"]["role"], "member");
    assert_eq!(session["account"]["person_id"], cara.id.0);

    let (status, again) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/invitations/redeem",
            Some(json!({"token": token, "password": "another passphrase"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an invitation is used once: {again}"
    );

    let (status, signed_in) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "cara@example.com", "password": "a long passphrase"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let bearer = common::Caller {
        token: signed_in["token"].as_str().unwrap().to_owned(),
        csrf: signed_in["csrf_token"].as_str().unwrap().to_owned(),
        person: Some(cara.id),
    };
    let (status, me) = hub
        .send(
            Some(&bearer),
            Method::GET,
            "/api/auth/session",
            None,
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["account"]["email"], "cara@example.com");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "ana@example.com", "password": "wrong password"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status2, body2) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "nobody@example.com", "password": "wrong password"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status2, StatusCode::UNAUTHORIZED);
    assert_eq!(body, body2);
}

#[tokio::test]
async fn sign_in_is_throttled_after_five_attempts_per_email() {
    let hub = TestHub::new().await;
    for _ in 0..5 {
        let (status, _) = hub
            .send(
                None,
                Method::POST,
                "/api/auth/sign-in",
                Some(json!({"email": "ana@example.com", "password": "guess guess"})),
                Transport::Bearer,
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "ANA@example.com", "password": "guess guess"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code(&body), "throttled");
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_on_writes_and_bearer_sessions_do_not() {
    let hub = TestHub::new().await;
    let staff = hub.staff.clone();
    let (status, _) = hub
        .send(
            Some(&staff),
            Method::GET,
            "/api/auth/session",
            None,
            Transport::Cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "reads need no CSRF token");
    let invite = json!({"email": "new@example.com", "role": "staff"});
    let (status, body) = hub
        .send(
            Some(&hub.admin),
            Method::POST,
            "/api/auth/invitations",
            Some(invite.clone()),
            Transport::Cookie,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(code(&body), "csrf_failed");
    let (status, _) = hub
        .send(
            Some(&hub.admin),
            Method::POST,
            "/api/auth/invitations",
            Some(invite.clone()),
            Transport::CookieWithCsrf,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = hub
        .send(
            Some(&hub.admin),
            Method::POST,
            "/api/auth/invitations",
            Some(invite),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let hub = TestHub::new().await;
    let (status, _) = hub
        .call(Who::Member, Method::POST, "/api/auth/sign-out", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = hub
        .call(Who::Member, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "unauthenticated");
}

#[tokio::test]
async fn only_admins_invite_staff_and_members_need_a_person() {
    let hub = TestHub::new().await;
    let (status, _) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/auth/invitations",
            Some(json!({"email": "x@example.com", "role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = hub
        .call(
            Who::Staff,
            Method::POST,
            "/api/auth/invitations",
            Some(json!({"email": "x@example.com", "role": "member"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "person_id");
    let (status, _) = hub
        .call(
            Who::Member,
            Method::POST,
            "/api/auth/invitations",
            Some(json!({"email": "x@example.com", "role": "member", "person_id": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_short_password_is_refused_naming_the_field() {
    let hub = TestHub::new().await;
    let (status, body) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/invitations/redeem",
            Some(json!({"token": "x", "password": "short"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "password");
    let (status, body) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "ana@example.com"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "password", "{body}");
}

#[tokio::test]
async fn a_session_expires_after_its_lifetime() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};

    use doorlink_core::Email;
    use doorlink_hub::testing::open_session;
    use doorlink_hub::{AppState, HubConfig, app};
    use doorlink_store::{AccountRole, Clock, Store};

    let hours_later = Arc::new(AtomicI64::new(0));
    let offset = hours_later.clone();
    let clock = Clock::from_fn(move || {
        chrono::Utc::now() + chrono::Duration::hours(offset.load(Ordering::SeqCst))
    });
    let store = Store::open_in_memory()
        .await
        .unwrap()
        .with_clock(clock.clone());
    let mut config = HubConfig::with_database(":memory:");
    config.session_ttl = std::time::Duration::from_secs(8 * 3600);
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
    assert_eq!(ask().await.unwrap().status(), StatusCode::OK);
    hours_later.store(7, Ordering::SeqCst);
    assert_eq!(
        ask().await.unwrap().status(),
        StatusCode::OK,
        "still inside the 8 hours"
    );
    hours_later.store(9, Ordering::SeqCst);
    assert_eq!(
        ask().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "expired after 8 hours"
    );
}

#[tokio::test]
async fn after_a_reload_the_session_route_gives_back_the_csrf_token_of_sign_in() {
    let hub = TestHub::new().await;
    let cara = hub
        .state
        .store()
        .people()
        .create("Cara", "cara@example.com")
        .await
        .unwrap();
    let hash = doorlink_hub::hash_password("a long passphrase")
        .await
        .unwrap();
    hub.state
        .store()
        .accounts()
        .create(
            &doorlink_core::Email::parse("cara@example.com").unwrap(),
            doorlink_store::AccountRole::Staff,
            Some(cara.id),
            &hash,
        )
        .await
        .unwrap();
    let (status, signed_in) = hub
        .send(
            None,
            Method::POST,
            "/api/auth/sign-in",
            Some(json!({"email": "cara@example.com", "password": "a long passphrase"})),
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{signed_in}");
    let csrf_at_sign_in = signed_in["csrf_token"].as_str().unwrap().to_owned();

    // The reload: the browser still has its cookie, and nothing else.
    let cookie_only = common::Caller {
        token: signed_in["token"].as_str().unwrap().to_owned(),
        csrf: String::new(),
        person: Some(cara.id),
    };
    let (status, session) = hub
        .send(
            Some(&cookie_only),
            Method::GET,
            "/api/auth/session",
            None,
            Transport::Cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["csrf_token"], csrf_at_sign_in.as_str());
    assert_eq!(session["account"]["email"], "cara@example.com");
    assert_eq!(session["account"]["role"], "staff");
    let millis = |value: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap())
            .unwrap()
            .timestamp_millis()
    };
    assert_eq!(
        millis(&session["expires_at"]),
        millis(&signed_in["expires_at"])
    );

    let reloaded = common::Caller {
        csrf: session["csrf_token"].as_str().unwrap().to_owned(),
        ..cookie_only
    };
    let (status, created) = hub
        .send(
            Some(&reloaded),
            Method::POST,
            "/api/people",
            Some(json!({"name": "Dora", "email": "dora@example.com"})),
            Transport::CookieWithCsrf,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a write with the token from the session route: {created}"
    );
}

#[tokio::test]
async fn each_session_has_its_own_csrf_token() {
    let hub = TestHub::new().await;
    assert_ne!(hub.member.csrf, hub.staff.csrf);
    let (_, session) = hub
        .call(Who::Member, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(session["csrf_token"], hub.member.csrf.as_str());
    let ana_with_bens_token = common::Caller {
        csrf: hub.other_member.csrf.clone(),
        ..hub.member.clone()
    };
    let (status, body) = hub
        .send(
            Some(&ana_with_bens_token),
            Method::POST,
            "/api/auth/sign-out",
            None,
            Transport::CookieWithCsrf,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "csrf_failed");
}
