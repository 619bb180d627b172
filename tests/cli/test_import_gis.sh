# test_import_gis.sh — `corridor import` on a GeoPackage and a Shapefile built here with
# ogr2ogr (snapping within and beyond the tolerance, shared vertices split, every mapped
# field in the output, reprojection), each bad input's message and exit 2 with nothing
# written, the marnet sea lanes (Shanghai -> Rotterdam via Suez) when ../shared/data has
# them, and `--geopackage` on route, matrix, flow, stress, assign and restore read back
# with ogrinfo: layers, feature counts, fields, the layer_styles rows.
. "$(dirname "$0")/lib.sh"
for tool in ogr2ogr ogrinfo jq python3; do
  command -v $tool >/dev/null || { echo "skipped: $tool is not installed (scripts/deps.sh)"; exit 77; }
done
MM=$SRC/tests/data/cli/multimodal.geojson
RD=$SRC/tests/data/restore

# feature_count FILE LAYER
feature_count() { ogrinfo -so "$1" "$2" 2>/dev/null | sed -n 's/^Feature Count: //p'; }
# fields FILE LAYER: "name:Type" per field
fields() { ogrinfo -so "$1" "$2" 2>/dev/null | sed -n '/^Geometry Column\|^FID Column/,$p' | sed -n 's/^\([^ ]*\): \([A-Za-z0-9()]*\).*/\1:\2/p'; }

# ---------------------------------------------------------------- GeoPackage: snapping
# line 2 starts 0.11 m from line 1's end; line 3 starts 111 m from line 2's end
cat >"$TMP/nearly.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 0]]}},
 {"type": "Feature", "properties": {"name": "b"}, "geometry": {"type": "LineString", "coordinates": [[1.000001, 0], [2, 0]]}},
 {"type": "Feature", "properties": {"name": "c"}, "geometry": {"type": "LineString", "coordinates": [[2.001, 0], [3, 0]]}}]}
EOF
ogr2ogr -f GPKG "$TMP/nearly.gpkg" "$TMP/nearly.geojson" -nln lanes 2>/dev/null

run 0 import --help && has "Example:"
run 0 import --gis "$TMP/nearly.gpkg" --mode sea --snap-metres 1 -o "$TMP/n1k.geojson"
has "layer 'lanes': 3 features, 3 lines -> 5 nodes, 3 links" ERR
has "kept the largest, dropped 2 nodes and 1 link (--keep-all keeps them)" ERR
OUT=$(cat "$TMP/n1k.geojson")
jqe '[.features[] | select(.properties.from)] | map(.properties.id) == ["1", "2"]'
run 0 import --gis "$TMP/nearly.gpkg" --mode sea --snap-metres 1 --keep-all -o "$TMP/n1.geojson"
has "layer 'lanes': 3 features, 3 lines -> 5 nodes, 3 links" ERR
has "2 connected components, the largest with 3 nodes" ERR
run 0 validate "$TMP/n1.geojson"
OUT=$(cat "$TMP/n1.geojson")
jqe '[.features[] | select(.properties.from)] | length == 3'
jqe '[.features[] | select(.properties.from)] | map(.properties.mode) | unique == ["sea"]'
jqe '(.features[] | select(.properties.id == "2") | .properties.from) == (.features[] | select(.properties.id == "1") | .properties.to)'
jqe '(.features[] | select(.properties.id == "3") | .properties.from) != (.features[] | select(.properties.id == "2") | .properties.to)'
jqe '.features[] | select(.properties.id == "1") | .properties.length_km | . > 111.19 and . < 111.20'
run 0 import --gis "$TMP/nearly.gpkg" --mode sea --snap-metres 200 --output "$TMP/n200.geojson"
has "4 nodes, 3 links" ERR && has "1 connected component," ERR
run 0 info "$TMP/n200.geojson"

# ---------------------------------------------------------------- shared vertices
cat >"$TMP/cross.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 0], [2, 0]]}},
 {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[1, -1], [1, 0], [1, 1]]}}]}
EOF
ogr2ogr -f GPKG "$TMP/cross.gpkg" "$TMP/cross.geojson" 2>/dev/null
run 0 import --gis "$TMP/cross.gpkg" --mode road --keep-all -o "$TMP/c0.geojson"
has "4 nodes, 2 links" ERR
run 0 import --gis "$TMP/cross.gpkg" --mode road --split-vertices -o "$TMP/c1.geojson"
has "5 nodes, 4 links" ERR && has "split at shared vertices" ERR
OUT=$(cat "$TMP/c1.geojson")
jqe '[.features[] | select(.properties.from) | .properties.id] | sort == ["1-1", "1-2", "2-1", "2-2"]'
jqe '[.features[] | select(.properties.from) | .properties.from, .properties.to] | group_by(.) | map(length) | max == 4'

# ---------------------------------------------------------------- Shapefile: field mapping
cat >"$TMP/links.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"LID": "L1", "SRC": "ALAT", "DST": "BAKU", "LEN": 70.5, "TYPE": "rail", "SPD": 60, "CAP": 1000, "ONEWAY": 1},
  "geometry": {"type": "LineString", "coordinates": [[49.41, 40.06], [49.87, 40.41]]}},
 {"type": "Feature", "properties": {"LID": "L2", "SRC": "BAKU", "DST": "SUMQ", "LEN": 30, "TYPE": "road", "SPD": 80, "CAP": 500, "ONEWAY": 0},
  "geometry": {"type": "LineString", "coordinates": [[49.87, 40.41], [49.67, 40.59]]}}]}
EOF
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:3857 "$TMP/links.shp" "$TMP/links.geojson" 2>/dev/null
MAP=id=LID,from=SRC,to=DST,length_km=LEN,mode=TYPE,speed_kmh=SPD,capacity=CAP,directed=ONEWAY
run 0 import --gis "$TMP/links.shp" --map "$MAP" -o "$TMP/links.out.geojson"
has "3 nodes, 2 links" ERR && has "reprojected to WGS84" ERR
OUT=$(cat "$TMP/links.out.geojson")
jqe '.features[] | select(.properties.id == "L1") | .properties | .from == "ALAT" and .to == "BAKU" and .length_km == 70.5 and .mode == "rail" and .speed_kmh == 60 and .capacity == 1000 and .directed == true'
jqe '.features[] | select(.properties.id == "L2") | .properties | .mode == "road" and (.directed | not)'
jqe '.features[] | select(.properties.id == "ALAT") | .geometry.coordinates | (.[0] - 49.41 | fabs) < 1e-7 and (.[1] - 40.06 | fabs) < 1e-7'
run 0 route --network "$TMP/links.out.geojson" --from ALAT --to BAKU --optimize time --json
jqe '.routes[0].totals.hours == 70.5 / 60'
run 1 route --network "$TMP/links.out.geojson" --from BAKU --to ALAT --optimize time # one way
run 0 import --gis "$TMP/links.shp" --map from=SRC,to=DST,length_km=LEN*1000 --mode ferry -o "$TMP/l2.geojson"
OUT=$(cat "$TMP/l2.geojson")
jqe '.features[] | select(.properties.id == "0") | .properties.length_km == 70500 and .properties.mode == "ferry"'

# ---------------------------------------------------------------- bad input: exit 2, the place, nothing written
echo keep >"$TMP/keep.geojson"
bad() { # bad WORDS args...: exit 2, WORDS in stderr, keep.geojson untouched
  local words=$1; shift
  run 2 import "$@" -o "$TMP/keep.geojson" && has "$words" ERR
  check "output untouched after: $*" [ "$(cat "$TMP/keep.geojson")" = keep ]
}
bad "no layer 'nope' in the file (layers: 'lanes' (Line String))" --gis "$TMP/nearly.gpkg" --layer nope --mode sea
ogr2ogr -update -f GPKG "$TMP/nearly.gpkg" "$TMP/cross.geojson" -nln second 2>/dev/null
bad "field 'layer': 2 line layers in the file: name one (layers: 'lanes' (Line String), 'second' (Line String))" --gis "$TMP/nearly.gpkg" --mode sea
bad "links.shp: field 'NOPE': no field 'NOPE' in layer 'links' (mapped to length_km; fields: LID, SRC, DST" --gis "$TMP/links.shp" --map from=SRC,to=DST,length_km=NOPE --mode rail
bad "field 'TYPE': is a String field; capacity needs a number" --gis "$TMP/links.shp" --map from=SRC,to=DST,capacity=TYPE --mode rail
# the network's own checks name the link field
bad "links.shp: feature 1: field 'speed_kmh': must be greater than 0, got 0" --gis "$TMP/links.shp" --map from=SRC,to=DST,speed_kmh=ONEWAY --mode rail
bad "field 'map': unknown link field 'lenght_km' (one of: id, from, to" --gis "$TMP/links.shp" --map from=SRC,to=DST,lenght_km=LEN --mode rail
bad "field 'mode': no mode: give a default mode (e.g. sea) or map mode=FIELD" --gis "$TMP/nearly.gpkg" --layer lanes
bad "field 'mode': unknown mode 'boat' (one of: rail, road, ferry, sea" --gis "$TMP/nearly.gpkg" --layer lanes --mode boat
bad "cannot open: No such file or directory" --gis "$TMP/absent.gpkg" --mode sea
bad "not a vector file GDAL/OGR can read" --gis "$TMP/keep.geojson" --mode sea
bad "--snap-metres needs a number of metres >= 0, got '-3'" --gis "$TMP/nearly.gpkg" --mode sea --snap-metres -3
bad "name the source: --osm FILE or --gis FILE" --keep-all
cat >"$TMP/mixed.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"T": "sea"}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 0]]}},
 {"type": "Feature", "properties": {"T": "boat"}, "geometry": {"type": "LineString", "coordinates": [[1, 0], [2, 0]]}},
 {"type": "Feature", "properties": {"T": "sea"}, "geometry": {"type": "Point", "coordinates": [5, 5]}}]}
EOF
ogr2ogr -f GPKG "$TMP/mixed.gpkg" "$TMP/mixed.geojson" -nlt GEOMETRY 2>/dev/null
bad "mixed.gpkg: feature 3: field 'geometry': a Point, not a line (LineString or MultiLineString)" --gis "$TMP/mixed.gpkg" --map mode=T
has "mixed.gpkg: feature 2: field 'T': unknown mode 'boat'" ERR
# the GeoJSON reader through OGR too (FIDs from 0)
bad "mixed.geojson: feature 2: field 'geometry': a Point" --gis "$TMP/mixed.geojson" --map mode=T

# ---------------------------------------------------------------- marnet: the sea lanes
MARNET=$SHARED/maritime/eurostat-searoute/marnet_plus_50km.gpkg
if [ -r "$MARNET" ]; then
  run 0 import --gis "$MARNET" --mode sea --map source=pass -o "$TMP/sea.geojson"
  has "layer 'type': 15498 features, 15498 lines -> 7378 nodes, 15478 links" ERR
  has "1 connected component, the largest with 7378 nodes; 20 loops dropped" ERR
  # shortest by length: cost = km (until --optimize distance lands); the Arctic passes left out
  jq '.features |= map(if .properties.from then .properties.cost = .properties.length_km else . end)' \
    "$TMP/sea.geojson" >"$TMP/seac.geojson"
  ARCTIC=$(jq -r '[.features[] | select(.properties.source == "northeast" or .properties.source == "northwest") | .properties.id] | join(",")' "$TMP/seac.geojson")
  run 0 route --network "$TMP/seac.geojson" --from n7349 --to n466 --optimize cost --avoid-link "$ARCTIC" --json
  # ~10,600 nm via Suez (Rodrigue, Port Economics, Management and Policy: Shanghai-Rotterdam)
  jqe '.routes[0].totals.km / 1.852 | . > 10300 and . < 10900'
else
  echo "skipped the marnet checks: $MARNET is absent"
fi

# ---------------------------------------------------------------- --geopackage results
printf 'from,to,quantity\nA,E,10\nA,C,5\n' >"$TMP/od.csv"
# gpkg CMD LINE_FIELD args...: the GeoPackage against the same command's --geojson
gpkg() {
  local cmd=$1 field=$2; shift 2
  local g="$TMP/$cmd.gpkg"
  run 0 "$cmd" "$@" --geojson --geopackage "$g" || return
  local lines points
  lines=$(printf '%s' "$OUT" | jq '[.features[] | select(.geometry.type == "LineString")] | length')
  points=$(printf '%s' "$OUT" | jq '[.features[] | select(.geometry.type == "Point")] | length')
  check "$cmd: ${cmd}_lines has the $lines line features" [ "$(feature_count "$g" "${cmd}_lines")" = "$lines" ]
  if [ "$points" != 0 ]; then
    check "$cmd: ${cmd}_points has the $points point features" [ "$(feature_count "$g" "${cmd}_points")" = "$points" ]
  fi
  check "$cmd: field $field" grep -qx "$field" <<<"$(fields "$g" "${cmd}_lines")"
  local styles
  styles=$(ogrinfo -q "$g" -sql "SELECT f_table_name, f_table_schema, f_geometry_column, useAsDefault FROM layer_styles WHERE f_table_name = '${cmd}_lines'" 2>/dev/null)
  check "$cmd: a default style row for ${cmd}_lines" grep -q "useAsDefault (Integer(Boolean)) = 1" <<<"$styles"
  check "$cmd: the style's geometry column" grep -q "f_geometry_column (String) = geom" <<<"$styles"
  ogrinfo -q "$g" -sql "SELECT styleQML FROM layer_styles WHERE f_table_name = '${cmd}_lines'" 2>/dev/null |
    sed -n 's/^  styleQML (String) = //p; /^<qgis/p' >"$TMP/style.qml"
  check "$cmd: the QML parses as XML" python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$TMP/style.qml"
  check "$cmd: the QML colours lines by an expression" grep -q 'name="outlineColor"' "$TMP/style.qml"
}
gpkg route "mode:String" --network "$MM" --from A --to E --optimize time --alternatives 2
gpkg matrix "cost:Real" --network "$MM" --from A,B --to D,E --optimize time
gpkg flow "in_cut:Integer(Boolean)" --from CN --to EU --modes rail,ferry,road
gpkg stress "criticality:Real" --network "$MM" --od "$TMP/od.csv" --optimize time --elements both
gpkg assign "volume:Real" --network "$MM" --demand "$TMP/od.csv"
gpkg restore "order:Integer64" --network "$MM" --closed "$RD/two.csv" --od "$RD/od-ae.csv" --horizon-days 10 --depot F
check "stress: node layer too" [ "$(feature_count "$TMP/stress.gpkg" stress_points)" -gt 0 ]
# an empty result still opens: one empty layer
run 0 flow --network "$MM" --from A --to E --geopackage "$TMP/empty.gpkg"
check "an empty flow gives an empty flow_lines" [ "$(feature_count "$TMP/empty.gpkg" flow_lines)" = 0 ]
# failures leave nothing: a folder that does not exist, a question that is refused
run 2 route --network "$MM" --from A --to E --geopackage "$TMP/no/such/dir/r.gpkg" && has "cannot write beside it" ERR
run 2 route --network "$MM" --from A --to NOPE --geopackage "$TMP/refused.gpkg"
check "no GeoPackage for a refused question" [ ! -e "$TMP/refused.gpkg" ]
run 2 route --network "$MM" --pairs "$TMP/od.csv" --geopackage "$TMP/p.gpkg" && has "not --geojson or --geopackage" ERR
check "no temporary left beside the results" [ -z "$(find "$TMP" -name '.*tmp-*')" ]
finish
