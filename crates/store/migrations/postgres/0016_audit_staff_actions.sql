-- PostgreSQL twin of ../sqlite/0016_audit_staff_actions.sql; differences: none.
--
-- Issue 17 point 13: the audit log also records what people did in Doorlink (every staff and admin
-- action, and refused attempts), not only Kisi calls. `kind` tells them apart; the actor is the
-- signed-in account, with its person and a name kept as it was then (the log outlives renames and
-- deletions, so no foreign keys, like the rest of audit_log). `person_id` stays the subject: the
-- person the call or action was about. Portable SQL (see 0013).
ALTER TABLE audit_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'kisi' CHECK (kind IN ('kisi', 'action'));
ALTER TABLE audit_log ADD COLUMN actor_account_id BIGINT;
ALTER TABLE audit_log ADD COLUMN actor_person_id BIGINT;
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
CREATE INDEX audit_log_by_actor ON audit_log (actor_account_id, id);
