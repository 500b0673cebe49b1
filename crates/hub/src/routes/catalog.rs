//! What a location offers: plans, resources, products and visitor policies. Staff read; admins
//! create and edit them (their door access is configuration, see also `mappings.rs`). Each handler
//! keeps its own OpenAPI description; the work is shared in `entry.rs`.

mod entry;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::catalog::{
    NewPlanRequest, NewProductRequest, NewResourceRequest, NewVisitorPolicyRequest, PlanView,
    ProductKind as WireProductKind, ProductView, ResourceKind as WireResourceKind, ResourceView,
    UpdatePlanRequest, UpdateProductRequest, UpdateResourceRequest, UpdateVisitorPolicyRequest,
    VisitorPolicyView,
};
use doorlink_api::error::ErrorBody;
use doorlink_core::{
    LocationId, Plan, Product, ProductKind, Resource, ResourceKind, VisitorPolicy,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::ApiResult;
use crate::routes::{Body, Path};
use crate::state::AppState;
use entry::{EntryChanges, NewEntry, create_entry, update_entry};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(create_plan))
        .routes(routes!(update_plan))
        .routes(routes!(list_resources))
        .routes(routes!(create_resource))
        .routes(routes!(update_resource))
        .routes(routes!(list_products))
        .routes(routes!(create_product))
        .routes(routes!(update_product))
        .routes(routes!(list_policies))
        .routes(routes!(create_policy))
        .routes(routes!(update_policy))
}

pub(crate) fn plan_view(location: LocationId, plan: &Plan) -> PlanView {
    PlanView {
        id: plan.id.0,
        location_id: location.0,
        name: plan.name.clone(),
        door_access: convert::door_access(&plan.door_access),
    }
}

pub(crate) fn resource_view(location: LocationId, resource: &Resource) -> ResourceView {
    ResourceView {
        id: resource.id.0,
        location_id: location.0,
        name: resource.name.clone(),
        kind: match resource.kind {
            ResourceKind::Room => WireResourceKind::Room,
            ResourceKind::Desk => WireResourceKind::Desk,
            ResourceKind::Office => WireResourceKind::Office,
            ResourceKind::Equipment => WireResourceKind::Equipment,
            ResourceKind::Parking => WireResourceKind::Parking,
        },
        door_access: convert::door_access(&resource.door_access),
    }
}

pub(crate) fn product_view(location: LocationId, product: &Product) -> ProductView {
    ProductView {
        id: product.id.0,
        location_id: location.0,
        name: product.name.clone(),
        kind: match product.kind {
            ProductKind::DayPass => WireProductKind::DayPass,
            ProductKind::Service => WireProductKind::Service,
        },
        door_access: convert::door_access(&product.door_access),
    }
}

pub(crate) fn policy_view(location: LocationId, policy: &VisitorPolicy) -> VisitorPolicyView {
    VisitorPolicyView {
        id: policy.id.0,
        location_id: location.0,
        name: policy.name.clone(),
        door_access: convert::door_access(&policy.door_access),
    }
}

fn resource_kind(kind: WireResourceKind) -> ResourceKind {
    match kind {
        WireResourceKind::Room => ResourceKind::Room,
        WireResourceKind::Desk => ResourceKind::Desk,
        WireResourceKind::Office => ResourceKind::Office,
        WireResourceKind::Equipment => ResourceKind::Equipment,
        WireResourceKind::Parking => ResourceKind::Parking,
    }
}

fn product_kind(kind: WireProductKind) -> ProductKind {
    match kind {
        WireProductKind::DayPass => ProductKind::DayPass,
        WireProductKind::Service => ProductKind::Service,
    }
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_PLANS, tag = "catalog",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Vec<PlanView>), (status = 403, body = ErrorBody)))]
async fn list_plans(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PlanView>>> {
    let location = LocationId(id);
    let plans = state.store().catalog().plans(location).await?;
    Ok(Json(plans.iter().map(|p| plan_view(location, p)).collect()))
}

/// M1: a membership plan and the door access its subscriptions inherit.
#[utoipa::path(post, path = doorlink_api::routes::PLANS, tag = "catalog", request_body = NewPlanRequest,
    responses((status = 201, body = PlanView), (status = 422, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    _: Admin,
    Body(r): Body<NewPlanRequest>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    let new = NewEntry {
        location_id: r.location_id,
        name: r.name,
        kind: (),
        door_access: r.door_access,
    };
    let view = create_entry::<Plan>(&state, new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Renames a plan or changes its door access; a new door access re-evaluates its subscribers.
#[utoipa::path(patch, path = doorlink_api::routes::PLANS_ID, tag = "catalog",
    params(("id" = i64, Path, description = "Plan id")), request_body = UpdatePlanRequest,
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_plan(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(r): Body<UpdatePlanRequest>,
) -> ApiResult<Json<PlanView>> {
    let changes = EntryChanges {
        name: r.name,
        kind: None,
        door_access: r.door_access,
    };
    Ok(Json(update_entry::<Plan>(&state, id, changes).await?))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_RESOURCES, tag = "catalog",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Vec<ResourceView>), (status = 403, body = ErrorBody)))]
async fn list_resources(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ResourceView>>> {
    let location = LocationId(id);
    let resources = state.store().catalog().resources(location).await?;
    Ok(Json(
        resources
            .iter()
            .map(|r| resource_view(location, r))
            .collect(),
    ))
}

/// M2: a bookable or rentable resource and the door access its bookings and rentals inherit.
#[utoipa::path(post, path = doorlink_api::routes::RESOURCES, tag = "catalog", request_body = NewResourceRequest,
    responses((status = 201, body = ResourceView), (status = 422, body = ErrorBody)))]
async fn create_resource(
    State(state): State<AppState>,
    _: Admin,
    Body(r): Body<NewResourceRequest>,
) -> ApiResult<(StatusCode, Json<ResourceView>)> {
    let new = NewEntry {
        location_id: r.location_id,
        name: r.name,
        kind: resource_kind(r.kind),
        door_access: r.door_access,
    };
    let view = create_entry::<Resource>(&state, new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Renames a resource, changes its kind or its door access; a new kind or door access
/// re-evaluates the people with bookings or rentals of it.
#[utoipa::path(patch, path = doorlink_api::routes::RESOURCES_ID, tag = "catalog",
    params(("id" = i64, Path, description = "Resource id")), request_body = UpdateResourceRequest,
    responses((status = 200, body = ResourceView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_resource(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(r): Body<UpdateResourceRequest>,
) -> ApiResult<Json<ResourceView>> {
    let changes = EntryChanges {
        name: r.name,
        kind: r.kind.map(resource_kind),
        door_access: r.door_access,
    };
    Ok(Json(update_entry::<Resource>(&state, id, changes).await?))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_PRODUCTS, tag = "catalog",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Vec<ProductView>), (status = 403, body = ErrorBody)))]
async fn list_products(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ProductView>>> {
    let location = LocationId(id);
    let products = state.store().catalog().products(location).await?;
    Ok(Json(
        products.iter().map(|p| product_view(location, p)).collect(),
    ))
}

/// M4: a day-pass or service product and its door access.
#[utoipa::path(post, path = doorlink_api::routes::PRODUCTS, tag = "catalog", request_body = NewProductRequest,
    responses((status = 201, body = ProductView), (status = 422, body = ErrorBody)))]
async fn create_product(
    State(state): State<AppState>,
    _: Admin,
    Body(r): Body<NewProductRequest>,
) -> ApiResult<(StatusCode, Json<ProductView>)> {
    let new = NewEntry {
        location_id: r.location_id,
        name: r.name,
        kind: product_kind(r.kind),
        door_access: r.door_access,
    };
    let view = create_entry::<Product>(&state, new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Renames a product, changes its kind or its door access; a new kind or door access
/// re-evaluates its day-pass holders and subscribers.
#[utoipa::path(patch, path = doorlink_api::routes::PRODUCTS_ID, tag = "catalog",
    params(("id" = i64, Path, description = "Product id")), request_body = UpdateProductRequest,
    responses((status = 200, body = ProductView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_product(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(r): Body<UpdateProductRequest>,
) -> ApiResult<Json<ProductView>> {
    let changes = EntryChanges {
        name: r.name,
        kind: r.kind.map(product_kind),
        door_access: r.door_access,
    };
    Ok(Json(update_entry::<Product>(&state, id, changes).await?))
}

#[utoipa::path(get, path = doorlink_api::routes::LOCATIONS_ID_VISITOR_POLICIES, tag = "catalog",
    params(("id" = i64, Path, description = "Location id")),
    responses((status = 200, body = Vec<VisitorPolicyView>), (status = 403, body = ErrorBody)))]
async fn list_policies(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<VisitorPolicyView>>> {
    let location = LocationId(id);
    let policies = state.store().catalog().visitor_policies(location).await?;
    Ok(Json(
        policies.iter().map(|p| policy_view(location, p)).collect(),
    ))
}

/// M5: a visitor policy and the door access its visits get.
#[utoipa::path(post, path = doorlink_api::routes::VISITOR_POLICIES, tag = "catalog", request_body = NewVisitorPolicyRequest,
    responses((status = 201, body = VisitorPolicyView), (status = 422, body = ErrorBody)))]
async fn create_policy(
    State(state): State<AppState>,
    _: Admin,
    Body(r): Body<NewVisitorPolicyRequest>,
) -> ApiResult<(StatusCode, Json<VisitorPolicyView>)> {
    let new = NewEntry {
        location_id: r.location_id,
        name: r.name,
        kind: (),
        door_access: r.door_access,
    };
    let view = create_entry::<VisitorPolicy>(&state, new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Renames a visitor policy or changes its door access; a new door access re-evaluates its visits.
#[utoipa::path(patch, path = doorlink_api::routes::VISITOR_POLICIES_ID, tag = "catalog",
    params(("id" = i64, Path, description = "Visitor policy id")),
    request_body = UpdateVisitorPolicyRequest,
    responses((status = 200, body = VisitorPolicyView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_policy(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<i64>,
    Body(r): Body<UpdateVisitorPolicyRequest>,
) -> ApiResult<Json<VisitorPolicyView>> {
    let changes = EntryChanges {
        name: r.name,
        kind: None,
        door_access: r.door_access,
    };
    Ok(Json(
        update_entry::<VisitorPolicy>(&state, id, changes).await?,
    ))
}
