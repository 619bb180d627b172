#!/usr/bin/env bash
# API end-to-end: the server's limits and guards — requests in flight (503 busy), the
# deadline (503), many concurrent requests, the bearer token (401), the page not built,
# bad `corridor serve` options; the server answers /v1/health after each.
. "$(dirname "$0")/lib.sh"
R='from=CN-XIAN&to=DE-DUISBURG'

# ---------------------------------------------------------------- bad options: exit 2
run 0 serve --help; has "Example:"; has "--max-connections"
for w in /v1/route /v1/matrix /v1/compare /v1/flow /v1/assign /v1/energy /v1/stress /v1/restore /v1/nearest /v1/health /v1/info /v1/network /v1/nodes /v1/scenarios --threads --queue --max-clients --per-client --idle-timeout "within 2 s"; do has "$w"; done
run 2 serve --queue 0; has "--queue needs a whole number" ERR
run 2 serve --per-client x; has "--per-client" ERR
run 2 serve --max-clients 0; has "--max-clients" ERR
run 2 serve --idle-timeout 0; has "--idle-timeout" ERR
run 2 serve --port 70000; has "--port needs a whole number from 0 to 65535" ERR
run 2 serve --threads 0; has "--threads" ERR
run 2 serve --bind localhost; has "--bind needs an IP address" ERR
run 2 serve --token-file "$TMP/absent"; has "cannot read the token" ERR
: >"$TMP/empty-token"
run 2 serve --token-file "$TMP/empty-token"; has "the token file is empty" ERR
run 2 serve --network "$TMP/absent.geojson"; has "absent.geojson" ERR
run 2 serve --scenarios "$TMP/absent-dir"; has "absent-dir" ERR
mkdir -p "$TMP/badsc" && printf '{"name": "x", "changes": [{"op": "close", "links": ["NOPE"]}]}' >"$TMP/badsc/bad.json"
run 2 serve --scenarios "$TMP/badsc"; has "NOPE" ERR; has "bad.json" ERR
run 2 serve --bogus; has "unknown or incomplete option '--bogus'" ERR

# ---------------------------------------------------------------- 503 busy: more in flight than --max-connections
start_server --max-connections 1 --web "$TMP/no-page"
# a slow upload holds the only place for about two seconds (its body trickles in)
{ printf '{"from": "CN-XIAN", "to": "DE-DUISBURG", "optimize": "time"'; head -c 6000 /dev/zero | tr '\0' ' '; printf '}'; } >"$TMP/slow.json"
curl -s -o "$TMP/slow.out" -w '%{http_code}' --limit-rate 3000 -H 'Content-Type: application/json' \
  --data-binary @"$TMP/slow.json" "$BASE/v1/route" >"$TMP/slow.code" &
SLOW=$!
for _ in $(seq 1 100); do
  [ "$(curl -s "$BASE/v1/health" | jq .in_flight)" = 1 ] && break
  sleep 0.02
done
req 503 GET "/v1/route?$R"; error_is 503 null; has "busy"; has "--max-connections"; header Retry-After 1
req 503 GET "/v1/nodes?q=bak"; error_is 503 null
alive   # health is never refused
wait "$SLOW"
check "the slow request was answered (got $(cat "$TMP/slow.code"))" test "$(cat "$TMP/slow.code")" = 200
check "the slow request's answer is the route" quiet jq -e '.routes[0].totals.hours > 0' "$TMP/slow.out"
# once it is done, the place is free again
req 200 GET "/v1/route?$R"; jqe '.routes | length == 1'
req 200 GET /v1/health; jqe '.in_flight == 0'
# many at once with one place: each is answered 200 or refused 503, nothing else
seq 1 40 | xargs -P 40 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  "$BASE/v1/matrix?from=CN-XIAN,CN-URUMQI,KZ-DOSTYK,KZ-AKTAU&to=DE-DUISBURG,TR-ISTANBUL,PL-MALASZEWICZE&optimize=time" >"$TMP/codes"
check "only 200 and 503 under load: $(sort "$TMP/codes" | uniq -c | tr '\n' ' ')" \
  sh -c "! grep -v -x -E '200|503' '$TMP/codes'"
check "some were answered" grep -q -x 200 "$TMP/codes"
alive
# ---------------------------------------------------------------- the page is not built
req 404 GET /; error_is 404 null; has "not built"
req 404 GET /app.js; error_is 404 null
alive
stop_server
check "the server said the page is missing" grep -q "the page at / is not built" "$SRV_LOG"

# ---------------------------------------------------------------- the deadline
start_server --deadline-ms 300
# the request's clock starts with its headers: a body that takes a second to arrive is over
curl -s -o "$TMP/late.out" -w '%{http_code}' --limit-rate 3000 -H 'Content-Type: application/json' \
  --data-binary @"$TMP/slow.json" "$BASE/v1/route" >"$TMP/late.code"
check "over the deadline: 503 (got $(cat "$TMP/late.code"))" test "$(cat "$TMP/late.code")" = 503
check "the deadline is named" grep -q "deadline" "$TMP/late.out"
alive
req 200 GET "/v1/route?$R"   # a quick one is well within it
stop_server

# ---------------------------------------------------------------- concurrency: 50 in parallel
start_server --threads 4
for pair in CN-XIAN,DE-DUISBURG CN-URUMQI,TR-ISTANBUL KZ-DOSTYK,PL-MALASZEWICZE CN-XIAN,AZ-ALAT KZ-AKTAU,GE-POTI; do
  a=${pair%,*} b=${pair#*,}
  "$COR" route --from "$a" --to "$b" --optimize time --json | jq -S -c . >"$TMP/want-$a-$b"
done
printf '%s\n' CN-XIAN,DE-DUISBURG CN-URUMQI,TR-ISTANBUL KZ-DOSTYK,PL-MALASZEWICZE CN-XIAN,AZ-ALAT KZ-AKTAU,GE-POTI >"$TMP/pairs"
for _ in $(seq 1 10); do cat "$TMP/pairs"; done >"$TMP/pairs50"
mkdir -p "$TMP/par"
nl -ba -w1 -s, "$TMP/pairs50" | xargs -P 50 -I{} sh -c '
  line={}; n=${line%%,*}; rest=${line#*,}; a=${rest%,*}; b=${rest#*,}
  code=$(curl -s -o "$0/par/$n.json" -w "%{http_code}" "$1/v1/route?from=$a&to=$b&optimize=time")
  echo "$n $a $b $code" >"$0/par/$n.meta"' "$TMP" "$BASE"
BAD=0
for meta in "$TMP"/par/*.meta; do
  read -r n a b code <"$meta"
  if [ "$code" != 200 ] || [ "$(jq -S -c . "$TMP/par/$n.json")" != "$(cat "$TMP/want-$a-$b")" ]; then BAD=$((BAD + 1)); fi
done
check "50 parallel routes: all 200 and each equal to the CLI's answer ($BAD differ)" test "$BAD" = 0
check "50 answers" test "$(ls "$TMP"/par/*.meta | wc -l)" = 50
# mixed endpoints at once, GET and POST
seq 1 30 | xargs -P 30 -I{} sh -c '
  case $(({} % 3)) in
  0) curl -s -o /dev/null -w "%{http_code}\n" "$1/v1/compare?from=CN-XIAN&to=DE-DUISBURG&scenario=tripp" ;;
  1) curl -s -o /dev/null -w "%{http_code}\n" -X POST --data-binary "{\"from\": [\"CN-XIAN\"], \"to\": [\"DE-DUISBURG\", \"TR-ISTANBUL\"]}" "$1/v1/matrix" ;;
  2) curl -s -o /dev/null -w "%{http_code}\n" "$1/v1/network?layer=gas" ;;
  esac' _ "$BASE" >"$TMP/mixed"
check "30 mixed requests all 200: $(sort "$TMP/mixed" | uniq -c | tr '\n' ' ')" \
  sh -c "test \$(grep -c -x 200 '$TMP/mixed') = 30"
req 200 GET /v1/health; jqe '.in_flight == 0'
stop_server

# ---------------------------------------------------------------- the bearer token
printf '  s3cret-token\n' >"$TMP/token"
mkdir -p "$TMP/web" && printf '<!doctype html>\n' >"$TMP/web/index.html"
start_server --token-file "$TMP/token" --web "$TMP/web"
alive                                   # health needs no token
req 200 GET /                           # nor does the page
req 401 GET "/v1/route?$R"; error_is 401 null; header WWW-Authenticate Bearer
req 401 GET "/v1/route?$R" -H 'Authorization: Bearer wrong'; error_is 401 null
req 401 GET "/v1/route?$R" -H 'Authorization: Bearer s3cret-toke'; error_is 401 null
req 401 GET "/v1/route?$R" -H 'Authorization: Bearer s3cret-token2'; error_is 401 null
req 401 GET "/v1/route?$R" -H 'Authorization: s3cret-token'; error_is 401 null
req 401 GET "/v1/route?$R" -H 'Authorization: Basic czNjcmV0LXRva2Vu'; error_is 401 null
req 401 GET /v1/network; req 401 GET /v1/nodes?q=a; req 401 GET /v1/scenarios
req 401 POST /v1/route --data-binary '{"from": "CN-XIAN"}'
req 200 GET "/v1/route?$R" -H 'Authorization: Bearer s3cret-token'; jqe '.routes | length == 1'
req 200 GET /v1/scenarios -H 'Authorization: Bearer s3cret-token'
alive
stop_server

finish
