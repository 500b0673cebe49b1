//! Sync status: the outbox queue, failures, retry, dry run.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// What kind of work an entry is, in the order the sync worker takes them (issue 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    /// Revocations and access that starts within the next hour.
    Urgent,
    /// A person's access that changes later.
    Later,
    /// A location's full reconcile (periodic, connect, a mapping or setting changed).
    Bulk,
}

/// The queue of one kind and when it is expected to be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct QueueKindView {
    pub kind: QueueKind,
    /// Entries of this kind: waiting, running and backing off.
    pub entries: i64,
    /// Of these, being synced now.
    pub running: i64,
    /// Of these, waiting for their back-off after a failure.
    pub backing_off: i64,
    /// Kisi requests this kind is expected to make.
    pub kisi_requests: i64,
    /// Seconds until this kind is expected to be done: its requests and those of every more
    /// urgent kind at Kisi's budget, or the last back-off, whichever is later. 0 when empty.
    pub eta_seconds: i64,
}

/// One pending "re-evaluate" entry of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OutboxEntryView {
    pub id: i64,
    pub location_id: i64,
    /// Absent = the whole location.
    pub person_id: Option<i64>,
    pub reason: String,
    pub kind: QueueKind,
    pub attempts: i64,
    /// What went wrong and what to do about it; never empty when present.
    pub last_error: Option<String>,
    /// Issue 17: since the first failed attempt in a row; `null` while nothing failed.
    pub failing_since: Option<DateTime<Utc>>,
    pub next_try_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SyncStatusView {
    /// Entries waiting for the worker, in the order it takes them.
    pub queue: Vec<OutboxEntryView>,
    /// The queue per kind, most urgent first, with an ETA each.
    pub kinds: Vec<QueueKindView>,
    /// The Kisi budget the ETAs assume (Kisi allows 5 requests a second).
    pub requests_per_second: i64,
    /// Entries whose last attempt failed (also in `queue`), for the failures list.
    pub failures: Vec<OutboxEntryView>,
    /// C4: door-access mappings whose Kisi group or lock no longer exists, as warnings naming the
    /// mapping and the fix (the Mappings page shows the same).
    pub orphaned_mappings: Vec<String>,
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

/// One revocation's receipt: when the rules ended the access, when Kisi confirmed it was gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct RevocationReceiptView {
    pub id: i64,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// What was revoked, in words ("Members' doors (1 Mar 00:00 – 31 Mar 00:00)").
    pub what: String,
    /// When the change that ended the access was made (the earliest waiting request).
    pub ended_at: DateTime<Utc>,
    /// When Kisi answered that it was deleted (or already gone).
    pub confirmed_at: DateTime<Utc>,
    /// Milliseconds between the two.
    pub millis: i64,
}

/// Time-to-revoke at a location over the last 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct RevocationStatsView {
    pub location_id: i64,
    /// The start of the 7 days.
    pub since: DateTime<Utc>,
    /// Revocations confirmed since then.
    pub count: u64,
    /// Median time-to-revoke in milliseconds; none without a revocation.
    pub p50_millis: Option<i64>,
    /// 99th percentile in milliseconds.
    pub p99_millis: Option<i64>,
    /// The latest receipts, newest first (at most 20).
    pub recent: Vec<RevocationReceiptView>,
}
