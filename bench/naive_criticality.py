#!/usr/bin/env python3
"""naive_criticality.py — the peer of bench_criticality: link criticality done the naive
way with NetworkX (one full shortest-path search per removed link per O-D pair).

    naive_criticality.py GRAPH.gr[.gz] JOB

GRAPH is the DIMACS file bench_criticality loaded; JOB is the file it wrote:

    naive_pairs N                  the naive way runs the first N pairs
    pair FROM TO COST              one per O-D pair: node indices (DIMACS id - 1), our distance
    link INDEX FROM TO EXTRA CUT   one per link to remove: link index (arc line - 1, as in
                                   corridor), its ends, and our Σ extra cost and disconnected
                                   pairs over the first N pairs

The graph is an nx.DiGraph of the DIMACS arcs with weight = the file's weight; of parallel
arcs the lightest is kept, which is what a shortest-path search over all of them sees.
Removing a link that has parallel twins leaves the lightest of the others, as in corridor
(each DIMACS arc is one link there). The searches are nx.shortest_path_length(G, s, t,
weight="weight"): a one-way Dijkstra stopped at the target.

Prints `key value` lines on stdout: versions, times in seconds, counts and mismatches
against the figures of JOB. Every distance is an integer sum, so the checks are exact.
"""
import gzip
import sys
import time

import networkx as nx


def read_arcs(path):
    """DIMACS arcs in file order as (u, v, w), u and v 0-based."""
    opener = gzip.open if path.endswith(".gz") else open
    arcs = []
    with opener(path, "rt") as f:
        for line in f:
            if line.startswith("a "):
                _, u, v, w = line.split()
                arcs.append((int(u) - 1, int(v) - 1, int(w)))
    return arcs


def read_job(path):
    pairs, links, n = [], [], 0
    with open(path) as f:
        for line in f:
            kind, *rest = line.split()
            if kind == "naive_pairs":
                n = int(rest[0])
            elif kind == "pair":
                pairs.append((int(rest[0]), int(rest[1]), float(rest[2])))
            elif kind == "link":
                links.append((int(rest[0]), int(rest[1]), int(rest[2]), float(rest[3]),
                              int(rest[4])))
    return pairs, links, n


def distance(g, s, t):
    try:
        return float(nx.shortest_path_length(g, s, t, weight="weight"))
    except nx.NetworkXNoPath:
        return float("inf")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: naive_criticality.py GRAPH.gr[.gz] JOB")
    out = sys.stdout
    out.write("networkx %s\npython %s\n" % (nx.__version__, sys.version.split()[0]))
    t0 = time.monotonic()
    arcs = read_arcs(sys.argv[1])
    out.write("read_s %.3f\n" % (time.monotonic() - t0))
    t0 = time.monotonic()
    best = {}
    for u, v, w in arcs:
        if (u, v) not in best or w < best[(u, v)]:
            best[(u, v)] = w
    g = nx.DiGraph()
    g.add_weighted_edges_from((u, v, w) for (u, v), w in best.items())
    out.write("build_s %.3f\nnodes %d\nedges %d\n" % (time.monotonic() - t0,
                                                      g.number_of_nodes(), g.number_of_edges()))
    pairs, links, n_naive = read_job(sys.argv[2])

    # The base distances: NetworkX's engine against ours on the same pairs.
    base, bad = [], 0
    t0, c0 = time.monotonic(), time.process_time()
    for s, t, _ in pairs:
        base.append(distance(g, s, t))
    out.write("base_s %.3f\nbase_cpu_s %.3f\nbase_searches %d\n"
              % (time.monotonic() - t0, time.process_time() - c0, len(pairs)))
    for (s, t, ours), d in zip(pairs, base):
        if d != ours:
            bad += 1
            sys.stderr.write("networkx: pair %d -> %d: %.17g, corridor %.17g\n" % (s, t, d, ours))
    out.write("base_mismatch %d\n" % bad)
    out.flush()

    # The naive criticality: every pair searched again with the link removed.
    bad = searches = 0
    elapsed = cpu = 0.0
    for index, u, v, extra_ours, cut_ours in links:
        if arcs[index][:2] != (u, v):
            sys.exit("naive_criticality: link %d is %d -> %d in the file, %d -> %d in the job"
                     % (index, arcs[index][0], arcs[index][1], u, v))
        twins = [w for i, (a, b, w) in enumerate(arcs) if (a, b) == (u, v) and i != index] \
            if (u, v) in best else []
        t0, c0 = time.monotonic(), time.process_time()
        weight = g[u][v]["weight"]
        if twins:
            g[u][v]["weight"] = min(twins)
        else:
            g.remove_edge(u, v)
        extra, cut = 0.0, 0
        for (s, t, _), was in zip(pairs[:n_naive], base):
            d = distance(g, s, t)
            searches += 1
            if d == float("inf"):
                cut += 1
            else:
                extra += d - was
        if twins:
            g[u][v]["weight"] = weight
        else:
            g.add_edge(u, v, weight=weight)
        elapsed += time.monotonic() - t0
        cpu += time.process_time() - c0
        if extra != extra_ours or cut != cut_ours:
            bad += 1
            sys.stderr.write("networkx: link %d: extra %.17g, %d cut; corridor %.17g, %d cut\n"
                             % (index, extra, cut, extra_ours, cut_ours))
        out.write("link %d %.3f %.17g %d\n" % (index, elapsed, extra, cut))
        out.flush()
    out.write("naive_s %.3f\nnaive_cpu_s %.3f\nnaive_links %d\nnaive_searches %d\nnaive_mismatch %d\n"
              % (elapsed, cpu, len(links), searches, bad))


if __name__ == "__main__":
    main()
