#!/usr/bin/env bash
# deploy/setup/test-setup.sh - tests popinfo-setup.sh without a database or broker: psql, curl, pg_isready and dotnet
# are stand-ins on PATH that record what they were asked. Shows that it refuses a missing or weak password (a
# service would not know one infra.sh made up), reads passwords from Secret folders and from variables (Compose), and
# asks for every service's roles and broker user and the monitoring watchers. Run by test.sh ("deploy manifests").
# Prints each case and a closing "N passed, N failed"; exit 1 if any failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat >"$work/bin/psql" <<'STUB'
#!/bin/sh
echo "psql $*" >>"$SETUP_TEST_LOG"; cat >>"$SETUP_TEST_LOG"
STUB
cat >"$work/bin/curl" <<'STUB'
#!/bin/sh
for a in "$@"; do case "$a" in http*) echo "curl $a" >>"$SETUP_TEST_LOG";; esac; done
case " $* " in *" --data-binary "*) cat >>"$SETUP_TEST_LOG"; echo >>"$SETUP_TEST_LOG";; esac
STUB
printf '#!/bin/sh\nexit 0\n' >"$work/bin/pg_isready"
cat >"$work/bin/dotnet" <<'STUB'
#!/bin/sh
shift; for s in "$@"; do printf '%s\tpopinfo-%s\tc\tw\tr\n' "$s" "$s"; done
STUB
chmod +x "$work/bin/"*

passed=0 failed=0
check() { # NAME CONDITION-RESULT(0/1) [DETAIL]
    if [[ "$2" == 0 ]]; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1 ${3:-}"; failed=$((failed + 1)); fi
}
password() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32; }
secrets() { # fresh Secret folders with every password of registry and collection, none for popinfo-monitor
    rm -rf "$work/s" && mkdir -p "$work/s/postgres-roles" "$work/s/rabbitmq-users"
    for s in registry collection; do
        password >"$work/s/postgres-roles/popinfo_$s"
        password >"$work/s/postgres-roles/popinfo_${s}_owner"
        password >"$work/s/rabbitmq-users/popinfo-$s"
    done
    password >"$work/s/postgres-roles/popinfo_monitor"
}
run() { # runs popinfo-setup.sh for registry and collection; its output in $work/out, what it asked in $work/log
    : >"$work/log"
    env PATH="$work/bin:$PATH" SETUP_TEST_LOG="$work/log" PGHOST=db PGUSER=postgres PGPASSWORD=x \
        POPINFO_RABBITMQ_MANAGEMENT_URL=http://mq:15672 POPINFO_RABBITMQ_ADMIN_USER=admin POPINFO_RABBITMQ_ADMIN_PASSWORD=y \
        POPINFO_SETUP_SERVICES="registry collection" POPINFO_SETUP_SECRETS="$work/s" \
        POPINFO_INFRA_SH="$here/../local/infra.sh" "$@" bash "$here/popinfo-setup.sh" >"$work/out" 2>&1
}

secrets
run
check "a missing password fails" "$( (($? != 0)) && grep -q 'no password for popinfo-monitor' "$work/out"; echo $?)" "$(cat "$work/out")"
check "nothing is asked of the database or broker before every password is there" "$( [[ ! -s "$work/log" ]]; echo $?)"

secrets
echo short >"$work/s/rabbitmq-users/popinfo-registry"
run RABBITMQ_USER_PASSWORD_popinfo_monitor="$(password)"
check "a weak password fails" "$( (($? != 0)) && grep -q 'popinfo-registry must be 24 or more letters and digits' "$work/out"; echo $?)" "$(cat "$work/out")"

secrets
monitor_password="$(password)"
run RABBITMQ_USER_PASSWORD_popinfo_monitor="$monitor_password"
check "with every password (one from a variable) it succeeds" "$?" "$(cat "$work/out")"
for asked in "curl http://mq:15672/api/users/popinfo-registry" "curl http://mq:15672/api/permissions/%2F/popinfo-collection" \
    "curl http://mq:15672/api/users/popinfo-monitor" "psql -X -q -v ON_ERROR_STOP=1 -d popinfo" \
    "psql -X -q -v ON_ERROR_STOP=1 -d postgres" "\\set runtime popinfo_registry" "\\set owner popinfo_collection_owner" \
    "GRANT pg_monitor TO popinfo_monitor"; do
    check "it asks: $asked" "$(grep -qF -- "$asked" "$work/log"; echo $?)"
done
check "the broker watcher's password is the variable's" "$(grep -qF -- "{\"password\":\"$monitor_password\",\"tags\":\"monitoring\"}" "$work/log"; echo $?)"
check "the database watcher's password is the Secret's" "$(grep -qF -- "\\set pw $(cat "$work/s/postgres-roles/popinfo_monitor")" "$work/log"; echo $?)"

echo "$passed passed, $failed failed"
((failed == 0))
