//! What the planner compares the desired access with: the owned Kisi state (the store's mirror
//! rows, I4) and the parts of the Kisi directory that decide how a target is granted, as plain
//! values, so the planner needs no IO.

use std::collections::{BTreeMap, BTreeSet};

use doorlink_core::{AccessTarget, KisiGroupId, KisiLockId, PersonId};
pub use doorlink_store::{MirrorAssignment, MirrorLink, MirrorUser};

/// The owned Kisi state of one person or one whole location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorView {
    pub users: BTreeMap<PersonId, MirrorUser>,
    pub assignments: Vec<MirrorAssignment>,
    pub links: Vec<MirrorLink>,
}

/// What the planner needs from the location's Kisi directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryView {
    /// M7: Doorlink's own group for each single lock it grants.
    pub lock_groups: BTreeMap<KisiLockId, KisiGroupId>,
    /// C4: mapped groups Kisi no longer lists; nothing can be granted through them.
    pub orphaned_groups: BTreeSet<KisiGroupId>,
    /// C4: mapped locks Kisi no longer lists.
    pub orphaned_locks: BTreeSet<KisiLockId>,
}

impl DirectoryView {
    /// The Kisi group that realises `target`, if it exists yet (a lock's group may still have to
    /// be created).
    pub fn group_of(&self, target: AccessTarget) -> Option<KisiGroupId> {
        match target {
            AccessTarget::Group(group) => Some(group),
            AccessTarget::Lock(lock) => self.lock_groups.get(&lock).copied(),
        }
    }

    /// Whether the target disappeared from Kisi (C4).
    pub fn is_orphaned(&self, target: AccessTarget) -> bool {
        match target {
            AccessTarget::Group(group) => self.orphaned_groups.contains(&group),
            AccessTarget::Lock(lock) => self.orphaned_locks.contains(&lock),
        }
    }
}
