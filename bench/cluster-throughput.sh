#!/usr/bin/env bash
# Cluster throughput benchmark: what scaling out buys on one machine. In one run, interleaved:
#   single   ONE instance on SQLite (the embedded default), in-process rate limiting;
#   cluster  INSTANCES (2) instances on PostgreSQL + Redis behind nginx (scripts/cluster start),
#            rate-limit counters in Redis;
# each taking authenticated GET /api/v1/me and GET /api/v1/time-entries?limit=50 (a workspace of
# ENTRIES time entries) with a Studio token. Rate limits are on with budgets too large to refuse, so
# every request still spends from its buckets (in Redis, for the cluster). Reports req/s and latency
# p50 of each under load and on one connection, the ratio cluster/single, and Redis script calls per
# request of the cluster (1: the counters really went through Redis). See bench/README.md.
#
# Needs root (scripts/cluster), the services (scripts/services start, or another checkout's on the
# same ports) and the cluster ports 58080.. free; a cluster of this checkout must not be running
# (this starts its own, with the raised budgets, on a database of its own, and stops it at the end).
#
# Environment (all optional):
#   INSTANCES=2          cluster instances
#   ENTRIES=200          time entries seeded in each workspace (the list returns the newest 50)
#   DURATION=10s         each measured wrk run under load (-t THREADS -c CONNECTIONS, 2 and 32)
#   SERIAL_DURATION=5s   each one-connection run (SERIAL=0 skips them)
#   WARMUP=5s            one warm-up run per target and endpoint (not measured)
#   ROUNDS=3             measured rounds; each figure is the median over the rounds
#   WRK_TIMEOUT=5s       wrk --timeout
#   LIMIT=100000000      a Studio token's burst and sustained limit (per 10 s and per 60 s)
#   PORT=58150           first loopback port to try for the single instance
#   SKIP_BUILD=0         SKIP_BUILD=1 reuses the cluster's published app (HOURSMITH_CLUSTER_BUILD=0)
#   STARTUP_TIMEOUT=60   seconds to wait for the single instance's /health
#   KEEP_TMP=0           KEEP_TMP=1 keeps the temp dir (SQLite database, logs, wrk output)
set -euo pipefail

INSTANCES="${INSTANCES:-2}"
ENTRIES="${ENTRIES:-200}"
DURATION="${DURATION:-10s}"
SERIAL_DURATION="${SERIAL_DURATION:-5s}"
SERIAL="${SERIAL:-1}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_TIMEOUT="${WRK_TIMEOUT:-5s}"
LIMIT="${LIMIT:-100000000}"
PORT="${PORT:-58150}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER="$REPO_ROOT/scripts/cluster"
DLL="$REPO_ROOT/.data/cluster/app/Hoursmith.Api.dll"
LUA="$REPO_ROOT/bench/ratelimit-summary.lua"
PROXY="http://$HOST:58080"
REDIS_PORT=56379
DATABASE="hoursmith_bench_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $EUID -eq 0 ]] || die "run as root (scripts/cluster starts nginx and the instances)"
{ [[ "$LIMIT" =~ ^[0-9]+$ ]] && ((LIMIT >= 1 && LIMIT <= 100000000)); } || die "LIMIT must be 1..100000000"
if bash "$CLUSTER" status 2>/dev/null; then
    die "a cluster of this checkout is running; stop it first (scripts/cluster stop): this starts its own"
fi

drop_database() {
    PGPASSWORD="${HOURSMITH_POSTGRES_PASSWORD:-hoursmith-local}" /usr/lib/postgresql/15/bin/psql -X -q -h "$HOST" -p 55432 \
        -U hoursmith -d postgres -c "DROP DATABASE IF EXISTS \"$DATABASE\" WITH (FORCE)"
}

TMP_DIR=""
SINGLE_PID=""
CLUSTER_STARTED=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$SINGLE_PID" ]] && kill -0 "$SINGLE_PID" 2>/dev/null; then
        kill -TERM "$SINGLE_PID" 2>/dev/null || true
        wait "$SINGLE_PID" 2>/dev/null || true
    fi
    if [[ "$CLUSTER_STARTED" == 1 ]]; then
        bash "$CLUSTER" stop 2>/dev/null || log "scripts/cluster stop failed"
        drop_database || log "could not drop database $DATABASE"
    fi
    if [[ $rc -ne 0 && -n "$TMP_DIR" && -s "$TMP_DIR/single.log" ]]; then
        log "last lines of the single instance's log:"
        tail -n 5 "$TMP_DIR/single.log" | cut -c1-300 >&2 || true
    fi
    remove_tmp_dir
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------
require_tools jq curl dotnet awk sort uuidgen ss
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"

# --- the settings both targets share ---------------------------------------------------------
# Nothing from the caller's environment: the two targets differ only where this script says.
while read -r var; do
    unset "$var"
done < <(compgen -e | grep -iE '^(Database|ConnectionStrings|Redis|Hoursmith|RateLimits|Idempotency|Logging)__' || true)
export RateLimits__Enabled=true
export RateLimits__Studio__Burst__Limit="$LIMIT" RateLimits__Studio__Burst__Period=00:00:10
export RateLimits__Studio__Sustained__Limit="$LIMIT" RateLimits__Studio__Sustained__Period=00:01:00
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- the cluster (it publishes the app the single instance runs too) --------------------------
log "starting the cluster: $INSTANCES instances on PostgreSQL (database $DATABASE) and Redis behind nginx"
CLUSTER_STARTED=1
build=1
[[ "$SKIP_BUILD" == 1 ]] && build=0
HOURSMITH_CLUSTER_DATABASE="$DATABASE" HOURSMITH_CLUSTER_BUILD="$build" \
    bash "$CLUSTER" start "$INSTANCES" 2>"$TMP_DIR/cluster.log" || { cat "$TMP_DIR/cluster.log" >&2; die "scripts/cluster start failed"; }
CLUSTER_ENV="$(bash "$CLUSTER" env)"

# --- the single instance on SQLite -------------------------------------------------------------
single_port="$(free_port "$PORT")" || die "no free port near $PORT"
SINGLE="http://$HOST:$single_port"
SINGLE_ENV=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Database__Provider=sqlite
    "ConnectionStrings__Hoursmith=Data Source=$TMP_DIR/single.db" Hoursmith__RequireHttps=false Hoursmith__SeedDemo=false)
log "starting the single instance on $SINGLE (SQLite, in-process rate limiting)"
(cd "$TMP_DIR" && exec env "${SINGLE_ENV[@]}" dotnet "$DLL" serve --urls "$SINGLE") >"$TMP_DIR/single.log" 2>&1 &
SINGLE_PID=$!
deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$SINGLE/health" || true)" == 200 ]]; do
    kill -0 "$SINGLE_PID" 2>/dev/null || die "the single instance exited during start-up"
    ((SECONDS < deadline)) || die "the single instance did not answer /health within ${STARTUP_TIMEOUT}s"
    sleep 0.5
done

# cli TARGET ARGS...: the CLI on TARGET's database (the same executable for both).
cli() {
    local target=$1
    shift
    if [[ "$target" == single ]]; then
        (cd "$TMP_DIR" && exec env "${SINGLE_ENV[@]}" dotnet "$DLL" "$@") 2>>"$TMP_DIR/cli.err"
    else
        (eval "$CLUSTER_ENV" && cd "$TMP_DIR" && exec dotnet "$DLL" "$@") 2>>"$TMP_DIR/cli.err"
    fi
}

# --- workspaces, tokens and data ---------------------------------------------------------------
declare -A BASE=([single]="$SINGLE" [cluster]="$PROXY") TOKEN=()
post() { # post TARGET PATH JSON: prints the created resource's id
    local body
    body="$(curl -s -f --max-time 10 -H "Authorization: Bearer ${TOKEN[$1]}" -H "Idempotency-Key: $(uuidgen)" \
        -H 'Content-Type: application/json' -d "$3" "${BASE[$1]}$2")" || die "POST $2 failed on $1"
    jq -er '.data.id' <<<"$body"
}
for target in single cluster; do
    created="$(cli "$target" workspaces create --name "Bench $target" --plan studio --owner-email "bench-$target@example.com")" \
        || { cat "$TMP_DIR/cli.err" >&2; die "workspaces create failed ($target)"; }
    minted="$(cli "$target" tokens mint --workspace "$(jq -r .workspaceId <<<"$created")" --member "$(jq -r .ownerMemberId <<<"$created")" --name bench)" \
        || { cat "$TMP_DIR/cli.err" >&2; die "tokens mint failed ($target)"; }
    TOKEN[$target]="$(jq -er .token <<<"$minted")"
    log "seeding $ENTRIES time entries on $target (through its API)"
    client_id="$(post "$target" /api/v1/clients '{"name":"Bench client"}')"
    project_id="$(post "$target" /api/v1/projects "{\"clientId\":\"$client_id\",\"name\":\"Bench project\",\"rateType\":\"HOURLY\"}")"
    for i in $(seq 1 "$ENTRIES"); do
        day=$(printf '2026-%02d-%02d' $((i % 12 + 1)) $((i % 28 + 1)))
        post "$target" /api/v1/time-entries "{\"projectId\":\"$project_id\",\"entryDate\":\"$day\",\"durationSeconds\":$((900 * (i % 8 + 1))),\"note\":\"Bench entry $i\"}" >/dev/null
    done
done

# Both answer, with the raised budget in their headers and 50 entries in a list page.
for target in single cluster; do
    headers="$(curl -s -D - -o /dev/null -H "Authorization: Bearer ${TOKEN[$target]}" "${BASE[$target]}/api/v1/me")"
    grep -qi "^x-ratelimit-limit: $LIMIT" <<<"$headers" || { echo "$headers" >&2; die "$target: /me did not answer 200 with X-RateLimit-Limit: $LIMIT"; }
    count="$(curl -s -H "Authorization: Bearer ${TOKEN[$target]}" "${BASE[$target]}/api/v1/time-entries?limit=50" | jq '.data | length')"
    [[ "$count" == 50 ]] || die "$target: the time-entries list returned $count entries, expected 50"
done
log "checks passed: both answer /me with X-RateLimit-Limit: $LIMIT and list 50 of $ENTRIES time entries"

# --- wrk ---------------------------------------------------------------------------------------
declare -A PATH_OF=([me]=/api/v1/me [list]="/api/v1/time-entries?limit=50")
result() { awk -v k="$2" '$1 == "RESULT" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
# Lua script calls Redis has run so far (EVAL and EVALSHA): the rate limiter makes one per request.
redis_script_calls() {
    (exec 3<>"/dev/tcp/$HOST/$REDIS_PORT" && printf 'INFO commandstats\r\nQUIT\r\n' >&3 && timeout 2 cat <&3) 2>/dev/null |
        awk -F'[:=,]' '/^cmdstat_eval(sha)?:/ { n += $3 } END { print n + 0 }' || true
}

# Where the CPU goes: user + system time of each component's processes over a run, per request.
# postgres counts only the backends of the cluster's database; redis the whole server on its port.
CLK_TCK="$(getconf CLK_TCK)"
REDIS_PID="$(ss -Hltnp "sport = :$REDIS_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)"
declare -A COMPONENTS=([single]="api" [cluster]="api postgres redis nginx")
component_pids() { # component_pids TARGET COMPONENT
    local master
    case "$1/$2" in
        single/api) echo "$SINGLE_PID" ;;
        cluster/api) cat "$REPO_ROOT"/.data/cluster/instances/*.pid ;;
        cluster/postgres) pgrep -f "^postgres: hoursmith $DATABASE " || true ;;
        cluster/redis) echo "$REDIS_PID" ;;
        cluster/nginx) master="$(<"$REPO_ROOT/.data/cluster/nginx/nginx.pid")" && echo "$master" && { pgrep -P "$master" || true; } ;;
    esac
}
cpu_sample() { # cpu_sample TARGET FILE: one "component pid ticks" line per process
    local component pid
    for component in ${COMPONENTS[$1]}; do
        for pid in $(component_pids "$1" "$component"); do
            [[ -r "/proc/$pid/stat" ]] && echo "$component $pid $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")"
        done
    done >"$2"
}
cpu_per_request() { # cpu_per_request BEFORE AFTER REQUESTS: "component microseconds" lines
    awk -v n="$3" -v hz="$CLK_TCK" 'NR == FNR { before[$2] = $3; next }
        { d[$1] += $3 - ($2 in before ? before[$2] : 0) }
        END { for (c in d) printf "%s %.0f\n", c, d[c] * 1e6 / hz / n }' "$1" "$2"
}

# run_wrk TARGET ENDPOINT THREADS CONNECTIONS DURATION TAG: prints "rps p50_us requests".
run_wrk() {
    local target=$1 endpoint=$2 out="$TMP_DIR/$6.txt"
    wrk -t "$3" -c "$4" -d "$5" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" \
        -H "Authorization: Bearer ${TOKEN[$target]}" "${BASE[$target]}${PATH_OF[$endpoint]}" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed ($6)"; }
    grep -q '^RESULT ' "$out" || { cat "$out" >&2; die "no RESULT line from wrk ($6)"; }
    [[ "$(result "$out" non2xx)" == 0 ]] || { cat "$out" >&2; die "$6: responses that were not 2xx (a 429: budgets too small)"; }
    local errors=$(($(result "$out" socket_errors) + $(result "$out" timeouts)))
    ((errors == 0)) || log "$6: $errors socket errors or timeouts"
    echo "$(result "$out" rps) $(result "$out" p50_us) $(result "$out" requests)"
}

SCENARIOS=()
for endpoint in me list; do
    for target in single cluster; do
        SCENARIOS+=("$target $endpoint $THREADS $CONNECTIONS $DURATION")
        [[ "$SERIAL" == 1 ]] && SCENARIOS+=("$target $endpoint 1 1 $SERIAL_DURATION")
    done
done

log "warming up ($WARMUP per target and endpoint)"
for endpoint in me list; do
    for target in single cluster; do
        run_wrk "$target" "$endpoint" "$THREADS" "$CONNECTIONS" "$WARMUP" "warmup-$target-$endpoint" >/dev/null
    done
done

declare -A RPS=() P50=() REDIS_PER_REQUEST=() CPU=()
for round in $(seq 1 "$ROUNDS"); do
    for scenario in "${SCENARIOS[@]}"; do
        read -r target endpoint threads connections duration <<<"$scenario"
        key="$target $endpoint -c$connections"
        before="$(redis_script_calls)"
        cpu_sample "$target" "$TMP_DIR/cpu-before"
        read -r rps p50 requests <<<"$(run_wrk "$target" "$endpoint" "$threads" "$connections" "$duration" "round$round-$target-$endpoint-c$connections")"
        after="$(redis_script_calls)"
        cpu_sample "$target" "$TMP_DIR/cpu-after"
        while read -r component us; do
            CPU[$key/$component]+="$us "
        done < <(cpu_per_request "$TMP_DIR/cpu-before" "$TMP_DIR/cpu-after" "$requests")
        log "round $round/$ROUNDS: $key: $rps req/s, p50 $p50 us"
        RPS[$key]+="$rps "
        P50[$key]+="$p50 "
        if [[ "$target" == cluster && -n "$before" && -n "$after" ]]; then
            REDIS_PER_REQUEST[$key]+="$(awk -v d=$((after - before)) -v n="$requests" 'BEGIN { printf "%.2f", d / n }') "
        fi
    done
done

# --- report ------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6g", m }'; }
echo
echo "Hoursmith cluster throughput ($(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores shared by everything below, $ROUNDS interleaved rounds)"
echo "single: 1 instance, SQLite, in-process rate limits; cluster: $INSTANCES instances, PostgreSQL + Redis, behind nginx"
echo "Studio token, rate limits on (burst and sustained limit $LIMIT: nothing refused); list = GET /api/v1/time-entries?limit=50 of $ENTRIES"
printf '%-6s %-6s %-16s %10s %9s %10s %9s %14s\n' endpoint wrk "" 'single r/s' 'p50 us' 'cluster r/s' 'p50 us' 'cluster/single'
for endpoint in me list; do
    for connections in "$CONNECTIONS" 1; do
        [[ "$connections" == 1 && "$SERIAL" != 1 ]] && continue
        threads=$THREADS
        [[ "$connections" == 1 ]] && threads=1
        s="single $endpoint -c$connections" c="cluster $endpoint -c$connections"
        # shellcheck disable=SC2086
        read -r srps sp50 crps cp50 <<<"$(median ${RPS[$s]}) $(median ${P50[$s]}) $(median ${RPS[$c]}) $(median ${P50[$c]})"
        printf '%-6s %-6s %-16s %10.0f %9.0f %10.0f %9.0f %14.2f\n' "$endpoint" "-t$threads" "-c$connections" \
            "$srps" "$sp50" "$crps" "$cp50" "$(awk -v a="$crps" -v b="$srps" 'BEGIN { print a / b }')"
        echo "       per round: single ${RPS[$s]% }; cluster ${RPS[$c]% }; Redis script calls per cluster request ${REDIS_PER_REQUEST[$c]:-?}"
        printf '       CPU us per request: single api %s; cluster' "$(median ${CPU[$s/api]})"
        total=0
        for component in ${COMPONENTS[cluster]}; do
            # shellcheck disable=SC2086
            us="$(median ${CPU[$c/$component]:-0})"
            total=$(awk -v a="$total" -v b="$us" 'BEGIN { print a + b }')
            printf ' %s %s' "$component" "$us"
        done
        printf ' (total %s)\n' "$total"
    done
done
echo "(medians over the rounds; p50 from wrk --latency; CPU: user + system time of each component's processes (postgres: the"
echo " backends of the cluster's database) per request; Redis script calls and CPU are the whole Redis server's, so other users of it add to them)"
echo "load average: $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
