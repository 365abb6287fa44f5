#!/usr/bin/env bash
# Runs once, when the postgres container starts on an empty data volume (docker-entrypoint-initdb.d).
# One login role and one database per service, the database owned by its role. CONNECT is revoked
# from PUBLIC, so a service's role cannot even open another service's database.
# Passwords come from <SERVICE>_DB_PASSWORD (docker-compose.yml passes them in).
set -euo pipefail

create_service_database() {
  local service=$1 password=$2
  # psql variables (:"name" quotes an identifier, :'name' a literal): no SQL built by string pasting.
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v service="$service" -v password="$password" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
  echo "init-service-databases: role and database '$service' created"
}

create_service_database profiles   "${PROFILES_DB_PASSWORD:?PROFILES_DB_PASSWORD is required}"
create_service_database matching   "${MATCHING_DB_PASSWORD:?MATCHING_DB_PASSWORD is required}"
create_service_database scheduling "${SCHEDULING_DB_PASSWORD:?SCHEDULING_DB_PASSWORD is required}"
create_service_database feedback   "${FEEDBACK_DB_PASSWORD:?FEEDBACK_DB_PASSWORD is required}"
