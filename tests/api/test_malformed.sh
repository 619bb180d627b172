#!/usr/bin/env bash
# API end-to-end: malformed requests get their 4xx promptly, as JSON errors — a query value
# or name that is not UTF-8 (400 naming the parameter), more parameters than the limit of
# 64 (400, where hundreds used to get no answer at all), oversized headers (431), bodies
# over --max-body, chunked ones included (413 at once, without reading the rest); the
# server answers /v1/health after each.
. "$(dirname "$0")/lib.sh"
ABUSE="python3 $(dirname "$0")/abuse.py"
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }

start_server --max-body 4096
R='from=CN-XIAN&to=DE-DUISBURG'

# ---------------------------------------------------------------- not UTF-8
req 400 GET "/v1/route?from=%ff&to=DE-DUISBURG"; error_is 400 from; has "not UTF-8"; alive
req 400 GET "/v1/route?$R&via=AZ-%c3"; error_is 400 via; alive
req 400 GET "/v1/nodes?q=%e2%82"; error_is 400 q; alive
req 400 GET "/v1/route?$R&%fe%ff=1"; error_is 400 null; has "name is not UTF-8"; alive
req 400 GET "/v1/health?x=%80"; error_is 400 x; alive
req 404 GET "/v1/route?from=%c3%a9&to=DE-DUISBURG"; error_is 404 from   # UTF-8: a node not found
req 404 GET "/v1/%ff%fe"; error_is 404 null; has "no endpoint"; alive
check "no 'out of memory' for bytes that are not UTF-8" sh -c "! grep -q 'out of memory' '$TMP/body'"
printf '{"from": "\377", "to": "DE-DUISBURG"}' >"$TMP/latin.json"
req 400 POST /v1/route --data-binary @"$TMP/latin.json"; error_is 400 body; alive

# ---------------------------------------------------------------- too many parameters
q() { python3 -c "import sys; f = sys.argv[1]; print('&'.join(f % i if '%' in f else f for i in range(int(sys.argv[2]))))" "$1" "$2"; }
req 400 GET "/v1/health?$(q 'a%d=1' 64)"; error_is 400 a0; has "unknown parameter"  # 64: not the limit
req 400 GET "/v1/health?$(q 'a%d=1' 65)"; error_is 400 null; has "65 parameters; the limit is 64"
req 400 GET "/v1/route?$(q 'a%d=1' 480)"; error_is 400 null; has "480 parameters"; alive
req 400 GET "/v1/route?$(q 'a' 5000)"; error_is 400 null; has "5000 parameters"; alive
req 400 GET "/v1/nodes?$(q 'q=%d' 3000)"; error_is 400 null; alive
python3 -c "import json; print(json.dumps({'k%d' % i: 1 for i in range(65)}))" >"$TMP/many.json"
req 400 POST /v1/route --data-binary @"$TMP/many.json"; error_is 400 body; has "65 parameters"; alive

# ---------------------------------------------------------------- oversized headers: 431
req 431 GET /v1/health -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"; alive
OUT=$($ABUSE headers "$PORT" 3000); jqe '.status == 431'; alive
OUT=$($ABUSE headers "$PORT" 20); jqe '.status == 200'

# ---------------------------------------------------------------- bodies over --max-body: 413 at once
head -c 10000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
req 413 POST /v1/route --data-binary @"$TMP/big.json"; error_is 413 null; alive
req 413 POST /v1/route -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.json"; error_is 413 null
has "4096 bytes (--max-body)"; alive
# a chunked body that never ends: its 413 comes while it is being sent, and no more is read
# than the limit and the drop of SRV_LINGER_BYTES (8 MiB) after it
OUT=$($ABUSE chunked "$PORT" /v1/route 5); jqe '.status == 413'; jqe '.sent < 16 * 1048576'
alive
# an endless one from curl: it reads the 413 and stops
head -c 200000000 /dev/zero | curl -s -o "$TMP/body" -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
  --data-binary @- "$BASE/v1/route" >"$TMP/code"
check "a 200 MB chunked upload from curl: 413 (got $(cat "$TMP/code"))" test "$(cat "$TMP/code")" = 413
OUT=$(cat "$TMP/body"); error_is 413 null; alive
stop_server

finish
