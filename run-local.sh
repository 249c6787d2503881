#!/usr/bin/env bash
# Oversight's whole stack on this machine: one embedded PostgreSQL (data under .local/, one database per
# service), the routing, review and audit services, and the console (with the development sign-in).
#
#   ./run-local.sh                  build if needed, start everything, stay in the foreground (Ctrl-C stops all)
#   ./run-local.sh --detach         the same, but return once every service is ready
#   ./run-local.sh stop [service]   stop everything, or one service (its database keeps running)
#   ./run-local.sh start <service>  start one service again against the same database; routing-service-2 is a
#                                   second router instance on port 8094 (the benchmark measures what it buys)
#   ./run-local.sh status           what is running
#   ./run-local.sh token <role> [subject]
#                                   print a development JWT (roles: app reviewer senior-reviewer auditor admin
#                                   service), signed with the key created under .local/jwt/ on first start
#
# Environment: OVERSIGHT_PG_PORT (default 5439), OVERSIGHT_LOCAL_DIR (default ./.local),
# OVERSIGHT_JAVA_OPTS (extra JVM options for the services; {service} is replaced by the service's name),
# OVERSIGHT_BIND_ADDRESS (default 127.0.0.1: the stack, whose console signs anyone in without a password, is reachable
# from this machine only; set 0.0.0.0 knowingly), OVERSIGHT_SKIP_BUILD=true (use the jars as they are).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOCAL=${OVERSIGHT_LOCAL_DIR:-$ROOT/.local}
PG_PORT=${OVERSIGHT_PG_PORT:-5439}
BIND_ADDRESS=${OVERSIGHT_BIND_ADDRESS:-127.0.0.1}
SERVICES=(routing-service review-service audit-service console)
RUN="$LOCAL/run"
LOGS="$LOCAL/logs"

ROLES="app reviewer senior-reviewer auditor admin service"
ISSUER=https://oversight.local
AUDIENCE=oversight

# The development signing key: services trust its public half; `token` signs with the private half.
ensure_jwt_key() {
  if [ ! -f "$LOCAL/jwt/private.pem" ]; then
    mkdir -p "$LOCAL/jwt"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LOCAL/jwt/private.pem" 2>/dev/null)
    openssl pkey -in "$LOCAL/jwt/private.pem" -pubout -out "$LOCAL/jwt/public.pem"
  fi
  # The router's key for the audit-sample draw, so that apps cannot predict which requests are sampled.
  if [ ! -f "$LOCAL/audit-sample-key" ]; then
    (umask 077 && openssl rand -hex 32 >"$LOCAL/audit-sample-key")
  fi
  # The key of the audit trail's digests of people's words (HMAC-SHA-256), shared by the three services.
  if [ ! -f "$LOCAL/digest-key" ]; then
    (umask 077 && openssl rand -hex 32 >"$LOCAL/digest-key")
  fi
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

token() {
  local role=${1:-} subject=${2:-}
  case " $ROLES " in *" $role "*) ;; *) say "usage: ./run-local.sh token <role> [subject]; roles: $ROLES" >&2; exit 2 ;; esac
  [ -n "$subject" ] || subject="local-$role"
  ensure_jwt_key
  local now header claims signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"local"}' | b64url)
  claims=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%s,"exp":%s,"jti":"%s"}' \
    "$ISSUER" "$AUDIENCE" "$subject" "$subject" "$role" "$now" "$((now + 8 * 3600))" "$(openssl rand -hex 16)" | b64url)
  signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$LOCAL/jwt/private.pem" | b64url)
  say "A $role token for '$subject', valid for 8 hours:"
  printf '%s.%s.%s\n' "$header" "$claims" "$signature"
}

port_of() {
  case "$1" in
    routing-service) echo 8091 ;;
    review-service) echo 8092 ;;
    audit-service) echo 8093 ;;
    console) echo 8090 ;;
    routing-service-2) echo 8094 ;;
    *) echo "unknown service '$1' (one of: ${SERVICES[*]} routing-service-2)" >&2; exit 2 ;;
  esac
}

# A second router instance (routing-service-2, port 8094) shares the first one's jar and database: instances of a
# service coordinate through PostgreSQL alone, so this is how to see what adding an instance buys.
jar_of() { echo "$ROOT/${1%-2}/target/quarkus-app/quarkus-run.jar"; }
database_of() { local s=${1%-2}; echo "${s%-service}"; }

say() { printf '%s\n' "$*"; }

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

needs_build() {
  local jar
  for s in "${SERVICES[@]}"; do
    jar="$ROOT/$s/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
  done
  [ -f "$ROOT/common/target/test-classpath.txt" ] || return 0
  # Rebuild when any source or build file changed since the oldest service jar was built.
  local oldest
  oldest=$(ls -tr "$ROOT"/*-service/target/quarkus-app/quarkus-run.jar "$ROOT/console/target/quarkus-app/quarkus-run.jar" | head -n 1)
  [ -n "$(find "$ROOT/pom.xml" "$ROOT/common" "${SERVICES[@]/#/$ROOT/}" \
            -path '*/target' -prune -o -type f -newer "$oldest" -print -quit)" ]
}

build() {
  if [ "${OVERSIGHT_SKIP_BUILD:-}" = true ]; then return; fi
  if needs_build; then
    say "Building Oversight (first run, or sources changed)..."
    (cd "$ROOT" && ./mvnw -B -q -DskipTests clean package)
  fi
}

start_postgres() {
  if alive postgres; then return; fi
  if port_busy "$PG_PORT"; then
    say "Port $PG_PORT is taken by another program; set OVERSIGHT_PG_PORT to a free port." >&2
    exit 1
  fi
  mkdir -p "$RUN" "$LOGS" "$LOCAL/pg"
  local cp
  cp="$ROOT/common/target/test-classes:$(cat "$ROOT/common/target/test-classpath.txt")"
  nohup java -cp "$cp" dev.oversight.common.testing.LocalPostgres "$LOCAL/pg" "$PG_PORT" routing review audit \
    >"$LOGS/postgres.log" 2>&1 &
  echo $! >"$RUN/postgres.pid"
  for _ in $(seq 1 120); do
    if grep -q "LocalPostgres ready" "$LOGS/postgres.log" 2>/dev/null; then
      say "PostgreSQL      ready on port $PG_PORT (data in $LOCAL/pg)"
      return
    fi
    alive postgres || break
    sleep 0.5
  done
  say "PostgreSQL did not start; see $LOGS/postgres.log" >&2
  tail -n 20 "$LOGS/postgres.log" >&2 || true
  exit 1
}

start_service() {
  local s=$1 port
  port=$(port_of "$s")
  if alive "$s"; then say "$s is already running"; return; fi
  if port_busy "$port"; then
    say "Port $port is taken by another program; stop it before starting $s." >&2
    exit 1
  fi
  mkdir -p "$RUN" "$LOGS"
  ensure_jwt_key
  local db_var java_opts=${OVERSIGHT_JAVA_OPTS:-}
  java_opts=${java_opts//\{service\}/$s}
  db_var="$(database_of "$s" | tr '[:lower:]' '[:upper:]')_DB_URL"
  if [ "$s" = audit-service ]; then
    # The audit service runs as a role that may only INSERT and SELECT; its migrations are a step of their own,
    # as the database owner, before it starts (in Kubernetes: an init container).
    if ! env AUDIT_DB_URL="jdbc:postgresql://localhost:$PG_PORT/audit" QUARKUS_INIT_AND_EXIT=true \
        OVERSIGHT_DIGEST_KEY="$(cat "$LOCAL/digest-key")" \
        QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_DATASOURCE_USERNAME=postgres \
        OVERSIGHT_JWT_PUBLIC_KEY="$LOCAL/jwt/public.pem" \
        java -jar "$ROOT/$s/target/quarkus-app/quarkus-run.jar" >>"$LOGS/$s-migrate.log" 2>&1; then
      say "Migrating the audit database failed; see $LOGS/$s-migrate.log" >&2
      exit 1
    fi
  fi
  local extra=()
  if [ "$s" = audit-service ]; then
    # Besides the router and the review service, the development 'service' token (local-service) may append events.
    extra=(AUDIT_EVENT_PRODUCERS=routing-service,review-service,local-service)
  fi
  if [ "$s" = review-service ]; then
    # No SMTP server locally: notification mails are written to the review service's log instead of being sent.
    extra=(QUARKUS_MAILER_MOCK=true)
  fi
  if [ "$s" = console ]; then
    # The local profile turns the identity provider off; the flag turns the development sign-in on (refused in prod).
    extra=(QUARKUS_PROFILE=local OVERSIGHT_CONSOLE_DEV_SIGN_IN=true)
  fi
  env ${extra[@]+"${extra[@]}"} "$db_var=jdbc:postgresql://localhost:$PG_PORT/$(database_of "$s")" \
    AUDIT_CHECKPOINT_KEY_FILE="$LOCAL/audit-checkpoint-key.pem" \
    OVERSIGHT_JWT_PUBLIC_KEY="$LOCAL/jwt/public.pem" \
    OVERSIGHT_SERVICE_KEY="$LOCAL/jwt/private.pem" \
    OVERSIGHT_CALLBACKS_ALLOW_HTTP=true OVERSIGHT_CALLBACKS_ALLOWED_HOSTS="localhost:*" \
    OVERSIGHT_AUDIT_SAMPLE_KEY="$(cat "$LOCAL/audit-sample-key")" OVERSIGHT_DIGEST_KEY="$(cat "$LOCAL/digest-key")" \
    QUARKUS_HTTP_HOST="$BIND_ADDRESS" QUARKUS_HTTP_PORT="$port" nohup java ${java_opts} -jar "$(jar_of "$s")" >>"$LOGS/$s.log" 2>&1 &
  echo $! >"$RUN/$s.pid"
}

wait_ready() {
  local s=$1 port
  port=$(port_of "$s")
  for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1; then
      printf '%-15s ready at http://localhost:%s\n' "$s" "$port"
      return
    fi
    if ! alive "$s"; then break; fi
    sleep 0.5
  done
  say "$s did not become ready; see $LOGS/$s.log" >&2
  tail -n 30 "$LOGS/$s.log" >&2 || true
  exit 1
}

stop_one() {
  local name=$1 pid
  [ -f "$RUN/$name.pid" ] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $name"
  fi
  rm -f "$RUN/$name.pid"
}

stop_all() {
  for s in "${SERVICES[@]}" routing-service-2; do stop_one "$s"; done
  stop_one postgres
}

status() {
  for name in postgres "${SERVICES[@]}"; do
    if alive "$name"; then printf '%-15s running (pid %s)\n' "$name" "$(cat "$RUN/$name.pid")"
    else printf '%-15s stopped\n' "$name"; fi
  done
}

usage() {
  cat <<EOF
Usage: ./run-local.sh [--detach] | stop [service] | start <service> | status | token <role> [subject]
Services: ${SERVICES[*]}
  (start routing-service-2 adds a second router instance on port 8094, sharing the first one's database)
EOF
}

banner() {
  cat <<EOF

Oversight is running.
  routing  http://localhost:8091   (API docs: http://localhost:8091/q/swagger-ui)
  review   http://localhost:8092
  audit    http://localhost:8093
  console  http://localhost:8090   (sign in with any name and a role: reviewer, senior-reviewer, auditor, admin)
  logs     $LOGS/

Try it (the README walks through more):
  ADMIN=\$(./run-local.sh token admin | tail -n 1); APP=\$(./run-local.sh token app | tail -n 1)
  curl -s -X PUT localhost:8091/v1/use-cases/claims-triage/policy -H "Authorization: Bearer \$ADMIN" \\
       -H 'Content-Type: application/json' -d '{"threshold": 0.8, "apps": ["local-app"]}'
  curl -s localhost:8091/v1/route -H "Authorization: Bearer \$APP" -H 'Content-Type: application/json' \\
       -d '{"useCase":"claims-triage","modelVersion":"v1","output":{"label":"approve"},"confidence":0.93}'

EOF
}

up() {
  local detach=$1
  build
  mkdir -p "$RUN"
  rm -f "$RUN"/*.stopped
  start_postgres
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  for s in "${SERVICES[@]}"; do wait_ready "$s"; done
  banner
  if [ "$detach" = yes ]; then
    say "Detached. Stop with: ./run-local.sh stop"
    return
  fi
  say "Press Ctrl-C to stop everything."
  trap 'say ""; stop_all; exit 0' INT TERM
  while true; do
    for name in postgres "${SERVICES[@]}"; do
      if ! alive "$name" && [ ! -f "$RUN/$name.stopped" ]; then
        say "$name exited; see $LOGS/$name.log (restart it with ./run-local.sh start $name)"
        touch "$RUN/$name.stopped"
      fi
    done
    sleep 2
  done
}

case "${1:-}" in
  "") up no ;;
  --detach|-d) up yes ;;
  stop)
    if [ -n "${2:-}" ]; then port_of "$2" >/dev/null; stop_one "$2"; touch "$RUN/$2.stopped"; else stop_all; fi ;;
  start)
    [ -n "${2:-}" ] || { usage; exit 2; }
    port_of "$2" >/dev/null
    build
    start_postgres
    rm -f "$RUN/$2.stopped"
    start_service "$2"
    wait_ready "$2" ;;
  status) status ;;
  token) token "${2:-}" "${3:-}" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
