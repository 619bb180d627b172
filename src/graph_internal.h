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

/* What the arrays do not say, saved beside them as the array "meta" (fixed layout). */
typedef struct cor_graph_meta {
    uint32_t n_nodes, n_links, n_states, n_arcs, n_classes;
    uint32_t objective, modes, layers, include_planned, topology; /* topology: 0 or 1 */
    double value_of_time, carbon_price, lb_per_km;
    int32_t class_mode[COR_MAX_CLASSES], class_gauge[COR_MAX_CLASSES];
} cor_graph_meta;

struct cor_graph {
    const cor_network *net;
    bool stored; /* the arrays belong to a mapped .cor file: never freed nor written */
    cor_graph_meta meta; /* filled once the arrays are final */
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
    bool topology; /* compiled by cor_graph_compile_topology */
    /* The index queries answer through (cor_graph_set_index; cch.c), or NULL. */
    const struct cor_cch *cch;
    const struct cor_cch_metric *cch_metric;
    uint32_t index_generation; /* + 1 at each cor_graph_set_index: queries drop caches */
    /* A stored topology customised for another profile (graph_file.c): its own weights and
     * metric over the mapped arrays and index, freed with it. */
    double *own_weight;
    struct cor_cch_metric *own_metric;
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

/* A graph over every link of the profile's layers, whatever its mode, status or filters, so
 * that any profile on those layers is a set of weights on its arcs (INFINITY where the
 * profile does not let a link through): what an index customised per profile needs. Its own
 * weights are the profile's, and its A* bound is valid for them. With those weights it
 * answers every query exactly as the graph cor_graph_compile makes for the profile (routes
 * never gain from a state no usable link touches: transfers to such states are INFINITY). */
cor_status cor_graph_compile_topology(cor_graph **out, const cor_network *net,
                                      const cor_profile *p, cor_error *err);
/* The A* bound (objective per km of chord that no arc beats, shrunk by 1e-9) of weights w (NULL:
 * g's own) over g's arcs and node positions; 0 when g has no positions or no bound holds. O(|E|). */
double cor_graph_bound_of(const cor_graph *g, const double *w);
/* The weights of another profile on the same network and layers over a topology graph's
 * arcs (w holds cor_graph_arc_count(g) entries): COR_ERR_USAGE for a graph that is not a
 * topology of that network and those layers, and the compile errors of cor_graph_compile. */
cor_status cor_graph_profile_weights(const cor_graph *g, const cor_profile *p, double *w,
                                     cor_error *err);
/* graph_file.c: fills g->meta from the graph (once its arrays are final). */
void cor_graph_fill_meta(cor_graph *g);
/* graph.c: cor_graph_compile without taking a stored graph (graph_file.c hands those out):
 * for callers that change the weights (Frank–Wolfe). */
cor_status cor_graph_compile_private(cor_graph **out, const cor_network *net,
                                     const cor_profile *p, cor_error *err);
/* A graph whose double weights (g->weight) are its own to rewrite: a stored topology with
 * an index customised for p (graph_file.c) when the network's .cor has one for p's layers,
 * else cor_graph_compile_private. After rewriting, cor_graph_recustomise. */
cor_status cor_graph_compile_reweighable(cor_graph **out, const cor_network *net,
                                         const cor_profile *p, cor_error *err);
/* Customises g's index (g->cch) anew for its current weights, replacing g->own_metric (freed
 * with g) as the metric its queries use; nothing without an index. O(customisation). */
cor_status cor_graph_recustomise(cor_graph *g, cor_error *err);
/* True when a graph compiled for p would be the stored graph g: same objective and
 * factors, same modes and layers, no filters and no scenario in p. */
bool cor_graph_profile_matches(const cor_graph *g, const cor_profile *p);

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
/* The same for link i's record l, already read (one read of a mapped link, not three). */
bool cor_filter_link_record(const cor_filter *f, uint32_t i, const cor_link *l);
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
