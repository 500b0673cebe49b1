//! Domain values (core, store) to wire values (api), in one place.

use doorlink_api::common::{Cause, DoorAccess as WireDoorAccess, Reason, Window as WireWindow};
use doorlink_api::locations::{LocationView, Visibility};
use doorlink_core::{
    AccessPageVisibility, Audience, DenialCause, DoorAccess, KisiGroupId, KisiLockId, Location,
    UnlockRefusal, Window,
};

pub(crate) fn window(window: &Window) -> WireWindow {
    WireWindow {
        from: window.from(),
        until: window.until(),
    }
}

/// A denial cause with its stable code and, in the words of `audience` (core's `words`, issue 17
/// point 3), what stands in the way and what to do: a member reads what it means for them and
/// whom to ask, staff read the fix.
pub(crate) fn reason(cause: &DenialCause, audience: Audience) -> Reason {
    let words = cause.words(audience);
    Reason {
        cause: denial_code(cause),
        message: words.message,
        fix: words.next_step,
    }
}

/// A4: Kisi's refusal of an unlock as the reason `audience` reads, on the wire: its code, and
/// core's words (Doorlink's words and what to do, for staff with Kisi's own code when it gave
/// one). The hub's unlock and the desktop's, straight at Kisi, both answer with this.
pub fn refusal_reason(
    refusal: UnlockRefusal,
    lock_name: &str,
    kisi_code: Option<&str>,
    audience: Audience,
) -> Reason {
    let words = refusal.words(audience, lock_name, kisi_code);
    Reason {
        cause: refusal_code(refusal),
        message: words.message,
        fix: words.next_step,
    }
}

/// The wire code of an unlock refusal; a cause the rules also name shares its code.
pub(crate) fn refusal_code(refusal: UnlockRefusal) -> Cause {
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
pub(crate) fn denial_code(cause: &DenialCause) -> Cause {
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
pub(crate) fn cause_text(cause: Cause) -> String {
    serde_json::to_value(cause)
        .ok()
        .and_then(|code| code.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn door_access(access: &DoorAccess) -> WireDoorAccess {
    WireDoorAccess {
        groups: access.groups.iter().map(|g| g.0).collect(),
        locks: access.locks.iter().map(|l| l.0).collect(),
    }
}

pub(crate) fn door_access_from(access: &WireDoorAccess) -> DoorAccess {
    DoorAccess {
        groups: access.groups.iter().copied().map(KisiGroupId).collect(),
        locks: access.locks.iter().copied().map(KisiLockId).collect(),
    }
}

pub(crate) fn visibility(visibility: AccessPageVisibility) -> Visibility {
    match visibility {
        AccessPageVisibility::MembersOnly => Visibility::MembersOnly,
        AccessPageVisibility::Public => Visibility::Public,
    }
}

pub(crate) fn visibility_from(visibility: Visibility) -> AccessPageVisibility {
    match visibility {
        Visibility::MembersOnly => AccessPageVisibility::MembersOnly,
        Visibility::Public => AccessPageVisibility::Public,
    }
}

pub(crate) fn location(location: &Location) -> LocationView {
    LocationView {
        id: location.id.0,
        name: location.name.clone(),
        time_zone: location.time_zone.name().to_owned(),
        booking_grace_minutes: location.booking_grace.minutes(),
        access_page_visibility: visibility(location.access_page_visibility),
        kisi_place_id: location.kisi_place.map(|p| p.0),
    }
}

/// An instant as the store keeps it (whole milliseconds), so what a write answers equals what a
/// later read returns.
pub(crate) fn instant(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let reason = refusal_reason(
            UnlockRefusal::ReaderRestriction,
            "Front door",
            Some("bb5bbff"),
            Audience::Staff,
        );
        assert_eq!(reason.cause, Cause::ReaderRestriction);
        assert!(reason.message.contains("Front door") && reason.message.contains("bb5bbff"));
        // The member reads the door and what to do, no code of Kisi's.
        let member = refusal_reason(
            UnlockRefusal::ReaderRestriction,
            "Front door",
            Some("bb5bbff"),
            Audience::Member,
        );
        assert!(member.message.contains("Front door") && !member.message.contains("bb5bbff"));
    }
}
