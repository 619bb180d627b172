/*
 * cmd_scenario.c — `corridor scenario diff`: what a scenario changes, before and after.
 *
 * Four parts: the elements it touches (status, figures, additions, read by comparing the
 * base with the scenario's network), the best route between two places, the corridor
 * comparison (cor_compare on each side) and the throughput (cor_maxflow over all links,
 * and over each corridor's modes and countries). "Before" is the base network with the
 * profile as given; "after" is the scenario's own network with the scenario in the
 * profile, so a scenario that adds links is shown like any other.
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor scenario diff FILE [--from ID --to ID] [options]\n"
    "\n"
    "What the scenario FILE (JSON, see docs/FORMAT.md) changes: the links and nodes it\n"
    "opens, closes, adds or gives new figures, then before and after for the best route\n"
    "from --from to --to, the named corridors side by side (as 'corridor compare'), and the\n"
    "throughput per year between the two (maximum flow over every link, and over each\n"
    "corridor's modes and countries; its waypoints are not imposed on the flow). Without\n"
    "--from/--to, the scenario's own \"from\" and \"to\" are used; without either, only the\n"
    "changes are listed. The scenario's duration (its longest change) is shown when given.\n"
    "\n"
    "  FILE                       the scenario\n"
    "  --from ID, --to ID         node ids\n"
    "  --optimize WHAT            what the routes minimise (default time)\n"
    "  --value-of-time, --carbon-price, --modes, --avoid-country, --avoid-node,\n"
    "  --avoid-link, --include-planned, --layer   as for 'corridor route' (both sides)\n"
    "  --top N                    changed elements listed in the table (default 30)\n"
    "  --json                     output format (default: a table)\n"
    "  --network FILE, --format FMT, --output FILE, --max-input BYTES\n"
    "\n"
    "Exit status: 0 answered, 1 no route between the two either before or after, 2 bad\n"
    "usage or input (a scenario's faults are named by their JSON path).\n"
    "\n"
    "Examples:\n"
    "  corridor scenario diff data/scenarios/caspian-storm.json\n"
    "  corridor scenario diff data/scenarios/tripp.json --from AZ-BAKU --to AZ-NAKHCHIVAN --modes rail\n";

typedef struct diff_opts {
    common_opts c;
    profile_opts p;
    const char *from, *to, *file;
} diff_opts;

/* One side of the comparison. */
typedef struct side {
    const cor_network *net;
    cor_profile profile;
    cor_status route_status;
    cor_route route;
    cor_corridor_result *corridors;
    double *throughput; /* [0] all links, then one per corridor; NaN when not computed */
} side;

typedef struct diff {
    const diff_opts *o;
    cor_scenario *s;
    const cor_network *base;
    uint32_t from, to; /* in the scenario's network; COR_NONE when no pair */
    size_t n_corridors;
    side before, after;
} diff;

static int diff_option(int opt, const char *arg, void *ctx)
{
    diff_opts *o = ctx;
    if (opt == OPT_FROM) o->from = arg;
    else if (opt == OPT_TO) o->to = arg;
    else return 1;
    return 0;
}

static int parse_args(diff_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, PROFILE_LONG_OPTIONS, TOP_LONG_OPTION,
                                          {"from", required_argument, 0, OPT_FROM},
                                          {"to", required_argument, 0, OPT_TO},
                                          {0, 0, 0, 0}};
    if (argc < 2 || strcmp(argv[1], "diff") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            fputs(usage, stdout);
            return -1;
        }
        return cli_usage_error("scenario", "give a subcommand: 'corridor scenario diff FILE'");
    }
    int rc = cli_parse_options(argc - 1, argv + 1, "scenario", usage, longs, &o->c, &o->p,
                               diff_option, o);
    if (rc) return rc;
    if (optind + 1 != argc - 1)
        return cli_usage_error("scenario", optind + 1 < argc - 1 ? "give one scenario FILE"
                                                                  : "give the scenario FILE");
    o->file = argv[optind + 1];
    if (o->p.scenario_path)
        return cli_usage_error("scenario", "the scenario is FILE itself: --scenario is not taken");
    if (!o->from != !o->to) return cli_usage_error("scenario", "give both --from and --to, or neither");
    if (o->c.out != OUT_TABLE && o->c.out != OUT_JSON)
        return cli_usage_error("scenario", "the output is a table or --json");
    return 0;
}

/* ---------------------------------------------------------------- computing */

/* The caller's profile narrowed to a corridor's modes and countries; *countries owns the
 * merged list. False when the corridor's modes and the caller's share none. */
static bool corridor_profile(const cor_profile *base, const cor_corridor *c, cor_profile *p,
                             const char ***countries)
{
    *p = *base;
    *countries = NULL;
    if (base->modes && c->modes && !(base->modes & c->modes)) return false;
    if (c->modes) p->modes = base->modes ? base->modes & c->modes : c->modes;
    size_t n = base->n_avoid_countries + c->n_avoid_countries;
    if (!(*countries = malloc((n + 1) * sizeof **countries))) return false;
    for (size_t i = 0; i < base->n_avoid_countries; i++) (*countries)[i] = base->avoid_countries[i];
    for (size_t i = 0; i < c->n_avoid_countries; i++)
        (*countries)[base->n_avoid_countries + i] = c->avoid_countries[i];
    p->avoid_countries = *countries;
    p->n_avoid_countries = n;
    return true;
}

/* The maximum flow between the pair under p; NaN after printing a problem. */
static double throughput(const side *sd, const cor_profile *p, uint32_t from, uint32_t to)
{
    cor_flow_spec spec = {p, &from, 1, &to, 1, true, false};
    cor_flow_result r;
    cor_error err;
    cor_error_init(&err);
    double v = NAN;
    if (cor_maxflow(sd->net, &spec, &r, &err) == COR_OK) v = r.value;
    else cli_print_problems(&err);
    cor_flow_result_clear(&r);
    cor_error_clear(&err);
    return v;
}

/* Route, comparison and throughput on one side; false on a real failure (printed). */
static bool compute_side(diff *d, side *sd)
{
    uint32_t n = (uint32_t)cor_network_node_count(sd->net);
    bool have = d->from < n && d->to < n; /* an added node is not in the base */
    cor_error err;
    cor_error_init(&err);
    cor_graph *g = NULL;
    cor_route_query *q = NULL;
    bool ok = true;
    cor_route_init(&sd->route);
    sd->route_status = COR_ERR_NO_ROUTE;
    if (have && cor_graph_compile(&g, sd->net, &sd->profile, &err) == COR_OK && (q = cor_route_query_new(g))) {
        cor_error quiet;
        cor_error_init(&quiet);
        sd->route_status = cor_route_shortest(q, d->from, d->to, &sd->route, &quiet);
        cor_error_clear(&quiet);
    } else if (have)
        ok = false;
    cor_route_query_free(q);
    cor_graph_free(g);
    sd->corridors = calloc(d->n_corridors + 1, sizeof *sd->corridors);
    sd->throughput = malloc((d->n_corridors + 2) * sizeof *sd->throughput);
    ok = ok && sd->corridors && sd->throughput;
    for (size_t i = 0; ok && i <= d->n_corridors; i++) sd->throughput[i] = NAN;
    if (ok && have && d->n_corridors)
        ok = cor_compare(sd->net, &sd->profile, d->from, d->to, sd->corridors, &err) == COR_OK;
    if (ok && have) sd->throughput[0] = throughput(sd, &sd->profile, d->from, d->to);
    for (size_t i = 0; ok && have && i < d->n_corridors; i++) {
        cor_profile p;
        const char **countries;
        if (corridor_profile(&sd->profile, cor_network_corridor(sd->net, i), &p, &countries))
            sd->throughput[i + 1] = throughput(sd, &p, d->from, d->to);
        else
            sd->throughput[i + 1] = 0;
        free(countries);
    }
    if (!ok) cli_print_problems(&err);
    cor_error_clear(&err);
    return ok;
}

static void side_clear(side *sd, size_t n_corridors)
{
    cor_route_clear(&sd->route);
    if (sd->corridors) cor_compare_clear(sd->corridors, n_corridors);
    free(sd->corridors);
    free(sd->throughput);
}

/* ---------------------------------------------------------------- what changed */

typedef struct figure_def {
    const char *name;
    size_t offset;
} figure_def;

#define LINK_FIG(f) {#f, offsetof(cor_link, f)}
#define NODE_FIG(f) {#f, offsetof(cor_node, f)}
static const figure_def link_figures[] = {
    LINK_FIG(length_km),        LINK_FIG(speed_kmh),          LINK_FIG(duration_hours),
    LINK_FIG(cost),             LINK_FIG(reverse_cost),       LINK_FIG(co2_kg),
    LINK_FIG(capacity),         LINK_FIG(reverse_capacity),   LINK_FIG(frequency_per_week),
    LINK_FIG(border_dwell_hours), {NULL, 0}};
static const figure_def node_figures[] = {
    NODE_FIG(capacity),       NODE_FIG(transfer_hours), NODE_FIG(transfer_usd),
    NODE_FIG(transfer_co2_kg), NODE_FIG(transship_hours), NODE_FIG(transship_usd), {NULL, 0}};

static double figure_of(const void *element, const figure_def *f)
{
    return *(const double *)((const char *)element + f->offset);
}

static bool differs(double a, double b)
{
    return !(isnan(a) && isnan(b)) && a != b;
}

/* One JSON entry per change of one element: status, each figure, or its addition. */
static void element_changes(const diff *d, bool is_link, uint32_t i, json_t *list)
{
    const cor_network *after = cor_scenario_network(d->s);
    bool added = i >= (is_link ? cor_network_link_count(d->base) : cor_network_node_count(d->base));
    const void *a = is_link ? (const void *)cor_network_link(after, i) : (const void *)cor_network_node(after, i);
    const char *id = is_link ? cor_network_link(after, i)->id : cor_network_node(after, i)->id;
    const char *kind = is_link ? "link" : "node";
    if (added) {
        json_t *e = json_pack("{s:s, s:s, s:s}", "element", kind, "id", id, "change", "added");
        if (is_link) {
            const cor_link *l = a;
            json_object_set_new(e, "mode", json_string(cor_mode_name(l->mode)));
            json_object_set_new(e, "from", json_string(cor_network_node(after, l->from)->id));
            json_object_set_new(e, "to", json_string(cor_network_node(after, l->to)->id));
        }
        json_array_append_new(list, e);
    }
    if (is_link) {
        cor_link_status was = added ? COR_STATUS_COUNT : cor_network_link(d->base, i)->status;
        cor_link_status now = cor_scenario_link_status(d->s, after, i);
        if (!added && was != now)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "element", kind, "id", id,
                                                  "change", "status", "before", cor_link_status_name(was),
                                                  "after", cor_link_status_name(now)));
    } else if (cor_scenario_node_closed(d->s, i))
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "element", kind, "id", id,
                                              "change", "status", "before", "open", "after", "closed"));
    if (added) return;
    const void *b = is_link ? (const void *)cor_network_link(d->base, i) : (const void *)cor_network_node(d->base, i);
    for (const figure_def *f = is_link ? link_figures : node_figures; f->name; f++)
        if (differs(figure_of(b, f), figure_of(a, f)))
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:o}", "element", kind, "id", id,
                                                  "change", f->name, "before", json_num(figure_of(b, f)),
                                                  "after", json_num(figure_of(a, f))));
}

static json_t *changes_json(const diff *d)
{
    const cor_network *after = cor_scenario_network(d->s);
    json_t *list = json_array();
    for (uint32_t i = 0; i < cor_network_link_count(after); i++) element_changes(d, true, i, list);
    for (uint32_t i = 0; i < cor_network_node_count(after); i++) element_changes(d, false, i, list);
    return list;
}

/* ---------------------------------------------------------------- JSON */

static json_t *throughput_json(double v)
{
    if (isnan(v)) return json_null();
    return json_pack("{s:o, s:b}", "value", json_num(v), "unlimited", isinf(v));
}

static double change_of(double before, double after)
{
    return isfinite(before) && isfinite(after) ? after - before : NAN;
}

static json_t *totals_change(const cor_totals *b, const cor_totals *a)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "days", json_num(change_of(b->hours, a->hours) / 24),
                     "hours", json_num(change_of(b->hours, a->hours)), "usd",
                     json_num(change_of(b->usd, a->usd)), "co2_kg", json_num(change_of(b->co2_kg, a->co2_kg)),
                     "km", json_num(change_of(b->km, a->km)));
}

static json_t *route_side_json(const side *sd)
{
    return sd->route_status == COR_OK ? route_to_json(sd->net, &sd->route) : json_null();
}

static json_t *corridor_side_json(const side *sd, size_t i)
{
    const cor_corridor_result *r = &sd->corridors[i];
    if (r->status != COR_OK) return json_pack("{s:b}", "route_found", false);
    const cor_totals *t = &r->route.totals;
    return json_pack("{s:b, s:o, s:o, s:o, s:o}", "route_found", true, "days", json_num(t->hours / 24),
                     "usd", json_num(t->usd), "co2_kg", json_num(t->co2_kg), "km", json_num(t->km));
}

static json_t *diff_json(const diff *d)
{
    json_t *doc = json_object();
    double days = cor_scenario_duration_days(d->s);
    const char *desc = cor_scenario_description(d->s);
    json_object_set_new(doc, "scenario",
                        json_pack("{s:s, s:o, s:s, s:o, s:I}", "name", cor_scenario_name(d->s), "description",
                                  desc ? json_string(desc) : json_null(), "file", d->o->file,
                                  "duration_days", json_num(days), "changes",
                                  (json_int_t)cor_scenario_change_count(d->s)));
    json_object_set_new(doc, "changes", changes_json(d));
    if (d->from == COR_NONE) return doc;
    const cor_network *after = cor_scenario_network(d->s);
    json_object_set_new(doc, "from", json_string(cor_network_node(after, d->from)->id));
    json_object_set_new(doc, "to", json_string(cor_network_node(after, d->to)->id));
    json_object_set_new(doc, "optimize", json_string(cor_objective_name(d->o->p.profile.objective)));
    json_t *route = json_pack("{s:o, s:o}", "before", route_side_json(&d->before), "after",
                              route_side_json(&d->after));
    if (d->before.route_status == COR_OK && d->after.route_status == COR_OK)
        json_object_set_new(route, "change", totals_change(&d->before.route.totals, &d->after.route.totals));
    json_object_set_new(doc, "route", route);
    json_t *corridors = json_array(), *flows = json_array();
    for (size_t i = 0; i < d->n_corridors; i++) {
        const cor_corridor_result *b = &d->before.corridors[i], *a = &d->after.corridors[i];
        json_t *e = json_pack("{s:s, s:o, s:o}", "id", cor_network_corridor(after, i)->id, "before",
                              corridor_side_json(&d->before, i), "after", corridor_side_json(&d->after, i));
        if (b->status == COR_OK && a->status == COR_OK)
            json_object_set_new(e, "change", totals_change(&b->route.totals, &a->route.totals));
        json_array_append_new(corridors, e);
    }
    for (size_t i = 0; i <= d->n_corridors; i++) {
        double b = d->before.throughput[i], a = d->after.throughput[i];
        json_array_append_new(flows, json_pack("{s:s, s:o, s:o, s:o}", "over",
                                               i ? cor_network_corridor(after, i - 1)->id : "all links",
                                               "before", throughput_json(b), "after", throughput_json(a),
                                               "change", json_num(change_of(b, a))));
    }
    json_object_set_new(doc, "corridors", corridors);
    json_object_set_new(doc, "throughput", flows);
    return doc;
}

/* ---------------------------------------------------------------- table */

static const char *value_text(char *buf, size_t size, json_t *v)
{
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (json_is_string(v)) snprintf(buf, size, "%s", json_string_value(v));
    else fmt_num(buf, size, x, x == floor(x) ? 0 : 2);
    return buf;
}

static void print_changes(FILE *f, const diff *d, json_t *list)
{
    char b[64], a[64];
    size_t n = json_array_size(list), shown = (size_t)d->o->c.top < n ? (size_t)d->o->c.top : n;
    fprintf(f, "\nWhat it changes (%zu)\n", n);
    for (size_t i = 0; i < shown; i++) {
        json_t *e = json_array_get(list, i);
        const char *what = json_string_value(json_object_get(e, "change"));
        fprintf(f, "  %s %-34s ", json_string_value(json_object_get(e, "element")),
                json_string_value(json_object_get(e, "id")));
        if (!strcmp(what, "added") && json_object_get(e, "mode"))
            fprintf(f, "added: %s %s -> %s\n", json_string_value(json_object_get(e, "mode")),
                    json_string_value(json_object_get(e, "from")), json_string_value(json_object_get(e, "to")));
        else if (!strcmp(what, "added"))
            fprintf(f, "added\n");
        else
            fprintf(f, "%s %s -> %s\n", what, value_text(b, sizeof b, json_object_get(e, "before")),
                    value_text(a, sizeof a, json_object_get(e, "after")));
    }
    if (shown < n) fprintf(f, "  ... and %zu more (--top, or --json for all)\n", n - shown);
}

/* The countries a route passes, in order: "AZ > IR > AZ". */
static void countries_of(const cor_network *net, const cor_route *r, char *buf, size_t size)
{
    size_t n = 0;
    const char *last = NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_legs; i++)
        for (int end = 0; end < 2; end++) {
            const char *cc = cor_network_node(net, end ? r->legs[i].to : r->legs[i].from)->country;
            if (!cc || (last && !strcmp(cc, last))) continue;
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", last ? " > " : "", cc);
            last = cc;
        }
}

/* A change with its sign ("+150", "-0.9"); "" when unknown. */
static const char *change_text(char *buf, size_t size, double c, int decimals)
{
    char raw[32];
    if (isnan(c)) return snprintf(buf, size, "%s", ""), buf;
    fmt_num(raw, sizeof raw, c, decimals);
    snprintf(buf, size, "%s%s", c > 0 && strcmp(raw, "0") && strcmp(raw, "0.0") ? "+" : "", raw);
    return buf;
}

static void print_measure_row(FILE *f, const char *label, double b, double a, int decimals)
{
    char x[32], y[32], z[40];
    fprintf(f, "  %-12s %14s %14s %14s\n", label, fmt_num(x, sizeof x, b, decimals),
            fmt_num(y, sizeof y, a, decimals), change_text(z, sizeof z, change_of(b, a), decimals));
}

static void print_route(FILE *f, const diff *d)
{
    const cor_totals none = {.cost = NAN, .hours = NAN, .usd = NAN, .co2_kg = NAN, .km = NAN};
    const cor_totals *b = d->before.route_status == COR_OK ? &d->before.route.totals : &none;
    const cor_totals *a = d->after.route_status == COR_OK ? &d->after.route.totals : &none;
    const cor_network *after = cor_scenario_network(d->s);
    char text[512];
    fprintf(f, "\nBest route from %s to %s, optimising %s\n", cor_network_node(after, d->from)->id,
            cor_network_node(after, d->to)->id, cor_objective_name(d->o->p.profile.objective));
    fprintf(f, "  %-12s %14s %14s %14s\n", "", "before", "after", "change");
    print_measure_row(f, "days", b->hours / 24, a->hours / 24, 1);
    print_measure_row(f, money_unit(after), b->usd, a->usd, 0);
    print_measure_row(f, "kg CO2", b->co2_kg, a->co2_kg, 0);
    print_measure_row(f, "km", b->km, a->km, 0);
    for (int k = 0; k < 2; k++) {
        const side *sd = k ? &d->after : &d->before;
        if (sd->route_status == COR_OK) countries_of(sd->net, &sd->route, text, sizeof text);
        fprintf(f, "  %-7s %s\n", k ? "after:" : "before:", sd->route_status == COR_OK ? text : "no route");
    }
}

static void print_corridors(FILE *f, const diff *d)
{
    char x[3][32];
    const cor_network *after = cor_scenario_network(d->s);
    fprintf(f, "\nCorridors (as 'corridor compare'): before -> after\n");
    fprintf(f, "  %-12s %22s %26s %26s\n", "corridor", "days", "USD/TEU", "kg CO2");
    for (size_t i = 0; i < d->n_corridors; i++) {
        const cor_corridor_result *r[2] = {&d->before.corridors[i], &d->after.corridors[i]};
        char cell[3][64];
        for (int m = 0; m < 3; m++) {
            double v[2];
            for (int k = 0; k < 2; k++) {
                const cor_totals *t = &r[k]->route.totals;
                v[k] = r[k]->status != COR_OK ? NAN : m == 0 ? t->hours / 24 : m == 1 ? t->usd : t->co2_kg;
            }
            snprintf(cell[m], sizeof cell[m], "%s -> %s", r[0]->status == COR_OK ? fmt_num(x[0], 32, v[0], m ? 0 : 1) : "none",
                     r[1]->status == COR_OK ? fmt_num(x[1], 32, v[1], m ? 0 : 1) : "none");
        }
        fprintf(f, "  %-12s %22s %26s %26s\n", cor_network_corridor(after, i)->id, cell[0], cell[1], cell[2]);
    }
}

static const char *flow_text(char *buf, size_t size, double v)
{
    if (isinf(v)) return snprintf(buf, size, "no limit"), buf;
    return fmt_num(buf, size, v, 0);
}

static void print_throughput(FILE *f, const diff *d)
{
    char x[32], y[32], z[40];
    const cor_network *after = cor_scenario_network(d->s);
    fprintf(f, "\nThroughput per year from %s to %s (maximum flow, node capacities counted)\n",
            cor_network_node(after, d->from)->id, cor_network_node(after, d->to)->id);
    fprintf(f, "  %-12s %14s %14s %14s\n", "over", "before", "after", "change");
    for (size_t i = 0; i <= d->n_corridors; i++) {
        double b = d->before.throughput[i], a = d->after.throughput[i];
        fprintf(f, "  %-12s %14s %14s %14s\n", i ? cor_network_corridor(after, i - 1)->id : "all links",
                flow_text(x, sizeof x, b), flow_text(y, sizeof y, a), change_text(z, sizeof z, change_of(b, a), 0));
    }
}

static void print_table(FILE *f, const diff *d)
{
    char days[32];
    const char *desc = cor_scenario_description(d->s);
    double dur = cor_scenario_duration_days(d->s);
    fprintf(f, "Scenario: %s (%s)\n", cor_scenario_name(d->s), d->o->file);
    if (desc) fprintf(f, "  %s\n", desc);
    if (!isnan(dur)) fprintf(f, "  duration: %s days (its longest change)\n", fmt_num(days, sizeof days, dur, 1));
    json_t *list = changes_json(d);
    print_changes(f, d, list);
    json_decref(list);
    if (d->from == COR_NONE) {
        fprintf(f, "\nGive --from and --to for routes, the corridors and throughput before and after.\n");
        return;
    }
    print_route(f, d);
    if (d->n_corridors) print_corridors(f, d);
    print_throughput(f, d);
}

/* ---------------------------------------------------------------- the command */

/* The pair, from the options or the scenario; false after a message. */
static bool find_pair(diff *d)
{
    const cor_network *after = cor_scenario_network(d->s);
    d->from = d->to = COR_NONE;
    if (!d->o->from) {
        cor_scenario_pair(d->s, &d->from, &d->to);
        if (d->from == COR_NONE || d->to == COR_NONE) d->from = d->to = COR_NONE;
        return true;
    }
    d->from = cor_network_find_node(after, d->o->from);
    d->to = cor_network_find_node(after, d->o->to);
    if (d->from != COR_NONE && d->to != COR_NONE) return true;
    cli_fail("scenario", COR_ERR_NOT_FOUND, d->from == COR_NONE ? "from" : "to", "no node has the id '%s'",
             d->from == COR_NONE ? d->o->from : d->o->to);
    return false;
}

int cmd_scenario(int argc, char **argv)
{
    diff_opts o = {0};
    o.c.top = 30;
    cor_profile_init(&o.p.profile);
    o.p.profile.objective = COR_OPT_TIME;
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    diff d = {&o, NULL, NULL, COR_NONE, COR_NONE, 0, {0}, {0}};
    cor_error err;
    cor_error_init(&err);
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    if (!(net = cli_load(&o.c))) goto done;
    if (cor_scenario_load_with(&d.s, o.file, net, &o.c.load, &err) != COR_OK) {
        cli_print_problems(&err);
        goto done;
    }
    d.base = net;
    if (!find_pair(&d)) goto done;
    d.n_corridors = cor_network_corridor_count(net);
    d.before = (side){.net = net, .profile = o.p.profile};
    d.before.profile.scenario = NULL;
    d.after = (side){.net = cor_scenario_network(d.s), .profile = o.p.profile};
    d.after.profile.scenario = d.s;
    if (d.from != COR_NONE && (!compute_side(&d, &d.before) || !compute_side(&d, &d.after))) goto done;
    rc = EXIT_ANSWERED;
    if (d.from != COR_NONE && d.before.route_status != COR_OK && d.after.route_status != COR_OK)
        rc = EXIT_NO_ANSWER;
    FILE *f = cli_out_open(&o.c);
    if (!f) {
        rc = EXIT_BAD;
        goto done;
    }
    bool ok = true;
    if (o.c.out == OUT_JSON) {
        json_t *doc = diff_json(&d);
        ok = json_write(f, doc);
        json_decref(doc);
    } else {
        print_table(f, &d);
        ok = !ferror(f);
    }
    rc = cli_out_close(f, &o.c, ok ? rc : EXIT_BAD);
done:
    side_clear(&d.before, d.n_corridors);
    side_clear(&d.after, d.n_corridors);
    cor_scenario_free(d.s);
    cor_error_clear(&err);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}
