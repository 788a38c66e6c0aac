#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the store tests, and prints the URL to use.
# These machines normally run one (trust auth); if it is stopped it is started, and if it is absent it is installed
# from Debian's packages with a password for the postgres user.
set -euo pipefail

ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }

url="postgres://postgres@127.0.0.1:5432/postgres"
if ! ready; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "postgres: starting the existing cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start >&2 || true
  else
    echo "postgres: installing from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    version="$(ls /etc/postgresql | sort -V | tail -n1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'ferd-ci'\"" >&2
    url="postgres://postgres:ferd-ci@127.0.0.1:5432/postgres"
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "postgres: no server on 127.0.0.1:5432" >&2; exit 1; }
echo "$url"
