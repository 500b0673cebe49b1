//! The words of every reason, for each reader, in one place (issue 17, point 3): a member reads
//! what a cause means for them and whom to ask; staff read what stands in the way and the fix,
//! naming the menus of Doorlink's own UI ("Admin › Door access › Plans"). Member words never carry
//! ids, rule codes, UTC or staff menus: the tests below hold every cause to that.
//!
//! Both the rules' causes ([`DenialCause`], A5) and Kisi's refusals of an unlock ([`UnlockRefusal`],
//! A4) are worded here; `DenialCause`'s `Display` and `fix` (implemented here, so `denial` never
//! calls back into `words`) are the staff words.

use std::fmt;

use crate::denial::DenialCause;
use crate::refusal::UnlockRefusal;

mod provenance;

/// Who reads a reason: the person on their own pages, or staff on the person's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Member,
    Staff,
}

/// A reason as one reader reads it: what stands in the way, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub message: String,
    pub next_step: String,
}

impl Words {
    fn new(message: impl Into<String>, next_step: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            next_step: next_step.into(),
        }
    }
}

/// The one phrase a member reads for whom to ask.
const ASK_THE_FRONT_DESK: &str = "Ask the front desk.";

impl DenialCause {
    /// The cause in the words of `audience`.
    pub fn words(&self, audience: Audience) -> Words {
        match audience {
            Audience::Member => member_words(self),
            Audience::Staff => Words::new(staff_message(self), staff_fix(self)),
        }
    }

    /// What to do about it, in staff's words; a member reads `words(Audience::Member)`.
    pub fn fix(&self) -> String {
        staff_fix(self)
    }
}

impl fmt::Display for DenialCause {
    /// What stands in the way, in staff's words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&staff_message(self))
    }
}

impl UnlockRefusal {
    /// Kisi's refusal to open `lock_name` in the words of `audience` (A4). Staff also read Kisi's
    /// own code when it gave one ("… (Kisi: bb5bbff)"); a member reads no codes. Kisi's message
    /// is never worded here: it goes to the log.
    pub fn words(self, audience: Audience, lock_name: &str, kisi_code: Option<&str>) -> Words {
        match audience {
            Audience::Member => refusal_member_words(self, lock_name),
            Audience::Staff => {
                let words = refusal_staff_words(self, lock_name);
                match kisi_code.filter(|code| !code.is_empty()) {
                    Some(code) => {
                        Words::new(format!("{} (Kisi: {code})", words.message), words.next_step)
                    }
                    None => words,
                }
            }
        }
    }
}

/// ", as of Mon 2 Mar 2026, 14:05 (Berlin time)": when Doorlink read a door's state from Kisi.
fn as_of(read_local: Option<&str>) -> String {
    read_local.map_or_else(String::new, |at| format!(", as of {at}"))
}

/// "the Hot Desk plan", "the Hot Desk and Locker plans".
fn plans_phrase(plans: &[String]) -> Option<String> {
    match plans {
        [] => None,
        [one] => Some(format!("Your {one} plan")),
        [rest @ .., last] => Some(format!("Your {} and {last} plans", rest.join(", "))),
    }
}

/// What the cause means for the member, and whom to ask.
fn member_words(cause: &DenialCause) -> Words {
    use DenialCause as C;
    match cause {
        C::UnknownPerson { .. } => Words::new(
            "You are not registered at this location yet",
            "Ask the front desk to add you, or sign in with the e-mail address you gave them.",
        ),
        C::DisconnectedFromKisi { .. } => Words::new(
            "Your door access here is no longer managed through Doorlink",
            "Ask the front desk to reconnect you.",
        ),
        C::OnHold { .. } => Words::new(
            "Your door access here is paused",
            "Ask the front desk: they can turn it back on, as it was.",
        ),
        C::NoBookingOrSubscription => Words::new(
            "You have no membership, booking or pass here that opens doors",
            "Ask the front desk about a plan, a day pass or a booking.",
        ),
        C::NoDoorAccessOnPlan { plan_name, .. } => Words::new(
            format!("Your {plan_name} plan doesn't include door access"),
            ASK_THE_FRONT_DESK,
        ),
        C::NoDoorAccessOnResource { resource_name, .. } => Words::new(
            format!("{resource_name} doesn't come with door access"),
            "Ask the front desk if you need a door opened for it.",
        ),
        C::NoDoorAccessOnProduct { product_name, .. } => Words::new(
            format!("Your {product_name} doesn't include door access"),
            ASK_THE_FRONT_DESK,
        ),
        C::ItemAccessNotSelected { .. } => Words::new(
            "Part of your membership has no doors chosen yet",
            "Ask the front desk to set it up.",
        ),
        C::SubscriptionNotStarted { starts_local, .. } => Words::new(
            format!("Your membership starts {starts_local}: your doors open then"),
            "Nothing to do. Ask the front desk if it should start earlier.",
        ),
        C::NotInCompany { company_name, .. } => Words::new(
            format!(
                "Your access comes through {company_name}, and you are not listed among its members"
            ),
            format!("Ask your contact at {company_name} or the front desk to add you."),
        ),
        C::NotABeneficiary { company_name, .. } => Words::new(
            format!(
                "{company_name}'s membership covers named people only, and you are not one of them"
            ),
            format!("Ask your contact at {company_name} or the front desk to add you."),
        ),
        C::InviteeOfNonRoomBooking { resource_name, .. } => Words::new(
            format!(
                "You are invited to a booking of {resource_name}: only meeting room invitations open doors"
            ),
            "Ask the person who booked it, or the front desk.",
        ),
        C::NotYetOpen { opens_local, .. } => Words::new(
            format!("It opens for you {opens_local}"),
            "Nothing to do: come back then.",
        ),
        C::AccessEnded { ended_local, .. } => Words::new(
            format!("Your access ended {ended_local}"),
            "Ask the front desk to renew your plan, or make a new booking.",
        ),
        C::LockNotInGroups {
            lock_name, plans, ..
        } => Words::new(
            match plans_phrase(plans) {
                Some(yours) => format!("{yours} doesn't include the {lock_name}"),
                None => format!("Nothing you have here includes the {lock_name}"),
            },
            "Ask the front desk if you need it.",
        ),
        C::GroupHasNoLocks { .. } => Words::new(
            "The door access set up for you has no doors in it yet",
            "Ask the front desk: they can fix it.",
        ),
        C::GroupDeleted { .. } => Words::new(
            "The door access set up for you was removed from Kisi",
            "Ask the front desk to set it up again.",
        ),
        C::GroupNotYetSynced { .. } | C::NotInKisiYet => Words::new(
            "Your door access is still being set up",
            "Try again in a few minutes; if nothing changes, ask the front desk.",
        ),
        C::HiddenByPlaceFilter { lock_name, .. } => Words::new(
            format!("The {lock_name} belongs to another site than this location's doors"),
            ASK_THE_FRONT_DESK,
        ),
        C::ReaderRestriction { lock_name, .. } => Words::new(
            format!("The {lock_name} opens only with your phone at its Kisi Reader, not from here"),
            "Hold your phone with the Kisi app to the door's Kisi Reader, or ask the front desk.",
        ),
        C::GeofenceRestriction { lock_name, .. } => Words::new(
            format!("The {lock_name} opens only from near the door"),
            "Open it near the door with your location shared, or with the Kisi app on your phone; if it still won't open, ask the front desk.",
        ),
        C::DoorLockedDown {
            lock_name,
            read_local,
            ..
        } => Words::new(
            format!(
                "\"{lock_name}\" is locked down in Kisi{}: no one can unlock it until the lockdown is lifted",
                as_of(read_local.as_deref())
            ),
            "Ask the front desk. Pressing the door still tries, in case the lockdown has ended since.",
        ),
        C::DoorOffline {
            lock_name,
            read_local,
            ..
        } => Words::new(
            format!(
                "\"{lock_name}\" is offline in Kisi{}: an unlock from here cannot reach it",
                as_of(read_local.as_deref())
            ),
            "Try again in a few minutes or tell the front desk; your phone at the door's Kisi Reader may still open it.",
        ),
        C::UnconfirmedKisiEmail { email } => Words::new(
            format!("Your Kisi account ({email}) has not confirmed its e-mail address"),
            "Confirm it with the e-mail Kisi sent you, or ask the front desk.",
        ),
        C::EmailMismatch { .. } => Words::new(
            "Your e-mail address here differs from the one Kisi knows",
            "Ask the front desk to match them.",
        ),
        C::AccessPageMembersOnly => Words::new(
            "Unlocking doors from this page is for members",
            "Ask the front desk about a membership, or use the access your booking's host sends you.",
        ),
    }
}

/// What stands in the way, for staff (the CLI's "Why:" and the staff pages).
pub(crate) fn staff_message(cause: &DenialCause) -> String {
    use DenialCause as C;
    match cause {
        C::UnknownPerson { person } => {
            format!("person {person} is not known at this location")
        }
        C::DisconnectedFromKisi { .. } => "disconnected from Kisi".into(),
        C::OnHold { .. } => "door access is on hold".into(),
        C::NoBookingOrSubscription => "no booking or subscription gives door access".into(),
        C::NoDoorAccessOnPlan { plan_name, .. } => {
            format!("plan \"{plan_name}\" has no door access")
        }
        C::NoDoorAccessOnResource { resource_name, .. } => {
            format!("resource \"{resource_name}\" has no door access")
        }
        C::NoDoorAccessOnProduct { product_name, .. } => {
            format!("product \"{product_name}\" has no door access")
        }
        C::ItemAccessNotSelected { subscription, item } => format!(
            "item {item} of subscription {subscription} has its access set to \"Not selected\""
        ),
        C::SubscriptionNotStarted {
            subscription,
            starts_local,
            ..
        } => format!("subscription {subscription} has not started: it starts {starts_local}"),
        C::NotInCompany { company_name, .. } => {
            format!("not a member of company \"{company_name}\"")
        }
        C::NotABeneficiary {
            company_name,
            subscription,
            ..
        } => format!("not a beneficiary of subscription {subscription} of \"{company_name}\""),
        C::InviteeOfNonRoomBooking { resource_name, .. } => format!(
            "invited to a booking of \"{resource_name}\", which is not a room: only room invitees get access"
        ),
        C::NotYetOpen { opens_local, .. } => format!("access opens {opens_local}"),
        C::AccessEnded { ended_local, .. } => format!("access ended {ended_local}"),
        C::LockNotInGroups {
            lock_name, groups, ..
        } => format!(
            "lock \"{lock_name}\" is not in the person's Kisi groups ({})",
            groups.join(", ")
        ),
        C::GroupHasNoLocks { group_name, .. } => {
            format!("Kisi group \"{group_name}\" has no locks")
        }
        C::GroupDeleted { group_name, .. } => {
            format!("Kisi group \"{group_name}\" was deleted (\"Group is not found\")")
        }
        C::GroupNotYetSynced { group } => {
            format!("Kisi group {group} has not been read from Kisi yet")
        }
        C::HiddenByPlaceFilter { lock_name, .. } => format!(
            "lock \"{lock_name}\" is in another Kisi place than the one the connection shows"
        ),
        C::ReaderRestriction { lock_name, .. } => {
            format!("lock \"{lock_name}\" can only be opened at a Kisi Reader")
        }
        C::GeofenceRestriction { lock_name, .. } => {
            format!("lock \"{lock_name}\" has a Bluetooth/geofence restriction")
        }
        C::DoorLockedDown {
            lock_name,
            read_local,
            ..
        } => format!(
            "\"{lock_name}\" is locked down in Kisi{}: no one can unlock it until the lockdown is lifted",
            as_of(read_local.as_deref())
        ),
        C::DoorOffline {
            lock_name,
            read_local,
            ..
        } => format!(
            "\"{lock_name}\" is offline in Kisi{}: an unlock from here cannot reach it",
            as_of(read_local.as_deref())
        ),
        C::UnconfirmedKisiEmail { email } => format!(
            "the Kisi user {email} never confirmed their e-mail (\"You have to confirm your email address before continuing\")"
        ),
        C::EmailMismatch {
            doorlink_email,
            kisi_email,
        } => format!(
            "e-mail in Doorlink ({doorlink_email}) differs from the one in Kisi ({kisi_email})"
        ),
        C::NotInKisiYet => "the person has no Kisi user yet".into(),
        C::AccessPageMembersOnly => {
            "the Access page is for members only and the person has no subscription".into()
        }
    }
}

/// The fix, for staff, naming the menus of Doorlink's UI (People › person › tab, Admin › section).
pub(crate) fn staff_fix(cause: &DenialCause) -> String {
    use DenialCause as C;
    match cause {
        C::UnknownPerson { .. } => {
            "Add the person under People › New person, or check the e-mail they signed in with.".into()
        }
        C::DisconnectedFromKisi { .. } => {
            "On the person's page, Kisi user › Reconnect to Doorlink lets Doorlink manage their access again.".into()
        }
        C::OnHold { .. } => {
            "On the person's page, Kisi user › Re-enable door access; their grants are restored as they were.".into()
        }
        C::NoBookingOrSubscription => {
            "Give the person a subscription or booking with door access, a day pass or a manual grant (their page, Passes, visits & grants); if they work for a member company, add them to it (their page, Companies).".into()
        }
        C::NoDoorAccessOnPlan { plan_name, .. } => format!(
            "In Admin › Door access › Plans, select a Kisi group for \"{plan_name}\"."
        ),
        C::NoDoorAccessOnResource { resource_name, .. } => format!(
            "In Admin › Door access › Resources, select a Kisi group or lock for \"{resource_name}\"."
        ),
        C::NoDoorAccessOnProduct { product_name, .. } => format!(
            "In Admin › Door access › Day passes and services, select a Kisi group or lock for \"{product_name}\"."
        ),
        C::ItemAccessNotSelected { .. } => {
            "On the person's page, Subscriptions › Change access of the item: select a Kisi group (it takes effect immediately).".into()
        }
        C::SubscriptionNotStarted { starts_local, .. } => format!(
            "Nothing to do: access begins {starts_local}. To start earlier, move the subscription's start date."
        ),
        C::NotInCompany { company_name, .. } => format!(
            "On the person's page, Companies › Add to company \"{company_name}\"; access follows at once."
        ),
        C::NotABeneficiary { company_name, .. } => format!(
            "In Companies › \"{company_name}\" › Subscriptions › Beneficiaries, add the person."
        ),
        C::InviteeOfNonRoomBooking { .. } => {
            "Make the person the booker, or give them their own booking or a manual grant (their page, Passes, visits & grants).".into()
        }
        C::NotYetOpen { opens_local, .. } => {
            format!("Nothing to do: the door opens for them {opens_local}.")
        }
        C::AccessEnded { .. } => {
            "Renew the subscription, make a new booking, or give a manual grant (their page, Passes, visits & grants).".into()
        }
        C::LockNotInGroups {
            lock_name,
            others_in_groups,
            ..
        } => {
            let widened = match others_in_groups {
                0 => "nobody else has those groups now, but everyone given them later would"
                    .to_owned(),
                1 => "it would open it to 1 other person as well".to_owned(),
                n => format!("it would open it to {n} other people as well"),
            };
            format!(
                "To let only this person in, give them a manual grant of \"{lock_name}\" (their page, Passes, visits & grants › Manual grants) or map a Kisi group of their own that contains it. Adding \"{lock_name}\" to their groups in the Kisi dashboard is not the fix: {widened}."
            )
        }
        C::GroupHasNoLocks { group_name, .. } => {
            format!("In the Kisi dashboard add the locks to group \"{group_name}\" and save.")
        }
        C::GroupDeleted { group_name, .. } => format!(
            "Group \"{group_name}\" no longer exists in Kisi: in Admin › Door access, select an existing group for the plans, resources and products that used it."
        ),
        C::GroupNotYetSynced { .. } => {
            "Run a sync (Admin › Sync › Run a full sync) so Doorlink reads the group's locks from Kisi.".into()
        }
        C::HiddenByPlaceFilter { .. } => {
            "In Admin › Kisi connection › Place, select the place where this lock is, or \"Not selected\" to show all places.".into()
        }
        C::ReaderRestriction { .. } => {
            "Ask a Kisi administrator to disable the Kisi Reader restriction on the lock or group.".into()
        }
        C::GeofenceRestriction { .. } => {
            "Disable the Bluetooth/geofence requirement for the lock in the Kisi dashboard, or unlock from the Kisi app on site.".into()
        }
        C::DoorLockedDown { .. } => {
            "A Kisi administrator lifts the lockdown in the Kisi dashboard. Pressing the door still asks Kisi, in case the lockdown has ended since.".into()
        }
        C::DoorOffline { .. } => {
            "Check the door's power and network; a card or phone at the door's Kisi Reader may still open it. Pressing the door still asks Kisi, in case it is back online.".into()
        }
        C::UnconfirmedKisiEmail { .. } => {
            "Remove the unconfirmed user from all Kisi groups (or delete it) in the Kisi dashboard; Doorlink then creates a managed user.".into()
        }
        C::EmailMismatch { .. } => {
            "Re-link the person to their Kisi user, or correct the e-mail on one side.".into()
        }
        C::NotInKisiYet => {
            "Run a sync (Admin › Sync › Run a full sync); Doorlink creates the Kisi user.".into()
        }
        C::AccessPageMembersOnly => {
            "Set Admin › Location › Access page visibility to Public to let non-members with a booking unlock doors.".into()
        }
    }
}

fn refusal_member_words(refusal: UnlockRefusal, lock_name: &str) -> Words {
    use UnlockRefusal as R;
    match refusal {
        R::ReaderRestriction => Words::new(
            format!("\"{lock_name}\" can only be opened with a phone at its Kisi Reader"),
            "Hold your phone with the Kisi app to the door's Kisi Reader, or ask the front desk.",
        ),
        R::GeofenceRestriction => Words::new(
            format!("\"{lock_name}\" can only be opened from near the door"),
            "Open it near the door with your location shared, or with the Kisi app on your phone.",
        ),
        R::TimeRestriction => Words::new(
            format!("\"{lock_name}\" does not open at this hour"),
            "This door opens only during its set hours; try again then, or ask the front desk.",
        ),
        R::NoCurrentAccess => Words::new(
            format!("Kisi has no access for you to \"{lock_name}\" at this moment"),
            "Refresh the page; if the door is still listed, ask the front desk to check your booking or plan.",
        ),
        R::UnconfirmedKisiEmail => Words::new(
            "Your Kisi account has not confirmed its e-mail address",
            "Confirm it with the e-mail Kisi sent you, or ask the front desk.",
        ),
        R::GroupDeleted => Words::new(
            format!("The door access that gives you \"{lock_name}\" was removed from Kisi"),
            "Ask the front desk to set it up again.",
        ),
        R::KisiLoginRefused => Words::new(
            "Kisi no longer accepts your Kisi login",
            "Sign out and sign in again; Doorlink then gets you a new Kisi login.",
        ),
        R::KisiUnreachable => Words::new(
            "Kisi could not be reached to open the door",
            "Unlocking needs a connection to Kisi; check your network and try again.",
        ),
        R::RateLimited => Words::new(
            "Kisi is busy with too many requests right now",
            "Wait a few seconds and try again.",
        ),
        R::KisiFailed => Words::new(
            format!("Kisi could not open \"{lock_name}\" just now"),
            "Try again in a moment; if it keeps failing, tell the front desk.",
        ),
    }
}

fn refusal_staff_words(refusal: UnlockRefusal, lock_name: &str) -> Words {
    use UnlockRefusal as R;
    match refusal {
        R::ReaderRestriction => Words::new(
            format!("Kisi refused: \"{lock_name}\" needs a phone at its Kisi Reader"),
            "Ask a Kisi administrator to disable the Kisi Reader restriction on the lock or group, or open it at the reader.",
        ),
        R::GeofenceRestriction => Words::new(
            format!("Kisi refused: \"{lock_name}\" needs the unlock to come from near the door"),
            "Disable the Bluetooth/geofence requirement in the Kisi dashboard, or unlock on site with the location shared.",
        ),
        R::TimeRestriction => Words::new(
            format!("Kisi refused: \"{lock_name}\" opens only during set hours"),
            "Change the lock's or group's time restriction in the Kisi dashboard, or try again within its hours.",
        ),
        R::NoCurrentAccess => Words::new(
            format!("Kisi holds no access valid now for the person to \"{lock_name}\""),
            "Check Admin › Sync for failures, then run a full sync (Admin › Sync › Run a full sync).",
        ),
        R::UnconfirmedKisiEmail => Words::new(
            "the person's Kisi user is a regular user who never confirmed their e-mail",
            "Remove the unconfirmed user from all Kisi groups (or delete it) in the Kisi dashboard; Doorlink then creates a managed user.",
        ),
        R::GroupDeleted => Words::new(
            format!("the Kisi group giving \"{lock_name}\" was deleted in Kisi"),
            "In Admin › Door access, select an existing group where the deleted one was used.",
        ),
        R::KisiLoginRefused => Words::new(
            "Kisi no longer accepts the person's own Kisi login",
            "The person signs out and in again; Doorlink then gets them a new Kisi login.",
        ),
        R::KisiUnreachable => Words::new(
            "Kisi could not be reached",
            "Check the network; Admin › Kisi connection shows Kisi's last answer.",
        ),
        R::RateLimited => Words::new(
            "over Kisi's request budget, even after waiting",
            "Wait a few seconds and try again; Admin › Sync shows what else is calling Kisi.",
        ),
        R::KisiFailed => Words::new(
            format!(
                "Kisi failed to open \"{lock_name}\" or answered something Doorlink cannot read"
            ),
            "Try again in a moment; the Admin › Audit log has Kisi's own answer.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ids::{
        BookingId, CompanyId, KisiGroupId, KisiLockId, KisiPlaceId, PersonId, PlanId, ProductId,
        ResourceId, SubscriptionId, SubscriptionItemId,
    };
    use crate::model::passes::DisconnectMode;
    use crate::model::people::Email;

    /// Ids no name or time in the samples contains, so a member wording that shows one is caught.
    const ID: i64 = 4471;
    const OTHER_ID: i64 = 4472;

    /// One sample of every cause. The match in `variant_index` has no wildcard: a new cause does
    /// not compile until it is sampled here and worded for both readers.
    fn every_cause() -> Vec<DenialCause> {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 7, 30, 0).unwrap();
        let local = "2026-12-05 08:30 CET".to_owned();
        let email = Email::parse("mia@harbor.example").unwrap();
        let lock = KisiLockId(ID);
        let lock_name = "Server Room".to_owned();
        let causes = vec![
            DenialCause::UnknownPerson {
                person: PersonId(ID),
            },
            DenialCause::DisconnectedFromKisi {
                mode: DisconnectMode::KeepKisiUser,
            },
            DenialCause::OnHold { since: at },
            DenialCause::NoBookingOrSubscription,
            DenialCause::NoDoorAccessOnPlan {
                plan: PlanId(ID),
                plan_name: "Flex".into(),
            },
            DenialCause::NoDoorAccessOnResource {
                resource: ResourceId(ID),
                resource_name: "Event Space".into(),
            },
            DenialCause::NoDoorAccessOnProduct {
                product: ProductId(ID),
                product_name: "Day pass".into(),
            },
            DenialCause::ItemAccessNotSelected {
                subscription: SubscriptionId(ID),
                item: SubscriptionItemId(OTHER_ID),
            },
            DenialCause::SubscriptionNotStarted {
                subscription: SubscriptionId(ID),
                starts_at: at,
                starts_local: local.clone(),
            },
            DenialCause::NotInCompany {
                company: CompanyId(ID),
                company_name: "Northwind".into(),
            },
            DenialCause::NotABeneficiary {
                subscription: SubscriptionId(ID),
                company: CompanyId(OTHER_ID),
                company_name: "Northwind".into(),
            },
            DenialCause::InviteeOfNonRoomBooking {
                booking: BookingId(ID),
                resource_name: "Hot Desk Area".into(),
            },
            DenialCause::NotYetOpen {
                opens_at: at,
                opens_local: local.clone(),
            },
            DenialCause::AccessEnded {
                ended_at: at,
                ended_local: local.clone(),
            },
            DenialCause::LockNotInGroups {
                lock,
                lock_name: lock_name.clone(),
                groups: vec!["Flex Desk Members".into()],
                plans: vec!["Flex".into()],
                others_in_groups: 12,
            },
            DenialCause::GroupHasNoLocks {
                group: KisiGroupId(ID),
                group_name: "Flex Desk Members".into(),
            },
            DenialCause::GroupDeleted {
                group: KisiGroupId(ID),
                group_name: "Flex Desk Members".into(),
            },
            DenialCause::GroupNotYetSynced {
                group: KisiGroupId(ID),
            },
            DenialCause::HiddenByPlaceFilter {
                lock,
                lock_name: lock_name.clone(),
                lock_place: Some(KisiPlaceId(OTHER_ID)),
                connection_place: KisiPlaceId(ID),
            },
            DenialCause::ReaderRestriction {
                lock,
                lock_name: lock_name.clone(),
            },
            DenialCause::GeofenceRestriction {
                lock,
                lock_name: lock_name.clone(),
            },
            DenialCause::DoorLockedDown {
                lock,
                lock_name: lock_name.clone(),
                read_at: Some(at),
                read_local: Some(local.clone()),
            },
            DenialCause::DoorOffline {
                lock,
                lock_name,
                read_at: Some(at),
                read_local: Some(local),
            },
            DenialCause::UnconfirmedKisiEmail {
                email: email.clone(),
            },
            DenialCause::EmailMismatch {
                doorlink_email: email,
                kisi_email: Email::parse("mia.old@harbor.example").unwrap(),
            },
            DenialCause::NotInKisiYet,
            DenialCause::AccessPageMembersOnly,
        ];
        let mut seen: Vec<usize> = causes.iter().map(variant_index).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen,
            (0..VARIANTS).collect::<Vec<_>>(),
            "every cause sampled"
        );
        causes
    }

    const VARIANTS: usize = 27;

    fn variant_index(cause: &DenialCause) -> usize {
        use DenialCause as C;
        match cause {
            C::UnknownPerson { .. } => 0,
            C::DisconnectedFromKisi { .. } => 1,
            C::OnHold { .. } => 2,
            C::NoBookingOrSubscription => 3,
            C::NoDoorAccessOnPlan { .. } => 4,
            C::NoDoorAccessOnResource { .. } => 5,
            C::NoDoorAccessOnProduct { .. } => 6,
            C::ItemAccessNotSelected { .. } => 7,
            C::SubscriptionNotStarted { .. } => 8,
            C::NotInCompany { .. } => 9,
            C::NotABeneficiary { .. } => 10,
            C::InviteeOfNonRoomBooking { .. } => 11,
            C::NotYetOpen { .. } => 12,
            C::AccessEnded { .. } => 13,
            C::LockNotInGroups { .. } => 14,
            C::GroupHasNoLocks { .. } => 15,
            C::GroupDeleted { .. } => 16,
            C::GroupNotYetSynced { .. } => 17,
            C::HiddenByPlaceFilter { .. } => 18,
            C::ReaderRestriction { .. } => 19,
            C::GeofenceRestriction { .. } => 20,
            C::DoorLockedDown { .. } => 21,
            C::DoorOffline { .. } => 22,
            C::UnconfirmedKisiEmail { .. } => 23,
            C::EmailMismatch { .. } => 24,
            C::NotInKisiYet => 25,
            C::AccessPageMembersOnly => 26,
        }
    }

    /// What a member must never read: a staff menu path, a record's id ("Person 4471"), a rule
    /// code (R14, A5), the cause's wire code, or UTC.
    fn staff_leak(text: &str, code: &str) -> Option<String> {
        let lower = text.to_lowercase();
        for menu in [
            "›",
            " > ",
            "admin",
            "integrations",
            "door access tab",
            "passes, visits & grants",
            "kisi user tab",
            "kisi dashboard",
            "run a full sync",
            "visibility",
        ] {
            if lower.contains(menu) {
                return Some(format!("the staff menu {menu:?}"));
            }
        }
        for id in [ID, OTHER_ID] {
            if text.contains(&id.to_string()) {
                return Some(format!("the id {id}"));
            }
        }
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .collect();
        for pair in words.windows(2) {
            if pair[0].eq_ignore_ascii_case("person") && pair[1].parse::<i64>().is_ok() {
                return Some(format!("\"{} {}\"", pair[0], pair[1]));
            }
        }
        for word in &words {
            let mut chars = word.chars();
            let rule = chars.next().is_some_and(|c| "RMIAC".contains(c))
                && word.len() > 1
                && chars.all(|c| c.is_ascii_digit());
            if rule {
                return Some(format!("the rule code {word}"));
            }
            if *word == "UTC" {
                return Some("UTC".to_owned());
            }
        }
        if code.contains('_') && text.contains(code) {
            return Some(format!("the cause code {code}"));
        }
        None
    }

    fn code_of(cause: &DenialCause) -> String {
        serde_json::to_value(cause).unwrap()["cause"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn no_member_wording_of_any_cause_leaks_staff_menus_ids_rule_codes_or_utc() {
        for cause in every_cause() {
            let words = cause.words(Audience::Member);
            for text in [&words.message, &words.next_step] {
                assert!(!text.is_empty(), "{cause:?}: member words");
                if let Some(leak) = staff_leak(text, &code_of(&cause)) {
                    panic!("member words of {cause:?} show {leak}: {text:?}");
                }
            }
        }
    }

    #[test]
    fn the_leak_check_catches_what_members_used_to_read() {
        for old in [
            "Person 44 is not known at this location. Add the person to this location.",
            "Set the Access page visibility to Public",
            "an admin connects it in Integrations > Kisi",
            "grant group 19 to person 44 … 23:00:00 UTC",
            "R14: staff put the person's door access on hold",
        ] {
            assert!(staff_leak(old, "unknown_person").is_some(), "{old}");
        }
    }

    #[test]
    fn every_member_wording_says_what_to_do_or_whom_to_ask() {
        for cause in every_cause() {
            let next = cause.words(Audience::Member).next_step.to_lowercase();
            assert!(
                next.contains("front desk") || next.contains("nothing to do"),
                "{cause:?}: {next}"
            );
        }
    }

    #[test]
    fn staff_read_the_fix_and_the_fix_is_what_fix_says() {
        for cause in every_cause() {
            let words = cause.words(Audience::Staff);
            assert_eq!(words.message, cause.to_string());
            assert_eq!(words.next_step, cause.fix());
            assert!(words.next_step.len() > 20, "{cause:?}: {}", words.next_step);
            assert!(
                !words.next_step.contains("Integrations") && !words.next_step.contains(" > "),
                "{cause:?} names a menu that does not exist: {}",
                words.next_step
            );
        }
    }

    #[test]
    fn a_member_is_told_which_plan_leaves_out_the_door() {
        let cause = every_cause()
            .into_iter()
            .find(|c| matches!(c, DenialCause::LockNotInGroups { .. }))
            .unwrap();
        let words = cause.words(Audience::Member);
        assert_eq!(
            words.message,
            "Your Flex plan doesn't include the Server Room"
        );
        assert_eq!(words.next_step, "Ask the front desk if you need it.");
    }

    #[test]
    fn no_member_wording_of_a_refusal_leaks_staff_menus_or_codes() {
        for refusal in UnlockRefusal::ALL {
            // Kisi answered with its own code: the member still reads none.
            let words = refusal.words(Audience::Member, "Server Room", Some("bb5bbff"));
            for text in [&words.message, &words.next_step] {
                if let Some(leak) = staff_leak(text, refusal.code()) {
                    panic!("member words of {refusal:?} show {leak}: {text:?}");
                }
                assert!(!text.contains("bb5bbff"), "{refusal:?}: {text:?}");
            }
            let staff = refusal.words(Audience::Staff, "Server Room", None);
            assert!(!staff.message.is_empty() && staff.next_step.len() > 20);
        }
    }

    /// Moved from the hub's wire view (issue 16): staff read Kisi's code after Doorlink's words,
    /// exactly as before, and an empty code Kisi sent adds nothing.
    #[test]
    fn staff_read_kisis_code_after_doorlinks_words_and_never_an_empty_one() {
        let refusal = UnlockRefusal::ReaderRestriction;
        let plain = refusal.words(Audience::Staff, "Front door", None);
        let coded = refusal.words(Audience::Staff, "Front door", Some("bb5bbff"));
        assert_eq!(coded.message, format!("{} (Kisi: bb5bbff)", plain.message));
        assert_eq!(coded.next_step, plain.next_step);
        assert_eq!(
            refusal.words(Audience::Staff, "Front door", Some("")),
            plain
        );
    }
}
