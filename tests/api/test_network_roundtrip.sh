#!/usr/bin/env bash
# The network as /v1/network writes it (cli/output.c network_to_geojson, also what
# `corridor import` writes) loads back as the same network: on pgRouting's sample network,
# whose one-way edges run either way (edge 2 only target -> source), every ordered pair of
# vertices has the same best cost on the CSV and on the GeoJSON the server wrote.
. "$(dirname "$0")/lib.sh"
PGR=$SRC/tests/data/pgrouting/edges.csv
mkdir -p "$TMP/no-scenarios"
start_server --network "$PGR" --scenarios "$TMP/no-scenarios"
req 200 GET /v1/network
printf '%s' "$OUT" >"$TMP/net.geojson"
jqe '.features[] | select(.properties.id == "2") | .properties | .from == "10" and .to == "6" and .directed and .cost == 1'
stop_server
for a in $(seq 1 17); do for b in $(seq 1 17); do [ "$a" != "$b" ] && echo "$a,$b"; done; done >"$TMP/pairs.csv"
run 1 route --network "$PGR" --format pgrouting --pairs "$TMP/pairs.csv" --json
printf '%s' "$OUT" | jq -S 'map({from, to, cost})' >"$TMP/a.json"
run 1 route --network "$TMP/net.geojson" --pairs "$TMP/pairs.csv" --json
printf '%s' "$OUT" | jq -S 'map({from, to, cost})' >"$TMP/b.json"
check "the same costs for all 272 pairs on the CSV and on its GeoJSON" cmp -s "$TMP/a.json" "$TMP/b.json"
check "some pairs have a route" jq -e 'map(select(.cost != null)) | length > 100' "$TMP/a.json" >/dev/null
finish
