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
        // What the rules read: the checked facts (their indexes are built from these records).
        assert_eq!(
            target
                .load_location_facts(location.id)
                .await
                .unwrap()
                .records(),
            source
                .load_location_facts(location.id)
                .await
                .unwrap()
                .records()
        );
        // The Kisi mirror the sync compares the desired access with (ordered maps: the same
        // mirror prints the same).
        assert_eq!(
            format!(
                "{:?}",
                target.kisi_mirror().kisi_view(location.id).await.unwrap()
            ),
            format!(
                "{:?}",
                source.kisi_mirror().kisi_view(location.id).await.unwrap()
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
    // `doorlink sync --dry-run --database postgres://…` reads the moved space: Kisi already
    // holds what it gives, as it did before the move.
    let dry_run = std::process::Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["sync", "--dry-run", "--database", &target_url])
        .env_remove("DOORLINK_DATA")
        .env("DOORLINK_SECRET_KEY", key_hex.trim())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&dry_run.stdout);
    assert!(
        dry_run.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&dry_run.stderr)
    );
    assert!(said.contains("nothing to do"), "{said}");

    // The support bundle of the PostgreSQL database: neither it nor the command's words hold the
    // database password (the test cluster trusts loopback, so any password connects).
    const PASSWORD: &str = "bundle-pw-never-shown";
    let bundle = dir.path().join("support.json");
    let exported = std::process::Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["export-support-bundle", "--out", bundle.to_str().unwrap()])
        .args([
            "--database",
            &common::postgres::with_password(&target_url, PASSWORD),
        ])
        .env("DOORLINK_SECRET_KEY", key_hex.trim())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&exported.stdout).into_owned()
        + &String::from_utf8_lossy(&exported.stderr);
    assert!(exported.status.success(), "{said}");
    let json = std::fs::read_to_string(&bundle).unwrap();
    assert!(
        json.contains("Harbor Coworking Berlin"),
        "the moved space's bundle"
    );
    assert!(
        !json.contains(PASSWORD) && !said.contains(PASSWORD),
        "{said}"
    );

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
    let (id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM resources ORDER BY id DESC LIMIT 1")
            .fetch_one(source.pool())
            .await
            .unwrap();
    sqlx::query("UPDATE resources SET name = $1 WHERE id = $2")
        .bind(format!("{name}\0"))
        .bind(id)
        .execute(source.pool())
        .await
        .unwrap();
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
    sqlx::query("UPDATE resources SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(id)
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

/// The adversary: an operator whose shell still exports another space's `DOORLINK_SECRET_KEY`.
/// The source's Kisi credential does not open with it, so the target's hubs could never reach
/// Kisi: refused before anything is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_does_not_open_the_source_s_secrets_is_refused_before_copying() {
    let Some(target_url) = common::postgres::fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, source_path) = demo_file(dir.path()).await;
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_doorlink"))
        .args(["migrate", "--from", source_path.to_str().unwrap()])
        .args(["--to", &target_url])
        .env("DOORLINK_SECRET_KEY", common::postgres::TEST_SECRET_KEY)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{said}");
    assert!(
        said.contains("does not open with DOORLINK_SECRET_KEY"),
        "{said}"
    );
    let target = Store::open_postgres_with(&target_url, SecretBox::ephemeral().unwrap())
        .await
        .unwrap();
    assert!(
        row_counts(&target)
            .await
            .iter()
            .all(|(table, rows)| *rows == 0 || table == "data_revisions"),
        "nothing written"
    );
    target.close().await;
}

/// The adversary: a SQLite file with a table this version's PostgreSQL migrations do not create
/// (a newer Doorlink's, or one added by hand). Copying the rest would lose its rows silently:
/// refused, naming the table, nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_table_without_a_postgres_twin_is_refused_by_name() {
    let Some(target_url) = common::postgres::fresh_database().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_emulator, source_path) = demo_file(dir.path()).await;
    let source = Store::open(&source_path).await.unwrap();
    sqlx::query("CREATE TABLE door_notes (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        .execute(source.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO door_notes (note) VALUES ('the back door sticks')")
        .execute(source.pool())
        .await
        .unwrap();
    source.close().await;

    let error = run(&args(&source_path, &target_url)).await.unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("door_notes"), "{message}");
    assert!(message.contains("no twin"), "{message}");
    let target = Store::open_postgres_with(&target_url, SecretBox::ephemeral().unwrap())
        .await
        .unwrap();
    assert!(
        row_counts(&target)
            .await
            .iter()
            .all(|(table, rows)| *rows == 0 || table == "data_revisions"),
        "nothing written"
    );
    target.close().await;
}
