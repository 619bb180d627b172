/*
 * graph_file.c — the compiled graph as named arrays: handing them over for a .cor file and
 * wrapping them again, mapped; cor_graph_check, every invariant of a graph; and
 * cor_graph_compile, which hands out a stored graph for the profile it was stored for.
 *
 * A compiled graph is already plain arrays (CSR forward and backward, states, weights, the
 * A* positions), so saving it is listing them and loading it is pointing at them. At load,
 * what indexing needs is checked: sizes, CSR offsets, every index in range, weights finite
 * and not negative, states numbered per node. After that the searches may index without
 * doubt, as they do on a graph just compiled. cor_graph_check also proves what only
 * answers depend on — each link arc joins its link's ends, the backward CSR is the exact
 * mirror of the forward one — with random accesses that cost more than the whole load
 * budget on NY; build runs it before saving, `validate` on a .cor, the tests after every
 * compile, and the file's checksums keep what was checked as it was.
 *
 * The trade-off: a hand-crafted file with valid checksums could give wrong answers (never
 * a crash) until `corridor validate` names it; a damaged one is refused by its checksums.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARRAYS 16

size_t cor_graph_arrays(const cor_graph *g, cor_array *out, size_t max)
{
    cor_array a[MAX_ARRAYS];
    size_t n = 0, ns = (size_t)g->n_states + 1, na = g->n_arcs, nn = g->n_nodes;
    a[n++] = (cor_array){"meta", &g->meta, 1, sizeof g->meta};
    a[n++] = (cor_array){"first_out", g->first_out, ns, 4};
    a[n++] = (cor_array){"head", g->head, na, 4};
    a[n++] = (cor_array){"arc_link", g->arc_link, na, 4};
    if (g->weight32)
        a[n++] = (cor_array){"weight32", g->weight32, na, 4};
    else
        a[n++] = (cor_array){"weight", g->weight, na, 8};
    a[n++] = (cor_array){"first_in", g->first_in, ns, 4};
    a[n++] = (cor_array){"in_tail", g->in_tail, na, 4};
    a[n++] = (cor_array){"in_arc", g->in_arc, na, 4};
    if (g->node_first_state) {
        a[n++] = (cor_array){"node_first_state", g->node_first_state, nn + 1, 4};
        a[n++] = (cor_array){"state_node", g->state_node, ns - 1, 4};
        a[n++] = (cor_array){"state_class", g->state_class, ns - 1, 1};
    }
    if (g->xyz) a[n++] = (cor_array){"xyz", g->xyz, 3 * nn, 8};
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = a[i];
    return n;
}

void cor_graph_fill_meta(cor_graph *g)
{
    cor_graph_meta *m = &g->meta;
    memset(m, 0, sizeof *m);
    m->n_nodes = g->n_nodes;
    m->n_links = (uint32_t)g->net->n_links;
    m->n_states = g->n_states;
    m->n_arcs = g->n_arcs;
    m->n_classes = g->n_classes;
    m->objective = (uint32_t)g->profile.objective;
    m->modes = g->profile.modes;
    m->layers = g->profile.layers;
    m->include_planned = g->profile.include_planned;
    m->topology = g->topology;
    m->value_of_time = g->profile.value_of_time;
    m->carbon_price = g->profile.carbon_price;
    m->lb_per_km = g->lb_per_km;
    for (uint32_t k = 0; k < g->n_classes; k++) {
        m->class_mode[k] = (int32_t)g->classes[k].mode;
        m->class_gauge[k] = g->classes[k].gauge_mm;
    }
}

/* ---------------------------------------------------------------- reading them back */

typedef struct loader {
    const cor_array *a;
    size_t n;
    const char *file;
    cor_error *err;
} loader;

static cor_status wrong(const loader *ld, const char *array, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cor_status wrong(const loader *ld, const char *array, const char *fmt, ...)
{
    char field[64];
    snprintf(field, sizeof field, "graph array '%s'", array);
    va_list ap;
    va_start(ap, fmt);
    cor_status st = cor_error_addv(ld->err, COR_ERR_INPUT, ld->file, -1, -1, field, fmt, ap);
    va_end(ap);
    return st;
}

/* The array `name` of `count` elements of `size` bytes (NULL and no error when absent and
 * not required). */
static const void *take(const loader *ld, const char *name, uint64_t count, uint32_t size,
                        bool required, cor_status *st)
{
    for (size_t i = 0; i < ld->n; i++) {
        if (strcmp(ld->a[i].name, name) != 0) continue;
        if (ld->a[i].elem_size != size || ld->a[i].count != count) {
            *st = wrong(ld, name, "has %llu elements of %u bytes, expected %llu of %u",
                        (unsigned long long)ld->a[i].count, ld->a[i].elem_size,
                        (unsigned long long)count, size);
            return NULL;
        }
        return ld->a[i].data;
    }
    if (required) *st = wrong(ld, name, "is missing");
    return NULL;
}

/* Offsets that start at 0, never fall, and end at `last`; n + 1 of them. */
static bool offsets_ok(const uint32_t *o, uint32_t n, uint32_t last)
{
    unsigned fall = 0;
    for (uint32_t i = 0; i < n; i++)
        fall |= o[i + 1] < o[i];
    return o[0] == 0 && o[n] == last && !fall;
}

/* Every value below `limit` (branch-free: the compiler vectorises it). */
static bool all_below(const uint32_t *v, uint32_t n, uint32_t limit)
{
    unsigned over = 0;
    for (uint32_t i = 0; i < n; i++)
        over |= v[i] >= limit;
    return !over;
}

static cor_status check_meta(const loader *ld, const cor_graph_meta *m, const cor_network *net)
{
    if (m->n_nodes != net->n_nodes || m->n_links != net->n_links)
        return wrong(ld, "meta", "made for %u nodes and %u links, the network has %zu and %zu",
                     m->n_nodes, m->n_links, net->n_nodes, net->n_links);
    if (m->n_classes > COR_MAX_CLASSES || m->objective > COR_OPT_DISTANCE ||
        !(m->lb_per_km >= 0) || !isfinite(m->lb_per_km) || m->n_arcs == UINT32_MAX ||
        m->topology > 1 ||
        m->n_states == UINT32_MAX)
        return wrong(ld, "meta", "is damaged (classes, objective, counts or bound)");
    for (uint32_t k = 0; k < m->n_classes; k++)
        if (m->class_mode[k] < 0 || m->class_mode[k] >= COR_MODE_COUNT)
            return wrong(ld, "meta", "class %u has an unknown mode", k);
    if (m->n_classes <= 1 && m->n_states != m->n_nodes)
        return wrong(ld, "meta", "%u states for %u nodes with one mode class", m->n_states,
                     m->n_nodes);
    return COR_OK;
}

/* States of each node numbered consecutively, each with a class in range. */
static cor_status check_states(const loader *ld, const cor_graph *g)
{
    if (!g->node_first_state) return COR_OK;
    if (!offsets_ok(g->node_first_state, g->n_nodes, g->n_states))
        return wrong(ld, "node_first_state", "does not rise from 0 to %u", g->n_states);
    for (uint32_t v = 0; v < g->n_nodes; v++)
        for (uint32_t s = g->node_first_state[v]; s < g->node_first_state[v + 1]; s++)
            if (g->state_node[s] != v || g->state_class[s] >= g->n_classes)
                return wrong(ld, "state_node", "state %u does not belong to node %u", s, v);
    return COR_OK;
}

/* The ends of each link, read from the columns of a mapped network (so that checking does
 * not fill every link) or from the links. */
typedef struct link_ends {
    const cor_network *net;
    const uint32_t *from, *to;
} link_ends;

static uint32_t link_end(const link_ends *e, uint32_t link, bool at_to)
{
    if (e->from) return at_to ? e->to[link] : e->from[link];
    const cor_link *l = cor_net_link(e->net, link);
    return at_to ? l->to : l->from;
}

/* Arc a leaves state s: its head, weight and link (ends as the link's) are right. */
static bool arc_ok(const cor_graph *g, const link_ends *e, uint32_t s, uint32_t a)
{
    uint32_t h = g->head[a], code = g->arc_link[a];
    double w = cor_g_weight(g, a);
    if (h >= g->n_states || !(w >= 0) || (isinf(w) && !g->topology)) return false;
    if (code == COR_ARC_TRANSFER) return cor_g_node(g, s) == cor_g_node(g, h) && s != h;
    uint32_t l = code >> 1;
    bool rev = code & 1;
    return l < g->net->n_links && cor_g_node(g, s) == link_end(e, l, rev) &&
           cor_g_node(g, h) == link_end(e, l, !rev);
}

static cor_status check_arcs(const loader *ld, const cor_graph *g)
{
    link_ends e = {g->net, NULL, NULL};
    cor_net_link_end_columns(g->net, &e.from, &e.to);
    if (!offsets_ok(g->first_out, g->n_states, g->n_arcs))
        return wrong(ld, "first_out", "does not rise from 0 to %u", g->n_arcs);
    if (!offsets_ok(g->first_in, g->n_states, g->n_arcs))
        return wrong(ld, "first_in", "does not rise from 0 to %u", g->n_arcs);
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++)
            if (!arc_ok(g, &e, s, a)) return wrong(ld, "head", "arc %u is damaged", a);
    return COR_OK;
}

/* What indexing needs, at load: every array index in range and every weight usable. The
 * rest (arcs joining their links' ends, the mirror) cor_graph_check proves; checksums keep
 * a file as written, so a graph that passed it when built still passes it mapped. */
static cor_status check_ranges(const loader *ld, const cor_graph *g)
{
    uint32_t na = g->n_arcs, ns = g->n_states, nl = (uint32_t)g->net->n_links;
    if (!offsets_ok(g->first_out, ns, na))
        return wrong(ld, "first_out", "does not rise from 0 to %u", na);
    if (!offsets_ok(g->first_in, ns, na))
        return wrong(ld, "first_in", "does not rise from 0 to %u", na);
    if (!all_below(g->head, na, ns)) return wrong(ld, "head", "names a state past %u", ns);
    if (!all_below(g->in_tail, na, ns)) return wrong(ld, "in_tail", "names a state past %u", ns);
    if (!all_below(g->in_arc, na, na)) return wrong(ld, "in_arc", "names an arc past %u", na);
    unsigned bad = 0;
    for (uint32_t a = 0; a < na; a++)
        bad |= (g->arc_link[a] != COR_ARC_TRANSFER) & ((g->arc_link[a] >> 1) >= nl);
    if (bad) return wrong(ld, "arc_link", "names a link past %u", nl);
    /* a topology's arcs that its profile does not let through weigh +INFINITY */
    const unsigned inf_bad = !g->topology;
    if (g->weight32)
        for (uint32_t a = 0; a < na; a++)
            bad |= (unsigned)!(g->weight32[a] >= 0) | ((unsigned)(g->weight32[a] > FLT_MAX) & inf_bad);
    else
        for (uint32_t a = 0; a < na; a++)
            bad |= (unsigned)!(g->weight[a] >= 0) | ((unsigned)(g->weight[a] > DBL_MAX) & inf_bad);
    return bad ? wrong(ld, "weight", "holds a negative, infinite or NaN weight") : COR_OK;
}

/* Every backward entry names a forward arc into its state from its tail, each arc once. */
static cor_status check_mirror(const loader *ld, const cor_graph *g)
{
    uint8_t *seen = calloc((size_t)g->n_arcs / 8 + 1, 1);
    if (!seen)
        return cor_error_add(ld->err, COR_ERR_NOMEM, ld->file, -1, -1, NULL, "out of memory");
    cor_status st = COR_OK;
    for (uint32_t v = 0; v < g->n_states && st == COR_OK; v++)
        for (uint32_t b = g->first_in[v]; b < g->first_in[v + 1]; b++) {
            uint32_t u = g->in_tail[b], a = g->in_arc[b];
            if (u >= g->n_states || a >= g->n_arcs || g->head[a] != v || a < g->first_out[u] ||
                a >= g->first_out[u + 1] || (seen[a / 8] >> (a % 8) & 1)) {
                st = wrong(ld, "in_arc", "entry %u does not mirror a forward arc", b);
                break;
            }
            seen[a / 8] |= (uint8_t)(1u << (a % 8));
        }
    free(seen);
    return st;
}

static cor_status check_xyz(const loader *ld, const cor_graph *g)
{
    if (!g->xyz) return g->lb_per_km > 0 ? wrong(ld, "xyz", "is missing for the A* bound") : COR_OK;
    for (size_t i = 0; i < 3 * (size_t)g->n_nodes; i++)
        if (!(fabs(g->xyz[i]) <= 1.0 + 1e-9))
            return wrong(ld, "xyz", "position %zu is not on the unit sphere", i / 3);
    return COR_OK;
}

static void take_all(const loader *ld, cor_graph *g, cor_status *st)
{
    uint64_t ns = (uint64_t)g->n_states + 1, na = g->n_arcs, nn = g->n_nodes;
    g->first_out = (uint32_t *)take(ld, "first_out", ns, 4, true, st);
    g->head = (uint32_t *)take(ld, "head", na, 4, true, st);
    g->arc_link = (uint32_t *)take(ld, "arc_link", na, 4, true, st);
    g->weight32 = (float *)take(ld, "weight32", na, 4, false, st);
    g->weight = g->weight32 ? NULL : (double *)take(ld, "weight", na, 8, true, st);
    g->first_in = (uint32_t *)take(ld, "first_in", ns, 4, true, st);
    g->in_tail = (uint32_t *)take(ld, "in_tail", na, 4, true, st);
    g->in_arc = (uint32_t *)take(ld, "in_arc", na, 4, true, st);
    bool multi = g->n_classes > 1;
    g->node_first_state = (uint32_t *)take(ld, "node_first_state", nn + 1, 4, multi, st);
    g->state_node = (uint32_t *)take(ld, "state_node", ns - 1, 4, multi, st);
    g->state_class = (uint8_t *)take(ld, "state_class", ns - 1, 1, multi, st);
    g->xyz = (double *)take(ld, "xyz", 3 * nn, 8, false, st);
}

static void from_meta(cor_graph *g, const cor_graph_meta *m)
{
    g->meta = *m;
    g->n_nodes = m->n_nodes;
    g->n_states = m->n_states;
    g->n_arcs = m->n_arcs;
    g->n_classes = m->n_classes;
    for (uint32_t k = 0; k < m->n_classes; k++)
        g->classes[k] = (cor_mode_class){(cor_mode)m->class_mode[k], m->class_gauge[k]};
    g->lb_per_km = m->lb_per_km;
    g->topology = m->topology == 1;
    cor_profile_init(&g->profile);
    g->profile.objective = (cor_objective)m->objective;
    g->profile.modes = m->modes;
    g->profile.layers = m->layers;
    g->profile.include_planned = m->include_planned != 0;
    g->profile.value_of_time = m->value_of_time;
    g->profile.carbon_price = m->carbon_price;
}

cor_status cor_graph_from_arrays(cor_graph **out, const cor_network *net, const cor_array *a,
                                 size_t n, cor_error *err)
{
    *out = NULL;
    loader ld = {a, n, net->file, err};
    cor_status st = COR_OK;
    const cor_graph_meta *m = take(&ld, "meta", 1, sizeof *m, true, &st);
    if (st != COR_OK || (st = check_meta(&ld, m, net)) != COR_OK) return st;
    cor_graph *g = calloc(1, sizeof *g);
    if (!g) return cor_error_add(err, COR_ERR_NOMEM, net->file, -1, -1, NULL, "out of memory");
    g->net = net;
    g->stored = true;
    from_meta(g, m);
    take_all(&ld, g, &st);
    if (st == COR_OK && g->node_first_state && g->n_classes <= 1)
        st = wrong(&ld, "node_first_state", "is stored for a graph of one mode class");
    if (st == COR_OK) st = check_states(&ld, g);
    if (st == COR_OK) st = check_ranges(&ld, g);
    if (st == COR_OK) st = check_xyz(&ld, g);
    if (st != COR_OK) {
        free(g);
        return st;
    }
    *out = g;
    return COR_OK;
}

cor_status cor_graph_check(const cor_graph *g, cor_error *err)
{
    loader ld = {NULL, 0, g->net->file, err};
    cor_status st = check_states(&ld, g);
    if (st == COR_OK) st = check_ranges(&ld, g);
    if (st == COR_OK) st = check_arcs(&ld, g);
    if (st == COR_OK) st = check_mirror(&ld, g);
    if (st == COR_OK) st = check_xyz(&ld, g);
    return st;
}

bool cor_graph_is_stored(const cor_graph *g)
{
    return g->stored;
}

/* ---------------------------------------------------------------- which profile it serves */

/* A stored graph is handed out as a copy of its struct over the same mapped arrays: only
 * when it was stored for this very network (not a view or scenario network made from it). */
/* Stored graph k customised for p: the mapped arrays with p's weights (INFINITY where p
 * lets nothing through), an A* bound for them, and a metric of k's index for them — a
 * customisation (~0.1 s on NY) instead of a compile, and queries through the index. */
static cor_status customised(cor_graph **out, const cor_network *net, size_t k,
                             const cor_profile *p, cor_error *err)
{
    const cor_graph *base = net->graphs[k];
    cor_graph *g = malloc(sizeof *g);
    double *w = malloc(((size_t)base->n_arcs + 1) * sizeof *w);
    if (!g || !w) {
        free(g);
        free(w);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    *g = *base;
    g->own_weight = w;
    g->own_metric = NULL;
    cor_status st = cor_graph_profile_weights(base, p, w, err);
    if (st == COR_OK) st = cor_scenario_resolve(p->scenario, &g->net, err);
    cor_cch_metric *m = NULL;
    if (st == COR_OK) st = cor_cch_customize(&m, net->cch[k], w, err);
    if (st != COR_OK) {
        cor_graph_free(g);
        return st;
    }
    g->weight = w;
    g->weight32 = NULL;
    g->profile = *p;
    g->profile.avoid_countries = g->profile.avoid_nodes = g->profile.avoid_links = NULL;
    g->profile.scenario = NULL;
    g->lb_per_km = cor_graph_bound_of(g, w);
    g->own_metric = m;
    g->cch_metric = m;
    g->index_generation++;
    *out = g;
    return COR_OK;
}

/* The stored topology with an index that serves p (its layers; a scenario read for this
 * network or its base), or -1. */
static long topology_for(const cor_network *net, const cor_profile *p)
{
    unsigned want = p->layers ? p->layers : 1u << COR_LAYER_TRANSPORT;
    for (size_t i = 0; i < net->n_graphs; i++) {
        const cor_graph *g = net->graphs[i];
        unsigned have = g->profile.layers ? g->profile.layers : 1u << COR_LAYER_TRANSPORT;
        if (g->net == net && g->topology && net->cch[i] && want == have &&
            !(p->scenario && cor_scenario_network(p->scenario) != net &&
              cor_scenario_base(p->scenario) != net))
            return (long)i;
    }
    return -1;
}

cor_status cor_graph_compile(cor_graph **out, const cor_network *net, const cor_profile *p,
                             cor_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < net->n_graphs; i++)
        if (net->graphs[i]->net == net && cor_graph_profile_matches(net->graphs[i], p)) {
            *out = malloc(sizeof **out);
            if (!*out)
                return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
            **out = *net->graphs[i];
            return COR_OK;
        }
    /* Another profile on the layers of a stored topology with an index: customised. */
    long k = topology_for(net, p);
    return k >= 0 ? customised(out, net, (size_t)k, p, err)
                  : cor_graph_compile_private(out, net, p, err);
}

cor_status cor_graph_compile_reweighable(cor_graph **out, const cor_network *net,
                                         const cor_profile *p, cor_error *err)
{
    *out = NULL;
    long k = topology_for(net, p);
    return k >= 0 ? customised(out, net, (size_t)k, p, err)
                  : cor_graph_compile_private(out, net, p, err);
}

cor_status cor_graph_recustomise(cor_graph *g, cor_error *err)
{
    if (!g->cch) return COR_OK;
    cor_cch_metric *m = NULL;
    cor_status st = cor_cch_customize(&m, g->cch, g->weight, err);
    if (st != COR_OK) return st;
    cor_cch_metric_free(g->own_metric);
    g->own_metric = m;
    g->cch_metric = m;
    g->index_generation++;
    return COR_OK;
}

static unsigned all_modes(unsigned m)
{
    unsigned all = (1u << COR_MODE_COUNT) - 1;
    return m & all ? m & all : all;
}

static unsigned layers_or_transport(unsigned l)
{
    return l ? l : 1u << COR_LAYER_TRANSPORT;
}

bool cor_graph_profile_matches(const cor_graph *g, const cor_profile *p)
{
    const cor_profile *q = &g->profile;
    if (p->scenario || p->n_avoid_countries || p->n_avoid_nodes || p->n_avoid_links) return false;
    if (p->objective != q->objective || all_modes(p->modes) != all_modes(q->modes) ||
        layers_or_transport(p->layers) != layers_or_transport(q->layers) ||
        p->include_planned != q->include_planned)
        return false;
    /* The factors count only where the objective uses them. */
    return p->objective != COR_OPT_GENERALISED ||
           (p->value_of_time == q->value_of_time && p->carbon_price == q->carbon_price);
}
