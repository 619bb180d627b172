#!/usr/bin/env bash
# wrk_route.sh — load on /v1/route of `corridor serve` with the embedded model: requests per
# second, latency percentiles, non-2xx answers and socket errors (target: 0), and the
# server's peak memory (VmHWM). Installs nothing.
#
#   bench/wrk_route.sh [path/to/corridor] [seconds]     (defaults: build/corridor, 30)
#
# Environment: THREADS (server worker threads, default: cores), WRK_THREADS (2),
# WRK_CONNECTIONS (32).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
COR=${1:-$SRC/build/corridor}
SECONDS_RUN=${2:-30}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
THREADS=${THREADS:-$(nproc)}
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk_route.sh: wrk is not installed: apt-get install wrk" >&2
  exit 77
fi
[ -x "$COR" ] || { echo "wrk_route.sh: no corridor binary at $COR (build it first)" >&2; exit 2; }

TMP=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
"$COR" serve --port 0 --threads "$THREADS" --web "$TMP/no-page" 2>"$TMP/server.log" &
PID=$!
PORT=
for _ in $(seq 1 200); do
  PORT=$(sed -n 's|^corridor: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$TMP/server.log")
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "$PORT" ] || { echo "wrk_route.sh: the server did not start: $(cat "$TMP/server.log")" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/v1/route?from=CN-XIAN&to=DE-DUISBURG&optimize=time"

# the answer must be a route (not an error answered quickly)
curl -sf "$URL" | jq -e '.routes[0].totals.hours > 0' >/dev/null
RSS_IDLE=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)

echo "corridor serve --threads $THREADS; wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${SECONDS_RUN}s --latency"
echo "URL: $URL"
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${SECONDS_RUN}s" --latency "$URL" | tee "$TMP/wrk.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

NON2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$TMP/wrk.txt")
ERRORS=$(sed -n 's/^ *Socket errors: *\(.*\)/\1/p' "$TMP/wrk.txt")
HWM=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
echo "non-2xx answers: ${NON2XX:-0}"
echo "socket errors: ${ERRORS:-none}"
echo "server memory: ${RSS_IDLE} kB resident before the load, peak (VmHWM) ${HWM} kB"
curl -s "http://127.0.0.1:$PORT/v1/health" | jq -c '{in_flight, graphs}'
kill -TERM "$PID"
wait "$PID" || true
PID=
[ "${NON2XX:-0}" = 0 ] && [ -z "${ERRORS:-}" ]
