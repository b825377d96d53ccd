#!/usr/bin/env bash
# systemd-service-test.sh: enrichd's unit, sysusers, tmpfiles and catalog under a REAL systemd.
#
# Boots systemd as PID 1 of a throw-away systemd-nspawn container whose root is a tmpfs-backed overlay of the
# host's "/" (the host is never modified), installs enrichd into it with `make install DESTDIR=... PREFIX=/usr/local`,
# and checks:
#   - `make install`/`uninstall` honour PREFIX and DESTDIR, keep an existing configuration, build nothing when the
#     binaries are up to date; `systemd-analyze security --offline=yes` exposure of the unit is at most 2.0;
#   - systemd-sysusers/systemd-tmpfiles create the user, the submit group and the spool tree; the catalog is
#     picked up by `journalctl --update-catalog`;
#   - `systemctl start`: activating until READY=1, then active, STATUS= "idle, 0 queued";
#   - a job staged in tmp/ and renamed into incoming/ by alice (group enrichd-submit) completes into done/ID/;
#     submitters cannot read others' staged jobs, claimed or finished jobs, or the token; `enrichctl submit` by
#     alice works too, and alice (not bob) follows and reads that job with enrichctl wait/report;
#   - a saved enrichment is its owner's: alice creates and runs one and reads its current/ outputs and history
#     (also of a run root submitted, as the daemon submits a scheduled one); bob can neither read, change nor
#     delete it;
#   - submitters cancel their own queued jobs with `enrichctl cancel`; another submitter's request is refused;
#   - `journalctl -u enrichd JOB_ID=ID -o json` tells the job's story with MESSAGE_IDs and fields, and
#     `journalctl -x` shows the catalog text;
#   - `systemctl reload` keeps the unit active, and a bad configuration is rejected, the old one kept;
#   - with ENRICHD_TEST_STALL_MARKER the scheduler stalls, WATCHDOG=1 pings stop, systemd kills and restarts the
#     daemon (Result=watchdog) and the job still ends in done/;
#   - `systemctl stop` ends inactive with Result=success; a bad configuration at start fails with 78 and is not
#     restarted; the token appears nowhere in the journal, the spool or the state directory.
# Cleans up on EXIT (also on failure). Prints PASS:/FAIL: lines; the last line is "N passed, M failed".
#
# Derived from the systemd-nspawn harness tested on Debian 12 (systemd 252) without systemd as PID 1 on the host.
# Needs root, systemd-container, util-linux (nsenter, runuser, mountpoint), procps, passwd (useradd), jq, make, and
# built binaries: run `swift build -c release` first (CONFIGURATION=debug tests a debug build).
#
# Usage: Tests/Scripts/systemd-service-test.sh      (or: make test-systemd)
set -Eeuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CONFIGURATION=${CONFIGURATION:-release}
UNIT=enrichd.service
PREFIX=/usr/local
NAME=enrichdtest$$                       # container / cgroup name
WORK=$(mktemp -d /tmp/enrichd-systemd.XXXXXX)
ROOT=$WORK/root                          # overlay mount = container root
TOKEN=ls-test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
SPOOL=/var/spool/enrichd
JOB=systemd-test                         # job ids: the names the bundles get in incoming/
STALL_JOB=systemd-stall
NSPAWN_PID='' LEADER=''
CGROUPS=()
PASSED=0 FAILED=0
T_START=$(date +%s%N)

# Message ids the daemon logs (systemd/enrichd.catalog explains them).
MID_ACCEPTED=dc0d3cca573a49218d2ae50790eae6e5
MID_STARTED=70d297cf08854f2482d552f5bbf4912a
MID_COMPLETED=ab1e92cefe724d0aaf44f99e5f8d7d11
CATALOG_IDS=(dc0d3cca573a49218d2ae50790eae6e5 70d297cf08854f2482d552f5bbf4912a ab1e92cefe724d0aaf44f99e5f8d7d11
             18790f05dd6143109fbc1e94ff509128 76bb0e78d2c2405eb31c3ca8b419ce3b d05447983c41468c84f3dab4e8e09008
             eef0e4e24a284f39a353cfa28c39563e 9d5d7c07b6004dc1a91317bf3836491f)

since() { local d=$(( $(date +%s%N) - $1 )); printf '%d.%02d' $((d / 1000000000)) $(( d / 10000000 % 100 )); }
log()   { printf '[systemd-test %6ss] %s\n' "$(since "$T_START")" "$*"; }
pass()  { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail()  { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; diag; }     # record and go on with independent checks
die()   { fail "$@"; exit 1; }                                      # later checks depend on this one
ct()    { nsenter --target "$LEADER" --all -- "$@"; }               # run a command inside the container
prop()  { ct systemctl show -P "$1" "${2:-$UNIT}"; }
as()    { local user=$1; shift; ct runuser -u "$user" -- "$@"; }

# wait_until SECONDS DESCRIPTION COMMAND...: poll (bounded) until COMMAND succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@"; do
    [ "$(date +%s%N)" -lt "$deadline" ] || { echo "timed out after ${limit}s waiting for: $what" >&2; return 1; }
    sleep 0.1
  done
}

diag() (
  set +e; trap - ERR
  [ -n "$LEADER" ] || { tail -n 30 "$WORK/nspawn.log" 2>/dev/null; exit 0; }
  {
    echo "--- diagnostics"
    ct systemctl status --no-pager -n 0 "$UNIT" 2>&1
    ct journalctl --no-pager -n 30 -u "$UNIT" -u leadspace-sandbox.service 2>&1
    ct sh -c "tail -n 5 /var/log/leadspace-sandbox.log; ls -lR $SPOOL | head -n 40" 2>&1
    echo "---"
  } | sed "s/$TOKEN/<token>/g" >&2
  exit 0
)

teardown() {
  local rc=$? i
  set +e
  trap '' INT TERM HUP PIPE ERR      # finish the cleanup even if our stdout went away
  trap - EXIT
  [ "$rc" = 0 ] || [ "$FAILED" -gt 0 ] || FAILED=$((FAILED + 1))     # an unexpected error counts as a failure
  if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    local t0; t0=$(date +%s%N)
    kill -TERM "$NSPAWN_PID"          # nspawn forwards SIGRTMIN+3 => clean `halt` of the container's systemd
    for i in $(seq 300); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$NSPAWN_PID" 2>/dev/null; then
      echo "container did not halt in 30s, killing" >&2
      [ -n "$LEADER" ] && kill -KILL "$LEADER"     # SIGKILL to a pid-ns init kills the whole namespace
      kill -KILL "$NSPAWN_PID"
    fi
    wait "$NSPAWN_PID" 2>/dev/null
    log "container halted in $(since "$t0")s"
  fi
  for i in "${CGROUPS[@]}"; do [ -d "$i" ] && find "$i" -depth -type d -exec rmdir {} + ; done
  rmdir "/run/systemd/nspawn/propagate/$NAME" 2>/dev/null
  mountpoint -q "$ROOT"      && { umount "$ROOT"      || umount -l "$ROOT"; }
  mountpoint -q "$WORK/ovl"  && { umount "$WORK/ovl"  || umount -l "$WORK/ovl"; }
  if ! mountpoint -q "$ROOT" && ! mountpoint -q "$WORK/ovl"; then
    rm -rf --one-file-system "$WORK"
  else
    echo "WARNING: mounts still present under $WORK, not deleting it" >&2
  fi
  log "teardown done in $(since "$T_START")s total"
  [ "$FAILED" = 0 ] || rc=1
  echo "$PASSED passed, $FAILED failed"
  exit "$rc"
}
trap teardown EXIT
trap 'echo "FAIL: unexpected error (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; trap 'exit 141' PIPE

[ "$(id -u)" = 0 ] || die "must run as root"
for b in systemd-nspawn systemd-analyze nsenter runuser pgrep jq make mountpoint od; do
  command -v "$b" >/dev/null || die "missing $b (packages: systemd-container util-linux procps jq make)"
done
for p in enrichd enrichctl leadspace-sandbox; do
  [ -x "$REPO/.build/$CONFIGURATION/$p" ] || die "no $REPO/.build/$CONFIGURATION/$p: run 'swift build -c $CONFIGURATION' first"
done

# ------------------------------------------------------------ 1. make install / uninstall, staged
t=$(date +%s%N)
STAGE=$WORK/stage
mkdir -p "$STAGE/etc/enrichd"
echo '{"spool": "/srv/keep-me"}' > "$STAGE/etc/enrichd/enrichd.json"
if make -s -C "$REPO" install DESTDIR="$STAGE" PREFIX=/usr CONFIGURATION="$CONFIGURATION" >"$WORK/stage.log" 2>&1 \
   && grep -qx 'ExecStart=/usr/bin/enrichd --config /etc/enrichd/enrichd.json' "$STAGE/usr/lib/systemd/system/enrichd.service" \
   && grep -qx 'Documentation=https://github.com/enrichd/enrichd file:/usr/share/doc/enrichd/README.md' "$STAGE/usr/lib/systemd/system/enrichd.service" \
   && ! grep -q /usr/local/ "$STAGE/usr/lib/systemd/system/enrichd.service" \
   && [ -x "$STAGE/usr/bin/enrichd" ] && [ -x "$STAGE/usr/bin/enrichctl" ] && [ -x "$STAGE/usr/bin/leadspace-sandbox" ] \
   && [ -f "$STAGE/usr/lib/sysusers.d/enrichd.conf" ] && [ -f "$STAGE/usr/lib/tmpfiles.d/enrichd.conf" ] \
   && [ -f "$STAGE/usr/lib/systemd/catalog/enrichd.catalog" ] && [ -f "$STAGE/usr/share/doc/enrichd/README.md" ] \
   && grep -q '^complete -o filenames -F _enrichctl enrichctl' "$STAGE/usr/share/bash-completion/completions/enrichctl" \
   && grep -q '^#compdef enrichctl' "$STAGE/usr/share/zsh/site-functions/_enrichctl" \
   && grep -q 'enrichctl' "$STAGE/usr/share/fish/vendor_completions.d/enrichctl.fish" \
   && [ "$(cat "$STAGE/etc/enrichd/enrichd.json")" = '{"spool": "/srv/keep-me"}' ] \
   && ! grep -q '^swift build' "$WORK/stage.log" \
   && make -s -C "$REPO" uninstall DESTDIR="$STAGE" PREFIX=/usr >>"$WORK/stage.log" 2>&1 \
   && [ "$(cd "$STAGE" && find . -type f)" = ./etc/enrichd/enrichd.json ]; then
  pass "make install/uninstall DESTDIR=... PREFIX=/usr: paths rewritten to /usr/bin, existing config kept, no rebuild, uninstall leaves only the config"
else
  cat "$WORK/stage.log" >&2; (cd "$STAGE" && find . -type f) >&2
  fail "staged make install/uninstall"
fi
log "staged install/uninstall ($(since "$t")s)"

# ------------------------------------------------------------ 2. throw-away root: overlay of /, enrichd installed
t=$(date +%s%N)
mkdir -p "$WORK/ovl" "$ROOT"
mount -t tmpfs -o size=2G,mode=755 "edt-$NAME" "$WORK/ovl"
mkdir -p "$WORK/ovl/upper" "$WORK/ovl/work"
mount -t overlay "edt-$NAME" -o "lowerdir=/,upperdir=$WORK/ovl/upper,workdir=$WORK/ovl/work" "$ROOT"

# Minimal boot target: only sysinit + sockets (journald etc.); the host's enabled services are NOT started.
cat > "$ROOT/etc/systemd/system/ci.target" <<'EOF'
[Unit]
Description=Minimal CI target (sysinit + sockets only)
Requires=sysinit.target sockets.target
After=sysinit.target sockets.target
AllowIsolate=yes
EOF
rm -f "$ROOT/etc/enrichd/enrichd.json"           # a host's own configuration must not leak into the test
make -s -C "$REPO" install DESTDIR="$ROOT" PREFIX="$PREFIX" CONFIGURATION="$CONFIGURATION" >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; die "make install DESTDIR=$ROOT"; }
cmp -s "$REPO/etc/enrichd/enrichd.json" "$ROOT/etc/enrichd/enrichd.json" || die "make install did not install the configuration"
INSTALLED_UNIT=$ROOT$PREFIX/lib/systemd/system/$UNIT
log "root overlay prepared, enrichd installed ($(since "$t")s)"

# ------------------------------------------------------------ 3. the unit's exposure
analysis=$(systemd-analyze security --offline=yes --no-pager "$INSTALLED_UNIT" 2>&1) || true
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$analysis")
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
  pass "systemd-analyze security --offline=yes: exposure $exposure <= 2.0"
else
  printf '%s\n' "$analysis" | grep -E '✗|Overall' >&2 || printf '%s\n' "$analysis" >&2
  fail "exposure '${exposure:-?}' is above 2.0 (or could not be read)"
fi

# ------------------------------------------------------------ 4. boot systemd
# Without systemd on the host nspawn cannot register a scope ("Failed to open system bus"), hence --keep-unit
# --register=no, with a private cgroup of its own so the container's tree is not made at the hierarchy's root.
if [ ! -d /run/systemd/system ]; then
  if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
    CGROUPS=("/sys/fs/cgroup/$NAME")
  else
    for h in systemd unified; do [ -d "/sys/fs/cgroup/$h" ] && CGROUPS+=("/sys/fs/cgroup/$h/$NAME"); done
  fi
fi
t=$(date +%s%N)
(
  for cg in "${CGROUPS[@]}"; do mkdir -p "$cg"; echo "$BASHPID" > "$cg/cgroup.procs"; done
  exec systemd-nspawn --quiet --directory="$ROOT" --machine="$NAME" --boot \
       --register=no --keep-unit --link-journal=no --console=passive \
       -- systemd.unit=ci.target
) >"$WORK/nspawn.log" 2>&1 </dev/null &
NSPAWN_PID=$!

find_leader() {  # host PID of the container's PID 1 = child of nspawn whose NSpid ends in 1
  local c
  for c in $(pgrep -P "$NSPAWN_PID"); do
    [ "$(awk '/^NSpid:/{print $NF}' "/proc/$c/status" 2>/dev/null)" = 1 ] && { echo "$c"; return 0; }
  done
  return 1
}
deadline=$((SECONDS + 60))
until LEADER=$(find_leader); do
  kill -0 "$NSPAWN_PID" 2>/dev/null || die "nspawn exited: $(cat "$WORK/nspawn.log")"
  [ $SECONDS -lt $deadline ] || die "no container PID 1 after 60s"
  sleep 0.02
done
until st=$(ct systemctl is-system-running 2>/dev/null); [ "$st" = running ] || [ "$st" = degraded ]; do
  [ $SECONDS -lt $deadline ] || die "boot did not finish in 60s (state: $st)"
  sleep 0.05
done
case "$(ct readlink /proc/1/exe)" in */systemd/systemd) ;; *) die "PID 1 in the container is not systemd";; esac
# The container sees only the root filesystem: the binaries' shared libraries (the Swift runtime) must be on it.
ct $PREFIX/bin/enrichctl --help >/dev/null 2>&1 \
  || die "the installed binaries do not run in the container: $(ct ldd $PREFIX/bin/enrichctl 2>&1 | grep 'not found' | head -n 3)"
log "systemd booted in $(since "$t")s: state=$st, $(ct systemctl --version | head -n1)"

# ------------------------------------------------------------ 5. sysusers, tmpfiles, catalog, users
t=$(date +%s%N)
# By name, as a package's post-install does: this also shows systemd finds the files under $PREFIX/lib.
ct systemd-sysusers enrichd.conf
ct systemd-tmpfiles --create enrichd.conf
ct journalctl --update-catalog
ct useradd --create-home --groups enrichd-submit alice
ct useradd --create-home --groups enrichd-submit bob
catalog=$(ct journalctl --list-catalog)
missing_ids=$(for id in "${CATALOG_IDS[@]}"; do grep -q "^$id " <<<"$catalog" || echo "$id"; done)
spool_modes=$(ct stat -c '%n %a %U %G' $SPOOL $SPOOL/{tmp,incoming,active,done,failed,control,enrichments})
expected_modes="$SPOOL 755 enrichd enrichd
$SPOOL/tmp 3770 enrichd enrichd-submit
$SPOOL/incoming 3770 enrichd enrichd-submit
$SPOOL/active 710 enrichd enrichd-submit
$SPOOL/done 710 enrichd enrichd-submit
$SPOOL/failed 710 enrichd enrichd-submit
$SPOOL/control 1730 enrichd enrichd-submit
$SPOOL/enrichments 3770 enrichd enrichd-submit"
if [ "$(ct id -nG enrichd)" = "enrichd enrichd-submit" ] && [ "$(ct getent passwd enrichd | cut -d: -f6,7)" = /var/lib/enrichd:/usr/sbin/nologin ] \
   && [ "$spool_modes" = "$expected_modes" ] && [ -z "$missing_ids" ]; then
  pass "sysusers: user enrichd (in enrichd-submit); tmpfiles: spool tree with its modes; catalog: all ${#CATALOG_IDS[@]} MESSAGE_IDs listed"
else
  echo "groups of enrichd: $(ct id -nG enrichd); spool:"$'\n'"$spool_modes"$'\n'"catalog ids missing: $missing_ids" >&2
  die "sysusers/tmpfiles/catalog"
fi
log "sysusers/tmpfiles/catalog ($(since "$t")s)"

# ------------------------------------------------------------ 6. sandbox + configuration, start
t=$(date +%s%N)
ct sh -c "umask 077; printf '%s\n' '$TOKEN' > /etc/enrichd/leadspace.token"
# The sandbox reads the token from a file so it is in no command line; its output goes to a file, not the journal
# (journald would record its _CMDLINE).
ct sh -c "umask 077; printf '%s\n' '$TOKEN' > /etc/leadspace-sandbox.token"
ct systemd-run --quiet --unit=leadspace-sandbox --description="Leadspace API sandbox for the enrichd test" \
   -p StandardOutput=file:/var/log/leadspace-sandbox.log -p StandardError=file:/var/log/leadspace-sandbox.log \
   /bin/sh -c 'exec /usr/local/bin/leadspace-sandbox serve --port 0 --seed 1 --rate 100 --latency-ms 5 \
               --token "$(cat /etc/leadspace-sandbox.token)"'
sandbox_url() { ct sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' /var/log/leadspace-sandbox.log 2>/dev/null | grep -q .; }
wait_until 60 "the sandbox to listen" sandbox_url || die "the sandbox did not start"
SANDBOX=$(ct sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' /var/log/leadspace-sandbox.log | head -n1)
ct sh -c "cat > /etc/enrichd/enrichd.json" <<EOF
{
  "spool": "$SPOOL",
  "maxActiveJobs": 2,
  "retentionDays": 30,
  "logLevel": "info",
  "inputRoots": ["/srv/enrichd-test/exports"],
  "connections": {
    "default": {
      "baseURL": "$SANDBOX",
      "dataSharingConsent": true,
      "tokenCredential": "leadspace-token",
      "ratePerSecond": 100,
      "maxInFlight": 8,
      "apiMode": "auto",
      "requestTimeoutMs": 5000
    }
  },
  "cache": { "path": "/var/lib/enrichd/cache.sqlite", "matchFreshnessDays": 30, "missFreshnessDays": 7 },
  "retry": { "maxAttempts": 4, "baseDelayMs": 100, "maxDelayMs": 1000 }
}
EOF
ct cp /etc/enrichd/enrichd.json /root/enrichd.json.good
# Job data: sample accounts drawn from the sandbox's directory (seed 1); the second job gets rows the first lacks.
ct /usr/local/bin/leadspace-sandbox sample --seed 1 --accounts 900 --contacts 10 --out /srv/enrichd-test/sample
ct chmod -R a+rX /srv/enrichd-test
log "sandbox at $SANDBOX, configuration written ($(since "$t")s)"

ct systemctl daemon-reload
t0=$(date +%s%N)
ct systemctl start --no-block "$UNIT"
seen=""
for i in $(seq 600); do
  s=$(prop ActiveState)
  case " $seen " in *" $s "*) ;; *) seen="$seen $s";; esac
  [ "$s" = active ] || [ "$s" = failed ] && break
  sleep 0.02
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$(prop ActiveState)" = active ] || die "enrichd did not become active (states seen:$seen)"
# READY=1 comes within a few tens of milliseconds, so polling may miss "activating". The journal does not: systemd
# logs "Starting" when the unit becomes activating and "Started" when READY=1 arrives; the daemon's first record
# ("enrichd starting", sent before READY=1) must lie between. All three come through the same journal socket, in
# order, and one journal file keeps it.
ct journalctl --sync
ct journalctl -u "$UNIT" -o json --no-pager > "$WORK/start.json"
index_of() { jq -s -r --arg pid "$1" --arg re "$2" \
  '[to_entries[] | select((.value._PID == $pid or $pid == "") and (.value.MESSAGE | tostring | test($re))) | .key] | first // -1' \
  "$WORK/start.json"; }
i_starting=$(index_of 1 '^Starting ') i_daemon=$(index_of '' '^enrichd starting$') i_started=$(index_of 1 '^Started ')
main_start=$(prop ExecMainStartTimestampMonotonic) active_enter=$(prop ActiveEnterTimestampMonotonic)
if [ "$(prop Type)" = notify ] && [ "$i_starting" -ge 0 ] && [ "$i_starting" -lt "$i_daemon" ] \
   && [ "$i_daemon" -lt "$i_started" ] && [ "$active_enter" -gt "$main_start" ]; then
  pass "systemctl start: activating until READY=1, then active (journal: Starting < 'enrichd starting' < Started; active $(( (active_enter - main_start) / 1000 ))ms after exec, ${ms}ms after start; states polled:$seen)"
else
  die "start: Type=$(prop Type), journal records #$i_starting Starting, #$i_daemon 'enrichd starting', #$i_started Started; states polled:$seen"
fi
status_text() { [ "$(prop StatusText)" = "idle, 0 queued" ]; }
wait_until 10 "StatusText 'idle, 0 queued'" status_text || true
ct systemctl status --no-pager "$UNIT" > "$WORK/status.txt" || true
if [ "$(ct systemctl show -p StatusText "$UNIT")" = "StatusText=idle, 0 queued" ] \
   && grep -q 'Status: "idle, 0 queued"' "$WORK/status.txt"; then
  pass "systemctl status/show -p StatusText: \"idle, 0 queued\""
else
  cat "$WORK/status.txt" >&2; fail "STATUS= text: '$(prop StatusText)'"
fi

# ------------------------------------------------------------ 7. a job dropped by a submitter
t=$(date +%s%N)
# stage_job USER ID ROWS: USER stages a bundle in tmp/ (sample rows ROWS, a sed address) and renames it into incoming/.
stage_job() {
  local user=$1 id=$2 rows=$3
  as "$user" sh -c "set -e
    mkdir $SPOOL/tmp/$id
    sed -n '1p;$rows' /srv/enrichd-test/sample/accounts.csv > $SPOOL/tmp/$id/accounts.csv
    cat > $SPOOL/tmp/$id/job.json <<'EOF'
{\"name\": \"Systemd test\", \"outputTable\": \"SystemdTest\",
 \"customers\": {\"file\": \"accounts.csv\", \"idColumn\": \"CustomerId\"},
 \"mapping\": {\"primary\": {\"companyName\": \"Name\", \"website\": \"Website\", \"location\": {\"country\": \"Country\"}}}}
EOF
"
}
submit_job() { as "$1" mv "$SPOOL/tmp/$2" "$SPOOL/incoming/$2"; }
job_done() { ct test -f "$SPOOL/done/$1/result.json"; }
job_failed() { ct test -e "$SPOOL/failed/$1"; }
job_finished() { job_done "$1" || job_failed "$1"; }

stage_job alice "$JOB" '2,301p'
rows=$(ct sh -c "tail -n +2 $SPOOL/tmp/$JOB/accounts.csv | wc -l")
# Another submitter must not read a staged job (the spool's default ACL gives the daemon access, the group none).
privacy_staged=ok
as bob cat "$SPOOL/tmp/$JOB/accounts.csv" >/dev/null 2>&1 && privacy_staged="bob read alice's staged accounts.csv"
as bob ls "$SPOOL/tmp/$JOB" >/dev/null 2>&1 && privacy_staged="bob listed alice's staged bundle"
submit_job alice "$JOB"
wait_until 120 "job $JOB to finish" job_finished "$JOB" || die "job $JOB did not finish in 120s"
job_done "$JOB" || { ct cat "$SPOOL/failed/$JOB/error.json" >&2 || true; die "job $JOB failed"; }
ct cat "$SPOOL/done/$JOB/result.json" > "$WORK/result.json"
in_scope=$(jq -r '.customers.inScope' "$WORK/result.json")
enriched=$(jq -r '.customers.enriched' "$WORK/result.json")
state=$(jq -r '.state' "$WORK/result.json")
output_rows=$(ct sh -c "tail -n +2 $SPOOL/done/$JOB/SystemdTest.csv | wc -l")
if [ "$in_scope" = 300 ] && [ "$rows" = 300 ] && [ "$enriched" -gt 0 ] && [ "$output_rows" -ge 300 ] \
   && [[ "$state" == succeeded || "$state" == completedWithWarnings ]]; then
  pass "job dropped by alice (enrichd-submit) via tmp/ -> incoming/ completed into $SPOOL/done/$JOB/: $state, enriched $enriched of $in_scope ($(since "$t")s)"
else
  jq . "$WORK/result.json" >&2; die "job result: state=$state inScope=$in_scope enriched=$enriched rows=$output_rows"
fi
privacy=$privacy_staged
[ "$privacy" = ok ] && as bob ls "$SPOOL/done/$JOB" >/dev/null 2>&1 && privacy="bob listed done/$JOB"
[ "$privacy" = ok ] && as bob cat "$SPOOL/done/$JOB/result.json" >/dev/null 2>&1 && privacy="bob read alice's result.json"
[ "$privacy" = ok ] && as alice ls "$SPOOL/done" >/dev/null 2>&1 && privacy="alice listed done/"
[ "$privacy" = ok ] && as bob ls "$SPOOL/active" >/dev/null 2>&1 && privacy="bob listed active/"
[ "$privacy" = ok ] && as alice cat /etc/enrichd/leadspace.token >/dev/null 2>&1 && privacy="alice read the token"
if [ "$privacy" = ok ]; then
  pass "submitters cannot read others' staged jobs, claimed or finished jobs, or the token"
else
  ct sh -c "ls -la $SPOOL/tmp $SPOOL/done; getfacl -R $SPOOL 2>/dev/null | head -n 40" >&2 || true
  fail "spool privacy: $privacy"
fi

# `enrichctl submit` is how a submitter normally drops a job (it stages in tmp/ and renames into incoming/ too).
ct mkdir -p /srv/enrichd-test/ctl
ct sh -c "sed -n '1p;602,651p' /srv/enrichd-test/sample/accounts.csv > /srv/enrichd-test/ctl/accounts.csv"
ct sh -c 'cat > /srv/enrichd-test/ctl/job.json' <<'EOF'
{"name": "enrichctl test", "outputTable": "EnrichctlTest",
 "customers": {"file": "accounts.csv", "idColumn": "CustomerId"},
 "mapping": {"primary": {"companyName": "Name", "website": "Website"}}}
EOF
ct chmod -R a+rX /srv/enrichd-test/ctl
claim_refused() { ct journalctl -u "$UNIT" --no-pager -o cat | grep -F "cannot claim $1"; }
finished_or_refused() { job_finished "$1" || claim_refused "$1" >/dev/null; }
if ! as alice /usr/local/bin/enrichctl submit --id ctl-submit /srv/enrichd-test/ctl/job.json >/dev/null; then
  fail "enrichctl submit as alice (enrichd-submit) failed"
elif ! wait_until 60 "job ctl-submit to finish" finished_or_refused ctl-submit || ! job_done ctl-submit; then
  ct stat -c '%A %U:%G %n' "$SPOOL/incoming/ctl-submit" >&2 || true
  fail "a job submitted with enrichctl by alice did not complete: $(claim_refused ctl-submit | tail -n 1)"
elif ! as alice /usr/local/bin/enrichctl wait --timeout 10 ctl-submit >"$WORK/alice-wait.txt" 2>&1 \
     || ! as alice /usr/local/bin/enrichctl report ctl-submit >"$WORK/alice-report.txt" 2>&1 \
     || ! grep -q '^Enriched [0-9]* of 50 profiles' "$WORK/alice-report.txt"; then
  cat "$WORK/alice-wait.txt" "$WORK/alice-report.txt" >&2
  ct sh -c "ls -la $SPOOL/done/ctl-submit; getfacl $SPOOL/done/ctl-submit $SPOOL/done/ctl-submit/result.json 2>/dev/null" >&2 || true
  fail "alice cannot follow or read the results of her own job (enrichctl wait, enrichctl report)"
elif as bob /usr/local/bin/enrichctl report ctl-submit >/dev/null 2>&1 \
     || as bob cat "$SPOOL/done/ctl-submit/EnrichctlTest.csv" >/dev/null 2>&1; then
  fail "bob read the results of alice's job"
elif ! as bob /usr/local/bin/enrichctl list 2>&1 >/dev/null | grep -q 'is not listed for you'; then
  fail "enrichctl list as bob does not say why it shows no active or finished jobs"
else
  pass "a job submitted with 'enrichctl submit' by alice completed into $SPOOL/done/ctl-submit/; alice (only) follows and reads it: $(head -n 2 "$WORK/alice-report.txt" | tail -n 1)"
fi

# ------------------------------------------------------------ 7b. a saved enrichment is its owner's
ct mkdir -p /srv/enrichd-test/exports
ct sh -c "sed -n '1p;652,701p' /srv/enrichd-test/sample/accounts.csv > /srv/enrichd-test/exports/accounts.csv"
ct sh -c 'cat > /srv/enrichd-test/exports/weekly.json' <<'EOF'
{"name": "Weekly accounts", "outputTable": "Weekly",
 "customers": {"file": "/srv/enrichd-test/exports/accounts.csv", "idColumn": "CustomerId"},
 "mapping": {"primary": {"companyName": "Name", "website": "Website"}},
 "schedule": {"days": ["mon"], "times": ["06:00"], "timeZone": "Europe/Paris"}}
EOF
ct chmod -R a+rX /srv/enrichd-test/exports
ENRICHMENT=$SPOOL/enrichments/weekly
current_is() { [ "$(ct readlink "$ENRICHMENT/current" 2>/dev/null)" = "runs/$1" ]; }
enrichment_ok=yes
if ! as alice /usr/local/bin/enrichctl enrichment create /srv/enrichd-test/exports/weekly.json >"$WORK/enrichment.txt" 2>&1; then
  enrichment_ok="alice could not create an enrichment: $(cat "$WORK/enrichment.txt")"
elif ! RUN1=$(as alice /usr/local/bin/enrichctl enrichment run weekly 2>"$WORK/enrichment.txt"); then
  enrichment_ok="alice could not run her enrichment: $(cat "$WORK/enrichment.txt")"
elif ! wait_until 60 "run $RUN1 to become current" current_is "$RUN1"; then
  enrichment_ok="alice's run $RUN1 did not become current/"
elif ! as alice cat "$ENRICHMENT/current/result.json" >/dev/null 2>&1 \
     || ! as alice /usr/local/bin/enrichctl enrichment show weekly >/dev/null 2>&1 \
     || ! as alice /usr/local/bin/enrichctl report "$RUN1" >/dev/null 2>&1; then
  enrichment_ok="alice cannot read her enrichment's current/ outputs or report"
# A run root submits (as the daemon submits a scheduled refresh) is still readable by the owner.
elif ! RUN2=$(ct /usr/local/bin/enrichctl enrichment run weekly 2>"$WORK/enrichment.txt"); then
  enrichment_ok="root could not run alice's enrichment: $(cat "$WORK/enrichment.txt")"
elif ! wait_until 60 "run $RUN2 to become current" current_is "$RUN2"; then
  enrichment_ok="root's run $RUN2 of alice's enrichment did not become current/"
elif ! as alice cat "$ENRICHMENT/current/result.json" "$ENRICHMENT/current/Weekly.csv" >/dev/null 2>&1 \
     || [ "$(as alice /usr/local/bin/enrichctl enrichment history --json weekly | jq length)" != 2 ]; then
  ct sh -c "getfacl -R $ENRICHMENT 2>/dev/null" >&2 || true
  enrichment_ok="alice cannot read the outputs of a run root submitted, or its history"
elif as bob ls "$ENRICHMENT" >/dev/null 2>&1; then enrichment_ok="bob listed alice's enrichment"
elif as bob cat "$ENRICHMENT/enrichment.json" >/dev/null 2>&1; then enrichment_ok="bob read alice's definition"
elif as bob cat "$ENRICHMENT/current/result.json" >/dev/null 2>&1; then enrichment_ok="bob read alice's result.json"
elif as bob cat "$ENRICHMENT/history.jsonl" >/dev/null 2>&1; then enrichment_ok="bob read alice's history"
elif as bob /usr/local/bin/enrichctl enrichment show weekly >/dev/null 2>&1; then enrichment_ok="enrichctl showed bob alice's enrichment"
elif as bob /usr/local/bin/enrichctl enrichment deactivate weekly >/dev/null 2>&1; then enrichment_ok="bob deactivated alice's enrichment"
elif as bob /usr/local/bin/enrichctl enrichment delete weekly >/dev/null 2>&1; then enrichment_ok="bob deleted alice's enrichment with enrichctl"
elif as bob rm -rf "$ENRICHMENT" >/dev/null 2>&1 || as bob mv "$ENRICHMENT" "$SPOOL/enrichments/bobs" >/dev/null 2>&1; then
  enrichment_ok="bob removed or renamed alice's enrichment"
elif ! ct test -f "$ENRICHMENT/enrichment.json" || ! current_is "$RUN2"; then
  enrichment_ok="alice's enrichment was changed by bob's attempts"
elif ! ct /usr/local/bin/enrichctl enrichments | grep -q '^weekly '; then
  enrichment_ok="root does not see alice's enrichment in enrichctl enrichments"
elif ! as alice /usr/local/bin/enrichctl enrichment delete weekly >"$WORK/enrichment.txt" 2>&1 \
     || [ -n "$(ct ls -A "$SPOOL/enrichments")" ]; then
  ct ls -lA "$SPOOL/enrichments" >&2 || true
  enrichment_ok="alice could not delete her enrichment, runs included: $(cat "$WORK/enrichment.txt")"
fi
if [ "$enrichment_ok" = yes ]; then
  pass "a saved enrichment is its owner's: alice created and ran it, reads current/ (also of a run root submitted) and its history; bob cannot read, change, delete or rename it; root lists it; alice deletes it, runs included"
else
  fail "$enrichment_ok"
fi

# ------------------------------------------------------------ 8. the job's story in the journal, and the catalog
ct journalctl --sync
ct journalctl -u "$UNIT" "JOB_ID=$JOB" -o json --no-pager > "$WORK/job.json"
story_ok=yes
for pair in "accepted:$MID_ACCEPTED" "started:$MID_STARTED" "completed:$MID_COMPLETED"; do
  jq -e -s --arg j "$JOB" --arg m "${pair#*:}" \
     'any(.[]; .MESSAGE_ID == $m and .JOB_ID == $j and ._SYSTEMD_UNIT == "enrichd.service" and (.PRIORITY | tonumber) <= 6)' \
     "$WORK/job.json" >/dev/null || { echo "no ${pair%%:*} record (MESSAGE_ID=${pair#*:})" >&2; story_ok=no; }
done
for m in "$MID_STARTED" "$MID_COMPLETED"; do
  jq -e -s --arg j "$JOB" --arg m "$m" \
     'any(.[]; .MESSAGE_ID == $m and .JOB_ID == $j and .JOB_NAME == "Systemd test" and .CONNECTION == "default")' \
     "$WORK/job.json" >/dev/null || { echo "record $m lacks JOB_NAME/CONNECTION" >&2; story_ok=no; }
done
explained=$(ct journalctl -x --no-pager -u "$UNIT" "MESSAGE_ID=$MID_COMPLETED" "JOB_ID=$JOB" 2>&1 || true)
grep -q "Subject: enrichd completed job $JOB (Systemd test)" <<<"$explained" || { echo "journalctl -x lacks the catalog text" >&2; story_ok=no; }
if [ "$story_ok" = yes ]; then
  pass "journalctl -u enrichd JOB_ID=$JOB -o json: accepted/started/completed with MESSAGE_ID, JOB_ID, JOB_NAME, CONNECTION; journalctl -x shows the catalog"
else
  jq -c '{MESSAGE, MESSAGE_ID, JOB_ID, JOB_NAME, CONNECTION}' "$WORK/job.json" >&2; fail "the job's journal records"
fi

# ------------------------------------------------------------ 9. reload
main_pid=$(prop MainPID)
count_log() { ct journalctl -u "$UNIT" --no-pager -o cat "_PID=$main_pid" | grep -c "$1" || true; }
more_log() { ct journalctl --sync; [ "$(count_log "$1")" -gt "$2" ]; }
reload_ok=yes
before=$(count_log 'configuration reloaded')
ct systemctl reload "$UNIT" || reload_ok="systemctl reload failed"
wait_until 10 "'configuration reloaded'" more_log 'configuration reloaded' "$before" || reload_ok="no 'configuration reloaded' record"
# A bad configuration is rejected and the old one kept.
ct sh -c 'echo "{\"spool\": 5}" > /etc/enrichd/enrichd.json'
before=$(count_log 'new configuration rejected')
ct systemctl reload "$UNIT" || reload_ok="systemctl reload failed (bad configuration)"
wait_until 10 "'new configuration rejected'" more_log 'new configuration rejected' "$before" \
  || reload_ok="a bad configuration was not rejected"
ct cp /root/enrichd.json.good /etc/enrichd/enrichd.json
is_active() { [ "$(prop ActiveState)" = active ]; }
wait_until 10 "active after reload" is_active || reload_ok="not active after reload"
if [ "$reload_ok" = yes ] && [ "$(prop MainPID)" = "$main_pid" ] && [ "$(prop NRestarts)" = 0 ]; then
  pass "systemctl reload: SIGHUP reloads; a bad configuration is rejected, the old one kept; the unit stays active (MainPID $main_pid)"
else
  fail "reload: $reload_ok, state $(prop ActiveState), MainPID $(prop MainPID) (was $main_pid)"
fi

# ------------------------------------------------------------ 10. watchdog: a stalled scheduler gets the daemon restarted
t=$(date +%s%N)
ct systemctl stop "$UNIT"
ct mkdir -p /etc/systemd/system/enrichd.service.d
ct sh -c 'cat > /etc/systemd/system/enrichd.service.d/test.conf' <<'EOF'
[Service]
Environment=ENRICHD_TEST_STALL_MARKER=/var/lib/enrichd/stall
WatchdogSec=3s
EOF
ct systemctl daemon-reload
ct install -o enrichd -g enrichd -m 0640 /dev/null /var/lib/enrichd/stall
ct systemctl start "$UNIT"
stalled_pid=$(prop MainPID)
grep -q ENRICHD_TEST_STALL_MARKER "$ROOT/usr/local/bin/enrichd" \
  || echo "note: this enrichd build has no ENRICHD_TEST_STALL_MARKER hook; the stall check will fail" >&2
stage_job alice "$STALL_JOB" '302,601p'
submit_job alice "$STALL_JOB"
restarted() { [ "$(prop NRestarts)" -ge 1 ]; }
watchdog_ok=yes
saw_result=no
deadline=$((SECONDS + 30))
until restarted; do
  [ "$(prop Result)" = watchdog ] && saw_result=yes
  [ $SECONDS -lt $deadline ] || { watchdog_ok="no restart within 30s"; break; }
  sleep 0.1
done
if [ "$watchdog_ok" = yes ]; then
  wait_until 120 "job $STALL_JOB to finish after the restart" job_finished "$STALL_JOB" || watchdog_ok="job did not finish"
  job_done "$STALL_JOB" || watchdog_ok="job $STALL_JOB did not end in done/"
fi
ct journalctl --sync
ct journalctl -u "$UNIT" -o json --no-pager > "$WORK/watchdog.json"
# systemd's "Failed with result 'watchdog'" record (UNIT_RESULT=watchdog) proves the kill whatever we polled.
jq -e -s 'any(.[]; ._PID == "1" and .UNIT_RESULT == "watchdog")' "$WORK/watchdog.json" >/dev/null \
  && saw_result=yes
[ "$saw_result" = yes ] || [ "$watchdog_ok" != yes ] || watchdog_ok="no Result=watchdog"
ct test ! -e /var/lib/enrichd/stall || watchdog_ok="the stall marker is still there"
if [ "$watchdog_ok" = yes ]; then
  new_pid=$(prop MainPID) n=$(prop NRestarts)
  sleep 4                      # longer than WatchdogSec=3s: an idle daemon keeps pinging
  if [ "$(prop ActiveState)" = active ] && [ "$(prop NRestarts)" = "$n" ] && [ "$(prop MainPID)" = "$new_pid" ]; then
    pass "watchdog: stalled scheduler -> Result=watchdog, restarted (NRestarts=$n, PID $stalled_pid -> $new_pid), $STALL_JOB ended in done/, idle daemon survives WatchdogSec=3s ($(since "$t")s)"
  else
    fail "after the watchdog restart the idle daemon did not survive WatchdogSec=3s ($(prop ActiveState), NRestarts $(prop NRestarts))"
  fi
else
  fail "watchdog: $watchdog_ok (NRestarts=$(prop NRestarts), Result=$(prop Result))"
fi
ct rm -f /etc/systemd/system/enrichd.service.d/test.conf
ct systemctl daemon-reload

# ------------------------------------------------------------ 11. stop
ct systemctl stop "$UNIT"
if [ "$(prop ActiveState)" = inactive ] && [ "$(prop Result)" = success ] && [ "$(prop ExecMainStatus)" = 0 ]; then
  pass "systemctl stop: inactive, Result=success, exit status 0"
else
  fail "stop: $(prop ActiveState), Result=$(prop Result), ExecMainStatus=$(prop ExecMainStatus)"
fi

# ------------------------------------------------------------ 11b. cancel: submitters cancel their own jobs only
# The daemon is stopped: alice queues two jobs, asks to cancel one, and bob asks to cancel the other. On start
# the daemon honours alice's request and refuses bob's (the other job runs to the end). The same for two runs
# of alice's saved enrichment that root submitted (as the daemon submits a scheduled refresh): they answer to
# the enrichment's owner.
stage_job alice cancel-mine '2,11p' && submit_job alice cancel-mine
stage_job alice cancel-theirs '2,11p' && submit_job alice cancel-theirs
as alice /usr/local/bin/enrichctl cancel cancel-mine >/dev/null 2>&1 || fail "alice could not ask to cancel her job"
as bob /usr/local/bin/enrichctl cancel cancel-theirs >/dev/null 2>&1 || fail "bob could not write a cancel request"
as alice /usr/local/bin/enrichctl enrichment create --name nightly /srv/enrichd-test/exports/weekly.json >/dev/null 2>&1 \
  || fail "alice could not create a second enrichment"
RUN_MINE=$(ct /usr/local/bin/enrichctl enrichment run nightly 2>/dev/null || true)
RUN_THEIRS=$(ct /usr/local/bin/enrichctl enrichment run nightly 2>/dev/null || true)
as alice /usr/local/bin/enrichctl cancel "$RUN_MINE" >/dev/null 2>&1 || fail "alice could not ask to cancel a run of her enrichment"
as bob /usr/local/bin/enrichctl cancel "$RUN_THEIRS" >/dev/null 2>&1 || fail "bob could not write a cancel request"
both_finished() { job_finished cancel-mine && job_finished cancel-theirs && job_finished "$RUN_MINE" && job_finished "$RUN_THEIRS"; }
ct systemctl start "$UNIT"
cancel_ok=yes
wait_until 60 "cancel-mine and cancel-theirs to finish" both_finished || cancel_ok="the jobs did not finish"
if [ "$cancel_ok" = yes ]; then
  mine=$(ct cat "$SPOOL/failed/cancel-mine/error.json" 2>/dev/null | jq -r .code 2>/dev/null || true)
  [ "$mine" = cancelled ] || mine=$(ct cat "$SPOOL/done/cancel-mine/result.json" 2>/dev/null | jq -r .state 2>/dev/null || true)
  theirs=$(ct cat "$SPOOL/done/cancel-theirs/result.json" 2>/dev/null | jq -r .state 2>/dev/null || true)
  [ "$mine" = cancelled ] || cancel_ok="alice's own cancel request was not honoured ($mine)"
  [[ "$theirs" == succeeded || "$theirs" == completedWithWarnings ]] || cancel_ok="bob cancelled alice's job ($theirs)"
  run_mine=$(ct cat "$SPOOL/failed/$RUN_MINE/error.json" 2>/dev/null | jq -r .code 2>/dev/null || true)
  [ "$run_mine" = cancelled ] || cancel_ok="alice's cancel of her enrichment's run $RUN_MINE (root submitted it) was not honoured"
  job_done "$RUN_THEIRS" || cancel_ok="bob cancelled a run of alice's enrichment"
  ct journalctl --sync
  ct journalctl -u "$UNIT" --no-pager -o cat JOB_ID=cancel-theirs | grep -q 'cancel request refused' \
    || cancel_ok="no 'cancel request refused' in the journal"
fi
if [ "$cancel_ok" = yes ]; then
  pass "enrichctl cancel: alice cancels her queued job and a queued run of her enrichment that root submitted; bob's requests are refused (journal), those complete"
else
  fail "cancel by submitters: $cancel_ok"
fi
ct systemctl stop "$UNIT"

# ------------------------------------------------------------ 12. a configuration error is not restarted
ct sh -c 'echo "{\"connections\": {\"default\": {\"baseURL\": \"ftp://nowhere\"}}}" > /etc/enrichd/enrichd.json'
ct systemctl start "$UNIT" 2>/dev/null && start_rc=0 || start_rc=$?
sleep 3                        # longer than RestartSec=2s: a restart would have begun
if [ "$start_rc" != 0 ] && [ "$(prop ActiveState)" = failed ] && [ "$(prop NRestarts)" = 0 ] \
   && [ "$(prop ExecMainStatus)" = 78 ] \
   && ct journalctl --no-pager -u "$UNIT" -o cat | grep -q 'ftp://nowhere'; then
  pass "a bad configuration: start fails (exit 78), the diagnostic is in the journal, no restart loop"
else
  fail "bad configuration: start rc $start_rc, $(prop ActiveState), NRestarts $(prop NRestarts), Result $(prop Result)"
fi
ct cp /root/enrichd.json.good /etc/enrichd/enrichd.json
ct systemctl reset-failed "$UNIT" || true

# ------------------------------------------------------------ 13. the token leaks nowhere
ct systemctl stop leadspace-sandbox.service || true
ct journalctl --sync
ct journalctl -o json --no-pager > "$WORK/all.json"
entries=$(grep -c . "$WORK/all.json" || true)
leaks=$(grep -c -F "$TOKEN" "$WORK/all.json" || true)
spool_leaks=$(ct grep -r -l -F "$TOKEN" $SPOOL /var/lib/enrichd 2>/dev/null || true)
if [ "$leaks" = 0 ] && [ -z "$spool_leaks" ] && [ "$entries" -gt 0 ]; then
  pass "the token appears nowhere in journalctl -o json ($entries entries), the spool or the state directory"
else
  fail "token found in $leaks journal entries and in: $spool_leaks"
fi
