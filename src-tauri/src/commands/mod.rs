//! The commands the webview may call, one module per domain. Each is a thin wrapper over
//! [`crate::desktop::Desktop`]; the capability file allows exactly this list (build.rs).

use tauri::{Runtime, ipc::Invoke};

mod access;
mod hub;
mod live;
mod session;
mod settings;
mod unlock;

/// The invoke handler with every command of the app.
pub(crate) fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        access::cached_access,
        access::refresh_access,
        unlock::unlock,
        session::session_status,
        session::current_account,
        session::sign_in,
        session::front_desk_setup,
        session::create_first_admin,
        session::redeem_invitation,
        session::sign_out,
        settings::choose_mode,
        settings::set_start_at_login,
        hub::hub_request,
        live::live_status,
    ]
}
