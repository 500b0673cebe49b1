//! The Kisi directory of a location (places, groups, locks, restriction flags, orphaned marks, C4,
//! M8) and the [`KisiView`] the explainer and the Access page read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessTarget, DoorState, Email, KisiGroup, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId,
    KisiUserId, KisiUserState, KisiView, LocationId, PersonId,
};
use sqlx::{AnyConnection, FromRow};

use super::KisiMirror;
use crate::codec::{Flag, instant, millis, opt_flag, target};
use crate::door_access::{MappingOwner, owners_using};
use crate::error::Result;

/// A Kisi place as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPlace {
    pub id: KisiPlaceId,
    pub name: String,
}

/// A Kisi group as listed, with what Doorlink needs to warn about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryGroup {
    pub id: KisiGroupId,
    pub name: String,
    pub place: Option<KisiPlaceId>,
    pub locks: BTreeSet<KisiLockId>,
    pub reader_restriction: bool,
    pub geofence_restriction: bool,
    pub time_restriction: bool,
    /// M8: the group has members Doorlink did not add.
    pub has_foreign_members: bool,
    /// Kisi's "Allow App Access" (`login_enabled`); `None`: Kisi did not say (A4).
    pub app_access: Option<bool>,
    /// Unlocks only from the member's primary device; `None`: Kisi did not say (A4).
    pub primary_device_restriction: Option<bool>,
}

/// What one read of Kisi listed for a location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KisiDirectory {
    pub places: Vec<DirectoryPlace>,
    pub groups: Vec<DirectoryGroup>,
    pub locks: Vec<KisiLock>,
}

/// C4: a mapped group or lock that Kisi no longer lists, and the mappings it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanedTarget {
    pub target: AccessTarget,
    pub name: String,
    pub orphaned_at: DateTime<Utc>,
    pub used_by: Vec<MappingOwner>,
}

#[derive(FromRow)]
struct GroupRow {
    kisi_group_id: i64,
    name: String,
    #[sqlx(try_from = "Flag")]
    reader_restriction: bool,
    #[sqlx(try_from = "Flag")]
    geofence_restriction: bool,
    #[sqlx(try_from = "Flag")]
    time_restriction: bool,
    #[sqlx(try_from = "Flag")]
    has_foreign_members: bool,
    login_enabled: Option<Flag>,
    primary_device_restriction: Option<Flag>,
    orphaned_at: Option<i64>,
}

#[derive(FromRow)]
struct LockRow {
    kisi_lock_id: i64,
    name: String,
    kisi_place_id: Option<i64>,
    #[sqlx(try_from = "Flag")]
    reader_restriction: bool,
    #[sqlx(try_from = "Flag")]
    geofence_restriction: bool,
    #[sqlx(try_from = "Flag")]
    time_restriction: bool,
    online: Option<Flag>,
    locked_down: Option<Flag>,
    orphaned_at: Option<i64>,
    synced_at: i64,
}

/// Marks what a fresh listing no longer contains as orphaned (keeping the first mark) and clears
/// the mark of what it lists again.
async fn mark_unlisted(
    conn: &mut AnyConnection,
    table: &'static str,
    id_column: &'static str,
    location: LocationId,
    listed: &BTreeSet<i64>,
    now: i64,
) -> Result<()> {
    let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT {id_column} FROM {table} WHERE location_id = $1 AND orphaned_at IS NULL"
    )))
    .bind(location.0)
    .fetch_all(&mut *conn)
    .await?;
    let mark =
        format!("UPDATE {table} SET orphaned_at = $1 WHERE location_id = $2 AND {id_column} = $3");
    for id in ids.into_iter().filter(|id| !listed.contains(id)) {
        sqlx::query(sqlx::AssertSqlSafe(mark.as_str()))
            .bind(now)
            .bind(location.0)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl KisiMirror<'_> {
    /// Stores what one read of Kisi listed (A2, A5, M8). Groups and locks no longer listed stay, marked
    /// orphaned (C4); listed again, the mark goes.
    pub async fn replace_directory(
        &self,
        location: LocationId,
        directory: &KisiDirectory,
    ) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        for place in &directory.places {
            sqlx::query(
                "INSERT INTO kisi_places (location_id, kisi_place_id, name, orphaned_at, synced_at) \
                 VALUES ($1, $2, $3, NULL, $4) \
                 ON CONFLICT (location_id, kisi_place_id) DO UPDATE SET \
                     name = excluded.name, orphaned_at = NULL, synced_at = excluded.synced_at",
            )
            .bind(location.0)
            .bind(place.id.0)
            .bind(&place.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for group in &directory.groups {
            sqlx::query(
                "INSERT INTO kisi_groups (location_id, kisi_group_id, name, kisi_place_id, \
                     reader_restriction, geofence_restriction, time_restriction, \
                     has_foreign_members, login_enabled, primary_device_restriction, \
                     orphaned_at, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11) \
                 ON CONFLICT (location_id, kisi_group_id) DO UPDATE SET \
                     name = excluded.name, kisi_place_id = excluded.kisi_place_id, \
                     reader_restriction = excluded.reader_restriction, \
                     geofence_restriction = excluded.geofence_restriction, \
                     time_restriction = excluded.time_restriction, \
                     has_foreign_members = excluded.has_foreign_members, \
                     login_enabled = excluded.login_enabled, \
                     primary_device_restriction = excluded.primary_device_restriction, \
                     orphaned_at = NULL, synced_at = excluded.synced_at",
            )
            .bind(location.0)
            .bind(group.id.0)
            .bind(&group.name)
            .bind(group.place.map(|p| p.0))
            .bind(group.reader_restriction)
            .bind(group.geofence_restriction)
            .bind(group.time_restriction)
            .bind(group.has_foreign_members)
            .bind(group.app_access)
            .bind(group.primary_device_restriction)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM kisi_group_locks WHERE location_id = $1 AND kisi_group_id = $2",
            )
            .bind(location.0)
            .bind(group.id.0)
            .execute(&mut *tx)
            .await?;
            for lock in &group.locks {
                sqlx::query(
                    "INSERT INTO kisi_group_locks (location_id, kisi_group_id, kisi_lock_id) \
                     VALUES ($1, $2, $3)",
                )
                .bind(location.0)
                .bind(group.id.0)
                .bind(lock.0)
                .execute(&mut *tx)
                .await?;
            }
        }
        for lock in &directory.locks {
            sqlx::query(
                "INSERT INTO kisi_locks (location_id, kisi_lock_id, name, kisi_place_id, \
                     reader_restriction, geofence_restriction, time_restriction, online, \
                     locked_down, orphaned_at, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10) \
                 ON CONFLICT (location_id, kisi_lock_id) DO UPDATE SET \
                     name = excluded.name, kisi_place_id = excluded.kisi_place_id, \
                     reader_restriction = excluded.reader_restriction, \
                     geofence_restriction = excluded.geofence_restriction, \
                     time_restriction = excluded.time_restriction, \
                     online = excluded.online, locked_down = excluded.locked_down, \
                     orphaned_at = NULL, synced_at = excluded.synced_at",
            )
            .bind(location.0)
            .bind(lock.id.0)
            .bind(&lock.name)
            .bind(lock.place.map(|p| p.0))
            .bind(lock.reader_restriction)
            .bind(lock.geofence_restriction)
            .bind(lock.time_restriction)
            .bind(lock.state.online)
            .bind(lock.state.locked_down)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let places = directory.places.iter().map(|p| p.id.0).collect();
        let groups = directory.groups.iter().map(|g| g.id.0).collect();
        let locks = directory.locks.iter().map(|l| l.id.0).collect();
        mark_unlisted(
            &mut tx,
            "kisi_places",
            "kisi_place_id",
            location,
            &places,
            now,
        )
        .await?;
        mark_unlisted(
            &mut tx,
            "kisi_groups",
            "kisi_group_id",
            location,
            &groups,
            now,
        )
        .await?;
        mark_unlisted(&mut tx, "kisi_locks", "kisi_lock_id", location, &locks, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The Kisi name of one group of the location's directory, for words people read (issue 17
    /// point 5); `None` when the directory does not hold it.
    pub async fn group_name(
        &self,
        location: LocationId,
        group: KisiGroupId,
    ) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name FROM kisi_groups WHERE location_id = $1 AND kisi_group_id = $2",
        )
        .bind(location.0)
        .bind(group.0)
        .fetch_optional(self.store.pool())
        .await?)
    }

    /// Marks one group orphaned at once (a Kisi call answered "Group is not found", A5).
    pub async fn mark_group_orphaned(
        &self,
        location: LocationId,
        group: KisiGroupId,
    ) -> Result<()> {
        let now = millis(self.store.now());
        sqlx::query(
            "INSERT INTO kisi_groups (location_id, kisi_group_id, name, orphaned_at, synced_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (location_id, kisi_group_id) DO UPDATE SET \
                 orphaned_at = COALESCE(kisi_groups.orphaned_at, excluded.orphaned_at)",
        )
        .bind(location.0)
        .bind(group.0)
        .bind(format!("group {group}"))
        .bind(now)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// C4: marks a mapped lock orphaned at once, also one Kisi never listed (the row is made, named
    /// after its id), so staff see which mappings it breaks. The first mark is kept.
    pub async fn mark_lock_orphaned(&self, location: LocationId, lock: KisiLockId) -> Result<()> {
        let now = millis(self.store.now());
        sqlx::query(
            "INSERT INTO kisi_locks (location_id, kisi_lock_id, name, orphaned_at, synced_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (location_id, kisi_lock_id) DO UPDATE SET \
                 orphaned_at = COALESCE(kisi_locks.orphaned_at, excluded.orphaned_at)",
        )
        .bind(location.0)
        .bind(lock.0)
        .bind(format!("lock {lock}"))
        .bind(now)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Every group and lock some door access at the location names (M1–M7), each once.
    pub async fn mapped_targets(&self, location: LocationId) -> Result<Vec<AccessTarget>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT DISTINCT target_kind, kisi_id FROM door_access_targets WHERE location_id = $1 \
             ORDER BY target_kind, kisi_id",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|(kind, id)| target("door_access_targets", &kind, id))
            .collect()
    }

    /// The places last listed (without orphaned ones), for the admin's place choice (A2).
    pub async fn places(&self, location: LocationId) -> Result<Vec<DirectoryPlace>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT kisi_place_id, name FROM kisi_places \
             WHERE location_id = $1 AND orphaned_at IS NULL ORDER BY name",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| DirectoryPlace {
                id: KisiPlaceId(id),
                name,
            })
            .collect())
    }

    /// M8: groups used by a mapping that have members Doorlink did not add.
    pub async fn shared_mapped_groups(&self, location: LocationId) -> Result<Vec<KisiGroupId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT kisi_group_id FROM kisi_groups g WHERE location_id = $1 \
                 AND has_foreign_members = TRUE AND orphaned_at IS NULL \
                 AND EXISTS (SELECT 1 FROM door_access_targets t WHERE t.location_id = $1 \
                             AND t.target_kind = 'group' AND t.kisi_id = g.kisi_group_id) \
             ORDER BY kisi_group_id",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(ids.into_iter().map(KisiGroupId).collect())
    }

    /// C4: mapped groups and locks that Kisi no longer lists, with the mappings each breaks.
    pub async fn orphaned_targets(&self, location: LocationId) -> Result<Vec<OrphanedTarget>> {
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT 'group', kisi_group_id, name, orphaned_at FROM kisi_groups \
                 WHERE location_id = $1 AND orphaned_at IS NOT NULL \
             UNION ALL \
             SELECT 'lock', kisi_lock_id, name, orphaned_at FROM kisi_locks \
                 WHERE location_id = $1 AND orphaned_at IS NOT NULL \
             ORDER BY 1, 2",
        )
        .bind(location.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut orphans = Vec::new();
        for (kind, id, name, orphaned_at) in rows {
            let target = target("kisi_groups", &kind, id)?;
            let used_by = owners_using(&mut conn, location, target).await?;
            if used_by.is_empty() {
                continue;
            }
            orphans.push(OrphanedTarget {
                target,
                name,
                orphaned_at: instant("kisi_groups", "orphaned_at", orphaned_at)?,
                used_by,
            });
        }
        Ok(orphans)
    }

    /// The Kisi state of the location as the explainer and the Access page read it: locks and groups
    /// as last listed (an orphaned group reads as deleted), and each linked person's user state.
    pub async fn kisi_view(&self, location: LocationId) -> Result<KisiView> {
        let pool = self.store.pool();
        let lock_rows: Vec<LockRow> = sqlx::query_as(
            "SELECT kisi_lock_id, name, kisi_place_id, reader_restriction, geofence_restriction, \
                    time_restriction, online, locked_down, orphaned_at, synced_at \
             FROM kisi_locks WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(pool)
        .await?;
        let group_rows: Vec<GroupRow> = sqlx::query_as(
            "SELECT kisi_group_id, name, reader_restriction, geofence_restriction, \
                    time_restriction, has_foreign_members, login_enabled, \
                    primary_device_restriction, orphaned_at \
             FROM kisi_groups WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(pool)
        .await?;
        let group_locks: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT kisi_group_id, kisi_lock_id FROM kisi_group_locks WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(pool)
        .await?;
        let users: Vec<(i64, i64, String, Flag, String)> = sqlx::query_as(
            "SELECT u.person_id, u.kisi_user_id, u.kisi_email, u.confirmed, p.email \
             FROM kisi_users u JOIN people p ON p.id = u.person_id WHERE u.location_id = $1",
        )
        .bind(location.0)
        .fetch_all(pool)
        .await?;

        let mut view = KisiView::unknown();
        for row in lock_rows.into_iter().filter(|l| l.orphaned_at.is_none()) {
            let id = KisiLockId(row.kisi_lock_id);
            view.locks.insert(
                id,
                KisiLock {
                    id,
                    name: row.name,
                    place: row.kisi_place_id.map(KisiPlaceId),
                    reader_restriction: row.reader_restriction,
                    geofence_restriction: row.geofence_restriction,
                    time_restriction: row.time_restriction,
                    state: DoorState {
                        online: opt_flag(row.online),
                        locked_down: opt_flag(row.locked_down),
                        read_at: Some(instant("kisi_locks", "synced_at", row.synced_at)?),
                    },
                },
            );
        }
        let mut locks_of: HashMap<i64, BTreeSet<KisiLockId>> = HashMap::new();
        for (group, lock) in group_locks {
            locks_of.entry(group).or_default().insert(KisiLockId(lock));
        }
        for row in group_rows {
            let id = KisiGroupId(row.kisi_group_id);
            view.groups.insert(
                id,
                KisiGroup {
                    id,
                    name: row.name,
                    locks: locks_of.remove(&row.kisi_group_id).unwrap_or_default(),
                    reader_restriction: row.reader_restriction,
                    geofence_restriction: row.geofence_restriction,
                    time_restriction: row.time_restriction,
                    deleted: row.orphaned_at.is_some(),
                    // The mirror keeps whether foreign members exist (all M8 needs), not how many.
                    foreign_members: u32::from(row.has_foreign_members),
                    app_access: opt_flag(row.login_enabled),
                    primary_device_restriction: opt_flag(row.primary_device_restriction),
                },
            );
        }
        let mut states = BTreeMap::new();
        for (person, user, kisi_email, confirmed, email) in users {
            let user = KisiUserId(user);
            let state = if !bool::from(confirmed) {
                KisiUserState::UnconfirmedRegular { user }
            } else if Email::parse(&kisi_email).is_ok_and(|kisi| kisi.as_str() == email) {
                KisiUserState::Managed { user }
            } else {
                KisiUserState::EmailDrift {
                    user,
                    kisi_email: Email::parse(&kisi_email)?,
                }
            };
            states.insert(PersonId(person), state);
        }
        view.users = states;
        Ok(view)
    }
}
