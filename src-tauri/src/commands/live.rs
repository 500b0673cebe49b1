//! The state of the live events, for a page that starts listening after it was announced.

use tauri::State;

use crate::live::{CurrentLiveStatus, LiveStatus};

#[tauri::command]
#[allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands managed state to a command by value"
)]
pub(crate) fn live_status(current: State<'_, CurrentLiveStatus>) -> LiveStatus {
    current.get()
}
