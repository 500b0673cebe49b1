//! Plain-words descriptions of grants, windows and targets for the command-line reports, in the
//! location's time zone.

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessTarget, BookingRole, ItemKind, KisiView, LocationFacts, Provenance, SubscriptionVia,
    Window, format_local,
};

/// A window as people read it: "until 16:30 …", "from … until …", "from …, no end".
pub fn window(facts: &LocationFacts, window: &Window, now: DateTime<Utc>) -> String {
    let zone = facts.location().time_zone;
    let from = window.from();
    match (from <= now, window.until()) {
        (true, Some(until)) => format!("until {}", format_local(zone, until)),
        (true, None) => "with no end".to_owned(),
        (false, Some(until)) => format!(
            "from {} until {}",
            format_local(zone, from),
            format_local(zone, until)
        ),
        (false, None) => format!("from {}, with no end", format_local(zone, from)),
    }
}

/// The Kisi name of a target: "group \"Room Elbe\"" or "lock \"Phone Booth\"".
pub fn target(view: &KisiView, target: AccessTarget) -> String {
    let kind = match target {
        AccessTarget::Group(_) => "group",
        AccessTarget::Lock(_) => "lock",
    };
    format!("{kind} \"{}\"", view.target_name(target))
}

/// Which record gives the access, with the names staff know it by.
pub fn provenance(facts: &LocationFacts, provenance: &Provenance) -> String {
    let zone = facts.location().time_zone;
    let records = facts.records();
    match *provenance {
        Provenance::Subscription {
            subscription,
            item,
            via,
        } => {
            let what = records
                .subscriptions
                .iter()
                .find(|s| s.id == subscription)
                .and_then(|s| s.items.iter().find(|i| i.id == item))
                .map_or_else(|| format!("item {item}"), |i| item_name(facts, i.kind));
            let whose = match via {
                SubscriptionVia::Holder => "their subscription".to_owned(),
                SubscriptionVia::CompanyMember(company) => {
                    format!(
                        "the subscription of company {}",
                        company_name(facts, company)
                    )
                }
                SubscriptionVia::Beneficiary(company) => format!(
                    "the subscription of company {} (as a named beneficiary)",
                    company_name(facts, company)
                ),
            };
            format!("{what} on {whose} (#{subscription})")
        }
        Provenance::Booking {
            booking,
            resource,
            role,
        } => {
            let name = facts
                .resource(resource)
                .map_or_else(|| format!("resource {resource}"), |r| r.name.clone());
            let when = records
                .bookings
                .iter()
                .find(|b| b.id == booking)
                .map(|b| {
                    format!(
                        " {}–{}",
                        format_local(zone, b.start),
                        format_local(zone, b.end)
                    )
                })
                .unwrap_or_default();
            match role {
                BookingRole::Booker => format!("booking of {name}{when} (#{booking})"),
                BookingRole::Invitee => {
                    format!("an invitation to the booking of {name}{when} (#{booking})")
                }
            }
        }
        Provenance::DayPass { day_pass, product } => {
            let name = facts
                .product(product)
                .map_or_else(|| format!("product {product}"), |p| p.name.clone());
            format!("day pass \"{name}\" (#{day_pass})")
        }
        Provenance::Visit { visit, policy } => {
            let name = facts
                .visitor_policy(policy)
                .map_or_else(|| format!("policy {policy}"), |p| p.name.clone());
            format!("visit under visitor policy \"{name}\" (#{visit})")
        }
        Provenance::ManualGrant { grant } => format!("manual grant (#{grant})"),
    }
}

fn item_name(facts: &LocationFacts, kind: ItemKind) -> String {
    match kind {
        ItemKind::Plan(plan) => facts.plan(plan).map_or_else(
            || format!("plan {plan}"),
            |p| format!("plan \"{}\"", p.name),
        ),
        ItemKind::ResourceRental(resource) => facts.resource(resource).map_or_else(
            || format!("rental of resource {resource}"),
            |r| format!("rental of \"{}\"", r.name),
        ),
        ItemKind::Service(product) => facts.product(product).map_or_else(
            || format!("service {product}"),
            |p| format!("service \"{}\"", p.name),
        ),
    }
}

fn company_name(facts: &LocationFacts, company: doorlink_core::CompanyId) -> String {
    facts
        .company(company)
        .map_or_else(|| format!("#{company}"), |c| format!("\"{}\"", c.name))
}
