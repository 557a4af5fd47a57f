#!/usr/bin/env bash
# test.sh - THE test command of PopInfo (see README).
#
#   ./test.sh                       # whole suite
#   ./test.sh --filter 'Category=X' # extra arguments go to `dotnet test`
#
# 1. installs (apt, if absent) and starts PostgreSQL 15 and RabbitMQ on loopback (one node, and a three-node cluster
#    beside it for the cluster tests), and installs
#    Debian's chromium and poppler-utils (which reads printed PDFs back) for the browser tests and
#    promtool (prometheus) for the scrape configuration, via deploy/local/infra.sh; if that fails, this
#    script FAILS (never skips); before the build, checks that no code is copied across services
#    (tools/duplication) and validates the deployment manifests (tools/deploy-check: needs kubectl);
# 2. exports where the tests find them (POPINFO_TEST_*);
# 3. runs `dotnet test` on the solution; the exit code is dotnet test's.
#
# Optional: POPINFO_SOLUTION (default PopInfo.sln), POPINFO_TEST_CONFIGURATION (Release),
# and the settings documented at the top of deploy/local/infra.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=deploy/local/infra.sh
source deploy/local/infra.sh

_now_ms() { date +%s%3N; }
_t_start=$(_now_ms)
_timings=()
_phase_start=0
phase_begin() { _phase_start=$(_now_ms); echo "=== [test.sh] $1"; }
phase_end() { # NAME
    local ms=$(($(_now_ms) - _phase_start))
    _timings+=("$(printf '%-22s %7d.%03d s' "$1" $((ms / 1000)) $((ms % 1000)))")
    echo "=== [test.sh] $1 took $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
}
print_timings() {
    local ms=$(($(_now_ms) - _t_start))
    echo "=== [test.sh] timings:"
    printf '    %s\n' "${_timings[@]}"
    printf '    %-22s %7d.%03d s\n' "total" $((ms / 1000)) $((ms % 1000))
}

# Infrastructure. An error here ends the script with a non-zero code (set -e):
# tests that need PostgreSQL/RabbitMQ must never be silently skipped.
phase_begin "postgresql"
ensure_postgres || { echo "=== [test.sh] FAILED: PostgreSQL could not be installed/started" >&2; exit 1; }
phase_end "postgresql"

# The streaming replica the replica tests read from (tests/PopInfo.IntegrationTests/Replica, docs/database-replica.md).
phase_begin "postgresql replica"
ensure_postgres_replica || { echo "=== [test.sh] FAILED: the PostgreSQL streaming replica could not be started" >&2; exit 1; }
phase_end "postgresql replica"

# The fault campaign's own PostgreSQL (docs/fault-campaign.md): deploy/local/infra.sh's PostgreSQL as a second cluster,
# "campaign" on port 5491, which the campaign's reduced run (tests/PopInfo.EndToEndTests/FaultCampaignTests) restarts —
# the shared server above must never be restarted under other tests.
POPINFO_CAMPAIGN_PG_PORT="${POPINFO_CAMPAIGN_PG_PORT:-5491}"
phase_begin "postgresql (campaign)"
(export POPINFO_PG_CLUSTER=campaign POPINFO_PG_PORT="$POPINFO_CAMPAIGN_PG_PORT"; source deploy/local/infra.sh; ensure_postgres) \
    || { echo "=== [test.sh] FAILED: the fault campaign's PostgreSQL (cluster campaign, port $POPINFO_CAMPAIGN_PG_PORT) could not be started" >&2; exit 1; }
export POPINFO_TEST_CAMPAIGN_POSTGRES="Host=127.0.0.1;Port=${POPINFO_CAMPAIGN_PG_PORT};Username=${POPINFO_PG_USER};Password=${POPINFO_PG_PASSWORD};Database=${POPINFO_PG_DATABASE}"
export POPINFO_TEST_CAMPAIGN_POSTGRES_RESTART="pg_ctlcluster ${POPINFO_PG_VERSION} campaign restart -m fast"
phase_end "postgresql (campaign)"

phase_begin "rabbitmq"
ensure_rabbitmq || { echo "=== [test.sh] FAILED: RabbitMQ could not be installed/started" >&2; exit 1; }
phase_end "rabbitmq"

# The three-node RabbitMQ cluster beside the single node (docs/broker.md): the cluster tests (Broker/) run on it.
phase_begin "rabbitmq cluster"
ensure_rabbitmq_cluster || { echo "=== [test.sh] FAILED: the RabbitMQ cluster could not be started" >&2; exit 1; }
phase_end "rabbitmq cluster"

phase_begin "python3-pika"
ensure_python_pika || { echo "=== [test.sh] FAILED: python3-pika (the non-.NET consumer's library) could not be installed" >&2; exit 1; }
phase_end "python3-pika"
phase_begin "python3-requests"
ensure_python_requests || { echo "=== [test.sh] FAILED: python3-requests (the sharing service's sample client's library) could not be installed" >&2; exit 1; }
phase_end "python3-requests"
phase_begin "promtool"
ensure_promtool || { echo "=== [test.sh] FAILED: promtool (Debian's prometheus package; checks deploy/prometheus/prometheus.yml) could not be installed" >&2; exit 1; }
phase_end "promtool"

phase_begin "chromium"
ensure_chromium || { echo "=== [test.sh] FAILED: Chromium or poppler-utils (the browser tests' browser and PDF reader) could not be installed" >&2; exit 1; }
phase_end "chromium"

export POPINFO_TEST_POSTGRES="Host=127.0.0.1;Port=${POPINFO_PG_PORT};Username=${POPINFO_PG_USER};Password=${POPINFO_PG_PASSWORD};Database=${POPINFO_PG_DATABASE}"
export POPINFO_TEST_POSTGRES_REPLICA="Host=127.0.0.1;Port=${POPINFO_PG_REPLICA_PORT};Username=${POPINFO_PG_USER};Password=${POPINFO_PG_PASSWORD};Database=${POPINFO_PG_DATABASE}"
export POPINFO_TEST_RABBITMQ="amqp://${POPINFO_RABBITMQ_USER}:${POPINFO_RABBITMQ_PASSWORD}@127.0.0.1:${POPINFO_RABBITMQ_AMQP_PORT}/"
export POPINFO_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}"
POPINFO_TEST_RABBITMQ_CLUSTER="$(rabbitmq_cluster_uris)"
export POPINFO_TEST_RABBITMQ_CLUSTER
# Nothing phones home: MassTransit usage telemetry and the .NET CLI telemetry.
export MASSTRANSIT_USAGE_TELEMETRY=false
# Test hosts must not watch their settings files: dozens of in-process hosts would exhaust inotify (128 instances per user).
export DOTNET_hostBuilder__reloadConfigOnChange=false
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

# No plumbing copied between services (tools/duplication): jscpd over services/ and contracts/, failing on a clone
# across a service boundary. Before the build: it reads sources only.
phase_begin "duplication"
ensure_jscpd || { echo "=== [test.sh] FAILED: jscpd (npm) could not be installed" >&2; exit 1; }
mkdir -p TestResults
python3 tools/duplication/test_cross_service.py >/dev/null 2>TestResults/cross-service-tests.log \
    || { cat TestResults/cross-service-tests.log >&2; echo "=== [test.sh] FAILED: the tests of tools/duplication/cross-service.py" >&2; exit 1; }
rm -rf TestResults/jscpd
"$POPINFO_JSCPD_DIR/node_modules/.bin/jscpd" --config tools/duplication/.jscpd.json services contracts >/dev/null
python3 tools/duplication/cross-service.py TestResults/jscpd/jscpd-report.json \
    || { echo "=== [test.sh] FAILED: code copied across services (above): put it once in ServiceDefaults, Domain or Contracts" >&2; exit 1; }
phase_end "duplication"

# The deployment manifests (tools/deploy-check, docs/deploy.md): first the checker's own tests (it must fail on broken
# fixtures) and the setup job script's (deploy/setup, with stand-ins for psql and curl), then every overlay of
# deploy/k8s rendered by `kubectl kustomize` (the machine image's kubectl, kustomize 5.5) with each object validated
# against its schema, and deploy/compose/compose.yaml against the Compose specification's. Before the build: it reads
# manifests and scripts only.
phase_begin "deploy manifests"
ensure_deploy_check || { echo "=== [test.sh] FAILED: the manifests' validators (npm, tools/deploy-check) could not be installed" >&2; exit 1; }
command -v kubectl >/dev/null 2>&1 || { echo "=== [test.sh] FAILED: kubectl (with kustomize) is not installed; it renders deploy/k8s" >&2; exit 1; }
tools/deploy-check/test-check.sh >TestResults/deploy-check-tests.log 2>&1 \
    || { cat TestResults/deploy-check-tests.log >&2; echo "=== [test.sh] FAILED: the tests of tools/deploy-check" >&2; exit 1; }
deploy/setup/test-setup.sh >TestResults/setup-tests.log 2>&1 \
    || { cat TestResults/setup-tests.log >&2; echo "=== [test.sh] FAILED: the tests of deploy/setup/popinfo-setup.sh" >&2; exit 1; }
tools/deploy-check/check.sh >TestResults/deploy-check.log 2>&1 \
    || { cat TestResults/deploy-check.log >&2; echo "=== [test.sh] FAILED: deploy/k8s or deploy/compose is invalid (above)" >&2; exit 1; }
echo "=== [test.sh] the checker's own tests: $(tail -n 1 TestResults/deploy-check-tests.log); the setup script's: $(tail -n 1 TestResults/setup-tests.log); the overlays: $(grep -m 1 -E '^[0-9]+ objects checked' TestResults/deploy-check.log); $(grep -m 1 'Secret references checked' TestResults/deploy-check.log); compose.yaml valid"
phase_end "deploy manifests"

solution="${POPINFO_SOLUTION:-PopInfo.sln}"
configuration="${POPINFO_TEST_CONFIGURATION:-Release}"

phase_begin "dotnet build ($solution, $configuration)"
dotnet build "$solution" -c "$configuration" -nologo -clp:ErrorsOnly
phase_end "dotnet build"

# One test project at a time (-m:1): the end-to-end tests stop the broker and kill services, which
# must not happen under another project's feet. Inside a project, xunit runs classes in parallel.
phase_begin "dotnet test ($solution, $configuration)"
rc=0
dotnet test "$solution" -c "$configuration" --no-build -m:1 --logger "console;verbosity=normal" \
    --results-directory ./TestResults "$@" || rc=$?
phase_end "dotnet test"

print_timings
echo "=== [test.sh] dotnet test exit code: $rc"
exit "$rc"
