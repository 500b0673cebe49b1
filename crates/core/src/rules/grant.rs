//! A grant and its provenance: "person P may use target T during window W, because of X".

use serde::{Deserialize, Serialize};

use crate::ids::{
    BookingId, CompanyId, DayPassId, ManualGrantId, PersonId, ProductId, ResourceId,
    SubscriptionId, SubscriptionItemId, VisitId, VisitorPolicyId,
};
use crate::model::door_access::AccessTarget;
use crate::time::Window;

/// One unit of access: the person may use `target` during `window`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub person: PersonId,
    pub target: AccessTarget,
    pub window: Window,
    pub provenance: Provenance,
}

/// Why a person holds a subscription's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "company")]
pub enum SubscriptionVia {
    /// The person holds the subscription.
    Holder,
    /// R5: the company holds it and the person is a member.
    CompanyMember(CompanyId),
    /// R5 (Archie): the company holds it and names the person as a beneficiary.
    Beneficiary(CompanyId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingRole {
    Booker,
    /// R7: invited to a room booking.
    Invitee,
}

/// Which record produced a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum Provenance {
    Subscription {
        subscription: SubscriptionId,
        item: SubscriptionItemId,
        via: SubscriptionVia,
    },
    Booking {
        booking: BookingId,
        resource: ResourceId,
        role: BookingRole,
    },
    DayPass {
        day_pass: DayPassId,
        product: ProductId,
    },
    Visit {
        visit: VisitId,
        policy: VisitorPolicyId,
    },
    ManualGrant {
        grant: ManualGrantId,
    },
}

impl Provenance {
    /// Whether the grant comes from a subscription (own or company): what makes someone a member for
    /// the Access page's members-only visibility (A3).
    pub fn is_subscription(&self) -> bool {
        matches!(self, Provenance::Subscription { .. })
    }

    pub fn is_visit(&self) -> bool {
        matches!(self, Provenance::Visit { .. })
    }
}
