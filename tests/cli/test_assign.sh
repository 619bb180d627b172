#!/usr/bin/env bash
# End-to-end: `corridor assign` — LP and Frank-Wolfe, outputs, exit codes, bad demand.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/net.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40, 40]}, "properties": {"id": "A"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [41, 40]}, "properties": {"id": "B"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.5, 41]}, "properties": {"id": "C"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "AB", "from": "A", "to": "B", "mode": "rail", "directed": true, "cost": 1, "duration_hours": 1, "co2_kg": 1, "capacity": 10}},
 {"type": "Feature", "geometry": null, "properties": {"id": "AC", "from": "A", "to": "C", "mode": "rail", "directed": true, "cost": 2, "duration_hours": 2, "co2_kg": 1, "capacity": 8}},
 {"type": "Feature", "geometry": null, "properties": {"id": "CB", "from": "C", "to": "B", "mode": "rail", "directed": true, "cost": 2, "duration_hours": 2, "co2_kg": 1}}
]}
JSON
printf 'from,to,quantity\nA,B,15\n' >"$TMP/od.csv"
printf 'from,to,quantity\nA,B,25\n' >"$TMP/od-big.csv"

run 0 assign --help && has "Example:"
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv"
has "served 15, unserved 0"; has "totals: cost 30"
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --json
jqe '.method == "lp" and .totals.cost == 30'
jqe '[.links[] | {id, volume}] | sort_by(.id) == [{"id": "AB", "volume": 10}, {"id": "AC", "volume": 5}, {"id": "CB", "volume": 5}]'
# a row of quantity 0 is served with no volume, the others as without it (GLPK code 4 before)
printf 'from,to,quantity\nA,C,0\nA,B,15\n' >"$TMP/od-zero.csv"
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od-zero.csv" --json
jqe '.totals.cost == 30 and (.pairs | map(.unserved) == [0, 0])'
run 1 assign --network "$TMP/net.geojson" --demand "$TMP/od-big.csv" --json
jqe '.pairs[0].unserved == 7'
run 1 assign --network "$TMP/net.geojson" --demand "$TMP/od-big.csv"; has "Unserved demand"
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --csv
has "link,from,to,volume,capacity,utilisation"; has "AB,A,B,10,10,1"
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --geojson
jqe '.type == "FeatureCollection" and (.features | length) == 3'
run 0 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --method frank-wolfe --gap 1e-6 --iterations 200 --json
jqe '.method == "frank-wolfe" and (.gaps | length) >= 1'
jqe '([.links[] | select(.id == "AB") | .volume] | .[0]) > 7'
run 0 assign --demand <(printf 'CN-XIAN,DE-DUISBURG,1000\nKZ-ALMATY,GE-POTI,500\n') --modes rail,ferry,road --json
jqe '(.pairs | map(.unserved) | add) == 0 and .totals.usd > 0'

# bad input: every bad line at its place, exit 2
printf 'from,to,quantity\nA,Z,5\nA,B,-1\nA,B,nan\nA,B\n' >"$TMP/bad.csv"
run 2 assign --network "$TMP/net.geojson" --demand "$TMP/bad.csv"
has "bad.csv:2: field 'to': no node has the id 'Z'" ERR
has "bad.csv:3: field 'quantity': must not be negative" ERR
has "bad.csv:4: field 'quantity': 'nan' is not a number" ERR
has "bad.csv:5: expected 3 fields" ERR
run 2 assign --network "$TMP/net.geojson" --demand "$TMP/absent.csv"; has "absent.csv" ERR
run 2 assign --network "$TMP/net.geojson"; has "give --demand FILE" ERR
run 2 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --method magic; has "unknown --method 'magic'" ERR
run 2 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --gap 2 --method frank-wolfe; has "--gap" ERR
run 2 assign --network "$TMP/net.geojson" --demand "$TMP/od.csv" --iterations 5; has "are for --method frank-wolfe" ERR

finish
