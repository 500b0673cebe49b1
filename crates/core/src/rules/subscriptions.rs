//! R1–R5 and M1–M4: what subscriptions grant, to whom, and when.

use chrono_tz::Tz;

use crate::facts::LocationFacts;
use crate::ids::PersonId;
use crate::model::door_access::DoorAccess;
use crate::model::subscription::{ItemKind, Subscription, SubscriptionItem};
use crate::rules::grant::{Grant, Provenance, SubscriptionVia};
use crate::time::{Window, end_of_local_day, local_midnight};

/// The window a subscription is active, in instants, or `None` when it never is.
///
/// - R1: from 00:00 location time on the start date (resolved by the spec's daylight-saving rule);
/// - R2: until 00:00 of the day after the end date, so the last day is a full day; open-ended without
///   an end date;
/// - R3: cut at the cancellation instant (the moment of cancellation, or the later instant staff
///   chose; the caller records whichever applies in `cancelled_at`).
/// - R4: payment status is deliberately not an input.
pub fn subscription_window(zone: Tz, subscription: &Subscription) -> Option<Window> {
    let from = local_midnight(zone, subscription.start);
    let window = match subscription.end {
        Some(last_day) => Window::bounded(from, end_of_local_day(zone, last_day))?,
        None => Window::starting(from),
    };
    match subscription.cancelled_at {
        Some(cancelled_at) => window.cut_at(cancelled_at),
        None => Some(window),
    }
}

/// The door access one item gives: its override if set (M3, `Some(empty)` = "Not selected"),
/// otherwise what it inherits from its plan (M1), rented resource (M2) or service product (M4).
pub fn item_door_access<'f>(
    facts: &'f LocationFacts,
    item: &'f SubscriptionItem,
) -> Option<&'f DoorAccess> {
    if let Some(access) = &item.access_override {
        return Some(access);
    }
    match item.kind {
        ItemKind::Plan(plan) => facts.plan(plan).map(|p| &p.door_access),
        ItemKind::ResourceRental(resource) => facts.resource(resource).map(|r| &r.door_access),
        ItemKind::Service(product) => facts.product(product).map(|p| &p.door_access),
    }
}

fn push_subscription_grants(
    facts: &LocationFacts,
    person: PersonId,
    subscription: &Subscription,
    window: Window,
    via: SubscriptionVia,
    into: &mut Vec<Grant>,
) {
    for item in &subscription.items {
        let Some(access) = item_door_access(facts, item) else {
            continue;
        };
        for target in access.targets() {
            into.push(Grant {
                person,
                target,
                window,
                provenance: Provenance::Subscription {
                    subscription: subscription.id,
                    item: item.id,
                    via,
                },
            });
        }
    }
}

/// R1–R3 for the person's own subscriptions, and R5 for their companies' subscriptions: a company
/// member gets the company's access for the part of the subscription window during which they are a
/// member (gained at once on joining, lost at once on leaving). When the subscription names
/// beneficiaries, only they get it, still bounded by their membership.
pub(super) fn collect(facts: &LocationFacts, person: PersonId, into: &mut Vec<Grant>) {
    let zone = facts.location().time_zone;
    for subscription in facts.personal_subscriptions_of(person) {
        if let Some(window) = subscription_window(zone, subscription) {
            push_subscription_grants(
                facts,
                person,
                subscription,
                window,
                SubscriptionVia::Holder,
                into,
            );
        }
    }
    for membership in facts.memberships_of(person) {
        let Some(membership_window) = membership.window() else {
            continue;
        };
        for subscription in facts.subscriptions_of_company(membership.company) {
            let via = if subscription.beneficiaries.is_empty() {
                SubscriptionVia::CompanyMember(membership.company)
            } else if subscription.beneficiaries.contains(&person) {
                SubscriptionVia::Beneficiary(membership.company)
            } else {
                continue;
            };
            let window = subscription_window(zone, subscription)
                .and_then(|w| w.intersect(&membership_window));
            if let Some(window) = window {
                push_subscription_grants(facts, person, subscription, window, via, into);
            }
        }
    }
}
