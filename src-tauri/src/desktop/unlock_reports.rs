//! A4: every unlock this computer makes straight at Kisi is reported to the hub for
//! its audit log. The report is queued in the local cache first and sent after; when the hub
//! cannot be reached it waits there and goes out, oldest first and once each, when the hub
//! answers again (the next refresh). The hub takes reports up to 30 days old; older ones are
//! dropped here with a log line.

use chrono::{DateTime, Duration, Utc};
use doorlink_api::me::{UNLOCK_REPORT_MAX_AGE_DAYS, UnlockOutcome, UnlockReport};

use super::{Connected, Desktop};
use crate::error::CommandError;
use crate::report_queue::ReportQueue;

/// Reports read from the queue per round trip to the cache.
const BATCH: u32 = 50;

/// What one sending round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportsSent {
    pub sent: u64,
    /// Refused by the hub for good (e.g. a clock far off): dropped with a log line.
    pub refused: u64,
    /// Older than 30 days: dropped with a log line.
    pub too_old: u64,
    /// Still waiting (the hub cannot be reached, or the session ended).
    pub waiting: u64,
}

impl Desktop {
    /// Queues the report of `outcome`. A door the cached page does not know cannot be placed in
    /// a location for the hub; it is logged instead (the UI only offers doors it shows).
    pub(super) async fn queue_unlock_report(
        &self,
        connected: &Connected,
        outcome: &UnlockOutcome,
        pressed_at: DateTime<Utc>,
    ) {
        let account = connected.account();
        let location_id = match self.inner.cache.load(&account).await {
            Ok(Some(access)) => access
                .locations
                .iter()
                .find(|location| {
                    location
                        .open_now
                        .iter()
                        .chain(&location.upcoming)
                        .any(|lock| lock.lock_id == outcome.lock_id)
                })
                .map(|location| location.location_id),
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "the cache could not place the unlocked door");
                None
            }
        };
        let Some(location_id) = location_id else {
            tracing::warn!(
                lock_id = outcome.lock_id,
                unlocked = outcome.unlocked,
                "unlock not reported to the hub: the door is not on the cached Access page"
            );
            return;
        };
        let report = UnlockReport {
            lock_id: outcome.lock_id,
            location_id,
            unlocked: outcome.unlocked,
            cause: outcome.reason.as_ref().map(|reason| reason.cause),
            message: outcome.message.clone(),
            at: pressed_at,
        };
        if let Err(error) = ReportQueue::in_cache(&self.inner.cache)
            .push(&account, &report)
            .await
        {
            tracing::warn!(%error, lock_id = report.lock_id, "the unlock report could not be queued");
        }
    }

    /// Sends the waiting reports without holding up the caller (a press, a refresh).
    pub(super) fn send_unlock_reports_in_background(&self) {
        let desktop = self.clone();
        tokio::spawn(async move {
            if let Err(error) = desktop.send_unlock_reports(Utc::now()).await {
                tracing::warn!(%error, "the unlock reports could not be sent");
            }
        });
    }

    /// Sends the signed-in person's waiting reports to their hub, oldest first, each once: a
    /// report leaves the queue when the hub took it, or refused it for good (422). Stops at the
    /// first report the hub cannot take now (unreachable, signed out, failing) and keeps the rest.
    /// Reports older than 30 days at `now` are dropped first, each with a log line.
    pub async fn send_unlock_reports(
        &self,
        now: DateTime<Utc>,
    ) -> Result<ReportsSent, CommandError> {
        let _sending = self.inner.sending_reports.lock().await;
        let queue = ReportQueue::in_cache(&self.inner.cache);
        let mut round = ReportsSent::default();
        for report in queue
            .drop_pressed_before(now - Duration::days(UNLOCK_REPORT_MAX_AGE_DAYS))
            .await?
        {
            round.too_old += 1;
            tracing::warn!(
                lock_id = report.lock_id,
                location_id = report.location_id,
                at = %report.at,
                "unlock report dropped unsent: older than {UNLOCK_REPORT_MAX_AGE_DAYS} days, the hub no longer takes it"
            );
        }
        let Some(connected) = self.connected().await else {
            return Ok(round);
        };
        let account = connected.account();
        'sending: loop {
            let batch = queue.oldest(&account, BATCH).await?;
            if batch.is_empty() {
                break;
            }
            for queued in batch {
                match connected
                    .hub
                    .report_unlock(&connected.token, &queued.report)
                    .await
                {
                    Ok(()) => round.sent += 1,
                    Err(error) if is_refused_for_good(&error) => {
                        round.refused += 1;
                        tracing::warn!(%error, lock_id = queued.report.lock_id, at = %queued.report.at, "unlock report refused by the hub; dropped");
                    }
                    Err(error) => {
                        tracing::info!(%error, "unlock reports wait for the hub");
                        break 'sending;
                    }
                }
                queue.remove(queued.id).await?;
            }
        }
        round.waiting = queue.waiting(&account).await?;
        if round.sent > 0 {
            tracing::info!(
                sent = round.sent,
                waiting = round.waiting,
                "unlock reports sent to the hub"
            );
        }
        Ok(round)
    }
}

/// A refusal that will not change by sending again: the report itself is wrong (422).
fn is_refused_for_good(error: &crate::hub_client::HubError) -> bool {
    matches!(
        error,
        crate::hub_client::HubError::Refused { status: 422, .. }
    )
}
