/*
 * cch_phast.c — one source to every state on a customised CCH (PHAST).
 *
 * Delling, Goldberg, Nowatzyk and Werneck ("PHAST: hardware-accelerated shortest path
 * trees", IPDPS 2011) split a one-to-all search on a hierarchy in two: the upward search
 * from the source, then one sweep over every vertex in decreasing rank, each taking its
 * distance from its upper neighbours, which are final by then. On a CCH the upward part
 * is the elimination-tree chain, and the downward sweep reads each rank's upward arcs in
 * their downward direction. The cost is the supergraph's size per source, whatever the
 * number of targets: it beats buckets when the targets are many and the sources few.
 *
 * Trade-off: distances and parents for every state (12 bytes a state), cleared per source
 * in O(n); no stamps, since the sweep touches everything anyway.
 */
#include "cch.h"

#include <math.h>
#include <stdlib.h>

#define FROM_ABOVE 0x80000000u /* prev_arc: reached down the arc, from its higher end */

struct cch_phast {
    const cor_cch *c;
    double *dist;       /* by rank */
    uint32_t *prev_arc; /* by rank: the arc it was reached by, | FROM_ABOVE, or COR_NONE */
    cch_slot_ref *slots;
    size_t n_slots, cap_slots;
};

cch_phast *cch_phast_new(const cor_cch *c)
{
    cch_phast *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->c = c;
    p->dist = malloc(((size_t)c->n + 1) * sizeof *p->dist);
    p->prev_arc = malloc(((size_t)c->n + 1) * sizeof *p->prev_arc);
    if (!p->dist || !p->prev_arc) {
        cch_phast_free(p);
        return NULL;
    }
    return p;
}

void cch_phast_free(cch_phast *p)
{
    if (!p) return;
    free(p->dist);
    free(p->prev_arc);
    free(p->slots);
    free(p);
}

/* Upward from one source rank along its chain (the ranks above it in the tree). */
static void chain_up(cch_phast *p, const double *wu, uint32_t r)
{
    const cor_cch *c = p->c;
    for (; r != COR_NONE; r = c->parent[r]) {
        double d = p->dist[r];
        if (isinf(d)) continue;
        for (uint32_t e = c->up_first[r]; e < c->up_first[r + 1]; e++) {
            uint32_t h = c->up_head[e];
            if (d + wu[e] < p->dist[h]) {
                p->dist[h] = d + wu[e];
                p->prev_arc[h] = e;
            }
        }
    }
}

void cch_phast_run(cch_phast *p, const cor_cch_metric *m, uint32_t from_node)
{
    const cor_cch *c = p->c;
    const cor_graph *g = c->g;
    const double *wu = m->w, *wd = m->w + c->m;
    for (uint32_t r = 0; r < c->n; r++) {
        p->dist[r] = INFINITY;
        p->prev_arc[r] = COR_NONE;
    }
    uint32_t s0 = cor_g_first_state(g, from_node), s1 = cor_g_first_state(g, from_node + 1);
    for (uint32_t s = s0; s < s1; s++)
        p->dist[c->rank[s]] = 0;
    /* With several sources, chains overlap: each is swept in rank order, and a rank
     * relaxed again after a lower source improved it only lowers what is above it. */
    for (uint32_t s = s0; s < s1; s++)
        chain_up(p, wu, c->rank[s]);
    for (uint32_t r = c->n; r-- > 0;) {
        double best = p->dist[r];
        uint32_t arc = p->prev_arc[r];
        for (uint32_t e = c->up_first[r]; e < c->up_first[r + 1]; e++) {
            double d = p->dist[c->up_head[e]] + wd[e];
            if (d < best) best = d, arc = e | FROM_ABOVE;
        }
        p->dist[r] = best;
        p->prev_arc[r] = arc;
    }
}

double cch_phast_node(const cch_phast *p, uint32_t node, uint32_t *state)
{
    const cor_graph *g = p->c->g;
    double best = INFINITY;
    *state = COR_NONE;
    for (uint32_t s = cor_g_first_state(g, node); s < cor_g_first_state(g, node + 1); s++)
        if (p->dist[p->c->rank[s]] < best) best = p->dist[p->c->rank[s]], *state = s;
    return best;
}

bool cch_phast_slots(cch_phast *p, uint32_t state, const cch_slot_ref **slots, size_t *n)
{
    const cor_cch *c = p->c;
    p->n_slots = 0;
    for (uint32_t x = c->rank[state]; p->prev_arc[x] != COR_NONE;) {
        uint32_t a = p->prev_arc[x], e = a & ~FROM_ABOVE;
        if (!cch_grow(&p->slots, &p->cap_slots, p->n_slots + 1, sizeof *p->slots)) return false;
        if (a & FROM_ABOVE) { /* came down from the higher end */
            p->slots[p->n_slots++] = (cch_slot_ref){2 * e + 1, x, c->up_head[e]};
            x = c->up_head[e];
        } else {
            uint32_t lo = cch_arc_low(c, e);
            p->slots[p->n_slots++] = (cch_slot_ref){2 * e, lo, x};
            x = lo;
        }
    }
    for (size_t i = 0, j = p->n_slots; i + 1 < j; i++, j--) { /* collected backwards */
        cch_slot_ref t = p->slots[i];
        p->slots[i] = p->slots[j - 1];
        p->slots[j - 1] = t;
    }
    *slots = p->slots;
    *n = p->n_slots;
    return true;
}
