/*
 * cmd_route.c — `corridor route`: one route, routes through via points, k alternatives,
 * or a whole file of pairs answered in one process.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "output.h"
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
    "  --from ID, --to ID     node ids\n"
    "  --via ID[,ID...]       pass through these nodes, in order (repeatable)\n"
    "  --optimize WHAT        cost (default) | time | co2 | generalised\n"
    "  --value-of-time USD    USD per hour, for generalised cost (default 0)\n"
    "  --carbon-price USD     USD per tonne CO2, for generalised cost (default 0)\n"
    "  --modes LIST           only these modes: rail,road,ferry,sea\n"
    "  --avoid-country LIST   ISO codes, e.g. RU,IR\n"
    "  --avoid-node LIST      node ids;  --avoid-link LIST: link ids\n"
    "  --include-planned      treat planned links as open\n"
    "  --scenario FILE        apply a scenario (JSON: links opened or closed, ...)\n"
    "  --alternatives K       the K best loopless routes (Yen's algorithm)\n"
    "  --index cch|none       answer through a routing index built after loading (same\n"
    "                         routes' costs; pays off on road-sized networks); default none\n"
    "  --pairs FILE           one 'from,to' pair a line (comma or spaces; header optional);\n"
    "                         a progress bar on a terminal after a second (--quiet: none),\n"
    "                         Ctrl-C stops with the pairs answered so far written\n"
    "  --json | --geojson | --csv   output format (default: a table)\n"
    "  --output FILE          write there (atomically) instead of standard output\n"
    "\n"
    "Exit status: 0 answered, 1 no route, 2 bad usage or bad input.\n"
    "\n"
    "Example:\n"
    "  corridor route --from CN-XIAN --to DE-DUISBURG --optimize time --alternatives 2\n";

typedef struct route_opts {
    common_opts c;
    profile_opts p;
    const char *from, *to, *pairs;
    char *via_storage[16];
    const char **via_items[16];
    size_t via_n[16], n_via_args;
    long alternatives;
} route_opts;

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

static bool find_node(const cor_network *net, const char *id, const char *what, uint32_t *out)
{
    *out = cor_network_find_node(net, id);
    if (*out != COR_NONE) return true;
    char hint[512];
    suggest(net, id, hint, sizeof hint);
    cli_fail("route", COR_ERR_NOT_FOUND, what, "--%s: no node has the id '%s'%s", what, id, hint);
    return false;
}

static int route_option(int opt, const char *arg, void *ctx)
{
    route_opts *o = ctx;
    switch (opt) {
    case OPT_FROM: o->from = arg; return 0;
    case OPT_TO: o->to = arg; return 0;
    case OPT_PAIRS: o->pairs = arg; return 0;
    case OPT_VIA:
        if (o->n_via_args == 16) return cli_usage_error("route", "at most 16 --via options");
        o->via_items[o->n_via_args] = cli_split(arg, &o->via_storage[o->n_via_args],
                                                &o->via_n[o->n_via_args]);
        o->n_via_args++;
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
    if (o->pairs && o->c.out == OUT_GEOJSON)
        return cli_usage_error("route", "--pairs prints a table, --csv or --json, not --geojson");
    return 0;
}

#define ROUTE_OPTIONS                                                                      \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}, {"via", required_argument, 0, OPT_VIA},      \
        {"alternatives", required_argument, 0, OPT_ALTERNATIVES}

static int parse_args(route_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, ROUTE_OPTIONS,
                                           {"pairs", required_argument, 0, OPT_PAIRS},
                                           QUIET_LONG_OPTION, INDEX_LONG_OPTION,
                                           {0, 0, 0, 0}};
    return cli_parse_command(&cli_route_command, argc, argv, usage, longs, o);
}

static void route_opts_free(route_opts *o)
{
    cli_profile_free(&o->p);
    for (size_t i = 0; i < o->n_via_args; i++) {
        free(o->via_storage[i]);
        free(o->via_items[i]);
    }
}

/* ---------------------------------------------------------------- one route */

static void print_routes_table(FILE *f, const cor_network *net, const route_opts *o,
                               const cor_route *routes, size_t n)
{
    char cost[32];
    for (size_t i = 0; i < n; i++) {
        if (n > 1) fprintf(f, "%sRoute %zu of %zu", i ? "\n" : "", i + 1, n);
        else fprintf(f, "Route");
        fprintf(f, " %s -> %s, optimising %s (%s %s)\n", o->from, o->to,
                cor_objective_name(o->p.profile.objective),
                fmt_num(cost, sizeof cost, routes[i].totals.cost, 2),
                o->p.profile.objective == COR_OPT_TIME  ? "hours"
                : o->p.profile.objective == COR_OPT_CO2 ? "kg CO2"
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
            csv_field(f, leg->kind == COR_LEG_LINK ? cor_network_link(net, leg->link)->id : "", ",");
            csv_field(f, cor_network_node(net, leg->from)->id, ",");
            csv_field(f, cor_network_node(net, leg->to)->id, ",");
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
static json_t *route_json(const route_opts *o, const cor_network *net, const cor_route *routes,
                          size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(list, route_to_json(net, &routes[i]));
    return json_pack("{s:s, s:s, s:s, s:o}", "from", o->from, "to", o->to, "optimize",
                     cor_objective_name(o->p.profile.objective), "routes", list);
}

static bool print_routes(FILE *f, const cor_network *net, const route_opts *o,
                         const cor_route *routes, size_t n)
{
    if (o->c.out == OUT_TABLE) print_routes_table(f, net, o, routes, n);
    else if (o->c.out == OUT_CSV) print_routes_csv(f, net, routes, n);
    else {
        json_t *doc;
        if (o->c.out == OUT_JSON) doc = route_json(o, net, routes, n);
        else {
            json_t *list = json_array();
            for (size_t i = 0; i < n; i++) route_to_features(net, &routes[i], (int)i + 1, list);
            doc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", list);
        }
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* Answers --from/--to (with --via or --alternatives): *routes (k entries, *found filled)
 * on success; an exit code. */
static int route_find(const route_opts *o, cli_env *env, cor_route **routes, size_t *found)
{
    uint32_t stops[2 + 256];
    size_t n = 0;
    *routes = NULL;
    *found = 0;
    if (!find_node(env->net, o->from, "from", &stops[n++])) return EXIT_BAD;
    for (size_t a = 0; a < o->n_via_args; a++)
        for (size_t k = 0; k < o->via_n[a]; k++) {
            if (n == 257) return cli_usage_error("route", "too many --via nodes (at most 255)");
            if (!find_node(env->net, o->via_items[a][k], "via", &stops[n++])) return EXIT_BAD;
        }
    if (!find_node(env->net, o->to, "to", &stops[n++])) return EXIT_BAD;
    cor_route_query *q = env->acquire(env, &o->p);
    if (!q) return EXIT_BAD;
    size_t k = o->alternatives > 1 ? (size_t)o->alternatives : 1;
    *routes = calloc(k, sizeof **routes);
    cor_error err;
    cor_error_init(&err);
    cor_status st = COR_ERR_NOMEM;
    if (!*routes) cor_error_add(&err, st, NULL, -1, -1, NULL, "out of memory");
    else if (k > 1) st = cor_route_alternatives(q, stops[0], stops[n - 1], k, *routes, found, &err);
    else if ((st = cor_route_via(q, stops, n, &(*routes)[0], &err)) == COR_OK) *found = 1;
    env->release(env, q);
    if (st != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    return cli_exit_for(st);
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
    int rc = route_find(o, env, &routes, &found);
    if (rc == EXIT_ANSWERED) {
        FILE *f = cli_out_open(&o->c);
        rc = f ? cli_out_close(f, &o->c, print_routes(f, env->net, o, routes, found) ? 0 : EXIT_BAD)
               : EXIT_BAD;
    }
    routes_free(routes, o->alternatives > 1 ? (size_t)o->alternatives : 1);
    return rc;
}

/* ---------------------------------------------------------------- many pairs */

typedef struct pair {
    uint32_t from, to;
    long line;
} pair;

/* Splits a line into at most 3 tokens on commas and white space. */
static int tokens(char *line, char **tok)
{
    int n = 0;
    for (char *t = strtok(line, ", \t\r\n"); t; t = strtok(NULL, ", \t\r\n")) {
        if (n < 3) tok[n] = t;
        n++;
    }
    return n;
}

/* Reads every pair, reporting every bad line; NULL (and problems printed) on failure. */
static pair *read_pairs(const char *path, const cor_network *net, size_t *n_out)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "corridor route: %s: cannot open: %m\n", path);
        return NULL;
    }
    cor_error err;
    cor_error_init(&err);
    pair *pairs = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t line_cap = 0;
    long no = 0;
    bool first = true;
    ssize_t len;
    while ((len = getline(&line, &line_cap, in)) != -1) {
        no++;
        if ((size_t)len != strlen(line)) {
            cor_error_add(&err, COR_ERR_INPUT, path, no, -1, NULL,
                          "holds a NUL byte: not a text file of pairs");
            continue;
        }
        char *tok[3];
        int k = tokens(line, tok);
        if (k == 0 || tok[0][0] == '#') continue;
        bool header = first && (strcasecmp(tok[0], "from") == 0 || strcasecmp(tok[0], "source") == 0 ||
                                strcasecmp(tok[0], "origin") == 0);
        first = false;
        if (header) continue;
        if (k != 2) {
            cor_error_add(&err, COR_ERR_INPUT, path, no, -1, NULL,
                          "expected two node ids 'from,to', found %d fields", k);
            continue;
        }
        uint32_t a = cor_network_find_node(net, tok[0]), b = cor_network_find_node(net, tok[1]);
        if (a == COR_NONE || b == COR_NONE) {
            cor_error_add(&err, COR_ERR_INPUT, path, no, -1, a == COR_NONE ? "from" : "to",
                          "no node has the id '%s'", a == COR_NONE ? tok[0] : tok[1]);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            pair *p = realloc(pairs, cap * sizeof *p);
            if (!p) break;
            pairs = p;
        }
        pairs[n++] = (pair){a, b, no};
    }
    if (ferror(in)) cor_error_add(&err, COR_ERR_IO, path, -1, -1, NULL, "read error");
    if (n == 0 && err.count == 0)
        cor_error_add(&err, COR_ERR_INPUT, path, -1, -1, NULL, "no pairs in the file");
    fclose(in);
    free(line);
    if (err.count || err.dropped) {
        cli_print_problems(&err);
        free(pairs);
        pairs = NULL;
    }
    cor_error_clear(&err);
    *n_out = n;
    return pairs;
}

static void pair_row(FILE *f, out_kind out, const cor_network *net, const pair *p,
                     const cor_totals *t, json_t *list)
{
    const char *a = cor_network_node(net, p->from)->id, *b = cor_network_node(net, p->to)->id;
    char x[5][32];
    if (out == OUT_JSON) {
        json_t *o = t ? totals_to_json(t) : json_object();
        json_object_set_new(o, "from", json_string(a));
        json_object_set_new(o, "to", json_string(b));
        if (!t) json_object_set_new(o, "cost", json_null());
        json_array_append_new(list, o);
    } else if (out == OUT_CSV) {
        csv_field(f, a, ",");
        csv_field(f, b, ",");
        csv_number(f, t ? t->cost : NAN, ",");
        csv_number(f, t ? t->hours : NAN, ",");
        csv_number(f, t ? t->km : NAN, ",");
        csv_number(f, t ? t->usd : NAN, ",");
        csv_number(f, t ? t->co2_kg : NAN, ",");
        if (t) fprintf(f, "%u,%u\n", t->transfers, t->borders);
        else fputs(",\n", f);
    } else {
        fprintf(f, "%-20s %-20s %12s %10s %10s %10s %10s %9s %7s\n", a, b,
                t ? fmt_num(x[0], 32, t->cost, 2) : "no route", t ? fmt_num(x[1], 32, t->hours, 1) : "",
                t ? fmt_num(x[2], 32, t->km, 0) : "", t ? fmt_num(x[3], 32, t->usd, 0) : "",
                t ? fmt_num(x[4], 32, t->co2_kg, 0) : "", "", "");
    }
}

static int answer_pairs(const route_opts *o, const cor_network *net, cor_route_query *q)
{
    size_t n;
    pair *pairs = read_pairs(o->pairs, net, &n);
    if (!pairs) return EXIT_BAD;
    FILE *f = cli_out_open(&o->c);
    if (!f) {
        free(pairs);
        return EXIT_BAD;
    }
    json_t *list = json_array();
    if (o->c.out == OUT_CSV) fputs("from,to,cost,hours,km,usd,co2_kg,transfers,borders\n", f);
    else if (o->c.out == OUT_TABLE)
        fprintf(f, "%-20s %-20s %12s %10s %10s %10s %10s\n", "from", "to", "cost", "hours", "km",
                "USD", "kg CO2");
    int rc = EXIT_ANSWERED;
    cor_error err;
    cor_error_init(&err);
    cli_progress bar;
    cli_progress_start(&bar, "route", o->c.quiet);
    size_t i = 0;
    for (; i < n && rc != EXIT_BAD && bar.lib.fn(bar.lib.ctx, i, n); i++) {
        cor_route r;
        cor_status st = cor_route_shortest(q, pairs[i].from, pairs[i].to, &r, &err);
        if (st == COR_OK) pair_row(f, o->c.out, net, &pairs[i], &r.totals, list);
        else if (st == COR_ERR_NO_ROUTE) {
            pair_row(f, o->c.out, net, &pairs[i], NULL, list);
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
    int rc = route_find(o, env, &routes, &found);
    *doc = rc == EXIT_ANSWERED ? route_json(o, env->net, routes, found) : NULL;
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
