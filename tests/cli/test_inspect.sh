#!/usr/bin/env bash
# End-to-end: `corridor validate` and `corridor info`, and every broken fixture giving
# exit 2 with a message that names its place.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
PGR=$SRC/tests/data/pgrouting/edges.csv

run 0 validate --help && has "Example:"
run 0 info --help && has "Example:"
run 0 --help && has "route"
run 2 nosuchcommand; has "unknown command" ERR
run 2; has "Usage" ERR

run 0 validate "$MM"; has "valid: 6 nodes, 8 links"
run 0 validate "$MM" --json; jqe '.valid == true and .nodes == 6 and .links == 8 and (.problems | length == 0)'
run 0 validate --network "$PGR" --format pgrouting; has "valid: 17 nodes, 18 links"
run 2 validate "$MM" --format nonsense; has "unknown --format" ERR
run 2 validate "$MM" --csv; has "prints a table or --json" ERR

run 0 info "$MM"
has "6 nodes (6 with a position), 8 links"; has "rail"; has "planned"; has "KZ"
run 0 info "$MM" --json
jqe '.nodes == 6 and .links == 8'; jqe '.modes.rail.links == 3'; jqe '.modes.rail.km == 2250'
jqe '.status.planned == 1'; jqe '.countries.KZ == 2'

# Every broken fixture: exit 2, and the first message contains what EXPECT says.
BROKEN=$SRC/tests/data/broken
n=0
while IFS=$'\t' read -r fixture rest; do
  case "$fixture" in ''|\#*) continue ;; esac
  n=$((n + 1))
  run 2 validate "$BROKEN/$fixture" || continue
  first=$(printf '%s\n' "$ERR" | head -n 1)
  IFS=$'\t' read -r -a wants <<<"$rest"
  for w in "${wants[@]}"; do
    FIRST=$first has "$w" FIRST
  done
  # the same through --json on standard output, still exit 2
  run 2 validate "$BROKEN/$fixture" --json || continue
  jqe '.valid == false and (.problems | length >= 1)'
  # and route refuses it the same way
  run 2 route --network "$BROKEN/$fixture" --from A --to B
done <"$BROKEN/EXPECT"
check "at least 40 broken fixtures exercised (got $n)" test "$n" -ge 40

# every problem is listed, not just the first
cat >"$TMP/many.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [200, 0]}, "properties": {"id": "P"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}, "properties": {"id": "P"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L", "from": "P", "to": "Q", "mode": "rail", "gauge_mm": 1234, "length_km": -1}},
 {"type": "Feature", "geometry": null, "properties": {"id": "M", "from": "P", "to": "P", "mode": "pipeline"}}
]}
JSON
run 2 validate "$TMP/many.geojson"
has "feature 0: field 'lon'" ERR; has "feature 1: field 'id': duplicate node id 'P'" ERR
has "feature 2: field 'length_km'" ERR; has "feature 2: field 'gauge_mm'" ERR
has "feature 2: field 'to'" ERR; has "feature 3: field 'mode'" ERR; has "problems" ERR

finish
