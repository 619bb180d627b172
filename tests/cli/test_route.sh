#!/usr/bin/env bash
# End-to-end: `corridor route` in every output format and with every exit code.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
PGR=$SRC/tests/data/pgrouting/edges.csv

# help
run 0 route --help && has "Example:" && has "--alternatives"

# a multimodal route, table
run 0 route --network "$MM" --from A --to E --optimize time
has "64.0 h (2.7 days)"; has "change of gauge at B"; has "wait 12.0 h"; has "3 transfers, 2 border crossings"

# JSON: totals and legs
run 0 route --network "$MM" --from A --to E --optimize time --json
jqe '.routes[0].totals.hours == 64'; jqe '.routes[0].totals.transfers == 3'
jqe '.routes[0].legs | length == 7'; jqe '.routes[0].legs[4].wait_hours == 12'
jqe '.optimize == "time"'

# GeoJSON: a FeatureCollection, links as LineStrings in travel order, transfers as Points
run 0 route --network "$MM" --from E --to A --optimize time --geojson
jqe '.type == "FeatureCollection"'
jqe '[.features[] | select(.properties.kind == "link") | .geometry.type] | all(. == "LineString")'
jqe '[.features[] | select(.properties.kind == "transfer") | .geometry.type] | all(. == "Point")'
jqe '.features[0].geometry.coordinates[0] == [48, 43]'   # starts at E
jqe '(.features[] | select(.properties.link == "CD") | .geometry.coordinates) == [[56,43],[60,42.5],[64,43]]'

# CSV legs
run 0 route --network "$MM" --from A --to E --optimize cost --csv
has "route,seq,kind,link,from,to,mode"; has "1,1,link,AB,A,B,rail,1435,650,16,100,20,0,6,true,100"

# objectives and filters
run 0 route --network "$MM" --from A --to E --optimize co2 --json; jqe '.routes[0].totals.co2_kg == 125'
run 0 route --network "$MM" --from A --to E --optimize generalised --value-of-time 10 --carbon-price 100 --json
jqe '.routes[0].totals.cost == 840 + 640 + 12.5'
run 0 route --network "$MM" --from A --to E --optimize time --avoid-country KZ --json
jqe '.routes[0].legs | map(.to) == ["F", "E"]'
run 0 route --network "$MM" --from A --to E --optimize time --avoid-country KZ,RU --json
jqe '.routes[0].legs | map(.link) == ["AE"]'
run 1 route --network "$MM" --from A --to E --optimize time --modes road --avoid-link AE,AF
run 1 route --network "$MM" --from A --to E --modes rail,ferry; has "no route" ERR
run 0 route --network "$MM" --from A --to E --optimize time --include-planned --json
jqe '.routes[0].totals.hours == 40'
run 0 route --network "$MM" --from A --to E --optimize time --via F --json
jqe '.routes[0].legs | map(.to) == ["F", "E"]'
run 0 route --network "$MM" --from A --to E --optimize time --alternatives 3 --json
jqe '.routes | length == 3'; jqe '[.routes[].totals.hours] == [64, 70, 100]'
run 0 route --network "$MM" --from A --to E --optimize time --avoid-node C --json
jqe '.routes[0].totals.hours == 70'

# bad usage and bad names: exit 2 with a message that says what to do
run 2 route --network "$MM" --from A; has "give --from and --to" ERR
run 2 route --network "$MM" --from A --to NOWHERE; has "no node has the id 'NOWHERE'" ERR
run 2 route --network "$MM" --from a --to E; has "did you mean 'A'" ERR
run 2 route --network "$MM" --from A --to E --optimize speed; has "unknown --optimize 'speed'" ERR
run 2 route --network "$MM" --from A --to E --modes rail,hovercraft; has "unknown mode 'hovercraft'" ERR
run 2 route --network "$MM" --from A --to E --alternatives 0; has "--alternatives" ERR
run 2 route --network "$MM" --from A --to E --value-of-time -3; has "--value-of-time" ERR
run 2 route --network "$MM" --from A --to E --avoid-link NOPE; has "NOPE" ERR
run 2 route --network "$MM" --from A --to E --bogus; has "unknown or incomplete option '--bogus'" ERR
run 2 route --network "$TMP/absent.geojson" --from A --to E; has "absent.geojson" ERR
run 2 route --network "$PGR" --from 6 --to 10 --optimize time; has "optimising time needs" ERR

# --output writes atomically, and leaves nothing behind on failure
run 0 route --network "$MM" --from A --to E --json --output "$TMP/r.json"
check "output file written" test -s "$TMP/r.json"
check "no temp file left" test -z "$(ls -A "$TMP" | grep tmp- || true)"
run 2 route --network "$MM" --from A --to NOWHERE --json --output "$TMP/bad.json"
check "no output file on failure" test ! -e "$TMP/bad.json"
check "no temp file left on failure" test -z "$(ls -A "$TMP" | grep tmp- || true)"

# the embedded model is the default network
run 0 route --from CN-XIAN --to DE-DUISBURG --optimize time
has "CN-XIAN -> DE-DUISBURG"; has "change of gauge"; has "border crossings"
run 0 route --from CN-XIAN --to DE-DUISBURG --optimize time --avoid-country RU,BY,IR --modes rail,ferry --json
jqe '[.routes[0].legs[] | select(.mode == "ferry")] | length >= 1'
jqe '[.routes[0].legs[] | .to[0:2]] | index("RU") == null'
# the small example network still loads and routes
run 0 route --network "$SRC/data/example.geojson" --from CN-XIAN --to DE-DUISBURG --optimize time
has "13.0 days"

# pgRouting edge table: the documented 6 -> 10 = 5
run 0 route --network "$PGR" --from 6 --to 10 --json
jqe '.routes[0].totals.cost == 5'
jqe '.routes[0].legs | map(.to) == ["7", "11", "16", "15", "10"]'
run 0 route --network "$PGR" --from 6 --to 17 --alternatives 2 --json
jqe '[.routes[].totals.cost] == [4, 4]'

# issue 12: a huge --value-of-time is the flag's fault, not the network file's
run 2 route --network "$MM" --from A --to E --optimize generalised --value-of-time 1e308 && has "--value-of-time" ERR
check "1e308 not blamed on the network" bash -c '! grep -q "multimodal.geojson" "$0"' "$TMP/err"
run 2 build --network "$MM" --value-of-time 1e308 -o "$TMP/x.cor" && has "--value-of-time" ERR
# issue 12: an empty --via is refused as --modes '' is, not silently ignored
run 2 route --network "$MM" --from A --to E --via '' && has "--via" ERR
finish
