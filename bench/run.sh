#!/usr/bin/env bash
# bench/run.sh — build the benchmarks (Release, -O2, in build-bench/) and run the
# comparisons against igraph on the DIMACS New York graphs; prints markdown tables.
#
#   bench/run.sh                 routing, then max-flow (about 6 minutes)
#   BENCH=route bench/run.sh     routing only: 1000 queries per graph (about 5 minutes)
#   BENCH=maxflow bench/run.sh   max-flow only: 20 pairs on NY distance (about a minute)
#   BENCH=criticality bench/run.sh   all single-link criticality, 100 O-D pairs, with 1 and
#                                2 threads, against the naive way on our engine and on
#                                NetworkX (python3-networkx); not in `all`: about 15 minutes
#   BENCH=criticality THREADS=2 bench/run.sh   the same with 2 threads only (about 7 minutes)
#   BENCH=load bench/run.sh      NY from .gr.gz against from its .cor: load time (bench_load)
#                                and peak RSS of `corridor route --pairs` on 1,000 fixed
#                                random pairs (/usr/bin/time -v); about a minute
#   BENCH=index bench/run.sh     the routing index (CCH, both orders) against the exact search,
#                                RoutingKit's CH and CCH (../shared/peers/routingkit, built
#                                into the build folder) and igraph: NY distance with .co, and
#                                BAY; not in `all`: about 10 minutes
#   QUERIES=100 bench/run.sh     a quicker look at routing; PAIRS=5 likewise for max-flow
#   COR_SHARED_DATA=/data bench/run.sh   data elsewhere (default: ../shared/data)
#   BENCH_BUILD=/tmp/b bench/run.sh      another build folder (default: build-bench)
#
# Installs nothing: it stops and says what to install when igraph is missing, and skips
# (exit 0) when the data is absent.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${COR_SHARED_DATA:-$root/../shared/data}
dimacs=$data/dimacs9
queries=${QUERIES:-1000}
pairs=${PAIRS:-20}
build=${BENCH_BUILD:-$root/build-bench}
case ${BENCH:=all} in
    route) targets=(bench_route) ;;
    maxflow) targets=(bench_maxflow) ;;
    criticality) targets=(bench_criticality) ;;
    load) targets=(bench_load corridor_cli) ;;
    index) targets=(bench_index) ;;
    all) targets=(bench_route bench_maxflow) ;;
    *) echo "bench: BENCH=$BENCH: expected route, maxflow, criticality, load, index or all" >&2; exit 2 ;;
esac

if [ ! -d "$dimacs" ]; then
    echo "bench: $dimacs is absent, nothing to measure (set COR_SHARED_DATA); skipping"
    exit 0
fi
if ! pkg-config --exists 'igraph >= 0.10'; then
    echo "bench: igraph 0.10 is missing (pkg-config 'igraph'). Install it with:" >&2
    echo "    apt-get install libigraph-dev" >&2
    exit 1
fi

# The NetworkX side of criticality: Debian's python3-networkx (for /usr/bin/python3) first.
if [ "$BENCH" = criticality ]; then
    python=
    for py in /usr/bin/python3 python3; do
        if "$py" -c 'import networkx' 2> /dev/null; then python=$py; break; fi
    done
    if [ -z "$python" ]; then
        echo "bench: NetworkX is missing (python3 -c 'import networkx'). Install it with:" >&2
        echo "    apt-get install python3-networkx" >&2
        exit 1
    fi
    peer="NetworkX $("$python" -c 'import networkx; print(networkx.__version__)')"
else
    peer="igraph $(pkg-config --modversion igraph)"
fi

mkdir -p "$build"
cmake -S "$root" -B "$build" -DCOR_BENCH=ON -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" > "$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" --target "${targets[@]}" -j "$(nproc)" > "$build/build.log" 2>&1 ||
    { cat "$build/build.log" >&2; exit 1; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs," \
     "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')," \
     "corridor $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $peer"
if [ "$BENCH" = criticality ]; then
    # All single-link criticality for 100 O-D pairs with 1 and 2 threads, the naive way on
    # a sample of links (our engine, then NetworkX), extrapolated.
    echo "# uptime:$(uptime | sed 's/.*load average/ load average/')"
    "$build/bench/bench_criticality" --pairs 100 --threads "${THREADS:-1,2}" --sample "${SAMPLE:-100}" \
        --onpath "${ONPATH:-10}" --peer "$python $root/bench/naive_criticality.py" \
        --peer-links 3 --peer-pairs "${PEER_PAIRS:-20}" \
        --label "NY distance (USA-road-d + .co)" "$dimacs/USA-road-d.NY.gr.gz"
    echo "# uptime:$(uptime | sed 's/.*load average/ load average/')"
    exit 0
fi
if [ "$BENCH" = load ]; then
    # Loading NY from its source and from its .cor, and a whole `route --pairs` process.
    echo "# uptime:$(uptime | sed 's/.*load average/ load average/')"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    gr=$dimacs/USA-road-d.NY.gr.gz
    "$build/corridor" build --network "$gr" -o "$tmp/ny.cor"
    awk 'BEGIN { srand(42); for (i = 0; i < 1000; i++)
                 printf "%d,%d\n", 1 + int(rand() * 264346), 1 + int(rand() * 264346) }' >"$tmp/pairs.csv"
    "$build/bench/bench_load" "$gr" 3
    "$build/bench/bench_load" "$tmp/ny.cor" 30
    for f in "$gr" "$tmp/ny.cor"; do
        for args in "--from 1 --to 200000" "--pairs $tmp/pairs.csv --csv"; do
            # shellcheck disable=SC2086
            /usr/bin/time -v "$build/corridor" route --network "$f" $args 2>"$tmp/time" >"$tmp/out.$(basename "$f")"
            printf '%s route %s: %s, peak RSS %s kB\n' "$(basename "$f")" "${args%% /*}" \
                "$(grep 'Elapsed' "$tmp/time" | sed 's/.*: //')" \
                "$(grep 'Maximum resident' "$tmp/time" | sed 's/.*: //')"
        done
    done
    cmp -s "$tmp/out.$(basename "$gr")" "$tmp/out.ny.cor" && echo "the 1,000 answers are identical"
    exit 0
fi
if [ "$BENCH" = index ]; then
    # RoutingKit's harness, built once into the build folder (a benchmark peer only).
    peers=${COR_PEERS:-$root/../shared/peers}
    peer_args=()
    if [ -x "$build/routingkit/peer_routingkit" ] ||
       { [ -x "$peers/routingkit/build.sh" ] &&
         "$peers/routingkit/build.sh" "$build/routingkit" > "$build/routingkit.log" 2>&1; }; then
        peer_args=(--peer "$build/routingkit/peer_routingkit")
    else
        echo "# RoutingKit peer unavailable (see $build/routingkit.log): corridor and igraph only"
    fi
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "# uptime:$(uptime | sed 's/.*load average/ load average/')"
    "$build/bench/bench_index" --queries "$queries" --seed 1 --tmp "$tmp" "${peer_args[@]}" \
        --igraph-pairs "${IGRAPH_PAIRS:-100}" \
        --label "NY distance (USA-road-d + .co)" "$dimacs/USA-road-d.NY.gr.gz" \
        --label "BAY distance (USA-road-d, no .co)" "$dimacs/USA-road-d.BAY.gr.gz"
    echo "# uptime:$(uptime | sed 's/.*load average/ load average/')"
    exit 0
fi
if [ "$BENCH" != maxflow ]; then
    # The distance graph once more without its .co (a copy alone in a temporary folder):
    # bidirectional Dijkstra instead of A*, to see what the geometric bound buys.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    args=(--queries "$queries")
    if [ -f "$dimacs/USA-road-d.NY.gr.gz" ]; then
        args+=(--label "NY distance (USA-road-d + .co)" "$dimacs/USA-road-d.NY.gr.gz")
        cp "$dimacs/USA-road-d.NY.gr.gz" "$tmp/"
    fi
    args+=(--label "NY travel time (USA-road-t)" "$dimacs/USA-road-t.NY.gr.gz")
    if [ -f "$tmp/USA-road-d.NY.gr.gz" ]; then
        args+=(--no-igraph --label "NY distance without .co" "$tmp/USA-road-d.NY.gr.gz")
    fi
    "$build/bench/bench_route" "${args[@]}"
fi

# Max-flow between random pairs, the arc weight as capacity, against igraph_maxflow.
if [ "$BENCH" != route ]; then
    [ "$BENCH" = all ] && echo
    "$build/bench/bench_maxflow" --pairs "$pairs" \
        --label "NY distance (USA-road-d)" "$dimacs/USA-road-d.NY.gr.gz"
fi
