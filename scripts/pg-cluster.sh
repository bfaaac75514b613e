#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and fleet runs (Debian's `postgresql` package).
#
#   scripts/pg-cluster.sh start DIR    initdb into DIR (trust auth, superuser postgres), start it on
#                                      127.0.0.1 and a free port, socket inside DIR; prints the URL
#                                      postgres://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-cluster.sh stop DIR     stop it (fast shutdown)
#   scripts/pg-cluster.sh kill DIR     kill -9 the postmaster (PID = first line of DIR/postmaster.pid)
#   scripts/pg-cluster.sh restart DIR  start it again on the same port (after stop or kill); prints the URL
#
# DIR is the data directory. PostgreSQL refuses to run as root: as root, DIR is given to the `postgres`
# user and the binaries run through `runuser -u postgres --`.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop|kill|restart DIR" >&2
  exit 2
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]]; then
  echo "pg-cluster: no PostgreSQL found under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$dir/torgkoll.port")/postgres"; }

# Starts the cluster on the port in DIR/torgkoll.port, trying up to $1 times. Right after a kill -9 the old
# backends may still hold the shared memory for a moment, so a failed restart is retried.
start_on_port() {
  local port tries=0 max="$1"
  port=$(cat "$dir/torgkoll.port")
  until as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/log/server.log" -w -t 30 -s \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock" start; do
    tries=$((tries + 1))
    if ((tries >= max)); then
      echo "pg-cluster: could not start on port $port; see $dir/log/server.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [[ -n "$(ls -A "$dir")" ]]; then
      echo "pg-cluster: $dir is not empty" >&2
      exit 1
    fi
    [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
    as_pg "$bindir/initdb" -D "$dir" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg mkdir -p "$dir/sock" "$dir/log"
    # A test cluster: fsync off (a killed server loses nothing the OS got; only a power cut would),
    # room for every test's pool at once.
    cat >>"$dir/postgresql.conf" <<CONF
fsync = off
full_page_writes = off
max_connections = 400
shared_buffers = 128MB
CONF
    # A free port: try random ones until the server starts on one.
    for _ in $(seq 1 20); do
      echo $((20000 + RANDOM % 40000)) >"$dir/torgkoll.port"
      if start_on_port 1 2>/dev/null; then
        url
        exit 0
      fi
    done
    echo "pg-cluster: could not start; see $dir/log/server.log" >&2
    exit 1
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w -s stop
    ;;
  kill)
    kill -9 "$(head -n 1 "$dir/postmaster.pid")"
    ;;
  restart)
    if ! start_on_port 20 2>/dev/null; then
      echo "pg-cluster: could not restart; see $dir/log/server.log" >&2
      exit 1
    fi
    url
    ;;
  *)
    echo "usage: $0 start|stop|kill|restart DIR" >&2
    exit 2
    ;;
esac
