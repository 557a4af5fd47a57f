#!/usr/bin/env bash
# deploy/local/up.sh - run PopInfo in DISTRIBUTED mode on this machine: every service
# is its own detached process, sharing PostgreSQL and RabbitMQ (started if needed).
#
#   deploy/local/up.sh           # build, start, wait until all are ready, print URLs
#   deploy/local/down.sh [--all] # stop the services (--all: RabbitMQ + PostgreSQL too)
#
# Settings (environment variables, defaults in brackets):
#   POPINFO_SOLUTION        [PopInfo.sln]
#   POPINFO_CONFIGURATION   [Release]
#   POPINFO_TFM             [net10.0]     target framework folder under bin/<configuration>/
#   POPINFO_SKIP_BUILD      [0]           1: do not run `dotnet build` (use existing bin/)
#   POPINFO_SERVICES        [identity registry collection exchange sharing analytics monitoring]
#                                         subset (and order) of the services to start
#   POPINFO_BIND_HOST       [127.0.0.1]   address every service listens on
#   POPINFO_REGISTRY_PORT   [5101]   POPINFO_COLLECTION_PORT [5102]  POPINFO_EXCHANGE_PORT   [5103]
#   POPINFO_SHARING_PORT    [5104]   POPINFO_ANALYTICS_PORT  [5105]  POPINFO_MONITORING_PORT [5106]
#   POPINFO_DB_ROLES        [1]           1: each service its own PostgreSQL roles (below); 0: every service as
#                                         POPINFO_DB_CONNECTION_STRING with PopInfo__Database__AllowSuperuser=true
#   POPINFO_DB_CONNECTION_STRING [Host=127.0.0.1;Port=5432;Username=popinfo;Password=popinfo;Database=popinfo]
#                                         (only with POPINFO_DB_ROLES=0)
#   POPINFO_BROKER_USERS    [1]           1: each service its own RabbitMQ user popinfo-<service> (below); 0: every
#                                         service as POPINFO_RABBITMQ_URI's user, the old way
#   POPINFO_RABBITMQ_URI    [amqp://popinfo:popinfo@127.0.0.1:5672/]  the administrator's (POPINFO_BROKER_USERS=1: only the
#                                         exchange's provisioning credential is taken from it)
#   POPINFO_PG_REPLICA      [0]           1: also start a streaming replica of PostgreSQL (ensure_postgres_replica in
#                                         infra.sh, port POPINFO_PG_REPLICA_PORT [5442]); the registry, exchange and sharing
#                                         then get PopInfo__Database__ReadConnectionString, their runtime role on the
#                                         replica, for their read-heavy paths (docs/database-replica.md)
#   POPINFO_INSTANCES       [1]           processes per service; above 1 each service's instances listen on its port plus
#                                         POPINFO_INSTANCE_PORT_STEP times 1..N (5201, 5301 for the registry) and one
#                                         reverse proxy (services/PopInfo.Gateway, YARP) listens on every service's usual
#                                         port, so clients keep one address per service; the services trust the proxy's
#                                         X-Forwarded-For (PopInfo__ForwardedHeaders__KnownProxies__0). Logs and pids are
#                                         <service>.<i>.log/.pid and gateway.log/.pid; routes in <run>/gateway.json
#   POPINFO_INSTANCE_PORT_STEP [100]
#   POPINFO_SINGLE_INSTANCE []            services that run one instance on their own port whatever POPINFO_INSTANCES
#                                         says (none by default: each analytics instance's index follows the shared store,
#                                         docs/architecture.md, "Several instances")
#   POPINFO_RABBITMQ_NODES  [1]           3: the services use a three-node RabbitMQ cluster on loopback (rabbit-1@localhost …,
#                                         AMQP 5681-5683, management 15681-15683; infra.sh ensure_rabbitmq_cluster) instead
#                                         of the single node: PopInfo__Bus__RabbitMqNodes lists them (docs/broker.md)
#   POPINFO_READY_TIMEOUT   [120]         seconds to wait for every /health/ready to return 200
#   POPINFO_RUN_DIR         [./run]       logs in <run>/logs/<service>.log, pids in <run>/pids/<service>.pid
#   plus the PostgreSQL/RabbitMQ settings documented in deploy/local/infra.sh.
#
# Each service gets: ASPNETCORE_URLS, PopInfo__Mode=Distributed,
# PopInfo__Database__Provider=PostgreSql, PopInfo__Database__ConnectionString (as its runtime role
# popinfo_<service>), PopInfo__Database__MigrationConnectionString (as popinfo_<service>_owner, used
# only to migrate at start), PopInfo__Bus__Transport=RabbitMq, PopInfo__Bus__RabbitMqUri,
# MASSTRANSIT_USAGE_TELEMETRY=false. The roles' generated passwords are in <run>/secrets/postgres-roles
# (mode 0600; docs/database-roles.md). PopInfo__Metrics__ScrapeToken, the bearer token of /metrics, is the same for
# every service, in <run>/secrets/metrics-scrape-token (0600; docs/metrics.md). The bus URI is the service's own RabbitMQ user's, whose generated password
# is in <run>/secrets/rabbitmq-users (0600); the exchange also gets PopInfo__Exchange__RabbitMqManagementUser and
# __Password, the administrator's, used only to provision departments (docs/security.md, "Broker users").
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
# shellcheck source=deploy/local/infra.sh
source deploy/local/infra.sh

POPINFO_SOLUTION="${POPINFO_SOLUTION:-PopInfo.sln}"
POPINFO_CONFIGURATION="${POPINFO_CONFIGURATION:-Release}"
POPINFO_TFM="${POPINFO_TFM:-net10.0}"
POPINFO_SKIP_BUILD="${POPINFO_SKIP_BUILD:-0}"
POPINFO_SERVICES="${POPINFO_SERVICES:-identity registry collection exchange sharing analytics monitoring}"
POPINFO_BIND_HOST="${POPINFO_BIND_HOST:-127.0.0.1}"
POPINFO_REGISTRY_PORT="${POPINFO_REGISTRY_PORT:-5101}"
POPINFO_COLLECTION_PORT="${POPINFO_COLLECTION_PORT:-5102}"
POPINFO_EXCHANGE_PORT="${POPINFO_EXCHANGE_PORT:-5103}"
POPINFO_SHARING_PORT="${POPINFO_SHARING_PORT:-5104}"
POPINFO_ANALYTICS_PORT="${POPINFO_ANALYTICS_PORT:-5105}"
POPINFO_MONITORING_PORT="${POPINFO_MONITORING_PORT:-5106}"
POPINFO_IDENTITY_PORT="${POPINFO_IDENTITY_PORT:-5107}"
POPINFO_DB_CONNECTION_STRING="${POPINFO_DB_CONNECTION_STRING:-Host=127.0.0.1;Port=${POPINFO_PG_PORT};Username=${POPINFO_PG_USER};Password=${POPINFO_PG_PASSWORD};Database=${POPINFO_PG_DATABASE}}"
POPINFO_DB_ROLES="${POPINFO_DB_ROLES:-1}"
POPINFO_RABBITMQ_URI="${POPINFO_RABBITMQ_URI:-amqp://${POPINFO_RABBITMQ_USER}:${POPINFO_RABBITMQ_PASSWORD}@127.0.0.1:${POPINFO_RABBITMQ_AMQP_PORT}/}"
POPINFO_BROKER_USERS="${POPINFO_BROKER_USERS:-1}"
POPINFO_PG_REPLICA="${POPINFO_PG_REPLICA:-0}"
POPINFO_READY_TIMEOUT="${POPINFO_READY_TIMEOUT:-120}"
POPINFO_INSTANCES="${POPINFO_INSTANCES:-1}"
POPINFO_INSTANCE_PORT_STEP="${POPINFO_INSTANCE_PORT_STEP:-100}"
POPINFO_SINGLE_INSTANCE="${POPINFO_SINGLE_INSTANCE-}"
[[ "$POPINFO_INSTANCES" =~ ^[1-9][0-9]*$ ]] || { echo "=== [up.sh] ERROR: POPINFO_INSTANCES must be 1 or more" >&2; exit 1; }
POPINFO_RABBITMQ_NODES="${POPINFO_RABBITMQ_NODES:-1}"
if [[ "$POPINFO_RABBITMQ_NODES" != 1 ]]; then
    # The cluster: every setting below that names the broker (users, management API, the bus URI's port) points at its
    # node 1; the services get every node in PopInfo__Bus__RabbitMqNodes.
    POPINFO_RABBITMQ_CLUSTER_NODES="$POPINFO_RABBITMQ_NODES"
    POPINFO_RABBITMQ_AMQP_PORT=$((POPINFO_RABBITMQ_CLUSTER_AMQP_BASE + 1))
    POPINFO_RABBITMQ_MGMT_PORT=$((POPINFO_RABBITMQ_CLUSTER_MGMT_BASE + 1))
    POPINFO_RABBITMQ_URI="amqp://${POPINFO_RABBITMQ_USER}:${POPINFO_RABBITMQ_PASSWORD}@127.0.0.1:${POPINFO_RABBITMQ_AMQP_PORT}/"
fi
POPINFO_RUN_DIR="${POPINFO_RUN_DIR:-./run}"

mkdir -p "$POPINFO_RUN_DIR/logs" "$POPINFO_RUN_DIR/pids"
RUN_DIR="$(cd "$POPINFO_RUN_DIR" && pwd)"

# Each platform service's OAuth client secret at the identity provider: made once, kept in a file only its
# owner reads (run/secrets/clients.env, 0600 in a 0700 folder), never printed. The identity provider gets them
# all (it stores only their hashes); each service gets its own.
POPINFO_CLIENT_SERVICES="collection exchange sharing analytics monitoring"
mkdir -p "$RUN_DIR/secrets" && chmod 0700 "$RUN_DIR/secrets"
if [[ ! -s "$RUN_DIR/secrets/clients.env" ]]; then
    (
        umask 077
        for client in $POPINFO_CLIENT_SERVICES; do
            echo "PopInfo__Auth__Clients__${client}__Secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
        done >"$RUN_DIR/secrets/clients.env"
    )
fi
# The desk is an application people sign in to at the provider (authorization code with PKCE, a confidential
# client): the same secret for both sides, added to a clients.env made before the desk signed in there.
if ! grep -q '^PopInfo__Collection__SignIn__ClientSecret=' "$RUN_DIR/secrets/clients.env"; then
    desk_secret="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
    (
        umask 077
        echo "PopInfo__Collection__SignIn__ClientSecret=$desk_secret"
        echo "PopInfo__Identity__Applications__desk__Secret=$desk_secret"
    ) >>"$RUN_DIR/secrets/clients.env"
fi
# The planners' dashboard (analytics service) likewise: client popinfo-dashboard, its own secret.
if ! grep -q '^PopInfo__Analytics__SignIn__ClientSecret=' "$RUN_DIR/secrets/clients.env"; then
    dashboard_secret="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
    (
        umask 077
        echo "PopInfo__Analytics__SignIn__ClientSecret=$dashboard_secret"
        echo "PopInfo__Identity__Applications__dashboard__Secret=$dashboard_secret"
    ) >>"$RUN_DIR/secrets/clients.env"
fi
# The access report's page (sharing service) likewise: client popinfo-access-report, its own secret.
if ! grep -q '^PopInfo__Sharing__SignIn__ClientSecret=' "$RUN_DIR/secrets/clients.env"; then
    report_secret="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
    (
        umask 077
        echo "PopInfo__Sharing__SignIn__ClientSecret=$report_secret"
        echo "PopInfo__Identity__Applications__report__Secret=$report_secret"
    ) >>"$RUN_DIR/secrets/clients.env"
fi
# The monitoring dashboard (monitoring service) likewise: client popinfo-monitor, its own secret.
if ! grep -q '^PopInfo__Monitoring__SignIn__ClientSecret=' "$RUN_DIR/secrets/clients.env"; then
    monitor_secret="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
    (
        umask 077
        echo "PopInfo__Monitoring__SignIn__ClientSecret=$monitor_secret"
        echo "PopInfo__Identity__Applications__monitor__Secret=$monitor_secret"
    ) >>"$RUN_DIR/secrets/clients.env"
fi
chmod 0600 "$RUN_DIR/secrets/clients.env"
POPINFO_ISSUER="${POPINFO_ISSUER:-http://${POPINFO_BIND_HOST}:${POPINFO_IDENTITY_PORT}/}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { echo "=== [up.sh] $*"; }
die() { echo "=== [up.sh] ERROR: $*" >&2; exit 1; }

svc_project() { # registry -> PopInfo.Registry
    echo "PopInfo.${1^}"
}
svc_port() { # registry -> value of POPINFO_REGISTRY_PORT
    local var="POPINFO_${1^^}_PORT"
    [[ -n "${!var:-}" ]] || die "unknown service '$1' (no $var)"
    echo "${!var}"
}
svc_url() { echo "http://${POPINFO_BIND_HOST}:$(svc_port "$1")"; }
DB_SECRETS="$RUN_DIR/secrets/postgres-roles"
db_connection_string() { # popinfo_registry -> connection string as that role
    local password
    password="$(sed -n "s/^$1=//p" "$DB_SECRETS")"
    echo "Host=127.0.0.1;Port=${POPINFO_PG_PORT};Username=$1;Password=${password};Database=${POPINFO_PG_DATABASE}"
}

BROKER_SECRETS="$RUN_DIR/secrets/rabbitmq-users"
WATCHER_SECRETS="$RUN_DIR/secrets/monitoring-watchers"
broker_uri() { # registry -> the bus URI as popinfo-registry (or POPINFO_RABBITMQ_URI with POPINFO_BROKER_USERS=0)
    [[ "$POPINFO_BROKER_USERS" == 1 ]] || { echo "$POPINFO_RABBITMQ_URI"; return; }
    local user="popinfo-$1" password
    password="$(sed -n "s/^${user}=//p" "$BROKER_SECRETS")"
    [[ -n "$password" ]] || die "no RabbitMQ password for $user in $BROKER_SECRETS"
    echo "amqp://${user}:${password}@127.0.0.1:${POPINFO_RABBITMQ_AMQP_PORT}/"
}

# Is the pid in <key>.pid alive and really that service (pids get reused)? key: registry, registry.2, gateway.
svc_running_pid() {
    local key="$1" pidf="$RUN_DIR/pids/$1.pid" pid
    [[ -r "$pidf" ]] || return 1
    pid="$(cat "$pidf")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$(svc_project "${key%%.*}").dll"* ]] || return 1
    echo "$pid"
}

# Several instances (POPINFO_INSTANCES): how many a service runs, and where instance i listens.
svc_instances() {
    if ((POPINFO_INSTANCES > 1)) && [[ " $POPINFO_SINGLE_INSTANCE " != *" $1 "* ]]; then echo "$POPINFO_INSTANCES"; else echo 1; fi
}
instance_port() { echo $(($(svc_port "$1") + POPINFO_INSTANCE_PORT_STEP * $2)); }
instance_url() { echo "http://${POPINFO_BIND_HOST}:$(instance_port "$1" "$2")"; }

start_service() { # name [instance: 1..N behind the gateway]
    local name="$1" instance="${2:-}" key="$1" project port dir dll pid
    project="$(svc_project "$name")"
    port="$(svc_port "$name")"
    if [[ -n "$instance" ]]; then
        key="$name.$instance"
        port="$(instance_port "$name" "$instance")"
    fi
    dir="$REPO_ROOT/services/$project/bin/$POPINFO_CONFIGURATION/$POPINFO_TFM"
    dll="$dir/$project.dll"

    if pid="$(svc_running_pid "$key")"; then
        say "$key already running (pid $pid) - run deploy/local/down.sh first to restart it"
        return 0
    fi
    [[ -f "$dll" ]] || die "$dll not found (build failed, or POPINFO_SKIP_BUILD=1 without a build?)"
    # Something else on the port (the embedded host, say) would answer our readiness probe.
    if (exec 3<>"/dev/tcp/${POPINFO_BIND_HOST}/${port}") 2>/dev/null; then
        die "port $port is already in use (is the embedded host running?) - stop it first"
    fi

    # The working directory is the output folder: ASP.NET Core takes the current
    # directory as content root, which is where appsettings*.json are copied.
    # `exec setsid` in a background subshell keeps the pid ($!) of the final
    # dotnet process (the subshell is no process-group leader, so setsid does not
    # fork) and detaches it from our session and terminal; all three standard
    # streams are redirected so that nothing holds a caller's pipe open.
    (
        cd "$dir"
        export ASPNETCORE_URLS="http://${POPINFO_BIND_HOST}:${port}"
        export PopInfo__Mode=Distributed
        export PopInfo__Database__Provider=PostgreSql
        if [[ "$POPINFO_DB_ROLES" == 1 ]]; then
            PopInfo__Database__ConnectionString="$(db_connection_string "popinfo_$name")"
            PopInfo__Database__MigrationConnectionString="$(db_connection_string "popinfo_${name}_owner")"
            export PopInfo__Database__ConnectionString PopInfo__Database__MigrationConnectionString
        else
            export PopInfo__Database__ConnectionString="$POPINFO_DB_CONNECTION_STRING"
            export PopInfo__Database__AllowSuperuser=true
        fi
        if [[ "$POPINFO_PG_REPLICA" == 1 && " registry exchange sharing " == *" $name "* ]]; then
            # The same role on the replica (roles replicate): the read-heavy paths read there (docs/database-replica.md).
            export PopInfo__Database__ReadConnectionString="${PopInfo__Database__ConnectionString/Port=${POPINFO_PG_PORT};/Port=${POPINFO_PG_REPLICA_PORT};}"
        fi
        export PopInfo__Bus__Transport=RabbitMq
        PopInfo__Bus__RabbitMqUri="$(broker_uri "$name")"
        export PopInfo__Bus__RabbitMqUri
        if [[ "$POPINFO_RABBITMQ_NODES" != 1 ]]; then
            PopInfo__Bus__RabbitMqNodes="$(rabbitmq_cluster_uris)"
            export PopInfo__Bus__RabbitMqNodes
        fi
        if [[ "$name" == exchange && "$POPINFO_BROKER_USERS" == 1 ]]; then
            # Departments' users need the administrator tag: that credential is the exchange's for provisioning only.
            export PopInfo__Exchange__RabbitMqManagementUrl="http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/"
            export PopInfo__Exchange__RabbitMqManagementUser="$POPINFO_RABBITMQ_USER"
            export PopInfo__Exchange__RabbitMqManagementPassword="$POPINFO_RABBITMQ_PASSWORD"
        fi
        if [[ "$name" == exchange && "$POPINFO_RABBITMQ_NODES" != 1 ]]; then
            # The cluster's node 1 also with POPINFO_BROKER_USERS=0: the exchange's default management address (the bus
            # URI's host, port 15672) is the single node's, where department users would be made on the wrong broker.
            export PopInfo__Exchange__RabbitMqManagementUrl="http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/"
        fi
        export MASSTRANSIT_USAGE_TELEMETRY=false
        if [[ -n "$instance" ]]; then
            # Behind the gateway: its X-Forwarded-For names the caller (docs/security.md, "Behind a reverse proxy").
            export PopInfo__ForwardedHeaders__KnownProxies__0="$POPINFO_BIND_HOST"
        fi
        export PopInfo__Auth__Authority="$POPINFO_ISSUER" PopInfo__Identity__Issuer="$POPINFO_ISSUER"
        # The master key of the secrets this service stores (its Data Protection key ring): one per service, made
        # once, 0600; every instance of the service needs the same file (docs/security.md, "Secrets at rest").
        master_key="$RUN_DIR/secrets/$name-master.key"
        [[ -s "$master_key" ]] || (umask 077 && head -c 32 /dev/urandom | base64 >"$master_key")
        export PopInfo__Secrets__KeyFile="$master_key"
        # The scrape token of every service's /metrics (docs/metrics.md): one for all, made once, 0600; copy it to
        # Prometheus' secrets/scrape-token (deploy/prometheus/prometheus.yml).
        scrape_token="$RUN_DIR/secrets/metrics-scrape-token"
        [[ -s "$scrape_token" ]] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=' >"$scrape_token")
        PopInfo__Metrics__ScrapeToken="$(cat "$scrape_token")"
        export PopInfo__Metrics__ScrapeToken
        if [[ "$name" == monitoring && -s "$WATCHER_SECRETS" ]]; then
            # Its own watchers of the broker and the database (ensure_monitoring_watchers), and the services to watch.
            export PopInfo__Monitoring__BrokerManagementUrl="http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/"
            export PopInfo__Monitoring__BrokerUser=popinfo-monitor
            PopInfo__Monitoring__BrokerPassword="$(sed -n 's/^popinfo-monitor=//p' "$WATCHER_SECRETS")"
            PopInfo__Monitoring__DatabaseConnectionString="Host=127.0.0.1;Port=${POPINFO_PG_PORT};Username=popinfo_monitor;Password=$(sed -n 's/^popinfo_monitor=//p' "$WATCHER_SECRETS");Database=postgres"
            export PopInfo__Monitoring__BrokerPassword PopInfo__Monitoring__DatabaseConnectionString
            for watched in registry collection exchange sharing analytics identity; do
                export "PopInfo__Monitoring__Services__${watched}=$(svc_url "$watched")/"
            done
        fi
        while IFS= read -r secret; do
            [[ "$name" == identity || "$secret" == "PopInfo__Auth__Clients__${name}__Secret="* ]] && export "${secret?}"
            [[ "$name" == collection && "$secret" == "PopInfo__Collection__SignIn__ClientSecret="* ]] && export "${secret?}"
            [[ "$name" == analytics && "$secret" == "PopInfo__Analytics__SignIn__ClientSecret="* ]] && export "${secret?}"
            [[ "$name" == sharing && "$secret" == "PopInfo__Sharing__SignIn__ClientSecret="* ]] && export "${secret?}"
            [[ "$name" == monitoring && "$secret" == "PopInfo__Monitoring__SignIn__ClientSecret="* ]] && export "${secret?}"
        done <"$RUN_DIR/secrets/clients.env"
        if [[ "$name" == identity ]]; then
            # The desk's addresses at the provider (sign-in callback, back after signing out).
            desk_url="$(svc_url collection)"
            export PopInfo__Identity__Applications__desk__ClientId=popinfo-desk
            export PopInfo__Identity__Applications__desk__RedirectUris__0="$desk_url/signin-oidc"
            export PopInfo__Identity__Applications__desk__PostLogoutRedirectUris__0="$desk_url/signout-callback-oidc"
            if [[ "$POPINFO_BIND_HOST" == 127.0.0.1 ]]; then
                export PopInfo__Identity__Applications__desk__RedirectUris__1="http://localhost:$POPINFO_COLLECTION_PORT/signin-oidc"
                export PopInfo__Identity__Applications__desk__PostLogoutRedirectUris__1="http://localhost:$POPINFO_COLLECTION_PORT/signout-callback-oidc"
            fi
            # The planners' dashboard's addresses (analytics service).
            dashboard_url="$(svc_url analytics)"
            export PopInfo__Identity__Applications__dashboard__ClientId=popinfo-dashboard
            export PopInfo__Identity__Applications__dashboard__RedirectUris__0="$dashboard_url/dashboard/signin-oidc"
            export PopInfo__Identity__Applications__dashboard__PostLogoutRedirectUris__0="$dashboard_url/dashboard/signout-callback-oidc"
            if [[ "$POPINFO_BIND_HOST" == 127.0.0.1 ]]; then
                export PopInfo__Identity__Applications__dashboard__RedirectUris__1="http://localhost:$POPINFO_ANALYTICS_PORT/dashboard/signin-oidc"
                export PopInfo__Identity__Applications__dashboard__PostLogoutRedirectUris__1="http://localhost:$POPINFO_ANALYTICS_PORT/dashboard/signout-callback-oidc"
            fi
            # The access report's page (sharing service).
            report_url="$(svc_url sharing)"
            export PopInfo__Identity__Applications__report__ClientId=popinfo-access-report
            export PopInfo__Identity__Applications__report__RedirectUris__0="$report_url/access-report/signin-oidc"
            export PopInfo__Identity__Applications__report__PostLogoutRedirectUris__0="$report_url/access-report/signout-callback-oidc"
            # The operators' and auditors' dashboard (monitoring service).
            monitor_url="$(svc_url monitoring)"
            export PopInfo__Identity__Applications__monitor__ClientId=popinfo-monitor
            export PopInfo__Identity__Applications__monitor__RedirectUris__0="$monitor_url/monitor/signin-oidc"
            export PopInfo__Identity__Applications__monitor__PostLogoutRedirectUris__0="$monitor_url/monitor/signout-callback-oidc"
        fi
        exec setsid dotnet "$dll" >"$RUN_DIR/logs/$key.log" 2>&1 </dev/null
    ) &
    echo "$!" >"$RUN_DIR/pids/$key.pid"
    say "started $key (pid $!) on http://${POPINFO_BIND_HOST}:${port}, log run/logs/$key.log"
}

# The gateway's routes and clusters: each service with several instances gets a route on its usual port and a
# cluster of its instances (health checks and the rest: services/PopInfo.Gateway/ServiceClusterDefaults.cs).
write_gateway_config() {
    local file="$1" name i first=1
    shift
    {
        echo '{ "ReverseProxy": { "Routes": {'
        for name in "$@"; do
            ((first)) || echo ','
            first=0
            printf '  "%s": { "ClusterId": "%s", "Match": { "Path": "{**catch-all}" }, "Metadata": { "LocalPort": "%s" } }' \
                "$name" "$name" "$(svc_port "$name")"
        done
        echo '}, "Clusters": {'
        first=1
        for name in "$@"; do
            ((first)) || echo ','
            first=0
            printf '  "%s": { "Destinations": {' "$name"
            for ((i = 1; i <= $(svc_instances "$name"); i++)); do
                ((i == 1)) || printf ','
                printf ' "%s": { "Address": "%s/" }' "$name.$i" "$(instance_url "$name" "$i")"
            done
            printf ' } }'
        done
        echo '} } }'
    } >"$file"
}

start_gateway() { # the services behind it
    local dll="$REPO_ROOT/services/PopInfo.Gateway/bin/$POPINFO_CONFIGURATION/$POPINFO_TFM/PopInfo.Gateway.dll" name urls="" pid
    if pid="$(svc_running_pid gateway)"; then
        say "gateway already running (pid $pid) - run deploy/local/down.sh first to restart it"
        return 0
    fi
    [[ -f "$dll" ]] || die "$dll not found (build failed, or POPINFO_SKIP_BUILD=1 without a build?)"
    write_gateway_config "$RUN_DIR/gateway.json" "$@"
    for name in "$@"; do
        if (exec 3<>"/dev/tcp/${POPINFO_BIND_HOST}/$(svc_port "$name")") 2>/dev/null; then
            die "port $(svc_port "$name") is already in use (is the embedded host running?) - stop it first"
        fi
        urls+="${urls:+;}$(svc_url "$name")"
    done
    (
        cd "$(dirname "$dll")"
        export ASPNETCORE_URLS="$urls" PopInfo__Gateway__ConfigFile="$RUN_DIR/gateway.json"
        exec setsid dotnet "$dll" >"$RUN_DIR/logs/gateway.log" 2>&1 </dev/null
    ) &
    echo "$!" >"$RUN_DIR/pids/gateway.pid"
    say "started gateway (pid $!) on the ports of: $* (routes in $RUN_DIR/gateway.json), log run/logs/gateway.log"
}

show_log_tail() {
    local f="$RUN_DIR/logs/$1.log"
    echo "----- last 40 lines of $f -----" >&2
    tail -n 40 "$f" >&2 2>/dev/null || echo "(no log)" >&2
    echo "----- end of $f -----" >&2
}

# ---------------------------------------------------------------------------

t0=$SECONDS
say "infrastructure"
ensure_postgres || die "PostgreSQL could not be installed/started"
if [[ "$POPINFO_RABBITMQ_NODES" == 1 ]]; then
    ensure_rabbitmq || die "RabbitMQ could not be installed/started"
else
    ensure_rabbitmq_cluster || die "the RabbitMQ cluster could not be installed/started"
fi
if [[ "$POPINFO_PG_REPLICA" == 1 ]]; then
    ensure_postgres_replica || die "the PostgreSQL replica could not be started"
fi

read -r -a services <<<"$POPINFO_SERVICES"
for name in "${services[@]}"; do svc_port "$name" >/dev/null; done # validate names early
if [[ "$POPINFO_DB_ROLES" == 1 ]]; then
    ensure_service_db_roles "$DB_SECRETS" "${services[@]}" || die "could not create the services' PostgreSQL roles"
fi

if [[ "$POPINFO_SKIP_BUILD" != 1 ]]; then
    say "dotnet build $POPINFO_SOLUTION -c $POPINFO_CONFIGURATION"
    dotnet build "$POPINFO_SOLUTION" -c "$POPINFO_CONFIGURATION" || die "build failed"
fi

if [[ "$POPINFO_BROKER_USERS" == 1 ]]; then
    # After the build: the permissions come from the platform's own code (BrokerPermissions), through this tool.
    broker_tool="$REPO_ROOT/tools/PopInfo.BrokerUsers/bin/$POPINFO_CONFIGURATION/$POPINFO_TFM/popinfo-broker-users.dll"
    [[ -f "$broker_tool" ]] || die "$broker_tool not found (build failed, or POPINFO_SKIP_BUILD=1 without a build?)"
    ensure_service_broker_users "$BROKER_SECRETS" dotnet "$broker_tool" "${services[@]}" ||
        die "could not create the services' RabbitMQ users"
fi

if [[ " ${services[*]} " == *" monitoring "* ]]; then
    ensure_monitoring_watchers "$WATCHER_SECRETS" || die "could not create the monitoring service's watchers"
fi

keys=()   # what runs: registry, or registry.1 … registry.N behind the gateway, and the gateway
behind=() # the services with several instances
for name in "${services[@]}"; do
    if (($(svc_instances "$name") > 1)); then
        behind+=("$name")
        for ((i = 1; i <= $(svc_instances "$name"); i++)); do
            start_service "$name" "$i"
            keys+=("$name.$i")
        done
    else
        start_service "$name"
        keys+=("$name")
    fi
done
if ((${#behind[@]} > 0)); then
    start_gateway "${behind[@]}"
    keys+=(gateway)
fi
key_ready_url() { # registry.2 -> its own port; gateway -> the first service behind it, through it
    case "$1" in
        gateway) echo "$(svc_url "${behind[0]}")/health/ready" ;;
        *.*) echo "$(instance_url "${1%%.*}" "${1#*.}")/health/ready" ;;
        *) echo "$(svc_url "$1")/health/ready" ;;
    esac
}

say "waiting up to ${POPINFO_READY_TIMEOUT}s for /health/ready of: ${keys[*]}"
deadline=$((SECONDS + POPINFO_READY_TIMEOUT))
pending=("${keys[@]}")
while ((${#pending[@]} > 0)); do
    still=()
    for name in "${pending[@]}"; do
        if ! svc_running_pid "$name" >/dev/null; then
            show_log_tail "$name"
            die "$name exited before becoming ready (see run/logs/$name.log; the others are left running, stop them with deploy/local/down.sh)"
        fi
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$(key_ready_url "$name")" || true)"
        if [[ "$code" == 200 ]]; then say "$name ready"; else still+=("$name"); fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
        for name in "${pending[@]}"; do show_log_tail "$name"; done
        die "not ready after ${POPINFO_READY_TIMEOUT}s: ${pending[*]} (they are left running for inspection; stop with deploy/local/down.sh)"
    fi
    sleep 1
done

echo
say "PopInfo (distributed) is up in $((SECONDS - t0)) s:"
for name in "${services[@]}"; do
    printf '    %-11s %-24s swagger: %s/swagger\n' "$name" "$(svc_url "$name")" "$(svc_url "$name")"
done
if ((${#behind[@]} > 0)); then
    echo "    behind the gateway (services/PopInfo.Gateway, log run/logs/gateway.log), $POPINFO_INSTANCES instances each: ${behind[*]}"
fi
echo "    RabbitMQ management UI: http://127.0.0.1:${POPINFO_RABBITMQ_MGMT_PORT}/ (user ${POPINFO_RABBITMQ_USER})"
echo "    PostgreSQL:             127.0.0.1:${POPINFO_PG_PORT}, database ${POPINFO_PG_DATABASE}"
[[ "$POPINFO_DB_ROLES" == 1 ]] && echo "    PostgreSQL roles:       popinfo_<service> (runtime), popinfo_<service>_owner; passwords in $DB_SECRETS"
[[ "$POPINFO_BROKER_USERS" == 1 ]] && echo "    RabbitMQ users:         popinfo-<service>; passwords in $BROKER_SECRETS"
echo "    logs: $RUN_DIR/logs   stop: deploy/local/down.sh [--all]"
identity_password="$REPO_ROOT/services/PopInfo.Identity/bin/$POPINFO_CONFIGURATION/$POPINFO_TFM/data/identity-admin-password.txt"
if [[ -f "$identity_password" ]]; then
    echo "    the identity provider's first administrator 'admin': password in $identity_password (unless PopInfo__Identity__AdminPassword was set)"
fi
echo "    people (the desk's collectors and supervisors too) sign in at the identity provider; its administrators' page: $(svc_url identity)/admin"
echo "    platform services' client secrets: $RUN_DIR/secrets/clients.env (0600)"
echo "    master keys of the services' stored secrets: $RUN_DIR/secrets/<service>-master.key (0600; back them up apart from the database)"
