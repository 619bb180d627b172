/*
 * igraph_route.h — the igraph side of the routing benchmark.
 *
 * Kept apart from bench_route.c so that the corridor side never sees an igraph type and
 * the comparison reads as two plain calls: "build from this network", "answer this pair".
 */
#ifndef COR_BENCH_IGRAPH_ROUTE_H
#define COR_BENCH_IGRAPH_ROUTE_H

#include "corridor.h"

typedef struct bench_igraph bench_igraph;

/* A directed igraph graph with one edge per usable direction of every link of `net`
 * (from → to weighted `cost`; to → from weighted `reverse_cost`, or `cost` when that is
 * NaN), i.e. the arcs and weights cor_graph_compile gives the default cost profile on a
 * single-mode network. NULL on failure (igraph has printed why). */
bench_igraph *bench_igraph_new(const cor_network *net);
void bench_igraph_free(bench_igraph *ig);
size_t bench_igraph_edge_count(const bench_igraph *ig);

/* One igraph_get_shortest_path_dijkstra(from → to, mode OUT, edges requested): the sum of
 * the weights along the path it returns, INFINITY when there is none, NAN on an igraph
 * error. *n_edges is set to the path's length in edges. */
double bench_igraph_route(bench_igraph *ig, uint32_t from, uint32_t to, size_t *n_edges);

#endif
