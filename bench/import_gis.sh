#!/usr/bin/env bash
# import_gis.sh — `corridor import` on the Eurostat marnet sea lanes: counts,
# components, wall time and peak memory per file (beside ogr2ogr's own read of the same
# file into GeoJSON, in the same run), then Shanghai -> Rotterdam shortest by length in
# nautical miles: overall, via Suez (the Arctic passes left out) and via the Cape (Suez
# left out too), against ~10,600 nm via Suez and 13,800 nm via the Cape (J.-P. Rodrigue,
# Port Economics, Management and Policy, "Routing Options between Shanghai, Rotterdam and
# New York").
#
#   bench/import_gis.sh [path/to/corridor]        # default: build/corridor
#
# Needs ../shared/data/maritime/eurostat-searoute (or $COR_SHARED_DATA/...), jq, ogr2ogr
# and /usr/bin/time. Prints markdown.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
COR=${1:-$SRC/build/corridor}
DATA=${COR_SHARED_DATA:-$SRC/../shared/data}/maritime/eurostat-searoute
[ -d "$DATA" ] || { echo "no $DATA: nothing to measure"; exit 0; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# timed LABEL cmd...: "wall_s peak_MB" of one run
timed() {
  /usr/bin/time -f "%e %M" -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; exit 1; }
  awk '{printf "%s s | %.0f MB", $1, $2 / 1024}' "$TMP/time"
}

echo "| file | nodes | links | loops dropped | components | import wall | import peak | ogr2ogr wall | ogr2ogr peak |"
echo "|---|---|---|---|---|---|---|---|---|"
for km in 20 50 100; do
  f=$DATA/marnet_plus_${km}km.gpkg
  [ -r "$f" ] || continue
  ours=$(timed nice "$COR" import --gis "$f" --mode sea --map source=pass -o "$TMP/sea$km.geojson")
  summary=$(cat "$TMP/err")
  theirs=$(timed nice ogr2ogr -f GeoJSON "$TMP/ogr$km.geojson" "$f")
  nodes=$(sed -n 's/.*-> \([0-9]*\) nodes.*/\1/p' <<<"$summary")
  links=$(sed -n 's/.* nodes, \([0-9]*\) links.*/\1/p' <<<"$summary")
  comps=$(sed -n 's/.*; \([0-9]*\) connected component.*/\1/p' <<<"$summary")
  loops=$(sed -n 's/.*; \([0-9]*\) loops\{0,1\} dropped.*/\1/p' <<<"$summary")
  echo "| marnet_plus_${km}km.gpkg | $nodes | $links | ${loops:-0} | $comps | $ours | $theirs |"
done

# Shanghai -> Rotterdam on the 50 km file: nearest imported nodes by brute force (haversine)
net=$TMP/sea50.geojson
jq '.features |= map(if .properties.from then .properties.cost = .properties.length_km else . end)' "$net" >"$TMP/c.geojson"
nearest() { # LON LAT -> "id km"
  jq -r --argjson x "$1" --argjson y "$2" '[.features[] | select(.geometry.type == "Point")
    | {id: .properties.id, lon: .geometry.coordinates[0], lat: .geometry.coordinates[1]}]
    | map(. + {h: (((.lat - $y) * 0.00872664626 | sin | . * .) + (($y * 0.0174532925 | cos) * (.lat * 0.0174532925 | cos)
        * ((.lon - $x) * 0.00872664626 | sin | . * .)))}) | min_by(.h) | "\(.id) \(12742.0176 * (.h | sqrt | asin))"' "$TMP/c.geojson"
}
read -r sh sh_km <<<"$(nearest 121.5 31.2)"
read -r rt rt_km <<<"$(nearest 4.0 51.95)"
ids() { jq -r --arg s "$1" '[.features[] | select(.properties.source != null and (.properties.source | test($s))) | .properties.id] | join(",")' "$TMP/c.geojson"; }
arctic=$(ids '^(northeast|northwest)$')
arctic_suez=$(ids '^(northeast|northwest|suez)$')
echo
echo "Shanghai (121.5, 31.2) -> node $sh at $(printf %.1f "$sh_km") km; Rotterdam (4.0, 51.95) -> node $rt at $(printf %.1f "$rt_km") km."
echo
echo "| route (cost = length_km) | km | nautical miles | published |"
echo "|---|---|---|---|"
route() { # LABEL PUBLISHED [avoid]
  local args=(route --network "$TMP/c.geojson" --from "$sh" --to "$rt" --optimize cost --json)
  [ -n "${3:-}" ] && args+=(--avoid-link "$3")
  "$COR" "${args[@]}" | jq -r --arg l "$1" --arg p "$2" '.routes[0].totals.km | "| \($l) | \(. * 10 | round / 10) | \(. / 1.852 | round) | \($p) |"'
}
route "shortest (takes the Northern Sea Route)" "-"
route "Arctic passes left out (via Suez)" "~10,600 nm" "$arctic"
route "Arctic passes and Suez left out (via the Cape)" "13,800 nm" "$arctic_suez"
