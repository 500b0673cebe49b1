//! Notifications: when access opens (a booking's grace starts, a day pass begins) and when it is
//! about to end (a subscription ends tomorrow), plus the outcome of an unlock from the tray.

use chrono::{DateTime, Duration, Local, Utc};
use doorlink_api::me::{MyAccess, UnlockOutcome};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::desktop::CommandError;

/// Windows longer than this are announced the day before they end ("ends tomorrow"); shorter
/// ones (bookings) only when they open.
const ANNOUNCE_END_AHEAD: Duration = Duration::hours(24);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// What happened between `since` (exclusive) and `now` (inclusive): windows that opened, and
/// long windows whose end came within a day. Each event falls in exactly one check interval, so
/// calling this with consecutive intervals announces each once.
pub fn due_notices(access: &MyAccess, since: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Notice> {
    let mut notices = Vec::new();
    for lock in access
        .locations
        .iter()
        .flat_map(|l| l.open_now.iter().chain(&l.upcoming))
    {
        let window = lock.window;
        if since < window.from && window.from <= now && !crate::access::has_ended_by(&window, now) {
            let until = window
                .until
                .map_or_else(String::new, |until| format!(" until {}", local_time(until)));
            notices.push(Notice {
                title: format!("{} is open to you", lock.name),
                body: format!("From now{until}. {}", lock.why.join(", ")),
            });
        }
        if let Some(until) = window.until {
            let long = until - window.from > ANNOUNCE_END_AHEAD;
            let announce_at = until - ANNOUNCE_END_AHEAD;
            if long && since < announce_at && announce_at <= now {
                notices.push(Notice {
                    title: format!("Your access to {} ends tomorrow", lock.name),
                    body: format!("It ends {}. {}", local_time(until), lock.why.join(", ")),
                });
            }
        }
    }
    notices
}

/// The time in this computer's zone, as the person reads their clock.
fn local_time(instant: DateTime<Utc>) -> String {
    instant.with_timezone(&Local).format("%a %H:%M").to_string()
}

pub fn show<R: Runtime>(app: &AppHandle<R>, notice: &Notice) {
    if let Err(error) = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .show()
    {
        tracing::warn!(%error, "a notification could not be shown");
    }
}

/// Says what a tray unlock did (there is no window to show it in).
pub fn unlock_outcome<R: Runtime>(
    app: &AppHandle<R>,
    outcome: Result<UnlockOutcome, CommandError>,
) {
    let notice = match outcome {
        Ok(outcome) if outcome.unlocked => Notice {
            title: "Unlocked".to_owned(),
            body: outcome.message,
        },
        Ok(outcome) => Notice {
            title: "Not unlocked".to_owned(),
            body: outcome.reason.map_or(outcome.message, |reason| {
                format!("{} {}", reason.message, reason.fix)
            }),
        },
        Err(error) => Notice {
            title: "Not unlocked".to_owned(),
            body: error.message,
        },
    };
    show(app, &notice);
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use doorlink_api::common::Window;
    use doorlink_api::me::LockAccess;

    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
            .unwrap()
    }

    fn page(locks: Vec<LockAccess>) -> MyAccess {
        MyAccess {
            person_id: 1,
            checked_at: at(22, 8, 0),
            locations: vec![crate::access::test_location(vec![], locks, vec![])],
        }
    }

    fn lock(
        name: &str,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        why: &str,
    ) -> LockAccess {
        LockAccess {
            lock_id: 1,
            name: name.to_owned(),
            window: Window { from, until },
            why: vec![why.to_owned()],
            restriction: None,
            door_state: None,
        }
    }

    #[test]
    fn a_bookings_grace_start_is_announced_once() {
        // Booking 12:00-16:00 with 30 minutes of grace: the door opens at 11:30 (R6).
        let access = page(vec![lock(
            "Room 2",
            at(22, 11, 30),
            Some(at(22, 16, 30)),
            "booking of Room 2",
        )]);
        assert!(due_notices(&access, at(22, 11, 0), at(22, 11, 29)).is_empty());
        let notices = due_notices(&access, at(22, 11, 29), at(22, 11, 30));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].title, "Room 2 is open to you");
        assert!(notices[0].body.contains("booking of Room 2"));
        assert!(
            due_notices(&access, at(22, 11, 30), at(22, 11, 31)).is_empty(),
            "only once"
        );
    }

    #[test]
    fn a_subscription_ending_tomorrow_is_announced_a_day_ahead() {
        let access = page(vec![lock(
            "Front door",
            at(1, 0, 0),
            Some(at(23, 23, 0)),
            "plan Hot desk",
        )]);
        assert!(due_notices(&access, at(22, 22, 0), at(22, 22, 59)).is_empty());
        let notices = due_notices(&access, at(22, 22, 59), at(22, 23, 0));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].title, "Your access to Front door ends tomorrow");
    }

    #[test]
    fn a_booking_is_not_announced_as_ending_tomorrow() {
        let access = page(vec![lock(
            "Room 2",
            at(22, 11, 30),
            Some(at(22, 16, 30)),
            "booking",
        )]);
        let notices = due_notices(&access, at(21, 0, 0), at(22, 11, 0));
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn an_open_ended_plan_never_ends() {
        let access = page(vec![lock("Front door", at(1, 0, 0), None, "plan")]);
        assert!(due_notices(&access, at(22, 0, 0), at(30, 0, 0)).is_empty());
    }
}
