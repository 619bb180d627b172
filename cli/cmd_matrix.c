/*
 * cmd_matrix.c — `corridor matrix`: costs, hours and km from every origin to every
 * destination, one one-to-many search per origin.
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
    "Usage: corridor matrix [--network FILE] --from PLACES --to PLACES [options]\n"
    "\n"
    "The table of best routes from every origin to every destination: the optimised\n"
    "cost, hours, km, USD and kg CO2 of each. Unreachable pairs show '-'.\n"
    "\n"
    "  --from, --to PLACES             node ids ID,ID,... or places separated by ';' where a\n"
    "                                  place is an id or LON,LAT (decimal points), snapped to\n"
    "                                  the nearest usable node: '1.52,42.50;1.73,42.54;CITY'\n"
    "  --snap-limit KM                 refuse coordinates farther from every node (default 50)\n"
    "  --network FILE, --format FMT, --max-input BYTES   as for 'corridor route'\n"
    "  --optimize, --value-of-time, --carbon-price, --modes, --avoid-country,\n"
    "  --avoid-node, --avoid-link, --include-planned, --scenario   as for 'corridor route'\n"
    "  --json | --csv | --geojson      output format (default: tables);\n"
    "                                  GeoJSON draws straight origin-destination lines\n"
    "  --output FILE                   write there (atomically)\n"
    "  --geopackage FILE               also the pair lines as a GeoPackage (QGIS, styled)\n"
    "  --index cch|none                as for 'corridor route' (default none)\n"
    "  --quiet                         no progress bar (it shows on a terminal after a\n"
    "                                  second; Ctrl-C writes the origins answered so far)\n"
    "\n"
    "Exit status: 0 every pair answered, 1 some pair has no route or stopped by Ctrl-C,\n"
    "2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor matrix --from CN-XIAN,CN-URUMQI --to DE-DUISBURG,TR-ISTANBUL --optimize time\n";

typedef struct matrix_opts {
    common_opts c;
    profile_opts p;
    const char *from_text, *to_text;
    cli_place *places; /* origins, then destinations (read once the network is loaded) */
    size_t n_from, n_to;
    const cor_progress *progress; /* the CLI's bar, per origin (NULL in the server) */
    size_t n_done;                /* origins answered (all, unless stopped) */
} matrix_opts;

static int matrix_option(int opt, const char *arg, void *ctx)
{
    matrix_opts *o = ctx;
    if (opt == OPT_FROM) o->from_text = arg;
    else if (opt == OPT_TO) o->to_text = arg;
    else return 1;
    return 0;
}

static int matrix_check(void *ctx)
{
    matrix_opts *o = ctx;
    if (!o->from_text || !o->to_text || !*o->from_text || !*o->to_text)
        return cli_usage_error("matrix", "give --from and --to lists");
    return 0;
}

#define MATRIX_OPTIONS                                                                     \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}

static int parse_args(matrix_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, MATRIX_OPTIONS, QUIET_LONG_OPTION,
                                          GEOPACKAGE_LONG_OPTION, INDEX_LONG_OPTION, {0, 0, 0, 0}};
    return cli_parse_command(&cli_matrix_command, argc, argv, usage, longs, o);
}

/* Reads --from and --to into o->places; at most as many places as the texts have
 * commas and semicolons, plus one each. */
static bool read_places(matrix_opts *o, const cor_network *net)
{
    size_t cap = 2;
    for (const char *t = o->from_text; *t; t++) cap += *t == ',' || *t == ';';
    for (const char *t = o->to_text; *t; t++) cap += *t == ',' || *t == ';';
    free(o->places);
    if (!(o->places = calloc(cap, sizeof *o->places)))
        return !cli_fail("matrix", COR_ERR_NOMEM, NULL, "out of memory");
    size_t n = 0;
    if (!cli_places_parse("matrix", "from", net, o->from_text, false, o->places, cap, &n)) return false;
    o->n_from = n;
    if (!cli_places_parse("matrix", "to", net, o->to_text, false, o->places, cap, &n)) return false;
    o->n_to = n - o->n_from;
    return true;
}

static const char *place_id(const matrix_opts *o, const cor_network *net, size_t i)
{
    return cor_network_node_id(net, o->places[i].node);
}

static double measure(const cor_totals *t, int which)
{
    switch (which) {
    case 0: return t->cost;
    case 1: return t->hours;
    case 2: return t->km;
    case 3: return t->usd;
    default: return t->co2_kg;
    }
}

static const char *const measure_names[] = {"cost", "hours", "km", "usd", "co2_kg"};

/* The --json document of a matrix. */
static json_t *matrix_json(const matrix_opts *o, const cor_network *net, const cor_totals *tab)
{
    json_t *doc = json_object(), *a = json_array(), *b = json_array();
    for (size_t i = 0; i < o->n_from; i++) json_array_append_new(a, json_string(place_id(o, net, i)));
    for (size_t j = 0; j < o->n_to; j++)
        json_array_append_new(b, json_string(place_id(o, net, o->n_from + j)));
    json_object_set_new(doc, "from", a);
    json_object_set_new(doc, "to", b);
    json_object_set_new(doc, "optimize", json_string(cor_objective_name(o->p.profile.objective)));
    for (int m = 0; m < 5; m++) {
        json_t *rows = json_array();
        for (size_t i = 0; i < o->n_from; i++) {
            json_t *row = json_array();
            for (size_t j = 0; j < o->n_to; j++)
                json_array_append_new(row, json_num(measure(&tab[i * o->n_to + j], m)));
            json_array_append_new(rows, row);
        }
        json_object_set_new(doc, measure_names[m], rows);
    }
    if (cli_places_any(o->places, o->n_from + o->n_to))
        json_object_set_new(doc, "snapped", cli_places_json(net, o->places, o->n_from + o->n_to));
    return doc;
}

/* The --geojson document: a straight line per origin-destination pair, with its figures. */
static json_t *matrix_geojson(const matrix_opts *o, const cor_network *net, const uint32_t *from,
                              const uint32_t *to, const cor_totals *tab)
{
    json_t *doc = json_object(), *features = json_array();
    for (size_t i = 0; i < o->n_from; i++)
        for (size_t j = 0; j < o->n_to; j++) {
            const cor_node *a = cor_network_node(net, from[i]), *b = cor_network_node(net, to[j]);
            json_t *ft = json_object(), *props = totals_to_json(&tab[i * o->n_to + j]);
            json_object_set_new(props, "from", json_string(a->id));
            json_object_set_new(props, "to", json_string(b->id));
            json_object_set_new(ft, "type", json_string("Feature"));
            json_object_set_new(ft, "properties", props);
            if (isnan(a->lon) || isnan(b->lon)) json_object_set_new(ft, "geometry", json_null());
            else
                json_object_set_new(ft, "geometry",
                                    json_pack("{s:s, s:[[f,f],[f,f]]}", "type", "LineString",
                                              "coordinates", a->lon, a->lat, b->lon, b->lat));
            json_array_append_new(features, ft);
        }
    json_object_set_new(doc, "type", json_string("FeatureCollection"));
    json_object_set_new(doc, "features", features);
    return doc;
}

static bool write_matrix(FILE *f, const matrix_opts *o, const cor_network *net,
                         const uint32_t *from, const uint32_t *to, const cor_totals *tab)
{
    char buf[32];
    if (o->c.out == OUT_TABLE) {
        cli_places_print(f, net, o->places, o->n_from + o->n_to);
        for (int m = 0; m < 5; m++) {
            fprintf(f, "%s%s\n%-20s", m ? "\n" : "", measure_names[m], "from \\ to");
            for (size_t j = 0; j < o->n_to; j++) fprintf(f, " %14s", place_id(o, net, o->n_from + j));
            fputc('\n', f);
            for (size_t i = 0; i < o->n_from; i++) {
                fprintf(f, "%-20s", place_id(o, net, i));
                for (size_t j = 0; j < o->n_to; j++) {
                    double v = measure(&tab[i * o->n_to + j], m);
                    fprintf(f, " %14s", isinf(v) ? "-" : fmt_num(buf, sizeof buf, v, m == 0 ? 2 : m == 1 ? 1 : 0));
                }
                fputc('\n', f);
            }
        }
        return true;
    }
    if (o->c.out == OUT_CSV) {
        fputs("from,to,cost,hours,km,usd,co2_kg,transfers,borders\n", f);
        for (size_t i = 0; i < o->n_from; i++)
            for (size_t j = 0; j < o->n_to; j++) {
                const cor_totals *t = &tab[i * o->n_to + j];
                csv_field(f, place_id(o, net, i), ",");
                csv_field(f, place_id(o, net, o->n_from + j), ",");
                for (int m = 0; m < 5; m++) csv_number(f, measure(t, m), ",");
                if (isinf(t->cost)) fputs(",\n", f);
                else fprintf(f, "%u,%u\n", t->transfers, t->borders);
            }
        return true;
    }
    json_t *doc = o->c.out == OUT_JSON ? matrix_json(o, net, tab) : matrix_geojson(o, net, from, to, tab);
    bool ok = json_write(f, doc);
    json_decref(doc);
    return ok;
}

/* The table for every origin and destination (row-major), one origin at a time so that a
 * deadline can stop it between rows; an exit code. */
static int matrix_find(matrix_opts *o, cli_env *env, uint32_t **from, uint32_t **to,
                       cor_totals **tab)
{
    if (!read_places(o, env->net)) return EXIT_BAD;
    *from = malloc(o->n_from * sizeof **from);
    *to = malloc(o->n_to * sizeof **to);
    *tab = malloc(o->n_from * o->n_to * sizeof **tab);
    if (!*from || !*to || !*tab) return cli_fail("matrix", COR_ERR_NOMEM, NULL, "out of memory");
    cor_route_query *q = env->acquire(env, &o->p);
    if (!q) return EXIT_BAD;
    if (!cli_places_snap("matrix", env, q, &o->p, o->places, o->n_from + o->n_to)) {
        env->release(env, q);
        return EXIT_BAD;
    }
    for (size_t i = 0; i < o->n_from; i++) (*from)[i] = o->places[i].node;
    for (size_t j = 0; j < o->n_to; j++) (*to)[j] = o->places[o->n_from + j].node;
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_ANSWERED;
    const cor_progress *p = o->progress;
    for (o->n_done = 0; o->n_done < o->n_from && rc == EXIT_ANSWERED; o->n_done++) {
        size_t i = o->n_done;
        if (p && p->fn && !p->fn(p->ctx, i, o->n_from)) break;
        if (cli_env_expired(env, "matrix")) rc = EXIT_BAD;
        else if (cor_route_table(q, *from + i, 1, *to, o->n_to, *tab + i * o->n_to, &err) != COR_OK) {
            cli_print_problems(&err);
            rc = EXIT_BAD;
        }
    }
    env->release(env, q);
    cor_error_clear(&err);
    for (size_t i = 0; rc == EXIT_ANSWERED && i < o->n_done * o->n_to; i++)
        if (isinf((*tab)[i].cost)) rc = EXIT_NO_ANSWER;
    return rc;
}

static void matrix_free(void *ctx)
{
    matrix_opts *o = ctx;
    cli_profile_free(&o->p);
    free(o->places);
}

int cmd_matrix(int argc, char **argv)
{
    matrix_opts o = {0};
    cor_profile_init(&o.p.profile);
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    uint32_t *from = NULL, *to = NULL;
    cor_totals *tab = NULL;
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    cli_progress bar;
    cli_progress_start(&bar, "matrix", o.c.quiet);
    o.progress = &bar.lib;
    rc = matrix_find(&o, &env, &from, &to, &tab);
    cli_progress_end(&bar);
    if (rc == EXIT_BAD) goto done;
    matrix_opts shown = o; /* the origins answered: all, or those before Ctrl-C */
    if (o.n_done < o.n_from) {
        fprintf(stderr, "corridor matrix: stopped by Ctrl-C after %zu of %zu origins\n", o.n_done, o.n_from);
        shown.n_from = o.n_done;
        rc = EXIT_NO_ANSWER;
    }
    if (o.c.geopackage && gpkg_write("matrix", o.c.geopackage, matrix_geojson(&shown, env.net, from, to, tab)))
        rc = EXIT_BAD;
    FILE *f = rc == EXIT_BAD ? NULL : cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_matrix(f, &shown, env.net, from, to, tab) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    free(from);
    free(to);
    free(tab);
    cor_network_free(net);
    matrix_free(&o);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static void matrix_init(void *ctx)
{
    cor_profile_init(&((matrix_opts *)ctx)->p.profile);
}

static int matrix_answer(void *ctx, cli_env *env, json_t **doc)
{
    matrix_opts *o = ctx;
    uint32_t *from = NULL, *to = NULL;
    cor_totals *tab = NULL;
    int rc = matrix_find(o, env, &from, &to, &tab);
    *doc = rc != EXIT_BAD ? matrix_json(o, env->net, tab) : NULL;
    free(from);
    free(to);
    free(tab);
    return rc;
}

static const struct option matrix_params[] = {MATRIX_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_matrix_command = {
    "matrix",      matrix_params, sizeof(matrix_opts), offsetof(matrix_opts, c),
    offsetof(matrix_opts, p), matrix_init, matrix_option, matrix_check, matrix_answer, matrix_free};
