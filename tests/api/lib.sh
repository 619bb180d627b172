# lib.sh — helpers for the HTTP API tests. Source it; $1 of the test is the binary.
# Builds on the CLI tests' helpers (run, has, check, jqe, finish) and adds a server started
# on a free loopback port, requests with curl, and a comparison with the CLI's --json.
. "$(dirname "$0")/../cli/lib.sh"

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skip: $tool is not installed (scripts/deps.sh)"; exit 77; }
done

SERVERS=()
stop_servers() {
  local pid
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null; done
}
trap 'stop_servers; rm -rf "$TMP"' EXIT

# start_server [serve options...]: starts `corridor serve --port 0`, waits for its
# "listening" line; sets SRV_PID, PORT, BASE and SRV_LOG.
start_server() {
  SRV_LOG=$TMP/server.$((${#SERVERS[@]} + 1)).log
  "$COR" serve --port 0 "$@" 2>"$SRV_LOG" &
  SRV_PID=$!
  SERVERS+=("$SRV_PID")
  PORT=
  for _ in $(seq 1 600); do
    PORT=$(sed -n 's|^corridor: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$SRV_LOG")
    [ -n "$PORT" ] && break
    if ! kill -0 "$SRV_PID" 2>/dev/null; then
      echo "FAIL: the server did not start: $(cat "$SRV_LOG")"
      exit 1
    fi
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "FAIL: no 'listening' line after 30 s: $(cat "$SRV_LOG")"; exit 1; }
  BASE=http://127.0.0.1:$PORT
}

# stop_server: SIGTERM, then the server must exit 0 with no sanitizer report.
stop_server() {
  kill -TERM "$SRV_PID"
  wait "$SRV_PID"
  local rc=$?
  check "server stops cleanly on SIGTERM (exit $rc)" test "$rc" = 0
  check "no sanitizer report in the server's log" \
    sh -c "! grep -q -E 'AddressSanitizer|LeakSanitizer|runtime error' '$SRV_LOG'"
  grep -E -A20 'AddressSanitizer|LeakSanitizer|runtime error' "$SRV_LOG" | head -40
}

# req STATUS METHOD PATH [curl options...]: one request; the body in $OUT, the status in
# $CODE, headers in $TMP/headers.
req() {
  local want=$1 method=$2 path=$3; shift 3
  CHECKS=$((CHECKS + 1))
  if [ "$method" = HEAD ]; then set -- -I "$@"; else set -- -X "$method" "$@"; fi
  CODE=$(curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" "$BASE$path")
  OUT=$(cat "$TMP/body")
  if [ "$CODE" != "$want" ]; then
    echo "FAIL: $method ${path:0:300} answered $CODE, expected $want"
    echo "  body: $(head -c 600 "$TMP/body")"
    FAILS=$((FAILS + 1))
    return 1
  fi
  return 0
}

# post STATUS PATH JSON: a POST with a JSON body.
post() {
  local want=$1 path=$2 body=$3
  printf '%s' "$body" >"$TMP/post.json"
  req "$want" POST "$path" -H 'Content-Type: application/json' --data-binary @"$TMP/post.json"
}

# header NAME VALUE: the last response had this header (value prefix, case-insensitive name).
header() {
  CHECKS=$((CHECKS + 1))
  if ! grep -i -q "^$1: $2" "$TMP/headers"; then
    echo "FAIL: expected header '$1: $2' in: $(tr -d '\r' <"$TMP/headers" | tr '\n' '|')"
    FAILS=$((FAILS + 1))
  fi
}

# error_is CODE FIELD: the body is {"error": {"code": CODE, "message": ..., "field": FIELD}}
# (FIELD "null" for none).
error_is() {
  jqe ".error.code == $1 and (.error.message | type == \"string\" and length > 0)"
  if [ "$2" = null ]; then jqe '.error.field == null'; else jqe ".error.field == \"$2\""; fi
}

# alive: the server still answers /v1/health.
alive() {
  req 200 GET /v1/health && jqe '.status == "ok"'
}

# same_as_cli: $OUT (the last answer) equals `corridor ARGS... --json`, key order aside.
same_as_cli() {
  CHECKS=$((CHECKS + 1))
  "$COR" "$@" --json >"$TMP/cli.json" 2>"$TMP/cli.err"
  if ! diff <(printf '%s' "$OUT" | jq -S .) <(jq -S . "$TMP/cli.json") >"$TMP/diff"; then
    echo "FAIL: the API's answer differs from 'corridor $* --json':"
    head -20 "$TMP/diff"
    FAILS=$((FAILS + 1))
  fi
}

# quiet CMD...: runs a command with its standard output dropped (for `check`).
quiet() { "$@" >/dev/null; }
