#!/usr/bin/env bash
# Installs the Debian packages corridor needs to build and test (only the missing ones).
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

# jq: the CLI tests check JSON output with it. libmicrohttpd-dev: the HTTP server.
# libmetis-dev: METIS_NodeND, the nested-dissection order of the routing index (src/cch_order.c).
# libxxhash-dev: XXH3 checksums of .cor files (4x zlib's crc32, inside the 20 ms load budget).
# libgdal-dev: GIS import and GeoPackage results; gdal-bin: tests build and read GIS files
# with ogr2ogr and ogrinfo. curl: the API tests talk to a server they start. chromium: the web
# page's browser tests.
# g++, libosmium2-dev, libprotozero-dev, libexpat1-dev, libbz2-dev: `corridor import --osm`
# reads OpenStreetMap (.osm.pbf, .osm, .osm.gz, .osm.bz2) with libosmium, in one C++ file.
# osmium-tool: the OSM import tests and benchmark compare counts with `osmium fileinfo`.
# clang, libclang-rt-14-dev: the second sanitizer build (pointer-overflow) and the libFuzzer
# harnesses in tests/fuzz/ (scripts/test.sh runs both).
# iso-codes: ISO 3166-1 numeric to alpha-2, for the bundled Natural Earth countries (world-atlas).
# valgrind: scripts/test.sh runs the CLI and API suites under memcheck (COR_PREFIX).
PACKAGES=(build-essential cmake pkg-config libjansson-dev libcsv-dev zlib1g-dev libcmocka-dev
          libglpk-dev libmetis-dev jq libmicrohttpd-dev libxxhash-dev curl chromium libgdal-dev gdal-bin
          g++ libosmium2-dev libprotozero-dev libexpat1-dev libbz2-dev osmium-tool iso-codes
          clang libclang-rt-14-dev valgrind)
# The web page is built with npm; Node.js comes from Debian when the machine has none.
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "corridor: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
