#!/usr/bin/env bash
# End-to-end: many pairs in one process (`route --pairs`) and `corridor matrix`.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
PGR=$SRC/tests/data/pgrouting/edges.csv

printf 'from,to\n6,10\n6 17\n\n# a comment\n1,17\n10,6\n' >"$TMP/pairs.csv"
run 0 route --network "$PGR" --pairs "$TMP/pairs.csv" --csv
has "from,to,cost,hours,km"
has $'6,10,5,,'; has $'6,17,4,,'; has $'1,17,5,,'; has $'10,6,1,,'
run 0 route --network "$PGR" --pairs "$TMP/pairs.csv" --json
jqe 'length == 4'; jqe '.[0].cost == 5'
run 0 route --network "$PGR" --pairs "$TMP/pairs.csv"
has "from"; has "10"

# a pair with no route: an empty row, and exit 1
printf 'A,E\nE,F\n' >"$TMP/mm-pairs.csv"
run 1 route --network "$MM" --pairs "$TMP/mm-pairs.csv" --modes rail,ferry,road --avoid-country RU --csv
has "A,E,840,64,2080,"; has "E,F,,,,,,,"
run 2 route --network "$PGR" --pairs "$TMP/nope.csv"; has "nope.csv" ERR
printf '6,10\n6,99\n7\n' >"$TMP/bad-pairs.csv"
run 2 route --network "$PGR" --pairs "$TMP/bad-pairs.csv" --csv
has "bad-pairs.csv:2: field 'to': no node has the id '99'" ERR
has "bad-pairs.csv:3: expected two node ids" ERR
printf '\x00\x01\x02' >"$TMP/bin-pairs.csv"
run 2 route --network "$PGR" --pairs "$TMP/bin-pairs.csv"; has "bin-pairs.csv:1" ERR
: >"$TMP/empty-pairs.csv"
run 2 route --network "$PGR" --pairs "$TMP/empty-pairs.csv"; has "no pairs" ERR
run 2 route --network "$PGR" --pairs "$TMP/pairs.csv" --from 6; has "--pairs replaces" ERR

# matrix
run 0 matrix --help && has "Example:"
run 0 matrix --network "$PGR" --from 6,1 --to 10,17
has "cost"; has "hours"
run 0 matrix --network "$PGR" --from 6,1 --to 10,17 --json
# directed, pgRouting documents 6->10 = 5, 6->17 = 4, 1->17 = 5 (pgr_dijkstra page)
jqe '.cost[0] == [5, 4] and .cost[1][1] == 5'
run 0 matrix --network "$PGR" --from 6,1 --to 10,17 --csv
has "from,to,cost,hours,km,usd,co2_kg,transfers,borders"; has "6,17,4,"
run 0 matrix --network "$MM" --from A,B --to E,D --optimize time --geojson
jqe '.features | length == 4'; jqe '.features[0].geometry.type == "LineString"'
run 1 matrix --network "$MM" --from A --to E,F --modes rail,ferry --json
jqe '.cost[0][0] == null'
run 2 matrix --network "$PGR" --from 6,99 --to 10; has "no node has the id '99'" ERR
run 2 matrix --network "$PGR" --from 6; has "give --from and --to" ERR

# --quiet (no progress bar) changes nothing in what is written; not a terminal: no bar anyway
run 0 route --network "$PGR" --pairs "$TMP/pairs.csv" --csv; plain=$OUT
run 0 route --network "$PGR" --pairs "$TMP/pairs.csv" --csv --quiet
check "--quiet leaves route --pairs' output as it is" test "$OUT" = "$plain"
check "no progress bar on a pipe" test -z "$(printf '%s' "$ERR" | tr -d '\n')"
run 0 matrix --network "$PGR" --from 6,1 --to 10,17 --quiet; has "10"

finish
