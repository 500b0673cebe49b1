//! The one error shape every route answers with:
//! `{"error":{"code":"validation_failed","message":"…","fields":[{"field":"end","problem":"…"}]}}`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// Every non-2xx answer of the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, in plain words, with the fields to fix when the input was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code: `unauthenticated`, `forbidden`, `not_found`, `conflict`,
    /// `validation_failed`, `too_large`, `throttled`, `kisi_failed`, `csrf_failed`, `internal`.
    pub code: String,
    pub message: String,
    /// For `validation_failed`: each refused field and what is allowed. Empty otherwise.
    #[serde(default)]
    pub fields: Vec<FieldProblem>,
}

/// One refused input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}
