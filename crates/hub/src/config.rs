//! The hub's configuration, from flags, environment (`DOORLINK_*`) and a TOML file, in that order
//! of precedence: a flag beats the environment, which beats the file, which beats the default.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use doorlink_store::{Backend, Store, StoreError, redacted_url};
use ipnet::IpNet;
use serde::Deserialize;

/// An initial admin, so `doorlink serve` / `doorlink demo` can start from an empty database.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct BootstrapAdmin {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for BootstrapAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BootstrapAdmin")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Everything the hub needs to run.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Where `Hub::serve` listens.
    pub listen: SocketAddr,
    /// The database: a SQLite file (default: `<OS data folder>/doorlink/doorlink.db`) or a
    /// PostgreSQL server that several hubs may share.
    pub database: Database,
    /// A folder of the UI's built files to serve at `/` instead of the UI built into the binary
    /// (development: `DOORLINK_UI_DIST`); `None` serves the built-in one.
    pub ui_dist: Option<PathBuf>,
    pub bootstrap_admin: Option<BootstrapAdmin>,
    /// How long a session lasts after sign-in.
    pub session_ttl: Duration,
    /// How long a session may go unused before it ends (besides `session_ttl`).
    pub session_idle: Duration,
    /// How long an invitation token can be redeemed.
    pub invitation_ttl: Duration,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// The address people reach the hub at (e.g. `https://doors.example.com`). When it is https,
    /// the session cookie is always `Secure`, whatever the hop to the hub is.
    pub public_url: Option<String>,
    /// Run the sync worker as a background task.
    pub run_sync_worker: bool,
    /// Sign-in attempts allowed per e-mail and per client address, per minute.
    pub sign_in_attempts_per_minute: u32,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` / `Forwarded` header
    /// names the client. Empty: the socket peer is the client, and such headers are ignored.
    pub trusted_proxies: Vec<IpNet>,
    /// How the sync engine talks to Kisi and paces its work (timeouts, rate budget, reconcile
    /// interval).
    pub sync: doorlink_sync::SyncConfig,
    /// How outcome webhooks are sent and retried (issue 15).
    pub outcomes: crate::outcome_sender::SendPolicy,
}

impl HubConfig {
    pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

    /// Defaults with the database at `database` (tests, demos).
    pub fn with_database(database: impl Into<Database>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: database.into(),
            ui_dist: None,
            bootstrap_admin: None,
            session_ttl: Duration::from_secs(14 * 24 * 3600),
            session_idle: Duration::from_secs(12 * 3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            secure_cookies: false,
            public_url: None,
            run_sync_worker: true,
            sign_in_attempts_per_minute: 5,
            trusted_proxies: Vec::new(),
            sync: doorlink_sync::SyncConfig::default(),
            outcomes: crate::outcome_sender::SendPolicy::default(),
        }
    }

    /// The database path when none is configured: the OS data folder (e.g.
    /// `~/.local/share/doorlink/doorlink.db`), or the working directory if the OS has none.
    pub fn default_database() -> PathBuf {
        dirs::data_dir()
            .map(|dir| dir.join("doorlink"))
            .unwrap_or_default()
            .join("doorlink.db")
    }

    /// Resolves flags > environment (`DOORLINK_*` from the process) > the config file named by
    /// `--config` or `DOORLINK_CONFIG` > defaults.
    pub fn load(flags: ConfigLayer) -> Result<Self, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(key, _)| key.starts_with("DOORLINK_"))
            .collect();
        let file_path = flags
            .config
            .clone()
            .or_else(|| env.get("DOORLINK_CONFIG").map(PathBuf::from));
        let file = match &file_path {
            Some(path) => Some(ConfigLayer::from_file(path)?),
            None => None,
        };
        Self::resolve(
            flags,
            ConfigLayer::from_env(&env)?,
            file.unwrap_or_default(),
        )
    }

    /// Merges three layers, the first winning.
    pub fn resolve(
        flags: ConfigLayer,
        env: ConfigLayer,
        file: ConfigLayer,
    ) -> Result<Self, ConfigError> {
        let merged = flags.over(env).over(file);
        let mut config = Self::with_database(
            merged
                .database
                .unwrap_or_else(|| Database::File(Self::default_database())),
        );
        if let Some(listen) = merged.listen {
            config.listen = listen.parse().map_err(|_| {
                ConfigError::invalid("listen", &listen, "an address such as 127.0.0.1:8080")
            })?;
        }
        config.ui_dist = merged.ui_dist;
        config.bootstrap_admin = match (merged.admin_email, merged.admin_password) {
            (Some(email), Some(password)) => Some(BootstrapAdmin { email, password }),
            (None, None) => None,
            _ => {
                return Err(ConfigError::Incomplete(
                    "admin_email and admin_password must be given together".to_owned(),
                ));
            }
        };
        if let Some(hours) = merged.session_hours {
            config.session_ttl = Duration::from_secs(hours * 3600);
        }
        if let Some(url) = merged.public_url {
            let url = url.trim().trim_end_matches('/').to_owned();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ConfigError::invalid(
                    "public_url",
                    &url,
                    "an address such as https://doors.example.com",
                ));
            }
            config.public_url = Some(url);
        }
        if let Some(hours) = merged.session_idle_hours {
            config.session_idle = Duration::from_secs(hours * 3600);
        }
        if let Some(secure) = merged.secure_cookies {
            config.secure_cookies = secure;
        }
        if let Some(run) = merged.sync_worker {
            config.run_sync_worker = run;
        }
        // Kisi asks integration partners to name themselves and a contact (kisi-api.md).
        if let Some(name) = merged.kisi_integration_name {
            let name = name.trim().to_owned();
            if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
                return Err(ConfigError::invalid(
                    "kisi_integration_name",
                    &name,
                    "a name of 1 to 100 printable characters",
                ));
            }
            if let Some(integration) = config.sync.kisi.integration.as_mut() {
                integration.name = name;
            }
        }
        if let Some(contact) = merged.kisi_integration_contact {
            let contact = contact.trim().to_owned();
            if contact.len() > 254
                || !contact.contains('@')
                || contact.chars().any(char::is_control)
            {
                return Err(ConfigError::invalid(
                    "kisi_integration_contact",
                    &contact,
                    "an e-mail address Kisi can reach the operator at",
                ));
            }
            if let Some(integration) = config.sync.kisi.integration.as_mut() {
                integration.contact = Some(contact);
            }
        }
        if let Some(attempts) = merged.sign_in_attempts_per_minute {
            if attempts == 0 {
                return Err(ConfigError::invalid(
                    "sign_in_attempts_per_minute",
                    "0",
                    "at least 1",
                ));
            }
            config.sign_in_attempts_per_minute = attempts;
        }
        if let Some(proxies) = merged.trusted_proxies {
            config.trusted_proxies = proxies
                .iter()
                .map(|proxy| parse_proxy(proxy))
                .collect::<Result<_, _>>()?;
        }
        Ok(config)
    }
}

/// A trusted proxy: one address (`10.0.0.2`) or a range (`10.0.0.0/8`, `fd00::/8`).
fn parse_proxy(text: &str) -> Result<IpNet, ConfigError> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            ConfigError::invalid(
                "trusted_proxies",
                text,
                "addresses or CIDR ranges such as 10.0.0.2 or 10.0.0.0/8, separated by commas",
            )
        })
}

/// The environment variable naming the database by URL (`postgres://…` or `sqlite:…`).
pub const DATABASE_URL_ENV: &str = "DOORLINK_DATABASE_URL";
/// The environment variable naming a SQLite database file (as before PostgreSQL).
pub const DATABASE_FILE_ENV: &str = "DOORLINK_DATABASE";
/// The longest database setting accepted (a path or a URL).
pub const MAX_DATABASE_SETTING: usize = 2048;

const DATABASE_ALLOWED: &str = "a SQLite file path (e.g. /var/lib/doorlink/doorlink.db) or a URL: \
     postgres://user:password@host:5432/name or sqlite:///path/to/doorlink.db, at most 2,048 \
     characters";
const DATABASE_FILE_ALLOWED: &str = "a SQLite file path such as /var/lib/doorlink/doorlink.db (a \
     file, not a folder; no control characters; at most 2,048 characters); a postgres:// URL goes \
     in DOORLINK_DATABASE_URL or --database";

/// Where the hub keeps its data: a SQLite file (one hub, the default) or a PostgreSQL database
/// that several hubs share (issue 14). `Display` and `Debug` hide a URL's password
/// ([`doorlink_store::redacted_url`]), so the value may be logged.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite database file (created when missing).
    File(PathBuf),
    /// A `postgres://` / `postgresql://` URL, password included.
    Postgres(String),
}

impl Database {
    /// A setting that may name either (the `--database` flag, the config file's `database`): a URL
    /// when it starts with a scheme (`postgres:`, `sqlite:`, …), else a file path.
    pub fn parse(setting: &str, value: &str) -> Result<Self, ConfigError> {
        if looks_like_url(value.trim()) {
            Self::parse_url(setting, value)
        } else {
            Self::parse_file(setting, value)
        }
    }

    /// A URL: `postgres://…` / `postgresql://…` (with a host), or `sqlite:` + a file path.
    pub fn parse_url(setting: &str, value: &str) -> Result<Self, ConfigError> {
        let value = value.trim();
        let refuse = || ConfigError::invalid(setting, &shown(value), DATABASE_ALLOWED);
        if value.len() > MAX_DATABASE_SETTING || value.chars().any(char::is_control) {
            return Err(refuse());
        }
        match Backend::of_url(value) {
            Some(Backend::Postgres) => {
                let parsed = url::Url::parse(value).map_err(|_| refuse())?;
                if parsed.host_str().is_none_or(str::is_empty) {
                    return Err(refuse());
                }
                Ok(Self::Postgres(value.to_owned()))
            }
            Some(Backend::Sqlite) => {
                let path = value
                    .strip_prefix("sqlite://")
                    .or_else(|| value.strip_prefix("sqlite:"))
                    .unwrap_or(value);
                let path = path.split_once('?').map_or(path, |(path, _)| path);
                Self::parse_file(setting, path)
            }
            None => Err(refuse()),
        }
    }

    /// A SQLite file path (`DOORLINK_DATABASE`, `--data DIR` made `DIR/doorlink.db`).
    pub fn parse_file(setting: &str, value: &str) -> Result<Self, ConfigError> {
        let refuse = || ConfigError::invalid(setting, &shown(value), DATABASE_FILE_ALLOWED);
        if value.trim().is_empty()
            || value.len() > MAX_DATABASE_SETTING
            || value.chars().any(char::is_control)
            || value.ends_with('/')
            || value.ends_with(std::path::MAIN_SEPARATOR)
            || looks_like_url(value.trim())
        {
            return Err(refuse());
        }
        Ok(Self::File(PathBuf::from(value)))
    }

    /// The SQLite file, when it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::File(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens the store on it, running pending migrations: [`Store::open`] (creating the file) or
    /// [`Store::open_postgres`] (the secret key from `DOORLINK_SECRET_KEY`, shared by every hub).
    pub async fn open(&self) -> Result<Store, StoreError> {
        match self {
            Self::File(path) => Store::open(path).await,
            Self::Postgres(url) => Store::open_postgres(url).await,
        }
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => f.write_str(&redacted_url(url)),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(&redacted_url(url)).finish(),
        }
    }
}

/// A file path (tests, the desktop's and the demo's data folders); URLs go through
/// [`Database::parse`].
impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Self {
        Self::File(path)
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Self {
        Self::File(path.to_owned())
    }
}

impl From<&str> for Database {
    fn from(path: &str) -> Self {
        Self::File(PathBuf::from(path))
    }
}

/// The config file's `database`: a path or a URL, checked like the flag.
impl<'de> Deserialize<'de> for Database {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse("database", &text).map_err(serde::de::Error::custom)
    }
}

/// `scheme:` with a scheme of two or more letters (a Windows drive `C:` is a path).
fn looks_like_url(value: &str) -> bool {
    value.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() >= 2
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A refused database value as an error shows it: whatever stands before an `@` hidden (a
/// password, even in a value too broken to parse as a URL), cut short when long.
fn shown(value: &str) -> String {
    let value = value.trim();
    let value = match value.rfind('@') {
        Some(at) => {
            let start = value
                .find("://")
                .map(|i| i + 3)
                .or_else(|| value.find(':').map(|i| i + 1))
                .filter(|start| *start <= at)
                .unwrap_or(0);
            format!("{}***{}", &value[..start], &value[at..])
        }
        None => value.to_owned(),
    };
    if value.chars().count() > 80 {
        let head: String = value.chars().take(80).collect();
        format!("{head}… ({} characters)", value.chars().count())
    } else {
        value
    }
}

/// One source of settings; every field optional. The TOML file uses these names; the environment
/// uses `DOORLINK_` + the upper-case name (`DOORLINK_LISTEN`, `DOORLINK_DATABASE`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    /// The config file itself (flags and environment only).
    #[serde(skip)]
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    /// A SQLite file path or a database URL (`postgres://…`, `sqlite:…`); see [`Database::parse`].
    pub database: Option<Database>,
    pub ui_dist: Option<PathBuf>,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    pub session_hours: Option<u64>,
    pub session_idle_hours: Option<u64>,
    pub secure_cookies: Option<bool>,
    pub public_url: Option<String>,
    pub sync_worker: Option<bool>,
    pub sign_in_attempts_per_minute: Option<u32>,
    /// Addresses or CIDR ranges (the environment: comma-separated).
    pub trusted_proxies: Option<Vec<String>>,
    /// `X-Kisi-Integration-Identifier` (default "Doorlink").
    pub kisi_integration_name: Option<String>,
    /// `X-Kisi-Integration-Contact`, an e-mail (default: not sent).
    pub kisi_integration_contact: Option<String>,
}

impl ConfigLayer {
    /// `self` where set, else `lower`.
    pub fn over(self, lower: ConfigLayer) -> ConfigLayer {
        ConfigLayer {
            config: self.config.or(lower.config),
            listen: self.listen.or(lower.listen),
            database: self.database.or(lower.database),
            ui_dist: self.ui_dist.or(lower.ui_dist),
            admin_email: self.admin_email.or(lower.admin_email),
            admin_password: self.admin_password.or(lower.admin_password),
            session_hours: self.session_hours.or(lower.session_hours),
            session_idle_hours: self.session_idle_hours.or(lower.session_idle_hours),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            public_url: self.public_url.or(lower.public_url),
            sync_worker: self.sync_worker.or(lower.sync_worker),
            sign_in_attempts_per_minute: self
                .sign_in_attempts_per_minute
                .or(lower.sign_in_attempts_per_minute),
            trusted_proxies: self.trusted_proxies.or(lower.trusted_proxies),
            kisi_integration_name: self.kisi_integration_name.or(lower.kisi_integration_name),
            kisi_integration_contact: self
                .kisi_integration_contact
                .or(lower.kisi_integration_contact),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::File {
            path: path.to_owned(),
            detail: error.to_string(),
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::File {
            path: path.to_owned(),
            detail: error.to_string(),
        })
    }

    /// Reads `DOORLINK_*` variables from `env`.
    pub fn from_env(env: &BTreeMap<String, String>) -> Result<Self, ConfigError> {
        let get = |name: &str| env.get(name).cloned();
        let parse_bool = |name: &str| -> Result<Option<bool>, ConfigError> {
            get(name)
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => Ok(true),
                    "0" | "false" | "no" | "off" => Ok(false),
                    _ => Err(ConfigError::invalid(name, &v, "true or false")),
                })
                .transpose()
        };
        let parse_number = |name: &str| -> Result<Option<u64>, ConfigError> {
            get(name)
                .map(|v| {
                    v.parse()
                        .map_err(|_| ConfigError::invalid(name, &v, "a whole number"))
                })
                .transpose()
        };
        Ok(Self {
            config: get("DOORLINK_CONFIG").map(PathBuf::from),
            listen: get("DOORLINK_LISTEN"),
            // The URL (either backend) beats the file path, both being the environment's.
            database: match (get(DATABASE_URL_ENV), get(DATABASE_FILE_ENV)) {
                (Some(url), _) => Some(Database::parse_url(DATABASE_URL_ENV, &url)?),
                (None, Some(path)) => Some(Database::parse_file(DATABASE_FILE_ENV, &path)?),
                (None, None) => None,
            },
            ui_dist: get("DOORLINK_UI_DIST").map(PathBuf::from),
            admin_email: get("DOORLINK_ADMIN_EMAIL"),
            admin_password: get("DOORLINK_ADMIN_PASSWORD"),
            session_hours: parse_number("DOORLINK_SESSION_HOURS")?,
            session_idle_hours: parse_number("DOORLINK_SESSION_IDLE_HOURS")?,
            secure_cookies: parse_bool("DOORLINK_SECURE_COOKIES")?,
            public_url: get("DOORLINK_PUBLIC_URL"),
            sync_worker: parse_bool("DOORLINK_SYNC_WORKER")?,
            sign_in_attempts_per_minute: parse_number("DOORLINK_SIGN_IN_ATTEMPTS_PER_MINUTE")?
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            trusted_proxies: get("DOORLINK_TRUSTED_PROXIES").map(|list| split_list(&list)),
            kisi_integration_name: get("DOORLINK_KISI_INTEGRATION_NAME"),
            kisi_integration_contact: get("DOORLINK_KISI_INTEGRATION_CONTACT"),
        })
    }
}

/// A comma-separated list, blanks dropped.
pub fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {path:?}: {detail}")]
    File { path: PathBuf, detail: String },
    #[error("{setting} = {value:?} is not valid: use {allowed}")]
    Invalid {
        setting: String,
        value: String,
        allowed: &'static str,
    },
    #[error("{0}")]
    Incomplete(String),
}

impl ConfigError {
    fn invalid(setting: &str, value: &str, allowed: &'static str) -> Self {
        Self::Invalid {
            setting: setting.to_owned(),
            value: value.to_owned(),
            allowed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(listen: &str) -> ConfigLayer {
        ConfigLayer {
            listen: Some(listen.to_owned()),
            ..ConfigLayer::default()
        }
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        let config = HubConfig::resolve(
            layer("127.0.0.1:1"),
            layer("127.0.0.1:2"),
            layer("127.0.0.1:3"),
        )
        .unwrap();
        assert_eq!(config.listen.port(), 1);
        let config = HubConfig::resolve(
            ConfigLayer::default(),
            layer("127.0.0.1:2"),
            layer("127.0.0.1:3"),
        )
        .unwrap();
        assert_eq!(config.listen.port(), 2);
        let config = HubConfig::resolve(
            ConfigLayer::default(),
            ConfigLayer::default(),
            layer("127.0.0.1:3"),
        )
        .unwrap();
        assert_eq!(config.listen.port(), 3);
    }

    #[test]
    fn database_defaults_to_the_os_data_folder() {
        let config = HubConfig::resolve(
            ConfigLayer::default(),
            ConfigLayer::default(),
            ConfigLayer::default(),
        )
        .unwrap();
        assert!(
            config
                .database
                .file()
                .is_some_and(|path| path.ends_with("doorlink/doorlink.db")),
            "{:?}",
            config.database
        );
    }

    #[test]
    fn environment_is_read_with_the_doorlink_prefix() {
        let env = BTreeMap::from([
            ("DOORLINK_LISTEN".to_owned(), "0.0.0.0:9000".to_owned()),
            ("DOORLINK_SECURE_COOKIES".to_owned(), "yes".to_owned()),
        ]);
        let layer = ConfigLayer::from_env(&env).unwrap();
        let config =
            HubConfig::resolve(ConfigLayer::default(), layer, ConfigLayer::default()).unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert!(config.secure_cookies);
    }

    #[test]
    fn bad_values_name_the_setting_and_what_is_allowed() {
        let error = HubConfig::resolve(
            layer("not an address"),
            ConfigLayer::default(),
            ConfigLayer::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("listen"), "{error}");
        let env = BTreeMap::from([("DOORLINK_SECURE_COOKIES".to_owned(), "maybe".to_owned())]);
        let error = ConfigLayer::from_env(&env).unwrap_err();
        assert!(error.to_string().contains("true or false"), "{error}");
    }

    #[test]
    fn the_file_is_toml_and_refuses_unknown_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doorlink.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:7000\"\nsync_worker = false\n").unwrap();
        let file = ConfigLayer::from_file(&path).unwrap();
        assert_eq!(file.sync_worker, Some(false));
        std::fs::write(&path, "lisen = \"x\"\n").unwrap();
        assert!(
            ConfigLayer::from_file(&path)
                .unwrap_err()
                .to_string()
                .contains("lisen")
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges_from_the_file_or_a_comma_list() {
        let env = BTreeMap::from([(
            "DOORLINK_TRUSTED_PROXIES".to_owned(),
            "10.0.0.2, fd00::/8".to_owned(),
        )]);
        let layer = ConfigLayer::from_env(&env).unwrap();
        let config =
            HubConfig::resolve(ConfigLayer::default(), layer, ConfigLayer::default()).unwrap();
        assert_eq!(
            config.trusted_proxies,
            vec![
                "10.0.0.2/32".parse::<IpNet>().unwrap(),
                "fd00::/8".parse().unwrap()
            ]
        );
        let file: ConfigLayer = toml::from_str("trusted_proxies = [\"172.16.0.0/12\"]").unwrap();
        let config =
            HubConfig::resolve(ConfigLayer::default(), ConfigLayer::default(), file).unwrap();
        assert_eq!(config.trusted_proxies.len(), 1);
        let bad = ConfigLayer {
            trusted_proxies: Some(vec!["the proxy".to_owned()]),
            ..ConfigLayer::default()
        };
        let error =
            HubConfig::resolve(bad, ConfigLayer::default(), ConfigLayer::default()).unwrap_err();
        assert!(error.to_string().contains("trusted_proxies"), "{error}");
    }

    #[test]
    fn doorlink_names_itself_to_kisi_and_an_operator_may_add_a_contact() {
        let default = HubConfig::resolve(
            ConfigLayer::default(),
            ConfigLayer::default(),
            ConfigLayer::default(),
        )
        .unwrap();
        assert_eq!(
            default.sync.kisi.integration,
            Some(kisi::Integration::doorlink())
        );
        let env = ConfigLayer::from_env(&BTreeMap::from([
            (
                "DOORLINK_KISI_INTEGRATION_NAME".to_owned(),
                "Harbor Doorlink".to_owned(),
            ),
            (
                "DOORLINK_KISI_INTEGRATION_CONTACT".to_owned(),
                "ops@harbor.example".to_owned(),
            ),
        ]))
        .unwrap();
        let configured =
            HubConfig::resolve(ConfigLayer::default(), env, ConfigLayer::default()).unwrap();
        let integration = configured.sync.kisi.integration.unwrap();
        assert_eq!(integration.name, "Harbor Doorlink");
        assert_eq!(integration.contact.as_deref(), Some("ops@harbor.example"));
    }

    #[test]
    fn a_kisi_contact_that_is_no_e_mail_or_a_name_with_a_line_break_is_refused() {
        for (setting, value) in [
            ("kisi_integration_contact", "nobody"),
            ("kisi_integration_name", "Doorlink\r\nX-Evil: 1"),
        ] {
            let layer = ConfigLayer {
                kisi_integration_name: (setting == "kisi_integration_name")
                    .then(|| value.to_owned()),
                kisi_integration_contact: (setting == "kisi_integration_contact")
                    .then(|| value.to_owned()),
                ..ConfigLayer::default()
            };
            let error = HubConfig::resolve(layer, ConfigLayer::default(), ConfigLayer::default())
                .unwrap_err();
            assert!(error.to_string().contains(setting), "{error}");
        }
    }

    #[test]
    fn an_admin_needs_both_email_and_password() {
        let flags = ConfigLayer {
            admin_email: Some("a@b.c".into()),
            ..ConfigLayer::default()
        };
        assert!(HubConfig::resolve(flags, ConfigLayer::default(), ConfigLayer::default()).is_err());
    }
    fn database_layer(database: Database) -> ConfigLayer {
        ConfigLayer {
            database: Some(database),
            ..ConfigLayer::default()
        }
    }

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    const SERVER: &str = "postgres://doorlink:s3cret-pw@db.example:5432/doorlink";

    #[test]
    fn the_database_flag_beats_the_url_variable_which_beats_the_file_variable_and_the_file() {
        let file: ConfigLayer = toml::from_str("database = \"/srv/from-file.db\"").unwrap();
        let both = ConfigLayer::from_env(&env(&[
            (DATABASE_URL_ENV, SERVER),
            (DATABASE_FILE_ENV, "/srv/from-env.db"),
        ]))
        .unwrap();
        let flag = database_layer(Database::parse("--database", "/srv/flag.db").unwrap());

        let chosen = |flags, env, file| HubConfig::resolve(flags, env, file).unwrap().database;
        assert_eq!(
            chosen(flag, both.clone(), file.clone()),
            Database::File("/srv/flag.db".into())
        );
        assert_eq!(
            chosen(ConfigLayer::default(), both, file.clone()),
            Database::Postgres(SERVER.to_owned()),
            "DOORLINK_DATABASE_URL beats DOORLINK_DATABASE"
        );
        let path_only =
            ConfigLayer::from_env(&env(&[(DATABASE_FILE_ENV, "/srv/from-env.db")])).unwrap();
        assert_eq!(
            chosen(ConfigLayer::default(), path_only, file.clone()),
            Database::File("/srv/from-env.db".into())
        );
        assert_eq!(
            chosen(ConfigLayer::default(), ConfigLayer::default(), file),
            Database::File("/srv/from-file.db".into())
        );
        let server_in_file: ConfigLayer =
            toml::from_str(&format!("database = \"{SERVER}\"")).unwrap();
        assert_eq!(
            chosen(
                ConfigLayer::default(),
                ConfigLayer::default(),
                server_in_file
            ),
            Database::Postgres(SERVER.to_owned())
        );
    }

    #[test]
    fn database_urls_name_postgres_or_a_sqlite_file() {
        assert_eq!(
            Database::parse("--database", "postgresql://h/doorlink").unwrap(),
            Database::Postgres("postgresql://h/doorlink".to_owned())
        );
        assert_eq!(
            Database::parse(
                "--database",
                "sqlite:///var/lib/doorlink/doorlink.db?mode=rwc"
            )
            .unwrap(),
            Database::File("/var/lib/doorlink/doorlink.db".into())
        );
        assert_eq!(
            Database::parse_url(DATABASE_URL_ENV, "sqlite:relative.db").unwrap(),
            Database::File("relative.db".into())
        );
        assert_eq!(
            Database::parse("--database", "./data/doorlink.db").unwrap(),
            Database::File("./data/doorlink.db".into())
        );
    }

    /// The hostile inputs: a scheme Doorlink has no driver for, a URL without a server, a
    /// 3,000-character URL, a folder, a control character, a URL where a file path belongs.
    #[test]
    fn a_bad_database_is_refused_naming_the_setting_and_what_is_allowed() {
        let long = format!("postgres://h/{}", "d".repeat(3000));
        let refusals = [
            (
                "--database",
                "mysql://root:hunter2@db/doorlink",
                "postgres://",
            ),
            (
                "--database",
                "sqlite://root:hunter2@db/doorlink",
                "a SQLite file path",
            ),
            (
                "--database",
                "postgres://root:hunter2@/doorlink",
                "postgres://",
            ),
            ("--database", "postgres:///doorlink", "postgres://"),
            ("--database", long.as_str(), "2,048"),
            ("--database", "/var/lib/doorlink/", "not a folder"),
            ("--database", "doorlink\n.db", "no control characters"),
            ("--database", "   ", "a SQLite file path"),
            (
                DATABASE_URL_ENV,
                "/var/lib/doorlink/doorlink.db",
                "postgres://",
            ),
            (DATABASE_FILE_ENV, SERVER, "DOORLINK_DATABASE_URL"),
        ];
        for (setting, value, allowed) in refusals {
            let error = if setting == "--database" {
                Database::parse(setting, value).unwrap_err()
            } else {
                ConfigLayer::from_env(&env(&[(setting, value)])).unwrap_err()
            };
            let message = error.to_string();
            assert!(message.contains(setting), "{setting}={value:?}: {message}");
            assert!(message.contains(allowed), "{setting}={value:?}: {message}");
            assert!(
                !message.contains("hunter2") && !message.contains("s3cret-pw"),
                "{message}"
            );
            assert!(message.len() < 600, "a long value is cut short: {message}");
        }
        let error =
            toml::from_str::<ConfigLayer>("database = \"mysql://db/doorlink\"").unwrap_err();
        assert!(error.to_string().contains("database"), "{error}");
    }

    #[test]
    fn a_postgres_password_never_shows_in_the_config_display_or_debug() {
        let config = HubConfig::resolve(
            ConfigLayer::default(),
            ConfigLayer::from_env(&env(&[(DATABASE_URL_ENV, SERVER)])).unwrap(),
            ConfigLayer::default(),
        )
        .unwrap();
        for shown in [config.database.to_string(), format!("{config:?}")] {
            assert!(!shown.contains("s3cret-pw"), "{shown}");
            assert!(shown.contains("db.example:5432/doorlink"), "{shown}");
        }
    }
}
