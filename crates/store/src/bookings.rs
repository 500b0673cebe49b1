//! Bookings of resources with their invitees (R6–R8). Every write enqueues a re-evaluation of the
//! booker and every invitee, old and new, in the same transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use doorlink_core::{Booking, BookingId, LocationId, PersonId, ResourceId};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{instant, millis, opt_instant, opt_millis};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::outbox::{Priority, enqueue_people_in};
use crate::people::require_person;

/// A booking to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub resource: ResourceId,
    pub booker: PersonId,
    /// R7: they get the booker's access for the same window.
    pub invitees: BTreeSet<PersonId>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Which bookings to list; every field narrows, `Default` lists all, cancelled ones included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookingFilter {
    pub resource: Option<ResourceId>,
    /// As booker or invitee.
    pub person: Option<PersonId>,
    /// Bookings whose `[start, end)` overlaps `[from, until)`: ending after `from`…
    pub from: Option<DateTime<Utc>>,
    /// …and starting before `until`.
    pub until: Option<DateTime<Utc>>,
}

/// One page of bookings, each with its location, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingPage {
    pub bookings: Vec<(LocationId, Booking)>,
    pub total: u32,
}

#[derive(FromRow)]
pub(crate) struct BookingRow {
    pub(crate) id: i64,
    location_id: i64,
    resource_id: i64,
    booker_id: i64,
    start_at: i64,
    end_at: i64,
    cancelled_at: Option<i64>,
}

pub(crate) const BOOKING_COLUMNS: &str =
    "id, location_id, resource_id, booker_id, start_at, end_at, cancelled_at";

impl BookingRow {
    /// The booking with the given invitees; validated by core.
    pub(crate) fn into_booking(
        self,
        invitees: impl IntoIterator<Item = PersonId>,
    ) -> Result<Booking> {
        let booking = Booking {
            id: BookingId(self.id),
            resource: ResourceId(self.resource_id),
            booker: PersonId(self.booker_id),
            invitees: invitees.into_iter().collect(),
            start: instant("bookings", "start_at", self.start_at)?,
            end: instant("bookings", "end_at", self.end_at)?,
            cancelled_at: opt_instant("bookings", "cancelled_at", self.cancelled_at)?,
        };
        booking.validate()?;
        Ok(booking)
    }
}

/// The bookings repository.
#[derive(Debug, Clone, Copy)]
pub struct Bookings<'s> {
    store: &'s Store,
}

impl Store {
    pub fn bookings(&self) -> Bookings<'_> {
        Bookings { store: self }
    }
}

async fn invitees_of(conn: &mut AnyConnection, booking: i64) -> Result<Vec<PersonId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT person_id FROM booking_invitees WHERE booking_id = $1 ORDER BY person_id",
    )
    .bind(booking)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(PersonId).collect())
}

async fn load_booking(conn: &mut AnyConnection, id: BookingId) -> Result<(LocationId, Booking)> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    let row: Option<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let row = row.ok_or_else(|| StoreError::not_found("booking", id.0))?;
    let location = LocationId(row.location_id);
    let invitees = invitees_of(conn, id.0).await?;
    Ok((location, row.into_booking(invitees)?))
}

async fn load_many(conn: &mut AnyConnection, rows: Vec<BookingRow>) -> Result<Vec<Booking>> {
    let mut bookings = Vec::with_capacity(rows.len());
    for row in rows {
        let invitees = invitees_of(&mut *conn, row.id).await?;
        bookings.push(row.into_booking(invitees)?);
    }
    Ok(bookings)
}

async fn insert_invitees(
    conn: &mut AnyConnection,
    booking: BookingId,
    invitees: &BTreeSet<PersonId>,
) -> Result<()> {
    for &person in invitees {
        require_person(&mut *conn, person).await?;
        sqlx::query("INSERT INTO booking_invitees (booking_id, person_id) VALUES ($1, $2)")
            .bind(booking.0)
            .bind(person.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The booker and every invitee: whose access a change of the booking moves.
/// A resource is booked by one booking at a time: a live booking overlapping `[start, end)` (other
/// than `moving`) is a conflict. Checked inside the write transaction, so two requests racing for
/// one slot cannot both win.
async fn refuse_double_booking(
    tx: &mut AnyConnection,
    resource: ResourceId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    moving: Option<BookingId>,
) -> Result<()> {
    let taken: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, start_at, end_at FROM bookings \
         WHERE resource_id = $1 AND cancelled_at IS NULL AND start_at < $3 AND end_at > $2 \
               AND id <> $4 \
         ORDER BY start_at LIMIT 1",
    )
    .bind(resource.0)
    .bind(millis(start))
    .bind(millis(end))
    .bind(moving.map_or(0, |id| id.0))
    .fetch_optional(&mut *tx)
    .await?;
    match taken {
        None => Ok(()),
        Some((other, from, until)) => Err(StoreError::conflict(
            "booking",
            format!(
                "resource {resource} is already booked from {} to {} (booking {other}); pick another time or resource",
                instant("bookings", "start_at", from)?.to_rfc3339(),
                instant("bookings", "end_at", until)?.to_rfc3339(),
            ),
        )),
    }
}

fn everyone(booking: &Booking) -> BTreeSet<PersonId> {
    let mut people = booking.invitees.clone();
    people.insert(booking.booker);
    people
}

impl Bookings<'_> {
    /// Books a resource (R6) for a booker and invitees (R7).
    pub async fn create(&self, new: &NewBooking) -> Result<Booking> {
        let valid = Booking::new(BookingId(0), new.resource, new.booker, new.start, new.end)?
            .with_invitees(new.invitees.iter().copied());
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let location: Option<i64> =
            sqlx::query_scalar("SELECT location_id FROM resources WHERE id = $1")
                .bind(new.resource.0)
                .fetch_optional(&mut *tx)
                .await?;
        let location =
            LocationId(location.ok_or_else(|| StoreError::not_found("resource", new.resource.0))?);
        require_person(&mut tx, new.booker).await?;
        refuse_double_booking(&mut tx, new.resource, new.start, new.end, None).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bookings (location_id, resource_id, booker_id, start_at, end_at, \
                                   created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(location.0)
        .bind(new.resource.0)
        .bind(new.booker.0)
        .bind(millis(new.start))
        .bind(millis(new.end))
        .bind(millis(now))
        .fetch_one(&mut *tx)
        .await?;
        let booking = Booking {
            id: BookingId(id),
            ..valid
        };
        insert_invitees(&mut tx, booking.id, &booking.invitees).await?;
        let reason = format!("booking {id} created");
        let priority = priority_from(&mut tx, now, location, booking.start).await?;
        enqueue_people_in(
            &mut tx,
            now,
            location,
            everyone(&booking),
            priority,
            &reason,
        )
        .await?;
        tx.commit().await?;
        Ok(booking)
    }

    /// The booking and its location.
    pub async fn get(&self, id: BookingId) -> Result<(LocationId, Booking)> {
        let mut conn = self.store.pool().acquire().await?;
        load_booking(&mut conn, id).await
    }

    /// Bookings of a resource that overlap `[from, until)`, cancelled ones included, by start.
    pub async fn of_resource(
        &self,
        resource: ResourceId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings \
             WHERE resource_id = $1 AND start_at < $3 AND end_at > $2 ORDER BY start_at, id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(resource.0)
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(&mut *conn)
            .await?;
        load_many(&mut conn, rows).await
    }

    /// Bookings the person made or is invited to, by start.
    pub async fn of_person(&self, person: PersonId) -> Result<Vec<Booking>> {
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings WHERE booker_id = $1 \
                 OR id IN (SELECT booking_id FROM booking_invitees WHERE person_id = $1) \
             ORDER BY start_at, id"
        );
        let mut conn = self.store.pool().acquire().await?;
        let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(person.0)
            .fetch_all(&mut *conn)
            .await?;
        load_many(&mut conn, rows).await
    }

    /// The bookings `filter` keeps, by start, `limit` of them from `offset`.
    pub async fn page(
        &self,
        filter: &BookingFilter,
        offset: u32,
        limit: u32,
    ) -> Result<BookingPage> {
        const MATCHES: &str = "($1 IS NULL OR resource_id = $1) \
             AND ($2 IS NULL OR booker_id = $2 \
                  OR id IN (SELECT booking_id FROM booking_invitees WHERE person_id = $2)) \
             AND ($3 IS NULL OR end_at > $3) \
             AND ($4 IS NULL OR start_at < $4)";
        let mut conn = self.store.pool().acquire().await?;
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM bookings WHERE {MATCHES}"
        )))
        .bind(filter.resource.map(|r| r.0))
        .bind(filter.person.map(|p| p.0))
        .bind(opt_millis(filter.from))
        .bind(opt_millis(filter.until))
        .fetch_one(&mut *conn)
        .await?;
        let rows: Vec<BookingRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings WHERE {MATCHES} \
             ORDER BY start_at, id LIMIT $5 OFFSET $6"
        )))
        .bind(filter.resource.map(|r| r.0))
        .bind(filter.person.map(|p| p.0))
        .bind(opt_millis(filter.from))
        .bind(opt_millis(filter.until))
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&mut *conn)
        .await?;
        let mut bookings = Vec::with_capacity(rows.len());
        for row in rows {
            let location = LocationId(row.location_id);
            let invitees = invitees_of(&mut conn, row.id).await?;
            bookings.push((location, row.into_booking(invitees)?));
        }
        Ok(BookingPage {
            bookings,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    /// R8: moves, shortens or extends a booking; its window follows.
    pub async fn reschedule(
        &self,
        id: BookingId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Booking> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let (location, booking) = load_booking(&mut tx, id).await?;
        refuse_if_cancelled(&booking)?;
        let moved = Booking {
            start,
            end,
            ..booking.clone()
        };
        moved.validate()?;
        refuse_double_booking(&mut tx, moved.resource, start, end, Some(id)).await?;
        sqlx::query(
            "UPDATE bookings SET start_at = $1, end_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(millis(start))
        .bind(millis(end))
        .bind(millis(now))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let reason = format!("booking {id} moved");
        let from = booking.start.min(start);
        let priority = priority_from(&mut tx, now, location, from).await?;
        enqueue_people_in(&mut tx, now, location, everyone(&moved), priority, &reason).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// R7, R8: replaces the invitees; people removed lose the booking's access, people added gain
    /// it. Both are re-evaluated.
    pub async fn set_invitees(
        &self,
        id: BookingId,
        invitees: &BTreeSet<PersonId>,
    ) -> Result<Booking> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let (location, booking) = load_booking(&mut tx, id).await?;
        refuse_if_cancelled(&booking)?;
        sqlx::query("DELETE FROM booking_invitees WHERE booking_id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_invitees(&mut tx, id, invitees).await?;
        sqlx::query("UPDATE bookings SET updated_at = $1 WHERE id = $2")
            .bind(millis(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let mut affected = everyone(&booking);
        affected.extend(invitees.iter().copied());
        let reason = format!("invitees of booking {id} changed");
        let priority = priority_from(&mut tx, now, location, booking.start).await?;
        enqueue_people_in(&mut tx, now, location, affected, priority, &reason).await?;
        tx.commit().await?;
        Ok(Booking {
            invitees: invitees.clone(),
            ..booking
        })
    }

    /// R8: cancels the booking, revoking its access from `at` (or now, when `at` is `None` or in
    /// the past). Cancelling a cancelled booking keeps the first cancellation.
    pub async fn cancel(&self, id: BookingId, at: Option<DateTime<Utc>>) -> Result<Booking> {
        let now = self.store.now();
        let at = at.map_or(now, |at| at.max(now));
        let mut tx = self.store.begin_write().await?;
        let (location, booking) = load_booking(&mut tx, id).await?;
        if booking.cancelled_at.is_some() {
            return Ok(booking);
        }
        sqlx::query("UPDATE bookings SET cancelled_at = $1, updated_at = $2 WHERE id = $3")
            .bind(opt_millis(Some(at)))
            .bind(millis(now))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let revoked_from = at.max(booking.start);
        let cancelled = booking.cancelled(at);
        let reason = format!("booking {id} cancelled");
        let priority = priority_from(&mut tx, now, location, revoked_from).await?;
        let people = everyone(&cancelled);
        enqueue_people_in(&mut tx, now, location, people, priority, &reason).await?;
        tx.commit().await?;
        Ok(cancelled)
    }
}

/// Issue 12: a booking's access opens the location's grace before it starts (R7), so a change
/// from `from` on is urgent when that opening is within the next hour.
async fn priority_from(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
    location: LocationId,
    from: DateTime<Utc>,
) -> Result<Priority> {
    let grace: Option<i64> =
        sqlx::query_scalar("SELECT booking_grace_minutes FROM locations WHERE id = $1")
            .bind(location.0)
            .fetch_optional(conn)
            .await?;
    let grace = chrono::TimeDelta::minutes(grace.unwrap_or(0).max(0));
    Ok(Priority::for_access_from(from - grace, now))
}

fn refuse_if_cancelled(booking: &Booking) -> Result<()> {
    if booking.cancelled_at.is_some() {
        return Err(StoreError::conflict(
            "booking",
            format!(
                "booking {} is cancelled; book again instead of changing it",
                booking.id
            ),
        ));
    }
    Ok(())
}
