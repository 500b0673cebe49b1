//! The control API over HTTP, 1:1 with [`crate::Control`] (the README's "Control API"). Real Kisi
//! has nothing like it; it is never authenticated, rate-limited or faulted.
//!
//! | method + path                      | body                                   | Control call |
//! |------------------------------------|----------------------------------------|--------------|
//! | POST /__emulator/seed              | a seed document                        | try_seed → SeedIds |
//! | GET  /__emulator/state             |                                        | state → Snapshot |
//! | GET  /__emulator/clock             |                                        | now |
//! | PUT  /__emulator/clock             | {"now": "2026-03-02T09:00:00Z"}        | set_clock |
//! | POST /__emulator/clock/advance     | {"seconds": 90}                        | advance_clock |
//! | POST /__emulator/faults            | {"latency_ms": 200} …                  | inject |
//! | DELETE /__emulator/faults          |                                        | clear_faults |
//! | DELETE /__emulator/groups/{id}     |                                        | delete_group |
//! | DELETE /__emulator/locks/{id}      |                                        | delete_lock |
//! | PUT  /__emulator/locks/{id}/restrictions  | {"reader","geofence","time"}    | set_lock_restrictions |
//! | PUT  /__emulator/groups/{id}/restrictions | {"reader","geofence","time"}    | set_group_restrictions |
//! | PUT  /__emulator/locks/{id}/state  | {"online": false, "locked_down": true} | set_lock_state |
//! | POST /__emulator/users             | {"email","name","confirmed"}           | add_regular_user |
//! | POST /__emulator/role_assignments  | {"user_id","group_id","valid_from","valid_until"} | add_role_assignment_by_hand |
//! | PUT  /__emulator/login_quota       | {"login_quota": 10}                    | set_login_quota |
//! | PUT  /__emulator/rate_limit        | {"per_second": 5} or null              | set_rate_limit |
//! | PUT  /__emulator/overlap_policy    | {"policy": "refuse"} or "allow"        | set_overlap_policy |
//! | PUT  /__emulator/offline_readers   | {"readers": "refuse"} or "open_from_cache" | set_offline_readers |
//! | GET  /__emulator/assignment_history |                                       | assignment_history |
//! | POST /__emulator/webhooks          | {"url","secret"?,"event_types"?}       | add_webhook → {"id"} |
//! | GET  /__emulator/webhooks          |                                        | webhooks (with deliveries) |
//! | DELETE /__emulator/webhooks/{id}   |                                        | remove_webhook |
//! | POST /__emulator/webhook_faults    | {"duplicate","delay_ms","drop":{"count"},"reorder","retries","signature_encoding"} | inject_webhook_faults |
//! | DELETE /__emulator/webhook_faults  |                                        | clear_webhook_faults |
//! | POST /__emulator/locks/{id}/tap    | {"user_id": 7, "credential": "card"}   | tap → TapOutcome |

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::control::{Control, ControlError, Credential};
use crate::faults::Fault;
use crate::seed::Seed;
use crate::state::{LockState, OfflineReaders, OverlapPolicy, Restrictions};
use crate::webhooks::{NewWebhook, WebhookFaults};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/seed", post(seed))
        .route("/state", get(state))
        .route("/clock", get(now).put(set_clock))
        .route("/clock/advance", post(advance_clock))
        .route("/faults", post(inject).delete(clear_faults))
        .route("/groups/{id}", delete(delete_group))
        .route("/locks/{id}", delete(delete_lock))
        .route("/locks/{id}/restrictions", put(set_lock_restrictions))
        .route("/groups/{id}/restrictions", put(set_group_restrictions))
        .route("/locks/{id}/state", put(set_lock_state))
        .route("/users", post(add_regular_user))
        .route("/role_assignments", post(add_role_assignment_by_hand))
        .route("/login_quota", put(set_login_quota))
        .route("/rate_limit", put(set_rate_limit))
        .route("/overlap_policy", put(set_overlap_policy))
        .route("/offline_readers", put(set_offline_readers))
        .route("/assignment_history", get(assignment_history))
        .route("/webhooks", post(add_webhook).get(webhooks))
        .route("/webhooks/{id}", delete(remove_webhook))
        .route(
            "/webhook_faults",
            post(inject_webhook_faults).delete(clear_webhook_faults),
        )
        .route("/locks/{id}/tap", post(tap))
}

fn control(shared: AppState) -> Control {
    Control { shared }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::AlreadyDeleted { .. } => StatusCode::GONE,
            Self::Seed(_) | Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        };
        (status, Json(json!({ "error": self.to_string() }))).into_response()
    }
}

async fn seed(State(shared): State<AppState>, Json(seed): Json<Seed>) -> Response {
    match control(shared).try_seed(seed) {
        Ok(ids) => Json(ids).into_response(),
        Err(error) => ControlError::from(error).into_response(),
    }
}

async fn state(State(shared): State<AppState>) -> Response {
    Json(control(shared).state()).into_response()
}

#[derive(Debug, Deserialize)]
struct ClockBody {
    now: DateTime<Utc>,
}

async fn now(State(shared): State<AppState>) -> Response {
    Json(json!({ "now": control(shared).now() })).into_response()
}

async fn set_clock(State(shared): State<AppState>, Json(body): Json<ClockBody>) -> Response {
    let control = control(shared);
    control.set_clock(body.now);
    Json(json!({ "now": control.now() })).into_response()
}

#[derive(Debug, Deserialize)]
struct AdvanceBody {
    seconds: f64,
}

async fn advance_clock(State(shared): State<AppState>, Json(body): Json<AdvanceBody>) -> Response {
    let Ok(by) = Duration::try_from_secs_f64(body.seconds) else {
        let problem = format!(
            "must be a non-negative number of seconds, got {}",
            body.seconds
        );
        return ControlError::Invalid {
            field: "seconds".into(),
            problem,
        }
        .into_response();
    };
    let control = control(shared);
    control.advance_clock(by);
    Json(json!({ "now": control.now() })).into_response()
}

async fn inject(State(shared): State<AppState>, Json(fault): Json<Fault>) -> StatusCode {
    control(shared).inject(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(shared): State<AppState>) -> StatusCode {
    control(shared).clear_faults();
    StatusCode::NO_CONTENT
}

async fn delete_group(State(shared): State<AppState>, Path(id): Path<u64>) -> Response {
    no_content(control(shared).delete_group(id))
}

async fn delete_lock(State(shared): State<AppState>, Path(id): Path<u64>) -> Response {
    no_content(control(shared).delete_lock(id))
}

async fn set_lock_restrictions(
    State(shared): State<AppState>,
    Path(id): Path<u64>,
    Json(r): Json<Restrictions>,
) -> Response {
    no_content(control(shared).set_lock_restrictions(id, r.reader, r.geofence, r.time))
}

async fn set_group_restrictions(
    State(shared): State<AppState>,
    Path(id): Path<u64>,
    Json(r): Json<Restrictions>,
) -> Response {
    no_content(control(shared).set_group_restrictions(id, r.reader, r.geofence, r.time))
}

async fn set_lock_state(
    State(shared): State<AppState>,
    Path(id): Path<u64>,
    Json(state): Json<LockState>,
) -> Response {
    no_content(control(shared).set_lock_state(id, state.online, state.locked_down))
}

#[derive(Debug, Deserialize)]
struct RegularUserBody {
    email: String,
    name: String,
    #[serde(default)]
    confirmed: bool,
}

async fn add_regular_user(
    State(shared): State<AppState>,
    Json(body): Json<RegularUserBody>,
) -> Response {
    match control(shared).add_regular_user(&body.email, &body.name, body.confirmed) {
        Ok(user) => (StatusCode::CREATED, Json(user)).into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct HandAssignmentBody {
    user_id: u64,
    group_id: u64,
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
}

async fn add_role_assignment_by_hand(
    State(shared): State<AppState>,
    Json(body): Json<HandAssignmentBody>,
) -> Response {
    let created = control(shared).add_role_assignment_by_hand(
        body.user_id,
        body.group_id,
        body.valid_from,
        body.valid_until,
    );
    match created {
        Ok(assignment) => (StatusCode::CREATED, Json(assignment)).into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
struct LoginQuotaBody {
    login_quota: usize,
}

async fn set_login_quota(
    State(shared): State<AppState>,
    Json(body): Json<LoginQuotaBody>,
) -> StatusCode {
    control(shared).set_login_quota(body.login_quota);
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct RateLimitBody {
    per_second: Option<u32>,
}

async fn set_rate_limit(
    State(shared): State<AppState>,
    Json(body): Json<RateLimitBody>,
) -> StatusCode {
    control(shared).set_rate_limit(body.per_second);
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct OverlapPolicyBody {
    policy: OverlapPolicy,
}

async fn set_overlap_policy(
    State(shared): State<AppState>,
    Json(body): Json<OverlapPolicyBody>,
) -> StatusCode {
    control(shared).set_overlap_policy(body.policy);
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct OfflineReadersBody {
    readers: OfflineReaders,
}

async fn set_offline_readers(
    State(shared): State<AppState>,
    Json(body): Json<OfflineReadersBody>,
) -> StatusCode {
    control(shared).set_offline_readers(body.readers);
    StatusCode::NO_CONTENT
}

async fn assignment_history(State(shared): State<AppState>) -> Response {
    Json(control(shared).assignment_history()).into_response()
}

async fn add_webhook(State(shared): State<AppState>, Json(new): Json<NewWebhook>) -> Response {
    match control(shared).add_webhook(new) {
        Ok(id) => Json(json!({ "id": id })).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn webhooks(State(shared): State<AppState>) -> Response {
    Json(control(shared).webhooks()).into_response()
}

async fn remove_webhook(State(shared): State<AppState>, Path(id): Path<u64>) -> Response {
    no_content(control(shared).remove_webhook(id))
}

async fn inject_webhook_faults(
    State(shared): State<AppState>,
    Json(faults): Json<WebhookFaults>,
) -> StatusCode {
    control(shared).inject_webhook_faults(faults);
    StatusCode::NO_CONTENT
}

async fn clear_webhook_faults(State(shared): State<AppState>) -> StatusCode {
    control(shared).clear_webhook_faults();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct TapBody {
    user_id: u64,
    credential: Credential,
}

async fn tap(
    State(shared): State<AppState>,
    Path(lock_id): Path<u64>,
    Json(body): Json<TapBody>,
) -> Response {
    match control(shared).tap(lock_id, body.user_id, body.credential) {
        Ok(outcome) => Json(outcome).into_response(),
        Err(error) => error.into_response(),
    }
}

fn no_content(result: Result<(), ControlError>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    }
}
