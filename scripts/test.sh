#!/usr/bin/env bash
# Every test: set-up, format and lint checks, the whole workspace's tests (window tests under Xvfb), and a
# fleet run of 5 phones through the fault-injecting proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

echo "== format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== build"
cargo build --workspace --bins

echo "== tests"
xvfb-run -a cargo test --workspace

echo "== fleet: 5 phones, 2000 reports each, faults on"
target/debug/torgkoll-fleet --devices 5 --reports 2000 --status-changes 200 --faults --seed 1
