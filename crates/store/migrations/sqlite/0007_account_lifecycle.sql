-- Account lifecycle (issue 11): disabling an account, when it last signed in, idle sessions, and
-- the history of every account action with who did it.

-- NULL while the account may sign in.
ALTER TABLE accounts ADD COLUMN disabled_at BIGINT;
ALTER TABLE accounts ADD COLUMN last_sign_in_at BIGINT;

-- The session's last request, for the idle timeout (kept to the minute, so reads rarely write).
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- Who did what to which account. No foreign keys on purpose, like audit_log: the history outlives
-- the accounts it mentions, so it keeps their e-mails as they were.
CREATE TABLE account_events (
    id            INTEGER PRIMARY KEY,
    at            BIGINT  NOT NULL,
    -- NULL when nobody signed in did it (an invitee redeeming, the hub's bootstrap).
    actor_id      BIGINT,
    actor_email   TEXT,
    account_id    BIGINT,
    -- The account, or the invited e-mail.
    subject_email TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    detail        TEXT
);
CREATE INDEX account_events_by_account ON account_events (account_id, id);
