//! Every Kisi call sync makes goes through [`AuditedKisi::call`], which times it and writes the
//! call and its outcome (HTTP status, Kisi error code, duration) to the store's audit log.

use std::future::Future;
use std::time::Instant;

use doorlink_core::{LocationId, PersonId};
use doorlink_store::{AuditOutcome, NewAuditEntry, OutboxEntryId, Store};
use kisi::{KisiClient, KisiError};

use crate::fence::Fence;

/// The Kisi client of one location, with what the audit log needs to know about each call.
#[derive(Debug, Clone)]
pub(crate) struct AuditedKisi {
    pub(crate) client: KisiClient,
    store: Store,
    location: LocationId,
    outbox_entry: Option<OutboxEntryId>,
    /// The location's lease: checked before every call (one writer per location, C3). `None`
    /// only for calls that change nobody's access (a member's own login): those must not wait
    /// behind a long reconcile while the member stands at the door.
    fence: Option<Fence>,
}

/// A Kisi call about to be made: what it is for and where it goes.
#[derive(Debug)]
pub(crate) struct CallInfo {
    /// In words, for the audit page ("grant group 12 to person 7 from … until …").
    pub(crate) operation: String,
    pub(crate) method: &'static str,
    /// Path without host or secrets.
    pub(crate) path: String,
    pub(crate) person: Option<PersonId>,
    /// The status Kisi answers a success with: 204 for deletes, 200 otherwise — creates too, as
    /// Kisi's docs and its official client show (docs/kisi-api.md), not 201.
    pub(crate) success_status: u16,
}

impl CallInfo {
    pub(crate) fn new(
        operation: impl Into<String>,
        method: &'static str,
        path: impl Into<String>,
        person: Option<PersonId>,
    ) -> Self {
        let success_status = match method {
            "DELETE" => 204,
            _ => 200,
        };
        Self {
            operation: operation.into(),
            method,
            path: path.into(),
            person,
            success_status,
        }
    }
}

impl AuditedKisi {
    pub(crate) fn new(
        client: KisiClient,
        store: Store,
        location: LocationId,
        outbox_entry: Option<OutboxEntryId>,
        fence: Fence,
    ) -> Self {
        Self {
            client,
            store,
            location,
            outbox_entry,
            fence: Some(fence),
        }
    }

    /// This client with its calls in `lane` of Kisi's budget: a full reconcile's are bulk, and
    /// leave each slot to a person's change waiting for it (issue 12).
    pub(crate) fn in_lane(&self, lane: kisi::Lane) -> Self {
        Self {
            client: self.client.in_lane(lane),
            ..self.clone()
        }
    }

    /// This client for the calls of outbox entry `entry` (a person entry served during a long
    /// run's interlude): the audit log files them under that entry, not the long run's.
    pub(crate) fn for_entry(&self, entry: OutboxEntryId) -> Self {
        Self {
            outbox_entry: Some(entry),
            ..self.clone()
        }
    }

    /// A client outside the location's lease, for calls that grant and revoke nothing.
    pub(crate) fn outside_lease(client: KisiClient, store: Store, location: LocationId) -> Self {
        Self {
            client,
            store,
            location,
            outbox_entry: None,
            fence: None,
        }
    }

    /// Runs one Kisi call and records it, once the location's lease was renewed: a writer whose
    /// lease was taken over or fenced (disconnect, C3) never sends it, its run ends instead
    /// ([`Fence::check`]). A failure to write the audit row is logged, not
    /// returned: Kisi already acted, and the mirror must still learn about it.
    pub(crate) async fn call<T>(
        &self,
        info: CallInfo,
        call: impl Future<Output = Result<T, KisiError>>,
    ) -> Result<T, KisiError> {
        if let Some(fence) = &self.fence {
            fence.check().await;
        }
        audited(&self.store, self.location, self.outbox_entry, info, call).await
    }
}

/// Runs one Kisi call made without a location's client (an owner sign-in, a person's own login)
/// and records it like [`AuditedKisi::call`].
pub(crate) async fn audited<T>(
    store: &Store,
    location: LocationId,
    outbox_entry: Option<OutboxEntryId>,
    info: CallInfo,
    call: impl Future<Output = Result<T, KisiError>>,
) -> Result<T, KisiError> {
    let started = Instant::now();
    let result = call.await;
    let duration = started.elapsed();
    let (outcome, http_status, kisi_error_code, message) = match &result {
        Ok(_) => (
            AuditOutcome::Succeeded,
            Some(info.success_status),
            None,
            None,
        ),
        Err(error) => {
            let (status, code) = status_and_code(error);
            (AuditOutcome::Failed, status, code, Some(error.to_string()))
        }
    };
    let entry = NewAuditEntry {
        location: Some(location),
        person: info.person,
        outbox_entry,
        operation: info.operation,
        http_method: info.method.to_owned(),
        path: info.path,
        outcome,
        http_status,
        kisi_error_code,
        message,
        duration,
    };
    if let Err(error) = store.audit().record(&entry).await {
        tracing::warn!(%error, operation = %entry.operation, "could not write the audit log");
    }
    result
}

/// The HTTP status and Kisi error code behind a client error (`None` when no answer came).
pub(crate) fn status_and_code(error: &KisiError) -> (Option<u16>, Option<String>) {
    let fixed = |status: u16, code: &str| (Some(status), Some(code.to_owned()));
    match error {
        KisiError::Unauthorized { code, .. } => (Some(401), Some(code.clone())),
        KisiError::UnconfirmedEmail { .. } => fixed(401, "unconfirmed_email"),
        KisiError::Forbidden { code, .. } => (Some(403), Some(code.clone())),
        KisiError::NoCurrentAccess { .. } => fixed(403, "access_denied"),
        KisiError::ReaderRestricted { .. } => fixed(403, "bb5bbff"),
        KisiError::GeofenceRestricted { .. } => fixed(403, "geofence_restricted"),
        KisiError::TimeRestricted { .. } => fixed(403, "time_restricted"),
        KisiError::GroupNotFound { .. } => fixed(404, "group_not_found"),
        KisiError::Invalid { code, .. } => (Some(422), Some(code.clone())),
        KisiError::LoginQuotaExceeded { .. } => fixed(422, "login_quota_exceeded"),
        KisiError::RateLimited { .. } => fixed(429, "rate_limited"),
        KisiError::Server { status, code, .. } | KisiError::Unexpected { status, code, .. } => {
            (Some(*status), Some(code.clone()).filter(|c| !c.is_empty()))
        }
        KisiError::Timeout { .. }
        | KisiError::Network { .. }
        | KisiError::InvalidResponse { .. }
        | KisiError::InvalidConfig { .. } => (None, None),
    }
}
