//! Issue 17, honest status: whether Kisi confirmed what a view states about a person's access
//! (confirmed, pending, failing since …), and how Kisi answers a location's calls (the connection
//! badge). The words each reader sees live here, once: members read what it means for them,
//! staff read the error and its fix.
//!
//! A person's status comes from their outbox entry (waiting or failing; the entry disappears once
//! Kisi confirmed its work) and Doorlink's mirror of Kisi (whether their Kisi user was ever
//! written). Kisi's health comes from the audit log (the last call that succeeded, and the calls
//! Kisi failed since) and the outbox (entries whose last attempt failed).

use chrono::{DateTime, Utc};
use doorlink_api::kisi::KisiHealth;
use doorlink_api::me::{KisiConfirmation, KisiConfirmationState};
use doorlink_core::{LocationId, PersonId};
use doorlink_store::{
    AuditEntry, AuditFilter, AuditOutcome, MAX_AUDIT_PAGE, OutboxEntry, OutboxScope,
};

use crate::error::ApiResult;
use crate::state::AppState;

/// What a member reads while their change is queued.
pub(crate) const MEMBER_PENDING: &str =
    "Kisi has not confirmed this yet; it usually takes a few seconds";
/// What a member reads while writing their access to Kisi fails.
pub(crate) const MEMBER_FAILING: &str =
    "Doorlink cannot reach Kisi right now; staff have been told";

/// Who reads the status: the person on their own page, or staff on the person's page (one
/// reader for every reason, core's `words`).
pub(crate) use doorlink_core::Audience;

/// Whether Kisi confirmed the access of `person` at `location`. `written`: the mirror holds the
/// person's Kisi user, or the view states no access that needs one. Access never written waits
/// for the location's full sync when the person has no entry of their own.
pub(crate) async fn confirmation(
    state: &AppState,
    location: LocationId,
    person: PersonId,
    written: bool,
    audience: Audience,
) -> ApiResult<KisiConfirmation> {
    let outbox = state.store().outbox();
    let entry = match outbox
        .entry_of(OutboxScope::Person { location, person })
        .await?
    {
        Some(entry) => Some(entry),
        None if !written => outbox.entry_of(OutboxScope::Location(location)).await?,
        None => None,
    };
    Ok(match entry {
        None if written => KisiConfirmation {
            state: KisiConfirmationState::Confirmed,
            failing_since: None,
            message: String::new(),
        },
        None => pending(audience, None),
        Some(entry) => match &entry.last_error {
            Some(error) => KisiConfirmation {
                state: KisiConfirmationState::Failing,
                failing_since: Some(failing_since(&entry)),
                message: match audience {
                    Audience::Member => MEMBER_FAILING.to_owned(),
                    Audience::Staff => error.clone(),
                },
            },
            None => pending(audience, Some(&entry)),
        },
    })
}

/// The placeholder of an explanation made for an unlock, where nobody reads the status.
pub(crate) fn not_asked() -> KisiConfirmation {
    KisiConfirmation {
        state: KisiConfirmationState::Confirmed,
        failing_since: None,
        message: String::new(),
    }
}

fn pending(audience: Audience, entry: Option<&OutboxEntry>) -> KisiConfirmation {
    let message = match (audience, entry) {
        (Audience::Member, _) => MEMBER_PENDING.to_owned(),
        (Audience::Staff, Some(entry)) => format!(
            "Not written to Kisi yet: queued ({}); the sync writes it within seconds. Admin › Sync shows the queue",
            entry.reason
        ),
        (Audience::Staff, None) => "Not written to Kisi yet and nothing is queued for it: check the location's Kisi connection (Admin › Kisi connection), then run a full sync (Admin › Sync)".to_owned(),
    };
    KisiConfirmation {
        state: KisiConfirmationState::Pending,
        failing_since: None,
        message,
    }
}

/// Since the entry's first failed attempt in a row; an entry taken over from a worker that died
/// has no failed attempt recorded, only its last change.
fn failing_since(entry: &OutboxEntry) -> DateTime<Utc> {
    entry.failing_since.unwrap_or(entry.updated_at)
}

/// The most pages of the audit log read to find when Kisi started failing (500 entries each):
/// beyond them, the oldest failure read stands for it.
const FAILURE_PAGES: usize = 10;

/// How Kisi answers the location's calls now: the last call that succeeded, and whether Kisi
/// failed the sync's calls since (unreachable, a server error, its rate limit or a refused credential;
/// a refusal about one person or door is Kisi working).
pub(crate) async fn health(state: &AppState, location: LocationId) -> ApiResult<KisiHealth> {
    let audit = state.store().audit();
    let succeeded = audit
        .list(
            &AuditFilter {
                location: Some(location),
                outcome: Some(AuditOutcome::Succeeded),
                ..AuditFilter::default()
            },
            None,
            20,
        )
        .await?;
    let last_success_at = succeeded
        .entries
        .iter()
        .find(|e| !e.desktop_claim)
        .map(|e| e.at);
    // Newest first, page by page: the oldest failure since the last success is when Kisi started
    // failing; the newest one's words stand in when no outbox entry failed.
    let filter = AuditFilter {
        location: Some(location),
        outcome: Some(AuditOutcome::Failed),
        since: last_success_at.map(|at| at + chrono::TimeDelta::milliseconds(1)),
        ..AuditFilter::default()
    };
    let (mut first_failure, mut newest_words, mut before) = (None, None, None);
    for _ in 0..FAILURE_PAGES {
        let page = audit.list(&filter, before, MAX_AUDIT_PAGE).await?;
        for entry in page.entries.iter().filter(|e| is_kisi_failing(e)) {
            first_failure = Some(entry.at);
            if newest_words.is_none() {
                newest_words.clone_from(&entry.message);
            }
        }
        match page.next_before {
            Some(next) => before = Some(next),
            None => break,
        }
    }
    let failing: Vec<OutboxEntry> = state
        .store()
        .outbox()
        .entries(Some(location))
        .await?
        .into_iter()
        .filter(|e| e.last_error.is_some())
        .collect();
    let longest = failing.iter().min_by_key(|e| failing_since(e));
    let message = first_failure.map(|_| {
        longest
            .and_then(|e| e.last_error.clone())
            .or(newest_words)
            .unwrap_or_else(|| {
                "Kisi fails every call. What to do: nothing; the sync retries after its back-off. If it lasts, check Kisi's status page".to_owned()
            })
    });
    Ok(KisiHealth {
        last_success_at,
        failing_entries: i64::try_from(failing.len()).unwrap_or(i64::MAX),
        failing_since: first_failure,
        message,
    })
}

/// A call of the sync (made for an outbox entry) that Kisi itself failed: no answer, a server
/// error, its rate limit, a refused credential. The hub's own record of an unlock carries no
/// status and is not the sync's.
fn is_kisi_failing(entry: &AuditEntry) -> bool {
    entry.outbox_entry.is_some()
        && entry
            .http_status
            .is_none_or(|status| status >= 500 || status == 429 || status == 401)
}
