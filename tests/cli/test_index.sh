#!/usr/bin/env bash
# End-to-end: `--index cch` (route, route --pairs, matrix) writes what the exact search
# writes, on a multimodal network (transfers, gauges) and a DIMACS graph with positions
# (the inertial-flow order); a bad value is refused with exit 2.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
GR=$SRC/tests/data/dimacs/small.gr

# same_output ARGS...: the command's output with --index cch equals the one without.
# (route --json's "engine" says which answered: "cch" or "dijkstra"; the rest is equal)
same_output() {
  run "$1" "${@:2}"; local plain
  plain=$(grep -v '^  "engine": ' <<<"$OUT")
  run "$1" "${@:2}" --index cch
  check "--index cch changes nothing: ${*:2}" test "$(grep -v '^  "engine": ' <<<"$OUT")" = "$plain"
  run "$1" "${@:2}" --index none
  check "--index none changes nothing: ${*:2}" test "$(grep -v '^  "engine": ' <<<"$OUT")" = "$plain"
}

same_output 0 route --network "$MM" --from A --to E --optimize time --json
run 0 route --network "$MM" --from A --to E --optimize time --json --index cch; jqe '.engine == "cch"'
run 0 route --network "$MM" --from A --to E --optimize time --json; jqe '.engine == "dijkstra"'
same_output 0 route --network "$MM" --from A --to E --via C --csv
same_output 1 route --network "$MM" --from A --to E --modes rail,ferry --json
same_output 0 matrix --network "$MM" --from A,B,C --to D,E --optimize time --csv
same_output 0 matrix --network "$MM" --from A,B --to E,D --optimize cost --json
printf 'A,E\nB,D\nC,A\n' >"$TMP/mm-pairs.csv"
same_output 0 route --network "$MM" --pairs "$TMP/mm-pairs.csv" --optimize time --csv
same_output 0 route --network "$GR" --from 1 --to 4 --json
same_output 0 matrix --network "$GR" --from 1,2,3 --to 4,5 --csv

run 2 route --network "$MM" --from A --to E --index fast
has "unknown --index 'fast'" ERR
run 0 route --help; has "--index cch|none"
run 0 matrix --help; has "--index cch|none"

finish
