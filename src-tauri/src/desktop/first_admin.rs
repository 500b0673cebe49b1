//! The front desk on a fresh computer: its own hub has no account yet, so the person there
//! creates the first admin. That goes through the hub library in this process, never an HTTP
//! route (on a fresh hub, whoever reached such a route first would become its admin).

use axum::response::IntoResponse;
use doorlink_api::auth::AccountView;
use doorlink_api::desktop::FrontDeskSetup;
use doorlink_hub::{ApiError, AppState};
use doorlink_hub::{FirstAdmin, PASSWORD_RULE, create_first_admin, needs_first_admin};

use super::Desktop;
use crate::error::CommandError;
use doorlink_api::desktop::DesktopMode;

impl Desktop {
    /// Whether this computer's hub still needs its first admin (starting the hub if needed).
    pub async fn front_desk_setup(&self) -> Result<FrontDeskSetup, CommandError> {
        let state = self.front_desk_state().await?;
        Ok(FrontDeskSetup {
            needs_first_admin: needs_first_admin(&state).await.map_err(from_hub)?,
            password_rule: PASSWORD_RULE,
        })
    }

    /// Creates the first admin of this computer's hub; refused (409) once it has any account,
    /// with each refused field named (422). Signing in follows as for any account.
    pub async fn create_first_admin(
        &self,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<AccountView, CommandError> {
        let state = self.front_desk_state().await?;
        create_first_admin(
            &state,
            FirstAdmin {
                name,
                email,
                password,
            },
        )
        .await
        .map_err(from_hub)
    }

    /// The state of this computer's hub, started on first use; front-desk mode only.
    async fn front_desk_state(&self) -> Result<AppState, CommandError> {
        if self.settings().await.mode != Some(DesktopMode::FrontDesk) {
            return Err(CommandError::new(
                "front_desk",
                "This computer is not the front desk: its hub's first admin is made there.",
            ));
        }
        self.front_desk_hub_url().await?;
        let front_desk = self.inner.front_desk.lock().await;
        front_desk
            .as_ref()
            .map(|hub| hub.state.clone())
            .ok_or_else(|| CommandError::new("front_desk", "this computer's hub stopped"))
    }
}

/// The hub's refusal in its own shape (status, code, message, fields), exactly as over HTTP.
fn from_hub(error: ApiError) -> CommandError {
    let body = error.body().error;
    CommandError {
        status: error.into_response().status().as_u16(),
        code: body.code,
        message: body.message,
        fields: body.fields,
    }
}
