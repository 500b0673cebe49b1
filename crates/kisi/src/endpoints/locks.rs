//! Locks and unlocking.

use serde_json::{Map, Value, json};

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::{Lock, LockId, PlaceId, UnlockContext};

/// Filters of `GET /locks`; the default lists every lock the login may see.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockFilter {
    pub place_id: Option<PlaceId>,
    /// Only these locks; empty means no id filter.
    pub ids: Vec<LockId>,
}

impl KisiClient {
    /// Locks matching `filter` (`GET /locks`, all pages). With a user's own login Kisi returns
    /// only the locks that user may access.
    pub async fn locks(&self, filter: &LockFilter) -> Result<Vec<Lock>, KisiError> {
        let mut call = Call::get("/locks");
        if let Some(place_id) = filter.place_id {
            call = call.query("place_id", place_id.to_string());
        }
        if !filter.ids.is_empty() {
            call = call.query("ids", join_ids(&filter.ids));
        }
        self.list_all(call).await
    }

    /// Opens `lock_id` (`POST /locks/{id}/unlock`). Refusals name the lock: `NoCurrentAccess`,
    /// `ReaderRestricted`, `GeofenceRestricted` (send `context.location`), `TimeRestricted`.
    /// Returns Kisi's message (`"Unlocked!"`). A retry after a dropped connection may open the
    /// door twice, which is harmless.
    pub async fn unlock(
        &self,
        lock_id: LockId,
        context: &UnlockContext,
    ) -> Result<String, KisiError> {
        let call =
            Call::post(format!("/locks/{lock_id}/unlock"), unlock_body(context)).for_lock(lock_id);
        let answer: UnlockAnswer = self.json(&call).await?;
        Ok(answer.message)
    }
}

#[derive(serde::Deserialize)]
struct UnlockAnswer {
    #[serde(default)]
    message: String,
}

fn unlock_body(context: &UnlockContext) -> Value {
    let mut body = Map::new();
    if let Some(location) = context.location {
        body.insert("context".to_owned(), json!({ "location": location }));
    }
    if let Some(proof) = &context.proximity_proof {
        body.insert("lock".to_owned(), json!({ "proximity_proof": proof }));
    }
    Value::Object(body)
}

pub(crate) fn join_ids<T: ToString>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Location;

    #[test]
    fn unlock_without_context_sends_an_empty_object() {
        assert_eq!(unlock_body(&UnlockContext::default()), json!({}));
    }

    #[test]
    fn unlock_with_location_sends_it_under_context() {
        let context = UnlockContext {
            location: Some(Location {
                latitude: 52.5,
                longitude: 13.4,
            }),
            proximity_proof: None,
        };
        assert_eq!(
            unlock_body(&context),
            json!({"context":{"location":{"latitude":52.5,"longitude":13.4}}})
        );
    }
}
