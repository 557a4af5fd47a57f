#!/usr/bin/env bash
# deploy/local/down.sh - stop the services started by deploy/local/up.sh.
#
#   deploy/local/down.sh         # services only (TERM, then KILL after POPINFO_STOP_TIMEOUT s)
#   deploy/local/down.sh --all   # also stop RabbitMQ (the single node and the cluster's nodes) and PostgreSQL (deploy/local/infra.sh), and remove the replica
#
# Settings: POPINFO_RUN_DIR [./run] (pid files in <run>/pids/<service>.pid; with POPINFO_INSTANCES above 1
#           also <service>.<i>.pid and gateway.pid — every one is stopped),
#           POPINFO_STOP_TIMEOUT [10].
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

all=0
for arg in "$@"; do
    case "$arg" in
        --all) all=1 ;;
        -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--all]" >&2; exit 2 ;;
    esac
done

POPINFO_RUN_DIR="${POPINFO_RUN_DIR:-./run}"
POPINFO_STOP_TIMEOUT="${POPINFO_STOP_TIMEOUT:-10}"
say() { echo "=== [down.sh] $*"; }

# The pid must still be a PopInfo dotnet process: after a reboot or a crash the
# number may belong to something else, which we must not kill.
is_popinfo_pid() {
    local pid="$1"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *PopInfo.*.dll* ]]
}

declare -A stopping=() # service -> pid
shopt -s nullglob
for pidf in "$POPINFO_RUN_DIR"/pids/*.pid; do
    name="$(basename "$pidf" .pid)"
    pid="$(cat "$pidf" 2>/dev/null || true)"
    if is_popinfo_pid "$pid"; then
        say "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        stopping[$name]="$pid"
    else
        say "$name not running"
        rm -f "$pidf"
    fi
done

# Give all of them POPINFO_STOP_TIMEOUT seconds together (counted in 0.2 s steps;
# $SECONDS would cut up to a second short), then KILL.
steps=$((POPINFO_STOP_TIMEOUT * 5))
while ((${#stopping[@]} > 0)); do
    for name in "${!stopping[@]}"; do
        if ! kill -0 "${stopping[$name]}" 2>/dev/null; then
            say "$name stopped"
            rm -f "$POPINFO_RUN_DIR/pids/$name.pid"
            unset "stopping[$name]"
        fi
    done
    ((${#stopping[@]} == 0)) && break
    if ((steps-- <= 0)); then
        for name in "${!stopping[@]}"; do
            say "$name did not stop within ${POPINFO_STOP_TIMEOUT}s: KILL pid ${stopping[$name]}"
            kill -KILL "${stopping[$name]}" 2>/dev/null || true
            rm -f "$POPINFO_RUN_DIR/pids/$name.pid"
        done
        break
    fi
    sleep 0.2
done

if ((all)); then
    # shellcheck source=deploy/local/infra.sh
    source deploy/local/infra.sh
    # A replica's slot would keep WAL on the primary for as long as the replica is away: removed with it.
    remove_postgres_replica
    stop_infra
    stop_rabbitmq_cluster
fi
