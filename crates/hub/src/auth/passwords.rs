//! Password hashing with argon2 (the RustCrypto crate, default Argon2id parameters, PHC strings).
//!
//! Every hash and verification runs on ONE dedicated thread that owns a single reusable argon2
//! memory block (~19 MiB). Letting each call allocate its own block on the blocking pool left
//! glibc holding one such block per thread and arena: 200 sign-ins grew the hub from 19 MB to
//! ~250 MB resident (issue 5). One thread also serialises a sign-in flood, which the throttle
//! already limits; the bounded queue makes callers wait instead of piling up work.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{mpsc, oneshot};

use crate::error::{ApiError, ApiResult};

/// The shortest password accepted.
pub(crate) const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted (argon2 takes any length; this bounds the work per attempt).
pub(crate) const MAX_PASSWORD_CHARS: usize = 256;

/// How many hash or verify requests may wait for the hashing thread before callers wait to queue.
const QUEUE: usize = 64;

/// Refuses a password too short or too long, naming the field.
pub(crate) fn check_policy(field: &str, password: &str) -> ApiResult<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ApiError::field(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters (it has {chars})"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ApiError::field(
            field,
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The argon2 PHC string of `password` with a fresh random salt, computed on the hashing thread.
pub async fn hash(password: &str) -> ApiResult<String> {
    let (reply, answer) = oneshot::channel();
    submit(Job::Hash {
        password: password.to_owned(),
        reply,
    })
    .await?;
    answer.await.map_err(|_| hasher_gone())?
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub async fn verify(password: &str, stored: &str) -> bool {
    let (reply, answer) = oneshot::channel();
    let job = Job::Verify {
        password: password.to_owned(),
        stored: stored.to_owned(),
        reply,
    };
    if submit(job).await.is_err() {
        return false;
    }
    answer.await.unwrap_or(false)
}

/// A hash of a random password nobody knows, verified against when the e-mail is unknown so
/// that a wrong e-mail and a wrong password cost the same time.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut memory = Memory::default();
        memory
            .hash(&crate::auth::sessions::new_token())
            .unwrap_or_default()
    })
}

enum Job {
    Hash {
        password: String,
        reply: oneshot::Sender<ApiResult<String>>,
    },
    Verify {
        password: String,
        stored: String,
        reply: oneshot::Sender<bool>,
    },
}

async fn submit(job: Job) -> ApiResult<()> {
    hasher().send(job).await.map_err(|_| hasher_gone())
}

fn hasher_gone() -> ApiError {
    ApiError::Internal("the password hashing thread has stopped".to_owned())
}

/// The queue of the hashing thread, started on first use.
fn hasher() -> &'static mpsc::Sender<Job> {
    static HASHER: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    HASHER.get_or_init(|| {
        let (sender, mut jobs) = mpsc::channel::<Job>(QUEUE);
        let started = std::thread::Builder::new()
            .name("password-hashing".to_owned())
            .spawn(move || {
                let mut memory = Memory::default();
                while let Some(job) = jobs.blocking_recv() {
                    // A caller that gave up (dropped its receiver) needs no answer.
                    match job {
                        Job::Hash { password, reply } => {
                            let _ = reply.send(memory.hash(&password));
                        }
                        Job::Verify {
                            password,
                            stored,
                            reply,
                        } => {
                            let _ = reply.send(memory.verify(&password, &stored));
                        }
                    }
                }
            });
        if let Err(error) = started {
            // The receiver went down with the closure: every call then reports `hasher_gone`.
            tracing::error!(%error, "could not start the password hashing thread");
        }
        sender
    })
}

/// The one argon2 memory block, reused by every hash and verification.
struct Memory {
    blocks: Vec<Block>,
}

impl Default for Memory {
    fn default() -> Self {
        Self {
            blocks: vec![Block::default(); Params::default().block_count()],
        }
    }
}

impl Memory {
    /// Argon2id with the default parameters and a random salt, as a PHC string.
    fn hash(&mut self, password: &str) -> ApiResult<String> {
        let internal = |error: String| ApiError::Internal(format!("password hashing: {error}"));
        let params = Params::default();
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt
            .decode_b64(&mut salt_bytes)
            .map_err(|e| internal(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::default(), params.clone());
        let output = self
            .compute(&argon2, password, salt_bytes, Params::DEFAULT_OUTPUT_LEN)
            .map_err(internal)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::default().into()),
            params: (&params).try_into().map_err(|e| internal(format!("{e}")))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    /// Parses the PHC string's algorithm, version, parameters and salt, recomputes into the reused
    /// block and compares in constant time (`Output`'s equality).
    fn verify(&mut self, password: &str, stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
            return false;
        };
        let version = match parsed.version.map(Version::try_from).transpose() {
            Ok(version) => version.unwrap_or_default(),
            Err(_) => return false,
        };
        let Ok(params) = Params::try_from(&parsed) else {
            return false;
        };
        let mut salt_bytes = [0u8; 64];
        let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
            return false;
        };
        let argon2 = Argon2::new(algorithm, version, params);
        self.compute(&argon2, password, salt_bytes, expected.len())
            .is_ok_and(|computed| computed == expected)
    }

    /// Runs argon2 into the reused block, growing it only for a stored hash with a larger memory
    /// cost than the default.
    fn compute(
        &mut self,
        argon2: &Argon2<'_>,
        password: &str,
        salt: &[u8],
        output_len: usize,
    ) -> Result<Output, String> {
        let needed = argon2.params().block_count();
        if self.blocks.len() < needed {
            self.blocks.resize(needed, Block::default());
        }
        let blocks = &mut self.blocks[..needed];
        Output::init_with(output_len, |out| {
            argon2
                .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut *blocks)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordHasher;

    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("correct horse battery", &stored).await);
        assert!(!verify("correct horse battery!", &stored).await);
    }

    #[tokio::test]
    async fn each_hash_has_its_own_salt() {
        let first = hash("correct horse battery").await.unwrap();
        let second = hash("correct horse battery").await.unwrap();
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn a_hash_made_by_the_standard_hasher_still_verifies() {
        let salt = SaltString::generate(&mut OsRng);
        let stored = Argon2::default()
            .hash_password(b"an older password", &salt)
            .unwrap()
            .to_string();
        assert!(verify("an older password", &stored).await);
        assert!(!verify("another password", &stored).await);
    }

    #[tokio::test]
    async fn a_hash_from_the_new_path_verifies_through_the_standard_verifier() {
        use argon2::password_hash::PasswordVerifier;
        let stored = hash("correct horse battery").await.unwrap();
        let parsed = PasswordHash::new(&stored).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        assert!(!verify("anything at all", "").await);
        assert!(!verify("anything at all", "$argon2id$v=19$m=19456,t=2,p=1$bad").await);
        assert!(!verify("anything at all", "plain text password").await);
    }

    #[tokio::test]
    async fn the_decoy_hash_matches_nothing() {
        assert!(decoy_hash().starts_with("$argon2id$"));
        assert!(!verify("", decoy_hash()).await);
        assert!(!verify("anything at all", decoy_hash()).await);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_sign_ins_at_once_all_get_their_answer() {
        let stored = hash("correct horse battery").await.unwrap();
        let checks = (0..8).map(|i| {
            let stored = stored.clone();
            tokio::spawn(async move {
                let password = if i % 2 == 0 {
                    "correct horse battery"
                } else {
                    "wrong one"
                };
                (i, verify(password, &stored).await)
            })
        });
        for check in checks {
            let (i, matched) = check.await.unwrap();
            assert_eq!(matched, i % 2 == 0);
        }
    }

    #[test]
    fn short_passwords_are_refused_with_the_rule() {
        let error = check_policy("password", "short").unwrap_err();
        assert!(error.to_string().contains("at least 10"), "{error}");
        assert!(check_policy("password", "long enough!").is_ok());
    }
}
