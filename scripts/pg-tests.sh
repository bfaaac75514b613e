#!/usr/bin/env bash
# The server's protocol, review, enrollment, page, bad-input, concurrency and site tests and a few end-to-end
# ones again, on PostgreSQL (TORGKOLL_TEST_STORE=postgres; TORGKOLL_PG_URL names the cluster test.sh
# started). Called by test.sh after the normal run: it runs the test binaries that run built, as
# faketime-tests.sh does, since asking cargo per package resolves features differently and rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TORGKOLL_PG_URL:?start a cluster first: scripts/pg-cluster.sh start DIR}"

server='sync_rounds|enrollment|reenroll|pages|bad_input|concurrent_pulls|clocks|review_export|review_dates|review_retention|webhooks|photos|photos_review|photos_refusals|photos_wanted|devices|events|shift|abandoned|sites|sites_review|webhook_sites|push_sets|shed|shed_push|answer_encoding'
e2e='converge|faults|resend|reenroll|two_sites'

mapfile -t tests < <(
  cargo test --workspace --no-run --message-format=json 2>/dev/null |
    grep '"profile":{[^}]*"test":true' |
    sed -n 's/.*"manifest_path":"\([^"]*\)\/Cargo.toml","target":{[^}]*"name":"\([^"]*\)".*"executable":"\([^"]*\)".*/\1\t\2\t\3/p' |
    awk -F '\t' -v s="^($server)\$" -v e="^($e2e)\$" \
      '$1 ~ /\/sync-server$/ && $2 ~ s || $1 ~ /\/tests$/ && $2 ~ e { print $1 "\t" $2 "\t" $3 }'
)
[ "${#tests[@]}" -ge 30 ] || { echo "pg-tests: expected at least 30 test binaries, found ${#tests[@]}" >&2; exit 1; }

export TORGKOLL_TEST_STORE=postgres
for t in "${tests[@]}"; do
  IFS=$'\t' read -r dir name exe <<<"$t"
  if ! (cd "$dir" && "$exe" -q >/tmp/pg-test.log 2>&1); then
    cat /tmp/pg-test.log
    echo "pg-tests: $name failed on PostgreSQL" >&2
    exit 1
  fi
  grep -h '^test result' /tmp/pg-test.log | sed "s|^|   $name: |"
done
