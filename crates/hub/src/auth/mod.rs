//! Sign-in and sessions: argon2 passwords, opaque session tokens stored hashed, CSRF for cookie
//! sessions, and the extractors that check the role on every route.

pub(crate) mod csrf;
pub(crate) mod extract;
pub(crate) mod first_admin;
pub(crate) mod passwords;
pub(crate) mod sessions;

pub(crate) use extract::{Admin, CurrentUser, Member, Staff};
