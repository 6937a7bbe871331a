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
