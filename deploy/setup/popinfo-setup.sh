#!/usr/bin/env bash
# deploy/setup/popinfo-setup.sh - the services' own PostgreSQL roles and schemas, RabbitMQ users and the monitoring
# service's watchers, for a database and a broker that run elsewhere (Kubernetes: deploy/k8s/base/setup-job.yaml;
# Compose: the service "setup" of deploy/compose/compose.yaml). It runs in the image deploy/Dockerfile builds as the
# target "setup", and does what deploy/local/up.sh does on one machine, with the same code: the functions of
# deploy/local/infra.sh (ensure_service_db_roles, ensure_service_broker_users, ensure_monitoring_watchers) and the
# permissions printed by popinfo-broker-users (BrokerPermissions, never a copy). Idempotent: run it again after an
# upgrade, or after a password changed in the Secrets.
#
# Environment:
#   PGHOST PGPORT PGUSER PGPASSWORD   a PostgreSQL superuser (libpq's own variables)
#   POPINFO_PG_DATABASE [popinfo]     the platform's database
#   POPINFO_RABBITMQ_MANAGEMENT_URL   e.g. http://popinfo-rabbitmq:15672 (no trailing slash)
#   POPINFO_RABBITMQ_ADMIN_USER, POPINFO_RABBITMQ_ADMIN_PASSWORD   a RabbitMQ user tagged administrator
#   POPINFO_SETUP_SERVICES [identity registry collection exchange sharing analytics monitoring]
#   POPINFO_SETUP_SECRETS [/var/run/secrets/popinfo]  folders postgres-roles/ (a file per role: popinfo_<service>,
#                                     popinfo_<service>_owner, popinfo_monitor) and rabbitmq-users/ (popinfo-<service>,
#                                     popinfo-monitor), each file holding the password (Kubernetes Secrets mounted as
#                                     folders); a name without a file is read from the variable
#                                     POSTGRES_ROLE_PASSWORD_<role> or RABBITMQ_USER_PASSWORD_<user with _ for ->
#                                     (Compose: the .env of deploy/compose/new-env.sh)
#   POPINFO_SETUP_TIMEOUT [300]       seconds to wait for PostgreSQL and RabbitMQ to answer
# Passwords are letters and digits, 24 or more: they go unescaped into connection strings and amqp:// URIs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../local/infra.sh
source "${POPINFO_INFRA_SH:-$here/infra.sh}"

POPINFO_PG_DATABASE="${POPINFO_PG_DATABASE:-popinfo}"
services="${POPINFO_SETUP_SERVICES:-identity registry collection exchange sharing analytics monitoring}"
secrets_in="${POPINFO_SETUP_SECRETS:-/var/run/secrets/popinfo}"
timeout="${POPINFO_SETUP_TIMEOUT:-300}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"

die() { infra_err "$*"; exit 1; }
: "${PGHOST:?PGHOST (PostgreSQL) is required}" "${PGUSER:?}" "${PGPASSWORD:?}"
: "${POPINFO_RABBITMQ_MANAGEMENT_URL:?}" "${POPINFO_RABBITMQ_ADMIN_USER:?}" "${POPINFO_RABBITMQ_ADMIN_PASSWORD:?}"

# infra.sh talks to a local PostgreSQL over its socket as the postgres user and to a local RabbitMQ as guest; here
# both are across the network, as the superuser and administrator given above. Only these two functions differ.
_pg_admin_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
(umask 077 && printf 'user = "%s:%s"\n' "$POPINFO_RABBITMQ_ADMIN_USER" "$POPINFO_RABBITMQ_ADMIN_PASSWORD" >"$work/curl.conf")
_rabbit_api_stdin() { # METHOD PATH, the JSON body on stdin (the credential from a file, never on a command line)
    curl -fsS --max-time 10 -K "$work/curl.conf" -X "$1" -H 'content-type: application/json' --data-binary @- \
        "${POPINFO_RABBITMQ_MANAGEMENT_URL}/api$2" >/dev/null
}

# secrets_file FOLDER VARIABLE_PREFIX NAME... : "name=password" lines, as infra.sh keeps them; every name must be
# there (infra.sh would make up a password for a missing one, which no service would know).
secrets_file() {
    local folder="$1" prefix="$2" name variable password out
    shift 2
    out="$work/$(basename "$folder")"
    (umask 077 && : >"$out")
    for name in "$@"; do
        variable="${prefix}${name//-/_}"
        if [[ -r "$folder/$name" ]]; then
            password="$(tr -d '\r\n' <"$folder/$name")"
        elif [[ -n "${!variable:-}" ]]; then
            password="${!variable}"
        else
            die "no password for $name: neither $folder/$name nor \$$variable (docs/deploy.md, \"Secrets to create\")"
        fi
        [[ "$password" =~ ^[A-Za-z0-9]{24,}$ ]] || die "the password of $name must be 24 or more letters and digits"
        printf '%s=%s\n' "$name" "$password" >>"$out"
    done
    echo "$out"
}

read -r -a service_list <<<"$services"
roles=(popinfo_monitor) users=(popinfo-monitor)
for service in "${service_list[@]}"; do
    roles+=("popinfo_${service}_owner" "popinfo_${service}")
    users+=("popinfo-${service}")
done
db_secrets="$(secrets_file "$secrets_in/postgres-roles" POSTGRES_ROLE_PASSWORD_ "${roles[@]}")"
broker_secrets="$(secrets_file "$secrets_in/rabbitmq-users" RABBITMQ_USER_PASSWORD_ "${users[@]}")"
watcher_secrets="$work/watchers"
(umask 077 && grep '^popinfo_monitor=' "$db_secrets" >"$watcher_secrets" && grep '^popinfo-monitor=' "$broker_secrets" >>"$watcher_secrets")

deadline=$((SECONDS + timeout))
until pg_isready -q -t 3; do
    ((SECONDS < deadline)) || die "PostgreSQL at $PGHOST did not answer within ${timeout}s"
    sleep 2
done
until curl -fsS --max-time 5 -K "$work/curl.conf" "${POPINFO_RABBITMQ_MANAGEMENT_URL}/api/overview" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "RabbitMQ's management API at $POPINFO_RABBITMQ_MANAGEMENT_URL did not answer within ${timeout}s"
    sleep 2
done

ensure_service_db_roles "$db_secrets" "${service_list[@]}"
ensure_service_broker_users "$broker_secrets" dotnet "$here/popinfo-broker-users.dll" "${service_list[@]}"
ensure_monitoring_watchers "$watcher_secrets"
infra_log "setup done: roles, schemas and broker users of ${service_list[*]}, and the monitoring watchers"
