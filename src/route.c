/*
 * route.c — shortest routes, routes through via points, k alternatives, and tables.
 *
 * The workhorse is one bidirectional search over the compiled graph's states. With a
 * geometric lower bound it is bidirectional A* with average potentials (Goldberg and
 * Harrelson, "Computing the shortest path: A* search meets graph theory", SODA 2005):
 * pf(v) = (πt(v) − πs(v)) / 2 for the forward side and −pf(v) for the backward side,
 * which keeps both sides' reduced costs non-negative, so the plain bidirectional stopping
 * rule holds: stop when top_f + top_b ≥ μ. Without a bound the potentials are zero and
 * this is bidirectional Dijkstra.
 *
 * A query object owns arrays sized for the graph, stamped per search instead of cleared
 * (RoutingKit's idea), so a search costs what it touches.
 *
 * When the graph carries an index (cor_graph_set_index), shortest routes, via routes,
 * distances and tables are answered by the CCH (cch_query.c) with the same costs; the
 * routes it unpacks go through the same legs and totals. Yen and banned searches always
 * run here: a ban is not a metric the index was customised for.
 *
 * Routes start from every state (mode) of the origin and end in any state of the
 * destination, like a virtual source and sink. Transfers out of origin states and into
 * destination states are never taken: they cannot shorten a route and would only make
 * copies of it in the k-alternatives.
 */
#include "cch.h"
#include "graph_internal.h"
#include "network_internal.h"
#include "route_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SETTLED UINT32_MAX
/* A table through the index uses PHAST when it has this many targets a source or more
 * (bench_index: a PHAST sweep costs about as much as this many backward searches). */
#define CCH_PHAST_TARGETS 200

typedef struct heap_entry {
    double key;
    uint32_t state;
} heap_entry;

typedef struct side {
    uint32_t *stamp;  /* == q->stamp: touched in this search */
    double *dist;     /* true distance (without potentials) */
    uint32_t *parent; /* forward: arc into the state; backward: arc out of it */
    uint32_t *pos;    /* heap position, or SETTLED */
    heap_entry *heap;
    uint32_t size;
} side;

struct cor_route_query {
    const cor_graph *g;
    uint32_t stamp;
    side sides[2];
    /* potentials, cached per state per search */
    uint32_t *pot_stamp;
    double *pot;
    const double *pot_s, *pot_t; /* positions of origin and destination */
    /* bans for Yen's algorithm: banned when == ban_stamp */
    uint32_t *ban_state, *ban_arc;
    uint32_t ban_stamp;
    /* targets for tables: node marked when == stamp */
    uint32_t *target_mark;
    size_t settled;
    /* the index's searches, made on first use; the engine of the last call */
    cch_query *cq;
    cch_table *ct;
    cch_figures *cf;
    cch_phast *cp;
    uint32_t index_generation; /* of the graph when these were made */
    const char *engine;
};

/* ---------------------------------------------------------------- heap */

static void heap_place(side *sd, uint32_t i, heap_entry e)
{
    sd->heap[i] = e;
    sd->pos[e.state] = i;
}

static void heap_up(side *sd, uint32_t i, heap_entry e)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (sd->heap[parent].key <= e.key) break;
        heap_place(sd, i, sd->heap[parent]);
        i = parent;
    }
    heap_place(sd, i, e);
}

static void heap_down(side *sd, uint32_t i, heap_entry e)
{
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= sd->size) break;
        if (c + 1 < sd->size && sd->heap[c + 1].key < sd->heap[c].key) c++;
        if (sd->heap[c].key >= e.key) break;
        heap_place(sd, i, sd->heap[c]);
        i = c;
    }
    heap_place(sd, i, e);
}

static uint32_t heap_pop(side *sd)
{
    uint32_t top = sd->heap[0].state;
    sd->pos[top] = SETTLED;
    heap_entry last = sd->heap[--sd->size];
    if (sd->size > 0) heap_down(sd, 0, last);
    return top;
}

/* Sets or lowers a state's key. The caller has checked the new distance is lower. */
static void heap_push_or_decrease(side *sd, uint32_t stamp, uint32_t s, double key)
{
    heap_entry e = {key, s};
    if (sd->stamp[s] != stamp) {
        sd->stamp[s] = stamp;
        heap_up(sd, sd->size++, e);
    } else {
        heap_up(sd, sd->pos[s], e);
    }
}

/* ---------------------------------------------------------------- query object */

static bool side_alloc(side *sd, uint32_t n)
{
    size_t m = (size_t)n + 1;
    sd->stamp = calloc(m, sizeof *sd->stamp);
    sd->dist = malloc(m * sizeof *sd->dist);
    sd->parent = malloc(m * sizeof *sd->parent);
    sd->pos = malloc(m * sizeof *sd->pos);
    sd->heap = malloc(m * sizeof *sd->heap);
    return sd->stamp && sd->dist && sd->parent && sd->pos && sd->heap;
}

static void side_free(side *sd)
{
    free(sd->stamp);
    free(sd->dist);
    free(sd->parent);
    free(sd->pos);
    free(sd->heap);
}

cor_route_query *cor_route_query_new(const cor_graph *g)
{
    cor_route_query *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->g = g;
    size_t m = (size_t)g->n_states + 1;
    q->pot_stamp = calloc(m, sizeof *q->pot_stamp);
    q->pot = malloc(m * sizeof *q->pot);
    q->target_mark = calloc((size_t)g->n_nodes + 1, sizeof *q->target_mark);
    if (!side_alloc(&q->sides[0], g->n_states) || !side_alloc(&q->sides[1], g->n_states) ||
        !q->pot_stamp || !q->pot || !q->target_mark) {
        cor_route_query_free(q);
        return NULL;
    }
    return q;
}

void cor_route_query_free(cor_route_query *q)
{
    if (!q) return;
    side_free(&q->sides[0]);
    side_free(&q->sides[1]);
    free(q->pot_stamp);
    free(q->pot);
    free(q->ban_state);
    free(q->ban_arc);
    free(q->target_mark);
    cch_query_free(q->cq);
    cch_table_free(q->ct);
    cch_figures_free(q->cf);
    cch_phast_free(q->cp);
    free(q);
}

size_t cor_route_query_settled(const cor_route_query *q)
{
    return q->settled;
}

const char *cor_route_query_engine(const cor_route_query *q)
{
    return q->engine ? q->engine : "dijkstra";
}

/* The index's search, when the graph has an index (NULL: run the exact search; also
 * when there is no memory for it, the exact search being always possible). */
static cch_query *index_query(cor_route_query *q)
{
    const cor_graph *g = q->g;
    q->engine = "dijkstra";
    if (!g->cch) return NULL;
    if (q->index_generation != g->index_generation) { /* another index or metric since */
        cch_query_free(q->cq);
        cch_table_free(q->ct);
        cch_figures_free(q->cf);
        cch_phast_free(q->cp);
        q->cq = NULL, q->ct = NULL, q->cf = NULL, q->cp = NULL;
        q->index_generation = g->index_generation;
    }
    if (!q->cq && !(q->cq = cch_query_new(g->cch))) return NULL;
    q->engine = "cch";
    return q->cq;
}

/* A new search: every stamped array becomes "untouched" at once. On the rare wrap of the
 * counter, the arrays are cleared for real. */
static void next_stamp(cor_route_query *q)
{
    if (++q->stamp == 0) {
        size_t m = (size_t)q->g->n_states + 1;
        for (int d = 0; d < 2; d++) memset(q->sides[d].stamp, 0, m * sizeof(uint32_t));
        memset(q->pot_stamp, 0, m * sizeof(uint32_t));
        memset(q->target_mark, 0, ((size_t)q->g->n_nodes + 1) * sizeof(uint32_t));
        q->stamp = 1;
    }
    q->sides[0].size = q->sides[1].size = 0;
    q->settled = 0;
}

/* Forward potential pf(s) = (πt − πs) / 2; the backward one is its negation. */
static double potential(cor_route_query *q, uint32_t s)
{
    const cor_graph *g = q->g;
    if (!q->pot_s) return 0;
    if (q->pot_stamp[s] == q->stamp) return q->pot[s];
    const double *v = g->xyz + 3 * (size_t)cor_g_node(g, s);
    double dx = v[0] - q->pot_t[0], dy = v[1] - q->pot_t[1], dz = v[2] - q->pot_t[2];
    double to_t = sqrt(dx * dx + dy * dy + dz * dz);
    dx = v[0] - q->pot_s[0], dy = v[1] - q->pot_s[1], dz = v[2] - q->pot_s[2];
    double from_s = sqrt(dx * dx + dy * dy + dz * dz);
    double p = 0.5 * g->lb_per_km * COR_EARTH_RADIUS_KM * (to_t - from_s);
    q->pot_stamp[s] = q->stamp;
    q->pot[s] = p;
    return p;
}

/* ---------------------------------------------------------------- the search */

typedef struct search {
    const uint32_t *sources; /* states at distance 0 */
    size_t n_sources;
    uint32_t from_node, to_node; /* anchors of the potentials; to_node's states are targets */
    uint32_t origin_node;        /* no transfers here (COR_NONE: none) */
    double mu;          /* best distance found */
    uint32_t meet;      /* state where the best route's halves meet, COR_NONE if none */
} search;

/* Records a route through state s when both sides have reached it. */
static inline void try_meet(cor_route_query *q, search *sr, uint32_t s)
{
    const side *f = &q->sides[0], *b = &q->sides[1];
    if (f->stamp[s] == q->stamp && b->stamp[s] == q->stamp) {
        double d = f->dist[s] + b->dist[s];
        if (d < sr->mu) {
            sr->mu = d;
            sr->meet = s;
        }
    }
}

static inline bool careful_state(const cor_route_query *q, const search *sr, uint32_t s)
{
    uint32_t n = cor_g_node(q->g, s);
    return n == sr->to_node || n == sr->origin_node;
}

static inline __attribute__((always_inline)) void
relax_forward(cor_route_query *q, search *sr, uint32_t u, const bool bans)
{
    const cor_graph *g = q->g;
    side *sd = &q->sides[0];
    const uint32_t st = q->stamp, bs = q->ban_stamp;
    const bool careful = careful_state(q, sr, u);
    const double du = sd->dist[u];
    for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++) {
        uint32_t v = g->head[a];
        if (careful && g->arc_link[a] == COR_ARC_TRANSFER) continue;
        if (bans && (q->ban_arc[a] == bs || q->ban_state[v] == bs)) continue;
        double nd = du + cor_g_weight(g, a);
        if (sd->stamp[v] == st && (sd->pos[v] == SETTLED || nd >= sd->dist[v])) continue;
        sd->dist[v] = nd;
        sd->parent[v] = a;
        heap_push_or_decrease(sd, st, v, nd + potential(q, v));
        try_meet(q, sr, v);
    }
}

static inline __attribute__((always_inline)) void
relax_backward(cor_route_query *q, search *sr, uint32_t v, const bool bans)
{
    const cor_graph *g = q->g;
    side *sd = &q->sides[1];
    const uint32_t st = q->stamp, bs = q->ban_stamp;
    const bool careful = careful_state(q, sr, v);
    const double dv = sd->dist[v];
    for (uint32_t b = g->first_in[v]; b < g->first_in[v + 1]; b++) {
        uint32_t u = g->in_tail[b], a = g->in_arc[b];
        if (careful && g->arc_link[a] == COR_ARC_TRANSFER) continue;
        if (bans && (q->ban_arc[a] == bs || q->ban_state[u] == bs)) continue;
        double nd = dv + cor_g_weight(g, a);
        if (sd->stamp[u] == st && (sd->pos[u] == SETTLED || nd >= sd->dist[u])) continue;
        sd->dist[u] = nd;
        sd->parent[u] = a;
        heap_push_or_decrease(sd, st, u, nd - potential(q, u));
        try_meet(q, sr, u);
    }
}

static void seed(cor_route_query *q, search *sr, int dir, uint32_t s, bool bans)
{
    side *sd = &q->sides[dir];
    if (bans && q->ban_state[s] == q->ban_stamp) return;
    if (sd->stamp[s] == q->stamp) return;
    sd->dist[s] = 0;
    sd->parent[s] = COR_NONE;
    double p = potential(q, s);
    heap_push_or_decrease(sd, q->stamp, s, dir ? -p : p);
    try_meet(q, sr, s);
}

static inline __attribute__((always_inline)) void run_search(cor_route_query *q, search *sr,
                                                             const bool bans)
{
    const cor_graph *g = q->g;
    side *f = &q->sides[0], *b = &q->sides[1];
    next_stamp(q);
    sr->mu = INFINITY;
    sr->meet = COR_NONE;
    if (g->lb_per_km > 0) {
        q->pot_s = g->xyz + 3 * (size_t)sr->from_node;
        q->pot_t = g->xyz + 3 * (size_t)sr->to_node;
    } else {
        q->pot_s = q->pot_t = NULL;
    }
    for (size_t i = 0; i < sr->n_sources; i++) seed(q, sr, 0, sr->sources[i], bans);
    for (uint32_t s = cor_g_first_state(g, sr->to_node); s < cor_g_first_state(g, sr->to_node + 1);
         s++)
        seed(q, sr, 1, s, bans);
    while (f->size > 0 && b->size > 0) {
        double kf = f->heap[0].key, kb = b->heap[0].key;
        if (kf + kb >= sr->mu) break;
        q->settled++;
        if (f->size <= b->size) relax_forward(q, sr, heap_pop(f), bans); /* the smaller frontier */
        else relax_backward(q, sr, heap_pop(b), bans);
    }
}

static void search_plain(cor_route_query *q, search *sr)
{
    run_search(q, sr, false);
}

static void search_banned(cor_route_query *q, search *sr)
{
    run_search(q, sr, true);
}

/* ---------------------------------------------------------------- paths */

typedef struct path {
    uint32_t start; /* first state */
    uint32_t *arcs;
    size_t n;
    double cost;
} path;

static void path_free(path *p)
{
    free(p->arcs);
    p->arcs = NULL;
    p->n = 0;
}

static uint32_t arc_tail(const cor_graph *g, uint32_t a)
{
    /* Binary search in first_out: arcs are grouped by tail. */
    uint32_t lo = 0, hi = g->n_states;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (g->first_out[mid] <= a) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* The route found by the last search, as a start state and arcs. */
static bool extract_path(cor_route_query *q, const search *sr, path *out)
{
    const cor_graph *g = q->g;
    const side *f = &q->sides[0], *b = &q->sides[1];
    size_t n = 0;
    uint32_t s = sr->meet;
    while (f->parent[s] != COR_NONE) {
        n++;
        s = arc_tail(g, f->parent[s]);
    }
    uint32_t start = s;
    for (s = sr->meet; b->parent[s] != COR_NONE; s = g->head[b->parent[s]]) n++;
    out->arcs = malloc((n + 1) * sizeof *out->arcs);
    if (!out->arcs) return false;
    out->n = n;
    out->start = start;
    size_t k = 0;
    for (s = sr->meet; f->parent[s] != COR_NONE; s = arc_tail(g, f->parent[s])) k++;
    size_t i = k;
    for (s = sr->meet; f->parent[s] != COR_NONE; s = arc_tail(g, f->parent[s]))
        out->arcs[--i] = f->parent[s];
    for (s = sr->meet; b->parent[s] != COR_NONE; s = g->head[b->parent[s]])
        out->arcs[k++] = b->parent[s];
    out->cost = 0;
    for (i = 0; i < n; i++) out->cost += cor_g_weight(g, out->arcs[i]);
    return true;
}

static uint32_t path_end(const cor_graph *g, const path *p)
{
    return p->n ? g->head[p->arcs[p->n - 1]] : p->start;
}

/* ---------------------------------------------------------------- routes from paths */

void cor_route_init(cor_route *r)
{
    memset(r, 0, sizeof *r);
}

void cor_route_clear(cor_route *r)
{
    free(r->legs);
    cor_route_init(r);
}

static void totals_zero(cor_totals *t)
{
    memset(t, 0, sizeof *t);
}

static void totals_add(cor_totals *t, const cor_leg *leg)
{
    t->cost += leg->cost;
    t->hours += leg->hours;
    t->usd += leg->usd;
    t->co2_kg += leg->co2_kg;
    t->km += leg->km;
    if (leg->kind == COR_LEG_TRANSFER) t->transfers++;
    if (leg->border) t->borders++;
}

static void leg_of_arc(const cor_graph *g, uint32_t tail, uint32_t a, cor_leg *leg)
{
    const cor_network *net = g->net;
    cor_measures m;
    uint32_t code = g->arc_link[a], head = g->head[a];
    memset(leg, 0, sizeof *leg);
    const cor_mode_class *to_class = &g->classes[cor_g_class(g, head)];
    if (code == COR_ARC_TRANSFER) {
        uint32_t n = cor_g_node(g, tail);
        cor_transfer_measures(cor_net_node(net, n), &g->classes[cor_g_class(g, tail)], to_class,
                              &m);
        leg->kind = COR_LEG_TRANSFER;
        leg->link = COR_NONE;
        leg->from = leg->to = n;
    } else {
        cor_link buf; /* a peek: legs are read once, scattered over a mapped network */
        cor_link_measures(net, cor_net_link_peek(net, code >> 1, &buf), code & 1, &m);
        leg->kind = COR_LEG_LINK;
        leg->link = code >> 1;
        leg->from = cor_g_node(g, tail);
        leg->to = cor_g_node(g, head);
    }
    leg->mode = to_class->mode;
    leg->gauge_mm = to_class->gauge_mm;
    leg->border = m.border;
    leg->cost = cor_g_weight(g, a);
    leg->hours = m.hours;
    leg->usd = m.usd;
    leg->co2_kg = m.co2_kg;
    leg->km = m.km;
    leg->wait_hours = m.wait_hours;
    leg->dwell_hours = m.dwell_hours;
}

/* Appends a path's legs to a route (routes through via points are built in sections). */
static cor_status route_append(const cor_graph *g, const path *p, cor_route *r, cor_error *err)
{
    cor_leg *legs = realloc(r->legs, (r->n_legs + p->n + 1) * sizeof *legs);
    if (!legs)
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    r->legs = legs;
    uint32_t s = p->start;
    for (size_t i = 0; i < p->n; i++) {
        cor_leg *leg = &r->legs[r->n_legs++];
        leg_of_arc(g, s, p->arcs[i], leg);
        totals_add(&r->totals, leg);
        s = g->head[p->arcs[i]];
    }
    return COR_OK;
}

static cor_status check_nodes(const cor_graph *g, const uint32_t *nodes, size_t n,
                              cor_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (nodes[i] >= g->n_nodes)
            return cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, NULL,
                                 "node index %u is out of range", nodes[i]);
    return COR_OK;
}

static cor_status no_route(const cor_graph *g, uint32_t from, uint32_t to, cor_error *err)
{
    return cor_error_add(err, COR_ERR_NO_ROUTE, NULL, -1, -1, NULL,
                         "no route from '%s' to '%s' with these settings",
                         cor_net_node(g->net, from)->id, cor_net_node(g->net, to)->id);
}

/* Fills buf with the states of a node (at most COR_MAX_CLASSES); returns how many. */
static size_t node_states(const cor_graph *g, uint32_t node, uint32_t *buf)
{
    uint32_t s0 = cor_g_first_state(g, node), s1 = cor_g_first_state(g, node + 1);
    for (uint32_t s = s0; s < s1; s++) buf[s - s0] = s;
    return s1 - s0;
}

/* Drops zero-cost transfers at the ends that the exact search never takes: out of the
 * origin's states when they are all sources, into the destination's. */
static void trim_end_transfers(const cor_graph *g, path *p, uint32_t from, bool all_origin,
                               uint32_t to)
{
    size_t skip = 0;
    while (all_origin && skip < p->n && g->arc_link[p->arcs[skip]] == COR_ARC_TRANSFER &&
           cor_g_node(g, g->head[p->arcs[skip]]) == from)
        p->start = g->head[p->arcs[skip++]];
    memmove(p->arcs, p->arcs + skip, (p->n - skip) * sizeof *p->arcs);
    p->n -= skip;
    while (p->n > 0 && g->arc_link[p->arcs[p->n - 1]] == COR_ARC_TRANSFER &&
           cor_g_node(g, g->head[p->arcs[p->n - 1]]) == to)
        p->n--;
    p->cost = 0;
    for (size_t i = 0; i < p->n; i++) p->cost += cor_g_weight(g, p->arcs[i]);
}

/* A section through the index; COR_ERR_NO_ROUTE (unrecorded) when there is none. */
static cor_status section_index(cor_route_query *q, cch_query *cq, uint32_t from,
                                const uint32_t *start, uint32_t to, path *out, cor_error *err)
{
    const cor_graph *g = q->g;
    uint32_t src[COR_MAX_CLASSES], dst[COR_MAX_CLASSES];
    size_t ns = start ? 1 : node_states(g, from, src), nd = node_states(g, to, dst);
    if (start) src[0] = *start;
    if (isinf(cch_query_run(cq, g->cch_metric, src, ns, dst, nd))) return COR_ERR_NO_ROUTE;
    if (!cch_query_path(cq, g->cch_metric, &out->arcs, &out->n, &out->start))
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    trim_end_transfers(g, out, from, !start, to);
    return COR_OK;
}

/* One section: from one start state, or from every state of `from` when start is NULL.
 * Through the index when the graph has one and `indexed` is set. */
static cor_status section(cor_route_query *q, uint32_t from, const uint32_t *start,
                          uint32_t to, path *out, bool indexed, cor_error *err)
{
    cch_query *cq = indexed ? index_query(q) : (q->engine = "dijkstra", NULL);
    if (cq) {
        cor_status st = section_index(q, cq, from, start, to, out, err);
        return st == COR_ERR_NO_ROUTE ? no_route(q->g, from, to, err) : st;
    }
    uint32_t all[COR_MAX_CLASSES];
    search sr = {start, 1, from, to, COR_NONE, 0, COR_NONE};
    if (!start) {
        sr.sources = all;
        sr.n_sources = node_states(q->g, from, all);
        sr.origin_node = from;
    }
    search_plain(q, &sr);
    if (sr.meet == COR_NONE) return no_route(q->g, from, to, err);
    if (!extract_path(q, &sr, out))
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    return COR_OK;
}

cor_status cor_route_shortest(cor_route_query *q, uint32_t from, uint32_t to, cor_route *out,
                              cor_error *err)
{
    uint32_t ends[2] = {from, to};
    return cor_route_via(q, ends, 2, out, err);
}

cor_status cor_route_via(cor_route_query *q, const uint32_t *nodes, size_t n, cor_route *out,
                         cor_error *err)
{
    const cor_graph *g = q->g;
    cor_route_init(out);
    if (n < 2)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, NULL,
                             "a route needs at least two places");
    cor_status st = check_nodes(g, nodes, n, err);
    if (st != COR_OK) return st;
    uint32_t arrival = COR_NONE;
    for (size_t i = 0; i + 1 < n && st == COR_OK; i++) {
        path p = {0};
        if (nodes[i] == nodes[i + 1]) continue;
        st = section(q, nodes[i], arrival == COR_NONE ? NULL : &arrival, nodes[i + 1], &p,
                     true, err);
        if (st == COR_OK) st = route_append(g, &p, out, err);
        if (st == COR_OK) arrival = path_end(g, &p);
        path_free(&p);
    }
    if (st != COR_OK) cor_route_clear(out);
    return st;
}

double cor_route_distance(cor_route_query *q, uint32_t from, uint32_t to)
{
    const cor_graph *g = q->g;
    if (from >= g->n_nodes || to >= g->n_nodes) return INFINITY;
    cch_query *cq = index_query(q);
    if (from == to) return 0;
    uint32_t buf[COR_MAX_CLASSES];
    search sr = {buf, node_states(g, from, buf), from, to, from, 0, COR_NONE};
    if (cq) {
        uint32_t dst[COR_MAX_CLASSES];
        size_t nd = node_states(g, to, dst);
        return cch_query_run(cq, g->cch_metric, buf, sr.n_sources, dst, nd);
    }
    search_plain(q, &sr);
    return sr.mu;
}

/* ---------------------------------------------------------------- k alternatives (Yen) */

static bool ensure_bans(cor_route_query *q)
{
    if (q->ban_state) return true;
    q->ban_state = calloc((size_t)q->g->n_states + 1, sizeof *q->ban_state);
    q->ban_arc = calloc((size_t)q->g->n_arcs + 1, sizeof *q->ban_arc);
    return q->ban_state && q->ban_arc;
}

static void next_ban(cor_route_query *q)
{
    if (++q->ban_stamp == 0) {
        memset(q->ban_state, 0, ((size_t)q->g->n_states + 1) * sizeof *q->ban_state);
        memset(q->ban_arc, 0, ((size_t)q->g->n_arcs + 1) * sizeof *q->ban_arc);
        q->ban_stamp = 1;
    }
}

static bool path_equal(const path *a, const path *b)
{
    return a->start == b->start && a->n == b->n &&
           memcmp(a->arcs, b->arcs, a->n * sizeof *a->arcs) == 0;
}

static bool path_listed(const path *list, size_t n, const path *p)
{
    for (size_t i = 0; i < n; i++)
        if (path_equal(&list[i], p)) return true;
    return false;
}

/* Root (first i arcs of prev) + the spur found by the last search, summed in order. */
static bool join_spur(cor_route_query *q, const path *prev, size_t i, const search *sr,
                      path *out)
{
    path spur = {0};
    if (!extract_path(q, sr, &spur)) return false;
    out->arcs = malloc((i + spur.n + 1) * sizeof *out->arcs);
    if (!out->arcs) {
        path_free(&spur);
        return false;
    }
    out->start = i == 0 && prev->start != spur.start ? spur.start : prev->start;
    memcpy(out->arcs, prev->arcs, i * sizeof *out->arcs);
    memcpy(out->arcs + i, spur.arcs, spur.n * sizeof *out->arcs);
    out->n = i + spur.n;
    out->cost = 0;
    for (size_t k = 0; k < out->n; k++) out->cost += cor_g_weight(q->g, out->arcs[k]);
    path_free(&spur);
    return true;
}

/* Spur searches from every state of prev; new paths go to the candidates B. `spur_at`
 * = -1 searches from the origin with the start states of accepted paths banned (the
 * virtual source's own spur). */
static cor_status spur_all(cor_route_query *q, const path *A, size_t na, path **B, size_t *nb,
                           size_t *capb, uint32_t from, uint32_t to, cor_error *err)
{
    const cor_graph *g = q->g;
    const path *prev = &A[na - 1];
    uint32_t origin_states[COR_MAX_CLASSES];
    size_t n_origin = node_states(g, from, origin_states);
    uint32_t spur_state = prev->start;
    for (long i = -1; i < (long)prev->n; i++) {
        next_ban(q);
        search sr = {&spur_state, 1, cor_g_node(g, spur_state), to, from, 0, COR_NONE};
        if (i < 0) {
            for (size_t k = 0; k < na; k++) q->ban_state[A[k].start] = q->ban_stamp;
            sr.sources = origin_states;
            sr.n_sources = n_origin;
            sr.from_node = from;
        } else {
            if (i > 0) spur_state = g->head[prev->arcs[i - 1]];
            sr.from_node = cor_g_node(g, spur_state);
            uint32_t s = prev->start;
            for (long j = 0; j < i; j++) {
                q->ban_state[s] = q->ban_stamp;
                s = g->head[prev->arcs[j]];
            }
            for (size_t k = 0; k < na; k++)
                if (A[k].start == prev->start && A[k].n > (size_t)i &&
                    memcmp(A[k].arcs, prev->arcs, (size_t)i * sizeof *prev->arcs) == 0)
                    q->ban_arc[A[k].arcs[i]] = q->ban_stamp;
        }
        search_banned(q, &sr);
        if (sr.meet == COR_NONE) continue;
        path cand = {0};
        if (!join_spur(q, prev, i < 0 ? 0 : (size_t)i, &sr, &cand)) goto nomem;
        if (path_listed(A, na, &cand) || path_listed(*B, *nb, &cand)) {
            path_free(&cand);
            continue;
        }
        if (*nb == *capb) {
            size_t cap = *capb ? 2 * *capb : 16;
            path *nbuf = realloc(*B, cap * sizeof *nbuf);
            if (!nbuf) {
                path_free(&cand);
                goto nomem;
            }
            *B = nbuf;
            *capb = cap;
        }
        (*B)[(*nb)++] = cand;
    }
    return COR_OK;
nomem:
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
}

/* Takes the cheapest candidate (fewest arcs on a tie, then the first found). */
static path take_best(path *B, size_t *nb)
{
    size_t best = 0;
    for (size_t i = 1; i < *nb; i++)
        if (B[i].cost < B[best].cost || (B[i].cost == B[best].cost && B[i].n < B[best].n))
            best = i;
    path p = B[best];
    memmove(B + best, B + best + 1, (*nb - best - 1) * sizeof *B);
    (*nb)--;
    return p;
}

cor_status cor_route_alternatives(cor_route_query *q, uint32_t from, uint32_t to, size_t k,
                                  cor_route *routes, size_t *n_found, cor_error *err)
{
    const cor_graph *g = q->g;
    uint32_t ends[2] = {from, to};
    q->engine = "dijkstra"; /* Yen's spurs ban arcs: never the index */
    *n_found = 0;
    for (size_t i = 0; i < k; i++) cor_route_init(&routes[i]);
    cor_status st = check_nodes(g, ends, 2, err);
    if (st != COR_OK || k == 0) return st;
    if (from == to) {
        *n_found = 1;
        return COR_OK;
    }
    path *A = calloc(k, sizeof *A), *B = NULL;
    size_t na = 0, nb = 0, capb = 0;
    if (!A || !ensure_bans(q)) {
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        goto done;
    }
    if ((st = section(q, from, NULL, to, &A[0], false, err)) != COR_OK) goto done;
    for (na = 1; na < k; na++) {
        if ((st = spur_all(q, A, na, &B, &nb, &capb, from, to, err)) != COR_OK) goto done;
        if (nb == 0) break;
        A[na] = take_best(B, &nb);
    }
    for (size_t i = 0; i < na && st == COR_OK; i++) st = route_append(g, &A[i], &routes[i], err);
    if (st == COR_OK) *n_found = na;
done:
    for (size_t i = 0; A && i < k; i++) path_free(&A[i]);
    for (size_t i = 0; i < nb; i++) path_free(&B[i]);
    free(A);
    free(B);
    if (st != COR_OK)
        for (size_t i = 0; i < k; i++) cor_route_clear(&routes[i]);
    return st;
}

/* ---------------------------------------------------------------- tables */

/* Totals of the route to state s found by the last one-to-many search. */
static void totals_to(const cor_route_query *q, uint32_t s, cor_totals *t)
{
    const cor_graph *g = q->g;
    const side *f = &q->sides[0];
    totals_zero(t);
    while (f->parent[s] != COR_NONE) {
        uint32_t a = f->parent[s], tail = arc_tail(g, a);
        cor_leg leg;
        leg_of_arc(g, tail, a, &leg);
        totals_add(t, &leg);
        s = tail;
    }
}

/* One forward search from `from`, stopped when every target node is settled; writes the
 * settled state of each target (COR_NONE when unreachable) into found[]. */
static void one_to_many(cor_route_query *q, uint32_t from, const uint32_t *to, size_t n_to,
                        uint32_t *found)
{
    const cor_graph *g = q->g;
    uint32_t starts[COR_MAX_CLASSES];
    search sr = {starts, node_states(g, from, starts), from, COR_NONE, from, 0, COR_NONE};
    next_stamp(q);
    q->pot_s = q->pot_t = NULL;
    size_t remaining = 0;
    for (size_t j = 0; j < n_to; j++) {
        found[j] = COR_NONE;
        if (q->target_mark[to[j]] != q->stamp) remaining++;
        q->target_mark[to[j]] = q->stamp;
    }
    for (size_t i = 0; i < sr.n_sources; i++) seed(q, &sr, 0, starts[i], false);
    side *f = &q->sides[0];
    while (f->size > 0 && remaining > 0) {
        uint32_t u = heap_pop(f);
        q->settled++;
        uint32_t n = cor_g_node(g, u);
        if (q->target_mark[n] == q->stamp) {
            for (size_t j = 0; j < n_to; j++)
                if (to[j] == n) found[j] = u;
            q->target_mark[n] = q->stamp - 1;
            remaining--;
        }
        relax_forward(q, &sr, u, false);
    }
}

static void totals_unreachable(cor_totals *t)
{
    totals_zero(t);
    t->cost = t->hours = t->usd = t->co2_kg = t->km = INFINITY;
}

static void leaf_totals(const cor_graph *g, uint32_t tail, uint32_t arc, cor_totals *t)
{
    cor_leg leg;
    leg_of_arc(g, tail, arc, &leg);
    totals_zero(t);
    totals_add(t, &leg);
}

/* The totals of one table entry from its route as slots (end: the route's last state,
 * for a route without slots). With one state per node (no transfers to trim at the ends)
 * the shortcuts' figures are summed once and remembered (cch_figures.c); otherwise the
 * route is unpacked arc by arc. */
static bool totals_of_slots(cor_route_query *q, const cch_slot_ref *slots, size_t n,
                            uint32_t from, uint32_t to, cor_totals *t)
{
    const cor_graph *g = q->g;
    totals_zero(t);
    if (!g->state_node) {
        if (!q->cf && !(q->cf = cch_figures_new())) return false;
        return cch_figures_add(q->cf, g->cch_metric, slots, n, leaf_totals, t);
    }
    path p = {0};
    if (!cch_unpack_slots(q->cq, g->cch_metric, slots, n, &p.arcs, &p.n)) return false;
    p.start = n ? g->cch->order[slots[0].slot & 1 ? slots[0].hi : slots[0].lo] : COR_NONE;
    trim_end_transfers(g, &p, from, true, to);
    for (size_t i = 0, s = p.start; i < p.n; s = g->head[p.arcs[i++]]) {
        cor_leg leg;
        leg_of_arc(g, (uint32_t)s, p.arcs[i], &leg);
        totals_add(t, &leg);
    }
    path_free(&p);
    return true;
}

/* One table entry from its distance and a way to get its route's slots. */
static bool table_entry(cor_route_query *q, uint32_t from, uint32_t to, double d,
                        bool got_slots, const cch_slot_ref *slots, size_t n, cor_totals *t)
{
    if (from == to) totals_zero(t);
    else if (isinf(d)) totals_unreachable(t);
    else return got_slots && totals_of_slots(q, slots, n, from, to, t);
    return true;
}

/* Few sources, many targets: one PHAST sweep per source beats the targets' buckets. */
static bool table_phast(cor_route_query *q, const uint32_t *from, size_t n_from,
                        const uint32_t *to, size_t n_to, cor_totals *out)
{
    const cor_graph *g = q->g;
    if (!q->cp && !(q->cp = cch_phast_new(g->cch))) return false;
    for (size_t i = 0; i < n_from; i++) {
        cch_phast_run(q->cp, g->cch_metric, from[i]);
        for (size_t j = 0; j < n_to; j++) {
            uint32_t state;
            const cch_slot_ref *slots = NULL;
            size_t n = 0;
            double d = cch_phast_node(q->cp, to[j], &state);
            bool got = isinf(d) || cch_phast_slots(q->cp, state, &slots, &n);
            if (!table_entry(q, from[i], to[j], d, got, slots, n, &out[i * n_to + j])) return false;
        }
    }
    return true;
}

/* Tables through the index: PHAST for many targets a source, else buckets (the targets'
 * backward searches once, one forward search per source scanning them); each entry's
 * totals from its route. */
static cor_status table_index(cor_route_query *q, cch_query *cq, const uint32_t *from,
                              size_t n_from, const uint32_t *to, size_t n_to, cor_totals *out,
                              cor_error *err)
{
    const cor_graph *g = q->g;
    double *dist = NULL;
    if (n_to >= CCH_PHAST_TARGETS * n_from) {
        if (!table_phast(q, from, n_from, to, n_to, out)) goto nomem;
        return COR_OK;
    }
    dist = malloc((n_to + 1) * sizeof *dist);
    if (!dist || (!q->ct && !(q->ct = cch_table_new(g->cch))) ||
        !cch_table_targets(q->ct, cq, g->cch_metric, to, n_to))
        goto nomem;
    for (size_t i = 0; i < n_from; i++) {
        cch_table_source(q->ct, cq, g->cch_metric, from[i], dist);
        for (size_t j = 0; j < n_to; j++) {
            const cch_slot_ref *slots = NULL;
            size_t n = 0;
            bool got = isinf(dist[j]) || cch_table_slots(q->ct, cq, j, &slots, &n);
            if (!table_entry(q, from[i], to[j], dist[j], got, slots, n, &out[i * n_to + j]))
                goto nomem;
        }
    }
    free(dist);
    return COR_OK;
nomem:
    free(dist);
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
}

cor_status cor_route_table(cor_route_query *q, const uint32_t *from, size_t n_from,
                           const uint32_t *to, size_t n_to, cor_totals *out, cor_error *err)
{
    const cor_graph *g = q->g;
    cor_status st = check_nodes(g, from, n_from, err);
    if (st == COR_OK) st = check_nodes(g, to, n_to, err);
    if (st != COR_OK) return st;
    cch_query *cq = index_query(q);
    if (cq) return table_index(q, cq, from, n_from, to, n_to, out, err);
    uint32_t *found = malloc((n_to + 1) * sizeof *found);
    if (!found) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t i = 0; i < n_from; i++) {
        one_to_many(q, from[i], to, n_to, found);
        for (size_t j = 0; j < n_to; j++) {
            cor_totals *t = &out[i * n_to + j];
            if (from[i] == to[j]) totals_zero(t);
            else if (found[j] == COR_NONE) totals_unreachable(t);
            else totals_to(q, found[j], t);
        }
    }
    free(found);
    return COR_OK;
}

/* ---------------------------------------------------------------- for other modules */

void cor_query_tree(cor_route_query *q, uint32_t from, const uint32_t *to, size_t n_to,
                    uint32_t *found)
{
    q->engine = "dijkstra"; /* its parents are arcs of the graph: the exact search */
    one_to_many(q, from, to, n_to, found);
}

bool cor_query_route_arcs(cor_route_query *q, uint32_t from, uint32_t to, uint32_t **arcs,
                          size_t *n)
{
    path p = {0};
    *arcs = NULL;
    *n = 0;
    if (from == to) return true;
    if (section(q, from, NULL, to, &p, true, NULL) != COR_OK) return false;
    *arcs = p.arcs;
    *n = p.n;
    return true;
}

bool cor_query_distance_without(cor_route_query *q, uint32_t from, uint32_t to,
                                const uint32_t *arcs, size_t n_arcs, const uint32_t *states,
                                size_t n_states, double *dist)
{
    cor_totals t;
    bool ok = cor_query_totals_without(q, from, to, arcs, n_arcs, states, n_states, false, &t);
    *dist = t.cost;
    return ok;
}

bool cor_query_totals_without(cor_route_query *q, uint32_t from, uint32_t to,
                              const uint32_t *arcs, size_t n_arcs, const uint32_t *states,
                              size_t n_states, bool figures, cor_totals *t)
{
    const cor_graph *g = q->g;
    q->engine = "dijkstra"; /* bans: never the index */
    totals_zero(t);
    if (from == to) return true;
    t->cost = INFINITY;
    if (!ensure_bans(q)) return false;
    next_ban(q);
    for (size_t i = 0; i < n_arcs; i++) q->ban_arc[arcs[i]] = q->ban_stamp;
    for (size_t i = 0; i < n_states; i++) q->ban_state[states[i]] = q->ban_stamp;
    uint32_t buf[COR_MAX_CLASSES];
    search sr = {buf, node_states(g, from, buf), from, to, from, 0, COR_NONE};
    search_banned(q, &sr);
    t->cost = sr.mu;
    if (!figures || isinf(sr.mu)) return true;
    path p;
    if (!extract_path(q, &sr, &p)) return false;
    uint32_t s = p.start;
    for (size_t i = 0; i < p.n; i++) { /* the legs' figures, summed without keeping the legs */
        cor_leg leg;
        leg_of_arc(g, s, p.arcs[i], &leg);
        totals_add(t, &leg);
        s = g->head[p.arcs[i]];
    }
    t->cost = sr.mu; /* the search's sum, not the legs' re-added one */
    path_free(&p);
    return true;
}

uint32_t cor_query_parent_arc(const cor_route_query *q, uint32_t state)
{
    return q->sides[0].parent[state];
}

uint32_t cor_graph_arc_tail(const cor_graph *g, uint32_t arc)
{
    return arc_tail(g, arc);
}

const cor_graph *cor_route_query_graph(const cor_route_query *q)
{
    return q->g;
}
