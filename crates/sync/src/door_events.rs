//! Kisi's door events in (issue 15): one reading of Kisi's event payload for the webhook and the
//! backfill alike, and the backfill itself, which reads Kisi's events list for what the webhooks
//! did not bring (Kisi may drop deliveries: its status page reported an incident of dropped
//! delayed webhooks, docs/kisi-api.md). Events are kept once per uuid, so reading one again
//! changes nothing.

use chrono::{DateTime, Duration, Utc};
use doorlink_core::LocationId;
use doorlink_store::door_events::{
    MAX_KIND_CHARS, MAX_MESSAGE_CHARS, MAX_NAME_CHARS, MAX_UUID_CHARS,
};
use doorlink_store::{EventSource, NewDoorEvent, Recorded};

use crate::audit::CallInfo;
use crate::engine::SyncEngine;
use crate::error::{Result, SyncError};
use crate::words::LocationWords;

/// How far back the first backfill of a location reads (Kisi's list holds the organization's
/// whole history; a day is what Who's in and the ledger need at once).
pub const FIRST_BACKFILL: Duration = Duration::hours(24);

/// Each backfill reads again this much before where the last one finished: an event Kisi wrote
/// late (a reader that was offline) is listed with the time it happened.
pub const BACKFILL_OVERLAP: Duration = Duration::minutes(15);

/// Why a Kisi event cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct UnreadableEvent {
    pub field: &'static str,
    pub reason: &'static str,
}

/// Kisi's event as Doorlink keeps it. Every field is read tolerantly (Kisi's docs show `null`s);
/// only the uuid is required, since without it a second delivery could not be told apart. Names
/// and messages longer than the store keeps are cut, never refused: they are Kisi's.
pub fn door_event(event: &kisi::Event) -> std::result::Result<NewDoorEvent, UnreadableEvent> {
    let uuid = event
        .uuid
        .as_deref()
        .map(str::trim)
        .filter(|uuid| !uuid.is_empty())
        .ok_or(UnreadableEvent {
            field: "uuid",
            reason: "is missing: Kisi gives every event one, and Doorlink keeps events by it",
        })?;
    if uuid.chars().count() > MAX_UUID_CHARS {
        return Err(UnreadableEvent {
            field: "uuid",
            reason: "is longer than 64 characters",
        });
    }
    if event.kind.trim().is_empty() || event.kind.chars().count() > MAX_KIND_CHARS {
        return Err(UnreadableEvent {
            field: "type",
            reason: "must be Kisi's event type, 1 to 64 characters (e.g. lock.unlock)",
        });
    }
    Ok(NewDoorEvent {
        uuid: uuid.to_owned(),
        kind: event.kind.clone(),
        // An event that does not say it succeeded did not open the door.
        opened: event.success.unwrap_or(false),
        kisi_lock_id: event
            .object_type
            .as_deref()
            .is_none_or(|kind| kind == "Lock")
            .then_some(event.object_id)
            .flatten(),
        lock_name: cut(
            event.object_name.as_deref().unwrap_or_default(),
            MAX_NAME_CHARS,
        ),
        kisi_place_id: event.place_id.map(|place| place.0),
        actor_type: cut(
            event.actor_type.as_deref().unwrap_or_default(),
            MAX_KIND_CHARS,
        ),
        kisi_actor_id: event.actor_id,
        actor_name: cut(
            event.actor_name.as_deref().unwrap_or_default(),
            MAX_NAME_CHARS,
        ),
        error_code: event
            .error_code
            .as_deref()
            .map(|code| cut(code, MAX_KIND_CHARS)),
        error_message: event
            .error_message
            .as_deref()
            .map(|message| cut(message, MAX_MESSAGE_CHARS)),
        occurred_at: event.created_at,
    })
}

fn cut(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// What one backfill did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backfilled {
    /// Events Kisi listed since the instant read from.
    pub listed: usize,
    /// Listed events Doorlink cannot keep (no uuid): skipped, with a warning.
    pub unreadable: usize,
    pub recorded: Recorded,
    /// Whether everything Kisi lists up to the start of this backfill is now kept.
    pub complete: bool,
}

impl SyncEngine {
    /// Reads Kisi's events since the location's last complete backfill (less
    /// [`BACKFILL_OVERLAP`]; the first reads [`FIRST_BACKFILL`] back) and keeps those the webhooks
    /// did not bring. Grants and revokes nothing, so it needs no lease; its calls take the bulk
    /// lane of Kisi's budget and are audited. Nothing to do without a webhook set up.
    pub async fn backfill_door_events(&self, location: LocationId) -> Result<Backfilled> {
        let store = self.store();
        let Some(webhook) = store.kisi_webhooks().get(location).await? else {
            return Ok(Backfilled::default());
        };
        let started: DateTime<Utc> = self.clock.now();
        let since = webhook
            .backfilled_through
            .map_or(started - FIRST_BACKFILL, |through| {
                through - BACKFILL_OVERLAP
            });
        let kisi = self
            .kisi_outside_lease(location)
            .await?
            .in_lane(kisi::Lane::Bulk);
        let read = kisi
            .call(
                CallInfo::new(
                    format!(
                        "read Kisi's door events since {}",
                        LocationWords::new(&self.store, location)
                            .instant(since)
                            .await
                    ),
                    "GET",
                    "/events",
                    None,
                ),
                kisi.client.events_since(since),
            )
            .await
            .map_err(|error| SyncError::kisi("read Kisi's door events", error))?;
        let mut batch = Vec::with_capacity(read.events.len());
        let mut unreadable = 0;
        for event in &read.events {
            match door_event(event) {
                Ok(event) => batch.push(event),
                Err(problem) => {
                    unreadable += 1;
                    tracing::warn!(location = location.0, %problem, "skipped a Kisi event Doorlink cannot keep");
                }
            }
        }
        // Kept oldest first, as they happened, so events of one instant keep Kisi's order (it lists
        // newest first, assumed: docs/kisi-api.md).
        batch.reverse();
        batch.sort_by_key(|event| event.occurred_at);
        let recorded = store
            .door_events()
            .record(location, EventSource::Backfill, &batch)
            .await?;
        if read.complete {
            store.kisi_webhooks().backfilled(location, started).await?;
        } else {
            tracing::warn!(
                location = location.0,
                pages = kisi::MAX_EVENT_PAGES,
                "Kisi's events list is not newest first and longer than the backfill reads: \
                 it will read again from the same instant"
            );
        }
        Ok(Backfilled {
            listed: read.events.len(),
            unreadable,
            recorded,
            complete: read.complete,
        })
    }
}
