//! The OpenAPI 3 document, generated from the route annotations (utoipa), served at
//! `/api/openapi.json`.

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Doorlink hub API",
        description = "Coworking memberships and bookings to Kisi door access. Every route but \
                       sign-in and redeeming an invitation needs a session: `Authorization: Bearer \
                       <token>`, or the `doorlink_session` cookie plus `X-CSRF-Token` on writes."
    ),
    modifiers(&SessionSchemes)
)]
pub(crate) struct ApiDoc;

struct SessionSchemes;

impl utoipa::Modify for SessionSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("doorlink_session"))),
        );
    }
}

/// Adds to every operation the answers any route may give in the one error shape, so the document
/// promises what the hub does (Schemathesis checks it): the caller refused (401, 403), a
/// malformed path, query or body (422); with a body, one over the size limit (413); with a path
/// parameter, a record that does not exist (404); on a write, a contradiction with what is stored
/// (409); a database locked past the busy timeout (503). An operation's own description of a
/// status stays.
pub(crate) fn document_common_errors(document: &mut utoipa::openapi::OpenApi) {
    for (path, item) in &mut document.paths.paths {
        let has_path_parameter = path.contains('{');
        for (method, operation) in [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ] {
            let Some(operation) = operation else {
                continue;
            };
            let mut common = vec![
                ("401", "No session, or an expired one."),
                ("403", "The role (or a missing person) does not allow this."),
                (
                    "422",
                    "A path parameter, query or body field was refused; each is named.",
                ),
                (
                    "503",
                    "The database stayed locked by another writer; try again in a moment.",
                ),
            ];
            if operation.request_body.is_some() {
                common.push(("413", "The body is larger than 64 KiB."));
            }
            if has_path_parameter {
                common.push(("404", "The record named in the path does not exist."));
            }
            if method != "get" {
                common.push(("409", "The change contradicts what is stored."));
            }
            for (status, description) in common {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(description)
                            .content(
                                "application/json",
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
            }
        }
    }
}
