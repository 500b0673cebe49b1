//! The desktop's secrets: the hub session token and the person's own Kisi login (A4). They go to
//! the OS keychain (`keyring`). A machine without one (a bare CI box, a minimal Linux without a
//! Secret Service) gets an encrypted file instead, said once in the log, never plain text.
//!
//! The file fallback seals each secret with XChaCha20-Poly1305 under a random key kept in a
//! separate 0600 key file (the store crate's `SecretBox`). It keeps secrets out of plain text,
//! backups and copies of the data file; it cannot protect them from someone who can read the
//! person's own files, which is what a keychain adds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use doorlink_store::secrets::Sealed;
use doorlink_store::{SecretBox, SecretValue};
use serde::{Deserialize, Serialize};

/// The keychain service name every entry is filed under.
const SERVICE: &str = "io.doorlink.desktop";

/// Which secret: the name under which it is filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretName {
    /// The hub's bearer token for a person at a hub.
    HubSession { hub_url: String, email: String },
    /// The person's own Kisi login secret, delivered by their hub (A4).
    KisiLogin { hub_url: String, email: String },
}

impl SecretName {
    fn as_key(&self) -> String {
        match self {
            Self::HubSession { hub_url, email } => format!("hub-session {hub_url} {email}"),
            Self::KisiLogin { hub_url, email } => format!("kisi-login {hub_url} {email}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("the OS keychain refused the secret {name:?}: {detail}")]
    Keychain { name: String, detail: String },
    #[error("the encrypted secrets file {path} cannot be used: {detail}")]
    File { path: String, detail: String },
}

pub use doorlink_api::desktop::SecretsBackend;

/// The secrets of this app on this machine. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Secrets {
    inner: Arc<Inner>,
}

#[derive(Debug)]
enum Inner {
    Keychain,
    File(EncryptedFile),
}

impl Secrets {
    /// The OS keychain when it works here, else the encrypted file in `data_dir` (logged once,
    /// with the reason). Blocking: call it off the async runtime.
    pub fn for_this_machine(data_dir: &Path) -> Result<Self, SecretsError> {
        match probe_keychain() {
            Ok(()) => {
                tracing::info!("secrets are kept in the OS keychain");
                Ok(Self {
                    inner: Arc::new(Inner::Keychain),
                })
            }
            Err(reason) => {
                let file = EncryptedFile::open(data_dir)?;
                tracing::warn!(
                    %reason,
                    path = %file.path.display(),
                    "this machine has no usable OS keychain; secrets go to an encrypted file instead"
                );
                Ok(Self {
                    inner: Arc::new(Inner::File(file)),
                })
            }
        }
    }

    /// Always the encrypted file in `data_dir` (tests, and machines known to have no keychain).
    pub fn encrypted_file(data_dir: &Path) -> Result<Self, SecretsError> {
        Ok(Self {
            inner: Arc::new(Inner::File(EncryptedFile::open(data_dir)?)),
        })
    }

    pub fn backend(&self) -> SecretsBackend {
        match *self.inner {
            Inner::Keychain => SecretsBackend::Keychain,
            Inner::File(_) => SecretsBackend::EncryptedFile,
        }
    }

    /// Blocking (keychain IPC or a file write).
    pub fn set(&self, name: &SecretName, value: &SecretValue) -> Result<(), SecretsError> {
        match &*self.inner {
            Inner::Keychain => keychain_entry(name)?
                .set_password(value.expose())
                .map_err(|error| keychain_error(name, &error)),
            Inner::File(file) => file.set(&name.as_key(), value),
        }
    }

    /// Blocking. `None` when nothing is stored under `name`.
    pub fn get(&self, name: &SecretName) -> Result<Option<SecretValue>, SecretsError> {
        match &*self.inner {
            Inner::Keychain => match keychain_entry(name)?.get_password() {
                Ok(value) => Ok(Some(SecretValue::new(value))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(error) => Err(keychain_error(name, &error)),
            },
            Inner::File(file) => file.get(&name.as_key()),
        }
    }

    /// Blocking. Deleting what is not there is not an error.
    pub fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        match &*self.inner {
            Inner::Keychain => match keychain_entry(name)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(error) => Err(keychain_error(name, &error)),
            },
            Inner::File(file) => file.delete(&name.as_key()),
        }
    }
}

fn keychain_entry(name: &SecretName) -> Result<keyring::Entry, SecretsError> {
    keyring::Entry::new(SERVICE, &name.as_key()).map_err(|error| keychain_error(name, &error))
}

fn keychain_error(name: &SecretName, error: &keyring::Error) -> SecretsError {
    // The key names the kind of secret and the hub, never its value.
    SecretsError::Keychain {
        name: name.as_key(),
        detail: error.to_string(),
    }
}

/// Writes, reads back and deletes a throw-away entry: a keychain that only pretends to work
/// (no Secret Service on the bus, a locked collection that cannot prompt) fails here, not later.
fn probe_keychain() -> Result<(), String> {
    let entry = keyring::Entry::new(SERVICE, "probe").map_err(|error| error.to_string())?;
    entry
        .set_password("probe")
        .map_err(|error| error.to_string())?;
    let read = entry.get_password().map_err(|error| error.to_string())?;
    // Best effort: a probe left behind holds nothing secret.
    let _ = entry.delete_credential();
    if read == "probe" {
        Ok(())
    } else {
        Err("the keychain returned something else than was stored".to_owned())
    }
}

/// Sealed secrets in `secrets.json`, keyed by name, under the key in `secrets.json.key`.
#[derive(Debug)]
struct EncryptedFile {
    path: PathBuf,
    seal: SecretBox,
    /// Serialises read-modify-write of the file within the process.
    lock: Mutex<()>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FileContents {
    /// name → hex(nonce) ":" hex(ciphertext)
    secrets: BTreeMap<String, String>,
}

impl EncryptedFile {
    fn open(data_dir: &Path) -> Result<Self, SecretsError> {
        let path = data_dir.join("secrets.json");
        let key_path = data_dir.join("secrets.json.key");
        let seal = SecretBox::from_key_file(&key_path).map_err(|error| SecretsError::File {
            path: key_path.display().to_string(),
            detail: error.to_string(),
        })?;
        Ok(Self {
            path,
            seal,
            lock: Mutex::new(()),
        })
    }

    fn error(&self, detail: &impl ToString) -> SecretsError {
        SecretsError::File {
            path: self.path.display().to_string(),
            detail: detail.to_string(),
        }
    }

    fn read(&self) -> Result<FileContents, SecretsError> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| self.error(&error)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(FileContents::default())
            }
            Err(error) => Err(self.error(&error)),
        }
    }

    /// Writes beside and renames, so a crash never leaves half a file.
    fn write(&self, contents: &FileContents) -> Result<(), SecretsError> {
        let bytes = serde_json::to_vec_pretty(contents).map_err(|error| self.error(&error))?;
        let temporary = self.path.with_extension("json.tmp");
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&temporary)
            .map_err(|error| self.error(&error))?;
        std::io::Write::write_all(&mut file, &bytes)
            .and_then(|()| file.sync_all())
            .and_then(|()| fs::rename(&temporary, &self.path))
            .map_err(|error| self.error(&error))
    }

    fn set(&self, key: &str, value: &SecretValue) -> Result<(), SecretsError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| self.error(&"a writer panicked"))?;
        let sealed = self
            .seal
            .seal(key, value)
            .map_err(|error| self.error(&error))?;
        let mut contents = self.read()?;
        contents.secrets.insert(
            key.to_owned(),
            format!("{}:{}", hex(&sealed.nonce), hex(&sealed.ciphertext)),
        );
        self.write(&contents)
    }

    fn get(&self, key: &str) -> Result<Option<SecretValue>, SecretsError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| self.error(&"a writer panicked"))?;
        let contents = self.read()?;
        let Some(stored) = contents.secrets.get(key) else {
            return Ok(None);
        };
        let (nonce, ciphertext) = stored
            .split_once(':')
            .and_then(|(nonce, ciphertext)| Some((unhex(nonce)?, unhex(ciphertext)?)))
            .ok_or_else(|| {
                self.error(&format!("the entry {key:?} is not nonce:ciphertext in hex"))
            })?;
        self.seal
            .open(key, &Sealed { nonce, ciphertext })
            .map(Some)
            .map_err(|error| self.error(&error))
    }

    fn delete(&self, key: &str) -> Result<(), SecretsError> {
        let _guard = self
            .lock
            .lock()
            .map_err(|_| self.error(&"a writer panicked"))?;
        let mut contents = self.read()?;
        if contents.secrets.remove(key).is_some() {
            self.write(&contents)?;
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kisi_login() -> SecretName {
        SecretName::KisiLogin {
            hub_url: "http://127.0.0.1:8080".to_owned(),
            email: "ana@example.com".to_owned(),
        }
    }

    #[test]
    fn a_secret_in_the_encrypted_file_comes_back_and_is_never_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::encrypted_file(dir.path()).unwrap();
        secrets
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        assert_eq!(
            secrets.get(&kisi_login()).unwrap().unwrap().expose(),
            "kisi-secret-42"
        );
        let on_disk = fs::read_to_string(dir.path().join("secrets.json")).unwrap();
        assert!(!on_disk.contains("kisi-secret-42"), "{on_disk}");
    }

    #[test]
    fn secrets_survive_a_restart_with_the_same_key_file() {
        let dir = tempfile::tempdir().unwrap();
        Secrets::encrypted_file(dir.path())
            .unwrap()
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        let reopened = Secrets::encrypted_file(dir.path()).unwrap();
        assert_eq!(
            reopened.get(&kisi_login()).unwrap().unwrap().expose(),
            "kisi-secret-42"
        );
    }

    #[test]
    fn a_copied_secrets_file_without_its_key_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        Secrets::encrypted_file(dir.path())
            .unwrap()
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        fs::copy(
            dir.path().join("secrets.json"),
            elsewhere.path().join("secrets.json"),
        )
        .unwrap();
        let stranger = Secrets::encrypted_file(elsewhere.path()).unwrap();
        assert!(matches!(
            stranger.get(&kisi_login()),
            Err(SecretsError::File { .. })
        ));
    }

    #[test]
    fn a_secret_moved_to_another_name_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::encrypted_file(dir.path()).unwrap();
        secrets
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        let path = dir.path().join("secrets.json");
        let moved = fs::read_to_string(&path)
            .unwrap()
            .replace("kisi-login", "hub-session");
        fs::write(&path, moved).unwrap();
        let session = SecretName::HubSession {
            hub_url: "http://127.0.0.1:8080".to_owned(),
            email: "ana@example.com".to_owned(),
        };
        assert!(secrets.get(&session).is_err());
    }

    #[test]
    fn deleting_forgets_and_deleting_twice_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::encrypted_file(dir.path()).unwrap();
        secrets
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        secrets.delete(&kisi_login()).unwrap();
        secrets.delete(&kisi_login()).unwrap();
        assert_eq!(secrets.get(&kisi_login()).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn the_secrets_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::encrypted_file(dir.path()).unwrap();
        secrets.set(&kisi_login(), &SecretValue::new("x")).unwrap();
        for file in ["secrets.json", "secrets.json.key"] {
            let mode = fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{file} is {mode:o}");
        }
    }

    #[test]
    fn on_a_machine_without_keychain_the_file_takes_over() {
        // This box has no Secret Service on a session bus; where one exists this test instead
        // proves the keychain round trip.
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::for_this_machine(dir.path()).unwrap();
        secrets
            .set(&kisi_login(), &SecretValue::new("kisi-secret-42"))
            .unwrap();
        assert_eq!(
            secrets.get(&kisi_login()).unwrap().unwrap().expose(),
            "kisi-secret-42"
        );
        secrets.delete(&kisi_login()).unwrap();
    }
}
