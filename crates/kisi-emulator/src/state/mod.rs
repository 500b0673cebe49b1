//! The in-memory organization: one store behind one mutex, one file per family.
//!
//! Ids come from one counter shared by every family (like a single database sequence), so a group
//! id passed where a user id belongs is an unknown id (403), never someone else's record.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub(crate) mod access;
pub(crate) mod events;
pub(crate) mod groups;
pub(crate) mod logins;
pub(crate) mod offline;
pub(crate) mod places;
pub(crate) mod unlock;
pub(crate) mod users;

pub use access::{AssignmentChange, AssignmentSource, GroupLink, OverlapPolicy, RoleAssignment};
pub use events::Event;
pub use groups::{Group, GroupLock};
pub use logins::Login;
pub use offline::OfflineReaders;
pub use places::{Lock, LockState, Place, Restrictions};
pub use users::{Organization, User};

/// The webhook dispatcher's queue of recorded events.
pub(crate) type EventSink = tokio::sync::mpsc::UnboundedSender<Event>;

#[derive(Debug)]
pub(crate) struct Store {
    pub(crate) organization: Option<Organization>,
    pub(crate) owner_id: Option<u64>,
    pub(crate) users: BTreeMap<u64, User>,
    pub(crate) logins: BTreeMap<u64, Login>,
    pub(crate) places: BTreeMap<u64, Place>,
    pub(crate) locks: BTreeMap<u64, Lock>,
    pub(crate) groups: BTreeMap<u64, Group>,
    pub(crate) deleted_groups: BTreeSet<u64>,
    pub(crate) group_locks: BTreeMap<u64, GroupLock>,
    pub(crate) role_assignments: BTreeMap<u64, RoleAssignment>,
    pub(crate) group_links: BTreeMap<u64, GroupLink>,
    pub(crate) events: Vec<Event>,
    /// Active sign-in logins an owner may hold before `login_quota_exceeded`.
    pub(crate) login_quota: usize,
    /// Whether a user may hold overlapping roles in one group (kept across seeds).
    pub(crate) overlaps: OverlapPolicy,
    /// Every role assignment created or removed, in order.
    pub(crate) assignment_history: Vec<AssignmentChange>,
    /// Users with two-factor sign-in, and the code their authenticator shows now.
    pub(crate) two_factor_codes: BTreeMap<u64, String>,
    /// Where every recorded event goes for webhook delivery (kept across seeds; `None` only in a
    /// store not yet attached to a running emulator).
    pub(crate) event_sink: Option<EventSink>,
    /// What an offline lock's reader does with a tap (kept across seeds).
    pub(crate) offline_readers: OfflineReaders,
    /// The readers of offline locks: their cached access and the taps not synced yet, by lock.
    pub(crate) reader_caches: BTreeMap<u64, offline::ReaderCache>,
    last_id: u64,
}

impl Store {
    pub(crate) fn new(login_quota: usize) -> Self {
        Self {
            organization: None,
            owner_id: None,
            users: BTreeMap::new(),
            logins: BTreeMap::new(),
            places: BTreeMap::new(),
            locks: BTreeMap::new(),
            groups: BTreeMap::new(),
            deleted_groups: BTreeSet::new(),
            group_locks: BTreeMap::new(),
            role_assignments: BTreeMap::new(),
            group_links: BTreeMap::new(),
            events: Vec::new(),
            login_quota,
            overlaps: OverlapPolicy::default(),
            assignment_history: Vec::new(),
            two_factor_codes: BTreeMap::new(),
            event_sink: None,
            offline_readers: OfflineReaders::default(),
            reader_caches: BTreeMap::new(),
            last_id: 0,
        }
    }

    /// Removes a role assignment (API delete), keeping the history; `None` when unknown.
    pub(crate) fn remove_role_assignment(&mut self, id: u64) -> Option<RoleAssignment> {
        let removed = self.role_assignments.remove(&id)?;
        self.assignment_history.push(AssignmentChange {
            created: false,
            assignment: removed.clone(),
        });
        Some(removed)
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    pub(crate) fn snapshot(&self, now: DateTime<Utc>) -> Snapshot {
        Snapshot {
            now,
            organization: self.organization.clone(),
            owner_id: self.owner_id,
            users: self.users.values().cloned().collect(),
            logins: self.logins.values().cloned().collect(),
            places: self.places.values().cloned().collect(),
            locks: self.locks.values().cloned().collect(),
            groups: self.groups.values().cloned().collect(),
            deleted_group_ids: self.deleted_groups.iter().copied().collect(),
            group_locks: self.group_locks.values().cloned().collect(),
            role_assignments: self.role_assignments.values().cloned().collect(),
            group_links: self.group_links.values().cloned().collect(),
            events: self.events.clone(),
            login_quota: self.login_quota,
        }
    }
}

/// Everything the emulator holds, for assertions (`Control::state`, `GET /__emulator/state`).
/// Logins come without their secrets; records are in id order, events oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The emulator's clock when the snapshot was taken.
    pub now: DateTime<Utc>,
    pub organization: Option<Organization>,
    pub owner_id: Option<u64>,
    pub users: Vec<User>,
    pub logins: Vec<Login>,
    pub places: Vec<Place>,
    pub locks: Vec<Lock>,
    pub groups: Vec<Group>,
    pub deleted_group_ids: Vec<u64>,
    pub group_locks: Vec<GroupLock>,
    pub role_assignments: Vec<RoleAssignment>,
    pub group_links: Vec<GroupLink>,
    pub events: Vec<Event>,
    pub login_quota: usize,
}
