/*
 * cch.h — the customisable contraction hierarchy's arrays, shared by cch.c (contraction,
 * checks, arrays), cch_order.c (the orders), cch_metric.c (customisation), cch_query.c
 * (point to point, buckets), cch_phast.c (one to all), cch_figures.c (route figures for
 * tables) and route.c (answering through the index).
 *
 * Everything lives in rank space: rank r is the r-th state eliminated. The chordal
 * supergraph is stored once, as upward arcs in CSR by rank (up_first, up_head: the higher
 * end, increasing within a rank); arc e = (lo, hi) has two directions, its "slots":
 * 2e (lo → hi) and 2e + 1 (hi → lo). The downward view (down_first, down_tail, down_arc)
 * lists, for each rank, its lower neighbours and the arc to each, for the triangles of
 * partial customisation. A metric stores slot values direction by direction (all the
 * upward ones, then all the downward ones: cch_slot), so a search reads one array. arc_slot maps
 * every input arc of the cor_graph to its slot. The elimination tree is implicit: the parent of r
 * is the lowest upward neighbour, up_head[up_first[r]].
 */
#ifndef COR_CCH_H
#define COR_CCH_H

#include "corridor.h"
#include "graph_internal.h"

#define CCH_VIA_MID 0x80000000u /* via = CCH_VIA_MID | middle rank: a shortcut */

/* The arrays in a cor_cch, named as in cor_cch_arrays. */
enum {
    CCH_ORDER,
    CCH_UP_FIRST,
    CCH_UP_HEAD,
    CCH_DOWN_FIRST,
    CCH_DOWN_TAIL,
    CCH_DOWN_ARC,
    CCH_ARC_SLOT,
    CCH_N_ARRAYS
};

struct cor_cch {
    const cor_graph *g;
    uint32_t n, m;    /* states (ranks), upward arcs */
    uint32_t n_input; /* arcs of the cor_graph */
    cor_cch_order kind;
    const uint32_t *order;                  /* n: rank → state */
    const uint32_t *up_first;               /* n + 1 */
    const uint32_t *up_head;                /* m */
    const uint32_t *down_first;             /* n + 1 */
    const uint32_t *down_tail;              /* m: lower end, increasing within a rank */
    const uint32_t *down_arc;               /* m: the upward arc */
    const uint32_t *arc_slot;               /* n_input: slot, COR_NONE for a loop */
    uint32_t *rank;                         /* n: state → rank (always owned) */
    uint32_t *parent; /* n: elimination-tree parent, COR_NONE at a root (always owned) */
    uint32_t *owned[CCH_N_ARRAYS];          /* what build allocated (NULL for wrapped arrays) */
    double order_seconds, contract_seconds; /* how long build took, for benchmarks */
};

struct cor_cch_metric {
    const cor_cch *c;
    const double *w;             /* 2m, by cch_slot: weight of each slot, INFINITY when absent */
    const uint32_t *via;         /* 2m: input arc, CCH_VIA_MID | middle rank, COR_NONE */
    const double *input_w;       /* n_input: the weights customised */
    double *own_w, *own_input_w; /* NULL while wrapping saved arrays */
    uint32_t *own_via;
    uint32_t *queued; /* m, == stamp: queued by the current partial customisation */
    uint32_t stamp;
    uint32_t version; /* + 1 at each partial customisation (caches of figures go stale) */
};

/* A metric that reads m's arrays in place (m must outlive it and stay unchanged) until a
 * partial customisation gives it arrays of its own: one per thread that closes elements in
 * turn (criticality). NULL when out of memory; free with cor_cch_metric_free. */
cor_cch_metric *cch_metric_clone(const cor_cch_metric *m);

/* Where slot s (2e or 2e + 1) is stored in a metric's arrays. */
static inline size_t cch_slot(const cor_cch *c, uint32_t s)
{
    return (s & 1) * (size_t)c->m + (s >> 1);
}

/* Makes room for `need` elements of `elem` bytes in the malloc'd array *array of *cap
 * (doubling); false when out of memory (the array is left as it was). */
bool cch_grow(void *array, size_t *cap, size_t need, size_t elem);

/* The lower end of upward arc e (the row holding it). O(log n). */
uint32_t cch_arc_low(const cor_cch *c, uint32_t e);

/* The upward arc (lo, hi), COR_NONE when absent. O(log deg). */
uint32_t cch_find_arc(const cor_cch *c, uint32_t lo, uint32_t hi);

/* The array called name with count elements of elem_size bytes; NULL (the problem in err)
 * when absent or of another shape. */
const void *cch_array_find(const cor_array *a, size_t n, const char *name, uint64_t count,
                           uint32_t elem_size, cor_error *err);

/* Nested-dissection orders of the undirected skeleton (cch_order.c): rank[state]. */
cor_status cch_order_metis(const cor_graph *g, uint32_t *rank, cor_error *err);
/* COR_ERR_INPUT when some node has no position (the caller falls back to METIS). */
cor_status cch_order_inertial(const cor_graph *g, uint32_t *rank, cor_error *err);

/* The undirected skeleton of the state graph, without loops or repeats (cch_order.c). */
typedef struct cch_skeleton {
    uint32_t n;
    uint32_t *first; /* n + 1 */
    uint32_t *adj;   /* sorted within a state */
} cch_skeleton;

bool cch_skeleton_build(cch_skeleton *s, const cor_graph *g);
void cch_skeleton_clear(cch_skeleton *s);

/* ---------------------------------------------------------------- queries (cch_query.c) */

typedef struct cch_slot_ref { /* a slot of a route, with its arc's ends (ranks) */
    uint32_t slot, lo, hi;
} cch_slot_ref;

/* The two slots a shortcut slot stands for, in route order; false for an input arc or an
 * absent slot (then *arc is the input arc, or COR_NONE). */
bool cch_slot_children(const cor_cch_metric *m, cch_slot_ref s, cch_slot_ref *first,
                       cch_slot_ref *second, uint32_t *arc);

typedef struct cch_query cch_query;

cch_query *cch_query_new(const cor_cch *c);
void cch_query_free(cch_query *q);
/* The shortest distance from any source state to any target state (dist 0 at each);
 * INFINITY when none. The route is kept for cch_query_path. O(elimination-tree height ×
 * its upward degree). */
double cch_query_run(cch_query *q, const cor_cch_metric *m, const uint32_t *sources,
                     size_t n_sources, const uint32_t *targets, size_t n_targets);
/* The last route as arcs of the cor_graph, in order (malloc'd into *arcs); *start is its
 * first state. false when out of memory or when there is no route. */
bool cch_query_path(cch_query *q, const cor_cch_metric *m, uint32_t **arcs, size_t *n,
                    uint32_t *start);

/* The input arcs of a sequence of slots, in order, into *arcs (malloc'd); uses q's stack.
 * false when out of memory or a slot is absent. */
bool cch_unpack_slots(cch_query *q, const cor_cch_metric *m, const cch_slot_ref *slots,
                      size_t n_slots, uint32_t **arcs, size_t *n);

/* One-to-all (PHAST: Delling, Goldberg, Nowatzyk, Werneck, "PHAST: hardware-accelerated
 * shortest path trees", IPDPS 2011, on the elimination tree): the source's chain upward,
 * then every rank downward in decreasing order. O(|E+|) a source, whatever the targets. */
typedef struct cch_phast cch_phast;
cch_phast *cch_phast_new(const cor_cch *c);
void cch_phast_free(cch_phast *p);
/* From every state of a node. */
void cch_phast_run(cch_phast *p, const cor_cch_metric *m, uint32_t from_node);
/* The distance to a node (its best state into *state; INFINITY when unreachable). */
double cch_phast_node(const cch_phast *p, uint32_t node, uint32_t *state);
/* The route to a state as slots, in order (valid until the next call). */
bool cch_phast_slots(cch_phast *p, uint32_t state, const cch_slot_ref **slots, size_t *n);

/* Many-to-many by buckets (Knopp et al., "Computing many-to-many shortest paths using
 * highway hierarchies", ALENEX 2007, on the elimination tree): the targets' backward
 * searches are stored once; each source's forward search scans the buckets it meets. */
typedef struct cch_table cch_table;
cch_table *cch_table_new(const cor_cch *c);
void cch_table_free(cch_table *t);
/* The backward searches of the target nodes (all their states). false: out of memory. */
bool cch_table_targets(cch_table *t, cch_query *q, const cor_cch_metric *m,
                       const uint32_t *to_nodes, size_t n_to);
/* One source node: dist[j] to each target (INFINITY when unreachable). */
void cch_table_source(cch_table *t, cch_query *q, const cor_cch_metric *m, uint32_t from_node,
                      double *dist);
/* The route to target j of the last source as slots, in order (valid until the next
 * call on q); false when there is none or no memory. */
bool cch_table_slots(const cch_table *t, cch_query *q, size_t j, const cch_slot_ref **slots,
                     size_t *n);
/* The route to target j of the last source, like cch_query_path. */
bool cch_table_path(const cch_table *t, cch_query *q, const cor_cch_metric *m, size_t j,
                    uint32_t **arcs, size_t *n, uint32_t *start);

/* ---------------------------------------------------------------- figures (cch_figures.c) */

/* The figures of one input arc leaving state tail (route.c's legs). */
typedef void (*cch_leaf_fn)(const cor_graph *g, uint32_t tail, uint32_t arc, cor_totals *t);
typedef struct cch_figures cch_figures;
cch_figures *cch_figures_new(void);
void cch_figures_free(cch_figures *f);
/* Adds to t the figures along the slots' routes, each shortcut summed once and
 * remembered (per metric and version, up to a fixed size). false: out of memory. */
bool cch_figures_add(cch_figures *f, const cor_cch_metric *m, const cch_slot_ref *slots, size_t n,
                     cch_leaf_fn leaf, cor_totals *t);

#endif
