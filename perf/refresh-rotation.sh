#!/usr/bin/env bash
# The database's side of a refresh grant (issue #6), with pgbench: the rotation as the hub did it before
# V2__refresh_families.sql (mark the token's row used, insert its successor; then read the account) against the
# rotation it does now (one update of the family's row, heap-only; then the account read). Tables as the
# migrations make them, in a scratch schema of a PostgreSQL given by PGHOST, PGPORT, PGUSER, PGDATABASE (default
# the machine's 127.0.0.1:5432, postgres, test); 8 clients for REFRESH_SECONDS (15) each, both variants twice,
# alternating. Prints transactions a second and the machine's CPU a transaction less pgbench's own.
#
#   perf/refresh-rotation.sh
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/refresh-rotation
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
seconds=${REFRESH_SECONDS:-15}
for tool in pgbench psql /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "refresh-rotation: needs $tool (Debian: postgresql-client, time)" >&2; exit 2; }
done
trap 'psql -q -c "DROP SCHEMA IF EXISTS refresh_bench CASCADE" >/dev/null 2>&1 || true' EXIT
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
hz=$(getconf CLK_TCK)
for round in 1 2; do
  for variant in row-per-token row-per-family; do
    psql -q -v ON_ERROR_STOP=1 -f "$dir/setup.sql" >/dev/null
    before=$(busy)
    out=$( { /usr/bin/time -f "pgbench-cpu %U %S" pgbench -n -c 8 -j 1 -T "$seconds" -D gen=0 \
      -f "$dir/$variant.sql"; } 2>&1)
    after=$(busy)
    tps=$(awk '/^tps/ {print $3}' <<<"$out")
    own=$(awk '/pgbench-cpu/ {print $2 + $3}' <<<"$out")
    ms=$(echo "(($after - $before) / $hz - $own) * 1000 / ($tps * $seconds)" | bc -l)
    printf '%s round %d: %.0f transactions/s, %.3f ms of CPU each (pgbench excluded)\n' "$variant" "$round" "$tps" "$ms"
  done
done
psql -At -c "SELECT 'heap-only updates of the last run: ' || n_tup_hot_upd || ' of ' || n_tup_upd
  FROM pg_stat_user_tables WHERE schemaname = 'refresh_bench' AND relname = 'refresh_family'"
