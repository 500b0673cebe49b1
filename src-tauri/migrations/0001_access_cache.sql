-- The desktop's cache of the signed-in person's doors (A6): the hub's last Access page, one row
-- per location and per door window, and when the hub confirmed them. Keyed by account, so a
-- second person signing in on the same computer never sees the first one's doors.

CREATE TABLE access_snapshot (
    account       TEXT PRIMARY KEY NOT NULL,   -- "<hub url> <e-mail>"
    person_id     INTEGER NOT NULL,
    confirmed_at  TEXT NOT NULL                -- RFC 3339, UTC
);

CREATE TABLE cached_location (
    account       TEXT NOT NULL REFERENCES access_snapshot (account) ON DELETE CASCADE,
    location_id   INTEGER NOT NULL,
    -- The hub's LocationAccess without its doors (name, zone, visibility A3, reasons A5), as
    -- JSON, so a field the hub adds is cached without a schema change here.
    location      TEXT NOT NULL,
    PRIMARY KEY (account, location_id)
);

CREATE TABLE door_window (
    account       TEXT NOT NULL,
    location_id   INTEGER NOT NULL,
    lock_id       INTEGER NOT NULL,
    lock_name     TEXT NOT NULL,
    opens_at      TEXT NOT NULL,               -- RFC 3339, UTC
    closes_at     TEXT,                        -- RFC 3339, UTC; NULL: open-ended
    why           TEXT NOT NULL,               -- JSON array of plain-words provenance
    restriction   TEXT,                        -- JSON {cause, message, fix} or NULL
    PRIMARY KEY (account, location_id, lock_id, opens_at),
    FOREIGN KEY (account, location_id)
        REFERENCES cached_location (account, location_id) ON DELETE CASCADE
);
