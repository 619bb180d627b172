/*
 * graph.c — compiling a network for one profile into flat CSR arrays.
 *
 * The profile decides which links are usable (layer, status, mode, avoided countries,
 * nodes and links) and what each arc weighs (hours, USD, kg CO2, or a generalised cost).
 * Multimodality is modelled with states: each node gets one state per mode class that
 * touches it, links join states of their class, and transfer arcs join the states of one
 * node, weighted by that node's transfer (or, for a change of rail gauge only, its
 * transshipment). Waits for scheduled services (half the headway) and border dwells are
 * folded into link weights here, so searches see a plain weighted digraph.
 *
 * Filters are applied at compile time rather than tested per arc in every search: a
 * compile is O(|V| + |E|) and the searches, which run far more often, stay branch-free.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- measures */

static double or_zero(double v)
{
    return isnan(v) ? 0.0 : v;
}

void cor_link_measures(const cor_network *net, const cor_link *l, bool reversed,
                       cor_measures *m)
{
    double run = l->duration_hours;
    if (isnan(run) && l->length_km >= 0 && l->speed_kmh > 0) run = l->length_km / l->speed_kmh;
    m->wait_hours = l->frequency_per_week > 0 ? 0.5 * (168.0 / l->frequency_per_week) : 0.0;
    m->dwell_hours = or_zero(l->border_dwell_hours);
    m->hours = run + m->wait_hours + m->dwell_hours;
    m->usd = (reversed && !isnan(l->reverse_cost)) ? l->reverse_cost : l->cost;
    m->co2_kg = l->co2_kg;
    m->km = l->length_km;
    const char *a = cor_net_node_country(net, l->from), *b = cor_net_node_country(net, l->to);
    m->border = a && b && strcmp(a, b) != 0;
}

void cor_transfer_measures(const cor_node *n, const cor_mode_class *a, const cor_mode_class *b,
                           cor_measures *m)
{
    bool gauge_only = a->mode == COR_MODE_RAIL && b->mode == COR_MODE_RAIL;
    double h = gauge_only && !isnan(n->transship_hours) ? n->transship_hours : n->transfer_hours;
    double usd = gauge_only && !isnan(n->transship_usd) ? n->transship_usd : n->transfer_usd;
    memset(m, 0, sizeof *m);
    m->hours = or_zero(h);
    m->usd = or_zero(usd);
    m->co2_kg = or_zero(n->transfer_co2_kg);
    m->km = 0;
}

double cor_objective_value(const cor_profile *p, const cor_measures *m)
{
    switch (p->objective) {
    case COR_OPT_TIME: return m->hours;
    case COR_OPT_CO2: return m->co2_kg;
    case COR_OPT_DISTANCE: return m->km;
    case COR_OPT_GENERALISED:
        return m->usd + p->value_of_time * m->hours + p->carbon_price / 1000.0 * m->co2_kg;
    case COR_OPT_COST:
    default: return m->usd;
    }
}

/* A change of mode needs a terminal (transfer_* fields); a change of gauge alone needs a
 * transshipment or bogie-exchange facility (transship_*), or a terminal. */
static bool node_allows_change(const cor_node *n, const cor_mode_class *a,
                               const cor_mode_class *b)
{
    bool terminal = !isnan(n->transfer_hours) || !isnan(n->transfer_usd);
    if (a->mode == COR_MODE_RAIL && b->mode == COR_MODE_RAIL)
        return terminal || !isnan(n->transship_hours) || !isnan(n->transship_usd);
    return terminal;
}

/* ---------------------------------------------------------------- usable links */

typedef struct compile_ctx {
    const cor_network *net;
    const cor_profile *p;
    cor_error *err;
    cor_filter filter;
    uint8_t *link_class;    /* n_links: class index, 0xff = unusable */
    uint32_t *node_classes; /* n_nodes: bit set of classes */
    cor_graph *g;
    bool topology; /* every link of the profile's layers, whatever its mode or status */
} compile_ctx;

static bool layer_taken(const cor_profile *p, const cor_link *l)
{
    unsigned layers = p->layers ? p->layers : 1u << COR_LAYER_TRANSPORT;
    return layers & (1u << l->layer);
}

static bool link_usable(const compile_ctx *c, uint32_t i)
{
    const cor_link *l = cor_net_link(c->net, i);
    if (!(l->forward || l->backward)) return false;
    return c->topology ? layer_taken(c->p, l) : cor_filter_link(&c->filter, i);
}

static int class_of(cor_graph *g, cor_mode mode, int gauge)
{
    if (mode != COR_MODE_RAIL) gauge = 0;
    for (uint32_t k = 0; k < g->n_classes; k++)
        if (g->classes[k].mode == mode && g->classes[k].gauge_mm == gauge) return (int)k;
    if (g->n_classes == COR_MAX_CLASSES) return -1;
    g->classes[g->n_classes] = (cor_mode_class){mode, gauge};
    return (int)g->n_classes++;
}

static const char *objective_field(cor_objective o)
{
    switch (o) {
    case COR_OPT_TIME: return "duration_hours";
    case COR_OPT_CO2: return "co2_kg";
    case COR_OPT_DISTANCE: return "length_km";
    case COR_OPT_GENERALISED: return "cost, duration_hours and co2_kg";
    default: return "cost";
    }
}

/* The error for a link whose weight is not a finite number: a missing figure is the
 * network's fault, a generalised cost that overflows from finite figures is the profile's
 * (its value_of_time or carbon_price is too large), and is blamed on that field. */
static cor_status weight_error(cor_error *err, const cor_network *net, const cor_profile *p,
                               const cor_link *l, const cor_measures *m)
{
    if (p->objective == COR_OPT_GENERALISED && isfinite(m->usd) && isfinite(m->hours) &&
        isfinite(m->co2_kg))
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1,
                             p->value_of_time * m->hours > 1e300 ? "value_of_time" : "carbon_price",
                             "the generalised cost of link '%s' overflows: value of time %g USD/h "
                             "and carbon price %g USD/t are too large",
                             l->id, p->value_of_time, p->carbon_price);
    return cor_error_add(err, COR_ERR_INPUT, net->file, -1, -1, objective_field(p->objective),
                         "link '%s' has no %s, which optimising %s needs", l->id,
                         objective_field(p->objective), cor_objective_name(p->objective));
}

/* Marks each usable link's class and checks it has what the objective needs. */
static cor_status classify_links(compile_ctx *c)
{
    cor_status st = COR_OK;
    const cor_network *net = c->net;
    for (uint32_t i = 0; i < net->n_links; i++) {
        c->link_class[i] = 0xff;
        if (!link_usable(c, i)) continue;
        const cor_link *l = cor_net_link(net, i);
        int k = class_of(c->g, l->mode, l->gauge_mm);
        if (k < 0)
            return cor_error_add(c->err, COR_ERR_INPUT, net->file, -1, -1, "gauge_mm",
                                 "more than %d mode and gauge classes", COR_MAX_CLASSES);
        for (int dir = 0; dir < 2 && !c->topology; dir++) { /* topology: checked per profile */
            if (!(dir ? l->backward : l->forward)) continue;
            cor_measures m;
            cor_link_measures(net, l, dir, &m);
            if (isnan(cor_objective_value(c->p, &m)) || isinf(cor_objective_value(c->p, &m))) {
                st = weight_error(c->err, net, c->p, l, &m);
                break; /* once per link, not once per direction */
            }
        }
        c->link_class[i] = (uint8_t)k;
        c->node_classes[l->from] |= 1u << k;
        c->node_classes[l->to] |= 1u << k;
    }
    return st;
}

/* Indices are 32-bit: arc_link holds link << 1 | reversed, states and arcs are uint32_t.
 * Counts past them are refused here rather than wrapped silently. */
static cor_status check_counts(const compile_ctx *c)
{
    const cor_network *net = c->net;
    uint64_t states = 0, arcs = 2 * (uint64_t)net->n_links;
    for (size_t n = 0; n < net->n_nodes; n++) {
        uint64_t k = (uint64_t)__builtin_popcount(c->node_classes[n]);
        states += k > 1 ? k : 1;
        arcs += k * (k - (k > 0));
    }
    const char *what = net->n_links >= (UINT32_MAX >> 1) ? "links"
                       : states >= UINT32_MAX            ? "states"
                       : arcs >= UINT32_MAX              ? "arcs"
                                                         : NULL;
    if (!what) return COR_OK;
    uint64_t count = what[0] == 'l' ? net->n_links : what[0] == 's' ? states : arcs;
    return cor_error_add(c->err, COR_ERR_INPUT, net->file, -1, -1, NULL,
                         "%llu %s: the compiled graph indexes at most %u links and %u states "
                         "and arcs (32-bit indices)", (unsigned long long)count, what,
                         (UINT32_MAX >> 1) - 1, UINT32_MAX - 1);
}

/* ---------------------------------------------------------------- states and arcs */

static uint32_t state_of(const cor_graph *g, uint32_t node, uint32_t cls)
{
    for (uint32_t s = cor_g_first_state(g, node); s < cor_g_first_state(g, node + 1); s++)
        if (cor_g_class(g, s) == cls) return s;
    return COR_NONE;
}

static bool number_states(compile_ctx *c)
{
    cor_graph *g = c->g;
    if (g->n_classes <= 1) { /* one state per node, state = node: no arrays */
        g->n_states = g->n_nodes;
        return true;
    }
    g->node_first_state = malloc((g->n_nodes + 1) * sizeof *g->node_first_state);
    if (!g->node_first_state) return false;
    uint32_t n_states = 0;
    for (uint32_t n = 0; n < g->n_nodes; n++) {
        g->node_first_state[n] = n_states;
        n_states += (uint32_t)__builtin_popcount(c->node_classes[n]);
    }
    g->node_first_state[g->n_nodes] = n_states;
    g->n_states = n_states;
    g->state_node = malloc((n_states + 1) * sizeof *g->state_node);
    g->state_class = malloc(n_states + 1);
    if (!g->state_node || !g->state_class) return false;
    for (uint32_t n = 0, s = 0; n < g->n_nodes; n++)
        for (uint32_t k = 0; k < g->n_classes; k++)
            if (c->node_classes[n] & (1u << k)) {
                g->state_node[s] = n;
                g->state_class[s++] = (uint8_t)k;
            }
    return true;
}

/* Calls emit(tail, head, arc_link, weight) for every arc, in a fixed order. */
typedef void (*arc_sink)(cor_graph *g, uint32_t tail, uint32_t head, uint32_t link,
                         double w, void *ctx);

static void for_each_arc(compile_ctx *c, arc_sink emit, void *ctx)
{
    cor_graph *g = c->g;
    const cor_network *net = c->net;
    for (uint32_t i = 0; i < net->n_links; i++) {
        if (c->link_class[i] == 0xff) continue;
        const cor_link *l = cor_net_link(net, i);
        uint32_t a = state_of(g, l->from, c->link_class[i]);
        uint32_t b = state_of(g, l->to, c->link_class[i]);
        for (uint32_t dir = 0; dir < 2; dir++) {
            if (!(dir ? l->backward : l->forward)) continue;
            cor_measures m;
            cor_link_measures(net, l, dir, &m);
            double w = cor_objective_value(c->p, &m);
            if (dir) emit(g, b, a, i << 1 | 1, w, ctx);
            else emit(g, a, b, i << 1, w, ctx);
        }
    }
    for (uint32_t n = 0; n < g->n_nodes; n++) {
        uint32_t s0 = cor_g_first_state(g, n), s1 = cor_g_first_state(g, n + 1);
        if (s1 - s0 < 2) continue;
        for (uint32_t a = s0; a < s1; a++)
            for (uint32_t b = s0; b < s1; b++) {
                if (a == b ||
                    !node_allows_change(cor_net_node(net, n), &g->classes[cor_g_class(g, a)],
                                        &g->classes[cor_g_class(g, b)]))
                    continue;
                cor_measures m;
                cor_transfer_measures(cor_net_node(net, n), &g->classes[cor_g_class(g, a)],
                                      &g->classes[cor_g_class(g, b)], &m);
                emit(g, a, b, COR_ARC_TRANSFER, cor_objective_value(c->p, &m), ctx);
            }
    }
}

static void count_arc(cor_graph *g, uint32_t tail, uint32_t head, uint32_t link, double w,
                      void *ctx)
{
    (void)link, (void)w, (void)ctx;
    g->first_out[tail + 1]++;
    g->first_in[head + 1]++;
    g->n_arcs++;
}

typedef struct fill_cursor {
    uint32_t *next_out, *next_in;
} fill_cursor;

static void fill_arc(cor_graph *g, uint32_t tail, uint32_t head, uint32_t link, double w,
                     void *ctx)
{
    fill_cursor *fc = ctx;
    uint32_t a = fc->next_out[tail]++;
    g->head[a] = head;
    g->arc_link[a] = link;
    g->weight[a] = w;
    uint32_t b = fc->next_in[head]++;
    g->in_tail[b] = tail;
    g->in_arc[b] = a;
}

/* Integer road graphs need no double: when every weight is exact as a float, keep floats
 * (4 bytes an arc less). Sums are still taken in double. */
static void narrow_weights(cor_graph *g)
{
    for (uint32_t a = 0; a < g->n_arcs; a++)
        if ((double)(float)g->weight[a] != g->weight[a]) return;
    g->weight32 = malloc(((size_t)g->n_arcs + 1) * sizeof *g->weight32);
    if (!g->weight32) return; /* keep the doubles */
    for (uint32_t a = 0; a < g->n_arcs; a++) g->weight32[a] = (float)g->weight[a];
    free(g->weight);
    g->weight = NULL;
}

static bool build_csr(compile_ctx *c)
{
    cor_graph *g = c->g;
    size_t ns = (size_t)g->n_states + 1;
    g->first_out = calloc(ns, sizeof *g->first_out);
    g->first_in = calloc(ns, sizeof *g->first_in);
    if (!g->first_out || !g->first_in) return false;
    for_each_arc(c, count_arc, NULL);
    for (uint32_t s = 0; s < g->n_states; s++) {
        g->first_out[s + 1] += g->first_out[s];
        g->first_in[s + 1] += g->first_in[s];
    }
    size_t na = (size_t)g->n_arcs + 1;
    g->head = malloc(na * sizeof *g->head);
    g->arc_link = malloc(na * sizeof *g->arc_link);
    g->weight = malloc(na * sizeof *g->weight);
    g->in_tail = malloc(na * sizeof *g->in_tail);
    g->in_arc = malloc(na * sizeof *g->in_arc);
    fill_cursor fc = {malloc(ns * sizeof(uint32_t)), malloc(ns * sizeof(uint32_t))};
    bool ok = g->head && g->arc_link && g->weight && g->in_tail && g->in_arc && fc.next_out &&
              fc.next_in;
    if (ok) {
        memcpy(fc.next_out, g->first_out, ns * sizeof(uint32_t));
        memcpy(fc.next_in, g->first_in, ns * sizeof(uint32_t));
        /* Arcs are filled in two passes over the same order, so in_arc is exact. */
        g->n_arcs = 0;
        for_each_arc(c, fill_arc, &fc);
        g->n_arcs = g->first_out[g->n_states];
        if (!c->topology) narrow_weights(g); /* a topology's weights come later */
    }
    free(fc.next_out);
    free(fc.next_in);
    return ok;
}

/* ---------------------------------------------------------------- weights of a profile */

/* The weight of every arc of a topology graph under the filter's profile: its objective where
 * the profile lets the link through, INFINITY where it does not. A transfer is INFINITY unless
 * both of its states are live (some usable link touches them): in a graph compiled for the
 * profile alone, a state with no usable link does not exist, and passing through one could
 * otherwise undercut a direct transfer. A usable link without what the objective needs is the
 * compile error cor_graph_compile reports. */
static cor_status profile_weights(const cor_graph *g, const cor_filter *f, double *w,
                                  cor_error *err)
{
    const cor_network *net = f->net; /* the scenario's own when it changes figures */
    cor_status st = COR_OK;
    uint8_t *live = calloc((size_t)g->n_states + 1, 1);
    if (!live) return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            w[a] = INFINITY;
            uint32_t code = g->arc_link[a];
            if (code == COR_ARC_TRANSFER) continue;
            cor_link buf;
            const cor_link *l = cor_net_link_peek(net, code >> 1, &buf);
            if (!cor_filter_link_record(f, code >> 1, l)) continue;
            cor_measures m;
            cor_link_measures(net, l, code & 1, &m);
            double v = cor_objective_value(f->p, &m);
            if (isnan(v) || isinf(v)) {
                if ((code & 1) == 0 || !l->forward) /* once per link */
                    st = weight_error(err, net, f->p, l, &m);
                continue;
            }
            w[a] = v;
            live[s] = live[g->head[a]] = 1;
        }
    for (uint32_t s = 0; s < g->n_states && st == COR_OK; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            uint32_t t = g->head[a];
            if (g->arc_link[a] != COR_ARC_TRANSFER || !live[s] || !live[t]) continue;
            uint32_t n = cor_g_node(g, s);
            cor_measures m;
            cor_transfer_measures(cor_net_node(net, n), &g->classes[cor_g_class(g, s)],
                                  &g->classes[cor_g_class(g, t)], &m);
            w[a] = cor_objective_value(f->p, &m);
        }
    free(live);
    return st;
}

/* ---------------------------------------------------------------- A* lower bound */

static double chord_km(const double *a, const double *b)
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return COR_EARTH_RADIUS_KM * sqrt(dx * dx + dy * dy + dz * dz);
}

/* w NULL: the graph's own weights. */
double cor_graph_bound_of(const cor_graph *g, const double *w)
{
    if (!g->xyz) return 0;
    double best = INFINITY;
    for (uint32_t s = 0; s < g->n_states; s++)
        for (uint32_t a = g->first_out[s]; a < g->first_out[s + 1]; a++) {
            if (g->arc_link[a] == COR_ARC_TRANSFER) continue;
            double d = chord_km(g->xyz + 3 * (size_t)cor_g_node(g, s),
                                g->xyz + 3 * (size_t)cor_g_node(g, g->head[a]));
            double wa = w ? w[a] : cor_g_weight(g, a);
            if (d > 0 && wa / d < best) best = wa / d;
        }
    return isfinite(best) && best > 0 ? best * (1 - 1e-9) : 0;
}

/* The chord between two points is never longer than the path between them, so
 * lb_per_km = min over arcs of weight / chord makes lb_per_km × chord(v, t) a consistent
 * lower bound. It is shrunk by a relative 1e-9 so rounding cannot break consistency. */
static bool compute_lower_bound(cor_graph *g)
{
    const cor_network *net = g->net;
    g->lb_per_km = 0;
    for (uint32_t n = 0; n < g->n_nodes; n++)
        if (isnan(cor_net_node(net, n)->lon)) return true; /* no bound without positions */
    g->xyz = malloc(3 * (size_t)g->n_nodes * sizeof *g->xyz + 1);
    if (!g->xyz) return false;
    for (uint32_t n = 0; n < g->n_nodes; n++) {
        const cor_node *v = cor_net_node(net, n);
        double lon = v->lon * M_PI / 180, lat = v->lat * M_PI / 180;
        g->xyz[3 * n] = cos(lat) * cos(lon);
        g->xyz[3 * n + 1] = cos(lat) * sin(lon);
        g->xyz[3 * n + 2] = sin(lat);
    }
    g->lb_per_km = cor_graph_bound_of(g, NULL);
    if (g->lb_per_km == 0) {
        free(g->xyz);
        g->xyz = NULL;
    }
    return true;
}

/* ---------------------------------------------------------------- compile */

/* DIMACS and pgRouting links carry one weight and no length: one problem for the whole
 * file instead of one per link. */
static cor_status check_distance(const cor_network *net, const cor_profile *p, cor_error *err)
{
    cor_format f = net->format;
    if (p->objective != COR_OPT_DISTANCE || (f != COR_FORMAT_DIMACS && f != COR_FORMAT_PGROUTING))
        return COR_OK;
    return cor_error_add(err, COR_ERR_INPUT, net->file, -1, -1, "length_km",
                         "optimising distance needs each link's length_km, which %s files do "
                         "not have (their weight has no documented unit): the cost objective "
                         "minimises the file's weights",
                         f == COR_FORMAT_DIMACS ? "DIMACS .gr" : "pgRouting edge");
}

/* The compile both entry points share; topology: see cor_graph_compile_topology. */
static cor_status compile(cor_graph **out, const cor_network *net, const cor_profile *p,
                          bool topology, cor_error *err)
{
    *out = NULL;
    cor_status st = cor_scenario_resolve(p->scenario, &net, err); /* its figures, if any */
    if (st != COR_OK || (st = check_distance(net, p, err)) != COR_OK) return st;
    if (net->n_links > (UINT32_MAX >> 1) || net->n_nodes >= UINT32_MAX)
        return cor_error_add(err, COR_ERR_INPUT, net->file, -1, -1, NULL,
                             "%zu nodes and %zu links: a compiled graph holds at most %u links "
                             "and %u nodes",
                             net->n_nodes, net->n_links, UINT32_MAX >> 1, UINT32_MAX - 1);
    compile_ctx c = {net, p, err, {0}, NULL, NULL, NULL, topology};
    if ((st = cor_filter_init(&c.filter, net, p, err)) != COR_OK) return st;
    c.g = calloc(1, sizeof *c.g);
    c.link_class = malloc(net->n_links + 1);
    c.node_classes = calloc(net->n_nodes + 1, sizeof *c.node_classes);
    if (!c.g || !c.link_class || !c.node_classes) goto nomem;
    c.g->net = net;
    c.g->profile = *p;
    c.g->profile.avoid_countries = c.g->profile.avoid_nodes = c.g->profile.avoid_links = NULL;
    c.g->profile.scenario = NULL;
    c.g->n_nodes = (uint32_t)net->n_nodes;
    c.g->topology = topology;
    if ((st = classify_links(&c)) != COR_OK || (st = check_counts(&c)) != COR_OK) goto fail;
    if (!number_states(&c) || !build_csr(&c)) goto nomem;
    if (topology && (st = profile_weights(c.g, &c.filter, c.g->weight, err)) != COR_OK) goto fail;
    if (topology) narrow_weights(c.g);
    if (!compute_lower_bound(c.g)) goto nomem;
    cor_graph_fill_meta(c.g);
    *out = c.g;
    c.g = NULL;
    goto done;
nomem:
    st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory compiling the graph");
fail:
    cor_graph_free(c.g);
done:
    cor_filter_clear(&c.filter);
    free(c.link_class);
    free(c.node_classes);
    return st;
}

cor_status cor_graph_compile_private(cor_graph **out, const cor_network *net,
                                     const cor_profile *p, cor_error *err)
{
    return compile(out, net, p, false, err);
}

cor_status cor_graph_compile_topology(cor_graph **out, const cor_network *net,
                                      const cor_profile *p, cor_error *err)
{
    return compile(out, net, p, true, err);
}

cor_status cor_graph_profile_weights(const cor_graph *g, const cor_profile *p, double *w,
                                     cor_error *err)
{
    /* A scenario that only changes figures has its own network with the base's elements at
     * the same indices: the topology of the base serves it. One that adds elements does not
     * (cor_scenario_resolve refuses it on the base). */
    const cor_network *net = g->net;
    cor_status st = cor_scenario_resolve(p->scenario, &net, err);
    if (st != COR_OK) return st;
    unsigned want = p->layers ? p->layers : 1u << COR_LAYER_TRANSPORT;
    unsigned have = g->profile.layers ? g->profile.layers : 1u << COR_LAYER_TRANSPORT;
    if (!g->topology || want != have || net->n_links != g->net->n_links ||
        net->n_nodes != g->net->n_nodes)
        return cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, NULL,
                             "the graph was not compiled as a topology of this network and "
                             "these layers");
    cor_filter f;
    if ((st = cor_filter_init(&f, net, p, err)) != COR_OK) return st;
    st = profile_weights(g, &f, w, err);
    cor_filter_clear(&f);
    return st;
}

void cor_graph_free(cor_graph *g)
{
    if (!g) return;
    if (g->stored) {
        free(g->own_weight);
        cor_cch_metric_free(g->own_metric);
        free(g);
        return;
    }
    free(g->node_first_state);
    free(g->state_node);
    free(g->state_class);
    free(g->first_out);
    free(g->head);
    free(g->arc_link);
    free(g->weight);
    free(g->weight32);
    free(g->first_in);
    free(g->in_tail);
    free(g->in_arc);
    free(g->xyz);
    free(g);
}

size_t cor_graph_state_count(const cor_graph *g)
{
    return g->n_states;
}

size_t cor_graph_arc_count(const cor_graph *g)
{
    return g->n_arcs;
}

size_t cor_graph_memory_bytes(const cor_graph *g)
{
    size_t s = g->n_states, a = g->n_arcs, n = g->n_nodes;
    size_t bytes = sizeof *g + 2 * (s + 1) * 4 + a * (4 + 4 + 4 + 4); /* CSR without weights */
    bytes += a * (g->weight32 ? sizeof(float) : sizeof(double));
    if (g->state_node) bytes += (n + 1) * 4 + s * 5;
    if (g->xyz) bytes += 3 * n * sizeof *g->xyz;
    return bytes;
}

const cor_network *cor_graph_network(const cor_graph *g)
{
    return g->net;
}

bool cor_graph_has_lower_bound(const cor_graph *g)
{
    return g->lb_per_km > 0;
}
