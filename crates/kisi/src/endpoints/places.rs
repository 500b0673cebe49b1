//! Places.

use crate::call::Call;
use crate::client::KisiClient;
use crate::error::KisiError;
use crate::models::Place;

impl KisiClient {
    /// Every place of the organization (`GET /places`, all pages).
    pub async fn places(&self) -> Result<Vec<Place>, KisiError> {
        self.list_all(Call::get("/places")).await
    }
}
