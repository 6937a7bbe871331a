#!/usr/bin/env bash
# SM-crypto benchmark: the hub's SM2/SM3/SM4 and its ES256 signing (io.huitong.crypto over BouncyCastle, JMH, one
# thread) side by side with `openssl speed` for the same algorithms on the same machine in the same run, as a
# markdown table with the ratio Huitong / OpenSSL, and BouncyCastle's own SM2 and ES256 signers as the JVM peers.
#
#   perf/crypto.sh [JMH options]     e.g. perf/crypto.sh -wi 1 -i 1   for a quick smoke run
#
# Each algorithm's JMH run is followed at once by its OpenSSL run, one process at a time, so both sides of a
# ratio see the same machine load. OpenSSL runs with -elapsed (wall clock, like JMH; its default is CPU time).
# OpenSSL 3.0 has no SM4-GCM, so GCM is reported without a peer. About 5 minutes on 2 cores.
# Environment: OPENSSL_SECONDS (default 5) per OpenSSL measurement; OPENSSL (default: openssl on the PATH).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
openssl=${OPENSSL:-openssl}
seconds=${OPENSSL_SECONDS:-5}
sizes=(8192 16384)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

began=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== mvn package (perf and what it needs)" >&2
mvn -q -B -ntp -DskipTests package -pl perf -am >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

# jmh NAME REGEX: runs the benchmarks matching REGEX into $work/jmh-NAME.json.
jmh() {
  echo "== JMH $2" >&2
  java -jar perf/target/benchmarks.jar "$2" -rf json -rff "$work/jmh-$1.json" "${@:3}" >"$work/jmh-$1.log" ||
    { cat "$work/jmh-$1.log" >&2; return 1; }
}
# ossl NAME ARGS...: runs `openssl speed -mr -elapsed -seconds N ARGS` into $work/ossl-NAME.txt.
ossl() {
  local name=$1; shift
  echo "== openssl speed -elapsed -seconds $seconds $*" >&2
  "$openssl" speed -mr -elapsed -seconds "$seconds" "$@" >"$work/ossl-$name.txt" 2>"$work/ossl-$name.err" ||
    { cat "$work/ossl-$name.err" >&2; return 1; }
}

jmh sm2 '(BouncyCastle)?Sm2Benchmark' "$@"
ossl sm2 sm2
jmh sm3 'Sm3Benchmark' "$@"
for b in "${sizes[@]}"; do ossl "sm3-$b" -bytes "$b" -evp sm3; done
jmh sm4 'Sm4Benchmark\.(cbc|ctr)' "$@"
for m in cbc ctr; do
  for b in "${sizes[@]}"; do ossl "sm4-$m-$b" -bytes "$b" -evp "sm4-$m"; done
done
jmh gcm 'Sm4Benchmark\.gcm' "$@"
jmh es256 'Es256Benchmark' "$@"
ossl es256 ecdsap256
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Run of $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"')," \
  "$(basename perf/target/lib/bcprov-*.jar .jar), $("$openssl" version | cut -d' ' -f1-2);" \
  "load average $load_before before, $load_after after; $(($(date +%s) - began)) s in all."
echo
python3 - "$work" "${sizes[@]}" <<'EOF'
import glob, json, sys

work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]

# JMH: Class.method (and bytes param) -> (ops/s, 99.9% half-width).
jmh = {}
for path in glob.glob(f"{work}/jmh-*.json"):
    for r in json.load(open(path)):
        method = ".".join(r["benchmark"].split(".")[-2:])
        size = int((r.get("params") or {}).get("bytes", 0))
        error = r["primaryMetric"]["scoreError"]
        jmh[(method, size)] = (r["primaryMetric"]["score"], 0.0 if error == "NaN" else error)

# openssl speed -mr: '+F:<n>:<alg>:<bytes/s>' for one -bytes size, '+F7:<n>:256:CurveSM2:<sign/s>:<verify/s>' for SM2,
# '+F4:<n>:256:<sign/s>:<verify/s>' for ECDSA.
def ossl(name):
    for line in open(f"{work}/ossl-{name}.txt"):
        if line.startswith(("+F:", "+F7:", "+F4:")):
            fields = line.strip().split(":")
            return [float(fields[-1])] if line.startswith("+F:") else [float(fields[-2]), float(fields[-1])]
    sys.exit(f"no result line in openssl speed output for {name}")

rows = []
def row(alg, unit, ours, peer, scale=1.0):
    score, err = ours
    h = f"{score * scale:,.1f} ± {err * scale:,.1f}" if unit == "MB/s" else f"{score * scale:,.0f} ± {err * scale:,.0f}"
    if peer is None:
        rows.append((alg, unit, h, "n/a (no SM4-GCM in OpenSSL 3.0)", "n/a"))
    else:
        p = f"{peer:,.1f}" if unit == "MB/s" else f"{peer:,.0f}"
        rows.append((alg, unit, h, p, f"{score * scale / peer:.2f}"))

sign, verify = ossl("sm2")
row("SM2 sign (32-byte message)", "ops/s", jmh[("Sm2Benchmark.sign", 0)], sign)
row("SM2 verify (32-byte message)", "ops/s", jmh[("Sm2Benchmark.verify", 0)], verify)
bc = "BouncyCastle SM2Signer alone, the JVM peer"
row(f"SM2 sign ({bc})", "ops/s", jmh[("BouncyCastleSm2Benchmark.sign", 0)], sign)
row(f"SM2 verify ({bc})", "ops/s", jmh[("BouncyCastleSm2Benchmark.verify", 0)], verify)
for b in sizes:
    row(f"SM3, {b // 1024} KiB", "MB/s", jmh[("Sm3Benchmark.sm3", b)], ossl(f"sm3-{b}")[-1] / 1e6, b / 1e6)
for m in ("cbc", "ctr"):
    for b in sizes:
        row(f"SM4-{m.upper()} encrypt, {b // 1024} KiB", "MB/s", jmh[(f"Sm4Benchmark.{m}", b)], ossl(f"sm4-{m}-{b}")[-1] / 1e6, b / 1e6)
for b in sizes:
    row(f"SM4-GCM encrypt, {b // 1024} KiB", "MB/s", jmh[("Sm4Benchmark.gcm", b)], None, b / 1e6)
es256_sign = ossl("es256")[0]
row("ES256 sign (P-256, SSO tokens)", "ops/s", jmh[("Es256Benchmark.huitong", 0)], es256_sign)
row("ES256 sign (BouncyCastle ECDSASigner alone, the JVM peer)", "ops/s", jmh[("Es256Benchmark.bouncyCastle", 0)], es256_sign)

print("| Algorithm | Unit | Huitong (BC, JMH, ± 99.9% CI) | OpenSSL `speed` | Huitong / OpenSSL |")
print("|---|---|---:|---:|---:|")
for r in rows:
    print("| " + " | ".join(r) + " |")
print("\nMB = 10^6 bytes, as openssl speed counts; one thread on each side.")
for op in ("sign", "verify"):
    ours, peer = jmh[(f"Sm2Benchmark.{op}", 0)][0], jmh[(f"BouncyCastleSm2Benchmark.{op}", 0)][0]
    print(f"Huitong / BouncyCastle SM2 {op}: {ours / peer:.2f}")
print(f"Huitong / BouncyCastle ES256 sign: {jmh[('Es256Benchmark.huitong', 0)][0] / jmh[('Es256Benchmark.bouncyCastle', 0)][0]:.2f}")
EOF
