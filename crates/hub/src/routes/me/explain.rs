//! A5: may the person open a lock now, and if not, the first rule in the way and its fix.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{LocationFilter, LockExplanation};
use doorlink_core::{Explanation, KisiLockId, PersonId, explain};

use super::snapshot::{Snapshot, snapshot_for_lock};
use crate::auth::Member;
use crate::convert;
use crate::error::ApiResult;
use crate::kisi_status::{self, Audience};
use crate::routes::{Path, Query};
use crate::state::AppState;

/// A5 for `person` and `lock` at `now`, the reason in the words of `audience`.
pub(in crate::routes) fn explanation(
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
                .map(|p| p.words(&snapshot.facts, person))
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
pub(in crate::routes) async fn explained(
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
pub(super) async fn explain_lock(
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
