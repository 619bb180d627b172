/*
 * compare.c — the named corridors side by side: for each, the best route that keeps to
 * the corridor (its waypoint groups, countries and modes) under the caller's objective.
 *
 * Each corridor gets its own compiled graph, since its filters differ: on corridor-sized
 * networks a compile costs far less than the searches, and it keeps the search code
 * free of per-arc tests. A waypoint group with several nodes (Aktau or Kuryk, Alat or
 * Baku) is an "any of": every combination is routed and the cheapest kept.
 */
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMBINATIONS 4096

void cor_compare_clear(cor_corridor_result *results, size_t n)
{
    for (size_t i = 0; i < n; i++) cor_route_clear(&results[i].route);
}

/* The caller's profile narrowed to the corridor; *countries owns the merged list. */
static bool corridor_profile(const cor_profile *base, const cor_corridor *c, cor_profile *p,
                             const char ***countries)
{
    *p = *base;
    size_t n = base->n_avoid_countries + c->n_avoid_countries;
    *countries = malloc((n + 1) * sizeof **countries);
    if (!*countries) return false;
    for (size_t i = 0; i < base->n_avoid_countries; i++) (*countries)[i] = base->avoid_countries[i];
    for (size_t i = 0; i < c->n_avoid_countries; i++)
        (*countries)[base->n_avoid_countries + i] = c->avoid_countries[i];
    p->avoid_countries = *countries;
    p->n_avoid_countries = n;
    if (c->modes) p->modes = base->modes ? base->modes & c->modes : c->modes;
    return true;
}

/* A corridor whose modes and the caller's have nothing in common cannot serve (a mode
 * set of 0 would mean "all modes" to the compiler). */
static bool modes_disjoint(const cor_profile *base, const cor_corridor *c)
{
    return base->modes && c->modes && !(base->modes & c->modes);
}

static void mark_extremes(cor_corridor_result *r)
{
    r->slowest_leg = r->dearest_leg = -1;
    for (size_t i = 0; i < r->route.n_legs; i++) {
        const cor_leg *leg = &r->route.legs[i];
        if (!isnan(leg->hours) &&
            (r->slowest_leg < 0 || leg->hours > r->route.legs[r->slowest_leg].hours))
            r->slowest_leg = (long)i;
        if (!isnan(leg->usd) &&
            (r->dearest_leg < 0 || leg->usd > r->route.legs[r->dearest_leg].usd))
            r->dearest_leg = (long)i;
    }
}

/* Routes every combination of waypoints; keeps the cheapest in r->route. */
static cor_status route_corridor(cor_route_query *q, const cor_corridor *c, uint32_t from,
                                 uint32_t to, cor_corridor_result *r, cor_error *err)
{
    size_t combos = 1;
    for (size_t g = 0; g < c->n_groups && combos <= MAX_COMBINATIONS; g++)
        combos *= c->group_end[g] - (g ? c->group_end[g - 1] : 0);
    if (combos > MAX_COMBINATIONS)
        return cor_error_add(err, COR_ERR_INPUT, NULL, -1, -1, "corridors.through",
                             "corridor '%s' has more than %d waypoint combinations", c->id,
                             MAX_COMBINATIONS);
    uint32_t *stops = malloc((c->n_groups + 2) * sizeof *stops);
    if (!stops) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    r->status = COR_ERR_NO_ROUTE;
    cor_status st = COR_OK;
    for (size_t k = 0; k < combos && st == COR_OK; k++) {
        size_t rest = k, n = 0;
        stops[n++] = from;
        for (size_t g = 0; g < c->n_groups; g++) {
            size_t start = g ? c->group_end[g - 1] : 0, size = c->group_end[g] - start;
            stops[n++] = c->through[start + rest % size];
            rest /= size;
        }
        stops[n++] = to;
        cor_route candidate;
        cor_error quiet;
        cor_error_init(&quiet);
        cor_status got = cor_route_via(q, stops, n, &candidate, &quiet);
        if (got == COR_OK && (r->status != COR_OK || candidate.totals.cost < r->route.totals.cost)) {
            cor_route_clear(&r->route);
            r->route = candidate;
            r->status = COR_OK;
        } else {
            cor_route_clear(&candidate);
        }
        if (got != COR_OK && got != COR_ERR_NO_ROUTE) /* a real failure, not "no way" */
            st = cor_error_add(err, got, NULL, -1, -1, NULL, "%s",
                               quiet.count ? quiet.problems[0].message : "routing failed");
        cor_error_clear(&quiet);
    }
    free(stops);
    if (r->status == COR_OK) mark_extremes(r);
    return st;
}

cor_status cor_compare(const cor_network *net, const cor_profile *base, uint32_t from,
                       uint32_t to, cor_corridor_result *out, cor_error *err)
{
    cor_status st = COR_OK;
    if (from >= net->n_nodes || to >= net->n_nodes)
        return cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, NULL, "node index out of range");
    for (size_t i = 0; i < net->n_corridors; i++) {
        cor_route_init(&out[i].route);
        out[i].corridor = (uint32_t)i;
        out[i].status = COR_ERR_NO_ROUTE;
        out[i].slowest_leg = out[i].dearest_leg = -1;
    }
    for (size_t i = 0; i < net->n_corridors && st == COR_OK; i++) {
        const cor_corridor *c = &net->corridors[i];
        cor_profile p;
        const char **countries = NULL;
        cor_graph *g = NULL;
        cor_route_query *q = NULL;
        if (modes_disjoint(base, c)) continue;
        if (!corridor_profile(base, c, &p, &countries))
            st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        else if ((st = cor_graph_compile(&g, net, &p, err)) == COR_OK) {
            if (!(q = cor_route_query_new(g)))
                st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
            else st = route_corridor(q, c, from, to, &out[i], err);
        }
        cor_route_query_free(q);
        cor_graph_free(g);
        free(countries);
    }
    if (st != COR_OK) cor_compare_clear(out, net->n_corridors);
    return st;
}
