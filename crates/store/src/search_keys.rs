//! The keys people are searched by: names and e-mails folded to Unicode lower case. Below both the
//! people and the accounts (which add a person) and the opening of the store (which folds rows
//! written before the keys existed), so none of them imports another for it.

use crate::error::Result;

/// How names, e-mails and search terms are compared: Unicode lower case ("Élodie" → "élodie"),
/// which SQLite's `lower()` does only for ASCII.
pub(crate) fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// Folds the name and e-mail of every person stored without them (written before migration 0005),
/// so search finds them too. Run when the store opens; a no-op once every row has its keys.
pub(crate) async fn fold_missing_search_keys(store: &crate::Store) -> Result<()> {
    let missing: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, email FROM people WHERE name_key IS NULL OR email_key IS NULL",
    )
    .fetch_all(store.pool())
    .await?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin_write().await?;
    for (id, name, email) in &missing {
        sqlx::query("UPDATE people SET name_key = $1, email_key = $2 WHERE id = $3")
            .bind(search_key(name))
            .bind(search_key(email))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    tracing::info!(
        people = missing.len(),
        "folded people's names and e-mails for search"
    );
    Ok(())
}
