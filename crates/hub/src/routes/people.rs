//! People: the front desk lists, adds and edits them. Staff only; a member sees only themself,
//! through `/api/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::Page;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::people::{
    LocationPeopleQuery, NewPersonRequest, PeopleQuery, PersonStandingView, PersonView,
    StandingFilter, UpdatePersonRequest,
};
use doorlink_core::{Email, LocationId, Person, PersonId, Standing, standing};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query, page_bounds, page_of};
use crate::state::AppState;

/// The longest search: an e-mail address (254) is the longest thing anyone looks for.
const MAX_SEARCH_CHARS: usize = 254;

/// A people search as typed (absent = everybody), refused at its field beyond the longest e-mail.
fn checked_search(search: Option<&str>) -> ApiResult<&str> {
    let search = search.unwrap_or("");
    if search.chars().count() > MAX_SEARCH_CHARS {
        return Err(ApiError::field(
            "search",
            format!("must be at most {MAX_SEARCH_CHARS} characters (a name or an e-mail)"),
        ));
    }
    Ok(search)
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person))
        .routes(routes!(list_location_people))
}

/// The most people a location's People list sorts and filters in memory (every match of the
/// search is weighed before the page is cut, so the filter and the total stay exact).
const MAX_LISTED: u32 = 100_000;

pub(crate) fn person_view(person: &Person) -> PersonView {
    PersonView {
        id: person.id.0,
        name: person.name.clone(),
        email: person.email.to_string(),
    }
}

/// People by name, one page at a time; `search` keeps those whose name or e-mail contains it,
/// in any case (the search runs in the database, not over everybody loaded).
#[utoipa::path(get, path = doorlink_api::routes::PEOPLE, tag = "people", params(PeopleQuery),
    responses((status = 200, body = Page<PersonView>), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn list_people(
    State(state): State<AppState>,
    _: Staff,
    Query(query): Query<PeopleQuery>,
) -> ApiResult<Json<Page<PersonView>>> {
    let (offset, limit) = page_bounds(query.offset, query.limit)?;
    let search = checked_search(query.search.as_deref())?;
    let found = state.store().people().search(search, offset, limit).await?;
    Ok(Json(Page {
        items: found.people.iter().map(person_view).collect(),
        total: found.total,
        offset,
        limit,
    }))
}

/// A location's People list for the front desk (issue 17): each person with the plans they are
/// on now and whether their door access is on hold there, filtered by that standing.
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_PEOPLE, tag = "people",
    params(("id" = i64, Path, description = "Location id"), LocationPeopleQuery),
    responses((status = 200, body = Page<PersonStandingView>), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_location_people(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Query(query): Query<LocationPeopleQuery>,
) -> ApiResult<Json<Page<PersonStandingView>>> {
    page_bounds(query.offset, query.limit)?;
    let search = checked_search(query.search.as_deref())?;
    let location = state.store().locations().get(LocationId(id)).await?;
    let revision = state.store().data_revision().await?;
    let facts = state
        .facts_cache()
        .location(state.store(), location.id, revision)
        .await?;
    let found = state.store().people().search(search, 0, MAX_LISTED).await?;
    let now = state.now();
    let listed: Vec<PersonStandingView> = found
        .people
        .iter()
        .map(|person| (person, standing(&facts, person.id, now)))
        .filter(|(_, standing)| keeps(query.standing, standing))
        .map(|(person, standing)| PersonStandingView {
            id: person.id.0,
            name: person.name.clone(),
            email: person.email.to_string(),
            plans: standing.plans,
            on_hold_since: standing.on_hold_since,
        })
        .collect();
    Ok(Json(page_of(listed, query.offset, query.limit)?))
}

fn keeps(filter: Option<StandingFilter>, standing: &Standing) -> bool {
    match filter {
        None => true,
        Some(StandingFilter::Members) => standing.is_member(),
        Some(StandingFilter::NoPlan) => !standing.is_member(),
        Some(StandingFilter::OnHold) => standing.on_hold_since.is_some(),
    }
}

#[utoipa::path(post, path = doorlink_api::routes::PEOPLE, tag = "people", request_body = NewPersonRequest,
    responses((status = 201, body = PersonView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_person(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewPersonRequest>,
) -> ApiResult<(StatusCode, Json<PersonView>)> {
    let mut problems = Problems::new();
    let name = problems.text("name", &request.name);
    problems.check("email", Email::parse(&request.email));
    problems.finish()?;
    let person = state.store().people().create(&name, &request.email).await?;
    state.changed(
        ChangeKind::PersonChanged,
        None,
        [person.id],
        Some(person.id.0),
    );
    Ok((StatusCode::CREATED, Json(person_view(&person))))
}

#[utoipa::path(get, path = doorlink_api::routes::PEOPLE_ID, tag = "people",
    params(("id" = i64, Path, description = "Person id")),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<PersonView>> {
    let person = state.store().people().get(PersonId(id)).await?;
    Ok(Json(person_view(&person)))
}

/// Renames a person or changes their e-mail (I2: their Kisi user is matched by e-mail, so sync
/// notices the drift and offers to re-link rather than create a second user).
#[utoipa::path(patch, path = doorlink_api::routes::PEOPLE_ID, tag = "people",
    params(("id" = i64, Path, description = "Person id")), request_body = UpdatePersonRequest,
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_person(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<UpdatePersonRequest>,
) -> ApiResult<Json<PersonView>> {
    let mut person = state.store().people().get(PersonId(id)).await?;
    let mut problems = Problems::new();
    if let Some(name) = &request.name {
        person.name = problems.text("name", name);
    }
    if let Some(email) = &request.email
        && let Some(email) = problems.check("email", Email::parse(email))
    {
        person.email = email;
    }
    problems.finish()?;
    let saved = state.store().people().update(&person).await?;
    state.changed(
        ChangeKind::PersonChanged,
        None,
        [saved.id],
        Some(saved.id.0),
    );
    Ok(Json(person_view(&saved)))
}
