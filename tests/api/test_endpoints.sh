#!/usr/bin/env bash
# API end-to-end: every endpoint on the embedded model, each analysis equal to the CLI's
# --json for the same options (GET and POST), scenarios by name and inline, the network as
# GeoJSON, the node search, the page's static files.
. "$(dirname "$0")/lib.sh"
MODEL=$SRC/data/corridor.geojson
TRIPP=$SRC/data/scenarios/tripp.json

# a web folder of our own, to check static files and content types
mkdir -p "$TMP/web/assets"
printf '<!doctype html><title>corridor</title>\n' >"$TMP/web/index.html"
printf 'console.log(1);\n' >"$TMP/web/assets/app.js"
printf 'body{}\n' >"$TMP/web/assets/app.css"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$TMP/web/icon.svg"
printf '\x89PNG\r\n' >"$TMP/web/logo.png"
printf 'wOF2' >"$TMP/web/assets/font.woff2"
printf '{"a":1}\n' >"$TMP/web/data.json"

start_server --web "$TMP/web" --threads 2

# ---------------------------------------------------------------- health
req 200 GET /v1/health
jqe '.status == "ok" and .network.nodes == 100 and .network.links == 137 and .network.corridors == 4'
header Content-Type application/json

# ---------------------------------------------------------------- route: the CLI's --json
R='from=CN-XIAN&to=DE-DUISBURG'
req 200 GET "/v1/route?$R&optimize=time"; same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time
jqe '.routes | length == 1'; jqe '.routes[0].totals.days > 5'
req 200 GET "/v1/route?$R&optimize=time&alternatives=3"
same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time --alternatives 3
jqe '.routes | length == 3'
req 200 GET "/v1/route?$R&optimize=cost&avoid-country=RU,BY,IR&modes=rail,ferry"
same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize cost --avoid-country RU,BY,IR --modes rail,ferry
jqe '[.routes[0].legs[] | select(.mode == "ferry")] | length >= 1'
req 200 GET "/v1/route?$R&via=AZ-ALAT&optimize=co2"
same_as_cli route --from CN-XIAN --to DE-DUISBURG --via AZ-ALAT --optimize co2
jqe '[.routes[0].legs[].to] | index("AZ-ALAT") != null'
req 200 GET "/v1/route?$R&optimize=generalised&value-of-time=12.5&carbon-price=90&include-planned=true"
same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize generalised --value-of-time 12.5 --carbon-price 90 --include-planned
# the same options in a POST body: numbers, booleans and lists as JSON
post 200 /v1/route '{"from": "CN-XIAN", "to": "DE-DUISBURG", "optimize": "time", "alternatives": 2, "avoid-country": ["RU", "BY"], "include-planned": false}'
same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time --alternatives 2 --avoid-country RU,BY
# 'optimise' is accepted as the CLI accepts it
req 200 GET "/v1/route?$R&optimise=time"; same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time
# a second identical request is served from the graph cache: same answer, a cache hit
req 200 GET "/v1/route?$R&optimize=time"; same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time
req 200 GET /v1/health; jqe '.graphs.hits >= 2 and .graphs.cached >= 3'

# ---------------------------------------------------------------- scenarios
req 200 GET /v1/scenarios
jqe '.scenarios | map(.id) | index("tripp") != null'
jqe "(.scenarios[] | select(.id == \"tripp\") | .name) == $(jq '.name' "$TRIPP")"
jqe "(.scenarios[] | select(.id == \"tripp\") | .description) == $(jq '.description' "$TRIPP")"
# by name
req 200 GET "/v1/compare?$R&scenario=tripp"; same_as_cli compare --from CN-XIAN --to DE-DUISBURG --scenario "$TRIPP"
jqe ".scenario == $(jq '.name' "$TRIPP")"
req 200 GET "/v1/route?from=AZ-ALAT&to=TR-KARS&optimize=time&scenario=tripp"
same_as_cli route --from AZ-ALAT --to TR-KARS --optimize time --scenario "$TRIPP"
# an empty name is no scenario
req 200 GET "/v1/compare?$R&scenario="; same_as_cli compare --from CN-XIAN --to DE-DUISBURG
jqe '.scenario == null'
# inline, in a POST body: the same answer as the file
post 200 /v1/compare "{\"from\": \"CN-XIAN\", \"to\": \"DE-DUISBURG\", \"scenario\": $(cat "$TRIPP")}"
same_as_cli compare --from CN-XIAN --to DE-DUISBURG --scenario "$TRIPP"
post 200 /v1/route "{\"from\": \"AZ-ALAT\", \"to\": \"TR-KARS\", \"optimize\": \"time\", \"scenario\": $(cat "$TRIPP")}"
same_as_cli route --from AZ-ALAT --to TR-KARS --optimize time --scenario "$TRIPP"
# a scenario that closes the Caspian ferries, inline, changes the middle corridor
CLOSE='{"name": "Ferries stopped", "changes": [{"op": "close", "links": ["ferry-KZ-AKTAU-AZ-ALAT"]}]}'
printf '%s' "$CLOSE" >"$TMP/close.json"
post 200 /v1/route "{\"from\": \"KZ-AKTAU\", \"to\": \"AZ-ALAT\", \"optimize\": \"time\", \"scenario\": $CLOSE}"
same_as_cli route --from KZ-AKTAU --to AZ-ALAT --optimize time --scenario "$TMP/close.json"
jqe '[.routes[0].legs[].link] | index("ferry-KZ-AKTAU-AZ-ALAT") == null'

# ---------------------------------------------------------------- compare, matrix, flow, assign, energy
req 200 GET "/v1/compare?$R"; same_as_cli compare --from CN-XIAN --to DE-DUISBURG
jqe '.corridors | length == 4'; jqe '.best.days | type == "string"'
req 200 GET "/v1/compare?$R&optimize=cost"; same_as_cli compare --from CN-XIAN --to DE-DUISBURG --optimize cost
req 200 GET "/v1/matrix?from=CN-XIAN,CN-URUMQI&to=DE-DUISBURG,TR-ISTANBUL&optimize=time"
same_as_cli matrix --from CN-XIAN,CN-URUMQI --to DE-DUISBURG,TR-ISTANBUL --optimize time
jqe '.hours | length == 2 and (.[0] | length == 2)'
post 200 /v1/matrix '{"from": ["CN-XIAN", "CN-URUMQI"], "to": "DE-DUISBURG", "modes": "rail,ferry,road"}'
same_as_cli matrix --from CN-XIAN,CN-URUMQI --to DE-DUISBURG --modes rail,ferry,road
req 200 GET "/v1/flow?from=CN-XIAN&to=DE-DUISBURG"; same_as_cli flow --from CN-XIAN --to DE-DUISBURG
jqe '.layer == "transport" and .unit == "TEU per year"'
req 200 GET "/v1/flow?from=AZ&to=IT&layer=gas&no-node-capacity=true"
same_as_cli flow --from AZ --to IT --layer gas --no-node-capacity
jqe '.layer == "gas"'
printf 'from,to,quantity\nCN-XIAN,DE-DUISBURG,50000\nCN-URUMQI,TR-ISTANBUL,20000\n' >"$TMP/od.csv"
req 200 GET "/v1/assign?demand=CN-XIAN,DE-DUISBURG,50000;CN-URUMQI,TR-ISTANBUL,20000&optimize=time"
same_as_cli assign --demand "$TMP/od.csv" --optimize time
jqe '.pairs | length == 2'
post 200 /v1/assign '{"demand": [{"from": "CN-XIAN", "to": "DE-DUISBURG", "quantity": 50000}, ["CN-URUMQI", "TR-ISTANBUL", 20000]], "optimize": "time", "method": "frank-wolfe", "iterations": 20}'
same_as_cli assign --demand "$TMP/od.csv" --optimize time --method frank-wolfe --iterations 20
jqe '.method == "frank-wolfe"'
req 200 GET "/v1/energy?region=GE,TR,GR,BG,IT"; same_as_cli energy --region GE,TR,GR,BG,IT
req 200 GET "/v1/energy?region=GE,TR,GR,BG,IT&n-1=true&dmax=100"
same_as_cli energy --region GE,TR,GR,BG,IT --n-1 --dmax 100
jqe '.n_1.percent | type == "number"'
post 200 /v1/energy '{"region": "GR+BG,IT", "others": "first", "demand": "GR+BG=4"}'
same_as_cli energy --region GR+BG,IT --others first --demand GR+BG=4

# ---------------------------------------------------------------- stress
req 200 GET "/v1/stress?od=CN-XIAN,DE-DUISBURG,1;CN-SHANGHAI,NL-ROTTERDAM,2&optimize=time&elements=both"
printf 'from,to,quantity\nCN-XIAN,DE-DUISBURG,1\nCN-SHANGHAI,NL-ROTTERDAM,2\n' >"$TMP/stress-od.csv"
same_as_cli stress --od "$TMP/stress-od.csv" --optimize time --elements both
jqe '.demand_pairs == 2 and (.elements | length) == 237'
post 200 /v1/stress '{"od": [{"from": "CN-XIAN", "to": "DE-DUISBURG", "quantity": 1}, ["CN-SHANGHAI", "NL-ROTTERDAM", 2]], "optimize": "time", "elements": "both", "scenario": "tripp"}'
same_as_cli stress --od "$TMP/stress-od.csv" --optimize time --elements both --scenario "$SRC/data/scenarios/tripp.json"
req 200 GET "/v1/stress?from=CN&to=EU&measure=time&k=2&candidates=5&days=10"
same_as_cli stress --from CN --to EU --measure time --k 2 --candidates 5 --days 10
jqe '.candidates == 5 and (.pairs | length) == 10'
req 200 GET "/v1/stress?from=CN&to=EU&measure=throughput&modes=rail,ferry&avoid-country=RU,BY,IR"
same_as_cli stress --from CN --to EU --measure throughput --modes rail,ferry --avoid-country RU,BY,IR
jqe '.base == 100000'
req 422 GET "/v1/stress?from=CN&to=EU&measure=throughput"; error_is 422 capacity
req 404 GET "/v1/stress?od=CN-XIAN,NOWHERE,1"; error_is 404 od
req 400 GET "/v1/stress?od=CN-XIAN,DE-DUISBURG,-1"; error_is 400 od
req 400 GET "/v1/stress?from=CN&to=EU&k=3"; error_is 400 k
req 400 GET "/v1/stress?from=CN&to=EU&threads=8"; error_is 400 threads
req 400 GET "/v1/stress?optimize=time"; error_is 400 null
req 404 GET "/v1/stress?from=CN&to=ATLANTIS"; error_is 404 to
alive

# a scenario sent inline that adds a link: computed on the scenario's own network, twice
# (its graph is the request's alone: the scenario is freed with the request)
NEWLINE='{"name": "direct", "changes": [{"op": "add", "links": [{"id": "rail-new-direct", "from": "AZ-BAKU", "to": "AZ-NAKHCHIVAN", "mode": "rail", "gauge_mm": 1520, "length_km": 450, "speed_kmh": 60, "cost": 300, "co2_kg": 10}]}]}'
for _ in 1 2; do
  post 200 /v1/route "{\"from\": \"AZ-BAKU\", \"to\": \"AZ-NAKHCHIVAN\", \"modes\": \"rail\", \"scenario\": $NEWLINE}"
  jqe '[.routes[0].legs[].link] == ["rail-new-direct"]'
done
post 200 /v1/stress "{\"od\": [[\"AZ-BAKU\", \"AZ-NAKHCHIVAN\", 1]], \"modes\": \"rail\", \"scenario\": $NEWLINE}"
jqe '.elements[0].id == "rail-new-direct"'
alive

# a scenario document as the whole body (curl -d @scenario.json), other parameters in the
# query; its own from and to are the question
STORM=$SRC/data/scenarios/caspian-storm.json
req 200 POST "/v1/stress?optimize=time" -H 'Content-Type: application/json' --data-binary @"$STORM"
same_as_cli stress --scenario "$STORM" --optimize time
jqe '.demand_pairs == 1 and .days == 16'
req 422 POST "/v1/route?from=CN-XIAN&to=DE-DUISBURG&modes=rail,ferry&avoid-country=RU,BY,IR" -H 'Content-Type: application/json' --data-binary @"$STORM"
error_is 422 null
printf '{"name": "bad", "changes": [{"op": "flood", "links": ["x"]}]}' >"$TMP/bad-scenario.json"
req 400 POST "/v1/stress?from=CN&to=EU" -H 'Content-Type: application/json' --data-binary @"$TMP/bad-scenario.json"
error_is 400 "scenario.changes[0].op"
req 400 POST /v1/stress -H 'Content-Type: application/json' --data-binary @"$SRC/tests/data/cli/caspian-closed.json"
error_is 400 null; has 'names no'
alive

# ---------------------------------------------------------------- restore
MINED=$SRC/data/restore/example-mined.csv
CLOSED=$(grep -v '^#' "$MINED" | tail -n +2 | cut -d, -f1,2 | tr '\n' ';')
req 200 GET "/v1/restore?closed=$CLOSED&crews=2&scenario=tripp"
same_as_cli restore --closed "$MINED" --crews 2 --scenario "$SRC/data/scenarios/tripp.json"
jqe '.method == "exact" and .optimal and (.orders | keys) == ["best", "nearest-first", "shortest-first"]'
post 200 /v1/restore '{"closed": [{"link": "rail-AZ-ORDUBAD-AZ-JULFA", "crew_days": 8}, ["rail-AZ-JULFA-AZ-NAKHCHIVAN", 9]], "od": [["AZ-BAKU", "AZ-NAKHCHIVAN", 1]], "crews": 1, "scenario": "tripp"}'
printf 'link,crew_days\nrail-AZ-ORDUBAD-AZ-JULFA,8\nrail-AZ-JULFA-AZ-NAKHCHIVAN,9\n' >"$TMP/closed.csv"
printf 'from,to,quantity\nAZ-BAKU,AZ-NAKHCHIVAN,1\n' >"$TMP/restore-od.csv"
jqe '.demand.source | test("^the request.s od$")'
OUT=$(printf '%s' "$OUT" | jq --arg f "$TMP/restore-od.csv" '.demand.source = $f') # the CLI names its file
same_as_cli restore --closed "$TMP/closed.csv" --od "$TMP/restore-od.csv" --crews 1 --scenario "$SRC/data/scenarios/tripp.json"
req 404 GET "/v1/restore?closed=nope,3"; error_is 404 closed
req 400 GET "/v1/restore?closed=rail-AZ-ORDUBAD-AZ-JULFA,0"; error_is 400 closed
req 400 GET "/v1/restore?closed=rail-AZ-ORDUBAD-AZ-JULFA,2;rail-AZ-ORDUBAD-AZ-JULFA,3"; error_is 400 closed
req 400 GET "/v1/restore?crews=2"; error_is 400 closed; has "has no mined link"
req 400 GET "/v1/restore?closed=rail-AZ-ORDUBAD-AZ-JULFA,2&svg=x.svg"; error_is 400 svg
alive

# ---------------------------------------------------------------- network
req 200 GET /v1/network
header Content-Type application/geo+json
jqe '.type == "FeatureCollection" and (.features | length) == 237'
jqe '[.features[] | select(.geometry.type == "Point")] | length == 100'
jqe '[.features[] | select(.geometry.type == "LineString")] | length == 137'
printf '%s' "$OUT" >"$TMP/network.json"
# every property the model's file gives is in the answer, with its value
check "network properties as in data/corridor.geojson" quiet jq -e -n --slurpfile a "$TMP/network.json" --slurpfile b "$MODEL" '
  ($a[0].features | map({(.properties.id): .properties}) | add) as $r
  | [$b[0].features[] | .properties as $p | $r[$p.id] as $q
     | $p | to_entries | all(.value == $q[.key])] | all'
# point geometries at the nodes' positions
check "node positions as in the file" quiet jq -e -n --slurpfile a "$TMP/network.json" --slurpfile b "$MODEL" '
  ($a[0].features | map(select(.geometry.type == "Point") | {(.properties.id): .geometry.coordinates}) | add) as $r
  | [$b[0].features[] | select(.geometry.type == "Point") | .geometry.coordinates == $r[.properties.id]] | all'
req 200 GET "/v1/network?layer=gas"
jqe '[.features[] | select(.geometry.type == "LineString") | .properties.layer] | unique == ["gas"]'
jqe '[.features[] | select(.geometry.type == "Point")] | length < 100'
req 200 GET "/v1/network?layer=transport,data"
jqe '[.features[] | select(.geometry.type == "LineString") | .properties.layer] | unique == ["data", "transport"]'
req 400 GET "/v1/network?layer=water"; error_is 400 layer
# under a scenario: the Caspian ferries closed, the planned links TRIPP opens open
req 200 GET "/v1/network?scenario=caspian-storm&layer=transport"
jqe '[.features[] | select(.properties.id | startswith("ferry-") and endswith("-AZ-ALAT")) | .properties.status] == ["closed", "closed", "closed"]'
req 200 GET "/v1/network?scenario=tripp"
jqe '(.features[] | select(.properties.id == "rail-AZ-HORADIZ-AZ-AGHBAND") | .properties.status) == "open"'
req 200 GET "/v1/network"
jqe '(.features[] | select(.properties.id == "rail-AZ-HORADIZ-AZ-AGHBAND") | .properties.status) == "planned"'
req 404 GET "/v1/network?scenario=atlantis"; error_is 404 scenario

# ---------------------------------------------------------------- nodes
req 200 GET "/v1/nodes?q=bak"
jqe '.nodes[0].id == "AZ-BAKU"'
jqe '.nodes | all(has("id") and has("name") and has("country") and has("kind") and has("lon") and has("lat"))'
jqe '[.nodes[].name | ascii_downcase | contains("bak")] | all'
req 200 GET "/v1/nodes?q=az-alat"; jqe '.nodes[0].id == "AZ-ALAT" and .nodes[0].country == "AZ"'
req 200 GET "/v1/nodes?q=duisburg"; jqe '.nodes[0].id == "DE-DUISBURG"'
req 200 GET "/v1/nodes?q=a&limit=3"; jqe '.nodes | length == 3'; jqe '.matches > 3'
req 200 GET "/v1/nodes?q=zzzzqq"; jqe '.nodes == [] and .matches == 0'
req 200 GET "/v1/nodes?limit=1000"; jqe '.nodes | length == 100'
req 400 GET "/v1/nodes?q=a&limit=0"; error_is 400 limit

# ---------------------------------------------------------------- the page's files
req 200 GET /; header Content-Type "text/html; charset=utf-8"
check "index.html served at /" test "$OUT" = "$(cat "$TMP/web/index.html")"
req 200 GET /index.html; header Content-Type "text/html"
req 200 GET /assets/app.js; header Content-Type "text/javascript"
check "app.js served as it is" test "$OUT" = "$(cat "$TMP/web/assets/app.js")"
req 200 GET /assets/app.css; header Content-Type "text/css"
req 200 GET /icon.svg; header Content-Type "image/svg+xml"
req 200 GET /logo.png; header Content-Type "image/png"
req 200 GET /assets/font.woff2; header Content-Type "font/woff2"
req 200 GET /data.json; header Content-Type "application/json"
req 200 HEAD /assets/app.js
req 404 GET /missing.html; error_is 404 null
req 404 GET /assets/; error_is 404 null

alive
stop_server

# the same through POST with every request on one server with a token: see test_limits.sh
finish
