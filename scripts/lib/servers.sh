# Throwaway database servers for tests and benchmarks. Source this file, then call
# `servers_start`; the servers live in a temporary directory and are stopped (and the
# directory removed) when the shell exits. Sets DRIZZLE_DRIFT_TEST_PG,
# DRIZZLE_DRIFT_TEST_PG_REPLICA (a streaming replica of the first; not started with
# DRIZZLE_DRIFT_REPLICA=0) and
# DRIZZLE_DRIFT_TEST_MYSQL. Needs no network but Debian's package mirror, and only when
# the server binaries are missing.

_dd_tmp=""
_dd_pg_bin=""
_dd_my_pid=""

_dd_as() { # run as a service user when we are root (initdb refuses root)
  local user=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

_dd_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

_dd_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "servers: $* missing and not root: install them (apt-get install $*)" >&2
    return 1
  fi
  echo "servers: installing $*" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "$@" >&2
  # Debian's packages start a cluster/daemon of their own; ours do not need them.
}

_dd_find_pg() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then _dd_pg_bin=$d; fi
  done
  [ -n "$_dd_pg_bin" ]
}

servers_stop() {
  if [ -n "$_dd_tmp" ] && [ -d "$_dd_tmp" ]; then
    if [ -n "$_dd_pg_bin" ] && [ -f "$_dd_tmp/pgrep/postmaster.pid" ]; then
      _dd_as postgres "$_dd_pg_bin/pg_ctl" -D "$_dd_tmp/pgrep" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$_dd_pg_bin" ] && [ -f "$_dd_tmp/pg/postmaster.pid" ]; then
      _dd_as postgres "$_dd_pg_bin/pg_ctl" -D "$_dd_tmp/pg" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$_dd_my_pid" ]; then
      kill "$_dd_my_pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$_dd_my_pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$_dd_my_pid" 2>/dev/null || true
    fi
    rm -rf "$_dd_tmp"
  fi
}

_dd_start_pg() {
  _dd_find_pg || { _dd_install postgresql >&2 && _dd_find_pg; } || return 1
  local port; port=$(_dd_free_port)
  mkdir -p "$_dd_tmp/pg" "$_dd_tmp/pgrun"
  chown postgres: "$_dd_tmp/pg" "$_dd_tmp/pgrun" 2>/dev/null || true
  # Passwords are checked over TCP (scram), so tests can see a wrong one refused.
  echo postgres >"$_dd_tmp/pgrun/pwfile"
  chown postgres: "$_dd_tmp/pgrun/pwfile" 2>/dev/null || true
  _dd_as postgres "$_dd_pg_bin/initdb" -D "$_dd_tmp/pg" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$_dd_tmp/pgrun/pwfile" -E UTF8 \
    --locale=C.UTF-8 >"$_dd_tmp/pgrun/initdb.log" 2>&1 || { cat "$_dd_tmp/pgrun/initdb.log" >&2; return 1; }
  _dd_as postgres "$_dd_pg_bin/pg_ctl" -D "$_dd_tmp/pg" -l "$_dd_tmp/pgrun/pg.log" -w -t 60 \
    -o "-p $port -k $_dd_tmp/pgrun -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$_dd_tmp/pgrun/pg.log" >&2; return 1; }
  export DRIZZLE_DRIFT_TEST_PG="postgres://postgres:postgres@127.0.0.1:$port/postgres"
  echo "servers: PostgreSQL on 127.0.0.1:$port" >&2
  if [ "${DRIZZLE_DRIFT_REPLICA:-1}" != 0 ]; then
    _dd_start_pg_replica "$port" || echo "servers: could not start a PostgreSQL replica (the replica test is skipped, and fails under CI)" >&2
  fi
}

# A streaming replica of the throwaway primary: a base backup with the standby settings
# written by `pg_basebackup -R`, over the primary's socket (trusted locally), on its own
# loopback port. Sets DRIZZLE_DRIFT_TEST_PG_REPLICA.
_dd_start_pg_replica() {
  local primary_port=$1 port
  port=$(_dd_free_port)
  mkdir -p "$_dd_tmp/pgrep" "$_dd_tmp/pgreprun"
  chown postgres: "$_dd_tmp/pgrep" "$_dd_tmp/pgreprun" 2>/dev/null || true
  chmod 700 "$_dd_tmp/pgrep"
  _dd_as postgres "$_dd_pg_bin/pg_basebackup" -D "$_dd_tmp/pgrep" -R -X stream \
    -h "$_dd_tmp/pgrun" -p "$primary_port" -U postgres >"$_dd_tmp/pgreprun/basebackup.log" 2>&1 \
    || { cat "$_dd_tmp/pgreprun/basebackup.log" >&2; return 1; }
  _dd_as postgres "$_dd_pg_bin/pg_ctl" -D "$_dd_tmp/pgrep" -l "$_dd_tmp/pgreprun/pg.log" -w -t 60 \
    -o "-p $port -k $_dd_tmp/pgreprun -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c hot_standby=on" \
    start >/dev/null || { cat "$_dd_tmp/pgreprun/pg.log" >&2; return 1; }
  export DRIZZLE_DRIFT_TEST_PG_REPLICA="postgres://postgres:postgres@127.0.0.1:$port/postgres"
  echo "servers: PostgreSQL replica on 127.0.0.1:$port" >&2
}

_dd_start_mysql() {
  if ! command -v mariadbd >/dev/null && ! [ -x /usr/sbin/mariadbd ]; then
    _dd_install mariadb-server >&2 || return 1
  fi
  local mysqld=/usr/sbin/mariadbd installer
  installer=$(command -v mariadb-install-db || command -v mysql_install_db) || return 1
  local port; port=$(_dd_free_port)
  mkdir -p "$_dd_tmp/my" "$_dd_tmp/myrun"
  chown mysql: "$_dd_tmp/my" "$_dd_tmp/myrun" 2>/dev/null || true
  "$installer" --no-defaults --datadir="$_dd_tmp/my" --user=mysql \
    --auth-root-authentication-method=normal --skip-test-db >"$_dd_tmp/my-install.log" 2>&1 \
    || { cat "$_dd_tmp/my-install.log" >&2; return 1; }
  "$mysqld" --no-defaults --datadir="$_dd_tmp/my" --user=mysql --port="$port" \
    --bind-address=127.0.0.1 --socket="$_dd_tmp/myrun/my.sock" --pid-file="$_dd_tmp/myrun/my.pid" \
    --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --max-connections=200 --log-error="$_dd_tmp/myrun/my.log" >/dev/null 2>&1 &
  _dd_my_pid=$!
  local ok=""
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then ok=1; break; fi
    kill -0 "$_dd_my_pid" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$ok" ] || { cat "$_dd_tmp/myrun/my.log" >&2; return 1; }
  export DRIZZLE_DRIFT_TEST_MYSQL="mysql://root@127.0.0.1:$port/mysql"
  echo "servers: MariaDB on 127.0.0.1:$port" >&2
}

servers_start() {
  _dd_tmp=$(mktemp -d "${TMPDIR:-/tmp}/drizzle-drift-servers.XXXXXX")
  chmod 755 "$_dd_tmp"
  trap servers_stop EXIT
  trap 'exit 130' INT TERM
  _dd_start_pg || echo "servers: could not start PostgreSQL" >&2
  _dd_start_mysql || echo "servers: could not start MariaDB" >&2
  # Tests fail (they do not skip) under CI when a URL is missing.
}
