# lib.sh — helpers for the CLI end-to-end tests. Source it; $1 of the test is the binary.
set -u
COR=${1:?usage: test_x.sh path/to/corridor}
SRC=${COR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${COR_SHARED_DATA:-$SRC/../shared/data}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

# COR_PREFIX: a command put before every corridor run, e.g. scripts/test.sh's
# "valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite".
# $COR becomes a wrapper that runs it; valgrind's reports go to one log per process
# (not into the stderr the tests read), and finish() fails on any that holds an error.
if [ -n "${COR_PREFIX:-}" ]; then
  COR_BIN=$COR
  COR=$TMP/corridor
  mkdir -p "$TMP/prefix-logs"
  log=
  case "$COR_PREFIX" in valgrind*) log="--log-file=$TMP/prefix-logs/%p.log" ;; esac
  printf '#!/bin/sh\nexec %s %s "%s" "$@"\n' "$COR_PREFIX" "$log" "$COR_BIN" >"$COR"
  chmod +x "$COR"
fi

# prefix_reports: with COR_PREFIX=valgrind..., a check that no run reported an error or a
# definite leak (each log ends with "ERROR SUMMARY: N errors").
prefix_reports() {
  [ -n "${COR_PREFIX:-}" ] && [ -d "$TMP/prefix-logs" ] || return 0
  local bad
  bad=$(grep -L "ERROR SUMMARY: 0 errors" "$TMP"/prefix-logs/*.log 2>/dev/null)
  CHECKS=$((CHECKS + 1))
  if [ -n "$bad" ]; then
    echo "FAIL: $COR_PREFIX reported errors:"
    for f in $bad; do grep -v "^==[0-9]*== *$" "$f" | head -60; done
    FAILS=$((FAILS + 1))
  fi
}

# run EXPECTED_EXIT cmd args...: runs corridor, keeps stdout in $OUT, stderr in $ERR.
run() {
  local want=$1; shift
  CHECKS=$((CHECKS + 1))
  "$COR" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
  if [ "$got" != "$want" ]; then
    echo "FAIL: corridor $* exited $got, expected $want"
    echo "  stdout: $(head -c 600 "$TMP/out")"
    echo "  stderr: $(head -c 600 "$TMP/err")"
    FAILS=$((FAILS + 1))
    return 1
  fi
  return 0
}

# has TEXT WHERE: WHERE is OUT or ERR.
has() {
  CHECKS=$((CHECKS + 1))
  local text=$1 where=${2:-OUT}
  local hay=${!where}
  case "$hay" in
    *"$text"*) return 0 ;;
  esac
  echo "FAIL: expected '$text' in $where of the last command"
  echo "  $where: $(printf '%s' "$hay" | head -c 800)"
  FAILS=$((FAILS + 1))
  return 1
}

check() { # check DESCRIPTION command...: a shell condition
  CHECKS=$((CHECKS + 1))
  local what=$1; shift
  if ! "$@"; then echo "FAIL: $what"; FAILS=$((FAILS + 1)); fi
}

finish() {
  prefix_reports
  if [ "$FAILS" -gt 0 ]; then
    echo "$FAILS of $CHECKS checks failed"
    exit 1
  fi
  echo "all $CHECKS checks passed"
  exit 0
}

jqe() { CHECKS=$((CHECKS + 1)); if ! printf '%s' "$OUT" | jq -e "$1" >/dev/null 2>&1; then echo "FAIL: jq '$1' on: $(printf '%s' "$OUT" | head -c 400)"; FAILS=$((FAILS + 1)); fi; }
