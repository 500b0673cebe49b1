//! Bookings of resources.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{BookingId, PersonId, ResourceId};

/// A booking of a resource by a person, with invitees (R6–R8). Moving or resizing a booking is a new
/// `start`/`end`; cancelling sets `cancelled_at`, which revokes access from that instant on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: BookingId,
    pub resource: ResourceId,
    pub booker: PersonId,
    /// R7: invitees of a room booking get the booker's access; they need not be members.
    pub invitees: BTreeSet<PersonId>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Booking {
    pub fn new(
        id: BookingId,
        resource: ResourceId,
        booker: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        let booking = Self {
            id,
            resource,
            booker,
            invitees: BTreeSet::new(),
            start,
            end,
            cancelled_at: None,
        };
        booking.validate()?;
        Ok(booking)
    }

    pub fn with_invitees(mut self, invitees: impl IntoIterator<Item = PersonId>) -> Self {
        self.invitees = invitees.into_iter().collect();
        self
    }

    pub fn cancelled(mut self, at: DateTime<Utc>) -> Self {
        self.cancelled_at = Some(at);
        self
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.end <= self.start {
            return Err(ValidationError::EndNotAfterStart {
                field: "end",
                start_field: "start",
                start: self.start.to_rfc3339(),
                end: self.end.to_rfc3339(),
            });
        }
        Ok(())
    }
}
