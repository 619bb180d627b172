/*
 * describe.c — what a network holds, for a reader who has never seen it (the map page,
 * `/v1/info`): the measures its routes can report, the objectives it can be routed on,
 * the box it covers, and a small demand that stands for its traffic.
 *
 * The idea: the page must not guess from one network what another holds. Every answer
 * is read from the links a profile lets through, with the same filter and the same
 * per-link measures as routing, so "this network has hours" means exactly "a graph for
 * time compiles and no route's hours are unknown".
 *
 * The trade-off of the stand-in demand: a network that names its own pairs (the file's
 * "demand") is taken at its word; otherwise a handful of places spread as far apart as
 * possible (farthest-point sampling) — cheap (k passes over the nodes), deterministic, and
 * it touches every part of the network, but it is no estimate of real flows, and says so.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const measure_names[] = {"hours", "usd", "co2_kg", "km"};

const char *cor_measure_name(cor_measure m)
{
    return (unsigned)m < COR_MEASURE_COUNT ? measure_names[m] : NULL;
}

/* The measures and objectives one direction of a link has, as bit sets. */
static void direction_has(const cor_network *net, const cor_link *l, bool reversed,
                          unsigned *measures, unsigned *objectives)
{
    cor_measures m;
    cor_link_measures(net, l, reversed, &m);
    const double v[COR_MEASURE_COUNT] = {m.hours, m.usd, m.co2_kg, m.km};
    unsigned have = 0, can = 0;
    for (int k = 0; k < COR_MEASURE_COUNT; k++)
        if (isfinite(v[k])) have |= 1u << k;
    cor_profile p;
    cor_profile_init(&p);
    for (int o = 0; cor_objective_name((cor_objective)o); o++) {
        p.objective = (cor_objective)o;
        if (isfinite(cor_objective_value(&p, &m))) can |= 1u << o;
    }
    *measures &= have;
    *objectives &= can;
}

cor_status cor_network_measures(const cor_network *net, const cor_profile *p, unsigned *measures,
                                unsigned *objectives, cor_error *err)
{
    cor_filter f;
    cor_status st = cor_filter_init(&f, net, p, err);
    *measures = *objectives = 0;
    if (st != COR_OK) return st;
    unsigned have = ~0u, can = ~0u;
    bool any = false;
    for (uint32_t i = 0; i < f.net->n_links; i++) {
        const cor_link *l = cor_net_link(f.net, i);
        if (!(l->forward || l->backward) || !cor_filter_link(&f, i)) continue;
        any = true;
        if (l->forward) direction_has(f.net, l, false, &have, &can);
        if (l->backward) direction_has(f.net, l, true, &have, &can);
    }
    cor_filter_clear(&f);
    if (any) {
        *measures = have & ((1u << COR_MEASURE_COUNT) - 1);
        *objectives = can;
    }
    return COR_OK;
}

static void widen(double box[4], double lon, double lat)
{
    if (lon < box[0]) box[0] = lon;
    if (lat < box[1]) box[1] = lat;
    if (lon > box[2]) box[2] = lon;
    if (lat > box[3]) box[3] = lat;
}

bool cor_network_bbox(const cor_network *net, double box[4])
{
    double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < net->n_nodes; i++)
        if (!isnan(cor_net_node(net, i)->lon)) widen(b, cor_net_node(net, i)->lon, cor_net_node(net, i)->lat);
    for (size_t i = 0; i < net->n_coords; i++) widen(b, net->coords[2 * i], net->coords[2 * i + 1]);
    if (!(b[0] <= b[2])) return false;
    memcpy(box, b, sizeof b);
    return true;
}

/* ---------------------------------------------------------------- the stand-in demand */

static uint32_t root_of(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) v = parent[v] = parent[parent[v]]; /* path halving */
    return v;
}

/* comp[v] = 1 for the nodes of the largest piece joined by usable links (ties: the piece
 * with the lowest node index), else 0. */
static cor_status largest_piece(const cor_filter *f, uint8_t *comp, cor_error *err)
{
    const cor_network *net = f->net;
    uint32_t *parent = malloc((net->n_nodes + 1) * sizeof *parent);
    uint32_t *size = calloc(net->n_nodes + 1, sizeof *size);
    if (!parent || !size) {
        free(parent);
        free(size);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    for (uint32_t v = 0; v < net->n_nodes; v++) parent[v] = v;
    for (uint32_t i = 0; i < net->n_links; i++) {
        const cor_link *l = cor_net_link(net, i);
        if (!(l->forward || l->backward) || !cor_filter_link(f, i)) continue;
        comp[l->from] = comp[l->to] = 1; /* touched */
        uint32_t a = root_of(parent, l->from), b = root_of(parent, l->to);
        if (a != b) parent[a > b ? a : b] = a < b ? a : b;
    }
    /* a root is its piece's lowest node index (unions keep the lower): ties go to it */
    uint32_t best = COR_NONE;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (comp[v]) size[root_of(parent, v)]++;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (size[v] && (best == COR_NONE || size[v] > size[best])) best = v;
    for (uint32_t v = 0; v < net->n_nodes; v++) comp[v] = comp[v] && root_of(parent, v) == best;
    free(parent);
    free(size);
    return COR_OK;
}

static bool place_kind(const cor_node *n)
{
    static const char *const kinds[] = {"city", "seaport", "rail_terminal", "dry_port"};
    for (size_t k = 0; n->kind && k < sizeof kinds / sizeof *kinds; k++)
        if (strcmp(n->kind, kinds[k]) == 0) return true;
    return false;
}

static void unit_vector(const cor_node *n, double u[3])
{
    double lon = n->lon * M_PI / 180, lat = n->lat * M_PI / 180;
    u[0] = cos(lat) * cos(lon), u[1] = cos(lat) * sin(lon), u[2] = sin(lat);
}

/* Keeps in cand[] the places among the piece's nodes; returns how many. */
static size_t candidates(const cor_network *net, const uint8_t *comp, uint32_t *cand)
{
    size_t n = 0, kinds = 0;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (comp[v] && !isnan(cor_net_node(net, v)->lon)) kinds += place_kind(cor_net_node(net, v));
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (comp[v] && !isnan(cor_net_node(net, v)->lon) && (kinds < 2 || place_kind(cor_net_node(net, v))))
            cand[n++] = v;
    return n;
}

/* Farthest-point sampling of up to k of the n candidates into pick[]; returns how many.
 * near[i]: the largest cosine between candidate i and a picked one (lower is farther). */
static size_t spread(const cor_network *net, const uint32_t *cand, size_t n, size_t k,
                     double *near, uint32_t *pick)
{
    double c[3] = {0, 0, 0}, u[3];
    for (size_t i = 0; i < n; i++) {
        unit_vector(cor_net_node(net, cand[i]), u);
        c[0] += u[0], c[1] += u[1], c[2] += u[2];
    }
    for (size_t i = 0; i < n; i++) {
        unit_vector(cor_net_node(net, cand[i]), u);
        near[i] = u[0] * c[0] + u[1] * c[1] + u[2] * c[2]; /* first pick: farthest from c */
    }
    size_t m = 0;
    while (m < k && m < n) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (near[i] < near[best] - 1e-12) best = i; /* ties (within rounding): lower index */
        if (m && near[best] >= 1.0) break; /* only places on a picked one remain */
        double b[3];
        unit_vector(cor_net_node(net, cand[best]), b);
        pick[m++] = cand[best];
        for (size_t i = 0; i < n; i++) {
            unit_vector(cor_net_node(net, cand[i]), u);
            double d = u[0] * b[0] + u[1] * b[1] + u[2] * b[2];
            if (m == 1 || d > near[i]) near[i] = d;
        }
        near[best] = INFINITY;
    }
    return m;
}

/* Every pair (pick i, pick j > i), one unit each. */
static cor_status pairs_of(const uint32_t *pick, size_t m, cor_demand **out, size_t *n,
                           cor_error *err)
{
    *out = malloc((m * (m - 1) / 2 + 1) * sizeof **out);
    if (!*out) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 1; j < m; j++) (*out)[(*n)++] = (cor_demand){pick[i], pick[j], 1.0};
    return COR_OK;
}

cor_status cor_network_reference_demand(const cor_network *net, const cor_profile *p, size_t k,
                                        cor_demand **out, size_t *n, cor_error *err)
{
    *out = NULL;
    *n = 0;
    if (k < 2 || k > 64)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "k",
                             "a stand-in demand needs 2 to 64 places, not %zu", k);
    if (net->n_demand) {
        if (!(*out = malloc(net->n_demand * sizeof **out)))
            return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        memcpy(*out, net->demand, net->n_demand * sizeof **out);
        *n = net->n_demand;
        return COR_OK;
    }
    cor_filter f;
    cor_status st = cor_filter_init(&f, net, p, err);
    if (st != COR_OK) return st;
    size_t nn = f.net->n_nodes;
    uint8_t *comp = calloc(nn + 1, 1);
    uint32_t *cand = malloc((nn + 1) * sizeof *cand), pick[64];
    double *near = malloc((nn + 1) * sizeof *near);
    if (!comp || !cand || !near)
        st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    else st = largest_piece(&f, comp, err);
    if (st != COR_OK) goto fail;
    size_t m = spread(f.net, cand, candidates(f.net, comp, cand), k, near, pick);
    if (m < 2) {
        st = cor_error_add(err, COR_ERR_INPUT, net->file, -1, -1, NULL,
                           "fewer than two places with a position are joined by usable links");
        goto fail;
    }
    st = pairs_of(pick, m, out, n, err);
fail:
    cor_filter_clear(&f);
    free(comp);
    free(cand);
    free(near);
    return st;
}

size_t cor_network_default_profiles(const cor_network *net, cor_profile *out, size_t max)
{
    cor_profile p;
    cor_profile_init(&p);
    unsigned measures = 0, objectives = 0;
    cor_error err;
    cor_error_init(&err);
    (void)cor_network_measures(net, &p, &measures, &objectives, &err);
    cor_error_clear(&err);
    static const cor_objective wanted[] = {COR_OPT_COST, COR_OPT_TIME, COR_OPT_DISTANCE};
    size_t n = 0;
    bool cost = objectives & (1u << COR_OPT_COST);
    for (size_t i = 0; i < sizeof wanted / sizeof *wanted && n < max; i++) {
        if (!(objectives & (1u << wanted[i])) || (cost && i > 0)) continue;
        cor_profile_init(&out[n]);
        out[n++].objective = wanted[i];
    }
    if (n == 0 && max > 0) cor_profile_init(&out[n++]); /* cost: its compile error says why */
    return n;
}
