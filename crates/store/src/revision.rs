//! The change feed every process on the database shares (migration 0006): two counters that
//! triggers bump in the same transaction as every write to the facts or to Kisi's mirror. A cache
//! built at one revision is stale once the counter moved, whoever wrote: this process, a
//! `doorlink sync` beside it, or another hub on the same database.

use crate::db::Store;
use crate::error::Result;

/// Where the database stands. Counters only grow; equal counters mean nothing was written since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct DataRevision {
    /// Moves with every write to the records core reasons over (people, subscriptions, bookings,
    /// passes, grants, holds, the catalog and its door access, locations).
    pub facts: i64,
    /// Moves with every write to Doorlink's mirror of Kisi (places, groups, locks, users, role
    /// assignments, access links), and with a person's e-mail (the view compares them, I2).
    pub kisi: i64,
}

impl Store {
    /// The current revision: one read of a one-row table.
    pub async fn data_revision(&self) -> Result<DataRevision> {
        Ok(
            sqlx::query_as("SELECT facts, kisi FROM data_revisions WHERE id = 1")
                .fetch_one(self.pool())
                .await?,
        )
    }
}
