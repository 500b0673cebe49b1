//! Why a person has no grant at all: the entitlement half of A5 (no door access on the plan or
//! resource, no booking or subscription, subscription not started, not in the company, ...).

use chrono::{DateTime, Utc};

use crate::denial::DenialCause;
use crate::facts::LocationFacts;
use crate::ids::PersonId;
use crate::model::catalog::ResourceKind;
use crate::model::subscription::{ItemKind, Subscription};
use crate::rules::{booking_window, day_pass_window, item_door_access, subscription_window};
use crate::time::format_local;

/// Every reason the facts give for the person having no access now or later, most specific first;
/// [`DenialCause::NoBookingOrSubscription`] when nothing more specific applies.
pub(crate) fn entitlement_causes(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
) -> Vec<DenialCause> {
    let mut causes = Vec::new();
    for subscription in facts.personal_subscriptions_of(person) {
        subscription_causes(facts, subscription, now, &mut causes);
    }
    company_causes(facts, person, now, &mut causes);
    booking_causes(facts, person, now, &mut causes);
    day_pass_causes(facts, person, now, &mut causes);
    if causes.is_empty() {
        causes.push(DenialCause::NoBookingOrSubscription);
    }
    // Several bookings of one resource give the same cause; name it once, keeping the order.
    let mut unique = Vec::with_capacity(causes.len());
    for cause in causes {
        if !unique.contains(&cause) {
            unique.push(cause);
        }
    }
    unique
}

/// Whether the person holds a running subscription, their own or (as a member or beneficiary) their
/// company's: what makes them a member for the members-only Access page (A3).
pub(crate) fn is_member_at(facts: &LocationFacts, person: PersonId, now: DateTime<Utc>) -> bool {
    running_subscriptions_of(facts, person, now)
        .next()
        .is_some()
}

/// The subscriptions running now that the person holds: their own, and (R5, R6) their company's
/// while they are a member and, where the subscription names beneficiaries, one of them.
pub(crate) fn running_subscriptions_of<'a>(
    facts: &'a LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
) -> impl Iterator<Item = &'a Subscription> + 'a {
    let zone = facts.location().time_zone;
    let running =
        move |s: &&Subscription| subscription_window(zone, s).is_some_and(|w| w.contains(now));
    let company = facts
        .memberships_of(person)
        .filter(move |m| m.window().is_some_and(|w| w.contains(now)))
        .flat_map(move |m| facts.subscriptions_of_company(m.company))
        .filter(move |s| s.beneficiaries.is_empty() || s.beneficiaries.contains(&person));
    facts
        .personal_subscriptions_of(person)
        .chain(company)
        .filter(running)
}

/// R1 (not started yet) and M1–M4 (an item without door access) for one subscription.
fn subscription_causes(
    facts: &LocationFacts,
    subscription: &Subscription,
    now: DateTime<Utc>,
    causes: &mut Vec<DenialCause>,
) {
    let zone = facts.location().time_zone;
    let Some(window) = subscription_window(zone, subscription) else {
        return;
    };
    if window.starts_after(now) {
        causes.push(DenialCause::SubscriptionNotStarted {
            subscription: subscription.id,
            starts_at: window.from(),
            starts_local: format_local(zone, window.from()),
        });
        return;
    }
    if !window.contains(now) {
        return;
    }
    for item in &subscription.items {
        if item_door_access(facts, item).is_some_and(|access| !access.is_empty()) {
            continue;
        }
        let cause = match (&item.access_override, item.kind) {
            (Some(_), _) => DenialCause::ItemAccessNotSelected {
                subscription: subscription.id,
                item: item.id,
            },
            (None, ItemKind::Plan(plan)) => DenialCause::NoDoorAccessOnPlan {
                plan,
                plan_name: facts.plan(plan).map(|p| p.name.clone()).unwrap_or_default(),
            },
            (None, ItemKind::ResourceRental(resource)) => DenialCause::NoDoorAccessOnResource {
                resource,
                resource_name: facts
                    .resource(resource)
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
            },
            (None, ItemKind::Service(product)) => DenialCause::NoDoorAccessOnProduct {
                product,
                product_name: facts
                    .product(product)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            },
        };
        causes.push(cause);
    }
}

/// R5: company subscriptions the person is outside of (left the company, not yet joined, or not a
/// named beneficiary), and the causes of those they are inside of.
fn company_causes(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
    causes: &mut Vec<DenialCause>,
) {
    let zone = facts.location().time_zone;
    for membership in facts.memberships_of(person) {
        let company_name = facts
            .company(membership.company)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let member_now = membership.window().is_some_and(|w| w.contains(now));
        for subscription in facts.subscriptions_of_company(membership.company) {
            let live = subscription_window(zone, subscription)
                .is_some_and(|w| w.contains(now) || w.starts_after(now));
            if !live {
                continue;
            }
            if !subscription.beneficiaries.is_empty()
                && !subscription.beneficiaries.contains(&person)
            {
                causes.push(DenialCause::NotABeneficiary {
                    subscription: subscription.id,
                    company: membership.company,
                    company_name: company_name.clone(),
                });
            } else if member_now {
                subscription_causes(facts, subscription, now, causes);
            } else {
                causes.push(DenialCause::NotInCompany {
                    company: membership.company,
                    company_name: company_name.clone(),
                });
            }
        }
    }
}

/// M2 and R7 for the person's current and upcoming bookings.
fn booking_causes(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
    causes: &mut Vec<DenialCause>,
) {
    let grace = facts.location().booking_grace;
    for booking in facts.bookings_of(person) {
        let Some(resource) = facts.resource(booking.resource) else {
            continue;
        };
        if booking_window(booking, grace).is_none_or(|w| w.has_ended_by(now)) {
            continue;
        }
        if booking.booker != person && resource.kind != ResourceKind::Room {
            causes.push(DenialCause::InviteeOfNonRoomBooking {
                booking: booking.id,
                resource_name: resource.name.clone(),
            });
        } else if resource.door_access.is_empty() {
            causes.push(DenialCause::NoDoorAccessOnResource {
                resource: resource.id,
                resource_name: resource.name.clone(),
            });
        }
    }
}

/// M4 for the person's current and upcoming day passes.
fn day_pass_causes(
    facts: &LocationFacts,
    person: PersonId,
    now: DateTime<Utc>,
    causes: &mut Vec<DenialCause>,
) {
    let zone = facts.location().time_zone;
    for pass in facts.day_passes_of(person) {
        let Some(product) = facts.product(pass.product) else {
            continue;
        };
        let live = day_pass_window(zone, pass).is_some_and(|w| !w.has_ended_by(now));
        if live && product.door_access.is_empty() {
            causes.push(DenialCause::NoDoorAccessOnProduct {
                product: product.id,
                product_name: product.name.clone(),
            });
        }
    }
}
