//! How an emulator is started (`start(EmulatorConfig)`, as the README shows).

use std::net::{Ipv4Addr, SocketAddr};

use crate::Seed;
use crate::state::OverlapPolicy;

/// Default owner-sign-in login quota: the "more than 10 active API logins" a peer reported (kisi-api.md).
pub const DEFAULT_LOGIN_QUOTA: usize = 10;
/// Kisi's documented budget: 5 requests per second per user.
pub const DEFAULT_RATE_LIMIT_PER_SECOND: u32 = 5;

/// Settings for [`crate::start`]. `EmulatorConfig::default()` is what tests usually want.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Requests per second per Kisi user (burst of the same size); `None` turns the limit off.
    pub rate_limit_per_second: Option<u32>,
    /// Active logins an owner may create through sign-in before `login_quota_exceeded`.
    pub login_quota: usize,
    /// Whether one user may hold overlapping role assignments in one group (unverified in real
    /// Kisi; refused by default).
    pub overlapping_assignments: OverlapPolicy,
    /// An organization to load before serving.
    pub seed: Option<Seed>,
    /// Where to listen; a random loopback port by default.
    pub listen: Option<SocketAddr>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            rate_limit_per_second: Some(DEFAULT_RATE_LIMIT_PER_SECOND),
            login_quota: DEFAULT_LOGIN_QUOTA,
            overlapping_assignments: OverlapPolicy::default(),
            seed: None,
            listen: None,
        }
    }
}

impl EmulatorConfig {
    pub(crate) fn listen_addr(&self) -> SocketAddr {
        self.listen
            .unwrap_or(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
    }
}
