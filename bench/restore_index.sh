#!/usr/bin/env bash
# bench/restore_index.sh [build/corridor] — `corridor restore` on DIMACS NY, from the .gr.gz
# against from its .cor (graph + index): 8 closed links taken along the route 1 → 200000
# (every 40th link of it), crew-days 1..8, 2 crews, 200 O-D pairs (the pair 1 → 200000 and
# 199 random ones, Python random seed 20261203), the exact method, optimising cost (the
# DIMACS weights). Wall time, peak RSS, and whether the two answers are identical.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ny_common.sh"
{ echo "from,to,quantity"; echo "1,200000,10"; random_pairs 199 20261203; } |
    sed '3,$ s/$/,1/' >"$tmp/od.csv"
"$cor" build --network "$gr" -o "$tmp/ny.cor" >/dev/null
"$cor" route --network "$tmp/ny.cor" --from 1 --to 200000 --csv |
    awk -F, 'NR > 1 && (NR - 2) % 40 == 20 && n < 8 { n++; print $4 "," n }' |
    { echo "link,crew_days"; cat; } >"$tmp/closed.csv"
echo "closed links: $(tail -n +2 "$tmp/closed.csv" | cut -d, -f1 | tr '\n' ' ')"
for f in "$gr" "$tmp/ny.cor"; do
    /usr/bin/time -f "$(basename "$f") restore, 8 links, 200 pairs: %e s, %M KB peak" \
        "$cor" restore --network "$f" --closed "$tmp/closed.csv" --od "$tmp/od.csv" --crews 2 --optimize cost \
        --method exact --json --quiet >"$tmp/out.$(basename "$f")"
done
cmp -s "$tmp/out.$(basename "$gr")" "$tmp/out.ny.cor" && echo "  the two answers are identical" ||
    echo "  the answers differ"
jq -c '{initial_accessibility, evaluations, method, optimal, demand}' "$tmp/out.ny.cor"
