/*
 * cmd_stress.c — `corridor stress`: which links and nodes matter most to a demand, by what
 * their loss costs it (criticality, N-1 and N-2), or to the throughput between two regions.
 */
#include "cli.h"
#include "gpkg.h"
#include "output.h"
#include "places.h"
#include "progress.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor stress [--network FILE] (--od FILE | --from A --to B) [options]\n"
    "\n"
    "For every link and/or node, what its loss costs: extra cost (in the unit of --optimize),\n"
    "hours, USD and kg CO2 summed over the demand, the pairs it disconnects and the demand\n"
    "left unserved; ranked, most critical first. The detour's hours, USD and CO2 count the\n"
    "pairs still connected: when a loss cuts off every pair it affects there is no detour,\n"
    "and they are empty in --csv, null in --json, '-' in the table. Only the pairs whose\n"
    "best route uses an element are searched again. A pair's own origin and destination\n"
    "count as elements of its route (closing them cuts it off). With --measure throughput:\n"
    "the maximum flow from A to B lost when each element goes.\n"
    "\n"
    "  --od FILE              the demand, CSV from,to,quantity (as for 'corridor assign')\n"
    "  --from A --to B        regions (node ids, country codes, EU, LON,LAT; comma-separated); the\n"
    "                         demand is then every pair origin in A, destination in B with\n"
    "                         quantity 1 (border crossings and waypoints are not origins).\n"
    "                         Neither --od nor --from/--to: the --scenario's own from and to\n"
    "  --measure WHAT         time, cost, co2 or distance (the objective, as --optimize), or throughput\n"
    "                         (max-flow from --from to --to; needs capacities)\n"
    "  --elements WHAT        links (default), nodes or both\n"
    "  --k 1|2                failures at once (default 1). With 2: every pair among the\n"
    "                         --candidates most critical single elements (default 20), ranked\n"
    "  --days D               the closure lasts D days: adds lost tonne-days (quantities are\n"
    "                         per year: delay = q/365 x D x extra hours/24 for rerouted pairs,\n"
    "                         waiting = q/365 x D^2/2 for cut-off pairs, whose cargo waits for\n"
    "                         the reopening; negative when a detour is faster); with\n"
    "                         throughput, the units not moved in D days.\n"
    "                         Default: the --scenario's longest duration_days, if it has one\n"
    "  --top N                rows in the table (default 20)\n"
    "  --threads N            elements spread over N threads (default: one per core);\n"
    "                         the results are the same whatever N\n"
    "  --quiet                no progress bar (it shows on a terminal after a second)\n"
    "  --optimize, --modes, --avoid-country, --avoid-node, --avoid-link,\n"
    "  --include-planned, --layer, --scenario FILE   as for 'corridor route'\n"
    "  --max-input BYTES      as for 'corridor route' (the network, scenario and --od files)\n"
    "  --json | --csv | --geojson (links and nodes coloured by criticality), --output FILE\n"
    "  --geopackage FILE      also as GeoPackage layers, styled for QGIS\n"
    "\n"
    "Ctrl-C stops the run and prints the elements assessed so far.\n"
    "Exit status: 0 answered, 1 stopped by Ctrl-C (partial answer printed), 2 bad usage or\n"
    "input.\n"
    "\n"
    "Examples:\n"
    "  corridor stress --od od.csv --elements both --optimize time\n"
    "  corridor stress --from CN --to EU --measure time --k 2 --top 10\n"
    "  corridor stress --from KZ --to AZ,GE --measure throughput --modes rail,ferry\n";

enum { OPT_OD = 4000, OPT_ELEMENTS, OPT_THREADS, OPT_K, OPT_CANDIDATES, OPT_DAYS, OPT_MEASURE,
       OPT_OD_ROWS };

typedef struct stress_opts {
    common_opts c;
    profile_opts p;
    const char *od, *from, *to;
    const char *od_rows; /* the API's demand: "from,to,quantity" items separated by ';' */
    bool links, nodes, throughput;
    long threads, k, candidates;
    double days; /* 0: not asked */
} stress_opts;

static int stress_option(int opt, const char *arg, void *ctx)
{
    stress_opts *o = ctx;
    switch (opt) {
    case OPT_OD: o->od = arg; return 0;
    case OPT_OD_ROWS: o->od_rows = arg; return 0;
    case OPT_FROM: o->from = arg; return 0;
    case OPT_TO: o->to = arg; return 0;
    case OPT_ELEMENTS:
        o->links = strcmp(arg, "links") == 0 || strcmp(arg, "both") == 0;
        o->nodes = strcmp(arg, "nodes") == 0 || strcmp(arg, "both") == 0;
        if (!o->links && !o->nodes)
            return cli_usage_error("stress", "--elements takes links, nodes or both, got '%s'", arg);
        return 0;
    case OPT_THREADS:
        if (!cor_parse_long(arg, &o->threads) || o->threads < 1 || o->threads > 256)
            return cli_usage_error("stress", "--threads needs a whole number from 1 to 256, got '%s'", arg);
        return 0;
    case OPT_K:
        if (!cor_parse_long(arg, &o->k) || o->k < 1 || o->k > 2)
            return cli_usage_error("stress", "--k takes 1 or 2 (failures at once), got '%s'", arg);
        return 0;
    case OPT_CANDIDATES:
        if (!cor_parse_long(arg, &o->candidates) || o->candidates < 2 || o->candidates > 1000)
            return cli_usage_error("stress", "--candidates needs a whole number from 2 to 1000, got '%s'", arg);
        return 0;
    case OPT_DAYS:
        if (!cor_parse_double(arg, &o->days) || !(o->days > 0) || !isfinite(o->days))
            return cli_usage_error("stress", "--days needs a number of days > 0, got '%s'", arg);
        return 0;
    case OPT_MEASURE:
        o->throughput = strcmp(arg, "throughput") == 0;
        if (!o->throughput && !cor_objective_parse(arg, &o->p.profile.objective))
            return cli_usage_error("stress", "--measure takes time, cost, co2, distance or throughput, got '%s'", arg);
        return 0;
    default: return 1;
    }
}

/* ---------------------------------------------------------------- the demand */

/* Nodes where freight of the profile's layers can start or end: touched by a link of those
 * layers, and not a border crossing or a waypoint. */
static uint8_t *endpoints(const cor_network *net, unsigned layers)
{
    uint8_t *ok = calloc(cor_network_node_count(net) + 1, 1);
    unsigned mask = layers ? layers : 1u << COR_LAYER_TRANSPORT;
    for (uint32_t l = 0; ok && l < cor_network_link_count(net); l++) {
        const cor_link *link = cor_network_link(net, l);
        if (mask & (1u << link->layer)) ok[link->from] = ok[link->to] = 1;
    }
    for (uint32_t v = 0; ok && v < cor_network_node_count(net); v++) {
        const char *kind = cor_network_node(net, v)->kind;
        if (kind && (strcmp(kind, "border_crossing") == 0 || strcmp(kind, "waypoint") == 0)) ok[v] = 0;
    }
    return ok;
}

/* Every pair (origin in A, destination in B) of endpoints, quantity 1. */
static cor_status region_demand(const cor_network *net, const stress_opts *o, const char *from,
                                const char *to, cor_demand **out, size_t *n, cor_error *err)
{
    uint32_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    cor_status st = cor_region_resolve(net, from, "from", &a, &na, err);
    if (st == COR_OK) st = cor_region_resolve(net, to, "to", &b, &nb, err);
    uint8_t *ends = st == COR_OK ? endpoints(net, o->p.profile.layers) : NULL;
    *out = ends ? malloc((na * nb + 1) * sizeof **out) : NULL;
    *n = 0;
    if (st == COR_OK && !*out) st = cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    for (size_t i = 0; *out && i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (a[i] != b[j] && ends[a[i]] && ends[b[j]]) (*out)[(*n)++] = (cor_demand){a[i], b[j], 1.0};
    if (st == COR_OK && *n == 0)
        st = cor_error_add(err, COR_ERR_USAGE, NULL, -1, -1, "to",
                           "no pair of places between --from and --to where freight starts or ends");
    free(ends);
    free(a);
    free(b);
    return st;
}

/* ---------------------------------------------------------------- output */

/* What the writers need. */
typedef struct stress_view {
    const stress_opts *o;
    const cor_network *net;
    const cor_criticality_result *r; /* demand criticality */
    size_t n_demand;
    const double *lost;              /* throughput: per element, as r->single's order */
    size_t n_lost;
    double base;
    cor_criticality *ranked;         /* evaluated singles, ranked */
    size_t n_ranked;
    bool stopped;
    char *from, *to;                 /* the regions with LON,LAT places snapped to ids */
    cli_place *snaps;                /* those places */
    size_t n_snaps;
} stress_view;

static const char *kind_name(cor_element_kind k) { return k == COR_ELEMENT_LINK ? "link" : "node"; }

static const char *element_id(const cor_network *net, cor_element_kind kind, uint32_t index)
{
    return kind == COR_ELEMENT_LINK ? cor_network_link(net, index)->id : cor_network_node(net, index)->id;
}

/* The single entry of an element (for "beyond the two alone"). */
static const cor_criticality *single_of(const stress_view *v, cor_element_kind kind, uint32_t index)
{
    size_t nl = v->o->links ? cor_network_link_count(v->net) : 0;
    size_t i = kind == COR_ELEMENT_LINK ? index : nl + index;
    return i < v->r->n_single ? &v->r->single[i] : NULL;
}

/* Lost tonne-days over --days for an entry: delay of the rerouted, waiting of the cut off. */
static double tonne_days(const stress_view *v, const cor_criticality *c)
{
    double d = v->o->days;
    return c->delay_tonne_hours / 24.0 * d / 365.0 + c->unserved / 365.0 * d * d / 2.0;
}

/* What a pair costs beyond its two elements alone: demand newly cut off (unserved), and
 * extra cost (meaningful when nothing more is cut off: cut-off pairs leave the cost sum). */
static double beyond(const stress_view *v, const cor_criticality *c, bool unserved)
{
    const cor_criticality *a = single_of(v, c->kind, c->index), *b = single_of(v, c->kind2, c->index2);
    if (!a || !b) return NAN;
    return unserved ? c->unserved - a->unserved - b->unserved
                    : c->extra_cost - a->extra_cost - b->extra_cost;
}

static json_t *entry_json(const stress_view *v, const cor_criticality *c)
{
    json_t *e = json_pack("{s:s, s:s}", "kind", kind_name(c->kind), "id",
                          element_id(v->net, c->kind, c->index));
    if (c->index2 != COR_NONE) {
        json_object_set_new(e, "kind2", json_string(kind_name(c->kind2)));
        json_object_set_new(e, "id2", json_string(element_id(v->net, c->kind2, c->index2)));
    }
    json_object_set_new(e, "extra_cost", json_num(c->extra_cost));
    json_object_set_new(e, "extra_hours", json_num(c->extra_hours));
    json_object_set_new(e, "extra_usd", json_num(c->extra_usd));
    json_object_set_new(e, "extra_co2_kg", json_num(c->extra_co2_kg));
    json_object_set_new(e, "pairs_affected", json_integer((json_int_t)c->pairs_affected));
    json_object_set_new(e, "pairs_disconnected", json_integer((json_int_t)c->pairs_disconnected));
    json_object_set_new(e, "unserved", json_num(c->unserved));
    if (c->index2 != COR_NONE) {
        json_object_set_new(e, "unserved_beyond_alone", json_num(beyond(v, c, true)));
        json_object_set_new(e, "extra_cost_beyond_alone", json_num(beyond(v, c, false)));
    }
    if (v->o->days > 0) json_object_set_new(e, "lost_tonne_days", json_num(tonne_days(v, c)));
    return e;
}

static char *candidate_rule(const stress_view *v, char *buf, size_t size)
{
    snprintf(buf, size,
             "every pair among the %zu most critical single elements (ranked by unserved demand, "
             "then extra cost, then pairs affected; only elements on some best route)",
             v->r->candidates);
    return buf;
}

/* Throughput rows: elements whose loss lowers the flow, largest loss first. */
typedef struct lost_row {
    cor_element_kind kind;
    uint32_t index;
    double lost;
} lost_row;

static int by_lost(const void *a, const void *b)
{
    const lost_row *x = a, *y = b;
    if (x->lost != y->lost) return x->lost < y->lost ? 1 : -1;
    if (x->kind != y->kind) return x->kind == COR_ELEMENT_LINK ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static lost_row *lost_rows(const stress_view *v, size_t *n)
{
    lost_row *rows = malloc((v->n_lost + 1) * sizeof *rows);
    size_t nl = v->o->links ? cor_network_link_count(v->net) : 0;
    *n = 0;
    for (size_t i = 0; rows && i < v->n_lost; i++)
        if (v->lost[i] > 0)
            rows[(*n)++] = (lost_row){i < nl ? COR_ELEMENT_LINK : COR_ELEMENT_NODE,
                                      (uint32_t)(i < nl ? i : i - nl), v->lost[i]};
    if (rows) qsort(rows, *n, sizeof *rows, by_lost);
    return rows;
}

static json_t *stress_json(const stress_view *v)
{
    const stress_opts *o = v->o;
    json_t *doc = json_object();
    if (o->throughput) {
        size_t n;
        lost_row *rows = lost_rows(v, &n);
        json_object_set_new(doc, "measure", json_string("throughput"));
        json_object_set_new(doc, "from", json_string(o->from));
        json_object_set_new(doc, "to", json_string(o->to));
        json_object_set_new(doc, "base", json_num(v->base));
        if (o->days > 0) json_object_set_new(doc, "days", json_real(o->days));
        json_t *list = json_array();
        for (size_t i = 0; rows && i < n; i++) {
            json_t *e = json_pack("{s:s, s:s, s:o, s:o}", "kind", kind_name(rows[i].kind), "id",
                                  element_id(v->net, rows[i].kind, rows[i].index), "throughput_lost",
                                  json_num(rows[i].lost), "share", json_num(rows[i].lost / v->base));
            if (o->days > 0) json_object_set_new(e, "not_moved", json_num(rows[i].lost * o->days / 365.0));
            json_array_append_new(list, e);
        }
        free(rows);
        json_object_set_new(doc, "elements", list);
        json_object_set_new(doc, "stopped", json_boolean(v->stopped));
        if (v->n_snaps) json_object_set_new(doc, "snapped", cli_places_json(v->net, v->snaps, v->n_snaps));
        return doc;
    }
    json_object_set_new(doc, "optimize", json_string(cor_objective_name(o->p.profile.objective)));
    json_object_set_new(doc, "k", json_integer(o->k));
    json_object_set_new(doc, "demand_pairs", json_integer((json_int_t)v->n_demand));
    json_object_set_new(doc, "pairs_routed", json_integer((json_int_t)v->r->n_pairs_routed));
    if (o->days > 0) json_object_set_new(doc, "days", json_real(o->days));
    json_t *list = json_array();
    for (size_t i = 0; i < v->n_ranked; i++) json_array_append_new(list, entry_json(v, &v->ranked[i]));
    json_object_set_new(doc, "elements", list);
    if (o->k == 2) {
        char rule[256];
        json_t *pairs = json_array();
        for (size_t i = 0; i < v->r->n_pairs; i++)
            json_array_append_new(pairs, entry_json(v, &v->r->pairs[i]));
        json_object_set_new(doc, "candidates", json_integer((json_int_t)v->r->candidates));
        json_object_set_new(doc, "candidate_rule", json_string(candidate_rule(v, rule, sizeof rule)));
        json_object_set_new(doc, "pairs", pairs);
    }
    json_object_set_new(doc, "stopped", json_boolean(v->stopped));
    if (v->n_snaps) json_object_set_new(doc, "snapped", cli_places_json(v->net, v->snaps, v->n_snaps));
    return doc;
}

/* A colour from pale yellow (0) to dark red (1), for maps that read simplestyle. */
static void heat_colour(double t, char out[8])
{
    static const unsigned char stops[3][3] = {{255, 237, 160}, {253, 141, 60}, {189, 0, 38}};
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    int i = t < 0.5 ? 0 : 1;
    double f = (t - 0.5 * i) * 2;
    unsigned c[3];
    for (int k = 0; k < 3; k++) c[k] = (unsigned)(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]) + 0.5);
    snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* Every element with a position, coloured by its share of the largest loss (unserved
 * demand counts first, as in the ranking: elements that cut pairs off are at the top). */
static json_t *stress_geojson(const stress_view *v)
{
    json_t *features = json_array();
    size_t n = 0;
    lost_row *rows = v->o->throughput ? lost_rows(v, &n) : NULL;
    double top_u = 0, top_c = 0;
    for (size_t i = 0; i < v->n_ranked; i++) {
        if (v->ranked[i].unserved > top_u) top_u = v->ranked[i].unserved;
        if (v->ranked[i].extra_cost > top_c) top_c = v->ranked[i].extra_cost;
    }
    size_t count = v->o->throughput ? n : v->n_ranked;
    for (size_t i = 0; i < count; i++) {
        cor_element_kind kind = rows ? rows[i].kind : v->ranked[i].kind;
        uint32_t index = rows ? rows[i].index : v->ranked[i].index;
        double t = rows ? rows[i].lost / rows[0].lost
                   : top_u > 0 ? (v->ranked[i].unserved > 0 ? 0.5 + 0.5 * v->ranked[i].unserved / top_u
                                                             : 0.5 * v->ranked[i].extra_cost / (top_c > 0 ? top_c : 1))
                   : top_c > 0 ? v->ranked[i].extra_cost / top_c : 0;
        json_t *geom;
        if (kind == COR_ELEMENT_LINK) geom = link_geometry(v->net, index, false);
        else {
            const cor_node *node = cor_network_node(v->net, index);
            geom = isnan(node->lon) ? json_null()
                                    : json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates", node->lon, node->lat);
        }
        json_t *props = rows ? json_pack("{s:s, s:s, s:o}", "kind", kind_name(kind), "id",
                                         element_id(v->net, kind, index), "throughput_lost",
                                         json_num(rows[i].lost))
                             : entry_json(v, &v->ranked[i]);
        char colour[8];
        heat_colour(t, colour);
        json_object_set_new(props, "rank", json_integer((json_int_t)i + 1));
        json_object_set_new(props, "criticality", json_num(t));
        json_object_set_new(props, kind == COR_ELEMENT_LINK ? "stroke" : "marker-color", json_string(colour));
        if (kind == COR_ELEMENT_LINK) json_object_set_new(props, "stroke-width", json_real(1 + 5 * t));
        json_array_append_new(features, json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
                                                  geom, "properties", props));
    }
    free(rows);
    return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
}

static void csv_entry(FILE *f, const stress_view *v, const cor_criticality *c)
{
    fprintf(f, "%s,", kind_name(c->kind));
    csv_field(f, element_id(v->net, c->kind, c->index), ",");
    if (v->o->k == 2) {
        fprintf(f, "%s,", c->index2 == COR_NONE ? "" : kind_name(c->kind2));
        csv_field(f, c->index2 == COR_NONE ? "" : element_id(v->net, c->kind2, c->index2), ",");
    }
    csv_number(f, c->extra_cost, ",");
    csv_number(f, c->extra_hours, ",");
    csv_number(f, c->extra_usd, ",");
    csv_number(f, c->extra_co2_kg, ",");
    fprintf(f, "%zu,%zu,", c->pairs_affected, c->pairs_disconnected);
    csv_number(f, c->unserved, v->o->days > 0 ? "," : "\n");
    if (v->o->days > 0) csv_number(f, tonne_days(v, c), "\n");
}

static void print_csv(FILE *f, const stress_view *v)
{
    if (v->o->throughput) {
        size_t n;
        lost_row *rows = lost_rows(v, &n);
        fputs("kind,id,throughput_lost,share\n", f);
        for (size_t i = 0; rows && i < n; i++) {
            fprintf(f, "%s,", kind_name(rows[i].kind));
            csv_field(f, element_id(v->net, rows[i].kind, rows[i].index), ",");
            csv_number(f, rows[i].lost, ",");
            csv_number(f, rows[i].lost / v->base, "\n");
        }
        free(rows);
        return;
    }
    fprintf(f, "kind,id,%sextra_cost,extra_hours,extra_usd,extra_co2_kg,pairs_affected,"
               "pairs_disconnected,unserved%s\n",
            v->o->k == 2 ? "kind2,id2," : "", v->o->days > 0 ? ",lost_tonne_days" : "");
    if (v->o->k == 2)
        for (size_t i = 0; i < v->r->n_pairs; i++) csv_entry(f, v, &v->r->pairs[i]);
    else
        for (size_t i = 0; i < v->n_ranked; i++) csv_entry(f, v, &v->ranked[i]);
}

static void print_table(FILE *f, const stress_view *v)
{
    const stress_opts *o = v->o;
    char a[32], b[32], c[32], d[32], e[32];
    size_t top = (size_t)o->c.top;
    cli_places_print(f, v->net, v->snaps, v->n_snaps);
    if (o->throughput) {
        size_t n;
        lost_row *rows = lost_rows(v, &n);
        fprintf(f, "Throughput from %s to %s: %s per year with everything in place.\n", o->from,
                o->to, fmt_num(a, sizeof a, v->base, 0));
        fprintf(f, "Elements whose loss lowers it (%zu of %zu shown):\n", n < top ? n : top, n);
        fprintf(f, "  %-5s %-44s %14s %7s%s\n", "kind", "id", "lost per year", "share",
                o->days > 0 ? "  not moved in the days" : "");
        for (size_t i = 0; rows && i < n && i < top; i++) {
            fprintf(f, "  %-5s %-44s %14s %6.1f%%", kind_name(rows[i].kind),
                    element_id(v->net, rows[i].kind, rows[i].index), fmt_num(a, sizeof a, rows[i].lost, 0),
                    100.0 * rows[i].lost / v->base);
            if (o->days > 0) fprintf(f, "  %s", fmt_num(b, sizeof b, rows[i].lost * o->days / 365.0, 0));
            fputc('\n', f);
        }
        if (n == 0) fputs("  none: the flow has another way round every element\n", f);
        free(rows);
        return;
    }
    bool pairs = o->k == 2;
    size_t n = pairs ? v->r->n_pairs : v->n_ranked;
    if (pairs) {
        char rule[256];
        fprintf(f, "Most critical pairs of elements (%zu of %zu), optimising %s; candidates: %s.\n",
                n < top ? n : top, n, cor_objective_name(o->p.profile.objective),
                candidate_rule(v, rule, sizeof rule));
    } else {
        fprintf(f, "Most critical elements (%zu of %zu), optimising %s, over %zu O-D pairs (%zu routed):\n",
                n < top ? n : top, n, cor_objective_name(o->p.profile.objective), v->n_demand,
                v->r->n_pairs_routed);
    }
    fprintf(f, "  %-5s %-*s %12s %10s %11s %12s %8s %6s %10s", "kind", pairs ? 60 : 40,
            pairs ? "elements" : "id", pairs ? "extra cost" : "extra cost", "extra h", "extra USD",
            "extra kg CO2", "affected", "cut", "unserved");
    if (pairs) fprintf(f, " %24s", "beyond alone: cut, cost");
    if (o->days > 0) fprintf(f, " %14s", "tonne-days");
    fputc('\n', f);
    const cor_criticality *list = pairs ? v->r->pairs : v->ranked;
    for (size_t i = 0; i < n && i < top; i++) {
        const cor_criticality *x = &list[i];
        char name[160];
        if (pairs)
            snprintf(name, sizeof name, "%s + %s", element_id(v->net, x->kind, x->index),
                     element_id(v->net, x->kind2, x->index2));
        else
            snprintf(name, sizeof name, "%s", element_id(v->net, x->kind, x->index));
        fprintf(f, "  %-5s %-*s %12s %10s %11s %12s %8zu %6zu %10s",
                pairs ? (x->kind == x->kind2 ? kind_name(x->kind) : "mixed") : kind_name(x->kind),
                pairs ? 60 : 40, name, fmt_num(a, sizeof a, x->extra_cost, 1),
                fmt_num(b, sizeof b, x->extra_hours, 1), fmt_num(c, sizeof c, x->extra_usd, 0),
                fmt_num(d, sizeof d, x->extra_co2_kg, 0), x->pairs_affected, x->pairs_disconnected,
                fmt_num(e, sizeof e, x->unserved, 0));
        if (pairs)
            fprintf(f, " %13s, %10s", fmt_num(a, sizeof a, beyond(v, x, true), 0),
                    fmt_num(c, sizeof c, beyond(v, x, false), 1));
        if (o->days > 0) fprintf(f, " %14s", fmt_num(b, sizeof b, tonne_days(v, x), 0));
        fputc('\n', f);
    }
    if (pairs)
        fputs("  (beyond alone: the demand the pair cuts off, and its extra cost, minus what the\n"
              "   two elements do alone; large when each is the other's way round. The extra cost\n"
              "   counts connected pairs only, so it falls when more is cut off)\n", f);
}

static bool write_output(FILE *f, const stress_view *v)
{
    if (v->stopped)
        fputs("corridor stress: stopped by Ctrl-C; what follows covers the elements assessed so far\n",
              stderr);
    if (v->o->c.out == OUT_TABLE || v->o->c.out == OUT_CSV) {
        (v->o->c.out == OUT_CSV ? print_csv : print_table)(f, v);
        return !ferror(f);
    }
    json_t *doc = v->o->c.out == OUT_GEOJSON ? stress_geojson(v) : stress_json(v);
    bool ok = json_write(f, doc);
    json_decref(doc);
    return ok;
}

/* ---------------------------------------------------------------- the command */

static int stress_check(void *ctx)
{
    stress_opts *o = ctx;
    bool od = o->od || o->od_rows;
    if (od && (o->from || o->to))
        return cli_usage_error("stress", "give either --od FILE or --from and --to, not both");
    bool scenario = o->p.scenario_path || o->p.scenario; /* may name its own from and to */
    if (!od && !(o->from && o->to) && (o->from || o->to || !scenario))
        return cli_usage_error("stress", "give --od FILE, or --from and --to regions");
    if (o->throughput && od)
        return cli_usage_error("stress", "--measure throughput needs --from and --to, not --od");
    if (o->throughput && o->k == 2)
        return cli_usage_error("stress", "--k 2 is for time, cost and co2, not throughput");
    if (o->candidates && o->k != 2) return cli_usage_error("stress", "--candidates goes with --k 2");
    return 0;
}

/* The demand (file, API rows or regions) and the analysis into v; an exit code, or
 * EXIT_NO_ANSWER with v->stopped when the progress callback stopped it. */
static int stress_find(stress_view *v, const cor_network *net, const cor_progress *progress,
                       cor_demand **d, cor_criticality_result *r)
{
    const stress_opts *o = v->o;
    cor_error err;
    cor_error_init(&err);
    cor_status st = COR_OK;
    size_t nd = 0;
    *d = NULL;
    v->net = net;
    v->r = r;
    if (o->from && o->to && !o->od && !o->od_rows &&
        (!(v->from = cli_region_places("stress", "from", net, &o->p, o->from, &v->snaps, &v->n_snaps)) ||
         !(v->to = cli_region_places("stress", "to", net, &o->p, o->to, &v->snaps, &v->n_snaps))))
        return EXIT_BAD;
    if (o->throughput) {
        uint32_t *src = NULL, *dst = NULL;
        size_t ns = 0, nt = 0;
        st = cor_region_resolve(net, v->from, "from", &src, &ns, &err);
        if (st == COR_OK) st = cor_region_resolve(net, v->to, "to", &dst, &nt, &err);
        double *lost = NULL;
        if (st == COR_OK) {
            cor_flow_spec fs = {&o->p.profile, src, ns, dst, nt, true, false};
            st = cor_throughput_criticality(net, &fs, o->links, o->nodes, progress, &v->base, &lost,
                                            &v->n_lost, &err);
        }
        v->lost = lost;
        free(src);
        free(dst);
    } else {
        if (o->od_rows) st = (*d = cli_demand_rows("stress", "od", net, o->od_rows, &nd)) ? COR_OK : COR_ERR_INPUT;
        else if (o->od) st = cor_demand_load_with(o->od, net, &o->c.load, d, &nd, &err);
        else st = region_demand(net, o, v->from, v->to, d, &nd, &err);
        if (st == COR_OK) {
            cor_criticality_spec spec = {&o->p.profile, *d, nd, o->links, o->nodes, (unsigned)o->k,
                                         (size_t)o->candidates, (unsigned)o->threads, progress};
            st = cor_criticality_run(net, &spec, r, &err);
            v->n_demand = nd;
            v->ranked = malloc((r->n_single + 1) * sizeof *v->ranked);
            for (size_t i = 0; v->ranked && i < r->n_single; i++)
                if (r->single[i].evaluated) v->ranked[v->n_ranked++] = r->single[i];
            if (v->ranked) cor_criticality_rank(v->ranked, v->n_ranked);
            else if (st == COR_OK) st = cor_error_add(&err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
        }
    }
    v->stopped = st == COR_ERR_CANCELLED;
    int rc = v->stopped ? EXIT_NO_ANSWER : st == COR_OK ? EXIT_ANSWERED : EXIT_BAD;
    if (st != COR_OK && !v->stopped && err.count) {
        cli_print_problems(&err);
        rc = cli_exit_for(st);
    }
    cor_error_clear(&err);
    return rc;
}

/* Without --od, --from and --to, the scenario's own "from" and "to" are the question. */
static bool pair_from_scenario(stress_opts *o, const cor_network *on)
{
    if (o->od || o->od_rows || (o->from && o->to)) return true;
    uint32_t a = COR_NONE, b = COR_NONE;
    if (o->p.scenario) cor_scenario_pair(o->p.scenario, &a, &b);
    if (a == COR_NONE || b == COR_NONE) {
        cli_usage_error("stress", "give --od FILE, or --from and --to regions (the scenario names "
                                  "no \"from\" and \"to\")");
        return false;
    }
    o->from = cor_network_node(on, a)->id;
    o->to = cor_network_node(on, b)->id;
    return true;
}

/* Without --days, a scenario's duration says how long the closure lasts. */
static void days_from_scenario(stress_opts *o)
{
    double d = o->p.scenario ? cor_scenario_duration_days(o->p.scenario) : NAN;
    if (!(o->days > 0) && isfinite(d) && d > 0) o->days = d;
}

static void view_clear(stress_view *v, cor_demand *d, cor_criticality_result *r)
{
    cor_criticality_result_clear(r);
    free(v->ranked);
    free((double *)v->lost);
    free(v->from);
    free(v->to);
    free(v->snaps);
    free(d);
}

static void stress_init(void *ctx)
{
    stress_opts *o = ctx;
    o->links = true;
    o->k = 1;
    o->c.top = 20;
    cor_profile_init(&o->p.profile);
}

static void stress_clear(void *ctx)
{
    cli_profile_free(&((stress_opts *)ctx)->p);
}

#define STRESS_OPTIONS                                                                     \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}, {"measure", required_argument, 0, OPT_MEASURE}, \
        {"elements", required_argument, 0, OPT_ELEMENTS}, {"k", required_argument, 0, OPT_K}, \
        {"candidates", required_argument, 0, OPT_CANDIDATES},                              \
        {"days", required_argument, 0, OPT_DAYS}, TOP_LONG_OPTION

int cmd_stress(int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, GEOPACKAGE_LONG_OPTION, STRESS_OPTIONS,
                                          {"od", required_argument, 0, OPT_OD},
                                          {"threads", required_argument, 0, OPT_THREADS},
                                          QUIET_LONG_OPTION,
                                          {0, 0, 0, 0}};
    stress_opts o = {0};
    stress_init(&o);
    cor_network *net = NULL;
    cor_demand *d = NULL;
    cor_criticality_result r = {0};
    stress_view v = {.o = &o, .r = &r};
    int rc = cli_parse_command(&cli_stress_command, argc, argv, usage, longs, &o);
    if (rc) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    days_from_scenario(&o);
    if (!pair_from_scenario(&o, env.net)) goto done;
    cli_progress bar;
    cli_progress_start(&bar, "stress", o.c.quiet);
    rc = stress_find(&v, env.net, &bar.lib, &d, &r);
    cli_progress_end(&bar);
    if (rc != EXIT_ANSWERED && !v.stopped) goto done;
    if (o.c.geopackage && gpkg_write("stress", o.c.geopackage, stress_geojson(&v))) rc = EXIT_BAD;
    FILE *f = rc == EXIT_BAD ? NULL : cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &v) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    view_clear(&v, d, &r);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int stress_answer(void *ctx, cli_env *env, json_t **doc)
{
    stress_opts *o = ctx;
    o->threads = 1; /* the server's own threads serve other requests meanwhile */
    days_from_scenario(o);
    *doc = NULL;
    if (!pair_from_scenario(o, env->net)) return EXIT_BAD;
    cor_demand *d = NULL;
    cor_criticality_result r = {0};
    stress_view v = {.o = o, .r = &r};
    cor_progress deadline = cli_env_progress(env);
    int rc = stress_find(&v, env->net, &deadline, &d, &r);
    if (v.stopped) rc = (cli_env_expired(env, "stress"), EXIT_BAD);
    *doc = rc == EXIT_ANSWERED ? stress_json(&v) : NULL;
    view_clear(&v, d, &r);
    return rc;
}

static const struct option stress_params[] = {STRESS_OPTIONS, {"od", required_argument, 0, OPT_OD_ROWS},
                                              {0, 0, 0, 0}};

const cli_command cli_stress_command = {
    "stress",     stress_params, sizeof(stress_opts), offsetof(stress_opts, c), offsetof(stress_opts, p),
    stress_init,  stress_option, stress_check,        stress_answer,            stress_clear};
