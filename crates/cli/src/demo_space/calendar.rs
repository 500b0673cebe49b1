//! "Today" and wall-clock times in the location's zone: the demo's bookings are "today at 09:30"
//! where the space is, whatever the machine's zone.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use doorlink_core::resolve_local;

/// The location's calendar around one instant.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Calendar {
    zone: Tz,
    today: NaiveDate,
}

impl Calendar {
    pub(crate) fn new(zone: Tz, now: DateTime<Utc>) -> Self {
        Self {
            zone,
            today: now.with_timezone(&zone).date_naive(),
        }
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.today
    }

    /// `today + days` at `hour:minute` local time, resolved like every local time (a time in a
    /// daylight-saving gap moves to the end of the gap).
    pub(crate) fn at(&self, days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
        let offset = Days::new(days.unsigned_abs());
        let day = if days >= 0 {
            self.today.checked_add_days(offset)
        } else {
            self.today.checked_sub_days(offset)
        }
        .unwrap_or(self.today);
        let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN);
        resolve_local(self.zone, day.and_time(time))
    }
}
