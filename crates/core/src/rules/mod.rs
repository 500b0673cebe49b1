//! The access rules of access-rules.md: every grant a person has (R1–R11), merged per Kisi target
//! (R12–R13), and turned into the Kisi state Doorlink wants (R14, R15).

mod bookings;
mod desired;
mod grant;
mod merge;
mod passes;
mod subscriptions;

pub use bookings::booking_window;
pub use desired::{
    DesiredAccess, DesiredAssignment, DesiredLink, DisconnectedPerson, desired_access_for_location,
    desired_access_for_person,
};
pub use grant::{BookingRole, Grant, Provenance, SubscriptionVia};
pub use merge::{MergedGrant, may_open_target_at, merge, merge_grants};
pub use passes::{day_pass_window, manual_grant_window, visit_window};
pub use subscriptions::{item_door_access, subscription_window};

use crate::facts::LocationFacts;
use crate::ids::PersonId;

/// Every grant the person has at the location, past, present and future, each with its window and
/// provenance (R1–R11), unmerged and without regard to holds (R14 decides what is written, not what
/// the person is entitled to). A person the facts do not know has no grants.
pub fn grants_for_person(facts: &LocationFacts, person: PersonId) -> Vec<Grant> {
    let mut grants = Vec::new();
    collect_grants(facts, person, &mut grants);
    grants
}

/// Appends the person's grants to `into` (lets the whole-location pass reuse one buffer).
pub(crate) fn collect_grants(facts: &LocationFacts, person: PersonId, into: &mut Vec<Grant>) {
    subscriptions::collect(facts, person, into);
    bookings::collect(facts, person, into);
    passes::collect_day_passes(facts, person, into);
    passes::collect_visits(facts, person, into);
    passes::collect_manual_grants(facts, person, into);
}
