//! The audit log: every Kisi call, and every action people took in Doorlink (who did what, to
//! whom, done or refused).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `kisi_call` (a call Doorlink made to Kisi) or `action` (something someone did in Doorlink).
    pub kind: String,
    pub location_id: Option<i64>,
    /// The person the call or action was about (the subject).
    pub person_id: Option<i64>,
    /// Who took the action (actions only).
    pub actor: Option<AuditActorView>,
    /// What was done or tried, in words with names and local times.
    pub operation: String,
    pub http_method: String,
    pub path: String,
    /// `succeeded`, `failed`, or for actions `refused` (the hub said no: validation,
    /// authorization, a conflict).
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

/// Who took an action: their account, its person if any, and their name as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditActorView {
    pub account_id: i64,
    pub person_id: Option<i64>,
    pub name: String,
}

/// Filters and paging: newest first, `before` = the `next_before` of the previous page.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema, IntoParams,
)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub location_id: Option<i64>,
    /// The subject: entries about this person.
    pub person_id: Option<i64>,
    /// `actions` or `kisi_calls`; both when absent.
    pub kind: Option<String>,
    /// Actions taken by this account.
    pub actor_account_id: Option<i64>,
    /// `succeeded` or `failed` (refused actions count as failed).
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
