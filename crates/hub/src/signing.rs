//! HMAC-SHA256 signatures, the one way the hub signs and checks: Kisi's webhook deliveries in
//! (`X-Signature`) and Doorlink's outcome webhooks out (`Doorlink-Signature`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The lowercase hex HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `digest` is the HMAC-SHA256 of `body` under `secret`, compared in constant time.
pub(crate) fn verify(secret: &str, body: &[u8], digest: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(digest).is_ok()
}
