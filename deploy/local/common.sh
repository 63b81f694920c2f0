# Shared settings for start.sh / stop.sh (sourced, not run).
# shellcheck shell=bash disable=SC2034
export PATH="$PATH:/usr/sbin:/sbin"  # runuser, rabbitmq-* live in sbin
STATE_DIR="${MODERATION_STATE_DIR:-/var/tmp/moderation-local}"
PG_DIR="$STATE_DIR/postgres"   # owned by the postgres user: data/, run/ (socket), postgres.log
PG_DATA="$PG_DIR/data"
REDIS_DIR="$STATE_DIR/redis"
RMQ_DIR="$STATE_DIR/rabbitmq"  # owned by the rabbitmq user: mnesia/, log/, config

# PostgreSQL 15 as asked; fall back to whatever major version apt installed.
PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/pg_ctl" ] || PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"

# Debian's /usr/sbin/rabbitmq-* wrappers re-run the real scripts via `su rabbitmq`, which keeps
# these variables, so the node (and the CLI tools) see the same settings.
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
export RABBITMQ_LOG_BASE="$RMQ_DIR/log"
export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
# Keep Erlang distribution (port 25672) and epmd (4369) on loopback too.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export ERL_EPMD_ADDRESS=127.0.0.1

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# pg_ctl/psql refuse to run as root: run them as postgres.
as_postgres() { runuser -u postgres -- "$@"; }
