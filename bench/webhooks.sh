#!/usr/bin/env bash
# Webhook benchmark, one server process on a fresh SQLite database (Production settings, rate limits off):
#  1. delivery latency: a burst of BURST POST /api/v1/clients (CONCURRENCY at a time) in an Agency workspace
#     whose endpoint (a local Node receiver) subscribes to client.created; for each event, the time from the
#     client's createdAt (taken just before the request's commit) to its arrival at the receiver: p50/p99/max;
#  2. what the outbox adds to a POST: POST /api/v1/clients on one connection, alternating between a workspace
#     with a subscribed endpoint and one without, SAMPLES each, same server, same run: p50/p99 of each.
# The measuring is in bench/webhooks.mjs. See bench/README.md.
#
# Environment (all optional):
#   PORT=58130 BURST=1000 CONCURRENCY=16 SAMPLES=400 SKIP_BUILD=0 STARTUP_TIMEOUT=60 KEEP_TMP=0
set -euo pipefail

PORT="${PORT:-58130}"
BURST="${BURST:-1000}"
CONCURRENCY="${CONCURRENCY:-16}"
SAMPLES="${SAMPLES:-400}"
SKIP_BUILD="${SKIP_BUILD:-0}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
KEEP_TMP="${KEEP_TMP:-0}"

HOST=127.0.0.1
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="$REPO_ROOT/src/Hoursmith.Api"
DLL="$PROJECT/bin/Release/net10.0/Hoursmith.Api.dll"

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TMP_DIR=""
SERVER_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "the server" "$SERVER_PID" || true
    [[ $rc -ne 0 ]] && show_server_log "the server" "$TMP_DIR/server.log"
    remove_tmp_dir
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require_tools jq curl dotnet node
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/hoursmith-bench.XXXXXX")"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building $PROJECT (Release)"
    (cd "$REPO_ROOT" && dotnet build -c Release "src/Hoursmith.Api" -nologo -v quiet) >"$TMP_DIR/build.log" 2>&1 || { tail -n 40 "$TMP_DIR/build.log" >&2; die "build failed"; }
fi
[[ -f "$DLL" ]] || die "$DLL not found (build it, or unset SKIP_BUILD)"
cp -a "$(dirname "$DLL")" "$TMP_DIR/app"
DLL="$TMP_DIR/app/Hoursmith.Api.dll"

export Hoursmith__RequireHttps=false Hoursmith__SeedDemo=false Hoursmith__TokenEnvironment=live
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production RateLimits__Enabled=false
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The receiver is on loopback over plain HTTP, which Production refuses by default.
export Webhooks__AllowPrivateTargets=true
export ConnectionStrings__Hoursmith="Data Source=$TMP_DIR/bench.db"
cli() { (cd "$TMP_DIR/app" && dotnet "$DLL" "$@") 2>>"$TMP_DIR/cli.err"; }

port="$(free_port "$PORT")" || die "no free port near $PORT"
receiver_port="$(free_port "$((port + 1))")" || die "no free port near $((port + 1))"
base="http://$HOST:$port"

token_of() { # token_of NAME: an Agency workspace and its Owner's token
    local ws
    ws="$(cli workspaces create --name "$1" --plan agency --owner-email "$1@bench.example")"
    cli tokens mint --workspace "$(jq -r .workspaceId <<<"$ws")" --member "$(jq -r .ownerMemberId <<<"$ws")" --name bench | jq -r .token
}
cli migrate >/dev/null
hooked_token="$(token_of hooked)"
plain_token="$(token_of plain)"

log "starting the server on $base"
(cd "$TMP_DIR/app" && exec dotnet "$DLL" serve --urls "$base") >"$TMP_DIR/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/health" || true)" == 200 ]]; do
    ((SECONDS < deadline)) || die "/health did not answer 200 within ${STARTUP_TIMEOUT}s"
    sleep 0.2
done

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
BASE="$base" HOOKED_TOKEN="$hooked_token" PLAIN_TOKEN="$plain_token" RECEIVER_PORT="$receiver_port" \
    BURST="$BURST" CONCURRENCY="$CONCURRENCY" SAMPLES="$SAMPLES" node "$REPO_ROOT/bench/webhooks.mjs"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
