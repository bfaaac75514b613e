#!/usr/bin/env bash
# Type-checks (and lints) the app for Android: the `torgkoll` binary with the `mobile` feature for
# aarch64-linux-android, as `dx build --platform android` compiles it. It catches a desktop-only API
# outside app/src/platform/ and keeps the Android code in app/src/platform/android.rs compiling, on a
# machine without the Android NDK: `cargo clippy` (a check) links nothing, and the C in the bundled
# SQLite and in ring is compiled by Debian's aarch64 cross gcc standing in for the NDK's clang.
#
# Installs what it needs on a fresh Debian/Ubuntu machine with rustup: the Rust target, and the cross
# gcc with its C library headers (idempotent, like setup.sh). Uses the caller's CARGO_TARGET_DIR (test.sh
# runs it with its own), so a second run only re-checks what changed. Only the app crate is checked:
# it has everything phone-specific, and its dependencies cover shared/. Called by test.sh; see
# docs/MOBILE.md for the real phone builds.
set -euo pipefail
cd "$(dirname "$0")/.."

target=aarch64-linux-android

scripts/setup.sh --android

# The stand-in C compiler for build scripts (cc crate) that compile C for the Android target.
export CC_aarch64_linux_android="${CC_aarch64_linux_android:-aarch64-linux-gnu-gcc}"
export CFLAGS_aarch64_linux_android="${CFLAGS_aarch64_linux_android:--D_GNU_SOURCE}"

cargo clippy -p torgkoll-app --bin torgkoll --target "$target" \
  --no-default-features --features mobile -- -D warnings
