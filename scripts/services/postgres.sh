#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on loopback with a role and a database for the tests
# (docs/server.md): install Debian's postgresql when absent, start the installed cluster when it
# is down, create role `coderlhf` (password `coderlhf`) and database `coderlhf_test`.
# Idempotent; exits non-zero when PostgreSQL cannot be started. The tests read
# CODERLHF_TEST_PG (default postgresql://coderlhf:coderlhf@127.0.0.1:5432/coderlhf_test).
set -euo pipefail
ROLE="${CODERLHF_PG_ROLE:-coderlhf}"
DB="${CODERLHF_PG_DB:-coderlhf_test}"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
  pg_createcluster "$VERSION" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start
fi
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }
if [ "$(psql_admin "select 1 from pg_roles where rolname='$ROLE'")" != "1" ]; then
  psql_admin "create role $ROLE login createdb password '$ROLE'"
fi
# the tests drop their databases WITH (FORCE); an autovacuum worker still inside one has no role
# of ours, and only pg_signal_backend lets a non-superuser end it (else a rare teardown error)
psql_admin "set client_min_messages = warning; grant pg_signal_backend to $ROLE"
if [ "$(psql_admin "select 1 from pg_database where datname='$DB'")" != "1" ]; then
  psql_admin "create database $DB owner $ROLE"
fi
PGPASSWORD="$ROLE" psql -h 127.0.0.1 -U "$ROLE" -d "$DB" -qAtc "select 1" >/dev/null
