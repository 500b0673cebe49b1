//! How many unlock reports each person may send (A4): bounds the audit log's growth per member.
//! Kept in the shared state, so it lives below `state` and the routes.

use std::num::NonZeroU32;
use std::time::Duration as StdDuration;

use doorlink_core::PersonId;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{ApiError, ApiResult};

/// Reports one person may send at once: the desktop sends its offline queue in batches of 50.
const REPORT_BURST: u32 = 60;
/// After a burst, one more report per this period (120 an hour: more doors than anyone opens).
/// A desktop answered 429 keeps its queue and sends the rest on a later refresh.
const REPORT_REFILL: StdDuration = StdDuration::from_secs(30);

/// How many unlock reports each person may send: bounds the audit log's growth per member.
#[derive(Debug)]
pub struct UnlockReportLimit(DefaultKeyedRateLimiter<i64>);

impl Default for UnlockReportLimit {
    fn default() -> Self {
        let burst = NonZeroU32::new(REPORT_BURST).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(REPORT_REFILL)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        Self(RateLimiter::keyed(quota))
    }
}

impl UnlockReportLimit {
    /// Counts one report of `person`; 429 with the wait when they are over the limit.
    pub fn check(&self, person: PersonId) -> ApiResult<()> {
        self.0
            .check_key(&person.0)
            .map_err(|not_until| ApiError::RateLimited {
                what: "unlock reports from this account",
                retry_after_secs: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    .max(1),
            })
    }

    /// Forgets people whose limit has refilled (keys are only signed-in members, but still).
    pub fn prune(&self) {
        self.0.retain_recent();
        self.0.shrink_to_fit();
    }
}
