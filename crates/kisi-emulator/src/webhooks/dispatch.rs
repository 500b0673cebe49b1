//! Delivering events: one dispatcher task reads the store's event queue (in the order events were
//! recorded) and applies the event faults (drop, reorder, duplicate); one worker task per
//! integration POSTs its deliveries in order, each after its delay, retrying failures with
//! backoff. Nothing here runs under the store's mutex, and an unlock never waits for a delivery.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::time::Instant;

use super::payload::{body, signature};
use super::{FIRST_RETRY_BACKOFF, SIGNATURE_HEADER, Target, Webhooks};
use crate::state::Event;

/// A reordered event whose successor does not come within this long is sent anyway.
pub const REORDER_HOLD_LIMIT: Duration = Duration::from_secs(2);

/// One POST to make (and retry) to one integration.
#[derive(Debug)]
struct Job {
    event_uuid: String,
    url: String,
    body: Bytes,
    signature: Option<String>,
    /// Not sent before this instant (the `delay_ms` fault).
    due: Instant,
}

/// Runs until every sender of `events` is gone (the emulator dropped), then sends what is held
/// and lets the workers finish their queues.
pub(crate) async fn run(webhooks: Arc<Webhooks>, mut events: UnboundedReceiver<Event>) {
    let client = match reqwest::Client::builder()
        .timeout(super::DELIVERY_TIMEOUT)
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "no HTTP client for webhooks; none will be delivered");
            return;
        }
    };
    let mut dispatcher = Dispatcher {
        webhooks,
        client,
        workers: BTreeMap::new(),
        held: None,
    };
    loop {
        let next = if dispatcher.held.is_some() {
            match tokio::time::timeout(REORDER_HOLD_LIMIT, events.recv()).await {
                Ok(next) => next,
                Err(_elapsed) => {
                    dispatcher.release_held();
                    continue;
                }
            }
        } else {
            events.recv().await
        };
        match next {
            Some(event) => dispatcher.accept(event),
            None => break,
        }
    }
    dispatcher.release_held();
}

struct Dispatcher {
    webhooks: Arc<Webhooks>,
    client: reqwest::Client,
    workers: BTreeMap<u64, UnboundedSender<Job>>,
    /// The event the `reorder` fault holds back until the next one has been sent.
    held: Option<Event>,
}

impl Dispatcher {
    fn accept(&mut self, event: Event) {
        if self.webhooks.take_drop() {
            for target in self.webhooks.targets(&event) {
                let dropped = Err("dropped by the drop fault: never delivered".to_owned());
                self.webhooks.log(target.id, &event.uuid, 0, dropped);
            }
            return;
        }
        if self.webhooks.faults().reorder {
            match self.held.take() {
                None => self.held = Some(event),
                Some(earlier) => {
                    self.send(&event);
                    self.send(&earlier);
                }
            }
        } else {
            self.release_held();
            self.send(&event);
        }
    }

    fn release_held(&mut self) {
        if let Some(held) = self.held.take() {
            self.send(&held);
        }
    }

    /// Queues `event` for every integration that wants it (twice with `duplicate`).
    fn send(&mut self, event: &Event) {
        let targets = self.webhooks.targets(event);
        if targets.is_empty() {
            return;
        }
        let faults = self.webhooks.faults();
        let due = Instant::now() + faults.delay.unwrap_or_default();
        let copies = if faults.duplicate { 2 } else { 1 };
        let body = Bytes::from(body(event));
        self.workers
            .retain(|id, _| self.webhooks.is_registered(*id));
        for Target { id, url, secret } in targets {
            let signature =
                secret.map(|secret| signature(&secret, &body, faults.signature_encoding));
            let worker = self.workers.entry(id).or_insert_with(|| {
                let (jobs, queue) = unbounded_channel();
                tokio::spawn(deliver_in_order(
                    id,
                    Arc::clone(&self.webhooks),
                    self.client.clone(),
                    queue,
                ));
                jobs
            });
            for _ in 0..copies {
                let job = Job {
                    event_uuid: event.uuid.clone(),
                    url: url.clone(),
                    body: body.clone(),
                    signature: signature.clone(),
                    due,
                };
                if worker.send(job).is_err() {
                    tracing::warn!(integration = id, "webhook worker gone; delivery skipped");
                }
            }
        }
    }
}

/// One integration's deliveries, one after the other, so its endpoint sees them in queue order.
async fn deliver_in_order(
    id: u64,
    webhooks: Arc<Webhooks>,
    client: reqwest::Client,
    mut queue: UnboundedReceiver<Job>,
) {
    while let Some(job) = queue.recv().await {
        tokio::time::sleep_until(job.due).await;
        deliver(id, &webhooks, &client, &job).await;
    }
}

/// POSTs one job, retrying a non-2xx answer or an unreachable endpoint `retries` times (read at
/// each failure, so a test may change it mid-way) with doubling backoff.
async fn deliver(id: u64, webhooks: &Webhooks, client: &reqwest::Client, job: &Job) {
    let mut backoff = FIRST_RETRY_BACKOFF;
    let mut attempt: u32 = 1;
    loop {
        if !webhooks.is_registered(id) {
            return;
        }
        let mut request = client
            .post(&job.url)
            .header(CONTENT_TYPE, "application/json")
            .body(job.body.clone());
        if let Some(signature) = &job.signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        let outcome = match request.send().await {
            Ok(answer) => Ok(answer.status()),
            Err(error) => Err(error.to_string()),
        };
        let delivered = outcome.as_ref().is_ok_and(|status| status.is_success());
        webhooks.log(
            id,
            &job.event_uuid,
            attempt,
            outcome.map(|status| status.as_u16()),
        );
        if delivered || attempt > webhooks.faults().retries {
            if !delivered {
                tracing::info!(integration = id, uuid = %job.event_uuid, attempt, "webhook delivery given up");
            }
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = backoff.saturating_mul(2);
        attempt += 1;
    }
}
