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
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    facts BIGINT  NOT NULL,
    kisi  BIGINT  NOT NULL
);
INSERT INTO data_revisions (id, facts, kisi) VALUES (1, 0, 0);


-- The records core reasons over (what `load_location_facts` reads).
CREATE TRIGGER locations_insert_revision AFTER INSERT ON locations
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER locations_update_revision AFTER UPDATE ON locations
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER locations_delete_revision AFTER DELETE ON locations
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER people_insert_revision AFTER INSERT ON people
    BEGIN UPDATE data_revisions SET facts = facts + 1, kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER people_update_revision AFTER UPDATE ON people
    BEGIN UPDATE data_revisions SET facts = facts + 1, kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER people_delete_revision AFTER DELETE ON people
    BEGIN UPDATE data_revisions SET facts = facts + 1, kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER companies_insert_revision AFTER INSERT ON companies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER companies_update_revision AFTER UPDATE ON companies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER companies_delete_revision AFTER DELETE ON companies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER company_memberships_insert_revision AFTER INSERT ON company_memberships
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER company_memberships_update_revision AFTER UPDATE ON company_memberships
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER company_memberships_delete_revision AFTER DELETE ON company_memberships
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER plans_insert_revision AFTER INSERT ON plans
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER plans_update_revision AFTER UPDATE ON plans
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER plans_delete_revision AFTER DELETE ON plans
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER resources_insert_revision AFTER INSERT ON resources
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER resources_update_revision AFTER UPDATE ON resources
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER resources_delete_revision AFTER DELETE ON resources
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER products_insert_revision AFTER INSERT ON products
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER products_update_revision AFTER UPDATE ON products
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER products_delete_revision AFTER DELETE ON products
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visitor_policies_insert_revision AFTER INSERT ON visitor_policies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visitor_policies_update_revision AFTER UPDATE ON visitor_policies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visitor_policies_delete_revision AFTER DELETE ON visitor_policies
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscriptions_insert_revision AFTER INSERT ON subscriptions
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscriptions_update_revision AFTER UPDATE ON subscriptions
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscriptions_delete_revision AFTER DELETE ON subscriptions
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_items_insert_revision AFTER INSERT ON subscription_items
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_items_update_revision AFTER UPDATE ON subscription_items
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_items_delete_revision AFTER DELETE ON subscription_items
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_beneficiaries_insert_revision AFTER INSERT ON subscription_beneficiaries
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_beneficiaries_update_revision AFTER UPDATE ON subscription_beneficiaries
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_beneficiaries_delete_revision AFTER DELETE ON subscription_beneficiaries
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER bookings_insert_revision AFTER INSERT ON bookings
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER bookings_update_revision AFTER UPDATE ON bookings
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER bookings_delete_revision AFTER DELETE ON bookings
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER booking_invitees_insert_revision AFTER INSERT ON booking_invitees
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER booking_invitees_update_revision AFTER UPDATE ON booking_invitees
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER booking_invitees_delete_revision AFTER DELETE ON booking_invitees
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER day_passes_insert_revision AFTER INSERT ON day_passes
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER day_passes_update_revision AFTER UPDATE ON day_passes
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER day_passes_delete_revision AFTER DELETE ON day_passes
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visits_insert_revision AFTER INSERT ON visits
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visits_update_revision AFTER UPDATE ON visits
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER visits_delete_revision AFTER DELETE ON visits
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER manual_grants_insert_revision AFTER INSERT ON manual_grants
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER manual_grants_update_revision AFTER UPDATE ON manual_grants
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER manual_grants_delete_revision AFTER DELETE ON manual_grants
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER holds_insert_revision AFTER INSERT ON holds
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER holds_update_revision AFTER UPDATE ON holds
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER holds_delete_revision AFTER DELETE ON holds
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_disconnections_insert_revision AFTER INSERT ON kisi_disconnections
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_disconnections_update_revision AFTER UPDATE ON kisi_disconnections
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_disconnections_delete_revision AFTER DELETE ON kisi_disconnections
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER door_access_targets_insert_revision AFTER INSERT ON door_access_targets
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER door_access_targets_update_revision AFTER UPDATE ON door_access_targets
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;
CREATE TRIGGER door_access_targets_delete_revision AFTER DELETE ON door_access_targets
    BEGIN UPDATE data_revisions SET facts = facts + 1 WHERE id = 1; END;

-- Doorlink's mirror of Kisi (what `kisi_view` and the sync planner read).
CREATE TRIGGER kisi_places_insert_revision AFTER INSERT ON kisi_places
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_places_update_revision AFTER UPDATE ON kisi_places
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_places_delete_revision AFTER DELETE ON kisi_places
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_groups_insert_revision AFTER INSERT ON kisi_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_groups_update_revision AFTER UPDATE ON kisi_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_groups_delete_revision AFTER DELETE ON kisi_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_locks_insert_revision AFTER INSERT ON kisi_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_locks_update_revision AFTER UPDATE ON kisi_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_locks_delete_revision AFTER DELETE ON kisi_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_locks_insert_revision AFTER INSERT ON kisi_group_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_locks_update_revision AFTER UPDATE ON kisi_group_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_locks_delete_revision AFTER DELETE ON kisi_group_locks
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_users_insert_revision AFTER INSERT ON kisi_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_users_update_revision AFTER UPDATE ON kisi_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_users_delete_revision AFTER DELETE ON kisi_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_lock_groups_insert_revision AFTER INSERT ON kisi_lock_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_lock_groups_update_revision AFTER UPDATE ON kisi_lock_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_lock_groups_delete_revision AFTER DELETE ON kisi_lock_groups
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_role_assignments_insert_revision AFTER INSERT ON kisi_role_assignments
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_role_assignments_update_revision AFTER UPDATE ON kisi_role_assignments
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_role_assignments_delete_revision AFTER DELETE ON kisi_role_assignments
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_links_insert_revision AFTER INSERT ON kisi_group_links
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_links_update_revision AFTER UPDATE ON kisi_group_links
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_group_links_delete_revision AFTER DELETE ON kisi_group_links
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_released_users_insert_revision AFTER INSERT ON kisi_released_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_released_users_update_revision AFTER UPDATE ON kisi_released_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
CREATE TRIGGER kisi_released_users_delete_revision AFTER DELETE ON kisi_released_users
    BEGIN UPDATE data_revisions SET kisi = kisi + 1 WHERE id = 1; END;
