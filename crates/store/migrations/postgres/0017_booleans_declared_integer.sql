-- PostgreSQL twin of ../sqlite/0017_booleans_declared_integer.sql: PostgreSQL has real booleans,
-- which sqlx's `Any` driver reads, so there is nothing to change. Kept so both backends count the
-- same versions.
SELECT 1;
