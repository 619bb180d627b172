#!/usr/bin/env bash
# End-to-end: `corridor restore` — the clearance order, its schedule, the curve and the plot.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
D=$SRC/tests/data/restore
near() { awk -v x="$1" -v y="$2" 'BEGIN { d = x - y; exit !(d < 1e-9 && d > -1e-9) }'; }

run 0 restore --help && has "Example:" && has "--closed FILE"

# A-E by time: 64 h through B-C (BC closed), 70 h by F (AF closed), 100 h by the direct
# road (open). Clearing BC first (2 days) gives 64/100 for 2 days then 1: 9.28 over 10 days;
# AF first gives 3 days at 0.64, 2 at 64/70, then 1.
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --horizon-days 10 --depot F --json
jqe '.method == "exact" and .optimal == true and .interrupted == false'
jqe '.orders.best.steps[0].link == "BC" and .orders.best.steps[0].finish_day == 2'
jqe '.orders.best.steps[1].start_day == 2 and .orders.best.steps[1].finish_day == 5'
jqe '.initial_accessibility == 0.64 and .demand.pairs == 1 and .demand.pairs_affected == 1'
jqe '.orders["nearest-first"].steps[0].link == "AF" and .depot == "F"'
jqe '.orders["shortest-first"].steps[0].link == "BC"'
best=$(printf '%s' "$OUT" | jq '.orders.best.area')
nearest=$(printf '%s' "$OUT" | jq '.orders["nearest-first"].area')
check "best area $best is 2 x 0.64 + 8" near "$best" 9.28
check "nearest-first area $nearest is 3 x 0.64 + 2 x 64/70 + 5" near "$nearest" "$(awk 'BEGIN { printf "%.17g", 1.92 + 2 * 64 / 70 + 5 }')"
jqe '(.orders["nearest-first"].best_gain - (.orders.best.area - .orders["nearest-first"].area)) | fabs < 1e-9'
jqe '.orders.best.curve == [[0, 0.64], [2, 1], [5, 1]]'
jqe '.closed[0].usable and .closed[0].pairs_using == 1 and .closed[1].pairs_using == 0'

# two crews: both start on day 0
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --crews 2 --json
jqe '[.orders.best.steps[].start_day] == [0, 0] and ([.orders.best.steps[].crew] | sort) == [1, 2]'

# the table: the order, the schedule and the comparison
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --horizon-days 10 --depot F
has "Best order (exact: the best of all orders)"; has "nearest first (from F)"; has "best saves"
has "BC"; has "0.53 ("

# CSV of every order's schedule; GeoJSON of the best order's links
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --csv
has "order,position,link,crew,start_day,finish_day,crew_days,accessibility"; has "best,1,BC,1,0,2,2,1"
check "CSV: a header and 2 rows per order" test "$(printf '%s\n' "$OUT" | wc -l)" -eq 7
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --geojson
jqe '.type == "FeatureCollection" and (.features | length) == 2'
jqe '.features[0].properties.link == "BC" and .features[0].properties.order == 1 and .features[0].geometry.type == "LineString"'

# the curve as CSV and the plot as SVG, written beside the output
run 0 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --horizon-days 10 --depot F \
  --curve "$TMP/curve.csv" --svg "$TMP/plot.svg" --output "$TMP/out.json" --json
check "curve written" test -s "$TMP/curve.csv"
check "curve header" grep -qx "day,best,shortest_first,nearest_first" "$TMP/curve.csv"
check "curve at day 2" grep -qx "2,1,1,0.64" "$TMP/curve.csv"
check "curve ends at the horizon" grep -qx "10,1,1,1" "$TMP/curve.csv"
check "svg opens and closes" sh -c "head -1 '$TMP/plot.svg' | grep -q '^<svg xmlns' && tail -1 '$TMP/plot.svg' | grep -qx '</svg>'"
check "svg: three step curves" test "$(grep -c '<path ' "$TMP/plot.svg")" -eq 3
check "svg: axis labels and legend" sh -c "grep -q 'days since clearance began' '$TMP/plot.svg' && grep -q 'nearest first (F)' '$TMP/plot.svg'"
check "svg: ticks" test "$(grep -c 'text-anchor=\"middle\">[0-9]' "$TMP/plot.svg")" -ge 5
check "no temporary files left" test "$(ls -A "$TMP" | grep -c tmp-)" -eq 0

# default demand: equal weight among cities, seaports, rail terminals (A, C, D, E, F)
run 0 restore --network "$MM" --closed "$D/two.csv" --json
jqe '.demand.pairs == 20 and (.demand.source | startswith("equal weight per pair"))'

# bad input: every bad row with file:line and field, exit 2, nothing written
run 2 restore --network "$MM" --closed "$D/bad.csv" --output "$TMP/bad.json" --svg "$TMP/bad.svg" --curve "$TMP/bad.csv"
has "bad.csv:4: field 'link': no link has the id 'NOPE'" ERR
has "bad.csv:5: field 'crew_days': must be more than 0 crew-days" ERR
has "bad.csv:6: field 'crew_days': 'many' is not a number" ERR
has "bad.csv:7: field 'link': 'BC' is listed twice (first on line 3)" ERR
check "nothing written on bad input" test ! -e "$TMP/bad.json" -a ! -e "$TMP/bad.svg" -a ! -e "$TMP/bad.csv"
check "no temporary files left on failure" test "$(ls -A "$TMP" | grep -c tmp-)" -eq 0
run 2 restore --network "$MM" --closed "$D/no-link-column.csv"; has "no-link-column.csv:1: field 'link'" ERR
run 2 restore --network "$MM" --closed "$TMP/none.csv"; has "none.csv" ERR
run 2 restore --network "$MM"; has "no closed links given (--closed FILE" ERR
run 2 restore --network "$MM" --closed "$D/two.csv" --crews 0; has "--crews" ERR
run 2 restore --network "$MM" --closed "$D/two.csv" --horizon-days -5; has "--horizon-days" ERR
run 2 restore --network "$MM" --closed "$D/two.csv" --method best; has "--method takes" ERR
run 2 restore --network "$MM" --closed "$D/two.csv" --depot Q; has "--depot: no node has the id 'Q'" ERR
printf 'from,to,quantity\nA,Q,1\n' >"$TMP/od-bad.csv"
run 2 restore --network "$MM" --closed "$D/two.csv" --od "$TMP/od-bad.csv"; has "od-bad.csv:2: field 'to'" ERR

# the example on the embedded model: the TRIPP railways, six illustrative closures
EX=$SRC/data/restore/example-mined.csv
run 0 restore --closed "$EX" --crews 2 --scenario "$SRC/data/scenarios/tripp.json" --json
jqe '.method == "exact" and .optimal and (.orders.best.steps | length) == 6'
jqe '.orders.best.area >= .orders["shortest-first"].area and .orders.best.area >= .orders["nearest-first"].area'
jqe '.orders.best.area > .orders["shortest-first"].area'
jqe '.initial_accessibility < 1 and .demand.pairs_affected > 0'
jqe '[.closed[] | select(.link == "rail-AZ-HORADIZ-AZ-AGHBAND") | .usable] == [true]'
# without the scenario the planned railways carry nothing: the table says so
run 0 restore --closed "$EX" --crews 2; has "carry nothing under this profile"
# without --closed: the network's mined links, each with its own clearance_days
SCN=$SRC/tests/data/scenario/net.geojson
run 0 restore --network "$SCN" --optimize cost --json
jqe '[.closed[] | {link, crew_days}] == [{"link": "DM", "crew_days": 30}]'
jqe '.orders.best.steps[0].finish_day == 30'
run 2 restore --network "$MM" --optimize time; has "the network has no mined link" ERR

# an evaluation budget: the heuristic stops improving and says so
run 0 restore --closed "$EX" --crews 2 --scenario "$SRC/data/scenarios/tripp.json" --method heuristic \
  --max-evaluations 10 --json
jqe '.budget_reached == true and .optimal == false'
run 0 restore --closed "$EX" --crews 2 --scenario "$SRC/data/scenarios/tripp.json" --method heuristic \
  --max-evaluations 10
has "stopped improving at --max-evaluations"
run 0 restore --closed "$EX" --crews 2 --scenario "$SRC/data/scenarios/tripp.json" --json
jqe '.budget_reached == false'
run 2 restore --closed "$EX" --max-evaluations 0; has "--max-evaluations needs" ERR

# an unknown depot is named
run 2 restore --network "$MM" --closed "$D/two.csv" --od "$D/od-ae.csv" --depot NOWHERE; has "no node has the id 'NOWHERE'" ERR

finish
