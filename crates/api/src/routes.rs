//! Every hub route's path, written once: the hub's handlers declare them in their
//! `#[utoipa::path]` (so axum routes by them and the OpenAPI document lists them), the hub's
//! audit log keys its words by them, and the desktop app calls and refuses to proxy by them.
//! The UI gets them below `/api` in `ui/src/gen/routes.ts` (from [`ALL`]); a test there checks
//! that every path its API families send is one of these.
//!
//! A constant is named after its path: segments in capitals, a path parameter by its name
//! (`/api/people/{id}/visits` is `PEOPLE_ID_VISITS`).

// accounts
pub const ACCOUNTS: &str = "/api/accounts";
pub const ACCOUNTS_HISTORY: &str = "/api/accounts/history";
pub const ACCOUNTS_ID_DISABLE: &str = "/api/accounts/{id}/disable";
pub const ACCOUNTS_ID_ENABLE: &str = "/api/accounts/{id}/enable";
pub const ACCOUNTS_ID_ROLE: &str = "/api/accounts/{id}/role";
pub const ACCOUNTS_ID_SESSIONS_END: &str = "/api/accounts/{id}/sessions/end";

// audit
pub const AUDIT: &str = "/api/audit";

// auth
pub const AUTH_INVITATIONS: &str = "/api/auth/invitations";
pub const AUTH_INVITATIONS_REDEEM: &str = "/api/auth/invitations/redeem";
pub const AUTH_INVITATIONS_ID: &str = "/api/auth/invitations/{id}";
pub const AUTH_PASSWORD: &str = "/api/auth/password";
pub const AUTH_SESSION: &str = "/api/auth/session";
pub const AUTH_SESSIONS: &str = "/api/auth/sessions";
pub const AUTH_SESSIONS_END_OTHERS: &str = "/api/auth/sessions/end-others";
pub const AUTH_SESSIONS_ID: &str = "/api/auth/sessions/{id}";
pub const AUTH_SIGN_IN: &str = "/api/auth/sign-in";
pub const AUTH_SIGN_OUT: &str = "/api/auth/sign-out";

// bookings
pub const BOOKINGS: &str = "/api/bookings";
pub const BOOKINGS_ID: &str = "/api/bookings/{id}";
pub const BOOKINGS_ID_CANCEL: &str = "/api/bookings/{id}/cancel";
pub const BOOKINGS_ID_INVITEES: &str = "/api/bookings/{id}/invitees";
pub const BOOKINGS_ID_TIME: &str = "/api/bookings/{id}/time";

// companies
pub const COMPANIES: &str = "/api/companies";
pub const COMPANIES_ID: &str = "/api/companies/{id}";
pub const COMPANIES_ID_MEMBERS: &str = "/api/companies/{id}/members";
pub const COMPANIES_ID_MEMBERS_PERSON_ID: &str = "/api/companies/{id}/members/{person_id}";

// day-passes
pub const DAY_PASSES: &str = "/api/day-passes";
pub const DAY_PASSES_ID: &str = "/api/day-passes/{id}";
pub const DAY_PASSES_ID_CANCEL: &str = "/api/day-passes/{id}/cancel";

// events
pub const EVENTS: &str = "/api/events";

// kisi (Kisi calls these, not people: signed, not signed in)
pub const KISI_WEBHOOKS_LOCATION: &str = "/api/kisi/webhooks/{location}";

// locations
pub const LOCATIONS: &str = "/api/locations";
pub const LOCATIONS_ID: &str = "/api/locations/{id}";
pub const LOCATIONS_ID_DESK_DAY: &str = "/api/locations/{id}/desk-day";
pub const LOCATIONS_ID_KISI: &str = "/api/locations/{id}/kisi";
pub const LOCATIONS_ID_KISI_CATALOGUE: &str = "/api/locations/{id}/kisi/catalogue";
pub const LOCATIONS_ID_KISI_DISCONNECT: &str = "/api/locations/{id}/kisi/disconnect";
pub const LOCATIONS_ID_KISI_PLACE: &str = "/api/locations/{id}/kisi/place";
pub const LOCATIONS_ID_KISI_WEBHOOK: &str = "/api/locations/{id}/kisi/webhook";
pub const LOCATIONS_ID_KISI_WEBHOOK_BACKFILL: &str = "/api/locations/{id}/kisi/webhook/backfill";
pub const LOCATIONS_ID_DOOR_EVENTS: &str = "/api/locations/{id}/door-events";
pub const LOCATIONS_ID_PRESENCE: &str = "/api/locations/{id}/presence";
pub const LOCATIONS_ID_PRESENCE_SETTINGS: &str = "/api/locations/{id}/presence/settings";
pub const LOCATIONS_ID_OCCUPANCY: &str = "/api/locations/{id}/occupancy";
pub const LOCATIONS_ID_EXPORTS_ATTENDANCE: &str = "/api/locations/{id}/exports/attendance.csv";
pub const LOCATIONS_ID_EXPORTS_LEDGER: &str = "/api/locations/{id}/exports/ledger.csv";
pub const LOCATIONS_ID_EXPORTS_AUDIT: &str = "/api/locations/{id}/exports/audit.csv";
pub const LOCATIONS_ID_SYNC_REVOCATIONS: &str = "/api/locations/{id}/sync/revocations";
pub const LOCATIONS_ID_MAPPINGS: &str = "/api/locations/{id}/mappings";
pub const LOCATIONS_ID_PEOPLE: &str = "/api/locations/{id}/people";
pub const LOCATIONS_ID_PLANS: &str = "/api/locations/{id}/plans";
pub const LOCATIONS_ID_PRODUCTS: &str = "/api/locations/{id}/products";
pub const LOCATIONS_ID_RESOURCES: &str = "/api/locations/{id}/resources";
pub const LOCATIONS_ID_SYNC_DRY_RUN: &str = "/api/locations/{id}/sync/dry-run";
pub const LOCATIONS_ID_SYNC_RETRY: &str = "/api/locations/{id}/sync/retry";
pub const LOCATIONS_ID_VISITOR_POLICIES: &str = "/api/locations/{id}/visitor-policies";
pub const LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD: &str =
    "/api/locations/{location_id}/people/{person_id}/hold";
pub const LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI: &str =
    "/api/locations/{location_id}/people/{person_id}/kisi";
pub const LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT: &str =
    "/api/locations/{location_id}/people/{person_id}/kisi/disconnect";
pub const LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT: &str =
    "/api/locations/{location_id}/people/{person_id}/kisi/reconnect";
pub const LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC: &str =
    "/api/locations/{location_id}/people/{person_id}/resync";

// manual-grants
pub const MANUAL_GRANTS: &str = "/api/manual-grants";
pub const MANUAL_GRANTS_ID_END: &str = "/api/manual-grants/{id}/end";

// me
pub const ME_ACCESS: &str = "/api/me/access";
pub const ME_KISI_LOGIN: &str = "/api/me/kisi-login";
pub const ME_LOCKS_LOCK_ID_EXPLAIN: &str = "/api/me/locks/{lock_id}/explain";
pub const ME_LOCKS_LOCK_ID_UNLOCK: &str = "/api/me/locks/{lock_id}/unlock";
pub const ME_OTHER_DOORS: &str = "/api/me/other-doors";
pub const ME_UNLOCK_EVENTS: &str = "/api/me/unlock-events";

// people
pub const PEOPLE: &str = "/api/people";
pub const PEOPLE_ID: &str = "/api/people/{id}";
pub const PEOPLE_ID_ATTENDANCE: &str = "/api/people/{id}/attendance";
pub const PEOPLE_ID_LEDGER: &str = "/api/people/{id}/ledger";
pub const PEOPLE_ID_ACCESS: &str = "/api/people/{id}/access";
pub const PEOPLE_ID_DAY_PASSES: &str = "/api/people/{id}/day-passes";
pub const PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN: &str = "/api/people/{id}/locks/{lock_id}/explain";
pub const PEOPLE_ID_MANUAL_GRANTS: &str = "/api/people/{id}/manual-grants";
pub const PEOPLE_ID_VISITS: &str = "/api/people/{id}/visits";

// plans
pub const PLANS: &str = "/api/plans";
pub const PLANS_ID: &str = "/api/plans/{id}";
pub const PLANS_ID_DOOR_ACCESS: &str = "/api/plans/{id}/door-access";

// products
pub const PRODUCTS: &str = "/api/products";
pub const PRODUCTS_ID: &str = "/api/products/{id}";
pub const PRODUCTS_ID_DOOR_ACCESS: &str = "/api/products/{id}/door-access";

// resources
pub const RESOURCES: &str = "/api/resources";
pub const RESOURCES_ID: &str = "/api/resources/{id}";
pub const RESOURCES_ID_DOOR_ACCESS: &str = "/api/resources/{id}/door-access";

// subscriptions
pub const SUBSCRIPTIONS: &str = "/api/subscriptions";
pub const SUBSCRIPTIONS_ID: &str = "/api/subscriptions/{id}";
pub const SUBSCRIPTIONS_ID_BENEFICIARIES: &str = "/api/subscriptions/{id}/beneficiaries";
pub const SUBSCRIPTIONS_ID_CANCEL: &str = "/api/subscriptions/{id}/cancel";
pub const SUBSCRIPTIONS_ID_END: &str = "/api/subscriptions/{id}/end";
pub const SUBSCRIPTIONS_ID_ITEMS: &str = "/api/subscriptions/{id}/items";
pub const SUBSCRIPTIONS_ID_ITEMS_ITEM_ID: &str = "/api/subscriptions/{id}/items/{item_id}";
pub const SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS: &str =
    "/api/subscriptions/{id}/items/{item_id}/door-access";

// support-bundle
pub const SUPPORT_BUNDLE: &str = "/api/support-bundle";

// sync
pub const SYNC_STATUS: &str = "/api/sync/status";

// visitor-policies
pub const VISITOR_POLICIES: &str = "/api/visitor-policies";
pub const VISITOR_POLICIES_ID: &str = "/api/visitor-policies/{id}";
pub const VISITOR_POLICIES_ID_DOOR_ACCESS: &str = "/api/visitor-policies/{id}/door-access";

// visitors
pub const VISITORS: &str = "/api/visitors";

// outcome webhooks (issue 15)
pub const OUTCOME_ENDPOINTS: &str = "/api/outcome-endpoints";
pub const OUTCOME_ENDPOINTS_ID: &str = "/api/outcome-endpoints/{id}";
pub const OUTCOME_ENDPOINTS_ID_SECRET: &str = "/api/outcome-endpoints/{id}/secret";
pub const OUTCOME_ENDPOINTS_ID_TEST: &str = "/api/outcome-endpoints/{id}/test";
pub const OUTCOME_ENDPOINTS_ID_DELIVERIES: &str = "/api/outcome-endpoints/{id}/deliveries";
pub const OUTCOME_DELIVERIES_ID_SEND_AGAIN: &str = "/api/outcome-deliveries/{id}/send-again";

// visits
pub const VISITS: &str = "/api/visits";
pub const VISITS_ID_CANCEL: &str = "/api/visits/{id}/cancel";

/// Every route path with its constant's name.
pub const ALL: &[(&str, &str)] = &[
    ("ACCOUNTS", ACCOUNTS),
    ("ACCOUNTS_HISTORY", ACCOUNTS_HISTORY),
    ("ACCOUNTS_ID_DISABLE", ACCOUNTS_ID_DISABLE),
    ("ACCOUNTS_ID_ENABLE", ACCOUNTS_ID_ENABLE),
    ("ACCOUNTS_ID_ROLE", ACCOUNTS_ID_ROLE),
    ("ACCOUNTS_ID_SESSIONS_END", ACCOUNTS_ID_SESSIONS_END),
    ("AUDIT", AUDIT),
    ("AUTH_INVITATIONS", AUTH_INVITATIONS),
    ("AUTH_INVITATIONS_REDEEM", AUTH_INVITATIONS_REDEEM),
    ("AUTH_INVITATIONS_ID", AUTH_INVITATIONS_ID),
    ("AUTH_PASSWORD", AUTH_PASSWORD),
    ("AUTH_SESSION", AUTH_SESSION),
    ("AUTH_SESSIONS", AUTH_SESSIONS),
    ("AUTH_SESSIONS_END_OTHERS", AUTH_SESSIONS_END_OTHERS),
    ("AUTH_SESSIONS_ID", AUTH_SESSIONS_ID),
    ("AUTH_SIGN_IN", AUTH_SIGN_IN),
    ("AUTH_SIGN_OUT", AUTH_SIGN_OUT),
    ("BOOKINGS", BOOKINGS),
    ("BOOKINGS_ID", BOOKINGS_ID),
    ("BOOKINGS_ID_CANCEL", BOOKINGS_ID_CANCEL),
    ("BOOKINGS_ID_INVITEES", BOOKINGS_ID_INVITEES),
    ("BOOKINGS_ID_TIME", BOOKINGS_ID_TIME),
    ("COMPANIES", COMPANIES),
    ("COMPANIES_ID", COMPANIES_ID),
    ("COMPANIES_ID_MEMBERS", COMPANIES_ID_MEMBERS),
    (
        "COMPANIES_ID_MEMBERS_PERSON_ID",
        COMPANIES_ID_MEMBERS_PERSON_ID,
    ),
    ("DAY_PASSES", DAY_PASSES),
    ("DAY_PASSES_ID", DAY_PASSES_ID),
    ("DAY_PASSES_ID_CANCEL", DAY_PASSES_ID_CANCEL),
    ("EVENTS", EVENTS),
    ("KISI_WEBHOOKS_LOCATION", KISI_WEBHOOKS_LOCATION),
    ("LOCATIONS", LOCATIONS),
    ("LOCATIONS_ID", LOCATIONS_ID),
    ("LOCATIONS_ID_DESK_DAY", LOCATIONS_ID_DESK_DAY),
    ("LOCATIONS_ID_KISI", LOCATIONS_ID_KISI),
    ("LOCATIONS_ID_KISI_CATALOGUE", LOCATIONS_ID_KISI_CATALOGUE),
    ("LOCATIONS_ID_KISI_DISCONNECT", LOCATIONS_ID_KISI_DISCONNECT),
    ("LOCATIONS_ID_KISI_PLACE", LOCATIONS_ID_KISI_PLACE),
    ("LOCATIONS_ID_KISI_WEBHOOK", LOCATIONS_ID_KISI_WEBHOOK),
    (
        "LOCATIONS_ID_KISI_WEBHOOK_BACKFILL",
        LOCATIONS_ID_KISI_WEBHOOK_BACKFILL,
    ),
    ("LOCATIONS_ID_DOOR_EVENTS", LOCATIONS_ID_DOOR_EVENTS),
    ("LOCATIONS_ID_PRESENCE", LOCATIONS_ID_PRESENCE),
    (
        "LOCATIONS_ID_PRESENCE_SETTINGS",
        LOCATIONS_ID_PRESENCE_SETTINGS,
    ),
    ("LOCATIONS_ID_OCCUPANCY", LOCATIONS_ID_OCCUPANCY),
    (
        "LOCATIONS_ID_EXPORTS_ATTENDANCE",
        LOCATIONS_ID_EXPORTS_ATTENDANCE,
    ),
    ("LOCATIONS_ID_EXPORTS_LEDGER", LOCATIONS_ID_EXPORTS_LEDGER),
    ("LOCATIONS_ID_EXPORTS_AUDIT", LOCATIONS_ID_EXPORTS_AUDIT),
    (
        "LOCATIONS_ID_SYNC_REVOCATIONS",
        LOCATIONS_ID_SYNC_REVOCATIONS,
    ),
    ("LOCATIONS_ID_MAPPINGS", LOCATIONS_ID_MAPPINGS),
    ("LOCATIONS_ID_PEOPLE", LOCATIONS_ID_PEOPLE),
    ("LOCATIONS_ID_PLANS", LOCATIONS_ID_PLANS),
    ("LOCATIONS_ID_PRODUCTS", LOCATIONS_ID_PRODUCTS),
    ("LOCATIONS_ID_RESOURCES", LOCATIONS_ID_RESOURCES),
    ("LOCATIONS_ID_SYNC_DRY_RUN", LOCATIONS_ID_SYNC_DRY_RUN),
    ("LOCATIONS_ID_SYNC_RETRY", LOCATIONS_ID_SYNC_RETRY),
    (
        "LOCATIONS_ID_VISITOR_POLICIES",
        LOCATIONS_ID_VISITOR_POLICIES,
    ),
    (
        "LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD",
        LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_HOLD,
    ),
    (
        "LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI",
        LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI,
    ),
    (
        "LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT",
        LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_DISCONNECT,
    ),
    (
        "LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT",
        LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_KISI_RECONNECT,
    ),
    (
        "LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC",
        LOCATIONS_LOCATION_ID_PEOPLE_PERSON_ID_RESYNC,
    ),
    ("MANUAL_GRANTS", MANUAL_GRANTS),
    ("MANUAL_GRANTS_ID_END", MANUAL_GRANTS_ID_END),
    ("ME_ACCESS", ME_ACCESS),
    ("ME_KISI_LOGIN", ME_KISI_LOGIN),
    ("ME_LOCKS_LOCK_ID_EXPLAIN", ME_LOCKS_LOCK_ID_EXPLAIN),
    ("ME_LOCKS_LOCK_ID_UNLOCK", ME_LOCKS_LOCK_ID_UNLOCK),
    ("ME_OTHER_DOORS", ME_OTHER_DOORS),
    ("ME_UNLOCK_EVENTS", ME_UNLOCK_EVENTS),
    ("PEOPLE", PEOPLE),
    ("PEOPLE_ID", PEOPLE_ID),
    ("PEOPLE_ID_ACCESS", PEOPLE_ID_ACCESS),
    ("PEOPLE_ID_ATTENDANCE", PEOPLE_ID_ATTENDANCE),
    ("PEOPLE_ID_LEDGER", PEOPLE_ID_LEDGER),
    ("PEOPLE_ID_DAY_PASSES", PEOPLE_ID_DAY_PASSES),
    (
        "PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN",
        PEOPLE_ID_LOCKS_LOCK_ID_EXPLAIN,
    ),
    ("PEOPLE_ID_MANUAL_GRANTS", PEOPLE_ID_MANUAL_GRANTS),
    ("PEOPLE_ID_VISITS", PEOPLE_ID_VISITS),
    ("PLANS", PLANS),
    ("PLANS_ID", PLANS_ID),
    ("PLANS_ID_DOOR_ACCESS", PLANS_ID_DOOR_ACCESS),
    ("PRODUCTS", PRODUCTS),
    ("PRODUCTS_ID", PRODUCTS_ID),
    ("PRODUCTS_ID_DOOR_ACCESS", PRODUCTS_ID_DOOR_ACCESS),
    ("RESOURCES", RESOURCES),
    ("RESOURCES_ID", RESOURCES_ID),
    ("RESOURCES_ID_DOOR_ACCESS", RESOURCES_ID_DOOR_ACCESS),
    ("SUBSCRIPTIONS", SUBSCRIPTIONS),
    ("SUBSCRIPTIONS_ID", SUBSCRIPTIONS_ID),
    (
        "SUBSCRIPTIONS_ID_BENEFICIARIES",
        SUBSCRIPTIONS_ID_BENEFICIARIES,
    ),
    ("SUBSCRIPTIONS_ID_CANCEL", SUBSCRIPTIONS_ID_CANCEL),
    ("SUBSCRIPTIONS_ID_END", SUBSCRIPTIONS_ID_END),
    ("SUBSCRIPTIONS_ID_ITEMS", SUBSCRIPTIONS_ID_ITEMS),
    (
        "SUBSCRIPTIONS_ID_ITEMS_ITEM_ID",
        SUBSCRIPTIONS_ID_ITEMS_ITEM_ID,
    ),
    (
        "SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS",
        SUBSCRIPTIONS_ID_ITEMS_ITEM_ID_DOOR_ACCESS,
    ),
    ("SUPPORT_BUNDLE", SUPPORT_BUNDLE),
    ("SYNC_STATUS", SYNC_STATUS),
    ("VISITOR_POLICIES", VISITOR_POLICIES),
    ("VISITOR_POLICIES_ID", VISITOR_POLICIES_ID),
    (
        "VISITOR_POLICIES_ID_DOOR_ACCESS",
        VISITOR_POLICIES_ID_DOOR_ACCESS,
    ),
    ("VISITORS", VISITORS),
    ("OUTCOME_ENDPOINTS", OUTCOME_ENDPOINTS),
    ("OUTCOME_ENDPOINTS_ID", OUTCOME_ENDPOINTS_ID),
    ("OUTCOME_ENDPOINTS_ID_SECRET", OUTCOME_ENDPOINTS_ID_SECRET),
    ("OUTCOME_ENDPOINTS_ID_TEST", OUTCOME_ENDPOINTS_ID_TEST),
    (
        "OUTCOME_ENDPOINTS_ID_DELIVERIES",
        OUTCOME_ENDPOINTS_ID_DELIVERIES,
    ),
    (
        "OUTCOME_DELIVERIES_ID_SEND_AGAIN",
        OUTCOME_DELIVERIES_ID_SEND_AGAIN,
    ),
    ("VISITS", VISITS),
    ("VISITS_ID_CANCEL", VISITS_ID_CANCEL),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_below_api_and_named_once() {
        // The adversary: a path added with a typo'd prefix or pasted twice under two names.
        let mut seen = std::collections::BTreeSet::new();
        for (name, path) in ALL {
            assert!(path.starts_with("/api/"), "{name}: {path}");
            assert!(seen.insert(*path), "{path} is named twice");
        }
    }
}
