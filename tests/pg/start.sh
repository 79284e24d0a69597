#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for stance's tests and prints the lines to `eval`:
#
#   eval "$(tests/pg/start.sh /tmp/stance-pg)"     # starts it, exports STANCE_TEST_PG...
#   tests/pg/ctl.sh /tmp/stance-pg stop            # stops it (.ci/run does this in a trap)
#
# The cluster lives in DIR (created; an old one there is removed first), owned by an
# unprivileged user (the server refuses to run as root), listens on 127.0.0.1 only, and
# takes passwords (scram-sha-256) so wrong-password tests mean something. Roles:
#   stance_admin  superuser: tests create one database each with it
#   stance_writer creates tables and writes
#   stance_reader may connect and read, never write
# Printed: STANCE_TEST_PG (admin URL), STANCE_TEST_PG_WRITER, STANCE_TEST_PG_READER,
# STANCE_TEST_PG_DIR (for ctl.sh stop/start mid-test), and STANCE_TEST_PG_ROOTCERT (the
# server's self-signed certificate, when openssl made one: ssl is on). Installs Debian's
# postgresql-15 with apt-get only when its binaries are missing.
# STANCE_TEST_PG_FSYNC=on starts the server with fsync on (benches/pg.rs measures that, as
# a real server runs); the default stays off, for the tests.
set -euo pipefail
fsync=${STANCE_TEST_PG_FSYNC:-off}
case $fsync in on|off) ;; *) echo "start.sh: STANCE_TEST_PG_FSYNC is on or off, not $fsync" >&2; exit 2 ;; esac
dir=${1:?usage: start.sh DIR [PORT]}
port=${2:-${STANCE_TEST_PG_PORT:-55432}}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "start.sh: installing postgresql-15" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
  bin=/usr/lib/postgresql/15/bin
fi
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  owner=stance-pg
  id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
fi
as_owner() {
  if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}
if [ -f "$dir/data/postmaster.pid" ]; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
chown "$owner" "$dir"
chmod 700 "$dir"
pw=stance-test-pw
printf '%s\n' "$pw" > "$dir/pw"
chown "$owner" "$dir/pw"
as_owner "$bin/initdb" -D "$dir/data" -U stance_admin --pwfile="$dir/pw" -A scram-sha-256 \
  --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# A self-signed certificate for the TLS tests, made for the name "localhost" only: with it as
# the root, sslmode=verify-ca to 127.0.0.1 passes and verify-full fails on the name.
tls=no
if command -v openssl >/dev/null 2>&1; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost \
    -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1
  chmod 600 "$dir/data/server.key"
  chown "$owner" "$dir/data/server.key" "$dir/data/server.crt"
  cp "$dir/data/server.crt" "$dir/root.crt"
  echo "ssl = on" >> "$dir/data/postgresql.conf"
  tls=yes
fi
cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
synchronous_commit = on
# The tests check what stance does, not the disk: without fsync the 8x2,000 test stays
# short. synchronous_commit stays on, so COMMIT still returns only once the server has it.
# STANCE_TEST_PG_FSYNC=on (the benchmarks) syncs as a real server does.
fsync = $fsync
max_connections = 100
CONF
# A port someone else holds: try the next few.
for try in 0 1 2 3 4 5 6 7 8 9; do
  p=$((port + try))
  sed -i "s/^port = .*/port = $p/" "$dir/data/postgresql.conf"
  if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null 2>&1; then
    port=$p
    break
  fi
  if [ "$try" = 9 ]; then cat "$dir/server.log" >&2; exit 1; fi
done
export PGPASSWORD=$pw
psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U stance_admin "$@"; }
psql -d postgres >/dev/null <<SQL
CREATE ROLE stance_writer LOGIN PASSWORD 'writer-pw' CREATEDB;
CREATE ROLE stance_reader LOGIN PASSWORD 'reader-pw';
CREATE DATABASE stance OWNER stance_writer;
SQL
echo "$bin" > "$dir/bin"
echo "$owner" > "$dir/owner"
echo "export STANCE_TEST_PG='postgresql://stance_admin:$pw@127.0.0.1:$port/postgres'"
echo "export STANCE_TEST_PG_WRITER='postgresql://stance_writer:writer-pw@127.0.0.1:$port/stance'"
echo "export STANCE_TEST_PG_READER='postgresql://stance_reader:reader-pw@127.0.0.1:$port/stance'"
echo "export STANCE_TEST_PG_DIR='$dir'"
echo "export STANCE_TEST_PG_CTL='$here/ctl.sh'"
if [ "$tls" = yes ]; then echo "export STANCE_TEST_PG_ROOTCERT='$dir/root.crt'"; fi
