//! A person's standing at a location, as the front desk's People list shows it (issue 17): the
//! plans they are on now and whether their door access is on hold (R14).

use chrono::{DateTime, Utc};

use crate::entitlement::running_subscriptions_of;
use crate::facts::LocationFacts;
use crate::ids::PersonId;
use crate::model::subscription::ItemKind;

/// What the People list says about one person at one location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// The plans of the subscriptions running now (their own, or their company's as a member or
    /// beneficiary), by name, each once.
    pub plans: Vec<String>,
    /// R14: since when staff have put their door access on hold.
    pub on_hold_since: Option<DateTime<Utc>>,
}

impl Standing {
    /// A member now: on a running subscription's plan (on hold or not).
    pub fn is_member(&self) -> bool {
        !self.plans.is_empty()
    }
}

/// `person`'s standing at the facts' location at `now`.
pub fn standing(facts: &LocationFacts, person: PersonId, now: DateTime<Utc>) -> Standing {
    let mut plans: Vec<String> = running_subscriptions_of(facts, person, now)
        .flat_map(|s| &s.items)
        .filter_map(|item| match item.kind {
            ItemKind::Plan(plan) => facts.plan(plan).map(|p| p.name.clone()),
            ItemKind::ResourceRental(_) | ItemKind::Service(_) => None,
        })
        .collect();
    plans.sort();
    plans.dedup();
    Standing {
        plans,
        on_hold_since: facts.hold_of(person).map(|hold| hold.since),
    }
}
