-- PostgreSQL twin of ../sqlite/0011_kisi_door_and_group_state.sql; differences: none.
--
-- What Kisi last reported about a group's app settings and a lock's state (issue 13; docs/kisi-api.md,
-- "Tolerant payloads"). NULL is "Kisi did not say" (its docs answer such flags as null), never
-- "off": the mapping lint warns only about a group whose app access Kisi reported off
-- (`login_enabled` false) or whose primary-device restriction it reported on, and the Access page
-- shows a door offline or locked down only when Kisi said so. The lock's `synced_at` is when.
ALTER TABLE kisi_groups ADD COLUMN login_enabled BOOLEAN;
ALTER TABLE kisi_groups ADD COLUMN primary_device_restriction BOOLEAN;
ALTER TABLE kisi_locks ADD COLUMN online BOOLEAN;
ALTER TABLE kisi_locks ADD COLUMN locked_down BOOLEAN;
