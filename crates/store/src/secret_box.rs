//! Encrypted secrets: the Kisi credential of each location (C1) is stored as XChaCha20-Poly1305
//! nonce + ciphertext, under a 32-byte key that is never in the database.
//!
//! The key comes from the `DOORLINK_SECRET_KEY` environment variable (64 hex digits) or from a key
//! file beside the database (`<database>.key`, created with mode 0600 on first use). Each
//! ciphertext is bound to its purpose (the AEAD's associated data), so a ciphertext copied into
//! another row does not decrypt.
//!
//! This file is the box itself (the key, sealing and opening) and the secret in memory; the
//! `secrets` table that keeps sealed values is [`crate::secrets`]. The store holds a box from the
//! moment it opens, so the box sits below the store and knows nothing of it.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::error::{Result, StoreError};

/// The environment variable that, when set, holds the key (64 hex digits) instead of a key file.
pub const SECRET_KEY_ENV: &str = "DOORLINK_SECRET_KEY";

const KEY_LEN: usize = 32;

/// A secret in memory (a Kisi API key or login secret). `Debug` never shows it; reading it takes
/// an explicit [`SecretValue::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that has to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(****)")
    }
}

/// Encrypts and decrypts secrets under one key. Cheap to clone.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Arc<XChaCha20Poly1305>,
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBox(key hidden)")
    }
}

impl SecretBox {
    /// A box for a 32-byte key.
    pub fn from_key(key: [u8; KEY_LEN]) -> Self {
        let key = Key::from(key);
        Self {
            cipher: Arc::new(XChaCha20Poly1305::new(&key)),
        }
    }

    /// A box for a key written as 64 hex digits (the format of the key file and of the environment
    /// variable).
    pub fn from_hex(hex: &str) -> Result<Self> {
        decode_hex_key(hex.trim()).map(Self::from_key)
    }

    /// The key for the database at `database`: `DOORLINK_SECRET_KEY` if set, else the key file beside
    /// the database, created (0600, random key) if it does not exist yet.
    pub fn for_database(database: &Path) -> Result<Self> {
        if let Ok(hex) = std::env::var(SECRET_KEY_ENV) {
            return Self::from_hex(&hex).map_err(|error| {
                StoreError::Secret(format!("{SECRET_KEY_ENV} is not usable: {error}"))
            });
        }
        Self::from_key_file(&key_file_beside(database))
    }

    /// The key of `DOORLINK_SECRET_KEY`, for a server database (PostgreSQL): there is no file beside
    /// it, and every hub of the database must seal and open with the same key.
    pub fn from_environment() -> Result<Self> {
        let hex = std::env::var(SECRET_KEY_ENV).map_err(|_| {
            StoreError::Secret(format!(
                "{SECRET_KEY_ENV} must be set (64 hex digits, the same on every hub) to use a PostgreSQL database"
            ))
        })?;
        Self::from_hex(&hex)
            .map_err(|error| StoreError::Secret(format!("{SECRET_KEY_ENV} is not usable: {error}")))
    }

    /// The key stored in `path`, created with a fresh random key (mode 0600) if the file is missing.
    pub fn from_key_file(path: &Path) -> Result<Self> {
        match fs::read_to_string(path) {
            Ok(hex) => Self::from_hex(&hex).map_err(|error| {
                StoreError::Secret(format!(
                    "key file {} is not usable: {error}",
                    path.display()
                ))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = random_key()?;
                write_new_key_file(path, &key)?;
                tracing::info!(path = %path.display(), "created a new secret key file");
                Ok(Self::from_key(key))
            }
            Err(error) => Err(StoreError::Secret(format!(
                "cannot read key file {}: {error}",
                path.display()
            ))),
        }
    }

    /// A box with a random key that exists only in memory (in-memory stores, tests).
    pub fn ephemeral() -> Result<Self> {
        random_key().map(Self::from_key)
    }

    /// Encrypts `value`, binding the ciphertext to `purpose`.
    pub fn seal(&self, purpose: &str, value: &SecretValue) -> Result<Sealed> {
        let nonce = XNonce::try_generate()
            .map_err(|error| StoreError::Secret(format!("no randomness for a nonce: {error}")))?;
        let payload = Payload {
            msg: value.expose().as_bytes(),
            aad: purpose.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(&nonce, payload)
            .map_err(|_| StoreError::Secret("encryption failed".to_owned()))?;
        Ok(Sealed {
            nonce: nonce.to_vec(),
            ciphertext,
        })
    }

    /// Decrypts a sealed value; fails when the key or the purpose differ from those it was sealed
    /// with, or the bytes were altered.
    pub fn open(&self, purpose: &str, sealed: &Sealed) -> Result<SecretValue> {
        let nonce = XNonce::try_from(sealed.nonce.as_slice())
            .map_err(|_| StoreError::corrupt("secrets", "nonce", "a nonce of the wrong length"))?;
        let payload = Payload {
            msg: sealed.ciphertext.as_slice(),
            aad: purpose.as_bytes(),
        };
        let plain = self.cipher.decrypt(&nonce, payload).map_err(|_| {
            StoreError::Secret(format!(
                "the stored {purpose} cannot be decrypted: the key differs from the one it was \
                 saved with ({SECRET_KEY_ENV} or the key file beside the database), or the row was \
                 altered; reconnect Kisi to store it again"
            ))
        })?;
        String::from_utf8(plain)
            .map(SecretValue)
            .map_err(|_| StoreError::corrupt("secrets", "ciphertext", "non-UTF-8 plaintext"))
    }
}

/// A secret as stored: a fresh random nonce and the ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

fn random_key() -> Result<[u8; KEY_LEN]> {
    let key = Key::try_generate()
        .map_err(|error| StoreError::Secret(format!("no randomness for a key: {error}")))?;
    Ok(key.into())
}

fn write_new_key_file(path: &Path, key: &[u8; KEY_LEN]) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|error| {
        StoreError::Secret(format!(
            "cannot create key file {}: {error}",
            path.display()
        ))
    })?;
    let hex: String = key.iter().map(|byte| format!("{byte:02x}")).collect();
    file.write_all(format!("{hex}\n").as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|error| {
            StoreError::Secret(format!("cannot write key file {}: {error}", path.display()))
        })
}

fn decode_hex_key(hex: &str) -> Result<[u8; KEY_LEN]> {
    let wrong = || StoreError::Secret(format!("a key is {} hex digits", KEY_LEN * 2));
    if hex.len() != KEY_LEN * 2 || !hex.is_ascii() {
        return Err(wrong());
    }
    let mut key = [0; KEY_LEN];
    for (at, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[at * 2..at * 2 + 2], 16).map_err(|_| wrong())?;
    }
    Ok(key)
}

/// The key file that belongs to a database file: `<database>.key` in the same folder.
pub(crate) fn key_file_beside(database: &Path) -> PathBuf {
    let mut name = database
        .file_name()
        .map(|n| n.to_owned())
        .unwrap_or_default();
    name.push(".key");
    database.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_the_same_key_and_purpose() {
        let secrets = SecretBox::from_key([7; KEY_LEN]);
        let sealed = secrets
            .seal("kisi credential", &SecretValue::new("api-key-123"))
            .unwrap();
        assert_eq!(
            secrets.open("kisi credential", &sealed).unwrap().expose(),
            "api-key-123"
        );
    }

    #[test]
    fn a_sealed_secret_does_not_open_under_another_key_or_purpose() {
        let sealed = SecretBox::from_key([7; KEY_LEN])
            .seal("kisi credential", &SecretValue::new("api-key-123"))
            .unwrap();
        assert!(
            SecretBox::from_key([8; KEY_LEN])
                .open("kisi credential", &sealed)
                .is_err()
        );
        assert!(
            SecretBox::from_key([7; KEY_LEN])
                .open("visitor link", &sealed)
                .is_err()
        );
    }

    #[test]
    fn two_seals_of_one_secret_differ_because_each_has_a_fresh_nonce() {
        let secrets = SecretBox::from_key([7; KEY_LEN]);
        let value = SecretValue::new("same");
        assert_ne!(
            secrets.seal("p", &value).unwrap(),
            secrets.seal("p", &value).unwrap()
        );
    }

    #[test]
    fn hex_keys_must_be_64_hex_digits() {
        assert!(SecretBox::from_hex(&"ab".repeat(32)).is_ok());
        assert!(SecretBox::from_hex("abcd").is_err());
        assert!(SecretBox::from_hex(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        assert_eq!(
            format!("{:?}", SecretValue::new("hunter2")),
            "SecretValue(****)"
        );
    }
}
