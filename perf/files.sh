#!/usr/bin/env bash
# Upload benchmark (issue #7): 1 GiB uploaded as one stream and as 16 concurrent streams (64 MiB each), to the hub's tus
# server with SM3 verification, side by side with nginx receiving the same uploads to disk, in one run.
#
#   perf/files.sh
#
# One nginx (Debian's package, installed with apt-get if missing; its WebDAV module takes each stream as one PUT,
# perf/nginx/files.conf.template) and one hub (embedded defaults, so SM4 at rest where the hub has it; a fresh data
# directory, files.max-size 2GiB; the operator token standing in for an upload grant) run on free loopback ports. A
# purpose-built client (perf/src/main/java/io/huitong/perf/files/UploadBench.java, java.net.http) streams fixed-seed
# random bytes from a source file (never a whole upload in memory): to nginx one PUT a stream, to the hub the tus way
# (POST /files/ with Upload-Length, then PATCH chunks of FILES_CHUNK bytes at their Upload-Offset). For each scenario
# nginx goes first, then the hub, each after one untimed warm-up upload. A scenario is timed from its first request to
# its last acknowledgement; the hub's answer to the last PATCH of a stream waits for the SM3 it records of the whole
# file, so the hub's figure includes that. Other HUB_* variables in the environment reach the hub
# (HUB_FILES_ENCRYPT=false, say).
#
# Verification, outside the timed part: the client computes the SM3 of every stream's bytes from the source before any
# upload; after each scenario it compares the SM3 the hub recorded (the ETag of GET /files/{id}) and the SM3 of the file
# nginx serves back with it. A mismatch fails the run (exit 1). Uploads are then deleted and `sync` run. For context the
# script also times `dd` writing the same 1 GiB with conv=fsync (the raw disk) and without (the page cache), before and
# after the scenarios.
#
# Environment: FILES_TOTAL (bytes a scenario, default 1073741824), FILES_STREAMS (the scenarios' stream counts, default
# 1,16), FILES_CHUNK (the hub's PATCH size, default 33554432), FILES_WARMUP (bytes of each server's warm-up upload,
# default 134217728), FILES_NGINX_BODY_BUFFER (nginx's client_body_buffer_size, default 1m), FILES_CHECKSUMS (1: every
# PATCH also carries the tus Upload-Checksum, the SM3 of its chunk, which the hub checks as it arrives; computed by the
# client before the timed part; default 0), FILES_HUB_JAVA_OPTS (default -Xmx1g -XX:+ExitOnOutOfMemoryError), FILES_LOGS
# (a directory that receives the run's logs). Everything it writes (about 3 GiB at the most: the source, and one
# scenario's uploads) goes to a temporary directory under TMPDIR, removed at the end. About 1.5 to 2 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. perf/common.sh
total=${FILES_TOTAL:-1073741824}
streams=${FILES_STREAMS:-1,16}
chunk=${FILES_CHUNK:-33554432}
warmup=${FILES_WARMUP:-134217728}
body_buffer=${FILES_NGINX_BODY_BUFFER:-1m}
checksums=${FILES_CHECKSUMS:-0}
hub_java_opts=${FILES_HUB_JAVA_OPTS:--Xmx1g -XX:+ExitOnOutOfMemoryError}
[[ $total =~ ^[1-9][0-9]*$ && $chunk =~ ^[1-9][0-9]*$ && $warmup =~ ^[1-9][0-9]*$ &&
  $streams =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || {
  echo "files: FILES_TOTAL, FILES_CHUNK and FILES_WARMUP must be whole numbers, FILES_STREAMS a list of them" >&2
  exit 2
}
work=$(mktemp -d)
nginx_pid="" hub_pid=""

cleanup() {
  keep_logs "${FILES_LOGS:-}"
  stop_pid "$hub_pid" "the hub"
  stop_leftover_postgres "$work/data"
  stop_pid "$nginx_pid" nginx
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the parts
ensure_nginx "$work/apt.log"
echo "== building the hub and the benchmark client (mvn package)" >&2
mvn -q -B -ntp -pl hub-core,perf -am package -DskipTests -Dfuzz.skip=true >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
copy_hub "$work"
mkdir -p "$work/client"
cp -rp perf/target/benchmarks.jar perf/target/lib "$work/client/"
client() { java -Xmx256m -cp "$work/client/benchmarks.jar" io.huitong.perf.files.UploadBench "$@"; }

source_bytes=$((total > warmup ? total : warmup))
echo "== generating $source_bytes bytes of source data" >&2
client generate "$work/source.bin" "$source_bytes"

# dd_rate [conv=fsync]: MB/s (10^6 bytes) of dd copying the source (in the page cache) to a new file on the same
# file system; with conv=fsync the time includes writing it all to the disk.
dd_rate() {
  local began ended
  sync
  began=$(date +%s%N)
  dd if="$work/source.bin" of="$work/dd.bin" bs=1M "$@" status=none
  ended=$(date +%s%N)
  rm -f "$work/dd.bin"
  sync
  echo "scale=1; $source_bytes * 1000 / ($ended - $began)" | bc -l
}
echo "== dd, the raw disk and the page cache" >&2
dd_fsync_before=$(dd_rate conv=fsync) dd_cache_before=$(dd_rate)

nginx_port=$(free_port)
echo "== nginx $(nginx -v 2>&1 | sed 's/.*\///') on port $nginx_port, $(nproc) workers" >&2
mkdir -p "$work/nginx/www/uploads" "$work/nginx/client-body"
touch "$work/nginx/www/uploads/ready"
sed -e "s#@PREFIX@#$work/nginx#g" -e "s/@PORT@/$nginx_port/" -e "s/@BODY_BUFFER@/$body_buffer/" \
  -e "s/@USER@/$(id -un)/" -e "s/@GROUP@/$(id -gn)/" perf/nginx/files.conf.template >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx.log" 2>&1 </dev/null &
nginx_pid=$!
wait_http "http://127.0.0.1:$nginx_port/uploads/ready" nginx "$nginx_pid"

HUB_FILES_MAX_SIZE=2GiB start_hub "$work" "$hub_java_opts"
# The hub's CPU includes its embedded PostgreSQL (the postmaster and its processes).
pg=$(head -n 1 "$work/data/pg/postmaster.pid")
hub_pids=$(echo "$hub_pid" "$pg" $(pgrep -P "$pg") | tr ' ' ,)
nginx_pids=$(echo "$nginx_pid" $(pgrep -P "$nginx_pid") | tr ' ' ,)

# --- the scenarios
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$SECONDS
rc=0
# The hub asks every /files/ request for an upload grant (files.access: grant); the operator token stands in for one.
token=()
[ -f "$work/data/operator-token" ] && token=(--hub-token "$(cat "$work/data/operator-token")")
client run --source "$work/source.bin" --hub "$hub_url" --nginx "http://127.0.0.1:$nginx_port" --total "$total" \
  --streams "$streams" --chunk "$chunk" --warmup "$warmup" --hub-pids "$hub_pids" --nginx-pids "$nginx_pids" \
  --clk-tck "$(getconf CLK_TCK)" --checksums "$([ "$checksums" = 1 ] && echo true || echo false)" "${token[@]}" \
  >"$work/result.txt" || rc=$?
[ -s "$work/result.txt" ] || die "the client failed"
scenarios_seconds=$((SECONDS - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== dd again" >&2
dd_fsync_after=$(dd_rate conv=fsync) dd_cache_after=$(dd_rate)

cat <<EOF

Upload benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(java -version 2>&1 | head -n 1), nginx $(nginx -v 2>&1 | sed 's/.*\///')
hub $hub_build; data on $(df -T "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }'); load average $load_before before the scenarios, $load_after after; scenarios $scenarios_seconds s, $SECONDS s in all
dd of $source_bytes bytes: with conv=fsync (the disk) $dd_fsync_before MB/s before, $dd_fsync_after MB/s after; without (the page cache) $dd_cache_before and $dd_cache_after MB/s
EOF
cat "$work/result.txt"
exit "$rc"
