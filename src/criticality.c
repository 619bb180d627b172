/*
 * criticality.c — what the loss of each link or node costs an origin-destination demand.
 *
 * The naive way re-runs every pair for every removed element. Here each pair's best route
 * is found once; an inverted index lists, for every element, the pairs whose route uses
 * it; and only those pairs are searched again, with the element banned through the query's
 * ban stamps (no graph is rebuilt). A pair whose route avoids an element loses nothing
 * when it goes, so the answer is the same as the naive one, at a fraction of the work.
 *
 * Two elements at once (k = 2) are drawn from the most critical single ones: the pairs
 * searched again are those whose route uses either. Work is handed to threads in chunks
 * from a shared counter, and every result is written at its entry's place, so the figures
 * do not depend on the number of threads; the same lock serialises progress reports.
 *
 * When the graph carries a routing index (a stored graph of a .cor), each worker closes an
 * entry's arcs in its own copy of the index's metric by a partial customisation (INFINITY),
 * answers the entry's pairs through the index, and reopens the arcs the same way: a
 * customisation of the few supergraph arcs above the element instead of a search over the
 * graph per pair. Costs are those of the banned exact search; where a detour ties with
 * another, its hours and money are those of the route the index unpacks.
 *
 * Throughput criticality is a maximum flow per element, run only for the elements that
 * carry flow in the base answer.
 */
#include "cch.h"
#include "criticality_internal.h"
#include "graph_internal.h"
#include "network_internal.h"
#include "route_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct base_route {
    double cost;
    cor_totals totals;
    uint32_t *links, *nodes; /* distinct elements the route uses */
    size_t n_links, n_nodes;
} base_route;

/* Inverted index: element e's pairs are pairs[first[e] .. first[e+1]). */
typedef struct pair_index {
    uint32_t *first, *pairs;
} pair_index;

cor_status criticality_index_fits(size_t n_pairs, uint64_t incidences, const char *what,
                                  cor_error *err)
{
    const uint64_t most = UINT32_MAX - 1;
    if ((uint64_t)n_pairs > most)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                             "%zu origin-destination pairs: criticality numbers pairs in 32 bits "
                             "(at most %llu); split the demand into several runs",
                             n_pairs, (unsigned long long)most);
    if (incidences > most)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                             "the best routes of the %zu pairs use %llu %s in all, more than "
                             "criticality's 32-bit index holds (%llu); split the demand into "
                             "several runs",
                             n_pairs, (unsigned long long)incidences, what,
                             (unsigned long long)most);
    return COR_OK;
}

/* The (pair, element) entries the index of links or nodes will hold. */
static uint64_t incidences(const base_route *r, size_t n_pairs, bool nodes)
{
    uint64_t total = 0;
    for (size_t k = 0; k < n_pairs; k++) total += nodes ? r[k].n_nodes : r[k].n_links;
    return total;
}

/* Both indices (links, nodes) fit their 32-bit arrays; false with *st and err set if not. */
static bool index_fits(const base_route *r, size_t n_pairs, cor_status *st, cor_error *err)
{
    *st = criticality_index_fits(n_pairs, incidences(r, n_pairs, false), "links", err);
    if (*st == COR_OK)
        *st = criticality_index_fits(n_pairs, incidences(r, n_pairs, true), "nodes", err);
    return *st == COR_OK;
}

/* Builds the index of links or nodes; criticality_index_fits has passed for its counts. */
static bool build_index(const base_route *r, size_t n_pairs, size_t n_elements, bool nodes,
                        pair_index *ix)
{
    ix->first = calloc(n_elements + 2, sizeof *ix->first);
    size_t total = (size_t)incidences(r, n_pairs, nodes);
    ix->pairs = malloc((total + 1) * sizeof *ix->pairs);
    if (!ix->first || !ix->pairs) return false;
    for (size_t k = 0; k < n_pairs; k++)
        for (size_t i = 0; i < (nodes ? r[k].n_nodes : r[k].n_links); i++)
            ix->first[(nodes ? r[k].nodes : r[k].links)[i] + 2]++;
    for (size_t e = 0; e < n_elements; e++) ix->first[e + 2] += ix->first[e + 1];
    for (size_t k = 0; k < n_pairs; k++)
        for (size_t i = 0; i < (nodes ? r[k].n_nodes : r[k].n_links); i++)
            ix->pairs[ix->first[(nodes ? r[k].nodes : r[k].links)[i] + 1]++] = (uint32_t)k;
    return true;
}

/* The best route of every pair, and the links and nodes it uses (each once). */
static cor_status base_routes(cor_route_query *q, const cor_network *net, const cor_demand *d,
                              size_t n, base_route *out, cor_error *err)
{
    uint8_t *seen = calloc(net->n_nodes + net->n_links + 1, 1);
    if (!seen) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t k = 0; k < n; k++) {
        cor_route r;
        cor_error quiet;
        cor_error_init(&quiet);
        out[k].cost = INFINITY;
        if (cor_route_shortest(q, d[k].from, d[k].to, &r, &quiet) == COR_OK) {
            out[k].cost = r.totals.cost;
            out[k].totals = r.totals;
            out[k].links = malloc((r.n_legs + 1) * sizeof(uint32_t));
            out[k].nodes = malloc((r.n_legs + 2) * sizeof(uint32_t));
            if (!out[k].links || !out[k].nodes) {
                cor_route_clear(&r);
                free(seen);
                return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
            }
            out[k].nodes[out[k].n_nodes++] = d[k].from;
            seen[d[k].from] = 1;
            for (size_t i = 0; i < r.n_legs; i++) {
                const cor_leg *leg = &r.legs[i];
                if (leg->kind == COR_LEG_LINK && !seen[net->n_nodes + leg->link]) {
                    seen[net->n_nodes + leg->link] = 1;
                    out[k].links[out[k].n_links++] = leg->link;
                }
                if (!seen[leg->to]) {
                    seen[leg->to] = 1;
                    out[k].nodes[out[k].n_nodes++] = leg->to;
                }
            }
            for (size_t i = 0; i < out[k].n_links; i++) seen[net->n_nodes + out[k].links[i]] = 0;
            for (size_t i = 0; i < out[k].n_nodes; i++) seen[out[k].nodes[i]] = 0;
            cor_route_clear(&r);
        }
        cor_error_clear(&quiet);
    }
    free(seen);
    return COR_OK;
}

/* The arcs of every link in the compiled graph: link_arcs[link_first[l] ..). */
static bool arcs_by_link(const cor_graph *g, uint32_t **first_out, uint32_t **arcs_out,
                         size_t *most)
{
    size_t nl = g->net->n_links;
    uint32_t *first = calloc(nl + 2, sizeof *first), *arcs = malloc((g->n_arcs + 1) * sizeof *arcs);
    if (!first || !arcs) {
        free(first);
        free(arcs);
        return false;
    }
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if (g->arc_link[a] != COR_ARC_TRANSFER) first[(g->arc_link[a] >> 1) + 2]++;
    *most = 0;
    for (size_t l = 0; l < nl; l++) {
        if (first[l + 2] > *most) *most = first[l + 2];
        first[l + 2] += first[l + 1];
    }
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if (g->arc_link[a] != COR_ARC_TRANSFER) arcs[first[(g->arc_link[a] >> 1) + 1]++] = a;
    *first_out = first;
    *arcs_out = arcs;
    return true;
}

/* Everything the workers share. `next`, `done`, `stop` and `failed` are under `lock`. */
typedef struct run {
    const cor_graph *g;
    const cor_demand *demand;
    const base_route *base;
    pair_index lix, nix;
    uint32_t *link_first, *link_arcs;
    size_t most_arcs; /* the most arcs one link has */
    size_t n_demand;
    cor_criticality *entries;
    size_t n_entries, chunk;
    const cor_progress *progress;
    size_t progress_done, progress_total;
    pthread_mutex_t lock;
    size_t next;
    bool stop, failed;
} run;

/* What a worker owns: its query and buffers for bans and merged pair lists. */
typedef struct worker {
    run *r;
    cor_route_query *q;
    uint32_t *arcs, *pairs;
    size_t n_arcs, n_states;
    uint32_t states[2 * COR_MAX_CLASSES];
    /* through the index: the graph with this worker's metric, the arcs an entry closes and
     * their weights before and while closed */
    cor_graph gw;
    cor_cch_metric *metric;
    uint32_t *closed;
    double *open_w, *inf_w;
    size_t n_closed, cap_closed;
} worker;

static void ban_element(worker *w, cor_element_kind kind, uint32_t e)
{
    const run *r = w->r;
    if (kind == COR_ELEMENT_LINK) {
        for (uint32_t i = r->link_first[e]; i < r->link_first[e + 1]; i++)
            w->arcs[w->n_arcs++] = r->link_arcs[i];
    } else {
        for (uint32_t s = cor_g_first_state(r->g, e); s < cor_g_first_state(r->g, e + 1); s++)
            w->states[w->n_states++] = s;
    }
}

static const uint32_t *pairs_of(const run *r, cor_element_kind kind, uint32_t e, size_t *n)
{
    const pair_index *ix = kind == COR_ELEMENT_LINK ? &r->lix : &r->nix;
    *n = ix->first[e + 1] - ix->first[e];
    return ix->pairs + ix->first[e];
}

/* The pairs an entry affects: one element's list, or the union of two (both sorted). */
static const uint32_t *affected(worker *w, const cor_criticality *c, size_t *n)
{
    size_t na, nb, m = 0;
    const uint32_t *a = pairs_of(w->r, c->kind, c->index, &na);
    if (c->index2 == COR_NONE) {
        *n = na;
        return a;
    }
    const uint32_t *b = pairs_of(w->r, c->kind2, c->index2, &nb);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (j == nb || (i < na && a[i] < b[j])) w->pairs[m++] = a[i++];
        else if (i == na || b[j] < a[i]) w->pairs[m++] = b[j++];
        else w->pairs[m++] = a[i++], j++;
    }
    *n = m;
    return w->pairs;
}

/* An entry that cut off every pair it affected has no detour to measure: its hours, USD and
 * CO2 are unknown (NaN), not 0 — a sum over no connected pair would read as "costs nothing".
 * extra_cost stays 0: it is the ranking's key, after unserved demand. */
static void no_detour_unknown(cor_criticality *c)
{
    if (c->pairs_affected == 0 || c->pairs_disconnected < c->pairs_affected) return;
    c->extra_hours = c->extra_usd = c->extra_co2_kg = NAN;
}

/* Re-runs the pairs of one entry with its element(s) banned. */
static bool assess(worker *w, cor_criticality *c)
{
    const run *r = w->r;
    w->n_arcs = w->n_states = 0;
    ban_element(w, c->kind, c->index);
    if (c->index2 != COR_NONE) ban_element(w, c->kind2, c->index2);
    size_t n;
    const uint32_t *pairs = affected(w, c, &n);
    for (size_t i = 0; i < n; i++) {
        const cor_demand *d = &r->demand[pairs[i]];
        const cor_totals *was = &r->base[pairs[i]].totals;
        cor_totals t;
        if (!cor_query_totals_without(w->q, d->from, d->to, w->arcs, w->n_arcs, w->states,
                                      w->n_states, true, &t))
            return false;
        c->pairs_affected++;
        if (isinf(t.cost)) {
            c->pairs_disconnected++;
            c->unserved += d->quantity;
            continue;
        }
        double dh = t.hours - was->hours;
        c->extra_cost += d->quantity * (t.cost - was->cost);
        c->extra_hours += d->quantity * dh;
        c->extra_usd += d->quantity * (t.usd - was->usd);
        c->extra_co2_kg += d->quantity * (t.co2_kg - was->co2_kg);
        if (isfinite(dh)) c->delay_tonne_hours += d->quantity * dh;
    }
    no_detour_unknown(c);
    c->evaluated = true;
    return true;
}

/* The arcs an entry closes, for the index: a link's arcs, every arc into or out of a node's
 * states; false when out of memory. */
static bool closed_push(worker *w, uint32_t a)
{
    if (w->n_closed == w->cap_closed) {
        size_t cap = w->cap_closed ? 2 * w->cap_closed : 64;
        uint32_t *c = realloc(w->closed, cap * sizeof *c);
        double *o = c ? realloc(w->open_w, cap * sizeof *o) : NULL;
        double *f = o ? realloc(w->inf_w, cap * sizeof *f) : NULL;
        if (c) w->closed = c;
        if (o) w->open_w = o;
        if (f) w->inf_w = f;
        if (!f) return false;
        w->cap_closed = cap;
    }
    w->open_w[w->n_closed] = cor_cch_metric_input_weight(w->metric, a);
    w->inf_w[w->n_closed] = INFINITY;
    w->closed[w->n_closed++] = a;
    return true;
}

static bool close_element(worker *w, cor_element_kind kind, uint32_t e)
{
    const run *r = w->r;
    const cor_graph *g = r->g;
    bool ok = true;
    if (kind == COR_ELEMENT_LINK) {
        for (uint32_t i = r->link_first[e]; ok && i < r->link_first[e + 1]; i++)
            ok = closed_push(w, r->link_arcs[i]);
        return ok;
    }
    for (uint32_t s = cor_g_first_state(g, e); ok && s < cor_g_first_state(g, e + 1); s++) {
        for (uint32_t a = g->first_out[s]; ok && a < g->first_out[s + 1]; a++) ok = closed_push(w, a);
        for (uint32_t b = g->first_in[s]; ok && b < g->first_in[s + 1]; b++)
            ok = closed_push(w, g->in_arc[b]);
    }
    return ok;
}

/* assess through the index: close, answer the pairs, reopen. */
static bool assess_indexed(worker *w, cor_criticality *c)
{
    const run *r = w->r;
    size_t n;
    const uint32_t *pairs = affected(w, c, &n);
    if (n == 0) { /* no route uses it: nothing to close (most elements of a road graph) */
        c->evaluated = true;
        return true;
    }
    w->n_closed = 0;
    bool ok = close_element(w, c->kind, c->index) &&
              (c->index2 == COR_NONE || close_element(w, c->kind2, c->index2));
    cor_error err;
    cor_error_init(&err);
    ok = ok && cor_cch_customize_partial(w->metric, w->closed, w->inf_w, w->n_closed, &err) == COR_OK;
    for (size_t i = 0; ok && i < n; i++) {
        const cor_demand *d = &r->demand[pairs[i]];
        const cor_totals *was = &r->base[pairs[i]].totals;
        cor_route route;
        cor_route_init(&route);
        cor_status st = cor_route_shortest(w->q, d->from, d->to, &route, &err);
        c->pairs_affected++;
        if (st == COR_ERR_NO_ROUTE) {
            c->pairs_disconnected++;
            c->unserved += d->quantity;
        } else if (st != COR_OK) {
            ok = false;
        } else {
            const cor_totals *t = &route.totals;
            double dh = t->hours - was->hours;
            c->extra_cost += d->quantity * (t->cost - was->cost);
            c->extra_hours += d->quantity * dh;
            c->extra_usd += d->quantity * (t->usd - was->usd);
            c->extra_co2_kg += d->quantity * (t->co2_kg - was->co2_kg);
            if (isfinite(dh)) c->delay_tonne_hours += d->quantity * dh;
        }
        cor_route_clear(&route);
        cor_error_clear(&err);
    }
    /* reopened (an arc listed twice has its open weight twice) */
    ok = ok && cor_cch_customize_partial(w->metric, w->closed, w->open_w, w->n_closed, &err) == COR_OK;
    cor_error_clear(&err);
    no_detour_unknown(c);
    c->evaluated = ok;
    return ok;
}

/* Takes chunks of entries until none is left, the run is stopped or something failed. */
static void *work(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t from = r->next, to = from + r->chunk;
        if (to > r->n_entries) to = r->n_entries;
        r->next = to;
        bool go = !r->stop && !r->failed && from < to;
        pthread_mutex_unlock(&r->lock);
        if (!go) break;
        bool ok = true;
        for (size_t i = from; ok && i < to; i++)
            ok = w->metric ? assess_indexed(w, &r->entries[i]) : assess(w, &r->entries[i]);
        pthread_mutex_lock(&r->lock);
        if (!ok) r->failed = true;
        r->progress_done += to - from;
        if (ok && r->progress && r->progress->fn &&
            !r->progress->fn(r->progress->ctx, r->progress_done, r->progress_total))
            r->stop = true;
        pthread_mutex_unlock(&r->lock);
    }
    return NULL;
}

static unsigned thread_count(unsigned threads, size_t work_items)
{
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (unsigned)cores : 1;
    }
    if (threads > work_items) threads = work_items ? (unsigned)work_items : 1;
    return threads;
}

/* Evaluates r->entries[0 .. n) on `threads` threads (the caller's among them). */
static bool run_entries(run *r, cor_criticality *entries, size_t n, unsigned threads)
{
    r->entries = entries;
    r->n_entries = n;
    r->next = 0;
    r->chunk = n / 256 > 0 ? n / 256 : 1;
    threads = thread_count(threads, n);
    worker *w = calloc(threads, sizeof *w);
    pthread_t *tid = calloc(threads, sizeof *tid);
    bool ok = w && tid;
    const bool indexed = r->g->cch && r->g->cch_metric;
    for (unsigned t = 0; ok && t < threads; t++) {
        w[t].r = r;
        if (indexed) { /* the shared graph's arrays, this worker's metric */
            w[t].gw = *r->g;
            w[t].metric = cch_metric_clone(r->g->cch_metric);
            w[t].gw.cch_metric = w[t].metric;
            w[t].gw.index_generation++;
            if (!w[t].metric) {
                ok = false;
                break;
            }
        }
        w[t].q = cor_route_query_new(indexed ? &w[t].gw : r->g);
        w[t].arcs = malloc((2 * r->most_arcs + 1) * sizeof *w[t].arcs);
        w[t].pairs = malloc((r->n_demand + 1) * sizeof *w[t].pairs);
        ok = w[t].q && w[t].arcs && w[t].pairs;
    }
    unsigned started = 0;
    for (unsigned t = 0; ok && t + 1 < threads; t++)
        if (pthread_create(&tid[t], NULL, work, &w[t]) == 0) started++;
    if (ok) work(&w[threads - 1]); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++) pthread_join(tid[t], NULL);
    for (unsigned t = 0; w && t < threads; t++) {
        cor_route_query_free(w[t].q);
        cor_cch_metric_free(w[t].metric);
        free(w[t].arcs);
        free(w[t].pairs);
        free(w[t].closed);
        free(w[t].open_w);
        free(w[t].inf_w);
    }
    free(w);
    free(tid);
    return ok && !r->failed;
}

/* The extra cost as ranked: to 30 bits of mantissa (9 significant digits), so that what the
 * last bits of a sum say — which differ between the exact search and the index, which add
 * a route's arcs in other orders — does not reorder elements that cost the same. */
static double ranked_cost(double v)
{
    if (v == 0 || !isfinite(v)) return v;
    int e;
    double m = frexp(v, &e);
    return ldexp(nearbyint(m * 0x1p30) / 0x1p30, e);
}

static int rank_cmp(const void *pa, const void *pb)
{
    const cor_criticality *x = pa, *y = pb;
    if (x->unserved != y->unserved) return x->unserved < y->unserved ? 1 : -1;
    double cx = ranked_cost(x->extra_cost), cy = ranked_cost(y->extra_cost);
    if (cx != cy) return cx < cy ? 1 : -1;
    if (x->pairs_affected != y->pairs_affected) return x->pairs_affected < y->pairs_affected ? 1 : -1;
    if (x->kind != y->kind) return x->kind == COR_ELEMENT_LINK ? -1 : 1;
    if (x->index != y->index) return x->index < y->index ? -1 : 1;
    if (x->kind2 != y->kind2) return x->kind2 == COR_ELEMENT_LINK ? -1 : 1;
    return (x->index2 > y->index2) - (x->index2 < y->index2);
}

void cor_criticality_rank(cor_criticality *c, size_t n)
{
    qsort(c, n, sizeof *c, rank_cmp);
}

void cor_criticality_result_clear(cor_criticality_result *r)
{
    free(r->single);
    free(r->pairs);
    memset(r, 0, sizeof *r);
}

static cor_criticality entry(cor_element_kind kind, uint32_t index)
{
    return (cor_criticality){.kind = kind, .index = index, .kind2 = kind, .index2 = COR_NONE};
}

/* Every pair among the first `want` ranked single elements that affect some demand. */
static cor_criticality *candidate_pairs(const cor_criticality *single, size_t n, size_t want,
                                        size_t *n_cand, size_t *n_pairs)
{
    cor_criticality *ranked = malloc((n + 1) * sizeof *ranked);
    if (!ranked) return NULL;
    memcpy(ranked, single, n * sizeof *ranked);
    cor_criticality_rank(ranked, n);
    size_t c = 0;
    while (c < n && c < want && ranked[c].pairs_affected > 0) c++;
    cor_criticality *pairs = malloc((c * (c - (c > 0)) / 2 + 1) * sizeof *pairs);
    size_t m = 0;
    for (size_t i = 0; pairs && i < c; i++)
        for (size_t j = i + 1; j < c; j++) {
            const cor_criticality *a = &ranked[i], *b = &ranked[j];
            if (b->kind < a->kind || (b->kind == a->kind && b->index < a->index)) {
                const cor_criticality *t = a;
                a = b;
                b = t;
            }
            pairs[m] = entry(a->kind, a->index);
            pairs[m].kind2 = b->kind;
            pairs[m++].index2 = b->index;
        }
    free(ranked);
    *n_cand = c;
    *n_pairs = m;
    return pairs;
}

static void run_free(run *r, base_route *base, size_t n_demand)
{
    for (size_t k = 0; base && k < n_demand; k++) {
        free(base[k].links);
        free(base[k].nodes);
    }
    free(base);
    free(r->lix.first);
    free(r->lix.pairs);
    free(r->nix.first);
    free(r->nix.pairs);
    free(r->link_first);
    free(r->link_arcs);
    pthread_mutex_destroy(&r->lock);
}

cor_status cor_criticality_run(const cor_network *net, const cor_criticality_spec *spec,
                               cor_criticality_result *out, cor_error *err)
{
    memset(out, 0, sizeof *out);
    unsigned k = spec->k ? spec->k : 1;
    if (k > 2)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "k",
                             "failures at once: 1 or 2, not %u", k);
    cor_status st = criticality_index_fits(spec->n_demand, 0, "links", err);
    if (st != COR_OK) return st;
    cor_graph *g = NULL;
    st = cor_graph_compile(&g, net, spec->profile, err);
    if (st != COR_OK) return st;
    net = g->net; /* the scenario's own network when it changes figures or adds links */
    size_t nd = spec->n_demand;
    run r = {.g = g, .demand = spec->demand, .progress = spec->progress};
    pthread_mutex_init(&r.lock, NULL);
    cor_route_query *q = cor_route_query_new(g);
    base_route *base = calloc(nd + 1, sizeof *base);
    r.base = base;
    size_t total = (spec->links ? net->n_links : 0) + (spec->nodes ? net->n_nodes : 0);
    out->single = calloc(total + 1, sizeof *out->single);
    bool ok = q && base && out->single &&
              arcs_by_link(g, &r.link_first, &r.link_arcs, &r.most_arcs);
    if (ok && (st = base_routes(q, net, spec->demand, nd, base, err)) != COR_OK) ok = false;
    else if (ok && !index_fits(base, nd, &st, err))
        ok = false;
    else if (ok)
        ok = build_index(base, nd, net->n_links, false, &r.lix) &&
             build_index(base, nd, net->n_nodes, true, &r.nix);
    cor_route_query_free(q);
    for (size_t i = 0; ok && i < nd; i++) out->n_pairs_routed += isfinite(base[i].cost);
    size_t m = 0;
    for (uint32_t l = 0; ok && spec->links && l < net->n_links; l++)
        out->single[m++] = entry(COR_ELEMENT_LINK, l);
    for (uint32_t v = 0; ok && spec->nodes && v < net->n_nodes; v++)
        out->single[m++] = entry(COR_ELEMENT_NODE, v);
    out->n_single = m;
    /* k = 2 pairs are not known before the singles are done: progress counts the singles,
     * then restarts its total with the pairs. */
    r.progress_total = m;
    r.n_demand = nd;
    if (ok) ok = run_entries(&r, out->single, m, spec->threads);
    if (ok && k == 2 && !r.stop) {
        out->pairs = candidate_pairs(out->single, m, spec->candidates ? spec->candidates : 20,
                                     &out->candidates, &out->n_pairs);
        r.progress_done = 0;
        r.progress_total = out->n_pairs;
        ok = out->pairs && run_entries(&r, out->pairs, out->n_pairs, spec->threads);
        if (ok) cor_criticality_rank(out->pairs, out->n_pairs);
    }
    if (!ok && st == COR_OK) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    else if (st == COR_OK && r.stop) {
        size_t done = 0;
        for (size_t i = 0; i < m; i++) done += out->single[i].evaluated;
        st = cor_error_add(err, COR_ERR_CANCELLED, NULL, -1, -1, NULL,
                           "stopped: %zu of %zu elements assessed", done, m);
    }
    run_free(&r, base, nd);
    cor_graph_free(g);
    if (st != COR_OK && st != COR_ERR_CANCELLED) cor_criticality_result_clear(out);
    return st;
}

/* ---------------------------------------------------------------- throughput */

/* A copy of the profile's avoid list with one more id at the end. */
static const char **avoid_plus(const char *const *list, size_t n)
{
    const char **out = malloc((n + 2) * sizeof *out);
    if (out && n) memcpy(out, list, n * sizeof *out);
    return out;
}

cor_status cor_throughput_criticality(const cor_network *net, const cor_flow_spec *spec,
                                      bool links, bool nodes, const cor_progress *progress,
                                      double *base, double **lost, size_t *n, cor_error *err)
{
    *lost = NULL;
    *n = 0;
    cor_flow_result r;
    cor_status st = cor_maxflow(net, spec, &r, err);
    if (st != COR_OK) return st;
    *base = r.value;
    if (isinf(r.value)) {
        char path[512] = "";
        size_t len = 0;
        for (size_t i = 0; i < r.n_open_path && len + 1 < sizeof path; i++)
            len += (size_t)snprintf(path + len, sizeof path - len, "%s%s", i ? " > " : "",
                                    cor_net_node(net, r.open_path[i])->id);
        cor_flow_result_clear(&r);
        return cor_error_add(err, COR_ERR_NO_ROUTE, NULL, -1, -1, "capacity",
                             "the flow has no limit: no capacity figure anywhere on %s, so "
                             "losing an element cannot be measured", path);
    }
    cor_profile p;
    if (spec->profile) p = *spec->profile;
    else cor_profile_init(&p);
    const char **al = avoid_plus(p.avoid_links, p.n_avoid_links);
    const char **an = avoid_plus(p.avoid_nodes, p.n_avoid_nodes);
    size_t total = (links ? net->n_links : 0) + (nodes ? net->n_nodes : 0);
    double *out = calloc(total + 1, sizeof *out);
    if (!al || !an || !out) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    size_t m = 0, done = 0;
    for (size_t i = 0; st == COR_OK && i < total; i++, m++) {
        bool is_link = links && i < net->n_links;
        uint32_t e = (uint32_t)(is_link ? i : i - (links ? net->n_links : 0));
        double carried = is_link ? fabs(r.link_flow[e]) : r.node_flow[e];
        if (carried > 0) {
            cor_profile pe = p;
            cor_flow_spec se = *spec;
            se.profile = &pe;
            if (is_link) {
                al[p.n_avoid_links] = cor_net_link(net, e)->id;
                pe.avoid_links = al;
                pe.n_avoid_links = p.n_avoid_links + 1;
            } else {
                an[p.n_avoid_nodes] = cor_net_node(net, e)->id;
                pe.avoid_nodes = an;
                pe.n_avoid_nodes = p.n_avoid_nodes + 1;
            }
            cor_flow_result without;
            if ((st = cor_maxflow(net, &se, &without, err)) != COR_OK) break;
            out[m] = r.value - without.value;
            cor_flow_result_clear(&without);
        }
        if (progress && progress->fn && (++done % 64 == 0 || i + 1 == total) &&
            !progress->fn(progress->ctx, i + 1, total))
            st = cor_error_add(err, COR_ERR_CANCELLED, NULL, -1, -1, NULL,
                               "stopped: %zu of %zu elements assessed", i + 1, total);
    }
    cor_flow_result_clear(&r);
    free(al);
    free(an);
    if (st != COR_OK && st != COR_ERR_CANCELLED) {
        free(out);
        return st;
    }
    *lost = out;
    *n = m;
    return st;
}
