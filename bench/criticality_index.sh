#!/usr/bin/env bash
# bench/criticality_index.sh [build/corridor] — all single-link criticality on DIMACS NY for 100
# random O-D pairs (Python random, seed 20240601), through the routing index of a .cor against
# the exact search on the .gr.gz, in one run: wall and CPU time, peak RSS (GNU time), and
# which figures agree (a per-link comparison of the two CSVs). About 5 minutes on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ny_common.sh"
random_pairs 100 20240601 demand >"$tmp/od.csv"
/usr/bin/time -f 'build ny.cor (graph + index): %e s wall, %M KB peak' "$cor" build --network "$gr" -o "$tmp/ny.cor"
run() { # LABEL NETWORK THREADS OUT
    /usr/bin/time -f "$1: %e s wall, %U s user, %M KB peak" \
        "$cor" stress --network "$2" --od "$tmp/od.csv" --threads "$3" --csv --quiet --top 100000000 >"$4"
}
run "index, 2 threads" "$tmp/ny.cor" 2 "$tmp/index2.csv"
run "index, 1 thread" "$tmp/ny.cor" 1 "$tmp/index1.csv"
run "exact, 2 threads" "$gr" 2 "$tmp/exact2.csv"
echo "# load:$(uptime | sed 's/.*load average//')"
cmp -s "$tmp/index1.csv" "$tmp/index2.csv" && echo "index: 1 and 2 threads identical"
python3 - "$tmp/index2.csv" "$tmp/exact2.csv" <<'PY'
import csv, sys
def load(p):
    with open(p) as f:
        return {(r['kind'], r['id']): r for r in csv.DictReader(f)}
a, b = load(sys.argv[1]), load(sys.argv[2])
cols = [c for c in next(iter(a.values())) if c not in ('kind', 'id')]
diff = {c: sum(a[k][c] != b[k][c] for k in a) for c in cols}
print(f"{len(a)} links; entries that differ, index vs exact, per column: {diff}")
PY
