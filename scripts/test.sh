#!/usr/bin/env bash
# The whole test suite, as CI runs it: prerequisites, build, every module's tests (unit and
# loopback integration, with Netty's leak detector on PARANOID), then a quick smoke run of the
# benchmarks. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh
mvn -B -ntp verify
if [ -x protocol-bench/bench.sh ]; then
  protocol-bench/bench.sh --quick
fi
