#!/usr/bin/env bash
# deploy/k8s/new-secrets.sh - writes the Secrets the manifests reference and nobody else makes (docs/deploy.md,
# "Secrets to create") into FILE (mode 0600), with new random values, for `kubectl apply -f FILE`. Keep FILE out of
# git and back it up apart from the database: the master keys open what the services stored. It refuses to overwrite.
#   deploy/k8s/new-secrets.sh FILE [NAMESPACE]   # NAMESPACE: popinfo (the overlays')
# Not made here: popinfo-identity-tls (your certificate, `kubectl create secret tls`), and the operators' own
# (popinfo-db-superuser, popinfo-db-ca, popinfo-rabbitmq-default-user). Passwords are 32 letters and digits: they go
# unescaped into connection strings and amqp:// URIs. Needs kubectl (no cluster: --dry-run=client).
set -euo pipefail
out="${1:?usage: new-secrets.sh FILE [NAMESPACE]}"
namespace="${2:-popinfo}"
[[ ! -e "$out" ]] || { echo "new-secrets.sh: $out exists; move it away first" >&2; exit 1; }
services=(identity registry collection exchange sharing analytics monitoring)
# 32 letters and digits from 512 random bytes (read whole: no reader closes its pipe early under pipefail).
random() { local s; s="$(head -c 512 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')"; echo "${s:0:32}"; }
secret() { # NAME KEY=VALUE... (values on kubectl's command line: run this where no one else lists processes)
    local name="$1" args=()
    shift
    for pair in "$@"; do args+=("--from-literal=$pair"); done
    echo "---"
    kubectl create secret generic "$name" --namespace "$namespace" "${args[@]}" --dry-run=client -o yaml
}

roles=(popinfo_monitor="$(random)") users=(popinfo-monitor="$(random)") keys=()
for s in "${services[@]}"; do
    roles+=("popinfo_${s}=$(random)" "popinfo_${s}_owner=$(random)")
    users+=("popinfo-${s}=$(random)")
    keys+=("${s}=$(head -c 32 /dev/urandom | base64)")
done
clients=()
for c in collection exchange sharing analytics monitoring desk dashboard report monitor; do clients+=("${c}=$(random)"); done

umask 077
{
    echo "# Written by deploy/k8s/new-secrets.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Secret: keep it out of git."
    secret popinfo-postgres-roles "${roles[@]}"
    secret popinfo-rabbitmq-users "${users[@]}"
    secret popinfo-clients "${clients[@]}"
    secret popinfo-admin "exchange-admin-key=$(random)" "identity-admin-password=$(random)"
    secret popinfo-metrics "scrape-token=$(random)"
    secret popinfo-master-keys "${keys[@]}"
} >"$out"
echo "new-secrets.sh: wrote $out; apply it with: kubectl apply -f $out" >&2
