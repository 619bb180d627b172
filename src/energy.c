/*
 * energy.c — gas security of supply: deliverable gas per region, and the EU N-1
 * infrastructure standard (Regulation (EU) 2017/1938, Annex II) for the area the regions
 * make up.
 *
 * Deliverable gas is a maximum flow. Rather than teach the flow code about regions and
 * demands, each question is put to cor_maxflow on a small "gas view": a network holding
 * only the gas links the profile lets through (as open links, with their capacities), the
 * nodes they touch, and one demand node per region, fed by unlimited links from the
 * region's sinks and holding the region's demand as its node capacity. Demand caps, "the
 * other regions first" and "this infrastructure out of service" are then plain flows on
 * the view (the last by avoiding ids, which the view shares with the network).
 *
 * The N-1 is arithmetic on technical capacities, as the Regulation defines it, not a
 * flow: EPm adds the inward capacity of every link entering the area whatever feeds it,
 * and Im is the largest single infrastructure supplying the area. The flow view appears
 * beside it only as information (what the supply can deliver with and without Im).
 *
 * Im. Annex II: "technical capacity of the single largest gas infrastructure with the
 * highest capacity to supply the calculated area. When several gas infrastructures are
 * connected to a common upstream or downstream gas infrastructure and cannot be
 * separately operated, they shall be considered as one single gas infrastructure." The
 * candidates are therefore the elements whose capacities make up the formula's terms —
 * each entry link (EPm) and each production node inside the area (Pm) — and every node
 * where two or more entry links meet (their common upstream or downstream
 * infrastructure). A network does not say whether links meeting at a node can be operated
 * separately, so they are taken as one: the reading that never overstates the N-1. The
 * alternative, "the element whose loss most reduces deliverable gas", is a flow figure
 * and not a technical capacity; it is what deliverable_without_im shows for the Im chosen.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const production_kinds[] = {"field", "production"};
static const char *const consumer_kinds[] = {"consumer_region", "demand"};

typedef struct energy_work {
    const cor_network *net;
    const cor_energy_spec *spec;
    cor_error *err;
    cor_profile profile; /* the caller's, on the gas layer */
    cor_filter filter;
    uint8_t *usable;    /* per link: a gas link the profile lets through */
    uint8_t *gas_node;  /* per node: touches a usable gas link */
    uint8_t *pure_gas;  /* per node: every link at it is on the gas layer */
    uint8_t *is_supply; /* per node */
    uint8_t *in_area;   /* per node: inside the N-1 calculated area */
    /* the gas view */
    cor_network *view;
    uint32_t *node_of;  /* node -> view node, COR_NONE when not in the view */
    uint32_t *src_node; /* view node -> node, COR_NONE for a demand node */
    uint32_t *src_link; /* view link -> link, COR_NONE for a demand link */
    uint32_t first_demand;
} energy_work;

static bool kind_in(const char *kind, const char *const *kinds, size_t n)
{
    for (size_t i = 0; kind && i < n; i++)
        if (strcmp(kind, kinds[i]) == 0) return true;
    return false;
}

static bool is_country_code(const char *s)
{
    return strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static bool same_country(const cor_node *n, const char *cc)
{
    return n->country && strcmp(n->country, cc) == 0;
}

/* ---------------------------------------------------------------- checks at the door */

/* NaN (not given) or a finite number >= 0. */
static bool optional_amount(double v)
{
    return isnan(v) || (isfinite(v) && v >= 0);
}

static cor_status check_spec(const cor_energy_spec *s, cor_error *err)
{
    if (!s->n_regions)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "region",
                             "give at least one region");
    for (size_t k = 0; k < s->n_regions; k++) {
        const cor_gas_region *r = &s->regions[k];
        if (!r->n_members)
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "region",
                                 "region %zu names no country or node", k + 1);
        if (!optional_amount(r->demand))
            return cor_error_add(
                err, COR_ERR_USAGE, NULL, -1, -1, "demand",
                "the demand of region '%s' must be a number of bcm/year >= 0, got %g",
                r->name ? r->name : r->members[0], r->demand);
    }
    if (s->others != COR_GAS_OTHERS_IGNORE && s->others != COR_GAS_OTHERS_FIRST)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "others", "unknown choice");
    if (!s->n1) return COR_OK;
    if (isnan(s->dmax))
        return cor_error_add(
            err, COR_ERR_USAGE, NULL, -1, -1, "dmax",
            "the network holds no Dmax: give the area's total daily gas demand on a "
            "day of exceptionally high demand (once in 20 years), in mcm/d");
    if (!(isfinite(s->dmax) && s->dmax > 0))
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "dmax",
                             "Dmax must be a number of mcm/d > 0, got %g", s->dmax);
    const struct {
        const char *field, *name;
        double v;
    } given[] = {{"deff", "Deff", s->deff}, {"sm", "Sm", s->sm}, {"lngm", "LNGm", s->lngm},
                 {"epm", "EPm", s->epm},    {"pm", "Pm", s->pm}, {"im", "Im", s->im}};
    for (size_t i = 0; i < sizeof given / sizeof *given; i++)
        if (!optional_amount(given[i].v))
            return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, given[i].field,
                                 "%s must be a number of mcm/d >= 0, got %g", given[i].name,
                                 given[i].v);
    if (s->deff >= s->dmax)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "deff",
                             "Deff (%g) must be less than Dmax (%g): it is the part of Dmax that "
                             "demand-side measures can cover",
                             s->deff, s->dmax);
    return COR_OK;
}

/* ---------------------------------------------------------------- the gas network */

static cor_status nomem(cor_error *err)
{
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
}

/* Which links are usable gas links, which nodes they touch, which nodes are gas only. */
static cor_status mark_gas(energy_work *w)
{
    const cor_network *net = w->net;
    if (w->spec->profile)
        w->profile = *w->spec->profile;
    else
        cor_profile_init(&w->profile);
    w->profile.layers = 1u << COR_LAYER_GAS;
    w->profile.modes = 0;
    cor_status st = cor_filter_init(&w->filter, net, &w->profile, w->err);
    if (st != COR_OK) return st;
    w->usable = calloc(net->n_links + 1, 1);
    w->gas_node = calloc(net->n_nodes + 1, 1);
    w->pure_gas = malloc(net->n_nodes + 1);
    w->is_supply = calloc(net->n_nodes + 1, 1);
    w->in_area = calloc(net->n_nodes + 1, 1);
    if (!w->usable || !w->gas_node || !w->pure_gas || !w->is_supply || !w->in_area)
        return nomem(w->err);
    memset(w->pure_gas, 1, net->n_nodes + 1);
    for (uint32_t i = 0; i < net->n_links; i++) {
        const cor_link *l = cor_net_link(net, i);
        if (l->layer != COR_LAYER_GAS) w->pure_gas[l->from] = w->pure_gas[l->to] = 0;
        if (!cor_filter_link(&w->filter, i)) continue;
        w->usable[i] = 1;
        w->gas_node[l->from] = w->gas_node[l->to] = 1;
    }
    return COR_OK;
}

static cor_status find_supply(energy_work *w, cor_energy_result *out)
{
    const cor_network *net = w->net;
    const cor_energy_spec *s = w->spec;
    for (size_t i = 0; i < s->n_supply; i++) {
        uint32_t v = cor_network_find_node(net, s->supply[i]);
        if (v == COR_NONE)
            return cor_error_add(w->err, COR_ERR_NOT_FOUND, NULL, -1, -1, "supply",
                                 "no node has the id '%s'", s->supply[i]);
        if (!w->gas_node[v])
            return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "supply",
                                 "supply node '%s' has no usable gas link", s->supply[i]);
        w->is_supply[v] = 1;
    }
    if (!s->n_supply)
        for (uint32_t v = 0; v < net->n_nodes; v++)
            if (w->gas_node[v] && kind_in(cor_net_node(net, v)->kind, production_kinds, 2))
                w->is_supply[v] = 1;
    out->supply = malloc((net->n_nodes + 1) * sizeof *out->supply);
    if (!out->supply) return nomem(w->err);
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (w->is_supply[v]) out->supply[out->n_supply++] = v;
    if (!out->n_supply)
        return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "supply",
                             "no supply: no usable gas node is of kind 'field' or 'production'; "
                             "name the supply nodes");
    return COR_OK;
}

/* Marks a country's gas sinks: its consumer nodes when it has any, else all its gas nodes. */
static size_t mark_country_sinks(const energy_work *w, const char *cc, uint8_t *sink)
{
    const cor_network *net = w->net;
    bool consumers = false;
    for (uint32_t v = 0; v < net->n_nodes && !consumers; v++)
        consumers = w->gas_node[v] && same_country(cor_net_node(net, v), cc) &&
                    kind_in(cor_net_node(net, v)->kind, consumer_kinds, 2);
    size_t n = 0;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (w->gas_node[v] && same_country(cor_net_node(net, v), cc) &&
            (!consumers || kind_in(cor_net_node(net, v)->kind, consumer_kinds, 2)))
            sink[v] = 1, n++;
    return n;
}

static cor_status resolve_member(energy_work *w, const char *m, uint8_t *sink)
{
    const cor_network *net = w->net;
    uint32_t v = cor_network_find_node(net, m);
    if (v != COR_NONE) {
        if (!w->gas_node[v])
            return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "region",
                                 "node '%s' has no usable gas link", m);
        w->in_area[v] = sink[v] = 1;
        return COR_OK;
    }
    size_t nodes = 0;
    for (uint32_t u = 0; is_country_code(m) && u < net->n_nodes; u++)
        if (same_country(cor_net_node(net, u), m)) w->in_area[u] = 1, nodes++;
    if (!nodes)
        return cor_error_add(w->err, COR_ERR_NOT_FOUND, NULL, -1, -1, "region",
                             "'%s' is neither a node id nor a country with nodes", m);
    if (!mark_country_sinks(w, m, sink))
        return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "region",
                             "country '%s' has no node on a usable gas link", m);
    return COR_OK;
}

static cor_status resolve_regions(energy_work *w, cor_energy_result *out)
{
    const cor_network *net = w->net;
    out->regions = calloc(w->spec->n_regions, sizeof *out->regions);
    uint8_t *sink = malloc(net->n_nodes + 1);
    cor_status st = out->regions && sink ? COR_OK : nomem(w->err);
    if (st == COR_OK) out->n_regions = w->spec->n_regions;
    for (size_t k = 0; st == COR_OK && k < out->n_regions; k++) {
        const cor_gas_region *r = &w->spec->regions[k];
        cor_gas_delivery *d = &out->regions[k];
        memset(sink, 0, net->n_nodes + 1);
        for (size_t i = 0; st == COR_OK && i < r->n_members; i++)
            st = resolve_member(w, r->members[i], sink);
        if (st != COR_OK) break;
        if (!(d->sinks = malloc((net->n_nodes + 1) * sizeof *d->sinks))) {
            st = nomem(w->err);
            break;
        }
        for (uint32_t v = 0; v < net->n_nodes; v++)
            if (sink[v] && !w->is_supply[v]) d->sinks[d->n_sinks++] = v;
        if (!d->n_sinks)
            st = cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "region",
                               "region '%s' has no gas node to deliver to other than supply nodes",
                               r->name ? r->name : r->members[0]);
    }
    free(sink);
    return st;
}

/* The gas view: usable gas links (open, same ids and capacities), their nodes (capacity
 * kept where the node has only gas links), then one demand node per region. */
static cor_status build_view(energy_work *w, const cor_energy_result *out)
{
    const cor_network *net = w->net;
    size_t n_regions = out->n_regions, nv = 0, nl = 0, n_demand_links = 0;
    for (size_t k = 0; k < n_regions; k++)
        n_demand_links += out->regions[k].n_sinks;
    w->node_of = malloc((net->n_nodes + 1) * sizeof *w->node_of);
    w->src_node = malloc((net->n_nodes + n_regions + 1) * sizeof *w->src_node);
    w->src_link = malloc((net->n_links + n_demand_links + 1) * sizeof *w->src_link);
    cor_builder *b = cor_builder_new("(gas view)");
    if (!w->node_of || !w->src_node || !w->src_link || !b) {
        cor_builder_free(b);
        return nomem(w->err);
    }
    char id[64];
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        w->node_of[v] = COR_NONE;
        if (!w->gas_node[v]) continue;
        cor_node n;
        cor_node_init(&n);
        n.id = cor_net_node(net, v)->id;
        if (w->pure_gas[v]) n.capacity = cor_net_node(net, v)->capacity;
        cor_builder_add_node(b, &n, -1, -1);
        w->src_node[nv] = v;
        w->node_of[v] = (uint32_t)nv++;
    }
    w->first_demand = (uint32_t)nv;
    for (size_t k = 0; k < n_regions; k++) {
        cor_node n;
        cor_node_init(&n);
        snprintf(id, sizeof id, "#demand-of-region-%zu", k + 1);
        n.id = id;
        n.capacity = w->spec->regions[k].demand;
        cor_builder_add_node(b, &n, -1, -1);
        w->src_node[nv++] = COR_NONE;
    }
    for (uint32_t i = 0; i < net->n_links; i++) {
        if (!w->usable[i]) continue;
        const cor_link *s = cor_net_link(net, i);
        cor_link l;
        cor_link_init(&l);
        l.id = s->id;
        l.from = w->node_of[s->from], l.to = w->node_of[s->to];
        l.layer = COR_LAYER_GAS, l.mode = s->mode, l.status = COR_STATUS_OPEN;
        l.forward = s->forward, l.backward = s->backward;
        l.capacity = s->capacity, l.reverse_capacity = s->reverse_capacity;
        cor_builder_add_link(b, &l, NULL, 0, -1, -1);
        w->src_link[nl++] = i;
    }
    for (size_t k = 0; k < n_regions; k++)
        for (size_t j = 0; j < out->regions[k].n_sinks; j++) {
            cor_link l;
            cor_link_init(&l);
            snprintf(id, sizeof id, "#demand-of-region-%zu-%zu", k + 1, j + 1);
            l.id = id;
            l.from = w->node_of[out->regions[k].sinks[j]], l.to = w->first_demand + (uint32_t)k;
            l.layer = COR_LAYER_GAS, l.mode = COR_MODE_PIPELINE, l.backward = false;
            cor_builder_add_link(b, &l, NULL, 0, -1, -1);
            w->src_link[nl++] = COR_NONE;
        }
    return cor_builder_finish(b, &w->view, w->err);
}

/* ---------------------------------------------------------------- flows on the view */

/* Maximum flow from the supply to the demand nodes of the regions marked in `to` (all when
 * NULL), with the given ids out of service. */
static cor_status view_flow(const energy_work *w, const cor_energy_result *out, const uint8_t *to,
                            const char *const *avoid_links, size_t n_avoid_links,
                            const char *avoid_node, cor_flow_result *r)
{
    memset(r, 0, sizeof *r);
    uint32_t *sources = malloc((out->n_supply + 1) * sizeof *sources);
    uint32_t *sinks = malloc((out->n_regions + 1) * sizeof *sinks);
    if (!sources || !sinks) {
        free(sources);
        free(sinks);
        return nomem(w->err);
    }
    size_t ns = 0;
    for (size_t k = 0; k < out->n_regions; k++)
        if (!to || to[k]) sinks[ns++] = w->first_demand + (uint32_t)k;
    for (size_t i = 0; i < out->n_supply; i++)
        sources[i] = w->node_of[out->supply[i]];
    cor_profile p;
    cor_profile_init(&p);
    p.layers = 1u << COR_LAYER_GAS;
    p.avoid_links = avoid_links, p.n_avoid_links = n_avoid_links;
    p.avoid_nodes = avoid_node ? &avoid_node : NULL, p.n_avoid_nodes = avoid_node ? 1 : 0;
    cor_flow_spec spec = {&p, sources, out->n_supply, sinks, ns, true, false};
    cor_status st = ns ? cor_maxflow(w->view, &spec, r, w->err) : COR_OK;
    free(sources);
    free(sinks);
    return st;
}

/* A region's limits and open path, from view indices to the network's. */
static cor_status keep_limits(const energy_work *w, const cor_flow_result *r, cor_gas_delivery *d)
{
    d->limits = malloc((r->n_cut + 1) * sizeof *d->limits);
    d->open_path = malloc((r->n_open_path + 1) * sizeof *d->open_path);
    if (!d->limits || !d->open_path) return nomem(w->err);
    for (size_t i = 0; i < r->n_cut; i++) {
        cor_cut_item c = r->cut[i];
        c.index = c.is_node ? w->src_node[c.index] : w->src_link[c.index];
        d->limits[d->n_limits++] = c;
    }
    for (size_t i = 0; i < r->n_open_path; i++)
        if (w->src_node[r->open_path[i]] != COR_NONE)
            d->open_path[d->n_open_path++] = w->src_node[r->open_path[i]];
    return COR_OK;
}

static cor_status deliver(energy_work *w, cor_energy_result *out)
{
    size_t n = out->n_regions;
    uint8_t *to = calloc(n + 1, 1);
    cor_flow_result all = {0}, r = {0};
    cor_status st = to ? COR_OK : nomem(w->err);
    if (st == COR_OK && w->spec->others == COR_GAS_OTHERS_FIRST)
        st = view_flow(w, out, NULL, NULL, 0, NULL, &all);
    for (size_t k = 0; st == COR_OK && k < n; k++) {
        cor_gas_delivery *d = &out->regions[k];
        for (size_t j = 0; j < n; j++)
            to[j] = w->spec->others == COR_GAS_OTHERS_FIRST ? j != k : j == k;
        if ((st = view_flow(w, out, to, NULL, 0, NULL, &r)) != COR_OK) break;
        if (w->spec->others == COR_GAS_OTHERS_IGNORE) {
            d->value = r.value;
            st = keep_limits(w, &r, d);
        } else if (isinf(r.value)) {
            const cor_gas_region *g = &w->spec->regions[k];
            st = cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "demand",
                               "the regions other than '%s' can take gas without limit: give "
                               "their demand, or capacities to their links",
                               g->name ? g->name : g->members[0]);
        } else {
            d->value = isinf(all.value) ? INFINITY : fmax(0, all.value - r.value);
        }
        cor_flow_result_clear(&r);
    }
    cor_flow_result_clear(&all);
    free(to);
    return st;
}

/* ---------------------------------------------------------------- N-1 */

static double inward(const cor_link *l, bool reversed)
{
    if (!reversed) return l->capacity;
    return isnan(l->reverse_capacity) ? l->capacity : l->reverse_capacity;
}

/* EPm's links (entering the area) and Pm's nodes (supply inside the area). */
static cor_status list_assets(const energy_work *w, cor_n1_result *n1)
{
    const cor_network *net = w->net;
    n1->entries = malloc((2 * net->n_links + 1) * sizeof *n1->entries);
    n1->production = malloc((net->n_nodes + 1) * sizeof *n1->production);
    if (!n1->entries || !n1->production) return nomem(w->err);
    for (uint32_t i = 0; i < net->n_links; i++) {
        const cor_link *l = cor_net_link(net, i);
        if (!w->usable[i]) continue;
        if (l->forward && !w->in_area[l->from] && w->in_area[l->to])
            n1->entries[n1->n_entries++] =
                (cor_gas_asset){COR_GAS_ENTRY, i, false, inward(l, false) * COR_MCM_D_PER_BCM_Y};
        if (l->backward && !w->in_area[l->to] && w->in_area[l->from])
            n1->entries[n1->n_entries++] =
                (cor_gas_asset){COR_GAS_ENTRY, i, true, inward(l, true) * COR_MCM_D_PER_BCM_Y};
    }
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        if (!w->is_supply[v] || !w->in_area[v]) continue;
        double cap = w->pure_gas[v] ? cor_net_node(net, v)->capacity : NAN;
        if (isnan(cap)) { /* no production figure: what its links can take away */
            cap = 0;
            for (uint32_t i = 0; i < net->n_links; i++) {
                const cor_link *l = cor_net_link(net, i);
                if (w->usable[i] && l->forward && l->from == v) cap += inward(l, false);
                if (w->usable[i] && l->backward && l->to == v) cap += inward(l, true);
            }
        }
        n1->production[n1->n_production++] =
            (cor_gas_asset){COR_GAS_PRODUCTION, v, false, cap * COR_MCM_D_PER_BCM_Y};
    }
    return COR_OK;
}

/* A term from the network's assets, or the given figure. */
static cor_status sum_term(const energy_work *w, const cor_gas_asset *a, size_t n, double given,
                           const char *field, const char *name, cor_n1_term *t)
{
    const cor_network *net = w->net;
    if (!isnan(given)) {
        *t = (cor_n1_term){given, COR_N1_GIVEN};
        return COR_OK;
    }
    *t = (cor_n1_term){0, COR_N1_MODEL};
    for (size_t i = 0; i < n; i++) {
        if (isnan(a[i].capacity))
            return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, field,
                                 "%s '%s' has no capacity figure, so %s is unknown: give %s",
                                 a[i].kind == COR_GAS_ENTRY ? "entry link" : "production node",
                                 a[i].kind == COR_GAS_ENTRY ? cor_net_link(net, a[i].index)->id
                                                            : cor_net_node(net, a[i].index)->id,
                                 name, name);
        t->value += a[i].capacity;
    }
    return COR_OK;
}

/* The end of an entry link outside the area, and the one inside. */
static void entry_ends(const cor_network *net, const cor_gas_asset *e, uint32_t *outside,
                       uint32_t *inside)
{
    const cor_link *l = cor_net_link(net, e->index);
    *outside = e->reversed ? l->to : l->from;
    *inside = e->reversed ? l->from : l->to;
}

/* Is a better Im than b: more capacity; on a tie, a link before a production node before
 * a junction (the most specific name), then the lower index. */
static bool larger(const cor_gas_asset *a, const cor_gas_asset *b)
{
    if (a->capacity != b->capacity) return a->capacity > b->capacity;
    if (a->kind != b->kind) return a->kind < b->kind;
    return a->index < b->index;
}

/* Junctions: nodes where two or more entry links meet; capacity = their sum, bounded by
 * the node's own capacity when it has only gas links. Appended to `cand`. */
static size_t add_junctions(const energy_work *w, const cor_n1_result *n1, cor_gas_asset *cand,
                            size_t nc)
{
    const cor_network *net = w->net;
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        size_t count = 0;
        double sum = 0;
        for (size_t i = 0; i < n1->n_entries; i++) {
            uint32_t o, in;
            entry_ends(net, &n1->entries[i], &o, &in);
            if (o == v || in == v) count++, sum += n1->entries[i].capacity;
        }
        if (count < 2) continue;
        double own = w->pure_gas[v] ? cor_net_node(net, v)->capacity * COR_MCM_D_PER_BCM_Y : NAN;
        cand[nc++] = (cor_gas_asset){COR_GAS_JUNCTION, v, false, own < sum ? own : sum};
    }
    return nc;
}

static cor_status find_im(const energy_work *w, cor_n1_result *n1)
{
    const cor_network *net = w->net;
    n1->im_asset = (cor_gas_asset){COR_GAS_ENTRY, COR_NONE, false, 0};
    if (!isnan(w->spec->im)) {
        n1->im = (cor_n1_term){w->spec->im, COR_N1_GIVEN};
        return COR_OK;
    }
    n1->im = (cor_n1_term){0, COR_N1_MODEL};
    size_t nc = 0, cap = n1->n_entries + n1->n_production + net->n_nodes + 1;
    cor_gas_asset *cand = malloc(cap * sizeof *cand);
    n1->im_links = malloc((n1->n_entries + 1) * sizeof *n1->im_links);
    if (!cand || !n1->im_links) {
        free(cand);
        return nomem(w->err);
    }
    memcpy(cand, n1->entries, n1->n_entries * sizeof *cand);
    memcpy(cand + n1->n_entries, n1->production, n1->n_production * sizeof *cand);
    nc = add_junctions(w, n1, cand, n1->n_entries + n1->n_production);
    const cor_gas_asset *best = NULL;
    for (size_t i = 0; i < nc; i++) {
        if (isnan(cand[i].capacity)) {
            const char *id = cand[i].kind == COR_GAS_ENTRY ? cor_net_link(net, cand[i].index)->id
                                                           : cor_net_node(net, cand[i].index)->id;
            free(cand);
            return cor_error_add(w->err, COR_ERR_INPUT, NULL, -1, -1, "im",
                                 "'%s' has no capacity figure, so the largest infrastructure is "
                                 "unknown: give Im",
                                 id);
        }
        if (!best || larger(&cand[i], best)) best = &cand[i];
    }
    if (best) {
        n1->im_asset = *best;
        n1->im.value = best->capacity;
        for (size_t i = 0; i < n1->n_entries && best->kind != COR_GAS_PRODUCTION; i++) {
            uint32_t o, in;
            entry_ends(net, &n1->entries[i], &o, &in);
            bool carried = best->kind == COR_GAS_ENTRY
                               ? n1->entries[i].index == best->index &&
                                     n1->entries[i].reversed == best->reversed
                               : o == best->index || in == best->index;
            if (carried) n1->im_links[n1->n_im_links++] = n1->entries[i].index;
        }
    }
    free(cand);
    return COR_OK;
}

/* Deliverable gas to the whole area, with and without Im. */
static cor_status area_flows(const energy_work *w, const cor_energy_result *out, cor_n1_result *n1)
{
    cor_flow_result r;
    cor_status st = view_flow(w, out, NULL, NULL, 0, NULL, &r);
    n1->deliverable = r.value;
    cor_flow_result_clear(&r);
    n1->deliverable_without_im = NAN;
    if (st != COR_OK || n1->im.origin == COR_N1_GIVEN) return st;
    if (n1->im_asset.index == COR_NONE) { /* nothing to take out */
        n1->deliverable_without_im = n1->deliverable;
        return COR_OK;
    }
    const char **ids = malloc((n1->n_im_links + 1) * sizeof *ids);
    if (!ids) return nomem(w->err);
    for (size_t i = 0; i < n1->n_im_links; i++)
        ids[i] = cor_net_link(w->net, n1->im_links[i])->id;
    const char *node =
        n1->im_asset.kind == COR_GAS_PRODUCTION ? cor_net_node(w->net, n1->im_asset.index)->id
                                                : NULL;
    st = view_flow(w, out, NULL, ids, n1->n_im_links, node, &r);
    n1->deliverable_without_im = r.value;
    cor_flow_result_clear(&r);
    free(ids);
    return st;
}

static cor_status compute_n1(energy_work *w, cor_energy_result *out)
{
    const cor_energy_spec *s = w->spec;
    cor_n1_result *n1 = &out->n1;
    out->has_n1 = true;
    cor_status st = list_assets(w, n1);
    if (st == COR_OK) st = sum_term(w, n1->entries, n1->n_entries, s->epm, "epm", "EPm", &n1->epm);
    if (st == COR_OK)
        st = sum_term(w, n1->production, n1->n_production, s->pm, "pm", "Pm", &n1->pm);
    if (st == COR_OK) st = find_im(w, n1);
    if (st != COR_OK) return st;
    n1->sm = isnan(s->sm) ? (cor_n1_term){0, COR_N1_ABSENT} : (cor_n1_term){s->sm, COR_N1_GIVEN};
    n1->lngm =
        isnan(s->lngm) ? (cor_n1_term){0, COR_N1_ABSENT} : (cor_n1_term){s->lngm, COR_N1_GIVEN};
    n1->deff =
        isnan(s->deff) ? (cor_n1_term){0, COR_N1_ABSENT} : (cor_n1_term){s->deff, COR_N1_GIVEN};
    n1->dmax = (cor_n1_term){s->dmax, COR_N1_GIVEN};
    double supply = n1->epm.value + n1->pm.value + n1->sm.value + n1->lngm.value;
    if (n1->im.value > supply * (1 + 1e-12))
        return cor_error_add(w->err, COR_ERR_USAGE, NULL, -1, -1, "im",
                             "Im (%.2f mcm/d) exceeds EPm + Pm + Sm + LNGm (%.2f mcm/d), yet it is "
                             "one of the infrastructures they add up: give Im with EPm or Pm",
                             n1->im.value, supply);
    n1->percent = (supply - n1->im.value) / (n1->dmax.value - n1->deff.value) * 100;
    return area_flows(w, out, n1);
}

/* ---------------------------------------------------------------- entry point */

static void work_clear(energy_work *w)
{
    cor_filter_clear(&w->filter);
    free(w->usable);
    free(w->gas_node);
    free(w->pure_gas);
    free(w->is_supply);
    free(w->in_area);
    cor_network_free(w->view);
    free(w->node_of);
    free(w->src_node);
    free(w->src_link);
}

cor_status cor_energy(const cor_network *net, const cor_energy_spec *spec, cor_energy_result *out,
                      cor_error *err)
{
    memset(out, 0, sizeof *out);
    cor_status st = check_spec(spec, err);
    if (st != COR_OK) return st;
    energy_work w = {.net = net, .spec = spec, .err = err};
    if ((st = mark_gas(&w)) == COR_OK && (st = find_supply(&w, out)) == COR_OK &&
        (st = resolve_regions(&w, out)) == COR_OK && (st = build_view(&w, out)) == COR_OK &&
        (st = deliver(&w, out)) == COR_OK && spec->n1)
        st = compute_n1(&w, out);
    work_clear(&w);
    if (st != COR_OK) cor_energy_result_clear(out);
    return st;
}

void cor_energy_result_clear(cor_energy_result *r)
{
    free(r->supply);
    for (size_t k = 0; r->regions && k < r->n_regions; k++) {
        free(r->regions[k].sinks);
        free(r->regions[k].limits);
        free(r->regions[k].open_path);
    }
    free(r->regions);
    free(r->n1.entries);
    free(r->n1.production);
    free(r->n1.im_links);
    memset(r, 0, sizeof *r);
}
