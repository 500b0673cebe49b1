-- PostgreSQL twin of ../sqlite/0005_people_search_keys.sql; differences: none (lower() folds beyond
-- ASCII in PostgreSQL, but the store keeps the Rust-folded keys on both).
--
-- People search in any case, beyond ASCII: SQLite's lower() folds A–Z only, so "élodie" would not
-- find "Élodie". The store keeps each person's name and e-mail folded by Rust's to_lowercase()
-- (full Unicode) and searches those with the term folded the same way. NULL means "not folded
-- yet": the store fills them in when it opens the database (rows written before this migration).
ALTER TABLE people ADD COLUMN name_key TEXT;
ALTER TABLE people ADD COLUMN email_key TEXT;
