/*
 * cmd_compare.c — `corridor compare`: the network's named corridors side by side for one
 * origin and destination, and which one wins on each measure.
 */
#include "cli.h"
#include "output.h"
#include "places.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor compare [--network FILE] --from ID --to ID [options]\n"
    "\n"
    "Routes along each named corridor of the network (on the embedded model: northern via\n"
    "Russia and Belarus, middle across the Caspian, southern via Iran, maritime via Suez)\n"
    "and puts them side by side: days, USD per container (TEU), kg CO2, km, transfers,\n"
    "border crossings, the slowest and the most expensive element, and the winner of each.\n"
    "\n"
    "  --network FILE, --format FMT   a network with a \"corridors\" member\n"
    "  --max-input BYTES              as for 'corridor route'\n"
    "  --from ID, --to ID             node ids\n"
    "  --optimize WHAT                what each corridor's route minimises (default time)\n"
    "  --value-of-time, --carbon-price, --modes, --avoid-country, --avoid-node,\n"
    "  --avoid-link, --include-planned, --scenario FILE   as for 'corridor route'\n"
    "  --json | --geojson | --csv     output format (default: a table)\n"
    "  --output FILE                  write there (atomically)\n"
    "\n"
    "Exit status: 0 at least one corridor has a route, 1 none has, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor compare --from CN-XIAN --to DE-DUISBURG\n"
    "  corridor compare --from CN-XIAN --to DE-DUISBURG --optimize cost --json\n";

typedef struct compare_opts {
    common_opts c;
    profile_opts p;
    const char *from, *to;
    cli_place pl[2]; /* from and to, once read and snapped */
} compare_opts;

static int compare_option(int opt, const char *arg, void *ctx)
{
    compare_opts *o = ctx;
    if (opt == OPT_FROM) o->from = arg;
    else if (opt == OPT_TO) o->to = arg;
    else return 1;
    return 0;
}

static int compare_check(void *ctx)
{
    compare_opts *o = ctx;
    if (!o->from || !o->to) return cli_usage_error("compare", "give --from and --to");
    return 0;
}

#define COMPARE_OPTIONS                                                                    \
    PROFILE_LONG_OPTIONS, {"from", required_argument, 0, OPT_FROM},                        \
        {"to", required_argument, 0, OPT_TO}

static int parse_args(compare_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, COMPARE_OPTIONS, {0, 0, 0, 0}};
    return cli_parse_command(&cli_compare_command, argc, argv, usage, longs, o);
}

/* ---------------------------------------------------------------- measures and winners */

enum { M_DAYS, M_USD, M_CO2, M_KM, M_TRANSFERS, M_BORDERS, M_COUNT };
static const char *const measure_names[M_COUNT] = {"days", "usd", "co2_kg", "km", "transfers",
                                                   "borders"};

static double measure(const cor_totals *t, int m)
{
    switch (m) {
    case M_DAYS: return t->hours / 24;
    case M_USD: return t->usd;
    case M_CO2: return t->co2_kg;
    case M_KM: return t->km;
    case M_TRANSFERS: return t->transfers;
    default: return t->borders;
    }
}

/* The corridor with the lowest value of measure m (-1 when no corridor has a value). */
static long winner(const cor_corridor_result *r, size_t n, int m)
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (r[i].status != COR_OK || isnan(measure(&r[i].route.totals, m))) continue;
        if (best < 0 || measure(&r[i].route.totals, m) < measure(&r[best].route.totals, m))
            best = (long)i;
    }
    return best;
}

/* "CN-XIAN > KZ-DOSTYK (rail) > ... > DE-DUISBURG": the ends, every node where the mode or
 * gauge changes (with the mode taken there) and every border crossed: what tells
 * corridors apart. */
static void route_summary(const cor_network *net, const cor_route *r, char *buf, size_t size)
{
    size_t n = 0;
    uint32_t last = COR_NONE;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_legs; i++) {
        const cor_leg *leg = &r->legs[i];
        if (i == 0) {
            n += (size_t)snprintf(buf, size, "%s", cor_network_node(net, leg->from)->id);
            last = leg->from;
        }
        bool transfer = leg->kind == COR_LEG_TRANSFER;
        bool next_is_transfer = i + 1 < r->n_legs && r->legs[i + 1].kind == COR_LEG_TRANSFER;
        bool mark = transfer || i + 1 == r->n_legs || (leg->border && !next_is_transfer);
        if (!mark || (leg->to == last && !transfer)) continue;
        n += (size_t)snprintf(buf + n, n < size ? size - n : 0, " > %s",
                              cor_network_node(net, leg->to)->id);
        if (transfer && leg->gauge_mm)
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, " (%s %d)",
                                  cor_mode_name(leg->mode), leg->gauge_mm);
        else if (transfer)
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, " (%s)", cor_mode_name(leg->mode));
        last = leg->to;
    }
}

static void leg_label(const cor_network *net, const cor_leg *leg, char *buf, size_t size)
{
    if (leg->kind == COR_LEG_TRANSFER)
        snprintf(buf, size, "transfer at %s", cor_network_node(net, leg->from)->id);
    else
        snprintf(buf, size, "%s %s -> %s", cor_mode_name(leg->mode),
                 cor_network_node(net, leg->from)->id, cor_network_node(net, leg->to)->id);
}

/* ---------------------------------------------------------------- output */

static void print_table(FILE *f, const compare_opts *o, const cor_network *net,
                        const cor_corridor_result *r, size_t n)
{
    char buf[6][32], text[1024], label[256];
    fprintf(f, "Corridors from %s to %s, each optimising %s%s%s\n\n", o->from, o->to,
            cor_objective_name(o->p.profile.objective), o->p.profile.scenario ? ", scenario: " : "",
            o->p.profile.scenario ? cor_scenario_name(o->p.profile.scenario) : "");
    cli_places_print(f, net, o->pl, 2);
    fprintf(f, "  %-12s %8s %10s %10s %10s %10s %8s\n", "corridor", "days", "USD/TEU", "kg CO2",
            "km", "transfers", "borders");
    for (size_t i = 0; i < n; i++) {
        const cor_corridor *c = cor_network_corridor(net, r[i].corridor);
        if (r[i].status != COR_OK) {
            fprintf(f, "  %-12s %8s\n", c->id, "no route");
            continue;
        }
        const cor_totals *t = &r[i].route.totals;
        fprintf(f, "  %-12s %8s %10s %10s %10s %10u %8u\n", c->id,
                fmt_num(buf[0], 32, t->hours / 24, 1), fmt_num(buf[1], 32, t->usd, 0),
                fmt_num(buf[2], 32, t->co2_kg, 0), fmt_num(buf[3], 32, t->km, 0), t->transfers,
                t->borders);
    }
    fprintf(f, "  %-12s", "best");
    for (int m = 0; m < M_COUNT; m++) {
        long w = winner(r, n, m);
        fprintf(f, m == 0 ? " %8s" : m < 4 ? " %10s" : m == 4 ? " %10s" : " %8s",
                w < 0 ? "-" : cor_network_corridor(net, r[w].corridor)->id);
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const cor_corridor *c = cor_network_corridor(net, r[i].corridor);
        fprintf(f, "\n%s: %s\n", c->id, c->name);
        if (r[i].status != COR_OK) {
            fprintf(f, "  no route along this corridor with these settings\n");
            continue;
        }
        route_summary(net, &r[i].route, text, sizeof text);
        fprintf(f, "  route: %s\n", text);
        if (r[i].slowest_leg >= 0) {
            const cor_leg *leg = &r[i].route.legs[r[i].slowest_leg];
            leg_label(net, leg, label, sizeof label);
            fprintf(f, "  slowest element: %s (%s h)\n", label, fmt_num(buf[0], 32, leg->hours, 1));
        }
        if (r[i].dearest_leg >= 0) {
            const cor_leg *leg = &r[i].route.legs[r[i].dearest_leg];
            leg_label(net, leg, label, sizeof label);
            fprintf(f, "  most expensive element: %s (%s USD)\n", label,
                    fmt_num(buf[0], 32, leg->usd, 0));
        }
    }
}

static json_t *leg_ref(const cor_network *net, const cor_route *r, long i)
{
    if (i < 0) return json_null();
    const cor_leg *leg = &r->legs[i];
    char label[256];
    leg_label(net, leg, label, sizeof label);
    return json_pack("{s:s, s:o, s:o, s:o}", "element", label, "link",
                     leg->kind == COR_LEG_LINK ? json_string(cor_network_link(net, leg->link)->id)
                                               : json_null(),
                     "hours", json_num(leg->hours), "usd", json_num(leg->usd));
}

static json_t *compare_json(const compare_opts *o, const cor_network *net,
                            const cor_corridor_result *r, size_t n)
{
    json_t *doc = json_object(), *list = json_array(), *best = json_object();
    json_object_set_new(doc, "from", json_string(o->from));
    json_object_set_new(doc, "to", json_string(o->to));
    json_object_set_new(doc, "optimize", json_string(cor_objective_name(o->p.profile.objective)));
    if (cli_places_any(o->pl, 2)) json_object_set_new(doc, "snapped", cli_places_json(net, o->pl, 2));
    json_object_set_new(doc, "scenario", o->p.profile.scenario ? json_string(cor_scenario_name(o->p.profile.scenario))
                                                       : json_null());
    for (size_t i = 0; i < n; i++) {
        const cor_corridor *c = cor_network_corridor(net, r[i].corridor);
        json_t *e = json_object();
        json_object_set_new(e, "id", json_string(c->id));
        json_object_set_new(e, "name", json_string(c->name));
        json_object_set_new(e, "route_found", json_boolean(r[i].status == COR_OK));
        if (r[i].status == COR_OK) {
            char text[1024];
            route_summary(net, &r[i].route, text, sizeof text);
            json_object_set_new(e, "summary", json_string(text));
            json_object_update_new(e, route_to_json(net, &r[i].route));
            json_object_set_new(e, "slowest", leg_ref(net, &r[i].route, r[i].slowest_leg));
            json_object_set_new(e, "most_expensive", leg_ref(net, &r[i].route, r[i].dearest_leg));
        }
        json_array_append_new(list, e);
    }
    for (int m = 0; m < M_COUNT; m++) {
        long w = winner(r, n, m);
        json_object_set_new(best, measure_names[m],
                            w < 0 ? json_null() : json_string(cor_network_corridor(net, r[w].corridor)->id));
    }
    json_object_set_new(doc, "corridors", list);
    json_object_set_new(doc, "best", best);
    return doc;
}

static void print_csv(FILE *f, const cor_network *net, const cor_corridor_result *r, size_t n)
{
    char text[1024];
    fputs("corridor,name,days,usd,co2_kg,km,transfers,borders,route\n", f);
    for (size_t i = 0; i < n; i++) {
        const cor_corridor *c = cor_network_corridor(net, r[i].corridor);
        csv_field(f, c->id, ",");
        csv_field(f, c->name, ",");
        if (r[i].status != COR_OK) {
            fputs(",,,,,,\n", f);
            continue;
        }
        for (int m = 0; m < M_BORDERS; m++) csv_number(f, measure(&r[i].route.totals, m), ",");
        csv_number(f, measure(&r[i].route.totals, M_BORDERS), ",");
        route_summary(net, &r[i].route, text, sizeof text);
        csv_field(f, text, "\n");
    }
}

static bool write_output(FILE *f, const compare_opts *o, const cor_network *net,
                         const cor_corridor_result *r, size_t n)
{
    if (o->c.out == OUT_TABLE) print_table(f, o, net, r, n);
    else if (o->c.out == OUT_CSV) print_csv(f, net, r, n);
    else {
        json_t *doc;
        if (o->c.out == OUT_JSON) doc = compare_json(o, net, r, n);
        else {
            json_t *features = json_array();
            for (size_t i = 0; i < n; i++) {
                if (r[i].status != COR_OK) continue;
                size_t before = json_array_size(features);
                route_to_features(net, &r[i].route, (int)i + 1, features);
                for (size_t k = before; k < json_array_size(features); k++)
                    json_object_set_new(json_object_get(json_array_get(features, k), "properties"),
                                        "corridor",
                                        json_string(cor_network_corridor(net, r[i].corridor)->id));
            }
            doc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
        }
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* Every corridor's route: *results (one per corridor, *n) on success; an exit code. */
/* --from and --to into o->pl: ids, or coordinates snapped to the nearest node the base
 * profile can use (one compile of the base profile, only for coordinates). */
static bool compare_places(compare_opts *o, cli_env *env)
{
    size_t k = 0;
    if (!cli_places_parse("compare", "from", env->net, o->from, true, o->pl, 2, &k) ||
        !cli_places_parse("compare", "to", env->net, o->to, true, o->pl, 2, &k))
        return false;
    if (!cli_places_any(o->pl, 2)) return true;
    cor_route_query *q = env->acquire(env, &o->p);
    bool ok = q && cli_places_snap("compare", env, q, &o->p, o->pl, 2);
    if (q) env->release(env, q);
    return ok;
}

static int compare_find(compare_opts *o, cli_env *env, cor_corridor_result **results, size_t *n)
{
    const cor_network *net = env->net;
    *results = NULL;
    *n = cor_network_corridor_count(net);
    if (*n == 0)
        return cli_fail("compare", COR_ERR_INPUT, NULL,
                        "%s defines no corridors (a \"corridors\" member; see docs/FORMAT.md)",
                        cor_network_source_file(net));
    if (!compare_places(o, env)) return EXIT_BAD;
    uint32_t from = o->pl[0].node, to = o->pl[1].node;
    if (cli_env_expired(env, "compare")) return EXIT_BAD;
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_NO_ANSWER;
    *results = calloc(*n, sizeof **results);
    if (!*results || cor_compare(net, &o->p.profile, from, to, *results, &err) != COR_OK) {
        if (!*results) cli_fail("compare", COR_ERR_NOMEM, NULL, "out of memory");
        else cli_print_problems(&err);
        rc = EXIT_BAD;
    }
    for (size_t i = 0; rc != EXIT_BAD && i < *n; i++)
        if ((*results)[i].status == COR_OK) rc = EXIT_ANSWERED;
    cor_error_clear(&err);
    return rc;
}

static void compare_results_free(cor_corridor_result *results, size_t n)
{
    if (results) cor_compare_clear(results, n);
    free(results);
}

static void compare_init(void *ctx)
{
    compare_opts *o = ctx;
    cor_profile_init(&o->p.profile);
    o->p.profile.objective = COR_OPT_TIME;
}

int cmd_compare(int argc, char **argv)
{
    compare_opts o = {0};
    compare_init(&o);
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    cor_corridor_result *results = NULL;
    size_t n = 0;
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    if ((rc = compare_find(&o, &env, &results, &n)) == EXIT_BAD) goto done;
    FILE *f = cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &o, env.net, results, n) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    compare_results_free(results, n);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int compare_answer(void *ctx, cli_env *env, json_t **doc)
{
    compare_opts *o = ctx;
    cor_corridor_result *results = NULL;
    size_t n = 0;
    int rc = compare_find(o, env, &results, &n);
    *doc = rc != EXIT_BAD ? compare_json(o, env->net, results, n) : NULL;
    compare_results_free(results, n);
    return rc;
}

static void compare_clear(void *ctx)
{
    cli_profile_free(&((compare_opts *)ctx)->p);
}

static const struct option compare_params[] = {COMPARE_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_compare_command = {
    "compare",      compare_params, sizeof(compare_opts), offsetof(compare_opts, c),
    offsetof(compare_opts, p), compare_init, compare_option, compare_check, compare_answer,
    compare_clear};
