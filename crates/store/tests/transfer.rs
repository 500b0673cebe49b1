//! `doorlink_store::transfer`, the copy behind `doorlink migrate`: what it may take for granted
//! about a freshly migrated database. (The copy itself, SQLite into PostgreSQL, is exercised on
//! the demo space by the CLI's `migrate` tests.)

#![allow(clippy::unwrap_used, reason = "a test stops loudly")]

use doorlink_store::transfer::{SEEDED_BY_MIGRATIONS, key_file_of};

use crate::common;

/// The adversary: a future migration that inserts a row of its own (a setting, a counter). The
/// copy would find the target "not empty" and refuse every migration, or copy over the seed and
/// conflict; this test fails first and names the table to add to `SEEDED_BY_MIGRATIONS`.
#[tokio::test]
async fn only_the_change_feed_row_is_seeded_by_the_migrations() {
    let (store, _clock, _dir) = common::file_store().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(tables.len() > 30, "{tables:?}");
    let mut seeded = Vec::new();
    for table in tables {
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM \"{table}\""
        )))
        .fetch_one(store.pool())
        .await
        .unwrap();
        if rows > 0 {
            seeded.push(table);
        }
    }
    assert_eq!(seeded, SEEDED_BY_MIGRATIONS);
}

#[test]
fn the_key_of_a_database_file_lives_beside_it() {
    assert_eq!(
        key_file_of(std::path::Path::new("/var/lib/doorlink/doorlink.db")),
        std::path::Path::new("/var/lib/doorlink/doorlink.db.key")
    );
}
