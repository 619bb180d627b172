/*
 * cmd_assign.c — `corridor assign`: an origin-destination demand put onto the network's
 * capacities, by linear programming (system optimum) or Frank-Wolfe (user equilibrium).
 */
#define _GNU_SOURCE
#include "cli.h"
#include "gpkg.h"
#include "output.h"
#include "progress.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor assign [--network FILE] --demand FILE [options]\n"
    "\n"
    "Assigns a demand (CSV: from,to,quantity per year) onto the network: each link's\n"
    "volume and utilisation, demand left unserved when capacity runs out, totals of cost,\n"
    "hours and CO2, and the most saturated links.\n"
    "\n"
    "  --demand FILE          the O-D demand (header from,to,quantity optional)\n"
    "  --method lp            exact system optimum: min-cost multi-commodity flow (GLPK);\n"
    "                         for corridor-sized networks (default)\n"
    "  --method frank-wolfe   user equilibrium with BPR volume-delay functions\n"
    "                         t = t0 (1 + 0.15 (v/c)^4); for large networks\n"
    "  --iterations N         Frank-Wolfe iterations at most (default 100)\n"
    "  --gap G                Frank-Wolfe: stop below this relative gap (default 1e-4)\n"
    "  --optimize, --modes, --avoid-country, --avoid-node, --avoid-link,\n"
    "  --include-planned, --scenario FILE   as for 'corridor route'\n"
    "  --max-input BYTES      as for 'corridor route' (the network, scenario and demand files)\n"
    "  --top N                links listed in the table (default 15)\n"
    "  --quiet                no progress bar (Frank-Wolfe shows one on a terminal after a\n"
    "                         second; Ctrl-C stops it and prints the last whole iteration)\n"
    "  --json | --geojson | --csv, --output FILE\n"
    "  --geopackage FILE      also as GeoPackage layers, styled for QGIS\n"
    "\n"
    "Exit status: 0 all demand served, 1 some demand unserved or stopped by Ctrl-C, 2 bad usage\n"
    "or input.\n"
    "\n"
    "Example:\n"
    "  corridor assign --demand od.csv --optimize time --method lp\n";

enum { OPT_DEMAND = 3000, OPT_METHOD, OPT_ITERATIONS, OPT_GAP, OPT_DEMAND_ROWS };

typedef struct assign_opts {
    common_opts c;
    profile_opts p;
    const char *demand;      /* --demand FILE (CLI) */
    const char *demand_rows; /* the API's demand: "from,to,quantity" items separated by ';' */
    cor_assign_method method;
    long iterations;
    double gap;
} assign_opts;

static int assign_option(int opt, const char *arg, void *ctx) {
    assign_opts *o = ctx;
    switch (opt) {
    case OPT_DEMAND:
        o->demand = arg;
        return 0;
    case OPT_DEMAND_ROWS:
        o->demand_rows = arg;
        return 0;
    case OPT_METHOD:
        if (strcmp(arg, "lp") == 0)
            o->method = COR_ASSIGN_LP;
        else if (strcmp(arg, "frank-wolfe") == 0)
            o->method = COR_ASSIGN_FRANK_WOLFE;
        else
            return cli_usage_error("assign", "unknown --method '%s' (use lp or frank-wolfe)", arg);
        return 0;
    case OPT_ITERATIONS:
        if (!cor_parse_long(arg, &o->iterations) || o->iterations < 1 || o->iterations > 100000)
            return cli_usage_error(
                "assign", "--iterations needs a whole number from 1 to 100000, got '%s'", arg);
        return 0;
    case OPT_GAP:
        if (!cor_parse_double(arg, &o->gap) || !(o->gap > 0) || o->gap >= 1)
            return cli_usage_error("assign", "--gap needs a number between 0 and 1, got '%s'", arg);
        return 0;
    default:
        return 1;
    }
}

static int assign_check(void *ctx) {
    assign_opts *o = ctx;
    if (!o->demand && !o->demand_rows) return cli_usage_error("assign", "give --demand FILE");
    if (o->method == COR_ASSIGN_LP && (o->iterations || o->gap))
        return cli_usage_error("assign", "--iterations and --gap are for --method frank-wolfe");
    return 0;
}

#define ASSIGN_OPTIONS                                                                     \
    PROFILE_LONG_OPTIONS, {"method", required_argument, 0, OPT_METHOD},                    \
        {"iterations", required_argument, 0, OPT_ITERATIONS},                              \
        {"gap", required_argument, 0, OPT_GAP}, TOP_LONG_OPTION

static int parse_args(assign_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, GEOPACKAGE_LONG_OPTION, ASSIGN_OPTIONS,
                                          {"demand", required_argument, 0, OPT_DEMAND},
                                          QUIET_LONG_OPTION,
                                          {0, 0, 0, 0}};
    return cli_parse_command(&cli_assign_command, argc, argv, usage, longs, o);
}

/* ---------------------------------------------------------------- output */

typedef struct view {
    const assign_opts *o;
    const cor_network *net;
    const cor_demand *d;
    size_t n;
    const cor_assign_result *r;
} view;

/* One row per loaded link direction: (link << 1 | back). */
typedef struct loaded {
    uint32_t code;
    double volume, capacity, use;
} loaded;

static int by_use_desc(const void *a, const void *b) {
    const loaded *x = a, *y = b;
    double ux = isnan(x->use) ? -1 : x->use, uy = isnan(y->use) ? -1 : y->use;
    if (ux != uy) return (ux < uy) - (ux > uy);
    return (x->volume < y->volume) - (x->volume > y->volume);
}

static loaded *loaded_links(const view *v, size_t *n) {
    size_t nl = cor_network_link_count(v->net);
    loaded *rows = malloc((2 * nl + 1) * sizeof *rows);
    *n = 0;
    for (uint32_t i = 0; rows && i < nl; i++)
        for (uint32_t back = 0; back < 2; back++) {
            double vol = back ? v->r->link_volume_back[i] : v->r->link_volume[i];
            if (vol <= 1e-9) continue;
            const cor_link *l = cor_network_link(v->net, i);
            double cap = back && !isnan(l->reverse_capacity) ? l->reverse_capacity : l->capacity;
            rows[(*n)++] = (loaded){i << 1 | back, vol, cap, vol / cap};
        }
    if (rows) qsort(rows, *n, sizeof *rows, by_use_desc);
    return rows;
}

static double total(const cor_demand *d, size_t n, const double *unserved) {
    double t = 0;
    for (size_t k = 0; k < n; k++)
        t += unserved ? unserved[k] : d[k].quantity;
    return t;
}

static void print_table(FILE *f, const view *v) {
    char a[32], b[32], c[32], e[32];
    const cor_assign_result *r = v->r;
    double want = total(v->d, v->n, NULL), short_by = total(v->d, v->n, r->unserved);
    fprintf(f, "Assignment of %zu O-D pair%s (%s per year in all), method %s, optimising %s\n",
            v->n, v->n == 1 ? "" : "s", fmt_num(a, sizeof a, want, 0),
            v->o->method == COR_ASSIGN_LP ? "lp (system optimum)"
                                          : "frank-wolfe (user equilibrium)",
            cor_objective_name(v->o->p.profile.objective));
    fprintf(f, "  served %s, unserved %s\n", fmt_num(a, sizeof a, want - short_by, 0),
            fmt_num(b, sizeof b, short_by, 0));
    fprintf(f, "  totals: cost %s, %s hours, %s USD, %s kg CO2\n", fmt_num(a, sizeof a, r->cost, 0),
            fmt_num(b, sizeof b, r->hours, 0), fmt_num(c, sizeof c, r->usd, 0),
            fmt_num(e, sizeof e, r->co2_kg, 0));
    if (v->o->method == COR_ASSIGN_FRANK_WOLFE && r->n_gaps)
        fprintf(f, "  %d iteration%s, relative gap %.3g\n", r->iterations,
                r->iterations == 1 ? "" : "s", r->gaps[r->n_gaps - 1]);
    if (short_by > 0) {
        fprintf(f, "\nUnserved demand:\n  %-20s %-20s %14s %14s\n", "from", "to", "quantity",
                "unserved");
        for (size_t k = 0; k < v->n; k++)
            if (r->unserved[k] > 1e-9)
                fprintf(f, "  %-20s %-20s %14s %14s\n", cor_network_node(v->net, v->d[k].from)->id,
                        cor_network_node(v->net, v->d[k].to)->id,
                        fmt_num(a, sizeof a, v->d[k].quantity, 0),
                        fmt_num(b, sizeof b, r->unserved[k], 0));
    }
    size_t n;
    loaded *rows = loaded_links(v, &n);
    size_t shown = n < (size_t)v->o->c.top ? n : (size_t)v->o->c.top;
    if (rows && shown) {
        fprintf(f, "\nMost saturated links (%zu of %zu loaded):\n", shown, n);
        fprintf(f, "  %-40s %-16s %-16s %12s %12s %6s\n", "link", "from", "to", "volume",
                "capacity", "use");
        for (size_t k = 0; k < shown; k++) {
            const cor_link *l = cor_network_link(v->net, rows[k].code >> 1);
            bool back = rows[k].code & 1;
            if (isnan(rows[k].use))
                snprintf(c, sizeof c, "-");
            else
                snprintf(c, sizeof c, "%.0f%%", 100 * rows[k].use);
            fprintf(f, "  %-40s %-16s %-16s %12s %12s %6s\n", l->id,
                    cor_network_node(v->net, back ? l->to : l->from)->id,
                    cor_network_node(v->net, back ? l->from : l->to)->id,
                    fmt_num(a, sizeof a, rows[k].volume, 0),
                    fmt_num(b, sizeof b, rows[k].capacity, 0), c);
        }
    }
    free(rows);
}

static json_t *links_json(const view *v, bool geojson) {
    json_t *list = json_array();
    size_t n;
    loaded *rows = loaded_links(v, &n);
    for (size_t k = 0; rows && k < n; k++) {
        const cor_link *l = cor_network_link(v->net, rows[k].code >> 1);
        bool back = rows[k].code & 1;
        json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}", "id", l->id, "from",
                              cor_network_node(v->net, back ? l->to : l->from)->id, "to",
                              cor_network_node(v->net, back ? l->from : l->to)->id, "volume",
                              rows[k].volume, "capacity", json_num(rows[k].capacity), "utilisation",
                              json_num(rows[k].use));
        if (geojson)
            o = json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
                          link_geometry(v->net, rows[k].code >> 1, back), "properties", o);
        json_array_append_new(list, o);
    }
    free(rows);
    return list;
}

static json_t *assign_json(const view *v) {
    const cor_assign_result *r = v->r;
    json_t *pairs = json_array(), *gaps = json_array();
    for (size_t k = 0; k < v->n; k++)
        json_array_append_new(pairs, json_pack("{s:s, s:s, s:f, s:f}", "from",
                                               cor_network_node(v->net, v->d[k].from)->id, "to",
                                               cor_network_node(v->net, v->d[k].to)->id, "quantity",
                                               v->d[k].quantity, "unserved", r->unserved[k]));
    for (size_t i = 0; i < r->n_gaps; i++)
        json_array_append_new(gaps, json_real(r->gaps[i]));
    return json_pack("{s:s, s:s, s:o, s:{s:o, s:o, s:o, s:o}, s:i, s:o, s:o}", "method",
                     v->o->method == COR_ASSIGN_LP ? "lp" : "frank-wolfe", "optimize",
                     cor_objective_name(v->o->p.profile.objective), "pairs", pairs, "totals",
                     "cost", json_num(r->cost), "hours", json_num(r->hours), "usd",
                     json_num(r->usd), "co2_kg", json_num(r->co2_kg), "iterations", r->iterations,
                     "gaps", gaps, "links", links_json(v, false));
}

static json_t *assign_geojson(const view *v) {
    return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", links_json(v, true));
}

static bool write_output(FILE *f, const view *v) {
    if (v->o->c.out == OUT_TABLE)
        print_table(f, v);
    else if (v->o->c.out == OUT_CSV) {
        size_t n;
        loaded *rows = loaded_links(v, &n);
        fputs("link,from,to,volume,capacity,utilisation\n", f);
        for (size_t k = 0; rows && k < n; k++) {
            const cor_link *l = cor_network_link(v->net, rows[k].code >> 1);
            bool back = rows[k].code & 1;
            csv_field(f, l->id, ",");
            csv_field(f, cor_network_node(v->net, back ? l->to : l->from)->id, ",");
            csv_field(f, cor_network_node(v->net, back ? l->from : l->to)->id, ",");
            csv_number(f, rows[k].volume, ",");
            csv_number(f, rows[k].capacity, ",");
            csv_number(f, rows[k].use, "\n");
        }
        free(rows);
    } else {
        json_t *doc = v->o->c.out == OUT_JSON ? assign_json(v) : assign_geojson(v);
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* The demand and its assignment into *d and *r (v filled); an exit code. *stopped is set when
 * the progress callback stopped Frank-Wolfe (the last whole iteration is in *r). */
static int assign_find(const assign_opts *o, cli_env *env, const cor_progress *progress,
                       cor_demand **d, cor_assign_result *r, view *v, bool *stopped) {
    size_t n = 0;
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_BAD;
    if (o->demand_rows) *d = cli_demand_rows("assign", "demand", env->net, o->demand_rows, &n);
    else if (cor_demand_load_with(o->demand, env->net, &o->c.load, d, &n, &err) != COR_OK) cli_print_problems(&err);
    if (!*d || cli_env_expired(env, "assign")) goto done;
    cor_assign_spec spec = {&o->p.profile, *d, n, o->method, (int)o->iterations, o->gap, 0, 0,
                            progress};
    cor_status st = cor_assign(env->net, &spec, r, &err);
    *stopped = st == COR_ERR_CANCELLED;
    if (st != COR_OK && !*stopped) {
        cli_print_problems(&err);
        goto done;
    }
    *v = (view){o, env->net, *d, n, r};
    rc = *stopped || total(*d, n, r->unserved) > 1e-9 ? EXIT_NO_ANSWER : EXIT_ANSWERED;
done:
    cor_error_clear(&err);
    return rc;
}

static void assign_init(void *ctx) {
    assign_opts *o = ctx;
    o->c.top = 15;
    cor_profile_init(&o->p.profile);
}

int cmd_assign(int argc, char **argv) {
    assign_opts o = {0};
    assign_init(&o);
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    cor_demand *d = NULL;
    cor_assign_result r = {0};
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    view v;
    bool stopped = false;
    cli_progress bar;
    cli_progress_start(&bar, "assign", o.c.quiet);
    rc = assign_find(&o, &env, &bar.lib, &d, &r, &v, &stopped);
    cli_progress_end(&bar);
    if (rc == EXIT_BAD) goto done;
    if (stopped)
        fprintf(stderr, "corridor assign: stopped by Ctrl-C after %d iteration%s; what follows is "
                        "the last whole one (not converged)\n", r.iterations, r.iterations == 1 ? "" : "s");
    if (o.c.geopackage && gpkg_write("assign", o.c.geopackage, assign_geojson(&v))) rc = EXIT_BAD;
    FILE *f = rc == EXIT_BAD ? NULL : cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &v) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    cor_assign_result_clear(&r);
    free(d);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int assign_answer(void *ctx, cli_env *env, json_t **doc) {
    cor_demand *d = NULL;
    cor_assign_result r = {0};
    view v;
    bool stopped = false;
    cor_progress deadline = cli_env_progress(env);
    int rc = assign_find(ctx, env, &deadline, &d, &r, &v, &stopped);
    if (stopped) rc = (cli_env_expired(env, "assign"), EXIT_BAD);
    *doc = rc != EXIT_BAD ? assign_json(&v) : NULL;
    cor_assign_result_clear(&r);
    free(d);
    return rc;
}

static void assign_clear(void *ctx) {
    cli_profile_free(&((assign_opts *)ctx)->p);
}

static const struct option assign_params[] = {
    ASSIGN_OPTIONS, {"demand", required_argument, 0, OPT_DEMAND_ROWS}, {0, 0, 0, 0}};

const cli_command cli_assign_command = {
    "assign",      assign_params, sizeof(assign_opts), offsetof(assign_opts, c),
    offsetof(assign_opts, p), assign_init, assign_option, assign_check, assign_answer,
    assign_clear};
