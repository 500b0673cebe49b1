//! Kisi's "Event Webhook" integrations (docs.kisi.io, "Track unlocks using webhooks"; kisi-api.md,
//! "Group links, events"): every recorded event is POSTed to every integration whose event types
//! match, signed when the integration has a key, with injectable delivery faults.
//!
//! This file holds the integrations, their delivery logs and the faults; `dispatch.rs` delivers on
//! background tasks fed by the store's event queue; `payload.rs` builds the body and signature.
//! Integrations and webhook faults live beside the store, not in it: seeding keeps them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::VirtualClock;
use crate::lock;
use crate::state::Event;

pub(crate) mod dispatch;
mod payload;

pub use payload::SIGNATURE_HEADER;

/// How often a failed delivery (non-2xx or unreachable) is retried unless a fault says otherwise.
/// Kisi does not document its retry policy: **assumed** (kisi-api.md).
pub const DEFAULT_WEBHOOK_RETRIES: u32 = 3;
/// The wait before the first retry; it doubles for each further one (real time, not the
/// emulator's clock).
pub const FIRST_RETRY_BACKOFF: Duration = Duration::from_millis(100);
/// A delivery the endpoint has not answered within this long counts as failed.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(2);

/// An integration as an admin adds it in the dashboard (`POST /__emulator/webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed, `http://…` or `https://…`.
    pub url: String,
    /// The signature key; `None` sends no `X-Signature`.
    #[serde(default)]
    pub secret: Option<String>,
    /// Event types to send (e.g. `lock.unlock`); `None` sends every type.
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
}

/// An integration and what was tried so far (`GET /__emulator/webhooks`). The key is not shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: u64,
    pub url: String,
    /// Whether deliveries carry an `X-Signature`.
    pub signed: bool,
    pub event_types: Option<Vec<String>>,
    /// Every attempt, oldest first.
    pub deliveries: Vec<Delivery>,
}

/// One delivery attempt of one event to one integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub event_uuid: String,
    /// 1 for the first try, 2 for the first retry, …; 0 for an event the `drop` fault swallowed.
    pub attempt: u32,
    /// The endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Why the attempt failed without an answer (unreachable, timeout, dropped by a fault).
    pub error: Option<String>,
    /// The emulator's clock at the attempt.
    pub at: DateTime<Utc>,
}

/// Webhook delivery faults (`POST /__emulator/webhook_faults`); every field present sets its
/// fault (a drop count adds up), absent ones stay as they are, `DELETE` clears them all. They
/// combine freely: e.g. `{"duplicate": true, "delay_ms": 500}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookFaults {
    /// Every event is delivered twice (same body, same uuid): Kisi's "may receive the same event
    /// multiple times".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<bool>,
    /// Every delivery leaves this long after its event was recorded (real time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The next `count` events are never delivered (they stay in `GET /events`): the incident
    /// where Kisi dropped delayed webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<DropEvents>,
    /// Each event is held back and sent right after the next one (pairs swap places); a held
    /// event with no successor leaves after [`dispatch::REORDER_HOLD_LIMIT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder: Option<bool>,
    /// How often a failed delivery is retried (default [`DEFAULT_WEBHOOK_RETRIES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// How `X-Signature` spells the digest: `"hex"` (assumed, the default) or `"base64"` (Kisi's
    /// docs do not say which).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_encoding: Option<SignatureEncoding>,
}

/// How the HMAC digest is written in `X-Signature`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureEncoding {
    #[default]
    Hex,
    Base64,
}

/// `{"count": n}` of [`WebhookFaults::drop`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropEvents {
    pub count: u32,
}

/// The faults in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ActiveFaults {
    pub(crate) duplicate: bool,
    pub(crate) delay: Option<Duration>,
    pub(crate) drop: u32,
    pub(crate) reorder: bool,
    pub(crate) retries: u32,
    pub(crate) signature_encoding: SignatureEncoding,
}

impl Default for ActiveFaults {
    fn default() -> Self {
        Self {
            duplicate: false,
            delay: None,
            drop: 0,
            reorder: false,
            retries: DEFAULT_WEBHOOK_RETRIES,
            signature_encoding: SignatureEncoding::Hex,
        }
    }
}

/// Where and how one event goes to one integration.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) id: u64,
    pub(crate) url: String,
    pub(crate) secret: Option<String>,
}

#[derive(Debug)]
struct Integration {
    url: String,
    secret: Option<String>,
    event_types: Option<Vec<String>>,
    deliveries: Vec<Delivery>,
}

impl Integration {
    fn wants(&self, event: &Event) -> bool {
        self.event_types
            .as_ref()
            .is_none_or(|types| types.contains(&event.kind))
    }
}

#[derive(Debug, Default)]
struct WebhookState {
    integrations: BTreeMap<u64, Integration>,
    last_id: u64,
    faults: ActiveFaults,
}

/// The integrations, their delivery logs and the webhook faults of one emulator.
#[derive(Debug)]
pub(crate) struct Webhooks {
    clock: Arc<VirtualClock>,
    state: Mutex<WebhookState>,
}

impl Webhooks {
    pub(crate) fn new(clock: Arc<VirtualClock>) -> Self {
        Self {
            clock,
            state: Mutex::new(WebhookState::default()),
        }
    }

    /// Adds an integration; `Err` names what is wrong with its URL.
    pub(crate) fn add(&self, new: NewWebhook) -> Result<u64, String> {
        let url = reqwest::Url::parse(&new.url).map_err(|error| error.to_string())?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("must be http or https, got {}", url.scheme()));
        }
        let mut state = lock(&self.state);
        state.last_id += 1;
        let id = state.last_id;
        state.integrations.insert(
            id,
            Integration {
                url: new.url,
                secret: new.secret,
                event_types: new.event_types,
                deliveries: Vec::new(),
            },
        );
        Ok(id)
    }

    /// Removes an integration (deliveries already queued for it are abandoned); `false` when unknown.
    pub(crate) fn remove(&self, id: u64) -> bool {
        lock(&self.state).integrations.remove(&id).is_some()
    }

    pub(crate) fn list(&self) -> Vec<Webhook> {
        lock(&self.state)
            .integrations
            .iter()
            .map(|(id, integration)| Webhook {
                id: *id,
                url: integration.url.clone(),
                signed: integration.secret.is_some(),
                event_types: integration.event_types.clone(),
                deliveries: integration.deliveries.clone(),
            })
            .collect()
    }

    pub(crate) fn inject(&self, faults: WebhookFaults) {
        let mut state = lock(&self.state);
        let active = &mut state.faults;
        if let Some(duplicate) = faults.duplicate {
            active.duplicate = duplicate;
        }
        if let Some(ms) = faults.delay_ms {
            active.delay = Some(Duration::from_millis(ms));
        }
        if let Some(drop) = faults.drop {
            active.drop = active.drop.saturating_add(drop.count);
        }
        if let Some(reorder) = faults.reorder {
            active.reorder = reorder;
        }
        if let Some(retries) = faults.retries {
            active.retries = retries;
        }
        if let Some(encoding) = faults.signature_encoding {
            active.signature_encoding = encoding;
        }
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.state).faults = ActiveFaults::default();
    }

    pub(crate) fn faults(&self) -> ActiveFaults {
        lock(&self.state).faults
    }

    /// Whether the `drop` fault swallows the next event (consuming one of its count).
    pub(crate) fn take_drop(&self) -> bool {
        let mut state = lock(&self.state);
        if state.faults.drop > 0 {
            state.faults.drop -= 1;
            true
        } else {
            false
        }
    }

    /// The integrations `event` goes to.
    pub(crate) fn targets(&self, event: &Event) -> Vec<Target> {
        lock(&self.state)
            .integrations
            .iter()
            .filter(|(_, integration)| integration.wants(event))
            .map(|(id, integration)| Target {
                id: *id,
                url: integration.url.clone(),
                secret: integration.secret.clone(),
            })
            .collect()
    }

    pub(crate) fn is_registered(&self, id: u64) -> bool {
        lock(&self.state).integrations.contains_key(&id)
    }

    /// Notes an attempt in the integration's log (nothing if it was removed meanwhile).
    pub(crate) fn log(
        &self,
        id: u64,
        event_uuid: &str,
        attempt: u32,
        outcome: Result<u16, String>,
    ) {
        let at = self.clock.now();
        if let Some(integration) = lock(&self.state).integrations.get_mut(&id) {
            let (status, error) = match outcome {
                Ok(status) => (Some(status), None),
                Err(error) => (None, Some(error)),
            };
            integration.deliveries.push(Delivery {
                event_uuid: event_uuid.to_owned(),
                attempt,
                status,
                error,
                at,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_faults_add_up_and_clear_back_to_the_default_retries() {
        let webhooks = Webhooks::new(Arc::new(VirtualClock::new()));
        let faults: WebhookFaults =
            serde_json::from_str(r#"{"duplicate": true, "drop": {"count": 2}, "retries": 0}"#)
                .unwrap();
        webhooks.inject(faults);
        webhooks.inject(WebhookFaults {
            drop: Some(DropEvents { count: 1 }),
            delay_ms: Some(500),
            ..WebhookFaults::default()
        });
        let active = webhooks.faults();
        assert!(active.duplicate);
        assert_eq!(active.drop, 3);
        assert_eq!(active.retries, 0);
        assert_eq!(active.delay, Some(Duration::from_millis(500)));
        assert!(webhooks.take_drop());
        webhooks.clear_faults();
        assert_eq!(webhooks.faults(), ActiveFaults::default());
        assert_eq!(webhooks.faults().retries, DEFAULT_WEBHOOK_RETRIES);
        assert!(serde_json::from_str::<WebhookFaults>(r#"{"dupe": true}"#).is_err());
    }

    #[test]
    fn an_integration_needs_an_http_url() {
        let webhooks = Webhooks::new(Arc::new(VirtualClock::new()));
        let new = |url: &str| NewWebhook {
            url: url.to_owned(),
            secret: None,
            event_types: None,
        };
        assert!(webhooks.add(new("ftp://example.test/hook")).is_err());
        assert!(webhooks.add(new("not a url")).is_err());
        assert_eq!(webhooks.add(new("http://127.0.0.1:9/hook")), Ok(1));
    }
}
