/*
 * igraph_maxflow.c — maximum flow with igraph 0.10, for comparison.
 *
 * The graph is built once from the very cor_network corridor computes on, with the arcs
 * and capacities cor_maxflow gives it (capacity_from_cost: the arc weight is the
 * capacity). igraph's max-flow is Goldberg–Tarjan push-relabel (highest label first, gap
 * heuristic, global relabelling by a reverse BFS from the target every ~|V| relabels).
 * Like cor_maxflow, each igraph_maxflow call builds its own residual graph first (an edge
 * list sorted by tail into CSR arrays with reverse-arc indices, over all |E| edges): both
 * sides pay a per-call set-up, so whole calls are compared. The preflow phase gives the
 * value; asking for the flow adds a second phase that returns the excess stranded in the
 * graph to the source and removes flow cycles, and asking for the cut a reverse BFS from
 * the target. See README.md.
 */
#include "igraph_maxflow.h"

#include <igraph.h>
#include <math.h>
#include <stdlib.h>

struct bench_igraph_flow {
    igraph_t graph;
    igraph_vector_t capacity;
    igraph_vector_t flow;     /* of the last call with the flow */
    igraph_vector_int_t cut;  /* idem */
    igraph_maxflow_stats_t stats;
    bool with_flow;
};

static igraph_error_t add_arc(igraph_vector_int_t *ends, igraph_vector_t *capacity,
                              uint32_t from, uint32_t to, double cap)
{
    if (!(cap > 0)) return IGRAPH_SUCCESS; /* cor_maxflow makes no arc of it either */
    IGRAPH_CHECK(igraph_vector_int_push_back(ends, from));
    IGRAPH_CHECK(igraph_vector_int_push_back(ends, to));
    IGRAPH_CHECK(igraph_vector_push_back(capacity, cap));
    return IGRAPH_SUCCESS;
}

/* Arcs in cor_maxflow's order: each link forward, then backward. */
static igraph_error_t fill_arcs(const cor_network *net, igraph_vector_int_t *ends,
                                igraph_vector_t *capacity)
{
    size_t n_links = cor_network_link_count(net);
    for (uint32_t i = 0; i < n_links; i++) {
        const cor_link *l = cor_network_link(net, i);
        double rc = isnan(l->reverse_cost) ? l->cost : l->reverse_cost;
        if ((l->forward && isnan(l->cost)) || (l->backward && isnan(rc)))
            IGRAPH_ERROR("a link has no cost: unlimited capacity", IGRAPH_EINVAL);
        if (l->forward) IGRAPH_CHECK(add_arc(ends, capacity, l->from, l->to, l->cost));
        if (l->backward) IGRAPH_CHECK(add_arc(ends, capacity, l->to, l->from, rc));
    }
    return IGRAPH_SUCCESS;
}

bench_igraph_flow *bench_igraph_flow_new(const cor_network *net)
{
    /* Errors come back as codes (and are printed). */
    igraph_set_error_handler(igraph_error_handler_printignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    bench_igraph_flow *ig = calloc(1, sizeof *ig);
    igraph_vector_int_t ends;
    if (!ig || igraph_vector_int_init(&ends, 0) != IGRAPH_SUCCESS) goto fail_ig;
    if (igraph_vector_init(&ig->capacity, 0) != IGRAPH_SUCCESS) goto fail_ends;
    if (igraph_vector_init(&ig->flow, 0) != IGRAPH_SUCCESS) goto fail_capacity;
    if (igraph_vector_int_init(&ig->cut, 0) != IGRAPH_SUCCESS) goto fail_flow;
    size_t n_links = cor_network_link_count(net);
    if (igraph_vector_int_reserve(&ends, 4 * (igraph_integer_t)n_links) != IGRAPH_SUCCESS ||
        igraph_vector_reserve(&ig->capacity, 2 * (igraph_integer_t)n_links) != IGRAPH_SUCCESS ||
        fill_arcs(net, &ends, &ig->capacity) != IGRAPH_SUCCESS)
        goto fail_cut;
    if (igraph_create(&ig->graph, &ends, (igraph_integer_t)cor_network_node_count(net),
                      IGRAPH_DIRECTED) != IGRAPH_SUCCESS)
        goto fail_cut;
    igraph_vector_int_destroy(&ends);
    return ig;
fail_cut:
    igraph_vector_int_destroy(&ig->cut);
fail_flow:
    igraph_vector_destroy(&ig->flow);
fail_capacity:
    igraph_vector_destroy(&ig->capacity);
fail_ends:
    igraph_vector_int_destroy(&ends);
fail_ig:
    free(ig);
    return NULL;
}

void bench_igraph_flow_free(bench_igraph_flow *ig)
{
    if (!ig) return;
    igraph_destroy(&ig->graph);
    igraph_vector_destroy(&ig->capacity);
    igraph_vector_destroy(&ig->flow);
    igraph_vector_int_destroy(&ig->cut);
    free(ig);
}

size_t bench_igraph_flow_edge_count(const bench_igraph_flow *ig)
{
    return (size_t)igraph_ecount(&ig->graph);
}

double bench_igraph_maxflow(bench_igraph_flow *ig, uint32_t from, uint32_t to, bool with_flow)
{
    igraph_real_t value;
    igraph_error_t e;
    ig->with_flow = with_flow;
    if (with_flow)
        e = igraph_maxflow(&ig->graph, &value, &ig->flow, &ig->cut, NULL, NULL, from, to,
                           &ig->capacity, &ig->stats);
    else
        e = igraph_maxflow_value(&ig->graph, &value, from, to, &ig->capacity, &ig->stats);
    return e == IGRAPH_SUCCESS ? value : NAN;
}

bench_igraph_flow_stats bench_igraph_flow_last_stats(const bench_igraph_flow *ig)
{
    return (bench_igraph_flow_stats){
        .pushes = (long)ig->stats.nopush,
        .relabels = (long)ig->stats.norelabel,
        .global_relabels = (long)ig->stats.nobfs,
        .n_cut = ig->with_flow ? (size_t)igraph_vector_int_size(&ig->cut) : 0,
    };
}

bool bench_igraph_flow_check(const bench_igraph_flow *ig, uint32_t from, uint32_t to,
                             double value)
{
    igraph_integer_t n = igraph_vcount(&ig->graph), m = igraph_ecount(&ig->graph);
    if (!ig->with_flow || igraph_vector_size(&ig->flow) != m) return false;
    double *net_out = calloc((size_t)n, sizeof *net_out);
    if (!net_out) return false;
    bool ok = true;
    for (igraph_integer_t e = 0; e < m; e++) {
        double f = VECTOR(ig->flow)[e];
        if (f < 0 || f > VECTOR(ig->capacity)[e]) ok = false;
        net_out[IGRAPH_FROM(&ig->graph, e)] += f;
        net_out[IGRAPH_TO(&ig->graph, e)] -= f;
    }
    for (igraph_integer_t v = 0; v < n; v++)
        if (v != from && v != to && net_out[v] != 0) ok = false;
    ok = ok && net_out[from] == value && net_out[to] == -value;
    double cut = 0;
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ig->cut); i++)
        cut += VECTOR(ig->capacity)[VECTOR(ig->cut)[i]];
    free(net_out);
    return ok && cut == value;
}
