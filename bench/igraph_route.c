/*
 * igraph_route.c — point-to-point routes with igraph 0.10, for comparison.
 *
 * The graph is built from the very cor_network corridor routes on, so both answer the
 * same question on the same arcs and weights. The call timed is the one igraph offers for
 * a single pair, igraph_get_shortest_path_dijkstra, which wraps
 * igraph_get_shortest_paths_dijkstra with one target. That function validates the weight
 * vector (a scan of all |E| weights), allocates and fills its per-vertex arrays (distances,
 * parents, an indexed binary heap, a lazy incidence list) for all |V| vertices, then runs a
 * unidirectional Dijkstra that stops as soon as the target is popped. That set-up is part of
 * every call in igraph's API, so it is part of what we time; see README.md.
 */
#include "igraph_route.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>

struct bench_igraph {
    igraph_t graph;
    igraph_vector_t weights;
    igraph_vector_int_t path; /* reused by every query */
};

/* Arcs of the network in corridor's order: each link forward, then backward. */
static igraph_error_t fill_arcs(const cor_network *net, igraph_vector_int_t *ends,
                                igraph_vector_t *weights)
{
    size_t n_links = cor_network_link_count(net);
    for (uint32_t i = 0; i < n_links; i++) {
        const cor_link *l = cor_network_link(net, i);
        if (l->forward) {
            IGRAPH_CHECK(igraph_vector_int_push_back(ends, l->from));
            IGRAPH_CHECK(igraph_vector_int_push_back(ends, l->to));
            IGRAPH_CHECK(igraph_vector_push_back(weights, l->cost));
        }
        if (l->backward) {
            double w = isnan(l->reverse_cost) ? l->cost : l->reverse_cost;
            IGRAPH_CHECK(igraph_vector_int_push_back(ends, l->to));
            IGRAPH_CHECK(igraph_vector_int_push_back(ends, l->from));
            IGRAPH_CHECK(igraph_vector_push_back(weights, w));
        }
    }
    return IGRAPH_SUCCESS;
}

bench_igraph *bench_igraph_new(const cor_network *net)
{
    /* Errors come back as codes (and are printed); an unreachable target is not worth a
     * warning per query. */
    igraph_set_error_handler(igraph_error_handler_printignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    bench_igraph *ig = calloc(1, sizeof *ig);
    igraph_vector_int_t ends;
    if (!ig || igraph_vector_int_init(&ends, 0) != IGRAPH_SUCCESS) goto fail_ig;
    if (igraph_vector_init(&ig->weights, 0) != IGRAPH_SUCCESS) goto fail_ends;
    size_t n_links = cor_network_link_count(net);
    if (igraph_vector_int_reserve(&ends, 4 * (igraph_integer_t)n_links) != IGRAPH_SUCCESS ||
        igraph_vector_reserve(&ig->weights, 2 * (igraph_integer_t)n_links) != IGRAPH_SUCCESS ||
        fill_arcs(net, &ends, &ig->weights) != IGRAPH_SUCCESS ||
        igraph_vector_int_init(&ig->path, 0) != IGRAPH_SUCCESS)
        goto fail_weights;
    if (igraph_create(&ig->graph, &ends, (igraph_integer_t)cor_network_node_count(net),
                      IGRAPH_DIRECTED) != IGRAPH_SUCCESS)
        goto fail_path;
    igraph_vector_int_destroy(&ends);
    return ig;
fail_path:
    igraph_vector_int_destroy(&ig->path);
fail_weights:
    igraph_vector_destroy(&ig->weights);
fail_ends:
    igraph_vector_int_destroy(&ends);
fail_ig:
    free(ig);
    return NULL;
}

void bench_igraph_free(bench_igraph *ig)
{
    if (!ig) return;
    igraph_destroy(&ig->graph);
    igraph_vector_destroy(&ig->weights);
    igraph_vector_int_destroy(&ig->path);
    free(ig);
}

size_t bench_igraph_edge_count(const bench_igraph *ig)
{
    return (size_t)igraph_ecount(&ig->graph);
}

double bench_igraph_route(bench_igraph *ig, uint32_t from, uint32_t to, size_t *n_edges)
{
    *n_edges = 0;
    if (igraph_get_shortest_path_dijkstra(&ig->graph, NULL, &ig->path, from, to, &ig->weights,
                                          IGRAPH_OUT) != IGRAPH_SUCCESS)
        return NAN;
    igraph_integer_t n = igraph_vector_int_size(&ig->path);
    *n_edges = (size_t)n;
    if (n == 0) return from == to ? 0 : INFINITY;
    double sum = 0;
    for (igraph_integer_t i = 0; i < n; i++)
        sum += VECTOR(ig->weights)[VECTOR(ig->path)[i]];
    return sum;
}
