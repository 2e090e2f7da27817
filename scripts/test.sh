#!/usr/bin/env bash
# The whole test suite, as CI runs it: prerequisites, build, every module's tests (unit and
# loopback integration, with Netty's leak detector on PARANOID), the packages (installed and run on
# this machine), then a quick smoke run of the benchmarks. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh
mvn -B -ntp verify
# The deb and rpm: build, metadata, then install, run, upgrade, remove and purge the .deb on this
# machine (root only: it installs a package; CI runs as root).
if [ "$(id -u)" -eq 0 ]; then
  packaging/test-packages.sh
else
  echo "SKIP: packaging/test-packages.sh needs root (run: sudo packaging/test-packages.sh)" >&2
fi
if [ -x protocol-bench/bench.sh ]; then
  protocol-bench/bench.sh --quick
fi
