-- Boolean columns declared INTEGER instead of BOOLEAN (issue 14).
--
-- The store reads SQLite and PostgreSQL through sqlx's `Any` driver, which refuses every row with a
-- column *declared* BOOLEAN in SQLite ("Any driver does not support the SQLite type Bool",
-- launchbadge/sqlx#2778). SQLite has no boolean storage: a BOOLEAN column holds the integers 0 and 1
-- either way, so only the declared type in the schema text changes, with SQLite's documented
-- procedure for schema changes that leave the stored content as it is
-- (https://www.sqlite.org/lang_altertable.html#otheralter): edit `sqlite_schema` under
-- `writable_schema`, reload it, and change the schema (the throw-away table) so that every other
-- open connection reloads it too. The PostgreSQL schema keeps real BOOLEAN columns.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, ' BOOLEAN', ' INTEGER')
 WHERE type = 'table' AND sql LIKE '% BOOLEAN%';
PRAGMA writable_schema = RESET;
CREATE TABLE booleans_declared_integer (done INTEGER);
DROP TABLE booleans_declared_integer;
