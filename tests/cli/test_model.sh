#!/usr/bin/env bash
# The embedded Middle Corridor model (data/corridor.geojson): tests that pin its meaning,
# not its exact numbers. Uses the default network (no --network), as a new user does.
. "$(dirname "$0")/lib.sh"
MODEL=$SRC/data/corridor.geojson
TRIPP=$SRC/data/scenarios/tripp.json

run 0 validate; has "corridor.geojson: valid"
run 0 info --json
jqe '.layers.transport > 0 and .layers.gas > 0 and .layers.oil > 0 and .layers.data > 0'
jqe '.status.planned > 0'

# README's first command prints the comparison of the four named corridors
run 0 compare --from CN-XIAN --to DE-DUISBURG
has "northern"; has "middle"; has "southern"; has "maritime"; has "best"

# Every Chinese origin reaches every European destination by at least two corridors.
ORIGINS="CN-XIAN CN-CHONGQING CN-URUMQI CN-LIANYUNGANG CN-SHANGHAI"
DESTS="DE-DUISBURG NL-ROTTERDAM CZ-PRAGUE HU-BUDAPEST"
for o in $ORIGINS; do
  for d in $DESTS; do
    run 0 compare --from "$o" --to "$d" --json || continue
    jqe '[.corridors[] | select(.route_found)] | length >= 2'
  done
done

run 0 compare --from CN-XIAN --to DE-DUISBURG --json
# each named corridor routes through what defines it
jqe '.corridors[] | select(.id == "middle") | [.legs[] | select(.mode == "ferry" or .mode == "sea")] | length >= 1'
jqe '.corridors[] | select(.id == "middle") | [.legs[].to] | (index("GE-AKHALKALAKI") != null) or (any(.[]; test("^(GE-POTI|GE-BATUMI)$")))'
jqe '.corridors[] | select(.id == "middle") | [.legs[] | .to[0:2]] | (index("RU") == null) and (index("IR") == null)'
jqe '.corridors[] | select(.id == "northern") | [.legs[] | select(.kind == "transfer") | .from] | any(.[]; . == "BY-BREST" or . == "PL-MALASZEWICZE")'
jqe '.corridors[] | select(.id == "northern") | [.legs[] | .to[0:2]] | index("RU") != null'
jqe '.corridors[] | select(.id == "southern") | [.legs[] | .to[0:2]] | index("IR") != null'
jqe '.corridors[] | select(.id == "maritime") | [.legs[] | select(.mode == "sea")] | length >= 1'
# avoiding Russia removes the northern corridor
run 0 compare --from CN-XIAN --to DE-DUISBURG --avoid-country RU --json
jqe '(.corridors[] | select(.id == "northern") | .route_found) == false'
jqe '(.corridors[] | select(.id == "middle") | .route_found) == true'

# Baku -> Nakhchivan by rail: through Iran today; through the new links under TRIPP
run 0 route --from AZ-BAKU --to AZ-NAKHCHIVAN --modes rail --optimize time --json
jqe '[.routes[0].legs[].to | .[0:2]] | index("IR") != null'
today_km=$(printf '%s' "$OUT" | jq '.routes[0].totals.km')
run 0 route --from AZ-BAKU --to AZ-NAKHCHIVAN --modes rail --optimize time --scenario "$TRIPP" --json
jqe '[.routes[0].legs[].to | .[0:2]] | index("IR") == null'
jqe '[.routes[0].legs[].to | .[0:2]] | index("AM") != null'
tripp_km=$(printf '%s' "$OUT" | jq '.routes[0].totals.km')
check "TRIPP route shorter ($tripp_km km) than today's ($today_km km)" \
  awk -v a="$tripp_km" -v b="$today_km" 'BEGIN { exit !(a < b) }'
# the scenario changes nothing on disk: without it, Iran again
run 0 route --from AZ-BAKU --to AZ-NAKHCHIVAN --modes rail --json
jqe '[.routes[0].legs[].to | .[0:2]] | index("IR") != null'

# the middle corridor's throughput (rail and ferry, not through Russia, Belarus or Iran):
# Alat port limits it; closing the Caspian crossings leaves nothing
MIDDLE=(--from CN --to EU --modes rail,ferry --avoid-country RU,BY,IR --json)
run 0 flow "${MIDDLE[@]}"
jqe '.value > 0'
run 1 flow "${MIDDLE[@]}" --scenario "$SRC/tests/data/cli/caspian-closed.json"
jqe '.value == 0'
# and stress names the crossing: losing Alat loses it all (as does losing any node of the
# single line across Kazakhstan, Azerbaijan and Georgia)
run 0 stress --from CN --to EU --measure throughput --modes rail,ferry --avoid-country RU,BY,IR \
  --elements nodes --json
jqe '[.elements[] | select(.share == 1) | .id] | index("AZ-ALAT") != null'

finish
