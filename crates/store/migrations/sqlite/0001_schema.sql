-- Doorlink's schema (SQLite, written to stay portable to PostgreSQL).
--
-- Conventions, chosen so a PostgreSQL port is a copy of this file with type names changed:
-- * Ids are INTEGER PRIMARY KEY (SQLite's rowid; BIGINT identity in PostgreSQL); inserts use
--   `RETURNING id`, never last_insert_rowid().
-- * Instants (`*_at`, `valid_from`, `valid_until`, `next_try_at`, ...) are BIGINT milliseconds since the
--   Unix epoch, UTC. Integers compare and index identically in both databases, and unlike ISO-8601
--   TEXT they cannot sort wrongly because two writers spelled the offset or the fraction differently.
-- * Calendar dates read in the location's zone (subscription start/end, day pass date) are TEXT
--   'YYYY-MM-DD' (DATE in PostgreSQL); ISO dates compare correctly as text.
-- * Booleans are BOOLEAN with TRUE/FALSE; enums are TEXT with a CHECK listing the allowed values.
-- * "Exactly one of these columns is set" is written with CASE, not with SQLite's boolean arithmetic.

CREATE TABLE locations (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    time_zone              TEXT    NOT NULL,
    booking_grace_minutes  INTEGER NOT NULL DEFAULT 30 CHECK (booking_grace_minutes >= 0),
    access_page_visibility TEXT    NOT NULL DEFAULT 'members_only'
                           CHECK (access_page_visibility IN ('members_only', 'public')),
    kisi_place_id          BIGINT,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);

-- Encrypted secrets (Kisi credentials). Only nonce and ciphertext; the key is never in the database.
CREATE TABLE secrets (
    id         INTEGER PRIMARY KEY,
    purpose    TEXT    NOT NULL,
    nonce      BLOB    NOT NULL,
    ciphertext BLOB    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- C1-C3: one Kisi connection per location. The credential is either an encrypted row of `secrets`
-- or a reference to an entry of the OS keychain, never plain text.
CREATE TABLE kisi_connections (
    location_id          BIGINT  PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
    base_url             TEXT    NOT NULL,
    auth_kind            TEXT    NOT NULL CHECK (auth_kind IN ('owner_login', 'api_key')),
    account_email        TEXT,
    organization_domain  TEXT,
    kisi_login_id        BIGINT,
    credential_secret_id BIGINT  REFERENCES secrets (id) ON DELETE RESTRICT,
    credential_keychain  TEXT,
    connected_at         BIGINT  NOT NULL,
    disconnected_at      BIGINT,
    CHECK ((CASE WHEN credential_secret_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN credential_keychain IS NULL THEN 0 ELSE 1 END) = 1)
);

CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    -- Normalised by doorlink-core (trimmed, lower-case), so UNIQUE is case-insensitive in effect.
    email      TEXT    NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%@%'),
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);

CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    created_at BIGINT  NOT NULL
);

-- R5: intervals of membership; a person may leave and re-join.
CREATE TABLE company_memberships (
    id         INTEGER PRIMARY KEY,
    company_id BIGINT  NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    person_id  BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    joined_at  BIGINT  NOT NULL,
    left_at    BIGINT,
    CHECK (left_at IS NULL OR left_at > joined_at)
);
CREATE INDEX company_memberships_by_person ON company_memberships (person_id);
CREATE INDEX company_memberships_by_company ON company_memberships (company_id);

-- M1, M2, M4, M5: what a location offers. Door access lives in door_access_targets.
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (location_id, name)
);

CREATE TABLE resources (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    kind        TEXT    NOT NULL CHECK (kind IN ('room', 'desk', 'office', 'equipment', 'parking')),
    UNIQUE (location_id, name)
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    kind        TEXT    NOT NULL CHECK (kind IN ('day_pass', 'service')),
    UNIQUE (location_id, name)
);

CREATE TABLE visitor_policies (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    UNIQUE (location_id, name)
);

CREATE TABLE subscriptions (
    id                INTEGER PRIMARY KEY,
    location_id       BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    holder_person_id  BIGINT  REFERENCES people (id) ON DELETE RESTRICT,
    holder_company_id BIGINT  REFERENCES companies (id) ON DELETE RESTRICT,
    start_date        TEXT    NOT NULL,
    end_date          TEXT,
    cancelled_at      BIGINT,
    payment_status    TEXT    NOT NULL DEFAULT 'paid'
                      CHECK (payment_status IN ('paid', 'unpaid', 'overdue')),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    CHECK ((CASE WHEN holder_person_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN holder_company_id IS NULL THEN 0 ELSE 1 END) = 1),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX subscriptions_by_location ON subscriptions (location_id);
CREATE INDEX subscriptions_by_person ON subscriptions (holder_person_id);
CREATE INDEX subscriptions_by_company ON subscriptions (holder_company_id);

-- `access_overridden` (M3): when TRUE the item's own rows in door_access_targets replace the access it
-- inherits, and no rows at all means "Not selected" (explicitly no access).
CREATE TABLE subscription_items (
    id                INTEGER PRIMARY KEY,
    subscription_id   BIGINT  NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    plan_id           BIGINT  REFERENCES plans (id) ON DELETE RESTRICT,
    resource_id       BIGINT  REFERENCES resources (id) ON DELETE RESTRICT,
    product_id        BIGINT  REFERENCES products (id) ON DELETE RESTRICT,
    access_overridden BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN resource_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN product_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX subscription_items_by_subscription ON subscription_items (subscription_id);

-- R5 (Archie): named beneficiaries of a company subscription.
CREATE TABLE subscription_beneficiaries (
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    person_id       BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    PRIMARY KEY (subscription_id, person_id)
);
CREATE INDEX subscription_beneficiaries_by_person ON subscription_beneficiaries (person_id);

-- R6-R8. `location_id` repeats the resource's location so a location's facts load in one scan.
CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    location_id  BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    resource_id  BIGINT  NOT NULL REFERENCES resources (id) ON DELETE RESTRICT,
    booker_id    BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    start_at     BIGINT  NOT NULL,
    end_at       BIGINT  NOT NULL,
    cancelled_at BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CHECK (end_at > start_at)
);
CREATE INDEX bookings_by_resource_and_time ON bookings (resource_id, start_at);
CREATE INDEX bookings_by_booker ON bookings (booker_id);
CREATE INDEX bookings_by_location ON bookings (location_id, start_at);

CREATE TABLE booking_invitees (
    booking_id BIGINT NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    PRIMARY KEY (booking_id, person_id)
);
CREATE INDEX booking_invitees_by_person ON booking_invitees (person_id);

-- R9.
CREATE TABLE day_passes (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    product_id  BIGINT  NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
    pass_date   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX day_passes_by_person ON day_passes (person_id);
CREATE INDEX day_passes_by_location ON day_passes (location_id, pass_date);

-- R10.
CREATE TABLE visits (
    id                 INTEGER PRIMARY KEY,
    location_id        BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    visitor_id         BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    policy_id          BIGINT  NOT NULL REFERENCES visitor_policies (id) ON DELETE RESTRICT,
    expected_arrival   BIGINT  NOT NULL,
    expected_departure BIGINT  NOT NULL,
    cancelled_at       BIGINT,
    created_at         BIGINT  NOT NULL,
    CHECK (expected_departure > expected_arrival)
);
CREATE INDEX visits_by_visitor ON visits (visitor_id);
CREATE INDEX visits_by_location ON visits (location_id, expected_arrival);

-- M6, R11.
CREATE TABLE manual_grants (
    id          INTEGER PRIMARY KEY,
    location_id BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    starts_at   BIGINT  NOT NULL,
    ends_at     BIGINT,
    created_at  BIGINT  NOT NULL,
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX manual_grants_by_person ON manual_grants (person_id);
CREATE INDEX manual_grants_by_location ON manual_grants (location_id);

-- R14: a person's door access at a location is on hold.
CREATE TABLE holds (
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    since       BIGINT NOT NULL,
    PRIMARY KEY (location_id, person_id)
);

-- R15: a person Doorlink no longer manages in Kisi at a location.
CREATE TABLE kisi_disconnections (
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    mode        TEXT   NOT NULL CHECK (mode IN ('keep_kisi_user', 'delete_kisi_user')),
    since       BIGINT NOT NULL,
    PRIMARY KEY (location_id, person_id)
);

-- M1-M7: the door-access mappings. Each row names one Kisi group or single lock for exactly one
-- owner (an "exclusive arc": one nullable foreign key per owner kind, so every owner's rows cascade
-- with it and "which mappings use group G" (M8, C4) is one indexed query).
CREATE TABLE door_access_targets (
    id                   INTEGER PRIMARY KEY,
    location_id          BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    plan_id              BIGINT REFERENCES plans (id) ON DELETE CASCADE,
    resource_id          BIGINT REFERENCES resources (id) ON DELETE CASCADE,
    product_id           BIGINT REFERENCES products (id) ON DELETE CASCADE,
    visitor_policy_id    BIGINT REFERENCES visitor_policies (id) ON DELETE CASCADE,
    subscription_item_id BIGINT REFERENCES subscription_items (id) ON DELETE CASCADE,
    manual_grant_id      BIGINT REFERENCES manual_grants (id) ON DELETE CASCADE,
    target_kind          TEXT   NOT NULL CHECK (target_kind IN ('group', 'lock')),
    kisi_id              BIGINT NOT NULL,
    CHECK ((CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN resource_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN product_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN visitor_policy_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN subscription_item_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN manual_grant_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX door_access_targets_by_location ON door_access_targets (location_id);
CREATE INDEX door_access_targets_by_kisi_target ON door_access_targets (location_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_plan ON door_access_targets (plan_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_resource ON door_access_targets (resource_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_product ON door_access_targets (product_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_policy ON door_access_targets (visitor_policy_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_item ON door_access_targets (subscription_item_id, target_kind, kisi_id);
CREATE UNIQUE INDEX door_access_targets_grant ON door_access_targets (manual_grant_id, target_kind, kisi_id);

-- The Kisi catalogue of a location as last read (A2, A5, C4). Rows that Kisi stopped listing are kept
-- with `orphaned_at` set, so staff can see which mappings they break.
CREATE TABLE kisi_places (
    location_id   BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_place_id BIGINT NOT NULL,
    name          TEXT   NOT NULL,
    orphaned_at   BIGINT,
    synced_at     BIGINT NOT NULL,
    PRIMARY KEY (location_id, kisi_place_id)
);

CREATE TABLE kisi_groups (
    location_id          BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_group_id        BIGINT  NOT NULL,
    name                 TEXT    NOT NULL,
    kisi_place_id        BIGINT,
    reader_restriction   BOOLEAN NOT NULL DEFAULT FALSE,
    geofence_restriction BOOLEAN NOT NULL DEFAULT FALSE,
    time_restriction     BOOLEAN NOT NULL DEFAULT FALSE,
    -- M8: members in Kisi that Doorlink did not add (staff see a warning on the mapping).
    has_foreign_members  BOOLEAN NOT NULL DEFAULT FALSE,
    orphaned_at          BIGINT,
    synced_at            BIGINT  NOT NULL,
    PRIMARY KEY (location_id, kisi_group_id)
);

CREATE TABLE kisi_locks (
    location_id          BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_lock_id         BIGINT  NOT NULL,
    name                 TEXT    NOT NULL,
    kisi_place_id        BIGINT,
    reader_restriction   BOOLEAN NOT NULL DEFAULT FALSE,
    geofence_restriction BOOLEAN NOT NULL DEFAULT FALSE,
    time_restriction     BOOLEAN NOT NULL DEFAULT FALSE,
    orphaned_at          BIGINT,
    synced_at            BIGINT  NOT NULL,
    PRIMARY KEY (location_id, kisi_lock_id)
);

CREATE TABLE kisi_group_locks (
    location_id   BIGINT NOT NULL,
    kisi_group_id BIGINT NOT NULL,
    kisi_lock_id  BIGINT NOT NULL,
    PRIMARY KEY (location_id, kisi_group_id, kisi_lock_id),
    FOREIGN KEY (location_id, kisi_group_id)
        REFERENCES kisi_groups (location_id, kisi_group_id) ON DELETE CASCADE
);

-- The mirror of what Doorlink owns in Kisi (I2, I4, M7, R10). Sync updates it only after Kisi
-- confirmed a change.
CREATE TABLE kisi_users (
    location_id  BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id    BIGINT  NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    kisi_user_id BIGINT  NOT NULL,
    kisi_email   TEXT    NOT NULL,
    confirmed    BOOLEAN NOT NULL,
    -- I4: Doorlink created this user (a managed user, I1) and may delete it (R15).
    owned        BOOLEAN NOT NULL,
    synced_at    BIGINT  NOT NULL,
    PRIMARY KEY (location_id, person_id),
    UNIQUE (location_id, kisi_user_id)
);

-- M7: the group Doorlink creates and owns for one lock ("Doorlink · <lock name>").
CREATE TABLE kisi_lock_groups (
    location_id   BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_lock_id  BIGINT NOT NULL,
    kisi_group_id BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (location_id, kisi_lock_id),
    UNIQUE (location_id, kisi_group_id)
);

-- I4: role assignments Doorlink wrote (R13: one per person, group and merged window).
CREATE TABLE kisi_role_assignments (
    id                      INTEGER PRIMARY KEY,
    location_id             BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id               BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    kisi_role_assignment_id BIGINT NOT NULL,
    kisi_group_id           BIGINT NOT NULL,
    -- The mapping target this assignment realises (a lock target goes through kisi_lock_groups).
    target_kind             TEXT   NOT NULL CHECK (target_kind IN ('group', 'lock')),
    target_id               BIGINT NOT NULL,
    valid_from              BIGINT NOT NULL,
    valid_until             BIGINT,
    created_at              BIGINT NOT NULL,
    CHECK (valid_until IS NULL OR valid_until > valid_from),
    UNIQUE (location_id, kisi_role_assignment_id)
);
CREATE INDEX kisi_role_assignments_by_person ON kisi_role_assignments (location_id, person_id);

-- R10: visitor access links (Kisi group links). The link's secret, if kept, is an encrypted secret.
CREATE TABLE kisi_group_links (
    id                 INTEGER PRIMARY KEY,
    location_id        BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    visit_id           BIGINT REFERENCES visits (id) ON DELETE SET NULL,
    person_id          BIGINT NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    kisi_group_link_id BIGINT NOT NULL,
    kisi_group_id      BIGINT NOT NULL,
    valid_from         BIGINT NOT NULL,
    valid_until        BIGINT,
    link_secret_id     BIGINT REFERENCES secrets (id) ON DELETE SET NULL,
    created_at         BIGINT NOT NULL,
    UNIQUE (location_id, kisi_group_link_id)
);
CREATE INDEX kisi_group_links_by_person ON kisi_group_links (location_id, person_id);

-- Work for the sync worker: "re-evaluate person P at location L" or, with no person, the whole
-- location. `dedupe_key` makes a pending entry unique per scope (coalescing is an upsert, portable as
-- INSERT ... ON CONFLICT). `revision` counts requests; a worker completes an entry only when no
-- request arrived while it worked (`claimed_revision = revision`). `claimed_until` is the lease.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    location_id      BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id        BIGINT  REFERENCES people (id) ON DELETE CASCADE,
    dedupe_key       TEXT    NOT NULL UNIQUE,
    reason           TEXT    NOT NULL,
    revision         INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       TEXT,
    next_try_at      BIGINT  NOT NULL,
    claim_token      TEXT,
    claimed_revision INTEGER,
    claimed_until    BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX outbox_by_next_try ON outbox (next_try_at);
CREATE INDEX outbox_by_location ON outbox (location_id);

-- Every Kisi call and its outcome. No foreign keys on purpose: the log outlives what it mentions.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              BIGINT  NOT NULL,
    location_id     BIGINT,
    person_id       BIGINT,
    outbox_entry_id BIGINT,
    operation       TEXT    NOT NULL,
    http_method     TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    http_status     INTEGER,
    kisi_error_code TEXT,
    message         TEXT,
    duration_ms     BIGINT  NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_location ON audit_log (location_id, id);
CREATE INDEX audit_log_by_person ON audit_log (person_id, id);
