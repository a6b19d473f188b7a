# shellcheck shell=bash
# Shared by the bench/*.sh scripts (sourced): logging, required tools, stopping a server this
# script started, its log on failure, the temp dir, and free loopback ports.
# The sourcing script sets HOST (for port_in_use without ss), KEEP_TMP and TMP_DIR.

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
