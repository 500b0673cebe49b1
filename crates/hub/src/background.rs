//! Background tasks of a running hub: the sync worker, the purge of expired sessions, the
//! pruning of the rate limits, the backfill of Kisi's door events and the outcome webhook sender.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;

/// How often expired sessions are removed from the database.
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(3600);

/// How long outcome events are kept once nothing waits to be sent (the delivery log's reach).
const OUTCOME_RETENTION_DAYS: i64 = 30;

/// How often the sign-in throttle and the unlock report limit forget keys whose limit has refilled.
const THROTTLE_PRUNE_INTERVAL: Duration = Duration::from_secs(60);

/// How often each location with a Kisi webhook reads Kisi's events list for deliveries that did
/// not come (issue 15). Each hub on a database does it: the events are kept once, and the reads
/// share Kisi's rate budget through the database.
const DOOR_EVENTS_BACKFILL_INTERVAL: Duration = Duration::from_secs(300);

/// Starts every background task; the hub aborts them when it stops serving.
pub(crate) fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let mut tasks = vec![
        tokio::spawn(purge_sessions(state.clone())),
        tokio::spawn(prune_throttle(state.clone())),
        tokio::spawn(backfill_door_events(state.clone())),
        tokio::spawn(send_outcomes(state.clone())),
    ];
    tasks.extend(crate::sync_bridge::start_worker(state));
    tasks
}

async fn prune_throttle(state: AppState) {
    let mut every = tokio::time::interval(THROTTLE_PRUNE_INTERVAL);
    loop {
        every.tick().await;
        // The rows of every hub on the database: pruning twice is harmless.
        if let Err(error) = state.throttle().prune().await {
            tracing::warn!(?error, "could not prune the sign-in throttle");
        }
        state.unlock_report_limit().prune();
    }
}

/// Every hour: expired sessions, and outcome events older than the delivery log keeps.
async fn purge_sessions(state: AppState) {
    let mut every = tokio::time::interval(SESSION_PURGE_INTERVAL);
    loop {
        every.tick().await;
        match state
            .store()
            .accounts()
            .purge_expired_sessions(state.idle_timeout())
            .await
        {
            Ok(0) => {}
            Ok(purged) => tracing::debug!(purged, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
        let before = state.now() - chrono::Duration::days(OUTCOME_RETENTION_DAYS);
        match state.store().outcomes().prune(before).await {
            Ok(0) => {}
            Ok(pruned) => tracing::debug!(pruned, "old outcome events forgotten"),
            Err(error) => tracing::warn!(%error, "could not forget old outcome events"),
        }
    }
}

/// Reads Kisi's events for every location with a webhook, at start (the hub may have been down
/// while Kisi delivered) and then every few minutes.
async fn backfill_door_events(state: AppState) {
    let mut every = tokio::time::interval(DOOR_EVENTS_BACKFILL_INTERVAL);
    loop {
        every.tick().await;
        let webhooks = match state.store().kisi_webhooks().all().await {
            Ok(webhooks) => webhooks,
            Err(error) => {
                tracing::warn!(%error, "could not read the locations with a Kisi webhook");
                continue;
            }
        };
        for webhook in webhooks {
            let location = webhook.location;
            match state.sync().engine().backfill_door_events(location).await {
                Ok(done) if done.recorded.stored > 0 => {
                    tracing::info!(
                        location = location.0,
                        found = done.recorded.stored,
                        "kept Kisi door events the webhook had not brought"
                    );
                    state.notify(
                        doorlink_api::events::ChangeKind::DoorEventsChanged,
                        Some(location),
                        done.recorded.people.iter().copied(),
                        None,
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(location = location.0, %error, "could not read Kisi's door events");
                }
            }
        }
    }
}

/// Sends due outcome webhooks until the hub stops: at once when a change rings, else every poll.
async fn send_outcomes(state: AppState) {
    let policy = state.config().outcomes.clone();
    let client = match reqwest::Client::builder()
        .timeout(policy.timeout)
        // An endpoint's redirect is an answer, not an invitation to post the event elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "outcome webhooks cannot be sent: no HTTP client");
            return;
        }
    };
    loop {
        match crate::outcome_sender::send_due(state.store(), state.clock(), &client, &policy).await
        {
            Ok(sent) if sent > 0 => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not read the outcome deliveries"),
        }
        tokio::select! {
            () = state.outcome_bell().rung() => {}
            () = tokio::time::sleep(policy.poll) => {}
        }
    }
}
