//! Hardening headers (issue 11): what a browser is told about every answer of the hub.
#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use crate::common;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, header};
use common::TestHub;
use doorlink_core::Email;
use doorlink_hub::hash_password;
use doorlink_hub::{AppState, HubConfig, app};
use doorlink_store::{AccountRole, Store};
use serde_json::json;
use tower::ServiceExt;

async fn headers_of(router: &Router, request: Request<Body>) -> HeaderMap {
    router
        .clone()
        .oneshot(request)
        .await
        .unwrap()
        .headers()
        .clone()
}

fn get(uri: &str, bearer: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().method(Method::GET).uri(uri);
    if let Some(token) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).unwrap()
}

/// Adversary: a page of another site framing the hub (clickjacking an unlock button), a script
/// injected into the UI loading code from elsewhere, a shared cache keeping a Kisi login.
#[tokio::test]
async fn no_answer_may_be_framed_sniffed_or_run_foreign_scripts_and_api_answers_are_not_cached() {
    let hub = TestHub::new().await;
    for request in [
        get("/", None),
        get("/api/auth/session", None),
        get("/api/me/kisi-login", Some(&hub.member.token)),
    ] {
        let uri = request.uri().to_string();
        let headers = headers_of(&hub.router, request).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        if uri.starts_with("/api/") {
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{uri}");
        }
    }
}

/// A hub with Ana's account (password "correct horse battery") behind a proxy at 10.0.0.2.
async fn hub_with_ana(public_url: Option<&str>) -> Router {
    let mut config = HubConfig::with_database(":memory:");
    config.run_sync_worker = false;
    config.ui_dist = Some("/nonexistent-ui-dist".into());
    config.trusted_proxies = vec!["10.0.0.2/32".parse().unwrap()];
    config.public_url = public_url.map(str::to_owned);
    let store = Store::open_in_memory().await.unwrap();
    let hash = hash_password("correct horse battery").await.unwrap();
    store
        .accounts()
        .create(
            &Email::parse("ana@example.com").unwrap(),
            AccountRole::Staff,
            None,
            &hash,
        )
        .await
        .unwrap();
    app(AppState::new(store, config))
}

/// The session cookie Ana's sign-in sets, arriving from `peer` with `X-Forwarded-Proto: https`.
async fn session_cookie(router: &Router, peer: &str) -> String {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/sign-in")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .extension(ConnectInfo(peer.parse::<SocketAddr>().unwrap()))
        .body(Body::from(
            json!({"email": "ana@example.com", "password": "correct horse battery"}).to_string(),
        ))
        .unwrap();
    let headers = headers_of(router, request).await;
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    headers[header::SET_COOKIE].to_str().unwrap().to_owned()
}

/// Adversary: someone on the network between the browser and the hub, reading a session cookie a
/// browser sent over plain http.
#[tokio::test]
async fn the_session_cookie_is_secure_whenever_the_hub_is_reached_over_https() {
    let behind_https_proxy = hub_with_ana(None).await;
    let cookie = session_cookie(&behind_https_proxy, "10.0.0.2:40000").await;
    assert!(cookie.ends_with("; Secure"), "{cookie}");

    // The same header from a client that is no trusted proxy says nothing.
    let cookie = session_cookie(&behind_https_proxy, "198.51.100.9:40000").await;
    assert!(!cookie.contains("Secure"), "{cookie}");

    let public_https = hub_with_ana(Some("https://doors.example.com")).await;
    let cookie = session_cookie(&public_https, "198.51.100.9:40000").await;
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

/// The adversary: the bundle an admin downloads is mailed to outsiders; it must carry what support
/// needs and no session of the hub (issue 17, point 13; the CLI's test covers every other secret).
#[tokio::test]
async fn the_admin_downloads_a_support_bundle_without_any_session_in_it() {
    let hub = TestHub::new().await;
    let request = Request::builder()
        .uri("/api/support-bundle")
        .header(header::AUTHORIZATION, format!("Bearer {}", hub.admin.token))
        .body(Body::empty())
        .unwrap();
    let response = hub.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"doorlink-support-"),
        "{disposition}"
    );
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(body.to_vec()).unwrap();
    let bundle: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(bundle["doorlink_version"].is_string(), "{bundle}");
    assert!(bundle["locations"].is_array(), "{bundle}");
    for caller in [&hub.admin, &hub.staff, &hub.member] {
        assert!(
            !text.contains(&caller.token),
            "a session token is in the bundle"
        );
    }
}
