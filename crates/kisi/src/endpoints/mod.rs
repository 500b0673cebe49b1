//! One file per endpoint family of kisi-api.md; each adds methods to [`crate::KisiClient`].

mod events;
mod group_links;
mod groups;
mod locks;
mod logins;
mod places;
mod role_assignments;
mod users;

pub use events::{EventsSince, MAX_EVENT_PAGES};
pub use group_links::access_link_url;
pub use locks::LockFilter;
pub use logins::OwnerCredentials;
