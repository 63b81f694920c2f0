#!/usr/bin/env bash
# Runs the distributed system on this machine behind one address, the gateway on http://127.0.0.1:5100:
#   bash deploy/local/run-distributed.sh start   # servers (start.sh), one Release build, five services, waits until ready
#   bash deploy/local/run-distributed.sh stop    # stops the five services (the servers stay: deploy/local/stop.sh)
# Ingestion 5101, scoring worker 5102, read API 5103, moderation API 5104, gateway 5100, all on 127.0.0.1. Logs, pids
# and the secrets (status-token.secret, admin.key: made once, kept, mode 600) live in data/distributed/. Idempotent:
# a service already running is left alone. GATEWAY_TRUSTED_PROXIES (comma-separated addresses or networks) lists a
# TLS front end before the gateway whose X-Forwarded-For the gateway believes; READY_TIMEOUT (seconds, 180) bounds the wait.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DIR=data/distributed
HOST=127.0.0.1
SERVICES=(ingestion:5101:Moderation.Ingestion scoring:5102:Moderation.Scoring read-api:5103:Moderation.ReadApi
  moderation-api:5104:Moderation.ModerationApi gateway:5100:Moderation.Gateway)
GATEWAY="http://$HOST:5100"

fail() { echo "run-distributed.sh: ERROR: $*" >&2; exit 1; }
running() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }
port_busy() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# A secret made once and reused on every later start, readable by its owner only.
secret() {
  local file="$DIR/$1"
  if [ ! -s "$file" ]; then (umask 077 && openssl rand -hex "$2" >"$file"); fi
  chmod 600 "$file"
  cat "$file"
}

stop() {
  local entry name pid
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    if running "$name"; then
      pid=$(cat "$DIR/$name.pid")
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "$name: stopped"
    else
      echo "$name: not running"
    fi
    rm -f "$DIR/$name.pid"
  done
}

start() {
  mkdir -p "$DIR"
  bash deploy/local/start.sh
  source deploy/local/env.sh
  local status_secret admin_key
  status_secret=$(secret status-token.secret 32)
  admin_key=$(secret admin.key 24)

  # A build would overwrite the assemblies of services still running: then the existing build starts the others.
  local entry name port project bin args some_running=
  for entry in "${SERVICES[@]}"; do running "${entry%%:*}" && some_running=1; done
  if [ -n "$some_running" ] && [ -f services/Moderation.Gateway/bin/Release/net10.0/Moderation.Gateway.dll ]; then
    echo "services running: the existing build is used (stop them first to rebuild)"
  else
    echo "building (Release)…"
    dotnet build deploy/local/distributed.slnf -c Release -nologo -v quiet >"$DIR/build.log" 2>&1 \
      || { tail -n 30 "$DIR/build.log" >&2; fail "build failed, see $DIR/build.log"; }
  fi

  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name port project <<<"$entry"
    if running "$name"; then echo "$name: already running (pid $(cat "$DIR/$name.pid"))"; continue; fi
    port_busy "$port" && fail "$HOST:$port is taken by another process; $name cannot listen there"
    bin="services/$project/bin/Release/net10.0"
    args=(--urls "http://$HOST:$port" --contentRoot "$PWD/$bin")
    if [ "$name" = gateway ]; then
      # The gateway believes only the front ends named for it, never the backends' setting.
      local i=0 proxy
      IFS=, read -ra proxies <<<"${GATEWAY_TRUSTED_PROXIES:-}"
      for proxy in "${proxies[@]}"; do args+=("--TrustedProxies:$i=$proxy"); i=$((i + 1)); done
    else
      # The backends believe the gateway's X-Forwarded-For: the client's address for rate limits, bans, the stored IP.
      args+=("--TrustedProxies:0=$HOST")
    fi
    Ingestion__StatusTokenSecret="$status_secret" Auth__BootstrapAdminKey="$admin_key" \
      setsid nohup dotnet "$bin/$project.dll" "${args[@]}" >"$DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/$name.pid"
    echo "$name: started on http://$HOST:$port (pid $!, log $DIR/$name.log)"
  done

  local timeout=${READY_TIMEOUT:-180} waited=0 answer
  printf 'waiting for %s/health/ready' "$GATEWAY"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/health/ready")" = 200 ]; do
    if [ "$waited" -ge "$timeout" ]; then
      echo
      answer=$(curl -s "$GATEWAY/health/ready" || true)
      fail "not ready after ${timeout} s. The gateway says: ${answer:-nothing}. Logs: $DIR/*.log (the services keep running: $0 stop)"
    fi
    for entry in "${SERVICES[@]}"; do
      name=${entry%%:*}
      running "$name" || { echo; tail -n 20 "$DIR/$name.log" >&2; fail "$name exited, see $DIR/$name.log"; }
    done
    printf '.'; sleep 2; waited=$((waited + 2))
  done
  echo " ready"
  cat <<MSG

Gateway (one address for everything): $GATEWAY
  widget:  <script src="$GATEWAY/widget.js" async></script>
  console: $GATEWAY/console/   (sign in with the admin key)
Admin key (also in $DIR/admin.key): $admin_key
Services: ingestion :5101, scoring :5102, read API :5103, moderation API :5104. Stop: bash deploy/local/run-distributed.sh stop
MSG
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
