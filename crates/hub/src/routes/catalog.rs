//! What a location offers: plans, resources, products and visitor policies. Staff read; admins
//! create them (their door access is configuration, see `mappings.rs`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::catalog::{
    NewPlanRequest, NewProductRequest, NewResourceRequest, NewVisitorPolicyRequest, PlanView,
    ProductKind as WireProductKind, ProductView, ResourceKind as WireResourceKind, ResourceView,
    VisitorPolicyView,
};
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_core::{
    LocationId, Plan, Product, ProductKind, Resource, ResourceKind, VisitorPolicy,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Staff};
use crate::convert;
use crate::error::ApiResult;
use crate::routes::validate::Problems;
use crate::routes::{Body, Path};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(create_plan))
        .routes(routes!(list_resources))
        .routes(routes!(create_resource))
        .routes(routes!(list_products))
        .routes(routes!(create_product))
        .routes(routes!(list_policies))
        .routes(routes!(create_policy))
}

pub fn plan_view(location: LocationId, plan: &Plan) -> PlanView {
    PlanView {
        id: plan.id.0,
        location_id: location.0,
        name: plan.name.clone(),
        door_access: convert::door_access(&plan.door_access),
    }
}

pub fn resource_view(location: LocationId, resource: &Resource) -> ResourceView {
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

pub fn product_view(location: LocationId, product: &Product) -> ProductView {
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

pub fn policy_view(location: LocationId, policy: &VisitorPolicy) -> VisitorPolicyView {
    VisitorPolicyView {
        id: policy.id.0,
        location_id: location.0,
        name: policy.name.clone(),
        door_access: convert::door_access(&policy.door_access),
    }
}

/// Checks the name and the door access against the location's Kisi catalogue.
async fn check_new(
    state: &AppState,
    location: i64,
    name: &str,
    access: &doorlink_api::common::DoorAccess,
) -> ApiResult<(LocationId, String)> {
    let location = state
        .store()
        .locations()
        .get(LocationId(location))
        .await
        .map_err(|_| {
            crate::error::ApiError::field(
                "location_id",
                format!("location {location} does not exist"),
            )
        })?;
    let view = state.store().kisi_mirror().kisi_view(location.id).await?;
    let mut problems = Problems::new();
    let name = problems.text("name", name);
    problems.door_access("door_access", access, &view);
    problems.finish()?;
    Ok((location.id, name))
}

#[utoipa::path(get, path = "/api/locations/{id}/plans", tag = "catalog",
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

#[utoipa::path(post, path = "/api/plans", tag = "catalog", request_body = NewPlanRequest,
    responses((status = 201, body = PlanView), (status = 422, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<NewPlanRequest>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    let (location, name) = check_new(
        &state,
        request.location_id,
        &request.name,
        &request.door_access,
    )
    .await?;
    let plan = state
        .store()
        .catalog()
        .create_plan(
            location,
            &name,
            &convert::door_access_from(&request.door_access),
        )
        .await?;
    state.changed(
        ChangeKind::CatalogChanged,
        Some(location),
        [],
        Some(plan.id.0),
    );
    Ok((StatusCode::CREATED, Json(plan_view(location, &plan))))
}

#[utoipa::path(get, path = "/api/locations/{id}/resources", tag = "catalog",
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

#[utoipa::path(post, path = "/api/resources", tag = "catalog", request_body = NewResourceRequest,
    responses((status = 201, body = ResourceView), (status = 422, body = ErrorBody)))]
async fn create_resource(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<NewResourceRequest>,
) -> ApiResult<(StatusCode, Json<ResourceView>)> {
    let (location, name) = check_new(
        &state,
        request.location_id,
        &request.name,
        &request.door_access,
    )
    .await?;
    let kind = match request.kind {
        WireResourceKind::Room => ResourceKind::Room,
        WireResourceKind::Desk => ResourceKind::Desk,
        WireResourceKind::Office => ResourceKind::Office,
        WireResourceKind::Equipment => ResourceKind::Equipment,
        WireResourceKind::Parking => ResourceKind::Parking,
    };
    let resource = state
        .store()
        .catalog()
        .create_resource(
            location,
            &name,
            kind,
            &convert::door_access_from(&request.door_access),
        )
        .await?;
    state.changed(
        ChangeKind::CatalogChanged,
        Some(location),
        [],
        Some(resource.id.0),
    );
    Ok((
        StatusCode::CREATED,
        Json(resource_view(location, &resource)),
    ))
}

#[utoipa::path(get, path = "/api/locations/{id}/products", tag = "catalog",
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

#[utoipa::path(post, path = "/api/products", tag = "catalog", request_body = NewProductRequest,
    responses((status = 201, body = ProductView), (status = 422, body = ErrorBody)))]
async fn create_product(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<NewProductRequest>,
) -> ApiResult<(StatusCode, Json<ProductView>)> {
    let (location, name) = check_new(
        &state,
        request.location_id,
        &request.name,
        &request.door_access,
    )
    .await?;
    let kind = match request.kind {
        WireProductKind::DayPass => ProductKind::DayPass,
        WireProductKind::Service => ProductKind::Service,
    };
    let product = state
        .store()
        .catalog()
        .create_product(
            location,
            &name,
            kind,
            &convert::door_access_from(&request.door_access),
        )
        .await?;
    state.changed(
        ChangeKind::CatalogChanged,
        Some(location),
        [],
        Some(product.id.0),
    );
    Ok((StatusCode::CREATED, Json(product_view(location, &product))))
}

#[utoipa::path(get, path = "/api/locations/{id}/visitor-policies", tag = "catalog",
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

#[utoipa::path(post, path = "/api/visitor-policies", tag = "catalog", request_body = NewVisitorPolicyRequest,
    responses((status = 201, body = VisitorPolicyView), (status = 422, body = ErrorBody)))]
async fn create_policy(
    State(state): State<AppState>,
    _: Admin,
    Body(request): Body<NewVisitorPolicyRequest>,
) -> ApiResult<(StatusCode, Json<VisitorPolicyView>)> {
    let (location, name) = check_new(
        &state,
        request.location_id,
        &request.name,
        &request.door_access,
    )
    .await?;
    let policy = state
        .store()
        .catalog()
        .create_visitor_policy(
            location,
            &name,
            &convert::door_access_from(&request.door_access),
        )
        .await?;
    state.changed(
        ChangeKind::CatalogChanged,
        Some(location),
        [],
        Some(policy.id.0),
    );
    Ok((StatusCode::CREATED, Json(policy_view(location, &policy))))
}
