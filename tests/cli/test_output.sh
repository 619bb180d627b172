#!/usr/bin/env bash
# End-to-end: how --output, --geopackage and build's -o write (src/output_file.c): regular
# files atomically with the umask's permissions, a symlink's target replaced (the link
# stays), FIFOs, character devices and /dev/stdout written directly, and SIGTERM or SIGINT
# during a write leaving no temporary file.
. "$(dirname "$0")/lib.sh"
MM=$SRC/tests/data/cli/multimodal.geojson
ROUTE=(route --network "$MM" --from A --to E --json)
no_temp() { [ -z "$(find "$TMP" -name '*.tmp-*' -print -quit)" ]; }
mode() { stat -c %a "$1"; }
one_route() { [ -s "$1" ] && jq -e '.routes | length == 1' "$1" >/dev/null; } # jq 1.6 -e: 0 on no input

# umask: a new file gets 0666 less the umask, as any file would; a replaced one keeps its mode
(umask 022 && "$COR" "${ROUTE[@]}" --output "$TMP/r.json")
check "umask 022: the result is 0644 (got $(mode "$TMP/r.json"))" test "$(mode "$TMP/r.json")" = 644
(umask 027 && "$COR" "${ROUTE[@]}" --output "$TMP/r027.json" &&
  "$COR" build --network "$MM" -o "$TMP/m027.cor" >/dev/null &&
  "$COR" "${ROUTE[@]}" --geojson --geopackage "$TMP/r027.gpkg" >/dev/null)
for f in r027.json m027.cor r027.gpkg; do
  check "umask 027: $f is 0640 (got $(mode "$TMP/$f"))" test "$(mode "$TMP/$f")" = 640
done
(umask 002 && "$COR" build --network "$MM" -o "$TMP/m002.cor" >/dev/null)
check "umask 002: a .cor is 0664 (got $(mode "$TMP/m002.cor"))" test "$(mode "$TMP/m002.cor")" = 664
chmod 600 "$TMP/r.json"
(umask 022 && "$COR" "${ROUTE[@]}" --output "$TMP/r.json")
check "a replaced file keeps its mode 0600 (got $(mode "$TMP/r.json"))" test "$(mode "$TMP/r.json")" = 600
check "no temporary file after the writes" no_temp

# a symlink: its target gets the result (atomically, beside the target); the link stays
mkdir -p "$TMP/real" "$TMP/links"
echo old >"$TMP/real/r.json"
ln -s ../real/r.json "$TMP/links/r.json"
run 0 "${ROUTE[@]}" --output "$TMP/links/r.json"
check "the link is still a link" test -L "$TMP/links/r.json"
check "its target holds the route" one_route "$TMP/real/r.json"
ln -s "$TMP/links/r.json" "$TMP/chain.json" # a link to a link
run 0 "${ROUTE[@]}" --csv --output "$TMP/chain.json"
check "a chain of links: both stay links" test -L "$TMP/chain.json" -a -L "$TMP/links/r.json"
check "the chain's end holds the CSV" grep -q '^route,seq' "$TMP/real/r.json"
ln -s "$TMP/real/new.cor" "$TMP/dangling.cor" # a link to a file not there yet
run 0 build --network "$MM" -o "$TMP/dangling.cor"
check "a dangling link's target is created, the link kept" test -L "$TMP/dangling.cor" -a -f "$TMP/real/new.cor"
run 0 info "$TMP/dangling.cor"
ln -s ../real/r.gpkg "$TMP/links/r.gpkg"
run 0 "${ROUTE[@]}" --geopackage "$TMP/links/r.gpkg"
check "a GeoPackage through a link: the link kept" test -L "$TMP/links/r.gpkg" -a -f "$TMP/real/r.gpkg"
check "no temporary file beside links or targets" no_temp

# a FIFO with a reader: written directly, still a FIFO afterwards
# through_fifo FIFO GOT ARGS...: a reader copies FIFO into GOT while corridor ARGS writes it.
through_fifo() {
  local fifo=$1 got=$2 reader
  shift 2
  mkfifo "$fifo"
  cat "$fifo" >"$got" &
  reader=$!
  run 0 "$@"
  # the reader may still wait: for a writer that never opened the FIFO (opening it read-write
  # here gives it its end of file), or on the FIFO a broken writer replaced (stopped)
  if [ -p "$fifo" ]; then : 1<>"$fifo"; else kill "$reader"; fi
  wait "$reader" 2>/dev/null
  check "$fifo is still a FIFO" test -p "$fifo"
}
through_fifo "$TMP/out.fifo" "$TMP/fifo.got" "${ROUTE[@]}" --output "$TMP/out.fifo"
check "the reader got the route" one_route "$TMP/fifo.got"
through_fifo "$TMP/out.cor" "$TMP/fifo.cor" build --network "$MM" -o "$TMP/out.cor"
run 0 info "$TMP/fifo.cor" && has "format version 1"
through_fifo "$TMP/out.gpkg" "$TMP/fifo.gpkg" "${ROUTE[@]}" --geopackage "$TMP/out.gpkg"
check "the reader got a GeoPackage" sh -c "head -c 15 '$TMP/fifo.gpkg' | grep -q 'SQLite format 3'"
check "no temporary file beside the FIFOs" no_temp

# a character device: written, never replaced. A node of our own (/dev/null's numbers)
# where we may make one, so a broken writer can only replace that; else /dev/null itself.
null=/dev/null
mknod "$TMP/null" c 1 3 2>/dev/null && null=$TMP/null
run 0 "${ROUTE[@]}" --output "$null"
check "$null is still a character device" test -c "$null"
run 0 build --network "$MM" -o "$null"
check "$null is still a character device after build" test -c "$null"
check "no temporary file beside the device" no_temp

# /dev/stdout (and /dev/fd/1): the command's standard output, appended to as the shell set it
# up. The /dev/fd/1 check goes first: an old writer fails it without writing into /dev.
if [ "$(cd /proc/self/fd 2>/dev/null && echo ok)" = ok ]; then
  run 0 "${ROUTE[@]}" --output /dev/fd/1
  check "/dev/fd/1 is standard output" one_route "$TMP/out"
  if [ "$FAILS" = 0 ]; then
    run 0 "${ROUTE[@]}" --output /dev/stdout
    check "/dev/stdout is standard output" one_route "$TMP/out"
    echo first >"$TMP/appended"
    "$COR" "${ROUTE[@]}" --csv --output /dev/stdout >>"$TMP/appended"
    check "/dev/stdout appended to, not rewritten" test "$(head -1 "$TMP/appended")" = first
    check "... and the result after it" grep -q '^route,seq' "$TMP/appended"
    "$COR" "${ROUTE[@]}" --output /dev/stdout | jq -e '.routes | length == 1' >/dev/null
    check "/dev/stdout into a pipe" test "${PIPESTATUS[0]}${PIPESTATUS[1]}" = 00
    "$COR" build --network "$MM" -o /dev/stdout >"$TMP/stdout.cor" 2>"$TMP/stdout.err"
    run 0 info "$TMP/stdout.cor" && has "format version 1"
    check "build -o /dev/stdout: the summary on stderr, not in the file" grep -q "1 graph" "$TMP/stdout.err"
    check "/dev/stdout is still a link" test -L /dev/stdout
  fi
fi

# SIGTERM and SIGINT while the output is being written: no temporary file stays, nothing
# replaces the target, and the exit status says the signal. build opens its output before
# reading the network, so a FIFO as the network holds it there, temporary file open.
signalled() {
  local sig=$1 n
  rm -f "$TMP/in.gr"
  mkfifo "$TMP/in.gr"
  echo keep >"$TMP/kept.cor"
  env --default-signal=INT,TERM "$COR" build --network "$TMP/in.gr" -o "$TMP/kept.cor" \
    >/dev/null 2>"$TMP/sig.err" &
  local pid=$!
  for n in $(seq 1 1000); do # until its temporary file shows (an old build never makes one)
    [ -n "$(find "$TMP" -name '.kept.cor.tmp-*' -print -quit)" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  check "$sig: build's temporary file was there while it wrote" \
    test -n "$(find "$TMP" -name '.kept.cor.tmp-*' -print -quit)"
  kill -s "$sig" "$pid"
  wait "$pid"
  local rc=$?
  check "$sig: ended by the signal (exit $rc)" test "$rc" = $((128 + $(kill -l "$sig")))
  check "$sig: no temporary file left" no_temp
  check "$sig: the target is untouched" test "$(cat "$TMP/kept.cor")" = keep
}
signalled TERM
signalled INT

finish
