# shellcheck shell=bash
# Helpers the perf/*.sh scripts share; source it, do not run it.

# A free TCP port below the ephemeral range, so no client connection of a run can take a port a server binds next.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    ss -Htan "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

# stop_leftover_postgres DATA_DIR: a hub that died without its shutdown hooks leaves its embedded PostgreSQL
# running on DATA_DIR/pg; stop it.
stop_leftover_postgres() {
  local pidfile=$1/pg/postmaster.pid pg
  [ -f "$pidfile" ] || return 0
  pg=$(head -n 1 "$pidfile")
  if kill -0 "$pg" 2>/dev/null && grep -q postgres "/proc/$pg/cmdline" 2>/dev/null; then
    kill -INT "$pg"
    for _ in $(seq 1 300); do kill -0 "$pg" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pg" 2>/dev/null || true
  fi
}

# The JDK flags scripts/hub starts the hub with: Hazelcast only warns without them.
hub_jdk_flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)

# stop_pid PID WHAT: SIGTERM, then SIGKILL after 60 s; nothing when PID is empty or gone.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$(basename "$0" .sh): $2 (pid $pid) did not stop within 60 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# wait_http URL WHAT PID [LIMIT]: until URL answers 2xx, while PID lives, at most LIMIT s (PERF_READY_LIMIT, or
# 120); else the script's own die.
wait_http() {
  local began=$SECONDS limit=${4:-${PERF_READY_LIMIT:-120}}
  until curl -sf -o /dev/null --max-time 2 "$1"; do
    kill -0 "$3" 2>/dev/null || die "$2 exited during start-up"
    [ $((SECONDS - began)) -lt "$limit" ] || die "$2 was not ready within $limit s"
    sleep 0.2
  done
}

# ensure_nginx LOG: Debian's nginx (nginx-light: it has the proxy and WebDAV modules), installed with apt-get when
# there is no nginx; apt-get's output goes to LOG.
ensure_nginx() {
  command -v nginx >/dev/null && return 0
  echo "== installing nginx (apt-get install nginx-light)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; } >"$1" 2>&1 ||
    { cat "$1" >&2; die "could not install nginx"; }
}

# copy_hub DIR: the hub jar and its libraries (built by the caller) copied to DIR/hub, so a rebuild meanwhile does
# not disturb the hub that runs; sets hub_build to what it was built from.
copy_hub() {
  mkdir -p "$1/hub"
  cp -rp hub-core/target/huitong-hub.jar hub-core/target/lib "$1/hub/"
  hub_build="built from $(git rev-parse --short HEAD 2>/dev/null || echo unknown) with\
 $(git --no-optional-locks status --porcelain -- hub-core connectors exchange-protocols 2>/dev/null | wc -l) files changed"
}

# start_hub DIR JAVA_OPTS: the hub of DIR/hub (see copy_hub) with embedded defaults, data in DIR/data, on free
# loopback ports, its console output in DIR/hub.log; returns once it is ready, with hub_pid and hub_url set. Other
# HUB_* settings come from the caller's environment (VAR=value start_hub ...).
start_hub() {
  local dir=$1 java_opts=$2
  local http_port pg_port kafka_port controller_port cluster_port
  http_port=$(free_port) pg_port=$(free_port) kafka_port=$(free_port) controller_port=$(free_port)
  cluster_port=$(free_port)
  echo "== the hub on port $http_port (postgres $pg_port, kafka $kafka_port)" >&2
  (
    cd "$dir" || exit 1
    export HUB_DATA_DIR=$dir/data HUB_HTTP_HOST=127.0.0.1 HUB_HTTP_PORT=$http_port HUB_PG_EMBEDDED_PORT=$pg_port
    export HUB_KAFKA_EMBEDDED_PORT=$kafka_port HUB_KAFKA_EMBEDDED_CONTROLLER_PORT=$controller_port
    export HUB_CLUSTER_PORT=$cluster_port HUB_CLUSTER_HOST=127.0.0.1
    # The kiosk bridge listens too: on the caller's HUB_BRIDGE_PORT, or a free port rather than its 8090.
    export HUB_BRIDGE_PORT=${HUB_BRIDGE_PORT:-$(free_port)}
    # shellcheck disable=SC2086 # the options are words
    exec java $java_opts "${hub_jdk_flags[@]}" -jar "$dir/hub/huitong-hub.jar" >"$dir/hub.log" 2>&1 </dev/null
  ) &
  hub_pid=$!
  hub_url="http://127.0.0.1:$http_port"
  wait_http "$hub_url/health/ready" "the hub" "$hub_pid"
}

# die MESSAGE: the message, then the last lines of each log of the run directory $work; exit 1.
die() {
  echo "$(basename "$0" .sh): $*" >&2
  local log
  for log in "$work"/*.log "$work"/nginx/error.log; do
    [ -f "$log" ] || continue
    echo "--- last lines of $(basename "$log"):" >&2
    tail -n 15 "$log" >&2
  done
  exit 1
}

# keep_logs DIR: the logs of the run directory $work copied to DIR; nothing when DIR is empty.
keep_logs() {
  [ -n "$1" ] || return 0
  mkdir -p "$1" && cp -r "$work"/*.log "$work"/nginx/error.log "$1"/ 2>/dev/null || true
}
