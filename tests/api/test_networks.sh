#!/usr/bin/env bash
# API end-to-end: the server on any network. /v1/info describes what is served (name, unit,
# counts, layers, modes, the measures and objectives of the transport links, the cost unit,
# corridors, scenarios, the box, the heat map's demand); route answers carry their lines on
# request (geometry=true, as `route --json --geometry`); a network that is not the model
# starts with the model's default scenarios skipped, one note each, while a scenario
# folder named explicitly still refuses the start; the cause of the page's old "this
# server does not answer /v1/stress": a 404 for the model's node ids, not for the endpoint.
. "$(dirname "$0")/lib.sh"
MODEL=$SRC/data/corridor.geojson
ANDORRA=$SRC/tests/data/web/andorra-roads.geojson
PGR=$SRC/tests/data/pgrouting/edges.csv

# ---------------------------------------------------------------- the embedded model
start_server --threads 2
req 200 GET /v1/info
jqe ".name == $(jq '.name' "$MODEL") and .unit == \"TEU\" and .nodes == 100 and .links == 137"
jqe '.layers == ["transport", "gas", "oil", "data"] and .modes == ["rail", "road", "ferry", "sea", "pipeline", "fiber"]'
jqe '.measures == ["hours", "usd", "co2_kg", "km"] and .objectives == ["cost", "time", "co2", "generalised", "distance"]'
jqe '.cost_unit == "USD" and (.corridors | map(.id)) == ["northern", "middle", "southern", "maritime"]'
jqe '(.scenarios | map(.id)) == ["btk-before-2024", "caspian-storm", "georgia-turkey-border", "tripp"]'
# the heat map's demand is the file's own: today's four China-Europe pairs
jqe ".demand.source == \"network\" and .demand.pairs == $(jq -c '.demand' "$MODEL")"
# the box: every node position and link vertex of the file, by jq
BOX=$(jq -c '[.features[].geometry | select(. != null) | if .type == "Point" then .coordinates else .coordinates[] end]
             | [(map(.[0]) | min), (map(.[1]) | min), (map(.[0]) | max), (map(.[1]) | max)]' "$MODEL")
jqe ".bbox == $BOX"
req 400 GET "/v1/info?x=1"; error_is 400 x

# geometry=true: each link leg's line, in the direction travelled, as the CLI's --geometry
R='from=CN-XIAN&to=DE-DUISBURG&optimize=time'
req 200 GET "/v1/route?$R&geometry=true"
same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time --geometry
cp "$TMP/body" "$TMP/geo.json"
jqe '[.routes[0].legs[] | select(.kind == "link") | .geometry.type] | length > 3 and all(. == "LineString")'
jqe '[.routes[0].legs[] | select(.kind == "transfer") | .geometry] | all(. == null)'
# consecutive link legs join: each line starts where the previous one ended
jqe '[.routes[0].legs[] | select(.kind == "link") | .geometry.coordinates] as $g
     | [range(1; $g | length) | ($g[. - 1] | last) == ($g[.] | first)] | all'
# and the lines are the network's: a leg's line, reversed when travelled to -> from
req 200 GET /v1/network; cp "$TMP/body" "$TMP/net.json"
check "each leg's line is its link's geometry in the direction travelled" quiet jq -e -n \
  --slurpfile r "$TMP/geo.json" --slurpfile n "$TMP/net.json" '
  ($n[0].features | map(select(.properties.from)) | map({(.properties.id): .}) | add) as $links
  | [$r[0].routes[0].legs[] | select(.kind == "link")
     | . as $leg | $links[$leg.link] as $l
     | if $l.properties.from == $leg.from then $l.geometry.coordinates else ($l.geometry.coordinates | reverse) end
       == $leg.geometry.coordinates] | all'
# without it, the answer is what --json printed before: no geometry member
req 200 GET "/v1/route?$R"; same_as_cli route --from CN-XIAN --to DE-DUISBURG --optimize time
jqe '[.routes[0].legs[] | has("geometry")] | any | not'
req 200 GET "/v1/route?$R&geometry=false"; jqe '[.routes[0].legs[] | has("geometry")] | any | not'
req 400 GET "/v1/route?$R&geometry=maybe"; error_is 400 geometry
run 2 route --from CN-XIAN --to DE-DUISBURG --geometry; has "--geometry goes with --json" ERR
run 2 route --from CN-XIAN --to DE-DUISBURG --geometry --csv; has "--geometry goes with --json" ERR
stop_server

# ---------------------------------------------------------------- a network that is not the model
start_server --network "$ANDORRA" --threads 2
LOG=$(cat "$SRV_LOG")
for s in btk-before-2024 caspian-storm georgia-turkey-border tripp; do
  check "the default scenario $s.json is skipped with a note" \
    grep -q "^corridor serve: skipped the default scenario $s.json (changes\[0\]" "$SRV_LOG"
done
check "one note per skipped scenario, then the listening line" \
  test "$(grep -c 'skipped the default scenario' "$SRV_LOG")" = 4
req 200 GET /v1/scenarios; jqe '.scenarios == []'
req 200 GET /v1/info
jqe ".name == $(jq '.name' "$ANDORRA") and .unit == null and .nodes == 34 and .links == 38"
jqe '.layers == ["transport"] and .modes == ["road"] and .measures == ["hours", "km"] and .objectives == ["time", "distance"]'
jqe '.corridors == [] and .scenarios == [] and .bbox == [1.4447, 42.3583, 1.801, 42.618]'
# no demand in the file: 4 places spread by farthest-point sampling (cities), 6 pairs
jqe '.demand.source == "spread" and (.demand.pairs | length) == 6 and all(.demand.pairs[]; .quantity == 1)'
jqe '[.demand.pairs[] | .from, .to] | unique == ["AD-ORD", "AD-SJL", "ES-SEU", "FR-HOS"]'
DEMAND=$(printf '%s' "$OUT" | jq -c '.demand.pairs')
# the heat map's request with that demand is answered
post 200 /v1/stress "{\"od\": $DEMAND, \"elements\": \"links\", \"optimize\": \"time\"}"
jqe '(.elements | length) == 38 and ([.elements[] | select(.pairs_affected > 0)] | length) > 5'
# what the page used to send here: the model's ids, a 404 that names the demand (field od) ...
post 404 /v1/stress '{"od": [{"from": "CN-XIAN", "to": "DE-DUISBURG", "quantity": 1}], "elements": "links"}'
error_is 404 od
# ... which the page took for a missing endpoint; a missing endpoint has no field
req 404 GET /v1/nosuch; error_is 404 null; jqe '.error.message | startswith("no endpoint")'
# a route on it: hours and km, no money or CO2 (null, never 0)
req 200 GET "/v1/route?from=AD-SJL&to=AD-PAS&optimize=time&geometry=true"
same_as_cli route --network "$ANDORRA" --from AD-SJL --to AD-PAS --optimize time --geometry
jqe '.routes[0].totals | .usd == null and .co2_kg == null and .km > 30 and .hours > 0.5'
req 400 GET "/v1/route?from=AD-SJL&to=AD-PAS&optimize=cost"; error_is 400 cost
alive
stop_server

# a scenario folder named explicitly: a scenario that does not fit stops the start
run 2 serve --network "$ANDORRA" --port 0 --scenarios "$SRC/data/scenarios"
has "caspian-storm.json: field 'changes[0].links[0]': no link has the id" ERR

# ---------------------------------------------------------------- pgRouting: a cost without a unit
start_server --network "$PGR" --threads 1
req 200 GET /v1/info
jqe '.cost_unit == "cost" and .measures == ["usd"] and .objectives == ["cost"] and .demand.source == "spread"'
jqe '.name == "edges.csv" and .unit == null and .layers == ["transport"] and .modes == ["road"]'
stop_server

finish
