//! Collects every refused field of a payload before anything is written, so one answer names them
//! all and nothing is half-written.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use doorlink_api::common::DoorAccess;
use doorlink_core::{KisiGroupId, KisiLockId, KisiView, PersonId, ValidationError};
use doorlink_store::StoreError;

use crate::error::{ApiError, ApiResult, validation_field};

/// The years a date or an instant of a booking, pass or subscription may fall in: a typo such as
/// 20266 or 0206 is refused instead of granting access for centuries.
pub(crate) const YEARS: RangeInclusive<i32> = 2000..=2100;

/// How many local days a date range covers when it names none, and at most.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DaySpan {
    pub(crate) default: i64,
    pub(crate) most: i64,
}

/// The local days `from..=to` a query asks for, checked before anything is read: `to` defaults
/// to `today`, `from` to `span.default` days ending at `to`; a reversed range is a problem of
/// `to`, one longer than `span.most` days a problem of `from`.
pub(crate) fn local_days(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    span: DaySpan,
) -> ApiResult<(NaiveDate, NaiveDate)> {
    let to = to.unwrap_or(today);
    // A date at the edge of the calendar is refused by the years check below, not overflowed.
    let from = from.unwrap_or_else(|| {
        to.checked_sub_days(chrono::Days::new(
            span.default.saturating_sub(1).unsigned_abs(),
        ))
        .unwrap_or(to)
    });
    let mut problems = Problems::new();
    problems.years([("from", Some(&from)), ("to", Some(&to))]);
    if to < from {
        problems.add("to", format!("must be on or after from ({from})"));
    } else if (to - from).num_days() >= span.most {
        problems.add("from", format!("covers at most {} days at once", span.most));
    }
    problems.finish()?;
    Ok((from, to))
}

#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<(String, String)>);

impl Problems {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push((field.into(), problem.into()));
    }

    /// Keeps the value of a check, or records its problem under `field`.
    pub(crate) fn check<T>(
        &mut self,
        field: &str,
        result: Result<T, ValidationError>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.to_string());
                None
            }
        }
    }

    /// Keeps a value core built, or records core's refusal under the field it names (core's
    /// constructors are the one home of their rules: `Booking::new`, `TimeZone::from_str`, …).
    pub(crate) fn valid<T>(&mut self, built: Result<T, ValidationError>) -> Option<T> {
        match built {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(validation_field(&error), error.to_string());
                None
            }
        }
    }

    /// Records the store's "person 12 does not exist" under `field` for each person `missing`
    /// (`People::missing`: one query for the whole list).
    pub(crate) fn unknown_people(&mut self, field: &str, missing: Vec<PersonId>) {
        for person in missing {
            let not_found = StoreError::NotFound {
                entity: "person",
                id: person.0,
            };
            self.add(field, not_found.to_string());
        }
    }

    /// The record a field names, as the store answered the look-up: found, or — only for the
    /// store's own NotFound — `None` with "person 12 does not exist" recorded under `field`. Any
    /// other store error (a locked or failing database) is returned as it is, never worded as
    /// "does not exist": the caller answers 503/500 and nothing is written.
    pub(crate) fn found<T>(
        &mut self,
        field: &str,
        looked_up: Result<T, StoreError>,
    ) -> ApiResult<Option<T>> {
        match looked_up {
            Ok(record) => Ok(Some(record)),
            Err(missing @ StoreError::NotFound { .. }) => {
                self.add(field, missing.to_string());
                Ok(None)
            }
            Err(other) => Err(other.into()),
        }
    }

    /// A non-blank text, trimmed.
    pub(crate) fn text(&mut self, field: &str, value: &str) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.add(field, "must not be empty");
        } else if trimmed.chars().count() > 200 {
            self.add(field, "must be at most 200 characters");
        }
        trimmed.to_owned()
    }

    /// Refuses a date or instant outside [`YEARS`].
    pub(crate) fn year(&mut self, field: &str, date: &impl Datelike) {
        let year = date.year();
        if !YEARS.contains(&year) {
            self.add(
                field,
                format!(
                    "must be in the years {} to {} (it is in {year})",
                    YEARS.start(),
                    YEARS.end()
                ),
            );
        }
    }

    /// Checks a whole request's dates and instants at once: [`Problems::year`] of each.
    pub(crate) fn years<'d, D: Datelike + 'd>(
        &mut self,
        dates: impl IntoIterator<Item = (&'d str, Option<&'d D>)>,
    ) {
        for (field, date) in dates {
            if let Some(date) = date {
                self.year(field, date);
            }
        }
    }

    /// Refuses Kisi groups and locks the location's directory does not list (when it is known).
    pub(crate) fn door_access(&mut self, field: &str, access: &DoorAccess, view: &KisiView) {
        if view.groups.is_empty() && view.locks.is_empty() {
            return;
        }
        for &group in &access.groups {
            match view.group(KisiGroupId(group)) {
                None => self.add(
                    format!("{field}.groups"),
                    format!("group {group} is not in this location's Kisi directory; refresh it or pick a listed group"),
                ),
                Some(g) if g.deleted => self.add(
                    format!("{field}.groups"),
                    format!("group {group} (\"{}\") was deleted in Kisi (C4); pick an existing group", g.name),
                ),
                Some(_) => {}
            }
        }
        for &lock in &access.locks {
            if view.lock(KisiLockId(lock)).is_none() {
                self.add(
                    format!("{field}.locks"),
                    format!("lock {lock} is not in this location's Kisi directory"),
                );
            }
        }
    }

    /// [`Problems::finish`], then the value that was checked (it is there when nothing was
    /// refused: a check that records no problem yields its value).
    pub(crate) fn finish_with<T>(self, checked: Option<T>) -> ApiResult<T> {
        self.finish()?;
        checked.ok_or_else(|| {
            ApiError::Internal("a checked value is missing without a problem".into())
        })
    }

    pub(crate) fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::fields(
                self.0
                    .iter()
                    .map(|(f, p)| (f.as_str(), p.clone()))
                    .collect(),
            ))
        }
    }
}
