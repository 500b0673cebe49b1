-- PostgreSQL twin of ../sqlite/0015_visitors_and_cancelled_day_passes.sql; differences: none.
--
-- Visitors as people expect them (issue 17, point 9). Portable SQL (see 0013).
-- The visit's host: the person at the location who expects the visitor. A host who is deleted
-- leaves the visit without a host rather than blocking the deletion.
ALTER TABLE visits ADD COLUMN host_id BIGINT REFERENCES people (id) ON DELETE SET NULL;
-- A cancelled day pass is kept (the desk sees "cancelled", not a pass that vanished); it grants
-- nothing (R9 applies to the passes in force only).
ALTER TABLE day_passes ADD COLUMN cancelled_at BIGINT;
CREATE VIEW day_passes_in_force AS
    SELECT id, location_id, person_id, product_id, pass_date, created_at
    FROM day_passes WHERE cancelled_at IS NULL;
