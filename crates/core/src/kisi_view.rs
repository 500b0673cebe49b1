//! What Doorlink last saw in Kisi, as far as the explainer and the Access page need it. Sync and the
//! hub fill it from the Kisi mirror; an empty view is valid and means "not known yet": nothing is
//! then blamed on Kisi, and answers that depend on Kisi say they are unverified.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{KisiGroupId, KisiLockId, KisiPlaceId, KisiUserId, PersonId};
use crate::model::door_access::AccessTarget;
use crate::model::people::Email;

/// A Kisi lock and the restrictions that stop a remote unlock (A5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KisiLock {
    pub id: KisiLockId,
    pub name: String,
    pub place: Option<KisiPlaceId>,
    /// Only a Kisi Reader (Bluetooth/NFC at the door) may open it; a remote unlock cannot.
    pub reader_restriction: bool,
    /// The unlocking device must be within the geofence.
    pub geofence_restriction: bool,
    pub time_restriction: bool,
    /// Whether Kisi last reported the door offline or locked down (shown on the Access page).
    #[serde(default)]
    pub state: DoorState,
}

/// What Kisi last reported about a door itself, and when Doorlink read it. `None` is "Kisi did not
/// say" (its docs answer such fields as `null`), never "offline": a door is shown offline or
/// locked down only when Kisi said so (docs/kisi-api.md, "Tolerant payloads").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorState {
    pub online: Option<bool>,
    pub locked_down: Option<bool>,
    /// When Doorlink read it: the directory is read at each full reconcile (at connect, on "Retry
    /// now", after a mapping change, and every 15 minutes by default), so it may be that old.
    pub read_at: Option<DateTime<Utc>>,
}

impl DoorState {
    /// Kisi said the door is locked down: no unlock succeeds until the lockdown is lifted.
    pub fn is_locked_down(&self) -> bool {
        self.locked_down == Some(true)
    }

    /// Kisi said the door is offline: a remote unlock cannot reach it.
    pub fn is_offline(&self) -> bool {
        self.online == Some(false)
    }
}

/// A Kisi group: its locks and restrictions, and whether it still exists (C4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KisiGroup {
    pub id: KisiGroupId,
    pub name: String,
    pub locks: BTreeSet<KisiLockId>,
    pub reader_restriction: bool,
    pub geofence_restriction: bool,
    pub time_restriction: bool,
    /// Deleted in Kisi (the seed's "Group is not found"); sync marks the mapping orphaned (C4).
    pub deleted: bool,
    /// Members Doorlink did not add (Kisi's members count minus Doorlink's own assignments): M8
    /// warns about groups that are not dedicated to Doorlink.
    #[serde(default)]
    pub foreign_members: u32,
    /// Kisi's "Allow App Access" (`login_enabled`): off, its members cannot unlock from any app,
    /// Doorlink's included (A4). `None`: Kisi did not say; no warning.
    #[serde(default)]
    pub app_access: Option<bool>,
    /// Only the member's primary device may unlock; a login Doorlink holds for them is not it
    /// (A4). `None`: Kisi did not say; no warning.
    #[serde(default)]
    pub primary_device_restriction: Option<bool>,
}

/// A person's user in Kisi (I1–I3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum KisiUserState {
    /// Kisi has no user for the person yet (sync has not created it).
    NotCreated,
    /// A managed user Doorlink created (I1): confirmed, no Kisi e-mails.
    Managed { user: KisiUserId },
    /// A regular user someone added in the Kisi dashboard who never confirmed the invitation (I3).
    UnconfirmedRegular { user: KisiUserId },
    /// The user's e-mail in Kisi no longer matches Doorlink's (I2).
    EmailDrift { user: KisiUserId, kisi_email: Email },
}

/// Whether a grant's target includes a lock, as far as the view knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Covers,
    DoesNotCover,
    /// The group is not in the view: Doorlink has not read it from Kisi yet.
    Unknown,
}

/// The Kisi state of one location as last read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KisiView {
    pub locks: BTreeMap<KisiLockId, KisiLock>,
    pub groups: BTreeMap<KisiGroupId, KisiGroup>,
    /// People absent from the map: their Kisi user is not known.
    pub users: BTreeMap<PersonId, KisiUserState>,
}

impl KisiView {
    /// A view that knows nothing yet.
    pub fn unknown() -> Self {
        Self::default()
    }

    pub fn lock(&self, id: KisiLockId) -> Option<&KisiLock> {
        self.locks.get(&id)
    }

    pub fn group(&self, id: KisiGroupId) -> Option<&KisiGroup> {
        self.groups.get(&id)
    }

    pub fn user(&self, person: PersonId) -> Option<&KisiUserState> {
        self.users.get(&person)
    }

    /// Whether `target` opens `lock`. A single-lock target (M7) opens exactly its lock; a group opens
    /// the locks Kisi lists in it. A deleted group opens nothing.
    pub fn coverage(&self, target: AccessTarget, lock: KisiLockId) -> Coverage {
        match target {
            AccessTarget::Lock(id) if id == lock => Coverage::Covers,
            AccessTarget::Lock(_) => Coverage::DoesNotCover,
            AccessTarget::Group(id) => match self.group(id) {
                None => Coverage::Unknown,
                Some(group) if !group.deleted && group.locks.contains(&lock) => Coverage::Covers,
                Some(_) => Coverage::DoesNotCover,
            },
        }
    }

    /// The locks a target opens, or `None` when the group is not in the view.
    pub fn locks_of(&self, target: AccessTarget) -> Option<Vec<KisiLockId>> {
        match target {
            AccessTarget::Lock(id) => Some(vec![id]),
            AccessTarget::Group(id) => self.group(id).map(|group| {
                if group.deleted {
                    Vec::new()
                } else {
                    group.locks.iter().copied().collect()
                }
            }),
        }
    }

    pub fn is_group_deleted(&self, id: KisiGroupId) -> bool {
        self.group(id).is_some_and(|g| g.deleted)
    }

    /// A display name for a target: the Kisi name when known, else its id.
    pub fn target_name(&self, target: AccessTarget) -> String {
        match target {
            AccessTarget::Group(id) => self
                .group(id)
                .map_or_else(|| format!("group {id}"), |g| g.name.clone()),
            AccessTarget::Lock(id) => self.lock_name(id),
        }
    }

    pub fn lock_name(&self, id: KisiLockId) -> String {
        self.lock(id)
            .map_or_else(|| format!("lock {id}"), |l| l.name.clone())
    }
}
