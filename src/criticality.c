/*
 * criticality.c — what the loss of each link or node costs an origin-destination demand.
 *
 * The naive way re-runs every pair for every removed element. Here each pair's best route
 * is found once; an inverted index lists, for every element, the pairs whose route uses
 * it; and only those pairs are searched again, with the element banned through the query's
 * ban stamps (no graph is rebuilt). A pair whose route avoids an element loses nothing
 * when it goes, so the answer is the same as the naive one, at a fraction of the work.
 */
#include "graph_internal.h"
#include "network_internal.h"
#include "route_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct base_route {
    double cost;
    uint32_t *links, *nodes; /* distinct elements the route uses */
    size_t n_links, n_nodes;
} base_route;

/* Inverted index: element e's pairs are pairs[first[e] .. first[e+1]). */
typedef struct pair_index {
    uint32_t *first, *pairs;
} pair_index;

static bool build_index(const base_route *r, size_t n_pairs, size_t n_elements, bool nodes,
                        pair_index *ix)
{
    ix->first = calloc(n_elements + 2, sizeof *ix->first);
    size_t total = 0;
    for (size_t k = 0; k < n_pairs; k++) total += nodes ? r[k].n_nodes : r[k].n_links;
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
static bool arcs_by_link(const cor_graph *g, uint32_t **first_out, uint32_t **arcs_out)
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
    for (size_t l = 0; l < nl; l++) first[l + 2] += first[l + 1];
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if (g->arc_link[a] != COR_ARC_TRANSFER) arcs[first[(g->arc_link[a] >> 1) + 1]++] = a;
    *first_out = first;
    *arcs_out = arcs;
    return true;
}

/* Re-runs the pairs of one element with it banned. */
static bool assess(cor_route_query *q, const cor_demand *d, const base_route *base,
                   const pair_index *ix, uint32_t e, const uint32_t *arcs, size_t n_arcs,
                   const uint32_t *states, size_t n_states, cor_criticality *c)
{
    for (uint32_t i = ix->first[e]; i < ix->first[e + 1]; i++) {
        uint32_t k = ix->pairs[i];
        double dist;
        if (!cor_query_distance_without(q, d[k].from, d[k].to, arcs, n_arcs, states, n_states, &dist))
            return false;
        c->pairs_affected++;
        if (isinf(dist)) {
            c->pairs_disconnected++;
            c->unserved += d[k].quantity;
        } else {
            c->extra_cost += d[k].quantity * (dist - base[k].cost);
        }
    }
    return true;
}

/* What one thread needs: its own query on the shared graph, and a share of the elements. */
typedef struct worker {
    const cor_graph *g;
    const cor_demand *demand;
    const base_route *base;
    const pair_index *lix, *nix;
    const uint32_t *link_first, *link_arcs;
    cor_criticality *res;
    size_t from, to; /* the elements res[from .. to) */
    bool ok;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    cor_route_query *q = cor_route_query_new(w->g);
    w->ok = q != NULL;
    for (size_t i = w->from; w->ok && i < w->to; i++) {
        cor_criticality *c = &w->res[i];
        if (c->kind == COR_ELEMENT_LINK) {
            uint32_t l = c->index;
            w->ok = assess(q, w->demand, w->base, w->lix, l, w->link_arcs + w->link_first[l],
                           w->link_first[l + 1] - w->link_first[l], NULL, 0, c);
        } else {
            uint32_t v = c->index, s0 = cor_g_first_state(w->g, v), s1 = cor_g_first_state(w->g, v + 1);
            uint32_t states[COR_MAX_CLASSES];
            for (uint32_t s = s0; s < s1; s++) states[s - s0] = s;
            w->ok = assess(q, w->demand, w->base, w->nix, v, NULL, 0, states, s1 - s0, c);
        }
    }
    cor_route_query_free(q);
    return NULL;
}

/* Runs the workers: contiguous shares, so each result lands at its element's index. */
static bool run_workers(worker *proto, size_t n_elements, unsigned threads)
{
    if (threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (unsigned)cores : 1;
    }
    if (threads > n_elements) threads = n_elements ? (unsigned)n_elements : 1;
    worker *w = calloc(threads, sizeof *w);
    pthread_t *tid = calloc(threads, sizeof *tid);
    bool ok = w && tid;
    unsigned started = 0;
    for (unsigned t = 0; ok && t < threads; t++) {
        w[t] = *proto;
        w[t].from = n_elements * t / threads;
        w[t].to = n_elements * (t + 1) / threads;
        if (t + 1 == threads) work(&w[t]); /* the calling thread takes the last share */
        else if (pthread_create(&tid[t], NULL, work, &w[t]) == 0) started++;
        else work(&w[t]);
    }
    for (unsigned t = 0; t < started; t++) pthread_join(tid[t], NULL);
    for (unsigned t = 0; ok && t < threads; t++) ok = w[t].ok;
    free(w);
    free(tid);
    return ok;
}

cor_status cor_criticality_run(const cor_network *net, const cor_profile *profile,
                               const cor_demand *demand, size_t n_demand, bool links,
                               bool nodes, unsigned threads, cor_criticality **out, size_t *n,
                               cor_error *err)
{
    *out = NULL;
    *n = 0;
    cor_graph *g = NULL;
    cor_status st = cor_graph_compile(&g, net, profile, err);
    if (st != COR_OK) return st;
    cor_route_query *q = cor_route_query_new(g);
    base_route *base = calloc(n_demand + 1, sizeof *base);
    size_t total = (links ? net->n_links : 0) + (nodes ? net->n_nodes : 0);
    cor_criticality *res = calloc(total + 1, sizeof *res);
    pair_index lix = {0}, nix = {0};
    uint32_t *link_first = NULL, *link_arcs = NULL;
    bool ok = q && base && res && arcs_by_link(g, &link_first, &link_arcs);
    if (ok && (st = base_routes(q, net, demand, n_demand, base, err)) != COR_OK) ok = false;
    else if (ok)
        ok = (!links || build_index(base, n_demand, net->n_links, false, &lix)) &&
             (!nodes || build_index(base, n_demand, net->n_nodes, true, &nix));
    size_t m = 0;
    for (uint32_t l = 0; ok && links && l < net->n_links; l++)
        res[m++] = (cor_criticality){COR_ELEMENT_LINK, l, 0, 0, 0, 0};
    for (uint32_t v = 0; ok && nodes && v < net->n_nodes; v++)
        res[m++] = (cor_criticality){COR_ELEMENT_NODE, v, 0, 0, 0, 0};
    if (ok) {
        worker proto = {g, demand, base, &lix, &nix, link_first, link_arcs, res, 0, 0, true};
        ok = run_workers(&proto, m, threads);
    }
    if (!ok && st == COR_OK) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t k = 0; base && k < n_demand; k++) {
        free(base[k].links);
        free(base[k].nodes);
    }
    free(base);
    free(lix.first);
    free(lix.pairs);
    free(nix.first);
    free(nix.pairs);
    free(link_first);
    free(link_arcs);
    cor_route_query_free(q);
    cor_graph_free(g);
    if (st != COR_OK) {
        free(res);
        return st;
    }
    *out = res;
    *n = m;
    return COR_OK;
}
