#!/usr/bin/env bash
# First command of the README: install what is needed, build, and run the main job
# (the China-Europe corridors side by side on the embedded Middle Corridor model).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/web.sh # the map page: npm ci and its build into web/dist
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
echo "Built build/corridor. Xi'an to Duisburg by each corridor, on the embedded model:"
echo
./build/corridor compare --from CN-XIAN --to DE-DUISBURG
