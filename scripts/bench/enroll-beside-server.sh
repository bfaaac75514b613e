#!/usr/bin/env bash
# `torgkoll-server enroll` run beside a busy `serve` on the same SQLite file (BENCHMARKS.md, "A command
# beside a busy server"). Release binaries in BIN (default target/release).
#
#   enroll-beside-server.sh year  WORK   # a seeded year, page cache dropped, enroll while the first scan runs
#   enroll-beside-server.sh crowd WORK   # enroll every second while 100 phones of 300 reports sync
set -euo pipefail
mode=${1:?year or crowd}; work=${2:?a work directory}
bin=${BIN:-$(cd "$(dirname "$0")/../.." && pwd)/target/release}
srv=$bin/torgkoll-server
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install sqlite3" >&2; exit 2; }
mkdir -p "$work"; cd "$work"

serve() { # serve DB: starts the server, sets URL and SP
  rm -f out err
  "$srv" serve --db "$1" --listen 127.0.0.1:0 >out 2>err &
  SP=$!
  for _ in $(seq 600); do grep -q http out 2>/dev/null && break; sleep 0.05; done
  URL=$(grep -o 'http://[0-9.:]*' out | head -1)
}

enroll() { # enroll DB NAME: one line, "rc=N seconds"
  local t0 rc
  t0=$(date +%s.%N)
  rc=0; "$srv" enroll --db "$1" --role manager --name "$2" >/dev/null 2>enroll.err || rc=$?
  echo "rc=$rc $(echo "$(date +%s.%N) - $t0" | bc) s $(grep -o 'database is locked' enroll.err || true)"
}

case $mode in
year)
  [ -f base.sqlite ] || "$srv" demo --db base.sqlite --date 2026-11-20 --days 365 \
    --cleaning-per-day 520 --disturbances-per-day 14 --seed 1
  rm -rf t.sqlite*; cp base.sqlite t.sqlite; sync
  echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || echo "(page cache not dropped: not root)"
  max=$(sqlite3 t.sqlite "SELECT MAX(pos) FROM ops")
  serve t.sqlite
  t0=$(date +%s.%N)
  for k in 1 2 3 4 5; do
    echo "enroll $k: $(enroll t.sqlite chef$k); scan at $(sqlite3 t.sqlite 'SELECT pos FROM webhook_cursor') of $max"
    sleep 1
  done
  while [ "$(sqlite3 t.sqlite 'SELECT pos FROM webhook_cursor' 2>/dev/null)" != "$max" ]; do sleep 0.2; done
  echo "the scan over the year: $(echo "$(date +%s.%N) - $t0" | bc) s"
  ;;
crowd)
  rm -rf server.sqlite* enrolls
  serve server.sqlite
  "$bin/torgkoll-fleet" --devices 100 --reports 300 --server "$URL" --server-db server.sqlite >fleet 2>&1 &
  FP=$!
  k=0
  while kill -0 $FP 2>/dev/null; do
    k=$((k + 1)); enroll server.sqlite extra$k >>enrolls; sleep 1
  done
  grep -E "sync phase|missing" fleet
  echo "enrolls: $(grep -c 'rc=0' enrolls) of $(wc -l <enrolls) succeeded; slowest $(sort -k2 -n enrolls | tail -1)"
  ;;
*) echo "year or crowd" >&2; exit 2 ;;
esac
kill $SP; wait $SP 2>/dev/null || true
