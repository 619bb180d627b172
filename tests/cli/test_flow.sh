#!/usr/bin/env bash
# End-to-end: `corridor flow` — maximum flow, minimum cut, outputs and exit codes.
. "$(dirname "$0")/lib.sh"
PGR=$SRC/tests/data/pgrouting/edges.csv
MM=$SRC/tests/data/cli/multimodal.geojson

run 0 flow --help && has "Example:"
# pgRouting's documented pgr_maxFlow results
run 0 flow --network "$PGR" --from 11 --to 12; has "230.00 (capacity units)"
run 0 flow --network "$PGR" --from 11 --to 5,10,12 --json
jqe '.value == 340 and (.cut | map(.capacity) | add) == 340'
run 0 flow --network "$PGR" --from 11,3,17 --to 5,10,12 --json; jqe '.value == 360'
run 0 flow --network "$PGR" --from 5,6 --to 10,15,14 --json; jqe '.value == 80'
run 0 flow --network "$PGR" --from 11 --to 12 --csv
has "link,from,to,flow,capacity,utilisation"
run 0 flow --network "$PGR" --from 11 --to 12 --geojson
jqe '.type == "FeatureCollection" and ([.features[] | select(.properties.in_cut)] | length >= 1)'
run 0 flow --network "$PGR" --from 11 --to 12 --top 2; has "the 2 largest"

# a network with capacities on some links only: an unlimited path is named
cat >"$TMP/caps.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40, 40]}, "properties": {"id": "A", "country": "AZ", "capacity": 50}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [41, 40]}, "properties": {"id": "B", "country": "GE"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [42, 40]}, "properties": {"id": "C", "country": "TR"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43, 40]}, "properties": {"id": "D", "country": "BG"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "AB", "from": "A", "to": "B", "mode": "rail", "capacity": 30}},
 {"type": "Feature", "geometry": null, "properties": {"id": "AC", "from": "A", "to": "C", "mode": "road", "capacity": 40}},
 {"type": "Feature", "geometry": null, "properties": {"id": "BD", "from": "B", "to": "D", "mode": "rail"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "CD", "from": "C", "to": "D", "mode": "road"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "BC", "from": "B", "to": "C", "mode": "ferry", "status": "planned", "capacity": 5}}
]}
JSON
run 0 flow --network "$TMP/caps.geojson" --from AZ --to EU --json
jqe '.value == 50 and .unit == "TEU per year"'
jqe '.cut == [{"kind": "node", "id": "A", "reversed": false, "capacity": 50}]'
run 0 flow --network "$TMP/caps.geojson" --from A --to D --no-node-capacity --json
jqe '.value == 70'
run 0 flow --network "$TMP/caps.geojson" --from A --to D --no-node-capacity --modes rail --json
jqe '.value == 30'
run 0 flow --network "$TMP/caps.geojson" --from B --to D
has "no limit"; has "B > D"
run 0 flow --network "$TMP/caps.geojson" --from B --to D --json; jqe '.unlimited and .value == null and .open_path == ["B", "D"]'
run 1 flow --network "$TMP/caps.geojson" --from D --to A --modes rail,road --avoid-link BD,CD

# the embedded model: gas to Italy is limited by one pipeline section
run 0 flow --layer gas --from AZ --to IT --json
jqe '.unit == "bcm per year" and .value > 0 and (.cut | length) >= 1'
run 0 flow --from CN --to EU --modes rail,ferry,road --json
jqe '.value > 0 and (.cut | map(.capacity) | add) == .value'

# bad usage
run 2 flow --network "$PGR" --from 11; has "give --from and --to" ERR
run 2 flow --network "$PGR" --from 11 --to 11; has "both a source and a sink" ERR
run 2 flow --network "$PGR" --from 11 --to XX; has "'XX' is neither a node id nor a country" ERR
run 2 flow --from CN --to EU --unit t; has "no conversion to 't'" ERR
run 2 flow --from CN --to EU --layer gas,oil; has "give one --layer" ERR
run 2 flow --network "$PGR" --from 11 --to 12 --capacity length; has "--capacity takes only 'cost'" ERR
run 2 flow --network "$PGR" --from 11 --to 12 --top -1; has "--top needs a whole number" ERR

finish
