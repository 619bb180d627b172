#!/usr/bin/env bash
# End-to-end: `corridor energy` — deliverable gas per region, the EU N-1 with every term,
# outputs, exit codes, bad flags; on a worked example and on the embedded model.
. "$(dirname "$0")/lib.sh"

near() { jqe "(($1) - ($2)) | (. * .) < 1e-12"; } # near JQ_EXPR VALUE
json_file() { jq -e "$1" "$2" >/dev/null; }        # json_file JQ_EXPR FILE

run 0 energy --help && has "Example:" && has "Annex II"

# The worked example of tests/unit/test_energy.c (capacities in bcm/year; 0.365 = 1 mcm/d).
# Area AA: EPm = 25 + 10, Pm = 5 (F2's capacity), Im = L1 (25); with Sm 7, LNGm 8, Dmax 40:
# N-1 = (35 + 5 + 7 + 8 - 25) / 40 x 100 = 75 %.  Deliverable to AA 14.6, to BB 1.095.
cat >"$TMP/ex.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40, 40]}, "properties": {"id": "F1", "country": "XX", "kind": "field", "capacity": 1}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [42, 41]}, "properties": {"id": "F2", "country": "AA", "kind": "field", "capacity": 1.825}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40, 42]}, "properties": {"id": "F3", "country": "YY", "kind": "production"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [41, 40]}, "properties": {"id": "E1", "country": "AA", "kind": "border_crossing"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [41, 42]}, "properties": {"id": "E2", "country": "AA", "kind": "landing"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [42, 40]}, "properties": {"id": "C", "country": "AA", "kind": "consumer_region"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [43, 39]}, "properties": {"id": "D", "country": "BB", "kind": "consumer_region"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [39, 39]}, "properties": {"id": "P", "country": "YY", "kind": "compressor"}},
 {"type": "Feature", "geometry": {"type": "Point", "coordinates": [39, 40]}, "properties": {"id": "T", "country": "XX", "kind": "city"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L1", "from": "F1", "to": "E1", "layer": "gas", "mode": "pipeline", "directed": true, "capacity": 9.125}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L2", "from": "F3", "to": "E2", "layer": "gas", "mode": "pipeline", "directed": true, "capacity": 3.65}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L3", "from": "F2", "to": "E2", "layer": "gas", "mode": "pipeline", "directed": true}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L4", "from": "E1", "to": "C", "layer": "gas", "mode": "pipeline", "directed": true}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L5", "from": "E2", "to": "C", "layer": "gas", "mode": "pipeline", "directed": true, "capacity": 5.475}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L6", "from": "E1", "to": "D", "layer": "gas", "mode": "pipeline", "directed": true, "capacity": 1.095}},
 {"type": "Feature", "geometry": null, "properties": {"id": "L8", "from": "P", "to": "E1", "layer": "gas", "mode": "pipeline", "directed": true, "capacity": 0.73, "status": "planned"}},
 {"type": "Feature", "geometry": null, "properties": {"id": "R1", "from": "T", "to": "F1", "mode": "road"}}
]}
JSON
EX=(--network "$TMP/ex.geojson")
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --sm 7 --lngm 8
has "= (35.00 + 5.00 + 7.00 + 8.00 - 25.00) / 40.00 x 100 = 75.0 %"
has "not met"; has "link L1 (F1 -> E1), the largest single infrastructure"
has "given (--sm)"; has "given (--dmax)"; has "not given (--deff)"
has "production F2 (field)"; has "14.60"
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --sm 7 --lngm 8 --deff 4 --json
near .n_1.percent "30 / 36 * 100"
jqe '.n_1.formula == "(EPm + Pm + Sm + LNGm - Im) / (Dmax - Deff) * 100"'
near .n_1.terms.EPm.mcm_per_day 35; near .n_1.terms.Pm.mcm_per_day 5; near .n_1.terms.Im.mcm_per_day 25
jqe '.n_1.terms.Sm.origin == "given" and .n_1.terms.EPm.origin == "network" and .n_1.terms.Deff.mcm_per_day == 4'
jqe '.n_1.im.kind == "entry" and .n_1.im.link == "L1" and .n_1.im.links == ["L1"]'
jqe '[.n_1.entry_points[].link] == ["L1", "L2"] and .n_1.production[0].node == "F2"'
near .n_1.deliverable_bcm_per_year 14.6; near .n_1.deliverable_without_im_bcm_per_year 5.475
# absent Sm and LNGm count as 0 and say so: (35 + 5 - 25) / 40 = 37.5 %
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --json
near .n_1.percent 37.5
jqe '.n_1.terms.Sm.origin == "absent" and .n_1.terms.LNGm.mcm_per_day == 0 and .n_1.terms.Deff.mcm_per_day == null'
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40; has "not given (--sm): counted as 0"
# overrides: (100 + 0 + 0 + 0 - 60) / 40 = 100 %: met
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --epm 100 --pm 0 --im 60
has "= 100.0 %"; has "(the standard is at least 100 %: met)"; has "given (--im)"
# planned L8 meets L1 at E1: one infrastructure of 27 mcm/d
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --include-planned --json
near .n_1.terms.EPm.mcm_per_day 37
jqe '.n_1.im.kind == "junction" and .n_1.im.node == "E1" and (.n_1.im.links | sort) == ["L1", "L8"]'
# per region, others ignored or first, demand caps
run 0 energy "${EX[@]}" --region AA,BB --json
near '.regions[0].bcm_per_year' 14.6; near '.regions[1].bcm_per_year' 1.095
jqe '.regions[1].limited_by == [{"kind": "link", "id": "L6", "capacity": 1.095}] and .n_1 == null'
run 0 energy "${EX[@]}" --region AA,BB --others first --demand BB=0.5 --json
near '.regions[0].bcm_per_year' 14.1; jqe '.others == "first" and .regions[1].demand_bcm_per_year == 0.5'
run 0 energy "${EX[@]}" --region AA+BB,E2 --json
near '.regions[0].bcm_per_year' 14.6; near '.regions[1].bcm_per_year' 5.475
jqe '.regions[0].sinks == ["C", "D"] and .regions[1].region == "E2"'
run 0 energy "${EX[@]}" --region AA --demand AA=10 --json
jqe '.regions[0].bcm_per_year == 10 and .regions[0].limited_by[0].kind == "demand"'
# unlimited: no capacity figure from E1 to C
run 0 energy "${EX[@]}" --region AA --supply E1; has "no limit"; has "E1 > C"
run 0 energy "${EX[@]}" --region AA --supply E1 --json; jqe '.regions[0].unlimited and .regions[0].open_path == ["E1", "C"]'
run 2 energy "${EX[@]}" --region AA,BB --supply E1 --others first; has "without limit" ERR
# a term the network cannot give: L2 without a capacity
sed 's/"capacity": 3.65//; s/"directed": true, }/"directed": true}/' "$TMP/ex.geojson" >"$TMP/nocap.geojson"
run 2 energy --network "$TMP/nocap.geojson" --region AA --n-1 --dmax 40
has "'L2' has no capacity figure, so EPm is unknown" ERR; has "Give it with --epm" ERR
run 2 energy --network "$TMP/nocap.geojson" --region AA --n-1 --dmax 40 --epm 35; has "Give it with --im" ERR
run 0 energy --network "$TMP/nocap.geojson" --region AA --n-1 --dmax 40 --epm 35 --im 25

# every output format, and --output written only on success
run 0 energy "${EX[@]}" --region AA,BB --n-1 --dmax 40 --sm 7 --lngm 8 --csv
has "quantity,region,value,unit,origin,detail"
has "deliverable,AA,14.6,bcm/year,network,C"
has '"AA,BB"'
has "N-1,\"AA,BB\",75,%,computed,not met"
has "Sm,\"AA,BB\",7,mcm/d,given"
run 0 energy "${EX[@]}" --region AA --n-1 --dmax 40 --json --output "$TMP/e.json"
check "--output wrote valid JSON" json_file '.n_1.percent == 37.5' "$TMP/e.json"
run 2 energy "${EX[@]}" --region ZZ --json --output "$TMP/bad.json"
check "--output left no file after a failure" test ! -e "$TMP/bad.json"
run 1 energy "${EX[@]}" --region BB --demand BB=0; has "0.00"

# the embedded model: the Southern Gas Corridor from Shah Deniz
run 0 energy --region IT; has "IT-GAS-DEMAND"; has "link gas-tanap-3 10.00"
run 0 energy --region GE,TR,GR,BG,IT --json
jqe '.supply == ["AZ-SHAH-DENIZ"] and .unit == "bcm per year"'
near '.regions[0].bcm_per_year' 2.4; near '.regions[1].bcm_per_year' 10.3; near '.regions[2].bcm_per_year' 10
near '.regions[3].bcm_per_year' 3; near '.regions[4].bcm_per_year' 10
run 0 energy --region GE,TR,GR,BG,IT --n-1 --dmax 100
for t in EPm Pm Sm LNGm Im Dmax Deff; do has "  $t "; done
has "link gas-scp-AZ (AZ-SANGACHAL -> GE-GARDABANI)"; has "bcm/year x 1000 / 365"
run 0 energy --region GE,TR,GR,BG,IT --n-1 --dmax 100 --sm 20 --lngm 10 --json
near .n_1.percent 30; near .n_1.terms.EPm.mcm_per_day "23.4 * 1000 / 365"
jqe '.n_1.im.link == "gas-scp-AZ" and .n_1.deliverable_without_im_bcm_per_year == 0'
run 0 energy --region IT --n-1 --dmax 100 --include-planned --json
jqe '.n_1.im.kind == "junction" and .n_1.im.node == "IT-MELENDUGNO" and (.n_1.im.links | length) == 2'
near .n_1.terms.Im.mcm_per_day "20 * 1000 / 365"; near '.regions[0].bcm_per_year' 11.2
run 0 energy --region GR,BG,IT --others first --demand GR=4 --json
near '.regions[2].bcm_per_year' 3 # TANAP's 10 less Greece's 4 and Bulgaria's 3 (IGB)
printf '{"name": "TANAP west closed", "changes": [{"op": "close", "links": ["gas-tanap-3"]}]}' >"$TMP/s.json"
run 1 energy --region IT --scenario "$TMP/s.json"

# bad usage
run 2 energy; has "give --region" ERR
run 2 energy --region IT --n-1; has "--n-1 needs --dmax" ERR
run 2 energy --region IT --dmax 50; has "--dmax is an N-1 input: add --n-1" ERR
run 2 energy --region IT --n-1 --dmax 0; has "--dmax needs a number of mcm/d > 0" ERR
run 2 energy --region IT --n-1 --dmax 10 --sm -1; has "--sm needs a number of mcm/d >= 0" ERR
run 2 energy --region IT --n-1 --dmax 10 --lngm x; has "--lngm needs a number" ERR
run 2 energy --region IT --n-1 --dmax 10 --deff 10; has "--deff (10) must be less than --dmax (10)" ERR
run 2 energy --region IT --n-1 --dmax 10 --im 1000; has "exceeds EPm + Pm + Sm + LNGm" ERR
run 2 energy --region IT --others maybe; has "--others takes 'ignore' or 'first'" ERR
run 2 energy --region IT --demand GR=1; has "'GR' is not one of the --region items" ERR
run 2 energy --region IT --demand IT; has "REGION=BCM_PER_YEAR" ERR
run 2 energy --region ZZ; has "'ZZ' is neither a node id nor a country" ERR
run 2 energy --region CN; has "country 'CN' has no node on a usable gas link" ERR
run 2 energy --region IT --supply CN-XIAN; has "supply node 'CN-XIAN' has no usable gas link" ERR
run 2 energy --region IT --geojson; has "no map output" ERR
run 2 energy --region IT --layer gas; has "unknown or incomplete option" ERR
run 2 energy --region IT extra; has "unexpected argument 'extra'" ERR

# a scenario's capacity change reaches the gas layer too: TANAP's last section halved
printf '{"name": "half", "changes": [{"op": "scale", "links": ["gas-tanap-3"], "capacity": 0.5}]}' >"$TMP/half.json"
run 0 energy --region IT --scenario "$TMP/half.json" --json
jqe '.regions[0].bcm_per_year == 5'
finish
