//! The event log: every unlock attempt (API unlock or a tap at the reader), attributed to the
//! user (or the access link), in the shape of Kisi's `lock.unlock` webhook payload (kisi-api.md,
//! "Group links, events"). Every recorded event is also handed to the webhook dispatcher
//! (`crate::webhooks`) through [`Store::event_sink`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Store;
use super::logins::Principal;
use super::places::Lock;
use crate::errors::ApiError;

pub const UNLOCK_EVENT: &str = "lock.unlock";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: u64,
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `User` or `GroupLink`.
    pub actor_type: String,
    pub actor_id: u64,
    pub actor_name: String,
    pub object_type: String,
    pub object_id: u64,
    pub object_name: String,
    pub organization_id: Option<u64>,
    pub place_id: Option<u64>,
    pub success: bool,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The login the request was made with (absent for access links).
    pub login_id: Option<u64>,
    pub created_at: DateTime<Utc>,
}

/// Whom an event is attributed to: a user (through one of their logins, or in person at the
/// reader) or an access link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventActor {
    User {
        user_id: u64,
        /// `None` for a tap at the reader: no API login was used.
        login_id: Option<u64>,
    },
    Link {
        link_id: u64,
    },
}

impl From<Principal> for EventActor {
    fn from(principal: Principal) -> Self {
        match principal {
            Principal::User { user_id, login_id } => Self::User {
                user_id,
                login_id: Some(login_id),
            },
            Principal::Link { link_id } => Self::Link { link_id },
        }
    }
}

impl Store {
    /// Records an unlock attempt: into the log, and to the webhooks.
    pub(crate) fn record_unlock(
        &mut self,
        actor: EventActor,
        lock: &Lock,
        failure: Option<&ApiError>,
        now: DateTime<Utc>,
    ) {
        let event = self.unlock_event(actor, lock, failure, now);
        self.publish(event);
    }

    /// The event of an unlock attempt at `now`, not yet recorded.
    pub(crate) fn unlock_event(
        &mut self,
        actor: EventActor,
        lock: &Lock,
        failure: Option<&ApiError>,
        now: DateTime<Utc>,
    ) -> Event {
        let (actor_type, actor_id, actor_name, login_id) = match actor {
            EventActor::User { user_id, login_id } => {
                let name = self
                    .users
                    .get(&user_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                ("User", user_id, name, login_id)
            }
            EventActor::Link { link_id } => {
                let name = self
                    .group_links
                    .get(&link_id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                ("GroupLink", link_id, name, None)
            }
        };
        Event {
            id: self.next_id(),
            uuid: Uuid::new_v4().to_string(),
            kind: UNLOCK_EVENT.to_owned(),
            actor_type: actor_type.to_owned(),
            actor_id,
            actor_name,
            object_type: "Lock".to_owned(),
            object_id: lock.id,
            object_name: lock.name.clone(),
            organization_id: self.organization.as_ref().map(|org| org.id),
            place_id: Some(lock.place_id),
            success: failure.is_none(),
            error_code: failure.and_then(|e| e.code()).map(str::to_owned),
            error_message: failure.map(|e| e.message().to_owned()),
            login_id,
            created_at: now,
        }
    }

    /// Puts `event` in the log and hands it to the webhook dispatcher.
    pub(crate) fn publish(&mut self, event: Event) {
        if let Some(sink) = &self.event_sink {
            // Only a push onto an unbounded queue: the delivery itself happens on the dispatcher's
            // task, never under the store's mutex. Queued here, in the order events are recorded.
            if sink.send(event.clone()).is_err() {
                tracing::debug!(uuid = %event.uuid, "webhook dispatcher gone; event not delivered");
            }
        }
        self.events.push(event);
    }
}
