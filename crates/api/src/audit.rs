//! The audit log of every Kisi call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub location_id: Option<i64>,
    pub person_id: Option<i64>,
    pub operation: String,
    pub http_method: String,
    pub path: String,
    /// `succeeded` or `failed`.
    pub outcome: String,
    pub http_status: Option<u16>,
    pub kisi_error_code: Option<String>,
    pub message: Option<String>,
    pub duration_ms: u64,
    /// A4: reported by the person's desktop app after it unlocked straight with Kisi. A claim of
    /// that computer, checked only against what the person could open then, not a call Doorlink
    /// made nor an event Kisi confirmed.
    pub desktop_claim: bool,
}

/// Filters and paging: newest first, `before` = the `next_before` of the previous page.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub location_id: Option<i64>,
    pub person_id: Option<i64>,
    /// `succeeded` or `failed`.
    pub outcome: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before: Option<i64>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditPageView {
    pub entries: Vec<AuditEntryView>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<i64>,
}
