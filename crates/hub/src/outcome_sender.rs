//! Sends outcome events to the admins' endpoints (issue 15): each pending delivery is claimed,
//! posted signed and timestamped, and settled as delivered (2xx), to retry with a doubling
//! back-off, or given up after the last attempt (the delivery log's "send again" queues it anew).
//! The contract receivers rely on is `docs/outcome-webhooks.md`; the headers are named here only.

use std::time::Duration;

use chrono::Utc;
use doorlink_store::{Attempt, Clock, DueDelivery, Store};
use tokio::sync::Notify;

use crate::signing::sign;

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>`.
pub const SIGNATURE_HEADER: &str = "Doorlink-Signature";
/// The event's id: the same on every attempt and on "send again".
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The event's type (`grant.applied`, …), also in the body.
pub const EVENT_TYPE_HEADER: &str = "Doorlink-Event-Type";

/// How deliveries are sent and retried.
#[derive(Debug, Clone)]
pub struct SendPolicy {
    /// Wait before the second attempt; doubled after each failure up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// Attempts before a delivery is given up on.
    pub attempts: u32,
    /// How long an endpoint has to answer.
    pub timeout: Duration,
    /// How often the sender looks for due deliveries when nothing wakes it.
    pub poll: Duration,
    /// How long a claimed delivery stays with this hub (longer than `timeout`).
    pub lease: Duration,
}

impl Default for SendPolicy {
    fn default() -> Self {
        Self {
            // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: 10 attempts span about 5 hours.
            first_backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            attempts: 10,
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(2),
            lease: Duration::from_secs(60),
        }
    }
}

impl SendPolicy {
    /// The wait after the `failed`-th failed attempt (1-based).
    pub fn backoff(&self, failed: u32) -> Duration {
        let doubling = 2_u32.saturating_pow(failed.saturating_sub(1));
        self.first_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff)
    }
}

/// The signature header's value for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let signed = format!("{timestamp}.{body}");
    format!("t={timestamp},v1={}", sign(secret, signed.as_bytes()))
}

/// The sender's wake-up call: a route that queued a delivery (a test event, "send again") rings
/// it so the endpoint hears at once rather than at the next poll.
#[derive(Debug, Default)]
pub struct SenderBell(Notify);

impl SenderBell {
    pub fn ring(&self) {
        self.0.notify_one();
    }

    /// Until someone rings.
    pub(crate) async fn rung(&self) {
        self.0.notified().await;
    }
}

/// Claims the due deliveries once and sends each; answers how many were tried.
pub async fn send_due(
    store: &Store,
    clock: &Clock,
    client: &reqwest::Client,
    policy: &SendPolicy,
) -> doorlink_store::Result<usize> {
    let due = store.outcomes().claim_due(16, policy.lease).await?;
    let tried = due.len();
    for delivery in due {
        let attempt = attempt(client, policy, &delivery, clock).await;
        if let Attempt::Failed { error, .. } = &attempt {
            tracing::info!(delivery = delivery.id.0, event = %delivery.event_type, %error,
                "an outcome webhook was not accepted");
        }
        store.outcomes().settle(delivery.id, &attempt).await?;
    }
    Ok(tried)
}

async fn attempt(
    client: &reqwest::Client,
    policy: &SendPolicy,
    delivery: &DueDelivery,
    clock: &Clock,
) -> Attempt {
    let timestamp = Utc::now().timestamp();
    let sent = client
        .post(&delivery.url)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Doorlink-Webhooks/1")
        .header(
            SIGNATURE_HEADER,
            signature(delivery.secret.expose(), timestamp, &delivery.body),
        )
        .header(IDEMPOTENCY_HEADER, &delivery.event_id)
        .header(EVENT_TYPE_HEADER, &delivery.event_type)
        .body(delivery.body.clone())
        .send()
        .await;
    let failed = delivery.attempts.saturating_add(1);
    // On the store's clock, which decides when a delivery is due.
    let retry_at = (failed < policy.attempts).then(|| {
        clock.now() + chrono::Duration::from_std(policy.backoff(failed)).unwrap_or_default()
    });
    match sent {
        Ok(answer) if answer.status().is_success() => Attempt::Delivered {
            status: answer.status().as_u16(),
        },
        Ok(answer) => Attempt::Failed {
            status: Some(answer.status().as_u16()),
            error: format!("the endpoint answered {}", answer.status()),
            retry_at,
        },
        Err(error) => Attempt::Failed {
            status: None,
            error: if error.is_timeout() {
                format!(
                    "the endpoint did not answer within {} s",
                    policy.timeout.as_secs()
                )
            } else if error.is_connect() {
                "could not connect to the endpoint".to_owned()
            } else {
                format!("the request failed: {error}")
            },
            retry_at,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_up_to_its_ceiling() {
        let policy = SendPolicy::default();
        let waits: Vec<u64> = (1..=9).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let one = signature("s3cret", 1_700_000_000, "{}");
        assert!(one.starts_with("t=1700000000,v1="), "{one}");
        assert_ne!(one, signature("s3cret", 1_700_000_001, "{}"));
        assert_ne!(one, signature("s3cret", 1_700_000_000, "{ }"));
        assert_ne!(one, signature("other", 1_700_000_000, "{}"));
    }
}
