# bench/ny_common.sh — sourced by the NY process benchmarks (cor_routes.sh, assign_index.sh,
# criticality_index.sh, restore_index.sh): $cor (the binary: their first argument or
# build/corridor), $gr (DIMACS NY; exits 0 with a message when absent), $tmp (removed at
# exit), random_pairs N SEED [HEADER] (N random node pairs of NY, Python random with SEED;
# HEADER: the demand form "from,to,quantity" with quantity 1), and a first line naming the
# time, the CPUs and the load.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cor=${1:-$root/build/corridor}
data=${COR_SHARED_DATA:-$root/../shared/data}
gr=$data/dimacs9/USA-road-d.NY.gr.gz
[ -f "$gr" ] || { echo "bench: $gr is absent; skipping"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
random_pairs() {
    python3 -c "
import random, sys
n, seed, demand = int(sys.argv[1]), int(sys.argv[2]), len(sys.argv) > 3
r = random.Random(seed)
if demand: print('from,to,quantity')
for i in range(n):
    a, b = r.randint(1, 264346), r.randint(1, 264346)
    print('%d,%d,1' % (a, b) if demand else '%d,%d' % (a, b))" "$@"
}
echo "# $(date -u +%FT%TZ), $(nproc) CPUs, load:$(uptime | sed 's/.*load average//')"
