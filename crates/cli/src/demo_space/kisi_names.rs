//! The Kisi groups and locks of the emulator's demo seed (`crates/kisi-emulator/seeds/demo.json`),
//! looked up by name so the demo space maps exactly what the seed created.

use anyhow::{Context, Result, anyhow};
use doorlink_core::{DoorAccess, KisiGroupId, KisiLockId, KisiPlaceId};
use kisi_emulator::SeedIds;

/// Name lookups over the ids a seed received.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KisiNames<'a> {
    ids: &'a SeedIds,
}

impl<'a> KisiNames<'a> {
    pub(crate) fn new(ids: &'a SeedIds) -> Self {
        Self { ids }
    }

    pub(crate) fn group(&self, name: &str) -> Result<KisiGroupId> {
        id_named(&self.ids.groups, "group", name).map(KisiGroupId)
    }

    pub(crate) fn lock(&self, name: &str) -> Result<KisiLockId> {
        id_named(&self.ids.locks, "lock", name).map(KisiLockId)
    }

    pub(crate) fn place(&self, name: &str) -> Result<KisiPlaceId> {
        id_named(&self.ids.places, "place", name).map(KisiPlaceId)
    }

    /// M1/M2: a door access of one Kisi group.
    pub(crate) fn group_access(&self, name: &str) -> Result<DoorAccess> {
        Ok(DoorAccess::groups([self.group(name)?]))
    }

    /// M7: a door access of one single lock (sync grants it through a Doorlink-owned group).
    pub(crate) fn lock_access(&self, name: &str) -> Result<DoorAccess> {
        Ok(DoorAccess::locks([self.lock(name)?]))
    }
}

fn id_named(ids: &std::collections::BTreeMap<String, u64>, kind: &str, name: &str) -> Result<i64> {
    let id = ids.get(name).copied().ok_or_else(|| {
        anyhow!(
            "the Kisi seed has no {kind} named {name:?}; the demo space expects the emulator's \
             demo seed (crates/kisi-emulator/seeds/demo.json)"
        )
    })?;
    i64::try_from(id).with_context(|| format!("Kisi {kind} id {id} does not fit in 64 signed bits"))
}
