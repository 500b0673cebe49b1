//! Domain values (core, store) to wire values (api), in one place.

use doorlink_api::common::{DoorAccess as WireDoorAccess, Reason, Window as WireWindow};
use doorlink_api::locations::{LocationView, Visibility};
use doorlink_core::{
    AccessPageVisibility, BookingRole, DenialCause, DoorAccess, KisiGroupId, KisiLockId, Location,
    LocationFacts, Provenance, SubscriptionVia, Window,
};

pub fn window(window: &Window) -> WireWindow {
    WireWindow {
        from: window.from(),
        until: window.until(),
    }
}

/// A denial cause with its stable code, its message and its fix (A5).
pub fn reason(cause: &DenialCause) -> Reason {
    let code = serde_json::to_value(cause)
        .ok()
        .and_then(|v| v.get("cause").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    Reason {
        cause: code,
        message: cause.to_string(),
        fix: cause.fix(),
    }
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

/// Why a grant exists, in plain words with the names the facts know.
pub fn provenance(facts: &LocationFacts, provenance: &Provenance) -> String {
    match provenance {
        Provenance::Subscription {
            subscription, via, ..
        } => {
            let via = match via {
                SubscriptionVia::Holder => String::new(),
                SubscriptionVia::CompanyMember(company) | SubscriptionVia::Beneficiary(company) => {
                    let name = facts
                        .company(*company)
                        .map_or_else(|| format!("company {company}"), |c| c.name.clone());
                    format!(" of {name}")
                }
            };
            format!("subscription {subscription}{via}")
        }
        Provenance::Booking {
            booking,
            resource,
            role,
        } => {
            let name = facts
                .resource(*resource)
                .map_or_else(|| format!("resource {resource}"), |r| r.name.clone());
            match role {
                BookingRole::Booker => format!("booking {booking} of {name}"),
                BookingRole::Invitee => format!("invited to booking {booking} of {name}"),
            }
        }
        Provenance::DayPass { day_pass, product } => {
            let name = facts
                .product(*product)
                .map_or_else(|| format!("product {product}"), |p| p.name.clone());
            format!("day pass {day_pass} ({name})")
        }
        Provenance::Visit { visit, .. } => format!("visit {visit}"),
        Provenance::ManualGrant { grant } => format!("manual grant {grant}"),
    }
}

/// An instant as the store keeps it (whole milliseconds), so what a write answers equals what a
/// later read returns.
pub fn instant(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(3)
}
