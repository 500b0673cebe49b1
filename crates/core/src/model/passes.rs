//! Day passes (R9), visits (R10), manual grants (R11), holds (R14) and Kisi disconnections (R15).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{DayPassId, ManualGrantId, PersonId, ProductId, VisitId, VisitorPolicyId};
use crate::model::door_access::DoorAccess;

/// A day pass for one date, read in the location's zone (R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPass {
    pub id: DayPassId,
    pub person: PersonId,
    /// A product of kind day pass; its door access applies (M4).
    pub product: ProductId,
    pub date: NaiveDate,
}

/// An expected visit under a visitor policy (R10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub visitor: PersonId,
    pub policy: VisitorPolicyId,
    pub expected_arrival: DateTime<Utc>,
    pub expected_departure: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Visit {
    pub fn new(
        id: VisitId,
        visitor: PersonId,
        policy: VisitorPolicyId,
        expected_arrival: DateTime<Utc>,
        expected_departure: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        Self::check_times(expected_arrival, expected_departure)?;
        Ok(Self {
            id,
            visitor,
            policy,
            expected_arrival,
            expected_departure,
            cancelled_at: None,
        })
    }

    /// R10: the expected departure comes after the expected arrival (the rule [`Visit::new`]
    /// applies, for a visit whose visitor is not registered yet).
    pub fn check_times(
        expected_arrival: DateTime<Utc>,
        expected_departure: DateTime<Utc>,
    ) -> Result<(), ValidationError> {
        if expected_departure <= expected_arrival {
            return Err(ValidationError::EndNotAfterStart {
                field: "expected_departure",
                start_field: "expected_arrival",
                start: expected_arrival.to_rfc3339(),
                end: expected_departure.to_rfc3339(),
            });
        }
        Ok(())
    }
}

/// Door access given by hand (M6): a start and either an end or "indefinite" (R11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualGrant {
    pub id: ManualGrantId,
    pub person: PersonId,
    pub door_access: DoorAccess,
    pub starts_at: DateTime<Utc>,
    /// `None` = indefinite.
    pub ends_at: Option<DateTime<Utc>>,
}

impl ManualGrant {
    pub fn new(
        id: ManualGrantId,
        person: PersonId,
        door_access: DoorAccess,
        starts_at: DateTime<Utc>,
        ends_at: Option<DateTime<Utc>>,
    ) -> Result<Self, ValidationError> {
        if let Some(end) = ends_at
            && end <= starts_at
        {
            return Err(ValidationError::EndNotAfterStart {
                field: "ends_at",
                start_field: "starts_at",
                start: starts_at.to_rfc3339(),
                end: end.to_rfc3339(),
            });
        }
        Ok(Self {
            id,
            person,
            door_access,
            starts_at,
            ends_at,
        })
    }
}

/// R14 (Archie "Temporarily disable"): the person's door access at this location is on hold. Their
/// grants are still computed (and shown to staff) but none is written to Kisi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub person: PersonId,
    /// When staff put the hold in place; shown to staff. A hold applies as soon as it exists.
    pub since: DateTime<Utc>,
}

/// R15: what staff chose for a person's Kisi account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectMode {
    /// Doorlink stops managing the Kisi user and leaves it (and what is in Kisi) in place.
    KeepKisiUser,
    /// Doorlink deletes the Kisi user it created.
    DeleteKisiUser,
}

/// R15: a person disconnected from Kisi at this location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KisiDisconnection {
    pub person: PersonId,
    pub mode: DisconnectMode,
}
