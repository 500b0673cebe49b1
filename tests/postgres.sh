#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 14): a fresh data folder in a temp dir, one free
# loopback port, trust authentication on loopback only, no durability (fsync off).
#
#   eval "$(tests/postgres.sh start)"   # prints the two exports below, on stdout only
#     export DOORLINK_TEST_POSTGRES_URL=postgres://doorlink@127.0.0.1:<port>/doorlink
#     export DOORLINK_TEST_POSTGRES_DIR=<the cluster's folder>
#   tests/postgres.sh stop              # stops it and removes the folder; nothing running is fine
#
# As root (CI) initdb refuses to run, so the cluster belongs to the `postgres` system user and its
# commands run through `runuser -u postgres --`; as anyone else they run directly. Role and database
# `doorlink` are created; the role may create databases (tests that want one of their own).
set -euo pipefail

usage() {
  echo "usage: $0 start | stop   (stop reads DOORLINK_TEST_POSTGRES_DIR, or the folder given after it)" >&2
  exit 2
}

# initdb and pg_ctl: on PATH, else the newest Debian install under /usr/lib/postgresql/<ver>/bin.
pg_bin_dir() {
  local candidate
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return
    fi
  done
  echo "PostgreSQL's initdb and pg_ctl were not found (run .ci/setup, which installs Debian's postgresql)." >&2
  exit 1
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port
  bin="$(pg_bin_dir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/doorlink-postgres.XXXXXX")"
  # The folder, then everything in it, belongs to the owner; mktemp made it 0700.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
  fi
  if ! as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    exit 1
  fi
  # Loopback only: trust for 127.0.0.1 and ::1, nothing else (initdb's local socket line stays, and
  # the socket lives in this folder, not /var/run).
  as_owner sh -c "cat >'$dir/data/pg_hba.conf'" <<'HBA'
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
HBA
  # A port can be taken between picking and binding it (another test's cluster): try a few.
  local attempt
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      break
    fi
    if [ "$attempt" -eq 5 ]; then
      cat "$dir/server.log" >&2 || true
      as_owner "$bin/pg_ctl" --pgdata="$dir/data" stop -m immediate >/dev/null 2>&1 || true
      rm -rf "$dir"
      echo "PostgreSQL did not start (log above)." >&2
      exit 1
    fi
  done
  psql_bin="$bin/psql"
  [ -x "$psql_bin" ] || psql_bin="$(command -v psql)"
  "$psql_bin" --quiet --no-psqlrc -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE doorlink LOGIN CREATEDB" -c "CREATE DATABASE doorlink OWNER doorlink" >/dev/null
  echo "$port" >"$dir/port"
  echo "export DOORLINK_TEST_POSTGRES_URL=postgres://doorlink@127.0.0.1:$port/doorlink"
  echo "export DOORLINK_TEST_POSTGRES_DIR=$dir"
}

stop() {
  local dir="${1:-${DOORLINK_TEST_POSTGRES_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    return 0
  fi
  # Only a folder this script made: it holds data/PG_VERSION (or is an empty leftover of start).
  case "$(basename "$dir")" in
    doorlink-postgres.*) ;;
    *)
      echo "refusing to remove $dir: not a folder made by $0 start" >&2
      exit 1
      ;;
  esac
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$(pg_bin_dir)/pg_ctl" --pgdata="$dir/data" --wait --timeout=60 stop -m fast >/dev/null 2>&1 \
      || as_owner "$(pg_bin_dir)/pg_ctl" --pgdata="$dir/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) usage ;;
esac
