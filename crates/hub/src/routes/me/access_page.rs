//! The Access page (A1–A3, A5): the locks a person may open now and to come, with windows and
//! why, the reasons whenever a lock is missing, and the doors they cannot open now by name.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use doorlink_api::error::ErrorBody;
use doorlink_api::me::{
    DoorName, LocationAccess, LocationFilter, LocationOtherDoors, LockAccess, MyAccess,
    MyOtherDoors,
};
use doorlink_core::{AccessPageLock, PersonId, access_page, doors_not_open_now};

use super::snapshot::{Snapshot, snapshot};
use crate::auth::Member;
use crate::convert;
use crate::error::ApiResult;
use crate::kisi_status::Audience;
use crate::routes::{Query, filtered_locations};
use crate::state::AppState;

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
            .map(|p| p.words(&snapshot.facts, person))
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
pub(super) async fn my_access(
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
pub(in crate::routes) async fn access_of(
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
pub(super) async fn my_other_doors(
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
