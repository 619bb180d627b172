#!/usr/bin/env bash
# bench/cor_routes.sh [build/corridor] — whole `corridor route` processes on DIMACS NY, from the
# .gr.gz against from its .cor (graph + index), one pair and 1,000 random pairs (Python random,
# seed 20261203), with the stored profile and with another one (--avoid-node 5: the stored
# topology customised): wall time and peak RSS (GNU time), the engine that answered, and
# whether the answers are byte-identical.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ny_common.sh"
random_pairs 1000 20261203 >"$tmp/pairs.csv"
/usr/bin/time -f 'build: %e s, %M KB peak' "$cor" build --network "$gr" -o "$tmp/ny.cor" >/dev/null
echo "ny.cor: $(stat -c %s "$tmp/ny.cor") bytes"
for extra in "" "--avoid-node 5"; do
    for f in "$gr" "$tmp/ny.cor"; do
        # shellcheck disable=SC2086
        engine=$("$cor" route --network "$f" --from 1 --to 200000 --json $extra | jq -r .engine)
        # shellcheck disable=SC2086
        /usr/bin/time -f "$(basename "$f") one pair ${extra:-(stored profile)}: %e s, %M KB peak, engine $engine" \
            "$cor" route --network "$f" --from 1 --to 200000 --csv $extra >/dev/null
        # shellcheck disable=SC2086
        /usr/bin/time -f "$(basename "$f") 1,000 pairs ${extra:-(stored profile)}: %e s, %M KB peak" \
            "$cor" route --network "$f" --pairs "$tmp/pairs.csv" --csv --quiet $extra >"$tmp/out.$(basename "$f")"
    done
    cmp -s "$tmp/out.$(basename "$gr")" "$tmp/out.ny.cor" && echo "  the 1,000 answers are identical"
done
