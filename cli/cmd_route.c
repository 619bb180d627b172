/*
 * cmd_route.c — `corridor route`: one route, routes through via points, k alternatives,
 * or a whole file of pairs answered in one process.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "gpkg.h"
#include "output.h"
#include "places.h"
#include "progress.h"

#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
    "Usage: corridor route [--network FILE] --from ID --to ID [options]\n"
    "       corridor route [--network FILE] --pairs FILE [options]\n"
    "\n"
    "Finds the best route between two places: the fewest hours, the fewest dollars, the\n"
    "least CO2, or the lowest generalised cost, with transfers between modes, changes of\n"
    "rail gauge, waits for ferries and border dwell times counted.\n"
    "\n"
    "  --network FILE         GeoJSON, nodes+links CSV, pgRouting edge CSV, DIMACS .gr\n"
    "                         (.gz read directly); default: the embedded example network\n"
    "  --format FMT           geojson | csv | pgrouting | dimacs (default: by extension)\n"
    "  --max-input BYTES      the most one input file may hold, decompressed too (default\n"
    "                         256M; K, M, G suffixes): docs/LIMITS.md\n"
    "  --from PLACE, --to PLACE   a node id, or LON,LAT (decimal points: 1.5218,42.5063)\n"
    "                         snapped to the nearest node the profile can use\n"
    "  --via PLACES           pass through these places, in order (repeatable); a list is\n"
    "                         ID,ID,... or, with coordinates, PLACE;PLACE;...\n"
    "  --snap-limit KM        refuse a coordinate farther from every usable node (default 50)\n"
    "  --optimize WHAT        cost (default) | time | co2 | generalised | distance (km)\n"
    "  --value-of-time USD    USD per hour, for generalised cost (default 0)\n"
    "  --carbon-price USD     USD per tonne CO2, for generalised cost (default 0)\n"
    "  --modes LIST           only these modes: rail,road,ferry,sea\n"
    "  --avoid-country LIST   ISO codes, e.g. RU,IR\n"
    "  --avoid-node LIST      node ids;  --avoid-link LIST: link ids\n"
    "  --include-planned      treat planned links as open\n"
    "  --scenario FILE        apply a scenario (JSON: links opened or closed, ...)\n"
    "  --alternatives K       the K best loopless routes (Yen's algorithm)\n"
    "  --geometry             with --json: each link leg also carries its line (a GeoJSON\n"
    "                         LineString, in the direction travelled)\n"
    "  --index cch|none       answer through a routing index built after loading (same\n"
    "                         routes' costs; pays off on road-sized networks); default none\n"
    "  --pairs FILE           one 'from,to' pair a line (comma or spaces; header optional;\n"
    "                         a place may be LON,LAT: '1.52,42.50 1.73,42.54');\n"
    "                         a progress bar on a terminal after a second (--quiet: none),\n"
    "                         Ctrl-C stops with the pairs answered so far written\n"
    "  --json | --geojson | --csv   output format (default: a table)\n"
    "  --output FILE          write there (atomically) instead of standard output\n"
    "  --geopackage FILE      also the legs as a GeoPackage (QGIS opens it styled by mode)\n"
    "\n"
    "Exit status: 0 answered, 1 no route, 2 bad usage or bad input.\n"
    "\n"
    "Example:\n"
    "  corridor route --from CN-XIAN --to DE-DUISBURG --optimize time --alternatives 2\n"
    "  corridor route --network roads.geojson --from 1.5218,42.5063 --to 1.7300,42.5420 \\\n"
    "      --optimize distance\n";

typedef struct route_opts {
    common_opts c;
    profile_opts p;
    const char *from, *to, *pairs;
    const char *via_args[16]; /* each a list of places, read once the network is loaded */
    size_t n_via_args;
    long alternatives;
    bool geometry; /* --geometry: legs carry their lines in --json */
} route_opts;

enum { OPT_GEOMETRY = 6000 };

/* Node ids close to an unknown one: the same letters ignoring case, or containing it,
 * as " (did you mean 'A' Alpha, ...?)"; "" when none. */
static void suggest(const cor_network *net, const char *id, char *buf, size_t size)
{
    int shown = 0;
    size_t n = cor_network_node_count(net), used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n && shown < 5 && used < size; i++) {
        const cor_node *node = cor_network_node(net, i);
        bool close = strcasecmp(node->id, id) == 0 || strcasestr(node->id, id) ||
                     (node->name && strcasestr(node->name, id));
        if (!close) continue;
        used += (size_t)snprintf(buf + used, size - used, "%s'%s'%s%s",
                                 shown ? ", " : " (did you mean ", node->id, node->name ? " " : "",
                                 node->name ? node->name : "");
        shown++;
    }
    if (shown && used + 3 < size) strcat(buf, "?)");
}

/* Reads one option's places (ids or LON,LAT) into pl; an unknown plain id gets the
 * suggestions of close ids. */
static bool find_places(const cor_network *net, const char *text, const char *what, bool one,
                        cli_place *pl, size_t cap, size_t *n)
{
    if (!strchr(text, ',') && !strchr(text, ';') && cor_network_find_node(net, text) == COR_NONE) {
        char hint[512];
        suggest(net, text, hint, sizeof hint);
        cli_fail("route", COR_ERR_NOT_FOUND, what, "--%s: no node has the id '%s'%s", what, text, hint);
        return false;
    }
    return cli_places_parse("route", what, net, text, one, pl, cap, n);
}

static int route_option(int opt, const char *arg, void *ctx)
{
    route_opts *o = ctx;
    switch (opt) {
    case OPT_FROM: o->from = arg; return 0;
    case OPT_TO: o->to = arg; return 0;
    case OPT_PAIRS: o->pairs = arg; return 0;
    case OPT_GEOMETRY: o->geometry = true; return 0;
    case OPT_VIA:
        if (o->n_via_args == 16) return cli_usage_error("route", "at most 16 --via options");
        o->via_args[o->n_via_args++] = arg;
        return 0;
    case OPT_ALTERNATIVES:
        if (!cor_parse_long(arg, &o->alternatives) || o->alternatives < 1 || o->alternatives > 100)
            return cli_usage_error("route", "--alternatives needs a whole number from 1 to 100, got '%s'",
                                   arg);
        return 0;
    default: return 1;
    }
}

/* The checks once every option is in (shared with the server). */
static int route_check(void *ctx)
{
    route_opts *o = ctx;
    if (o->pairs && (o->from || o->to || o->n_via_args))
        return cli_usage_error("route", "--pairs replaces --from, --to and --via");
    if (!o->pairs && (!o->from || !o->to))
        return cli_usage_error("route", "give --from and --to (or --pairs FILE)");
    if (o->alternatives > 1 && o->n_via_args)
        return cli_usage_error("route", "--alternatives and --via cannot be combined");
    if (o->pairs && (o->c.out == OUT_GEOJSON || o->c.geopackage))
        return cli_usage_error("route", "--pairs prints a table, --csv or --json, not --geojson or --geopackage");
    /* (the server's answers are --json's: its c.out stays OUT_TABLE, see cmd_route) */
    if (o->geometry && (o->pairs || (o->c.out != OUT_JSON && o->c.out != OUT_TABLE)))
        return cli_usage_error("route", "--geometry goes with --json for one question (not --pairs, "
                                        "--csv or --geojson, which has the lines already)");
    return 0;
}

#define ROUTE_OPTIONS                                                                      \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}, {"via", required_argument, 0, OPT_VIA},      \
        {"alternatives", required_argument, 0, OPT_ALTERNATIVES},                          \
        {"geometry", no_argument, 0, OPT_GEOMETRY}

static int parse_args(route_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, ROUTE_OPTIONS,
                                           {"pairs", required_argument, 0, OPT_PAIRS},
                                           QUIET_LONG_OPTION, GEOPACKAGE_LONG_OPTION, INDEX_LONG_OPTION,
                                           {0, 0, 0, 0}};
    return cli_parse_command(&cli_route_command, argc, argv, usage, longs, o);
}

static void route_opts_free(route_opts *o)
{
    cli_profile_free(&o->p);
}

/* ---------------------------------------------------------------- one route */

/* The places of a route question, once read and snapped. */
typedef struct route_places {
    cli_place pl[2 + 256];
    size_t n;
    const char *engine; /* what answered: "cch" (the index) or "dijkstra" (the exact search) */
} route_places;

static void print_routes_table(FILE *f, const cor_network *net, const route_opts *o,
                               const route_places *rp, const cor_route *routes, size_t n)
{
    char cost[32];
    cli_places_print(f, net, rp->pl, rp->n);
    for (size_t i = 0; i < n; i++) {
        if (n > 1) fprintf(f, "%sRoute %zu of %zu", i ? "\n" : "", i + 1, n);
        else fprintf(f, "Route");
        fprintf(f, " %s -> %s, optimising %s (%s %s)\n", o->from, o->to,
                cor_objective_name(o->p.profile.objective),
                fmt_num(cost, sizeof cost, routes[i].totals.cost, 2),
                o->p.profile.objective == COR_OPT_TIME       ? "hours"
                : o->p.profile.objective == COR_OPT_CO2      ? "kg CO2"
                : o->p.profile.objective == COR_OPT_DISTANCE ? "km"
                                                        : money_unit(net));
        route_print_table(f, net, &routes[i]);
    }
}

static void print_routes_csv(FILE *f, const cor_network *net, const cor_route *routes, size_t n)
{
    fputs("route,seq,kind,link,from,to,mode,gauge_mm,km,hours,usd,co2_kg,wait_hours,dwell_hours,"
          "border,cost\n", f);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < routes[i].n_legs; k++) {
            const cor_leg *leg = &routes[i].legs[k];
            fprintf(f, "%zu,%zu,%s,", i + 1, k + 1,
                    leg->kind == COR_LEG_TRANSFER ? "transfer" : "link");
            csv_field(f, leg->kind == COR_LEG_LINK ? cor_network_link_id(net, leg->link) : "", ",");
            csv_field(f, cor_network_node_id(net, leg->from), ",");
            csv_field(f, cor_network_node_id(net, leg->to), ",");
            fprintf(f, "%s,", cor_mode_name(leg->mode));
            if (leg->gauge_mm) fprintf(f, "%d", leg->gauge_mm);
            fputc(',', f);
            csv_number(f, leg->km, ",");
            csv_number(f, leg->hours, ",");
            csv_number(f, leg->usd, ",");
            csv_number(f, leg->co2_kg, ",");
            csv_number(f, leg->wait_hours, ",");
            csv_number(f, leg->dwell_hours, ",");
            fprintf(f, "%s,", leg->border ? "true" : "false");
            csv_number(f, leg->cost, "\n");
        }
}

/* The --json document of a route question. */
static json_t *route_json(const route_opts *o, const cor_network *net, const route_places *rp,
                          const cor_route *routes, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *r = route_to_json(net, &routes[i]);
        if (o->geometry) route_add_geometry(net, &routes[i], r);
        json_array_append_new(list, r);
    }
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "from", o->from, "to", o->to,
                            "optimize", cor_objective_name(o->p.profile.objective), "engine",
                            rp->engine ? rp->engine : "dijkstra", "routes", list);
    if (cli_places_any(rp->pl, rp->n))
        json_object_set_new(doc, "snapped", cli_places_json(net, rp->pl, rp->n));
    return doc;
}

/* The --geojson document: one feature per leg. */
static json_t *routes_geojson(const cor_network *net, const cor_route *routes, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) route_to_features(net, &routes[i], (int)i + 1, list);
    return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", list);
}

static bool print_routes(FILE *f, const cor_network *net, const route_opts *o,
                         const route_places *rp, const cor_route *routes, size_t n)
{
    if (o->c.out == OUT_TABLE) print_routes_table(f, net, o, rp, routes, n);
    else if (o->c.out == OUT_CSV) print_routes_csv(f, net, routes, n);
    else {
        json_t *doc;
        if (o->c.out == OUT_JSON) doc = route_json(o, net, rp, routes, n);
        else doc = routes_geojson(net, routes, n);
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* Answers --from/--to (with --via or --alternatives): *routes (k entries, *found filled)
 * on success; an exit code. */
static bool read_places(const route_opts *o, const cor_network *net, route_places *rp)
{
    cli_place *pl = rp->pl;
    size_t cap = sizeof rp->pl / sizeof *pl - 1; /* room for --to */
    rp->n = 0;
    if (!find_places(net, o->from, "from", true, pl, cap, &rp->n)) return false;
    for (size_t a = 0; a < o->n_via_args; a++)
        if (!find_places(net, o->via_args[a], "via", false, pl, cap, &rp->n)) return false;
    return find_places(net, o->to, "to", true, pl, cap + 1, &rp->n);
}

/* Answers --from/--to (with --via or --alternatives): *routes (k entries, *found filled)
 * on success, the places as snapped in *rp; an exit code. */
static int route_find(const route_opts *o, cli_env *env, route_places *rp, cor_route **routes,
                      size_t *found)
{
    uint32_t stops[2 + 256];
    *routes = NULL;
    *found = 0;
    if (!read_places(o, env->net, rp)) return EXIT_BAD;
    cor_route_query *q = env->acquire(env, &o->p);
    if (!q) return EXIT_BAD;
    const cor_graph *g = cor_route_query_graph(q);
    if (!cli_places_snap("route", env, q, &o->p, rp->pl, rp->n)) {
        env->release(env, q);
        return EXIT_BAD;
    }
    size_t n = rp->n, k = o->alternatives > 1 ? (size_t)o->alternatives : 1;
    for (size_t i = 0; i < n; i++) stops[i] = rp->pl[i].node;
    *routes = calloc(k, sizeof **routes);
    cor_error err;
    cor_error_init(&err);
    cor_status st = COR_ERR_NOMEM;
    if (!*routes) cor_error_add(&err, st, NULL, -1, -1, NULL, "out of memory");
    else if (k > 1) st = cor_route_alternatives(q, stops[0], stops[n - 1], k, *routes, found, &err);
    else if ((st = cor_route_via(q, stops, n, &(*routes)[0], &err)) == COR_OK) *found = 1;
    int rc = cli_exit_for(st);
    rp->engine = cor_route_query_engine(q);
    if (st == COR_ERR_NO_ROUTE) rc = cli_no_route("route", g, stops, n);
    else if (st != COR_OK) cli_print_problems(&err);
    env->release(env, q);
    cor_error_clear(&err);
    return rc;
}

static void routes_free(cor_route *routes, size_t n)
{
    for (size_t i = 0; routes && i < n; i++) cor_route_clear(&routes[i]);
    free(routes);
}

static int answer_one(const route_opts *o, cli_env *env)
{
    cor_route *routes;
    size_t found;
    route_places rp = {0};
    int rc = route_find(o, env, &rp, &routes, &found);
    if (rc == EXIT_ANSWERED && o->c.geopackage)
        rc = gpkg_write("route", o->c.geopackage, routes_geojson(env->net, routes, found));
    if (rc == EXIT_ANSWERED) {
        FILE *f = cli_out_open(&o->c);
        rc = f ? cli_out_close(f, &o->c, print_routes(f, env->net, o, &rp, routes, found) ? 0 : EXIT_BAD)
               : EXIT_BAD;
    }
    routes_free(routes, o->alternatives > 1 ? (size_t)o->alternatives : 1);
    return rc;
}

/* ---------------------------------------------------------------- many pairs */

typedef struct pair {
    cli_place pl[2]; /* from, to */
    long line;
} pair;

/* Splits a line into at most 5 tokens on commas, semicolons and white space. */
static int tokens(char *line, char **tok)
{
    int n = 0;
    for (char *t = strtok(line, ",; \t\r\n"); t; t = strtok(NULL, ",; \t\r\n")) {
        if (n < 5) tok[n] = t;
        n++;
    }
    return n;
}

/* One line's two places (ids or LON,LAT); false with the fault in err at the line. */
static bool line_places(const cor_network *net, char **tok, int k, const char *path, long no,
                        pair *out, cor_error *err)
{
    char msg[512] = "";
    size_t n = 0;
    if (k <= 4 && cli_places_tokens(net, tok, (size_t)k, out->pl, 2, &n, msg, sizeof msg) && n == 2) {
        out->pl[0].what = "from";
        out->pl[1].what = "to";
        out->line = no;
        return true;
    }
    if (*msg)
        cor_error_add(err, COR_ERR_INPUT, path, no, -1, n == 0 ? "from" : "to", "%s", msg);
    else
        cor_error_add(err, COR_ERR_INPUT, path, no, -1, NULL,
                      "expected two node ids 'from,to' (or LON,LAT places), found %d fields", k);
    return false;
}

/* Reads every pair, reporting every bad line; NULL (and problems printed) on failure. The
 * file is read whole within the --max-input limits (plain or gzip), then split in place. */
static pair *read_pairs(const char *path, const cor_load_options *limits,
                        const cor_network *net, size_t *n_out)
{
    cor_error err;
    cor_error_init(&err);
    pair *pairs = NULL;
    size_t n = 0, cap = 0, len;
    char *text;
    long no = 0;
    bool first = true;
    if (cor_file_read(path, limits, &text, &len, &err) != COR_OK) text = NULL;
    for (char *line = text, *end = text + len; text && line < end; no++) {
        char *eol = memchr(line, '\n', (size_t)(end - line)), *next = eol ? eol + 1 : end;
        if (eol) *eol = '\0';
        bool nul = strlen(line) != (size_t)((eol ? eol : end) - line);
        char *tok[5];
        int k = nul ? 0 : tokens(line, tok);
        line = next;
        if (nul)
            cor_error_add(&err, COR_ERR_INPUT, path, no + 1, -1, NULL,
                          "holds a NUL byte: not a text file of pairs");
        if (k == 0 || tok[0][0] == '#') continue;
        bool header = first && (strcasecmp(tok[0], "from") == 0 || strcasecmp(tok[0], "source") == 0 ||
                                strcasecmp(tok[0], "origin") == 0);
        first = false;
        if (header) continue;
        pair pr;
        if (!line_places(net, tok, k, path, no + 1, &pr, &err)) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            pair *p = realloc(pairs, cap * sizeof *p);
            if (!p) {
                cor_error_add(&err, COR_ERR_NOMEM, path, -1, -1, NULL, "out of memory");
                break;
            }
            pairs = p;
        }
        pairs[n++] = pr;
    }
    if (text && n == 0 && err.count == 0)
        cor_error_add(&err, COR_ERR_INPUT, path, -1, -1, NULL, "no pairs in the file");
    free(text);
    if (err.count || err.dropped) {
        cli_print_problems(&err);
        free(pairs);
        pairs = NULL;
    }
    cor_error_clear(&err);
    *n_out = n;
    return pairs;
}

/* A snap distance for a table or CSV cell: "" for a place given by id. */
static const char *snap_cell(char *buf, size_t size, const cli_place *p, bool csv)
{
    if (!p->coordinate) return "";
    if (csv) snprintf(buf, size, "%.1f", p->metres);
    else fmt_num(buf, size, p->metres, 0);
    return buf;
}

/* snaps: the file holds coordinates, so rows carry the snap distances. */
static void pair_row(FILE *f, out_kind out, const cor_network *net, const pair *p,
                     const cor_totals *t, bool snaps, json_t *list)
{
    const char *a = cor_network_node_id(net, p->pl[0].node);
    const char *b = cor_network_node_id(net, p->pl[1].node);
    char x[7][32];
    if (out == OUT_JSON) {
        json_t *o = t ? totals_to_json(t) : json_object();
        json_object_set_new(o, "from", json_string(a));
        json_object_set_new(o, "to", json_string(b));
        if (!t) json_object_set_new(o, "cost", json_null());
        if (cli_places_any(p->pl, 2)) json_object_set_new(o, "snapped", cli_places_json(net, p->pl, 2));
        json_array_append_new(list, o);
    } else if (out == OUT_CSV) {
        csv_field(f, a, ",");
        csv_field(f, b, ",");
        csv_number(f, t ? t->cost : NAN, ",");
        csv_number(f, t ? t->hours : NAN, ",");
        csv_number(f, t ? t->km : NAN, ",");
        csv_number(f, t ? t->usd : NAN, ",");
        csv_number(f, t ? t->co2_kg : NAN, ",");
        if (t) fprintf(f, "%u,%u", t->transfers, t->borders);
        else fputs(",", f);
        if (snaps)
            fprintf(f, ",%s,%s", snap_cell(x[5], 32, &p->pl[0], true), snap_cell(x[6], 32, &p->pl[1], true));
        fputc('\n', f);
    } else {
        fprintf(f, "%-20s %-20s %12s %10s %10s %10s %10s", a, b,
                t ? fmt_num(x[0], 32, t->cost, 2) : "no route", t ? fmt_num(x[1], 32, t->hours, 1) : "",
                t ? fmt_num(x[2], 32, t->km, 0) : "", t ? fmt_num(x[3], 32, t->usd, 0) : "",
                t ? fmt_num(x[4], 32, t->co2_kg, 0) : "");
        if (snaps)
            fprintf(f, " %10s %10s", snap_cell(x[5], 32, &p->pl[0], false), snap_cell(x[6], 32, &p->pl[1], false));
        fputc('\n', f);
    }
}

/* Snaps the coordinates of every pair (one index for all), each refusal at its line. */
static bool snap_pairs(const char *path, const cor_graph *g, const profile_opts *p, pair *pairs,
                       size_t n, bool *snaps)
{
    *snaps = false;
    for (size_t i = 0; i < n && !*snaps; i++) *snaps = cli_places_any(pairs[i].pl, 2);
    if (!*snaps) return true;
    cor_error err;
    cor_error_init(&err);
    cor_locator *loc = NULL;
    if (cor_locator_new(&loc, g, &err) == COR_OK)
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++) {
                cli_place *pl = &pairs[i].pl[k];
                size_t before = err.count;
                if (pl->coordinate &&
                    cor_locator_snap(loc, cor_graph_network(g), pl->lon, pl->lat, cli_snap_limit_m(p),
                                     pl->what, &pl->node, &pl->metres, &err) != COR_OK &&
                    err.count > before) {
                    snprintf(err.problems[before].file, sizeof err.problems[before].file, "%s", path);
                    err.problems[before].line = pairs[i].line;
                }
            }
    bool ok = err.count == 0 && err.dropped == 0;
    if (!ok) cli_print_problems(&err);
    cor_locator_free(loc);
    cor_error_clear(&err);
    return ok;
}

static int answer_pairs(const route_opts *o, const cor_network *net, cor_route_query *q)
{
    size_t n;
    bool snaps;
    pair *pairs = read_pairs(o->pairs, &o->c.load, net, &n);
    if (!pairs) return EXIT_BAD;
    FILE *f = NULL;
    if (!snap_pairs(o->pairs, cor_route_query_graph(q), &o->p, pairs, n, &snaps) ||
        !(f = cli_out_open(&o->c))) {
        free(pairs);
        return EXIT_BAD;
    }
    json_t *list = json_array();
    if (o->c.out == OUT_CSV)
        fprintf(f, "from,to,cost,hours,km,usd,co2_kg,transfers,borders%s\n",
                snaps ? ",from_snap_m,to_snap_m" : "");
    else if (o->c.out == OUT_TABLE)
        fprintf(f, "%-20s %-20s %12s %10s %10s %10s %10s%s\n", "from", "to", "cost", "hours", "km",
                "USD", "kg CO2", snaps ? "  from snap m  to snap m" : "");
    int rc = EXIT_ANSWERED;
    cor_error err;
    cor_error_init(&err);
    cli_progress bar;
    cli_progress_start(&bar, "route", o->c.quiet);
    size_t i = 0;
    for (; i < n && rc != EXIT_BAD && bar.lib.fn(bar.lib.ctx, i, n); i++) {
        cor_route r;
        cor_status st = cor_route_shortest(q, pairs[i].pl[0].node, pairs[i].pl[1].node, &r, &err);
        if (st == COR_OK) pair_row(f, o->c.out, net, &pairs[i], &r.totals, snaps, list);
        else if (st == COR_ERR_NO_ROUTE) {
            pair_row(f, o->c.out, net, &pairs[i], NULL, snaps, list);
            rc = EXIT_NO_ANSWER;
        } else {
            cli_print_problems(&err);
            rc = EXIT_BAD;
        }
        cor_route_clear(&r);
        cor_error_clear(&err);
    }
    cli_progress_end(&bar);
    if (i < n && rc != EXIT_BAD) {
        fprintf(stderr, "corridor route: stopped by Ctrl-C after %zu of %zu pairs\n", i, n);
        rc = EXIT_NO_ANSWER;
    }
    if (o->c.out == OUT_JSON && rc != EXIT_BAD && !json_write(f, list)) rc = EXIT_BAD;
    json_decref(list);
    free(pairs);
    return cli_out_close(f, &o->c, rc);
}

int cmd_route(int argc, char **argv)
{
    route_opts o = {0};
    cor_profile_init(&o.p.profile);
    int rc = parse_args(&o, argc, argv);
    if (rc == 0 && o.geometry && o.c.out == OUT_TABLE)
        rc = cli_usage_error("route", "--geometry goes with --json (the table has no lines)");
    if (rc != 0) {
        route_opts_free(&o);
        return rc < 0 ? EXIT_ANSWERED : rc;
    }
    cli_env env;
    cor_network *net = cli_open_network(&o.c, &o.p, &env);
    rc = EXIT_BAD;
    if (!net) goto done;
    if (o.pairs) {
        cor_route_query *q = env.acquire(&env, &o.p);
        if (q) rc = answer_pairs(&o, env.net, q);
        if (q) env.release(&env, q);
    } else
        rc = answer_one(&o, &env);
done:
    cor_network_free(net);
    route_opts_free(&o);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static void route_init(void *ctx)
{
    cor_profile_init(&((route_opts *)ctx)->p.profile);
}

static int route_answer(void *ctx, cli_env *env, json_t **doc)
{
    route_opts *o = ctx;
    cor_route *routes;
    size_t found;
    route_places rp = {0};
    int rc = route_find(o, env, &rp, &routes, &found);
    *doc = rc == EXIT_ANSWERED ? route_json(o, env->net, &rp, routes, found) : NULL;
    routes_free(routes, o->alternatives > 1 ? (size_t)o->alternatives : 1);
    return rc;
}

static void route_clear(void *ctx)
{
    route_opts_free(ctx);
}

static const struct option route_params[] = {ROUTE_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_route_command = {
    "route",      route_params, sizeof(route_opts), offsetof(route_opts, c),
    offsetof(route_opts, p), route_init, route_option, route_check, route_answer, route_clear};
