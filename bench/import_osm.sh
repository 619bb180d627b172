#!/usr/bin/env bash
# bench/import_osm.sh — `corridor import --osm` on every extract in ../shared/data/osm/:
# object counts against `osmium fileinfo -e`, import time beside osmium's own read of the
# same file (`osmium cat -f opl -o /dev/null`, best of 3 each, in the same run), what was
# kept, peak RSS (GNU time) in bytes per kept way, and one route's length against the sum
# of its OSM ways' geometry computed from `osmium export` (not from our code).
#
#   bench/import_osm.sh [path/to/corridor]      (default: build/corridor)
#
# Needs osmium-tool, jq, python3 and /usr/bin/time (scripts/deps.sh installs osmium-tool).
# Prints markdown; exits 0 without data.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cor=${1:-$root/build/corridor}
data=${COR_SHARED_DATA:-$root/../shared/data}/osm
[ -d "$data" ] || { echo "no $data: nothing to measure"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best_of_3() { # prints the best wall time in seconds of "$@"
  local best=999999 t
  for _ in 1 2 3; do
    /usr/bin/time -f %e -o "$tmp/time" "$@" >/dev/null 2>&1
    t=$(tail -1 "$tmp/time")
    best=$(python3 -c "print(min($best, $t))")
  done
  echo "$best"
}

echo "# \`corridor import --osm\` on the shared extracts"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs, corridor $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') (+ working tree), osmium-tool $(osmium --version | head -1 | awk '{print $3}')"
echo
echo "Modes: road,rail,ferry, default classes, largest components kept. Times: best of 3 wall-clock seconds on a shared machine."
echo
/usr/bin/time -f %M -o "$tmp/rss" "$cor" import --osm "$root/tests/data/osm/country.osm" -o "$tmp/t.geojson" 2>/dev/null
base=$(tail -1 "$tmp/rss")
echo "| file | nodes (osmium / ours) | ways | relations | osmium cat | import | kept ways | nodes | links | road km | rail km | ferry km | peak RSS | B/kept way | above base |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "$data"/*.osm.pbf "$data"/*.osm.gz; do
  name=$(basename "$f")
  info=$(osmium fileinfo -e -j "$f")
  on=$(jq .data.count.nodes <<<"$info"); ow=$(jq .data.count.ways <<<"$info"); orl=$(jq .data.count.relations <<<"$info")
  "$cor" import --osm "$f" --modes road,rail,ferry -o "$tmp/out.geojson" 2>"$tmp/summary"
  read -r n w r < <(sed -n 's/.*read \([0-9,]*\) nodes, \([0-9,]*\) ways, \([0-9,]*\) relations/\1 \2 \3/p' "$tmp/summary" | tr -d ,)
  kept=$(sed -n 's/.*kept \([0-9,]*\) ways.*/\1/p' "$tmp/summary" | tr -d ,)
  nodes=$(jq '[.features[] | select(.properties.from | not)] | length' "$tmp/out.geojson")
  links=$(jq '[.features[] | select(.properties.from)] | length' "$tmp/out.geojson")
  km() { jq --arg m "$1" '[.features[] | select(.properties.mode == $m) | .properties.length_km] | add // 0 | . * 10 | round / 10' "$tmp/out.geojson"; }
  t_osm=$(best_of_3 osmium cat -f opl -o /dev/null -O "$f")
  t_cor=$(best_of_3 "$cor" import --osm "$f" --modes road,rail,ferry -o "$tmp/t.geojson")
  /usr/bin/time -f %M -o "$tmp/rss" "$cor" import --osm "$f" --modes road,rail,ferry -o "$tmp/t.geojson" 2>/dev/null
  rss=$(tail -1 "$tmp/rss")
  rss_b=$((rss * 1024))
  check=$([ "$on/$ow/$orl" = "$n/$w/$r" ] && echo "=" || echo "MISMATCH $n/$w/$r")
  echo "| $name | $on $check | $ow | $orl | $t_osm s | $t_cor s | $kept | $nodes | $links | $(km road) | $(km rail) | $(km ferry) | $rss_b B | $((rss_b / kept)) | $(((rss - base) * 1024 / kept)) |"
done
echo
echo
echo "Peak RSS includes the program, libosmium's read buffers and thread pool, and the GeoJSON document written (jansson). The baseline, importing the 3-way fixture tests/data/osm/country.osm, is $((base * 1024)) B; 'above base' is (peak − baseline) / kept ways."
echo

# Memory against the kept ways on one file: the same extract with more and more classes.
big=$data/monaco.osm.pbf
if [ -f "$big" ]; then
  echo "Peak RSS against the kept ways, one file (monaco.osm.pbf, 180,118 nodes and 27,377 ways in the file), more classes each row:"
  echo
  echo "| --road-classes | kept ways | links | peak RSS | B per kept way more than the row above |"
  echo "|---|---:|---:|---:|---:|"
  prev_w=0; prev_r=0
  for rc in motorway primary default default,service default,service,track,path,living_street,road; do
    "$cor" import --osm "$big" --road-classes "$rc" -o "$tmp/m.geojson" 2>"$tmp/summary" || true
    /usr/bin/time -f %M -o "$tmp/rss" "$cor" import --osm "$big" --road-classes "$rc" -o "$tmp/m.geojson" 2>/dev/null || true
    r=$(( $(tail -1 "$tmp/rss") * 1024 ))
    w=$(sed -n 's/.*kept \([0-9,]*\) ways.*/\1/p' "$tmp/summary" | tr -d ,); w=${w:-0}
    l=$(sed -n 's/.*-> [0-9,]* nodes, \([0-9,]*\) links/\1/p' "$tmp/summary" | tr -d ,); l=${l:-0}
    marg=$([ "$prev_w" -gt 0 ] && [ "$w" -gt "$prev_w" ] && echo $(( (r - prev_r) / (w - prev_w) )) || echo "-")
    echo "| $rc | $w | $l | $r B | $marg |"
    prev_w=$w; prev_r=$r
  done
  echo
fi

# A known route: Andorra's CG-4 from Sant Julià de Lòria to its upper end, whose best route
# by time runs along ways 6196087, 24280288, 24280289 and 6196407 whole.
and=$data/andorra.osm.pbf
if [ -f "$and" ]; then
  "$cor" import --osm "$and" -o "$tmp/and.geojson" 2>/dev/null
  route_km=$("$cor" route --network "$tmp/and.geojson" --from n51554700 --to n53376953 --optimize time --json | jq '.totals.km // .routes[0].totals.km')
  osmium getid -r "$and" w6196087 w24280288 w24280289 w6196407 -o "$tmp/ways.osm.pbf" -O 2>/dev/null
  osmium export -f geojson "$tmp/ways.osm.pbf" -o "$tmp/ways.geojson" -O 2>/dev/null
  ways_km=$(python3 - "$tmp/ways.geojson" <<'EOF'
import json, math, sys
R = 6371.0088
def km(a, b):
    p = math.pi / 180
    h = math.sin((b[1]-a[1])*p/2)**2 + math.cos(a[1]*p)*math.cos(b[1]*p)*math.sin((b[0]-a[0])*p/2)**2
    return 2 * R * math.asin(math.sqrt(h))
d = json.load(open(sys.argv[1]))
print("%.6f" % sum(km(c[i], c[i+1]) for f in d["features"] if f["geometry"]["type"] == "LineString"
                   for c in [f["geometry"]["coordinates"]] for i in range(len(c) - 1)))
EOF
)
  echo "Known route: \`corridor route --network andorra.geojson --from n51554700 --to n53376953 --optimize time\` (Andorra, road CG-4): $route_km km; the four OSM ways it runs along, summed from \`osmium export\` geometry: $ways_km km."
fi
