-- PostgreSQL twin of ../sqlite/0010_kisi_connection_user.sql; differences: none.
--
-- The Kisi user a connection's credential belongs to (`GET /user` at connect): Kisi's rate budget
-- of 5 requests a second is per user, shared by all of that user's logins, so two locations
-- connected with one Kisi account share one budget. NULL for connections made before: their
-- budget is per credential until they are connected again.
ALTER TABLE kisi_connections ADD COLUMN kisi_user_id BIGINT;
