//! Why a person cannot open a lock, and what to do about it (A5, I2, I3, R14, R15).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    BookingId, CompanyId, KisiGroupId, KisiLockId, KisiPlaceId, PersonId, PlanId, ProductId,
    ResourceId, SubscriptionId, SubscriptionItemId,
};
use crate::model::passes::DisconnectMode;
use crate::model::people::Email;

/// One reason standing between a person and a lock. Each names the records involved, so staff can
/// act, and [`DenialCause::fix`] says what to do in plain words. Times are instants; `*_local` fields
/// carry the same instant as wall-clock time in the location's zone, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "cause")]
pub enum DenialCause {
    /// The person is not known at this location.
    UnknownPerson { person: PersonId },
    /// R15: Doorlink no longer manages the person's Kisi account.
    DisconnectedFromKisi { mode: DisconnectMode },
    /// R14: staff put the person's door access on hold.
    OnHold { since: DateTime<Utc> },
    /// A5: neither a booking nor a subscription (nor a pass, visit or manual grant) gives access.
    NoBookingOrSubscription,
    /// A5 / M1: the plan has no door access.
    NoDoorAccessOnPlan { plan: PlanId, plan_name: String },
    /// A5 / M2: the resource has no door access.
    NoDoorAccessOnResource {
        resource: ResourceId,
        resource_name: String,
    },
    /// M4: the day-pass or service product has no door access.
    NoDoorAccessOnProduct {
        product: ProductId,
        product_name: String,
    },
    /// M3: the item's "Access" section is set to "Not selected".
    ItemAccessNotSelected {
        subscription: SubscriptionId,
        item: SubscriptionItemId,
    },
    /// A5 / R1: the subscription starts in the future.
    SubscriptionNotStarted {
        subscription: SubscriptionId,
        starts_at: DateTime<Utc>,
        starts_local: String,
    },
    /// A5 / R5: the company has a subscription but the person is not (or no longer) its member.
    NotInCompany {
        company: CompanyId,
        company_name: String,
    },
    /// R5 (Archie): the company's subscription names beneficiaries and the person is not one.
    NotABeneficiary {
        subscription: SubscriptionId,
        company: CompanyId,
        company_name: String,
    },
    /// R7: only invitees of room bookings get access.
    InviteeOfNonRoomBooking {
        booking: BookingId,
        resource_name: String,
    },
    /// The person's access to this lock begins later ("opens tomorrow 08:30").
    NotYetOpen {
        opens_at: DateTime<Utc>,
        opens_local: String,
    },
    /// The person's access to this lock ended.
    AccessEnded {
        ended_at: DateTime<Utc>,
        ended_local: String,
    },
    /// A5: none of the person's Kisi groups contains the lock.
    LockNotInGroups {
        lock: KisiLockId,
        lock_name: String,
        groups: Vec<String>,
        /// Other people whose access now or ahead comes through those groups: adding the lock to
        /// a group in Kisi would open it to each of them too (issue 17: fixes never widen access
        /// for others unsaid).
        others_in_groups: usize,
    },
    /// A5: the person's group has no locks in Kisi.
    GroupHasNoLocks {
        group: KisiGroupId,
        group_name: String,
    },
    /// A5 / C4: the group was deleted in Kisi ("Group is not found").
    GroupDeleted {
        group: KisiGroupId,
        group_name: String,
    },
    /// Doorlink has not read the group from Kisi yet, so it cannot list its locks.
    GroupNotYetSynced { group: KisiGroupId },
    /// A2: the connection's place filter hides the lock.
    HiddenByPlaceFilter {
        lock: KisiLockId,
        lock_name: String,
        lock_place: Option<KisiPlaceId>,
        connection_place: KisiPlaceId,
    },
    /// A5: the lock (or every group giving it) requires the Kisi Reader.
    ReaderRestriction { lock: KisiLockId, lock_name: String },
    /// A5: the lock (or every group giving it) has a Bluetooth/geofence restriction.
    GeofenceRestriction { lock: KisiLockId, lock_name: String },
    /// Kisi reported the door locked down when Doorlink last read it: no unlock succeeds until an
    /// administrator lifts the lockdown. `read_*`: when Doorlink read it.
    DoorLockedDown {
        lock: KisiLockId,
        lock_name: String,
        read_at: Option<DateTime<Utc>>,
        read_local: Option<String>,
    },
    /// Kisi reported the door offline when Doorlink last read it: a remote unlock cannot reach it.
    DoorOffline {
        lock: KisiLockId,
        lock_name: String,
        read_at: Option<DateTime<Utc>>,
        read_local: Option<String>,
    },
    /// I3: the person's Kisi user is an unconfirmed regular user.
    UnconfirmedKisiEmail { email: Email },
    /// I2 / A5: the person's e-mail in Kisi differs from Doorlink's.
    EmailMismatch {
        doorlink_email: Email,
        kisi_email: Email,
    },
    /// Sync has not created the person's Kisi user yet.
    NotInKisiYet,
    /// A3: the Access page is for members only and the person has no subscription.
    AccessPageMembersOnly,
}

impl fmt::Display for DenialCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownPerson { person } => {
                write!(f, "person {person} is not known at this location")
            }
            Self::DisconnectedFromKisi { .. } => f.write_str("disconnected from Kisi"),
            Self::OnHold { .. } => f.write_str("door access is on hold"),
            Self::NoBookingOrSubscription => {
                f.write_str("no booking or subscription gives door access")
            }
            Self::NoDoorAccessOnPlan { plan_name, .. } => {
                write!(f, "plan \"{plan_name}\" has no door access")
            }
            Self::NoDoorAccessOnResource { resource_name, .. } => {
                write!(f, "resource \"{resource_name}\" has no door access")
            }
            Self::NoDoorAccessOnProduct { product_name, .. } => {
                write!(f, "product \"{product_name}\" has no door access")
            }
            Self::ItemAccessNotSelected { subscription, item } => write!(
                f,
                "item {item} of subscription {subscription} has its access set to \"Not selected\""
            ),
            Self::SubscriptionNotStarted {
                subscription,
                starts_local,
                ..
            } => {
                write!(
                    f,
                    "subscription {subscription} has not started: it starts {starts_local}"
                )
            }
            Self::NotInCompany { company_name, .. } => {
                write!(f, "not a member of company \"{company_name}\"")
            }
            Self::NotABeneficiary {
                company_name,
                subscription,
                ..
            } => write!(
                f,
                "not a beneficiary of subscription {subscription} of \"{company_name}\""
            ),
            Self::InviteeOfNonRoomBooking { resource_name, .. } => write!(
                f,
                "invited to a booking of \"{resource_name}\", which is not a room: only room invitees get access"
            ),
            Self::NotYetOpen { opens_local, .. } => write!(f, "access opens {opens_local}"),
            Self::AccessEnded { ended_local, .. } => write!(f, "access ended {ended_local}"),
            Self::LockNotInGroups {
                lock_name, groups, ..
            } => write!(
                f,
                "lock \"{lock_name}\" is not in the person's Kisi groups ({})",
                groups.join(", ")
            ),
            Self::GroupHasNoLocks { group_name, .. } => {
                write!(f, "Kisi group \"{group_name}\" has no locks")
            }
            Self::GroupDeleted { group_name, .. } => {
                write!(
                    f,
                    "Kisi group \"{group_name}\" was deleted (\"Group is not found\")"
                )
            }
            Self::GroupNotYetSynced { group } => {
                write!(f, "Kisi group {group} has not been read from Kisi yet")
            }
            Self::HiddenByPlaceFilter { lock_name, .. } => write!(
                f,
                "lock \"{lock_name}\" is in another Kisi place than the one the connection shows"
            ),
            Self::ReaderRestriction { lock_name, .. } => {
                write!(
                    f,
                    "lock \"{lock_name}\" can only be opened at a Kisi Reader"
                )
            }
            Self::GeofenceRestriction { lock_name, .. } => write!(
                f,
                "lock \"{lock_name}\" has a Bluetooth/geofence restriction"
            ),
            Self::DoorLockedDown {
                lock_name,
                read_local,
                ..
            } => write!(
                f,
                "\"{lock_name}\" is locked down in Kisi{}: no one can unlock it until the lockdown is lifted",
                as_of(read_local.as_deref())
            ),
            Self::DoorOffline {
                lock_name,
                read_local,
                ..
            } => write!(
                f,
                "\"{lock_name}\" is offline in Kisi{}: an unlock from here cannot reach it",
                as_of(read_local.as_deref())
            ),
            Self::UnconfirmedKisiEmail { email } => write!(
                f,
                "the Kisi user {email} never confirmed their e-mail (\"You have to confirm your email address before continuing\")"
            ),
            Self::EmailMismatch {
                doorlink_email,
                kisi_email,
            } => write!(
                f,
                "e-mail in Doorlink ({doorlink_email}) differs from the one in Kisi ({kisi_email})"
            ),
            Self::NotInKisiYet => f.write_str("the person has no Kisi user yet"),
            Self::AccessPageMembersOnly => f.write_str(
                "the Access page is for members only and the person has no subscription",
            ),
        }
    }
}

/// " (as of 2026-03-02 14:05 CET)": when Doorlink read a door's state from Kisi.
fn as_of(read_local: Option<&str>) -> String {
    read_local.map_or_else(String::new, |at| format!(" (as of {at})"))
}

impl DenialCause {
    /// What to do about it, in plain words.
    pub fn fix(&self) -> String {
        match self {
            Self::UnknownPerson { .. } => {
                "Add the person to this location, or check the e-mail they signed in with.".into()
            }
            Self::DisconnectedFromKisi { .. } => {
                "Reconnect the person to Kisi on their Kisi user tab to let Doorlink manage their access again.".into()
            }
            Self::OnHold { .. } => {
                "Re-enable the person's door access on their Kisi user tab; their grants are restored as they were.".into()
            }
            Self::NoBookingOrSubscription => {
                "Give the person a subscription or booking with door access, a day pass, or a manual grant; if they work for a member company, add them to it.".into()
            }
            Self::NoDoorAccessOnPlan { plan_name, .. } => {
                format!("Open plan \"{plan_name}\" > Access and select a Kisi group.")
            }
            Self::NoDoorAccessOnResource { resource_name, .. } => {
                format!("Open resource \"{resource_name}\" > Access and select a Kisi group or lock.")
            }
            Self::NoDoorAccessOnProduct { product_name, .. } => {
                format!("Open product \"{product_name}\" > Door access and select a group or lock.")
            }
            Self::ItemAccessNotSelected { .. } => {
                "Open the subscription item > Access and select a Kisi group (it takes effect immediately).".into()
            }
            Self::SubscriptionNotStarted { starts_local, .. } => format!(
                "Nothing to do: access begins {starts_local}. To start earlier, move the subscription's start date."
            ),
            Self::NotInCompany { company_name, .. } => {
                format!("Add the person to company \"{company_name}\"; access follows at once.")
            }
            Self::NotABeneficiary { company_name, .. } => format!(
                "Add the person to the subscription's beneficiaries (company \"{company_name}\")."
            ),
            Self::InviteeOfNonRoomBooking { .. } => {
                "Make the person the booker, or give them their own booking or a manual grant.".into()
            }
            Self::NotYetOpen { opens_local, .. } => {
                format!("Nothing to do: the door opens for them {opens_local}.")
            }
            Self::AccessEnded { .. } => {
                "Renew the subscription, make a new booking, or give a manual grant.".into()
            }
            Self::LockNotInGroups {
                lock_name,
                others_in_groups,
                ..
            } => {
                let widened = match others_in_groups {
                    0 => "nobody else has those groups now, but everyone given them later would".to_owned(),
                    1 => "it would open it to 1 other person as well".to_owned(),
                    n => format!("it would open it to {n} other people as well"),
                };
                format!(
                    "To let only this person in, give them a manual grant of \"{lock_name}\" (Passes, visits & grants tab) or map a Kisi group of their own that contains it. Adding \"{lock_name}\" to their groups in the Kisi dashboard is not the fix: {widened}."
                )
            }
            Self::GroupHasNoLocks { group_name, .. } => {
                format!("In the Kisi dashboard add the locks to group \"{group_name}\" and save.")
            }
            Self::GroupDeleted { group_name, .. } => format!(
                "Group \"{group_name}\" no longer exists in Kisi: select an existing group on the plans, resources and subscriptions that used it."
            ),
            Self::GroupNotYetSynced { .. } => {
                "Run a sync so Doorlink reads the group's locks from Kisi.".into()
            }
            Self::HiddenByPlaceFilter { .. } => {
                "In Integrations > Kisi, select the place where this lock is, or choose \"Not selected\" to show all places.".into()
            }
            Self::ReaderRestriction { .. } => {
                "Ask a Kisi administrator to disable the Kisi Reader restriction on the lock or group.".into()
            }
            Self::GeofenceRestriction { .. } => {
                "Disable the Bluetooth/geofence requirement for the lock in the Kisi dashboard, or unlock from the Kisi app on site.".into()
            }
            Self::DoorLockedDown { .. } => {
                "Ask the front desk: a Kisi administrator lifts the lockdown in the Kisi dashboard. Pressing the door still asks Kisi, in case the lockdown has ended since.".into()
            }
            Self::DoorOffline { .. } => {
                "Try again in a few minutes or tell the front desk; a card or phone at the door's Kisi Reader may still open it. Pressing the door still asks Kisi, in case it is back online.".into()
            }
            Self::UnconfirmedKisiEmail { .. } => {
                "Remove the unconfirmed user from all Kisi groups (or delete it) in the Kisi dashboard; Doorlink then creates a managed user.".into()
            }
            Self::EmailMismatch { .. } => {
                "Re-link the person to their Kisi user, or correct the e-mail on one side.".into()
            }
            Self::NotInKisiYet => "Run a sync; Doorlink creates the Kisi user.".into(),
            Self::AccessPageMembersOnly => {
                "Set the Access page visibility to Public to let non-members with a booking unlock doors.".into()
            }
        }
    }
}
