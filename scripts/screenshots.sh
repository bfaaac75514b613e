#!/usr/bin/env bash
# Screenshots of the field app's main screens with the demo day, saved to docs/screenshots/.
#
# 1. Starts the real `torgkoll --demo` under Xvfb and saves the cleaner's home screen as it comes up.
# 2. Drives the screens (cleaner, guard, manager) with the window-test driver on the same demo data,
#    saving a PNG after each step.
# 3. The cleaner's map at night (the automatic dark theme on a November evening).
# 4. A machine run recording itself from a replayed track, and a report where the phone stands.
# 5. Photos: a cleaner's report with a photo and its state, and the manager's review showing one.
# 6. The manager's "Telefoner": phones against a real in-process server, one of them silent.
# 7. Alerts: a guard's phone with a level-1 banner, a cleaner's with open tasks on top.
# 8. The second site (Medborgarplatsen, a draft plan): a guard's phone started with that site's plan kept.
# Needs: xvfb-run, ImageMagick's `import` (apt: xvfb imagemagick). Run from anywhere in the checkout.
# With arguments, only those scenarios' shots are taken: `scripts/screenshots.sh night`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docs/screenshots"
screen="-screen 0 420x860x24"
mkdir -p "$out"
cd "$root"

cargo build -p torgkoll-app --bin torgkoll
cargo test -p torgkoll-app --test window --no-run

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(cleaner guard manager night position photo-cleaner photo-manager devices alerts-guard alerts-cleaner
    enroll-second-site)
  # The real binary, fresh data directory, demo day.
  xvfb-run -a -s "$screen" bash -c '
    "$1" --demo --data-dir "$2" & pid=$!
    sleep "${STARTUP_WAIT:-8}"
    import -window root "$3/00-start-demo.png"
    kill $pid; wait $pid 2>/dev/null || true
  ' _ "${CARGO_TARGET_DIR:-$root/target}/debug/torgkoll" "$data" "$out"
  echo "saved $out/00-start-demo.png"
  # The same binary on the second site: its plan kept beside the database, as a phone enrolled there
  # keeps it (`site.geojson`), so the map, zones and pickers are Medborgarplatsen's.
  second="$(mktemp -d)"
  cp "$root/assets/sites/medborgarplatsen.geojson" "$second/site.geojson"
  xvfb-run -a -s "$screen" bash -c '
    "$1" --demo --demo-role guard --data-dir "$2" & pid=$!
    sleep "${STARTUP_WAIT:-8}"
    import -window root "$3/62-second-site-guard.png"
    kill $pid; wait $pid 2>/dev/null || true
  ' _ "${CARGO_TARGET_DIR:-$root/target}/debug/torgkoll" "$second" "$out"
  rm -rf "$second"
  echo "saved $out/62-second-site-guard.png"
fi

for role in "${scenarios[@]}"; do
  TORGKOLL_SCREENSHOT_DIR="$out" xvfb-run -a -s "$screen" \
    cargo test -q -p torgkoll-app --test window -- --scenario "shots-$role"
done
ls -1 "$out"
