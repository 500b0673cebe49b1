//! Sign-in and sessions: argon2 passwords, opaque session tokens stored hashed, CSRF for cookie
//! sessions, sign-in throttling, and the extractors that check the role on every route.

pub mod csrf;
pub mod extract;
pub mod first_admin;
pub mod passwords;
pub mod sessions;
pub mod throttle;

pub use extract::{Admin, CurrentUser, Member, Staff};
