#!/usr/bin/env bash
# End-to-end: `corridor scenario diff` and the full scenario format through `route`,
# `flow` and `compare` (tests/data/scenario/net.geojson: A -> T is 93 h by rail and ferry,
# 1,030 USD by cost, 300 a year at most, the ferry C-D being the limit).
. "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/scenario
NET=$D/net.geojson

# --- scenario diff on the small network
run 0 scenario diff "$D/slow-ferry.json" --network "$NET" --from A --to T --json
jqe '.scenario.name == "Slow ferry" and .scenario.duration_days == 10 and .scenario.changes == 2'
jqe '[.changes[] | select(.id == "CD") | .change] | sort == ["capacity", "cost", "duration_hours", "frequency_per_week"]'
jqe '.changes[] | select(.change == "capacity") | .before == 300 and .after == 150'
jqe '.route.before.totals.hours == 93 and .route.after.totals.hours == 115 and .route.change.hours == 22'
jqe '.route.change.usd == 150'
jqe '.corridors[0].id == "ferry" and .corridors[0].change.hours == 22'
jqe '.corridors[1].before.route_found == false'
jqe '.throughput[0].over == "all links" and .throughput[0].before.value == 300 and .throughput[0].after.value == 150 and .throughput[0].change == -150'
run 0 scenario diff "$D/slow-ferry.json" --network "$NET" --from A --to T
has "Scenario: Slow ferry"; has "duration: 10.0 days"; has "capacity 300 -> 150"; has "+150"
has "Throughput per year from A to T"

# the scenario's own pair, an added link, and a mined link opened behind a closed border
run 0 scenario diff "$D/new-line.json" --network "$NET" --json
jqe '.from == "A" and .to == "T" and .route.after.totals.hours == 64'
jqe '.changes[0] == {"element": "link", "id": "BD", "change": "added", "mode": "rail", "from": "B", "to": "D"}'
jqe '[.route.after.legs[].link] | index("BD") != null'
jqe '.throughput[0].after.value == 350'
run 0 scenario diff "$D/border.json" --network "$NET" --json
jqe '[.changes[] | select(.change == "status") | .id] | sort == ["DM", "GT", "GT-road"]'
jqe '.route.after.totals.hours == 74 and ([.route.after.legs[].to] | index("M") != null)'
jqe '(.corridors[] | select(.id == "south") | .before.route_found == false and .after.route_found == true)'
jqe '(.throughput[] | select(.over == "all links") | .after.value) == 200'
# no pair at all: only the changes
run 0 scenario diff "$D/slow-ferry.json" --network "$NET"
has "What it changes (4)"; has "Give --from and --to"
run 0 scenario diff "$D/slow-ferry.json" --network "$NET" --json
jqe 'has("route") | not'
# no route before nor after: exit 1
run 1 scenario diff "$D/slow-ferry.json" --network "$NET" --from T --to A --modes road
# output to a file, atomically
run 0 scenario diff "$D/slow-ferry.json" --network "$NET" --from A --to T --json --output "$TMP/d.json"
check "diff written" test -s "$TMP/d.json"

# --- bad usage and bad scenarios: exit 2, the fault's JSON path named
run 2 scenario diff --network "$NET"; has "give the scenario FILE" ERR
run 2 scenario; has "scenario diff FILE" ERR
run 2 scenario diff "$D/slow-ferry.json" --network "$NET" --from A; has "both --from and --to" ERR
run 2 scenario diff "$D/slow-ferry.json" --network "$NET" --from A --to NOPE; has "'NOPE'" ERR
run 2 scenario diff "$D/slow-ferry.json" --network "$NET" --scenario "$D/border.json"; has "--scenario" ERR
run 2 scenario diff "$D/bad-path.json" --network "$NET"
has "field 'changes[2].factor': unknown member" ERR; has "field 'changes[2].capacity'" ERR
printf '{"name": "x", "changes": [{"op": "set", "links": ["CD"], "cost": -5, "duration_days": 0}]}' >"$TMP/neg.json"
run 2 route --network "$NET" --from A --to T --scenario "$TMP/neg.json"
has "field 'changes[0].cost': must be 0 or more" ERR; has "field 'changes[0].duration_days'" ERR
printf '{"name": "x", "changes": [{"op": "add", "links": [{"id": "Z", "from": "A", "to": "Q", "mode": "rail"}]}]}' >"$TMP/add.json"
run 2 scenario diff "$TMP/add.json" --network "$NET"; has "field 'changes[0].links[0].to': no node has the id 'Q'" ERR
printf '{"name": "x",\n "changes": [\n  {"op": "close",]}' >"$TMP/broken.json"
run 2 scenario diff "$TMP/broken.json" --network "$NET"; has "broken.json:3: invalid JSON" ERR
run 2 scenario diff "$TMP/absent.json" --network "$NET"; has "absent.json" ERR
run 0 scenario --help; has "Usage: corridor scenario diff"

# --- the other commands under set, scale and add scenarios
run 0 route --network "$NET" --from A --to T --optimize time --scenario "$D/slow-ferry.json" --json
jqe '.routes[0].totals.hours == 115 and .routes[0].totals.usd == 1180'
jqe '[.routes[0].legs[] | select(.link == "CD")][0] | .hours == 54 and .wait_hours == 24'
run 0 route --network "$NET" --from A --to T --optimize time --json
jqe '.routes[0].totals.hours == 93' # the network itself is unchanged
run 0 flow --network "$NET" --from A --to T --scenario "$D/slow-ferry.json" --json
jqe '.value == 150'
run 0 compare --network "$NET" --from A --to T --scenario "$D/border.json" --json
jqe '(.corridors[] | select(.id == "south") | .route_found) == true'
# a scenario that adds links: every command computes on the scenario's network, so the
# new line B-D is used and named (1,500 km of rail instead of the way round)
run 0 route --network "$NET" --from A --to T --scenario "$D/new-line.json" --json
jqe '[.routes[0].legs[].link] | index("BD") != null'
run 0 flow --network "$NET" --from A --to T --scenario "$D/new-line.json" --json
run 0 stress --network "$NET" --od <(printf 'from,to,quantity\nA,T,1\n') --scenario "$D/new-line.json" --json
jqe '[.elements[].id] | index("BD") != null'

# --- the embedded model's scenarios
run 0 scenario diff "$SRC/data/scenarios/tripp.json" --from AZ-BAKU --to AZ-NAKHCHIVAN --modes rail --json
jqe '[.route.before.legs[].to | .[0:2]] | index("IR") != null'
jqe '[.route.after.legs[].to | .[0:2]] | index("IR") == null'
jqe '.route.change.km < 0 and .route.change.hours < 0'
run 0 scenario diff "$SRC/data/scenarios/caspian-storm.json" --json
jqe '.scenario.duration_days == 16 and .from == "CN-XIAN" and .to == "DE-DUISBURG"'
jqe '(.corridors[] | select(.id == "middle") | .before.route_found == true and .after.route_found == false)'
jqe '(.throughput[] | select(.over == "middle") | .before.value > 0 and .after.value == 0)'
run 0 scenario diff "$SRC/data/scenarios/georgia-turkey-border.json" --json
jqe '[.changes[].id] | sort == ["rail-GE-AKHALKALAKI-TR-KARS", "road-GE-TBILISI-TR-KARS"]'
jqe '[.route.after.legs[] | select(.from[0:2] == "GE" and .to[0:2] == "TR")] | length == 0'
run 0 scenario diff "$SRC/data/scenarios/btk-before-2024.json" --modes rail --json
jqe '(.throughput[] | select(.over == "all links") | .after.value < .before.value)'
finish
