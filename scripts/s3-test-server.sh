#!/usr/bin/env bash
# Starts an S3-compatible server on this machine for trying Skyhaul without a cloud account:
# Adobe S3Mock (the one the tests use), plain HTTP on 127.0.0.1 only, with the bucket 'media'
# already made; objects under ./data/s3mock. It accepts any access key and secret.
# Usage: scripts/s3-test-server.sh [PORT]   (default 9090; stop it with Ctrl-C)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-9090}"
jar=appliance/target/test-servers/s3mock-exec.jar
if [ ! -f "$jar" ]; then
  mvn -B -ntp -q -pl appliance process-test-resources >&2
fi
state="$(pwd)/data/s3mock"
mkdir -p "$state/store"
sed "s/@PORT@/$port/" appliance/src/test/resources/io/skyhaul/testing/s3mock-loopback-connector.xml > "$state/loopback-http-connector.xml"
echo "S3-compatible test server: endpoint http://127.0.0.1:$port (path style), bucket 'media', any access key and secret" >&2
exec java -Xmx384m -XX:+UseSerialGC -jar "$jar" --server.address=127.0.0.1 --server.port=0 --http.port=0 \
    "--spring.main.sources=file://$state/loopback-http-connector.xml" --spring.main.allow-bean-definition-overriding=true \
    "--com.adobe.testing.s3mock.store.root=$state/store" --com.adobe.testing.s3mock.store.retainFilesOnExit=true \
    --com.adobe.testing.s3mock.store.initial-buckets=media --spring.jmx.enabled=false --management.endpoints.access.default=none
