//! `doorlink export-support-bundle`: one JSON file with what a support engineer needs (version,
//! locations and their Kisi connection state, mapping warnings, the sync queue and its failures,
//! recent audit entries, counts) and no credential or secret of any kind.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test stops loudly"
)]

use std::time::Duration;

use chrono::Utc;
use doorlink_cli::commands::demo;
use doorlink_cli::commands::support_bundle::{ExportSupportBundleArgs, run};
use doorlink_core::{Email, KisiUserId};
use doorlink_store::{AccountRole, Backoff, OutboxScope, PersonKisiLogin, SecretValue, Store};
use serde_json::Value;

const PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$3q2+7w0u5yWZ8Zr8f0xC9aX5M0Vh2m1c9lQb7m8v3wU";
const SESSION_TOKEN: &str = "dl_session_4f1c2a9e77b04d2c8a5e";
const SESSION_TOKEN_HASH: &str = "9b1f3c0d5a7e2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c";
const CSRF_HASH: &str = "c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7";
const PERSON_LOGIN_SECRET: &str = "member-device-login-0d9e8f7a6b5c";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_tells_support_what_they_need_and_holds_no_secret() {
    let emulator = demo::start_emulator(0).await.unwrap();
    let api_key = emulator.seed_ids().unwrap().owner_api_key.clone();
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("doorlink.db");
    let store = Store::open(&db).await.unwrap();
    let space = demo::prepare_space(&store, &emulator, Utc::now())
        .await
        .unwrap();
    let member = space.people[0].id;
    // Every kind of secret the database holds: the location's Kisi key (connected above), a
    // person's own Kisi login (A4), a password hash and a session.
    store
        .kisi_mirror()
        .save_person_login(
            space.location,
            member,
            &PersonKisiLogin {
                kisi_user: KisiUserId(1),
                email: space.people[0].email.to_string(),
                secret: SecretValue::new(PERSON_LOGIN_SECRET),
            },
        )
        .await
        .unwrap();
    let admin = store
        .accounts()
        .create(
            &Email::parse("admin@harbor.example").unwrap(),
            AccountRole::Admin,
            None,
            PASSWORD_HASH,
        )
        .await
        .unwrap();
    store
        .accounts()
        .create_session(
            admin.id,
            SESSION_TOKEN_HASH,
            CSRF_HASH,
            Utc::now() + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    // A sync entry that failed and waits for its next try.
    let outbox = store.outbox();
    outbox
        .enqueue(
            OutboxScope::Person {
                location: space.location,
                person: member,
            },
            "booking 3 moved",
        )
        .await
        .unwrap();
    let claim = outbox
        .claim(1, Duration::from_secs(60))
        .await
        .unwrap()
        .remove(0);
    outbox
        .fail(&claim, "Kisi is unavailable (503)", Backoff::DEFAULT)
        .await
        .unwrap();
    let people = store.people().list().await.unwrap().len();
    store.close().await;
    let out = data.path().join("support.json");

    let printed = run(&ExportSupportBundleArgs {
        db: Some(db.clone()),
        database: None,
        out: out.clone(),
    })
    .await
    .unwrap();

    let text = std::fs::read_to_string(&out).unwrap();
    let key_file = std::fs::read_to_string(data.path().join("doorlink.db.key")).unwrap();
    for secret in [
        api_key.as_str(),
        PERSON_LOGIN_SECRET,
        PASSWORD_HASH,
        SESSION_TOKEN,
        SESSION_TOKEN_HASH,
        CSRF_HASH,
        key_file.trim(),
    ] {
        assert!(
            !text.contains(secret),
            "the bundle holds a secret: {secret}"
        );
    }
    let bundle: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(bundle["doorlink_version"], env!("CARGO_PKG_VERSION"));
    let location = &bundle["locations"][0];
    assert_eq!(location["kisi"]["state"], "connected");
    assert_eq!(location["kisi"]["method"], "api_key");
    assert_eq!(location["kisi"]["credential_kept"], "encrypted_in_database");
    assert_eq!(location["booking_grace_minutes"], 30);
    assert_eq!(bundle["counts"]["people"], people);
    assert_eq!(bundle["counts"]["bookings"], space.bookings);
    assert_eq!(bundle["sync"]["failing"], 1);
    assert_eq!(
        bundle["sync"]["queue"][0]["last_error"],
        "Kisi is unavailable (503)"
    );
    let audit = bundle["audit"].as_array().unwrap();
    assert!(
        !audit.is_empty() && audit.len() <= 500,
        "{} audit entries",
        audit.len()
    );
    assert!(printed.contains("1 failing"), "{printed}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_missing_database_is_named_instead_of_creating_an_empty_one() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("nothing-here.db");

    let error = run(&ExportSupportBundleArgs {
        db: Some(db.clone()),
        database: None,
        out: data.path().join("support.json"),
    })
    .await
    .unwrap_err()
    .to_string();

    assert!(error.contains("--db"), "{error}");
    assert!(!db.exists());
}
