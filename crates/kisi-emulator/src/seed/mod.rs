//! The seed file format (`Seed`; the README's "Seed format"): a whole organization in one JSON
//! document, for `kisi-emulator --seed FILE`, `Control::seed` and `doorlink demo`. Everything
//! refers to everything else by name; `SeedIds` answers with the ids the emulator assigned.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod load;

pub(crate) use load::build_store;

/// The demo coworking space shipped in `seeds/demo.json`.
pub const DEMO_SEED_JSON: &str = include_str!("../../seeds/demo.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub organization: SeedOrganization,
    pub owner: SeedOwner,
    #[serde(default)]
    pub places: Vec<SeedPlace>,
    #[serde(default)]
    pub locks: Vec<SeedLock>,
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    /// Extra users besides the owner.
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrganization {
    pub name: String,
    /// What the owner types as `domain` when signing in.
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOwner {
    pub email: String,
    pub password: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPlace {
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(alias = "lat")]
    pub latitude: f64,
    #[serde(alias = "long")]
    pub longitude: f64,
    /// IANA name, e.g. `Europe/Berlin`.
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLock {
    pub name: String,
    /// The place's name.
    pub place: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub reader_restriction: bool,
    #[serde(default)]
    pub geofence_restriction: bool,
    #[serde(default)]
    pub time_restriction: bool,
    /// Defaults to `DEFAULT_GEOFENCE_RADIUS_METERS`.
    #[serde(default)]
    pub geofence_radius_meters: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The locks' names.
    #[serde(default)]
    pub locks: Vec<String>,
    #[serde(default)]
    pub reader_restriction: bool,
    #[serde(default)]
    pub geofence_restriction: bool,
    #[serde(default)]
    pub time_restriction: bool,
    /// Kisi's "Allow App Access": off, members cannot unlock from an app (or Doorlink).
    #[serde(default = "yes")]
    pub login_enabled: bool,
    /// Members may unlock only from their primary device (a login they made themselves).
    #[serde(default)]
    pub primary_device_restriction: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub email: String,
    pub name: String,
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// Created as if through `POST /users` (Doorlink may log in on its behalf).
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub admin: bool,
    /// Lets the user sign in with `POST /logins`.
    #[serde(default)]
    pub password: Option<String>,
}

fn yes() -> bool {
    true
}

/// The ids a seed received, by name (users by e-mail), and the owner's API key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedIds {
    pub organization_id: u64,
    pub owner_id: u64,
    /// A login secret created for the owner (not counted against the sign-in quota).
    pub owner_api_key: String,
    pub places: BTreeMap<String, u64>,
    pub locks: BTreeMap<String, u64>,
    pub groups: BTreeMap<String, u64>,
    pub users: BTreeMap<String, u64>,
}

/// Why a seed could not be loaded; names the record and the field to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeedError {
    #[error("seed: lock {lock:?} names place {place:?}, which is not among the seed's places")]
    UnknownPlace { lock: String, place: String },
    #[error("seed: group {group:?} names lock {lock:?}, which is not among the seed's locks")]
    UnknownLock { group: String, lock: String },
    #[error(
        "seed: two {kind} are named {name:?}; names must be unique because records refer to them"
    )]
    DuplicateName { kind: &'static str, name: String },
    #[error(
        "seed: place {place:?} has time_zone {time_zone:?}, which is not an IANA zone such as Europe/Berlin"
    )]
    InvalidTimeZone { place: String, time_zone: String },
    #[error("seed: user {email:?}: {field} {problem}")]
    InvalidUser {
        email: String,
        field: String,
        problem: String,
    },
    #[error("seed: {0}")]
    InvalidJson(String),
}

impl Seed {
    /// Parses a seed document.
    pub fn from_json(json: &str) -> Result<Self, SeedError> {
        serde_json::from_str(json).map_err(|error| SeedError::InvalidJson(error.to_string()))
    }

    /// The demo coworking space of `seeds/demo.json`.
    pub fn demo() -> Result<Self, SeedError> {
        Self::from_json(DEMO_SEED_JSON)
    }
}
