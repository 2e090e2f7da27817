#!/usr/bin/env bash
# Builds Skyhaul and starts it on its embedded default: manager and node in one process, the
# REST API on http://127.0.0.1:8080/api/v1, the UDP data port 127.0.0.1:7400, state and the
# local storage target (local://local/inbox/) under ./data. The first start prints the admin
# password once (or set SKYHAUL_ADMIN_PASSWORD before it to choose one).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prerequisites.sh
mvn -B -ntp -q -DskipTests package
exec bin/skyhaul serve --data data "$@"
