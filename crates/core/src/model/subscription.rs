//! Subscriptions of people and companies, and their items.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{
    CompanyId, PersonId, PlanId, ProductId, ResourceId, SubscriptionId, SubscriptionItemId,
};
use crate::model::door_access::DoorAccess;

/// Who holds a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Holder {
    Person(PersonId),
    /// R5: every member of the company (or only the named beneficiaries) gets the access.
    Company(CompanyId),
}

/// What one subscription item sells; it decides the door access the item inherits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ItemKind {
    /// M1: inherits the plan's door access.
    Plan(PlanId),
    /// M2: a resource rental (dedicated desk, private office) inherits the resource's door access.
    ResourceRental(ResourceId),
    /// M4: a service product's door access.
    Service(ProductId),
}

/// One item of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionItem {
    pub id: SubscriptionItemId,
    pub kind: ItemKind,
    /// M3: replaces the inherited door access. `Some(DoorAccess::none())` means "Not selected":
    /// explicitly no access, even if the plan or resource has some.
    pub access_override: Option<DoorAccess>,
}

/// Invoice status, kept for display only. R4: access never depends on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    #[default]
    Paid,
    Unpaid,
    Overdue,
}

/// A subscription. Its dates are read in the location's zone: access from 00:00 on `start` (R1) to
/// the end of `end` (R2), cut at `cancelled_at` (R3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub holder: Holder,
    pub start: NaiveDate,
    /// The last day, a full day (R2); `None` = open-ended.
    pub end: Option<NaiveDate>,
    /// The instant the cancellation takes effect (the moment staff cancelled, or a later instant they
    /// chose), R3.
    pub cancelled_at: Option<DateTime<Utc>>,
    pub items: Vec<SubscriptionItem>,
    /// R5 (Archie): when non-empty, only these company members get access; empty = all members.
    /// Only valid on company-held subscriptions.
    pub beneficiaries: BTreeSet<PersonId>,
    /// R4: shown to staff, never consulted by the rules.
    pub payment_status: PaymentStatus,
}

impl Subscription {
    /// A subscription with no cancellation, no beneficiaries and status paid; validated.
    pub fn new(
        id: SubscriptionId,
        holder: Holder,
        start: NaiveDate,
        end: Option<NaiveDate>,
        items: Vec<SubscriptionItem>,
    ) -> Result<Self, ValidationError> {
        let subscription = Self {
            id,
            holder,
            start,
            end,
            cancelled_at: None,
            items,
            beneficiaries: BTreeSet::new(),
            payment_status: PaymentStatus::default(),
        };
        subscription.validate()?;
        Ok(subscription)
    }

    /// Names the beneficiaries (R5); refused on a person's subscription.
    pub fn with_beneficiaries(
        mut self,
        beneficiaries: impl IntoIterator<Item = PersonId>,
    ) -> Result<Self, ValidationError> {
        self.beneficiaries = beneficiaries.into_iter().collect();
        self.validate()?;
        Ok(self)
    }

    pub fn cancelled(mut self, at: DateTime<Utc>) -> Self {
        self.cancelled_at = Some(at);
        self
    }

    pub fn with_payment_status(mut self, status: PaymentStatus) -> Self {
        self.payment_status = status;
        self
    }

    /// Checks the invariants a deserialised or hand-built value must hold.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(end) = self.end
            && end < self.start
        {
            return Err(ValidationError::EndDateBeforeStartDate {
                field: "end",
                start_field: "start",
                start: self.start.to_string(),
                end: end.to_string(),
            });
        }
        if matches!(self.holder, Holder::Person(_)) && !self.beneficiaries.is_empty() {
            return Err(ValidationError::BeneficiariesOnPersonalSubscription {
                field: "beneficiaries",
                subscription: self.id.0,
            });
        }
        Ok(())
    }
}
