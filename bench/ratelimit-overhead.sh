#!/usr/bin/env bash
# Rate-limit overhead benchmark: what the rate limiter adds to an authenticated request. In one
# run, two server processes on two fresh SQLite databases take GET /api/v1/me with their own
# Studio Owner token, in interleaved rounds: "on", the limiter on with budgets so large that
# nothing is ever refused (every request still spends from both buckets and gets the headers),
# and "off", RateLimits__Enabled=false. Reports req/s, latency p50/p99 and the server's CPU time
# per request of each, under load and on one connection, the added latency (on − off) and the
# throughput ratio on/off. Before that, a sanity run against a third server with the default
# budgets: 40 rapid requests with one Studio token, expecting 30 answered 200 and 10 answered 429.
# See bench/README.md.
#
# Environment (all optional):
#   PORT=58130           first loopback port to try for the servers (the next free ones are taken)
#   DURATION=10s         length of each measured wrk run under load
#   SERIAL_DURATION=5s   length of each single-connection run (SERIAL=1)
#   WARMUP=5s            length of the warm-up run of each server (not measured)
#   THREADS=2            wrk threads under load
#   CONNECTIONS=32       wrk connections under load
#   WRK_TIMEOUT=5s       wrk --timeout; wrk leaves slower requests out of the latency figures
#   ROUNDS=5             measured rounds; each runs on, off[, on, off on one connection]
#   SERIAL=1             SERIAL=0 skips the single-connection runs (wrk -t1 -c1: latency without queueing)
#   SANITY=1             SANITY=0 skips the default-budget run (and its server)
#   ON_LIMIT=100000000   burst and sustained limit of a Studio token on the "on" server; at most
#                        100000000 (a limit above the period in 100 ns ticks, 10 s = 10^8, makes the
#                        refill interval 0)
#   SKIP_BUILD=0         SKIP_BUILD=1 uses the existing Release build
#   STARTUP_TIMEOUT=60   seconds to wait for /health to answer after starting a server
#   KEEP_TMP=0           KEEP_TMP=1 keeps the temp dir (databases, server logs, wrk output)
set -euo pipefail

PORT="${PORT:-58130}"
DURATION="${DURATION:-10s}"
SERIAL_DURATION="${SERIAL_DURATION:-5s}"
WARMUP="${WARMUP:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
WRK_TIMEOUT="${WRK_TIMEOUT:-5s}"
ROUNDS="${ROUNDS:-5}"
SERIAL="${SERIAL:-1}"
SANITY="${SANITY:-1}"
ON_LIMIT="${ON_LIMIT:-100000000}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LUA="$REPO_ROOT/bench/ratelimit-summary.lua"
# The default Studio budget (docs/rate-limits.md) the sanity run expects: a burst of 30, then
# one request every 10 s / 30.
SANITY_REQUESTS=40
SANITY_BURST=30
SANITY_EMISSION_MS=333

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "$ON_LIMIT" =~ ^[0-9]+$ ]] && ((ON_LIMIT >= 1 && ON_LIMIT <= 100000000)) \
    || die "ON_LIMIT must be a whole number from 1 to 100000000"

TMP_DIR=""
# The servers, by name: "on" (limiter on, huge budgets), "off" (RateLimits__Enabled=false) and
# "default" (limiter on, default budgets; only for the sanity run).
declare -A SERVER_PID=() SERVER_LOG=() SERVER_DB=() SERVER_BASE=() SERVER_TOKEN=()
SERVERS=(on off)
[[ "$SANITY" == 1 ]] && SERVERS+=(default)

stop_server() {
    local name=$1 pid=${SERVER_PID[$1]:-}
    SERVER_PID[$name]=""
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
require_tools jq curl dotnet awk sort getconf
[[ -f "$LUA" ]] || die "$LUA not found"
[[ -r /proc/self/stat ]] || die "/proc is required (the server's CPU time is read from /proc/<pid>/stat)"
CLK_TCK="$(getconf CLK_TCK)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- build ---------------------------------------------------------------------------------
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"

build_and_copy src/Hoursmith.Api Hoursmith.Api app
APP_DIR="$TMP_DIR/app"
DLL="$APP_DIR/Hoursmith.Api.dll"

# --- configuration shared by the servers and the CLI ---------------------------------------
# The connection string and the RateLimits settings are set per process below; none may leak in
# from the caller's environment (configuration keys are case-insensitive, so neither may any case).
export Hoursmith__RequireHttps=false
export Hoursmith__SeedDemo=false
export Hoursmith__TokenEnvironment=live
export ASPNETCORE_ENVIRONMENT=Production
export DOTNET_ENVIRONMENT=Production
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
unset ConnectionStrings__Hoursmith
while read -r var; do
    unset "$var"
done < <(compgen -e | grep -i '^ratelimits__' || true)

# --- free loopback ports -------------------------------------------------------------------
next_port="$PORT"
for name in "${SERVERS[@]}"; do
    port="$(free_port "$next_port")" || die "no free port found near $next_port"
    SERVER_BASE[$name]="http://$HOST:$port"
    next_port=$((port + 1))
done

# --- servers, workspaces and tokens ----------------------------------------------------------
# server_env NAME: the environment that differs between the servers (and their CLI calls).
server_env() {
    local -a vars=("ConnectionStrings__Hoursmith=Data Source=${SERVER_DB[$1]}")
    case "$1" in
        on) vars+=(
            "RateLimits__Enabled=true"
            "RateLimits__Studio__Burst__Limit=$ON_LIMIT" "RateLimits__Studio__Burst__Period=00:00:10"
            "RateLimits__Studio__Sustained__Limit=$ON_LIMIT" "RateLimits__Studio__Sustained__Period=00:01:00") ;;
        off) vars+=("RateLimits__Enabled=false") ;;
        default) ;; # the defaults of RateLimitOptions: what production runs
        *) die "unknown server $1" ;;
    esac
    printf '%s\n' "${vars[@]}"
}
cli() { # cli NAME ARGS...: the CLI against NAME's database
    local name=$1 vars
    shift
    mapfile -t vars < <(server_env "$name")
    (cd "$APP_DIR" && exec env "${vars[@]}" dotnet "$DLL" "$@") 2>>"$TMP_DIR/cli.err"
}

for name in "${SERVERS[@]}"; do
    SERVER_DB[$name]="$TMP_DIR/$name.db"
    SERVER_LOG[$name]="$TMP_DIR/server-$name.log"
    log "starting the $name server on ${SERVER_BASE[$name]} (log: ${SERVER_LOG[$name]})"
    mapfile -t vars < <(server_env "$name")
    # STARTED_PID is the server's own pid (its CPU time is read).
    start_api_server "$APP_DIR" "${SERVER_BASE[$name]}" "${SERVER_LOG[$name]}" "${vars[@]}"
    SERVER_PID[$name]=$STARTED_PID
done

for name in "${SERVERS[@]}"; do
    wait_healthy "the $name server" "${SERVER_BASE[$name]}/health" "${SERVER_PID[$name]}"
done

# The token is minted with the CLI on the server's database: no HTTP request spends from its
# buckets before the checks below.
for name in "${SERVERS[@]}"; do
    created="$(cli "$name" workspaces create --name "Bench $name" --plan studio --owner-email "bench-$name@example.com")" \
        || { cat "$TMP_DIR/cli.err" >&2; die "workspaces create failed ($name)"; }
    workspace_id="$(jq -er '.workspaceId' <<<"$created")" || die "no workspaceId in: $created"
    member_id="$(jq -er '.ownerMemberId' <<<"$created")" || die "no ownerMemberId in: $created"
    minted="$(cli "$name" tokens mint --workspace "$workspace_id" --member "$member_id" --name bench)" \
        || { cat "$TMP_DIR/cli.err" >&2; die "tokens mint failed ($name)"; }
    SERVER_TOKEN[$name]="$(jq -er '.token' <<<"$minted")" || die "no token in the mint output ($name)"
    if [[ "$name" == default ]]; then
        # A second token of the same workspace, to warm the server up with its own buckets.
        minted="$(cli "$name" tokens mint --workspace "$workspace_id" --member "$member_id" --name bench-warm-up)" \
            || { cat "$TMP_DIR/cli.err" >&2; die "tokens mint failed ($name, warm-up)"; }
        WARM_TOKEN="$(jq -er '.token' <<<"$minted")" || die "no token in the mint output ($name, warm-up)"
    fi
done

# --- sanity run: the default budgets refuse what they should ----------------------------------
SANITY_LINE=""
if [[ "$SANITY" == 1 ]]; then
    # A cold server takes a second or more for its first requests (JIT), longer than the refill
    # interval: warm it up first with the other token, whose buckets are its own.
    args=(-s -H "Authorization: Bearer $WARM_TOKEN" -w '%{http_code}\n')
    for _ in $(seq 1 10); do
        args+=(-o /dev/null "${SERVER_BASE[default]}/api/v1/me")
    done
    warm="$(curl "${args[@]}" | sort | uniq -c | awk '{ printf "%s%s x %s", sep, $2, $1; sep = ", " }')"
    [[ "$warm" == "200 x 10" ]] || die "sanity: the warm-up requests answered $warm, expected 200 x 10"
    # One curl process, one kept-alive connection, SANITY_REQUESTS requests back to back: on a
    # warm server far quicker than one refill interval, so exactly the burst should get through.
    args=(-s -H "Authorization: Bearer ${SERVER_TOKEN[default]}"
        -w '%{http_code}|%header{retry-after}|%header{x-ratelimit-remaining}\n')
    for _ in $(seq 1 "$SANITY_REQUESTS"); do
        args+=(-o /dev/null "${SERVER_BASE[default]}/api/v1/me")
    done
    start_ns=$(date +%s%N)
    curl "${args[@]}" >"$TMP_DIR/sanity.txt" || true
    end_ns=$(date +%s%N)
    elapsed_ms=$(((end_ns - start_ns) / 1000000))
    read -r ok refused other first_refused_at retry_after last_remaining < <(awk -F'|' '
        $1 == 200 { ok++; if (!refused) remaining = $3; else late++ }
        $1 == 429 { refused++; if (refused == 1) { at = NR; retry = $2 } }
        $1 != 200 && $1 != 429 { other++ }
        END { printf "%d %d %d %d %s %s\n", ok, refused, other + late * 1000, at, (retry == "" ? "-" : retry), (remaining == "" ? "-" : remaining) }
    ' "$TMP_DIR/sanity.txt")
    answered="$(wc -l <"$TMP_DIR/sanity.txt")"
    ((answered == SANITY_REQUESTS)) || { cat "$TMP_DIR/sanity.txt" >&2; die "sanity: $answered of $SANITY_REQUESTS requests answered"; }
    # other counts statuses that are neither 200 nor 429, plus 1000 per 200 after the first 429.
    ((other == 0)) || { cat "$TMP_DIR/sanity.txt" >&2; die "sanity: a status other than 200/429, or a 200 after a 429"; }
    # Each refill interval the burst took adds one request the bucket may let through.
    max_ok=$((SANITY_BURST + elapsed_ms / SANITY_EMISSION_MS))
    ((ok >= SANITY_BURST && ok <= max_ok && refused > 0)) \
        || { cat "$TMP_DIR/sanity.txt" >&2; die "sanity: $ok × 200 and $refused × 429 in ${elapsed_ms} ms; expected $SANITY_BURST × 200 (at most $max_ok in that time) and the rest 429"; }
    verdict="as expected"
    ((ok == SANITY_BURST)) || verdict="$((ok - SANITY_BURST)) more 200 than the burst: the bucket refilled during the ${elapsed_ms} ms"
    SANITY_LINE="sanity, default budgets, one Studio token, $SANITY_REQUESTS requests in ${elapsed_ms} ms on one connection: 200 × $ok, 429 × $refused (expected $SANITY_BURST and $((SANITY_REQUESTS - SANITY_BURST)): $verdict); first 429 at request $first_refused_at, Retry-After $retry_after s; X-RateLimit-Remaining after the last 200: $last_remaining"
    log "$SANITY_LINE"
    # Not needed any more: stop it, so it takes no CPU from the measured runs.
    stop_server default || die "the default server died during the sanity run"
fi

# --- checks with curl: both servers answer /me, and the switch really switches ---------------
# me_check NAME: GET /api/v1/me; prints "status x-ratelimit-limit" ("-" when the header is absent).
me_check() {
    local name=$1 out="$TMP_DIR/check-$1.json" status
    status="$(curl -s -o "$out" -D "$out.headers" -w '%{http_code}' --max-time 10 \
        -H "Authorization: Bearer ${SERVER_TOKEN[$name]}" "${SERVER_BASE[$name]}/api/v1/me" || true)"
    printf '%s %s\n' "$status" "$(awk -F': *' 'tolower($1) == "x-ratelimit-limit" { gsub(/\r/, "", $2); v = $2 } END { print (v == "" ? "-" : v) }' "$out.headers")"
}
expect() { # expect WHAT ACTUAL WANTED OUTFILE
    [[ "$2" == "$3" ]] || { cat "$4" "$4.headers" >&2 2>/dev/null || true; echo >&2; die "$1: got '$2', expected '$3'"; }
}
expect "on: GET /api/v1/me (status, X-RateLimit-Limit)" "$(me_check on)" "200 $ON_LIMIT" "$TMP_DIR/check-on.json"
expect "off: GET /api/v1/me (status, X-RateLimit-Limit)" "$(me_check off)" "200 -" "$TMP_DIR/check-off.json"
log "checks passed: GET /api/v1/me -> 200 on both; on sends X-RateLimit-Limit: $ON_LIMIT, off sends no X-RateLimit-Limit"

# --- wrk -----------------------------------------------------------------------------------
# Scenarios: SERVER THREADS CONNECTIONS.
declare -A SCENARIO=(
    [on]="on $THREADS $CONNECTIONS"
    [off]="off $THREADS $CONNECTIONS"
    [on-1c]="on 1 1"
    [off-1c]="off 1 1"
)
result() { awk -v k="$2" '$1 == "RESULT" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$1"; }
# cpu_ticks PID: user + system CPU time of the process so far, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# run_wrk SCENARIO DURATION TAG: runs wrk, checks every response was 2xx, prints
# "rps p50_us p99_us cpu_us_per_request".
run_wrk() {
    local scenario=$1 duration=$2 tag=$3 out="$TMP_DIR/$3.txt" server threads connections
    read -r server threads connections <<<"${SCENARIO[$scenario]}"
    local pid=${SERVER_PID[$server]} cpu_before cpu_after
    cpu_before="$(cpu_ticks "$pid")"
    wrk -t "$threads" -c "$connections" -d "$duration" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" \
        -H "Authorization: Bearer ${SERVER_TOKEN[$server]}" "${SERVER_BASE[$server]}/api/v1/me" \
        >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $scenario"; }
    kill -0 "$pid" 2>/dev/null || die "the $server server died during the $scenario run"
    cpu_after="$(cpu_ticks "$pid")"
    grep -q '^RESULT ' "$out" || { cat "$out" >&2; die "no RESULT line in the wrk output for $scenario"; }
    local requests non2xx socket_errors timeouts
    requests="$(result "$out" requests)"
    non2xx="$(result "$out" non2xx)"
    socket_errors="$(result "$out" socket_errors)"
    timeouts="$(result "$out" timeouts)"
    [[ "$requests" -gt 0 ]] || die "$scenario: no request completed"
    if [[ "$non2xx" != 0 ]]; then
        cat "$out" >&2
        die "$scenario: $non2xx responses were not 2xx (a 429 would mean the on budgets are too small)"
    fi
    if [[ "$socket_errors" != 0 || "$timeouts" != 0 ]]; then
        log "$scenario: wrk saw $socket_errors socket errors and $timeouts timeouts (over $WRK_TIMEOUT: not in the latency figures)"
    fi
    awk -v r="$(result "$out" rps)" -v p50="$(result "$out" p50_us)" -v p99="$(result "$out" p99_us)" \
        -v ticks=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$requests" \
        'BEGIN { printf "%.1f %d %d %.1f\n", r, p50, p99, ticks * 1e6 / hz / n }'
}

order=(on off)
[[ "$SERIAL" == 1 ]] && order+=(on-1c off-1c)

log "warming up (${WARMUP} per server under load)"
for scenario in on off; do
    run_wrk "$scenario" "$WARMUP" "warmup-$scenario" >/dev/null
done

declare -A RPS=() P50=() P99=() CPU=()
for round in $(seq 1 "$ROUNDS"); do
    for scenario in "${order[@]}"; do
        read -r _ threads connections <<<"${SCENARIO[$scenario]}"
        duration="$DURATION"
        [[ "$scenario" == *-1c ]] && duration="$SERIAL_DURATION"
        log "round $round/$ROUNDS: $scenario for $duration (-t$threads -c$connections)"
        measured="$(run_wrk "$scenario" "$duration" "round$round-$scenario")" || exit 1
        read -r rps p50 p99 cpu <<<"$measured"
        log "  $scenario: $rps req/s, p50 $p50 us, p99 $p99 us, server CPU $cpu us/request"
        RPS[$scenario]+="$rps "
        P50[$scenario]+="$p50 "
        P99[$scenario]+="$p99 "
        CPU[$scenario]+="$cpu "
    done
done

# --- report --------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6g", m }'; }
# paired OP A B METRIC: per round, A's and B's value of METRIC (RPS, P50, P99 or CPU) combined
# with OP ("-" or "/"), one line per round.
paired() {
    local op=$1 i
    local -n metric=$4
    local -a xs ys
    read -r -a xs <<<"${metric[$2]}"
    read -r -a ys <<<"${metric[$3]}"
    for i in "${!xs[@]}"; do
        awk -v x="${xs[$i]}" -v y="${ys[$i]}" -v op="$op" 'BEGIN { if (op == "-") printf "%.1f\n", x - y; else printf "%.3f\n", x / y }'
    done
}
fmt() { awk -v v="$2" -v f="$1" 'BEGIN { printf f, v }'; }
per_round() { paired "$@" | tr '\n' ' ' | sed 's/ $//'; }

errors=0
for name in on off; do
    warn_error_lines "the $name server" "${SERVER_LOG[$name]}" || errors=1
done

row() { # row SCENARIO LABEL
    local s=$1
    # shellcheck disable=SC2086
    printf '%-24s %-9s %9s %8s %8s %8s   %s\n' "$2" "$(read -r _ t c <<<"${SCENARIO[$s]}"; echo "-t$t -c$c")" \
        "$(fmt '%.1f' "$(median ${RPS[$s]})")" "$(fmt '%.0f' "$(median ${P50[$s]})")" \
        "$(fmt '%.0f' "$(median ${P99[$s]})")" "$(fmt '%.1f' "$(median ${CPU[$s]})")" "${RPS[$s]% }"
}
# shellcheck disable=SC2046
summary() { # summary ON OFF LABEL
    local d50 d99 dcpu ratio
    d50="$(median $(paired - "$1" "$2" P50))"
    d99="$(median $(paired - "$1" "$2" P99))"
    dcpu="$(median $(paired - "$1" "$2" CPU))"
    ratio="$(median $(paired / "$1" "$2" RPS))"
    printf '%-16s p50 %s us (%s ms), p99 %s us, server CPU %s us/request, throughput on/off %s\n' "$3" \
        "$(fmt '%+.0f' "$d50")" "$(fmt '%+.3f' "$(awk -v v="$d50" 'BEGIN { print v / 1000 }')")" \
        "$(fmt '%+.0f' "$d99")" "$(fmt '%+.1f' "$dcpu")" "$(fmt '%.3f' "$ratio")"
    printf '%-16s per round: p50 %s us; CPU %s us/request; on/off %s\n' "" \
        "$(per_round - "$1" "$2" P50)" "$(per_round - "$1" "$2" CPU)" "$(per_round / "$1" "$2" RPS)"
}

echo
serial_note=""
[[ "$SERIAL" == 1 ]] && serial_note=", ${SERIAL_DURATION} on one connection"
echo "Hoursmith rate-limit overhead ($(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores, GET /api/v1/me with a Studio token, $ROUNDS interleaved rounds, ${DURATION} per run under load$serial_note)"
echo "on: limiter on, burst and sustained limits $ON_LIMIT (nothing refused); off: RateLimits__Enabled=false"
printf '%-24s %-9s %9s %8s %8s %8s   %s\n' scenario wrk 'req/s' 'p50 us' 'p99 us' 'CPU us' 'req/s per round'
row on "on (limiter, no 429)"
row off "off (limiter disabled)"
if [[ "$SERIAL" == 1 ]]; then
    row on-1c "on, 1 connection"
    row off-1c "off, 1 connection"
fi
echo "(medians over the rounds; latencies in microseconds; CPU: the server's user + system time per request)"
echo "added by the limiter (on − off, paired per round, median):"
summary on off "  -c$CONNECTIONS:"
[[ "$SERIAL" == 1 ]] && summary on-1c off-1c "  1 connection:"
[[ -n "$SANITY_LINE" ]] && echo "$SANITY_LINE"
echo "load average: $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
[[ "$errors" == 0 ]] || echo "WARNING: Error/Critical lines in a server log (see above)"
