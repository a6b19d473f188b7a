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
build_and_copy src/Hoursmith.Api Hoursmith.Api app
APP_DIR="$TMP_DIR/app"

export_api_defaults
# The receiver is on loopback over plain HTTP, which Production refuses by default.
export Webhooks__AllowPrivateTargets=true
export ConnectionStrings__Hoursmith="Data Source=$TMP_DIR/bench.db"

port="$(free_port "$PORT")" || die "no free port near $PORT"
receiver_port="$(free_port "$((port + 1))")" || die "no free port near $((port + 1))"
base="http://$HOST:$port"

api_cli "$APP_DIR" -- migrate >/dev/null
# Two Agency workspaces, each with its Owner's token.
hooked_token="$(mint_owner_token "$APP_DIR" hooked agency)"
plain_token="$(mint_owner_token "$APP_DIR" plain agency)"

log "starting the server on $base"
start_api_server "$APP_DIR" "$base" "$TMP_DIR/server.log"
SERVER_PID=$STARTED_PID
wait_healthy "the server" "$base/health" "$SERVER_PID"

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
BASE="$base" HOOKED_TOKEN="$hooked_token" PLAIN_TOKEN="$plain_token" RECEIVER_PORT="$receiver_port" \
    BURST="$BURST" CONCURRENCY="$CONCURRENCY" SAMPLES="$SAMPLES" node "$REPO_ROOT/bench/webhooks.mjs"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
