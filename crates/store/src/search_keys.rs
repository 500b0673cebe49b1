//! The keys people are searched by: names and e-mails folded to Unicode lower case. Below both the
//! people and the accounts (which add a person) and the opening of the store (which folds rows
//! written before the keys existed), so none of them imports another for it.

use sqlx::{AnyConnection, AnyPool};

use crate::error::Result;

/// How names, e-mails and search terms are compared: Unicode lower case ("Élodie" → "élodie"),
/// which SQLite's `lower()` does only for ASCII.
pub(crate) fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// A person stored without search keys (written before migration 0005): id, name, e-mail.
pub(crate) type Unfolded = (i64, String, String);

/// The people stored without search keys; the store folds them when it opens
/// ([`fold_search_keys`]), a no-op once every row has its keys.
pub(crate) async fn unfolded_people(pool: &AnyPool) -> Result<Vec<Unfolded>> {
    Ok(sqlx::query_as(
        "SELECT id, name, email FROM people WHERE name_key IS NULL OR email_key IS NULL",
    )
    .fetch_all(pool)
    .await?)
}

/// Writes the folded name and e-mail of each of `people`, so search finds them too.
pub(crate) async fn fold_search_keys(
    connection: &mut AnyConnection,
    people: &[Unfolded],
) -> Result<()> {
    for (id, name, email) in people {
        sqlx::query("UPDATE people SET name_key = $1, email_key = $2 WHERE id = $3")
            .bind(search_key(name))
            .bind(search_key(email))
            .bind(id)
            .execute(&mut *connection)
            .await?;
    }
    tracing::info!(
        people = people.len(),
        "folded people's names and e-mails for search"
    );
    Ok(())
}
