#!/usr/bin/env bash
# deploy/compose/new-env.sh - writes what compose.yaml reads and the repository must never hold: .env (every password,
# client secret, key and token, mode 0600) and secrets/<service>-master.key (each service's master key), beside this
# script. It refuses to overwrite them: a new master key could no longer open what a service stored with the old one.
#   deploy/compose/new-env.sh [PUBLIC_HOST]   # PUBLIC_HOST: the name browsers and departments use for this host
#                                             # (default: hostname -f); the identity provider's issuer is on it
# Passwords are 32 letters and digits (they go unescaped into connection strings and amqp:// URIs). The master keys
# must be readable by the services' user (uid 1654 in the images): run as root, or chown them yourself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
[[ ! -e .env && ! -e secrets ]] || { echo "new-env.sh: .env or secrets/ exists already; move it away first" >&2; exit 1; }

services=(identity registry collection exchange sharing analytics monitoring)
# 32 letters and digits from 512 random bytes (read whole: no reader closes its pipe early under pipefail).
random() { local s; s="$(head -c 512 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')"; echo "${s:0:32}"; }

umask 077
{
    echo "# Written by deploy/compose/new-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Keep it secret; back it up."
    echo "POPINFO_PUBLIC_HOST=${1:-$(hostname -f)}"
    echo "# 127.0.0.1: the services' ports on this host only (put a TLS proxy in front); 0.0.0.0: on every address."
    echo "POPINFO_BIND_ADDRESS=127.0.0.1"
    echo "POSTGRES_SUPERUSER_PASSWORD=$(random)"
    echo "RABBITMQ_ADMIN_PASSWORD=$(random)"
    echo "METRICS_SCRAPE_TOKEN=$(random)"
    echo "EXCHANGE_ADMIN_KEY=$(random)"
    echo "IDENTITY_ADMIN_PASSWORD=$(random)"
    for s in "${services[@]}"; do
        echo "POSTGRES_ROLE_PASSWORD_popinfo_${s}=$(random)"
        echo "POSTGRES_ROLE_PASSWORD_popinfo_${s}_owner=$(random)"
        echo "RABBITMQ_USER_PASSWORD_popinfo_${s}=$(random)"
    done
    echo "POSTGRES_ROLE_PASSWORD_popinfo_monitor=$(random)"
    echo "RABBITMQ_USER_PASSWORD_popinfo_monitor=$(random)"
    for c in collection exchange sharing analytics monitoring desk dashboard report monitor; do
        echo "CLIENT_SECRET_${c}=$(random)"
    done
} >.env

mkdir -p secrets
for s in "${services[@]}"; do
    head -c 32 /dev/urandom | base64 >"secrets/${s}-master.key"
done
if [[ "$(id -u)" == 0 ]]; then
    chown 1654:1654 secrets/*.key
else
    echo "new-env.sh: not root: give secrets/*.key to uid 1654 (sudo chown 1654:1654 secrets/*.key) before starting" >&2
fi
echo "new-env.sh: wrote .env and secrets/ in $(pwd) (public host: $(sed -n 's/^POPINFO_PUBLIC_HOST=//p' .env))"
