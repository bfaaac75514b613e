#!/usr/bin/env bash
# review-over-http.sh SERVER_BIN DB: the daily report and exports of a year's database over HTTP, three
# times each after one warm-up (BENCHMARKS.md, "The site index that read everything"). DB is seeded with
# `torgkoll-server demo --db DB --date 2026-11-20 --days 365 --cleaning-per-day 520 --disturbances-per-day 14
# --seed 1`; needs curl and jq. Writes h.out and h.err beside DB.
set -uo pipefail
R=$1; DB=$2; cd "$(dirname "$DB")"
CODE=$($R enroll --db $DB --role manager --name Bench 2>/dev/null)
$R serve --db $DB --listen 127.0.0.1:0 > h.out 2> h.err &
SP=$!
for t in $(seq 100); do grep -q http h.out 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' h.out | head -1)
TOKEN=$(curl -s -X POST -H 'content-type: application/json' -d "{\"code\":\"$CODE\"}" $URL/v1/enroll | jq -r .token)
sleep 2
t() { curl -s -o /dev/null -w "%{time_total}" -H "Authorization: Bearer $TOKEN" "$URL$1"; }
for q in "/v1/lagesbild?date=2026-11-20" "/v1/lagesbild?date=2026-11-20&format=json" "/v1/export?from=2026-10-21&to=2026-11-20&format=csv" "/v1/export?from=2025-11-21&to=2026-11-20&format=csv"; do
  t "$q" >/dev/null; echo "$q: $(t "$q") $(t "$q") $(t "$q")"
done
kill $SP; wait $SP 2>/dev/null
