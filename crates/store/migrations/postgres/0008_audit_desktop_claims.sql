-- PostgreSQL twin of ../sqlite/0008_audit_desktop_claims.sql; differences: none.
--
-- A4: the desktop app unlocks straight with Kisi and reports the outcome afterwards. Such an entry
-- is what the person's computer says happened, not a call Doorlink made nor an event Kisi confirmed
-- (issue 11: a member could post "succeeded" unlocks of any lock). The log keeps the difference.
ALTER TABLE audit_log ADD COLUMN desktop_claim BOOLEAN NOT NULL DEFAULT FALSE;
