#!/usr/bin/env bash
# End-to-end: `corridor build` and the .cor file — every analysing command gives the same
# --json on the .cor as on its source; `info` and `validate` on a .cor; damaged files
# (truncated, a bit flipped, wrong magic, version, endianness) refused with exit 2 and a
# message naming the file; -o written atomically.
. "$(dirname "$0")/lib.sh"
MODEL=$SRC/data/corridor.geojson
MM=$SRC/tests/data/cli/multimodal.geojson
COR_FILE=$TMP/model.cor

run 0 build --help && has "Examples:" && has "corridor build --network"
run 2 build --network "$MODEL"; has "-o OUT.cor is required" ERR
run 2 build -o "$COR_FILE"; has "--network FILE is required" ERR
run 2 build --network "$MODEL" -o "$COR_FILE" --profiles time,speed; has "unknown objective 'speed'" ERR
run 2 build --network "$MODEL" -o "$COR_FILE" --profiles time,time; has "listed twice" ERR
check "nothing written after refusals" test ! -e "$COR_FILE"
run 2 build --network "$TMP/absent.geojson" -o "$COR_FILE"; has "absent.geojson" ERR

run 0 build --network "$MODEL" -o "$COR_FILE" --profiles cost,time,co2
has "3 graphs (cost, time, co2)"
check "no temporary file left beside the output" test -z "$(ls -A "$TMP" | grep "\.tmp-" || true)"

# info: counts, the format and library version, the stored profiles, every section
run 0 info "$COR_FILE"
has "format version 1, written by corridor" && has "built from geojson"
has "g0 = cost, g1 = time, g2 = co2" && has "link.cost" && has "g1.first_out"
run 0 info "$COR_FILE" --json
jqe '.compiled.format_version == 1 and .compiled.source_format == "geojson"'
jqe '[.compiled.profiles[].objective] == ["cost", "time", "co2"]'
jqe '(.compiled.sections | map(select(.name == "node.id")) | .[0].count) == .nodes'
src_info=$("$COR" info "$MODEL" --json | jq -c 'del(.file, .compiled)')
check "info's counts equal on the source and the .cor" test "$src_info" = "$(printf '%s' "$OUT" | jq -c 'del(.file, .compiled)')"
run 0 validate "$COR_FILE"; has "valid: 100 nodes, 137 links"
run 0 validate "$COR_FILE" --json; jqe '.valid == true'

# the same answers, byte for byte, from the .cor and from the source
printf 'from,to,quantity\nCN-XIAN,DE-DUISBURG,10\nCN-URUMQI,TR-ISTANBUL,4\n' >"$TMP/od.csv"
printf 'CN-XIAN,DE-DUISBURG\nCN-URUMQI,TR-ISTANBUL\n' >"$TMP/pairs.csv"
# (but for route's "engine": a query the .cor's stored index can answer says "cch")
same() { # same ARGS...: the command's --json on the source and on the .cor are identical
  CHECKS=$((CHECKS + 1))
  local a b
  a=$("$COR" "$@" --network "$MODEL" --json 2>&1 | grep -v '^  "engine": '); local ea=${PIPESTATUS[0]}
  b=$("$COR" "$@" --network "$COR_FILE" --json 2>&1 | grep -v '^  "engine": '); local eb=${PIPESTATUS[0]}
  if [ "$a" != "$b" ] || [ "$ea" != "$eb" ] || [ -z "$a" ]; then
    echo "FAIL: corridor $* differs on the .cor (exit $ea vs $eb)"
    diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -10
    FAILS=$((FAILS + 1))
  fi
}
same route --from CN-XIAN --to DE-DUISBURG
run 0 route --network "$COR_FILE" --from CN-XIAN --to DE-DUISBURG --json; jqe '.engine == "cch"'
run 0 route --network "$MODEL" --from CN-XIAN --to DE-DUISBURG --json; jqe '.engine == "dijkstra"'
run 0 route --network "$COR_FILE" --from CN-XIAN --to DE-DUISBURG --json --alternatives 2; jqe '.engine == "dijkstra"'
same route --from CN-XIAN --to DE-DUISBURG --optimize time --alternatives 3
same route --from CN-XIAN --to DE-DUISBURG --optimize generalised --value-of-time 2
same route --from CN-XIAN --to DE-DUISBURG --avoid-country RU --optimize co2
same route --from CN-XIAN --to DE-DUISBURG --scenario "$SRC/data/scenarios/tripp.json"
same route --pairs "$TMP/pairs.csv" --optimize time
same matrix --from CN-XIAN,CN-URUMQI --to DE-DUISBURG,TR-ISTANBUL --optimize time
same compare --from CN-XIAN --to DE-DUISBURG --optimize time
same flow --from CN --to EU
same stress --od "$TMP/od.csv" --optimize time --threads 2
same assign --od "$TMP/od.csv" --optimize time
same route --from CN-XIAN --to DE-DUISBURG --scenario "$SRC/data/scenarios/caspian-storm.json" --optimize time
same energy --region TR
# the default demand (cities and ports) on the index: nodes reached only by planned links
# (Nakhchivan) are no pair of it on the .cor either, whose stored topology has their arcs
printf 'link,crew_days\nsea-CN-SHANGHAI-EG-SUEZ,20\nrail-DE-DUISBURG-NL-ROTTERDAM,5\n' >"$TMP/closed.csv"
same restore --closed "$TMP/closed.csv" --optimize time
same flow --layer gas --from AZ-SHAH-DENIZ --to IT

# a small multimodal network and --format cor on a file without the extension
run 0 build --network "$MM" -o "$TMP/mm.bin" --profiles time
run 0 route --network "$TMP/mm.bin" --format cor --from A --to E --optimize time --json
a=$OUT
run 0 route --network "$MM" --from A --to E --optimize time --json
check "multimodal route equal with --format cor" test "$(jq -c 'del(.engine)' <<<"$a")" = "$(jq -c 'del(.engine)' <<<"$OUT")"
run 0 stress --network "$TMP/mm.bin" --od <(printf 'from,to,quantity\nA,E,10\n') --optimize time --json
b=$OUT
run 0 stress --network "$MM" --od <(printf 'from,to,quantity\nA,E,10\n') --optimize time --json
check "multimodal stress equal on the .cor" test "$b" = "$OUT"
R=(--closed "$SRC/tests/data/restore/two.csv" --od "$SRC/tests/data/restore/od-ae.csv" --crews 2 --json)
run 0 restore --network "$TMP/mm.bin" "${R[@]}"
b=$OUT
run 0 restore --network "$MM" "${R[@]}"
check "multimodal restore equal on the .cor" test "$b" = "$OUT"

# a pgRouting table keeps its meaning (capacities and costs read the pgRouting way)
PG=$SRC/tests/data/pgrouting/edges.csv
run 0 build --network "$PG" -o "$TMP/pg.cor"
for args in "route --from 5 --to 10" "flow --from 5 --to 10" "flow --from 5 --to 10 --capacity cost"; do
  # shellcheck disable=SC2086
  a=$("$COR" $args --network "$PG" --json 2>&1 | grep -v '^  "engine": ')
  b=$("$COR" $args --network "$TMP/pg.cor" --json 2>&1 | grep -v '^  "engine": ')
  check "pgRouting $args equal on the .cor" test "$a" = "$b" -a -n "$a"
done
run 0 info "$TMP/pg.cor"; has "built from pgrouting"

# damaged files: exit 2, the file and what is wrong named, for every command
size=$(stat -c %s "$COR_FILE")
for cut in 0 10 64 200 $((size / 3)) $((size - 1)); do
  head -c "$cut" "$COR_FILE" >"$TMP/cut.cor"
  run 2 route --network "$TMP/cut.cor" --from CN-XIAN --to DE-DUISBURG; has "cut.cor" ERR
done
run 2 validate "$TMP/cut.cor"; has "truncated" ERR
flip() { # flip OFFSET: a copy of the model's .cor with one bit of byte OFFSET flipped
  cp "$COR_FILE" "$TMP/flip.cor"
  local byte
  byte=$(od -An -tu1 -j "$1" -N1 "$COR_FILE" | tr -d ' ')
  printf "$(printf '\\%03o' $((byte ^ 4)))" | dd of="$TMP/flip.cor" bs=1 seek="$1" conv=notrunc status=none
}
for at in 0 9 13 20 40 50 70 100 300 1000 $((size / 2)) $((size - 3)); do
  flip "$at"
  run 2 route --network "$TMP/flip.cor" --from CN-XIAN --to DE-DUISBURG; has "flip.cor" ERR
done
flip $((size / 2)); run 2 info "$TMP/flip.cor"; has "damaged" ERR
flip 1; run 2 validate "$TMP/flip.cor"; has "not a compiled network file" ERR
patch32() { # patch32 OFFSET VALUE: a copy with a little-endian 32-bit value written
  cp "$COR_FILE" "$TMP/patch.cor"
  printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($2 & 255)) $(($2 >> 8 & 255)) $(($2 >> 16 & 255)) $(($2 >> 24 & 255)))" |
    dd of="$TMP/patch.cor" bs=1 seek="$1" conv=notrunc status=none
}
patch32 8 7; run 2 route --network "$TMP/patch.cor" --from CN-XIAN --to DE-DUISBURG
has "format version 7" ERR && has "rebuild it" ERR
patch32 12 $((0x04030201)); run 2 info "$TMP/patch.cor"; has "other byte order" ERR
printf 'not a network\n' >"$TMP/text.cor"
run 2 info "$TMP/text.cor"; has "text.cor" ERR

# counts past 32-bit indices are refused at the door (a graph arc is link << 1)
printf 'p sp 5 3000000000\n' >"$TMP/huge.gr"
run 2 build --network "$TMP/huge.gr" -o "$TMP/huge.cor"; has "huge.gr:1: field 'arcs'" ERR; has "2147483646" ERR

# -o goes through a temporary file: a failed write leaves the old file whole
cp "$COR_FILE" "$TMP/keep.cor"
run 2 build --network "$SRC/tests/data/broken/absent-on-purpose.geojson" -o "$TMP/keep.cor"
check "a failed build leaves the old .cor as it was" cmp -s "$COR_FILE" "$TMP/keep.cor"

# the DIMACS road graph of New York, when the shared data is there
NY=$SHARED/dimacs9/USA-road-d.NY.gr.gz
if [ -f "$NY" ]; then
  run 0 build --network "$NY" -o "$TMP/ny.cor"
  printf '1,200000\n5000,100\n264346,1\n' >"$TMP/ny-pairs.csv"
  run 0 route --network "$NY" --pairs "$TMP/ny-pairs.csv" --csv; a=$OUT
  run 0 route --network "$TMP/ny.cor" --pairs "$TMP/ny-pairs.csv" --csv
  check "NY pairs equal on the .cor" test "$a" = "$OUT"
  run 0 validate "$TMP/ny.cor"; has "valid: 264346 nodes, 733846 links"
else
  echo "skipping the NY part: $NY is absent"
fi
finish
