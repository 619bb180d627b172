#!/usr/bin/env bash
# API end-to-end, under abuse (loopback only; every client bounded in count and time):
# hundreds of slow clients holding connections, one address over --per-client, a flood of
# expensive analyses (restore, stress, assign on the embedded model), a full queue (503
# with Retry-After), SIGTERM under load. Throughout, /v1/health and a cheap lookup answer
# at once (a liveness bound of 2 s: they take milliseconds), analyses are answered or
# refused within their deadline counted from arrival, and the server's memory stays bounded.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
ABUSE="python3 $(dirname "$0")/abuse.py"
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$SRV_PID/status"; } # kB
# under AddressSanitizer, freed memory waits in a quarantine (256 MB by default) that would
# pass for growth: keep it small (no effect on other builds)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16"

# ---------------------------------------------------------------- slow clients
start_server --per-client 20
RSS0=$(rss)
# 300 connections from 20 addresses, each sending its headers a byte at a time
OUT=$($ABUSE slow "$PORT" 300 5 20)
jqe '.held == 300'; jqe '.asked > 0 and .failed == 0'; jqe '.worst_s < 2'
# one address over --per-client: its connections past 20 are refused, health still answers
OUT=$($ABUSE slow "$PORT" 30 1 1)
jqe '.held == 20 and .refused == 10'; jqe '.failed == 0'; jqe '.worst_s < 2'
alive
stop_server

# ---------------------------------------------------------------- a flood of analyses
start_server --threads 2 --queue 8 --deadline-ms 3000
RSS0=$(rss)
# restoring 16 closed links takes seconds (its exact search gives way to the heuristic)
req 200 GET "/v1/network?layer=transport"
CLOSED=$(printf '%s' "$OUT" | jq -r '[.features[].properties.id | select(startswith("rail-"))] | .[0:16] | map(. + ",5") | join(";")')
RESTORE="/v1/restore?closed=$CLOSED&crews=2"
OUT=$($ABUSE flood "$PORT" 24 6 "$RESTORE" "/v1/stress?from=CN&to=EU&k=2&candidates=4" \
  "/v1/assign?demand=CN-XIAN,DE-DUISBURG,50000;CN-URUMQI,TR-ISTANBUL,20000")
echo "flood: $OUT"
jqe '.health.asked > 10 and .health.failed == 0 and .health.worst_s < 2'
jqe '.cheap.worst_s < 2 and (.cheap.codes | keys - ["200", "503"] | length == 0)'
# each analysis answered (200) or refused (503: queue full, deadline) — never dropped, and
# never later than its deadline of 3 s from arrival plus the time to notice it
jqe '.flood | keys - ["200", "503", "worst_s"] | length == 0'
jqe '.flood["503"] > 0'
jqe '.flood.worst_s < 6'
RSS1=$(rss)
check "memory stays bounded under abuse: VmRSS ${RSS0} kB -> ${RSS1} kB" test $((RSS1 - RSS0)) -lt 150000
alive
stop_server

# ---------------------------------------------------------------- a full queue: 503 with Retry-After
# one worker, one place: of three analyses sent at once (each takes seconds) one runs, at
# most one waits, the others are refused at once; a cheap lookup meanwhile does not queue
start_server --threads 1 --queue 1 --deadline-ms 60000
req 200 GET "/v1/network?layer=transport"
# and 20 closed links take longer still, for the SIGTERM below
LONG="/v1/restore?closed=$(printf '%s' "$OUT" | jq -r '[.features[].properties.id | select(startswith("rail-"))] | .[0:20] | map(. + ",5") | join(";")')&crews=2"
BUSY=()
for i in 1 2 3; do curl -s -o "$TMP/q$i.out" -D "$TMP/q$i.head" "$BASE$RESTORE" & BUSY+=($!); done
for _ in $(seq 1 200); do
  [ "$(curl -s "$BASE/v1/health" | jq '.queue.running')" = 1 ] && break
  sleep 0.02
done
req 200 GET "/v1/nodes?q=bak"; jqe '.matches > 0'
alive
wait "${BUSY[@]}"
REFUSED=$(grep -l -- '--queue' "$TMP"/q?.out | wc -l)
check "a full queue refuses at once: $REFUSED of 3 got 503 busy (--queue)" test "$REFUSED" -ge 1
check "the one that ran was answered" sh -c "grep -l '\"optimize\"' '$TMP'/q?.out | grep -q ."
for f in "$TMP"/q?.out; do
  grep -q -- '--queue' "$f" || continue
  OUT=$(cat "$f"); error_is 503 null
  check "a refusal says when to come back" grep -q -i '^Retry-After: 1' "${f%.out}.head"
done
stop_server

# ---------------------------------------------------------------- SIGTERM under load
start_server --threads 1 --queue 8 --deadline-ms 60000
BUSY=()
for i in 1 2 3 4; do curl -s -o "$TMP/t$i.out" "$BASE$LONG" & BUSY+=($!); done
for _ in $(seq 1 200); do
  [ "$(curl -s "$BASE/v1/health" | jq -c '[.queue.running, .queue.waiting]')" = "[1,3]" ] && break
  sleep 0.02
done
$ABUSE load "$PORT" 12 "$LONG" "$RESTORE" "/v1/health" & LOAD=$!
sleep 0.5
T0=$(date +%s%N)
kill -TERM "$SRV_PID"
wait "$SRV_PID"; RC=$?
MS=$(( ($(date +%s%N) - T0) / 1000000 ))
kill "$LOAD" 2>/dev/null; wait "$LOAD" 2>/dev/null
wait "${BUSY[@]}"
check "SIGTERM under load: exit 0 (got $RC)" test "$RC" = 0
check "SIGTERM under load: gone within the drain bound of 2 s (+1 s to tear down; took $MS ms)" test "$MS" -lt 3000
for i in 1 2 3 4; do
  OUT=$(cat "$TMP/t$i.out")
  jqe '.error.code == 503'; has "stopping"
done
check "no sanitizer report in the server's log" \
  sh -c "! grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error' '$SRV_LOG'"

finish
