//! The two ways this app runs, chosen at first start and changeable in settings: this computer is
//! the front desk (the hub runs inside the app on loopback, its data in the OS app-data folder),
//! or it signs in to a hub elsewhere (member, staff or admin).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mode {
    /// The hub runs in this process on 127.0.0.1; its database lives in the app-data folder.
    FrontDesk,
    /// Sign in to the hub at `url` (https, or http on this computer).
    RemoteHub { url: String },
}

/// Who is signed in, as far as it is not secret (the token is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// The hub's address as the cache and the keychain key their entries.
    pub hub_url: String,
    /// The account as the hub described it at sign-in (what the UI shows without asking).
    pub account: doorlink_api::auth::AccountView,
}

/// The settings that are not secret, kept with tauri-plugin-store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `None` until the person chose at first start.
    pub mode: Option<Mode>,
    pub signed_in: Option<SignedIn>,
    /// Start Doorlink when the person logs in to this computer (off by default).
    pub start_at_login: bool,
    /// The loopback port of this computer's hub in front-desk mode, kept across runs.
    pub front_desk_port: Option<u16>,
}

impl Settings {
    /// The key under which the store keeps them.
    pub const STORE_KEY: &'static str = "settings";

    /// Switching mode signs out: a session belongs to one hub.
    pub fn with_mode(self, mode: Mode) -> Self {
        let signed_in = if self.mode.as_ref() == Some(&mode) {
            self.signed_in
        } else {
            None
        };
        Self {
            mode: Some(mode),
            signed_in,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in() -> SignedIn {
        SignedIn {
            hub_url: "https://hub.example.com".to_owned(),
            account: doorlink_api::auth::AccountView {
                id: 3,
                email: "ana@example.com".to_owned(),
                role: doorlink_api::auth::Role::Member,
                person_id: Some(7),
            },
        }
    }

    #[test]
    fn switching_mode_signs_out() {
        let settings = Settings {
            mode: Some(Mode::RemoteHub {
                url: "https://hub.example.com".to_owned(),
            }),
            signed_in: Some(signed_in()),
            start_at_login: true,
            front_desk_port: None,
        };
        let switched = settings.with_mode(Mode::FrontDesk);
        assert_eq!(switched.mode, Some(Mode::FrontDesk));
        assert_eq!(switched.signed_in, None);
        assert!(switched.start_at_login, "other settings are kept");
    }

    #[test]
    fn choosing_the_same_mode_again_keeps_the_session() {
        let mode = Mode::RemoteHub {
            url: "https://hub.example.com".to_owned(),
        };
        let settings = Settings {
            mode: Some(mode.clone()),
            signed_in: Some(signed_in()),
            start_at_login: false,
            front_desk_port: None,
        };
        assert_eq!(settings.with_mode(mode).signed_in, Some(signed_in()));
    }

    #[test]
    fn settings_written_by_an_older_version_still_load() {
        let settings: Settings = serde_json::from_str(r#"{"mode":{"kind":"front_desk"}}"#).unwrap();
        assert_eq!(settings.mode, Some(Mode::FrontDesk));
        assert!(!settings.start_at_login);
    }
}
