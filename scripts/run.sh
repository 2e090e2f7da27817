#!/usr/bin/env bash
# Builds Skyhaul and starts it on its embedded default: a receiver on udp 127.0.0.1:7400 that
# writes into ./data/inbox, with a pre-shared key made on first start in ./data/key.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh
mvn -B -ntp -q -DskipTests package
mkdir -p data/inbox
[ -f data/key ] || bin/skyhaul keygen --out data/key
cat >&2 <<MSG

Skyhaul is starting. From another terminal, send a file with:
  bin/skyhaul send --to 127.0.0.1:7400 --key-file data/key PATH
and fetch it back with:
  bin/skyhaul get --from 127.0.0.1:7400 --key-file data/key --dir /tmp/fetched NAME

MSG
exec bin/skyhaul receive --listen 127.0.0.1:7400 --dir data/inbox --key-file data/key
