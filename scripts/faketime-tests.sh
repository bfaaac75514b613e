#!/usr/bin/env bash
# The time-sensitive test binaries again, under libfaketime, at moments a test suite meets when it runs at
# any hour: 00:10, 15:30 and 23:50 Stockholm time, and noon on the two Sundays of 2027 when the clocks
# change (a 23-hour and a 25-hour day). The tests read "today" from the system clock and everything else
# from an injected clock, so each moment must pass like the real one; server processes a test starts are
# faked too. A browser keeps the real clock (FAKETIME_SKIP_CMDS, and the tests' Chromium launcher drops
# LD_PRELOAD); the daily report's Chromium test is left out here to keep CI short (it reads fixed dates).
# Called by test.sh after the normal run, so the binaries are built already; cargo itself never runs
# under faketime (its freshness checks use mtimes).
set -euo pipefail
cd "$(dirname "$0")/.."

# Stockholm local time given as UTC, since the moments are fed to libfaketime with TZ=UTC.
moments=(
  "2026-11-30 23:10:00" # 2026-12-01 00:10 CET
  "2026-12-01 14:30:00" # 15:30 CET
  "2026-12-01 22:50:00" # 23:50 CET
  "2027-03-28 10:00:00" # 12:00 CEST on the 23-hour day
  "2027-10-31 11:00:00" # 12:00 CET on the 25-hour day
)

# "manifest dir <TAB> target name <TAB> test binary" for every test target of the workspace, as the run
# before built them: asked for with --workspace, so the features are the same and nothing is rebuilt (asking
# per package resolves the app's features differently and rebuilt it, minutes on a fresh 2-core machine).
binaries() {
  cargo test --workspace --no-run --message-format=json 2>/dev/null |
    grep '"profile":{[^}]*"test":true' |
    sed -n 's/.*"manifest_path":"\([^"]*\)\/Cargo.toml","target":{[^}]*"name":"\([^"]*\)".*"executable":"\([^"]*\)".*/\1\t\2\t\3/p'
}

# The time-sensitive ones: the app's component and review-screen tests, the shared crate's unit tests,
# analytics and clock properties, the server's clock, review, retention, daily-report and phones-list
# tests, and end to end the partners' webhooks with the daily report and the alerts through the wake-up
# channel (real server processes, faked too).
mapfile -t tests < <(
  binaries | awk -F '\t' '
    $1 ~ /\/app$/ && $2 ~ /^(components|review_screens)$/ ||
    $1 ~ /\/shared$/ && $2 ~ /^(torgkoll_shared|analytics.*|clock_props|calendar_props|amendments|handover)$/ ||
    $1 ~ /\/sync-server$/ && $2 ~ /^(clocks|review_commands|review_retention|webhook_daily|devices)$/ ||
    $1 ~ /\/tests$/ && $2 ~ /^(partners|live_alerts)$/ { print $1 "\t" $3 }'
)
[ "${#tests[@]}" -ge 12 ] || { echo "faketime-tests: expected at least 8 test binaries, found ${#tests[@]}" >&2; exit 1; }

# The browser and its launcher script (run by sh) keep the real clock.
export TZ=UTC FAKETIME_SKIP_CMDS=chromium,chrome_crashpad_handler,sh,dash
# On the two days the clocks change, the app's screens are left out to keep CI short: their dates come from
# the shared crate's calendar (run on those days) and they run at the three hours above.
for moment in "${moments[@]}"; do
  echo "-- at $moment UTC"
  for t in "${tests[@]}"; do
    dir=${t%%$'\t'*}
    exe=${t#*$'\t'}
    if [[ "$moment" == 2027-* && "$dir" == */app ]]; then
      continue
    fi
    if ! (cd "$dir" && faketime -m --exclude-monotonic -f "@$moment" "$exe" -q >/tmp/faketime-test.log 2>&1); then
      cat /tmp/faketime-test.log
      echo "faketime-tests: $(basename "$exe") failed at $moment UTC" >&2
      exit 1
    fi
    grep -h '^test result' /tmp/faketime-test.log | sed "s|^|   $(basename "$exe"): |"
  done
done
