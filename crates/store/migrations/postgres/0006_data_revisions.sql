-- PostgreSQL twin of ../sqlite/0006_data_revisions.sql; differences: the SQLite triggers' bodies
-- (`UPDATE data_revisions SET ... WHERE id = 1`) live in three PL/pgSQL trigger functions, which
-- the triggers of the same names call FOR EACH ROW, as SQLite's triggers run (a write of n rows
-- bumps by n in both, a write of no rows bumps neither); `id` is a plain BIGINT key (the one row
-- is inserted with id 1 here, no identity needed); the seed row is inserted ON CONFLICT DO NOTHING.
-- Note for several hubs: every facts/kisi write takes the one row's lock until its transaction ends.
--
-- A cheap change feed for every process on this database (ARCHITECTURE: several hubs over one
-- DB, and `doorlink sync` run beside a hub). One row of two counters: `facts` moves with every
-- write to the records core reasons over, `kisi` with every write to Doorlink's mirror of Kisi.
-- A process that keeps either in memory remembers the counter it was built at and compares it
-- (one single-row read) before reusing it.
--
-- Bumped by triggers, not by the store's write helper: a trigger runs inside the very statement,
-- so the bump commits or rolls back with the write, and no write path can forget it (code that
-- writes through the pool, migrations' companion code, another binary on the same schema). Cost:
-- one single-row UPDATE per written row, in the same transaction. PostgreSQL has the same
-- triggers (there even per statement), so the feed ports as it is.
--
-- What stays out on purpose: accounts, sessions, invitations, the outbox, the audit log, secrets
-- and Kisi logins are written on almost every request or sync step and feed neither cache.
-- People feed both: the Kisi view compares a Kisi user's e-mail with the person's (I2).
CREATE TABLE data_revisions (
    id    BIGINT  PRIMARY KEY CHECK (id = 1),
    facts BIGINT  NOT NULL,
    kisi  BIGINT  NOT NULL
);
INSERT INTO data_revisions (id, facts, kisi) VALUES (1, 0, 0) ON CONFLICT DO NOTHING;

CREATE FUNCTION data_revisions_bump_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revisions SET facts = facts + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE FUNCTION data_revisions_bump_kisi() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE FUNCTION data_revisions_bump_facts_and_kisi() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_revisions SET facts = facts + 1, kisi = kisi + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

-- The records core reasons over (what `load_location_facts` reads).
CREATE TRIGGER locations_insert_revision AFTER INSERT ON locations
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER locations_update_revision AFTER UPDATE ON locations
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER locations_delete_revision AFTER DELETE ON locations
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER people_insert_revision AFTER INSERT ON people
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts_and_kisi();
CREATE TRIGGER people_update_revision AFTER UPDATE ON people
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts_and_kisi();
CREATE TRIGGER people_delete_revision AFTER DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts_and_kisi();
CREATE TRIGGER companies_insert_revision AFTER INSERT ON companies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER companies_update_revision AFTER UPDATE ON companies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER companies_delete_revision AFTER DELETE ON companies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER company_memberships_insert_revision AFTER INSERT ON company_memberships
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER company_memberships_update_revision AFTER UPDATE ON company_memberships
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER company_memberships_delete_revision AFTER DELETE ON company_memberships
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER plans_insert_revision AFTER INSERT ON plans
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER plans_update_revision AFTER UPDATE ON plans
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER plans_delete_revision AFTER DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER resources_insert_revision AFTER INSERT ON resources
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER resources_update_revision AFTER UPDATE ON resources
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER resources_delete_revision AFTER DELETE ON resources
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER products_insert_revision AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER products_update_revision AFTER UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER products_delete_revision AFTER DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visitor_policies_insert_revision AFTER INSERT ON visitor_policies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visitor_policies_update_revision AFTER UPDATE ON visitor_policies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visitor_policies_delete_revision AFTER DELETE ON visitor_policies
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscriptions_insert_revision AFTER INSERT ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscriptions_update_revision AFTER UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscriptions_delete_revision AFTER DELETE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_items_insert_revision AFTER INSERT ON subscription_items
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_items_update_revision AFTER UPDATE ON subscription_items
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_items_delete_revision AFTER DELETE ON subscription_items
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_beneficiaries_insert_revision AFTER INSERT ON subscription_beneficiaries
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_beneficiaries_update_revision AFTER UPDATE ON subscription_beneficiaries
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER subscription_beneficiaries_delete_revision AFTER DELETE ON subscription_beneficiaries
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER bookings_insert_revision AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER bookings_update_revision AFTER UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER bookings_delete_revision AFTER DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER booking_invitees_insert_revision AFTER INSERT ON booking_invitees
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER booking_invitees_update_revision AFTER UPDATE ON booking_invitees
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER booking_invitees_delete_revision AFTER DELETE ON booking_invitees
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER day_passes_insert_revision AFTER INSERT ON day_passes
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER day_passes_update_revision AFTER UPDATE ON day_passes
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER day_passes_delete_revision AFTER DELETE ON day_passes
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visits_insert_revision AFTER INSERT ON visits
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visits_update_revision AFTER UPDATE ON visits
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER visits_delete_revision AFTER DELETE ON visits
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER manual_grants_insert_revision AFTER INSERT ON manual_grants
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER manual_grants_update_revision AFTER UPDATE ON manual_grants
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER manual_grants_delete_revision AFTER DELETE ON manual_grants
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER holds_insert_revision AFTER INSERT ON holds
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER holds_update_revision AFTER UPDATE ON holds
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER holds_delete_revision AFTER DELETE ON holds
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER kisi_disconnections_insert_revision AFTER INSERT ON kisi_disconnections
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER kisi_disconnections_update_revision AFTER UPDATE ON kisi_disconnections
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER kisi_disconnections_delete_revision AFTER DELETE ON kisi_disconnections
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER door_access_targets_insert_revision AFTER INSERT ON door_access_targets
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER door_access_targets_update_revision AFTER UPDATE ON door_access_targets
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();
CREATE TRIGGER door_access_targets_delete_revision AFTER DELETE ON door_access_targets
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_facts();

-- Doorlink's mirror of Kisi (what `kisi_view` and the sync planner read).
CREATE TRIGGER kisi_places_insert_revision AFTER INSERT ON kisi_places
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_places_update_revision AFTER UPDATE ON kisi_places
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_places_delete_revision AFTER DELETE ON kisi_places
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_groups_insert_revision AFTER INSERT ON kisi_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_groups_update_revision AFTER UPDATE ON kisi_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_groups_delete_revision AFTER DELETE ON kisi_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_locks_insert_revision AFTER INSERT ON kisi_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_locks_update_revision AFTER UPDATE ON kisi_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_locks_delete_revision AFTER DELETE ON kisi_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_locks_insert_revision AFTER INSERT ON kisi_group_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_locks_update_revision AFTER UPDATE ON kisi_group_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_locks_delete_revision AFTER DELETE ON kisi_group_locks
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_users_insert_revision AFTER INSERT ON kisi_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_users_update_revision AFTER UPDATE ON kisi_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_users_delete_revision AFTER DELETE ON kisi_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_lock_groups_insert_revision AFTER INSERT ON kisi_lock_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_lock_groups_update_revision AFTER UPDATE ON kisi_lock_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_lock_groups_delete_revision AFTER DELETE ON kisi_lock_groups
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_role_assignments_insert_revision AFTER INSERT ON kisi_role_assignments
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_role_assignments_update_revision AFTER UPDATE ON kisi_role_assignments
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_role_assignments_delete_revision AFTER DELETE ON kisi_role_assignments
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_links_insert_revision AFTER INSERT ON kisi_group_links
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_links_update_revision AFTER UPDATE ON kisi_group_links
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_group_links_delete_revision AFTER DELETE ON kisi_group_links
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_released_users_insert_revision AFTER INSERT ON kisi_released_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_released_users_update_revision AFTER UPDATE ON kisi_released_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
CREATE TRIGGER kisi_released_users_delete_revision AFTER DELETE ON kisi_released_users
    FOR EACH ROW EXECUTE FUNCTION data_revisions_bump_kisi();
