//! Kisi credentials are encrypted at rest under a key that is not in the database.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::file_store;
use doorlink_store::{KisiAuth, NewLocation, SecretBox, SecretValue, Store};

const API_KEY: &str = "kisi-login-secret-7f3a9c21d0e4";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_plain_credential_never_appears_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let store = Store::open(&path).await.unwrap();
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();

    store
        .locations()
        .connect(
            location.id,
            "https://api.kisi.io",
            &KisiAuth::ApiKey,
            &SecretValue::new(API_KEY),
        )
        .await
        .unwrap();
    let read_back = store.locations().credential(location.id).await.unwrap();
    assert_eq!(read_back, SecretValue::new(API_KEY));
    store.close().await;

    let mut checked = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_some_and(|e| e == "key") {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, API_KEY.as_bytes()),
            "{} holds the plain credential",
            file.display()
        );
        checked += 1;
    }
    assert!(checked >= 1);
}

#[cfg(unix)]
#[tokio::test]
async fn the_key_file_is_created_beside_the_database_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let (_store, _clock, dir) = common::sqlite_store().await;

    let key = dir.path().join("doorlink.db.key");

    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(SecretBox::from_key_file(&key).is_ok());
}

/// Adversary: another account on the same machine reading the database (people's e-mails,
/// sealed secrets, sessions) or its write-ahead log.
#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_log_are_readable_only_by_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let (store, _clock, dir) = common::sqlite_store().await;
    store
        .people()
        .create("Ana", "ana@example.com")
        .await
        .unwrap();
    for name in ["doorlink.db", "doorlink.db-wal"] {
        let mode = std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[tokio::test]
async fn a_reopened_database_decrypts_with_its_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doorlink.db");
    let store = Store::open(&path).await.unwrap();
    let id = store
        .secrets()
        .put("kisi credential", &SecretValue::new(API_KEY))
        .await
        .unwrap();
    store.close().await;

    let reopened = Store::open(&path).await.unwrap();

    assert_eq!(reopened.secrets().get(id).await.unwrap().expose(), API_KEY);
}

#[tokio::test]
async fn a_different_key_cannot_read_the_credential_and_says_what_to_do() {
    let (store, _clock, _dir) = file_store().await;
    let id = store
        .secrets()
        .put("kisi credential", &SecretValue::new(API_KEY))
        .await
        .unwrap();

    let other = store.with_secret_box(SecretBox::from_key([9; 32]));
    let error = other.secrets().get(id).await.unwrap_err().to_string();

    assert!(error.contains("cannot be decrypted"), "{error}");
    assert!(!error.contains(API_KEY));
}

#[tokio::test]
async fn reconnecting_replaces_the_old_encrypted_credential() {
    let (store, _clock, _dir) = file_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();
    let connect = |credential| {
        let store = store.clone();
        async move {
            store
                .locations()
                .connect(
                    location.id,
                    "https://api.kisi.io",
                    &KisiAuth::ApiKey,
                    &credential,
                )
                .await
                .unwrap()
        }
    };

    let first = connect(SecretValue::new("old")).await;
    let second = connect(SecretValue::new("new")).await;

    assert_ne!(second.credential, first.credential);
    let secrets: Vec<i64> = sqlx::query_scalar("SELECT id FROM secrets")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(
        secrets,
        vec![second.credential.0],
        "the old credential is gone"
    );
    assert_eq!(
        store.locations().credential(location.id).await.unwrap(),
        SecretValue::new("new")
    );
}

/// The adversary: a database from a Doorlink that could keep the credential as an OS keychain
/// entry (column `credential_keychain`, never written since). Reading it says what to do, and
/// connecting again stores the credential encrypted (clearing the entry, which the table's CHECK
/// allows only one of).
#[tokio::test]
async fn a_credential_left_in_an_os_keychain_asks_to_connect_again_and_connecting_replaces_it() {
    let (store, _clock, _dir) = file_store().await;
    let location = store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO kisi_connections (location_id, base_url, auth_kind, credential_keychain, \
             connected_at) VALUES ($1, 'https://api.kisi.io', 'api_key', 'doorlink/kreuzberg', 0)",
    )
    .bind(location.id.0)
    .execute(store.pool())
    .await
    .unwrap();

    let error = store
        .locations()
        .credential(location.id)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("connect Kisi again"), "{error}");

    store
        .locations()
        .connect(
            location.id,
            "https://api.kisi.io",
            &KisiAuth::ApiKey,
            &SecretValue::new(API_KEY),
        )
        .await
        .unwrap();
    assert_eq!(
        store.locations().credential(location.id).await.unwrap(),
        SecretValue::new(API_KEY)
    );
}
