#!/usr/bin/env bash
# End-to-end: input limits (issue 12; docs/LIMITS.md). Every file a command reads stops at
# --max-input BYTES (default 256M): a gzip bomb, /dev/zero as any input, a file past the
# limit are refused with exit 2 and a message naming the file and the limit; declared
# counts are checked against the file before anything is allocated.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
SC=$SRC/tests/data/scenario
RS=$SRC/tests/data/restore

# --max-input: parsed once for every command, bad values refused
for bad in 0 -5 1X 12MB '' 99999999999G; do
  run 2 info "$MM" --max-input "$bad" && has "--max-input needs a number of bytes" ERR
done
run 0 route --help && has "--max-input BYTES"
run 0 build --help && has "--max-input BYTES"

# a file past the limit is refused before it is read, naming it and the limit; raising
# the limit lets it through (K, M, G suffixes)
size=$(stat -c %s "$MM")
run 2 route --network "$MM" --from A --to E --max-input 1000
has "multimodal.geojson: field 'max_input_bytes': the file is $size bytes" ERR
has "limit of 1000 bytes" ERR; has "--max-input" ERR
run 0 route --network "$MM" --from A --to E --max-input 1M
run 0 route --network "$MM" --from A --to E --max-input "$size"
run 2 route --network "$MM" --from A --to E --max-input $((size - 1))
run 2 build --network "$MM" -o "$TMP/mm.cor" --max-input 1K && has "max_input_bytes" ERR
check "a refused build writes nothing" test ! -e "$TMP/mm.cor"

# a gzip bomb: 4 MB of zeros in a few KB stops at the decompressed limit
head -c 4000000 /dev/zero | gzip -9 >"$TMP/bomb.geojson.gz"
run 2 info "$TMP/bomb.geojson.gz" --max-input 1M
has "bomb.geojson.gz: field 'max_decompressed_bytes': decompresses to more than the limit of 1048576 bytes (1 MiB)" ERR
head -c 4000000 /dev/zero | gzip -9 >"$TMP/bomb.gr.gz"
run 2 validate "$TMP/bomb.gr.gz" --max-input 100K && has "max_decompressed_bytes" ERR

# /dev/zero as every kind of input file: stopped at the limit, not read until memory ends
for fmt in geojson pgrouting dimacs; do
  run 2 info /dev/zero --format "$fmt" --max-input 64K
  has "/dev/zero: field 'max_input_bytes': holds more than the limit of 65536 bytes (64 KiB), so reading stopped there" ERR
done
run 2 route --network "$MM" --from A --to E --scenario /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 scenario diff /dev/zero --network "$MM" --from A --to E --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 route --network "$MM" --pairs /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 restore --network "$MM" --closed /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 assign --network "$MM" --demand /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 stress --network "$MM" --od /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
run 2 restore --network "$MM" --closed "$RS/two.csv" --od /dev/zero --max-input 64K
has "/dev/zero: field 'max_input_bytes'" ERR
printf 'from,to,quantity\nA,E,5\n' | gzip >"$TMP/od.csv.gz"
run 0 assign --network "$MM" --demand "$TMP/od.csv.gz" --json
# the default limit: a sparse file one byte past 256 MiB is refused by its size, unread
truncate -s $((256 * 1024 * 1024 + 1)) "$TMP/big.json"
run 2 route --network "$MM" --from A --to E --scenario "$TMP/big.json"
has "big.json: field 'max_input_bytes': the file is 268435457 bytes" ERR
has "limit of 268435456 bytes (256 MiB)" ERR

# DIMACS headers: counts checked against the file before anything is allocated
printf 'p sp 2000000000 0' >"$TMP/h18.gr"
run 2 info "$TMP/h18.gr" && has "h18.gr:1: field 'nodes': the header announces 2000000000 nodes" ERR
printf 'p sp 12000000 0\n' >"$TMP/h17.gr"
run 2 build --network "$TMP/h17.gr" -o "$TMP/h17.cor" && has "h17.gr:1: field 'nodes'" ERR
printf 'p sp 5 1000000\n' >"$TMP/arcs.gr"
run 2 validate "$TMP/arcs.gr" && has "arcs.gr:1: field 'arcs': the header announces 1000000 arcs" ERR

# the pairs file read through the limits keeps its meaning (gzip read too)
printf 'from,to\nA,E\n# a comment\n\nE A\n' | gzip >"$TMP/pairs.csv.gz"
run 0 route --network "$MM" --pairs "$TMP/pairs.csv.gz" --json
jqe 'length == 2 and .[0].from == "A" and .[1].from == "E"'
printf 'A,E\nA,nowhere\n' >"$TMP/pairs.csv"
run 2 route --network "$MM" --pairs "$TMP/pairs.csv" && has "pairs.csv:2" ERR
printf 'A,E\nA\0,E\n' >"$TMP/nul.csv"
run 2 route --network "$MM" --pairs "$TMP/nul.csv" && has "nul.csv:2" ERR && has "NUL byte" ERR
run 2 route --network "$MM" --pairs "$TMP/absent.csv" && has "absent.csv" ERR

finish
