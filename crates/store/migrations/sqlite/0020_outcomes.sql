-- Issue 15: outcome webhooks and revocation receipts.
--
-- An outcome event (grant applied or failed, revocation completed, a door opened or refused,
-- presence changed) is kept in the same write as what caused it, with its body as endpoints
-- receive it, and one delivery per endpoint that asked for its type. `event_id` is the
-- idempotency key: derived from what happened, so recording the same outcome twice (a run that
-- died after Kisi confirmed and runs again) keeps it once. Deliveries are claimed like the
-- outbox (`claimed_until`), so several hubs on one database send each once per attempt.
CREATE TABLE outcome_endpoints (
    id          INTEGER PRIMARY KEY,
    url         TEXT   NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description TEXT   NOT NULL CHECK (length(description) <= 200),
    -- The event types it receives, comma-separated ('grant.applied,unlock.denied').
    events      TEXT   NOT NULL CHECK (length(events) BETWEEN 1 AND 500),
    location_id BIGINT REFERENCES locations (id) ON DELETE CASCADE,
    state       TEXT   NOT NULL CHECK (state IN ('enabled', 'paused')),
    secret_id   BIGINT NOT NULL REFERENCES secrets (id) ON DELETE RESTRICT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE outcome_events (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT   NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 64),
    event_type  TEXT   NOT NULL CHECK (length(event_type) BETWEEN 1 AND 64),
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    body        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX outcome_events_by_time ON outcome_events (created_at);

CREATE TABLE outcome_deliveries (
    id               INTEGER PRIMARY KEY,
    endpoint_id      BIGINT NOT NULL REFERENCES outcome_endpoints (id) ON DELETE CASCADE,
    event_id         BIGINT NOT NULL REFERENCES outcome_events (id) ON DELETE CASCADE,
    status           TEXT   NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    last_status_code BIGINT,
    last_error       TEXT,
    next_attempt_at  BIGINT,
    claimed_until    BIGINT,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX outcome_deliveries_due ON outcome_deliveries (status, next_attempt_at);
CREATE INDEX outcome_deliveries_by_event ON outcome_deliveries (event_id);

-- For every revocation Kisi confirmed: when the change that ended the access was made (the
-- earliest waiting request for the person) and when Kisi answered; the Sync page's time-to-revoke.
CREATE TABLE revocation_receipts (
    id           INTEGER PRIMARY KEY,
    -- What was revoked, as the outcome's key: one receipt however often the run repeats.
    key          TEXT   NOT NULL UNIQUE,
    location_id  BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id    BIGINT REFERENCES people (id) ON DELETE SET NULL,
    what         TEXT   NOT NULL,
    ended_at     BIGINT NOT NULL,
    confirmed_at BIGINT NOT NULL
);
CREATE INDEX revocation_receipts_by_time ON revocation_receipts (location_id, confirmed_at);
