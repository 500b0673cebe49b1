//! Subscriptions: items, the item's own door access (M3), beneficiaries (R5), end (R2) and
//! cancellation (R3). Front-desk work: staff only.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use doorlink_api::common::DoorAccess as WireDoorAccess;
use doorlink_api::error::ErrorBody;
use doorlink_api::events::ChangeKind;
use doorlink_api::subscriptions::{
    CancelRequest, HolderRef, ItemRef, NewItemRequest, NewSubscriptionRequest,
    PaymentStatus as WirePayment, SetBeneficiariesRequest, SetEndRequest, SetItemOverrideRequest,
    SubscriptionItemView, SubscriptionQuery, SubscriptionView,
};
use doorlink_core::{
    CompanyId, DoorAccess, Holder, ItemKind, LocationId, PaymentStatus, PersonId, PlanId,
    ProductId, ResourceId, Subscription, SubscriptionId, SubscriptionItemId,
};
use doorlink_store::{NewItem, NewSubscription};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::convert;
use crate::error::{ApiError, ApiResult};
use crate::routes::validate::Problems;
use crate::routes::{Body, Path, Query};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_subscriptions, create_subscription))
        .routes(routes!(get_subscription))
        .routes(routes!(set_end))
        .routes(routes!(cancel))
        .routes(routes!(set_beneficiaries))
        .routes(routes!(add_item))
        .routes(routes!(remove_item))
        .routes(routes!(set_item_access))
}

fn holder(holder: HolderRef) -> Holder {
    match holder {
        HolderRef::Person(id) => Holder::Person(PersonId(id)),
        HolderRef::Company(id) => Holder::Company(CompanyId(id)),
    }
}

fn item_kind(item: ItemRef) -> ItemKind {
    match item {
        ItemRef::Plan(id) => ItemKind::Plan(PlanId(id)),
        ItemRef::ResourceRental(id) => ItemKind::ResourceRental(ResourceId(id)),
        ItemRef::Service(id) => ItemKind::Service(ProductId(id)),
    }
}

fn payment(status: WirePayment) -> PaymentStatus {
    match status {
        WirePayment::Paid => PaymentStatus::Paid,
        WirePayment::Unpaid => PaymentStatus::Unpaid,
        WirePayment::Overdue => PaymentStatus::Overdue,
    }
}

pub(crate) fn subscription_view(location: LocationId, s: &Subscription) -> SubscriptionView {
    SubscriptionView {
        id: s.id.0,
        location_id: location.0,
        holder: match s.holder {
            Holder::Person(p) => HolderRef::Person(p.0),
            Holder::Company(c) => HolderRef::Company(c.0),
        },
        start: s.start,
        end: s.end,
        cancelled_at: s.cancelled_at,
        items: s
            .items
            .iter()
            .map(|item| SubscriptionItemView {
                id: item.id.0,
                sells: match item.kind {
                    ItemKind::Plan(p) => ItemRef::Plan(p.0),
                    ItemKind::ResourceRental(r) => ItemRef::ResourceRental(r.0),
                    ItemKind::Service(p) => ItemRef::Service(p.0),
                },
                access_override: item.access_override.as_ref().map(convert::door_access),
            })
            .collect(),
        beneficiaries: s.beneficiaries.iter().map(|p| p.0).collect(),
        payment_status: match s.payment_status {
            PaymentStatus::Paid => WirePayment::Paid,
            PaymentStatus::Unpaid => WirePayment::Unpaid,
            PaymentStatus::Overdue => WirePayment::Overdue,
        },
    }
}

/// The people whose access a subscription change may move (for live notices).
async fn affected(state: &AppState, s: &Subscription) -> ApiResult<Vec<PersonId>> {
    Ok(match s.holder {
        Holder::Person(p) => vec![p],
        Holder::Company(c) => state
            .store()
            .companies()
            .memberships(c)
            .await?
            .into_iter()
            .map(|m| m.person)
            .collect(),
    })
}

async fn announce(state: &AppState, location: LocationId, s: &Subscription) -> ApiResult<()> {
    let people = affected(state, s).await?;
    state.changed(
        ChangeKind::SubscriptionChanged,
        Some(location),
        people,
        Some(s.id.0),
    );
    Ok(())
}

#[utoipa::path(get, path = doorlink_api::routes::SUBSCRIPTIONS, tag = "subscriptions", params(SubscriptionQuery),
    responses((status = 200, body = Vec<SubscriptionView>), (status = 422, body = ErrorBody)))]
async fn list_subscriptions(
    State(state): State<AppState>,
    _: Staff,
    Query(query): Query<SubscriptionQuery>,
) -> ApiResult<Json<Vec<SubscriptionView>>> {
    let holder = match (query.person_id, query.company_id) {
        (Some(p), None) => Holder::Person(PersonId(p)),
        (None, Some(c)) => Holder::Company(CompanyId(c)),
        _ => {
            return Err(ApiError::field(
                "person_id",
                "give exactly one of person_id and company_id",
            ));
        }
    };
    let found = state.store().subscriptions().of_holder(holder).await?;
    Ok(Json(
        found
            .iter()
            .map(|(l, s)| subscription_view(*l, s))
            .collect(),
    ))
}

/// R1/R2: access from 00:00 on `start` to the end of `end` (location time); R4: payment status
/// is shown only.
#[utoipa::path(post, path = doorlink_api::routes::SUBSCRIPTIONS, tag = "subscriptions", request_body = NewSubscriptionRequest,
    responses((status = 201, body = SubscriptionView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_subscription(
    State(state): State<AppState>,
    _: Staff,
    Body(request): Body<NewSubscriptionRequest>,
) -> ApiResult<(StatusCode, Json<SubscriptionView>)> {
    let mut problems = Problems::new();
    problems.years([
        ("start", Some(&request.start)),
        ("end", request.end.as_ref()),
    ]);
    let holder = holder(request.holder);
    let beneficiaries: BTreeSet<PersonId> = request
        .beneficiaries
        .iter()
        .copied()
        .map(PersonId)
        .collect();
    if let Some(draft) = problems.check(
        "end",
        Subscription::new(
            SubscriptionId(0),
            holder,
            request.start,
            request.end,
            Vec::new(),
        ),
    ) {
        problems.check(
            "beneficiaries",
            draft.with_beneficiaries(beneficiaries.iter().copied()),
        );
    }
    if request.items.is_empty() {
        problems.add(
            "items",
            "at least one item (a plan, a resource rental or a service) is required",
        );
    }
    let location = state
        .store()
        .locations()
        .get(LocationId(request.location_id))
        .await;
    problems.found("location_id", location)?;
    let mut overrides = Vec::new();
    for (i, item) in request.items.iter().enumerate() {
        if let Some(access) = &item.access_override {
            overrides.push((format!("items[{i}].access_override"), access));
        }
    }
    check_item_access(
        &state,
        LocationId(request.location_id),
        overrides,
        &mut problems,
    )
    .await?;
    problems.finish()?;
    let new = NewSubscription {
        location: LocationId(request.location_id),
        holder,
        start: request.start,
        end: request.end,
        items: request
            .items
            .iter()
            .map(|i| NewItem {
                kind: item_kind(i.sells),
                access_override: i.access_override.as_ref().map(convert::door_access_from),
            })
            .collect(),
        beneficiaries,
        payment_status: request.payment_status.map_or(PaymentStatus::Paid, payment),
    };
    let created = state.store().subscriptions().create(&new).await?;
    announce(&state, new.location, &created).await?;
    Ok((
        StatusCode::CREATED,
        Json(subscription_view(new.location, &created)),
    ))
}

#[utoipa::path(get, path = doorlink_api::routes::SUBSCRIPTIONS_ID, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody)))]
async fn get_subscription(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<SubscriptionView>> {
    let (location, s) = subscription(&state, id).await?;
    Ok(Json(subscription_view(location, &s)))
}

/// R2: the last day (a full day), or open-ended with `null`.
#[utoipa::path(put, path = doorlink_api::routes::SUBSCRIPTIONS_ID_END, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")), request_body = SetEndRequest,
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_end(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<SetEndRequest>,
) -> ApiResult<Json<SubscriptionView>> {
    let (location, current) = subscription(&state, id).await?;
    let mut problems = Problems::new();
    problems.years([("end", request.end.as_ref())]);
    let ended = Subscription {
        end: request.end,
        ..current.clone()
    };
    problems.valid(ended.validate());
    problems.finish()?;
    let saved = state
        .store()
        .subscriptions()
        .set_end(current.id, request.end)
        .await?;
    announce(&state, location, &saved).await?;
    Ok(Json(subscription_view(location, &saved)))
}

/// R3: revokes the access now, or at a later instant staff choose.
#[utoipa::path(post, path = doorlink_api::routes::SUBSCRIPTIONS_ID_CANCEL, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")), request_body = CancelRequest,
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<CancelRequest>,
) -> ApiResult<Json<SubscriptionView>> {
    if let Some(at) = request.at
        && at < state.now()
    {
        return Err(ApiError::field(
            "at",
            "must not be in the past: a cancellation takes effect now or later (R3)",
        ));
    }
    let (location, _) = subscription(&state, id).await?;
    let saved = state
        .store()
        .subscriptions()
        .cancel(SubscriptionId(id), request.at)
        .await?;
    announce(&state, location, &saved).await?;
    Ok(Json(subscription_view(location, &saved)))
}

/// R5: only these company members get the access; an empty list gives it to every member.
#[utoipa::path(put, path = doorlink_api::routes::SUBSCRIPTIONS_ID_BENEFICIARIES, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")), request_body = SetBeneficiariesRequest,
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_beneficiaries(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<SetBeneficiariesRequest>,
) -> ApiResult<Json<SubscriptionView>> {
    let (location, current) = subscription(&state, id).await?;
    let beneficiaries: BTreeSet<PersonId> = request
        .beneficiaries
        .iter()
        .copied()
        .map(PersonId)
        .collect();
    current
        .clone()
        .with_beneficiaries(beneficiaries.iter().copied())
        .map_err(ApiError::from)?;
    let before = affected(&state, &current).await?;
    let saved = state
        .store()
        .subscriptions()
        .set_beneficiaries(current.id, &beneficiaries)
        .await?;
    let mut people = affected(&state, &saved).await?;
    people.extend(before);
    state.changed(
        ChangeKind::SubscriptionChanged,
        Some(location),
        people,
        Some(id),
    );
    Ok(Json(subscription_view(location, &saved)))
}

#[utoipa::path(post, path = doorlink_api::routes::SUBSCRIPTIONS_ID_ITEMS, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id")), request_body = NewItemRequest,
    responses((status = 201, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    _: Staff,
    Path(id): Path<i64>,
    Body(request): Body<NewItemRequest>,
) -> ApiResult<(StatusCode, Json<SubscriptionView>)> {
    let (location, _) = subscription(&state, id).await?;
    let item = NewItem {
        kind: item_kind(request.sells),
        access_override: own_access(&state, location, request.access_override.as_ref()).await?,
    };
    let saved = state
        .store()
        .subscriptions()
        .add_item(SubscriptionId(id), &item)
        .await?;
    announce(&state, location, &saved).await?;
    Ok((
        StatusCode::CREATED,
        Json(subscription_view(location, &saved)),
    ))
}

/// Finds the item on this subscription (an item of another subscription is "not found").
async fn item_of(state: &AppState, id: i64, item: i64) -> ApiResult<LocationId> {
    let (location, s) = subscription(state, id).await?;
    if s.items.iter().any(|i| i.id.0 == item) {
        Ok(location)
    } else {
        Err(ApiError::NotFound(format!(
            "subscription {id} has no item {item}"
        )))
    }
}

#[utoipa::path(delete, path = doorlink_api::routes::SUBSCRIPTIONS_ID_ITEMS_ITEM_ID, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id"), ("item_id" = i64, Path, description = "Item id")),
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody)))]
async fn remove_item(
    State(state): State<AppState>,
    _: Staff,
    Path((id, item)): Path<(i64, i64)>,
) -> ApiResult<Json<SubscriptionView>> {
    let location = item_of(&state, id, item).await?;
    let saved = state
        .store()
        .subscriptions()
        .remove_item(SubscriptionItemId(item))
        .await?;
    announce(&state, location, &saved).await?;
    Ok(Json(subscription_view(location, &saved)))
}

/// M3: the item's own door access, written at once for an active item; `null` inherits again,
/// an empty door access is "Not selected".
#[utoipa::path(put, path = doorlink_api::routes::SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS, tag = "subscriptions",
    params(("id" = i64, Path, description = "Subscription id"), ("item_id" = i64, Path, description = "Item id")),
    request_body = SetItemOverrideRequest,
    responses((status = 200, body = SubscriptionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_item_access(
    State(state): State<AppState>,
    _: Staff,
    Path((id, item)): Path<(i64, i64)>,
    Body(request): Body<SetItemOverrideRequest>,
) -> ApiResult<Json<SubscriptionView>> {
    let location = item_of(&state, id, item).await?;
    let access = own_access(&state, location, request.access_override.as_ref()).await?;
    let saved = state
        .store()
        .subscriptions()
        .set_item_override(SubscriptionItemId(item), access.as_ref())
        .await?;
    announce(&state, location, &saved).await?;
    Ok(Json(subscription_view(location, &saved)))
}

/// The subscription and its location (the store's NotFound is the route's 404).
async fn subscription(state: &AppState, id: i64) -> ApiResult<(LocationId, Subscription)> {
    Ok(state
        .store()
        .subscriptions()
        .get(SubscriptionId(id))
        .await?)
}

/// An item's own door access (M3) as given to an existing item, checked against the location's
/// Kisi directory (field `access_override`): `None` inherits the product's.
async fn own_access(
    state: &AppState,
    location: LocationId,
    access: Option<&WireDoorAccess>,
) -> ApiResult<Option<DoorAccess>> {
    let mut problems = Problems::new();
    let asked = access.map(|access| ("access_override".to_owned(), access));
    check_item_access(state, location, asked.into_iter().collect(), &mut problems).await?;
    problems.finish()?;
    Ok(access.map(convert::door_access_from))
}

/// M3: an item's own door access names only groups and locks of the location's Kisi directory,
/// whether the item is created with the subscription, added later or given its access later
/// (each `(field, access)` is checked; the directory is read once, only when there is one).
async fn check_item_access(
    state: &AppState,
    location: LocationId,
    own_access: Vec<(String, &WireDoorAccess)>,
    problems: &mut Problems,
) -> ApiResult<()> {
    if own_access.is_empty() {
        return Ok(());
    }
    let view = state.store().kisi_mirror().kisi_view(location).await?;
    for (field, access) in own_access {
        problems.door_access(&field, access, &view);
    }
    Ok(())
}
