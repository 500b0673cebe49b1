//! Groups and the locks in them. A deleted group is remembered so a payload naming it answers
//! 404 `group_not_found` rather than the 403 an id that never existed gets.

use serde::{Deserialize, Serialize};

use super::Store;
use super::places::Restrictions;
use crate::errors::ApiError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub place_id: Option<u64>,
    pub login_enabled: bool,
    pub reader_restriction_enabled: bool,
    pub geofence_restriction_enabled: bool,
    pub time_restriction_enabled: bool,
    pub primary_device_restriction_enabled: bool,
}

impl Group {
    pub(crate) fn restrictions(&self) -> Restrictions {
        Restrictions {
            reader: self.reader_restriction_enabled,
            geofence: self.geofence_restriction_enabled,
            time: self.time_restriction_enabled,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLock {
    pub id: u64,
    pub group_id: u64,
    pub lock_id: u64,
}

impl Store {
    /// A group a payload names: 403 if it never existed, 404 `group_not_found` if it was deleted.
    pub(crate) fn existing_group(&self, id: u64) -> Result<&Group, ApiError> {
        match self.groups.get(&id) {
            Some(group) => Ok(group),
            None if self.deleted_groups.contains(&id) => Err(ApiError::GroupNotFound),
            None => Err(ApiError::Forbidden),
        }
    }

    pub(crate) fn create_group(
        &mut self,
        name: &str,
        description: &str,
        place_id: Option<u64>,
        restrictions: Restrictions,
        login_enabled: bool,
        primary_device_restriction: bool,
    ) -> Result<Group, ApiError> {
        if name.trim().is_empty() {
            return Err(ApiError::invalid("name", "can't be blank"));
        }
        if let Some(place_id) = place_id {
            self.places.get(&place_id).ok_or(ApiError::Forbidden)?;
        }
        let group = Group {
            id: self.next_id(),
            name: name.trim().to_owned(),
            description: description.to_owned(),
            place_id,
            login_enabled,
            reader_restriction_enabled: restrictions.reader,
            geofence_restriction_enabled: restrictions.geofence,
            time_restriction_enabled: restrictions.time,
            primary_device_restriction_enabled: primary_device_restriction,
        };
        self.groups.insert(group.id, group.clone());
        Ok(group)
    }

    /// Deletes a group with its lock memberships, role assignments and access links.
    pub(crate) fn delete_group(&mut self, id: u64) -> Result<(), ApiError> {
        self.existing_group(id)?;
        self.groups.remove(&id);
        self.deleted_groups.insert(id);
        self.group_locks
            .retain(|_, group_lock| group_lock.group_id != id);
        self.role_assignments
            .retain(|_, assignment| assignment.group_id != id);
        self.group_links.retain(|_, link| link.group_id != id);
        Ok(())
    }

    pub(crate) fn set_group_restrictions(
        &mut self,
        id: u64,
        restrictions: Restrictions,
    ) -> Result<(), ApiError> {
        self.existing_group(id)?;
        if let Some(group) = self.groups.get_mut(&id) {
            group.reader_restriction_enabled = restrictions.reader;
            group.geofence_restriction_enabled = restrictions.geofence;
            group.time_restriction_enabled = restrictions.time;
        }
        Ok(())
    }

    pub(crate) fn add_group_lock(
        &mut self,
        group_id: u64,
        lock_id: u64,
    ) -> Result<GroupLock, ApiError> {
        self.existing_group(group_id)?;
        if !self.locks.contains_key(&lock_id) {
            return Err(ApiError::Forbidden);
        }
        if self
            .group_locks
            .values()
            .any(|gl| gl.group_id == group_id && gl.lock_id == lock_id)
        {
            return Err(ApiError::invalid("lock_id", "is already in this group"));
        }
        let group_lock = GroupLock {
            id: self.next_id(),
            group_id,
            lock_id,
        };
        self.group_locks.insert(group_lock.id, group_lock.clone());
        Ok(group_lock)
    }

    pub(crate) fn lock_ids_of_group(&self, group_id: u64) -> impl Iterator<Item = u64> + '_ {
        self.group_locks
            .values()
            .filter(move |gl| gl.group_id == group_id)
            .map(|gl| gl.lock_id)
    }

    pub(crate) fn group_contains_lock(&self, group_id: u64, lock_id: u64) -> bool {
        self.group_locks
            .values()
            .any(|gl| gl.group_id == group_id && gl.lock_id == lock_id)
    }

    /// Distinct users holding a role assignment in the group (the `members_count` field).
    pub(crate) fn members_count(&self, group_id: u64) -> usize {
        let mut users: Vec<u64> = self
            .role_assignments
            .values()
            .filter(|a| a.group_id == group_id)
            .map(|a| a.user_id)
            .collect();
        users.sort_unstable();
        users.dedup();
        users.len()
    }
}
