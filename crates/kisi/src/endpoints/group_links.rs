//! Group links: access links for visitors.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::{GroupLink, NewGroupLink};

impl KisiClient {
    /// Creates a visitor access link (`POST /group_links`); the answer carries its secret.
    /// Geofence and reader restrictions do not apply to access links. A retry after a dropped
    /// connection may create a second link.
    pub async fn create_group_link(&self, link: &NewGroupLink) -> Result<GroupLink, KisiError> {
        let body = json!({
            "group_link": {
                "name": link.name,
                "group_id": link.group_id,
                "email": link.email,
                "valid_from": link.valid_from,
                "valid_until": link.valid_until,
            }
        });
        self.json(&Call::post("/group_links", body)).await
    }
}
