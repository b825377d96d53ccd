#!/usr/bin/env bash
# make demo: the main job end to end on the built-in sandbox, on a throw-away spool.
#   sandbox (loopback, free port) -> sample data (2,000 accounts) -> enrichd -> enrichctl submit -> wait -> report
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build
BIN=$(swift build --show-bin-path)
WORK=$(mktemp -d /tmp/enrichd-demo.XXXXXX)
SANDBOX_PID= DAEMON_PID=
cleanup() {
  [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  true
}
trap cleanup EXIT

TOKEN="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
RATE=${RATE:-50}
mkfifo "$WORK/sandbox.out"
"$BIN/leadspace-sandbox" serve --port 0 --seed 42 --token "$TOKEN" --rate "$RATE" \
    --latency-ms 40 --latency-jitter-ms 20 >"$WORK/sandbox.out" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
exec 3<"$WORK/sandbox.out"
read -r line <&3
URL=${line#listening on }
echo "sandbox:  $URL (rate limit ${RATE}/s)"

"$BIN/leadspace-sandbox" sample --seed 42 --accounts 2000 --contacts 3000 --out "$WORK/job"
cat >"$WORK/job/job.json" <<JSON
{
  "name": "Demo accounts",
  "outputTable": "LeadspaceAccounts",
  "connection": "default",
  "customers": { "file": "accounts.csv", "idColumn": "CustomerId" },
  "identifyBy": ["primary"],
  "mapping": {
    "primary": { "companyName": "Name", "website": "Website",
                 "location": { "country": "Country", "state": "State", "city": "City" } }
  }
}
JSON
umask 077
printf '%s\n' "$TOKEN" >"$WORK/leadspace.token"
umask 022
cat >"$WORK/enrichd.json" <<JSON
{
  "spool": "$WORK/spool",
  "maxActiveJobs": 4,
  "connections": {
    "default": { "baseURL": "$URL", "dataSharingConsent": true, "tokenFile": "$WORK/leadspace.token",
                 "ratePerSecond": $RATE, "maxInFlight": 16, "apiMode": "single" }
  }
}
JSON
ALLOW_ROOT=()
[ "$(id -u)" -eq 0 ] && ALLOW_ROOT=(--allow-root)   # a demo on a throw-away spool; services run as enrichd
"$BIN/enrichd" --config "$WORK/enrichd.json" "${ALLOW_ROOT[@]}" 2>"$WORK/enrichd.log" &
DAEMON_PID=$!
# The daemon creates the spool when it starts; submit only into a spool that is there (up to 10 s).
for _ in $(seq 100); do
  [ -d "$WORK/spool/incoming" ] && [ -d "$WORK/spool/tmp" ] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || { echo "enrichd did not start:" >&2; cat "$WORK/enrichd.log" >&2; exit 1; }
  sleep 0.1
done

ID=$("$BIN/enrichctl" submit --config "$WORK/enrichd.json" "$WORK/job/job.json")
echo "job:      $ID submitted to $WORK/spool, waiting for it..."
"$BIN/enrichctl" wait --config "$WORK/enrichd.json" "$ID" >/dev/null || { cat "$WORK/enrichd.log"; exit 1; }
echo
"$BIN/enrichctl" report --config "$WORK/enrichd.json" "$ID"
echo
echo "daemon log: $WORK/enrichd.log"
