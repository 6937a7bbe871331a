#!/usr/bin/env bash
# Start-up benchmark: how long `scripts/hub start` takes until /health/ready answers 200, on a fresh data
# directory (initdb, Kafka format, first migration) and on a warm one (restart), and the hub's resident memory
# once ready. Runs on free ports with its own data directory, so a hub already running here is not disturbed.
#
#   perf/startup.sh [runs]     (default 3 of each)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. perf/common.sh
runs=${1:-3}
work=$(mktemp -d)
trap 'HUB_DATA_DIR=$work/data scripts/hub stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

export HUB_DATA_DIR=$work/data HUB_HTTP_HOST=127.0.0.1
export HUB_HTTP_PORT=$(free_port) HUB_CLUSTER_PORT=$(free_port) HUB_PG_EMBEDDED_PORT=$(free_port)
export HUB_KAFKA_EMBEDDED_PORT=$(free_port) HUB_KAFKA_EMBEDDED_CONTROLLER_PORT=$(free_port)

mvn -q -B -ntp -DskipTests package
# Sets ms (start to ready) and mb (resident memory when ready), then stops the hub.
measure() {
  local began ended
  began=$(date +%s%N)
  scripts/hub start >/dev/null
  ended=$(date +%s%N)
  ms=$(( (ended - began) / 1000000 ))
  mb=$(( $(ps -o rss= -p "$(cat "$HUB_DATA_DIR/hub.pid")") / 1024 ))
  scripts/hub stop >/dev/null
}
cold=() warm=() rss=()
for _ in $(seq 1 "$runs"); do
  rm -rf "$HUB_DATA_DIR"
  measure; cold+=("$ms"); rss+=("$mb")
  measure; warm+=("$ms"); rss+=("$mb")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "cold start to ready (fresh data dir), ms: ${cold[*]}  median $(median "${cold[@]}")"
echo "warm start to ready (restart),        ms: ${warm[*]}  median $(median "${warm[@]}")"
echo "resident memory when ready,           MiB: ${rss[*]}  median $(median "${rss[@]}")"
