#!/usr/bin/env bash
# Idempotency overhead benchmark: what the Idempotency-Key layer adds to a POST. In one run, two
# server processes on two fresh SQLite databases, one with the layer on (the default) and one
# with Idempotency__Enabled=false, each take POST /api/v1/clients with a fresh key per request
# (bench/idempotency-post.lua), in interleaved rounds; a third scenario replays one stored key
# (what a retry costs). Reports req/s and latency p50/p99 of each, the added latency (on − off)
# and the throughput ratio on/off. See bench/README.md.
#
# Environment (all optional):
#   PORT=58110          first loopback port to try for the two servers (the next free ones are taken)
#   DURATION=10s        length of each measured wrk run under load
#   SERIAL_DURATION=5s  length of each single-connection run (SERIAL=1)
#   WARMUP=5s           length of the warm-up run of each server (not measured)
#   THREADS=2           wrk threads under load
#   CONNECTIONS=32      wrk connections under load
#   WRK_TIMEOUT=10s     wrk --timeout; wrk leaves slower requests out of the latency figures
#   ROUNDS=3            measured rounds; each runs on, off[, replay][, on, off[, replay] on one connection]
#   REPLAY=1            REPLAY=0 skips the replay scenarios
#   SERIAL=1            SERIAL=0 skips the single-connection runs (wrk -t1 -c1: latency without queueing)
#   SKIP_BUILD=0        SKIP_BUILD=1 uses the existing Release build
#   STARTUP_TIMEOUT=60  seconds to wait for /health to answer after starting a server
#   KEEP_TMP=0          KEEP_TMP=1 keeps the temp dir (databases, server logs, wrk output)
set -euo pipefail

PORT="${PORT:-58110}"
DURATION="${DURATION:-10s}"
SERIAL_DURATION="${SERIAL_DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
ROUNDS="${ROUNDS:-3}"
REPLAY="${REPLAY:-1}"
SERIAL="${SERIAL:-1}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LUA="$REPO_ROOT/bench/idempotency-post.lua"
# Small, and the same for every request: the replay scenario must hash to the stored request.
BODY='{"name":"Bench client","email":"bench@example.com"}'

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR=""
# The two servers, by name: "on" (the layer on) and "off" (Idempotency__Enabled=false).
declare -A SERVER_PID=() SERVER_LOG=() SERVER_DB=() SERVER_BASE=() SERVER_TOKEN=()
SERVERS=(on off)

stop_server() {
    local name=$1 pid=${SERVER_PID[$1]:-}
    stop_pid "the $name server" "$pid"
}

cleanup() {
    local rc=$? name
    trap - EXIT INT TERM
    for name in "${SERVERS[@]}"; do
        stop_server "$name" || true
    done
    if [[ $rc -ne 0 ]]; then
        for name in "${SERVERS[@]}"; do
            show_server_log "the $name server" "${SERVER_LOG[$name]:-}"
        done
    fi
    remove_tmp_dir
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------
require_tools jq curl dotnet awk sort
[[ -f "$LUA" ]] || die "$LUA not found"

# --- build ---------------------------------------------------------------------------------
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"
build_and_copy src/Hoursmith.Api Hoursmith.Api app
APP_DIR="$TMP_DIR/app"

# --- configuration shared by both servers and the CLI --------------------------------------
# The connection string and Idempotency__Enabled are set per process below.
export_api_defaults
unset ConnectionStrings__Hoursmith Idempotency__Enabled

# --- free loopback ports -------------------------------------------------------------------
port_on="$(free_port "$PORT")" || die "no free port found near $PORT"
port_off="$(free_port "$((port_on + 1))")" || die "no free port found near $((port_on + 1))"
SERVER_BASE[on]="http://$HOST:$port_on"
SERVER_BASE[off]="http://$HOST:$port_off"

# --- servers, workspaces and tokens ----------------------------------------------------------
# server_env NAME: the environment that differs between the two servers (and their CLI calls).
server_env() {
    printf '%s\n' "ConnectionStrings__Hoursmith=Data Source=${SERVER_DB[$1]}"
    [[ "$1" == off ]] && printf '%s\n' "Idempotency__Enabled=false"
    return 0
}

for name in "${SERVERS[@]}"; do
    SERVER_DB[$name]="$TMP_DIR/$name.db"
    SERVER_LOG[$name]="$TMP_DIR/server-$name.log"
    log "starting the $name server on ${SERVER_BASE[$name]} (log: ${SERVER_LOG[$name]})"
    mapfile -t vars < <(server_env "$name")
    start_api_server "$APP_DIR" "${SERVER_BASE[$name]}" "${SERVER_LOG[$name]}" "${vars[@]}"
    SERVER_PID[$name]=$STARTED_PID
done

for name in "${SERVERS[@]}"; do
    wait_healthy "the $name server" "${SERVER_BASE[$name]}/health" "${SERVER_PID[$name]}"
    mapfile -t vars < <(server_env "$name")
    SERVER_TOKEN[$name]="$(mint_owner_token "$APP_DIR" "bench-$name" studio "${vars[@]}")"
done

# --- checks with curl: both servers take the POST, and the switch really switches ------------
# post NAME KEY OUTFILE: POST the body (KEY "" sends no key); prints "status replayed-header".
post() {
    local name=$1 key=$2 out=$3
    local -a args=(-s -o "$out" -D "$out.headers" -w '%{http_code}' --max-time 10 -X POST
        -H "Authorization: Bearer ${SERVER_TOKEN[$name]}" -H 'Content-Type: application/json' --data "$BODY")
    [[ -n "$key" ]] && args+=(-H "Idempotency-Key: $key")
    local status
    status="$(curl "${args[@]}" "${SERVER_BASE[$name]}/api/v1/clients" || true)"
    printf '%s %s\n' "$status" "$(awk -F': *' 'tolower($1) == "idempotent-replayed" { gsub(/\r/, "", $2); print $2 }' "$out.headers")"
}
expect() { # expect WHAT ACTUAL WANTED OUTFILE
    [[ "$2" == "$3" ]] || { cat "$4" >&2 2>/dev/null || true; echo >&2; die "$1: got '$2', expected '$3'"; }
}
REPLAY_KEY="bench-replay-$$"
expect "on: POST with a new key" "$(post on "$REPLAY_KEY" "$TMP_DIR/check-on-1.json")" "201 " "$TMP_DIR/check-on-1.json"
expect "on: the same key and body again" "$(post on "$REPLAY_KEY" "$TMP_DIR/check-on-2.json")" "201 true" "$TMP_DIR/check-on-2.json"
cmp -s "$TMP_DIR/check-on-1.json" "$TMP_DIR/check-on-2.json" || die "on: the replayed body differs from the first response"
expect "on: POST without a key" "$(post on "" "$TMP_DIR/check-on-3.json")" "422 " "$TMP_DIR/check-on-3.json"
expect "off: POST with a new key" "$(post off "$REPLAY_KEY" "$TMP_DIR/check-off-1.json")" "201 " "$TMP_DIR/check-off-1.json"
expect "off: the same key again (the layer is off: created again)" "$(post off "$REPLAY_KEY" "$TMP_DIR/check-off-2.json")" "201 " "$TMP_DIR/check-off-2.json"
expect "off: POST without a key" "$(post off "" "$TMP_DIR/check-off-3.json")" "201 " "$TMP_DIR/check-off-3.json"
log "checks passed: POST /api/v1/clients -> 201 on both; on replays a key and requires one, off ignores keys"

# --- wrk -----------------------------------------------------------------------------------
# Scenarios: SERVER MODE THREADS CONNECTIONS.
declare -A SCENARIO=(
    [on]="on fresh $THREADS $CONNECTIONS"
    [off]="off fresh $THREADS $CONNECTIONS"
    [replay]="on replay $THREADS $CONNECTIONS"
    [on-1c]="on fresh 1 1"
    [off-1c]="off fresh 1 1"
    [replay-1c]="on replay 1 1"
)
result() { awk -v k="$2" '$1 == "RESULT" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }

# run_wrk SCENARIO DURATION TAG: runs wrk, checks every response, prints "rps p50_ms p99_ms".
run_wrk() {
    local scenario=$1 duration=$2 tag=$3 out="$TMP_DIR/$3.txt" server mode threads connections
    read -r server mode threads connections <<<"${SCENARIO[$scenario]}"
    local -a script_args=("$mode" "$tag" "$BODY")
    [[ "$mode" == replay ]] && script_args+=("$REPLAY_KEY")
    wrk -t "$threads" -c "$connections" -d "$duration" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" \
        -H "Authorization: Bearer ${SERVER_TOKEN[$server]}" "${SERVER_BASE[$server]}/api/v1/clients" \
        -- "${script_args[@]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $scenario"; }
    kill -0 "${SERVER_PID[$server]}" 2>/dev/null || die "the $server server died during the $scenario run"
    grep -q '^RESULT ' "$out" || { cat "$out" >&2; die "no RESULT line in the wrk output for $scenario"; }
    local requests created replayed other socket_errors timeouts
    requests="$(result "$out" requests)"
    created="$(result "$out" created)"
    replayed="$(result "$out" replayed)"
    other="$(result "$out" other)"
    socket_errors="$(result "$out" socket_errors)"
    timeouts="$(result "$out" timeouts)"
    if [[ "$other" != 0 ]]; then
        cat "$out" >&2
        die "$scenario: $other responses were not 201"
    fi
    if [[ "$mode" == fresh && "$replayed" != 0 ]]; then
        die "$scenario: $replayed responses were replays, but every key was new"
    fi
    if [[ "$mode" == replay && "$created" != 0 ]]; then
        die "$scenario: $created responses created a client, but every request repeated a stored key"
    fi
    [[ "$requests" -gt 0 ]] || die "$scenario: no request completed"
    if [[ "$socket_errors" != 0 || "$timeouts" != 0 ]]; then
        log "$scenario: wrk saw $socket_errors socket errors and $timeouts timeouts (over $WRK_TIMEOUT: not in the latency figures)"
    fi
    awk -v r="$(result "$out" rps)" -v p50="$(result "$out" p50_us)" -v p99="$(result "$out" p99_us)" \
        'BEGIN { printf "%.1f %.2f %.2f\n", r, p50 / 1000, p99 / 1000 }'
}

order=(on off)
[[ "$REPLAY" == 1 ]] && order+=(replay)
if [[ "$SERIAL" == 1 ]]; then
    order+=(on-1c off-1c)
    [[ "$REPLAY" == 1 ]] && order+=(replay-1c)
fi

log "warming up (${WARMUP} per scenario under load)"
for scenario in on off; do
    run_wrk "$scenario" "$WARMUP" "warmup-$scenario" >/dev/null
done
[[ "$REPLAY" == 1 ]] && run_wrk replay "$WARMUP" warmup-replay >/dev/null

declare -A RPS=() P50=() P99=()
for round in $(seq 1 "$ROUNDS"); do
    for scenario in "${order[@]}"; do
        read -r _ _ threads connections <<<"${SCENARIO[$scenario]}"
        duration="$DURATION"
        [[ "$scenario" == *-1c ]] && duration="$SERIAL_DURATION"
        log "round $round/$ROUNDS: $scenario for $duration (-t$threads -c$connections)"
        measured="$(run_wrk "$scenario" "$duration" "round$round-$scenario")" || exit 1
        read -r rps p50 p99 <<<"$measured"
        log "  $scenario: $rps req/s, p50 $p50 ms, p99 $p99 ms"
        RPS[$scenario]+="$rps "
        P50[$scenario]+="$p50 "
        P99[$scenario]+="$p99 "
    done
done

# --- report --------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# paired OP A B METRIC: per round, A's and B's value of METRIC (RPS, P50 or P99) combined with
# OP ("-" or "/"), one line per round.
paired() {
    local op=$1 i
    local -n metric=$4
    local -a xs ys
    read -r -a xs <<<"${metric[$2]}"
    read -r -a ys <<<"${metric[$3]}"
    for i in "${!xs[@]}"; do
        awk -v x="${xs[$i]}" -v y="${ys[$i]}" -v op="$op" 'BEGIN { if (op == "-") printf "%.2f\n", x - y; else printf "%.3f\n", x / y }'
    done
}
signed() { awk -v v="$1" 'BEGIN { printf "%+.2f", v }'; }

errors=0
for name in "${SERVERS[@]}"; do
    warn_error_lines "the $name server" "${SERVER_LOG[$name]}" || errors=1
done
# Context for the figures: every SQLite commit here ends in an fsync of the WAL.
sync_probe() {
    local f="$TMP_DIR/sync-probe" start end
    dd if=/dev/zero of="$f" bs=4k count=200 status=none
    sync "$f" 2>/dev/null || sync
    start=$(date +%s%N)
    dd if=/dev/zero of="$f" bs=4k count=200 oflag=dsync conv=notrunc status=none
    end=$(date +%s%N)
    rm -f "$f"
    awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 200 / 1e6 }'
}
sync_ms="$(sync_probe)"
db_size() { du -cm "${SERVER_DB[$1]}"* 2>/dev/null | awk 'END { print $1 }'; }

row() { # row SCENARIO LABEL
    local s=$1
    # shellcheck disable=SC2086
    printf '%-22s %-10s %9s %9s %9s   %s\n' "$2" "$(read -r _ _ t c <<<"${SCENARIO[$s]}"; echo "-t$t -c$c")" \
        "$(median ${RPS[$s]})" "$(median ${P50[$s]})" "$(median ${P99[$s]})" "${RPS[$s]% }"
}
# shellcheck disable=SC2046
summary() { # summary ON OFF LABEL
    local d50 d99 ratio
    d50="$(median $(paired - "$1" "$2" P50))"
    d99="$(median $(paired - "$1" "$2" P99))"
    ratio="$(median $(paired / "$1" "$2" RPS))"
    printf '%-22s p50 %s ms, p99 %s ms, throughput on/off %.2f   (p50 per round: %s)\n' "$3" \
        "$(signed "$d50")" "$(signed "$d99")" "$ratio" "$(paired - "$1" "$2" P50 | tr '\n' ' ' | sed 's/ $//')"
}

echo
serial_note=""
[[ "$SERIAL" == 1 ]] && serial_note=", ${SERIAL_DURATION} on one connection"
echo "Hoursmith idempotency overhead ($(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores, SQLite WAL, POST /api/v1/clients, $ROUNDS interleaved rounds, ${DURATION} per run under load$serial_note)"
printf '%-22s %-10s %9s %9s %9s   %s\n' scenario wrk 'req/s' 'p50 ms' 'p99 ms' 'req/s per round'
row on "on (new key each)"
row off "off (layer disabled)"
[[ "$REPLAY" == 1 ]] && row replay "replay (same key)"
if [[ "$SERIAL" == 1 ]]; then
    row on-1c "on, 1 connection"
    row off-1c "off, 1 connection"
    [[ "$REPLAY" == 1 ]] && row replay-1c "replay, 1 connection"
fi
echo "(medians over the rounds; latencies in ms)"
echo "added by the layer (on − off, paired per round, median):"
summary on off "  -c$CONNECTIONS:"
[[ "$SERIAL" == 1 ]] && summary on-1c off-1c "  1 connection:"
if [[ "$REPLAY" == 1 ]]; then
    echo "a retry (replay − on, paired per round, median):"
    # shellcheck disable=SC2046
    printf '%-22s p50 %s ms, throughput replay/on %.2f\n' "  -c$CONNECTIONS:" \
        "$(signed "$(median $(paired - replay on P50))")" "$(median $(paired / replay on RPS))"
    if [[ "$SERIAL" == 1 ]]; then
        # shellcheck disable=SC2046
        printf '%-22s p50 %s ms, throughput replay/on %.2f\n' "  1 connection:" \
            "$(signed "$(median $(paired - replay-1c on-1c P50))")" "$(median $(paired / replay-1c on-1c RPS))"
    fi
fi
echo "synced 4 KiB write on the database disk (dd oflag=dsync, after the runs): $sync_ms ms"
echo "databases at the end: on $(db_size on) MB, off $(db_size off) MB (every new key created a client; on also stores each key with its response)"
[[ "$errors" == 0 ]] || echo "WARNING: Error/Critical lines in a server log (see above)"
