//! What one webhook delivery carries: the body Kisi documents for an event ("Track unlocks using
//! webhooks", docs.kisi.io) and its `X-Signature`.

use chrono::SecondsFormat;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::SignatureEncoding;
use crate::state::Event;

/// The header carrying the HMAC-SHA256 of the body when the integration has a signature key.
pub const SIGNATURE_HEADER: &str = "X-Signature";

/// The documented payload fields, in the documented order, and nothing else: the emulator's own
/// `id` and `login_id` (which `GET /events` keeps) are not part of Kisi's webhook body.
#[derive(Debug, Serialize)]
struct WebhookPayload<'a> {
    uuid: &'a str,
    actor_type: &'a str,
    actor_id: u64,
    actor_name: &'a str,
    object_type: &'a str,
    object_id: u64,
    object_name: &'a str,
    organization_id: Option<u64>,
    place_id: Option<u64>,
    success: bool,
    #[serde(rename = "type")]
    kind: &'a str,
    error_code: Option<&'a str>,
    error_message: Option<&'a str>,
    /// Whole seconds with `Z`, as the documented sample `2022-10-06T13:49:35Z`.
    created_at: String,
}

/// The JSON body of the webhook for `event`, as the bytes that are signed and sent.
pub(crate) fn body(event: &Event) -> Vec<u8> {
    let payload = WebhookPayload {
        uuid: &event.uuid,
        actor_type: &event.actor_type,
        actor_id: event.actor_id,
        actor_name: &event.actor_name,
        object_type: &event.object_type,
        object_id: event.object_id,
        object_name: &event.object_name,
        organization_id: event.organization_id,
        place_id: event.place_id,
        success: event.success,
        kind: &event.kind,
        error_code: event.error_code.as_deref(),
        error_message: event.error_message.as_deref(),
        created_at: event.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    // A struct of strings, numbers and options always serializes.
    serde_json::to_vec(&payload).unwrap_or_default()
}

/// `X-Signature`: HMAC-SHA256 of the exact body bytes keyed with the integration's signature key,
/// spelled as `encoding` says. Kisi documents the HMAC, not the spelling: lowercase hex is
/// **assumed** (kisi-api.md); the emulator can send base64 instead, so receivers prove they take
/// both.
pub(crate) fn signature(secret: &str, body: &[u8], encoding: SignatureEncoding) -> String {
    use base64::Engine as _;
    #[allow(
        clippy::expect_used,
        reason = "HMAC takes keys of any length; new_from_slice cannot fail for it"
    )]
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    match encoding {
        SignatureEncoding::Hex => hex::encode(digest),
        SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(digest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_rfc_4231_test_case_2() {
        assert_eq!(
            signature(
                "Jefe",
                b"what do ya want for nothing?",
                SignatureEncoding::Hex
            ),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn body_holds_exactly_the_documented_fields() {
        let event = Event {
            id: 7,
            uuid: "d7cf0237-0000-4000-8000-000000000000".to_owned(),
            kind: "lock.unlock".to_owned(),
            actor_type: "User".to_owned(),
            actor_id: 3,
            actor_name: "Ada".to_owned(),
            object_type: "Lock".to_owned(),
            object_id: 4,
            object_name: "Front Door".to_owned(),
            organization_id: Some(1),
            place_id: Some(2),
            success: true,
            error_code: None,
            error_message: None,
            login_id: Some(9),
            created_at: "2022-10-06T13:49:35.123Z".parse().unwrap(),
        };
        let json: serde_json::Value = serde_json::from_slice(&body(&event)).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            vec![
                "actor_id",
                "actor_name",
                "actor_type",
                "created_at",
                "error_code",
                "error_message",
                "object_id",
                "object_name",
                "object_type",
                "organization_id",
                "place_id",
                "success",
                "type",
                "uuid"
            ]
        );
        assert_eq!(json["created_at"], "2022-10-06T13:49:35Z");
    }
}
