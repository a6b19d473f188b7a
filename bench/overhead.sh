#!/usr/bin/env bash
# Pipeline overhead against the floor: in one run on one machine, a bare ASP.NET Core route
# (bench/Hoursmith.Bench "bare": CreateSlimBuilder, no logging, GET /bare answering a small JSON
# object) beside two API servers on fresh SQLite databases in Production settings with the request
# log on: "on" (everything as shipped, rate limits aside) and "off" (Idempotency__Enabled=false).
# Interleaved rounds of wrk runs: bare /bare, /health and an authenticated /api/v1/me on "on", and
# POST /api/v1/clients with a new Idempotency-Key per request on "on" and on "off", under load and
# on one connection. Reports per round req/s, p50/p99 and the server's CPU time per request, then
# the ratios of the per-round figures (mean and range over the rounds) against their targets.
# See bench/README.md.
#
# Environment (all optional):
#   PORT=58170          first loopback port to try for the three servers (the next free ones are taken)
#   DURATION=5s         length of each measured wrk run
#   WARMUP=5s           length of the warm-up run of each scenario (not measured)
#   SETTLE_MAX=20       at most this many seconds to wait after the warm-up for the servers' CPU
#                       to come to rest (the API's tiered JIT recompiles hot methods meanwhile)
#   THREADS=1           wrk threads (every run)
#   CONNECTIONS=16      wrk connections under load (the POSTs also run on 1 connection)
#   WRK_TIMEOUT=10s     wrk --timeout; wrk leaves slower requests out of the latency figures
#   ROUNDS=3            measured rounds
#   MIN_ME=0.40         target for /me ÷ bare (req/s)
#   MIN_HEALTH=0.60     target for /health ÷ bare (req/s)
#   MIN_POST=0.85       target for keyed POST on ÷ off (req/s), under load and on one connection
#   ENFORCE=0           ENFORCE=1 exits 1 when a mean ratio misses its target
#   SKIP_BUILD=0        SKIP_BUILD=1 uses the existing Release builds
#   STARTUP_TIMEOUT=60  seconds to wait for a server to answer after starting it
#   KEEP_TMP=0          KEEP_TMP=1 keeps the temp dir (databases, server logs, wrk output)
set -euo pipefail

PORT="${PORT:-58170}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
SETTLE_MAX="${SETTLE_MAX:-20}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-16}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
ROUNDS="${ROUNDS:-3}"
MIN_ME="${MIN_ME:-0.40}"
MIN_HEALTH="${MIN_HEALTH:-0.60}"
MIN_POST="${MIN_POST:-0.85}"
ENFORCE="${ENFORCE:-0}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GET_LUA="$REPO_ROOT/bench/ratelimit-summary.lua"
POST_LUA="$REPO_ROOT/bench/idempotency-post.lua"
BODY='{"name":"Bench client","email":"bench@example.com"}'

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR=""
TARGET_MISSED=0
# The servers, by name: "bare" (the floor), "on" (the API as shipped) and "off" (the API with
# Idempotency__Enabled=false).
SERVERS=(bare on off)
declare -A SERVER_PID=() SERVER_LOG=() SERVER_BASE=() SERVER_TOKEN=()

cleanup() {
    local rc=$? name
    trap - EXIT INT TERM
    for name in "${SERVERS[@]}"; do
        stop_pid "the $name server" "${SERVER_PID[$name]:-}" || true
    done
    if [[ $rc -ne 0 && "$TARGET_MISSED" != 1 ]]; then
        for name in on off; do
            show_server_log "the $name server" "${SERVER_LOG[$name]:-}"
        done
        [[ -s "${SERVER_LOG[bare]:-}" ]] && { log "bare server output:"; tail -n 20 "${SERVER_LOG[bare]}" >&2; }
    fi
    remove_tmp_dir
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools and builds ------------------------------------------------------------------------
require_tools jq curl dotnet awk
[[ -f "$GET_LUA" && -f "$POST_LUA" ]] || die "$GET_LUA or $POST_LUA not found"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"
LOAD_START="$(uptime)"

build_and_copy src/Hoursmith.Api Hoursmith.Api api
build_and_copy bench/Hoursmith.Bench Hoursmith.Bench bare
API_DIR="$TMP_DIR/api"
BARE_DIR="$TMP_DIR/bare"

# --- servers ---------------------------------------------------------------------------------
export_api_defaults
unset ConnectionStrings__Hoursmith Idempotency__Enabled

port="$PORT"
for name in "${SERVERS[@]}"; do
    port="$(free_port "$port")" || die "no free port found near $port"
    SERVER_BASE[$name]="http://$HOST:$port"
    SERVER_LOG[$name]="$TMP_DIR/server-$name.log"
    port=$((port + 1))
done
# server_env NAME: what differs between the API servers (and their CLI calls).
server_env() {
    printf '%s\n' "ConnectionStrings__Hoursmith=Data Source=$TMP_DIR/$1.db"
    [[ "$1" == off ]] && printf '%s\n' "Idempotency__Enabled=false"
    return 0
}

log "starting the bare server on ${SERVER_BASE[bare]}"
(cd "$BARE_DIR" && exec dotnet "$BARE_DIR/Hoursmith.Bench.dll" bare --urls "${SERVER_BASE[bare]}") >"${SERVER_LOG[bare]}" 2>&1 &
SERVER_PID[bare]=$!
for name in on off; do
    log "starting the $name server on ${SERVER_BASE[$name]} (log: ${SERVER_LOG[$name]})"
    mapfile -t vars < <(server_env "$name")
    start_api_server "$API_DIR" "${SERVER_BASE[$name]}" "${SERVER_LOG[$name]}" "${vars[@]}"
    SERVER_PID[$name]=$STARTED_PID
done
wait_healthy "the bare server" "${SERVER_BASE[bare]}/bare" "${SERVER_PID[bare]}"
for name in on off; do
    wait_healthy "the $name server" "${SERVER_BASE[$name]}/health" "${SERVER_PID[$name]}"
    mapfile -t vars < <(server_env "$name")
    SERVER_TOKEN[$name]="$(mint_owner_token "$API_DIR" "bench-$name" studio "${vars[@]}")"
done

# --- one check per endpoint ------------------------------------------------------------------
# check WHAT WANTED CURL-ARGS...: one request; dies unless its status is WANTED. The body is
# left in TMP_DIR/check.json.
check() {
    local what=$1 wanted=$2 out="$TMP_DIR/check.json" status
    shift 2
    status="$(curl -s -o "$out" -w '%{http_code}' --max-time 10 "$@" || true)"
    [[ "$status" == "$wanted" ]] || { cat "$out" >&2 2>/dev/null || true; echo >&2; die "$what: got $status, expected $wanted"; }
}
post_args() { # post_args NAME [KEY]: curl arguments for a POST /api/v1/clients on NAME
    printf '%s\n' -X POST -H "Authorization: Bearer ${SERVER_TOKEN[$1]}" -H 'Content-Type: application/json' --data "$BODY"
    [[ -n "${2:-}" ]] && printf '%s\n' -H "Idempotency-Key: $2"
    printf '%s\n' "${SERVER_BASE[$1]}/api/v1/clients"
}
check "bare GET /bare" 200 "${SERVER_BASE[bare]}/bare"
jq -e '.status == "ok"' "$TMP_DIR/check.json" >/dev/null || die "GET /bare did not answer its JSON object"
check "on GET /health" 200 "${SERVER_BASE[on]}/health"
check "on GET /api/v1/me" 200 -H "Authorization: Bearer ${SERVER_TOKEN[on]}" "${SERVER_BASE[on]}/api/v1/me"
for name in on off; do
    mapfile -t args < <(post_args "$name" "bench-check-$name-$$")
    check "$name POST with a new key" 201 "${args[@]}"
done
# The switch really switches: a POST without a key is refused by "on" only.
mapfile -t args < <(post_args on)
check "on POST without a key" 422 "${args[@]}"
mapfile -t args < <(post_args off)
check "off POST without a key" 201 "${args[@]}"
log "checks passed: /bare, /health and /me answer 200; a keyed POST answers 201 on both; only on requires a key"

# --- wrk -------------------------------------------------------------------------------------
# Scenarios: SERVER CONNECTIONS KIND (get PATH | post).
declare -A SCENARIO=(
    [bare]="bare $CONNECTIONS get /bare"
    [health]="on $CONNECTIONS get /health"
    [me]="on $CONNECTIONS get /api/v1/me"
    [post-on]="on $CONNECTIONS post"
    [post-off]="off $CONNECTIONS post"
    [post-on-1c]="on 1 post"
    [post-off-1c]="off 1 post"
)
result() { awk -v k="$2" '$1 == "RESULT" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
CLK_TCK="$(getconf CLK_TCK)"

# run_wrk SCENARIO DURATION TAG: one wrk run, every response checked; prints
# "rps p50_ms p99_ms cpu_us_per_request" (CPU: the server's user + system time over the run).
run_wrk() {
    local scenario=$1 duration=$2 tag=$3 out="$TMP_DIR/$3.txt" server connections kind path
    read -r server connections kind path <<<"${SCENARIO[$scenario]}"
    local pid=${SERVER_PID[$server]}
    local -a args=(-t "$THREADS" -c "$connections" -d "$duration" --timeout "$WRK_TIMEOUT" --latency)
    [[ "$server" != bare ]] && args+=(-H "Authorization: Bearer ${SERVER_TOKEN[$server]}")
    if [[ "$kind" == get ]]; then
        args+=(-s "$GET_LUA" "${SERVER_BASE[$server]}$path")
    else
        args+=(-s "$POST_LUA" "${SERVER_BASE[$server]}/api/v1/clients" -- fresh "$tag" "$BODY")
    fi
    local before after
    before="$(cpu_ticks "$pid")" || die "the $server server is gone"
    wrk "${args[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $scenario"; }
    kill -0 "$pid" 2>/dev/null || die "the $server server died during the $scenario run"
    after="$(cpu_ticks "$pid")"
    grep -q '^RESULT ' "$out" || { cat "$out" >&2; die "no RESULT line in the wrk output for $scenario"; }
    local requests bad
    requests="$(result "$out" requests)"
    if [[ "$kind" == get ]]; then
        bad="$(result "$out" non2xx)"
    else
        # A fresh key per request: every response must be a 201 that is not a replay.
        bad=$(($(result "$out" other) + $(result "$out" replayed)))
    fi
    if grep -q 'Non-2xx or 3xx responses:' "$out"; then bad=$((bad + $(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out"))); fi
    ((bad == 0)) || { cat "$out" >&2; die "$scenario: $bad responses were not the expected 2xx"; }
    if ((requests == 0)); then
        # A short warm-up of a cold POST path may see no request finish: it still warmed it.
        [[ "$tag" == warmup-* ]] && { echo "0 0 0 0"; return 0; }
        die "$scenario: no request completed"
    fi
    local errors=$(($(result "$out" socket_errors) + $(result "$out" timeouts)))
    ((errors == 0)) || log "$scenario: wrk saw $errors socket errors or timeouts (over $WRK_TIMEOUT: not in the latency figures)"
    awk -v r="$(result "$out" rps)" -v p50="$(result "$out" p50_us)" -v p99="$(result "$out" p99_us)" \
        -v ticks=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { printf "%.1f %.2f %.2f %.1f\n", r, p50 / 1000, p99 / 1000, ticks * 1e6 / hz / n }'
}

ORDER=(bare health me post-on post-off post-on-1c post-off-1c)
log "warming up ($WARMUP per scenario under load)"
for scenario in bare health me post-on post-off; do
    run_wrk "$scenario" "$WARMUP" "warmup-$scenario" >/dev/null
done

# Settle: after the warm-up the API servers' tiered JIT recompiles the hot methods on a background
# thread for a few seconds (the bare app runs with TieredCompilation=false); a run would be charged
# for it. Wait, in 1 s windows, until every server used at most 20 ms of CPU in one (at most
# SETTLE_MAX s); the CPU at rest of that last window is reported.
declare -A REST_BEFORE=() REST=()
settle_start=$SECONDS
while :; do
    for name in "${SERVERS[@]}"; do REST_BEFORE[$name]="$(cpu_ticks "${SERVER_PID[$name]}")"; done
    window_start=$(date +%s%N)
    sleep 1
    window_ns=$(($(date +%s%N) - window_start))
    settled=1
    for name in "${SERVERS[@]}"; do
        ticks=$(($(cpu_ticks "${SERVER_PID[$name]}") - REST_BEFORE[$name]))
        REST[$name]="$(awk -v t="$ticks" -v hz="$CLK_TCK" -v ns="$window_ns" 'BEGIN { printf "%.0f", t * 1e3 / hz / (ns / 1e9) }')"
        ((REST[$name] <= 20)) || settled=0
    done
    ((settled)) && break
    if ((SECONDS - settle_start >= SETTLE_MAX)); then
        log "the servers did not settle within ${SETTLE_MAX}s; measuring anyway"
        break
    fi
done
SETTLED_AFTER=$((SECONDS - settle_start))
log "CPU at rest after ${SETTLED_AFTER}s (ms per second): bare ${REST[bare]}, on ${REST[on]}, off ${REST[off]}"

declare -A RPS=() P50=() P99=() CPU=()
for round in $(seq 1 "$ROUNDS"); do
    order=("${ORDER[@]}")
    # Every other round the off server takes its POSTs first, so neither side always goes first.
    ((round % 2 == 0)) && order=(bare health me post-off post-on post-off-1c post-on-1c)
    log "round $round/$ROUNDS"
    for scenario in "${order[@]}"; do
        measured="$(run_wrk "$scenario" "$DURATION" "round$round-$scenario")"
        read -r rps p50 p99 cpu <<<"$measured"
        RPS[$scenario]+="$rps "
        P50[$scenario]+="$p50 "
        P99[$scenario]+="$p99 "
        CPU[$scenario]+="$cpu "
        log "  $(printf '%-12s %9s req/s  p50 %7s ms  p99 %7s ms  CPU %7s µs/req' "$scenario" "$rps" "$p50" "$p99" "$cpu")"
    done
done
LOAD_END="$(uptime)"

# --- report ----------------------------------------------------------------------------------
nth() { local -a xs; read -r -a xs <<<"$1"; printf '%s' "${xs[$2]}"; }
# per_round A B: A's req/s ÷ B's req/s in each round, one per line.
per_round() {
    local i
    for ((i = 0; i < ROUNDS; i++)); do
        awk -v a="$(nth "${RPS[$1]}" "$i")" -v b="$(nth "${RPS[$2]}" "$i")" 'BEGIN { printf "%.3f\n", a / b }'
    done
}
# stats VALUES...: "mean min max".
stats() { printf '%s\n' "$@" | awk 'NR == 1 { lo = hi = $1 } { s += $1; if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 } END { printf "%.3f %.3f %.3f\n", s / NR, lo, hi }'; }

errors=0
for name in on off; do
    warn_error_lines "the $name server" "${SERVER_LOG[$name]}" || errors=1
done

echo
echo "Hoursmith pipeline overhead against a bare ASP.NET Core route"
echo "date: $(date -u '+%Y-%m-%dT%H:%M:%SZ'); nproc: $(nproc); wrk -t$THREADS, -c$CONNECTIONS (POSTs also -c1), $ROUNDS interleaved rounds of $DURATION per run, ${WARMUP} warm-up each"
echo "load at start: ${LOAD_START#*load average: }; at end: ${LOAD_END#*load average: }"
echo "API servers: SQLite (WAL), Production, request log on (to a file), rate limits off; off = Idempotency__Enabled=false"
echo "server CPU at rest before the rounds (ms per second, after ${SETTLED_AFTER}s of settling): bare ${REST[bare]}, on ${REST[on]}, off ${REST[off]}"
echo
echo "per round (req/s, p50/p99 ms, server CPU µs per request):"
printf '%-12s %-5s %10s %9s %9s %10s\n' scenario round 'req/s' 'p50 ms' 'p99 ms' 'CPU us'
for scenario in "${ORDER[@]}"; do
    for ((i = 0; i < ROUNDS; i++)); do
        printf '%-12s %-5s %10s %9s %9s %10s\n' "$scenario" "$((i + 1))" "$(nth "${RPS[$scenario]}" "$i")" \
            "$(nth "${P50[$scenario]}" "$i")" "$(nth "${P99[$scenario]}" "$i")" "$(nth "${CPU[$scenario]}" "$i")"
    done
done

echo
echo "ratios of req/s within each round (mean, min–max over the rounds):"
printf '%-32s %6s  %-11s  %-7s %-7s %s\n' figure mean 'min-max' target verdict 'per round'
# ratio_row LABEL A B TARGET
ratio_row() {
    local -a values
    mapfile -t values < <(per_round "$2" "$3")
    local mean lo hi verdict
    read -r mean lo hi <<<"$(stats "${values[@]}")"
    if awk -v m="$mean" -v t="$4" 'BEGIN { exit !(m < t) }'; then
        verdict="MISSED"
        TARGET_MISSED=1
    else
        verdict="met"
    fi
    printf '%-33s %6.2f  %5.2f–%-5.2f  >= %-4s %-7s %s\n' "$1" "$mean" "$lo" "$hi" "$4" "$verdict" "${values[*]}"
}
ratio_row "/me ÷ bare (c$CONNECTIONS)" me bare "$MIN_ME"
ratio_row "/health ÷ bare (c$CONNECTIONS)" health bare "$MIN_HEALTH"
ratio_row "keyed POST on ÷ off (c$CONNECTIONS)" post-on post-off "$MIN_POST"
ratio_row "keyed POST on ÷ off (c1)" post-on-1c post-off-1c "$MIN_POST"

echo
echo "server CPU per request (user + system time from /proc over the run ÷ requests; mean, min–max):"
printf '%-32s %8s  %-17s  %s\n' figure 'mean us' 'min-max us' 'per round'
cpu_row() { # cpu_row LABEL SCENARIO
    local -a values
    read -r -a values <<<"${CPU[$2]}"
    local mean lo hi
    read -r mean lo hi <<<"$(stats "${values[@]}")"
    printf '%-32s %8.1f  %8.1f–%-8.1f  %s\n' "$1" "$mean" "$lo" "$hi" "${values[*]}"
}
cpu_row "bare GET /bare" bare
cpu_row "GET /health" health
cpu_row "GET /api/v1/me" me
cpu_row "keyed POST on (c$CONNECTIONS)" post-on
cpu_row "keyed POST off (c$CONNECTIONS)" post-off
cpu_row "keyed POST on (c1)" post-on-1c
cpu_row "keyed POST off (c1)" post-off-1c
me_cpu_ratios=()
for ((i = 0; i < ROUNDS; i++)); do
    me_cpu_ratios+=("$(awk -v a="$(nth "${CPU[me]}" "$i")" -v b="$(nth "${CPU[bare]}" "$i")" 'BEGIN { printf "%.2f", a / b }')")
done
read -r mean lo hi <<<"$(stats "${me_cpu_ratios[@]}")"
printf '%-33s %8.2f  %8.2f–%-8.2f  %s\n' "/me ÷ bare CPU (times)" "$mean" "$lo" "$hi" "${me_cpu_ratios[*]}"
[[ "$errors" == 0 ]] || echo "WARNING: Error/Critical lines in a server log (see above)"

if [[ "$TARGET_MISSED" == 1 ]]; then
    if [[ "$ENFORCE" == 1 ]]; then
        echo "FAIL: a mean ratio missed its target (ENFORCE=0 to report only)"
        exit 1
    fi
    echo "a mean ratio missed its target (not enforced; ENFORCE=1 fails on it)"
fi
