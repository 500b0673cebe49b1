//! The support bundle: what a support engineer needs to read without access to the machine (the
//! Doorlink version, each location's settings and Kisi connection state, mapping warnings, the
//! sync queue with its failures, the newest audit entries, record counts), for
//! `doorlink export-support-bundle` and the admin's download (`GET /api/support-bundle`).
//!
//! What it never contains: Kisi API keys or login secrets (the location's, or a person's own, A4),
//! password hashes, session or invitation tokens, or the secret key. Every field is chosen here by
//! name, not by dumping tables, so a new secret column cannot leak into it.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use doorlink_core::{
    AccessPageVisibility, AccessTarget, KisiView, Location, LocationId, MappingProblem,
    mapping_warnings as lint,
};
use doorlink_store::{
    AuditEntry, AuditFilter, AuditOutcome, KisiAuth, KisiConnection, MappingOwner, OutboxEntry,
    OutboxScope, Result, Store,
};
use serde::Serialize;

/// How many of the newest audit entries the bundle carries.
pub(crate) const AUDIT_ENTRIES: u32 = 500;

#[derive(Debug, Clone, Serialize)]
pub struct SupportBundle {
    pub doorlink_version: &'static str,
    pub generated_at: DateTime<Utc>,
    pub counts: Counts,
    pub locations: Vec<LocationReport>,
    pub sync: SyncStatus,
    /// The newest entries first.
    pub audit: Vec<AuditLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub people: usize,
    pub subscriptions: usize,
    pub bookings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LocationReport {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub booking_grace_minutes: u32,
    /// A3.
    pub access_page_visibility: AccessPageVisibility,
    pub kisi: KisiConnectionReport,
    /// A2: the Kisi place the Access page is limited to; `None` = all places.
    pub kisi_place: Option<String>,
    pub mapping_warnings: Vec<MappingWarning>,
    pub counts: Counts,
}

/// C1–C3, without the credential: only how Doorlink signed in and where the credential is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KisiConnectionReport {
    /// `not_connected`, `connected` or `disconnected` (C3).
    pub state: &'static str,
    /// `api_key` or `owner_login` (C1).
    pub method: Option<&'static str>,
    pub base_url: Option<String>,
    pub account_email: Option<String>,
    pub organization_domain: Option<String>,
    /// `encrypted_in_database` (the only place a credential is kept); never the credential.
    pub credential_kept: Option<&'static str>,
    pub connected_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
}

/// What staff see as a warning on a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingWarning {
    /// `M8` (a group shared with members Doorlink did not add), `C4` (gone from Kisi) or `A4` (a
    /// group whose app access is off or that allows only the primary device).
    pub rule: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    /// Entries that ran and failed, waiting for their next try.
    pub failing: usize,
    pub queue: Vec<QueueEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueueEntry {
    pub id: i64,
    pub location_id: i64,
    /// The person re-evaluated; `None` for a full reconcile of the location.
    pub person_id: Option<i64>,
    pub reason: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_try_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub location_id: Option<i64>,
    pub person_id: Option<i64>,
    pub outbox_entry_id: Option<i64>,
    pub operation: String,
    pub http_method: String,
    pub path: String,
    pub succeeded: bool,
    pub http_status: Option<u16>,
    pub kisi_error_code: Option<String>,
    pub message: Option<String>,
    pub duration_ms: u128,
}

/// Reads the bundle from the store.
pub async fn gather(store: &Store, now: DateTime<Utc>) -> Result<SupportBundle> {
    let mut locations = Vec::new();
    let mut counts = Counts {
        people: store.people().list().await?.len(),
        ..Counts::default()
    };
    for location in store.locations().list().await? {
        let report = location_report(store, &location).await?;
        counts.subscriptions += report.counts.subscriptions;
        counts.bookings += report.counts.bookings;
        locations.push(report);
    }
    let queue: Vec<QueueEntry> = store
        .outbox()
        .entries(None)
        .await?
        .iter()
        .map(queue_entry)
        .collect();
    let audit = store
        .audit()
        .list(&AuditFilter::default(), None, AUDIT_ENTRIES)
        .await?
        .entries
        .iter()
        .map(audit_line)
        .collect();
    Ok(SupportBundle {
        doorlink_version: env!("CARGO_PKG_VERSION"),
        generated_at: now,
        counts,
        locations,
        sync: SyncStatus {
            failing: queue.iter().filter(|e| e.last_error.is_some()).count(),
            queue,
        },
        audit,
    })
}

async fn location_report(store: &Store, location: &Location) -> Result<LocationReport> {
    let mirror = store.kisi_mirror();
    let facts = store.load_location_facts(location.id).await?;
    let connection = store.locations().connection(location.id).await?;
    let view = mirror.kisi_view(location.id).await?;
    let places: BTreeMap<_, _> = mirror
        .places(location.id)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let kisi_place = location.kisi_place.map(|place| {
        places.get(&place).map_or_else(
            || format!("place {place}"),
            |name| format!("{name} ({place})"),
        )
    });
    let mut mapping_warnings = Vec::new();
    for group in mirror.shared_mapped_groups(location.id).await? {
        mapping_warnings.push(MappingWarning {
            rule: "M8",
            message: format!(
                "{} has members Doorlink did not add; use a group dedicated to Doorlink",
                group_name(&view, group)
            ),
        });
    }
    // A4: each mapped group whose settings refuse Doorlink's unlocks, once, in the lint's words.
    let mut seen = HashSet::new();
    for warning in lint(&facts, &view) {
        let setting = matches!(
            warning.problem,
            MappingProblem::AppAccessOff | MappingProblem::PrimaryDeviceOnly
        );
        if setting && seen.insert((warning.target, warning.problem)) {
            mapping_warnings.push(MappingWarning {
                rule: warning.problem.rule(),
                message: warning.problem.warning(&view.target_name(warning.target)),
            });
        }
    }
    for orphan in mirror.orphaned_targets(location.id).await? {
        let target = match orphan.target {
            AccessTarget::Group(group) => format!("Kisi group \"{}\" ({group})", orphan.name),
            AccessTarget::Lock(lock) => format!("Kisi lock \"{}\" ({lock})", orphan.name),
        };
        let used_by: Vec<String> = orphan.used_by.iter().map(owner).collect();
        mapping_warnings.push(MappingWarning {
            rule: "C4",
            message: format!(
                "{target} is gone from Kisi since {}; it breaks {}",
                orphan.orphaned_at,
                used_by.join(", ")
            ),
        });
    }
    let records = facts.records();
    Ok(LocationReport {
        id: location.id.0,
        name: location.name.clone(),
        time_zone: location.time_zone.name().to_owned(),
        booking_grace_minutes: location.booking_grace.minutes(),
        access_page_visibility: location.access_page_visibility,
        kisi: connection_report(connection.as_ref()),
        kisi_place,
        mapping_warnings,
        counts: Counts {
            people: records.people.len(),
            subscriptions: records.subscriptions.len(),
            bookings: records.bookings.len(),
        },
    })
}

fn group_name(view: &KisiView, group: doorlink_core::KisiGroupId) -> String {
    view.group(group).map_or_else(
        || format!("Kisi group {group}"),
        |g| format!("Kisi group \"{}\" ({group})", g.name),
    )
}

fn owner(owner: &MappingOwner) -> String {
    match owner {
        MappingOwner::Plan(id) => format!("plan {id}"),
        MappingOwner::Resource(id) => format!("resource {id}"),
        MappingOwner::Product(id) => format!("product {id}"),
        MappingOwner::VisitorPolicy(id) => format!("visitor policy {id}"),
        MappingOwner::SubscriptionItem(id) => format!("subscription item {id}"),
        MappingOwner::ManualGrant(id) => format!("manual grant {id}"),
    }
}

fn connection_report(connection: Option<&KisiConnection>) -> KisiConnectionReport {
    let Some(connection) = connection else {
        return KisiConnectionReport {
            state: "not_connected",
            method: None,
            base_url: None,
            account_email: None,
            organization_domain: None,
            credential_kept: None,
            connected_at: None,
            disconnected_at: None,
        };
    };
    let (method, account_email, organization_domain) = match &connection.auth {
        KisiAuth::ApiKey => ("api_key", None, None),
        KisiAuth::OwnerLogin {
            account_email,
            organization_domain,
            ..
        } => (
            "owner_login",
            Some(account_email.clone()),
            Some(organization_domain.clone()),
        ),
    };
    KisiConnectionReport {
        state: if connection.is_active() {
            "connected"
        } else {
            "disconnected"
        },
        method: Some(method),
        base_url: Some(connection.base_url.clone()),
        account_email,
        organization_domain,
        credential_kept: Some("encrypted_in_database"),
        connected_at: Some(connection.connected_at),
        disconnected_at: connection.disconnected_at,
    }
}

fn queue_entry(entry: &OutboxEntry) -> QueueEntry {
    let (location, person): (LocationId, _) = match entry.scope {
        OutboxScope::Person { location, person } => (location, Some(person.0)),
        OutboxScope::Location(location) => (location, None),
    };
    QueueEntry {
        id: entry.id.0,
        location_id: location.0,
        person_id: person,
        reason: entry.reason.clone(),
        attempts: entry.attempts,
        last_error: entry.last_error.clone(),
        next_try_at: entry.next_try_at,
        created_at: entry.created_at,
    }
}

fn audit_line(entry: &AuditEntry) -> AuditLine {
    AuditLine {
        id: entry.id.0,
        at: entry.at,
        location_id: entry.location.map(|l| l.0),
        person_id: entry.person.map(|p| p.0),
        outbox_entry_id: entry.outbox_entry.map(|e| e.0),
        operation: entry.operation.clone(),
        http_method: entry.http_method.clone(),
        path: entry.path.clone(),
        succeeded: entry.outcome == AuditOutcome::Succeeded,
        http_status: entry.http_status,
        kisi_error_code: entry.kisi_error_code.clone(),
        message: entry.message.clone(),
        duration_ms: entry.duration.as_millis(),
    }
}
