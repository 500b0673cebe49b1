//! Outcome webhooks (issue 15): the admins' endpoints, the outcome events Doorlink keeps, and each
//! event's delivery to each endpoint.
//!
//! An event is kept in the same write as what caused it ([`record_outcome`]) with the body every
//! endpoint receives, and one pending delivery per enabled endpoint that asked for its type. Its id
//! (the idempotency key receivers see) is derived from what happened, so recording the same
//! outcome twice — a run that died after Kisi confirmed runs again — keeps it once. Deliveries are
//! claimed with a lease ([`Outcomes::claim_due`]), so several hubs on one database send each
//! attempt once; the hub's sender settles each claim as delivered, to retry, or given up.

use std::time::Duration;

use chrono::{DateTime, Utc};
use doorlink_core::LocationId;
use doorlink_core::outcome::{Outcome, OutcomeEvent};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::codec::{instant, millis, opt_instant};
use crate::db::Store;
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::secrets::{SecretId, SecretValue, drop_secret, get_secret, put_secret};

const SECRET_PURPOSE: &str = "outcome_endpoint_secret";

/// An endpoint's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutcomeEndpointId(pub i64);

/// A delivery's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutcomeDeliveryId(pub i64);

/// What an admin registers (checked at the edge: URL, sizes, known types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcomeEndpoint {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    /// Only this location's events; `None`: every location's.
    pub location: Option<LocationId>,
    pub enabled: bool,
}

/// An endpoint with how its deliveries stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeEndpoint {
    pub id: OutcomeEndpointId,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub location: Option<LocationId>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub pending: u64,
    pub failed: u64,
    pub last_delivered_at: Option<DateTime<Utc>>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    Delivered,
    /// Given up on after every attempt failed ("send again" queues it anew).
    Failed,
}

impl DeliveryStatus {
    pub fn as_text(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads a status as spelt by [`DeliveryStatus::as_text`].
    pub fn from_text(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "delivered" => Some(Self::Delivered),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeDelivery {
    pub id: OutcomeDeliveryId,
    pub endpoint: OutcomeEndpointId,
    /// The event's id, its idempotency key.
    pub event_id: String,
    pub event_type: String,
    pub location: LocationId,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub body: String,
}

/// A delivery claimed for one attempt, with what the sender needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: OutcomeDeliveryId,
    pub url: String,
    pub secret: SecretValue,
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// How an attempt went, as the sender tells [`Outcomes::settle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The endpoint answered 2xx.
    Delivered { status: u16 },
    /// It did not: try again at `retry_at`, or give up (`None`).
    Failed {
        status: Option<u16>,
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// The idempotency key of the outcome `key` names: the same outcome recorded twice has one id
/// (the first 16 bytes of its SHA-256, written as a UUID).
fn event_id(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Uuid::from_bytes(bytes).to_string()
}

/// Keeps `outcome` at `location` on `conn` (inside the caller's write transaction), once per
/// `key`, with a pending delivery to every enabled endpoint that asked for its type (nothing
/// when none did). `key` names
/// what happened ("grant.applied 3 role_assignment 8812"), never when it was noticed.
pub(crate) async fn record_outcome(
    conn: &mut AnyConnection,
    location: LocationId,
    key: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<()> {
    let kind = outcome.kind();
    let wanting = endpoints_wanting(conn, location, kind).await?;
    // Nobody listens for it: nothing to keep (the door event, the receipt stay where they are).
    if wanting.is_empty() {
        return Ok(());
    }
    let inserted = keep_event(conn, location, key, outcome, now).await?;
    let Some(id) = inserted else {
        return Ok(());
    };
    for endpoint in wanting {
        enqueue_delivery(conn, endpoint, id, now).await?;
    }
    Ok(())
}

/// Keeps the event `key` names with its body as endpoints receive it; `None` when it was kept
/// before (the same outcome recorded again).
async fn keep_event(
    conn: &mut AnyConnection,
    location: LocationId,
    key: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let event = OutcomeEvent {
        id: event_id(key),
        created_at: now,
        location_id: location.0,
        outcome,
    };
    let body = serde_json::to_string(&event)
        .map_err(|e| StoreError::corrupt("outcome_events", "body", &e.to_string()))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO outcome_events (event_id, event_type, location_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING RETURNING id",
    )
    .bind(&event.id)
    .bind(event.outcome.kind())
    .bind(location.0)
    .bind(&body)
    .bind(millis(now))
    .fetch_optional(conn)
    .await?)
}

/// The enabled endpoints that asked for `kind` at `location`.
pub(crate) async fn endpoints_wanting(
    conn: &mut AnyConnection,
    location: LocationId,
    kind: &str,
) -> Result<Vec<i64>> {
    let endpoints: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, events FROM outcome_endpoints \
         WHERE state = 'enabled' AND (location_id IS NULL OR location_id = $1)",
    )
    .bind(location.0)
    .fetch_all(conn)
    .await?;
    Ok(endpoints
        .into_iter()
        .filter(|(_, events)| events.split(',').any(|e| e == kind))
        .map(|(id, _)| id)
        .collect())
}

async fn enqueue_delivery(
    conn: &mut AnyConnection,
    endpoint: i64,
    event: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outcome_deliveries (endpoint_id, event_id, status, next_attempt_at, created_at) \
         VALUES ($1, $2, 'pending', $3, $3) RETURNING id",
    )
    .bind(endpoint)
    .bind(event)
    .bind(millis(now))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The outcome webhooks of a store.
#[derive(Debug, Clone, Copy)]
pub struct Outcomes<'s> {
    store: &'s Store,
}

impl Store {
    pub fn outcomes(&self) -> Outcomes<'_> {
        Outcomes { store: self }
    }
}

type EndpointRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    String,
    i64,
    i64,
    i64,
    Option<i64>,
);

const ENDPOINT_COLUMNS: &str = "e.id, e.url, e.description, e.events, e.location_id, e.state, \
     e.created_at, \
     (SELECT COUNT(*) FROM outcome_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'), \
     (SELECT COUNT(*) FROM outcome_deliveries d WHERE d.endpoint_id = e.id AND d.status = 'failed'), \
     (SELECT MAX(d.delivered_at) FROM outcome_deliveries d WHERE d.endpoint_id = e.id)";

fn endpoint(row: EndpointRow) -> Result<OutcomeEndpoint> {
    let (id, url, description, events, location, state, created_at, pending, failed, last) = row;
    Ok(OutcomeEndpoint {
        id: OutcomeEndpointId(id),
        url,
        description,
        events: events.split(',').map(str::to_owned).collect(),
        location: location.map(LocationId),
        enabled: match state.as_str() {
            "enabled" => true,
            "paused" => false,
            other => return Err(StoreError::corrupt("outcome_endpoints", "state", other)),
        },
        created_at: instant("outcome_endpoints", "created_at", created_at)?,
        pending: u64::try_from(pending).unwrap_or(0),
        failed: u64::try_from(failed).unwrap_or(0),
        last_delivered_at: opt_instant("outcome_deliveries", "delivered_at", last)?,
    })
}

type DeliveryRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
    Option<i64>,
    String,
);

const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, v.event_id, v.event_type, v.location_id, \
     d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, d.created_at, \
     d.delivered_at, v.body";

fn delivery(row: DeliveryRow) -> Result<OutcomeDelivery> {
    let (
        id,
        endpoint,
        event_id,
        event_type,
        location,
        status,
        attempts,
        code,
        error,
        next,
        created,
        delivered,
        body,
    ) = row;
    Ok(OutcomeDelivery {
        id: OutcomeDeliveryId(id),
        endpoint: OutcomeEndpointId(endpoint),
        event_id,
        event_type,
        location: LocationId(location),
        status: DeliveryStatus::from_text(&status)
            .ok_or_else(|| StoreError::corrupt("outcome_deliveries", "status", &status))?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        last_status_code: code.and_then(|c| u16::try_from(c).ok()),
        last_error: error,
        next_attempt_at: opt_instant("outcome_deliveries", "next_attempt_at", next)?,
        created_at: instant("outcome_deliveries", "created_at", created)?,
        delivered_at: opt_instant("outcome_deliveries", "delivered_at", delivered)?,
        body,
    })
}

fn state(enabled: bool) -> &'static str {
    if enabled { "enabled" } else { "paused" }
}

impl Outcomes<'_> {
    /// Registers an endpoint with `secret` (shown once to the admin).
    pub async fn create_endpoint(
        &self,
        new: &NewOutcomeEndpoint,
        secret: &SecretValue,
    ) -> Result<OutcomeEndpoint> {
        let mut tx = self.store.begin_write().await?;
        let secret_id = put_secret(self.store, &mut tx, SECRET_PURPOSE, secret).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outcome_endpoints (url, description, events, location_id, state, \
             secret_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&new.url)
        .bind(&new.description)
        .bind(new.events.join(","))
        .bind(new.location.map(|l| l.0))
        .bind(state(new.enabled))
        .bind(secret_id.0)
        .bind(millis(self.store.now()))
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "outcome endpoint",
            "already exists",
            MISSING_REFERENCE,
        ))?;
        tx.commit().await?;
        self.endpoint(OutcomeEndpointId(id))
            .await?
            .ok_or_else(|| StoreError::not_found("outcome endpoint", id))
    }

    /// Changes an endpoint; deliveries already queued keep going. `None` when there is none.
    pub async fn update_endpoint(
        &self,
        id: OutcomeEndpointId,
        new: &NewOutcomeEndpoint,
    ) -> Result<Option<OutcomeEndpoint>> {
        let mut tx = self.store.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE outcome_endpoints SET url = $2, description = $3, events = $4, \
             location_id = $5, state = $6 WHERE id = $1",
        )
        .bind(id.0)
        .bind(&new.url)
        .bind(&new.description)
        .bind(new.events.join(","))
        .bind(new.location.map(|l| l.0))
        .bind(state(new.enabled))
        .execute(&mut *tx)
        .await
        .map_err(on_constraint(
            "outcome endpoint",
            "already exists",
            MISSING_REFERENCE,
        ))?;
        tx.commit().await?;
        if updated.rows_affected() == 0 {
            return Ok(None);
        }
        self.endpoint(id).await
    }

    /// Replaces an endpoint's secret: deliveries from now on are signed with the new one. `false`
    /// when there is no such endpoint.
    pub async fn replace_secret(
        &self,
        id: OutcomeEndpointId,
        secret: &SecretValue,
    ) -> Result<bool> {
        let mut tx = self.store.begin_write().await?;
        let old: Option<i64> =
            sqlx::query_scalar("SELECT secret_id FROM outcome_endpoints WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(old) = old else {
            return Ok(false);
        };
        let new = put_secret(self.store, &mut tx, SECRET_PURPOSE, secret).await?;
        sqlx::query("UPDATE outcome_endpoints SET secret_id = $2 WHERE id = $1")
            .bind(id.0)
            .bind(new.0)
            .execute(&mut *tx)
            .await?;
        drop_secret(&mut tx, SecretId(old)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Removes an endpoint, its secret and its deliveries. `false` when there was none.
    pub async fn remove_endpoint(&self, id: OutcomeEndpointId) -> Result<bool> {
        let mut tx = self.store.begin_write().await?;
        let secret: Option<i64> =
            sqlx::query_scalar("DELETE FROM outcome_endpoints WHERE id = $1 RETURNING secret_id")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(secret) = secret else {
            return Ok(false);
        };
        drop_secret(&mut tx, SecretId(secret)).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn endpoints(&self) -> Result<Vec<OutcomeEndpoint>> {
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM outcome_endpoints e ORDER BY e.id");
        let rows: Vec<EndpointRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(endpoint).collect()
    }

    pub async fn endpoint(&self, id: OutcomeEndpointId) -> Result<Option<OutcomeEndpoint>> {
        let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM outcome_endpoints e WHERE e.id = $1");
        let row: Option<EndpointRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(self.store.pool())
            .await?;
        row.map(endpoint).transpose()
    }

    /// Keeps `outcome` at `location` in its own write (see [`record_outcome`]).
    pub async fn record(&self, location: LocationId, key: &str, outcome: Outcome) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        record_outcome(&mut tx, location, key, outcome, self.store.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues `outcome` (a test event) for one endpoint only, whatever types it asked for.
    pub async fn queue_for(
        &self,
        id: OutcomeEndpointId,
        location: LocationId,
        key: &str,
        outcome: Outcome,
    ) -> Result<Option<OutcomeDelivery>> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM outcome_endpoints WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let Some(event) = keep_event(&mut tx, location, key, outcome, now).await? else {
            return Err(StoreError::conflict(
                "outcome event",
                "already kept under this key",
            ));
        };
        let delivery = enqueue_delivery(&mut tx, id.0, event, now).await?;
        tx.commit().await?;
        self.delivery(OutcomeDeliveryId(delivery)).await
    }

    /// The deliveries of an endpoint, newest first; `before` continues after that delivery.
    pub async fn deliveries(
        &self,
        id: OutcomeEndpointId,
        status: Option<DeliveryStatus>,
        before: Option<OutcomeDeliveryId>,
        limit: u32,
    ) -> Result<Vec<OutcomeDelivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM outcome_deliveries d \
             JOIN outcome_events v ON v.id = d.event_id \
             WHERE d.endpoint_id = $1 AND ($2 IS NULL OR d.status = $2) \
               AND ($3 IS NULL OR d.id < $3) \
             ORDER BY d.id DESC LIMIT $4"
        );
        let rows: Vec<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .bind(status.map(DeliveryStatus::as_text))
            .bind(before.map(|b| b.0))
            .bind(i64::from(limit))
            .fetch_all(self.store.pool())
            .await?;
        rows.into_iter().map(delivery).collect()
    }

    pub async fn delivery(&self, id: OutcomeDeliveryId) -> Result<Option<OutcomeDelivery>> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM outcome_deliveries d \
             JOIN outcome_events v ON v.id = d.event_id WHERE d.id = $1"
        );
        let row: Option<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(self.store.pool())
            .await?;
        row.map(delivery).transpose()
    }

    /// "Send again": the delivery is pending at once, with the same event id. `None` when there
    /// is no such delivery.
    pub async fn send_again(&self, id: OutcomeDeliveryId) -> Result<Option<OutcomeDelivery>> {
        let mut tx = self.store.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE outcome_deliveries SET status = 'pending', next_attempt_at = $2, \
             claimed_until = NULL WHERE id = $1",
        )
        .bind(id.0)
        .bind(millis(self.store.now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if updated.rows_affected() == 0 {
            return Ok(None);
        }
        self.delivery(id).await
    }

    /// Claims up to `limit` due deliveries to enabled endpoints for one attempt each, oldest
    /// first; a sender that dies leaves its claims to run out after `lease`.
    pub async fn claim_due(&self, limit: u32, lease: Duration) -> Result<Vec<DueDelivery>> {
        let now = millis(self.store.now());
        let until = now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX));
        let mut due = Vec::new();
        // Another sender may take some candidates first: read again for what it left.
        let mut lost_any = true;
        while lost_any && due.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
            lost_any = false;
            let wanted = i64::from(limit) - i64::try_from(due.len()).unwrap_or(i64::MAX);
            let candidates: Vec<i64> = sqlx::query_scalar(
                "SELECT d.id FROM outcome_deliveries d \
                 JOIN outcome_endpoints e ON e.id = d.endpoint_id \
                 WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
                   AND (d.claimed_until IS NULL OR d.claimed_until <= $1) \
                   AND e.state = 'enabled' \
                 ORDER BY d.next_attempt_at, d.id LIMIT $2",
            )
            .bind(now)
            .bind(wanted)
            .fetch_all(self.store.pool())
            .await?;
            for id in candidates {
                match self.claim_one(id, now, until).await? {
                    Some(delivery) => due.push(delivery),
                    None => lost_any = true,
                }
            }
        }
        Ok(due)
    }

    /// Takes delivery `id` for one attempt if nobody took it since it was read (one attempt per
    /// claim, whichever hub), with what the sender needs.
    async fn claim_one(&self, id: i64, now: i64, until: i64) -> Result<Option<DueDelivery>> {
        let taken = sqlx::query(
            "UPDATE outcome_deliveries SET claimed_until = $2 WHERE id = $1 \
             AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= $3)",
        )
        .bind(id)
        .bind(until)
        .bind(now)
        .execute(self.store.pool())
        .await?;
        if taken.rows_affected() == 0 {
            return Ok(None);
        }
        let mut conn = self.store.pool().acquire().await?;
        let row: Option<(String, i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT e.url, e.secret_id, v.event_id, v.event_type, v.body, d.attempts \
             FROM outcome_deliveries d JOIN outcome_endpoints e ON e.id = d.endpoint_id \
             JOIN outcome_events v ON v.id = d.event_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        // Removed with its endpoint meanwhile: nothing to send.
        let Some((url, secret, event_id, event_type, body, attempts)) = row else {
            return Ok(None);
        };
        Ok(Some(DueDelivery {
            id: OutcomeDeliveryId(id),
            url,
            secret: get_secret(self.store, &mut conn, SecretId(secret)).await?,
            event_id,
            event_type,
            body,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        }))
    }

    /// Records how the attempt of a claimed delivery went and lets the claim go.
    pub async fn settle(&self, id: OutcomeDeliveryId, attempt: &Attempt) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        match attempt {
            Attempt::Delivered { status } => {
                sqlx::query(
                    "UPDATE outcome_deliveries SET status = 'delivered', attempts = attempts + 1, \
                     last_status_code = $2, last_error = NULL, next_attempt_at = NULL, \
                     claimed_until = NULL, delivered_at = $3 WHERE id = $1",
                )
                .bind(id.0)
                .bind(i64::from(*status))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            Attempt::Failed {
                status,
                error,
                retry_at,
            } => {
                sqlx::query(
                    "UPDATE outcome_deliveries SET status = $2, attempts = attempts + 1, \
                     last_status_code = $3, last_error = $4, next_attempt_at = $5, \
                     claimed_until = NULL WHERE id = $1",
                )
                .bind(id.0)
                .bind(if retry_at.is_some() {
                    "pending"
                } else {
                    "failed"
                })
                .bind(status.map(i64::from))
                .bind(error)
                .bind(retry_at.map(millis))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the events kept before `before` that wait for no delivery (each was delivered or
    /// given up on), with their delivery log; answers how many.
    pub async fn prune(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.store.begin_write().await?;
        let pruned = sqlx::query(
            "DELETE FROM outcome_events WHERE created_at < $1 AND NOT EXISTS ( \
                 SELECT 1 FROM outcome_deliveries d \
                 WHERE d.event_id = outcome_events.id AND d.status = 'pending')",
        )
        .bind(millis(before))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(pruned.rows_affected())
    }

    /// When the next pending delivery is due, to sleep until then.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(d.next_attempt_at) FROM outcome_deliveries d \
             JOIN outcome_endpoints e ON e.id = d.endpoint_id \
             WHERE d.status = 'pending' AND e.state = 'enabled'",
        )
        .fetch_one(self.store.pool())
        .await?;
        opt_instant("outcome_deliveries", "next_attempt_at", next)
    }
}

#[cfg(test)]
mod tests {
    use super::event_id;

    #[test]
    fn one_outcome_has_one_id_and_two_have_two() {
        assert_eq!(
            event_id("grant.applied 1 ra 7"),
            event_id("grant.applied 1 ra 7")
        );
        assert_ne!(
            event_id("grant.applied 1 ra 7"),
            event_id("grant.applied 1 ra 8")
        );
        assert_eq!(event_id("x").len(), 36);
    }
}
