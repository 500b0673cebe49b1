//! The query string of a Kisi request, read the way Kisi reads it: repeated keys kept
//! (`ids[]=1&ids[]=2`), numbers and id lists checked with a 422 naming the parameter. Used by the
//! routes and by paging, below both.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

use crate::errors::ApiError;

/// The query string as name/value pairs, so repeated keys (`ids[]=1&ids[]=2`) survive.
#[derive(Debug, Default)]
pub(crate) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A non-negative integer parameter; anything else is a 422 naming it.
    pub(crate) fn number(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|value| {
                value
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::invalid(name, "must be a non-negative integer"))
            })
            .transpose()
    }

    /// An id list given as `ids=1,2` or `ids[]=1&ids[]=2`; `None` when absent.
    pub(crate) fn ids(&self, name: &str) -> Result<Option<Vec<u64>>, ApiError> {
        let array_name = format!("{name}[]");
        let values: Vec<&str> = self
            .0
            .iter()
            .filter(|(key, _)| key == name || *key == array_name)
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .collect();
        if values.is_empty() && self.get(name).is_none() && self.get(&array_name).is_none() {
            return Ok(None);
        }
        values
            .into_iter()
            .map(|value| {
                value
                    .parse()
                    .map_err(|_| ApiError::invalid(name, "must be integer ids"))
            })
            .collect::<Result<Vec<u64>, ApiError>>()
            .map(Some)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|Query(pairs)| Self(pairs))
            .map_err(|error| ApiError::invalid("query", error.body_text()))
    }
}
