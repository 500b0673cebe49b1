//! Sync status: the outbox queue, failures, retry, dry run.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// One pending "re-evaluate" entry of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutboxEntryView {
    pub id: i64,
    pub location_id: i64,
    /// Absent = the whole location.
    pub person_id: Option<i64>,
    pub reason: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_try_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SyncStatusView {
    /// Entries waiting for the worker.
    pub queue: Vec<OutboxEntryView>,
    /// Entries whose last attempt failed (also in `queue`), for the failures list.
    pub failures: Vec<OutboxEntryView>,
}

/// What a sync of the location would change in Kisi, without changing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DryRunView {
    pub location_id: i64,
    /// One line per Kisi operation, in plain words.
    pub operations: Vec<String>,
    /// Things staff should know (orphaned groups, unconfirmed users).
    pub notices: Vec<String>,
}
