//! Conformance: `KISI-LOGIN` auth, owner sign-in and its quota, logins on behalf of managed users
//! (kisi-api.md, "General" and "Logins").

use crate::common;

use std::time::Duration;

use common::{
    DOMAIN, FORBIDDEN, LOGIN_QUOTA_EXCEEDED, OWNER_EMAIL, OWNER_PASSWORD, UNAUTHORIZED,
    UNCONFIRMED_EMAIL, hive,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn sign_in_body(password: &str) -> serde_json::Value {
    json!({"login": {"type": "device"},
           "user": {"domain": DOMAIN, "email": OWNER_EMAIL, "password": password}})
}

#[tokio::test]
async fn requests_without_a_valid_kisi_login_are_unauthorized() {
    let kisi = hive().await;
    let missing = kisi.call(Method::GET, None, "/user", None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), UNAUTHORIZED);
    assert_eq!(missing.body["error"], "Unauthorized");
    let wrong = kisi.get("not-a-key", "/groups").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_owners_api_key_reads_the_owner() {
    let kisi = hive().await;
    let me = kisi.get(kisi.owner_key(), "/user").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], OWNER_EMAIL);
    assert_eq!(me.body["id"], kisi.ids.owner_id);
    assert!(
        me.body.get("password").is_none(),
        "passwords never leave the emulator"
    );
}

#[tokio::test]
async fn owner_sign_in_returns_a_working_key() {
    let kisi = hive().await;
    let login = kisi
        .call(
            Method::POST,
            None,
            "/logins",
            Some(sign_in_body(OWNER_PASSWORD)),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let secret = login.body["secret"].as_str().unwrap();
    assert_eq!(kisi.get(secret, "/user").await.body["email"], OWNER_EMAIL);
}

#[tokio::test]
async fn owner_sign_in_with_a_wrong_password_or_domain_is_unauthorized() {
    let kisi = hive().await;
    let wrong_password = kisi
        .call(Method::POST, None, "/logins", Some(sign_in_body("nope")))
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.code(), UNAUTHORIZED);
    let wrong_domain = json!({"login": {"type": "device"},
        "user": {"domain": "elsewhere", "email": OWNER_EMAIL, "password": OWNER_PASSWORD}});
    let answer = kisi
        .call(Method::POST, None, "/logins", Some(wrong_domain))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn owner_sign_in_beyond_the_login_quota_is_refused_until_a_login_is_removed() {
    let kisi = hive().await;
    kisi.emulator.control().set_login_quota(2);
    let mut secrets = Vec::new();
    for _ in 0..2 {
        let login = kisi
            .call(
                Method::POST,
                None,
                "/logins",
                Some(sign_in_body(OWNER_PASSWORD)),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK);
        secrets.push(login.body["secret"].as_str().unwrap().to_owned());
    }
    let refused = kisi
        .call(
            Method::POST,
            None,
            "/logins",
            Some(sign_in_body(OWNER_PASSWORD)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), LOGIN_QUOTA_EXCEEDED);
    assert_eq!(
        refused.body["error"],
        "Too many API logins: remove some logins in the Kisi dashboard and try again."
    );
    // The seeded API key does not count: it was not made by signing in.
    assert_eq!(
        kisi.get(kisi.owner_key(), "/user").await.status,
        StatusCode::OK
    );

    assert_eq!(
        kisi.delete(&secrets[0], "/login").await.status,
        StatusCode::NO_CONTENT
    );
    let again = kisi
        .call(
            Method::POST,
            None,
            "/logins",
            Some(sign_in_body(OWNER_PASSWORD)),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_revokes_the_key() {
    let kisi = hive().await;
    kisi.managed_user("ana@example.com").await;
    let secret = kisi.login_for("ana@example.com").await;
    assert_eq!(
        kisi.delete(&secret, "/login").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        kisi.get(&secret, "/user").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_login_on_behalf_of_a_managed_user_speaks_for_that_user() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    let answer = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "ana@example.com", "expire": "false"}}),
        )
        .await;
    assert_eq!(answer.body["user"]["id"], ana);
    assert_eq!(answer.body["user"]["email"], "ana@example.com");
    let secret = answer.body["secret"].as_str().unwrap();
    assert_eq!(kisi.get(secret, "/user").await.body["id"], ana);
}

#[tokio::test]
async fn on_behalf_logins_need_an_admin_key_and_a_device_type() {
    let kisi = hive().await;
    kisi.managed_user("ana@example.com").await;
    kisi.managed_user("ben@example.com").await;
    let ana = kisi.login_for("ana@example.com").await;
    let by_member = kisi
        .post(
            &ana,
            "/logins",
            json!({"login": {"type": "device", "email": "ben@example.com"}}),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let api_type = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "api", "email": "ben@example.com"}}),
        )
        .await;
    assert_eq!(api_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(api_type.body["errors"]["type"].is_array());
    let unknown = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "nobody@example.com"}}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_hand_added_unconfirmed_user_must_confirm_their_email_first() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .add_regular_user("carla@example.com", "Carla", false)
        .unwrap();
    let answer = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "carla@example.com"}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.code(), UNCONFIRMED_EMAIL);
    assert_eq!(
        answer.body["error"],
        "You have to confirm your email address before continuing."
    );
}

#[tokio::test]
async fn a_hand_added_confirmed_user_is_not_doorlinks_to_log_in_for() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .add_regular_user("dan@example.com", "Dan", true)
        .unwrap();
    let answer = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "dan@example.com"}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.code(), FORBIDDEN);
}

#[tokio::test]
async fn a_managed_users_own_login_cannot_manage_the_organization() {
    let kisi = hive().await;
    kisi.managed_user("ana@example.com").await;
    let ana = kisi.login_for("ana@example.com").await;
    let answer = kisi
        .post(&ana, "/groups", json!({"group": {"name": "Mine"}}))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer.body["error"],
        "You are not authorized to perform this action."
    );
    assert_eq!(
        kisi.get(&ana, "/users?query=ana").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kisi.get(&ana, "/events").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_user_keeps_at_most_forty_logins_and_loses_the_oldest() {
    let kisi = hive().await;
    let ana = kisi.managed_user("ana@example.com").await;
    let first = kisi.login_for("ana@example.com").await;
    for _ in 0..40 {
        kisi.login_for("ana@example.com").await;
    }
    let logins = kisi.emulator.control().state().logins;
    assert_eq!(
        logins.iter().filter(|login| login.user_id == ana).count(),
        40
    );
    assert_eq!(
        kisi.get(&first, "/user").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logins_unused_for_six_months_expire_unless_created_not_to() {
    let kisi = hive().await;
    kisi.managed_user("ana@example.com").await;
    let lasting = kisi.login_for("ana@example.com").await; // expire: "false"
    let expiring = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "ana@example.com"}}),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    kisi.emulator
        .control()
        .advance_clock(Duration::from_secs(181 * 24 * 3600));
    assert_eq!(
        kisi.get(&expiring, "/user").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(kisi.get(&lasting, "/user").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_login_made_on_a_members_behalf_expires_after_two_weeks_unused_unless_told_not_to() {
    let kisi = hive().await;
    kisi.managed_user("ana@example.com").await;
    let lasting = kisi.login_for("ana@example.com").await; // expire: "false"
    let expiring = kisi
        .post(
            kisi.owner_key(),
            "/logins",
            json!({"login": {"type": "device", "email": "ana@example.com"}}),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    kisi.emulator
        .control()
        .advance_clock(Duration::from_secs(15 * 24 * 3600));
    assert_eq!(
        kisi.get(&expiring, "/user").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(kisi.get(&lasting, "/user").await.status, StatusCode::OK);
}

#[tokio::test]
async fn snapshots_never_carry_login_secrets() {
    let kisi = hive().await;
    let json = serde_json::to_string(&kisi.emulator.control().state()).unwrap();
    assert!(!json.contains(kisi.owner_key()));
    assert!(!json.contains(OWNER_PASSWORD));
}
