#!/usr/bin/env bash
# tools/deploy-check/test-check.sh - the checker's own tests: it passes valid fixtures and FAILS (exit code not 0)
# on each broken one, for the reason the fixture is about (a line of its output says so). Run by test.sh before the
# checker runs on the real manifests. Prints each case and a closing "N passed, N failed"; exit 1 if any failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixtures="$here/fixtures"
passed=0 failed=0

# expect CASE EXIT(0|nonzero) PATTERN -- ARGS...: runs check.sh ARGS (or, after "node", node with ARGS), checks the
# exit code and that PATTERN (an extended regular expression) matches a line of its output.
expect() {
    local name="$1" want="$2" pattern="$3" output rc
    shift 4
    if [[ "$1" == node ]]; then
        output="$(node "${@:2}" 2>&1)"
    else
        output="$("$here/check.sh" "$@" 2>&1)"
    fi
    rc=$?
    if { [[ "$want" == 0 && $rc == 0 ]] || [[ "$want" == nonzero && $rc != 0 ]]; } && grep -Eq -- "$pattern" <<<"$output"; then
        echo "ok   $name (exit $rc)"
        passed=$((passed + 1))
    else
        echo "FAIL $name: wanted exit $want and a line matching /$pattern/, got exit $rc:"
        sed 's/^/       /' <<<"$output"
        failed=$((failed + 1))
    fi
}

expect "valid Kubernetes objects pass" 0 '^3 objects checked, 0 failed$' -- k8s "$fixtures/k8s-valid"
expect "a misspelled field of a Deployment fails" nonzero 'imagePullPolicyy: unknown field' -- k8s "$fixtures/k8s-misspelled-field"
expect "a field of the wrong type fails" nonzero 'spec/replicas must be integer' -- k8s "$fixtures/k8s-wrong-type"
expect "an object of an unknown kind fails" nonzero 'unknown kind' -- k8s "$fixtures/k8s-unknown-kind"
expect "a misspelled field of an operator's kind fails" nonzero 'unknown field "instance"' -- k8s "$fixtures/k8s-operator-misspelled-field"
expect "a kustomization kustomize warns about fails" nonzero "'commonLabels' is deprecated" -- k8s "$fixtures/k8s-deprecated-field"
expect "a valid Compose file passes" 0 'valid$' -- compose "$fixtures/compose-valid.yaml"
expect "a Compose file with a bad key fails" nonzero 'services/web must NOT have additional properties' -- compose "$fixtures/compose-bad-key.yaml"
expect "a Compose file with an unknown depends_on condition fails" nonzero 'condition must be equal to one of the allowed values' -- compose "$fixtures/compose-bad-condition.yaml"
# secret-refs.mjs needs the npm packages check.sh installs (run above).
source "$here/../../deploy/local/infra.sh" && export POPINFO_DEPLOY_CHECK_DIR
expect "a Secret key nothing makes fails" nonzero 'env B: Secret made key tokn is made by nothing' -- \
    node "$here/secret-refs.mjs" "$fixtures/secret-refs/made.yaml" operators "$fixtures/secret-refs/pods.yaml"
expect "... and only that one" nonzero '^3 Secret references checked, 1 made by nothing$' -- \
    node "$here/secret-refs.mjs" "$fixtures/secret-refs/made.yaml" operators "$fixtures/secret-refs/pods.yaml"

echo "$passed passed, $failed failed"
((failed == 0))
