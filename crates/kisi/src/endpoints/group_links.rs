//! Group links: access links for visitors.

use serde_json::json;

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::{GroupId, GroupLink, GroupLinkId, NewGroupLink};

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

    /// The access links of one group (`GET /group_links?group_id=`), every page. Their secrets
    /// are not meant to be read back; use it to find a link created before a lost answer.
    pub async fn group_links(&self, group_id: GroupId) -> Result<Vec<GroupLink>, KisiError> {
        self.list_all(Call::get("/group_links").query("group_id", group_id.to_string()))
            .await
    }

    /// Revokes a visitor access link (`DELETE /group_links/{id}`, 204).
    pub async fn delete_group_link(&self, id: GroupLinkId) -> Result<(), KisiError> {
        self.no_content(&Call::delete(format!("/group_links/{id}")))
            .await
    }
}

/// The web address a visitor opens to use an access link: Kisi's web app with the link's secret.
/// Assumed (kisi-api.md documents the secret, not the address); the one place that forms it.
pub fn access_link_url(secret: &str) -> String {
    format!("https://web.kisi.io/grant_link/{secret}")
}
