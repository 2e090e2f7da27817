#!/usr/bin/env bash
# Tests the deb and rpm packages on this machine (root; Debian). CI runs it from scripts/test.sh
# after 'mvn verify'. It
#   1. builds the packages twice from the Maven reactor (revision 1, and revision 2 for the
#      upgrade), and checks their metadata and file lists (dpkg-deb -I/-c, rpm -qpi/-qpl);
#   2. installs the .deb, checks what the package scripts made (user, state directory, master
#      key, sysctl), and lints the installed units (systemd-analyze verify and security);
#   3. starts the installed unit's ExecStart by hand as the unit's user, with its configuration
#      (systemd is not PID 1 here; its sandbox is approximated) on free loopback ports, waits
#      for /healthz, signs in with the generated admin password and sends a file with the
#      installed CLI, and checks the file and the transfer log; then starts the gateway unit's
#      ExecStart beside it with /etc/skyhaul/gateway.yml pointing at that manager, activates the
#      gateway with the code from its output and sees the manager report it online;
#   4. upgrades in place to revision 2 and checks the state and the edited conffiles were kept
#      (the server starts again on the old database: the same password and transfer log; the
#      gateway reconnects with its kept credentials), and that a wrong configuration stops the
#      start with exit status 2;
#   5. removes the package (data kept), reinstalls it (same state), then purges it (data, user
#      and group gone).
# Each check prints one PASS or FAIL line; the first FAIL stops the test. The machine is left
# clean (package purged, process stopped, sysctls restored) whatever happens.
# A skyhaul package that this test did not install is never touched: the test refuses to run.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
marker=/var/lib/skyhaul-package-test.marker   # "the installed skyhaul package is this test's"
checks=0
server_pid=
gateway_pid=
work=
saved_rmem=
saved_wmem=

pass() { checks=$((checks + 1)); echo "PASS: $*"; }
fail() { echo "FAIL: $*"; exit 1; }
# check DESCRIPTION COMMAND...: PASS when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

quiet() { "$@" >/dev/null 2>&1; }

purge_package() {
  if dpkg-query -W -f='${db:Status-Status}' skyhaul 2>/dev/null | grep -Eq 'installed|config-files|half|unpacked|triggers'; then
    dpkg --purge skyhaul >/dev/null 2>&1 || dpkg --purge --force-all skyhaul >/dev/null 2>&1 || true
  fi
  # What a failed purge could leave behind.
  rm -rf /var/lib/skyhaul /var/lib/skyhaul-node /var/lib/skyhaul-gateway /etc/skyhaul
  if getent passwd skyhaul >/dev/null; then userdel skyhaul >/dev/null 2>&1 || true; fi
  if getent group skyhaul >/dev/null; then groupdel skyhaul >/dev/null 2>&1 || true; fi
}

# kill_started PID: stops a process this test started (SIGTERM, then SIGKILL after 30 s).
kill_started() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
}
stop_server() {
  kill_started "$gateway_pid"
  gateway_pid=
  kill_started "$server_pid"
  server_pid=
}

restore_sysctls() {
  if [ -n "$saved_rmem" ]; then sysctl -q -w net.core.rmem_max="$saved_rmem" net.core.wmem_max="$saved_wmem" >/dev/null 2>&1 || true; fi
}

cleanup() {
  local rc=$?
  stop_server
  restore_sysctls
  if [ -f "$marker" ]; then
    purge_package
    rm -f "$marker"
  fi
  [ -n "$work" ] && rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    echo "PASS: packaging tests, $checks checks in $(( $(date +%s) - started )) s"
  else
    echo "FAIL: packaging tests stopped after $checks passed checks ($(( $(date +%s) - started )) s)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs the package)"
for tool in dpkg dpkg-deb rpm rpm2cpio rpmbuild systemd-analyze curl python3 setpriv unshare findmnt flock sha256sum ss mvn; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (scripts/install-prerequisites.sh installs it)"
done
exec 9>/run/skyhaul-package-test.lock
flock -n 9 || fail "another test-packages.sh is running"

# A leftover of an earlier run of this test is purged; anybody else's installation is not.
if [ -f "$marker" ]; then
  echo "purging the leftovers of an earlier run" >&2
  purge_package
  rm -f "$marker"
fi
status=$(dpkg-query -W -f='${db:Status-Status}' skyhaul 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != not-installed ]; then
  fail "a skyhaul package this test did not install is on this machine; remove it first (dpkg --purge skyhaul)"
fi
getent passwd skyhaul >/dev/null && fail "a user 'skyhaul' exists that this test did not create; remove it first"
for state in /var/lib/skyhaul /var/lib/skyhaul-node /var/lib/skyhaul-gateway; do
  [ -e "$state" ] && fail "$state exists but no skyhaul package is installed; move it away first"
done
work=$(mktemp -d /tmp/skyhaul-package-test.XXXXXX)
chmod 755 "$work"

# ---------------------------------------------------------------------------------------------
# 1. Build both revisions, check metadata and file lists.
project_version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
upstream=${project_version%-SNAPSHOT}
if [ "$upstream" != "$project_version" ]; then
  deb_upstream="$upstream~snapshot"; rpm_release_1="0.1.SNAPSHOT"; rpm_release_2="0.2.SNAPSHOT"
else
  deb_upstream="$upstream"; rpm_release_1="1"; rpm_release_2="2"
fi
deb1=packaging/target/skyhaul_${deb_upstream}-1_all.deb
deb2=packaging/target/skyhaul_${deb_upstream}-2_all.deb
rpm1=packaging/target/skyhaul-${upstream}-${rpm_release_1}.noarch.rpm
rpm2=packaging/target/skyhaul-${upstream}-${rpm_release_2}.noarch.rpm
# Revision 1 as 'mvn verify' just built it, unless something it is made of changed since;
# revision 2 always (the same sources, a higher version: the upgrade).
stale=
[ -s "$deb1" ] && [ -s "$rpm1" ] || stale=yes
[ -n "$stale" ] || stale=$(find appliance/target/skyhaul-appliance.jar appliance/src webui/target/skyhaul-webui.jar webui/src bin/skyhaul systemd packaging/src packaging/pom.xml pom.xml \
  README.md LICENSE docs -newer "$deb1" -print -quit 2>/dev/null)
for revision in 1 2; do
  if [ "$revision" = 1 ] && [ -z "$stale" ]; then
    echo "revision 1 packages are up to date" >&2
    continue
  fi
  echo "building the packages, revision $revision" >&2
  mvn -B -ntp -q -Dmaven.test.skip=true -Dskyhaul.package.revision="$revision" package -pl packaging -am >"$work/build-$revision.log" 2>&1 \
    || { tail -40 "$work/build-$revision.log"; fail "packages build (revision $revision)"; }
done
check "the .deb files are built ($deb1, $deb2)" test -s "$deb1" -a -s "$deb2"
check "the .rpm files are built ($rpm1, $rpm2)" test -s "$rpm1" -a -s "$rpm2"

field() { dpkg-deb -f "$1" "$2"; }
check "deb: package skyhaul, version ${deb_upstream}-1, architecture all" \
  test "$(field "$deb1" Package) $(field "$deb1" Version) $(field "$deb1" Architecture)" = "skyhaul ${deb_upstream}-1 all"
check "deb: revision 2 sorts above revision 1" dpkg --compare-versions "$(field "$deb2" Version)" gt "$(field "$deb1" Version)"
check "deb: both sort below the release ${upstream}-1" dpkg --compare-versions "$(field "$deb2" Version)" lt "${upstream}-1"
check "deb: depends on a Java 17 runtime" grep -q 'java17-runtime-headless' <<<"$(field "$deb1" Depends)"
check "deb: the description names the three units" \
  grep -Eq 'skyhaul\.service,.* skyhaul-node\.service and skyhaul-gateway\.service' <<<"$(field "$deb1" Description | tr '\n' ' ')"
dpkg-deb -I "$deb1" conffiles >"$work/conffiles"
check "deb: conffiles are skyhaul.yml, node.yml, gateway.yml, skyhaul.env" \
  test "$(sort "$work/conffiles" | tr '\n' ' ')" = "/etc/skyhaul/gateway.yml /etc/skyhaul/node.yml /etc/skyhaul/skyhaul.env /etc/skyhaul/skyhaul.yml "
for script in postinst prerm postrm; do
  check "deb: $script is there and valid sh" sh -c 'dpkg-deb -I "$1" "$2" >"$3" && sh -n "$3"' _ "$deb1" "$script" "$work/$script"
done
# systemd is not PID 1 here: what the scripts ask of it is read, not run.
check "deb: postinst try-restarts skyhaul-gateway.service after an upgrade, prerm stops it on removal" \
  test -n "$(grep 'try-restart .*skyhaul-gateway\.service' "$work/postinst")" -a -n "$(grep 'systemctl stop .*skyhaul-gateway\.service' "$work/prerm")"
check "deb: postrm purge deletes /var/lib/skyhaul-gateway and the gateway's enablement link" \
  test -n "$(grep 'rm -rf .*/var/lib/skyhaul-gateway' "$work/postrm")" -a -n "$(grep 'multi-user.target.wants/skyhaul-gateway\.service' "$work/postrm")"
dpkg-deb -c "$deb1" | awk '{print $1, $2, $6}' | sed 's: \./: /:; s:/$::' >"$work/deb-files"
has_entry() { grep -Eq "^$2 [^ ]+ $1\$" "$work/deb-files"; }
for path in /usr/share/skyhaul/skyhaul-appliance.jar /usr/share/skyhaul/skyhaul-webui.jar /usr/lib/systemd/system/skyhaul.service /usr/lib/systemd/system/skyhaul-node.service \
            /usr/lib/systemd/system/skyhaul-gateway.service /usr/lib/sysctl.d/60-skyhaul.conf /etc/skyhaul/skyhaul.yml /etc/skyhaul/node.yml /etc/skyhaul/gateway.yml \
            /usr/share/doc/skyhaul/install.md; do
  check "deb: $path, root-owned, mode 0644" has_entry "$path" '-rw-r--r--'
done
check "deb: /usr/bin/skyhaul is executable" has_entry /usr/bin/skyhaul '-rwxr-xr-x'
check "deb: /usr/lib/skyhaul/skyhaul-setup is executable" has_entry /usr/lib/skyhaul/skyhaul-setup '-rwxr-xr-x'
check "deb: /etc/skyhaul/skyhaul.env is 0600 (it may hold secrets)" has_entry /etc/skyhaul/skyhaul.env '-rw-------'
check "deb: every file is owned by root" test -z "$(awk '$2 != "root/root"' "$work/deb-files")"
lib_jars=$(grep -c '^-.* /usr/share/skyhaul/lib/.*\.jar$' "$work/deb-files" || true)
check "deb: the libraries are in /usr/share/skyhaul/lib ($lib_jars jars)" test "$lib_jars" -ge 20
check "deb: ships no state (nothing under /var)" test -z "$(grep ' /var' "$work/deb-files" || true)"

rpm -qpi "$rpm1" >"$work/rpm-info" 2>/dev/null
check "rpm: name skyhaul, version $upstream, release $rpm_release_1" \
  test "$(rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}' "$rpm1" 2>/dev/null)" = "skyhaul $upstream $rpm_release_1 noarch"
check "rpm: -qpi describes it" grep -q '^Summary *: Accelerated file transfer' "$work/rpm-info"
check "rpm: the description names the three units" \
  grep -Eq 'skyhaul\.service,.* skyhaul-node\.service and .*skyhaul-gateway\.service' <<<"$(tr '\n' ' ' <"$work/rpm-info")"
evr() { rpm -qp --qf '%{VERSION}-%{RELEASE}' "$1" 2>/dev/null; }
check "rpm: revision 2 ($(evr "$rpm2")) sorts above revision 1, both below the release ${upstream}-1" \
  test "$(rpm --eval "%{lua: print(rpm.vercmp(\"$(evr "$rpm2")\", \"$(evr "$rpm1")\") .. rpm.vercmp(\"${upstream}-1\", \"$(evr "$rpm2")\"))}")" = "11"
check "rpm: requires a Java 17+ runtime" grep -q 'java-17-openjdk-headless or jre-headless >= 1:17' <<<"$(rpm -qp --requires "$rpm1" 2>/dev/null)"
check "rpm: config files are skyhaul.yml, node.yml, gateway.yml, skyhaul.env, marked noreplace" \
  test "$(rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$rpm1" 2>/dev/null | awk '$2 ~ /c/ && $2 ~ /n/ {print $1}' | sort | tr '\n' ' ')" \
       = "/etc/skyhaul/gateway.yml /etc/skyhaul/node.yml /etc/skyhaul/skyhaul.env /etc/skyhaul/skyhaul.yml "
rpm -qpl "$rpm1" 2>/dev/null | sort >"$work/rpm-files"
grep -v '^d' "$work/deb-files" | awk '{print $3}' | sort >"$work/deb-regular-files"
awk '{print $3}' "$work/deb-files" | sort >"$work/deb-paths"
check "rpm: the same files as the deb ($(wc -l <"$work/deb-regular-files") files)" \
  test -z "$(comm -13 "$work/rpm-files" "$work/deb-regular-files")$(comm -23 "$work/rpm-files" "$work/deb-paths")"
check "rpm: /usr/bin/skyhaul 0755 and skyhaul.env 0600" \
  test "$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm1" 2>/dev/null | grep -E ' /usr/bin/skyhaul$| /etc/skyhaul/skyhaul.env$' | sort -k2 | awk '{print $1}' | tr '\n' ' ')" \
       = "-rw------- -rwxr-xr-x "
# The payload itself (rpm -qpl reads only the header): every file and the appliance jar's bytes.
rpm2cpio "$rpm1" | python3 -c '
import hashlib, sys
data = sys.stdin.buffer.read(); pos = 0; names = []; jar = ""
while True:
    h = data[pos:pos + 110]
    assert h[:6] == b"070701", "not a newc cpio archive"
    size, namesize = int(h[54:62], 16), int(h[94:102], 16)
    name = data[pos + 110:pos + 110 + namesize - 1].decode()
    pos = (pos + 110 + namesize + 3) & ~3
    if name == "TRAILER!!!":
        break
    if name.endswith("/skyhaul-appliance.jar"):
        jar = hashlib.sha256(data[pos:pos + size]).hexdigest()
    names.append(name.lstrip("."))
    pos = (pos + size + 3) & ~3
print(jar); print("\n".join(sorted(names)))' >"$work/rpm-payload"
check "rpm: the payload holds every file of the list" test -z "$(tail -n +2 "$work/rpm-payload" | comm -3 - "$work/rpm-files")"
check "rpm and deb ship the same skyhaul-appliance.jar" \
  test "$(head -1 "$work/rpm-payload")" = "$(dpkg-deb --fsys-tarfile "$deb1" | tar -xOf - ./usr/share/skyhaul/skyhaul-appliance.jar | sha256sum | cut -d' ' -f1)"
for tag in POSTIN PREUN POSTUN; do
  rpm -qp --qf "%{$tag}" "$rpm1" >"$work/rpm-$tag" 2>/dev/null
  check "rpm: %${tag,,} scriptlet is valid sh" sh -n "$work/rpm-$tag"
done
check "rpm: %preun stops and disables skyhaul-gateway.service on removal, %postun try-restarts it after an upgrade" \
  test -n "$(grep 'disable --now .*skyhaul-gateway\.service' "$work/rpm-PREUN")" -a -n "$(grep 'try-restart .*skyhaul-gateway\.service' "$work/rpm-POSTUN")"

# ---------------------------------------------------------------------------------------------
# 2. Install the .deb.
saved_rmem=$(sysctl -n net.core.rmem_max)
saved_wmem=$(sysctl -n net.core.wmem_max)
touch "$marker"
dpkg -i "$deb1" </dev/null >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i $deb1"; }
pass "dpkg -i $deb1"
check "installed version is ${deb_upstream}-1" test "$(dpkg-query -W -f='${Version} ${db:Status-Status}' skyhaul)" = "${deb_upstream}-1 installed"
check "/usr/bin/skyhaul --version prints $project_version" grep -q "^skyhaul $project_version\$" <<<"$(/usr/bin/skyhaul --version)"
check "system user skyhaul created, no login shell" grep -Eq '^skyhaul:x:[0-9]+:[0-9]+:[^:]*:/var/lib/skyhaul:(/usr)?/sbin/nologin$' <<<"$(getent passwd skyhaul)"
check "it is a system account (uid < 1000)" test "$(id -u skyhaul)" -lt 1000
check "/var/lib/skyhaul: skyhaul:skyhaul, mode 0750" test "$(stat -c '%U:%G %a' /var/lib/skyhaul)" = "skyhaul:skyhaul 750"
check "master key generated: skyhaul-owned, mode 0600" test "$(stat -c '%U %a' /var/lib/skyhaul/master.key)" = "skyhaul 600"
check "master key holds 32 bytes (base64)" test "$(base64 -d /var/lib/skyhaul/master.key | wc -c)" -eq 32
if [ -w /proc/sys/net/core/rmem_max ]; then
  check "sysctl drop-in applied (rmem_max and wmem_max 16 MiB)" \
    test "$(sysctl -n net.core.rmem_max) $(sysctl -n net.core.wmem_max)" = "16777216 16777216"
else
  echo "SKIP: /proc/sys is read-only here; the sysctl drop-in cannot be applied"
fi
restore_sysctls
for unit in skyhaul.service skyhaul-node.service skyhaul-gateway.service; do
  systemd-analyze verify "/usr/lib/systemd/system/$unit" >"$work/verify-$unit" 2>&1 || { cat "$work/verify-$unit"; fail "systemd-analyze verify $unit"; }
  check "systemd-analyze verify $unit (no warnings)" test ! -s "$work/verify-$unit"
  exposure=$(systemd-analyze security --offline=true "/usr/lib/systemd/system/$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
  check "systemd-analyze security $unit: exposure $exposure (at most 2.0)" quiet systemd-analyze security --offline=true --threshold=20 "/usr/lib/systemd/system/$unit"
done
unit_value() { sed -n "s/^$2=//p" "/usr/lib/systemd/system/$1" | tail -1; }
check "skyhaul-gateway.service: /etc/skyhaul/gateway.yml, as skyhaul, in its own state directory, no restart after exit status 2" \
  test "$(for key in ExecStart User StateDirectory WorkingDirectory RestartPreventExitStatus; do unit_value skyhaul-gateway.service "$key"; done | tr '\n' '|')" \
     = "/usr/bin/skyhaul serve --config /etc/skyhaul/gateway.yml|skyhaul|skyhaul-gateway|/var/lib/skyhaul-gateway|2|"
check "skyhaul-gateway.service conflicts with no unit (it runs beside skyhaul.service or skyhaul-node.service)" \
  test -z "$(unit_value skyhaul-gateway.service Conflicts)"

# ---------------------------------------------------------------------------------------------
# 3. Run the installed service as systemd would, and move a file through it.
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }
http_port=
# Runs "$@" the way the unit's sandbox would, as far as it can be built without systemd: in a
# private mount namespace where every file system is read-only (ProtectSystem=strict) except the
# state directory (StateDirectory=), with an empty private /tmp and /var/tmp (PrivateTmp) and
# /home, /root and /run/user hidden (ProtectHome), the unit's open-file limit and umask.
# Nothing here reaches the host's mounts (--propagation private; only per-mount "bind,ro" flags).
sandbox_script='
set -e
state=$1 nofile=$2 umask_value=$3
shift 3
mount --bind "$state" "$state"
findmnt -rn -o TARGET | grep -Ev "^/(proc|sys|dev)(/|\$)" | grep -vx "$state" | sort -u | while read -r target; do
  mount -o remount,bind,ro "$target"
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
for hidden in /home /root /run/user; do
  if [ -d "$hidden" ]; then mount -t tmpfs -o ro,mode=0 tmpfs "$hidden"; fi
done
# Without CAP_SYS_RESOURCE (a container) the hard limit may be lower: take what is allowed.
ulimit -n "$nofile" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
umask "$umask_value"
cd "$state"
exec "$@"
'
# launch_unit UNIT LOG [ARG...]: starts UNIT's ExecStart (and ARGs) in the background, as systemd
# would run it, its output appended to LOG; sets launched_pid, unit_user and unit_workdir.
launch_unit() {
  local unit=$1 log=$2 exec_start user group workdir envfile home
  shift 2
  exec_start=$(unit_value "$unit" ExecStart)
  user=$(unit_value "$unit" User)
  group=$(unit_value "$unit" Group)
  workdir=$(unit_value "$unit" WorkingDirectory)
  envfile=$(unit_value "$unit" EnvironmentFile)
  envfile=${envfile#-}
  home=$(getent passwd "$user" | cut -d: -f6)   # systemd sets HOME from User=
  local -a env_vars=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" USER="$user" LOGNAME="$user" LANG=C.UTF-8)
  if [ -f "$envfile" ]; then
    while IFS= read -r line; do env_vars+=("$line"); done < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$envfile" || true)
  fi
  echo "starting $unit as $user: $exec_start${*:+ $*}" >&2
  # shellcheck disable=SC2086 # ExecStart is split on spaces, as systemd does for these unquoted words.
  unshare --mount --propagation private sh -c "$sandbox_script" sandbox "$workdir" "$(unit_value "$unit" LimitNOFILE)" "$(unit_value "$unit" UMask)" \
    setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
    env -i "${env_vars[@]}" $exec_start "$@" </dev/null >>"$log" 2>&1 &
  launched_pid=$!   # unshare, sh and setpriv exec each other: this is the JVM's pid
  unit_user=$user unit_workdir=$workdir
}
# check_sandboxed PID USER WORKDIR: the process runs as the unit's user, without capabilities,
# in a read-only system but for its state directory and a private /tmp.
check_sandboxed() {
  local pid=$1 user=$2 workdir=$3
  check "the process is java, belongs to $user, has no capabilities and no new privileges" \
    test "$(ps -o user=,comm= -p "$pid" | tr -s ' ') $(grep -E '^(CapEff|CapBnd|NoNewPrivs):' "/proc/$pid/status" | awk '{print $2}' | tr '\n' ' ')" \
       = "$user java 0000000000000000 0000000000000000 1 "
  check "its mounts: / read-only, $workdir writable, a private /tmp" \
    test "$(awk -v s="$workdir" '$5 == "/" || $5 == s || $5 == "/tmp" {split($6, o, ","); for (i = 7; $i != "-"; i++) {}; print $5, o[1], $(i + 1)}' "/proc/$pid/mountinfo" | sort | tr '\n' ' ')" \
       = "/ ro $(findmnt -rn -o FSTYPE /) /tmp rw tmpfs $workdir rw $(findmnt -rn -o FSTYPE -T "$workdir") "
}
# Starts skyhaul.service's ExecStart on free loopback ports (server_pid), as systemd would run it.
launch_service() {
  http_port=$(free_port SOCK_STREAM)
  local udp_port
  udp_port=$(free_port SOCK_DGRAM)
  launch_unit skyhaul.service "$work/server.log" --http-port "$http_port" --udp-port "$udp_port"
  server_pid=$launched_pid
}
# Starts it and waits for /healthz.
start_service() {
  launch_service
  local user=$unit_user workdir=$unit_workdir
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1; then
      pass "the unit's ExecStart runs as $user (pid $server_pid) in a read-only system with a writable $workdir, and /healthz answers on port $http_port"
      check "the admin console (skyhaul-webui.jar) answers with its sign-in page" \
        grep -q 'name="password"' <<<"$(curl -fsSL "http://127.0.0.1:$http_port/" 2>/dev/null)"
      check_sandboxed "$server_pid" "$user" "$workdir"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "the server exited before /healthz answered"; }
    sleep 0.5
  done
  cat "$work/server.log"
  fail "/healthz did not answer within 60 s"
}
# stop_started PID NAME: SIGTERM, and the exit status a unit counts as success (0 or 143).
stop_started() {
  local pid=$1 name=$2 rc=0
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && fail "the $name did not stop within 30 s of SIGTERM"
  wait "$pid" || rc=$?
  check "the $name stopped on SIGTERM (exit $rc, a success for the unit)" test "$rc" -eq 0 -o "$rc" -eq 143
}
stop_service() {
  stop_started "$server_pid" server
  server_pid=
}

# The gateway (skyhaul-gateway.service) beside the running manager, as on a one-box demo: its
# local API on 127.0.0.1:8090 (another free port when 8090 is taken here), its manager the server
# started above. point_gateway_at_manager edits /etc/skyhaul/gateway.yml as docs/install.md says.
gateway_name=package-test-gateway
gateway_state=/var/lib/skyhaul-gateway/gateway
gateway_port=
port_taken() { ! python3 -c 'import socket,sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }
point_gateway_at_manager() {
  sed -i "s|^  url: [^ ]*|  url: http://127.0.0.1:$http_port|; s|^  port: [0-9]*|  port: $gateway_port|" /etc/skyhaul/gateway.yml
  grep -q "^  url: http://127.0.0.1:$http_port " /etc/skyhaul/gateway.yml && grep -q "^  port: $gateway_port " /etc/skyhaul/gateway.yml \
    || { cat /etc/skyhaul/gateway.yml; fail "set manager.url and gateway.port in /etc/skyhaul/gateway.yml"; }
}
# api METHOD PATH [BODY]: the manager's API as the admin signed in above; prints the HTTP status, the body goes to $work/api.json.
api() {
  local -a body=()
  [ $# -ge 3 ] && body=(-H 'Content-Type: application/json' --data "$3")
  curl -sS -m 10 -o "$work/api.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $admin_token" "${body[@]}" "http://127.0.0.1:$http_port/api/v1$2"
}
# json_field KEY FILE: a top-level field of a JSON object, as JSON (a string quoted, null when absent).
json_field() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])).get(sys.argv[2])))' "$2" "$1"; }
# eventually SECONDS COMMAND...: runs COMMAND every half second until it succeeds (0) or SECONDS pass (1).
eventually() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}
# local_status: the gateway's own status (GET /api/v1/status on its local API, with the token from
# its state directory), in $work/local-status.json; prints the HTTP status.
local_status() {
  curl -sS -m 10 -o "$work/local-status.json" -w '%{http_code}' -H "Authorization: Bearer $(cat "$gateway_state/local-api.token")" \
    "http://127.0.0.1:$gateway_port/api/v1/status"
}
# start_gateway: the unit's ExecStart as systemd would run it (gateway_pid); waits for "gateway
# ready" in its output and /healthz on its local port.
start_gateway() {
  : >"$work/gateway.log"
  launch_unit skyhaul-gateway.service "$work/gateway.log"
  gateway_pid=$launched_pid
  for _ in $(seq 1 120); do
    if grep -q 'gateway ready' "$work/gateway.log" && [ "$(curl -fsS -m 5 "http://127.0.0.1:$gateway_port/healthz" 2>/dev/null)" = ok ]; then
      pass "the gateway unit's ExecStart runs as $unit_user (pid $gateway_pid), prints 'gateway ready' and /healthz on 127.0.0.1:$gateway_port answers ok"
      return 0
    fi
    kill -0 "$gateway_pid" 2>/dev/null || { cat "$work/gateway.log"; fail "the gateway exited before it was ready"; }
    sleep 0.5
  done
  cat "$work/gateway.log"
  fail "the gateway was not ready within 60 s"
}
stop_gateway() {
  stop_started "$gateway_pid" gateway
  gateway_pid=
  check "the gateway logged no ERROR" test -z "$(grep -E '^[0-9:.]+ ERROR ' "$work/gateway.log" || true)"
}

# First start without SKYHAUL_ADMIN_PASSWORD: the generated password is read where docs/install.md
# says an admin finds it, in the service's output (the journal under systemd).
start_service
for _ in $(seq 1 40); do grep -q 'Sign in' "$work/server.log" && break; sleep 0.25; done   # the banner follows /healthz
admin_password=$(grep -A1 'Sign in' "$work/server.log" | sed -n "s/.*user 'admin', password \([A-Za-z0-9]*\)\$/\1/p")
check "the first start printed the generated admin password once" test -n "$admin_password" -a "$(grep -c 'Sign in' "$work/server.log")" -eq 1
export SKYHAUL_CONFIG_DIR="$work/cli"   # the CLI's token, away from root's own ~/.config/skyhaul
SKYHAUL_PASSWORD=$admin_password /usr/bin/skyhaul login --server "http://127.0.0.1:$http_port" >"$work/login.log" 2>&1 \
  || { cat "$work/login.log"; fail "skyhaul login as admin"; }
pass "skyhaul login as admin with it (password in SKYHAUL_PASSWORD)"
payload_name="package-test-$(date +%s)-$$.bin"
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom >"$work/$payload_name"
payload_size=$(stat -c %s "$work/$payload_name")
/usr/bin/skyhaul send "$work/$payload_name" local://local/inbox/ >"$work/send.log" 2>&1 </dev/null \
  || { cat "$work/send.log" "$work/server.log"; fail "skyhaul send $payload_name local://local/inbox/"; }
pass "skyhaul send $payload_name local://local/inbox/ ($payload_size bytes)"
received=/var/lib/skyhaul/storage/inbox/$payload_name
check "the file arrived in the data directory, byte for byte" cmp -s "$work/$payload_name" "$received"
check "it belongs to skyhaul" test "$(stat -c %U "$received")" = skyhaul
/usr/bin/skyhaul transfers >"$work/transfers.log" 2>&1 || { cat "$work/transfers.log"; fail "skyhaul transfers"; }
check "skyhaul transfers lists it as done" grep -Eq " done .* $payload_size .*local://local/inbox/" "$work/transfers.log"
check "the SQLite database is in the data directory, skyhaul-owned" test "$(stat -c %U /var/lib/skyhaul/skyhaul.db)" = skyhaul

# The gateway beside it: activated with the code from its output, then online at the manager.
check "no /var/lib/skyhaul-gateway before the gateway's first start (systemd's StateDirectory= makes it)" test ! -e /var/lib/skyhaul-gateway
install -d -m "$(unit_value skyhaul-gateway.service StateDirectoryMode)" -o skyhaul -g skyhaul /var/lib/skyhaul-gateway   # as StateDirectory= would
gateway_port=8090
if port_taken "$gateway_port"; then gateway_port=$(free_port SOCK_STREAM); echo "127.0.0.1:8090 is taken here: the gateway gets port $gateway_port" >&2; fi
point_gateway_at_manager
start_gateway
check_sandboxed "$gateway_pid" "$unit_user" "$unit_workdir"
for _ in $(seq 1 40); do grep -q 'not activated yet: activation code' "$work/gateway.log" && break; sleep 0.25; done   # it asks the manager right after 'ready'
activation_code=$(sed -n 's/.*gateway not activated yet: activation code \([A-Z0-9]\{4\}-[A-Z0-9]\{4\}\) (valid until.*/\1/p' "$work/gateway.log" | tail -1)
check "the gateway printed its activation code ($activation_code)" test -n "$activation_code"
gateway_fingerprint=$(sed -n 's/.*gateway not activated yet: activation code .*, key fingerprint \([^)]*\)).*/\1/p' "$work/gateway.log" | tail -1)
check "it listens on 127.0.0.1:$gateway_port (TCP) only, and binds no UDP port" \
  test "$(ss -H -ltunp | grep "pid=$gateway_pid," | awk '{print $1, $5}' | sed 's/\[::ffff:\(.*\)\]/\1/' | tr '\n' ' ')" = "tcp 127.0.0.1:$gateway_port "
check "its state in $gateway_state: identity.json and local-api.token skyhaul-owned, mode 0600; gateway.db and spool/" \
  test "$(stat -c '%U %a' "$gateway_state/identity.json" "$gateway_state/local-api.token" | tr '\n' ' ')" = "skyhaul 600 skyhaul 600 " \
    -a -f "$gateway_state/gateway.db" -a -d "$gateway_state/spool"
check "the local API refuses a request without its token" test "$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gateway_port/api/v1/status")" = 401
check "with the token in $gateway_state/local-api.token it shows the same code, not activated" \
  test "$(local_status) $(json_field activationCode "$work/local-status.json") $(json_field activated "$work/local-status.json")" = "200 \"$activation_code\" false"
admin_token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$SKYHAUL_CONFIG_DIR/credentials.json")
check "the admin activates it at the manager: POST /api/v1/gateways {code, name: $gateway_name} answers 201" \
  test "$(api POST /gateways "{\"code\": \"$activation_code\", \"name\": \"$gateway_name\"}")" = 201
check "the answer holds the key fingerprint the gateway logged with its code ($gateway_fingerprint)" \
  test -n "$gateway_fingerprint" -a "$(json_field fingerprint "$work/api.json")" = "\"$gateway_fingerprint\""
# online: heard from within the last 30 s; active: activated and not deactivated.
gateway_online() { [ "$(api GET "/gateways/$gateway_name")" = 200 ] && [ "$(json_field online "$work/api.json") $(json_field active "$work/api.json")" = "true true" ]; }
# What the gateway itself says once its control link to the manager is up.
gateway_connected() {
  [ "$(local_status) $(json_field name "$work/local-status.json") $(json_field connected "$work/local-status.json") $(json_field activationCode "$work/local-status.json")" \
    = "200 \"$gateway_name\" true null" ]
}
eventually 60 gateway_online || { cat "$work/api.json" "$work/gateway.log"; fail "GET /api/v1/gateways/$gateway_name reports it online and active (60 s)"; }
pass "GET /api/v1/gateways/$gateway_name reports it online and active"
check "the gateway logged its activation as '$gateway_name'" grep -q "gateway activated as '$gateway_name'" "$work/gateway.log"
check "credentials.json is kept in $gateway_state, skyhaul-owned, mode 0600" test "$(stat -c '%U %a' "$gateway_state/credentials.json")" = "skyhaul 600"
check "its local status: activated as $gateway_name, connected, no code on show" eventually 30 gateway_connected
stop_gateway
stop_service

# ---------------------------------------------------------------------------------------------
# 4. Upgrade in place: state and the edited conffile are kept.
nonce="edited by test-packages.sh $$"
echo "# $nonce" >>/etc/skyhaul/skyhaul.yml
sha() { sha256sum "$1" | cut -d' ' -f1; }
key_sha=$(sha /var/lib/skyhaul/master.key)
db_sha=$(sha /var/lib/skyhaul/skyhaul.db)
gateway_keys_sha=$(cat "$gateway_state/identity.json" "$gateway_state/credentials.json" | sha256sum | cut -d' ' -f1)
dpkg -i "$deb2" </dev/null >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "dpkg -i $deb2 (upgrade)"; }
pass "dpkg -i $deb2 upgrades in place"
restore_sysctls   # the upgrade applied the drop-in again
check "installed version is ${deb_upstream}-2" test "$(dpkg-query -W -f='${Version} ${db:Status-Status}' skyhaul)" = "${deb_upstream}-2 installed"
check "the edited /etc/skyhaul/skyhaul.yml is kept" grep -q "$nonce" /etc/skyhaul/skyhaul.yml
check "the edited /etc/skyhaul/gateway.yml is kept (manager.url)" grep -q "^  url: http://127.0.0.1:$http_port " /etc/skyhaul/gateway.yml
check "the gateway's identity and credentials are unchanged" \
  test "$(cat "$gateway_state/identity.json" "$gateway_state/credentials.json" | sha256sum | cut -d' ' -f1)" = "$gateway_keys_sha"
check "the master key is unchanged" test "$(sha /var/lib/skyhaul/master.key)" = "$key_sha"
check "the master key is still 0600 skyhaul" test "$(stat -c '%U %a' /var/lib/skyhaul/master.key)" = "skyhaul 600"
check "the database is unchanged" test "$(sha /var/lib/skyhaul/skyhaul.db)" = "$db_sha"
check "the received file is kept" cmp -s "$work/$payload_name" "$received"
start_service
SKYHAUL_PASSWORD=$admin_password /usr/bin/skyhaul login --server "http://127.0.0.1:$http_port" >"$work/login2.log" 2>&1 \
  || { cat "$work/login2.log"; fail "skyhaul login after the upgrade"; }
pass "after the upgrade the same admin password signs in (the database was kept)"
check "the second start printed no new password" test "$(grep -c "user 'admin', password" "$work/server.log")" -eq 1
/usr/bin/skyhaul transfers >"$work/transfers2.log" 2>&1 || { cat "$work/transfers2.log"; fail "skyhaul transfers after the upgrade"; }
check "the transfer log still holds the transfer" grep -Eq " done .* $payload_size .*local://local/inbox/" "$work/transfers2.log"
point_gateway_at_manager   # the restarted manager has another port
start_gateway
check "after the upgrade the gateway reconnects with its kept credentials as $gateway_name (no activation code)" \
  eventually 30 gateway_connected
check "it printed no activation code this time" test -z "$(grep 'not activated yet' "$work/gateway.log" || true)"
check "the manager reports $gateway_name online and active" eventually 30 gateway_online
stop_gateway
stop_service

# A mistake in the configuration: the start stops at once with exit status 2, which the unit
# does not restart (RestartPreventExitStatus=2), and the message names the field.
cp -p /etc/skyhaul/skyhaul.yml "$work/skyhaul.yml.good"
printf 'data: /var/lib/skyhaul\nnode:\n  maxSessions: 0\n' >/etc/skyhaul/skyhaul.yml
: >"$work/server.log"
launch_service
rc=0
for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$server_pid" 2>/dev/null && fail "the server kept running with node.maxSessions 0"
wait "$server_pid" || rc=$?
server_pid=
check "a wrong configuration stops the start with exit status 2 (not restarted by the unit)" test "$rc" -eq 2
check "and says why: 'configuration refused: node.maxSessions: must be greater than or equal to 1'" \
  grep -q 'node.maxSessions: must be greater than or equal to 1' "$work/server.log"
cp -p "$work/skyhaul.yml.good" /etc/skyhaul/skyhaul.yml

# ---------------------------------------------------------------------------------------------
# 5. Remove keeps the data; a reinstallation finds it again; purge deletes it.
cp /var/lib/skyhaul/skyhaul.db "$work/db-before-remove"
dpkg -r skyhaul </dev/null >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg -r skyhaul"; }
pass "dpkg -r skyhaul"
check "after remove: /usr/bin/skyhaul and the units are gone" \
  test ! -e /usr/bin/skyhaul -a ! -e /usr/lib/systemd/system/skyhaul.service -a ! -e /usr/share/skyhaul
check "after remove: database, master key and received file are kept" \
  test -f /var/lib/skyhaul/skyhaul.db -a "$(sha /var/lib/skyhaul/master.key)" = "$key_sha" -a -f "$received"
check "after remove: the edited configuration is kept" grep -q "$nonce" /etc/skyhaul/skyhaul.yml
check "after remove: the gateway's state is kept" \
  test "$(cat "$gateway_state/identity.json" "$gateway_state/credentials.json" | sha256sum | cut -d' ' -f1)" = "$gateway_keys_sha" -a -f "$gateway_state/gateway.db"
check "after remove: the user skyhaul is kept" quiet getent passwd skyhaul
dpkg -i "$deb2" </dev/null >"$work/reinstall.log" 2>&1 || { cat "$work/reinstall.log"; fail "dpkg -i $deb2 after remove"; }
restore_sysctls
check "reinstalled after remove: the master key, database and edited configuration are the same" \
  test "$(sha /var/lib/skyhaul/master.key)" = "$key_sha" -a "$(sha /var/lib/skyhaul/skyhaul.db)" = "$(sha "$work/db-before-remove")" -a -n "$(grep "$nonce" /etc/skyhaul/skyhaul.yml)"
dpkg --purge skyhaul </dev/null >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge skyhaul"; }
pass "dpkg --purge skyhaul"
check "after purge: /var/lib/skyhaul is gone" test ! -e /var/lib/skyhaul
check "after purge: /var/lib/skyhaul-gateway is gone" test ! -e /var/lib/skyhaul-gateway
check "after purge: /etc/skyhaul is gone" test ! -e /etc/skyhaul
check "after purge: user and group skyhaul are gone" test -z "$(getent passwd skyhaul; getent group skyhaul)"
check "after purge: dpkg knows no skyhaul package" test -z "$(dpkg-query -W -f='${db:Status-Status}' skyhaul 2>/dev/null | grep -v not-installed || true)"
rm -f "$marker"
