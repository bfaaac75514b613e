#!/usr/bin/env bash
# Every test: set-up, format and lint checks, the Android type-check, the whole workspace's tests
# (window tests under Xvfb), the time-sensitive tests again at other hours and on the days the clocks
# change (libfaketime), and fleet runs of 5 phones through the fault-injecting proxy, one of them with
# wrong phone clocks and a live phase (every engine online, reports timed from commit to every other phone).
# A throwaway PostgreSQL cluster runs beside: the server's and a few end-to-end tests run again on it, and
# a fleet run kills its postmaster (kill -9) mid-sync.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# One PostgreSQL cluster in a temp directory for the whole run (each test makes its own database in it),
# stopped and removed on exit.
pgdata=$(mktemp -d)
trap 'scripts/pg-cluster.sh stop "$pgdata" >/dev/null 2>&1 || true; rm -rf "$pgdata"' EXIT
TORGKOLL_PG_URL=$(scripts/pg-cluster.sh start "$pgdata")
export TORGKOLL_PG_URL

# Every step builds for one explicit target, the host's: then the Android check below reuses the host-side
# units (proc macros, build scripts) that the lints compiled, which cargo keys differently when no target
# is given. On a fresh 2-core machine that takes about 4 of the check's 7 minutes off the run. Outputs go to
# target/<host triple>/.
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$host}"

# Each step's heading says how long the run has taken so far, to keep CI's time in view.
step() { echo "== $* (at $((SECONDS / 60))m$((SECONDS % 60))s)"; }

step "format"
cargo fmt --all --check

# The lints are part of the build: the workspace's own crates are compiled by clippy-driver (rustc with
# clippy's lints, as `cargo clippy` runs it, here with `-D warnings`), dependencies by rustc. A separate
# `cargo clippy --workspace --all-targets -- -D warnings` (the same lints, what developers run) checked
# every dependency once more: about 7 of a fresh run's 26 minutes. Every cargo call below sees the same
# wrapper, so nothing is built twice.
driver="$(rustc --print sysroot)/bin/clippy-driver"
[ -x "$driver" ] || { echo "test.sh: clippy-driver not found at $driver (rustup component add clippy)" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER="$driver"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# Every target (benches too, so the lints see them); the tests build every binary as well (a package's
# binaries are built for its integration tests).
step "build and lints: every target of the workspace"
cargo test --workspace --all-targets --no-run

step "the app for Android: type-check and lints of the mobile build (no NDK needed)"
scripts/android-check.sh

step "tests"
xvfb-run -a cargo test --workspace

step "the server's protocol, review, enrollment, page, bad-input, concurrency tests and some end-to-end ones on PostgreSQL"
scripts/pg-tests.sh

step "the same at 00:10, 15:30 and 23:50 Stockholm time and on the days the clocks change"
scripts/faketime-tests.sh

bin="${CARGO_TARGET_DIR:-target}/$CARGO_BUILD_TARGET/debug"
step "fleet: 5 phones, 2000 reports and 3 photos each, faults on"
"$bin/torgkoll-fleet" --devices 5 --reports 2000 --status-changes 200 --faults --seed 1 --photos 3

step "fleet: phones a day ahead, a day behind and reset to 1970, faults on, then 20 s live at 100 ms"
"$bin/torgkoll-fleet" --devices 5 --reports 500 --status-changes 100 --faults --skew --seed 2 \
  --latency-ms 100 --live 20

step "fleet on PostgreSQL: 3 phones, 500 reports each, faults on, the postmaster killed (-9) mid-sync"
"$bin/torgkoll-fleet" --devices 3 --reports 500 --status-changes 50 --faults --seed 3 \
  --postgres-data "$pgdata" --kill-postgres-after-ms 300

step "all passed"
