//! The mirror of Kisi: the catalogue of places, groups and locks as last read (with restriction
//! flags and orphaned marks, C4, M8), and what Doorlink owns there (I4): users, role assignments,
//! per-lock groups (M7) and visitor access links (R10).
//!
//! Sync writes an owned row only after Kisi confirmed the change, and removes one only after Kisi
//! confirmed the removal; so after a crash the mirror never claims more than Kisi holds.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessTarget, Email, KisiGroup, KisiGroupId, KisiLock, KisiLockId, KisiPlaceId, KisiUserId,
    KisiUserState, KisiView, LocationId, PersonId, VisitId, Window,
};
use sqlx::{FromRow, SqliteConnection};

use crate::codec::{instant, millis, opt_instant, target, target_parts};
use crate::db::Store;
use crate::door_access::{MappingOwner, owners_using};
use crate::error::{Result, on_constraint};

/// The id Kisi gave a role assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KisiRoleAssignmentId(pub i64);

/// The id Kisi gave a group link (a visitor's access link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KisiGroupLinkId(pub i64);

/// A Kisi place as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CataloguePlace {
    pub id: KisiPlaceId,
    pub name: String,
}

/// A Kisi group as listed, with what Doorlink needs to warn about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueGroup {
    pub id: KisiGroupId,
    pub name: String,
    pub place: Option<KisiPlaceId>,
    pub locks: BTreeSet<KisiLockId>,
    pub reader_restriction: bool,
    pub geofence_restriction: bool,
    pub time_restriction: bool,
    /// M8: the group has members Doorlink did not add.
    pub has_foreign_members: bool,
}

/// What one read of Kisi listed for a location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KisiCatalogue {
    pub places: Vec<CataloguePlace>,
    pub groups: Vec<CatalogueGroup>,
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

/// A Kisi user linked to a person (I2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorUser {
    pub kisi_user: KisiUserId,
    /// The e-mail Kisi has; differs from the person's when they drifted apart (I2).
    pub kisi_email: String,
    /// I3: false for a regular user who never confirmed the Kisi invitation.
    pub confirmed: bool,
    /// I4: Doorlink created the user (a managed user, I1) and may delete it (R15).
    pub owned: bool,
}

/// A role assignment Doorlink wrote (R13: one per person, group and merged window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorAssignment {
    pub kisi_id: KisiRoleAssignmentId,
    pub person: PersonId,
    pub group: KisiGroupId,
    /// The mapping target it realises; a lock target is written through its per-lock group (M7).
    pub target: AccessTarget,
    pub window: Window,
}

/// A visitor access link Doorlink created (R10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorLink {
    pub kisi_id: KisiGroupLinkId,
    /// `None` once the visit itself was deleted (the link must still be revoked).
    pub visit: Option<VisitId>,
    pub person: PersonId,
    pub group: KisiGroupId,
    pub window: Window,
}

/// The Kisi mirror repository.
#[derive(Debug, Clone, Copy)]
pub struct KisiMirror<'s> {
    store: &'s Store,
}

impl Store {
    pub fn kisi_mirror(&self) -> KisiMirror<'_> {
        KisiMirror { store: self }
    }
}

#[derive(FromRow)]
struct GroupRow {
    kisi_group_id: i64,
    name: String,
    reader_restriction: bool,
    geofence_restriction: bool,
    time_restriction: bool,
    has_foreign_members: bool,
    orphaned_at: Option<i64>,
}

#[derive(FromRow)]
struct LockRow {
    kisi_lock_id: i64,
    name: String,
    kisi_place_id: Option<i64>,
    reader_restriction: bool,
    geofence_restriction: bool,
    time_restriction: bool,
    orphaned_at: Option<i64>,
}

#[derive(FromRow)]
struct AssignmentRow {
    kisi_role_assignment_id: i64,
    person_id: i64,
    kisi_group_id: i64,
    target_kind: String,
    target_id: i64,
    valid_from: i64,
    valid_until: Option<i64>,
}

#[derive(FromRow)]
struct LinkRow {
    kisi_group_link_id: i64,
    visit_id: Option<i64>,
    person_id: i64,
    kisi_group_id: i64,
    valid_from: i64,
    valid_until: Option<i64>,
}

fn window(table: &'static str, from: i64, until: Option<i64>) -> Result<Window> {
    let from = instant(table, "valid_from", from)?;
    let until = opt_instant(table, "valid_until", until)?;
    Ok(Window::new(from, until)?)
}

/// Marks what a fresh listing no longer contains as orphaned (keeping the first mark) and clears
/// the mark of what it lists again.
async fn mark_unlisted(
    conn: &mut SqliteConnection,
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
    pub async fn replace_catalogue(
        &self,
        location: LocationId,
        catalogue: &KisiCatalogue,
    ) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        for place in &catalogue.places {
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
        for group in &catalogue.groups {
            sqlx::query(
                "INSERT INTO kisi_groups (location_id, kisi_group_id, name, kisi_place_id, \
                     reader_restriction, geofence_restriction, time_restriction, \
                     has_foreign_members, orphaned_at, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9) \
                 ON CONFLICT (location_id, kisi_group_id) DO UPDATE SET \
                     name = excluded.name, kisi_place_id = excluded.kisi_place_id, \
                     reader_restriction = excluded.reader_restriction, \
                     geofence_restriction = excluded.geofence_restriction, \
                     time_restriction = excluded.time_restriction, \
                     has_foreign_members = excluded.has_foreign_members, \
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
        for lock in &catalogue.locks {
            sqlx::query(
                "INSERT INTO kisi_locks (location_id, kisi_lock_id, name, kisi_place_id, \
                     reader_restriction, geofence_restriction, time_restriction, orphaned_at, \
                     synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8) \
                 ON CONFLICT (location_id, kisi_lock_id) DO UPDATE SET \
                     name = excluded.name, kisi_place_id = excluded.kisi_place_id, \
                     reader_restriction = excluded.reader_restriction, \
                     geofence_restriction = excluded.geofence_restriction, \
                     time_restriction = excluded.time_restriction, \
                     orphaned_at = NULL, synced_at = excluded.synced_at",
            )
            .bind(location.0)
            .bind(lock.id.0)
            .bind(&lock.name)
            .bind(lock.place.map(|p| p.0))
            .bind(lock.reader_restriction)
            .bind(lock.geofence_restriction)
            .bind(lock.time_restriction)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let places = catalogue.places.iter().map(|p| p.id.0).collect();
        let groups = catalogue.groups.iter().map(|g| g.id.0).collect();
        let locks = catalogue.locks.iter().map(|l| l.id.0).collect();
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

    /// The places last listed (without orphaned ones), for the admin's place choice (A2).
    pub async fn places(&self, location: LocationId) -> Result<Vec<CataloguePlace>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT kisi_place_id, name FROM kisi_places \
             WHERE location_id = $1 AND orphaned_at IS NULL ORDER BY name",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| CataloguePlace {
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
                    time_restriction, orphaned_at \
             FROM kisi_locks WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(pool)
        .await?;
        let group_rows: Vec<GroupRow> = sqlx::query_as(
            "SELECT kisi_group_id, name, reader_restriction, geofence_restriction, \
                    time_restriction, has_foreign_members, orphaned_at \
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
        let users: Vec<(i64, i64, String, bool, String)> = sqlx::query_as(
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
                },
            );
        }
        let mut states = BTreeMap::new();
        for (person, user, kisi_email, confirmed, email) in users {
            let user = KisiUserId(user);
            let state = if !confirmed {
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

    /// The Kisi user linked to the person at the location, if any.
    pub async fn user(&self, location: LocationId, person: PersonId) -> Result<Option<MirrorUser>> {
        let row: Option<(i64, String, bool, bool)> = sqlx::query_as(
            "SELECT kisi_user_id, kisi_email, confirmed, owned FROM kisi_users \
             WHERE location_id = $1 AND person_id = $2",
        )
        .bind(location.0)
        .bind(person.0)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(row.map(|(user, kisi_email, confirmed, owned)| MirrorUser {
            kisi_user: KisiUserId(user),
            kisi_email,
            confirmed,
            owned,
        }))
    }

    /// Links (or re-links, I2) the person to a Kisi user.
    pub async fn save_user(
        &self,
        location: LocationId,
        person: PersonId,
        user: &MirrorUser,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_users (location_id, person_id, kisi_user_id, kisi_email, confirmed, \
                                     owned, synced_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (location_id, person_id) DO UPDATE SET \
                 kisi_user_id = excluded.kisi_user_id, kisi_email = excluded.kisi_email, \
                 confirmed = excluded.confirmed, owned = excluded.owned, \
                 synced_at = excluded.synced_at",
        )
        .bind(location.0)
        .bind(person.0)
        .bind(user.kisi_user.0)
        .bind(&user.kisi_email)
        .bind(user.confirmed)
        .bind(user.owned)
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await
        .map_err(on_constraint(
            "Kisi user",
            &format!(
                "Kisi user {} is already linked to another person",
                user.kisi_user
            ),
            "the person or location does not exist",
        ))?;
        Ok(())
    }

    /// R15: forgets everything Doorlink held in Kisi for the person at the location.
    pub async fn forget_person(&self, location: LocationId, person: PersonId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        for sql in [
            "DELETE FROM kisi_role_assignments WHERE location_id = $1 AND person_id = $2",
            "DELETE FROM kisi_group_links WHERE location_id = $1 AND person_id = $2",
            "DELETE FROM kisi_users WHERE location_id = $1 AND person_id = $2",
        ] {
            sqlx::query(sql)
                .bind(location.0)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Role assignments Doorlink owns at the location, for one person or everybody.
    pub async fn assignments(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<MirrorAssignment>> {
        let rows: Vec<AssignmentRow> = sqlx::query_as(
            "SELECT kisi_role_assignment_id, person_id, kisi_group_id, target_kind, target_id, \
                    valid_from, valid_until \
             FROM kisi_role_assignments WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) \
             ORDER BY person_id, kisi_role_assignment_id",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MirrorAssignment {
                    kisi_id: KisiRoleAssignmentId(row.kisi_role_assignment_id),
                    person: PersonId(row.person_id),
                    group: KisiGroupId(row.kisi_group_id),
                    target: target("kisi_role_assignments", &row.target_kind, row.target_id)?,
                    window: window("kisi_role_assignments", row.valid_from, row.valid_until)?,
                })
            })
            .collect()
    }

    /// Records a role assignment Kisi confirmed; recording it twice is harmless.
    pub async fn add_assignment(
        &self,
        location: LocationId,
        assignment: &MirrorAssignment,
    ) -> Result<()> {
        let (kind, target_id) = target_parts(assignment.target);
        sqlx::query(
            "INSERT INTO kisi_role_assignments (location_id, person_id, kisi_role_assignment_id, \
                 kisi_group_id, target_kind, target_id, valid_from, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (location_id, kisi_role_assignment_id) DO NOTHING",
        )
        .bind(location.0)
        .bind(assignment.person.0)
        .bind(assignment.kisi_id.0)
        .bind(assignment.group.0)
        .bind(kind)
        .bind(target_id)
        .bind(millis(assignment.window.from()))
        .bind(assignment.window.until().map(millis))
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets a role assignment Kisi confirmed removed (or reported already gone).
    pub async fn remove_assignment(
        &self,
        location: LocationId,
        id: KisiRoleAssignmentId,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM kisi_role_assignments \
             WHERE location_id = $1 AND kisi_role_assignment_id = $2",
        )
        .bind(location.0)
        .bind(id.0)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// M7: the group Doorlink owns for a single lock, if it made one.
    pub async fn lock_group(
        &self,
        location: LocationId,
        lock: KisiLockId,
    ) -> Result<Option<KisiGroupId>> {
        let group: Option<i64> = sqlx::query_scalar(
            "SELECT kisi_group_id FROM kisi_lock_groups WHERE location_id = $1 AND kisi_lock_id = $2",
        )
        .bind(location.0)
        .bind(lock.0)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(group.map(KisiGroupId))
    }

    /// M7: every per-lock group Doorlink owns at the location.
    pub async fn lock_groups(
        &self,
        location: LocationId,
    ) -> Result<BTreeMap<KisiLockId, KisiGroupId>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT kisi_lock_id, kisi_group_id FROM kisi_lock_groups WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(lock, group)| (KisiLockId(lock), KisiGroupId(group)))
            .collect())
    }

    /// M7: records the group Kisi created for a single lock.
    pub async fn save_lock_group(
        &self,
        location: LocationId,
        lock: KisiLockId,
        group: KisiGroupId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_lock_groups (location_id, kisi_lock_id, kisi_group_id, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (location_id, kisi_lock_id) DO UPDATE SET \
                 kisi_group_id = excluded.kisi_group_id, created_at = excluded.created_at",
        )
        .bind(location.0)
        .bind(lock.0)
        .bind(group.0)
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets a per-lock group (it was deleted in Kisi and will be made again).
    pub async fn remove_lock_group(&self, location: LocationId, lock: KisiLockId) -> Result<()> {
        sqlx::query("DELETE FROM kisi_lock_groups WHERE location_id = $1 AND kisi_lock_id = $2")
            .bind(location.0)
            .bind(lock.0)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Visitor access links Doorlink owns at the location, for one person or everybody.
    pub async fn links(
        &self,
        location: LocationId,
        person: Option<PersonId>,
    ) -> Result<Vec<MirrorLink>> {
        let rows: Vec<LinkRow> = sqlx::query_as(
            "SELECT kisi_group_link_id, visit_id, person_id, kisi_group_id, valid_from, valid_until \
             FROM kisi_group_links WHERE location_id = $1 AND ($2 IS NULL OR person_id = $2) \
             ORDER BY person_id, kisi_group_link_id",
        )
        .bind(location.0)
        .bind(person.map(|p| p.0))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(MirrorLink {
                    kisi_id: KisiGroupLinkId(row.kisi_group_link_id),
                    visit: row.visit_id.map(VisitId),
                    person: PersonId(row.person_id),
                    group: KisiGroupId(row.kisi_group_id),
                    window: window("kisi_group_links", row.valid_from, row.valid_until)?,
                })
            })
            .collect()
    }

    /// Records an access link Kisi confirmed; recording it twice is harmless.
    pub async fn add_link(&self, location: LocationId, link: &MirrorLink) -> Result<()> {
        sqlx::query(
            "INSERT INTO kisi_group_links (location_id, visit_id, person_id, kisi_group_link_id, \
                 kisi_group_id, valid_from, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (location_id, kisi_group_link_id) DO NOTHING",
        )
        .bind(location.0)
        .bind(link.visit.map(|v| v.0))
        .bind(link.person.0)
        .bind(link.kisi_id.0)
        .bind(link.group.0)
        .bind(millis(link.window.from()))
        .bind(link.window.until().map(millis))
        .bind(millis(self.store.now()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Forgets an access link Kisi confirmed removed (or reported already gone).
    pub async fn remove_link(&self, location: LocationId, id: KisiGroupLinkId) -> Result<()> {
        sqlx::query(
            "DELETE FROM kisi_group_links WHERE location_id = $1 AND kisi_group_link_id = $2",
        )
        .bind(location.0)
        .bind(id.0)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }
}
