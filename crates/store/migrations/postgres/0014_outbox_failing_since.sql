-- PostgreSQL twin of ../sqlite/0014_outbox_failing_since.sql; differences: none.
--
-- Honest status (issue 17): when an entry's first failed attempt was, so every view that states a
-- person's access can say "failing since …". Kept across retries and new requests of the entry;
-- cleared with the entry once Kisi confirmed its work. Portable SQL (see 0013).
ALTER TABLE outbox ADD COLUMN failing_since BIGINT;
