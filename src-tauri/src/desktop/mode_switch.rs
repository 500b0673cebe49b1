//! Choosing how this computer runs (first start, or a change in settings): the front desk, or
//! signed in to a hub elsewhere. A hub's address is checked before it is kept, and the person is
//! told which check failed: the address itself, or the hub behind it.

use doorlink_api::error::FieldProblem;

use super::Desktop;
use crate::error::CommandError;
use crate::hub_client::{HubClient, HubError, parse_hub_url};
use doorlink_api::desktop::{DesktopMode, DesktopSettings};

/// The field the first-start screen and the settings page name the hub's address by.
pub const URL_FIELD: &str = "url";

impl Desktop {
    /// Switches to `mode` and returns the settings to persist. A remote hub's address must be an
    /// https URL (http only on this computer) where a Doorlink hub answers. Changing the mode signs
    /// out (a session belongs to one hub) and stops this computer's hub when leaving front desk.
    pub async fn choose_mode(&self, mode: DesktopMode) -> Result<DesktopSettings, CommandError> {
        let mode = match mode {
            DesktopMode::RemoteHub { url } => DesktopMode::RemoteHub {
                url: checked_hub_url(&url).await?,
            },
            DesktopMode::FrontDesk => DesktopMode::FrontDesk,
        };
        if self.settings().await.mode.as_ref() != Some(&mode) {
            self.sign_out().await?;
            if mode != DesktopMode::FrontDesk {
                self.stop_front_desk().await;
            }
        }
        let settings = self
            .update_settings(|settings| settings.with_mode(mode))
            .await;
        tracing::info!(mode = ?settings.mode, "mode chosen");
        Ok(settings)
    }
}

/// The address in its kept form (no trailing slash), once a hub answered there.
async fn checked_hub_url(raw: &str) -> Result<String, CommandError> {
    let url = parse_hub_url(raw).map_err(|error| url_problem("validation_failed", &error))?;
    let hub = HubClient::new(url).map_err(|error| url_problem("validation_failed", &error))?;
    hub.check_is_a_hub().await.map_err(|error| {
        let code = if error.is_unreachable() {
            "offline"
        } else {
            "validation_failed"
        };
        url_problem(code, &error)
    })?;
    Ok(hub.base_url().to_owned())
}

/// The failure as a problem with the address field, so the screen shows it next to the field.
fn url_problem(code: &str, error: &HubError) -> CommandError {
    let problem = match error {
        HubError::Unreachable { .. } => format!(
            "{error}. Check the address, this computer's network, and that the hub is running."
        ),
        _ => error.to_string(),
    };
    CommandError {
        // Always a refusal of what was typed (422), whatever the cause: the screen keeps the form.
        status: 422,
        fields: vec![FieldProblem {
            field: URL_FIELD.to_owned(),
            problem: problem.clone(),
        }],
        message: problem,
        ..CommandError::new(code, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_address_that_is_not_a_url_is_named_as_such() {
        let error = checked_hub_url("doorlink.example.com").await.unwrap_err();
        assert_eq!(error.code, "validation_failed");
        assert_eq!(error.fields[0].field, URL_FIELD);
        assert!(error.fields[0].problem.contains("not a URL"), "{error:?}");
    }

    #[tokio::test]
    async fn plain_http_to_another_computer_is_refused_before_anything_is_sent() {
        let error = checked_hub_url("http://doorlink.example.com")
            .await
            .unwrap_err();
        assert_eq!(error.code, "validation_failed");
        assert!(error.fields[0].problem.contains("https://"), "{error:?}");
    }

    #[tokio::test]
    async fn a_well_formed_address_where_nothing_answers_is_named_unreachable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let error = checked_hub_url(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_err();
        assert_eq!(error.code, "offline");
        assert_eq!(error.status, 422, "the form stays, with the problem");
        assert!(
            error.fields[0].problem.contains("cannot be reached"),
            "{error:?}"
        );
    }
}
