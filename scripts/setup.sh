#!/usr/bin/env bash
# First command of the README: install what is needed, build, and run the main job
# (the best route from Xi'an to Duisburg on the embedded example network).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
echo "Built build/corridor. The fastest route from Xi'an to Duisburg on the example network:"
echo
./build/corridor route --from CN-XIAN --to DE-DUISBURG --optimize time
