//! The audit log: every Kisi call Doorlink makes and its outcome (status, Kisi error code,
//! duration), and every action people take in Doorlink (issue 17 point 13: who did what, to whom,
//! and whether it was done or refused), for the admin's audit page and support bundles. Read
//! newest first, with filters and keyset paging (stable while new entries arrive).

use std::time::Duration;

use chrono::{DateTime, Utc};
use doorlink_core::{LocationId, PersonId};
use sqlx::FromRow;

use crate::accounts::AccountId;
use crate::codec::{Flag, instant, millis, opt_millis};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::outbox::OutboxEntryId;

/// The id of an audit entry; ids grow with time, so they double as the paging cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuditEntryId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditOutcome {
    Succeeded,
    Failed,
}

impl AuditOutcome {
    fn as_text(self) -> &'static str {
        match self {
            AuditOutcome::Succeeded => "succeeded",
            AuditOutcome::Failed => "failed",
        }
    }

    fn from_text(text: &str) -> Result<Self> {
        match text {
            "succeeded" => Ok(AuditOutcome::Succeeded),
            "failed" => Ok(AuditOutcome::Failed),
            other => Err(StoreError::corrupt("audit_log", "outcome", other)),
        }
    }
}

/// What an entry records: a call Doorlink made to Kisi, or an action someone took in Doorlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    KisiCall,
    Action,
}

impl AuditKind {
    fn as_text(self) -> &'static str {
        match self {
            AuditKind::KisiCall => "kisi",
            AuditKind::Action => "action",
        }
    }

    fn from_text(text: &str) -> Result<Self> {
        match text {
            "kisi" => Ok(AuditKind::KisiCall),
            "action" => Ok(AuditKind::Action),
            other => Err(StoreError::corrupt("audit_log", "kind", other)),
        }
    }
}

/// Which kinds of entries a read returns. The default is Kisi calls only: what every reader of
/// the log read before actions were recorded (Kisi's health, the sync's tests, support bundles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AuditKinds {
    #[default]
    KisiCalls,
    Actions,
    Both,
}

/// Who took an action: the signed-in account, its person if it has one, and the name shown for
/// them (the person's name, else the account's e-mail), kept as it was at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    pub account: AccountId,
    pub person: Option<PersonId>,
    pub name: String,
}

/// One action someone took in Doorlink (a request that changes something), done or refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionEntry {
    pub actor: AuditActor,
    pub location: Option<LocationId>,
    /// The person the action was about, if any.
    pub subject: Option<PersonId>,
    /// What was done or tried, in words ("Cancelled the booking of Room A … for Ada Lovelace").
    pub words: String,
    pub http_method: String,
    /// The Doorlink path asked for ("/api/bookings/7/cancel").
    pub path: String,
    pub outcome: AuditOutcome,
    pub http_status: u16,
    /// Why it was refused or failed, as the caller was told.
    pub message: Option<String>,
    pub duration: Duration,
}

/// One Kisi call to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub location: Option<LocationId>,
    /// The person the call was made for, if any.
    pub person: Option<PersonId>,
    /// The outbox entry whose work made the call, if any.
    pub outbox_entry: Option<OutboxEntryId>,
    /// What Doorlink meant to do, in words ("grant Front door to ana@example.com").
    pub operation: String,
    pub http_method: String,
    /// The Kisi path, without the host and without secrets ("/role_assignments/17").
    pub path: String,
    pub outcome: AuditOutcome,
    /// `None` when no response came back (timeout, connection refused).
    pub http_status: Option<u16>,
    /// Kisi's error code, when it sent one.
    pub kisi_error_code: Option<String>,
    /// A human-readable message (Kisi's error text or Doorlink's explanation).
    pub message: Option<String>,
    pub duration: Duration,
}

/// A recorded Kisi call (or action): what was recorded ([`NewAuditEntry`], whose fields read
/// straight through, `entry.operation`), with its id, its time and who took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditEntryId,
    pub at: DateTime<Utc>,
    pub recorded: NewAuditEntry,
    /// Reported by the desktop app (A4), unverified: what the person's computer claims happened.
    pub desktop_claim: bool,
    pub kind: AuditKind,
    /// Who took the action (actions only).
    pub actor: Option<AuditActor>,
}

impl std::ops::Deref for AuditEntry {
    type Target = NewAuditEntry;

    fn deref(&self) -> &NewAuditEntry {
        &self.recorded
    }
}

/// Which entries to read; every field narrows, `Default` reads everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub location: Option<LocationId>,
    pub person: Option<PersonId>,
    pub outcome: Option<AuditOutcome>,
    pub outbox_entry: Option<OutboxEntryId>,
    /// Entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Entries before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Kisi calls (the default), actions, or both. With actions, a location filter also keeps
    /// actions of no one location (accounts, people, companies are the whole space's).
    pub kinds: AuditKinds,
    /// Actions taken by this account.
    pub actor: Option<AccountId>,
}

/// One page of entries, newest first, and the cursor for the next (older) page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` to read the next page; `None` on the last page.
    pub next_before: Option<AuditEntryId>,
}

/// The most entries one page returns.
pub const MAX_AUDIT_PAGE: u32 = 500;

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    location_id: Option<i64>,
    person_id: Option<i64>,
    outbox_entry_id: Option<i64>,
    operation: String,
    http_method: String,
    path: String,
    outcome: String,
    http_status: Option<i64>,
    kisi_error_code: Option<String>,
    message: Option<String>,
    duration_ms: i64,
    #[sqlx(try_from = "Flag")]
    desktop_claim: bool,
    kind: String,
    actor_account_id: Option<i64>,
    actor_person_id: Option<i64>,
    actor_name: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> Result<Self> {
        let http_status = row
            .http_status
            .map(|status| {
                u16::try_from(status)
                    .map_err(|_| StoreError::corrupt("audit_log", "http_status", &status))
            })
            .transpose()?;
        Ok(Self {
            id: AuditEntryId(row.id),
            at: instant("audit_log", "at", row.at)?,
            recorded: NewAuditEntry {
                location: row.location_id.map(LocationId),
                person: row.person_id.map(PersonId),
                outbox_entry: row.outbox_entry_id.map(OutboxEntryId),
                operation: row.operation,
                http_method: row.http_method,
                path: row.path,
                outcome: AuditOutcome::from_text(&row.outcome)?,
                http_status,
                kisi_error_code: row.kisi_error_code,
                message: row.message,
                duration: Duration::from_millis(u64::try_from(row.duration_ms).unwrap_or(0)),
            },
            desktop_claim: row.desktop_claim,
            kind: AuditKind::from_text(&row.kind)?,
            actor: row.actor_account_id.map(|account| AuditActor {
                account: AccountId(account),
                person: row.actor_person_id.map(PersonId),
                name: row.actor_name.unwrap_or_default(),
            }),
        })
    }
}

/// The audit-log repository.
#[derive(Debug, Clone, Copy)]
pub struct AuditLog<'s> {
    store: &'s Store,
}

impl Store {
    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog { store: self }
    }
}

impl AuditLog<'_> {
    /// Records one Kisi call, stamped with the store's clock.
    pub async fn record(&self, entry: &NewAuditEntry) -> Result<AuditEntryId> {
        self.insert(entry, self.store.now(), false).await
    }

    /// Records a Kisi call the desktop app says it made at `at` (A4: its direct unlocks, reported
    /// afterwards and possibly late), marked as its claim: Doorlink did not see the call.
    pub async fn record_desktop_claim(
        &self,
        entry: &NewAuditEntry,
        at: DateTime<Utc>,
    ) -> Result<AuditEntryId> {
        self.insert(entry, at, true).await
    }

    /// Records an action someone took, stamped with the store's clock.
    pub async fn record_action(&self, entry: &NewActionEntry) -> Result<AuditEntryId> {
        let duration_ms = i64::try_from(entry.duration.as_millis()).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, location_id, person_id, operation, http_method, path, \
                                    outcome, http_status, message, duration_ms, kind, \
                                    actor_account_id, actor_person_id, actor_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'action', $11, $12, $13) \
             RETURNING id",
        )
        .bind(millis(self.store.now()))
        .bind(entry.location.map(|l| l.0))
        .bind(entry.subject.map(|p| p.0))
        .bind(&entry.words)
        .bind(&entry.http_method)
        .bind(&entry.path)
        .bind(entry.outcome.as_text())
        .bind(i64::from(entry.http_status))
        .bind(&entry.message)
        .bind(duration_ms)
        .bind(entry.actor.account.0)
        .bind(entry.actor.person.map(|p| p.0))
        .bind(&entry.actor.name)
        .fetch_one(self.store.pool())
        .await?;
        Ok(AuditEntryId(id))
    }

    async fn insert(
        &self,
        entry: &NewAuditEntry,
        at: DateTime<Utc>,
        desktop_claim: bool,
    ) -> Result<AuditEntryId> {
        let duration_ms = i64::try_from(entry.duration.as_millis()).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, location_id, person_id, outbox_entry_id, operation, \
                                    http_method, path, outcome, http_status, kisi_error_code, \
                                    message, duration_ms, desktop_claim) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(millis(at))
        .bind(entry.location.map(|l| l.0))
        .bind(entry.person.map(|p| p.0))
        .bind(entry.outbox_entry.map(|e| e.0))
        .bind(&entry.operation)
        .bind(&entry.http_method)
        .bind(&entry.path)
        .bind(entry.outcome.as_text())
        .bind(entry.http_status.map(i64::from))
        .bind(&entry.kisi_error_code)
        .bind(&entry.message)
        .bind(duration_ms)
        .bind(desktop_claim)
        .fetch_one(self.store.pool())
        .await?;
        Ok(AuditEntryId(id))
    }

    /// Entries matching `filter`, newest first, at most `limit` (capped at [`MAX_AUDIT_PAGE`]),
    /// strictly older than `before` when given.
    pub async fn list(
        &self,
        filter: &AuditFilter,
        before: Option<AuditEntryId>,
        limit: u32,
    ) -> Result<AuditPage> {
        let limit = limit.clamp(1, MAX_AUDIT_PAGE);
        // One row more than asked tells whether another page exists.
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, location_id, person_id, outbox_entry_id, operation, http_method, path, \
                    outcome, http_status, kisi_error_code, message, duration_ms, desktop_claim, \
                    kind, actor_account_id, actor_person_id, actor_name \
             FROM audit_log \
             WHERE ($1 IS NULL OR location_id = $1 \
                    OR (kind = 'action' AND location_id IS NULL)) \
               AND ($9 IS NULL OR kind = $9) \
               AND ($10 IS NULL OR actor_account_id = $10) \
               AND ($2 IS NULL OR person_id = $2) \
               AND ($3 IS NULL OR outcome = $3) \
               AND ($4 IS NULL OR outbox_entry_id = $4) \
               AND ($5 IS NULL OR at >= $5) \
               AND ($6 IS NULL OR at < $6) \
               AND ($7 IS NULL OR id < $7) \
             ORDER BY id DESC LIMIT $8",
        )
        .bind(filter.location.map(|l| l.0))
        .bind(filter.person.map(|p| p.0))
        .bind(filter.outcome.map(AuditOutcome::as_text))
        .bind(filter.outbox_entry.map(|e| e.0))
        .bind(opt_millis(filter.since))
        .bind(opt_millis(filter.until))
        .bind(before.map(|b| b.0))
        .bind(i64::from(limit) + 1)
        .bind(match filter.kinds {
            AuditKinds::KisiCalls => Some(AuditKind::KisiCall.as_text()),
            AuditKinds::Actions => Some(AuditKind::Action.as_text()),
            AuditKinds::Both => None,
        })
        .bind(filter.actor.map(|a| a.0))
        .fetch_all(self.store.pool())
        .await?;
        let mut entries = rows
            .into_iter()
            .map(AuditEntry::try_from)
            .collect::<Result<Vec<_>>>()?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next_before = if more {
            entries.last().map(|entry| entry.id)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            next_before,
        })
    }
}
