//! The Kisi connection of a location (C1–C3) and its directory of places, groups and locks.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// C1: how to connect: the account owner's sign-in, or an API key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum ConnectKisiRequest {
    OwnerLogin {
        email: String,
        password: String,
        /// The organization's Kisi domain.
        domain: String,
        /// The current two-factor code, when the owner's account has two-factor sign-in.
        #[serde(default)]
        otp_attempt: Option<String>,
        /// Default `https://api.kisi.io`; https only (http only to this computer, e.g. the
        /// emulator).
        base_url: Option<String>,
    },
    ApiKey {
        api_key: String,
        base_url: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiConnectionView {
    pub location_id: i64,
    /// `owner_login` or `api_key`.
    pub auth: String,
    pub account_email: Option<String>,
    pub organization_domain: Option<String>,
    pub base_url: String,
    pub connected_at: DateTime<Utc>,
    /// C3: set once disconnected; no grants or revocations are made after it.
    pub disconnected_at: Option<DateTime<Utc>>,
    pub kisi_place_id: Option<i64>,
    /// Issue 17: how Kisi answers this location's calls now.
    pub health: KisiHealth,
}

/// Issue 17: Kisi's health as this location's calls meet it, from the audit log and the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiHealth {
    /// The last Kisi call that succeeded; `null`: none recorded yet.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Outbox entries of the location whose last attempt failed.
    pub failing_entries: i64,
    /// When failing: since the first failure of the longest-failing entry.
    pub failing_since: Option<DateTime<Utc>>,
    /// When failing: that entry's error and what to do, for staff.
    pub message: Option<String>,
}

/// A2: the place whose locks the Access page shows; `null` = "Not selected".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPlaceRequest {
    pub place_id: Option<i64>,
}

/// C3: disconnecting keeps what is in Kisi unless `revoke_all` is chosen explicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisconnectKisiRequest {
    #[serde(default)]
    pub revoke_all: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct DisconnectKisiResponse {
    pub connection: KisiConnectionView,
    /// What happened to the access already in Kisi, in plain words.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiPlaceView {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiGroupView {
    pub id: i64,
    pub name: String,
    pub lock_ids: Vec<i64>,
    pub reader_restriction: bool,
    pub geofence_restriction: bool,
    pub time_restriction: bool,
    /// C4: deleted in Kisi.
    pub deleted: bool,
    /// M8: members Doorlink did not add.
    pub foreign_members: u32,
    /// Kisi's "Allow App Access" (`login_enabled`); `null`: Kisi did not say.
    pub app_access: Option<bool>,
    /// Only the member's primary device may unlock; `null`: Kisi did not say.
    pub primary_device_restriction: Option<bool>,
    /// What the group's own Kisi settings do to Doorlink's unlocks (app access off, primary device
    /// only; A4), in the same words as the mapping warnings.
    pub setting_warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct KisiLockView {
    pub id: i64,
    pub name: String,
    pub place_id: Option<i64>,
    pub reader_restriction: bool,
    pub geofence_restriction: bool,
    pub time_restriction: bool,
}

/// The location's Kisi directory as Doorlink last read it.
// The OpenAPI schema keeps the wire's older name `KisiCatalogue` (wire compatibility).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[schema(as = KisiCatalogue)]
pub struct KisiDirectory {
    pub places: Vec<KisiPlaceView>,
    pub groups: Vec<KisiGroupView>,
    pub locks: Vec<KisiLockView>,
}
