#!/usr/bin/env bash
# End-to-end: `corridor stress` — single-element criticality for a demand.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
printf 'from,to,quantity\nA,E,10\nA,C,5\n' >"$TMP/od.csv"

run 0 stress --help && has "Examples:"
# time: A-E goes A-B-C-D-E (64 h); without CD it takes the road via F (70 h), +6 h x 10
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --json
jqe '(.elements[] | select(.id == "CD") | .extra_cost) == 60'
jqe '(.elements[] | select(.id == "AF") | .pairs_affected) == 0'
ab=$(printf '%s' "$OUT" | jq '.elements[] | select(.id == "AB") | .extra_cost')
# the same figure from routes: 10 x (A-E without AB - with) + 5 x (A-C without AB - with)
h() { "$COR" route --network "$MM" --from "$1" --to "$2" --optimize time --json "${@:3}" | jq '.routes[0].totals.cost'; }
want=$(awk -v a="$(h A E --avoid-link AB)" -v b="$(h A E)" -v c="$(h A C --avoid-link AB)" -v d="$(h A C)" \
  'BEGIN { print 10 * (a - b) + 5 * (c - d) }')
check "AB's extra cost ($ab) equals the routes' difference ($want)" awk -v x="$ab" -v y="$want" 'BEGIN { exit !(x == y) }'
# closing both ways out of A's rail and road disconnects everything from A
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements nodes --json
jqe '(.elements[] | select(.id == "A") | .unserved) == 15'
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements nodes --csv
has "kind,id,extra_cost,extra_hours,extra_usd,extra_co2_kg,pairs_affected,pairs_disconnected,unserved"; has "node,B,"
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements both --top 3
has "Most critical elements (3 of 14)"
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements both --threads 1 --csv
one=$OUT
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements both --threads 3 --csv
check "the same ranking with 1 and 3 threads" test "$one" = "$OUT"
run 2 stress --network "$MM" --od "$TMP/od.csv" --threads 0; has "--threads" ERR
run 2 stress --network "$MM"; has "give --od FILE" ERR
run 2 stress --network "$MM" --od "$TMP/od.csv" --elements bridges; has "--elements takes" ERR
printf 'A,Q,1\n' >"$TMP/bad.csv"
run 2 stress --network "$MM" --od "$TMP/bad.csv"; has "bad.csv:1: field 'to'" ERR

# the detour's figures: CD's loss sends A-E by road via F, 6 h more for 10 units
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --json
jqe '(.elements[] | select(.id == "CD") | .extra_hours) == 60'
usd_cd=$(printf '%s' "$OUT" | jq '.elements[] | select(.id == "CD") | .extra_usd')
rusd() { "$COR" route --network "$MM" --from A --to E --optimize time --json "$@" | jq '.routes[0].totals.usd'; }
want=$(awk -v a="$(rusd --avoid-link CD)" -v b="$(rusd)" 'BEGIN { print 10 * (a - b) }')
check "CD's extra USD ($usd_cd) is 10 x the detour's ($want)" awk -v x="$usd_cd" -v y="$want" 'BEGIN { exit !(x == y) }'

# a loss that cuts off every pair it affects has no detour: extra hours, USD and CO2 are
# empty (CSV) / null (JSON), not 0; A-C by rail has no way round AB
run 0 stress --network "$MM" --od <(printf 'A,C,5\n') --modes rail --csv
has "link,AB,0,,,,1,1,5"; has "link,CD,0,0,0,0,0,0,0"
run 0 stress --network "$MM" --od <(printf 'A,C,5\n') --modes rail --json
jqe '.elements[] | select(.id == "AB") | .extra_hours == null and .extra_usd == null and .extra_co2_kg == null and .unserved == 5'
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements nodes --json
jqe '(.elements[] | select(.id == "A") | .extra_hours) == null'
jqe '(.elements[] | select(.id == "C") | .extra_hours == 60 and .pairs_disconnected == 1)'

# --days: lost tonne-days = q/365 x D x extra h/24 (+ q/365 x D^2/2 when cut off)
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --days 10 --json
jqe '(.elements[] | select(.id == "CD") | .lost_tonne_days) - (60 / 24 * 10 / 365) | fabs < 1e-12'
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --elements nodes --days 10 --json
jqe '(.elements[] | select(.id == "A") | .lost_tonne_days) - (15 / 365 * 100 / 2) | fabs < 1e-9'

# a scenario's duration is the closure's length when --days is not given
printf '{"name": "d", "changes": [{"op": "close", "links": ["AF"], "duration_days": 10}]}' >"$TMP/ten.json"
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --scenario "$TMP/ten.json" --json
jqe '.days == 10 and (.elements[] | select(.id == "CD") | .lost_tonne_days) != null'

# k = 2: pairs among the top candidates, each equal to both elements avoided at once
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --k 2 --candidates 4 --json
jqe '.candidates == 4 and (.pairs | length) == 6'
jqe '.candidate_rule | test("4 most critical")'
first=$(printf '%s' "$OUT" | jq -r '.pairs[0] | "\(.id) \(.id2) \(.extra_cost) \(.unserved)"')
set -- $first
both() {
  local r
  r=$("$COR" route --network "$MM" --from "$1" --to "$2" --optimize time --json --avoid-link "$3,$4" 2>/dev/null) &&
    printf '%s' "$r" | jq '.routes[0].totals.cost' || echo none
}
ae=$(both A E "$1" "$2"); ac=$(both A C "$1" "$2")
want=$(awk -v a="$ae" -v b="$(h A E)" -v c="$ac" -v d="$(h A C)" 'BEGIN {
  x = 0; u = 0
  if (a == "none") u += 10; else x += 10 * (a - b)
  if (c == "none") u += 5; else x += 5 * (c - d)
  print x, u }')
check "the worst pair ($1 + $2: $3, $4 unserved) equals routing without both ($want)" test "$3 $4" = "$want"
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --k 2 --top 3
has "Most critical pairs of elements (3 of"; has "beyond alone"
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --k 2 --csv
has "kind,id,kind2,id2,extra_cost"
run 2 stress --network "$MM" --od "$TMP/od.csv" --k 3; has "--k takes 1 or 2" ERR
run 2 stress --network "$MM" --od "$TMP/od.csv" --candidates 5; has "--candidates goes with --k 2" ERR
run 2 stress --network "$MM" --od "$TMP/od.csv" --days -1; has "--days needs" ERR

# GeoJSON: links coloured by criticality, the worst first
run 0 stress --network "$MM" --od "$TMP/od.csv" --optimize time --geojson
jqe '.type == "FeatureCollection" and (.features | length) == 8'
jqe '.features[0].properties.rank == 1 and (.features[0].properties.stroke | test("^#[0-9a-f]{6}$"))'
jqe '.features[0].geometry.type == "LineString"'

# regions: every pair origin in A, destination in B
run 0 stress --network "$MM" --from A --to C,E --optimize time --json
jqe '.demand_pairs == 2'
run 2 stress --network "$MM" --from A --to ZZ; has "field 'to'" ERR; has "ZZ" ERR
run 2 stress --network "$MM" --od "$TMP/od.csv" --from A --to E; has "not both" ERR

# throughput: each element's loss equals the flow recomputed without it
MODEL=$SRC/data/corridor.geojson
run 0 stress --network "$MODEL" --from CN --to EU --measure throughput --modes rail,ferry --elements both --json
base=$(printf '%s' "$OUT" | jq '.base')
top=$(printf '%s' "$OUT" | jq -r '.elements[0] | "\(.kind) \(.id) \(.throughput_lost)"')
set -- $top
flow_without=$("$COR" flow --network "$MODEL" --from CN --to EU --modes rail,ferry --avoid-$1 "$2" --json | jq '.value')
check "the largest throughput loss ($2: $3 of $base) is the flow without it ($flow_without)" \
  awk -v b="$base" -v l="$3" -v w="$flow_without" 'BEGIN { exit !(b - l == w) }'
run 1 stress --network "$MODEL" --from CN --to EU --measure throughput
has "no limit" ERR; has "NL-ROTTERDAM" ERR
run 2 stress --network "$MODEL" --od "$TMP/od.csv" --measure throughput; has "needs --from and --to" ERR
# a scenario that names its own from and to is the question when none is given
run 0 stress --network "$MODEL" --scenario "$SRC/data/scenarios/caspian-storm.json" --json
jqe '.demand_pairs == 1 and .days == 16'
run 2 stress --network "$MODEL" --scenario "$SRC/tests/data/cli/caspian-closed.json"
has 'the scenario names no "from" and "to"' ERR

# bad values of the new options, each named
run 2 stress --network "$MM" --od "$TMP/od.csv" --measure speed; has "--measure takes time, cost, co2, distance or throughput" ERR
run 2 stress --network "$MM" --from A --to E --measure throughput --k 2; has "--k 2 is for time" ERR
run 2 stress --network "$MM" --from A; has "give --od FILE, or --from and --to" ERR

finish
