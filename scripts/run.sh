#!/usr/bin/env bash
# The main job: the sync server on its embedded SQLite, and the app against it, already enrolled.
#   ROLE=cleaner|guard|manager (default cleaner)   TORGKOLL_HOME=dir for the data (default ./.torgkoll)
#   DEMO=1 seeds the server, on first start, with four weeks and a day of generated activity from five demo
#   phones, which the app then pulls like any synced data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

role=${ROLE:-cleaner}
home=${TORGKOLL_HOME:-$PWD/.torgkoll}
port=${PORT:-8787}
mkdir -p "$home"

cargo build --release -p torgkoll-server -p torgkoll-app --bins
server=target/release/torgkoll-server
app=target/release/torgkoll

if [ -n "${DEMO:-}" ] && [ ! -e "$home/server.sqlite" ]; then
  echo "seeding the server with demo activity (four weeks and today)"
  "$server" demo --db "$home/server.sqlite" --date "$(date +%F)" >/dev/null
fi

"$server" serve --db "$home/server.sqlite" --listen "127.0.0.1:$port" >"$home/server.out" 2>"$home/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q "listening on" "$home/server.out" 2>/dev/null && break
  sleep 0.1
done
grep -q "listening on" "$home/server.out" || { echo "the server did not start; see $home/server.log" >&2; exit 1; }
echo "server: http://127.0.0.1:$port (database $home/server.sqlite, log $home/server.log)"

phone="$home/phone-$role"
args=(--data-dir "$phone" --server "http://127.0.0.1:$port")
if [ ! -e "$phone/torgkoll.sqlite" ]; then
  code=$("$server" enroll --db "$home/server.sqlite" --role "$role" --name "Demo $role")
  args+=(--enroll-code "$code")
fi

echo "app: $role phone, data in $phone"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: running the app under Xvfb (headless)" >&2
  xvfb-run -a "$app" "${args[@]}"
else
  "$app" "${args[@]}"
fi
