//! Door access: what a plan, resource, product, policy or manual grant opens (M1–M7).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{KisiGroupId, KisiLockId};

/// A set of Kisi groups and/or single Kisi locks (M7). Empty means "no door access" (the "Not
/// selected" choice), which is a valid configuration and a cause the explainer names (A5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DoorAccess {
    #[serde(default)]
    pub groups: BTreeSet<KisiGroupId>,
    #[serde(default)]
    pub locks: BTreeSet<KisiLockId>,
}

impl DoorAccess {
    /// No door access ("Not selected").
    pub fn none() -> Self {
        Self::default()
    }

    pub fn groups(groups: impl IntoIterator<Item = KisiGroupId>) -> Self {
        Self {
            groups: groups.into_iter().collect(),
            locks: BTreeSet::new(),
        }
    }

    pub fn locks(locks: impl IntoIterator<Item = KisiLockId>) -> Self {
        Self {
            groups: BTreeSet::new(),
            locks: locks.into_iter().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.locks.is_empty()
    }

    /// Every target this access names, groups first, each once.
    pub fn targets(&self) -> impl Iterator<Item = AccessTarget> + '_ {
        let groups = self.groups.iter().copied().map(AccessTarget::Group);
        let locks = self.locks.iter().copied().map(AccessTarget::Lock);
        groups.chain(locks)
    }
}

/// What one grant opens: a Kisi group, or a single lock. M7: sync grants a single lock through a
/// Doorlink-owned group made for that lock alone; core only says "lock".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum AccessTarget {
    Group(KisiGroupId),
    Lock(KisiLockId),
}
