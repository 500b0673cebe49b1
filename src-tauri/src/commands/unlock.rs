//! A4: unlock straight at Kisi with the person's own login.

use doorlink_api::me::UnlockOutcome;
use tauri::State;

use crate::desktop::{CommandError, Desktop};

#[tauri::command]
pub(crate) async fn unlock(
    desktop: State<'_, Desktop>,
    lock_id: i64,
) -> Result<UnlockOutcome, CommandError> {
    desktop.unlock(lock_id).await
}
