//! Locations: zone, booking grace (R6), Access-page visibility (A3) and place filter (A2); their
//! Kisi connection (C1–C3) is in `connection.rs`.

mod connection;

use doorlink_core::{AccessPageVisibility, BookingGrace, KisiPlaceId, Location, LocationId};
use sqlx::{AnyConnection, FromRow};

use crate::codec::{TextEnum, millis};
use crate::db::Store;
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::outbox::{OutboxScope, Priority, enqueue_in};

pub use connection::{KisiAuth, KisiConnection};

/// A location to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLocation {
    pub name: String,
    /// An IANA zone name, e.g. "Europe/Berlin".
    pub time_zone: String,
    pub booking_grace: BookingGrace,
    pub access_page_visibility: AccessPageVisibility,
}

impl NewLocation {
    /// A location with the defaults of [`Location::new`] (30 min grace, members-only page).
    pub fn new(name: impl Into<String>, time_zone: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            time_zone: time_zone.into(),
            booking_grace: BookingGrace::DEFAULT,
            access_page_visibility: AccessPageVisibility::default(),
        }
    }
}

#[derive(FromRow)]
struct LocationRow {
    id: i64,
    name: String,
    time_zone: String,
    booking_grace_minutes: i64,
    access_page_visibility: String,
    kisi_place_id: Option<i64>,
}

impl TryFrom<LocationRow> for Location {
    type Error = StoreError;

    fn try_from(row: LocationRow) -> Result<Self> {
        Ok(Location::new(LocationId(row.id), row.name, &row.time_zone)?
            .with_booking_grace(BookingGrace::from_minutes(row.booking_grace_minutes)?)
            .with_visibility(AccessPageVisibility::from_text(
                &row.access_page_visibility,
            )?)
            .with_kisi_place(row.kisi_place_id.map(KisiPlaceId)))
    }
}

const LOCATION_COLUMNS: &str =
    "id, name, time_zone, booking_grace_minutes, access_page_visibility, kisi_place_id";

/// The locations repository.
#[derive(Debug, Clone, Copy)]
pub struct Locations<'s> {
    store: &'s Store,
}

impl Store {
    pub fn locations(&self) -> Locations<'_> {
        Locations { store: self }
    }
}

/// Fails with [`StoreError::NotFound`] unless the location exists.
pub(crate) async fn require_location(conn: &mut AnyConnection, location: LocationId) -> Result<()> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM locations WHERE id = $1")
        .bind(location.0)
        .fetch_optional(conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found("location", location.0))
}

pub(crate) async fn load_location(conn: &mut AnyConnection, id: LocationId) -> Result<Location> {
    let sql = format!("SELECT {LOCATION_COLUMNS} FROM locations WHERE id = $1");
    let row: Option<LocationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| StoreError::not_found("location", id.0))?
        .try_into()
}

fn name_taken(name: &str) -> String {
    format!("the name {name:?} is already used by another location")
}

impl Locations<'_> {
    pub async fn create(&self, new: &NewLocation) -> Result<Location> {
        StoreError::require_text("name", &new.name)?;
        // Core validates the zone name before anything is written.
        let valid = Location::new(LocationId(0), new.name.trim(), &new.time_zone)?;
        let now = millis(self.store.now());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO locations (name, time_zone, booking_grace_minutes, \
                                    access_page_visibility, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&valid.name)
        .bind(valid.time_zone.name())
        .bind(i64::from(new.booking_grace))
        .bind(new.access_page_visibility.as_text())
        .bind(now)
        .fetch_one(self.store.pool())
        .await
        .map_err(on_constraint(
            "location",
            &name_taken(&valid.name),
            MISSING_REFERENCE,
        ))?;
        Ok(Location {
            id: LocationId(id),
            booking_grace: new.booking_grace,
            access_page_visibility: new.access_page_visibility,
            ..valid
        })
    }

    pub async fn get(&self, id: LocationId) -> Result<Location> {
        let mut conn = self.store.pool().acquire().await?;
        load_location(&mut conn, id).await
    }

    pub async fn list(&self) -> Result<Vec<Location>> {
        let sql = format!("SELECT {LOCATION_COLUMNS} FROM locations ORDER BY name");
        let rows: Vec<LocationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(Location::try_from).collect()
    }

    /// Saves the location's name, zone, grace, Access-page visibility and place (A2, A3, R6) and
    /// asks sync to re-evaluate the whole location: zone and grace move every window.
    pub async fn update(&self, location: &Location) -> Result<Location> {
        StoreError::require_text("name", &location.name)?;
        let mut tx = self.store.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE locations SET name = $1, time_zone = $2, booking_grace_minutes = $3, \
                                  access_page_visibility = $4, kisi_place_id = $5, updated_at = $6 \
             WHERE id = $7",
        )
        .bind(location.name.trim())
        .bind(location.time_zone.name())
        .bind(i64::from(location.booking_grace))
        .bind(location.access_page_visibility.as_text())
        .bind(location.kisi_place.map(|p| p.0))
        .bind(millis(self.store.now()))
        .bind(location.id.0)
        .execute(&mut *tx)
        .await
        .map_err(on_constraint(
            "location",
            &name_taken(&location.name),
            MISSING_REFERENCE,
        ))?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::not_found("location", location.id.0));
        }
        enqueue_in(
            &mut tx,
            self.store.now(),
            OutboxScope::Location(location.id),
            Priority::Bulk,
            "location settings changed",
        )
        .await?;
        let saved = load_location(&mut tx, location.id).await?;
        tx.commit().await?;
        Ok(saved)
    }
}
