-- PostgreSQL twin of ../sqlite/0012_kisi_grant_intents.sql; differences: none.
--
-- I4 and "no duplicate" across a crash, for grants: the intent to create a role assignment or a
-- visitor access link is written before the call, so a create whose answer was lost (a crash
-- between Kisi's answer and the mirror write, a timeout where Kisi acted) is looked for in Kisi
-- and adopted by whichever run writes that grant next — also a fresh one, such as the periodic
-- reconcile, which would otherwise create it a second time where Kisi accepts identical
-- assignments. Removed once the grant is in the mirror or Kisi refused it. `valid_until` is NULL
-- for an open-ended window.
CREATE TABLE kisi_grant_intents (
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT   NOT NULL CHECK (kind IN ('assignment', 'link')),
    group_id    BIGINT NOT NULL,
    valid_from  BIGINT NOT NULL,
    valid_until BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX kisi_grant_intents_by_person ON kisi_grant_intents (location_id, person_id);
