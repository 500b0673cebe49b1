-- PostgreSQL twin of ../sqlite/0013_outbox_priority.sql; differences: `priority` is BIGINT (SQLite:
-- INTEGER), like every integer column here.
--
-- What goes first (issue 12): revocations and access that starts within the next hour (0) before
-- other person changes (1) before bulk work such as a location's full reconcile or connect (2).
-- Coalescing keeps the most urgent request of an entry. Portable SQL, a PostgreSQL pool runs it as
-- is (no PostgreSQL migration set exists yet; this one is its first candidate verbatim).
ALTER TABLE outbox ADD COLUMN priority BIGINT NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2);
UPDATE outbox SET priority = 2 WHERE person_id IS NULL;
CREATE INDEX outbox_by_priority ON outbox (priority, next_try_at);
