//! Why a grant exists, in plain words that name things: the words the Access page,
//! the front desk's person page and `doorlink explain` all show, in the location's time zone (R1).

use crate::facts::LocationFacts;
use crate::ids::{PersonId, SubscriptionId, SubscriptionItemId};
use crate::model::subscription::ItemKind;
use crate::rules::{BookingRole, Provenance, SubscriptionVia};

impl Provenance {
    /// Why a grant exists, in plain words that name things, not ids: "Hot Desk plan
    /// of Acme GmbH", "booking of Meeting Room Spree, 14:00–15:00", "day pass (Day Pass Berlin),
    /// Tue 24 Nov", "manual grant, no end date". Times and dates are read in the location's zone
    /// (R1); a plain id appears only when the thing it names is gone. `person` is whose grant it
    /// is. The same for every reader: it names only the person's own plans, bookings and passes.
    pub fn words(&self, facts: &LocationFacts, person: PersonId) -> String {
        let zone = facts.location().time_zone;
        match *self {
            Provenance::Subscription {
                subscription,
                item,
                via,
            } => subscription_provenance(facts, person, subscription, item, via),
            Provenance::Booking {
                booking,
                resource,
                role,
            } => {
                let room = facts
                    .resource(resource)
                    .map_or_else(|| format!("resource {resource}"), |r| r.name.clone());
                let Some(found) = facts.bookings_of(person).find(|b| b.id == booking) else {
                    return format!("booking {booking} of {room}");
                };
                let times = format!(
                    "{}–{}",
                    found.start.with_timezone(&zone).format("%H:%M"),
                    found.end.with_timezone(&zone).format("%H:%M")
                );
                match role {
                    BookingRole::Booker => format!("booking of {room}, {times}"),
                    BookingRole::Invitee => {
                        let booker = facts
                            .person(found.booker)
                            .map_or_else(|| format!("person {}", found.booker), |p| p.name.clone());
                        format!("invited by {booker} to {room}, {times}")
                    }
                }
            }
            Provenance::DayPass { day_pass, product } => {
                let name = facts
                    .product(product)
                    .map_or_else(|| format!("product {product}"), |p| p.name.clone());
                match facts.day_passes_of(person).find(|d| d.id == day_pass) {
                    Some(pass) => format!("day pass ({name}), {}", pass.date.format("%a %-d %b")),
                    None => format!("day pass {day_pass} ({name})"),
                }
            }
            Provenance::Visit { visit, policy } => {
                let name = facts
                    .visitor_policy(policy)
                    .map_or_else(|| format!("visitor policy {policy}"), |p| p.name.clone());
                match facts.visits_of(person).find(|v| v.id == visit) {
                    Some(found) => format!(
                        "visit ({name}), arriving {}",
                        found.expected_arrival.with_timezone(&zone).format("%H:%M")
                    ),
                    None => format!("visit {visit} ({name})"),
                }
            }
            Provenance::ManualGrant { grant } => {
                match facts.manual_grants_of(person).find(|g| g.id == grant) {
                    Some(found) => match found.ends_at {
                        Some(end) => format!(
                            "manual grant, until {}",
                            end.with_timezone(&zone).format("%a %-d %b %H:%M")
                        ),
                        None => "manual grant, no end date".to_owned(),
                    },
                    None => format!("manual grant {grant}"),
                }
            }
        }
    }
}

/// "Hot Desk plan", "rental of Desk 12", "Locker service", each followed by " of Acme GmbH" when
/// a company holds the subscription (R5).
fn subscription_provenance(
    facts: &LocationFacts,
    person: PersonId,
    subscription: SubscriptionId,
    item: SubscriptionItemId,
    via: SubscriptionVia,
) -> String {
    let (held, of_company) = match via {
        SubscriptionVia::Holder => (
            facts
                .personal_subscriptions_of(person)
                .find(|s| s.id == subscription),
            String::new(),
        ),
        SubscriptionVia::CompanyMember(company) | SubscriptionVia::Beneficiary(company) => {
            let name = facts
                .company(company)
                .map_or_else(|| format!("company {company}"), |c| c.name.clone());
            (
                facts
                    .subscriptions_of_company(company)
                    .find(|s| s.id == subscription),
                format!(" of {name}"),
            )
        }
    };
    let kind = held
        .and_then(|s| s.items.iter().find(|i| i.id == item))
        .map(|i| i.kind);
    let what = match kind {
        Some(ItemKind::Plan(plan)) => facts
            .plan(plan)
            .map_or_else(|| format!("plan {plan}"), |p| format!("{} plan", p.name)),
        Some(ItemKind::ResourceRental(resource)) => facts.resource(resource).map_or_else(
            || format!("rental of resource {resource}"),
            |r| format!("rental of {}", r.name),
        ),
        Some(ItemKind::Service(product)) => facts.product(product).map_or_else(
            || format!("service product {product}"),
            |p| format!("{} service", p.name),
        ),
        None => format!("subscription {subscription}"),
    };
    format!("{what}{of_company}")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::facts::LocationRecords;
    use crate::ids::{BookingId, LocationId, ManualGrantId, ResourceId, VisitId, VisitorPolicyId};
    use crate::model::catalog::VisitorPolicy;
    use crate::model::door_access::DoorAccess;
    use crate::model::location::Location;
    use crate::model::passes::Visit;
    use crate::model::people::Person;

    const ANA: PersonId = PersonId(1);

    fn facts(with_policy: bool) -> LocationFacts {
        let location = Location::new(LocationId(1), "Kreuzberg", "Europe/Berlin").unwrap();
        let mut records = LocationRecords::new(location);
        records
            .people
            .push(Person::new(ANA, "Ana", "ana@example.com").unwrap());
        if with_policy {
            records.visitor_policies.push(VisitorPolicy {
                id: VisitorPolicyId(4),
                name: "Guests of members".to_owned(),
                door_access: DoorAccess::default(),
            });
            let arrival = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
            let departure = Utc.with_ymd_and_hms(2026, 11, 24, 17, 0, 0).unwrap();
            records
                .visits
                .push(Visit::new(VisitId(7), ANA, VisitorPolicyId(4), arrival, departure).unwrap());
        }
        LocationFacts::new(records).unwrap()
    }

    #[test]
    fn a_visit_names_its_policy_and_the_arrival_in_the_location_s_time() {
        let visit = Provenance::Visit {
            visit: VisitId(7),
            policy: VisitorPolicyId(4),
        };
        assert_eq!(
            visit.words(&facts(true), ANA),
            "visit (Guests of members), arriving 10:00"
        );
    }

    #[test]
    fn a_plain_id_appears_only_for_a_thing_that_is_gone() {
        let gone = facts(false);
        let cases = [
            (
                Provenance::Visit {
                    visit: VisitId(7),
                    policy: VisitorPolicyId(4),
                },
                "visit 7 (visitor policy 4)",
            ),
            (
                Provenance::Booking {
                    booking: BookingId(3),
                    resource: ResourceId(5),
                    role: BookingRole::Booker,
                },
                "booking 3 of resource 5",
            ),
            (
                Provenance::ManualGrant {
                    grant: ManualGrantId(9),
                },
                "manual grant 9",
            ),
            (
                Provenance::Subscription {
                    subscription: SubscriptionId(2),
                    item: SubscriptionItemId(6),
                    via: SubscriptionVia::Holder,
                },
                "subscription 2",
            ),
        ];
        for (gone_thing, expected) in cases {
            assert_eq!(gone_thing.words(&gone, ANA), expected);
        }
    }
}
