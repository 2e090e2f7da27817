#!/bin/sh
# Builds the Skyhaul rpm with rpmbuild from the staging tree the Maven build assembled.
# Usage: build-rpm.sh PROJECT_VERSION PACKAGE_REVISION STAGING_DIR OUTPUT_DIR
# Versions: 0.1.0-SNAPSHOT, revision 1 -> 0.1.0-0.1.SNAPSHOT (sorts before the release's 0.1.0-1).
set -eu
project_version=$1 revision=$2 staging=$3 out=$4
spec=$(dirname "$0")/skyhaul.spec

case "$project_version" in
  *-SNAPSHOT) version=${project_version%-SNAPSHOT}; release="0.$revision.SNAPSHOT" ;;
  *-*) echo "build-rpm.sh: cannot map version $project_version to an rpm version" >&2; exit 2 ;;
  *) version=$project_version; release=$revision ;;
esac

top=$(dirname "$out")/rpmbuild
rm -rf "$top"
mkdir -p "$top" "$out"
rpmbuild -bb --quiet \
  --define "_topdir $top" \
  --define "_rpmdir $out" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  --define "skyhaul_version $version" \
  --define "skyhaul_release $release" \
  --define "skyhaul_staging $(cd "$staging" && pwd)" \
  "$spec"
rm -rf "$top"
echo "built $out/skyhaul-$version-$release.noarch.rpm"
