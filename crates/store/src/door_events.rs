//! What happened at the doors (issue 15): Kisi's events, kept once per location and Kisi uuid
//! whichever way they came (a signed webhook, or the backfill reading Kisi's events list for the
//! gaps), and each location's webhook secret.
//!
//! An event is kept at a location only when it names one of that location's doors (a lock of its
//! Kisi directory) or places: one Kisi organization may serve several locations, and its webhook
//! integration sends every event of the organization to each of them. The actor is resolved to the
//! person Doorlink knows as that Kisi user (`kisi_users`) when it does; an unlock by anyone else
//! (a card Kisi issued by hand, an access link) is kept without a person.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use doorlink_core::outcome::{DoorOutcome, Outcome, PresenceOutcome};
use doorlink_core::{LocationId, Passage, PersonId, PresenceRules, who_is_in};
use sqlx::AnyConnection;
use sqlx::FromRow;

use crate::codec::{instant, millis, opt_instant};
use crate::db::Store;
use crate::error::{MISSING_REFERENCE, Result, StoreError, on_constraint};
use crate::outcomes::{endpoints_wanting, record_outcome};
use crate::secrets::{SecretId, SecretValue, drop_secret, get_secret, put_secret};

/// What the webhook secret is sealed for (bound into its encryption).
const WEBHOOK_SECRET_PURPOSE: &str = "kisi_webhook_secret";

/// Limits of what is kept of one event (Kisi's own values are far shorter; a longer one is cut).
pub const MAX_UUID_CHARS: usize = 64;
pub const MAX_KIND_CHARS: usize = 64;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_MESSAGE_CHARS: usize = 500;

/// The id of a kept event; ids grow with arrival, so they double as the paging cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DoorEventId(pub i64);

/// How an event reached Doorlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventSource {
    Webhook,
    Backfill,
}

impl EventSource {
    fn as_text(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Backfill => "backfill",
        }
    }

    fn from_text(text: &str) -> Result<Self> {
        match text {
            "webhook" => Ok(Self::Webhook),
            "backfill" => Ok(Self::Backfill),
            other => Err(StoreError::corrupt("door_events", "source", other)),
        }
    }
}

/// One event as Kisi told it, checked and cut to the limits above by the edge that read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDoorEvent {
    pub uuid: String,
    /// Kisi's type, e.g. `lock.unlock`.
    pub kind: String,
    /// Whether the door opened (Kisi's `success`).
    pub opened: bool,
    pub kisi_lock_id: Option<i64>,
    pub lock_name: String,
    pub kisi_place_id: Option<i64>,
    pub actor_type: String,
    pub kisi_actor_id: Option<i64>,
    pub actor_name: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

/// What [`DoorEvents::record`] did with a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Events kept now (new at this location).
    pub stored: usize,
    /// Events kept before (a second delivery, or one the backfill had found).
    pub duplicates: usize,
    /// Events about doors and places of no concern to this location.
    pub elsewhere: usize,
    /// The people the stored events are about, each once.
    pub people: Vec<PersonId>,
}

/// A kept event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoorEvent {
    pub id: DoorEventId,
    pub location: LocationId,
    pub uuid: String,
    pub kind: String,
    pub opened: bool,
    pub kisi_lock_id: Option<i64>,
    pub lock_name: String,
    pub kisi_place_id: Option<i64>,
    pub actor_type: String,
    pub kisi_actor_id: Option<i64>,
    pub actor_name: String,
    pub person: Option<PersonId>,
    /// The person's name now.
    pub person_name: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub source: EventSource,
}

#[derive(FromRow)]
struct DoorEventRow {
    id: i64,
    location_id: i64,
    kisi_uuid: String,
    kind: String,
    outcome: String,
    kisi_lock_id: Option<i64>,
    lock_name: String,
    kisi_place_id: Option<i64>,
    actor_type: String,
    kisi_actor_id: Option<i64>,
    actor_name: String,
    person_id: Option<i64>,
    person_name: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    occurred_at: i64,
    received_at: i64,
    source: String,
}

impl TryFrom<DoorEventRow> for DoorEvent {
    type Error = StoreError;

    fn try_from(row: DoorEventRow) -> Result<Self> {
        let opened = match row.outcome.as_str() {
            "opened" => true,
            "refused" => false,
            other => return Err(StoreError::corrupt("door_events", "outcome", other)),
        };
        Ok(Self {
            id: DoorEventId(row.id),
            location: LocationId(row.location_id),
            uuid: row.kisi_uuid,
            kind: row.kind,
            opened,
            kisi_lock_id: row.kisi_lock_id,
            lock_name: row.lock_name,
            kisi_place_id: row.kisi_place_id,
            actor_type: row.actor_type,
            kisi_actor_id: row.kisi_actor_id,
            actor_name: row.actor_name,
            person: row.person_id.map(PersonId),
            person_name: row.person_name,
            error_code: row.error_code,
            error_message: row.error_message,
            occurred_at: instant("door_events", "occurred_at", row.occurred_at)?,
            received_at: instant("door_events", "received_at", row.received_at)?,
            source: EventSource::from_text(&row.source)?,
        })
    }
}

/// Which events a read returns: newest first, optionally one person's, in `[from, to)`, after
/// the event `before` (the last of the previous page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DoorEventQuery {
    pub person: Option<PersonId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub before: Option<DoorEventId>,
    pub limit: u32,
}

/// A location's webhook as set up: when, and how far the backfill has read Kisi's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KisiWebhook {
    pub location: LocationId,
    pub created_at: DateTime<Utc>,
    /// Every event Kisi listed up to this instant is kept (None: the backfill has not run yet).
    pub backfilled_through: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy)]
pub struct DoorEvents<'s> {
    store: &'s Store,
}

#[derive(Debug, Clone, Copy)]
pub struct KisiWebhooks<'s> {
    store: &'s Store,
}

impl Store {
    pub fn door_events(&self) -> DoorEvents<'_> {
        DoorEvents { store: self }
    }

    pub fn kisi_webhooks(&self) -> KisiWebhooks<'_> {
        KisiWebhooks { store: self }
    }
}

impl DoorEvents<'_> {
    /// Keeps the events of `batch` that concern `location` and are new there, in one write
    /// transaction; a second delivery of a kept event changes nothing.
    pub async fn record(
        &self,
        location: LocationId,
        source: EventSource,
        batch: &[NewDoorEvent],
    ) -> Result<Recorded> {
        let now = self.store.now();
        let received_at = millis(now);
        let mut recorded = Recorded::default();
        let mut tx = self.store.begin_write().await?;
        let mut presence = PresenceReading::new(now);
        for event in batch {
            let concerns: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM kisi_locks WHERE location_id = $1 AND kisi_lock_id = $2) \
                      + (SELECT COUNT(*) FROM kisi_places WHERE location_id = $1 AND kisi_place_id = $3)",
            )
            .bind(location.0)
            .bind(event.kisi_lock_id)
            .bind(event.kisi_place_id)
            .fetch_one(&mut *tx)
            .await?;
            if concerns == 0 {
                recorded.elsewhere += 1;
                continue;
            }
            let person: Option<i64> = match (event.actor_type.as_str(), event.kisi_actor_id) {
                ("User", Some(kisi_user)) => sqlx::query_scalar(
                    "SELECT person_id FROM kisi_users WHERE location_id = $1 AND kisi_user_id = $2",
                )
                .bind(location.0)
                .bind(kisi_user)
                .fetch_optional(&mut *tx)
                .await?,
                _ => None,
            };
            let inserted = sqlx::query(
                "INSERT INTO door_events (location_id, kisi_uuid, kind, outcome, kisi_lock_id, \
                 lock_name, kisi_place_id, actor_type, kisi_actor_id, actor_name, person_id, \
                 error_code, error_message, occurred_at, received_at, source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                 ON CONFLICT (location_id, kisi_uuid) DO NOTHING",
            )
            .bind(location.0)
            .bind(&event.uuid)
            .bind(&event.kind)
            .bind(if event.opened { "opened" } else { "refused" })
            .bind(event.kisi_lock_id)
            .bind(&event.lock_name)
            .bind(event.kisi_place_id)
            .bind(&event.actor_type)
            .bind(event.kisi_actor_id)
            .bind(&event.actor_name)
            .bind(person)
            .bind(&event.error_code)
            .bind(&event.error_message)
            .bind(millis(event.occurred_at))
            .bind(received_at)
            .bind(source.as_text())
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                recorded.duplicates += 1;
            } else {
                recorded.stored += 1;
                if let Some(person) = person.map(PersonId)
                    && !recorded.people.contains(&person)
                {
                    recorded.people.push(person);
                }
                tell_outcomes(
                    &mut tx,
                    location,
                    event,
                    person.map(PersonId),
                    &mut presence,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// The events of `location` that `query` asks for, newest first by when they happened (a late
    /// delivery or a backfilled event takes its place in time); `before` continues after that
    /// event, whatever arrived meanwhile.
    pub async fn list(
        &self,
        location: LocationId,
        query: DoorEventQuery,
    ) -> Result<Vec<DoorEvent>> {
        let rows: Vec<DoorEventRow> = sqlx::query_as(
            "SELECT e.id, e.location_id, e.kisi_uuid, e.kind, e.outcome, e.kisi_lock_id, \
             e.lock_name, e.kisi_place_id, e.actor_type, e.kisi_actor_id, e.actor_name, \
             e.person_id, p.name AS person_name, e.error_code, e.error_message, e.occurred_at, \
             e.received_at, e.source \
             FROM door_events e LEFT JOIN people p ON p.id = e.person_id \
             WHERE e.location_id = $1 \
               AND ($2 IS NULL OR e.person_id = $2) \
               AND ($3 IS NULL OR e.occurred_at >= $3) \
               AND ($4 IS NULL OR e.occurred_at < $4) \
               AND ($5 IS NULL OR (e.occurred_at, e.id) < \
                    (SELECT b.occurred_at, b.id FROM door_events b WHERE b.id = $5)) \
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT $6",
        )
        .bind(location.0)
        .bind(query.person.map(|p| p.0))
        .bind(query.from.map(millis))
        .bind(query.to.map(millis))
        .bind(query.before.map(|id| id.0))
        .bind(i64::from(query.limit))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter().map(DoorEvent::try_from).collect()
    }

    /// How many events `location` keeps.
    pub async fn count(&self, location: LocationId) -> Result<u64> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM door_events WHERE location_id = $1")
                .bind(location.0)
                .fetch_one(self.store.pool())
                .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// When the newest kept event of `location` happened.
    pub async fn latest(&self, location: LocationId) -> Result<Option<DateTime<Utc>>> {
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(occurred_at) FROM door_events WHERE location_id = $1")
                .bind(location.0)
                .fetch_one(self.store.pool())
                .await?;
        opt_instant("door_events", "occurred_at", latest)
    }
}

impl KisiWebhooks<'_> {
    /// Sets up (or replaces) the webhook secret of `location`: the one Kisi signs its deliveries
    /// with. A replaced secret is deleted in the same transaction, so the old one stops working
    /// at once.
    pub async fn set_up(&self, location: LocationId, secret: &SecretValue) -> Result<KisiWebhook> {
        let now = self.store.now();
        let mut tx = self.store.begin_write().await?;
        let old: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT secret_id, backfilled_through FROM kisi_webhooks WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_optional(&mut *tx)
        .await?;
        let secret_id = put_secret(self.store, &mut tx, WEBHOOK_SECRET_PURPOSE, secret).await?;
        sqlx::query(
            "INSERT INTO kisi_webhooks (location_id, secret_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (location_id) DO UPDATE SET secret_id = excluded.secret_id, \
             created_at = excluded.created_at",
        )
        .bind(location.0)
        .bind(secret_id.0)
        .bind(millis(now))
        .execute(&mut *tx)
        .await
        .map_err(on_constraint(
            "Kisi webhook",
            "already set up",
            MISSING_REFERENCE,
        ))?;
        if let Some((old_secret, _)) = old {
            drop_secret(&mut tx, SecretId(old_secret)).await?;
        }
        tx.commit().await?;
        Ok(KisiWebhook {
            location,
            created_at: now,
            backfilled_through: old
                .and_then(|(_, through)| through)
                .and_then(DateTime::from_timestamp_millis),
        })
    }

    /// The webhook of `location`, if one is set up.
    pub async fn get(&self, location: LocationId) -> Result<Option<KisiWebhook>> {
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT created_at, backfilled_through FROM kisi_webhooks WHERE location_id = $1",
        )
        .bind(location.0)
        .fetch_optional(self.store.pool())
        .await?;
        row.map(|(created_at, through)| {
            Ok(KisiWebhook {
                location,
                created_at: instant("kisi_webhooks", "created_at", created_at)?,
                backfilled_through: opt_instant("kisi_webhooks", "backfilled_through", through)?,
            })
        })
        .transpose()
    }

    /// Every location with a webhook set up (the backfill's round).
    pub async fn all(&self) -> Result<Vec<KisiWebhook>> {
        let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT location_id, created_at, backfilled_through FROM kisi_webhooks \
             ORDER BY location_id",
        )
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|(location, created_at, through)| {
                Ok(KisiWebhook {
                    location: LocationId(location),
                    created_at: instant("kisi_webhooks", "created_at", created_at)?,
                    backfilled_through: opt_instant(
                        "kisi_webhooks",
                        "backfilled_through",
                        through,
                    )?,
                })
            })
            .collect()
    }

    /// The secret deliveries to `location` must be signed with; `None` when no webhook is set up
    /// (a store failure is an error, never "none").
    pub async fn secret(&self, location: LocationId) -> Result<Option<SecretValue>> {
        let mut conn = self.store.pool().acquire().await?;
        let secret_id: Option<i64> =
            sqlx::query_scalar("SELECT secret_id FROM kisi_webhooks WHERE location_id = $1")
                .bind(location.0)
                .fetch_optional(&mut *conn)
                .await?;
        match secret_id {
            Some(id) => Ok(Some(get_secret(self.store, &mut conn, SecretId(id)).await?)),
            None => Ok(None),
        }
    }

    /// Removes the webhook of `location` and its secret: deliveries are refused from now on. The
    /// events kept stay.
    pub async fn remove(&self, location: LocationId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let secret_id: Option<i64> = sqlx::query_scalar(
            "DELETE FROM kisi_webhooks WHERE location_id = $1 RETURNING secret_id",
        )
        .bind(location.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(secret_id) = secret_id else {
            return Err(StoreError::not_found(
                "Kisi webhook of location",
                location.0,
            ));
        };
        drop_secret(&mut tx, SecretId(secret_id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notes that every event Kisi lists up to `through` is kept; never moves backwards (two
    /// backfills racing leave the later mark).
    pub async fn backfilled(&self, location: LocationId, through: DateTime<Utc>) -> Result<()> {
        sqlx::query(
            "UPDATE kisi_webhooks SET backfilled_through = $2 WHERE location_id = $1 \
             AND (backfilled_through IS NULL OR backfilled_through < $2)",
        )
        .bind(location.0)
        .bind(millis(through))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }
}

/// Longest inactivity window a location may set: a day (a stay never crosses midnight anyway).
pub const MAX_INACTIVITY_MINUTES: i64 = 1440;

/// Kisi's words for a refusal, else its code, else that it said nothing; none for an opened door.
fn refusal_words(opened: bool, message: Option<String>, code: Option<String>) -> Option<String> {
    (!opened).then(|| {
        message
            .or(code)
            .unwrap_or_else(|| "Kisi gave no reason".to_owned())
    })
}

impl DoorEvent {
    /// The event as a passage of the person Doorlink knows the actor as (none for an actor it
    /// does not know), worded as [`DoorEvents::passages`] words it.
    pub fn passage(&self) -> Option<Passage> {
        Some(Passage {
            person: self.person?,
            lock: self.kisi_lock_id,
            door_name: self.lock_name.clone(),
            opened: self.opened,
            refusal: refusal_words(
                self.opened,
                self.error_message.clone(),
                self.error_code.clone(),
            ),
            at: self.occurred_at,
        })
    }
}

/// person, lock, door, outcome, Kisi's message, Kisi's code, when.
type PassageRow = (
    i64,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);

impl DoorEvents<'_> {
    /// The doors opened or tried at `location` in `[from, to)` by people Doorlink knows (one
    /// person's when `person` is given), oldest first: presence and attendance read these.
    pub async fn passages(
        &self,
        location: LocationId,
        person: Option<PersonId>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Passage>> {
        let mut conn = self.store.pool().acquire().await?;
        passages_on(&mut conn, location, person, from, to).await
    }

    /// How `location` checks people in and out (the defaults when never set).
    pub async fn presence_rules(&self, location: LocationId) -> Result<PresenceRules> {
        let mut conn = self.store.pool().acquire().await?;
        presence_rules_on(&mut conn, location).await
    }

    /// Replaces how `location` checks people in and out, in one write transaction. The rules
    /// come checked (a door is an entrance or an exit, not both; the window within a day).
    pub async fn set_presence_rules(
        &self,
        location: LocationId,
        rules: &PresenceRules,
    ) -> Result<()> {
        if let Some(both) = rules.entrances.intersection(&rules.exits).next() {
            return Err(StoreError::Invalid {
                field: "exit_lock_ids",
                reason: format!(
                    "door {both} is also an entrance: a door checks in or out, not both"
                ),
            });
        }
        let minutes = rules.inactivity.map(|window| window.num_minutes());
        if minutes.is_some_and(|m| !(1..=MAX_INACTIVITY_MINUTES).contains(&m)) {
            return Err(StoreError::Invalid {
                field: "inactivity_minutes",
                reason: format!("must be between 1 and {MAX_INACTIVITY_MINUTES} minutes, or none"),
            });
        }
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "INSERT INTO presence_settings (location_id, inactivity_minutes) VALUES ($1, $2) \
             ON CONFLICT (location_id) DO UPDATE SET inactivity_minutes = excluded.inactivity_minutes",
        )
        .bind(location.0)
        .bind(minutes)
        .execute(&mut *tx)
        .await
        .map_err(on_constraint("presence settings", "already set", MISSING_REFERENCE))?;
        sqlx::query("DELETE FROM door_roles WHERE location_id = $1")
            .bind(location.0)
            .execute(&mut *tx)
            .await?;
        for (locks, role) in [(&rules.entrances, "entrance"), (&rules.exits, "exit")] {
            for lock in locks {
                sqlx::query(
                    "INSERT INTO door_roles (location_id, kisi_lock_id, role) VALUES ($1, $2, $3)",
                )
                .bind(location.0)
                .bind(lock)
                .bind(role)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// [`DoorEvents::passages`] on `conn` (inside a write, it sees what the write kept so far).
async fn passages_on(
    conn: &mut AnyConnection,
    location: LocationId,
    person: Option<PersonId>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Passage>> {
    let rows: Vec<PassageRow> = sqlx::query_as(
        "SELECT person_id, kisi_lock_id, lock_name, outcome, error_message, error_code, \
                occurred_at FROM door_events \
         WHERE location_id = $1 AND person_id IS NOT NULL \
           AND ($2 IS NULL OR person_id = $2) \
           AND occurred_at >= $3 AND occurred_at < $4 \
         ORDER BY occurred_at, id",
    )
    .bind(location.0)
    .bind(person.map(|p| p.0))
    .bind(millis(from))
    .bind(millis(to))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(person, lock, door_name, outcome, message, code, at)| {
            let opened = match outcome.as_str() {
                "opened" => true,
                "refused" => false,
                other => return Err(StoreError::corrupt("door_events", "outcome", other)),
            };
            Ok(Passage {
                person: PersonId(person),
                lock,
                door_name,
                opened,
                refusal: refusal_words(opened, message, code),
                at: instant("door_events", "occurred_at", at)?,
            })
        })
        .collect()
}

/// [`DoorEvents::presence_rules`] on `conn`.
async fn presence_rules_on(
    conn: &mut AnyConnection,
    location: LocationId,
) -> Result<PresenceRules> {
    let inactivity: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT inactivity_minutes FROM presence_settings WHERE location_id = $1",
    )
    .bind(location.0)
    .fetch_optional(&mut *conn)
    .await?;
    let roles: Vec<(i64, String)> = sqlx::query_as(
        "SELECT kisi_lock_id, role FROM door_roles WHERE location_id = $1 ORDER BY kisi_lock_id",
    )
    .bind(location.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut rules = PresenceRules {
        inactivity: inactivity.flatten().map(Duration::minutes),
        ..PresenceRules::default()
    };
    for (lock, role) in roles {
        match role.as_str() {
            "entrance" => rules.entrances.insert(lock),
            "exit" => rules.exits.insert(lock),
            other => return Err(StoreError::corrupt("door_roles", "role", other)),
        };
    }
    Ok(rules)
}

/// What [`tell_outcomes`] reads once per batch: whether anyone listens, the location's zone and
/// presence rules.
struct PresenceReading {
    now: DateTime<Utc>,
    loaded: Option<(Tz, PresenceRules)>,
    /// Whether any endpoint listens at the location, read once per batch: with none (the usual
    /// case) keeping an event costs no outcome work at all.
    heard: Option<bool>,
}

impl PresenceReading {
    fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            loaded: None,
            heard: None,
        }
    }

    async fn anyone_listens(
        &mut self,
        conn: &mut AnyConnection,
        location: LocationId,
    ) -> Result<bool> {
        if let Some(heard) = self.heard {
            return Ok(heard);
        }
        let listeners: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outcome_endpoints \
             WHERE state = 'enabled' AND (location_id IS NULL OR location_id = $1)",
        )
        .bind(location.0)
        .fetch_one(conn)
        .await?;
        self.heard = Some(listeners > 0);
        Ok(listeners > 0)
    }

    async fn rules(
        &mut self,
        conn: &mut AnyConnection,
        location: LocationId,
    ) -> Result<(Tz, PresenceRules)> {
        if let Some(loaded) = &self.loaded {
            return Ok(loaded.clone());
        }
        let zone: String = sqlx::query_scalar("SELECT time_zone FROM locations WHERE id = $1")
            .bind(location.0)
            .fetch_one(&mut *conn)
            .await?;
        let zone: Tz = zone
            .parse()
            .map_err(|_| StoreError::corrupt("locations", "time_zone", &zone))?;
        let loaded = (zone, presence_rules_on(conn, location).await?);
        self.loaded = Some(loaded.clone());
        Ok(loaded)
    }
}

/// Issue 15's outcome events of a newly kept door event, in the write that keeps it:
/// `unlock.succeeded` or `unlock.denied` (with Kisi's reason), and `presence.changed` when the
/// opening checks its person in or out as Who's in shows it now.
async fn tell_outcomes(
    conn: &mut AnyConnection,
    location: LocationId,
    event: &NewDoorEvent,
    person: Option<PersonId>,
    presence: &mut PresenceReading,
) -> Result<()> {
    if !presence.anyone_listens(conn, location).await? {
        return Ok(());
    }
    let person_name: Option<String> = match person {
        Some(person) => {
            sqlx::query_scalar("SELECT name FROM people WHERE id = $1")
                .bind(person.0)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let door = DoorOutcome {
        kisi_event: event.uuid.clone(),
        door: event.lock_name.clone(),
        kisi_lock_id: event.kisi_lock_id,
        person_id: person.map(|p| p.0),
        person_name: person_name.clone(),
        actor_name: event.actor_name.clone(),
        occurred_at: event.occurred_at,
        cause: refusal_words(
            event.opened,
            event.error_message.clone(),
            event.error_code.clone(),
        ),
        cause_code: event.error_code.clone().filter(|_| !event.opened),
    };
    let outcome = if event.opened {
        Outcome::UnlockSucceeded(door)
    } else {
        Outcome::UnlockDenied(door)
    };
    let key = format!("{} {} {}", outcome.kind(), location.0, event.uuid);
    record_outcome(conn, location, &key, outcome, presence.now).await?;
    let (Some(person), Some(person_name), true) = (person, person_name, event.opened) else {
        return Ok(());
    };
    // Working out who is in costs reads: only when someone listens for it.
    if endpoints_wanting(conn, location, "presence.changed")
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let (zone, rules) = presence.rules(conn, location).await?;
    // Kisi's clock may run a little ahead of ours: judge at the later of the two.
    let at = presence.now.max(event.occurred_at);
    let after = passages_on(
        conn,
        location,
        Some(person),
        at - Duration::days(2),
        at + Duration::milliseconds(1),
    )
    .await?;
    let mut before = after.clone();
    if let Some(this) = before
        .iter()
        // Kept to the millisecond: Kisi's instant may carry more.
        .position(|p| {
            p.opened
                && p.at.timestamp_millis() == event.occurred_at.timestamp_millis()
                && p.lock == event.kisi_lock_id
        })
    {
        before.remove(this);
    }
    let is_in = |passages: &[Passage]| {
        who_is_in(passages, &rules, zone, at)
            .iter()
            .any(|p| p.person == person)
    };
    let present = is_in(&after);
    if present == is_in(&before) {
        return Ok(());
    }
    let outcome = Outcome::PresenceChanged(PresenceOutcome {
        person_id: person.0,
        person_name,
        present,
        door: event.lock_name.clone(),
        at: event.occurred_at,
    });
    let key = format!("presence.changed {} {}", location.0, event.uuid);
    record_outcome(conn, location, &key, outcome, presence.now).await
}
