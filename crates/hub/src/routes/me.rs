//! The person signed in: their Access page (A1–A3, A5), the explanation for a lock (A5), unlocking
//! with their own Kisi login (A4), and that login for the desktop app.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use doorlink_api::common::Cause;
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{
    DoorName, KisiConfirmation, KisiLoginView, LocationAccess, LocationFilter, LocationOtherDoors,
    LockAccess, LockExplanation, MyAccess, MyOtherDoors, UnlockOutcome, UnlockRequest,
};
use doorlink_core::{
    AccessPageLock, DenialCause, Explanation, KisiLockId, KisiUserState, KisiView, Location,
    LocationFacts, LocationId, PersonId, UnlockRefusal, access_page, door_state_cause,
    doors_not_open_now, explain,
};
use doorlink_store::{AuditOutcome, NewAuditEntry};
use kisi::{KisiError, LockId, UnlockContext};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Member;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::kisi_status::{self, Audience};
use crate::routes::unlock_reports::{UnlockSource, unlock_audit_entry};
use crate::routes::{Body, Path, Query, filtered_locations};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_access))
        .routes(routes!(explain_lock))
        .routes(routes!(my_other_doors))
        .routes(routes!(unlock))
        .routes(routes!(my_kisi_login))
}

/// What the person's facts and Doorlink's view of Kisi say at one location.
pub(super) struct Snapshot {
    location: Location,
    facts: Arc<LocationFacts>,
    view: KisiView,
}

impl Snapshot {
    /// Whether the location's Kisi directory (as the person's view has it) lists the lock.
    pub(super) fn has_lock(&self, lock: KisiLockId) -> bool {
        self.view.lock(lock).is_some()
    }

    /// Whether Doorlink's mirror holds the person's Kisi user (sync wrote it), when the view
    /// states access that needs one.
    fn written(&self, person: PersonId, states_access: bool) -> bool {
        !states_access
            || self
                .view
                .user(person)
                .is_some_and(|user| !matches!(user, KisiUserState::NotCreated))
    }

    /// Issue 17: whether Kisi confirmed the person's access here, in the reader's words.
    async fn confirmation(
        &self,
        state: &AppState,
        person: PersonId,
        states_access: bool,
        audience: Audience,
    ) -> ApiResult<KisiConfirmation> {
        kisi_status::confirmation(
            state,
            self.location.id,
            person,
            self.written(person, states_access),
            audience,
        )
        .await
    }
}

/// Both come from memory unless the store's revision moved since they were cached (another hub
/// or a `doorlink sync` run wrote to the shared database): one single-row read per snapshot.
async fn snapshot(state: &AppState, location: LocationId, person: PersonId) -> ApiResult<Snapshot> {
    let revision = state.store().data_revision().await?;
    let facts = state
        .facts_cache()
        .location(state.store(), location, revision)
        .await?;
    let view =
        crate::kisi_views::for_person(state, location, facts.person(person), revision).await?;
    Ok(Snapshot {
        location: facts.location().clone(),
        facts,
        view,
    })
}

fn lock_access(
    snapshot: &Snapshot,
    person: PersonId,
    lock: &AccessPageLock,
    audience: Audience,
) -> LockAccess {
    let reason = |cause| convert::reason(cause, audience);
    LockAccess {
        lock_id: lock.lock.0,
        name: lock.name.clone(),
        window: convert::window(&lock.window),
        why: lock
            .provenances
            .iter()
            .map(|p| convert::provenance(&snapshot.facts, person, p))
            .collect(),
        restriction: lock.restriction.as_ref().map(reason),
        door_state: lock.door_state.as_ref().map(reason),
    }
}

async fn location_access(
    state: &AppState,
    snapshot: &Snapshot,
    person: PersonId,
    now: DateTime<Utc>,
    audience: Audience,
) -> ApiResult<LocationAccess> {
    let page = access_page(&snapshot.facts, &snapshot.view, person, now);
    let states_access = !page.open_now.is_empty() || !page.upcoming.is_empty();
    let kisi = snapshot
        .confirmation(state, person, states_access, audience)
        .await?;
    Ok(LocationAccess {
        location_id: snapshot.location.id.0,
        location_name: snapshot.location.name.clone(),
        time_zone: snapshot.location.time_zone.name().to_owned(),
        visible: page.visible,
        open_now: page
            .open_now
            .iter()
            .map(|l| lock_access(snapshot, person, l, audience))
            .collect(),
        upcoming: page
            .upcoming
            .iter()
            .map(|l| lock_access(snapshot, person, l, audience))
            .collect(),
        reasons: page
            .blocked
            .iter()
            .map(|c| convert::reason(c, audience))
            .collect(),
        kisi,
    })
}

/// A1–A3, A5: the locks the person may open now, each with its window and why, the windows to
/// come, and the reasons whenever a lock is missing — per location, filtered by its Kisi place.
#[utoipa::path(get, path = doorlink_api::routes::ME_ACCESS, tag = "me", params(LocationFilter),
    responses((status = 200, body = MyAccess), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn my_access(
    State(state): State<AppState>,
    member: Member,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<MyAccess>> {
    Ok(Json(
        access_of(&state, member.person, filter, Audience::Member).await?,
    ))
}

/// The Access page of `person` at every location the filter names: what they see themself, and
/// what the front desk sees on their page (`audience` picks the words of Kisi's confirmation).
pub(super) async fn access_of(
    state: &AppState,
    person: PersonId,
    filter: LocationFilter,
    audience: Audience,
) -> ApiResult<MyAccess> {
    let now = state.now();
    let mut pages = Vec::new();
    for location in filtered_locations(state, filter.location_id).await? {
        let snapshot = snapshot(state, location, person).await?;
        pages.push(location_access(state, &snapshot, person, now, audience).await?);
    }
    Ok(MyAccess {
        person_id: person.0,
        checked_at: now,
        locations: pages,
    })
}

/// Issue 17, point 4: the doors of each location the person cannot open now, by name, to ask
/// "A door you expected isn't here?" about (each answered by the explain route, in the member's
/// words). Names only: nothing about anyone else's access.
#[utoipa::path(get, path = doorlink_api::routes::ME_OTHER_DOORS, tag = "me", params(LocationFilter),
    responses((status = 200, body = MyOtherDoors), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn my_other_doors(
    State(state): State<AppState>,
    member: Member,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<MyOtherDoors>> {
    let now = state.now();
    let mut locations = Vec::new();
    for location in filtered_locations(&state, filter.location_id).await? {
        let snapshot = snapshot(&state, location, member.person).await?;
        let doors = doors_not_open_now(&snapshot.facts, &snapshot.view, member.person, now)
            .into_iter()
            .map(|door| DoorName {
                lock_id: door.lock.0,
                name: door.name,
            })
            .collect();
        locations.push(LocationOtherDoors {
            location_id: snapshot.location.id.0,
            location_name: snapshot.location.name.clone(),
            time_zone: snapshot.location.time_zone.name().to_owned(),
            doors,
        });
    }
    Ok(Json(MyOtherDoors { locations }))
}

/// Finds the location of a lock: the one named, else the first whose Kisi directory lists it.
pub(super) async fn snapshot_for_lock(
    state: &AppState,
    person: PersonId,
    lock: KisiLockId,
    location: Option<i64>,
) -> ApiResult<Snapshot> {
    let candidates = filtered_locations(state, location).await?;
    let mut first = None;
    for location in candidates {
        let snapshot = snapshot(state, location, person).await?;
        if snapshot.view.lock(lock).is_some() {
            return Ok(snapshot);
        }
        first.get_or_insert(snapshot);
    }
    first.ok_or_else(|| ApiError::not_found(format!("lock {lock}")))
}

/// A5 for `person` and `lock` at `now`, the reason in the words of `audience`.
pub(super) fn explanation(
    snapshot: &Snapshot,
    person: PersonId,
    lock: KisiLockId,
    now: DateTime<Utc>,
    audience: Audience,
) -> LockExplanation {
    let base = LockExplanation {
        lock_id: lock.0,
        location_id: snapshot.location.id.0,
        may_open: false,
        window: None,
        why: Vec::new(),
        reason: None,
        verified_in_kisi: true,
        // Read by the explain routes only, which fill it in (`explained`); the unlock paths
        // decide on `may_open` and `reason`.
        kisi: kisi_status::not_asked(),
    };
    match explain(&snapshot.facts, &snapshot.view, person, lock, now) {
        Explanation::MayOpen {
            grants,
            verified_in_kisi,
        } => LockExplanation {
            may_open: true,
            window: grants.first().map(|g| convert::window(&g.window)),
            why: grants
                .iter()
                .flat_map(|g| g.provenances.iter())
                .map(|p| convert::provenance(&snapshot.facts, person, p))
                .collect(),
            verified_in_kisi,
            ..base
        },
        Explanation::Blocked { cause } => LockExplanation {
            reason: Some(convert::reason(&cause, audience)),
            ..base
        },
    }
}

/// A5 with issue 17's status: the explanation, and whether Kisi confirmed the person's access at
/// the lock's location, in the reader's words.
pub(super) async fn explained(
    state: &AppState,
    snapshot: &Snapshot,
    person: PersonId,
    lock: KisiLockId,
    audience: Audience,
) -> ApiResult<LockExplanation> {
    let explanation = explanation(snapshot, person, lock, state.now(), audience);
    let kisi = snapshot
        .confirmation(state, person, explanation.may_open, audience)
        .await?;
    Ok(LockExplanation {
        kisi,
        ..explanation
    })
}

/// A5: may the person open this lock now; if not, the first rule in the way and its fix.
#[utoipa::path(get, path = doorlink_api::routes::ME_LOCKS_LOCK_ID_EXPLAIN, tag = "me",
    params(("lock_id" = i64, Path, description = "A Kisi lock id"), LocationFilter),
    responses((status = 200, body = LockExplanation), (status = 401, body = ErrorBody)))]
async fn explain_lock(
    State(state): State<AppState>,
    member: Member,
    Path(lock_id): Path<i64>,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<LockExplanation>> {
    let lock = KisiLockId(lock_id);
    let snapshot = snapshot_for_lock(&state, member.person, lock, filter.location_id).await?;
    Ok(Json(
        explained(&state, &snapshot, member.person, lock, Audience::Member).await?,
    ))
}

/// A4: unlocks with the person's own Kisi login (so Kisi's log names them) and answers the outcome
/// in plain words: unlocked, or why not and what to do. A rule that stands in the way (including
/// A3's members-only page) is answered without calling Kisi.
#[utoipa::path(post, path = doorlink_api::routes::ME_LOCKS_LOCK_ID_UNLOCK, tag = "me",
    params(("lock_id" = i64, Path, description = "A Kisi lock id")),
    request_body = UnlockRequest,
    responses((status = 200, body = UnlockOutcome), (status = 401, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
async fn unlock(
    State(state): State<AppState>,
    member: Member,
    Path(lock_id): Path<i64>,
    Body(request): Body<UnlockRequest>,
) -> ApiResult<Json<UnlockOutcome>> {
    let lock = KisiLockId(lock_id);
    let context = unlock_context(&request)?;
    let snapshot = snapshot_for_lock(&state, member.person, lock, request.location_id).await?;
    let verdict = explanation(
        &snapshot,
        member.person,
        lock,
        state.now(),
        Audience::Member,
    );
    let refused = |reason| UnlockOutcome {
        lock_id,
        unlocked: false,
        message: "not unlocked".to_owned(),
        reason: Some(reason),
    };
    if let Some(reason) = verdict.reason.filter(|r| !is_kisi_restriction(r.cause)) {
        return Ok(Json(refused(reason)));
    }
    // A3: a members-only Access page does not unlock for people who are not members.
    let page = access_page(&snapshot.facts, &snapshot.view, member.person, state.now());
    if !page.visible {
        let cause = page
            .blocked
            .first()
            .cloned()
            .unwrap_or(DenialCause::AccessPageMembersOnly);
        return Ok(Json(refused(convert::reason(&cause, Audience::Member))));
    }
    let location = snapshot.location.id;
    // I2: the Kisi user is matched by the person's e-mail, not the sign-in account's.
    let email = snapshot.facts.person(member.person).map_or_else(
        || member.user.account.email.to_string(),
        |p| p.email.to_string(),
    );
    let started = Instant::now();
    let result = state
        .sync()
        .engine()
        .unlock_as(location, member.person, &email, LockId(lock_id), &context)
        .await?;
    record_unlock(&state, location, member.person, lock_id, &result, started).await;
    match result {
        Ok(message) => {
            tracing::info!(
                location = location.0,
                person = member.person.0,
                lock = lock_id,
                "unlocked"
            );
            Ok(Json(UnlockOutcome {
                lock_id,
                unlocked: true,
                message: if message.is_empty() {
                    "Unlocked".to_owned()
                } else {
                    message
                },
                reason: None,
            }))
        }
        Err(error) => {
            // Kisi's own words go to the log; the person reads Doorlink's, with Kisi's code.
            tracing::info!(location = location.0, lock = lock_id, %error, "Kisi refused the unlock");
            let refusal = doorlink_sync::unlock_refusal(&error);
            let door_state = door_state_cause(&snapshot.facts, &snapshot.view, lock);
            Ok(Json(refused(match door_state {
                // Kisi's answer to a locked-down or offline door is not documented: when it names
                // no cause of its own, the door's state Kisi last reported explains the refusal.
                Some(cause) if is_unnamed_refusal(refusal) => {
                    convert::reason(&cause, Audience::Member)
                }
                _ => convert::refusal(
                    refusal,
                    &snapshot.view.lock_name(lock),
                    doorlink_sync::kisi_error_code(&error).as_deref(),
                    Audience::Member,
                ),
            })))
        }
    }
}

fn unlock_context(request: &UnlockRequest) -> ApiResult<UnlockContext> {
    let location = match (request.latitude, request.longitude) {
        (Some(latitude), Some(longitude)) => {
            if !(-90.0..=90.0).contains(&latitude) {
                return Err(ApiError::field("latitude", "must be between -90 and 90"));
            }
            if !(-180.0..=180.0).contains(&longitude) {
                return Err(ApiError::field("longitude", "must be between -180 and 180"));
            }
            Some(kisi::Location {
                latitude,
                longitude,
            })
        }
        (None, None) => None,
        (Some(_), None) => return Err(ApiError::field("longitude", "is required with latitude")),
        (None, Some(_)) => return Err(ApiError::field("latitude", "is required with longitude")),
    };
    Ok(UnlockContext {
        location,
        proximity_proof: None,
    })
}

/// A refusal whose Kisi answer names no cause Doorlink knows (a bare 403, a failure).
fn is_unnamed_refusal(refusal: UnlockRefusal) -> bool {
    matches!(
        refusal,
        UnlockRefusal::NoCurrentAccess | UnlockRefusal::KisiFailed
    )
}

/// Restrictions only Kisi enforces: Doorlink still asks Kisi (the geofence may pass with a location).
pub(super) fn is_kisi_restriction(cause: Cause) -> bool {
    matches!(cause, Cause::ReaderRestriction | Cause::GeofenceRestriction)
}

/// Records the unlock in the audit log (the hub's own record beside Kisi's event).
async fn record_unlock(
    state: &AppState,
    location: LocationId,
    person: PersonId,
    lock: i64,
    result: &Result<String, KisiError>,
    started: Instant,
) {
    let (outcome, message) = match result {
        Ok(_) => (AuditOutcome::Succeeded, None),
        Err(error) => (AuditOutcome::Failed, Some(error.to_string())),
    };
    let entry = NewAuditEntry {
        outcome,
        message,
        duration: started.elapsed(),
        ..unlock_audit_entry(location, person, lock, UnlockSource::Hub)
    };
    if let Err(error) = state.store().audit().record(&entry).await {
        tracing::warn!(%error, "could not record the unlock in the audit log");
    }
}

/// The person's own Kisi login for the desktop app, created on their behalf with the admin
/// credential; the desktop keeps it in the OS keychain and unlocks straight with Kisi (A4).
#[utoipa::path(get, path = doorlink_api::routes::ME_KISI_LOGIN, tag = "me", params(LocationFilter),
    responses((status = 200, body = KisiLoginView), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn my_kisi_login(
    State(state): State<AppState>,
    member: Member,
    Query(filter): Query<LocationFilter>,
) -> ApiResult<Json<KisiLoginView>> {
    let location = match filter.location_id {
        Some(id) => LocationId(id),
        None => {
            let mut connected = None;
            for location in filtered_locations(&state, None).await? {
                if state
                    .store()
                    .locations()
                    .connection(location)
                    .await?
                    .is_some_and(|c| c.is_active())
                {
                    connected = Some(location);
                    break;
                }
            }
            connected.ok_or_else(|| {
                ApiError::Conflict("no location is connected to Kisi yet".to_owned())
            })?
        }
    };
    // A4 needs the person's Kisi user, which Doorlink makes once they have door access here:
    // without one, Kisi would only refuse (staff and admins are people too, often without access).
    if state
        .store()
        .kisi_mirror()
        .user(location, member.person)
        .await?
        .is_none()
    {
        return Err(ApiError::Conflict(
            "you have no Kisi user at this location yet: Doorlink makes one once you have door \
             access here (a plan, a booking, a day pass or a grant); ask the front desk"
                .to_owned(),
        ));
    }
    let email = state
        .store()
        .people()
        .get(member.person)
        .await?
        .email
        .to_string();
    let login = state
        .sync()
        .engine()
        .person_login(location, member.person, &email)
        .await?;
    Ok(Json(KisiLoginView {
        location_id: location.0,
        base_url: login.base_url,
        kisi_user_id: login.kisi_user_id,
        email: login.email,
        secret: login.secret.expose().to_owned(),
    }))
}
