-- PostgreSQL twin of ../sqlite/0003_person_logins.sql; differences: BLOB is BYTEA.
--
-- A4: each person's own Kisi login at a location, created on their behalf with the admin credential
-- so their unlocks carry their name in Kisi. Kept so that a hub restart reuses it: Kisi keeps at most
-- 40 logins per user and expires the oldest beyond that (kisi-api.md, "Logins").
--
-- The login's secret is sealed with the store's key (XChaCha20-Poly1305 nonce + ciphertext, bound to
-- the location and person), never plain text; it lives in the row itself so deleting the person or
-- the location takes it along. Instants are epoch milliseconds, as in 0001.
CREATE TABLE kisi_person_logins (
    location_id       BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id         BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kisi_user_id      BIGINT NOT NULL,
    kisi_email        TEXT   NOT NULL,
    secret_nonce      BYTEA   NOT NULL,
    secret_ciphertext BYTEA   NOT NULL,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (location_id, person_id)
);
