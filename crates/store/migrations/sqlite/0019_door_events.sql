-- Issue 15: what happened at the doors, from Kisi's events. Kisi signs each webhook delivery with
-- the location's webhook secret (a `secrets` row, shown once to the admin who pastes it into Kisi's
-- "Event Webhook" integration). Kisi may deliver an event twice and has dropped deliveries: events
-- are kept once per (location, Kisi uuid) whichever way they came (the webhook, or the backfill
-- that reads Kisi's events list for the gaps), and `backfilled_through` is the instant up to which
-- the backfill has read everything Kisi lists. No booleans: `outcome` says opened or refused.
CREATE TABLE kisi_webhooks (
    location_id        BIGINT PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
    secret_id          BIGINT NOT NULL REFERENCES secrets (id) ON DELETE RESTRICT,
    created_at         BIGINT NOT NULL,
    backfilled_through BIGINT
);

CREATE TABLE door_events (
    id            INTEGER PRIMARY KEY,
    location_id   BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_uuid     TEXT   NOT NULL CHECK (length(kisi_uuid) BETWEEN 1 AND 64),
    -- Kisi's event type, e.g. 'lock.unlock'.
    kind          TEXT   NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    outcome       TEXT   NOT NULL CHECK (outcome IN ('opened', 'refused')),
    kisi_lock_id  BIGINT,
    lock_name     TEXT   NOT NULL,
    kisi_place_id BIGINT,
    -- Who acted, as Kisi names them ('User', 'GroupLink', …), and the person Doorlink knows them
    -- as (through kisi_users) when it does; the name is kept as Kisi sent it.
    actor_type    TEXT   NOT NULL,
    kisi_actor_id BIGINT,
    actor_name    TEXT   NOT NULL,
    person_id     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    error_code    TEXT,
    error_message TEXT,
    occurred_at   BIGINT NOT NULL,
    received_at   BIGINT NOT NULL,
    source        TEXT   NOT NULL CHECK (source IN ('webhook', 'backfill')),
    UNIQUE (location_id, kisi_uuid)
);
CREATE INDEX door_events_by_time ON door_events (location_id, occurred_at);
CREATE INDEX door_events_by_person ON door_events (person_id, occurred_at);

-- How a location checks people in and out (doorlink-core's presence rules): doors named as
-- entrances check in (none named: every door does), exits check out, and without an exit a person
-- counts as gone after the inactivity window (none: at midnight).
CREATE TABLE presence_settings (
    location_id        BIGINT PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
    inactivity_minutes BIGINT CHECK (inactivity_minutes IS NULL OR inactivity_minutes BETWEEN 1 AND 1440)
);

CREATE TABLE door_roles (
    location_id  BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    kisi_lock_id BIGINT NOT NULL,
    role         TEXT   NOT NULL CHECK (role IN ('entrance', 'exit')),
    PRIMARY KEY (location_id, kisi_lock_id)
);
