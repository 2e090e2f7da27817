#!/usr/bin/env bash
# Skyhaul against TCP, process against process: real 'skyhaul receive' / 'skyhaul send --json'
# through the linkem relay process on the grid RTT {0,50,200} ms x loss {0,1,5} % at 200 Mbit/s,
# plain TCP (BBR and CUBIC) through 'linkem tun' with the same impairments, two sessions on one
# bottleneck (fair + fair, fair + background), and the unimpaired loopback case. Prints one table.
#
#   protocol-bench/bench.sh --quick        # CI smoke run: small cases, under two minutes
#   protocol-bench/bench.sh                # the full run (about half an hour)
#   protocol-bench/bench.sh --help         # every flag (--size, --cases, --skip, ...)
#
# Exit status: 0 all transfers done and byte-identical; 1 a transfer failed or a digest differed
# (slow figures never fail the run); 2 bad usage. The TCP part needs root and /dev/net/tun and is
# skipped with a note otherwise. The orchestrator is io.skyhaul.bench.BenchMain.
set -euo pipefail
repo=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
bench_jar="$repo/protocol-bench/target/benchmarks.jar"
java=${JAVA:-java}

if [ ! -f "$bench_jar" ] || [ ! -f "$repo/protocol-bench/target/linkem.jar" ] || [ ! -f "$repo/appliance/target/skyhaul-appliance.jar" ]; then
  echo "bench.sh: building (mvn -o package, tests skipped; never install: ~/.m2 is shared)" >&2
  (cd "$repo" && mvn -B -q -o package -Dmaven.test.skip=true)
fi

# BenchMain lists every process and namespace pair it starts in this ledger; if it dies without
# cleaning up (kill -9), the trap stops what is left, by PID (checked against the process's
# start time, so a recycled PID is never signalled), removes the namespaces and the temporary files.
ledger=$(mktemp "${TMPDIR:-/tmp}/skyhaul-bench-ledger.XXXXXX")
main_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$main_pid" ] && kill -0 "$main_pid" 2>/dev/null; then
    kill -TERM "$main_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$main_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$main_pid" 2>/dev/null && kill -KILL "$main_pid" 2>/dev/null || true
  fi
  while read -r kind a b _; do
    case "$kind" in
      pid)
        if [ -r "/proc/$a/stat" ] && [ "$(sed 's/.*) //' "/proc/$a/stat" | cut -d' ' -f20)" = "$b" ]; then
          kill -TERM "$a" 2>/dev/null || true
        fi ;;
      workdir)
        case "$a" in */skyhaul-bench-*) rm -rf -- "$a" ;; esac ;;
      netns)
        if ip netns list 2>/dev/null | grep -qE "^($a|$b)( |$)"; then
          "$java" -jar "$repo/protocol-bench/target/linkem.jar" tun-cleanup --ns-a "$a" --ns-b "$b" >&2 || true
        fi ;;
    esac
  done < "$ledger"
  rm -f "$ledger"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

"$java" -Xmx512m -cp "$bench_jar" io.skyhaul.bench.BenchMain --repo "$repo" --ledger "$ledger" "$@" &
main_pid=$!
wait "$main_pid"
