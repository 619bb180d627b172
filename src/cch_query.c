/*
 * cch_query.c — searches on a customised CCH: point to point, and tables by buckets.
 *
 * Elimination-tree search (Dibbelt, Strasser, Wagner 2016, section 6.1): in a CCH the
 * search space of a rank is exactly its ancestors in the elimination tree, so instead of
 * a priority queue each side walks the tree from its sources to the root and relaxes the
 * upward arcs of each ancestor in increasing rank order. With several sources (every
 * state of a node) the sides are unions of chains, sorted once. The backward side stops
 * relaxing from a rank whose distance already reaches the best route found.
 *
 * Arrays are sized for the index once and stamped per search (RoutingKit's idea), so a
 * search costs its chains, not the graph. A route is unpacked from the slots' vias with
 * an explicit stack (no recursion).
 *
 * Tables (one-to-many, many-to-many): each target's backward chain is kept as a bucket
 * entry per rank; a source's forward chain then scans the buckets of its ranks. Costs
 * are the same sums as the point-to-point search's.
 */
#include "cch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct side {
    uint32_t *stamp;
    double *dist;
    uint32_t *prev_arc; /* the upward arc by which the rank was reached, COR_NONE at a source;
                         * its lower end is found when a route is unpacked (cch_arc_low) */
    uint32_t *list;     /* the ranks of the search, increasing */
    uint32_t n_list;
} side;

typedef cch_slot_ref slot_ref;

typedef struct slot_vec {
    slot_ref *a;
    size_t n, cap;
} slot_vec;

struct cch_query {
    const cor_cch *c;
    uint32_t stamp;
    side sides[2];
    double mu;
    uint32_t meet;
    slot_vec slots, stack;
};

static bool side_alloc(side *sd, uint32_t n)
{
    size_t m = (size_t)n + 1;
    sd->stamp = calloc(m, sizeof *sd->stamp);
    sd->dist = malloc(m * sizeof *sd->dist);
    sd->prev_arc = malloc(m * sizeof *sd->prev_arc);
    sd->list = malloc(m * sizeof *sd->list);
    return sd->stamp && sd->dist && sd->prev_arc && sd->list;
}

static void side_free(side *sd)
{
    free(sd->stamp);
    free(sd->dist);
    free(sd->prev_arc);
    free(sd->list);
}

cch_query *cch_query_new(const cor_cch *c)
{
    cch_query *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->c = c;
    if (!side_alloc(&q->sides[0], c->n) || !side_alloc(&q->sides[1], c->n)) {
        cch_query_free(q);
        return NULL;
    }
    return q;
}

void cch_query_free(cch_query *q)
{
    if (!q) return;
    side_free(&q->sides[0]);
    side_free(&q->sides[1]);
    free(q->slots.a);
    free(q->stack.a);
    free(q);
}

static void next_stamp(cch_query *q)
{
    if (++q->stamp == 0) {
        for (int d = 0; d < 2; d++)
            memset(q->sides[d].stamp, 0, ((size_t)q->c->n + 1) * sizeof(uint32_t));
        q->stamp = 1;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The union of the sources' elimination-tree chains, in increasing rank, each at
 * INFINITY but the sources at 0. */
static void collect(cch_query *q, side *sd, const uint32_t *states, size_t n)
{
    const cor_cch *c = q->c;
    const uint32_t st = q->stamp;
    sd->n_list = 0;
    for (size_t i = 0; i < n; i++) {
        for (uint32_t x = c->rank[states[i]]; x != COR_NONE && sd->stamp[x] != st;
             x = c->parent[x]) {
            sd->stamp[x] = st;
            sd->dist[x] = INFINITY;
            sd->prev_arc[x] = COR_NONE;
            sd->list[sd->n_list++] = x;
        }
        sd->dist[c->rank[states[i]]] = 0;
    }
    if (n > 1) qsort(sd->list, sd->n_list, sizeof *sd->list, cmp_u32);
}

/* Relaxes the upward arcs of rank r on one side (w: that direction's weights). */
static inline void relax(const cor_cch *c, side *sd, const double *w, uint32_t r, double d)
{
    /* Locals, so the stores into dist cannot be taken to change the arrays' pointers. */
    double *restrict dist = sd->dist;
    uint32_t *restrict prev_arc = sd->prev_arc;
    const uint32_t *restrict head = c->up_head;
    for (uint32_t e = c->up_first[r], end = c->up_first[r + 1]; e < end; e++) {
        uint32_t h = head[e];
        double nd = d + w[e];
        if (nd < dist[h]) {
            dist[h] = nd;
            prev_arc[h] = e;
        }
    }
}

/* One side alone (dir 0: upward slots, 1: downward ones), every rank relaxed. */
static void sweep(cch_query *q, const cor_cch_metric *m, int dir)
{
    side *sd = &q->sides[dir];
    const double *w = m->w + (size_t)dir * q->c->m;
    for (uint32_t i = 0; i < sd->n_list; i++) {
        uint32_t r = sd->list[i];
        if (!isinf(sd->dist[r])) relax(q->c, sd, w, r, sd->dist[r]);
    }
}

/* Both sides at once, in increasing rank: a rank on both chains is final on both when it
 * is reached, so it is where routes meet; ranks at or beyond the best route are pruned. */
static void sweep_both(cch_query *q, const cor_cch_metric *m)
{
    const cor_cch *c = q->c;
    side *f = &q->sides[0], *b = &q->sides[1];
    const double *wu = m->w, *wd = m->w + c->m;
    uint32_t i = 0, j = 0;
    while (i < f->n_list || j < b->n_list) {
        uint32_t rf = i < f->n_list ? f->list[i] : UINT32_MAX;
        uint32_t rb = j < b->n_list ? b->list[j] : UINT32_MAX;
        if (rf == rb) {
            double df = f->dist[rf], db = b->dist[rf];
            if (df + db < q->mu) {
                q->mu = df + db;
                q->meet = rf;
            }
            if (df < q->mu) relax(c, f, wu, rf, df);
            if (db < q->mu) relax(c, b, wd, rb, db);
            i++, j++;
        } else if (rf < rb) {
            if (f->dist[rf] < q->mu) relax(c, f, wu, rf, f->dist[rf]);
            i++;
        } else {
            if (b->dist[rb] < q->mu) relax(c, b, wd, rb, b->dist[rb]);
            j++;
        }
    }
}

double cch_query_run(cch_query *q, const cor_cch_metric *m, const uint32_t *sources,
                     size_t n_sources, const uint32_t *targets, size_t n_targets)
{
    next_stamp(q);
    q->mu = INFINITY;
    q->meet = COR_NONE;
    collect(q, &q->sides[0], sources, n_sources);
    collect(q, &q->sides[1], targets, n_targets);
    sweep_both(q, m);
    return q->mu;
}

/* ---------------------------------------------------------------- unpacking */

static bool slot_push(slot_vec *v, uint32_t slot, uint32_t lo, uint32_t hi)
{
    if (!cch_grow(&v->a, &v->cap, v->n + 1, sizeof *v->a)) return false;
    v->a[v->n++] = (slot_ref){slot, lo, hi};
    return true;
}

typedef struct arc_vec {
    uint32_t *a;
    size_t n, cap;
} arc_vec;

static bool arc_push(arc_vec *v, uint32_t a)
{
    if (!cch_grow(&v->a, &v->cap, v->n + 1, sizeof *v->a)) return false;
    v->a[v->n++] = a;
    return true;
}

bool cch_slot_children(const cor_cch_metric *m, cch_slot_ref s, cch_slot_ref *first,
                       cch_slot_ref *second, uint32_t *arc)
{
    const cor_cch *c = m->c;
    uint32_t via = m->via[cch_slot(c, s.slot)];
    if (via == COR_NONE || !(via & CCH_VIA_MID)) {
        *arc = via;
        return false;
    }
    uint32_t mid = via & ~CCH_VIA_MID;
    uint32_t el = cch_find_arc(c, mid, s.lo), eh = cch_find_arc(c, mid, s.hi);
    /* up (lo → mid → hi): down (mid, lo) then up (mid, hi); down: the mirror */
    if (s.slot & 1) {
        *first = (slot_ref){2 * eh + 1, mid, s.hi};
        *second = (slot_ref){2 * el, mid, s.lo};
    } else {
        *first = (slot_ref){2 * el + 1, mid, s.lo};
        *second = (slot_ref){2 * eh, mid, s.hi};
    }
    return true;
}

/* Appends the input arcs of one slot, in route order. */
static bool unpack(cch_query *q, const cor_cch_metric *m, slot_ref top, arc_vec *out)
{
    slot_vec *st = &q->stack;
    st->n = 0;
    if (!slot_push(st, top.slot, top.lo, top.hi)) return false;
    while (st->n > 0) {
        slot_ref s = st->a[--st->n], first, second;
        uint32_t arc;
        if (!cch_slot_children(m, s, &first, &second, &arc)) {
            if (arc == COR_NONE || !arc_push(out, arc)) return false;
            continue;
        }
        if (!slot_push(st, second.slot, second.lo, second.hi) ||
            !slot_push(st, first.slot, first.lo, first.hi))
            return false;
    }
    return true;
}

/* The forward half of the last search's route, source to `meet`, as slots in order;
 * *start_rank is where it begins. */
static bool forward_slots(cch_query *q, uint32_t meet, uint32_t *start_rank)
{
    const side *f = &q->sides[0];
    slot_vec *v = &q->slots;
    v->n = 0;
    uint32_t x = meet;
    for (uint32_t lo; f->prev_arc[x] != COR_NONE; x = lo)
        if (!slot_push(v, 2 * f->prev_arc[x], lo = cch_arc_low(q->c, f->prev_arc[x]), x))
            return false;
    *start_rank = x;
    for (size_t i = 0, j = v->n; i + 1 < j; i++, j--) { /* collected backwards */
        slot_ref t = v->a[i];
        v->a[i] = v->a[j - 1];
        v->a[j - 1] = t;
    }
    return true;
}

bool cch_unpack_slots(cch_query *q, const cor_cch_metric *m, const cch_slot_ref *slots,
                      size_t n_slots, uint32_t **arcs, size_t *n)
{
    arc_vec out = {0};
    for (size_t i = 0; i < n_slots; i++)
        if (!unpack(q, m, slots[i], &out)) {
            free(out.a);
            return false;
        }
    if (!out.a && !(out.a = malloc(sizeof *out.a))) return false;
    *arcs = out.a;
    *n = out.n;
    return true;
}

static bool unpack_all(cch_query *q, const cor_cch_metric *m, uint32_t **arcs, size_t *n)
{
    return cch_unpack_slots(q, m, q->slots.a, q->slots.n, arcs, n);
}

bool cch_query_path(cch_query *q, const cor_cch_metric *m, uint32_t **arcs, size_t *n,
                    uint32_t *start)
{
    const side *b = &q->sides[1];
    uint32_t start_rank;
    *arcs = NULL;
    *n = 0;
    if (q->meet == COR_NONE || !forward_slots(q, q->meet, &start_rank)) return false;
    for (uint32_t x = q->meet, lo; b->prev_arc[x] != COR_NONE; x = lo)
        if (!slot_push(&q->slots, 2 * b->prev_arc[x] + 1, lo = cch_arc_low(q->c, b->prev_arc[x]),
                       x))
            return false;
    *start = q->c->order[start_rank];
    return unpack_all(q, m, arcs, n);
}

/* ---------------------------------------------------------------- tables */

typedef struct bucket_entry { /* one rank of one target's backward search */
    uint32_t rank, prev_arc, target;
    double dist;
} bucket_entry;

struct cch_table {
    const cor_cch *c;
    bucket_entry *by_target; /* per target, increasing rank */
    size_t *target_first;    /* n_to + 1 */
    bucket_entry *by_rank;   /* the same entries grouped by rank */
    uint32_t *rank_first;    /* n + 1 */
    size_t n_to, n_entries;
    double *best;
    uint32_t *meet; /* per target, for the last source */
    /* what the buckets were built for: a table asked row by row reuses them */
    uint32_t *to;
    const cor_cch_metric *m;
    uint32_t version;
};

cch_table *cch_table_new(const cor_cch *c)
{
    cch_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->c = c;
    if (!(t->rank_first = malloc(((size_t)c->n + 2) * sizeof *t->rank_first))) {
        free(t);
        return NULL;
    }
    return t;
}

void cch_table_free(cch_table *t)
{
    if (!t) return;
    free(t->by_target);
    free(t->target_first);
    free(t->by_rank);
    free(t->rank_first);
    free(t->best);
    free(t->meet);
    free(t->to);
    free(t);
}

/* Appends target j's backward search (already swept) to by_target. */
static bool keep_target(cch_table *t, const side *b, uint32_t j, size_t *cap)
{
    if (!cch_grow(&t->by_target, cap, t->n_entries + b->n_list, sizeof *t->by_target)) return false;
    for (uint32_t i = 0; i < b->n_list; i++) {
        uint32_t r = b->list[i];
        if (isinf(b->dist[r])) continue;
        t->by_target[t->n_entries++] = (bucket_entry){r, b->prev_arc[r], j, b->dist[r]};
    }
    return true;
}

/* by_rank: the entries grouped by rank (counting sort over the ranks). */
static bool group_by_rank(cch_table *t)
{
    const uint32_t n = t->c->n;
    free(t->by_rank);
    if (!(t->by_rank = malloc((t->n_entries + 1) * sizeof *t->by_rank))) return false;
    memset(t->rank_first, 0, ((size_t)n + 2) * sizeof *t->rank_first);
    for (size_t i = 0; i < t->n_entries; i++)
        t->rank_first[t->by_target[i].rank + 2]++;
    for (uint32_t r = 0; r < n; r++)
        t->rank_first[r + 2] += t->rank_first[r + 1];
    for (size_t i = 0; i < t->n_entries; i++)
        t->by_rank[t->rank_first[t->by_target[i].rank + 1]++] = t->by_target[i];
    return true;
}

/* One side of a search from every state of a node, alone (dir 1: backward). */
static void search_node(cch_query *q, const cor_cch_metric *m, int dir, uint32_t node)
{
    const cor_graph *g = q->c->g;
    uint32_t s0 = cor_g_first_state(g, node), s1 = cor_g_first_state(g, node + 1);
    uint32_t states[COR_MAX_CLASSES];
    for (uint32_t s = s0; s < s1; s++)
        states[s - s0] = s;
    next_stamp(q);
    q->mu = INFINITY;
    collect(q, &q->sides[dir], states, s1 - s0);
    sweep(q, m, dir);
}

bool cch_table_targets(cch_table *t, cch_query *q, const cor_cch_metric *m,
                       const uint32_t *to_nodes, size_t n_to)
{
    size_t cap = 0;
    if (t->to && t->m == m && t->version == m->version && t->n_to == n_to &&
        (n_to == 0 || memcmp(t->to, to_nodes, n_to * sizeof *to_nodes) == 0))
        return true;
    free(t->to);
    t->m = NULL;
    if (!(t->to = malloc((n_to + 1) * sizeof *t->to))) return false;
    if (n_to) memcpy(t->to, to_nodes, n_to * sizeof *to_nodes);
    free(t->target_first);
    free(t->best);
    free(t->meet);
    free(t->by_target);
    t->by_target = NULL;
    t->n_entries = 0;
    t->n_to = n_to;
    t->target_first = malloc((n_to + 1) * sizeof *t->target_first);
    t->best = malloc((n_to + 1) * sizeof *t->best);
    t->meet = malloc((n_to + 1) * sizeof *t->meet);
    if (!t->target_first || !t->best || !t->meet) return false;
    for (size_t j = 0; j < n_to; j++) {
        search_node(q, m, 1, to_nodes[j]);
        t->target_first[j] = t->n_entries;
        if (!keep_target(t, &q->sides[1], (uint32_t)j, &cap)) return false;
    }
    t->target_first[n_to] = t->n_entries;
    if (!group_by_rank(t)) return false;
    t->m = m;
    t->version = m->version;
    return true;
}

void cch_table_source(cch_table *t, cch_query *q, const cor_cch_metric *m, uint32_t from_node,
                      double *dist)
{
    search_node(q, m, 0, from_node);
    for (size_t j = 0; j < t->n_to; j++) {
        t->best[j] = INFINITY;
        t->meet[j] = COR_NONE;
    }
    const side *f = &q->sides[0];
    for (uint32_t i = 0; i < f->n_list; i++) {
        uint32_t r = f->list[i];
        double d = f->dist[r];
        if (isinf(d)) continue;
        for (uint32_t k = t->rank_first[r]; k < t->rank_first[r + 1]; k++) {
            const bucket_entry *e = &t->by_rank[k];
            if (d + e->dist < t->best[e->target]) {
                t->best[e->target] = d + e->dist;
                t->meet[e->target] = r;
            }
        }
    }
    memcpy(dist, t->best, t->n_to * sizeof *dist);
}

/* Target j's entry at rank r (its entries are increasing in rank). */
static const bucket_entry *target_entry(const cch_table *t, size_t j, uint32_t r)
{
    size_t lo = t->target_first[j], hi = t->target_first[j + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_target[mid].rank < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->target_first[j + 1] && t->by_target[lo].rank == r ? &t->by_target[lo] : NULL;
}

bool cch_table_slots(const cch_table *t, cch_query *q, size_t j, const cch_slot_ref **slots,
                     size_t *n)
{
    uint32_t start_rank, meet = t->meet[j];
    if (meet == COR_NONE || !forward_slots(q, meet, &start_rank)) return false;
    for (const bucket_entry *e = target_entry(t, j, meet); e && e->prev_arc != COR_NONE;) {
        uint32_t lo = cch_arc_low(q->c, e->prev_arc);
        if (!slot_push(&q->slots, 2 * e->prev_arc + 1, lo, e->rank)) return false;
        e = target_entry(t, j, lo);
    }
    *slots = q->slots.a;
    *n = q->slots.n;
    return true;
}

bool cch_table_path(const cch_table *t, cch_query *q, const cor_cch_metric *m, size_t j,
                    uint32_t **arcs, size_t *n, uint32_t *start)
{
    const cch_slot_ref *slots;
    size_t n_slots;
    *arcs = NULL;
    *n = 0;
    if (!cch_table_slots(t, q, j, &slots, &n_slots)) return false;
    uint32_t first = n_slots ? slots[0].slot & 1 ? slots[0].hi : slots[0].lo : t->meet[j];
    *start = q->c->order[first];
    return unpack_all(q, m, arcs, n);
}
