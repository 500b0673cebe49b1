//! Door-access mappings (M1, M2, M4, M5) and their warnings (C4 orphaned, M8 shared group, A4 app
//! access off or primary device only; the words are core's `MappingProblem::warning`).
//! Staff read; admins change. (M3 item overrides are front-desk work: see `subscriptions.rs`.)

use axum::Json;
use axum::extract::State;
use doorlink_api::catalog::{PlanView, ProductView, ResourceView, VisitorPolicyView};
use doorlink_api::common::DoorAccess;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::mappings::MappingView;
use doorlink_core::{
    LocationId, Mapping, PlanId, ProductId, ResourceId, VisitorPolicyId, mapping_warnings, mappings,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::ApiResult;
use crate::routes::catalog::{plan_view, policy_view, product_view, resource_view};
use crate::routes::validate::Problems;
use crate::routes::{Body, Path};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mappings))
        .routes(routes!(set_plan_access))
        .routes(routes!(set_resource_access))
        .routes(routes!(set_product_access))
        .routes(routes!(set_policy_access))
}

fn mapping_parts(mapping: Mapping) -> (&'static str, i64, Option<i64>) {
    match mapping {
        Mapping::Plan { plan } => ("plan", plan.0, None),
        Mapping::Resource { resource } => ("resource", resource.0, None),
        Mapping::Product { product } => ("product", product.0, None),
        Mapping::VisitorPolicy { policy } => ("visitor_policy", policy.0, None),
        Mapping::SubscriptionItem { subscription, item } => {
            ("subscription_item", item.0, Some(subscription.0))
        }
        Mapping::ManualGrant { grant } => ("manual_grant", grant.0, None),
    }
}

/// Every configured door access at the location, with warnings staff should act on.
#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_MAPPINGS, tag = "mappings",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Vec<MappingView>), (status = 404, body = ErrorBody)))]
async fn list_mappings(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<MappingView>>> {
    let location = LocationId(id);
    let facts = state.store().load_location_facts(location).await?;
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    let warnings = mapping_warnings(&facts, &view);
    let views = mappings(&facts)
        .into_iter()
        .map(|(mapping, access)| {
            let (kind, id, subscription_id) = mapping_parts(mapping);
            MappingView {
                kind: kind.to_owned(),
                id,
                subscription_id,
                door_access: convert::door_access(access),
                warnings: warnings
                    .iter()
                    .filter(|w| w.mapping == mapping)
                    .map(|w| w.problem.warning(&view.target_name(w.target)))
                    .collect(),
            }
        })
        .collect();
    Ok(Json(views))
}

async fn checked_access(
    state: &AppState,
    location: LocationId,
    access: &DoorAccess,
) -> ApiResult<doorlink_core::DoorAccess> {
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    let mut problems = Problems::new();
    problems.door_access("door_access", access, &view);
    problems.finish()?;
    Ok(convert::door_access_from(access))
}

/// M1: the plan's door access; every subscription to it follows (location-wide re-evaluation).
#[utoipa::path(put, path = doorlink_api::routes::PLANS_ID_DOOR_ACCESS, tag = "mappings",
    params(("id" = i64, Path, description = "Plan id")), request_body = DoorAccess,
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_plan_access(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(access): Body<DoorAccess>,
) -> ApiResult<Json<PlanView>> {
    let (location, mut plan) = state.store().catalog().plan(PlanId(id)).await?;
    plan.door_access = checked_access(&state, location, &access).await?;
    let saved = state.store().catalog().update_plan(&plan).await?;
    state.changed(ChangeKind::MappingChanged, Some(location), [], Some(id));
    Ok(Json(plan_view(location, &saved)))
}

/// M2: the resource's door access, for its bookings and rentals.
#[utoipa::path(put, path = doorlink_api::routes::RESOURCES_ID_DOOR_ACCESS, tag = "mappings",
    params(("id" = i64, Path, description = "Resource id")), request_body = DoorAccess,
    responses((status = 200, body = ResourceView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_resource_access(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(access): Body<DoorAccess>,
) -> ApiResult<Json<ResourceView>> {
    let (location, mut resource) = state.store().catalog().resource(ResourceId(id)).await?;
    resource.door_access = checked_access(&state, location, &access).await?;
    let saved = state.store().catalog().update_resource(&resource).await?;
    state.changed(ChangeKind::MappingChanged, Some(location), [], Some(id));
    Ok(Json(resource_view(location, &saved)))
}

/// M4: a day-pass or service product's door access.
#[utoipa::path(put, path = doorlink_api::routes::PRODUCTS_ID_DOOR_ACCESS, tag = "mappings",
    params(("id" = i64, Path, description = "Product id")), request_body = DoorAccess,
    responses((status = 200, body = ProductView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_product_access(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(access): Body<DoorAccess>,
) -> ApiResult<Json<ProductView>> {
    let (location, mut product) = state.store().catalog().product(ProductId(id)).await?;
    product.door_access = checked_access(&state, location, &access).await?;
    let saved = state.store().catalog().update_product(&product).await?;
    state.changed(ChangeKind::MappingChanged, Some(location), [], Some(id));
    Ok(Json(product_view(location, &saved)))
}

/// M5: a visitor policy's door access (visits get a Kisi access link).
#[utoipa::path(put, path = doorlink_api::routes::VISITOR_POLICIES_ID_DOOR_ACCESS, tag = "mappings",
    params(("id" = i64, Path, description = "Visitor policy id")), request_body = DoorAccess,
    responses((status = 200, body = VisitorPolicyView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_policy_access(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(access): Body<DoorAccess>,
) -> ApiResult<Json<VisitorPolicyView>> {
    let (location, mut policy) = state
        .store()
        .catalog()
        .visitor_policy(VisitorPolicyId(id))
        .await?;
    policy.door_access = checked_access(&state, location, &access).await?;
    let saved = state
        .store()
        .catalog()
        .update_visitor_policy(&policy)
        .await?;
    state.changed(ChangeKind::MappingChanged, Some(location), [], Some(id));
    Ok(Json(policy_view(location, &saved)))
}
