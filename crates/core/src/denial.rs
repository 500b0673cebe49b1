//! Why a person cannot open a lock, and what to do about it (A5, I2, I3, R14, R15).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    BookingId, CompanyId, KisiGroupId, KisiLockId, KisiPlaceId, PersonId, PlanId, ProductId,
    ResourceId, SubscriptionId, SubscriptionItemId,
};
use crate::model::passes::DisconnectMode;
use crate::model::people::Email;

/// One reason standing between a person and a lock. Each names the records involved, so staff can
/// act; [`crate::words`] words it for the member (what it means, whom to ask) and for staff (the
/// fix, [`DenialCause::fix`]). Times are instants; `*_local` fields
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
        /// The names of the person's plans behind those groups, for the member's words ("Your
        /// Flex plan doesn't include the Server Room").
        #[serde(default)]
        plans: Vec<String>,
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
