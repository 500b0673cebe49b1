-- PostgreSQL twin of ../sqlite/0018_shared_limits.sql; differences: none.
--
-- Limits shared by every hub on one database (issue 14): what was process-local is counted here,
-- so two hubs (or a `doorlink sync` beside a hub) together keep the limits one hub keeps alone.
--
-- Kisi's 5 requests a second per Kisi user: per budget key (a SHA-256 digest of the Kisi server
-- and the Kisi user, or of the credential while the user is unknown; never a credential itself),
-- the instant (epoch ms, the store's clock) the next call may leave. A reservation takes
-- max(now, next_free_ms) and moves next_free_ms one period on, in one write transaction. One row
-- per Kisi user; rows idle for a minute are removed when a new key arrives.
CREATE TABLE kisi_rate_slots (
    budget_key   TEXT    PRIMARY KEY CHECK (length(budget_key) = 64),
    next_free_ms BIGINT  NOT NULL
);

-- Sign-in throttling, per e-mail and per client address: `key_digest` is the hex SHA-256 of the
-- folded e-mail or of the address (never the text sent). `refilled_at_ms` is when the key's
-- quota is full again (GCRA's theoretical arrival time: each counted attempt moves it one
-- interval on, from now at the latest); an attempt that would move it more than a window past now
-- is refused. Rows whose instant has passed are fully refilled and pruned; the hub caps the rows.
CREATE TABLE sign_in_throttle (
    kind           TEXT    NOT NULL CHECK (kind IN ('email', 'address')),
    key_digest     TEXT    NOT NULL CHECK (length(key_digest) = 64),
    refilled_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (kind, key_digest)
);
CREATE INDEX sign_in_throttle_by_refill ON sign_in_throttle (refilled_at_ms);
