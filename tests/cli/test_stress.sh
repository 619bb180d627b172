#!/usr/bin/env bash
# End-to-end: `corridor stress` — single-element criticality for a demand.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
printf 'from,to,quantity\nA,E,10\nA,C,5\n' >"$TMP/od.csv"

run 0 stress --help && has "Example:"
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
has "kind,id,extra_cost,pairs_affected,pairs_disconnected,unserved"; has "node,B,"
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
finish
