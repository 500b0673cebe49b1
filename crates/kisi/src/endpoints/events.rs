//! Events: Kisi's audit log.

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::Event;

impl KisiClient {
    /// Every event Kisi lists (`GET /events`, all pages). Kisi's filters for this endpoint are
    /// not documented, so none are offered.
    pub async fn events(&self) -> Result<Vec<Event>, KisiError> {
        self.list_all(Call::get("/events")).await
    }
}
