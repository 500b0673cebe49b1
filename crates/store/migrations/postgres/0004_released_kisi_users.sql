-- PostgreSQL twin of ../sqlite/0004_released_kisi_users.sql; differences: none.
--
-- R15: a person disconnected with "keep the Kisi user". Doorlink stopped managing the user, and the
-- role assignments it wrote stay in Kisi. Remembered here so that reconnecting the person re-adopts
-- that user and its assignments in Doorlink's groups as owned (they were Doorlink's, I4): the
-- planner then replaces them, instead of writing windows that overlap them, which Kisi refuses (422).
-- Instants are epoch milliseconds, as in 0001.
CREATE TABLE kisi_released_users (
    location_id  BIGINT  NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id    BIGINT  NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kisi_user_id BIGINT  NOT NULL,
    kisi_email   TEXT    NOT NULL,
    confirmed    BOOLEAN NOT NULL,
    -- I4: Doorlink had created the user (and may delete it again, R15).
    owned        BOOLEAN NOT NULL,
    released_at  BIGINT  NOT NULL,
    PRIMARY KEY (location_id, person_id)
);
