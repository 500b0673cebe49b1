//! Domain values (core, store) to wire values (api), in one place.

use doorlink_api::common::{Cause, DoorAccess as WireDoorAccess, Reason, Window as WireWindow};
use doorlink_api::locations::{LocationView, Visibility};
use doorlink_core::{
    AccessPageVisibility, Audience, BookingRole, DenialCause, DoorAccess, ItemKind, KisiGroupId,
    KisiLockId, Location, LocationFacts, PersonId, Provenance, SubscriptionId, SubscriptionItemId,
    SubscriptionVia, UnlockRefusal, Window,
};

pub fn window(window: &Window) -> WireWindow {
    WireWindow {
        from: window.from(),
        until: window.until(),
    }
}

/// A denial cause with its stable code and, in the words of `audience` (core's `words`, issue 17
/// point 3), what stands in the way and what to do: a member reads what it means for them and
/// whom to ask, staff read the fix.
pub fn reason(cause: &DenialCause, audience: Audience) -> Reason {
    let words = cause.words(audience);
    Reason {
        cause: denial_code(cause),
        message: words.message,
        fix: words.next_step,
    }
}

/// A4: Kisi's refusal of an unlock as the reason `audience` reads: Doorlink's words and what to
/// do, and for staff Kisi's own code when it gave one (Kisi's message goes to the log, never to
/// the person; a member reads no codes).
pub fn refusal(
    refusal: UnlockRefusal,
    lock_name: &str,
    kisi_code: Option<&str>,
    audience: Audience,
) -> Reason {
    let words = refusal.words(audience, lock_name);
    Reason {
        cause: refusal_code(refusal),
        message: match (audience, kisi_code.filter(|code| !code.is_empty())) {
            (Audience::Staff, Some(code)) => format!("{} (Kisi: {code})", words.message),
            _ => words.message,
        },
        fix: words.next_step,
    }
}

/// The wire code of an unlock refusal; a cause the rules also name shares its code.
pub fn refusal_code(refusal: UnlockRefusal) -> Cause {
    match refusal {
        UnlockRefusal::ReaderRestriction => Cause::ReaderRestriction,
        UnlockRefusal::GeofenceRestriction => Cause::GeofenceRestriction,
        UnlockRefusal::TimeRestriction => Cause::TimeRestriction,
        UnlockRefusal::NoCurrentAccess => Cause::NoCurrentAccess,
        UnlockRefusal::UnconfirmedKisiEmail => Cause::UnconfirmedKisiEmail,
        UnlockRefusal::GroupDeleted => Cause::GroupDeleted,
        UnlockRefusal::KisiLoginRefused => Cause::KisiLoginRefused,
        UnlockRefusal::KisiUnreachable => Cause::KisiUnreachable,
        UnlockRefusal::RateLimited => Cause::RateLimited,
        UnlockRefusal::KisiFailed => Cause::KisiFailed,
    }
}

/// The wire code of a denial cause.
pub fn denial_code(cause: &DenialCause) -> Cause {
    match cause {
        DenialCause::UnknownPerson { .. } => Cause::UnknownPerson,
        DenialCause::DisconnectedFromKisi { .. } => Cause::DisconnectedFromKisi,
        DenialCause::OnHold { .. } => Cause::OnHold,
        DenialCause::NoBookingOrSubscription => Cause::NoBookingOrSubscription,
        DenialCause::NoDoorAccessOnPlan { .. } => Cause::NoDoorAccessOnPlan,
        DenialCause::NoDoorAccessOnResource { .. } => Cause::NoDoorAccessOnResource,
        DenialCause::NoDoorAccessOnProduct { .. } => Cause::NoDoorAccessOnProduct,
        DenialCause::ItemAccessNotSelected { .. } => Cause::ItemAccessNotSelected,
        DenialCause::SubscriptionNotStarted { .. } => Cause::SubscriptionNotStarted,
        DenialCause::NotInCompany { .. } => Cause::NotInCompany,
        DenialCause::NotABeneficiary { .. } => Cause::NotABeneficiary,
        DenialCause::InviteeOfNonRoomBooking { .. } => Cause::InviteeOfNonRoomBooking,
        DenialCause::NotYetOpen { .. } => Cause::NotYetOpen,
        DenialCause::AccessEnded { .. } => Cause::AccessEnded,
        DenialCause::LockNotInGroups { .. } => Cause::LockNotInGroups,
        DenialCause::GroupHasNoLocks { .. } => Cause::GroupHasNoLocks,
        DenialCause::GroupDeleted { .. } => Cause::GroupDeleted,
        DenialCause::GroupNotYetSynced { .. } => Cause::GroupNotYetSynced,
        DenialCause::HiddenByPlaceFilter { .. } => Cause::HiddenByPlaceFilter,
        DenialCause::ReaderRestriction { .. } => Cause::ReaderRestriction,
        DenialCause::GeofenceRestriction { .. } => Cause::GeofenceRestriction,
        DenialCause::DoorLockedDown { .. } => Cause::DoorLockedDown,
        DenialCause::DoorOffline { .. } => Cause::DoorOffline,
        DenialCause::UnconfirmedKisiEmail { .. } => Cause::UnconfirmedKisiEmail,
        DenialCause::EmailMismatch { .. } => Cause::EmailMismatch,
        DenialCause::NotInKisiYet => Cause::NotInKisiYet,
        DenialCause::AccessPageMembersOnly => Cause::AccessPageMembersOnly,
    }
}

/// The code as text (the audit log's column).
pub fn cause_text(cause: Cause) -> String {
    serde_json::to_value(cause)
        .ok()
        .and_then(|code| code.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn door_access(access: &DoorAccess) -> WireDoorAccess {
    WireDoorAccess {
        groups: access.groups.iter().map(|g| g.0).collect(),
        locks: access.locks.iter().map(|l| l.0).collect(),
    }
}

pub fn door_access_from(access: &WireDoorAccess) -> DoorAccess {
    DoorAccess {
        groups: access.groups.iter().copied().map(KisiGroupId).collect(),
        locks: access.locks.iter().copied().map(KisiLockId).collect(),
    }
}

pub fn visibility(visibility: AccessPageVisibility) -> Visibility {
    match visibility {
        AccessPageVisibility::MembersOnly => Visibility::MembersOnly,
        AccessPageVisibility::Public => Visibility::Public,
    }
}

pub fn visibility_from(visibility: Visibility) -> AccessPageVisibility {
    match visibility {
        Visibility::MembersOnly => AccessPageVisibility::MembersOnly,
        Visibility::Public => AccessPageVisibility::Public,
    }
}

pub fn location(location: &Location) -> LocationView {
    LocationView {
        id: location.id.0,
        name: location.name.clone(),
        time_zone: location.time_zone.name().to_owned(),
        booking_grace_minutes: location.booking_grace.minutes(),
        access_page_visibility: visibility(location.access_page_visibility),
        kisi_place_id: location.kisi_place.map(|p| p.0),
    }
}

/// Why a grant exists, in plain words that name things, not ids: "Hot Desk plan of
/// Acme GmbH", "booking of Meeting Room Spree, 14:00–15:00", "day pass (Day Pass Berlin), Tue 24
/// Nov", "manual grant, no end date". Times and dates are read in the location's zone (R1); a
/// plain id appears only when the thing it names is gone. `person` is whose grant it is.
pub fn provenance(facts: &LocationFacts, person: PersonId, provenance: &Provenance) -> String {
    let zone = facts.location().time_zone;
    match *provenance {
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

/// An instant as the store keeps it (whole milliseconds), so what a write answers equals what a
/// later read returns.
pub fn instant(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use doorlink_core::{
        LocationId, LocationRecords, ManualGrantId, Person, ResourceId, Visit, VisitId,
        VisitorPolicy, VisitorPolicyId,
    };

    use super::*;

    const ANA: PersonId = PersonId(1);

    #[test]
    fn a_refused_unlock_has_one_cause_from_core_to_the_wire() {
        for refusal in UnlockRefusal::ALL {
            assert_eq!(cause_text(refusal_code(refusal)), refusal.code());
        }
    }

    #[test]
    fn a_cause_the_rules_and_kisi_both_name_has_one_code() {
        let lock = KisiLockId(3);
        let lock_name = "Front door".to_owned();
        for (denial, refusal) in [
            (
                DenialCause::ReaderRestriction {
                    lock,
                    lock_name: lock_name.clone(),
                },
                UnlockRefusal::ReaderRestriction,
            ),
            (
                DenialCause::GeofenceRestriction { lock, lock_name },
                UnlockRefusal::GeofenceRestriction,
            ),
            (
                DenialCause::GroupDeleted {
                    group: KisiGroupId(4),
                    group_name: "Members".to_owned(),
                },
                UnlockRefusal::GroupDeleted,
            ),
        ] {
            let tag = serde_json::to_value(&denial).unwrap()["cause"].clone();
            assert_eq!(tag, serde_json::Value::from(refusal.code()));
            assert_eq!(denial_code(&denial), refusal_code(refusal));
        }
    }

    #[test]
    fn kisis_code_is_shown_but_never_its_message() {
        let reason = refusal(
            UnlockRefusal::ReaderRestriction,
            "Front door",
            Some("bb5bbff"),
            Audience::Staff,
        );
        assert_eq!(reason.cause, Cause::ReaderRestriction);
        assert!(reason.message.contains("Front door") && reason.message.contains("bb5bbff"));
        // The member reads the door and what to do, no code of Kisi's.
        let member = refusal(
            UnlockRefusal::ReaderRestriction,
            "Front door",
            Some("bb5bbff"),
            Audience::Member,
        );
        assert!(member.message.contains("Front door") && !member.message.contains("bb5bbff"));
    }

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
            provenance(&facts(true), ANA, &visit),
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
                    booking: doorlink_core::BookingId(3),
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
            assert_eq!(provenance(&gone, ANA, &gone_thing), expected);
        }
    }
}
