# shellcheck shell=bash
# Shared by the bench/*.sh scripts (sourced): logging, required tools, stopping a server this
# script started, its log on failure, the temp dir, free loopback ports, and the start-up of an
# API server (build and private copy, Production settings, start, wait for health, an Owner
# token through the CLI) and its CPU time from /proc.
# The sourcing script sets HOST (for port_in_use without ss), KEEP_TMP and TMP_DIR, and, for the
# start-up functions, REPO_ROOT and SKIP_BUILD.

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# require_tools TOOL...: wrk is installed from Debian when missing; every other tool must be there.
require_tools() {
    if ! command -v wrk >/dev/null 2>&1; then
        log "wrk not found; installing it with apt-get"
        apt-get update >&2
        apt-get install -y wrk >&2
    fi
    local tool
    for tool in wrk "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not installed"
    done
}

# stop_pid LABEL PID: SIGTERM, then SIGKILL after 10 s; only ever a pid this script started.
# Returns 1 (and says how) when the process had already exited.
stop_pid() {
    local label=$1 pid=$2
    [[ -n "$pid" ]] || return 0
    if ! kill -0 "$pid" 2>/dev/null; then
        local server_rc=0
        wait "$pid" 2>/dev/null || server_rc=$?
        if ((server_rc > 128)); then
            log "$label (pid $pid) had already exited: killed by signal $((server_rc - 128)) ($(kill -l "$((server_rc - 128))" 2>/dev/null || echo '?'))"
        else
            log "$label (pid $pid) had already exited with status $server_rc"
        fi
        return 1
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$label did not stop on SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# show_server_log LABEL FILE: the log's last lines and its first non-Information lines, on stderr.
show_server_log() {
    local label=$1 file=$2
    [[ -n "$file" && -s "$file" ]] || return 0
    log "last lines of $label log:"
    tail -n 5 "$file" | cut -c1-300 >&2 || true
    if grep -qv '"LogLevel":"Information"' "$file"; then
        log "non-Information lines of $label log (first 10):"
        grep -v '"LogLevel":"Information"' "$file" | head -n 10 | cut -c1-500 >&2 || true
    fi
}

# remove_tmp_dir: TMP_DIR goes, unless KEEP_TMP=1 keeps it.
remove_tmp_dir() {
    [[ -n "$TMP_DIR" && -d "$TMP_DIR" ]] || return 0
    if [[ "$KEEP_TMP" == 1 ]]; then
        log "kept $TMP_DIR"
    else
        rm -rf -- "$TMP_DIR"
    fi
}

# With ss, any TCP socket on the port counts (listening, TIME-WAIT, an ephemeral client port):
# each would make the server's bind fail. Without ss, only a listener is detected.
port_in_use() {
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Htan "( sport = :$1 )")" ]]
    else
        (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
    fi
}

# free_port PORT: the first port from PORT on (50 tried) that nothing uses.
free_port() {
    local port=$1
    for _ in $(seq 1 50); do
        port_in_use "$port" || { printf '%s\n' "$port"; return 0; }
        port=$((port + 1))
    done
    return 1
}

# --- start-up shared by the scripts that run their own API server ----------------------------
# These use REPO_ROOT, TMP_DIR and SKIP_BUILD from the sourcing script.

# build_and_copy PROJECT ASSEMBLY DEST: builds PROJECT (a directory relative to REPO_ROOT) in
# Release unless SKIP_BUILD=1, then copies its output into TMP_DIR/DEST, so a concurrent rebuild
# of bin/Release cannot swap files under a running server. Dies unless DEST/ASSEMBLY.dll is there.
build_and_copy() {
    local project=$1 assembly=$2 dest=$3
    local out="$REPO_ROOT/$project/bin/Release/net10.0"
    if [[ "$SKIP_BUILD" != 1 ]]; then
        log "building $project (Release)"
        if ! (cd "$REPO_ROOT" && dotnet build -c Release "$project" -nologo -v quiet) >"$TMP_DIR/build-$dest.log" 2>&1; then
            tail -n 40 "$TMP_DIR/build-$dest.log" >&2
            die "build of $project failed"
        fi
    fi
    [[ -f "$out/$assembly.dll" ]] || die "$out/$assembly.dll not found (build it, or unset SKIP_BUILD)"
    cp -a "$out" "$TMP_DIR/$dest"
}

# export_api_defaults: the settings every benchmarked API server and its CLI calls share:
# Production, plain HTTP on loopback, no demo data, live tokens, no rate limits, no telemetry.
export_api_defaults() {
    export Hoursmith__RequireHttps=false Hoursmith__SeedDemo=false Hoursmith__TokenEnvironment=live
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production RateLimits__Enabled=false
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
}

# api_cli APP_DIR [VAR=VALUE...] -- ARGS...: the Hoursmith.Api CLI from APP_DIR with the extra
# environment (e.g. its database); stderr is appended to TMP_DIR/cli.err.
api_cli() {
    local app_dir=$1
    shift
    local -a vars=()
    while (($#)) && [[ "$1" != -- ]]; do
        vars+=("$1")
        shift
    done
    (($#)) || die "api_cli: no -- before the arguments"
    shift
    (cd "$app_dir" && exec env "${vars[@]}" dotnet "$app_dir/Hoursmith.Api.dll" "$@") 2>>"$TMP_DIR/cli.err"
}

# start_api_server APP_DIR BASE LOG [VAR=VALUE...]: starts "Hoursmith.Api.dll serve --urls BASE"
# in the background with the extra environment, its output to LOG. Sets STARTED_PID to the
# server's own pid (the subshell execs env, which execs dotnet), for stop_pid and /proc.
STARTED_PID=""
start_api_server() {
    local app_dir=$1 base=$2 logfile=$3
    shift 3
    (cd "$app_dir" && exec env "$@" dotnet "$app_dir/Hoursmith.Api.dll" serve --urls "$base") >"$logfile" 2>&1 &
    # shellcheck disable=SC2034  # read by the sourcing script
    STARTED_PID=$!
}

# wait_healthy LABEL URL PID [TIMEOUT]: waits until URL answers 200 (at most TIMEOUT seconds,
# default STARTUP_TIMEOUT or 60); dies if PID exits first.
wait_healthy() {
    local label=$1 url=$2 pid=$3 timeout=${4:-${STARTUP_TIMEOUT:-60}}
    local deadline=$((SECONDS + timeout))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" == 200 ]]; do
        kill -0 "$pid" 2>/dev/null || die "$label exited during startup"
        ((SECONDS < deadline)) || die "$url ($label) did not answer 200 within ${timeout}s"
        sleep 0.3
    done
    log "$label is up (pid $pid)"
}

# mint_owner_token APP_DIR NAME PLAN [VAR=VALUE...]: creates workspace NAME on PLAN with the CLI
# (owner NAME@bench.example) and prints a token of its Owner.
mint_owner_token() {
    local app_dir=$1 name=$2 plan=$3
    shift 3
    local created workspace_id member_id minted
    created="$(api_cli "$app_dir" "$@" -- workspaces create --name "$name" --plan "$plan" --owner-email "$name@bench.example")" \
        || { cat "$TMP_DIR/cli.err" >&2; die "workspaces create failed ($name)"; }
    workspace_id="$(jq -er '.workspaceId' <<<"$created")" || die "no workspaceId in: $created"
    member_id="$(jq -er '.ownerMemberId' <<<"$created")" || die "no ownerMemberId in: $created"
    minted="$(api_cli "$app_dir" "$@" -- tokens mint --workspace "$workspace_id" --member "$member_id" --name bench)" \
        || { cat "$TMP_DIR/cli.err" >&2; die "tokens mint failed ($name)"; }
    jq -er '.token' <<<"$minted" || die "no token in the mint output ($name)"
}

# cpu_ticks PID: user + system time the process has used so far, in clock ticks (all its threads).
cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# warn_error_lines LABEL FILE: warns (with the first three, cut to 500 characters) when the server log
# has Error/Critical lines; returns 1 then. A log excerpt never fails the caller (pipefail).
warn_error_lines() {
    local label=$1 file=$2 n
    n="$(grep -Eci '"LogLevel":"(Error|Critical)"' "$file" || true)"
    [[ "$n" == 0 ]] && return 0
    log "WARNING: $label log has $n Error/Critical lines, e.g.:"
    { grep -m 3 -Ei '"LogLevel":"(Error|Critical)"' "$file" || true; } | cut -c1-500 >&2
    return 1
}
