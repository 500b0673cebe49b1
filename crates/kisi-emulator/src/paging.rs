//! Paging (kisi-api.md, "General"): `limit`/`offset` in, a bare JSON array and
//! `X-Collection-Range: <start>-<end>/<count>` (or `*/<count>` when the page is empty) out.

use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::errors::ApiError;
use crate::query::QueryParams;

/// Page size when the request names none (assumed; Kisi does not document it).
pub const DEFAULT_LIMIT: usize = 10;
/// Largest page the emulator serves; a larger `limit` is a 422 (assumed).
pub const MAX_LIMIT: usize = 100;
pub(crate) const COLLECTION_RANGE: &str = "x-collection-range";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) limit: usize,
    pub(crate) offset: usize,
}

impl Page {
    pub(crate) fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let limit = query.number("limit")?.unwrap_or(DEFAULT_LIMIT as u64);
        let offset = query.number("offset")?.unwrap_or(0);
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        Ok(Self {
            limit,
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
        })
    }
}

/// The header value for a page of `len` items starting at `offset` out of `count`.
pub(crate) fn collection_range(offset: usize, len: usize, count: usize) -> String {
    if len == 0 {
        format!("*/{count}")
    } else {
        format!("{offset}-{}/{count}", offset + len - 1)
    }
}

/// Answers one page of `items` (already filtered and ordered).
pub(crate) fn paged<T: Serialize>(items: Vec<T>, page: Page) -> Response {
    let count = items.len();
    let items: Vec<T> = items
        .into_iter()
        .skip(page.offset)
        .take(page.limit)
        .collect();
    let range = collection_range(page.offset, items.len(), count);
    let mut response = Json(items).into_response();
    if let Ok(value) = HeaderValue::from_str(&range) {
        response.headers_mut().insert(COLLECTION_RANGE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_inclusive_and_names_the_total() {
        assert_eq!(collection_range(0, 10, 25), "0-9/25");
        assert_eq!(collection_range(20, 5, 25), "20-24/25");
    }

    #[test]
    fn an_empty_page_says_star_and_the_total() {
        assert_eq!(collection_range(30, 0, 25), "*/25");
        assert_eq!(collection_range(0, 0, 0), "*/0");
    }
}
