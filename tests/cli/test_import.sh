#!/usr/bin/env bash
# End-to-end: `corridor import --osm` on the hand-written fixtures (tests/data/osm/) and on
# every shared extract (skipped when ../shared/data/osm is absent): counts against the
# files' own, the largest component kept, golden route lengths checked against the sum of
# the route's geometry, and bad input (truncated PBF, unreadable file, bad options) refused
# with exit 2, the place, and no output file.
. "$(dirname "$0")/lib.sh"
OSM=$SRC/tests/data/osm

run 0 import --help && has "Example:" && has "--osm"
run 0 --help && has "import"
run 2 import; has "--osm FILE" ERR
run 2 import --osm "$OSM/rules.osm" --bbox 10,50,11; has "--bbox needs WEST,SOUTH,EAST,NORTH" ERR
run 2 import --osm "$OSM/rules.osm" --bbox 11,50,10,51; has "field 'bbox'" ERR
run 2 import --osm "$OSM/rules.osm" --modes road,sea; has "--modes takes road, rail and ferry" ERR
run 2 import --osm "$OSM/rules.osm" --road-classes primary,highways; has "unknown class 'highways'" ERR
run 2 import --osm "$OSM/rules.osm" -o "$TMP/x.txt"; has "name the output *.geojson or *.cor" ERR
# -o x.cor: the compiled file, with the objectives the roads have (time and distance), the
# same network as the GeoJSON and the same answers
run 0 import --osm "$OSM/rules.osm" -o "$TMP/x.cor"
run 0 import --osm "$OSM/rules.osm" --keep-all -o "$TMP/x.geojson"
run 0 import --osm "$OSM/rules.osm" --keep-all -o "$TMP/xa.cor"
run 0 info "$TMP/x.cor"; has "stored graphs: g0 = time, g1 = distance" OUT
run 0 info "$TMP/xa.cor" --json; A=$OUT
run 0 info "$TMP/x.geojson" --json
check "the .cor holds the GeoJSON's network" test "$(jq -c '{nodes, links}' <<<"$A")" = "$(jq -c '{nodes, links}' <<<"$OUT")"
run 2 import --osm "$TMP/none.osm.pbf" -o "$TMP/none.geojson"; has "none.osm.pbf: cannot open" ERR
check "no output after a failed import" test ! -e "$TMP/none.geojson"

# The fixture: what the unit tests prove rule by rule, through the CLI and back.
run 0 import --osm "$OSM/rules.osm" -o "$TMP/rules.geojson"
has "read 31 nodes, 23 ways, 0 relations" ERR; has "-> 14 nodes, 14 links" ERR
has "components: 3; kept the largest" ERR; has "dropped 2 (4 links, 6 nodes)" ERR
run 0 validate "$TMP/rules.geojson"; has "valid: 14 nodes, 14 links"; has "1 component, 0 isolated"
run 0 validate "$TMP/rules.geojson" --json; jqe '.components.count == 1 and .components.largest[0].links == 14'
run 0 import --osm "$OSM/rules.osm" --keep-all -o "$TMP/all.geojson"; has "all kept (--keep-all)" ERR
run 0 info "$TMP/all.geojson"; has "3 components"
printf 'p sp 3 1\na 1 2 5\n' >"$TMP/nopos.gr" # validate on any format: node 3 isolated
run 0 validate "$TMP/nopos.gr"; has "1 component, 1 isolated node"; has "(no positions)"
run 1 route --network "$TMP/all.geojson" --from n1 --to n30 --optimize time
has "they are in different connected pieces" ERR; has "that of 'n30' 4)" ERR
run 0 info "$TMP/all.geojson" --json; jqe '.components.count == 3 and .components.largest[2].nodes == 2'
# one-way: n4 -> n7 only (w102), and no way back
run 0 route --network "$TMP/rules.geojson" --from n4 --to n7 --optimize time --json
jqe '.routes[0].legs[0].link == "w102.1"'
run 1 route --network "$TMP/rules.geojson" --from n7 --to n4 --optimize time
# countries from the file's boundary and from --countries, used by --avoid-country
run 0 import --osm "$OSM/country.osm" --countries "$OSM/countries.geojson" -o "$TMP/c.geojson"
has "2 nodes from the file's boundaries (1 of 1 admin_level=2 relations assembled), 1 from --countries, 1 unknown" ERR
run 0 info "$TMP/c.geojson" --json; jqe '.countries.AD == 2 and .countries.FR == 1'
run 1 route --network "$TMP/c.geojson" --from n1 --to n4 --optimize time --avoid-country FR
# the same file gzipped and bzip2ed (made here) gives the same network; a name that tells
# no OSM format is refused
gzip -c "$OSM/rules.osm" >"$TMP/rules.osm.gz"; bzip2 -c "$OSM/rules.osm" >"$TMP/rules.osm.bz2"
run 0 import --osm "$TMP/rules.osm.gz" -o "$TMP/gz.geojson"
run 0 import --osm "$TMP/rules.osm.bz2" -o "$TMP/bz.geojson"
check "the .osm, .osm.gz and .osm.bz2 imports are equal" sh -c "jq -S 'del(.name, .features[].properties.source)' '$TMP/rules.geojson' >'$TMP/a' && jq -S 'del(.name, .features[].properties.source)' '$TMP/gz.geojson' >'$TMP/b' && jq -S 'del(.name, .features[].properties.source)' '$TMP/bz.geojson' >'$TMP/c' && cmp -s '$TMP/a' '$TMP/b' && cmp -s '$TMP/a' '$TMP/c'"
OUT=$(cat "$TMP/bz.geojson"); has "\"name\": \"OpenStreetMap: rules.osm.bz2\"" OUT
cp "$OSM/rules.osm" "$TMP/rules.dat"
run 2 import --osm "$TMP/rules.dat"; has "rules.dat: not a readable OpenStreetMap file: Could not detect file format" ERR
# stdout when no -o; a failed import leaves an existing output untouched
run 0 import --osm "$OSM/country.osm"; jqe '.type == "FeatureCollection" and (.features | length) == 7'
echo keep >"$TMP/kept.geojson"
run 2 import --osm "$OSM/rules.osm" --modes rail -o "$TMP/kept.geojson"; has "no way passes the filter" ERR
check "a failed import leaves the old output" grep -q keep "$TMP/kept.geojson"

# The route's length is the sum of its links' geometry (great circle, R = 6371.0088 km),
# computed here from the GeoJSON the import wrote.
geometry_km() { # network.geojson route.json
  jq -n --slurpfile net "$1" --slurpfile r "$2" '
    def rad: . * 3.141592653589793 / 180;
    def seg(a; b): ((((b[1] - a[1]) | rad) / 2 | sin) as $s1 | (((b[0] - a[0]) | rad) / 2 | sin) as $s2
      | ($s1 * $s1 + ((a[1] | rad) | cos) * ((b[1] | rad) | cos) * $s2 * $s2)) | sqrt | asin * 2 * 6371.0088;
    ($net[0].features | map(select(.properties.from)) | map({key: .properties.id, value: .geometry.coordinates}) | from_entries) as $g
    | [$r[0].routes[0].legs[] | $g[.link] as $c | range(0; ($c | length) - 1) as $i | seg($c[$i]; $c[$i + 1])] | add'
}

# golden: file, nodes ways relations (osmium fileinfo -e), road-only nodes links, from, to, km
golden() {
  local file=$1 fn=$2 fw=$3 fr=$4 nodes=$5 links=$6 from=$7 to=$8 km=$9
  local f=$SHARED/osm/$file
  run 0 import --osm "$f" -o "$TMP/net.geojson" || return
  has "read $fn nodes, $fw ways, $fr relations" ERR; has "-> $nodes nodes, $links links" ERR
  run 0 validate "$TMP/net.geojson"; has "1 component, 0 isolated nodes"
  run 0 route --network "$TMP/net.geojson" --from "$from" --to "$to" --optimize time --json || return
  printf '%s' "$OUT" >"$TMP/route.json"
  jqe ".routes[0].totals.km - $km | fabs < 1e-6"
  local g
  g=$(geometry_km "$TMP/net.geojson" "$TMP/route.json")
  check "$file: route km = sum of its geometry ($g)" jq -en "$g - $km | fabs < 1e-6" >/dev/null
}

if [ -d "$SHARED/osm" ]; then
  golden andorra.osm.pbf 69,644 2,725 74 1,507 1,769 n51554700 n53376953 15.5502268751
  golden andorra.osm.gz 69,385 2,722 74 1,507 1,769 n51554700 n53376953 15.5502268751
  golden liechtenstein-latest.osm.pbf 142,832 15,247 358 2,170 2,557 n1337990316 n276124518 24.180623716
  golden baltimore.osm.pbf 51,385 7,230 167 2,523 3,808 n49512013 n49491296 12.095957518
  golden monaco.osm.pbf 180,118 27,377 212 1,596 1,968 n538094963 n2793052949 16.4737063281
  golden north-bayreuth.osm.gz 58,631 7,801 179 879 990 n28165250 n21608144 14.8968325206
  run 0 import --osm "$SHARED/osm/monaco.osm.gz" -o "$TMP/m.geojson"; has "-> 463 nodes, 593 links" ERR
  run 0 import --osm "$SHARED/osm/baltimore.osm.pbf" --modes road,rail,ferry -o "$TMP/b.geojson"
  has "rail          883 links" ERR
  # Liechtenstein's own boundary is complete in its extract: its nodes are LI
  run 0 import --osm "$SHARED/osm/liechtenstein-latest.osm.pbf" -o "$TMP/li.geojson"
  has "(1 of 3 admin_level=2 relations assembled)" ERR
  run 0 info "$TMP/li.geojson" --json; jqe '.countries.LI > 2000'
  # a truncated PBF, made here: exit 2 with the file and what is wrong, no output
  # the bundled Natural Earth countries (world-atlas, installed with the page) place the nodes
  # the extract's own boundaries do not: Andorra's roads in AD, the pass over to France in FR
  if [ -f "$SRC/web/node_modules/world-atlas/countries-10m.json" ] && [ -f /usr/share/iso-codes/json/iso_3166-1.json ]; then
    run 0 import --osm "$SHARED/osm/andorra.osm.pbf" -o "$TMP/ad.geojson"
    has "from Natural Earth (world-atlas), 0 unknown" ERR
    run 0 info "$TMP/ad.geojson" --json; jqe '.countries.AD > 1400 and .countries.FR > 0 and (.countries | keys) == ["AD", "FR"]'
    run 0 import --osm "$SHARED/osm/andorra.osm.pbf" --countries none -o "$TMP/ad0.geojson"
    run 0 info "$TMP/ad0.geojson" --json; jqe '.countries.AD == null'
  else
    echo "skipping the bundled countries: web/node_modules or iso-codes is absent"
  fi
  head -c 300000 "$SHARED/osm/andorra.osm.pbf" >"$TMP/cut.osm.pbf"
  run 2 import --osm "$TMP/cut.osm.pbf" -o "$TMP/cut.geojson"
  has "cut.osm.pbf: not a readable OpenStreetMap file" ERR
  check "no output from a truncated PBF" test ! -e "$TMP/cut.geojson"
else
  echo "skipping the shared extracts: $SHARED/osm is absent"
fi
finish
