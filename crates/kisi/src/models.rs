//! Kisi's resources as the client reads and writes them (docs/kisi-api.md, "Tolerant payloads").
//!
//! Kisi's docs show `null` for fields they never promise (e.g. `GET /locks` answers
//! `"reader_restriction_enabled": null`), and its answers carry many fields Doorlink does not
//! read. So: unknown fields are ignored; every field but a record's id (and what the record is
//! useless without) accepts `null` and absence, either as `Option` or through [`null_default`]
//! with its meaning written at the field; and a list never fails because of one record
//! ([`readable_items`] skips it with a warning naming its id).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::Secret;

/// `null` or absent read as the type's default (`false`, `0`, `""`). Only used where the
/// default is the safe reading; each field says why.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The records of one list page that can be read. A record that cannot (its id is missing, a
/// field has a type Kisi never documented) is skipped with a warning naming its id and the
/// problem, so one odd record never stops the others (a whole location's sync used to fail on one
/// `null`). Callers that need every record (deleting, reconciling) see fewer, never an error.
pub fn readable_items<T: DeserializeOwned>(path: &str, items: Vec<Value>) -> Vec<T> {
    items
        .into_iter()
        .filter_map(|item| {
            let id = item.get("id").cloned().unwrap_or(Value::Null);
            serde_json::from_value(item)
                .map_err(|error| {
                    tracing::warn!(%path, %id, %error, "skipped a Kisi record that could not be read");
                })
                .ok()
        })
        .collect()
}

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A Kisi login (one secret of a user).
    LoginId,
    /// A Kisi place (a building / location).
    PlaceId,
    /// A Kisi lock (a door).
    LockId,
    /// A Kisi group (a set of locks people are given access to).
    GroupId,
    /// The link between a group and one of its locks.
    GroupLockId,
    /// A Kisi user.
    UserId,
    /// A user's membership of a group, optionally bounded in time.
    RoleAssignmentId,
    /// A visitor access link.
    GroupLinkId,
    /// An entry of Kisi's event log.
    EventId,
);

/// The login created by an owner sign-in (`POST /logins` with e-mail and password).
#[derive(Debug, Clone, Deserialize)]
pub struct Login {
    pub id: LoginId,
    pub secret: Secret,
}

/// A device login created for a managed user with the admin key; unlocks made with its secret
/// are attributed to that user in Kisi's audit log.
#[derive(Debug, Clone, Deserialize)]
pub struct UserLogin {
    #[serde(default)]
    pub id: Option<LoginId>,
    pub user: LoginUser,
    pub secret: Secret,
}

/// The user a [`UserLogin`] belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LoginUser {
    pub id: UserId,
    pub email: String,
}

/// `GET /user`: whose key this is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub confirmed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Place {
    pub id: PlaceId,
    /// `null` reads as "" (shown by id); a place is never dropped for lacking a name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A door. Kisi enforces every restriction itself on unlock; Doorlink reads the flags only to warn
/// (a desktop cannot pass a reader restriction) and to show the door's state. So a flag Kisi
/// leaves `null` (its docs' own example does) reads as `false` ("not set on this lock"; a
/// place-level setting may still apply, and Kisi's refusal then explains it): reading it as
/// `true` would hide doors that open fine, and failing would stop the whole location's sync.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Lock {
    pub id: LockId,
    /// `null` reads as "" (the door is shown by id rather than dropped).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub place_id: Option<PlaceId>,
    /// Whether Kisi reaches the lock's controller. `None` (`null` or absent): not known, which
    /// the Access page never shows as offline; the unlock is tried either way and Kisi decides.
    #[serde(default)]
    pub online: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub configured: bool,
    /// An administrator locked the door down: no unlock succeeds. `None`: not known, shown as
    /// nothing; Kisi refuses the unlock itself if it is.
    #[serde(default)]
    pub locked_down: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub reader_restriction_enabled: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub geofence_restriction_enabled: bool,
    /// Metres around the place within which a geofenced unlock is allowed.
    #[serde(default)]
    pub geofence_restriction_radius: Option<f64>,
    #[serde(default, deserialize_with = "null_default")]
    pub time_restriction_enabled: bool,
    #[serde(default)]
    pub time_restriction_time_zone: Option<String>,
}

/// A group: the set of locks people get access to. The restriction flags read like a lock's
/// (`null` → `false`, for the same reason: Kisi enforces, Doorlink only warns).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Group {
    pub id: GroupId,
    /// `null` reads as "" (the group is shown by id rather than dropped).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub locks_count: u32,
    /// `None` when Kisi did not say: sync then counts the group as having others' members
    /// (M8), the reading that never lets Doorlink treat someone else's group as its own.
    #[serde(default)]
    pub members_count: Option<u32>,
    #[serde(default)]
    pub place_id: Option<PlaceId>,
    /// Whether members may unlock from an app (Kisi's "Allow App Access"). `None`: Kisi did not
    /// say; Doorlink creates its groups with `true`.
    #[serde(default)]
    pub login_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub reader_restriction_enabled: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub geofence_restriction_enabled: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub time_restriction_enabled: bool,
    /// Members may unlock only from their primary device. `None`: Kisi did not say.
    #[serde(default)]
    pub primary_device_restriction_enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct GroupLock {
    pub id: GroupLockId,
    pub group_id: GroupId,
    pub lock_id: LockId,
}

/// A Kisi user. `email` is required: a user without one can never be matched to a person, so
/// such a record is skipped from lists.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
    /// `null` reads as unconfirmed: sync then warns that the person must confirm their e-mail
    /// (I3) instead of promising access Kisi would refuse.
    #[serde(default, deserialize_with = "null_default")]
    pub confirmed: bool,
    /// Kisi's organization-wide "physical access" switch. `None`: Kisi did not say.
    #[serde(default)]
    pub access_enabled: Option<bool>,
    /// When Kisi made the user (sync tells a user its own lost create made from one made by hand
    /// earlier). `None`: Kisi did not say.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RoleAssignment {
    pub id: RoleAssignmentId,
    /// `null` reads as "" (no role Doorlink hands out, so sync never adopts it as its own).
    #[serde(default, deserialize_with = "null_default")]
    pub role_id: String,
    #[serde(default)]
    pub group_id: Option<GroupId>,
    /// Kisi's docs show a created assignment without `user_id` ("Assign access rights") and a
    /// listed one without `group_id` ("Remove access rights"): both may be absent.
    #[serde(default)]
    pub user_id: Option<UserId>,
    #[serde(default)]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
}

/// A visitor access link. `secret` is what the visitor's link carries.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupLink {
    pub id: GroupLinkId,
    #[serde(default)]
    pub name: Option<String>,
    pub group_id: GroupId,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub secret: Option<Secret>,
}

/// An entry of Kisi's event log (same fields as the `lock.unlock` webhook payload).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    #[serde(default)]
    pub id: Option<EventId>,
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub actor_type: Option<String>,
    #[serde(default)]
    pub actor_id: Option<i64>,
    #[serde(default)]
    pub actor_name: Option<String>,
    #[serde(default)]
    pub object_type: Option<String>,
    #[serde(default)]
    pub object_id: Option<i64>,
    #[serde(default)]
    pub object_name: Option<String>,
    #[serde(default)]
    pub place_id: Option<PlaceId>,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /users`: a managed user (confirmed, no Kisi e-mails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
}

/// `POST /groups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub name: String,
    pub description: Option<String>,
}

/// `POST /role_assignments`: membership of `group_id`, enforced by Kisi between the two times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewRoleAssignment {
    pub user_id: UserId,
    pub group_id: GroupId,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// `POST /group_links`: a visitor access link to `group_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroupLink {
    pub name: String,
    pub group_id: GroupId,
    pub email: Option<String>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// Where the person pressing "unlock" is, for geofence-restricted locks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

/// Optional context of an unlock. A desktop has a location at best; the proximity proof is what
/// a phone at a reader-restricted door would send.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnlockContext {
    pub location: Option<Location>,
    pub proximity_proof: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_ignores_unknown_fields_and_defaults_missing_flags() {
        let lock: Lock =
            serde_json::from_str(r#"{"id":3,"name":"Front door","brand_new_field":{"x":1}}"#)
                .unwrap();
        assert_eq!(lock.id, LockId(3));
        assert!(!lock.reader_restriction_enabled);
        assert_eq!(lock.place_id, None);
    }

    #[test]
    fn role_assignment_reads_iso_8601_windows_and_open_ends() {
        let ra: RoleAssignment = serde_json::from_str(
            r#"{"id":1,"role_id":"group_basic","group_id":2,"user_id":3,"valid_from":"2026-01-01T09:00:00Z","valid_until":null}"#,
        )
        .unwrap();
        assert_eq!(
            ra.valid_from.unwrap().to_rfc3339(),
            "2026-01-01T09:00:00+00:00"
        );
        assert_eq!(ra.valid_until, None);
    }

    #[test]
    fn login_secret_is_redacted_in_debug() {
        let login: Login =
            serde_json::from_str(r#"{"id":9,"secret":"topsecret","scram_credentials":{}}"#)
                .unwrap();
        assert!(!format!("{login:?}").contains("topsecret"));
    }
}
