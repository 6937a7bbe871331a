#!/usr/bin/env bash
# Kiosk bridge benchmark (issue #8): 20,000 concurrent WebSocket devices on one hub process, call-to-screen latency
# with 10,000 subscribed screens, and the hub's memory per connection.
#
#   perf/kiosk.sh
#
# One hub (embedded defaults, a temporary data directory, its kiosk bridge in-process on a free port) runs with the
# open-files limit raised to KIOSK_NOFILE. The client (perf/src/main/java, io.huitong.perf.kiosk.KioskLoad: plain
# JDK NIO, one selector thread) then sets up two halls over the queue API, registers KIOSK_DEVICES hall screens
# over the device API (KIOSK_SCREENS in hall bench-a, where a window calls; the rest in the quiet hall bench-b) and a window
# terminal (the screens are written to the registry's table in one SQL statement, all with one token, since
# registering 20,000 through the API one by one takes minutes and is not what is measured), measures the hub's RSS and heap after a full GC (jcmd), opens a WebSocket per screen from KIOSK_SOURCES
# loopback addresses (127.0.0.1 up; each source has its own ephemeral ports), says hello and waits for every
# welcome, measures the memory again, and has the terminal call KIOSK_WARMUP_CALLS and then KIOSK_CALLS tickets over
# its WebSocket (call-next, finish, KIOSK_PAUSE_MS). Every screen acknowledges what it read with one cumulative ack
# half a second later and sends a heartbeat at the interval the bridge asks for, the screens spread over it. It prints
# the connections held, the memory per connection, call-to-screen latency p50/p99/max over every (call, screen of
# bench-a) pair of the measured calls and again with the warm-up calls, the first and last screen of a call, how busy
# the client's thread was, and whether any screen saw a gap or a reordering in the hall's seq.
#
# The hub runs as a latency-sensitive deployment should: its whole heap committed and touched at start (-Xms equal
# to -Xmx, AlwaysPreTouch), so that no call waits for the kernel to zero fresh heap pages, and a full GC (the memory
# measurement) cannot shrink it. The RSS growth is then what the connections take outside the heap; the growth of the
# heap after a full GC is what they take on it.
#
# Environment: KIOSK_DEVICES (20000), KIOSK_SCREENS (10000), KIOSK_CALLS (50), KIOSK_WARMUP_CALLS (10), KIOSK_PAUSE_MS
# (200), KIOSK_SOURCES (4), KIOSK_NOFILE (65536), KIOSK_HUB_JAVA_OPTS (-Xms2g -Xmx2g -XX:+AlwaysPreTouch
# -XX:+ExitOnOutOfMemoryError), KIOSK_CLIENT_JAVA_OPTS (-Xms1g -Xmx1g -XX:+AlwaysPreTouch), KIOSK_LOGS
# (a directory that receives the run's logs). Raising the open-files limit past the hard limit needs root. Everything
# it writes goes to a temporary directory, removed at the end. About 2 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. perf/common.sh
devices=${KIOSK_DEVICES:-20000}
screens=${KIOSK_SCREENS:-10000}
calls=${KIOSK_CALLS:-50}
warmup_calls=${KIOSK_WARMUP_CALLS:-10}
pause_ms=${KIOSK_PAUSE_MS:-200}
sources=${KIOSK_SOURCES:-4}
nofile=${KIOSK_NOFILE:-65536}
hub_java_opts=${KIOSK_HUB_JAVA_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError}
client_java_opts=${KIOSK_CLIENT_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
[[ $devices =~ ^[1-9][0-9]*$ && $calls =~ ^[1-9][0-9]*$ && $warmup_calls =~ ^[0-9]+$ && $pause_ms =~ ^[0-9]+$ &&
   $sources =~ ^[1-9][0-9]*$ ]] ||
  { echo "kiosk: KIOSK_DEVICES, KIOSK_CALLS, KIOSK_WARMUP_CALLS, KIOSK_PAUSE_MS and KIOSK_SOURCES must be whole numbers" >&2
    exit 2; }
# Both the hub and the client hold one descriptor per device; the hub about 300 more (jars, PostgreSQL, Kafka).
ulimit -n "$nofile" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((devices + 400)) ] ||
  { echo "kiosk: the open-files limit is $(ulimit -n); $devices devices need more (run as root, or lower KIOSK_DEVICES)" >&2; exit 2; }
work=$(mktemp -d)
hub_pid=""

cleanup() {
  keep_logs "${KIOSK_LOGS:-}"
  stop_pid "$hub_pid" "the hub"
  stop_leftover_postgres "$work/data"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building the hub and the client (mvn package)" >&2
mvn -q -B -ntp -pl hub-core,perf -am package -Dmaven.test.skip=true -Dfuzz.skip=true >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
copy_hub "$work"
mkdir -p "$work/client"
cp -rp perf/target/benchmarks.jar perf/target/lib "$work/client/"

bridge_port=$(free_port)
HUB_BRIDGE_PORT=$bridge_port start_hub "$work" "$hub_java_opts"
echo "== kiosk bridge on port $bridge_port; open files $(ulimit -n); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== $hub_build" >&2

# The screens, straight into the device registry: bench-0 .. bench-(screens-1) in bench-a, the rest in bench-b.
token=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
token_sm3=$(printf %s "$token" | openssl dgst -sm3 -hex | awk '{print $NF}')
pg_port=$(curl -sf -H "Authorization: Bearer $(cat "$work/data/operator-token")" "$hub_url/api/v1/admin/config" |
  python3 -c 'import json,sys; print(next(k["value"] for k in json.load(sys.stdin)["keys"] if k["key"]=="pg.embedded.port"))')
PGPASSWORD=$(cat "$work/data/pg-password") psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d huitong -v ON_ERROR_STOP=1 -c \
  "INSERT INTO devices.device (device_id, kind, hall_id, token_sm3)
   SELECT 'bench-' || g, 'hall-screen', CASE WHEN g < $screens THEN 'bench-a' ELSE 'bench-b' END, '$token_sm3'
   FROM generate_series(0, $devices - 1) g" >"$work/psql.log" 2>&1 || die "the devices were not written: $(cat "$work/psql.log")"

# shellcheck disable=SC2086 # the options are words
java $client_java_opts -cp "$work/client/benchmarks.jar:$work/client/lib/*" io.huitong.perf.kiosk.KioskLoad \
  --hub "$hub_url" --bridge "127.0.0.1:$bridge_port" --token-file "$work/data/operator-token" --hub-pid "$hub_pid" \
  --devices "$devices" --screens "$screens" --shared-token "$token" --calls "$calls" --warmup-calls "$warmup_calls" --pause-ms "$pause_ms" --sources "$sources" 2> >(tee "$work/client.log" >&2)
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
