-- PostgreSQL twin of ../sqlite/0009_location_leases.sql; differences: none.
--
-- One writer per location (issue 12): every Kisi write of a location is made by the holder of
-- its lease. A holder takes the row with a compare-and-set UPDATE (free, its own, or expired),
-- renews it while working (a heartbeat, and before every Kisi call), and releases it when done;
-- a holder that died simply lets `expires_at` pass. `generation` is the fence: disconnecting
-- (C3) bumps it, and a holder whose generation is no longer the row's makes no further call.
-- Plain SQL and compare-and-set only, so several hub processes on PostgreSQL share it as is.
CREATE TABLE location_leases (
    location_id BIGINT  PRIMARY KEY REFERENCES locations (id) ON DELETE CASCADE,
    owner       TEXT,
    expires_at  BIGINT  NOT NULL DEFAULT 0,
    generation  BIGINT  NOT NULL DEFAULT 0
);

-- I4 across a crash: the intent to create a managed Kisi user is written before the call, so a
-- create whose answer was lost (crash, timeout where Kisi acted) is recognised as Doorlink's own
-- when the retry finds the user by e-mail. Removed once the user is linked.
CREATE TABLE kisi_user_intents (
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    email       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (location_id, person_id, email)
);
