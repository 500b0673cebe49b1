//! Opening the database: file creation, pragmas, migrations on a fresh file and on reopen.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use doorlink_store::{NewLocation, Store};

#[tokio::test]
async fn a_fresh_file_is_created_migrated_and_in_wal_mode_with_foreign_keys_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    assert!(!path.exists());

    let store = Store::open(&path).await.unwrap();

    assert!(path.exists());
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(journal, "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(store.pool())
            .await
            .unwrap();
    for expected in [
        "audit_log",
        "bookings",
        "kisi_connections",
        "kisi_role_assignments",
        "outbox",
        "people",
        "secrets",
    ] {
        assert!(tables.iter().any(|t| t == expected), "{expected} missing");
    }
}

#[tokio::test]
async fn reopening_a_migrated_file_keeps_its_data_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.db");
    let store = Store::open(&path).await.unwrap();
    store
        .locations()
        .create(&NewLocation::new("Kreuzberg", "Europe/Berlin"))
        .await
        .unwrap();
    store.close().await;

    let reopened = Store::open(&path).await.unwrap();

    let locations = reopened.locations().list().await.unwrap();
    assert_eq!(locations.len(), 1);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(reopened.pool())
        .await
        .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(applied, i64::try_from(files).unwrap());
}

#[tokio::test]
async fn an_in_memory_store_is_migrated_and_keeps_data_across_queries() {
    let store = Store::open_in_memory().await.unwrap();
    store
        .locations()
        .create(&NewLocation::new("Mitte", "Europe/Berlin"))
        .await
        .unwrap();
    // A second, separate query must see the same database (one connection that never closes).
    assert_eq!(store.locations().list().await.unwrap().len(), 1);
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(foreign_keys, 1);
}

#[tokio::test]
async fn foreign_keys_refuse_a_row_that_points_nowhere() {
    let store = Store::open_in_memory().await.unwrap();
    let refused = sqlx::query("INSERT INTO plans (location_id, name) VALUES (4242, 'Ghost plan')")
        .execute(store.pool())
        .await;
    assert!(refused.is_err());
}
