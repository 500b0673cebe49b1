//! The desktop app's commands: what the webview may `invoke` in `src-tauri/` and the shapes they
//! answer. The UI's desktop transport (`ui/src/api/desktopTransport.ts`) types its calls with
//! these (generated into `ui/src/gen`), so a command's name or shape is written once, here.
//!
//! These are not hub routes: nothing here is in the OpenAPI document.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::auth::AccountView;
use crate::error::FieldProblem;
use crate::me::MyAccess;
use crate::routes;

/// Every command the webview may call, by the name it invokes. `src-tauri/build.rs` grants each to
/// the main window from [`DesktopCommand::ALL`]; the UI names its calls by this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DesktopCommand {
    /// The Access page from this computer's cache, at once ([`DesktopAccess`]).
    CachedAccess,
    /// The Access page from the hub, or the cache marked offline ([`DesktopAccess`]).
    RefreshAccess,
    /// A4: unlock straight at Kisi with the person's own login (`lockId`; `UnlockOutcome`).
    Unlock,
    /// The settings page's view ([`DesktopStatus`]).
    SessionStatus,
    /// Who is signed in on this computer, without the network (`AccountView`).
    CurrentAccount,
    /// Sign in at the hub of the chosen mode (`email`, `password`; `SessionView`).
    SignIn,
    /// Front desk: whether its own hub still needs its first admin ([`FrontDeskSetup`]).
    FrontDeskSetup,
    /// Front desk: create its hub's first admin ([`FirstAdmin`]; `AccountView`).
    CreateFirstAdmin,
    /// Redeem an invitation and sign in (`token`, `password`; `SessionView`).
    RedeemInvitation,
    /// Sign out of the hub and forget the session on this computer.
    SignOut,
    /// Choose the mode (`mode`: [`DesktopMode`]; [`DesktopStatus`]).
    ChooseMode,
    /// Start with the computer's login or not (`enabled`; [`DesktopStatus`]).
    SetStartAtLogin,
    /// Any other hub call, with the token added in the desktop process ([`HubRequest`]).
    HubRequest,
    /// The live events' state now (`LiveStatus`).
    LiveStatus,
}

impl DesktopCommand {
    /// Every command, in the order the app registers them.
    pub const ALL: [Self; 14] = [
        Self::CachedAccess,
        Self::RefreshAccess,
        Self::Unlock,
        Self::SessionStatus,
        Self::CurrentAccount,
        Self::SignIn,
        Self::FrontDeskSetup,
        Self::CreateFirstAdmin,
        Self::RedeemInvitation,
        Self::SignOut,
        Self::ChooseMode,
        Self::SetStartAtLogin,
        Self::HubRequest,
        Self::LiveStatus,
    ];

    /// The name the webview invokes (the Rust command function's name).
    pub const fn name(self) -> &'static str {
        match self {
            Self::CachedAccess => "cached_access",
            Self::RefreshAccess => "refresh_access",
            Self::Unlock => "unlock",
            Self::SessionStatus => "session_status",
            Self::CurrentAccount => "current_account",
            Self::SignIn => "sign_in",
            Self::FrontDeskSetup => "front_desk_setup",
            Self::CreateFirstAdmin => "create_first_admin",
            Self::RedeemInvitation => "redeem_invitation",
            Self::SignOut => "sign_out",
            Self::ChooseMode => "choose_mode",
            Self::SetStartAtLogin => "set_start_at_login",
            Self::HubRequest => "hub_request",
            Self::LiveStatus => "live_status",
        }
    }
}

/// The hub routes the desktop never sends for the UI ([`DesktopCommand::HubRequest`] refuses
/// them): those that hand out or end a session, or a secret, have their own commands (the token
/// and the Kisi login stay in the desktop process), and only the desktop itself reports the unlocks
/// it made (the audit log's desktop entries). Everything else under `/api` may be proxied.
pub const NOT_PROXIED: &[&str] = &[
    routes::AUTH_SIGN_IN,
    routes::AUTH_SIGN_OUT,
    routes::AUTH_SESSION,
    routes::AUTH_INVITATIONS_REDEEM,
    routes::ME_KISI_LOGIN,
    routes::ME_UNLOCK_EVENTS,
];

/// The app events the desktop emits to the webview, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum DesktopEvent {
    /// The background refresh changed the Access page (no payload).
    #[serde(rename = "doorlink://access-changed")]
    AccessChanged,
    /// One of the hub's live events, `{kind, data}` as in a browser.
    #[serde(rename = "doorlink://live")]
    Live,
    /// The live events' state, a `LiveStatus`.
    #[serde(rename = "doorlink://live-status")]
    LiveStatus,
}

impl DesktopEvent {
    /// The name the webview listens to.
    pub const fn name(self) -> &'static str {
        match self {
            Self::AccessChanged => "doorlink://access-changed",
            Self::Live => "doorlink://live",
            Self::LiveStatus => "doorlink://live-status",
        }
    }
}

/// The state of the live events, which the header shows (the UI's app/ConnectionBadge.tsx); in a
/// browser the UI works it out itself, on the desktop the app announces it
/// ([`DesktopEvent::LiveStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LiveStatus {
    /// The first attempt, nothing known yet.
    Connecting,
    /// Live events arrive, so the hub answers.
    Live,
    /// The live events dropped and are being retried; the hub may still answer.
    Reconnecting,
    /// The hub cannot be reached.
    Offline,
    /// The hub refused the session (expired or revoked): the UI goes back to sign-in and says
    /// the session ended; nothing is retried until someone signs in again.
    SignedOut,
}

/// Where the Access page's doors came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccessSource {
    /// Just confirmed by the hub.
    Hub,
    /// From the local cache: shown at once on start, or because the hub cannot be reached (A6).
    Cache,
}

/// The Access page of the desktop: the hub's own shape (so the UI renders one page for both), plus
/// where it came from and whether unlocking can work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesktopAccess {
    /// `None` when the hub never confirmed anything for this person on this computer.
    pub access: Option<MyAccess>,
    pub source: AccessSource,
    /// When the hub last confirmed these doors.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Why the hub could not be asked, in plain words; `None` when it answered.
    pub offline_reason: Option<String>,
    /// A6: unlocking needs a connection. False when offline, with the reason above.
    pub can_unlock: bool,
}

/// The two ways the app runs, chosen at first start and changeable in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DesktopMode {
    /// The hub runs in the app on 127.0.0.1; its database lives in the app-data folder.
    FrontDesk,
    /// Sign in to the hub at `url` (https, or http on this computer).
    RemoteHub { url: String },
}

/// Who is signed in, as far as it is not secret (the token is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignedIn {
    /// The hub's address as the cache and the keychain key their entries.
    pub hub_url: String,
    /// The account as the hub described it at sign-in (what the UI shows without asking).
    pub account: AccountView,
}

/// The app's settings that are not secret (kept with tauri-plugin-store).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DesktopSettings {
    /// `None` until the person chose at first start.
    pub mode: Option<DesktopMode>,
    pub signed_in: Option<SignedIn>,
    /// Start Doorlink when the person logs in to this computer (off by default).
    pub start_at_login: bool,
    /// The loopback port of this computer's hub in front-desk mode, kept across runs.
    pub front_desk_port: Option<u16>,
}

impl DesktopSettings {
    /// Switching mode signs out: a session belongs to one hub.
    #[must_use]
    pub fn with_mode(self, mode: DesktopMode) -> Self {
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

/// Where the app keeps its secrets on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecretsBackend {
    /// The OS keychain.
    Keychain,
    /// An encrypted file in the app-data folder, where no keychain answers.
    EncryptedFile,
}

/// What the settings page and the first-start screen show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DesktopStatus {
    pub settings: DesktopSettings,
    pub secrets_backend: SecretsBackend,
    /// Whether the person's own Kisi login is ready for unlocking (A4).
    pub can_unlock_directly: bool,
}

/// A password's allowed length, shown and checked at the field (the same as every sign-in's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PasswordRule {
    pub min_chars: usize,
    pub max_chars: usize,
}

/// What the first-start screen needs to know about this computer's hub (front desk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FrontDeskSetup {
    /// True while the hub has no account: the screen asks for the first admin, not a sign-in.
    pub needs_first_admin: bool,
    /// The hub's password rule, shown and checked at the field.
    pub password_rule: PasswordRule,
}

/// The first admin of the front desk's own hub, as the person there types them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FirstAdmin {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// A hub call the desktop sends for the UI with the person's token (the token never enters the
/// webview). `path` is below `/api`, as the UI names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HubRequest {
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub query: Vec<(String, String)>,
    #[serde(default)]
    #[ts(type = "unknown")]
    pub body: Option<serde_json::Value>,
}

/// The one error every command rejects with: the hub's own shape (`status`, `code`, `message`,
/// `fields`), so the UI explains a desktop failure exactly like a hub refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommandError {
    /// The hub's HTTP status for its refusals; 0 when the hub cannot be reached (the UI's
    /// "offline"); 401 signed out; 500 for this computer's own storage.
    pub status: u16,
    /// The hub's codes (`unauthenticated`, `validation_failed`, `offline`, …) plus the desktop's
    /// `local_storage`, `front_desk`, `no_kisi_login`.
    pub code: String,
    pub message: String,
    /// For `validation_failed`: each refused field and what is allowed.
    pub fields: Vec<FieldProblem>,
}

impl CommandError {
    /// A refusal of this computer's with the status the hub would give `code`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        let status = match code {
            "offline" => 0,
            "unauthenticated" => 401,
            "forbidden" => 403,
            "no_kisi_login" => 409,
            "validation_failed" => 422,
            _ => 500,
        };
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// The session ended (or never began) on this computer.
    pub fn signed_out() -> Self {
        Self::new("unauthenticated", "Sign in to see your doors.")
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_is_invoked_by_the_name_its_wire_form_has() {
        for command in DesktopCommand::ALL {
            assert_eq!(
                serde_json::to_value(command).unwrap(),
                serde_json::Value::from(command.name()),
                "{command:?}"
            );
        }
    }

    #[test]
    fn each_event_is_listened_to_by_the_name_its_wire_form_has() {
        for event in [
            DesktopEvent::AccessChanged,
            DesktopEvent::Live,
            DesktopEvent::LiveStatus,
        ] {
            assert_eq!(
                serde_json::to_value(event).unwrap(),
                serde_json::Value::from(event.name())
            );
        }
    }

    fn signed_in() -> SignedIn {
        SignedIn {
            hub_url: "https://hub.example.com".to_owned(),
            account: AccountView {
                id: 3,
                email: "ana@example.com".to_owned(),
                role: crate::auth::Role::Member,
                person_id: Some(7),
            },
        }
    }

    #[test]
    fn switching_mode_signs_out() {
        let settings = DesktopSettings {
            mode: Some(DesktopMode::RemoteHub {
                url: "https://hub.example.com".to_owned(),
            }),
            signed_in: Some(signed_in()),
            start_at_login: true,
            front_desk_port: None,
        };
        let switched = settings.with_mode(DesktopMode::FrontDesk);
        assert_eq!(switched.mode, Some(DesktopMode::FrontDesk));
        assert_eq!(switched.signed_in, None);
        assert!(switched.start_at_login, "other settings are kept");
    }

    #[test]
    fn choosing_the_same_mode_again_keeps_the_session() {
        let mode = DesktopMode::RemoteHub {
            url: "https://hub.example.com".to_owned(),
        };
        let settings = DesktopSettings {
            mode: Some(mode.clone()),
            signed_in: Some(signed_in()),
            start_at_login: false,
            front_desk_port: None,
        };
        assert_eq!(settings.with_mode(mode).signed_in, Some(signed_in()));
    }

    #[test]
    fn settings_written_by_an_older_version_still_load() {
        let settings: DesktopSettings =
            serde_json::from_str(r#"{"mode":{"kind":"front_desk"}}"#).unwrap();
        assert_eq!(settings.mode, Some(DesktopMode::FrontDesk));
        assert!(!settings.start_at_login);
    }
}
