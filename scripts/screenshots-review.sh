#!/usr/bin/env bash
# Screenshots of the platsansvarig's review screens (20-29-review-*.png in docs/screenshots/), taken like
# scripts/screenshots.sh: the real desktop window under Xvfb, driven through the page, saved with
# ImageMagick's `import`. The phone holds four weeks and today of a simulated crew (shared demo generator).
# Needs: xvfb-run, ImageMagick's `import` (apt: xvfb imagemagick). Run from anywhere in the checkout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docs/screenshots"
mkdir -p "$out"
cd "$root"

cargo build -p torgkoll-app --example review_shots
TORGKOLL_SCREENSHOT_DIR="$out" xvfb-run -a -s "-screen 0 420x860x24" \
  "$root/target/debug/examples/review_shots"
# The same screens on a tablet-sized window: the list beside the map.
REVIEW_SHOTS_WIDE=1 TORGKOLL_SCREENSHOT_DIR="$out" xvfb-run -a -s "-screen 0 1000x700x24" \
  "$root/target/debug/examples/review_shots"
ls -1 "$out" | grep -- '-review-'
