//! How domain values are spelled in the database: instants as epoch milliseconds (see the header of
//! `migrations/sqlite/0001_schema.sql` for why), dates as ISO text, enums as their snake_case names.

use chrono::{DateTime, NaiveDate, Utc};
use doorlink_core::{
    AccessPageVisibility, AccessTarget, DisconnectMode, KisiGroupId, KisiLockId, PaymentStatus,
    ProductKind, ResourceKind,
};

use sqlx::ValueRef as _;
use sqlx::any::{Any, AnyTypeInfo, AnyTypeInfoKind};
use sqlx::decode::Decode;
use sqlx::error::BoxDynError;
use sqlx::types::Type;

use crate::error::{Result, StoreError};

/// A boolean as read back from either database: PostgreSQL answers a real boolean, SQLite (which
/// has none) the integer 0 or 1, and sqlx's `Any` driver will not read one as the other. Bound
/// values need nothing: a Rust `bool` becomes each backend's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(pub(crate) bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> Self {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <bool as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().kind().is_integer() {
            let number = <i64 as Decode<Any>>::decode(value)?;
            match number {
                0 | 1 => Ok(Self(number == 1)),
                other => Err(format!("{other} is not a boolean (0 or 1)").into()),
            }
        } else {
            <bool as Decode<Any>>::decode(value).map(Self)
        }
    }
}

/// A nullable [`Flag`] as the `bool` it holds.
pub(crate) fn opt_flag(flag: Option<Flag>) -> Option<bool> {
    flag.map(bool::from)
}

pub(crate) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(crate) fn opt_millis(at: Option<DateTime<Utc>>) -> Option<i64> {
    at.map(millis)
}

pub(crate) fn instant(
    table: &'static str,
    column: &'static str,
    millis: i64,
) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StoreError::corrupt(table, column, &millis))
}

pub(crate) fn opt_instant(
    table: &'static str,
    column: &'static str,
    millis: Option<i64>,
) -> Result<Option<DateTime<Utc>>> {
    millis.map(|m| instant(table, column, m)).transpose()
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn date(table: &'static str, column: &'static str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::corrupt(table, column, text))
}

/// A closed set of values stored as TEXT (the CHECK constraints list the same spellings).
pub(crate) trait TextEnum: Sized + Copy + 'static {
    const TABLE: &'static str;
    const COLUMN: &'static str;
    const ALL: &'static [(Self, &'static str)];

    fn as_text(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL
            .iter()
            .find(|(value, _)| *value == self)
            .map_or("", |(_, text)| text)
    }

    fn from_text(text: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|(_, spelled)| *spelled == text)
            .map(|(value, _)| *value)
            .ok_or_else(|| StoreError::corrupt(Self::TABLE, Self::COLUMN, text))
    }
}

impl TextEnum for AccessPageVisibility {
    const TABLE: &'static str = "locations";
    const COLUMN: &'static str = "access_page_visibility";
    const ALL: &'static [(Self, &'static str)] = &[
        (AccessPageVisibility::MembersOnly, "members_only"),
        (AccessPageVisibility::Public, "public"),
    ];
}

impl TextEnum for ResourceKind {
    const TABLE: &'static str = "resources";
    const COLUMN: &'static str = "kind";
    const ALL: &'static [(Self, &'static str)] = &[
        (ResourceKind::Room, "room"),
        (ResourceKind::Desk, "desk"),
        (ResourceKind::Office, "office"),
        (ResourceKind::Equipment, "equipment"),
        (ResourceKind::Parking, "parking"),
    ];
}

impl TextEnum for ProductKind {
    const TABLE: &'static str = "products";
    const COLUMN: &'static str = "kind";
    const ALL: &'static [(Self, &'static str)] = &[
        (ProductKind::DayPass, "day_pass"),
        (ProductKind::Service, "service"),
    ];
}

impl TextEnum for PaymentStatus {
    const TABLE: &'static str = "subscriptions";
    const COLUMN: &'static str = "payment_status";
    const ALL: &'static [(Self, &'static str)] = &[
        (PaymentStatus::Paid, "paid"),
        (PaymentStatus::Unpaid, "unpaid"),
        (PaymentStatus::Overdue, "overdue"),
    ];
}

impl TextEnum for DisconnectMode {
    const TABLE: &'static str = "kisi_disconnections";
    const COLUMN: &'static str = "mode";
    const ALL: &'static [(Self, &'static str)] = &[
        (DisconnectMode::KeepKisiUser, "keep_kisi_user"),
        (DisconnectMode::DeleteKisiUser, "delete_kisi_user"),
    ];
}

/// An access target as the pair (`target_kind`, `kisi_id`).
pub(crate) fn target_parts(target: AccessTarget) -> (&'static str, i64) {
    match target {
        AccessTarget::Group(id) => ("group", id.0),
        AccessTarget::Lock(id) => ("lock", id.0),
    }
}

pub(crate) fn target(table: &'static str, kind: &str, kisi_id: i64) -> Result<AccessTarget> {
    match kind {
        "group" => Ok(AccessTarget::Group(KisiGroupId(kisi_id))),
        "lock" => Ok(AccessTarget::Lock(KisiLockId(kisi_id))),
        other => Err(StoreError::corrupt(table, "target_kind", other)),
    }
}
