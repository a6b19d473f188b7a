#!/usr/bin/env bash
# Auth overhead benchmark: requests/second of an authenticated GET /api/v1/me against the
# anonymous GET /health, measured in one run against one server process on SQLite, and their
# ratio (me/health). See bench/README.md.
#
# Environment (all optional):
#   PORT=58090          first loopback port to try; the next free one is taken if it is busy
#   DURATION=10s        length of each measured wrk run
#   WARMUP=5s           length of the warm-up run of each endpoint (not measured)
#   THREADS=2           wrk threads
#   CONNECTIONS=32      wrk connections
#   ROUNDS=2            measured rounds; each round runs health then me
#   MIN_RATIO=0.5       target for me/health
#   ENFORCE=1           exit 1 when the ratio is below MIN_RATIO; ENFORCE=0 only reports
#   SKIP_BUILD=0        SKIP_BUILD=1 uses the existing Release build
#   STARTUP_TIMEOUT=60  seconds to wait for /health to answer after starting the server
#   KEEP_TMP=0          KEEP_TMP=1 keeps the temp dir (database, server log, wrk output)
set -euo pipefail

PORT="${PORT:-58090}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-2}"
MIN_RATIO="${MIN_RATIO:-0.5}"
ENFORCE="${ENFORCE:-1}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR=""
SERVER_PID=""
SERVER_LOG=""
RATIO_FAILED=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "the server" "$SERVER_PID" || true
    if [[ $rc -ne 0 && "$RATIO_FAILED" != 1 ]]; then
        show_server_log "the server" "$SERVER_LOG"
    fi
    remove_tmp_dir
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------
require_tools jq curl dotnet awk

# --- build ---------------------------------------------------------------------------------
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"
SERVER_LOG="$TMP_DIR/server.log"
build_and_copy src/Hoursmith.Api Hoursmith.Api app
APP_DIR="$TMP_DIR/app"

# --- configuration shared by the server and the CLI ----------------------------------------
export_api_defaults
export ConnectionStrings__Hoursmith="Data Source=$TMP_DIR/bench.db"

# --- free loopback port --------------------------------------------------------------------
PORT="$(free_port "$PORT")" || die "no free port found near $PORT"
BASE="http://$HOST:$PORT"

# --- server, workspace and token (same database, through the CLI) --------------------------
log "starting the server on $BASE (log: $SERVER_LOG)"
start_api_server "$APP_DIR" "$BASE" "$SERVER_LOG"
SERVER_PID=$STARTED_PID
wait_healthy "the server" "$BASE/health" "$SERVER_PID"
TOKEN="$(mint_owner_token "$APP_DIR" bench studio)"
AUTH_HEADER="Authorization: Bearer $TOKEN"

me_status="$(curl -s -o "$TMP_DIR/me.json" -w '%{http_code}' --max-time 5 -H "$AUTH_HEADER" "$BASE/api/v1/me" || true)"
[[ "$me_status" == 200 ]] || { cat "$TMP_DIR/me.json" >&2 2>/dev/null || true; die "GET /api/v1/me answered $me_status, expected 200"; }
log "token works: GET /api/v1/me -> 200 ($(jq -c '.data.role // empty' "$TMP_DIR/me.json" 2>/dev/null || true))"

# --- wrk -----------------------------------------------------------------------------------
# run_wrk NAME DURATION OUTFILE: runs wrk against one endpoint and prints its Requests/sec.
run_wrk() {
    local name=$1 duration=$2 out=$3 rps non2xx
    local -a args=(-t "$THREADS" -c "$CONNECTIONS" -d "$duration" --latency)
    case "$name" in
        health) args+=("$BASE/health") ;;
        me) args+=(-H "$AUTH_HEADER" "$BASE/api/v1/me") ;;
        *) die "unknown endpoint $name" ;;
    esac
    wrk "${args[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $name"; }
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the $name run"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    if [[ -n "$non2xx" && "$non2xx" != 0 ]]; then
        cat "$out" >&2
        die "$name: $non2xx non-2xx responses (wrong token, or the server is failing)"
    fi
    if grep -q 'Socket errors:' "$out"; then
        log "$name: wrk reported $(grep 'Socket errors:' "$out" | sed 's/^ *//')"
    fi
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    [[ -n "$rps" ]] || { cat "$out" >&2; die "no Requests/sec line in the wrk output for $name"; }
    printf '%s\n' "$rps"
}

log "warming up both endpoints (${WARMUP} each)"
run_wrk health "$WARMUP" "$TMP_DIR/warmup-health.txt" >/dev/null
run_wrk me "$WARMUP" "$TMP_DIR/warmup-me.txt" >/dev/null

health_runs=()
me_runs=()
for round in $(seq 1 "$ROUNDS"); do
    for name in health me; do
        log "round $round/$ROUNDS: $name for $DURATION (-t$THREADS -c$CONNECTIONS)"
        rps="$(run_wrk "$name" "$DURATION" "$TMP_DIR/round$round-$name.txt")"
        log "  $name: $rps req/s, $(awk '$1 == "Latency" && $2 ~ /^[0-9]/ { print "latency avg " $2 ", max " $4; exit }' "$TMP_DIR/round$round-$name.txt")"
        if [[ "$name" == health ]]; then health_runs+=("$rps"); else me_runs+=("$rps"); fi
    done
done

mean() { printf '%s\n' "$@" | awk '{ s += $1; n++ } END { printf "%.1f", s / n }'; }
health_mean="$(mean "${health_runs[@]}")"
me_mean="$(mean "${me_runs[@]}")"
ratio_raw="$(awk -v m="$me_mean" -v h="$health_mean" 'BEGIN { printf "%.4f", m / h }')"
ratio="$(awk -v r="$ratio_raw" 'BEGIN { printf "%.2f", r }')"

warn_error_lines "the server" "$SERVER_LOG" || true

echo
echo "Hoursmith auth overhead ($(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores, SQLite, wrk -t$THREADS -c$CONNECTIONS, $ROUNDS x $DURATION per endpoint, interleaved)"
echo "health: $health_mean req/s (runs: ${health_runs[*]})"
echo "me: $me_mean req/s (runs: ${me_runs[*]})"
echo "ratio me/health: $ratio (target >= $MIN_RATIO)"

if awk -v r="$ratio_raw" -v t="$MIN_RATIO" 'BEGIN { exit !(r < t) }'; then
    if [[ "$ENFORCE" == 1 ]]; then
        echo "FAIL: ratio $ratio is below $MIN_RATIO (ENFORCE=0 to report only)"
        RATIO_FAILED=1
        exit 1
    fi
    echo "ratio $ratio is below $MIN_RATIO (not enforced)"
fi
