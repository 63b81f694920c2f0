#!/usr/bin/env bash
# Stops the servers started by deploy/local/start.sh. Quiet and successful if they are not running.
# A PostgreSQL that start.sh merely reused (not in our state dir) is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# `shutdown` (unlike `stop`) also waits for the Erlang VM to exit. It fails if no node runs.
if rabbitmqctl -q shutdown >/dev/null 2>&1; then echo "rabbitmq: stopped"; else echo "rabbitmq: not running"; fi

if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; then
  redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
  echo "redis: stopped"
else
  echo "redis: not running"
fi

if [ -n "$PG_BIN" ] && [ -f "$PG_DATA/PG_VERSION" ] \
   && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  echo "postgres: stopped"
else
  echo "postgres: not running"
fi
