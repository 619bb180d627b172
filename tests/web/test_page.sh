#!/usr/bin/env bash
# Browser test of the map page (web/): starts `corridor serve` on a free loopback port and
# drives Debian's chromium with playwright-core (from web/node_modules). $1 is the binary,
# $2 (optional) the network to serve: without it, the embedded model. Skips (77) only when
# node or chromium is not installed, or when the network given does not exist (shared data).
set -u
COR=${1:?usage: test_page.sh path/to/corridor [NETWORK]}
NETWORK=${2:-}
if [ -n "$NETWORK" ] && [ ! -e "$NETWORK" ]; then
  echo "SKIP: $NETWORK does not exist"
  exit 77
fi
CHROMIUM=${COR_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/deps.sh installs it)"
  exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: $CHROMIUM is not installed (scripts/deps.sh installs chromium)"
  exit 77
fi
SRC=${COR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export COR_CHROMIUM=$CHROMIUM COR_SOURCE_DIR=$SRC
exec node "$SRC/tests/web/page.mjs" "$COR" ${NETWORK:+"$NETWORK"}
