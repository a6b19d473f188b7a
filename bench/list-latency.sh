#!/usr/bin/env bash
# List latency benchmark ("Lists that scale"): p50/p99 of GET /api/v1/time-entries on a workspace
# of 1,000,000 time entries (first page, page 500 through the cursor chain, a search for a common
# word and for a rare term, and the first page of a small project), against the same queries in raw
# SQL on the same database (the floor), and against that SQL behind a bare Kestrel route (the HTTP
# floor: what HTTP and JSON alone cost), in one run. See bench/README.md.
#
# Environment (all optional):
#   DATABASE=sqlite     sqlite: the embedded file (one process); postgres: a fresh database "hoursmith_listbench"
#                       on this checkout's PostgreSQL (scripts/services start; run as root), dropped at the end
#   ENTRIES=1000000     time entries to seed (PROJECTS=50, MEMBERS=20, DAYS=730, SEED=42)
#   SEARCH=             search term (default: a note word the generator picks, in ~SEARCH_FRACTION of rows)
#   SEARCH_FRACTION=0.02
#   RARE_ROWS=200       notes that get the rare term "HS-4711" (the search-rare scenario; at least 51)
#   PAGE=500            the deep page to measure
#   ROUNDS=3            measured rounds; each figure is the median of the rounds' values
#   DURATION=5s         each measured wrk run; WARMUP=3s once per scenario before the rounds (not measured)
#   THREADS=1 CONNECTIONS=1   wrk -t/-c: one request at a time, so latency is service time, not queueing
#   SQL_ITERATIONS=2000 SQL_MAX_SECONDS=5    in-process and raw SQL runs per scenario and round (whichever ends first)
#   MAX_RATIO=3         target: API p50 / SQL p50 at most this
#   MAX_DEEP_RATIO=1.5  target: API p50 of page PAGE / page 1 at most this ("the same", with noise room)
#   ENFORCE=0           ENFORCE=1 exits 1 when a target is missed
#   ANALYZE=0           ANALYZE=1 runs SQLite's ANALYZE after seeding (not what the app does; shows the effect of statistics).
#                       PostgreSQL is always analyzed after its bulk load, as autovacuum would do soon after.
#   EXTRA_SQL=          SQL run on the database after seeding, before ANALYZE: a candidate index, measured end to end
#   EXPLAIN=1           EXPLAIN=0 skips capturing the SQL EF sends (a second, logging server run) and its plans (SQLite only)
#   PORT=58190 STARTUP_TIMEOUT=60 SKIP_BUILD=0 KEEP_TMP=0
#   REUSE=              a directory a KEEP_TMP=1 run on SQLite kept: measure its database again (no migration or seeding;
#                       a new token is minted; the seeding variables above are then ignored). The database is used in place.
set -euo pipefail

DATABASE="${DATABASE:-sqlite}"
ENTRIES="${ENTRIES:-1000000}"
PROJECTS="${PROJECTS:-50}"
MEMBERS="${MEMBERS:-20}"
DAYS="${DAYS:-730}"
SEED="${SEED:-42}"
SEARCH="${SEARCH:-}"
SEARCH_FRACTION="${SEARCH_FRACTION:-0.02}"
RARE_ROWS="${RARE_ROWS:-200}"
PAGE="${PAGE:-500}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-3s}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-1}"
SQL_ITERATIONS="${SQL_ITERATIONS:-2000}"
SQL_MAX_SECONDS="${SQL_MAX_SECONDS:-5}"
MAX_RATIO="${MAX_RATIO:-3}"
MAX_DEEP_RATIO="${MAX_DEEP_RATIO:-1.5}"
ENFORCE="${ENFORCE:-0}"
ANALYZE="${ANALYZE:-0}"
EXTRA_SQL="${EXTRA_SQL:-}"
EXPLAIN="${EXPLAIN:-1}"
PORT="${PORT:-58190}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
SKIP_BUILD="${SKIP_BUILD:-0}"
KEEP_TMP="${KEEP_TMP:-0}"
REUSE="${REUSE:-}"

((PAGE >= 2)) || { echo "PAGE must be at least 2" >&2; exit 2; }
[[ "$DATABASE" == sqlite || "$DATABASE" == postgres ]] || { echo "DATABASE must be sqlite or postgres" >&2; exit 2; }
# The SQL EF sends is timed with SQLite's statement counters; on PostgreSQL the plans come from the floor.
[[ "$DATABASE" == postgres ]] && EXPLAIN=0
if [[ -n "$REUSE" ]]; then
    [[ "$DATABASE" == sqlite ]] || { echo "REUSE works on SQLite only" >&2; exit 2; }
    REUSE="$(cd "$REUSE" && pwd)" || { echo "REUSE: no such directory" >&2; exit 2; }
    for f in bench.db seed.json ids.json; do
        [[ -f "$REUSE/$f" ]] || { echo "REUSE: $REUSE/$f is missing (a KEEP_TMP=1 run on SQLite keeps it)" >&2; exit 2; }
    done
fi
PG_DATABASE=hoursmith_listbench
PG_CREATED=0
HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
API_PROJECT="$REPO_ROOT/src/Hoursmith.Api"
GEN_PROJECT="$REPO_ROOT/bench/Hoursmith.Bench"
API_OUT="$API_PROJECT/bin/Release/net10.0"
GEN_OUT="$GEN_PROJECT/bin/Release/net10.0"
# "deep" is page PAGE of page1's query, reached through the cursor chain.
SCENARIOS=(page1 deep search search-rare page1-small)
declare -A LABEL=([page1]=page1 [deep]="page$PAGE" [search]=search [search-rare]=search-rare [page1-small]=page1-small [me]="me (ref.)")

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR=""
SERVER_PID=""
SERVER_LOG=""
FLOOR_PID=""
TARGET_FAILED=0

stop_server() {
    stop_pid "the server" "$SERVER_PID" || true
    SERVER_PID=""
}

stop_floor() {
    stop_pid "the HTTP floor server" "$FLOOR_PID" || true
    FLOOR_PID=""
}

psql_admin() {
    PGPASSWORD="${HOURSMITH_POSTGRES_PASSWORD:-hoursmith-local}" /usr/lib/postgresql/15/bin/psql -X -q -h 127.0.0.1 -p 55432 \
        -U hoursmith -d postgres -c "$1"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_server
    stop_floor
    if [[ "$PG_CREATED" == 1 ]]; then
        psql_admin "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" || log "could not drop database $PG_DATABASE"
    fi
    if [[ $rc -ne 0 && "$TARGET_FAILED" != 1 && -n "$SERVER_LOG" && -s "$SERVER_LOG" ]]; then
        log "last lines of the server log ($SERVER_LOG):"
        tail -n 5 "$SERVER_LOG" | cut -c1-300 >&2 || true
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
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-list-bench.XXXXXX")"
if [[ "$SKIP_BUILD" != 1 ]]; then
    for project in "$API_PROJECT" "$GEN_PROJECT"; do
        log "building $project (Release)"
        if ! (cd "$REPO_ROOT" && dotnet build -c Release "$project" -nologo -v quiet) >"$TMP_DIR/build.log" 2>&1; then
            tail -n 40 "$TMP_DIR/build.log" >&2
            die "build failed"
        fi
    done
fi
[[ -f "$API_OUT/Hoursmith.Api.dll" ]] || die "$API_OUT/Hoursmith.Api.dll not found (build it, or unset SKIP_BUILD)"
[[ -f "$GEN_OUT/Hoursmith.Bench.dll" ]] || die "$GEN_OUT/Hoursmith.Bench.dll not found (build it, or unset SKIP_BUILD)"
# Private copies, so a concurrent rebuild cannot swap files under the running processes.
cp -a "$API_OUT" "$TMP_DIR/app"
cp -a "$GEN_OUT" "$TMP_DIR/gen"
APP_DIR="$TMP_DIR/app"
DB="$TMP_DIR/bench.db"
[[ -z "$REUSE" ]] || DB="$REUSE/bench.db"

# --- configuration shared by the server, the CLI and the generator ---------------------------
if [[ "$DATABASE" == postgres ]]; then
    [[ $EUID -eq 0 ]] || die "DATABASE=postgres runs as root (scripts/services starts PostgreSQL)"
    settings="$(bash "$REPO_ROOT/scripts/services" start)" || die "scripts/services start failed"
    # Its PostgreSQL settings, pointed at a database of this run's own; no Redis (one instance).
    pg_connection="$(sed -n "s/^export ConnectionStrings__Hoursmith='\(.*\)'$/\1/p" <<<"$settings")"
    [[ -n "$pg_connection" ]] || die "scripts/services start printed no connection string"
    pg_connection="${pg_connection/Database=hoursmith;/Database=$PG_DATABASE;}"
    psql_admin "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" || die "could not drop database $PG_DATABASE"
    psql_admin "CREATE DATABASE \"$PG_DATABASE\"" || die "could not create database $PG_DATABASE"
    PG_CREATED=1
    export Database__Provider=postgres
    export ConnectionStrings__Hoursmith="$pg_connection"
    STORE_ARGS=(--postgres "$pg_connection")
else
    export ConnectionStrings__Hoursmith="Data Source=$DB"
    STORE_ARGS=(--db "$DB")
fi
export Hoursmith__RequireHttps=false
export Hoursmith__SeedDemo=false
export Hoursmith__TokenEnvironment=live
# One cursor key for both server runs (measured, then logging), so page PAGE's cursor works in both.
Hoursmith__CursorSecret="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export Hoursmith__CursorSecret
export ASPNETCORE_ENVIRONMENT=Production
export DOTNET_ENVIRONMENT=Production
export RateLimits__Enabled=false
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

cli() { (cd "$APP_DIR" && exec dotnet Hoursmith.Api.dll "$@") 2>>"$TMP_DIR/cli.err"; }
gen() { dotnet "$TMP_DIR/gen/Hoursmith.Bench.dll" "$@"; }

# --- schema, workspace, token, then the data -----------------------------------------------
if [[ -n "$REUSE" ]]; then
    # An earlier run's database: its workspace and owner, a token of this run's own.
    WORKSPACE_ID="$(jq -er '.workspaceId' "$REUSE/ids.json")"
    OWNER_ID="$(jq -er '.ownerMemberId' "$REUSE/ids.json")"
    cp "$REUSE/seed.json" "$REUSE/ids.json" "$TMP_DIR/"
    log "reusing $DB (workspace $WORKSPACE_ID)"
else
    # The schema first (the CLI migrates), so the generator writes into the app's own tables.
    cli migrate >/dev/null || { cat "$TMP_DIR/cli.err" >&2; die "migrate failed"; }
    created="$(cli workspaces create --name "List bench" --plan agency --owner-email bench@example.com)" \
        || { cat "$TMP_DIR/cli.err" >&2; die "workspaces create failed"; }
    WORKSPACE_ID="$(jq -er '.workspaceId' <<<"$created")"
    OWNER_ID="$(jq -er '.ownerMemberId' <<<"$created")"
    printf '{"workspaceId":"%s","ownerMemberId":"%s"}\n' "$WORKSPACE_ID" "$OWNER_ID" >"$TMP_DIR/ids.json"

    log "seeding $ENTRIES time entries ($PROJECTS projects, $MEMBERS members, $DAYS days)"
    seed_args=(seed "${STORE_ARGS[@]}" --workspace "$WORKSPACE_ID" --entries "$ENTRIES" --projects "$PROJECTS" --members "$MEMBERS"
        --days "$DAYS" --seed "$SEED" --search-fraction "$SEARCH_FRACTION" --rare-rows "$RARE_ROWS" --analyze "$ANALYZE")
    [[ -n "$SEARCH" ]] && seed_args+=(--search "$SEARCH")
    [[ -n "$EXTRA_SQL" ]] && seed_args+=(--extra-sql "$EXTRA_SQL")
    gen "${seed_args[@]}" >"$TMP_DIR/seed.json" || die "seeding failed"
fi
TOKEN="$(cli tokens mint --workspace "$WORKSPACE_ID" --member "$OWNER_ID" --name list-bench | jq -er '.token')" \
    || { cat "$TMP_DIR/cli.err" >&2; die "tokens mint failed"; }
AUTH_HEADER="Authorization: Bearer $TOKEN"
PROJECT_ID="$(jq -er '.scenario.projectId' "$TMP_DIR/seed.json")"
SMALL_PROJECT_ID="$(jq -er '.scenario.smallProjectId' "$TMP_DIR/seed.json")"
FROM="$(jq -er '.scenario.from' "$TMP_DIR/seed.json")"
TO="$(jq -er '.scenario.to' "$TMP_DIR/seed.json")"
SEARCH="$(jq -er '.scenario.search' "$TMP_DIR/seed.json")"
RARE_SEARCH="$(jq -er '.scenario.rareSearch' "$TMP_DIR/seed.json")"
log "seeded in $(jq -r '.seconds.total' "$TMP_DIR/seed.json")s: project $PROJECT_ID has $(jq -r '.scenario.pageRows' "$TMP_DIR/seed.json") entries from $FROM to $TO; small project $SMALL_PROJECT_ID has $(jq -r '.scenario.smallPageRows' "$TMP_DIR/seed.json"); \"$SEARCH\" is in $(jq -r '.scenario.searchRows' "$TMP_DIR/seed.json") notes, \"$RARE_SEARCH\" in $(jq -r '.scenario.rareRows' "$TMP_DIR/seed.json")"

# --- free loopback port --------------------------------------------------------------------
PORT="$(free_port "$PORT")" || die "no free port found near $PORT"
BASE="http://$HOST:$PORT"

# start_server LOG [EXTRA ARGS...]
start_server() {
    SERVER_LOG=$1
    shift
    (cd "$APP_DIR" && exec dotnet Hoursmith.Api.dll serve --urls "$BASE" "$@") >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local deadline=$((SECONDS + STARTUP_TIMEOUT))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/health" || true)" == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during startup"
        ((SECONDS < deadline)) || die "/health did not answer 200 within ${STARTUP_TIMEOUT}s"
        sleep 0.5
    done
}

log "starting the server on $BASE"
start_server "$TMP_DIR/server.log"

# --- the scenario URLs -----------------------------------------------------------------------
LIST="$BASE/api/v1/time-entries"
PAGE_URL="$LIST?projectId=$PROJECT_ID&entryDateFrom=$FROM&entryDateTo=$TO&sort=-entryDate"
declare -A URL=(
    [page1]="$PAGE_URL"
    [search]="$LIST?search=$SEARCH"
    [search-rare]="$LIST?search=$RARE_SEARCH"
    [page1-small]="$LIST?projectId=$SMALL_PROJECT_ID&entryDateFrom=$FROM&entryDateTo=$TO&sort=-entryDate"
    [me]="$BASE/api/v1/me"
)

get() { curl -sf --max-time 30 -H "$AUTH_HEADER" "$1"; }

# Walks the cursor chain: page 1, then each page's nextCursor, up to page PAGE.
log "walking the cursor chain to page $PAGE"
walk_start=$SECONDS
cursor=""
for ((page = 1; page < PAGE; page++)); do
    body="$(get "$PAGE_URL${cursor:+&cursor=$cursor}")" || die "page $page failed"
    [[ "$body" =~ \"nextCursor\":\"([^\"]+)\" ]] || die "page $page has no nextCursor: fewer than $PAGE pages (raise ENTRIES or lower PAGE)"
    cursor="${BASH_REMATCH[1]}"
    last_of_previous="$body"
done
URL[deep]="$PAGE_URL&cursor=$cursor"
AFTER_DATE="$(jq -er '.data[-1].entryDate' <<<"$last_of_previous")"
AFTER_ID="$(jq -er '.data[-1].id' <<<"$last_of_previous")"
log "page $PAGE's cursor after $((SECONDS - walk_start))s: it continues after ($AFTER_DATE, $AFTER_ID)"

# Each scenario once: its status, its row count and its first row, for the comparison with SQL.
declare -A API_FIRST API_ROWS
for name in "${SCENARIOS[@]}"; do
    body="$(get "${URL[$name]}")" || die "$name: GET ${URL[$name]} failed"
    API_ROWS[$name]="$(jq -r '.data | length' <<<"$body")"
    API_FIRST[$name]="$(jq -r '.data[0].id // empty' <<<"$body")"
    [[ "${API_ROWS[$name]}" == 50 ]] || die "$name answered ${API_ROWS[$name]} rows, expected a full page of 50"
done

cat >"$TMP_DIR/scenarios.json" <<EOF
{"workspaceId":"$WORKSPACE_ID","projectId":"$PROJECT_ID","smallProjectId":"$SMALL_PROJECT_ID","from":"$FROM","to":"$TO",
 "afterDate":"$AFTER_DATE","afterId":"$AFTER_ID","search":"$SEARCH","rareSearch":"$RARE_SEARCH"}
EOF

# --- the HTTP floor: the scenarios' hand-written SQL behind a bare Kestrel route (FloorServer.cs) ----
FLOOR_PORT="$(free_port "$((PORT + 1))")" || die "no free port found for the HTTP floor server"
FLOOR_BASE="http://$HOST:$FLOOR_PORT"
log "starting the HTTP floor server on $FLOOR_BASE"
# Tiered compilation as in the API (the generator's own runs turn it off).
DOTNET_TieredCompilation=1 dotnet "$TMP_DIR/gen/Hoursmith.Bench.dll" floor-server "${STORE_ARGS[@]}" --scenarios "$TMP_DIR/scenarios.json" --urls "$FLOOR_BASE" >"$TMP_DIR/floor.log" 2>&1 &
FLOOR_PID=$!
deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$FLOOR_BASE/floor/page1" || true)" == 200 ]]; do
    kill -0 "$FLOOR_PID" 2>/dev/null || { cat "$TMP_DIR/floor.log" >&2; die "the HTTP floor server exited during startup"; }
    ((SECONDS < deadline)) || die "the HTTP floor server did not answer within ${STARTUP_TIMEOUT}s"
    sleep 0.5
done
declare -A FLOOR_FIRST
for name in "${SCENARIOS[@]}"; do
    URL[floor-$name]="$FLOOR_BASE/floor/$name"
    body="$(get "${URL[floor-$name]}")" || die "$name: the HTTP floor server failed"
    [[ "$(jq -r '.data | length' <<<"$body")" == 50 ]] || die "$name: the HTTP floor server answered no full page"
    FLOOR_FIRST[$name]="$(jq -r '.data[0].id // empty' <<<"$body")"
done

# --- measurements: rounds of, per scenario, the API (wrk), in-process, raw SQL, back to back ----
# Interleaved, so load from elsewhere on the machine hits the three alike; each figure is the
# median over the rounds.
to_ms() { awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { print "nan" } }'; }

run_wrk() {
    local name=$1 duration=$2 out=$3 non2xx
    # A long timeout: a slow plan should show as a slow p50, not as requests wrk gave up on.
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$duration" --timeout 60s --latency -H "$AUTH_HEADER" "${URL[$name]}" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed on $name"; }
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the $name run"
    [[ -z "$FLOOR_PID" ]] || kill -0 "$FLOOR_PID" 2>/dev/null || die "the HTTP floor server died during the $name run"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    [[ -z "$non2xx" || "$non2xx" == 0 ]] || { cat "$out" >&2; die "$name: $non2xx non-2xx responses"; }
    if ! grep -q ' requests in ' "$out" || grep -q '^ *0 requests in ' "$out"; then
        cat "$out" >&2
        die "$name: wrk completed no request in $duration (raise DURATION)"
    fi
}

# The in-process run takes the same query strings as the URLs.
: >"$TMP_DIR/queries.tsv"
for name in "${SCENARIOS[@]}"; do
    printf '%s\t%s\n' "$name" "${URL[$name]#*\?}" >>"$TMP_DIR/queries.tsv"
done

# median VALUES...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A RUNS  # "<kind>:<name>" -> the p50s of the rounds, space-separated (kind: api, api99, inproc, sql, sql99)
for name in "${SCENARIOS[@]}" me; do
    log "${LABEL[$name]}: API warm-up $WARMUP"
    run_wrk "$name" "$WARMUP" "$TMP_DIR/wrk-warmup-$name.txt"
    [[ "$name" == me ]] || run_wrk "floor-$name" "$WARMUP" "$TMP_DIR/wrk-warmup-floor-$name.txt"
done
for round in $(seq 1 "$ROUNDS"); do
    for name in "${SCENARIOS[@]}" me; do
        out="$TMP_DIR/wrk-$name-$round.txt"
        run_wrk "$name" "$DURATION" "$out"
        api50="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")"
        api99="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")"
        RUNS[api:$name]+="$api50 "
        RUNS[api99:$name]+="$api99 "
        if [[ "$name" == me ]]; then
            log "round $round/$ROUNDS ${LABEL[$name]}: API p50 $api50 ms"
            continue
        fi
        out="$TMP_DIR/wrk-floor-$name-$round.txt"
        run_wrk "floor-$name" "$DURATION" "$out"
        floor50="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")"
        RUNS[floor:$name]+="$floor50 "
        gen inproc "${STORE_ARGS[@]}" --scenarios "$TMP_DIR/scenarios.json" --member "$OWNER_ID" --queries "$TMP_DIR/queries.tsv" --only "$name" \
            --iterations "$SQL_ITERATIONS" --max-seconds "$SQL_MAX_SECONDS" >"$TMP_DIR/inproc-$name-$round.json" || die "the in-process run failed on $name"
        gen sql "${STORE_ARGS[@]}" --scenarios "$TMP_DIR/scenarios.json" --only "$name" \
            --iterations "$SQL_ITERATIONS" --max-seconds "$SQL_MAX_SECONDS" >"$TMP_DIR/sql-$name-$round.json" || die "the SQL run failed on $name"
        cp "$TMP_DIR/sql-$name-$round.json" "$TMP_DIR/sql-$name.json"
        cp "$TMP_DIR/inproc-$name-$round.json" "$TMP_DIR/inproc-$name.json"
        inproc50="$(jq -r --arg s "$name" '.results[$s].p50Ms' "$TMP_DIR/inproc-$name-$round.json" | xargs printf '%.3f')"
        sql50="$(jq -r --arg s "$name" '.results[$s].p50Ms' "$TMP_DIR/sql-$name-$round.json" | xargs printf '%.3f')"
        RUNS[inproc:$name]+="$inproc50 "
        RUNS[sql:$name]+="$sql50 "
        RUNS[sql99:$name]+="$(jq -r --arg s "$name" '.results[$s].p99Ms' "$TMP_DIR/sql-$name-$round.json" | xargs printf '%.3f') "
        log "round $round/$ROUNDS ${LABEL[$name]}: API p50 $api50 ms, HTTP floor p50 $floor50 ms, in-process p50 $inproc50 ms, SQL p50 $sql50 ms"
    done
done
declare -A API_P50 API_P99 FLOOR_P50 INPROC_P50 SQL_P50 SQL_P99
for name in "${SCENARIOS[@]}" me; do
    # shellcheck disable=SC2086 # word splitting of the run lists is intended
    {
        API_P50[$name]="$(median ${RUNS[api:$name]})"
        API_P99[$name]="$(median ${RUNS[api99:$name]})"
        [[ "$name" == me ]] && continue
        FLOOR_P50[$name]="$(median ${RUNS[floor:$name]})"
        INPROC_P50[$name]="$(median ${RUNS[inproc:$name]})"
        SQL_P50[$name]="$(median ${RUNS[sql:$name]})"
        SQL_P99[$name]="$(median ${RUNS[sql99:$name]})"
    }
done
errors="$(grep -Eci '"LogLevel":"(Error|Critical)"' "$TMP_DIR/server.log" || true)"
[[ "$errors" == 0 ]] || log "WARNING: the server log has $errors Error/Critical lines"
stop_server
stop_floor
sql_of() { jq -r --arg s "$1" --arg f "$2" '.results[$s][$f] // empty' "$TMP_DIR/sql-$1.json"; }
inproc_of() { jq -r --arg s "$1" --arg f "$2" '.results[$s][$f] // empty' "$TMP_DIR/inproc-$1.json"; }

# --- the SQL EF sends, captured from a second server run with EF command logging --------------
if [[ "$EXPLAIN" == 1 ]]; then
    log "capturing the SQL EF sends (a server run with Microsoft.EntityFrameworkCore.Database.Command at Information)"
    start_server "$TMP_DIR/server-ef.log" "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information"
    mkdir -p "$TMP_DIR/efsql"
    for name in "${SCENARIOS[@]}"; do
        before="$(wc -l <"$TMP_DIR/server-ef.log")"
        get "${URL[$name]}" >/dev/null || die "$name failed on the logging server"
        sleep 0.3
        tail -n "+$((before + 1))" "$TMP_DIR/server-ef.log" \
            | jq -r 'select(.Category == "Microsoft.EntityFrameworkCore.Database.Command" and (.Message | contains("FROM \"TimeEntries\""))) | .Message' \
            >"$TMP_DIR/efsql/$name.all"
        # The last one answered: a rare search first walks a bounded part of the list, then asks the index.
        jq -Rrs 'split("\nExecuted DbCommand") | last | if startswith("Executed") then . else "Executed DbCommand" + . end' \
            "$TMP_DIR/efsql/$name.all" | sed '/^$/d' >"$TMP_DIR/efsql/$name.log"
        [[ -s "$TMP_DIR/efsql/$name.log" ]] || die "no TimeEntries query logged for $name"
    done
    stop_server
    gen explain --db "$DB" --scenarios "$TMP_DIR/scenarios.json" --sql-dir "$TMP_DIR/efsql" \
        --iterations "$SQL_ITERATIONS" --max-seconds "$SQL_MAX_SECONDS" >"$TMP_DIR/efsql.json" || die "timing the EF SQL failed"
fi
ef_of() { if [[ -s "$TMP_DIR/efsql.json" ]]; then jq -r --arg s "$1" --arg f "$2" '.results[$s][$f] // empty' "$TMP_DIR/efsql.json"; fi; }

# --- results -------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
above() { awk -v r="$1" -v t="$2" 'BEGIN { exit !(r > t) }'; }

echo
echo "Hoursmith list latency ($(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(jq -r '.databaseVersion' "$TMP_DIR/sql-page1.json"), $(jq -r '.entries' "$TMP_DIR/seed.json") entries$([[ -n "$EXTRA_SQL" ]] && echo ', with EXTRA_SQL')$([[ "$ANALYZE" == 1 ]] && echo ', after ANALYZE'), wrk -t$THREADS -c$CONNECTIONS -d$DURATION x $ROUNDS rounds)"
echo "API: GET over HTTP on 127.0.0.1 with a bearer token (wrk). HTTP floor: the SQL below behind a bare Kestrel route (pooled connection,"
echo "typed reads into the entity, the API's views, cursor and JSON; no authentication, middleware, logging or EF), timed with wrk like the API."
echo "In-process: the API's list handler and its JSON, called directly (no HTTP, authentication or logging)."
echo "SQL: the same query by hand, prepared, one open connection, every column read: the floor."
echo "EF SQL: the statement EF actually sent, timed like the floor. VM steps: SQLite's work for one run of the EF SQL."
echo
printf '| %-12s | %9s | %9s | %10s | %11s | %9s | %9s | %11s | %10s | %8s |\n' scenario "API p50" "API p99" "HTTP floor" "in-proc p50" "SQL p50" "SQL p99" "API/SQL p50" "EF SQL p50" "VM steps"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------------- ----------: ----------: -----------: ------------: ----------: ----------: ------------: -----------: ---------:
declare -A RATIO FLOOR_RATIO
for name in "${SCENARIOS[@]}"; do
    RATIO[$name]="$(ratio "${API_P50[$name]}" "${SQL_P50[$name]}")"
    FLOOR_RATIO[$name]="$(ratio "${FLOOR_P50[$name]}" "${SQL_P50[$name]}")"
    ef_p50="$(ef_of "$name" p50Ms)"
    printf '| %-12s | %6s ms | %6s ms | %7s ms | %8s ms | %6s ms | %6s ms | %11s | %10s | %8s |\n' "${LABEL[$name]}" "${API_P50[$name]}" "${API_P99[$name]}" \
        "${FLOOR_P50[$name]}" "${INPROC_P50[$name]}" "${SQL_P50[$name]}" "${SQL_P99[$name]}" "${RATIO[$name]}" "${ef_p50:+$ef_p50 ms}" "$(ef_of "$name" vmSteps)"
done
printf '| %-12s | %6s ms | %6s ms | %10s | %11s | %9s | %9s | %11s | %10s | %8s |\n' "${LABEL[me]}" "${API_P50[me]}" "${API_P99[me]}" - - - - - - -
DEEP="$(ratio "${API_P50[deep]}" "${API_P50[page1]}")"
echo
echo "page$PAGE/page1 (API p50): $DEEP (target <= $MAX_DEEP_RATIO: deep pages cost the same as the first)"
echo "API/SQL at p50: page1 ${RATIO[page1]}, page$PAGE ${RATIO[deep]}, search ${RATIO[search]}, search-rare ${RATIO[search-rare]}, page1-small ${RATIO[page1-small]} (target <= $MAX_RATIO)"
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# The ratio of a fixed cost to a 0.2-0.5 ms query moves with the query's own noise; the difference does not.
echo "API - SQL at p50: page1 $(minus "${API_P50[page1]}" "${SQL_P50[page1]}") ms, page$PAGE $(minus "${API_P50[deep]}" "${SQL_P50[deep]}") ms, search $(minus "${API_P50[search]}" "${SQL_P50[search]}") ms, search-rare $(minus "${API_P50[search-rare]}" "${SQL_P50[search-rare]}") ms, page1-small $(minus "${API_P50[page1-small]}" "${SQL_P50[page1-small]}") ms (informational)"
echo "HTTP floor/SQL at p50: page1 ${FLOOR_RATIO[page1]}, page$PAGE ${FLOOR_RATIO[deep]}, search ${FLOOR_RATIO[search]}, search-rare ${FLOOR_RATIO[search-rare]}, page1-small ${FLOOR_RATIO[page1-small]} (what HTTP and JSON alone take of the target)"
echo "API/HTTP floor at p50: page1 $(ratio "${API_P50[page1]}" "${FLOOR_P50[page1]}"), page$PAGE $(ratio "${API_P50[deep]}" "${FLOOR_P50[deep]}"), search $(ratio "${API_P50[search]}" "${FLOOR_P50[search]}"), search-rare $(ratio "${API_P50[search-rare]}" "${FLOOR_P50[search-rare]}"), page1-small $(ratio "${API_P50[page1-small]}" "${FLOOR_P50[page1-small]}") (target <= 1.4 for the pages: what the API adds to HTTP and JSON)"
echo "me (ref.) is GET /api/v1/me: authentication and a small JSON body, no list; the fixed cost inside every API figure."
echo "Medians of $ROUNDS rounds. p50s per round (API / HTTP floor / in-process / SQL):"
for name in "${SCENARIOS[@]}"; do
    echo "  ${LABEL[$name]}: ${RUNS[api:$name]}/ ${RUNS[floor:$name]}/ ${RUNS[inproc:$name]}/ ${RUNS[sql:$name]}"
done
echo "  ${LABEL[me]}: ${RUNS[api:me]}"

# The API and SQL must have returned the same rows.
for name in "${SCENARIOS[@]}"; do
    sql_first="$(sql_of "$name" firstId)"
    inproc_first="$(inproc_of "$name" firstId)"
    for other in "$sql_first" "$inproc_first" "${FLOOR_FIRST[$name]}"; do
        [[ "${API_FIRST[$name],,}" == "${other,,}" ]] \
            || die "$name: first rows differ: API ${API_FIRST[$name]}, HTTP floor ${FLOOR_FIRST[$name]}, in-process ${inproc_first}, SQL ${sql_first} (the queries differ)"
    done
done
echo "Rows checked: each scenario's first row is the same from the API, the HTTP floor, in-process and the SQL."

if [[ "$EXPLAIN" == 1 ]]; then
    echo
    for name in "${SCENARIOS[@]}"; do
        echo "--- ${LABEL[$name]}: the SQL EF sent ---"
        sed -n '2,$p' "$TMP_DIR/efsql/$name.log"
        echo "plan: $(jq -r --arg s "$name" '.results[$s].plan | join(" / ")' "$TMP_DIR/efsql.json")"
        echo "floor plan: $(jq -r --arg s "$name" '.results[$s].plan | join(" / ")' "$TMP_DIR/sql-$name.json")"
    done
else
    echo
    for name in "${SCENARIOS[@]}"; do
        echo "${LABEL[$name]} floor plan: $(jq -r --arg s "$name" '.results[$s].plan | join(" / ")' "$TMP_DIR/sql-$name.json")"
    done
fi

missed=()
above "$DEEP" "$MAX_DEEP_RATIO" && missed+=("page$PAGE/page1 $DEEP > $MAX_DEEP_RATIO")
for name in "${SCENARIOS[@]}"; do
    above "${RATIO[$name]}" "$MAX_RATIO" && missed+=("${LABEL[$name]} API/SQL ${RATIO[$name]} > $MAX_RATIO")
done
echo
if ((${#missed[@]} > 0)); then
    echo "Targets missed: ${missed[*]}"
    if [[ "$ENFORCE" == 1 ]]; then
        TARGET_FAILED=1
        exit 1
    fi
    echo "(not enforced; ENFORCE=1 exits 1)"
else
    echo "Targets met."
fi
