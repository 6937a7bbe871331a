#!/usr/bin/env bash
# Identity benchmark (issue #6): the password KDF's raw rate, login bursts against a 1,000,000-account dataset, and
# token requests side by side with Keycloak, in one run.
#
#   perf/identity.sh
#
# In order, on this machine:
#   1. the dataset: IDENTITY_ACCOUNTS (1000000) natural-person accounts loaded by `huitong-hub identity generate`
#      into a fresh hub data directory (embedded PostgreSQL), its load time printed; or the data directory of
#      IDENTITY_DATASET when it already holds that many (it is kept, and generated there when it does not), with
#      IDENTITY_PASSWORDS (1000) distinct passwords;
#   2. (a) the raw rate R of the password KDF at the hub's configured cost on every core (`huitong-hub identity
#      kdf-rate`, IDENTITY_KDF_SECONDS, default 20), with nothing else of this run running;
#   3. the hub (embedded defaults, that data directory) and Gatling (perf/src/test/java, io.huitong.perf.identity)
#      through gatling-maven-plugin. Gatling runs the bursts on C1 alone (IDENTITY_GATLING_JVM_ARGS, default
#      -XX:TieredStopAtLevel=1): at these rates its C1 code is idle most of the time, and with C2 Gatling took 0.17
#      to 0.28 of a core (half of it compiling) of the two the hub hashes on:
#      first a warm-up at 2 x R for IDENTITY_LOGIN_WARMUP s (60), so the JIT has compiled the login and overload
#      paths as on a hub that has been up all morning (at about 150 requests/s a method run once a request reaches
#      C2's thresholds after a minute; with 10 s, C2 still took 0.1 to 0.25 of a core during the bursts). Then
#      each burst runs between two measurements of R (the hub idle, IDENTITY_ROUND_KDF_SECONDS each, default 10),
#      at its multiple of the first, after IDENTITY_ROUND_WARMUP s (15) at R/2 while Gatling's own JVM starts. This
#      VM's speed drifts by a fifth between one 10-s measurement and the next (55 to 81 hashes/s within five minutes
#      of an otherwise idle machine), so a burst is set by, and judged against, the rate around it:
#      (b) an open-model login burst at 0.8 x R for IDENTITY_BURST s (10): p50, p99, errors;
#      (c) IDENTITY_ROUNDS (3) open-model bursts at 2 x R: goodput against the mean of the two measurements around
#      each, the share of 503s and how fast they came, p99 of admitted logins, and the median of the rounds;
#      for (b) and each round, the cores each part of the machine used during the burst (perf/cpu_shares.py: the
#      hub's hashing threads, its other threads, its PostgreSQL, Gatling, the rest), which is what the hashing
#      competes with;
#   4. Keycloak 26.7.3 (org.keycloak:keycloak-quarkus-dist from the Maven registry, run on the Temurin 25 JDK under
#      /usr/lib/jvm, production mode, dev-file database, admin credentials generated for the run; a realm, a
#      confidential client and a user created through its admin REST API), started once the bursts are over and
#      idle, as the hub is, while the other provider runs;
#   5. an unmeasured round 0 of IDENTITY_TOKEN_ROUND0 s (60) a run, so both providers' JITs have compiled their token
#      paths (Keycloak's, on a JIT that shares two busy cores, takes minutes), then IDENTITY_TOKEN_ROUNDS
#      (3) rounds of token runs, both providers up. Each round opens IDENTITY_TOKEN_USERS (64)
#      fresh sessions on each provider (Huitong: authorization code + PKCE through its sign-in form, one account
#      each; Keycloak: direct grants; a refresh grant rotates the token, so no round reuses another's), then runs
#      closed-model IDENTITY_TOKEN_USERS users calling back to back for IDENTITY_TOKEN_DURATION s (20) after
#      IDENTITY_TOKEN_WARMUP s (10), on one provider and right after on the other, the hub first in odd rounds and
#      Keycloak first in even ones: (d) introspections of the same access tokens (RFC 7662), on the hub its
#      verified-token cache (and, in round 1, userinfo with them on the hub); (e) refresh-token grants. The two
#      providers' runs of a kind follow each other, so each round's ratio is taken on nearly one machine state
#      (this VM's speed drifts by a third within minutes), and the median of the rounds is the figure. For each
#      round the summary also gives the CPU a request cost each provider (perf/cpu_shares.py cost), which moves
#      less with the machine's pace than requests a second do;
# and prints a summary with the ratios and the targets of issue #6. The hub's token parts need its OpenID Connect
# provider (/sso, issue #6 item 4): on a build without it they are skipped and the summary says so.
#
# Environment: the variables above; IDENTITY_KEYCLOAK=0 leaves Keycloak out; IDENTITY_SIGNING_ALG (ES256 or SM2SM3:
# how the hub signs the run's tokens; default the hub's default for a new client); IDENTITY_HUB_JAVA_OPTS (default -Xmx1g
# -XX:+ExitOnOutOfMemoryError); IDENTITY_GATLING_JVM_ARGS (the login bursts' extra Gatling JVM options, separated by
# commas, as gatling-maven-plugin's jvmArgs list takes them; empty: none); IDENTITY_LOGS (a directory that receives
# the logs, the CPU samples and each Gatling run's outcomes). Everything else it writes goes
# to a temporary directory, removed at the end, and perf/target/gatling (Gatling's reports). With the defaults about
# 22 minutes on 2 cores with the dataset reused; generating it adds 1 to 5 (password pool and load).
# Tiny check of the whole path: IDENTITY_ACCOUNTS=2000 IDENTITY_PASSWORDS=20 IDENTITY_BURST=2 IDENTITY_KDF_SECONDS=10
# IDENTITY_LOGIN_WARMUP=2 IDENTITY_ROUNDS=1 IDENTITY_ROUND_KDF_SECONDS=3 IDENTITY_ROUND_WARMUP=2 IDENTITY_TOKEN_USERS=4
# IDENTITY_TOKEN_DURATION=2 IDENTITY_TOKEN_WARMUP=1 IDENTITY_TOKEN_ROUNDS=2 IDENTITY_TOKEN_ROUND0=2 perf/identity.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
. perf/common.sh
accounts=${IDENTITY_ACCOUNTS:-1000000}
passwords=${IDENTITY_PASSWORDS:-1000}
burst=${IDENTITY_BURST:-10}
kdf_seconds=${IDENTITY_KDF_SECONDS:-20}
login_warmup=${IDENTITY_LOGIN_WARMUP:-60}
rounds=${IDENTITY_ROUNDS:-3}
round_kdf_seconds=${IDENTITY_ROUND_KDF_SECONDS:-10}
round_warmup=${IDENTITY_ROUND_WARMUP:-15}
gatling_burst_jvm_args=${IDENTITY_GATLING_JVM_ARGS--XX:TieredStopAtLevel=1}
token_users=${IDENTITY_TOKEN_USERS:-64}
token_duration=${IDENTITY_TOKEN_DURATION:-20}
token_warmup=${IDENTITY_TOKEN_WARMUP:-10}
token_rounds=${IDENTITY_TOKEN_ROUNDS:-3}
token_round0=${IDENTITY_TOKEN_ROUND0:-60}
with_keycloak=${IDENTITY_KEYCLOAK:-1}
signing_alg=${IDENTITY_SIGNING_ALG:-}
hub_java_opts=${IDENTITY_HUB_JAVA_OPTS:--Xmx1g -XX:+ExitOnOutOfMemoryError}
keycloak_version=26.7.3
keycloak_jdk=/usr/lib/jvm/temurin-25-jdk-amd64
for v in "$accounts" "$passwords" "$burst" "$kdf_seconds" "$rounds" "$round_kdf_seconds" "$token_users" \
  "$token_duration" "$token_rounds" "$token_round0"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "identity: IDENTITY_* counts and durations must be whole numbers" >&2; exit 2; }
done
[[ $login_warmup =~ ^[0-9]+$ && $round_warmup =~ ^[0-9]+$ && $token_warmup =~ ^[0-9]+$ ]] ||
  { echo "identity: IDENTITY_LOGIN_WARMUP, IDENTITY_ROUND_WARMUP and IDENTITY_TOKEN_WARMUP must be whole numbers" >&2
    exit 2; }
work=$(mktemp -d)
hub_pid="" kc_pid="" sampler_pid=""
data=${IDENTITY_DATASET:-$work/data}

cleanup() {
  keep_logs "${IDENTITY_LOGS:-}"
  stop_pid "$sampler_pid" "the CPU sampler"
  # And what the summary is computed from, so it can be computed again (perf/cpu_shares.py window, cost).
  [ -z "${IDENTITY_LOGS:-}" ] || cp "$work"/cpu.jsonl "$work"/*.json "$IDENTITY_LOGS"/ 2>/dev/null || true
  stop_pid "$hub_pid" "the hub"
  stop_leftover_postgres "$data"
  stop_pid "$kc_pid" Keycloak
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
json() { python3 -c 'import json, sys; v = json.load(sys.stdin)
for k in sys.argv[1:]: v = v.get(k, {}) if isinstance(v, dict) else {}
print(v if v != {} else "-")' "$@"; }

# --- the hub, and the dataset
echo "== building the hub (mvn package)" >&2
mvn -q -B -ntp -pl hub-core -am package -Dmaven.test.skip=true -Dfuzz.skip=true >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
copy_hub "$work"
hub_cli() { HUB_DATA_DIR=$data HUB_PG_EMBEDDED_PORT=$(free_port) java -jar "$work/hub/huitong-hub.jar" "$@"; }
mkdir -p "$data"
[ "$data" = "$work/data" ] || ln -s "$data" "$work/data"
credentials=$data/benchmark-credentials.csv
have=0
[ -f "$credentials" ] && have=$(($(wc -l <"$credentials") - 1))
if [ "$have" -ge "$accounts" ]; then
  dataset_line="reused $data: $have accounts generated earlier"
else
  [ "$have" -eq 0 ] || die "$data holds $have generated accounts, fewer than $accounts: give IDENTITY_DATASET a fresh directory"
  echo "== generating $accounts accounts (huitong-hub identity generate)" >&2
  hub_cli identity generate --accounts "$accounts" --passwords "$((passwords < accounts ? passwords : accounts))" \
    >"$work/generate.log" 2>&1 || die "identity generate failed"
  dataset_line=$(grep '^generated accounts' "$work/generate.log" | sed "s#$data#<data-dir>#g; s#postgresql://[^ ]*/huitong#the embedded PostgreSQL#")
  dataset_line+=" (load average $(cut -d' ' -f1-3 /proc/loadavg) after)"
fi
echo "   $dataset_line" >&2

# --- (a) the raw KDF rate, the machine otherwise as quiet as this run leaves it
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== (a) the password KDF on every core for $kdf_seconds s" >&2
# kdf_rate SECONDS: the line of `huitong-hub identity kdf-rate`; rate_in LINE: its hashes a second.
kdf_rate() { hub_cli identity kdf-rate --seconds "$1" 2>>"$work/kdf.log"; }
rate_in() {
  local rate
  rate=$(sed -n 's/^kdf-rate: \([0-9.]*\) hashes\/s.*/\1/p' <<<"$1")
  [ -n "$rate" ] || die "no rate in: $1"
  [ "$(echo "$rate > 0" | bc)" = 1 ] ||
    die "no hash finished within a KDF measurement: the machine is far too busy, or raise IDENTITY_KDF_SECONDS"
  echo "$rate"
}
kdf_line=$(kdf_rate "$kdf_seconds") || die "identity kdf-rate failed"
kdf_rate=$(rate_in "$kdf_line") || exit 1
echo "   $kdf_line" >&2

start_hub "$work" "$hub_java_opts"
hub=$hub_url
# Whose CPU the bursts' hashing competes with: sampled throughout, read for each burst's window (burst_run).
python3 perf/cpu_shares.py sample "$hub_pid" "$work/data" "$work/cpu.jsonl" &
sampler_pid=$!
token=$(cat "$data/operator-token")

# gatling NAME CLASS -D...: one Gatling run; its outcomes (Outcomes) in $work/NAME.json.
gatling() {
  local name=$1 class=$2 log=$work/gatling-$1.log
  shift 2
  echo "== $name (at $SECONDS s)" >&2
  mvn -q -B -ntp -pl exchange-protocols,perf integration-test -DskipTests -Dfuzz.skip=true \
    -Dgatling.simulationClass="io.huitong.perf.identity.$class" -Dgatling.runDescription="$name" "$@" >"$log" 2>&1 ||
    { tail -n 40 "$log" >&2; die "the Gatling run $name failed"; }
  [ -s "$work/$name.json" ] || { tail -n 40 "$log" >&2; die "the Gatling run $name left no outcomes"; }
}
# outcome NAME STATUS FIELD: count, p50, p99 or max of a run's answers of that status ("-" when none).
outcome() { json byStatus "$2" "$3" <"$work/$1.json"; }
per_second() {  # per_second COUNT SECONDS
  if [[ $1 =~ ^[0-9]+$ ]]; then echo "$1 / $2" | bc -l | xargs printf '%.1f'; else echo -; fi
}
scaled() { echo "$1 * $2" | bc -l | xargs printf '%.1f'; }  # scaled FACTOR RATE, to one place
burst_run() {  # burst_run NAME RATE SECONDS WARMUP_SECONDS WARMUP_RATE
  gatling "$1" LoginSimulation -Didentity.baseUrl="$hub" -Didentity.credentials="$credentials" -Didentity.rate="$2" \
    -Didentity.duration="$3" -Didentity.warmup="$4" -Didentity.warmupRate="$5" \
    -Didentity.summary="$work/$1.json" ${gatling_burst_jvm_args:+-Dgatling.jvmArgs="$gatling_burst_jvm_args"}
  python3 perf/cpu_shares.py window "$work/cpu.jsonl" "$(json firstMs <"$work/$1.json")" \
    "$(json lastMs <"$work/$1.json")" >"$work/$1.cpu"
}

# round_rate: R measured for round_kdf_seconds s, hashes a second.
round_rate() {
  local line
  line=$(kdf_rate "$round_kdf_seconds") || die "identity kdf-rate failed"
  rate_in "$line"
}
# bracketed NAME FACTOR: R, a burst at FACTOR x that R, R again; the two rates in NAME.rates.
bracketed() {
  local before after
  echo "== $1: R for $round_kdf_seconds s, a burst at $2 R, R again" >&2
  before=$(round_rate) || exit 1
  burst_run "$1" "$(scaled "$2" "$before")" "$burst" "$round_warmup" "$(scaled 0.5 "$before")"
  after=$(round_rate) || exit 1
  echo "$before $after" >"$work/$1.rates"
}

[ "$login_warmup" = 0 ] || burst_run login_warmup "$(scaled 2 "$kdf_rate")" "$login_warmup" 0 1
bracketed login_08 0.8
for round in $(seq "$rounds"); do
  bracketed "login_2x_$round" 2
done

# --- tokens: Huitong's OpenID Connect provider
cat >"$work/sessions.py" <<'EOF'
"""Sessions on an OpenID Connect provider: a header line, then "access_token,refresh_token" each, on stdout.

  sessions.py code BASE DISCOVERY CLIENT_ID SECRET REDIRECT CREDENTIALS N   authorization code + PKCE (RFC 7636)
      through the provider's sign-in form, for each of the first N accounts of CREDENTIALS (login,password)
  sessions.py password TOKEN_ENDPOINT CLIENT_ID SECRET USER PASSWORD N      N direct grants (RFC 6749 4.3)
"""
import base64, hashlib, html, http.cookiejar, json, re, secrets, sys, urllib.error, urllib.parse, urllib.request

def basic(client_id, secret):
    raw = urllib.parse.quote(client_id, safe="") + ":" + urllib.parse.quote(secret, safe="")
    return "Basic " + base64.b64encode(raw.encode()).decode()

def token(url, client_id, secret, form):
    req = urllib.request.Request(url, urllib.parse.urlencode(form).encode(), {"Authorization": basic(client_id, secret)})
    with urllib.request.urlopen(req, timeout=60) as r:
        t = json.load(r)
    print(t["access_token"] + "," + t["refresh_token"], flush=True)

class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

def code(base, discovery, client_id, secret, redirect, credentials, n):
    with urllib.request.urlopen(discovery, timeout=30) as r:
        d = json.load(r)
    # The provider's own paths, on the address this run reaches it at.
    at = lambda key: base + urllib.parse.urlparse(d[key]).path
    with open(credentials) as f:
        accounts = [l.strip().split(",", 1) for l in f.readlines()[1:n + 1]]
    for login, password in accounts:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), Stay())
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        query = urllib.parse.urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect,
            "scope": "openid", "state": secrets.token_urlsafe(8), "nonce": secrets.token_urlsafe(8),
            "code_challenge": challenge, "code_challenge_method": "S256"})
        page = browser.open(at("authorization_endpoint") + "?" + query, timeout=30).read().decode()
        form = {html.unescape(k): html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', page)}
        action = re.search(r'<form method="post" action="([^"]*)"', page)
        form.update(login=login, password=password)
        try:
            browser.open(base + html.unescape(action.group(1)), urllib.parse.urlencode(form).encode(), timeout=60)
            sys.exit("the sign-in form did not redirect for " + login)
        except urllib.error.HTTPError as e:
            if e.code not in (302, 303):
                sys.exit("sign-in answered %d for %s" % (e.code, login))
            location = e.headers["Location"]
        got = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
        token(at("token_endpoint"), client_id, secret, {"grant_type": "authorization_code", "code": got,
            "redirect_uri": redirect, "code_verifier": verifier})

print("access,refresh")
if sys.argv[1] == "code":
    code(*sys.argv[2:8], int(sys.argv[8]))
else:
    url, client_id, secret, user, password, n = sys.argv[2:8]
    for _ in range(int(n)):
        token(url, client_id, secret, {"grant_type": "password", "username": user, "password": password, "scope": "openid"})
EOF
# tokens NAME ENDPOINT MODE TOKENS CLIENT SECRET SECONDS: one TokenSimulation run, measured for SECONDS.
tokens() {
  gatling "$1" TokenSimulation -Dtoken.endpoint="$2" -Dtoken.mode="$3" -Dtoken.tokens="$4" -Dtoken.users="$token_users" \
    -Dtoken.clientId="$5" -Dtoken.clientSecret="$6" -Dtoken.duration="$7" -Dtoken.warmup="$token_warmup" \
    -Dtoken.summary="$work/$1.json"
}
hub_sso=0
discovery=$(curl -sf --max-time 10 "$hub/sso/.well-known/openid-configuration" || true)
redirect=http://127.0.0.1:9/callback
if [ -n "$discovery" ]; then
  hub_sso=1
  client=$(curl -sf --max-time 10 -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"name\": \"perf/identity.sh\", \"redirectUris\": [\"$redirect\"], \"scopes\": [\"openid\"]${signing_alg:+,
      \"signingAlg\": \"$signing_alg\"}}" \
    "$hub/api/v1/admin/sso/clients") || die "registering the hub's client failed"
  hub_client=$(json clientId <<<"$client")
  hub_secret=$(json clientSecret <<<"$client")
  path_of() { json "$1" <<<"$discovery" | python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.stdin.read().strip()).path)'; }
else
  echo "== the hub has no OpenID Connect provider (/sso): its token runs are skipped" >&2
fi

# --- Keycloak
kc=""
if [ "$with_keycloak" = 1 ]; then
  zip=$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$keycloak_version/keycloak-quarkus-dist-$keycloak_version.zip
  if [ ! -f "$zip" ]; then
    echo "== fetching Keycloak $keycloak_version (mvn dependency:get)" >&2
    mvn -q -B -ntp dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$keycloak_version:zip" -Dtransitive=false \
      >"$work/keycloak-fetch.log" 2>&1 || { cat "$work/keycloak-fetch.log" >&2; die "could not fetch Keycloak"; }
  fi
  [ -x "$keycloak_jdk/bin/java" ] || die "no Temurin 25 JDK at $keycloak_jdk for Keycloak"
  unzip -q "$zip" -d "$work"
  kc_port=$(free_port) kc_admin_password=$(openssl rand -hex 16)
  echo "== Keycloak $keycloak_version on port $kc_port (first start builds it: a minute or two)" >&2
  (
    export JAVA_HOME=$keycloak_jdk KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$kc_admin_password
    export JAVA_OPTS_KC_HEAP="-Xms256m -Xmx1g"
    exec "$work/keycloak-$keycloak_version/bin/kc.sh" start --http-enabled=true --http-host=127.0.0.1 \
      --http-port="$kc_port" --http-management-port="$(free_port)" --hostname-strict=false --db=dev-file \
      --cache=local >"$work/keycloak.log" 2>&1 </dev/null
  ) &
  kc_pid=$!
  kc=http://127.0.0.1:$kc_port
  began=$SECONDS
  wait_http "$kc/realms/master" Keycloak "$kc_pid" 600
  echo "   ready after $((SECONDS - began)) s" >&2
  admin_token=$(curl -sf --max-time 30 --data-urlencode grant_type=password --data-urlencode client_id=admin-cli \
    --data-urlencode username=admin --data-urlencode "password=$kc_admin_password" \
    "$kc/realms/master/protocol/openid-connect/token" | json access_token) || die "Keycloak's admin login failed"
  kc_admin() {  # kc_admin PATH JSON
    curl -sf --max-time 30 -X POST -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
      --data "$2" "$kc/admin$1" >/dev/null || die "Keycloak admin POST $1 failed"
  }
  kc_secret=$(openssl rand -hex 16) kc_password="Bench-$(openssl rand -hex 8)"
  # Token lifetimes longer than the run, so no token expires while it is measured.
  kc_admin /realms '{"realm": "bench", "enabled": true, "accessTokenLifespan": 3600, "ssoSessionIdleTimeout": 7200,
    "ssoSessionMaxLifespan": 36000}'
  # Keycloak 26 answers "active": false to a client outside the token's audience (its upgrading guide: "Token
  # introspection now validates audience claim"), so the client is put in its own tokens' audience, as a department
  # system that introspects would be.
  kc_admin /realms/bench/clients "{\"clientId\": \"bench\", \"secret\": \"$kc_secret\", \"publicClient\": false,
    \"directAccessGrantsEnabled\": true, \"standardFlowEnabled\": true, \"redirectUris\": [\"$redirect\"],
    \"protocolMappers\": [{\"name\": \"audience\", \"protocol\": \"openid-connect\",
      \"protocolMapper\": \"oidc-audience-mapper\", \"config\": {\"included.client.audience\": \"bench\",
      \"access.token.claim\": \"true\", \"introspection.token.claim\": \"true\"}}]}"
  kc_admin /realms/bench/users "{\"username\": \"bench\", \"enabled\": true, \"firstName\": \"Bench\",
    \"lastName\": \"User\", \"email\": \"bench@example.invalid\", \"emailVerified\": true,
    \"credentials\": [{\"type\": \"password\", \"value\": \"$kc_password\", \"temporary\": false}]}"
  kc_oidc=$kc/realms/bench/protocol/openid-connect
fi

# --- token rounds, both providers up: fresh sessions on each (a refresh grant rotates the refresh token, so a
# round cannot reuse the last one's), then each kind of run on one provider and right after on the other. The
# providers take turns at going first (hub, Keycloak; then Keycloak, hub), so a steady drift of this VM's speed
# across two rounds falls on both alike, and each ratio is taken within its round.
sessions() {  # sessions PROVIDER ROUND: IDENTITY_TOKEN_USERS sessions on it into PROVIDER-tokens-ROUND.txt
  echo "== round $2: $token_users sessions on $1" >&2
  if [ "$1" = hub ]; then
    python3 "$work/sessions.py" code "$hub" "$hub/sso/.well-known/openid-configuration" "$hub_client" "$hub_secret" \
      "$redirect" "$credentials" "$token_users" >"$work/hub-tokens-$2.txt" 2>"$work/sessions-hub.log" ||
      die "sessions on the hub failed: $(tail -n 3 "$work/sessions-hub.log")"
  else
    python3 "$work/sessions.py" password "$kc_oidc/token" bench "$kc_secret" bench "$kc_password" "$token_users" \
      >"$work/kc-tokens-$2.txt" 2>"$work/sessions-kc.log" || die "sessions on Keycloak failed: $(tail -n 3 "$work/sessions-kc.log")"
  fi
}
token_run() {  # token_run PROVIDER MODE ROUND: the run PROVIDER_MODE_ROUND with that round's sessions
  local tokens_file=$work/$1-tokens-$3.txt seconds=$token_duration
  [ "$3" != 0 ] || seconds=$token_round0
  if [ "$1" = hub ]; then
    local endpoint=token_endpoint client=$hub_client secret=$hub_secret
    case $2 in
      introspect) endpoint=introspection_endpoint ;;
      userinfo) endpoint=userinfo_endpoint client="" secret="" ;;
    esac
    tokens "hub_$2_$3" "$hub$(path_of "$endpoint")" "$2" "$tokens_file" "$client" "$secret" "$seconds"
  else
    tokens "kc_$2_$3" "$kc_oidc/token$([ "$2" = introspect ] && echo /introspect)" "$2" "$tokens_file" bench "$kc_secret" \
      "$seconds"
  fi
}
providers=()
[ "$hub_sso" = 0 ] || providers+=(hub)
[ -z "$kc" ] || providers+=(kc)
# Round 0 is the same runs, longer and unmeasured: both JITs compile their token paths first. Without it Keycloak's
# CPU a request fell from round 1 to round 2 in every run, which flattered the hub's first ratio. With a round 0 as
# long as the others (20 s), Keycloak's introspections still got faster from round to round, up to round 3
# (perf/RESULTS.md); so it lasts IDENTITY_TOKEN_ROUND0 s a run.
for round in $(seq 0 "$token_rounds"); do
  [ ${#providers[@]} -gt 0 ] || break
  order=("${providers[@]}")
  (( round % 2 )) || order=($(printf '%s\n' "${providers[@]}" | tac))
  for p in "${order[@]}"; do sessions "$p" "$round"; done
  for p in "${order[@]}"; do token_run "$p" introspect "$round"; done
  # userinfo has no Keycloak counterpart here: once, before the refresh grants replace the round's tokens.
  [ "$round" != 1 ] || [ "$hub_sso" = 0 ] || token_run hub userinfo 1
  for p in "${order[@]}"; do token_run "$p" refresh "$round"; done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- summary
row() {  # row LABEL NAME: requests a second that succeeded, p50/p99 of those, and what failed
  local label=$1 name=$2 ok window other
  if [ ! -f "$work/$name.json" ]; then echo "| $label | not run | | | | |"; return; fi
  window=$(json windowSeconds <"$work/$name.json")
  ok=$(outcome "$name" 200 count)
  other=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))["byStatus"]
print(", ".join("%s: %d" % (k if k not in ("0", "1") else {"0": "no answer", "1": "200 not as asked"}[k], v["count"])
                for k, v in s.items() if k != "200") or "none")' "$work/$name.json")
  echo "| $label | $(per_second "$ok" "$window") | $ok | $(outcome "$name" 200 p50) | $(outcome "$name" 200 p99) | $other |"
}
ratio() {  # ratio A B: A / B to two places, or -
  if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]] && [ "$(echo "$2 > 0" | bc)" = 1 ]; then
    echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'
  else echo -; fi
}
rate_of() {  # rate_of NAME: successful requests a second, or -
  [ -f "$work/$1.json" ] || { echo -; return; }
  per_second "$(outcome "$1" 200 count)" "$(json windowSeconds <"$work/$1.json")"
}
total() { json requests <"$work/$1.json"; }
hub_rate() { rate_of "hub_$1_$2"; }  # hub_rate MODE ROUND: the hub's successful requests a second in that run
ratio_of() { ratio "$(hub_rate "$1" "$2")" "$(rate_of "kc_$1_$2")"; }  # ratio_of MODE ROUND: hub / Keycloak
cost_of() {  # cost_of MODE ROUND: CPU a request of the hub's run and of Keycloak's, and the ratio
  if [ -f "$work/hub_$1_$2.json" ] && [ -f "$work/kc_$1_$2.json" ]; then
    python3 perf/cpu_shares.py cost "$work/cpu.jsonl" "$work/hub_$1_$2.json" "$work/kc_$1_$2.json"
  else echo -; fi
}
by_round() {  # by_round FUNCTION MODE: FUNCTION MODE ROUND for each round, a line each
  local round
  for round in $(seq "$token_rounds"); do echo "$("$1" "$2" "$round")"; done
}
in_rounds() { by_round "$@" | paste -sd';' | sed 's/;/; /g'; }  # in_rounds FUNCTION MODE: by_round on one line
per_round() {  # per_round FUNCTION MODE: "median M of N rounds (r1, r2, ...)" of FUNCTION MODE ROUND
  local values
  mapfile -t values < <(by_round "$1" "$2")
  python3 -c 'import statistics, sys; v = sys.argv[1:]; n = sorted((float(x), x) for x in v if x != "-")
m = "-" if not n else n[len(n) // 2][1] if len(n) % 2 else "%.2f" % statistics.median(x for x, _ in n)
print("median %s of %d rounds (%s)" % (m, len(n), ", ".join(v)))' "${values[@]}"
}
# rounds_2x: a line per 2 R round (goodput against the rate around it, 503s, admitted p99), then their median.
rounds_2x() {
  python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = []
for i in range(1, rounds + 1):
    s = json.load(open("%s/login_2x_%d.json" % (work, i)))
    before, after = (float(v) for v in open("%s/login_2x_%d.rates" % (work, i)).read().split())
    by = s["byStatus"]
    ok, refused = by.get("200", {}), by.get("503", {})
    goodput = ok.get("count", 0) / s["windowSeconds"]
    ratios.append(goodput / ((before + after) / 2))
    print("(c) round %d, %.1f/s for the R of %.1f before: goodput %.1f/s = %.2f of the mean R around it (%.1f after);"
          " 503s %.1f%% of %d, answered in p50 %s / p99 %s ms; admitted p99 %s ms"
          % (i, 2 * before, before, goodput, ratios[-1], after, 100.0 * refused.get("count", 0) / max(1, s["requests"]),
             s["requests"], refused.get("p50", "-"), refused.get("p99", "-"), ok.get("p99", "-")))
    print("    CPU in cores: " + open("%s/login_2x_%d.cpu" % (work, i)).read().strip())
print("(c) at 2 R: median goodput %.2f R over %d rounds (%s)   (target >= 0.9 R; admitted p99 <= 1000 ms)"
      % (statistics.median(ratios), rounds, ", ".join("%.2f" % r for r in ratios)))
PY
}
errors_08=$(( $(total login_08) - $(outcome login_08 200 count | sed 's/^-$/0/') ))
read -r before_08 after_08 <"$work/login_08.rates"
cat <<EOF

Identity benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -n 1)
hub $hub_build; Keycloak $([ -n "$kc" ] && echo "$keycloak_version ($("$keycloak_jdk/bin/java" -version 2>&1 | head -n 1), dev-file database)" || echo "not run")
load average $load_before before the KDF run, $load_after at the end; $SECONDS s in all
$login_warmup s of warm-up at 2 R, then (b) and $rounds rounds of (c), each between two ${round_kdf_seconds}-s KDF measurements and after $round_warmup s at R/2; Gatling's JVM options for them: ${gatling_burst_jvm_args:-its defaults}
dataset: $dataset_line

(a) raw KDF rate R: $kdf_line

| run | succeeded /s | succeeded | p50 ms | p99 ms | other answers |
| --- | ---: | ---: | ---: | ---: | --- |
$(row "(b) logins, open model, $(scaled 0.8 "$before_08")/s (0.8 R) for $burst s" login_08)
$(for round in $(seq "$rounds"); do
  row "(c) round $round: logins, open model, $(scaled 2 "$(cut -d' ' -f1 "$work/login_2x_$round.rates")")/s (2 R) for $burst s" "login_2x_$round"
done)
$(for round in $(seq "$token_rounds"); do
  row "(d) round $round: hub introspection, $token_users users" "hub_introspect_$round"
  row "(e) round $round: Keycloak introspection, $token_users users" "kc_introspect_$round"
  [ "$round" != 1 ] || row "(d) round 1: hub userinfo, $token_users users" hub_userinfo_1
  row "(e) round $round: hub refresh grants, $token_users users" "hub_refresh_$round"
  row "(e) round $round: Keycloak refresh grants, $token_users users" "kc_refresh_$round"
done)

(b) at 0.8 R for the R of $before_08 before ($after_08 after): p99 $(outcome login_08 200 p99) ms, $errors_08 not 200   (target: p99 <= 1000 ms, no errors)
    CPU in cores: $(cat "$work/login_08.cpu")
$(rounds_2x)
EOF
if [ "$hub_sso" = 1 ]; then
  echo "(d) token verifications with the cache: introspections a second, $(per_round hub_rate introspect); userinfo $(rate_of hub_userinfo_1)/s   (target >= 50000/s)"
  echo "(e) hub / Keycloak within each round: refresh grants $(per_round ratio_of refresh), introspections $(per_round ratio_of introspect)   (target >= 5)"
  echo "    CPU a request, hub (its process and PostgreSQL) / Keycloak (the rest of the machine but Gatling), by round:"
  echo "    refresh grants $(in_rounds cost_of refresh); introspections $(in_rounds cost_of introspect)"
else
  echo "(d), (e) hub: not run, this build has no OpenID Connect provider (/sso)"
fi
echo "seed floor: 5 authentications/s; login within 2 s"
