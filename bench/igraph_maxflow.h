/*
 * igraph_maxflow.h — the igraph side of the max-flow benchmark.
 *
 * Kept apart from bench_maxflow.c, like igraph_route.h, so that the corridor side never
 * sees an igraph type and the comparison reads as two plain calls: "build from this
 * network", "maximum flow between this pair".
 */
#ifndef COR_BENCH_IGRAPH_MAXFLOW_H
#define COR_BENCH_IGRAPH_MAXFLOW_H

#include "corridor.h"

typedef struct bench_igraph_flow bench_igraph_flow;

/* A directed igraph graph with one edge per direction of a link that cor_maxflow with
 * capacity_from_cost turns into an arc: from → to with capacity `cost` when the link is
 * forward, to → from with `reverse_cost` (`cost` when NaN) when it is backward, and only
 * positive capacities (cor_maxflow makes no arc of the others). On DIMACS graphs every
 * link is one arc from → to. NULL on failure (igraph has printed why), or when a capacity
 * is NaN (unlimited: a case igraph does not have). */
bench_igraph_flow *bench_igraph_flow_new(const cor_network *net);
void bench_igraph_flow_free(bench_igraph_flow *ig);
size_t bench_igraph_flow_edge_count(const bench_igraph_flow *ig);

/* One call: with_flow, igraph_maxflow(value, flow, cut) — the outputs of cor_maxflow;
 * otherwise igraph_maxflow_value (the preflow phase only). The value, NAN on an igraph
 * error. The flow and cut stay in `ig` for bench_igraph_flow_check. */
double bench_igraph_maxflow(bench_igraph_flow *ig, uint32_t from, uint32_t to, bool with_flow);

/* The last call's statistics (igraph_maxflow_stats_t). */
typedef struct bench_igraph_flow_stats {
    long pushes, relabels, global_relabels;
    size_t n_cut; /* edges in igraph's minimum cut (0 after a value-only call) */
} bench_igraph_flow_stats;
bench_igraph_flow_stats bench_igraph_flow_last_stats(const bench_igraph_flow *ig);

/* After a call with the flow: true when that flow is within capacity, conserved at every
 * vertex but `from` and `to`, carries `value` out of `from` and into `to`, and the cut's
 * capacities sum to `value` (all exact: integer capacities). */
bool bench_igraph_flow_check(const bench_igraph_flow *ig, uint32_t from, uint32_t to,
                             double value);

#endif
