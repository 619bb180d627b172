#!/usr/bin/env bash
# Builds the map page that `corridor serve` shows: web/node_modules from the lock file
# (npm ci, from the npm registry), then web/dist (node web/build.mjs: esbuild bundle, HTML,
# CSS, basemap). Quick when up to date: npm ci runs only when package-lock.json is newer than
# the last install, the build only when a source is newer than the last build.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1; then
  echo "corridor: npm is not installed: run scripts/deps.sh" >&2
  exit 1
fi
installed=node_modules/.package-lock.json # written by npm at each install
if [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
  echo "== npm ci (web/)"
  # No install scripts: esbuild finds its platform binary without its postinstall check.
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi
built=node_modules/.corridor-web-built
if [ ! -f "$built" ] || [ ! -f dist/index.html ] ||
   [ -n "$(find src build.mjs package-lock.json "$installed" -newer "$built" -print -quit)" ]; then
  echo "== web page build (web/dist)"
  node build.mjs
  touch "$built"
fi
