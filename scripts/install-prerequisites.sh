#!/usr/bin/env bash
# Installs what building and testing Skyhaul needs on a fresh Debian machine, skipping whatever
# is already there (safe to run again). Needs root or sudo for apt-get.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 && java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The packages and their test (packaging/test-packages.sh): rpmbuild and rpm, systemd-analyze, curl.
command -v rpmbuild >/dev/null 2>&1 || need+=(rpm)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v curl >/dev/null 2>&1 || need+=(curl)
# Headless Chromium and its driver, for the console's browser tests (Selenium never downloads one).
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Azurite, the Azure Blob emulator the storage tests start on loopback: the version pinned by
# appliance/test-servers/azurite/package-lock.json, installed there (git-ignored, kept across
# 'mvn clean'). Reinstalled only when the lock file changed since the last install.
azurite_dir="$(cd "$(dirname "$0")/.." && pwd)/appliance/test-servers/azurite"
azurite_stamp="$azurite_dir/node_modules/.package-lock.json"
if [ ! -f "$azurite_dir/node_modules/azurite/dist/src/blob/main.js" ] || [ "$azurite_dir/package-lock.json" -nt "$azurite_stamp" ]; then
  echo "installing Azurite into $azurite_dir" >&2
  (cd "$azurite_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
fi
