#!/usr/bin/env bash
# Starts PostgreSQL (5432), Redis (6379) and RabbitMQ (5672, management 15672) as plain local
# processes bound to 127.0.0.1, for local runs and CI (no systemd, no Docker). Must run as root.
# Idempotent: servers already answering are reused. State: ${MODERATION_STATE_DIR:-/var/tmp/moderation-local}.
# Stop them with deploy/local/stop.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

fail() { echo "start.sh: ERROR: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (servers are started as the postgres/rabbitmq users)"

# --- packages -----------------------------------------------------------------------------------
missing=()
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || missing+=(rabbitmq-server)
command -v chromium >/dev/null || missing+=(chromium)
# The docs' examples, run by their doc tests: JSON read with jq, the SQLite backup with sqlite3.
command -v jq >/dev/null || missing+=(jq)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  # Keep the packages' init scripts from starting system-wide instances (on 0.0.0.0, default
  # data dirs) during install: policy-rc.d exit 101 = "action forbidden".
  policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q "${missing[@]}"
  [ -z "$policy" ] || { rm -f "$policy"; trap - EXIT; }
  source "$(dirname "${BASH_SOURCE[0]}")/common.sh"  # re-resolve PG_BIN
fi

mkdir -p "$STATE_DIR" "$PG_DIR" "$REDIS_DIR" "$RMQ_DIR"
chmod 755 "$STATE_DIR"  # postgres/rabbitmq users must be able to reach their subdirectories
chown postgres:postgres "$PG_DIR"
chown rabbitmq:rabbitmq "$RMQ_DIR"

# --- PostgreSQL ---------------------------------------------------------------------------------
pg_creds_ok() {
  PGPASSWORD=moderation PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -h 127.0.0.1 -p 5432 -U moderation -d moderation \
    -tAc 'select 1' >/dev/null 2>&1
}
pg_ours_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_init() {
  as_postgres mkdir -p "$PG_DATA" "$PG_DIR/run"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" \
    || fail "initdb failed, see $PG_DIR/initdb.log"
  # Throwaway test server: durability is not needed, speed is (CREATE DATABASE per test etc.).
  cat >>"$PG_DATA/postgresql.conf" <<EOF
# --- moderation local settings ---
listen_addresses = '127.0.0.1'
port = 5432
unix_socket_directories = '$PG_DIR/run'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}
pg_start() {
  as_postgres mkdir -p "$PG_DIR/run"
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null
}

if pg_creds_ok && ! pg_ours_running; then
  echo "postgres: reusing the server already on 127.0.0.1:5432"
else
  if ! pg_ours_running; then
    if port_open 5432; then
      fail "something else listens on 127.0.0.1:5432 but rejects moderation/moderation; stop it or create that role and database"
    fi
    [ -f "$PG_DATA/PG_VERSION" ] || pg_init
    if ! pg_start; then
      # With fsync=off a hard kill of the machine can leave the cluster unusable; it only holds
      # test data, so set it aside and start from a fresh one.
      broken="$PG_DATA.broken-$(date +%s)"
      echo "postgres: start failed (see $PG_DIR/postgres.log); moving data dir to $broken and re-initialising" >&2
      mv "$PG_DATA" "$broken"
      pg_init
      pg_start || fail "PostgreSQL did not start, see $PG_DIR/postgres.log"
    fi
  fi
  # Role and database (idempotent); superuser access via the peer-authenticated socket.
  as_postgres "$PG_BIN/psql" -q -h "$PG_DIR/run" -p 5432 -d postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL' \
    || fail "could not create role/database moderation"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'moderation') THEN CREATE ROLE moderation; END IF;
END $$;
ALTER ROLE moderation LOGIN CREATEDB PASSWORD 'moderation';
SELECT 'CREATE DATABASE moderation OWNER moderation'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'moderation')\gexec
SQL
fi
for _ in $(seq 30); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 5432 && pg_creds_ok && break; sleep 1; done
pg_creds_ok || fail "PostgreSQL on 127.0.0.1:5432 does not accept moderation/moderation"
echo "postgres: ready on 127.0.0.1:5432 (db moderation, user moderation)"

# --- Redis --------------------------------------------------------------------------------------
redis_ok() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
if ! redis_ok; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    || fail "redis-server failed to start, see $REDIS_DIR/redis.log"
  for _ in $(seq 30); do redis_ok && break; sleep 1; done
  redis_ok || fail "Redis did not answer on 127.0.0.1:6379 within 30 s, see $REDIS_DIR/redis.log"
fi
echo "redis: ready on 127.0.0.1:6379"

# --- RabbitMQ -----------------------------------------------------------------------------------
if ! port_open 5672; then
  cat >"$RMQ_DIR/rabbitmq.conf" <<'EOF'
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
EOF
  echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
  mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  chown -R rabbitmq:rabbitmq "$RMQ_DIR"
  # As root, /usr/sbin/rabbitmq-server does `su rabbitmq -c .../rabbitmq-server`; -detached
  # makes the Erlang VM daemonize so this returns at once. Its own output is of no use (logs go
  # to $RABBITMQ_LOG_BASE), and it must not hold our stdout open.
  rabbitmq-server -detached </dev/null >"$RMQ_DIR/startup.log" 2>&1 \
    || fail "rabbitmq-server failed to launch, see $RMQ_DIR/startup.log"
fi
deadline=$((SECONDS + 90))
until port_open 5672 && port_open 15672; do
  [ $SECONDS -lt $deadline ] || fail "RabbitMQ did not open 5672 and 15672 within 90 s, see $RABBITMQ_LOG_BASE/"
  sleep 2
done
rabbitmq-diagnostics -q ping >/dev/null 2>&1 \
  || echo "rabbitmq: warning: ports are open but 'rabbitmq-diagnostics ping' failed (not our node?)" >&2
echo "rabbitmq: ready on 127.0.0.1:5672 (management http://127.0.0.1:15672, guest/guest)"
