//! Time: resolving a location's wall-clock times to instants, and half-open windows of instants.
//!
//! Instants are `DateTime<Utc>`; dates are `NaiveDate`s read in the location's `chrono_tz::Tz`. All
//! calendar arithmetic (midnights, day passes, subscription dates) happens in the zone; the result is
//! converted to an instant with [`resolve_local`], the one place that applies the spec's
//! daylight-saving rule.

use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// The instant a wall-clock time in `zone` denotes, by the spec's rule (access-rules.md, "When access
/// exists"): "the earliest valid instant at or after the wall-clock time".
///
/// - a time that exists once resolves to that instant;
/// - an ambiguous time (the hour repeated when clocks go back) resolves to the earlier instant;
/// - a time inside a gap (clocks jump forward, e.g. 02:30 on Berlin's spring-forward day, or a
///   midnight that does not exist such as America/Santiago on 2026-09-06) resolves to the first instant
///   after the gap, which is the transition itself (03:00 CEST, 01:00 -03 respectively).
pub fn resolve_local(zone: Tz, wall_clock: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&wall_clock) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => first_instant_after_gap(zone, wall_clock),
    }
}

/// The transition instant that ends the gap containing `wall_clock`. Since 1970 every zone in the
/// tz database changes its clocks on a whole minute and no gap lasts longer than a day, so the first
/// whole wall-clock minute after `wall_clock` that exists is where the gap ends, and its instant is
/// the transition itself.
fn first_instant_after_gap(zone: Tz, wall_clock: NaiveDateTime) -> DateTime<Utc> {
    const MINUTES_IN_TWO_DAYS: i64 = 2 * 24 * 60;
    let whole_minute = wall_clock
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(wall_clock);
    for minutes in 1..=MINUTES_IN_TWO_DAYS {
        let candidate = whole_minute + Duration::minutes(minutes);
        match zone.from_local_datetime(&candidate) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => {
                return at.with_timezone(&Utc);
            }
            LocalResult::None => {}
        }
    }
    // Unreachable for real zones; read the time as UTC rather than invent something stranger.
    wall_clock.and_utc()
}

/// The instant of 00:00 on `date` in `zone` (R1, R2, R9), resolved with [`resolve_local`].
pub fn local_midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    resolve_local(zone, date.and_time(NaiveTime::MIN))
}

/// The instant the day after `date` begins: the end of `date` as a full local day (R2, R9).
pub fn end_of_local_day(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    match date.succ_opt() {
        Some(next) => local_midnight(zone, next),
        None => DateTime::<Utc>::MAX_UTC,
    }
}

/// A half-open window of instants `[from, until)`; `until == None` means open-ended, never a
/// far-future date. Invariant: `from < until`, enforced by [`Window::new`] and by deserialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawWindow")]
pub struct Window {
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct RawWindow {
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl TryFrom<RawWindow> for Window {
    type Error = ValidationError;

    fn try_from(raw: RawWindow) -> Result<Self, Self::Error> {
        Window::new(raw.from, raw.until)
    }
}

impl Window {
    /// A window from `from` until `until` (exclusive), or open-ended when `until` is `None`.
    pub fn new(from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Result<Self, ValidationError> {
        match until {
            Some(end) if end <= from => Err(ValidationError::EndNotAfterStart {
                field: "until",
                start_field: "from",
                start: from.to_rfc3339(),
                end: end.to_rfc3339(),
            }),
            _ => Ok(Self { from, until }),
        }
    }

    /// A bounded window, or `None` when it would be empty (`until <= from`). Rules use this: a
    /// cancellation before the window began simply leaves no window.
    pub fn bounded(from: DateTime<Utc>, until: DateTime<Utc>) -> Option<Self> {
        (from < until).then_some(Self {
            from,
            until: Some(until),
        })
    }

    /// An open-ended window starting at `from`.
    pub fn starting(from: DateTime<Utc>) -> Self {
        Self { from, until: None }
    }

    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// The exclusive end, `None` when open-ended.
    pub fn until(&self) -> Option<DateTime<Utc>> {
        self.until
    }

    pub fn is_open_ended(&self) -> bool {
        self.until.is_none()
    }

    /// Whether `t` lies in `[from, until)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && self.until.is_none_or(|until| t < until)
    }

    /// Whether the window is over at `now` (its end is at or before `now`).
    pub fn has_ended_by(&self, now: DateTime<Utc>) -> bool {
        self.until.is_some_and(|until| until <= now)
    }

    /// Whether the window only begins after `now`.
    pub fn starts_after(&self, now: DateTime<Utc>) -> bool {
        self.from > now
    }

    /// Whether the two windows share an instant or one ends exactly where the other begins (R13:
    /// such windows merge into one).
    pub fn overlaps_or_touches(&self, other: &Window) -> bool {
        let self_reaches = self.until.is_none_or(|until| other.from <= until);
        let other_reaches = other.until.is_none_or(|until| self.from <= until);
        self_reaches && other_reaches
    }

    /// The instants in both windows, or `None` when they share none.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let from = self.from.max(other.from);
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (Some(a), None) | (None, Some(a)) => Some(a),
            (None, None) => None,
        };
        match until {
            Some(until) => Window::bounded(from, until),
            None => Some(Window::starting(from)),
        }
    }

    /// The smallest window covering both; meaningful when they overlap or touch (R13).
    pub fn hull(&self, other: &Window) -> Window {
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        Window {
            from: self.from.min(other.from),
            until,
        }
    }

    /// This window cut off at `limit` (R3, R8: a cancellation revokes from that instant on), or
    /// `None` when nothing is left.
    pub fn cut_at(&self, limit: DateTime<Utc>) -> Option<Window> {
        let until = self.until.map_or(limit, |until| until.min(limit));
        Window::bounded(self.from, until)
    }
}

/// An instant as wall-clock time in `zone`, for people to read: "Mon 30 Mar 2026, 08:30 (Berlin
/// time)", the format and zone words of the UI's `formatTimestamp` and `zoneName`, so a sentence
/// from the hub reads like the page around it (issue 17, point 6: one time format).
pub fn format_local(zone: Tz, instant: DateTime<Utc>) -> String {
    format!("{} ({})", wall_clock(zone, instant), zone_words(zone))
}

/// A window as people read it, in `zone`: "Mon 2 Mar 2026, 09:30–12:30 (Berlin time)" within a
/// day, "Mon 2 Mar 2026, 22:00 – Tue 3 Mar 2026, 02:00 (Berlin time)" across days, "from Mon 2
/// Mar 2026, 09:30 (Berlin time), no end" when it has none. Every text of a window is this one.
pub fn format_local_span(zone: Tz, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> String {
    let Some(until) = until else {
        return format!("from {}, no end", format_local(zone, from));
    };
    let (start, end) = (from.with_timezone(&zone), until.with_timezone(&zone));
    let end = if start.date_naive() == end.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        format!(" {}", wall_clock(zone, until))
    };
    let dash = if end.starts_with(' ') { " –" } else { "–" };
    format!(
        "{}{dash}{end} ({})",
        wall_clock(zone, from),
        zone_words(zone)
    )
}

/// "Mon 30 Mar 2026, 08:30".
fn wall_clock(zone: Tz, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&zone)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// "Berlin time" for Europe/Berlin, "Buenos Aires time" for America/Argentina/Buenos_Aires.
fn zone_words(zone: Tz) -> String {
    let city = zone.name().rsplit('/').next().unwrap_or(zone.name());
    format!("{} time", city.replace('_', " "))
}
