#!/usr/bin/env bash
# HTTP API: places by coordinates. /v1/nearest, from=LON,LAT in route, matrix and compare
# (each answer equal to the CLI's --json), the snap limit and bad coordinates as 400 with
# the field, and "no route" between two connected pieces as 422 saying so.
. "$(dirname "$0")/lib.sh"

start_server --threads 2

# ---------------------------------------------------------------- /v1/nearest
req 200 GET "/v1/nearest?lon=49.5&lat=40.1"
same_as_cli nearest --lon 49.5 --lat 40.1
jqe '.node.id == "AZ-ALAT" and .metres > 18000 and .metres < 19000 and .lon == 49.5'
jqe '.node | has("name") and has("lon") and has("lat") and has("country")'
req 200 GET "/v1/nearest?lon=49.87&lat=40.41&modes=ferry&snap-limit=100"   # Baku has no ferry: Alat
same_as_cli nearest --lon 49.87 --lat 40.41 --modes ferry --snap-limit 100
jqe '.node.id == "AZ-ALAT" and .metres > 64000 and .metres < 65000'
req 400 GET "/v1/nearest?lon=49.87&lat=40.41&modes=ferry"; error_is 400 place
req 400 GET "/v1/nearest?lon=0&lat=0"; error_is 400 place
jqe '.error.message | test("beyond the snap limit of 50 km")'
req 200 GET "/v1/nearest?lon=0&lat=0&snap-limit=6000"
req 400 GET "/v1/nearest?lon=181&lat=0"; error_is 400 lon
req 400 GET "/v1/nearest?lat=0"; error_is 400 null
req 400 GET "/v1/nearest?lon=1&lat=2&q=x"; error_is 400 q
req 405 POST "/v1/nearest?lon=1&lat=2"

# ---------------------------------------------------------------- routes by coordinates
req 200 GET "/v1/route?from=108.9,34.3&to=6.76,51.43&optimize=time"
same_as_cli route --from 108.9,34.3 --to 6.76,51.43 --optimize time
jqe '[.snapped[].node] == ["CN-XIAN", "DE-DUISBURG"] and .snapped[0].metres == 5768.6'
req 200 GET "/v1/route?from=108.9,34.3&to=DE-DUISBURG&via=49.41,40.06&optimize=distance"
same_as_cli route --from 108.9,34.3 --to DE-DUISBURG --via 49.41,40.06 --optimize distance
jqe '.optimize == "distance" and .routes[0].totals.cost == .routes[0].totals.km'
jqe '[.snapped[].place] == ["from", "via"]'
post 200 /v1/route '{"from": "108.9,34.3", "to": "DE-DUISBURG", "optimize": "time"}'
jqe '.snapped[0].node == "CN-XIAN"'
req 200 GET "/v1/matrix?from=108.9,34.3;CN-URUMQI&to=DE-DUISBURG"
same_as_cli matrix --from '108.9,34.3;CN-URUMQI' --to DE-DUISBURG
jqe '.from == ["CN-XIAN", "CN-URUMQI"] and (.snapped | length == 1)'
req 200 GET "/v1/compare?from=108.9,34.3&to=DE-DUISBURG"
same_as_cli compare --from 108.9,34.3 --to DE-DUISBURG
jqe '.snapped[0].node == "CN-XIAN"'

req 200 GET "/v1/flow?from=108.9,34.3&to=DE-DUISBURG"
same_as_cli flow --from 108.9,34.3 --to DE-DUISBURG
jqe '.snapped[0].node == "CN-XIAN" and .value > 0'
req 200 GET "/v1/stress?from=108.9,34.3&to=DE-DUISBURG&top=3"
same_as_cli stress --from 108.9,34.3 --to DE-DUISBURG --top 3
jqe '.snapped[0].node == "CN-XIAN"'

# ---------------------------------------------------------------- refusals with their place
req 400 GET "/v1/route?from=0.0,0.0&to=DE-DUISBURG"; error_is 400 from
jqe '.error.message | test("from 0.000000,0.000000 is [0-9.]+ km from the nearest usable node")'
req 400 GET "/v1/route?from=CN-XIAN&to=200.0,0.0"; error_is 400 to
req 404 GET "/v1/route?from=1,2&to=DE-DUISBURG"; error_is 404 from
jqe '.error.message | test("no node has the id .1.")'
req 400 GET "/v1/route?from=0.0,0.0&to=DE-DUISBURG&snap-limit=x"; error_is 400 snap-limit

# ---------------------------------------------------------------- no route between pieces
req 422 GET "/v1/route?from=AZ-ALAT&to=BG-BURGAS&modes=ferry"; error_is 422 null
jqe '.error.message | test("different connected pieces")'
jqe '.error.message | test("the piece of .AZ-ALAT. has 4 nodes, that of .BG-BURGAS. 2")'
req 422 GET "/v1/route?from=49.5,40.1&to=27.5,42.5&modes=ferry&snap-limit=60"
jqe '.error.message | test("different connected pieces")'

# ---------------------------------------------------------------- many at once, one index
# 24 requests in parallel on a profile no request has used: the graph's index is built on
# first use by whichever gets there, kept once, and every answer is the same
PIDS=()
for i in $(seq 1 24); do
  curl -s -o "$TMP/par.$i" -w '%{http_code}\n' "$BASE/v1/route?from=108.9,34.3&to=6.76,51.43&modes=rail,road&optimize=distance" >>"$TMP/par.codes" &
  PIDS+=($!)
done
wait "${PIDS[@]}"   # not the server's
check "24 parallel routes by coordinates answered 200" test "$(grep -c '^200$' "$TMP/par.codes")" = 24
check "the 24 answers are identical" test "$(cat "$TMP"/par.* | grep -v '^200$' | sort -u | wc -l)" -le 2
req 200 GET "/v1/route?from=108.9,34.3&to=6.76,51.43&modes=rail,road&optimize=distance"
check "the same as a single request" cmp -s "$TMP/par.1" "$TMP/body"

alive
stop_server
finish
