# Shell helpers for a throwaway PostgreSQL cluster, sourced by scripts/test from the
# repository's root: the store's conformance suite and the node tests on PostgreSQL run against
# it.
#
# postgres_start installs Debian's PostgreSQL server when initdb is missing, makes a cluster in a
# temporary folder, starts it on a free loopback port, and exports POSTGRES_TEST_URL. It
# stops the cluster and removes the folder on every way out of the calling shell (normal exit,
# failure under `set -e`, Ctrl-C, SIGTERM) through a trap on EXIT; call postgres_stop to do it
# earlier.
#
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` user that
# Debian's package creates.

postgres_dir=""
postgres_user=""

# The folder of PostgreSQL's server programs (initdb, pg_ctl), installing Debian's package when
# none is found.
postgres_bindir() {
  local found
  found="$(postgres_find_bindir)"
  if [ -z "$found" ]; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "PostgreSQL's server is missing: installing Debian's postgresql" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    found="$(postgres_find_bindir)"
  fi
  if [ -z "$found" ]; then
    echo "cannot find initdb after installing postgresql" >&2
    return 1
  fi
  echo "$found"
}

postgres_find_bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(realpath "$(command -v initdb)")"
    return
  fi
  # Debian keeps the server's programs out of PATH, one folder per major version.
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

# Runs a command as the cluster's owner.
postgres_as_owner() {
  if [ -n "$postgres_user" ]; then
    runuser -u "$postgres_user" -- "$@"
  else
    "$@"
  fi
}

# Makes and starts the cluster; exports POSTGRES_TEST_URL.
postgres_start() {
  local bin
  bin="$(postgres_bindir)"
  postgres_dir="$(mktemp -d -t passcom-postgres.XXXXXX)"
  trap postgres_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [ "$(id -u)" -eq 0 ]; then
    postgres_user="postgres"
    id -u "$postgres_user" >/dev/null 2>&1 || useradd --system --no-create-home "$postgres_user"
    chown "$postgres_user" "$postgres_dir"
  fi
  postgres_as_owner "$bin/initdb" -D "$postgres_dir/data" -A trust -U postgres -E UTF8 \
    --no-locale >"$postgres_dir/initdb.log" 2>&1 || {
    cat "$postgres_dir/initdb.log" >&2
    return 1
  }
  # A free port is not known in advance: try a few at random among the high ones.
  local port attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if postgres_as_owner "$bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/server.log" -w \
      -t 60 -o "-k $postgres_dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200" \
      start >/dev/null; then
      export POSTGRES_TEST_URL="postgres://postgres@127.0.0.1:$port/postgres"
      echo "PostgreSQL on 127.0.0.1:$port ($postgres_dir)"
      return 0
    fi
    echo "PostgreSQL did not start on port $port (attempt $attempt); trying another" >&2
  done
  cat "$postgres_dir/server.log" >&2
  return 1
}

# Stops the cluster and removes its folder; does nothing when none runs.
postgres_stop() {
  if [ -z "$postgres_dir" ]; then return 0; fi
  local bin
  bin="$(postgres_find_bindir)" || true
  if [ -f "$postgres_dir/data/postmaster.pid" ]; then
    postgres_as_owner "$bin/pg_ctl" -D "$postgres_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$postgres_dir"
  postgres_dir=""
  unset POSTGRES_TEST_URL
}
