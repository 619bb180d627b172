/*
 * graph_internal.h — the compiled graph's arrays, shared by graph.c and route.c.
 *
 * States are (node, mode class) pairs; a mode class is a mode, or for rail a mode and a
 * gauge. The states of a node are numbered consecutively: node_first_state[n] ..
 * node_first_state[n+1]. Arcs are stored twice as CSR: forward (first_out, head,
 * arc_link, weight) and backward (first_in, in_tail, in_arc → forward arc index), so the
 * weight is stored once. A network with one mode class has exactly one state per node
 * and no transfer arcs: the multimodal machinery costs nothing there — the state arrays
 * are not even stored (state = node), and weights that are all exact in single precision
 * (integer road graphs) are stored as floats. Use the accessors below, not the arrays.
 */
#ifndef COR_GRAPH_INTERNAL_H
#define COR_GRAPH_INTERNAL_H

#include "corridor.h"

#define COR_ARC_TRANSFER UINT32_MAX /* arc_link of a transfer arc */
#define COR_MAX_CLASSES 32
#define COR_EARTH_RADIUS_KM 6371.0088

typedef struct cor_mode_class {
    cor_mode mode;
    int gauge_mm;
} cor_mode_class;

struct cor_graph {
    const cor_network *net;
    cor_profile profile; /* scalars only: the filter arrays are not kept */
    uint32_t n_nodes, n_states, n_arcs;
    uint32_t *node_first_state; /* n_nodes + 1; NULL when state = node */
    uint32_t *state_node;       /* n_states; NULL when state = node */
    uint8_t *state_class;       /* n_states; NULL when state = node (class 0) */
    cor_mode_class classes[COR_MAX_CLASSES];
    uint32_t n_classes;
    uint32_t *first_out; /* n_states + 1 */
    uint32_t *head;      /* n_arcs */
    uint32_t *arc_link;  /* n_arcs: link << 1 | reversed, or COR_ARC_TRANSFER */
    double *weight;      /* n_arcs, or NULL when weight32 holds them exactly */
    float *weight32;
    uint32_t *first_in;  /* n_states + 1 */
    uint32_t *in_tail;   /* n_arcs, sorted by head */
    uint32_t *in_arc;    /* n_arcs: the forward arc index */
    /* A*: unit vectors of node positions (x, y, z per node) and the objective per km of
     * chord that no arc beats; lb_per_km == 0 when there is no valid bound. Double
     * precision: in single precision the rounding of very short arcs (metres on a road
     * graph) lowers the bound for every arc, and A* settles 60% more states on NY. */
    double *xyz;
    double lb_per_km;
    /* The index queries answer through (cor_graph_set_index; cch.c), or NULL. */
    const struct cor_cch *cch;
    const struct cor_cch_metric *cch_metric;
    uint32_t index_generation; /* + 1 at each cor_graph_set_index: queries drop caches */
};

static inline uint32_t cor_g_node(const cor_graph *g, uint32_t s)
{
    return g->state_node ? g->state_node[s] : s;
}

static inline uint32_t cor_g_first_state(const cor_graph *g, uint32_t node)
{
    return g->node_first_state ? g->node_first_state[node] : node;
}

static inline uint32_t cor_g_class(const cor_graph *g, uint32_t s)
{
    return g->state_class ? g->state_class[s] : 0;
}

static inline double cor_g_weight(const cor_graph *g, uint32_t a)
{
    return g->weight32 ? (double)g->weight32[a] : g->weight[a];
}

/* The links and nodes a profile lets through (filter.c): its layers, modes, status
 * (planned links with include_planned), avoided elements and scenario. */
typedef struct cor_filter {
    const cor_network *net;
    const cor_profile *p;
    uint8_t *node_avoided; /* n_nodes: avoided or closed */
    uint8_t *link_avoided; /* n_links */
} cor_filter;

cor_status cor_filter_init(cor_filter *f, const cor_network *net, const cor_profile *p,
                           cor_error *err);
/* True when link i may carry anything (directions aside). */
bool cor_filter_link(const cor_filter *f, uint32_t i);
void cor_filter_clear(cor_filter *f);

/* Per-element measures (NaN when unknown), shared by routing and reporting. */
typedef struct cor_measures {
    double hours, usd, co2_kg, km, wait_hours, dwell_hours;
    bool border;
} cor_measures;

void cor_link_measures(const cor_network *net, const cor_link *l, bool reversed,
                       cor_measures *m);
/* A transfer at node n between classes a and b. */
void cor_transfer_measures(const cor_node *n, const cor_mode_class *a, const cor_mode_class *b,
                           cor_measures *m);
double cor_objective_value(const cor_profile *p, const cor_measures *m);

#endif
