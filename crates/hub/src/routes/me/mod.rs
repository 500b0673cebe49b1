//! The person signed in, one file per job: the [`snapshot`] every answer is read from, their
//! Access page (A1–A3, A5, [`access_page`]), the explanation for a lock (A5, [`explain`]),
//! unlocking with their own Kisi login and its audit record (A4, [`unlock`]), and that login for
//! the desktop app ([`kisi_login`]).

mod access_page;
pub(in crate::routes) mod explain;
mod kisi_login;
pub(in crate::routes) mod snapshot;
mod unlock;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub(in crate::routes) use access_page::access_of;
pub(in crate::routes) use explain::{explained, explanation};
pub(in crate::routes) use snapshot::snapshot_for_lock;
pub(in crate::routes) use unlock::{UnlockSource, is_kisi_restriction, unlock_audit_entry};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access_page::my_access))
        .routes(routes!(explain::explain_lock))
        .routes(routes!(access_page::my_other_doors))
        .routes(routes!(unlock::unlock))
        .routes(routes!(kisi_login::my_kisi_login))
}
