#!/usr/bin/env bash
# End-to-end goodput into an S3-compatible server (S3Mock on loopback): a plain AWS SDK upload
# and a Skyhaul transfer (API -> UDP -> node -> S3 multipart) of the same file, side by side.
# Usage: scripts/bench-storage.sh [SIZE_MIB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl appliance test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath process-test-resources >&2
cd appliance    # the test servers are found relative to the module (target/test-servers, test-servers/azurite)
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    io.skyhaul.bench.S3EndToEndBench "$@"
