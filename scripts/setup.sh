#!/usr/bin/env bash
# Installs what Torgkoll needs on a fresh Debian/Ubuntu machine that has Rust (rustup or cargo).
# Idempotent: only missing packages are installed. Used by run.sh, test.sh (--test) and
# android-check.sh (--android).
set -euo pipefail

packages=(pkg-config libssl-dev libwebkit2gtk-4.1-dev libxdo-dev xvfb xauth fonts-dejavu-core)
android=0
for arg in "$@"; do
  case "$arg" in
    # Headless Chromium renders the daily report in a test; imagemagick takes window screenshots;
    # faketime (libfaketime) runs the time-sensitive tests at other hours; postgresql's binaries run a
    # throwaway cluster for the tests on PostgreSQL (scripts/pg-cluster.sh).
    --test) packages+=(chromium imagemagick faketime postgresql) ;;
    # The Android type-check: Debian's aarch64 cross gcc and its C library headers stand in for the
    # NDK's compiler (bundled SQLite, ring), and the Rust target.
    --android) packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross); android=1 ;;
    *) echo "setup: unknown option $arg (use --test, --android)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if command -v rustup >/dev/null 2>&1; then
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1 || true
fi

target=aarch64-linux-android
if [ "$android" = 1 ] && [ ! -d "$(rustc --print sysroot)/lib/rustlib/$target" ]; then
  if ! command -v rustup >/dev/null 2>&1; then
    echo "setup: the Rust standard library for $target is missing and there is no rustup" >&2
    exit 1
  fi
  echo "setup: adding the Rust target $target" >&2
  rustup target add "$target" >/dev/null
fi
