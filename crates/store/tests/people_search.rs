//! Staff find people by part of their name or e-mail in any case, accented letters included
//! ("élodie" finds "Élodie"); `%` and `_` are plain characters.

#![allow(
    clippy::unwrap_used,
    reason = "fixtures and helpers of tests fail loudly"
)]

use crate::common;

use common::file_store;
use doorlink_store::Store;

async fn names_found(store: &Store, search: &str) -> Vec<String> {
    let page = store.people().search(search, 0, 50).await.unwrap();
    page.people.into_iter().map(|p| p.name).collect()
}

#[tokio::test]
async fn accented_names_are_found_in_either_case() {
    let (store, _clock, _dir) = file_store().await;
    store
        .people()
        .create("Élodie Durand", "elodie@example.com")
        .await
        .unwrap();
    store
        .people()
        .create("Jürgen Öztürk", "j.oeztuerk@example.com")
        .await
        .unwrap();
    store
        .people()
        .create("Ana Lima", "ana@example.com")
        .await
        .unwrap();

    assert_eq!(names_found(&store, "élodie").await, ["Élodie Durand"]);
    assert_eq!(names_found(&store, "ÉLODIE").await, ["Élodie Durand"]);
    assert_eq!(names_found(&store, "JÜRGEN ÖZ").await, ["Jürgen Öztürk"]);
    assert_eq!(names_found(&store, "  öztürk ").await, ["Jürgen Öztürk"]);
    assert!(names_found(&store, "elodie durand").await.is_empty());
}

#[tokio::test]
async fn a_renamed_person_is_found_by_the_new_name_only() {
    let (store, _clock, _dir) = file_store().await;
    let mut person = store
        .people()
        .create("Ana Lima", "ana@example.com")
        .await
        .unwrap();
    person.name = "Ørjan Ålund".to_owned();
    store.people().update(&person).await.unwrap();

    assert_eq!(names_found(&store, "øRJAN").await, ["Ørjan Ålund"]);
    assert!(names_found(&store, "lima").await.is_empty());
    // The e-mail still finds them.
    assert_eq!(names_found(&store, "ANA@").await, ["Ørjan Ålund"]);
}

#[tokio::test]
async fn percent_and_underscore_stay_plain_characters_beside_accents() {
    let (store, _clock, _dir) = file_store().await;
    store
        .people()
        .create("Émile 100%", "emile_x@example.com")
        .await
        .unwrap();
    store
        .people()
        .create("Émile 1000", "emilex@example.com")
        .await
        .unwrap();

    assert_eq!(names_found(&store, "émile 100%").await, ["Émile 100%"]);
    assert_eq!(names_found(&store, "EMILE_").await, ["Émile 100%"]);
}

#[tokio::test]
async fn people_stored_before_search_keys_existed_are_found_after_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("older.db");
    let store = Store::open(&path).await.unwrap();
    // A row as an older Doorlink wrote it: no folded keys.
    sqlx::query(
        "INSERT INTO people (name, email, created_at, updated_at) \
         VALUES ('Élodie Durand', 'elodie@example.com', 0, 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;

    let reopened = Store::open(&path).await.unwrap();

    assert_eq!(names_found(&reopened, "élodie").await, ["Élodie Durand"]);
    let missing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM people WHERE name_key IS NULL OR email_key IS NULL",
    )
    .fetch_one(reopened.pool())
    .await
    .unwrap();
    assert_eq!(missing, 0);
}
