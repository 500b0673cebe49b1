//! Companies and their members (R5: a member gains the company's access at once and loses it at
//! once on leaving). Staff only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::{Page, PageQuery};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::people::{
    AddMemberRequest, CompanyRequest, CompanyView, MembershipView, RemoveMemberQuery,
};
use doorlink_core::{Company, CompanyId, CompanyMembership, PersonId};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::error::ApiResult;
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query, page_of};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_companies, create_company))
        .routes(routes!(get_company, rename_company))
        .routes(routes!(list_members, add_member))
        .routes(routes!(remove_member))
}

fn company_view(company: &Company) -> CompanyView {
    CompanyView {
        id: company.id.0,
        name: company.name.clone(),
    }
}

fn membership_view(membership: &CompanyMembership) -> MembershipView {
    MembershipView {
        person_id: membership.person.0,
        company_id: membership.company.0,
        joined_at: membership.joined_at,
        left_at: membership.left_at,
    }
}

#[utoipa::path(get, path = doorlink_api::routes::COMPANIES, tag = "companies", params(PageQuery),
    responses((status = 200, body = Page<CompanyView>), (status = 403, body = ErrorBody)))]
async fn list_companies(
    State(state): State<AppState>,
    _: Staff,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<CompanyView>>> {
    let companies = state.store().companies().list().await?;
    Ok(Json(page_of(
        companies.iter().map(company_view).collect(),
        page.offset,
        page.limit,
    )?))
}

#[utoipa::path(post, path = doorlink_api::routes::COMPANIES, tag = "companies", request_body = CompanyRequest,
    responses((status = 201, body = CompanyView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_company(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<CompanyRequest>,
) -> ApiResult<(StatusCode, Json<CompanyView>)> {
    let mut problems = Problems::new();
    let name = problems.text("name", &request.name);
    problems.finish()?;
    let company = state.store().companies().create(&name).await?;
    state.changed(ChangeKind::CompanyChanged, None, [], Some(company.id.0));
    Ok((StatusCode::CREATED, Json(company_view(&company))))
}

#[utoipa::path(get, path = doorlink_api::routes::COMPANIES_ID, tag = "companies",
    params(("id" = i64, Path, description = "Company id")),
    responses((status = 200, body = CompanyView), (status = 404, body = ErrorBody)))]
async fn get_company(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<CompanyView>> {
    Ok(Json(company_view(
        &state.store().companies().get(CompanyId(id)).await?,
    )))
}

#[utoipa::path(patch, path = doorlink_api::routes::COMPANIES_ID, tag = "companies",
    params(("id" = i64, Path, description = "Company id")), request_body = CompanyRequest,
    responses((status = 200, body = CompanyView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rename_company(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<CompanyRequest>,
) -> ApiResult<Json<CompanyView>> {
    let mut problems = Problems::new();
    let name = problems.text("name", &request.name);
    problems.finish()?;
    let company = state
        .store()
        .companies()
        .rename(CompanyId(id), &name)
        .await?;
    state.changed(ChangeKind::CompanyChanged, None, [], Some(company.id.0));
    Ok(Json(company_view(&company)))
}

/// Every membership interval of the company, current and past.
#[utoipa::path(get, path = doorlink_api::routes::COMPANIES_ID_MEMBERS, tag = "companies",
    params(("id" = i64, Path, description = "Company id")),
    responses((status = 200, body = Vec<MembershipView>), (status = 404, body = ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<MembershipView>>> {
    let company = state.store().companies().get(CompanyId(id)).await?;
    let members = state.store().companies().memberships(company.id).await?;
    Ok(Json(members.iter().map(membership_view).collect()))
}

/// R5: adds a person to the company; they gain its subscriptions' access at once.
#[utoipa::path(post, path = doorlink_api::routes::COMPANIES_ID_MEMBERS, tag = "companies",
    params(("id" = i64, Path, description = "Company id")), request_body = AddMemberRequest,
    responses((status = 201, body = MembershipView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_member(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<AddMemberRequest>,
) -> ApiResult<(StatusCode, Json<MembershipView>)> {
    let membership = state
        .store()
        .companies()
        .add_member(
            CompanyId(id),
            PersonId(request.person_id),
            request.joined_at,
        )
        .await?;
    state.changed(
        ChangeKind::CompanyChanged,
        None,
        [membership.person],
        Some(id),
    );
    Ok((StatusCode::CREATED, Json(membership_view(&membership))))
}

/// R5: removes a person from the company now, or at `leaves_at`; they lose its access from
/// then on. A future membership (not begun by then) is deleted outright.
#[utoipa::path(delete, path = doorlink_api::routes::COMPANIES_ID_MEMBERS_PERSON_ID, tag = "companies",
    params(("id" = i64, Path, description = "Company id"), ("person_id" = i64, Path, description = "Person id"),
           RemoveMemberQuery),
    responses((status = 200, body = MembershipView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    _: Staff,
    Path((id, person)): Path<(i64, i64)>,
    Query(query): Query<RemoveMemberQuery>,
) -> ApiResult<Json<MembershipView>> {
    let membership = state
        .store()
        .companies()
        .remove_member(CompanyId(id), PersonId(person), query.leaves_at)
        .await?;
    state.changed(
        ChangeKind::CompanyChanged,
        None,
        [membership.person],
        Some(id),
    );
    Ok(Json(membership_view(&membership)))
}
