//! One writer per location (issue 12): the lease on a location's Kisi writes, and its fence.
//!
//! A holder [`Leases::acquire`]s the location's row with a compare-and-set UPDATE (the row is
//! free, already its own, or expired), [`Leases::renew`]s it while working and before each Kisi
//! call, and [`Leases::release`]s it when done; a holder that died simply lets it expire.
//! [`Leases::fence`] (C3's disconnect) bumps the generation, so a holder that took the lease
//! before can no longer renew it and makes no further Kisi call. Plain SQL and compare-and-set
//! only: several hub processes on one PostgreSQL database share the same rows as they are.

use std::time::Duration;

use chrono::{DateTime, Utc};
use doorlink_core::LocationId;

use crate::codec::{millis, opt_instant};
use crate::db::Store;
use crate::error::Result;

/// A lease held: the owner token and the fence generation it was taken at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationLease {
    pub location: LocationId,
    pub owner: String,
    pub generation: i64,
}

/// Who holds a location's lease, as the database says now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    pub owner: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub generation: i64,
}

/// The lease repository.
#[derive(Debug, Clone, Copy)]
pub struct Leases<'s> {
    store: &'s Store,
}

impl Store {
    pub fn leases(&self) -> Leases<'_> {
        Leases { store: self }
    }
}

fn until(now: DateTime<Utc>, lease: Duration) -> i64 {
    millis(now).saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX))
}

impl Leases<'_> {
    async fn ensure_row(&self, location: LocationId) -> Result<()> {
        sqlx::query(
            "INSERT INTO location_leases (location_id) VALUES ($1) \
             ON CONFLICT (location_id) DO NOTHING",
        )
        .bind(location.0)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Takes the location's lease for `owner` if it is free, already `owner`'s, or expired;
    /// `None` while somebody else holds it.
    pub async fn acquire(
        &self,
        location: LocationId,
        owner: &str,
        lease: Duration,
    ) -> Result<Option<LocationLease>> {
        self.ensure_row(location).await?;
        let now = self.store.now();
        let generation: Option<i64> = sqlx::query_scalar(
            "UPDATE location_leases SET owner = $1, expires_at = $2 \
             WHERE location_id = $3 AND (owner IS NULL OR owner = $1 OR expires_at <= $4) \
             RETURNING generation",
        )
        .bind(owner)
        .bind(until(now, lease))
        .bind(location.0)
        .bind(millis(now))
        .fetch_optional(self.store.pool())
        .await?;
        Ok(generation.map(|generation| LocationLease {
            location,
            owner: owner.to_owned(),
            generation,
        }))
    }

    /// Extends a lease still held at its generation; `false` when it was taken over or fenced.
    pub async fn renew(&self, held: &LocationLease, lease: Duration) -> Result<bool> {
        let renewed = sqlx::query(
            "UPDATE location_leases SET expires_at = $1 \
             WHERE location_id = $2 AND owner = $3 AND generation = $4",
        )
        .bind(until(self.store.now(), lease))
        .bind(held.location.0)
        .bind(&held.owner)
        .bind(held.generation)
        .execute(self.store.pool())
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the lease back (a no-op when it was taken over meanwhile).
    pub async fn release(&self, held: &LocationLease) -> Result<()> {
        sqlx::query(
            "UPDATE location_leases SET owner = NULL, expires_at = 0 \
             WHERE location_id = $1 AND owner = $2",
        )
        .bind(held.location.0)
        .bind(&held.owner)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// C3: moves the location's fence on; whoever holds the lease now cannot renew it and stops
    /// before its next Kisi call. Returns the new generation.
    pub async fn fence(&self, location: LocationId) -> Result<i64> {
        self.ensure_row(location).await?;
        let generation: i64 = sqlx::query_scalar(
            "UPDATE location_leases SET generation = generation + 1 WHERE location_id = $1 \
             RETURNING generation",
        )
        .bind(location.0)
        .fetch_one(self.store.pool())
        .await?;
        Ok(generation)
    }

    /// Who holds the lease now (`owner: None` when free).
    pub async fn holder(&self, location: LocationId) -> Result<LeaseHolder> {
        let row: Option<(Option<String>, i64, i64)> = sqlx::query_as(
            "SELECT owner, expires_at, generation FROM location_leases WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_optional(self.store.pool())
        .await?;
        let Some((owner, expires_at, generation)) = row else {
            return Ok(LeaseHolder {
                owner: None,
                expires_at: None,
                generation: 0,
            });
        };
        let expires_at = opt_instant(
            "location_leases",
            "expires_at",
            owner.as_ref().map(|_| expires_at),
        )?;
        Ok(LeaseHolder {
            owner,
            expires_at,
            generation,
        })
    }

    /// Whether a holder is live now (owner set and not expired by the store's clock).
    pub async fn is_held(&self, location: LocationId) -> Result<bool> {
        let holder = self.holder(location).await?;
        Ok(holder.owner.is_some() && holder.expires_at.is_some_and(|at| at > self.store.now()))
    }
}
