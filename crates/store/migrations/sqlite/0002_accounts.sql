-- Who may sign in to the hub, with which role, and their sessions.
--
-- Passwords are argon2 PHC strings; invitation and session tokens are stored only as SHA-256 hashes
-- (hex), so a copy of the database lets nobody sign in. Instants are epoch milliseconds, as in 0001.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    -- Normalised like people.email (trimmed, lower-case).
    email         TEXT    NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%@%'),
    role          TEXT    NOT NULL CHECK (role IN ('member', 'staff', 'admin')),
    -- The person whose access, bookings and unlocks a member sees under /api/me.
    person_id     BIGINT  UNIQUE REFERENCES people (id) ON DELETE SET NULL,
    -- NULL until the invitation is redeemed.
    password_hash TEXT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    email       TEXT    NOT NULL CHECK (email = lower(trim(email)) AND email LIKE '%@%'),
    role        TEXT    NOT NULL CHECK (role IN ('member', 'staff', 'admin')),
    person_id   BIGINT  REFERENCES people (id) ON DELETE CASCADE,
    invited_by  BIGINT  REFERENCES accounts (id) ON DELETE SET NULL,
    expires_at  BIGINT  NOT NULL,
    redeemed_at BIGINT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX invitations_by_email ON invitations (email);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    csrf_hash    TEXT    NOT NULL,
    account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
