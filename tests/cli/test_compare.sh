#!/usr/bin/env bash
# End-to-end: `corridor compare` and `--scenario` on a small network with corridors.
. "$(dirname "$0")/lib.sh"
NET=$SRC/tests/data/cli/corridors.geojson
OPEN=$SRC/tests/data/cli/open-planned.json
CLOSE=$SRC/tests/data/cli/close-kz.json

run 0 compare --help && has "Example:"
run 0 compare --network "$NET" --from A --to E
has "caspian           2.7"; has "newline      no route"; has "route: A > B (rail 1520) > C (ferry) > D (road) > E"
has "slowest element: ferry C -> D (32.0 h)"; has "most expensive element: ferry C -> D (300 USD)"
run 0 compare --network "$NET" --from A --to E --json
jqe '.best.days == "caspian" and .best.usd == "caspian" and .best.transfers == "north"'
jqe '[.corridors[].route_found] == [true, true, false]'
jqe '.corridors[1].summary == "A > F > E"'
jqe '.corridors[0].totals.hours == 64 and .corridors[0].slowest.link == "CD"'
run 0 compare --network "$NET" --from A --to E --csv
has "corridor,name,days,usd,co2_kg,km,transfers,borders,route"; has "newline,The planned rail line,,,,,,"
run 0 compare --network "$NET" --from A --to E --geojson
jqe '[.features[].properties.corridor] | unique == ["caspian", "north"]'

# a scenario opens the planned line: the third corridor now has a route, and wins on time
run 0 compare --network "$NET" --from A --to E --scenario "$OPEN" --json
jqe '.scenario == "Planned line opened" and .best.days == "newline"'
jqe '.corridors[2].summary == "A > B (rail 1520) > E"'
# the network itself is unchanged: without the scenario, no route again
run 0 compare --network "$NET" --from A --to E --json; jqe '.corridors[2].route_found == false'
# route and matrix take scenarios too
run 0 route --network "$NET" --from A --to E --optimize time --scenario "$OPEN" --json
jqe '.routes[0].totals.hours == 40'
run 1 route --network "$NET" --from A --to E --scenario "$CLOSE" --modes rail,ferry,road --avoid-link AE
run 0 matrix --network "$NET" --from A --to E --optimize time --scenario "$CLOSE" --json
jqe '.hours == [[100]]'

# compare optimising cost, and avoiding a country removes a corridor
run 0 compare --network "$NET" --from A --to E --optimize cost --avoid-country RU --json
jqe '[.corridors[].route_found] == [true, false, false]'
run 1 compare --network "$NET" --from A --to E --modes road --avoid-link AE,AF
has "no route"

# bad input
run 2 compare --network "$NET" --from A; has "give --from and --to" ERR
run 2 compare --network "$NET" --from A --to NOPE; has "no node has the id 'NOPE'" ERR
run 2 compare --network "$SRC/tests/data/cli/multimodal.geojson" --from A --to E; has "defines no corridors" ERR
printf '{"name": "bad", "changes": [{"op": "open", "links": ["PLANNED", "NOPE"]}, {"op": "explode"}, {"op": "close", "countries": ["XX"], "bridges": []}]}' >"$TMP/bad.json"
run 2 compare --network "$NET" --from A --to E --scenario "$TMP/bad.json"
has "field 'changes[0].links[1]': no link has the id 'NOPE'" ERR
has "field 'changes[1].op': unknown operation 'explode'" ERR
has "field 'changes[2].countries[0]': no node is in the country 'XX'" ERR
has "field 'changes[2].bridges': unknown member" ERR
printf '{"name": "x", "changes": [' >"$TMP/truncated.json"
run 2 route --network "$NET" --from A --to E --scenario "$TMP/truncated.json"; has "truncated.json:1: invalid JSON" ERR
run 2 route --network "$NET" --from A --to E --scenario "$TMP/absent.json"; has "absent.json" ERR
printf '{"changes": []}' >"$TMP/noname.json"
run 2 route --network "$NET" --from A --to E --scenario "$TMP/noname.json"; has "field 'name': missing" ERR

# a network whose corridors are wrong
jq '.corridors[0].through[0] = ["NOWHERE"]' "$NET" >"$TMP/badcorr.geojson"
run 2 validate "$TMP/badcorr.geojson"; has "corridor 'caspian' passes through node 'NOWHERE'" ERR
jq '.corridors[0].avoid_countries = ["Russia"]' "$NET" >"$TMP/badcc.geojson"
run 2 validate "$TMP/badcc.geojson"; has "'Russia' is not an ISO" ERR
jq '.corridors[2].modes = ["rail", 7]' "$NET" >"$TMP/badmode.geojson"
run 2 validate "$TMP/badmode.geojson"; has "field 'corridors[2].modes[1]': must be a string" ERR

finish
