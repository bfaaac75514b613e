#!/usr/bin/env bash
# Installs what Torgkoll needs on a fresh Debian/Ubuntu machine that has Rust (rustup or cargo).
# Idempotent: only missing packages are installed. Used by run.sh and test.sh.
set -euo pipefail

packages=(pkg-config libssl-dev libwebkit2gtk-4.1-dev libxdo-dev xvfb xauth fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  # Headless Chromium renders the daily report in a test; imagemagick takes window screenshots;
  # faketime (libfaketime) runs the time-sensitive tests at other hours.
  packages+=(chromium imagemagick faketime)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if command -v rustup >/dev/null 2>&1; then
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true
fi
