/*
 * cch_metric.c — customisation: the weights of a CCH's supergraph for one metric.
 *
 * Basic customisation (Dibbelt, Strasser, Wagner 2016, section 5): every slot starts at
 * the lightest of its input arcs (INFINITY when none), then the ranks are swept upward;
 * at rank r every pair of upper neighbours a < b closes the lower triangle {r, a, b},
 * which bounds the arc (a, b) in both directions. The arcs of r are final when r is swept,
 * since their own lower triangles have lower bottoms. Each slot keeps what gave its
 * weight — an input arc, or the triangle's bottom rank — so a route unpacks into arcs.
 *
 * Partial customisation recomputes one arc from scratch (its input arcs and all its lower
 * triangles, through the downward view) and, when its weight moved, queues the arcs whose
 * lower triangles contain it. Arcs are queued by index, which orders them by lower end,
 * so an arc is recomputed only after everything below it: the result, ties included, is
 * the one a full customisation would give.
 *
 * Trade-off: weights are doubles (16 bytes an arc for both directions), so any objective
 * is exact; integer road graphs could use floats.
 */
#include "cch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static cor_status metric_nomem(cor_error *err)
{
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory customising");
}

/* Lowers slot s to w, recording what gave it. */
static inline void offer(double *w, uint32_t *via, uint32_t s, double x, uint32_t code)
{
    if (x < w[s]) {
        w[s] = x;
        via[s] = code;
    }
}

/* The whole customisation into w and via (2m each, by cch_slot). */
static void customize_into(const cor_cch *c, const double *input_w, double *w, uint32_t *via)
{
    const size_t m = c->m;
    for (size_t s = 0; s < 2 * m; s++) {
        w[s] = INFINITY;
        via[s] = COR_NONE;
    }
    for (uint32_t a = 0; a < c->n_input; a++)
        if (c->arc_slot[a] != COR_NONE) offer(w, via, cch_slot(c, c->arc_slot[a]), input_w[a], a);
    const uint32_t *uf = c->up_first, *uh = c->up_head;
    double *up = w, *down = w + m;
    for (uint32_t r = 0; r < c->n; r++) {
        uint32_t end = uf[r + 1];
        for (uint32_t i = uf[r]; i < end; i++) {
            uint32_t a = uh[i], k = uf[a], kend = uf[a + 1];
            double up_i = up[i], down_i = down[i];
            if (isinf(up_i) && isinf(down_i)) continue;
            for (uint32_t j = i + 1; j < end; j++) { /* arc (a, b) found by merging rows */
                uint32_t b = uh[j];
                while (k < kend && uh[k] < b)
                    k++;
                if (k == kend) break;
                if (uh[k] != b) continue;
                offer(w, via, k, down_i + up[j], CCH_VIA_MID | r);
                offer(w, via, m + k, down[j] + up_i, CCH_VIA_MID | r);
            }
        }
    }
}

static cor_status check_weights(const cor_cch *c, const uint32_t *arcs, const double *weight,
                                size_t n, cor_error *err)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t a = arcs ? arcs[i] : (uint32_t)i;
        if (a >= c->n_input)
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "arc",
                                 "arc %u is out of range (the graph has %u)", a, c->n_input);
        if (isnan(weight[i]) || weight[i] < 0)
            return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, "weight",
                                 "arc %u: weight %g is negative or NaN", a, weight[i]);
    }
    return COR_OK;
}

static cor_cch_metric *metric_alloc(const cor_cch *c)
{
    cor_cch_metric *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->c = c;
    m->own_w = malloc((2 * (size_t)c->m + 1) * sizeof *m->own_w);
    m->own_via = malloc((2 * (size_t)c->m + 1) * sizeof *m->own_via);
    m->own_input_w = malloc(((size_t)c->n_input + 1) * sizeof *m->own_input_w);
    if (!m->own_w || !m->own_via || !m->own_input_w) {
        cor_cch_metric_free(m);
        return NULL;
    }
    m->w = m->own_w;
    m->via = m->own_via;
    m->input_w = m->own_input_w;
    return m;
}

cor_status cor_cch_customize(cor_cch_metric **out, const cor_cch *c, const double *weight,
                             cor_error *err)
{
    *out = NULL;
    cor_cch_metric *m = metric_alloc(c);
    if (!m) return metric_nomem(err);
    for (uint32_t a = 0; a < c->n_input; a++)
        m->own_input_w[a] = weight ? weight[a] : cor_g_weight(c->g, a);
    cor_status st = check_weights(c, NULL, m->own_input_w, c->n_input, err);
    if (st != COR_OK) {
        cor_cch_metric_free(m);
        return st;
    }
    customize_into(c, m->input_w, m->own_w, m->own_via);
    *out = m;
    return COR_OK;
}

void cor_cch_metric_free(cor_cch_metric *m)
{
    if (!m) return;
    free(m->own_w);
    free(m->own_via);
    free(m->own_input_w);
    free(m->queued);
    free(m);
}

double cor_cch_metric_input_weight(const cor_cch_metric *m, uint32_t a)
{
    return a < m->c->n_input ? m->input_w[a] : NAN;
}

/* ---------------------------------------------------------------- partial */

/* A min-heap of arc indices, each queued once (queued[e] == stamp). */
typedef struct arc_heap {
    uint32_t *a;
    size_t n, cap;
} arc_heap;

static bool heap_push(arc_heap *h, uint32_t e)
{
    if (!cch_grow(&h->a, &h->cap, h->n + 1, sizeof *h->a)) return false;
    size_t i = h->n++;
    while (i > 0 && h->a[(i - 1) / 2] > e) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = e;
    return true;
}

static uint32_t heap_pop(arc_heap *h)
{
    uint32_t top = h->a[0], last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= h->n) break;
        if (k + 1 < h->n && h->a[k + 1] < h->a[k]) k++;
        if (h->a[k] >= last) break;
        h->a[i] = h->a[k];
        i = k;
    }
    if (h->n) h->a[i] = last;
    return top;
}

/* Slot s of arc e = (lo, hi) from its input arcs alone, in arc order like the full pass. */
static void base_weight(const cor_cch_metric *m, uint32_t s, uint32_t lo, uint32_t hi, double *w,
                        uint32_t *via)
{
    const cor_cch *c = m->c;
    const cor_graph *g = c->g;
    uint32_t from = c->order[s & 1 ? hi : lo], to = c->order[s & 1 ? lo : hi];
    *w = INFINITY;
    *via = COR_NONE;
    for (uint32_t a = g->first_out[from]; a < g->first_out[from + 1]; a++)
        if (g->head[a] == to && m->input_w[a] < *w) {
            *w = m->input_w[a];
            *via = a;
        }
}

/* Recomputes both slots of arc e = (lo, hi); true when a weight changed. */
static bool recompute(cor_cch_metric *m, uint32_t e, uint32_t lo, uint32_t hi)
{
    const cor_cch *c = m->c;
    double w[2];
    uint32_t via[2];
    base_weight(m, 2 * e, lo, hi, &w[0], &via[0]);
    base_weight(m, 2 * e + 1, lo, hi, &w[1], &via[1]);
    /* Common lower neighbours r of lo and hi, increasing: the triangles {r, lo, hi}. */
    uint32_t i = c->down_first[lo], iend = c->down_first[lo + 1];
    uint32_t j = c->down_first[hi], jend = c->down_first[hi + 1];
    while (i < iend && j < jend) {
        uint32_t ri = c->down_tail[i], rj = c->down_tail[j];
        if (ri < rj)
            i++;
        else if (rj < ri)
            j++;
        else {
            uint32_t el = c->down_arc[i], eh = c->down_arc[j]; /* (r, lo), (r, hi) */
            offer(w, via, 0, m->w[c->m + el] + m->w[eh], CCH_VIA_MID | ri);
            offer(w, via, 1, m->w[c->m + eh] + m->w[el], CCH_VIA_MID | ri);
            i++, j++;
        }
    }
    size_t up = e, down = (size_t)c->m + e;
    bool changed = w[0] != m->w[up] || w[1] != m->w[down];
    m->own_w[up] = w[0], m->own_w[down] = w[1];
    m->own_via[up] = via[0], m->own_via[down] = via[1];
    return changed;
}

/* The arcs (hi, z) for z an upper neighbour of lo: their lower triangle {lo, hi, z}. */
static bool queue_dependents(cor_cch_metric *m, arc_heap *h, uint32_t lo, uint32_t hi)
{
    const cor_cch *c = m->c;
    for (uint32_t k = c->up_first[lo]; k < c->up_first[lo + 1]; k++) {
        uint32_t z = c->up_head[k];
        if (z == hi) continue;
        uint32_t e = z < hi ? cch_find_arc(c, z, hi) : cch_find_arc(c, hi, z);
        if (e == COR_NONE || m->queued[e] == m->stamp) continue;
        m->queued[e] = m->stamp;
        if (!heap_push(h, e)) return false;
    }
    return true;
}

/* Makes the metric's arrays its own (they may wrap a file) before changing them. */
static bool own_arrays(cor_cch_metric *m)
{
    const cor_cch *c = m->c;
    size_t ns = 2 * (size_t)c->m + 1, ni = (size_t)c->n_input + 1;
    if (!m->own_w && (m->own_w = malloc(ns * sizeof *m->own_w)))
        memcpy(m->own_w, m->w, (ns - 1) * sizeof *m->own_w), m->w = m->own_w;
    if (!m->own_via && (m->own_via = malloc(ns * sizeof *m->own_via)))
        memcpy(m->own_via, m->via, (ns - 1) * sizeof *m->own_via), m->via = m->own_via;
    if (!m->own_input_w && (m->own_input_w = malloc(ni * sizeof *m->own_input_w)))
        memcpy(m->own_input_w, m->input_w, (ni - 1) * sizeof *m->own_input_w),
            m->input_w = m->own_input_w;
    if (!m->queued) m->queued = calloc((size_t)c->m + 1, sizeof *m->queued);
    return m->own_w && m->own_via && m->own_input_w && m->queued;
}

cor_cch_metric *cch_metric_clone(const cor_cch_metric *m)
{
    cor_cch_metric *k = calloc(1, sizeof *k);
    if (!k) return NULL;
    k->c = m->c;
    k->w = m->w; /* read in place until the first partial customisation copies them */
    k->via = m->via;
    k->input_w = m->input_w;
    return k;
}

cor_status cor_cch_customize_partial(cor_cch_metric *m, const uint32_t *arcs, const double *weight,
                                     size_t n, cor_error *err)
{
    const cor_cch *c = m->c;
    cor_status st = check_weights(c, arcs, weight, n, err);
    if (st != COR_OK) return st;
    if (!own_arrays(m)) return metric_nomem(err);
    if (++m->stamp == 0) {
        memset(m->queued, 0, (size_t)c->m * sizeof *m->queued);
        m->stamp = 1;
    }
    arc_heap h = {0};
    m->version++;
    for (size_t i = 0; i < n; i++) {
        m->own_input_w[arcs[i]] = weight[i];
        uint32_t s = c->arc_slot[arcs[i]];
        if (s == COR_NONE || m->queued[s >> 1] == m->stamp) continue;
        m->queued[s >> 1] = m->stamp;
        if (!heap_push(&h, s >> 1)) goto oom;
    }
    while (h.n > 0) {
        uint32_t e = heap_pop(&h), lo = cch_arc_low(c, e), hi = c->up_head[e];
        if (recompute(m, e, lo, hi) && !queue_dependents(m, &h, lo, hi)) goto oom;
    }
    free(h.a);
    return COR_OK;
oom:
    free(h.a);
    return metric_nomem(err);
}

/* ---------------------------------------------------------------- checks and arrays */

cor_status cor_cch_metric_check(const cor_cch_metric *m, cor_error *err)
{
    const cor_cch *c = m->c;
    size_t ns = 2 * (size_t)c->m;
    double *w = malloc((ns + 1) * sizeof *w);
    uint32_t *via = malloc((ns + 1) * sizeof *via);
    cor_status st = COR_OK;
    if (!w || !via) {
        st = metric_nomem(err);
        goto done;
    }
    if ((st = check_weights(c, NULL, m->input_w, c->n_input, err)) != COR_OK) goto done;
    customize_into(c, m->input_w, w, via);
    for (size_t s = 0; s < ns; s++)
        if (w[s] != m->w[s] || via[s] != m->via[s]) {
            st = cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1,
                               w[s] != m->w[s] ? "metric.weight" : "metric.via",
                               "index metric: slot %zu holds %g (via %u), customisation gives "
                               "%g (via %u)",
                               s, m->w[s], m->via[s], w[s], via[s]);
            break;
        }
done:
    free(w);
    free(via);
    return st;
}

/* Slot s holds what its via says: the input arc's weight (an arc of this slot), the sum
 * of its two halves (a lower triangle that exists), or INFINITY with nothing. */
static bool slot_consistent(const cor_cch_metric *m, uint32_t s, uint32_t lo, uint32_t hi)
{
    const cor_cch *c = m->c;
    size_t i = cch_slot(c, s);
    uint32_t via = m->via[i];
    double w = m->w[i];
    if (via == COR_NONE) return isinf(w) && w > 0;
    if (!(via & CCH_VIA_MID))
        return via < c->n_input && c->arc_slot[via] == s && w == m->input_w[via];
    uint32_t mid = via & ~CCH_VIA_MID;
    if (mid >= lo) return false;
    uint32_t el = cch_find_arc(c, mid, lo), eh = cch_find_arc(c, mid, hi);
    if (el == COR_NONE || eh == COR_NONE) return false;
    double a = m->w[s & 1 ? c->m + eh : c->m + el], b = m->w[s & 1 ? el : eh];
    return w == a + b;
}

/* Every slot consistent with its via, and no input arc lighter than its slot: what a
 * route unpacks to weighs what the slot says, and unpacking terminates (a middle rank is
 * below the arc's ends). Not the triangles' minimality (the full check's): a single
 * flipped bit still cannot pass, since a slot's weight is tied to its halves'. O(m log
 * deg + a). */
static cor_status check_structure(const cor_cch_metric *m, cor_error *err)
{
    const cor_cch *c = m->c;
    cor_status st = check_weights(c, NULL, m->input_w, c->n_input, err);
    for (uint32_t a = 0; a < c->n_input && st == COR_OK; a++)
        if (c->arc_slot[a] != COR_NONE && m->input_w[a] < m->w[cch_slot(c, c->arc_slot[a])])
            st = cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, "metric.input_weight",
                               "index metric: arc %u weighs less than its slot", a);
    for (uint32_t r = 0; r < c->n && st == COR_OK; r++)
        for (uint32_t e = c->up_first[r]; e < c->up_first[r + 1] && st == COR_OK; e++)
            for (uint32_t d = 0; d < 2 && st == COR_OK; d++)
                if (!slot_consistent(m, 2 * e + d, r, c->up_head[e]))
                    st = cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, "metric.weight",
                                       "index metric: arc %u (%s) does not hold what it "
                                       "stands for",
                                       e, d ? "down" : "up");
    return st;
}

size_t cor_cch_metric_arrays(const cor_cch_metric *m, cor_array *out, size_t max)
{
    const cor_cch *c = m->c;
    cor_array a[3] = {{"metric.weight", m->w, 2 * (uint64_t)c->m, sizeof(double)},
                      {"metric.via", m->via, 2 * (uint64_t)c->m, sizeof(uint32_t)},
                      {"metric.input_weight", m->input_w, c->n_input, sizeof(double)}};
    for (size_t i = 0; i < 3 && i < max; i++)
        out[i] = a[i];
    return 3;
}

cor_status cor_cch_metric_from_arrays(cor_cch_metric **out, const cor_cch *c, const cor_array *a,
                                      size_t n, cor_error *err)
{
    *out = NULL;
    cor_cch_metric *m = calloc(1, sizeof *m);
    if (!m) return metric_nomem(err);
    m->c = c;
    m->w = cch_array_find(a, n, "metric.weight", 2 * (uint64_t)c->m, sizeof(double), err);
    m->via = cch_array_find(a, n, "metric.via", 2 * (uint64_t)c->m, sizeof(uint32_t), err);
    m->input_w = cch_array_find(a, n, "metric.input_weight", c->n_input, sizeof(double), err);
    cor_status st = m->w && m->via && m->input_w ? check_structure(m, err) : COR_ERR_INPUT;
    if (st != COR_OK) {
        cor_cch_metric_free(m);
        return st;
    }
    *out = m;
    return COR_OK;
}
