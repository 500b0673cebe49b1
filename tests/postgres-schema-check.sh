#!/usr/bin/env bash
# Are the PostgreSQL migrations (crates/store/migrations/postgres) the twins of the SQLite ones?
# Applies each set to an empty database (SQLite: a temp file through python3's sqlite3 module;
# PostgreSQL: a fresh database on DOORLINK_TEST_POSTGRES_URL's server, or on a throwaway cluster of
# tests/postgres.sh when that is unset) and compares, table by table: columns in order with their
# type, nullability and default; primary keys; foreign keys with their ON DELETE; the number of
# CHECK constraints; unique constraints; named indexes (unique, columns, partial or not); views;
# triggers. Then the adversary of the change feed (migration 0006): the same writes to every table
# the triggers watch (and to some they must not watch), run on both, with the revision row read
# after each; the two traces must be equal and each write must move exactly the counters the SQLite
# triggers name. Exits non-zero on any difference, printing each one.
set -euo pipefail
cd "$(dirname "$0")/.."

started_cluster=""
cleanup() {
  if [ -n "${check_db:-}" ] && [ -n "${server_url:-}" ]; then
    psql "$server_url" -q --no-psqlrc -c "DROP DATABASE IF EXISTS $check_db" >/dev/null 2>&1 || true
  fi
  if [ -n "$started_cluster" ]; then
    tests/postgres.sh stop "$started_cluster"
  fi
}
trap cleanup EXIT

if [ -z "${DOORLINK_TEST_POSTGRES_URL:-}" ]; then
  eval "$(tests/postgres.sh start)"
  started_cluster="$DOORLINK_TEST_POSTGRES_DIR"
fi
# A database of our own on that server, so a shared test database is left alone.
server_url="$DOORLINK_TEST_POSTGRES_URL"
check_db="doorlink_schema_check_$$"
psql "$server_url" -q --no-psqlrc -v ON_ERROR_STOP=1 -c "CREATE DATABASE $check_db" >/dev/null
check_url="${server_url%/*}/$check_db"

python3 - "$check_url" crates/store/migrations <<'PY'
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

pg_url, migrations = sys.argv[1], sys.argv[2]
sqlite_dir = os.path.join(migrations, "sqlite")
pg_dir = os.path.join(migrations, "postgres")
differences = []


def differ(what):
    differences.append(what)
    print("DIFFERENT: " + what)


def psql(sql, script=False):
    args = ["psql", pg_url, "-q", "--no-psqlrc", "-At", "-v", "ON_ERROR_STOP=1"]
    args += ["-f", "-"] if script else ["-c", sql]
    out = subprocess.run(args, input=sql if script else None, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("psql failed: " + out.stderr)
    return out.stdout


def pg_json(sql):
    return json.loads(psql("SELECT coalesce(json_agg(t), '[]') FROM (" + sql + ") t") or "[]")


# --- Both migration sets, same names, applied in order ----------------------------------------------
sqlite_files = sorted(f for f in os.listdir(sqlite_dir) if f.endswith(".sql"))
pg_files = sorted(f for f in os.listdir(pg_dir) if f.endswith(".sql"))
if sqlite_files != pg_files:
    differ(f"migration files: sqlite {sqlite_files} vs postgres {pg_files}")
for name in pg_files:
    first = open(os.path.join(pg_dir, name)).readline()
    if not first.startswith(f"-- PostgreSQL twin of ../sqlite/{name}"):
        differ(f"{name}: header does not name its SQLite twin")

db_file = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False).name
lite = sqlite3.connect(db_file, isolation_level=None)
lite.execute("PRAGMA foreign_keys = ON")
for name in sqlite_files:
    lite.executescript(open(os.path.join(sqlite_dir, name)).read())
for name in pg_files:
    psql(open(os.path.join(pg_dir, name)).read(), script=True)


# --- Schema ------------------------------------------------------------------------------------------
def strip_comments(sql):
    return re.sub(r"--[^\n]*", "", sql or "")


lite_objects = {
    name: (kind, sql)
    for kind, name, sql in lite.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'sqlite_%'"
    )
}
pg_objects = {
    r["table_name"]: r["table_type"]
    for r in pg_json(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'"
    )
}
if set(lite_objects) != set(pg_objects):
    differ(f"tables/views only in SQLite: {sorted(set(lite_objects) - set(pg_objects))}, "
           f"only in PostgreSQL: {sorted(set(pg_objects) - set(lite_objects))}")
for name in sorted(set(lite_objects) & set(pg_objects)):
    lite_kind = lite_objects[name][0]
    pg_kind = "view" if pg_objects[name] == "VIEW" else "table"
    if lite_kind != pg_kind:
        differ(f"{name}: a {lite_kind} in SQLite, a {pg_kind} in PostgreSQL")

TYPES = {"INTEGER": "bigint", "BIGINT": "bigint", "TEXT": "text", "BLOB": "bytea", "BOOLEAN": "boolean"}


def norm_default(value):
    if value is None:
        return None
    value = re.sub(r"::[a-z ]+", "", str(value)).strip().lower()
    while value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    return value


pg_columns = {}
for r in pg_json(
    "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default,"
    " is_identity FROM information_schema.columns WHERE table_schema = 'public'"
    " ORDER BY table_name, ordinal_position"
):
    pg_columns.setdefault(r["table_name"], []).append(r)

pg_pkeys = {
    r["table"]: r["columns"]
    for r in pg_json(
        "SELECT c.conrelid::regclass::text AS table,"
        " array_agg(a.attname ORDER BY k.n) AS columns"
        " FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
        " WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace GROUP BY c.conrelid"
    )
}
pg_checks = {
    r["table"]: r["n"]
    for r in pg_json(
        "SELECT conrelid::regclass::text AS table, count(*) AS n FROM pg_constraint"
        " WHERE contype = 'c' AND connamespace = 'public'::regnamespace GROUP BY conrelid"
    )
}
ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
pg_fkeys = {}
for r in pg_json(
    "SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS parent,"
    " c.confdeltype AS on_delete,"
    " (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)"
    "  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,"
    " (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)"
    "  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS parent_columns"
    " FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"
):
    pg_fkeys.setdefault(r["table"], set()).add(
        (r["parent"], tuple(r["columns"]), tuple(r["parent_columns"]), ON_DELETE[r["on_delete"]])
    )
pg_uniques = {}
for r in pg_json(
    "SELECT c.conrelid::regclass::text AS table,"
    " (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)"
    "  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns"
    " FROM pg_constraint c WHERE c.contype = 'u' AND c.connamespace = 'public'::regnamespace"
):
    pg_uniques.setdefault(r["table"], set()).add(tuple(r["columns"]))
pg_indexes = {}
for r in pg_json(
    "SELECT t.relname AS table, i.relname AS name, x.indisunique AS is_unique,"
    " x.indpred IS NOT NULL AS partial,"
    " (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)"
    "  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS columns"
    " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
    " WHERE t.relnamespace = 'public'::regnamespace"
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
):
    pg_indexes.setdefault(r["table"], set()).add(
        (r["name"], r["is_unique"], tuple(r["columns"]), r["partial"])
    )
pg_triggers = {}
for r in pg_json(
    "SELECT event_object_table AS table, trigger_name AS name, event_manipulation AS event,"
    " action_timing AS timing, action_orientation AS orientation"
    " FROM information_schema.triggers WHERE trigger_schema = 'public'"
):
    pg_triggers.setdefault(r["table"], set()).add(
        (r["name"], r["event"], r["timing"], r["orientation"])
    )

columns_compared = 0
for table in sorted(set(lite_objects) & set(pg_objects)):
    kind, sql = lite_objects[table]
    lite_cols = lite.execute(f"PRAGMA table_info({table})").fetchall()
    pgc = pg_columns.get(table, [])
    names_l = [c[1] for c in lite_cols]
    names_p = [c["column_name"] for c in pgc]
    if names_l != names_p:
        differ(f"{table}: columns (in order) SQLite {names_l} vs PostgreSQL {names_p}")
        continue
    for (cid, name, decl, notnull, default, pk), p in zip(lite_cols, pgc):
        columns_compared += 1
        want_type = TYPES.get(decl.upper(), "?" + decl)
        if want_type != p["data_type"]:
            differ(f"{table}.{name}: type SQLite {decl} (so {want_type}) vs PostgreSQL {p['data_type']}")
        if kind == "view":
            continue
        lite_notnull = bool(notnull) or pk > 0
        if lite_notnull != (p["is_nullable"] == "NO"):
            differ(f"{table}.{name}: NOT NULL in SQLite {lite_notnull}, nullable in PostgreSQL "
                   f"{p['is_nullable']}")
        if norm_default(default) != norm_default(p["column_default"]):
            differ(f"{table}.{name}: default SQLite {default!r} vs PostgreSQL {p['column_default']!r}")
        # An INTEGER PRIMARY KEY is SQLite's rowid: its twin is an identity column.
        rowid = pk == 1 and decl.upper() == "INTEGER" and sum(1 for c in lite_cols if c[5]) == 1
        if rowid and table != "data_revisions" and p["is_identity"] != "YES":
            differ(f"{table}.{name}: INTEGER PRIMARY KEY in SQLite but no identity in PostgreSQL")
    if kind == "view":
        continue

    lite_pk = [c[1] for c in sorted((c for c in lite_cols if c[5]), key=lambda c: c[5])]
    if lite_pk != (pg_pkeys.get(table) or []):
        differ(f"{table}: primary key SQLite {lite_pk} vs PostgreSQL {pg_pkeys.get(table)}")

    lite_pk_of = lambda t: [c[1] for c in sorted(
        (c for c in lite.execute(f"PRAGMA table_info({t})") if c[5]), key=lambda c: c[5])]
    fks = {}
    for row in lite.execute(f"PRAGMA foreign_key_list({table})"):
        fk_id, seq, parent, col, parent_col, _upd, on_delete = row[:7]
        entry = fks.setdefault(fk_id, [parent, [], [], on_delete])
        entry[1].append(col)
        entry[2].append(parent_col)
    lite_fks = set()
    for parent, cols, pcols, on_delete in fks.values():
        if any(c is None for c in pcols):
            pcols = lite_pk_of(parent)
        lite_fks.add((parent, tuple(cols), tuple(pcols), on_delete))
    if lite_fks != pg_fkeys.get(table, set()):
        differ(f"{table}: foreign keys only in SQLite {sorted(lite_fks - pg_fkeys.get(table, set()))}, "
               f"only in PostgreSQL {sorted(pg_fkeys.get(table, set()) - lite_fks)}")

    lite_check_count = len(re.findall(r"\bCHECK\s*\(", strip_comments(sql), re.IGNORECASE))
    if lite_check_count != pg_checks.get(table, 0):
        differ(f"{table}: {lite_check_count} CHECK constraints in SQLite, "
               f"{pg_checks.get(table, 0)} in PostgreSQL")

    lite_uniques, lite_indexes = set(), set()
    for _seq, name, unique, origin, partial in lite.execute(f"PRAGMA index_list({table})"):
        cols = tuple(r[2] for r in lite.execute(f"PRAGMA index_info({name})"))
        if origin == "u":
            lite_uniques.add(cols)
        elif origin == "c":
            lite_indexes.add((name, bool(unique), cols, bool(partial)))
    if lite_uniques != pg_uniques.get(table, set()):
        differ(f"{table}: UNIQUE constraints SQLite {sorted(lite_uniques)} vs PostgreSQL "
               f"{sorted(pg_uniques.get(table, set()))}")
    if lite_indexes != pg_indexes.get(table, set()):
        differ(f"{table}: indexes only in SQLite {sorted(lite_indexes - pg_indexes.get(table, set()))}, "
               f"only in PostgreSQL {sorted(pg_indexes.get(table, set()) - lite_indexes)}")

    lite_triggers = set()
    for name, tsql in lite.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ):
        m = re.search(r"\b(BEFORE|AFTER|INSTEAD OF)\s+(INSERT|UPDATE|DELETE)\b", tsql, re.IGNORECASE)
        # SQLite has row triggers only.
        lite_triggers.add((name, m.group(2).upper(), m.group(1).upper(), "ROW"))
    if lite_triggers != pg_triggers.get(table, set()):
        differ(f"{table}: triggers only in SQLite {sorted(lite_triggers - pg_triggers.get(table, set()))}, "
               f"only in PostgreSQL {sorted(pg_triggers.get(table, set()) - lite_triggers)}")

tables = sum(1 for t in lite_objects.values() if t[0] == "table")
print(f"schema: {tables} tables, {len(lite_objects) - tables} views, {columns_compared} columns, "
      f"{sum(len(v) for v in pg_indexes.values())} named indexes, "
      f"{sum(len(v) for v in pg_triggers.values())} triggers compared")

# --- The change feed: the same writes on both, the revision row after each ---------------------------
# Expected moves come from the SQLite triggers' own text: table -> (facts, kisi) per written row.
watched = {}
for table, tsql in lite.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"):
    sets = re.search(r"SET (.*?) WHERE", tsql).group(1)
    watched[table] = (int("facts" in sets), int("kisi" in sets))

T = "0"  # every instant: the epoch (the feed cares about writes, not times)
seed = [
    ("locations", f"INSERT INTO locations (id, name, time_zone, created_at, updated_at) VALUES (1, 'Main', 'Europe/Berlin', {T}, {T})"),
    ("secrets", f"INSERT INTO secrets (id, purpose, nonce, ciphertext, created_at) VALUES (1, 'kisi', X'00', X'01', {T})"),
    ("kisi_connections", f"INSERT INTO kisi_connections (location_id, base_url, auth_kind, credential_secret_id, connected_at) VALUES (1, 'http://kisi', 'api_key', 1, {T})"),
    ("people", f"INSERT INTO people (id, name, email, created_at, updated_at) VALUES (1, 'Ada', 'ada@example.org', {T}, {T})"),
    ("companies", f"INSERT INTO companies (id, name, created_at) VALUES (1, 'Acme', {T})"),
    ("company_memberships", f"INSERT INTO company_memberships (id, company_id, person_id, joined_at) VALUES (1, 1, 1, {T})"),
    ("plans", "INSERT INTO plans (id, location_id, name) VALUES (1, 1, 'Flex')"),
    ("resources", "INSERT INTO resources (id, location_id, name, kind) VALUES (1, 1, 'Room A', 'room')"),
    ("products", "INSERT INTO products (id, location_id, name, kind) VALUES (1, 1, 'Day pass', 'day_pass')"),
    ("visitor_policies", "INSERT INTO visitor_policies (id, location_id, name) VALUES (1, 1, 'Guests')"),
    ("subscriptions", f"INSERT INTO subscriptions (id, location_id, holder_company_id, start_date, created_at, updated_at) VALUES (1, 1, 1, '2026-01-01', {T}, {T})"),
    ("subscription_items", "INSERT INTO subscription_items (id, subscription_id, plan_id, access_overridden) VALUES (1, 1, 1, TRUE)"),
    ("subscription_beneficiaries", "INSERT INTO subscription_beneficiaries (subscription_id, person_id) VALUES (1, 1)"),
    ("bookings", f"INSERT INTO bookings (id, location_id, resource_id, booker_id, start_at, end_at, created_at, updated_at) VALUES (1, 1, 1, 1, 0, 1, {T}, {T})"),
    ("booking_invitees", "INSERT INTO booking_invitees (booking_id, person_id) VALUES (1, 1)"),
    ("day_passes", f"INSERT INTO day_passes (id, location_id, person_id, product_id, pass_date, created_at) VALUES (1, 1, 1, 1, '2026-01-02', {T})"),
    ("visits", f"INSERT INTO visits (id, location_id, visitor_id, policy_id, expected_arrival, expected_departure, created_at, host_id) VALUES (1, 1, 1, 1, 0, 1, {T}, 1)"),
    ("manual_grants", f"INSERT INTO manual_grants (id, location_id, person_id, starts_at, created_at) VALUES (1, 1, 1, 0, {T})"),
    ("holds", f"INSERT INTO holds (location_id, person_id, since) VALUES (1, 1, {T})"),
    ("kisi_disconnections", f"INSERT INTO kisi_disconnections (location_id, person_id, mode, since) VALUES (1, 1, 'keep_kisi_user', {T})"),
    ("door_access_targets", "INSERT INTO door_access_targets (id, location_id, plan_id, target_kind, kisi_id) VALUES (1, 1, 1, 'group', 7)"),
    ("kisi_places", f"INSERT INTO kisi_places (location_id, kisi_place_id, name, synced_at) VALUES (1, 5, 'HQ', {T})"),
    ("kisi_groups", f"INSERT INTO kisi_groups (location_id, kisi_group_id, name, has_foreign_members, login_enabled, synced_at) VALUES (1, 7, 'Members', FALSE, TRUE, {T})"),
    ("kisi_locks", f"INSERT INTO kisi_locks (location_id, kisi_lock_id, name, online, synced_at) VALUES (1, 9, 'Front door', TRUE, {T})"),
    ("kisi_group_locks", "INSERT INTO kisi_group_locks (location_id, kisi_group_id, kisi_lock_id) VALUES (1, 7, 9)"),
    ("kisi_users", f"INSERT INTO kisi_users (location_id, person_id, kisi_user_id, kisi_email, confirmed, owned, synced_at) VALUES (1, 1, 11, 'ada@example.org', TRUE, TRUE, {T})"),
    ("kisi_lock_groups", f"INSERT INTO kisi_lock_groups (location_id, kisi_lock_id, kisi_group_id, created_at) VALUES (1, 9, 12, {T})"),
    ("kisi_role_assignments", f"INSERT INTO kisi_role_assignments (id, location_id, person_id, kisi_role_assignment_id, kisi_group_id, target_kind, target_id, valid_from, created_at) VALUES (1, 1, 1, 13, 7, 'group', 1, 0, {T})"),
    ("kisi_group_links", f"INSERT INTO kisi_group_links (id, location_id, visit_id, person_id, kisi_group_link_id, kisi_group_id, valid_from, created_at) VALUES (1, 1, 1, 1, 14, 7, 0, {T})"),
    ("kisi_released_users", f"INSERT INTO kisi_released_users (location_id, person_id, kisi_user_id, kisi_email, confirmed, owned, released_at) VALUES (1, 1, 11, 'ada@example.org', TRUE, FALSE, {T})"),
    # Written on almost every request or sync step, so the feed must not move for them.
    ("accounts", f"INSERT INTO accounts (id, email, role, person_id, created_at, updated_at) VALUES (1, 'ada@example.org', 'member', 1, {T}, {T})"),
    ("sessions", f"INSERT INTO sessions (id, token_hash, csrf_hash, account_id, created_at, expires_at) VALUES (1, 'h', 'c', 1, 0, 1)"),
    ("outbox", f"INSERT INTO outbox (id, location_id, person_id, dedupe_key, reason, next_try_at, created_at, updated_at) VALUES (1, 1, 1, 'p1', 'test', 0, {T}, {T})"),
    ("audit_log", f"INSERT INTO audit_log (id, at, operation, http_method, path, outcome, duration_ms) VALUES (1, {T}, 'op', 'GET', '/', 'succeeded', 0)"),
    ("location_leases", "INSERT INTO location_leases (location_id, owner, expires_at) VALUES (1, 'hub-a', 1)"),
    ("kisi_person_logins", f"INSERT INTO kisi_person_logins (location_id, person_id, kisi_user_id, kisi_email, secret_nonce, secret_ciphertext, created_at) VALUES (1, 1, 11, 'ada@example.org', X'00', X'01', {T})"),
]
steps = []  # (label, sql, (facts, kisi) expected per statement)
for table, sql in seed:
    steps.append((f"insert into {table}", sql, watched.get(table, (0, 0))))
for table, _ in seed:
    last_column = lite.execute(f"PRAGMA table_info({table})").fetchall()[-1][1]
    steps.append((f"update {table}", f"UPDATE {table} SET {last_column} = {last_column}",
                  watched.get(table, (0, 0))))
# Per row, as in SQLite: two rows bump twice, a write that touches nothing bumps nothing.
steps.append(("insert two companies in one statement",
              f"INSERT INTO companies (id, name, created_at) VALUES (2, 'B', {T}), (3, 'C', {T})", (2, 0)))
steps.append(("update no people", "UPDATE people SET name = name WHERE id = 0", (0, 0)))
steps.append(("update three companies", "UPDATE companies SET name = name || ''", (3, 0)))
steps.append(("delete two companies in one statement", "DELETE FROM companies WHERE id > 1", (2, 0)))
for table, _ in reversed(seed):
    steps.append((f"delete from {table}", f"DELETE FROM {table}", watched.get(table, (0, 0))))

untested = sorted(set(watched) - {t for t, _ in seed})
if untested:
    differ(f"tables the SQLite triggers watch that this check writes to nowhere: {untested}")


def lite_trace():
    trace = []
    for label, sql, _ in steps:
        lite.execute(sql)
        trace.append(lite.execute("SELECT facts, kisi FROM data_revisions WHERE id = 1").fetchone())
    # The adversary of "the bump commits or rolls back with the write": a rolled-back insert.
    lite.execute("BEGIN")
    lite.execute(f"INSERT INTO people (id, name, email, created_at, updated_at) VALUES (9, 'Bo', 'bo@example.org', {T}, {T})")
    lite.execute("ROLLBACK")
    trace.append(lite.execute("SELECT facts, kisi FROM data_revisions WHERE id = 1").fetchone())
    return [tuple(t) for t in trace]


def pg_trace():
    script = []
    for label, sql, _ in steps:
        # No blob literal is spelled alike in both: SQLite's X'00' is '\x00'::bytea here.
        script.append(re.sub(r"X'([0-9A-F]*)'", r"'\\x\1'::bytea", sql) + ";")
        script.append("SELECT 'REV', facts, kisi FROM data_revisions WHERE id = 1;")
    script.append("BEGIN;")
    script.append(f"INSERT INTO people (id, name, email, created_at, updated_at) VALUES (9, 'Bo', 'bo@example.org', {T}, {T});")
    script.append("ROLLBACK;")
    script.append("SELECT 'REV', facts, kisi FROM data_revisions WHERE id = 1;")
    out = psql("\n".join(script), script=True)
    return [tuple(int(x) for x in line.split("|")[1:]) for line in out.splitlines() if line.startswith("REV|")]


lt, pt = lite_trace(), pg_trace()
if len(lt) != len(pt):
    differ(f"change feed: {len(lt)} readings in SQLite, {len(pt)} in PostgreSQL")
# Compared step by step (moves, not totals), so one missing trigger is one line, not every later one.
before_l, before_p = (0, 0), (0, 0)
moved_ok = 0
for (label, sql, want), l, p in zip(steps + [("rolled-back insert into people", "", (0, 0))], lt, pt):
    moved_l = (l[0] - before_l[0], l[1] - before_l[1])
    moved_p = (p[0] - before_p[0], p[1] - before_p[1])
    if moved_l == want and moved_p == want:
        moved_ok += 1
    else:
        differ(f"change feed after '{label}': (facts, kisi) moved by {moved_l} in SQLite, "
               f"{moved_p} in PostgreSQL; the SQLite triggers say {want}")
    before_l, before_p = l, p
print(f"change feed: {len(lt)} writes on {len(seed)} tables ({len(watched)} watched by triggers), "
      f"{moved_ok} moved both counters exactly as the SQLite triggers say; final (facts, kisi) "
      f"SQLite {lt[-1]}, PostgreSQL {pt[-1]}")

os.unlink(db_file)
if differences:
    print(f"{len(differences)} difference(s)")
    sys.exit(1)
print("the PostgreSQL migrations are the SQLite ones' twins")
PY
