#!/usr/bin/env bash
# Makes PostgreSQL answer on 127.0.0.1:5432 as the tests expect it (trust authentication on loopback,
# the databases test, root and postgres): starts the cluster when it is installed but stopped, and
# installs Debian's postgresql when it is missing. Idempotent, no stdin, fast when all is in place.
# Tests that need PostgreSQL fail under CI=true when it cannot be reached, rather than skip.
set -euo pipefail

connects() { psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

if connects; then
  echo "setup-postgresql: PostgreSQL already answers on 127.0.0.1:5432"
else
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "setup-postgresql: installing Debian's postgresql"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  fi
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  [ -d "/etc/postgresql/$version/main" ] || pg_createcluster "$version" main
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q '# vernier-tests' "$hba"; then
    # trust on loopback only, first so that it wins: a machine that only runs tests
    tmp="$(mktemp)"
    {
      echo "local all all trust # vernier-tests"
      echo "host all all 127.0.0.1/32 trust # vernier-tests"
      echo "host all all ::1/128 trust # vernier-tests"
      cat "$hba"
    } > "$tmp"
    cat "$tmp" > "$hba"
    rm -f "$tmp"
  fi
  if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  for _ in $(seq 1 60); do connects && break; sleep 0.5; done
  connects || { echo "setup-postgresql: PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
  echo "setup-postgresql: PostgreSQL $version started"
fi

for db in test root; do
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    createdb -h 127.0.0.1 -U postgres "$db"
  fi
done
