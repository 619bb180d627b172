#!/usr/bin/env bash
# Replays every file in tests/fuzz/crashes/ against its harness (the file name starts with
# the target: crashes/<target>-<what>), each a regression test of a fix in a reader.
# $1: the build's tests/fuzz folder.
set -euo pipefail
bin=$1
dir=$(dirname "$0")/crashes
status=0
for f in "$dir"/*; do
  [ -f "$f" ] || continue
  case $(basename "$f") in README*) continue ;; esac
  t=$(basename "$f"); t=${t%%-*}
  if ! "$bin/fuzz_$t" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 "$f" >/dev/null 2>&1; then
    echo "fuzz/replay: $f fails again (fuzz_$t):" >&2
    "$bin/fuzz_$t" "$f" 2>&1 | grep -E 'ERROR|SUMMARY|#[0-9]+ ' | head -20 >&2
    status=1
  fi
done
exit $status
