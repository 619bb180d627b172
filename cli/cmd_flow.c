/*
 * cmd_flow.c — `corridor flow`: how much can go per year from one region to another, and
 * the minimum cut (the links and terminals) that limits it.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "gpkg.h"
#include "output.h"
#include "places.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor flow [--network FILE] --from REGION --to REGION [options]\n"
    "\n"
    "The maximum throughput per year from one set of nodes to another, the minimum cut\n"
    "that bounds it (links and terminals, with their capacities), and the flow on each\n"
    "link. A REGION is a comma-separated list of node ids, ISO country codes (all nodes\n"
    "of the country), EU (the 27 member states) and LON,LAT places (the nearest node with\n"
    "a link in the layer, within --snap-limit KM, default 50). Link and node capacities count;\n"
    "an element without a capacity figure is taken as unlimited.\n"
    "\n"
    "  --layer L             transport (default; TEU/year), gas (bcm/year), oil (Mt/year),\n"
    "                        data (Tbit/s)\n"
    "  --unit U              the layer's unit (TEU, bcm, Mt, Tbit/s): a check, not a conversion\n"
    "  --no-node-capacity    ignore node (terminal, port) capacities\n"
    "  --capacity cost       use each link's cost as its capacity (DIMACS benchmarks)\n"
    "  --modes, --avoid-country, --avoid-node, --avoid-link, --include-planned,\n"
    "  --scenario FILE       as for 'corridor route'\n"
    "  --max-input BYTES     as for 'corridor route'\n"
    "  --top N               links listed in the table (default 15; all in JSON/CSV)\n"
    "  --json | --geojson | --csv, --output FILE\n"
    "  --geopackage FILE     also as GeoPackage layers, styled for QGIS\n"
    "\n"
    "Exit status: 0 answered, 1 nothing can flow, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor flow --from CN --to EU\n"
    "  corridor flow --from CN-XIAN --to DE-DUISBURG --unit TEU\n"
    "  corridor flow --layer gas --from AZ-SHAH-DENIZ --to IT\n";

enum { OPT_UNIT = 2000, OPT_NO_NODE_CAP, OPT_CAPACITY };

typedef struct flow_opts {
    common_opts c;
    profile_opts p;
    const char *from, *to, *unit;
    bool no_node_capacity, capacity_from_cost;
    cor_layer layer; /* the one layer flows are asked on (set by flow_check) */
} flow_opts;

static const char *const layer_units[COR_LAYER_COUNT] = {"TEU", "bcm", "Mt", "Tbit/s"};

static int flow_option(int opt, const char *arg, void *ctx) {
    flow_opts *o = ctx;
    switch (opt) {
    case OPT_FROM:
        o->from = arg;
        return 0;
    case OPT_TO:
        o->to = arg;
        return 0;
    case OPT_UNIT:
        o->unit = arg;
        return 0;
    case OPT_NO_NODE_CAP:
        o->no_node_capacity = true;
        return 0;
    case OPT_CAPACITY:
        if (strcmp(arg, "cost") != 0)
            return cli_usage_error("flow", "--capacity takes only 'cost', got '%s'", arg);
        o->capacity_from_cost = true;
        return 0;
    default:
        return 1;
    }
}

static int flow_check(void *ctx) {
    flow_opts *o = ctx;
    if (!o->from || !o->to) return cli_usage_error("flow", "give --from and --to regions");
    unsigned layers = o->p.profile.layers ? o->p.profile.layers : 1u << COR_LAYER_TRANSPORT;
    if (layers & (layers - 1))
        return cli_usage_error("flow", "give one --layer: flows of different layers do not add up");
    o->layer = (cor_layer)__builtin_ctz(layers);
    if (o->unit && strcmp(o->unit, layer_units[o->layer]) != 0)
        return cli_usage_error(
            "flow", "the %s layer is measured in %s per year; there is no conversion to '%s'",
            cor_layer_name(o->layer), layer_units[o->layer], o->unit);
    return 0;
}

#define FLOW_OPTIONS                                                                       \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}, {"unit", required_argument, 0, OPT_UNIT},    \
        {"no-node-capacity", no_argument, 0, OPT_NO_NODE_CAP},                             \
        {"capacity", required_argument, 0, OPT_CAPACITY}, TOP_LONG_OPTION

static int parse_args(flow_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, GEOPACKAGE_LONG_OPTION, FLOW_OPTIONS, {0, 0, 0, 0}};
    return cli_parse_command(&cli_flow_command, argc, argv, usage, longs, o);
}

/* ---------------------------------------------------------------- regions */

/* Node ids, country codes and EU into distinct node indices (cor_region_resolve); NULL on
 * an unknown token (reported). */
static uint32_t *resolve_region(const cor_network *net, const char *spec, const char *what,
                                size_t *n_out) {
    uint32_t *nodes = NULL;
    cor_error err;
    cor_error_init(&err);
    if (cor_region_resolve(net, spec, what, &nodes, n_out, &err) != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    return nodes;
}

/* ---------------------------------------------------------------- output */

typedef struct flow_view {
    const flow_opts *o;
    const cor_network *net;
    const cor_flow_result *r;
    cor_layer layer;
    size_t n_sources, n_sinks;
    cli_place *snaps; /* the regions' LON,LAT places (malloc'd) */
    size_t n_snaps;
} flow_view;

/* Capacity of the direction a link's flow runs in (NaN: no figure). */
static double link_capacity(const cor_link *l, double flow, bool from_cost) {
    double c = from_cost ? l->cost : l->capacity,
           rc = from_cost ? l->reverse_cost : l->reverse_capacity;
    return flow < 0 && !isnan(rc) ? rc : c;
}

static int by_flow_desc(const void *a, const void *b, void *ctx) {
    const double *f = ctx;
    double x = fabs(f[*(const uint32_t *)a]), y = fabs(f[*(const uint32_t *)b]);
    return (x < y) - (x > y);
}

/* Links that carry flow, largest first. */
static uint32_t *links_by_flow(const flow_view *v, size_t *n) {
    size_t nl = cor_network_link_count(v->net);
    uint32_t *ids = malloc((nl + 1) * sizeof *ids);
    *n = 0;
    if (!ids || !v->r->link_flow) return ids; /* unlimited: no flows computed */
    for (uint32_t i = 0; i < nl; i++)
        if (v->r->link_flow[i] != 0) ids[(*n)++] = i;
    qsort_r(ids, *n, sizeof *ids, by_flow_desc, v->r->link_flow);
    return ids;
}

/* "TEU per year", or "(capacity units)" for pgRouting and DIMACS files, whose numbers
 * have no unit. */
static const char *flow_unit(const flow_view *v) {
    static const char *const names[COR_LAYER_COUNT] = {"TEU per year", "bcm per year",
                                                       "Mt per year", "Tbit/s"};
    cor_format fmt = cor_network_format(v->net);
    if (fmt == COR_FORMAT_PGROUTING || fmt == COR_FORMAT_DIMACS || v->o->capacity_from_cost)
        return "(capacity units)";
    return names[v->layer];
}

static void cut_label(const cor_network *net, const cor_cut_item *c, char *buf, size_t size) {
    if (c->is_node) {
        const cor_node *n = cor_network_node(net, c->index);
        snprintf(buf, size, "node %s%s%s%s", n->id, n->kind ? " (" : "", n->kind ? n->kind : "",
                 n->kind ? ")" : "");
    } else {
        const cor_link *l = cor_network_link(net, c->index);
        snprintf(buf, size, "link %s (%s -> %s)", l->id,
                 cor_network_node(net, c->reversed ? l->to : l->from)->id,
                 cor_network_node(net, c->reversed ? l->from : l->to)->id);
    }
}

static void print_table(FILE *f, const flow_view *v) {
    char a[32], b[32], c[32], label[320];
    const char *unit = flow_unit(v);
    cli_places_print(f, v->net, v->snaps, v->n_snaps);
    fprintf(f, "Maximum flow from %s to %s (%s layer; sources: %zu node%s, sinks: %zu node%s%s): ",
            v->o->from, v->o->to, cor_layer_name(v->layer), v->n_sources,
            v->n_sources == 1 ? "" : "s", v->n_sinks, v->n_sinks == 1 ? "" : "s",
            v->o->no_node_capacity ? "" : "; node capacities counted");
    if (isinf(v->r->value)) {
        fprintf(f, "no limit\n\nNo element of this path has a capacity figure:\n  ");
        for (size_t i = 0; i < v->r->n_open_path; i++)
            fprintf(f, "%s%s", i ? " > " : "", cor_network_node(v->net, v->r->open_path[i])->id);
        fprintf(f, "\nGive capacities to its links or nodes to get a finite answer.\n");
        return;
    }
    fprintf(f, "%s %s\n", fmt_num(a, sizeof a, v->r->value, 2), unit);
    if (v->r->n_cut) {
        fprintf(f, "\nWhat limits it (a minimum cut):\n  %-60s %14s\n", "element", "capacity");
        for (size_t i = 0; i < v->r->n_cut; i++) {
            cut_label(v->net, &v->r->cut[i], label, sizeof label);
            fprintf(f, "  %-60s %14s\n", label, fmt_num(a, sizeof a, v->r->cut[i].capacity, 2));
        }
    }
    size_t n;
    uint32_t *ids = links_by_flow(v, &n);
    size_t shown = n < (size_t)v->o->c.top ? n : (size_t)v->o->c.top;
    if (ids && shown) {
        fprintf(f, "\nFlow on links (the %zu largest of %zu carrying flow):\n", shown, n);
        fprintf(f, "  %-40s %-16s %-16s %12s %12s %6s\n", "link", "from", "to", "flow", "capacity",
                "use");
        for (size_t k = 0; k < shown; k++) {
            const cor_link *l = cor_network_link(v->net, ids[k]);
            double fl = v->r->link_flow[ids[k]],
                   cap = link_capacity(l, fl, v->o->capacity_from_cost);
            bool back = fl < 0;
            snprintf(c, sizeof c, "%s", isnan(cap) ? "-" : "");
            if (!isnan(cap)) snprintf(c, sizeof c, "%.0f%%", 100 * fabs(fl) / cap);
            fprintf(f, "  %-40s %-16s %-16s %12s %12s %6s\n", l->id,
                    cor_network_node(v->net, back ? l->to : l->from)->id,
                    cor_network_node(v->net, back ? l->from : l->to)->id,
                    fmt_num(a, sizeof a, fabs(fl), 2), fmt_num(b, sizeof b, cap, 2), c);
        }
    }
    free(ids);
}

static json_t *flow_json(const flow_view *v) {
    json_t *doc = json_object(), *cut = json_array(), *links = json_array(), *path = json_array();
    json_object_set_new(doc, "from", json_string(v->o->from));
    json_object_set_new(doc, "to", json_string(v->o->to));
    json_object_set_new(doc, "layer", json_string(cor_layer_name(v->layer)));
    json_object_set_new(doc, "unit", json_string(flow_unit(v)));
    json_object_set_new(doc, "value", json_num(v->r->value));
    json_object_set_new(doc, "unlimited", json_boolean(isinf(v->r->value)));
    if (v->n_snaps) json_object_set_new(doc, "snapped", cli_places_json(v->net, v->snaps, v->n_snaps));
    for (size_t i = 0; i < v->r->n_open_path; i++)
        json_array_append_new(path, json_string(cor_network_node(v->net, v->r->open_path[i])->id));
    json_object_set_new(doc, "open_path", path);
    for (size_t i = 0; i < v->r->n_cut; i++) {
        const cor_cut_item *c = &v->r->cut[i];
        const char *id = c->is_node ? cor_network_node(v->net, c->index)->id
                                    : cor_network_link(v->net, c->index)->id;
        json_array_append_new(cut, json_pack("{s:s, s:s, s:b, s:o}", "kind",
                                             c->is_node ? "node" : "link", "id", id, "reversed",
                                             c->reversed, "capacity", json_num(c->capacity)));
    }
    json_object_set_new(doc, "cut", cut);
    size_t n;
    uint32_t *ids = links_by_flow(v, &n);
    for (size_t k = 0; ids && k < n; k++) {
        const cor_link *l = cor_network_link(v->net, ids[k]);
        double fl = v->r->link_flow[ids[k]], cap = link_capacity(l, fl, v->o->capacity_from_cost);
        json_array_append_new(
            links,
            json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}", "id", l->id, "from",
                      cor_network_node(v->net, fl < 0 ? l->to : l->from)->id, "to",
                      cor_network_node(v->net, fl < 0 ? l->from : l->to)->id, "flow", fabs(fl),
                      "capacity", json_num(cap), "utilisation", json_num(fabs(fl) / cap)));
    }
    free(ids);
    json_object_set_new(doc, "links", links);
    return doc;
}

static json_t *flow_geojson(const flow_view *v) {
    json_t *features = json_array();
    size_t nl = cor_network_link_count(v->net);
    for (uint32_t i = 0; i < nl; i++) {
        double fl = v->r->link_flow ? v->r->link_flow[i] : 0;
        bool in_cut = false;
        for (size_t k = 0; k < v->r->n_cut; k++)
            in_cut |= !v->r->cut[k].is_node && v->r->cut[k].index == i;
        if (fl == 0 && !in_cut) continue;
        const cor_link *l = cor_network_link(v->net, i);
        double cap = link_capacity(l, fl, v->o->capacity_from_cost);
        json_t *props =
            json_pack("{s:s, s:f, s:o, s:o, s:b}", "id", l->id, "flow", fabs(fl), "capacity",
                      json_num(cap), "utilisation", json_num(fabs(fl) / cap), "in_cut", in_cut);
        json_array_append_new(features,
                              json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
                                        link_geometry(v->net, i, fl < 0), "properties", props));
    }
    return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
}

static void print_csv(FILE *f, const flow_view *v) {
    size_t n;
    uint32_t *ids = links_by_flow(v, &n);
    fputs("link,from,to,flow,capacity,utilisation\n", f);
    for (size_t k = 0; ids && k < n; k++) {
        const cor_link *l = cor_network_link(v->net, ids[k]);
        double fl = v->r->link_flow[ids[k]], cap = link_capacity(l, fl, v->o->capacity_from_cost);
        csv_field(f, l->id, ",");
        csv_field(f, cor_network_node(v->net, fl < 0 ? l->to : l->from)->id, ",");
        csv_field(f, cor_network_node(v->net, fl < 0 ? l->from : l->to)->id, ",");
        csv_number(f, fabs(fl), ",");
        csv_number(f, cap, ",");
        csv_number(f, fabs(fl) / cap, "\n");
    }
    free(ids);
}

static bool write_output(FILE *f, const flow_view *v) {
    if (v->o->c.out == OUT_TABLE)
        print_table(f, v);
    else if (v->o->c.out == OUT_CSV)
        print_csv(f, v);
    else {
        json_t *doc = v->o->c.out == OUT_JSON ? flow_json(v) : flow_geojson(v);
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* The maximum flow between the regions into *r (v filled); an exit code. */
static int flow_find(const flow_opts *o, cli_env *env, cor_flow_result *r, flow_view *v) {
    uint32_t *sources = NULL, *sinks = NULL;
    *v = (flow_view){o, env->net, r, o->layer, 0, 0, NULL, 0};
    int rc = EXIT_BAD;
    char *from = cli_region_places("flow", "from", env->net, &o->p, o->from, &v->snaps, &v->n_snaps);
    char *to = from ? cli_region_places("flow", "to", env->net, &o->p, o->to, &v->snaps, &v->n_snaps)
                    : NULL;
    if (!to || !(sources = resolve_region(env->net, from, "from", &v->n_sources)) ||
        !(sinks = resolve_region(env->net, to, "to", &v->n_sinks)) ||
        cli_env_expired(env, "flow"))
        goto done;
    cor_flow_spec spec = {&o->p.profile, sources, v->n_sources, sinks, v->n_sinks,
                          !o->no_node_capacity, o->capacity_from_cost};
    cor_error err;
    cor_error_init(&err);
    if (cor_maxflow(env->net, &spec, r, &err) != COR_OK) cli_print_problems(&err);
    else rc = r->value > 0 ? EXIT_ANSWERED : EXIT_NO_ANSWER;
    cor_error_clear(&err);
done:
    free(from);
    free(to);
    free(sources);
    free(sinks);
    return rc;
}

static void flow_init(void *ctx) {
    flow_opts *o = ctx;
    o->c.top = 15;
    cor_profile_init(&o->p.profile);
}

int cmd_flow(int argc, char **argv) {
    flow_opts o = {0};
    flow_init(&o);
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    cor_flow_result r = {0};
    flow_view v = {0};
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    if ((rc = flow_find(&o, &env, &r, &v)) == EXIT_BAD) goto done;
    if (o.c.geopackage && gpkg_write("flow", o.c.geopackage, flow_geojson(&v))) rc = EXIT_BAD;
    FILE *f = rc == EXIT_BAD ? NULL : cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &v) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    free(v.snaps);
    cor_flow_result_clear(&r);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int flow_answer(void *ctx, cli_env *env, json_t **doc) {
    cor_flow_result r = {0};
    flow_view v;
    int rc = flow_find(ctx, env, &r, &v);
    *doc = rc != EXIT_BAD ? flow_json(&v) : NULL;
    free(v.snaps);
    cor_flow_result_clear(&r);
    return rc;
}

static void flow_clear(void *ctx) {
    cli_profile_free(&((flow_opts *)ctx)->p);
}

static const struct option flow_params[] = {FLOW_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_flow_command = {
    "flow",      flow_params, sizeof(flow_opts), offsetof(flow_opts, c), offsetof(flow_opts, p),
    flow_init,   flow_option, flow_check,        flow_answer,            flow_clear};
