//! Taking over an account, tried as an attacker with a staff (or member) login would: inviting an
//! existing account's e-mail, redeeming an invitation after the account appeared, demoting or
//! disabling the last admin (also two admins at once). Each must leave every account as it was.
#![allow(
    clippy::unwrap_used,
    reason = "fixtures stop the test loudly when they cannot be built"
)]

use crate::common;

use axum::http::{Method, StatusCode};
use common::{TestHub, Transport, Who, code, fields};
use doorlink_core::Email;
use doorlink_store::AccountRole;
use serde_json::{Value, json};

async fn invite(hub: &TestHub, who: Who, body: Value) -> (StatusCode, Value) {
    hub.call(who, Method::POST, "/api/auth/invitations", Some(body))
        .await
}

async fn redeem(hub: &TestHub, token: &str) -> (StatusCode, Value) {
    hub.send(
        None,
        Method::POST,
        "/api/auth/invitations/redeem",
        Some(json!({"token": token, "password": "the attacker's password"})),
        Transport::Bearer,
    )
    .await
}

async fn role_of(hub: &TestHub, email: &str) -> AccountRole {
    let email = Email::parse(email).unwrap();
    let (account, _) = hub
        .state
        .store()
        .accounts()
        .credentials(&email)
        .await
        .unwrap()
        .unwrap();
    account.role
}

/// The attacker's own person, to link the hijacked account to.
async fn a_person(hub: &TestHub) -> i64 {
    hub.state
        .store()
        .people()
        .create("Eve", "eve@example.com")
        .await
        .unwrap()
        .id
        .0
}

#[tokio::test]
async fn staff_cannot_take_over_the_owner_by_inviting_their_email() {
    let hub = TestHub::new().await;
    let eve = a_person(&hub).await;
    let (status, body) = invite(
        &hub,
        Who::Staff,
        json!({"email": "Admin@Example.com", "role": "member", "person_id": eve}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(fields(&body), ["email"], "{body}");
    assert!(body["token"].is_null(), "no token to redeem: {body}");

    assert_eq!(role_of(&hub, "admin@example.com").await, AccountRole::Admin);
    let (status, session) = hub
        .call(Who::Admin, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(status, StatusCode::OK, "the owner is still signed in");
    assert_eq!(session["account"]["role"], "admin");
}

#[tokio::test]
async fn staff_cannot_take_over_a_member_by_inviting_their_email() {
    let hub = TestHub::new().await;
    let eve = a_person(&hub).await;
    let (status, body) = invite(
        &hub,
        Who::Staff,
        json!({"email": "ben@example.com", "role": "member", "person_id": eve}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(fields(&body), ["email"]);
    let (status, session) = hub
        .call(Who::OtherMember, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(status, StatusCode::OK, "Ben is still signed in: {session}");
    assert_eq!(
        session["account"]["person_id"],
        hub.other_member.person.unwrap().0,
        "Ben's account still shows Ben's doors"
    );
}

#[tokio::test]
async fn an_invitation_redeemed_after_the_account_appeared_never_changes_it() {
    let hub = TestHub::new().await;
    let eve = a_person(&hub).await;
    // Invited while nobody had the e-mail…
    let (status, invitation) = invite(
        &hub,
        Who::Admin,
        json!({"email": "cara@example.com", "role": "member", "person_id": eve}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    // …then Cara's staff account is made another way before the token is used.
    let cara = common::account(&hub.state, "cara@example.com", AccountRole::Staff, None).await;

    let (status, body) = redeem(&hub, invitation["token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "conflict");
    assert_eq!(role_of(&hub, "cara@example.com").await, AccountRole::Staff);
    let (status, _) = hub
        .send(
            Some(&cara),
            Method::GET,
            "/api/auth/session",
            None,
            Transport::Bearer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "Cara's session survives");
}

#[tokio::test]
async fn staff_cannot_invite_anyone_above_their_own_role() {
    let hub = TestHub::new().await;
    for role in ["staff", "admin"] {
        let (status, body) = invite(
            &hub,
            Who::Staff,
            json!({"email": "new@example.com", "role": role}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {body}");
    }
}

#[tokio::test]
async fn an_invitation_from_staff_who_were_since_disabled_cannot_be_redeemed() {
    let hub = TestHub::new().await;
    let eve = a_person(&hub).await;
    let (status, invitation) = invite(
        &hub,
        Who::Staff,
        json!({"email": "new@example.com", "role": "member", "person_id": eve}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    let desk = staff_id(&hub).await;
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/accounts/{desk}/disable"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = redeem(&hub, invitation["token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let email = Email::parse("new@example.com").unwrap();
    assert!(
        hub.state
            .store()
            .accounts()
            .credentials(&email)
            .await
            .unwrap()
            .is_none()
    );
}

async fn staff_id(hub: &TestHub) -> i64 {
    let email = Email::parse("desk@example.com").unwrap();
    let (account, _) = hub
        .state
        .store()
        .accounts()
        .credentials(&email)
        .await
        .unwrap()
        .unwrap();
    account.id.0
}

async fn admin_id(hub: &TestHub) -> i64 {
    let email = Email::parse("admin@example.com").unwrap();
    let (account, _) = hub
        .state
        .store()
        .accounts()
        .credentials(&email)
        .await
        .unwrap()
        .unwrap();
    account.id.0
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted() {
    let hub = TestHub::new().await;
    let admin = admin_id(&hub).await;
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::PUT,
            &format!("/api/accounts/{admin}/role"),
            Some(json!({"role": "staff"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(fields(&body), ["role"], "{body}");
    assert_eq!(role_of(&hub, "admin@example.com").await, AccountRole::Admin);
}

#[tokio::test]
async fn the_last_admin_cannot_be_disabled() {
    let hub = TestHub::new().await;
    let admin = admin_id(&hub).await;
    let (status, body) = hub
        .call(
            Who::Admin,
            Method::POST,
            &format!("/api/accounts/{admin}/disable"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = hub
        .call(Who::Admin, Method::GET, "/api/auth/session", None)
        .await;
    assert_eq!(status, StatusCode::OK, "the admin is still signed in");
}

#[tokio::test]
async fn staff_cannot_change_roles() {
    let hub = TestHub::new().await;
    let desk = staff_id(&hub).await;
    let (status, _) = hub
        .call(
            Who::Staff,
            Method::PUT,
            &format!("/api/accounts/{desk}/role"),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(role_of(&hub, "desk@example.com").await, AccountRole::Staff);
}

/// Two admins demote or disable each other (or step down themselves) at the same moment, each
/// through their own hub process over the same database file: one wins, the other is refused, an
/// admin is left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    use doorlink_store::Store;
    for round in 0..12 {
        let folder = tempfile::TempDir::new().unwrap();
        let path = folder.path().join("doorlink.db");
        let first = Store::open(&path).await.unwrap();
        let second = Store::open(&path).await.unwrap();
        let mut admins = Vec::new();
        for email in ["ada@example.com", "bo@example.com"] {
            let email = Email::parse(email).unwrap();
            let account = first
                .accounts()
                .create(&email, AccountRole::Admin, None, "$argon2id$unused")
                .await
                .unwrap();
            admins.push(account);
        }
        let (ada, bo) = (&admins[0], &admins[1]);
        let (on_first, on_second) = (first.accounts(), second.accounts());
        let (a, b) = match round % 3 {
            0 => tokio::join!(
                on_first.set_role(ada, bo.id, AccountRole::Staff),
                on_second.set_role(bo, ada.id, AccountRole::Staff),
            ),
            1 => tokio::join!(
                on_first.set_disabled(ada, bo.id, true),
                on_second.set_disabled(bo, ada.id, true),
            ),
            // Each steps down at once: only the last-admin rule stops the second.
            _ => tokio::join!(
                on_first.set_role(ada, ada.id, AccountRole::Staff),
                on_second.set_role(bo, bo.id, AccountRole::Staff),
            ),
        };
        assert!(
            a.is_ok() != b.is_ok(),
            "exactly one demotion wins: {a:?} / {b:?}"
        );
        let left = first
            .accounts()
            .list()
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == AccountRole::Admin && a.disabled_at.is_none())
            .count();
        assert_eq!(left, 1, "one admin is left");
    }
}

/// A database taken over before the last-admin rule (the owner demoted to member, no admin
/// left): restarting with the configured admin (`DOORLINK_ADMIN_*`) makes that account an enabled
/// admin again with the configured password. While an admin exists, a restart changes nobody.
#[tokio::test]
async fn restarting_with_the_configured_admin_brings_one_back_after_a_takeover() {
    use doorlink_hub::{AppState, BootstrapAdmin, Hub, HubConfig};
    use doorlink_store::Store;
    let owner = Email::parse("owner@example.com").unwrap();
    let configured = || {
        let mut config = HubConfig::with_database(":memory:");
        config.run_sync_worker = false;
        config.bootstrap_admin = Some(BootstrapAdmin {
            email: "owner@example.com".into(),
            password: "the configured passphrase".into(),
        });
        config
    };
    let store = Store::open_in_memory().await.unwrap();
    let taken_over = store
        .accounts()
        .create(&owner, AccountRole::Member, None, "$argon2id$attacker")
        .await
        .unwrap();
    let hub = Hub::with_state(AppState::new(store.clone(), configured()))
        .await
        .unwrap();
    let (account, hash) = store.accounts().credentials(&owner).await.unwrap().unwrap();
    assert_eq!(account.id, taken_over.id);
    assert!(account.is_active_admin(), "{account:?}");
    assert!(doorlink_hub::verify_password("the configured passphrase", &hash.unwrap()).await);
    drop(hub);

    // Now an admin exists: demoting the configured account is the admins' business.
    let other = Email::parse("second@example.com").unwrap();
    let second = store
        .accounts()
        .create(&other, AccountRole::Admin, None, "$argon2id$unused")
        .await
        .unwrap();
    store
        .accounts()
        .set_role(&second, account.id, AccountRole::Staff)
        .await
        .unwrap();
    Hub::with_state(AppState::new(store.clone(), configured()))
        .await
        .unwrap();
    assert_eq!(
        store.accounts().get(account.id).await.unwrap().role,
        AccountRole::Staff
    );
}
