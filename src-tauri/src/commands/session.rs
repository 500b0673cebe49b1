//! Sign in to a hub and out again.

use doorlink_api::auth::{AccountView, SessionView};
use tauri::{AppHandle, Runtime, State};

use doorlink_api::desktop::{DesktopStatus, FrontDeskSetup};

use crate::desktop::{CommandError, Desktop};

#[tauri::command]
pub(crate) async fn session_status(
    desktop: State<'_, Desktop>,
) -> Result<DesktopStatus, CommandError> {
    Ok(desktop.status().await)
}

/// Signs in at the hub of the chosen mode (the front desk's own hub, or the remote one).
#[tauri::command]
pub(crate) async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
    email: String,
    password: String,
) -> Result<SessionView, CommandError> {
    let hub_url = super::settings::hub_url_of_mode(&desktop).await?;
    let (session, settings) = desktop.sign_in(&hub_url, &email, &password).await?;
    crate::settings_store::save(&app, desktop.data_dir(), &settings)?;
    Ok(session)
}

/// Redeems an invitation at the hub of the chosen mode and signs in; the session token goes to
/// the keychain like sign-in's.
#[tauri::command]
pub(crate) async fn redeem_invitation<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
    token: String,
    password: String,
) -> Result<SessionView, CommandError> {
    let hub_url = super::settings::hub_url_of_mode(&desktop).await?;
    let (session, settings) = desktop
        .redeem_invitation(&hub_url, &token, &password)
        .await?;
    crate::settings_store::save(&app, desktop.data_dir(), &settings)?;
    Ok(session)
}

/// Whether this computer's hub (front desk) still needs its first admin, and its password rule.
#[tauri::command]
pub(crate) async fn front_desk_setup(
    desktop: State<'_, Desktop>,
) -> Result<FrontDeskSetup, CommandError> {
    desktop.front_desk_setup().await
}

/// Creates the first admin of this computer's hub through the hub library (no HTTP route); the
/// UI then signs them in like anyone else.
#[tauri::command]
pub(crate) async fn create_first_admin(
    desktop: State<'_, Desktop>,
    name: String,
    email: String,
    password: String,
) -> Result<AccountView, CommandError> {
    desktop.create_first_admin(&name, &email, &password).await
}

/// The account signed in on this computer (the UI's "who am I" after a restart).
#[tauri::command]
pub(crate) async fn current_account(
    desktop: State<'_, Desktop>,
) -> Result<AccountView, CommandError> {
    desktop.current_account().await
}

#[tauri::command]
pub(crate) async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    desktop: State<'_, Desktop>,
) -> Result<(), CommandError> {
    let settings = desktop.sign_out().await?;
    crate::settings_store::save(&app, desktop.data_dir(), &settings)
}
