//! Integer ids of Doorlink's records and of Kisi's objects.
//!
//! Each id is its own type so a booking id can never be passed where a person id is expected. They are
//! serde-transparent (a bare integer on the wire and in the store, whose primary keys are integers).

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    )+};
}

id_type!(
    /// A coworking site.
    LocationId,
    /// A person (member, invitee, visitor).
    PersonId,
    /// A company (business account) whose members share its subscriptions (R5).
    CompanyId,
    /// A membership plan (M1).
    PlanId,
    /// A bookable or rentable resource (M2).
    ResourceId,
    /// A day-pass or service product (M4).
    ProductId,
    /// A subscription of a person or company.
    SubscriptionId,
    /// One item of a subscription (plan, resource rental or service).
    SubscriptionItemId,
    /// A booking of a resource.
    BookingId,
    /// A day pass bought for one date (R9).
    DayPassId,
    /// A visit under a visitor policy (R10).
    VisitId,
    /// A location's visitor policy (M5).
    VisitorPolicyId,
    /// A grant given by hand by staff (M6).
    ManualGrantId,
    /// A Kisi group (access is granted through groups).
    KisiGroupId,
    /// A Kisi lock (a door).
    KisiLockId,
    /// A Kisi place (a building in the Kisi organisation).
    KisiPlaceId,
    /// A Kisi user.
    KisiUserId,
);
