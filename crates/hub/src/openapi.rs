//! The OpenAPI 3 document, generated from the route annotations (utoipa), served at
//! `/api/openapi.json`.

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

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
pub struct ApiDoc;

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
