-- Unlock outcomes waiting to be reported to the hub for its audit log (A4, contract 4): written
-- before the first attempt, removed once the hub took them, so a report survives the hub being
-- unreachable and a restart of the app. Sent oldest first; older than 30 days, dropped.

CREATE TABLE unlock_report (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL,                 -- "<hub url> <e-mail>": whose token sends it
    pressed_at  TEXT NOT NULL,                 -- RFC 3339, UTC: the report's `at`
    report      TEXT NOT NULL                  -- the UnlockReport as JSON
);

CREATE INDEX unlock_report_by_account ON unlock_report (account, id);
