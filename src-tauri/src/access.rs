//! The Access page as the desktop renders it, and the one rule it applies on its own: the local
//! clock decides whether a known window is open now (A1, A6), so a window that has ended is never
//! shown as open, even when the hub cannot be asked.

use chrono::{DateTime, Utc};
use doorlink_api::common::{Cause, Reason, Window};
use doorlink_api::desktop::{AccessSource, DesktopAccess};
use doorlink_api::me::{LocationAccess, LockAccess, MyAccess};

/// The hub's answer, just confirmed.
pub fn confirmed(access: MyAccess) -> DesktopAccess {
    DesktopAccess {
        confirmed_at: Some(access.checked_at),
        access: Some(access),
        source: AccessSource::Hub,
        offline_reason: None,
        can_unlock: true,
    }
}

/// The last confirmed answer, re-read at `now` by the local clock (see [`as_of`]).
pub fn cached(last: Option<&MyAccess>, now: DateTime<Utc>) -> DesktopAccess {
    DesktopAccess {
        confirmed_at: last.map(|access| access.checked_at),
        access: last.map(|access| as_of(access, now)),
        source: AccessSource::Cache,
        offline_reason: None,
        can_unlock: true,
    }
}

/// The same doors, marked as not reachable (A6): unlocking needs a connection.
pub fn offline(view: DesktopAccess, reason: impl Into<String>) -> DesktopAccess {
    DesktopAccess {
        source: AccessSource::Cache,
        offline_reason: Some(reason.into()),
        can_unlock: false,
        ..view
    }
}

/// A1 at `now`: half-open window `[from, until)`.
pub fn is_open_at(window: &Window, now: DateTime<Utc>) -> bool {
    window.from <= now && !has_ended_by(window, now)
}

pub fn has_ended_by(window: &Window, now: DateTime<Utc>) -> bool {
    window.until.is_some_and(|until| until <= now)
}

/// `access` as it stands at `now` by this computer's clock: windows that have ended are dropped,
/// upcoming ones that have started move to "open now". A location left with no open door gets a
/// reason (A5), as the hub would give.
pub fn as_of(access: &MyAccess, now: DateTime<Utc>) -> MyAccess {
    MyAccess {
        locations: access
            .locations
            .iter()
            .map(|location| location_as_of(location, now))
            .collect(),
        ..access.clone()
    }
}

fn location_as_of(location: &LocationAccess, now: DateTime<Utc>) -> LocationAccess {
    let (mut open_now, mut upcoming): (Vec<LockAccess>, Vec<LockAccess>) = location
        .open_now
        .iter()
        .chain(&location.upcoming)
        .filter(|lock| !has_ended_by(&lock.window, now))
        .cloned()
        .partition(|lock| is_open_at(&lock.window, now));
    open_now.sort_by(|a, b| a.name.cmp(&b.name).then(a.lock_id.cmp(&b.lock_id)));
    // One entry per door open now: a door can be open through two windows that both started.
    open_now.dedup_by_key(|lock| lock.lock_id);
    upcoming.sort_by_key(|lock| (lock.window.from, lock.lock_id));
    let mut reasons = location.reasons.clone();
    let had_open_doors = !location.open_now.is_empty();
    if open_now.is_empty() && had_open_doors && reasons.is_empty() {
        reasons.push(Reason {
            cause: Cause::AccessEnded,
            message: "Your access window has ended since the hub last confirmed your doors."
                .to_owned(),
            fix: "Book the room again or ask the front desk; the page updates when the hub can \
                  be reached."
                .to_owned(),
        });
    }
    LocationAccess {
        open_now,
        upcoming,
        reasons,
        ..location.clone()
    }
}

/// A location of the Access page for tests, built through serde so that a field the hub adds
/// later does not break them.
#[cfg(test)]
#[allow(clippy::needless_pass_by_value)] // reads like the struct literal it stands for
pub(crate) fn test_location(
    open_now: Vec<LockAccess>,
    upcoming: Vec<LockAccess>,
    reasons: Vec<Reason>,
) -> LocationAccess {
    #[allow(clippy::expect_used)] // test data
    serde_json::from_value(serde_json::json!({
        "location_id": 1,
        "location_name": "Harbor Coworking Berlin",
        "time_zone": "Europe/Berlin",
        "visible": true,
        "open_now": open_now,
        "upcoming": upcoming,
        "reasons": reasons,
    }))
    .expect("a LocationAccess")
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, hour, minute, 0).unwrap()
    }

    fn lock(id: i64, name: &str, from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> LockAccess {
        LockAccess {
            lock_id: id,
            name: name.to_owned(),
            window: Window { from, until },
            why: vec!["booking of Room 2".to_owned()],
            restriction: None,
            door_state: None,
        }
    }

    fn page(open_now: Vec<LockAccess>, upcoming: Vec<LockAccess>) -> MyAccess {
        MyAccess {
            person_id: 1,
            checked_at: at(9, 0),
            locations: vec![test_location(open_now, upcoming, vec![])],
        }
    }

    fn names(locks: &[LockAccess]) -> Vec<&str> {
        locks.iter().map(|lock| lock.name.as_str()).collect()
    }

    #[test]
    fn a_window_is_open_from_its_start_until_just_before_its_end() {
        let window = Window {
            from: at(11, 30),
            until: Some(at(16, 30)),
        };
        assert!(!is_open_at(&window, at(11, 29)));
        assert!(is_open_at(&window, at(11, 30)));
        assert!(is_open_at(&window, at(16, 29)));
        assert!(!is_open_at(&window, at(16, 30)), "the end is exclusive");
    }

    #[test]
    fn an_open_ended_window_never_ends() {
        let window = Window {
            from: at(0, 0),
            until: None,
        };
        assert!(is_open_at(&window, at(0, 0) + Duration::days(4000)));
    }

    #[test]
    fn a_window_that_ended_by_the_local_clock_is_never_shown_as_open() {
        let confirmed = page(
            vec![lock(3, "Room 2", at(11, 30), Some(at(16, 30)))],
            vec![],
        );
        let later = as_of(&confirmed, at(16, 30));
        let location = &later.locations[0];
        assert!(location.open_now.is_empty());
        assert!(location.upcoming.is_empty());
        assert_eq!(
            location.reasons[0].cause,
            Cause::AccessEnded,
            "never 'no locks' without a reason (A5)"
        );
    }

    #[test]
    fn an_upcoming_window_that_has_started_is_open_now() {
        let confirmed = page(
            vec![lock(2, "Front door", at(8, 0), None)],
            vec![
                lock(4, "Parking", at(14, 0), Some(at(18, 0))),
                lock(3, "Room 2", at(11, 30), Some(at(16, 30))),
            ],
        );
        let location = &as_of(&confirmed, at(12, 0)).locations[0];
        assert_eq!(names(&location.open_now), ["Front door", "Room 2"]);
        assert_eq!(names(&location.upcoming), ["Parking"]);
    }

    #[test]
    fn a_door_open_through_two_windows_is_listed_once() {
        let confirmed = page(
            vec![lock(2, "Front door", at(8, 0), None)],
            vec![lock(2, "Front door", at(11, 30), Some(at(16, 30)))],
        );
        assert_eq!(as_of(&confirmed, at(12, 0)).locations[0].open_now.len(), 1);
    }

    #[test]
    fn the_hubs_own_reasons_are_kept() {
        let mut confirmed = page(vec![], vec![]);
        confirmed.locations[0].reasons.push(Reason {
            cause: Cause::NoBookingOrSubscription,
            message: "No booking or subscription".to_owned(),
            fix: "Book a room".to_owned(),
        });
        let location = &as_of(&confirmed, at(12, 0)).locations[0];
        assert_eq!(location.reasons, confirmed.locations[0].reasons);
    }

    #[test]
    fn cached_access_keeps_when_it_was_confirmed_and_offline_disables_unlock() {
        let confirmed = page(vec![lock(2, "Front door", at(8, 0), None)], vec![]);
        let view = offline(
            cached(Some(&confirmed), at(12, 0)),
            "The hub at http://127.0.0.1:1 cannot be reached",
        );
        assert_eq!(view.source, AccessSource::Cache);
        assert_eq!(view.confirmed_at, Some(at(9, 0)));
        assert!(!view.can_unlock);
        let access = view.access.unwrap();
        assert_eq!(
            names(&access.locations[0].open_now),
            ["Front door"],
            "last known doors stay (A6)"
        );
    }
}
