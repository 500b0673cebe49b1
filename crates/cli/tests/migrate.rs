//! `doorlink migrate --from doorlink.db --to postgres://…` (issue 14): the demo space moved from
//! its SQLite file into PostgreSQL with nothing lost, a non-empty target refused, and a copy that
//! fails half-way leaving the target as empty as it was. Needs `DOORLINK_TEST_POSTGRES_URL`; skips
//! and says so without it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a test stops loudly; the migration's report is printed for the record"
)]

use std::path::{Path, PathBuf};

use chrono::Utc;
use doorlink_cli::commands::demo;
use doorlink_cli::commands::migrate::{MigrateArgs, run};
use doorlink_hub::Database;
use doorlink_store::transfer::key_file_of;
use doorlink_store::{SecretBox, Store};

use crate::common;

/// The demo space, synced against the emulator, in a SQLite file of its own (key file beside it).
async fn demo_file(dir: &Path) -> (kisi_emulator::RunningEmulator, PathBuf) {
    let emulator = demo::start_emulator(0).await.unwrap();
    let path = dir.join("doorlink.db");
    let store = Store::open(&path).await.unwrap();
    demo::prepare_space(&store, &emulator, Utc::now())
        .await
        .unwrap();
    store.close().await;
    (emulator, path)
}

fn args(from: &Path, to: &str) -> MigrateArgs {
    MigrateArgs {
        from: from.to_owned(),
        to: Database::Postgres(to.to_owned()),
    }
}

/// The rows of every Doorlink table of the target, by table (what "untouched" is checked by).
async fn row_counts(target: &Store) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations' ORDER BY table_name",
    )
    .fetch_all(target.pool())
    .await
    .unwrap();
    let mut counts = Vec::new();
    for table in tables {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM \"{table}\""
        )))
        .fetch_one(target.pool())
        .await
        .unwrap();
        counts.push((table, count));
    }
    counts
}

/// The adversary: an operator's whole space, every kind of row (people, bookings, a Kisi
/// connection with its sealed key, the Kisi mirror, audit entries, the outbox), moved once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_space_moves_to_postgres_with_every_row_and_secret_intact() {
    let Some(target_url) = common::postgres::fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, source_path) = demo_file(dir.path()).await;

    let report = run(&args(&source_path, &target_url)).await.unwrap();
    println!("{report}");
    assert!(
        report.contains("every count and checksum equal"),
        "{report}"
    );
    assert!(!report.contains('✗'), "{report}");
    for table in [
        "people",
        "bookings",
        "secrets",
        "kisi_connections",
        "audit_log",
    ] {
        assert!(
            report
                .lines()
                .any(|line| line.trim_start().starts_with(table)),
            "{table} is reported: {report}"
        );
    }
    let key_file = key_file_of(&source_path);
    assert!(report.contains(&key_file.display().to_string()), "{report}");
    let key_hex = std::fs::read_to_string(&key_file).unwrap();
    assert!(
        !report.contains(key_hex.trim()),
        "the key itself is never printed"
    );

    // The target, opened with the copied key, reads what the source reads.
    let source = Store::open(&source_path).await.unwrap();
    let target =
        Store::open_postgres_with(&target_url, SecretBox::from_key_file(&key_file).unwrap())
            .await
            .unwrap();
    let locations = source.locations().list().await.unwrap();
    assert_eq!(target.locations().list().await.unwrap(), locations);
    assert_eq!(
        target.people().list().await.unwrap(),
        source.people().list().await.unwrap()
    );
    for location in &locations {
        assert_eq!(
            target.load_location_records(location.id).await.unwrap(),
            source.load_location_records(location.id).await.unwrap()
        );
        assert_eq!(
            format!(
                "{:?}",
                target.load_location_facts(location.id).await.unwrap()
            ),
            format!(
                "{:?}",
                source.load_location_facts(location.id).await.unwrap()
            )
        );
        // The Kisi credential was sealed by the SQLite hub; the copied key opens it.
        assert_eq!(
            target
                .locations()
                .credential(location.id)
                .await
                .unwrap()
                .expose(),
            source
                .locations()
                .credential(location.id)
                .await
                .unwrap()
                .expose()
        );
    }
    // New rows after the copy get ids past the copied ones (the sequences were moved).
    let newcomer = target
        .people()
        .create("After Migration", "after.migration@example.com")
        .await
        .unwrap();
    let highest = source
        .people()
        .list()
        .await
        .unwrap()
        .iter()
        .map(|p| p.id.0)
        .max();
    assert!(
        Some(newcomer.id.0) > highest,
        "{newcomer:?} after {highest:?}"
    );
    source.close().await;
    target.close().await;
}

/// The adversary: `doorlink migrate` pointed at a database that is already in use (here: the
/// target of an earlier migration, with one more person). Refused, naming the tables; nothing
/// written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_holding_rows_is_refused_and_left_untouched() {
    let Some(target_url) = common::postgres::fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, source_path) = demo_file(dir.path()).await;
    run(&args(&source_path, &target_url)).await.unwrap();
    let target = Store::open_postgres_with(
        &target_url,
        SecretBox::from_key_file(&key_file_of(&source_path)).unwrap(),
    )
    .await
    .unwrap();
    target
        .people()
        .create("Only In Target", "only.in.target@example.com")
        .await
        .unwrap();
    let before = row_counts(&target).await;

    let error = run(&args(&source_path, &target_url)).await.unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("not empty"), "{message}");
    assert!(message.contains("people"), "names the tables: {message}");
    assert_eq!(row_counts(&target).await, before, "nothing written");
    target.close().await;
}

/// The adversary: a row PostgreSQL refuses half-way through the copy (SQLite keeps a resource name
/// with a NUL character; PostgreSQL's text cannot hold one), after the earlier tables were copied. The
/// one transaction rolls back: the target is as empty as before, and a clean copy then succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_that_fails_half_way_leaves_the_target_empty() {
    let Some(target_url) = common::postgres::fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, source_path) = demo_file(dir.path()).await;
    let source = Store::open(&source_path).await.unwrap();
    // resources are copied after locations, people, secrets, ... (a resource refers to its
    // location).
    let poisoned = sqlx::query(
        "UPDATE resources SET name = name || char(0) WHERE id = (SELECT max(id) FROM resources)",
    )
    .execute(source.pool())
    .await
    .unwrap();
    assert_eq!(poisoned.rows_affected(), 1);
    source.close().await;
    let empty = {
        let target = Store::open_postgres_with(&target_url, SecretBox::ephemeral().unwrap())
            .await
            .unwrap();
        let counts = row_counts(&target).await;
        target.close().await;
        counts
    };

    let error = run(&args(&source_path, &target_url)).await.unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("resources"), "names the table: {message}");

    let target = Store::open_postgres_with(&target_url, SecretBox::ephemeral().unwrap())
        .await
        .unwrap();
    assert_eq!(
        row_counts(&target).await,
        empty,
        "nothing of the copy stayed"
    );
    target.close().await;

    // Repaired, the same source moves into the same target.
    let source = Store::open(&source_path).await.unwrap();
    sqlx::query("UPDATE resources SET name = replace(name, char(0), '')")
        .execute(source.pool())
        .await
        .unwrap();
    source.close().await;
    let report = run(&args(&source_path, &target_url)).await.unwrap();
    assert!(
        report.contains("every count and checksum equal"),
        "{report}"
    );
}
