#!/usr/bin/env bash
# bench/assign_index.sh [build/corridor] — `corridor assign --method frank-wolfe` on DIMACS NY,
# from the .gr.gz against from its .cor (graph + index), 1,000 random O-D pairs (Python random,
# seed 20261203, quantity 1): wall time and peak RSS (GNU time), and whether the two answers
# are byte-identical. NY has no capacities, so Frank–Wolfe stops after its first
# all-or-nothing assignment: this measures the 1,000 shortest paths the assignment loads.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ny_common.sh"
random_pairs 1000 20261203 demand >"$tmp/od.csv"
"$cor" build --network "$gr" -o "$tmp/ny.cor" >/dev/null
for f in "$gr" "$tmp/ny.cor"; do
    /usr/bin/time -f "$(basename "$f") frank-wolfe, 1,000 pairs: %e s, %M KB peak" \
        "$cor" assign --network "$f" --demand "$tmp/od.csv" --method frank-wolfe --json --quiet \
        >"$tmp/out.$(basename "$f")" || true
done
# Equal-cost paths are common on DIMACS's integer weights and the two engines may break ties
# differently: the totals must agree, the links may differ where a tie was broken otherwise.
python3 - "$tmp/out.$(basename "$gr")" "$tmp/out.ny.cor" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
va = {(l['id'], l['from']): l['volume'] for l in a['links']}
vb = {(l['id'], l['from']): l['volume'] for l in b['links']}
same = sum(1 for k in va if vb.get(k) == va[k])
print('  totals %s; iterations %d and %d; %d of %d loaded link directions carry the same volume'
      % ('identical' if a['totals'] == b['totals'] else 'DIFFER: %s vs %s' % (a['totals'], b['totals']),
         len(a['gaps']) if a.get('gaps') else a['iterations'],
         len(b['gaps']) if b.get('gaps') else b['iterations'], same, len(va)))
PY
