//! A person's Kisi account at a location: hold (R14), disconnect or delete (R15).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// R15: keep the Kisi user (stop managing it) or delete it from Kisi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectMode {
    KeepKisiUser,
    DeleteKisiUser,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisconnectPersonRequest {
    pub mode: DisconnectMode,
}

/// The state of a person's Kisi account at a location, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiAccountView {
    pub location_id: i64,
    pub person_id: i64,
    /// R14: on hold since.
    pub on_hold_since: Option<DateTime<Utc>>,
    /// R15: how the person was disconnected, if they were.
    pub disconnected: Option<DisconnectMode>,
    pub message: String,
}
