#!/usr/bin/env bash
# End-to-end: places by coordinates (LON,LAT snapped to the nearest usable node), the rule
# that tells them from node ids, the snap limit, `corridor nearest`, `--optimize distance`,
# and the "no route" that says why (different connected pieces, or one-way links).
. "$(dirname "$0")/lib.sh"
P=$SRC/tests/data/cli/places.geojson   # A-B-D fast, A-C-D short; D->E one way; F-G apart; H alone
EX=$SRC/data/example.geojson
DIM=$SRC/tests/data/dimacs/small.gr

# ---------------------------------------------------------------- snapping, reported
run 0 route --network "$P" --from 1.61,42.51 --to D
has "from 1.610000,42.510000: node B (Bravo), 1,381 m away"
has "Route 1.61,42.51 -> D"
run 0 route --network "$P" --from 1.61,42.51 --to 1.69,42.52 --json
jqe '.snapped | length == 2'
jqe '.snapped[0] == {"place": "from", "lon": 1.61, "lat": 42.51, "node": "B", "metres": 1381.5}'
jqe '.snapped[1].place == "to" and .snapped[1].node == "D" and .snapped[1].metres == 819.6'
jqe '.from == "1.61,42.51" and .routes[0].legs[0].from == "B"'
run 0 route --network "$P" --from A --to D --json
jqe 'has("snapped") | not'                          # ids: nothing snapped, nothing said
# H has no link: a coordinate on it snaps to the nearest node with one (66.7 km away)
run 2 route --network "$P" --from 1.0,42.0 --to D
has "from 1.000000,42.000000 is 66.7 km from the nearest usable node ('1.5')" ERR
has "beyond the snap limit of 50 km" ERR; has "--snap-limit" ERR
check "nothing on stdout when refused" test -z "$OUT"
run 0 route --network "$P" --from 1.0,42.0 --to D --snap-limit 70
has "node 1.5 (a node named like a number), 66,703 m away"
run 2 route --network "$P" --from 1.0,42.0 --to D --snap-limit -1; has "--snap-limit needs a number" ERR
# the usable nodes are the profile's: a rail-only profile has no node at all here
run 2 route --network "$P" --from 1.61,42.51 --to D --modes rail
has "no node with a position can be used with these settings" ERR
# via a coordinate; several via places with ';'
run 0 route --network "$P" --from A --to D --via '1.56,42.55' --json
jqe '.snapped == [{"place": "via", "lon": 1.56, "lat": 42.55, "node": "C", "metres": 819.2}]'
jqe '[.routes[0].legs[].link] == ["ac", "cd"]'
run 0 route --network "$P" --from A --to D --via '1.56,42.55;B' --json
jqe '[.routes[0].legs[].link] == ["ac", "ac", "ab", "bd"]'
# out of range, not a number
run 2 route --network "$P" --from 200.0,42.0 --to D; has "longitude must be within -180..180" ERR
run 2 route --network "$P" --from 2.5,95.0 --to D; has "latitude within -90..90" ERR

# ---------------------------------------------------------------- the rule: ids and coordinates
# an integer pair is never a coordinate: DIMACS ids "1,2" stay two ids
run 2 route --network "$DIM" --from 1,2 --to 5; has "--from: takes one place, got 2 in '1,2'" ERR
run 0 matrix --network "$DIM" --from 1,2 --to 5 --json
jqe '.from == ["1", "2"] and .cost == [[23], [16]] and (has("snapped") | not)'
# a DIMACS graph with .co takes coordinates: 49.87,40.41 is node 1 (49.8671, 40.4093)
run 0 route --network "$DIM" --from 49.87,40.41 --to 5 --json
jqe '.snapped[0].node == "1" and .snapped[0].metres < 300'
# nodes named "1.5" and "42.5" exist: '1.5,42.5' reads both ways, so it is refused
run 2 route --network "$P" --from 1.5,42.5 --to D
has "'1.5,42.5' reads both as node ids and as a coordinate" ERR; has "'1.5;42.5' for the nodes" ERR
run 0 route --network "$P" --from '1.5,42.5;' --to D --json   # ';' says: one place, the coordinate
jqe '.snapped[0].node == "A" and .snapped[0].metres == 0'
run 0 matrix --network "$P" --from '1.5;42.5' --to D --json   # and: two places, the nodes
jqe '.from == ["1.5", "42.5"] and (has("snapped") | not)'
run 0 route --network "$P" --from 1.5 --to D --json            # an id that exists wins
jqe '.routes[0].legs[0].from == "1.5"'
run 2 route --network "$P" --from 1,42 --to D
has "no node has the id '1' (a coordinate is LON,LAT with decimal points" ERR
run 2 route --network "$P" --from 'A;1.5' --to D; has "takes one place, got 2" ERR
run 2 route --network "$P" --from 'A;nowhere' --to D; has "no node has the id 'nowhere'" ERR

# ---------------------------------------------------------------- pairs file with coordinates
printf 'from,to\nA D\n1.61,42.51 1.69,42.52\n1.61,42.51;C\nA,1.81,42.61\n' >"$TMP/pairs.txt"
run 1 route --network "$P" --pairs "$TMP/pairs.txt" --csv  # A -> G: other piece, exit 1
has "from,to,cost,hours,km,usd,co2_kg,transfers,borders,from_snap_m,to_snap_m"
has $'A,D,30,0.5,15,30,,0,0,,\n'; has $'B,D,18,0.1,9,18,,0,0,1381.5,819.6\n'
has $'B,C,32,'; has $'A,G,,,,,,,,,818.4'
run 1 route --network "$P" --pairs "$TMP/pairs.txt" --json
jqe 'length == 4 and (.[0] | has("snapped") | not) and .[1].snapped[1].node == "D"'
run 1 route --network "$P" --pairs "$TMP/pairs.txt"
has "from snap m"; has "1,381"
printf 'A D\nA 5.0,42.0\nA 1.55\n' >"$TMP/bad-pairs.txt"
run 2 route --network "$P" --pairs "$TMP/bad-pairs.txt"
has "bad-pairs.txt:3: field 'to': no node has the id '1.55'" ERR
printf 'A D\nA 5.0,42.0\n' >"$TMP/far-pairs.txt"
run 2 route --network "$P" --pairs "$TMP/far-pairs.txt" --output "$TMP/far.csv" --csv
has "far-pairs.txt:2: field 'to': to 5.000000,42.000000 is 270.1 km" ERR
check "nothing written for a refused pairs file" test ! -e "$TMP/far.csv"

# ---------------------------------------------------------------- matrix, compare, restore, nearest
run 0 matrix --network "$P" --from 'A;1.61,42.51' --to 'D;1.56,42.55' --optimize distance --json
jqe '.from == ["A", "B"] and .to == ["D", "C"] and .km == [[15, 7], [9, 16]]'
jqe '[.snapped[].place] == ["from", "to"]'
run 0 matrix --network "$P" --from 'A;1.61,42.51' --to D
has "from 1.610000,42.510000: node B (Bravo), 1,381 m away"
run 2 matrix --network "$P" --from '9.0,42.0' --to D; has "beyond the snap limit" ERR
run 0 compare --from 108.9,34.3 --to DE-DUISBURG --json
jqe '.snapped == [{"place": "from", "lon": 108.9, "lat": 34.3, "node": "CN-XIAN", "metres": 5768.6}]'
run 0 compare --from 108.9,34.3 --to DE-DUISBURG; has "node CN-XIAN (Xi'an International Port), 5,769 m away"
run 0 restore --closed "$SRC/data/restore/example-mined.csv" --depot 49.41,40.06 --json
jqe '.depot == "AZ-ALAT"'
run 0 nearest --network "$P" --lon 1.61 --lat 42.51
has "1.610000,42.510000: node B (Bravo), 1,381 m away"
run 0 nearest --network "$P" --lon 1.61 --lat 42.51 --json
jqe '.node.id == "B" and .node.name == "Bravo" and .metres == 1381.5 and .lon == 1.61'
run 2 nearest --network "$P" --lon 1.0 --lat 42.0; has "66.7 km" ERR
run 2 nearest --network "$P" --lon 181 --lat 0; has "--lon needs degrees from -180 to 180" ERR
run 2 nearest --network "$P" --lat 0; has "give --lon and --lat" ERR

# ---------------------------------------------------------------- regions: flow and stress
run 0 flow --from 108.9,34.3 --to DE-DUISBURG --json
jqe '.snapped == [{"place": "from", "lon": 108.9, "lat": 34.3, "node": "CN-XIAN", "metres": 5768.6}]'
V=$(printf '%s' "$OUT" | jq .value)
run 0 flow --from CN-XIAN --to DE-DUISBURG --json
jqe ".value == $V and (has(\"snapped\") | not)"
run 0 flow --from 108.9,34.3 --to DE-DUISBURG; has "from 108.900000,34.300000: node CN-XIAN"
run 0 flow --from 'CN,108.9,34.3' --to 'DE;6.76,51.43' --json   # codes and coordinates mixed
jqe '[.snapped[].node] == ["CN-XIAN", "DE-DUISBURG"]'
run 2 flow --from 108.9,34.3 --to DE --layer gas; has "beyond the snap limit" ERR   # gas nodes only
run 2 flow --from 200.0,34.3 --to DE; has "longitude must be within -180..180" ERR
run 2 flow --from 108.9,XX --to DE; has "'108.9' is neither a node id nor a country" ERR
run 0 stress --from 108.9,34.3 --to DE-DUISBURG --top 2 --json
jqe '.snapped[0].node == "CN-XIAN" and (.elements | length) > 0'
S=$(printf '%s' "$OUT" | jq -c '.elements[0]')
run 0 stress --from CN-XIAN --to DE-DUISBURG --top 2 --json
jqe ".elements[0] == $S"
run 0 stress --from 108.9,34.3 --to DE-DUISBURG --measure throughput --json
jqe '.snapped[0].node == "CN-XIAN" and .base > 0'
run 0 stress --from 108.9,34.3 --to DE-DUISBURG --top 1; has "node CN-XIAN (Xi'an International Port), 5,769 m away"

# ---------------------------------------------------------------- --optimize distance
run 0 route --network "$P" --from A --to D --optimize distance --json
jqe '.optimize == "distance" and .routes[0].totals.cost == 15 and .routes[0].totals.km == 15'
jqe '[.routes[0].legs[].link] == ["ac", "cd"]'
run 0 route --network "$P" --from A --to D --optimize time --json
jqe '[.routes[0].legs[].link] == ["ab", "bd"] and .routes[0].totals.km == 18'
run 0 route --network "$P" --from A --to D --optimize distance; has "optimising distance (15.00 km)"
# the example network: shortest (km) and fastest differ
run 0 route --network "$EX" --from CN-XIAN --to TR-ISTANBUL --optimize distance --json
D_KM=$(printf '%s' "$OUT" | jq '.routes[0].totals.km')
run 0 route --network "$EX" --from CN-XIAN --to TR-ISTANBUL --optimize time --json
T_KM=$(printf '%s' "$OUT" | jq '.routes[0].totals.km')
check "shortest ($D_KM km) is no longer than fastest ($T_KM km)" awk "BEGIN{exit !($D_KM <= $T_KM)}"
run 0 route --network "$EX" --from 108.9,34.3 --to 29.0,41.0 --optimize distance --json
jqe '.routes[0].totals.cost == .routes[0].totals.km'
jqe '[.routes[0].legs[] | select(.kind == "transfer") | .cost] | all(. == 0)'
run 0 matrix --network "$EX" --from CN-XIAN --to TR-ISTANBUL --optimize distance --json
jqe ".km[0][0] == $D_KM and .cost[0][0] == $D_KM"
# DIMACS has no km: one clear error, not one per arc
run 2 route --network "$DIM" --from 1 --to 5 --optimize distance
has "optimising distance needs each link's length_km, which DIMACS .gr files do not have" ERR
check "one message for the whole file" test "$(printf '%s\n' "$ERR" | grep -c 'length_km')" = 1
run 2 route --network "$P" --from A --to D --optimize km; has "generalised or distance" ERR

# ---------------------------------------------------------------- no route: why
run 1 route --network "$P" --from A --to F
has "no route from 'A' to 'F': they are in different connected pieces of the network" ERR
has "(the piece of 'A' has 7 nodes, that of 'F' 2)" ERR
run 1 route --network "$P" --from E --to A
has "both are in one connected piece (7 nodes), but one-way links leave no path" ERR
run 1 route --network "$P" --from H --to A; has "'H' has no link usable with these settings" ERR
run 1 route --network "$P" --from A --to B --via G; has "no route from 'A' to 'G'" ERR
run 0 route --network "$P" --from A --to D --via A    # the same place twice: one section less
finish
