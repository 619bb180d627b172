/*
 * cmd_restore.c — `corridor restore`: the order in which crews should clear links closed by
 * mines or damage so the most origin-destination value comes back soonest, its schedule, the
 * accessibility curve (CSV, SVG plot) and the naive orders beside it.
 *
 * The SVG is written by hand: it is a text format, and a step plot needs only paths, lines
 * and text. Ctrl-C stops the search: the best order found so far is written, marked
 * interrupted, and the exit status is 1 (no complete answer).
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
    "Usage: corridor restore [--closed FILE] [--crews N] [options]\n"
    "\n"
    "Links closed by mines or damage, each with the crew-days one crew needs to clear it:\n"
    "the order of clearance (and its schedule over the crews) that restores the most\n"
    "origin-destination value soonest, with the accessibility curve over time, compared\n"
    "with the naive orders (shortest job first, nearest to the depot first).\n"
    "\n"
    "Accessibility at a day = the demand-weighted mean over the O-D pairs of\n"
    "(best cost with everything cleared) / (best cost that day), 0 for a pair cut off;\n"
    "1 once everything is cleared. The best order maximises the area under this curve over\n"
    "the horizon (accessibility-days). Crews work in parallel, one crew per link; the next\n"
    "link in the order goes to the first crew free.\n"
    "\n"
    "  --closed FILE          CSV with a header 'link,crew_days' (other columns ignored;\n"
    "                         rows starting with # are comments) — docs/FORMAT.md.\n"
    "                         Without it: the network's mined links (status 'mined', as the\n"
    "                         --scenario leaves them), each with its own clearance_days\n"
    "  --crews N              crews working in parallel (default 1)\n"
    "  --od FILE              demand 'from,to,quantity' (as for 'corridor assign'); default:\n"
    "                         equal weight per ordered pair among cities, seaports, rail\n"
    "                         terminals and dry ports\n"
    "  --horizon-days D       the curve's span (default 365)\n"
    "  --depot PLACE          where crews start, for nearest-first: a node id or LON,LAT\n"
    "                         (the nearest node with a position; default: the origin with\n"
    "                         the most demand; ties to the one nearest the closed links)\n"
    "  --method M             auto (default: exact up to 10 links), exact (up to 12) or\n"
    "                         heuristic (greedy by value per crew-day, then local search)\n"
    "  --max-evaluations N    the heuristic stops improving after routing N distinct sets of\n"
    "                         open links (default: no limit; ~2 ms each on the model) and\n"
    "                         keeps the best order found; the output says so\n"
    "  --curve FILE           the curves as CSV: day, then accessibility of each order\n"
    "  --svg FILE             the curves plotted (SVG)\n"
    "  --quiet                no progress bar\n"
    "  --optimize, --modes, --avoid-country, --avoid-node, --avoid-link,\n"
    "  --include-planned, --scenario FILE   as for 'corridor route' (default --optimize time)\n"
    "  --max-input BYTES      as for 'corridor route' (the network, scenario and --closed files)\n"
    "  --json | --csv | --geojson, --output FILE\n"
    "  --geopackage FILE      also the best order as GeoPackage layers, styled for QGIS\n"
    "\n"
    "Exit status: 0 answered, 1 interrupted (the best order so far is written),\n"
    "2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor restore --closed data/restore/example-mined.csv --crews 2 \\\n"
    "      --scenario data/scenarios/tripp.json --svg curve.svg\n";

enum {
    OPT_CLOSED = 5000,
    OPT_CREWS,
    OPT_OD,
    OPT_HORIZON,
    OPT_DEPOT,
    OPT_METHOD,
    OPT_CURVE,
    OPT_SVG,
    OPT_CLOSED_ROWS,
    OPT_MAX_EVALUATIONS,
    OPT_OD_ROWS
};

typedef struct restore_opts {
    common_opts c;
    profile_opts p;
    const char *closed, *od, *depot, *curve, *svg;
    const char *closed_rows, *od_rows; /* the API's: "link,crew_days;..." and "from,to,quantity;..." */
    long crews, max_evaluations;
    double horizon;
    cor_restore_method method;
} restore_opts;

static int restore_option(int opt, const char *arg, void *ctx) {
    restore_opts *o = ctx;
    switch (opt) {
    case OPT_CLOSED:
        o->closed = arg;
        return 0;
    case OPT_OD:
        o->od = arg;
        return 0;
    case OPT_CLOSED_ROWS:
        o->closed_rows = arg;
        return 0;
    case OPT_OD_ROWS:
        o->od_rows = arg;
        return 0;
    case OPT_DEPOT:
        o->depot = arg;
        return 0;
    case OPT_CURVE:
        o->curve = arg;
        return 0;
    case OPT_SVG:
        o->svg = arg;
        return 0;
    case OPT_CREWS:
        if (!cor_parse_long(arg, &o->crews) || o->crews < 1 || o->crews > 1000)
            return cli_usage_error("restore",
                                   "--crews needs a whole number from 1 to 1000, got '%s'", arg);
        return 0;
    case OPT_HORIZON:
        if (!cor_parse_double(arg, &o->horizon) || !(o->horizon > 0))
            return cli_usage_error("restore",
                                   "--horizon-days needs a number of days above 0, got '%s'", arg);
        return 0;
    case OPT_MAX_EVALUATIONS:
        if (!cor_parse_long(arg, &o->max_evaluations) || o->max_evaluations < 1)
            return cli_usage_error("restore", "--max-evaluations needs a whole number >= 1, got '%s'", arg);
        return 0;
    case OPT_METHOD:
        if (strcmp(arg, "auto") == 0)
            o->method = COR_RESTORE_AUTO;
        else if (strcmp(arg, "exact") == 0)
            o->method = COR_RESTORE_EXACT;
        else if (strcmp(arg, "heuristic") == 0)
            o->method = COR_RESTORE_HEURISTIC;
        else
            return cli_usage_error("restore", "--method takes auto, exact or heuristic, got '%s'",
                                   arg);
        return 0;
    default:
        return 1;
    }
}

/* What the output needs besides the result. */
typedef struct answer {
    const restore_opts *o;
    const cor_network *net;
    const cor_closed_link *closed;
    const cor_restore_result *r;
    bool interrupted;
} answer;

static const char *closed_id(const answer *a, uint32_t j) {
    return cor_network_link(a->net, a->closed[j].link)->id;
}

static const char *order_label(cor_restore_order o) {
    static const char *const labels[] = {"best", "shortest first", "nearest first"};
    return labels[o];
}

static const char *demand_label(const answer *a) {
    return a->r->default_demand
               ? "equal weight per pair (cities, seaports, rail terminals, dry ports)"
               : a->o->od ? a->o->od : "the request's od";
}

/* A(t) of a plan at a day (the step function's value). */
static double value_at(const cor_restore_plan *p, double day) {
    double v = p->curve[0].accessibility;
    for (size_t i = 0; i < p->n_curve && p->curve[i].day <= day; i++)
        v = p->curve[i].accessibility;
    return v;
}

/* ---------------------------------------------------------------- table, CSV, JSON, GeoJSON */

static void print_table(FILE *f, const answer *a) {
    const cor_restore_result *r = a->r;
    const cor_restore_plan *best = &r->plans[COR_ORDER_BEST];
    char b1[32], b2[32], b3[32];
    double h = r->horizon_days;
    fprintf(f, "Clearance order: %zu closed links, %ld crew%s, horizon %s days, optimising %s\n",
            r->n_steps, a->o->crews, a->o->crews > 1 ? "s" : "", fmt_num(b1, sizeof b1, h, 0),
            cor_objective_name(a->o->p.profile.objective));
    fprintf(f, "Demand: %zu pairs, %s; %zu use a closed link", r->n_pairs, demand_label(a),
            r->n_pairs_affected);
    if (r->n_pairs_unrouted)
        fprintf(f, "; %zu left out (no route even once cleared)", r->n_pairs_unrouted);
    fprintf(f,
            "\nAccessibility (demand-weighted best cost once cleared / best cost that day): %s at "
            "day 0, 1 once all is cleared\n",
            fmt_num(b1, sizeof b1, r->initial, 4));
    fprintf(f, "%s order (%s):\n", a->interrupted ? "Best-so-far" : "Best",
            a->interrupted ? "interrupted: not proven best"
            : r->optimal   ? "exact: the best of all orders"
            : r->budget_reached ? "heuristic, stopped improving at --max-evaluations: not proven best"
                           : "heuristic: greedy + local search, not proven best");
    fprintf(f, "  %3s  %-38s %5s %8s %8s %10s %14s\n", "#", "link", "crew", "start", "finish",
            "crew-days", "accessibility");
    char b4[32];
    for (size_t i = 0; i < r->n_steps; i++) {
        const cor_restore_step *s = &best->steps[i];
        fprintf(f, "  %3zu  %-38s %5u %8s %8s %10s %14s\n", i + 1, closed_id(a, s->closed),
                s->crew + 1, fmt_num(b1, sizeof b1, s->start_day, 1),
                fmt_num(b2, sizeof b2, s->finish_day, 1),
                fmt_num(b3, sizeof b3, a->closed[s->closed].crew_days, 1),
                fmt_num(b4, sizeof b4, s->accessibility, 4));
    }
    fprintf(f,
            "Orders compared over %s days (area: accessibility-days; loss: days x (1 - "
            "accessibility)):\n",
            fmt_num(b1, sizeof b1, h, 0));
    fprintf(f, "  %-36s %10s %10s %10s  %s\n", "order", "area", "loss", "all done", "best saves");
    for (int o = 0; o < COR_ORDER_COUNT; o++) {
        const cor_restore_plan *p = &r->plans[o];
        char label[96];
        if (o == COR_ORDER_NEAREST_FIRST && r->depot != COR_NONE)
            snprintf(label, sizeof label, "nearest first (from %s)",
                     cor_network_node(a->net, r->depot)->id);
        else
            snprintf(label, sizeof label, "%s", order_label((cor_restore_order)o));
        fprintf(f, "  %-36s %10s %10s %10s", label, fmt_num(b1, sizeof b1, p->area, 2),
                fmt_num(b2, sizeof b2, h - p->area, 2), fmt_num(b3, sizeof b3, p->finish_day, 1));
        double loss = h - p->area, saved = p->area < best->area ? best->area - p->area : 0;
        if (o == COR_ORDER_BEST)
            fputs("  -\n", f);
        else if (isnan(p->area) || isnan(best->area))
            fputs("  -\n", f);
        else
            fprintf(f, "  %.2f (%.1f%% of its loss)\n", saved, loss > 0 ? 100 * saved / loss : 0.0);
    }
    size_t useless = 0;
    for (size_t j = 0; j < r->n_steps; j++)
        useless += !r->usable[j];
    if (useless)
        fprintf(
            f,
            "Note: %zu closed link%s carry nothing under this profile even once cleared "
            "(planned, filtered out or closed by the scenario): clearing them changes nothing.\n",
            useless, useless > 1 ? "s" : "");
    if (r->n_pairs_affected == 0)
        fputs("Note: no pair's best route uses a closed link: every order is worth the same.\n", f);
}

static bool write_csv(FILE *f, const answer *a) {
    fputs("order,position,link,crew,start_day,finish_day,crew_days,accessibility\n", f);
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        for (size_t i = 0; i < a->r->n_steps; i++) {
            const cor_restore_step *s = &a->r->plans[o].steps[i];
            fprintf(f, "%s,%zu,", cor_restore_order_name((cor_restore_order)o), i + 1);
            csv_field(f, closed_id(a, s->closed), ",");
            fprintf(f, "%u,", s->crew + 1);
            csv_number(f, s->start_day, ",");
            csv_number(f, s->finish_day, ",");
            csv_number(f, a->closed[s->closed].crew_days, ",");
            csv_number(f, s->accessibility, "\n");
        }
    return !ferror(f);
}

static json_t *plan_json(const answer *a, const cor_restore_plan *p) {
    const cor_restore_plan *best = &a->r->plans[COR_ORDER_BEST];
    json_t *steps = json_array(), *curve = json_array();
    for (size_t i = 0; i < a->r->n_steps; i++) {
        const cor_restore_step *s = &p->steps[i];
        json_array_append_new(steps, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o}", "link",
                                               closed_id(a, s->closed), "crew", (int)s->crew + 1,
                                               "start_day", json_num(s->start_day), "finish_day",
                                               json_num(s->finish_day), "crew_days",
                                               json_num(a->closed[s->closed].crew_days),
                                               "accessibility", json_num(s->accessibility)));
    }
    for (size_t i = 0; i < p->n_curve; i++)
        json_array_append_new(curve, json_pack("[o, o]", json_num(p->curve[i].day),
                                               json_num(p->curve[i].accessibility)));
    double h = a->r->horizon_days;
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "area", json_num(p->area), "mean",
                     json_num(p->area / h), "loss", json_num(h - p->area), "best_gain",
                     json_num(best->area - p->area), "finish_day", json_num(p->finish_day), "steps",
                     steps, "curve", curve);
}

static json_t *restore_json(const answer *a) {
    const cor_restore_result *r = a->r;
    json_t *closed = json_array(), *orders = json_object();
    for (size_t j = 0; j < r->n_steps; j++)
        json_array_append_new(
            closed,
            json_pack("{s:s, s:o, s:b, s:I, s:o}", "link", closed_id(a, (uint32_t)j), "crew_days",
                      json_num(a->closed[j].crew_days), "usable", r->usable[j], "pairs_using",
                      (json_int_t)r->pairs_using[j], "depot_km", json_num(r->depot_km[j])));
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        json_object_set_new(orders, cor_restore_order_name((cor_restore_order)o),
                            plan_json(a, &r->plans[o]));
    json_t *demand =
        json_pack("{s:s, s:I, s:I, s:I}", "source", demand_label(a), "pairs",
                  (json_int_t)r->n_pairs, "pairs_affected", (json_int_t)r->n_pairs_affected,
                  "pairs_unrouted", (json_int_t)r->n_pairs_unrouted);
    json_t *doc = json_pack(
        "{s:s, s:i, s:o, s:s, s:b, s:b, s:o, s:o, s:I, s:o, s:o, s:o}", "optimize",
        cor_objective_name(a->o->p.profile.objective), "crews", (int)a->o->crews, "horizon_days",
        json_num(r->horizon_days), "method", r->method == COR_RESTORE_EXACT ? "exact" : "heuristic",
        "optimal", r->optimal, "interrupted", a->interrupted, "initial_accessibility",
        json_num(r->initial), "depot",
        r->depot == COR_NONE ? json_null() : json_string(cor_network_node(a->net, r->depot)->id),
        "evaluations", (json_int_t)r->evaluations, "demand", demand, "closed", closed, "orders",
        orders);
    json_object_set_new(doc, "budget_reached", json_boolean(r->budget_reached));
    return doc;
}

static bool write_json(FILE *f, const answer *a) {
    json_t *doc = restore_json(a);
    bool ok = json_write(f, doc);
    json_decref(doc);
    return ok;
}

/* The --geojson document: the closed links in the best order. */
static json_t *restore_geojson(const answer *a) {
    json_t *features = json_array();
    const cor_restore_plan *best = &a->r->plans[COR_ORDER_BEST];
    for (size_t i = 0; i < a->r->n_steps; i++) {
        const cor_restore_step *s = &best->steps[i];
        json_t *props =
            json_pack("{s:s, s:I, s:i, s:o, s:o, s:o, s:o, s:b}", "link", closed_id(a, s->closed),
                      "order", (json_int_t)(i + 1), "crew", (int)s->crew + 1, "start_day",
                      json_num(s->start_day), "finish_day", json_num(s->finish_day), "crew_days",
                      json_num(a->closed[s->closed].crew_days), "accessibility",
                      json_num(s->accessibility), "usable", a->r->usable[s->closed]);
        json_array_append_new(features,
                              json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
                                        link_geometry(a->net, a->closed[s->closed].link, false),
                                        "properties", props));
    }
    return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
}

static bool write_geojson(FILE *f, const answer *a) {
    json_t *doc = restore_geojson(a);
    bool ok = json_write(f, doc);
    json_decref(doc);
    return ok;
}

/* ---------------------------------------------------------------- curve CSV and SVG */

static int by_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Every day a curve steps, and the horizon, sorted without repeats; *n set. */
static double *curve_days(const cor_restore_result *r, size_t *n) {
    size_t cap = 1;
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        cap += r->plans[o].n_curve;
    double *d = malloc(cap * sizeof *d);
    if (!d) return NULL;
    size_t m = 0;
    d[m++] = r->horizon_days;
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        for (size_t i = 0; i < r->plans[o].n_curve; i++)
            d[m++] = r->plans[o].curve[i].day;
    qsort(d, m, sizeof *d, by_double);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (k == 0 || d[i] != d[k - 1]) d[k++] = d[i];
    *n = k;
    return d;
}

static bool write_curve(FILE *f, const answer *a) {
    size_t n;
    double *days = curve_days(a->r, &n);
    if (!days) return false;
    fputs("day,best,shortest_first,nearest_first\n", f);
    for (size_t i = 0; i < n; i++) {
        csv_number(f, days[i], ",");
        for (int o = 0; o < COR_ORDER_COUNT; o++)
            csv_number(f, value_at(&a->r->plans[o], days[i]), o + 1 < COR_ORDER_COUNT ? "," : "\n");
    }
    free(days);
    return !ferror(f);
}

/* A tick step of 1, 2 or 5 times a power of ten giving about `ticks` intervals. */
static double nice_step(double range, int ticks) {
    double raw = range / ticks, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void svg_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
    }
}

static bool write_svg(FILE *f, const answer *a) {
    const cor_restore_result *r = a->r;
    enum { W = 820, H = 480, L = 70, R = 250, T = 40, B = 60 };
    double pw = W - L - R, ph = H - T - B;
    double xmax = 0;
    for (int o = 0; o < COR_ORDER_COUNT; o++)
        xmax = fmax(xmax, r->plans[o].finish_day);
    xmax = fmin(r->horizon_days, xmax * 1.1);
    if (!(xmax > 0)) xmax = r->horizon_days;
    double ymin = floor(fmax(0, fmin(r->initial, 0.999)) * 10) / 10;
    double xs = nice_step(xmax, 8), ys = nice_step(1 - ymin, 5);
#define X(d) (L + (d) / xmax * pw)
#define Y(v) (T + (1 - ((v)-ymin) / (1 - ymin)) * ph)
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
            "%d\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H);
    fprintf(
        f,
        "<text x=\"%d\" y=\"22\" font-size=\"15\">Accessibility while %zu closed links are cleared "
        "by %ld crew%s</text>\n",
        L, r->n_steps, a->o->crews, a->o->crews > 1 ? "s" : "");
    for (double x = 0; x <= xmax + 1e-9; x += xs)
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                X(x), T, X(x), T + ph + 5, X(x), T + ph + 19, x);
    for (double y = ymin; y <= 1 + 1e-9; y += ys)
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
                L - 5, Y(y), L + pw, Y(y), L - 8, Y(y) + 4, y);
    fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L,
            T + ph, L + pw, T + ph);
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\"/>\n", L, T, L,
            T + ph);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">days since clearance began</text>\n",
            L + pw / 2, H - 15);
    fprintf(
        f,
        "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">accessibility "
        "(1 = all cleared)</text>\n",
        T + ph / 2);
    static const char *const colour[] = {"#1b7837", "#d95f02", "#7570b3"};
    static const char *const dash[] = {"", " stroke-dasharray=\"6 4\"",
                                       " stroke-dasharray=\"2 3\""};
    for (int o = COR_ORDER_COUNT - 1; o >= 0; o--) {
        const cor_restore_plan *p = &r->plans[o];
        fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%d\"%s d=\"M%.1f %.1f",
                colour[o], o == COR_ORDER_BEST ? 3 : 2, dash[o], X(0.0),
                Y(p->curve[0].accessibility));
        for (size_t i = 1; i < p->n_curve && p->curve[i].day <= xmax; i++)
            fprintf(f, " H%.1f V%.1f", X(p->curve[i].day),
                    Y(isnan(p->curve[i].accessibility) ? ymin : p->curve[i].accessibility));
        fprintf(f, " H%.1f\"/>\n", X(xmax));
    }
    for (int o = 0; o < COR_ORDER_COUNT; o++) {
        double y = T + 20 + 40 * o;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"3\"%s/>",
                L + pw + 15, y, L + pw + 45, y, colour[o], dash[o]);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", L + pw + 52, y + 4);
        svg_text(f, order_label((cor_restore_order)o));
        if (o == COR_ORDER_NEAREST_FIRST && r->depot != COR_NONE) {
            fputs(" (", f);
            svg_text(f, cor_network_node(a->net, r->depot)->id);
            fputs(")", f);
        }
        fprintf(f,
                "</text>\n<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">area %.2f, loss %.2f</text>\n",
                L + pw + 52, y + 19, r->plans[o].area, r->horizon_days - r->plans[o].area);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">accessibility-days over %g days</text>\n",
            L + pw + 15, T + 20.0 + 40 * COR_ORDER_COUNT, r->horizon_days);
    fputs("</svg>\n", f);
#undef X
#undef Y
    return !ferror(f);
}

/* Writes one file through the atomic output of cli_out_open. */
static int write_file(const common_opts *c, const char *path, const answer *a,
                      bool (*fn)(FILE *, const answer *), int status) {
    common_opts to = *c;
    to.output = path;
    FILE *f = cli_out_open(&to);
    return f ? cli_out_close(f, &to, fn(f, a) ? status : EXIT_BAD) : EXIT_BAD;
}

static bool write_main(FILE *f, const answer *a) {
    switch (a->o->c.out) {
    case OUT_JSON:
        return write_json(f, a);
    case OUT_CSV:
        return write_csv(f, a);
    case OUT_GEOJSON:
        return write_geojson(f, a);
    default:
        print_table(f, a);
        return !ferror(f);
    }
}

#define RESTORE_OPTIONS                                                                    \
    PROFILE_LONG_OPTIONS, {"crews", required_argument, 0, OPT_CREWS},                      \
        {"horizon-days", required_argument, 0, OPT_HORIZON},                               \
        {"depot", required_argument, 0, OPT_DEPOT}, {"method", required_argument, 0, OPT_METHOD},  \
        {"max-evaluations", required_argument, 0, OPT_MAX_EVALUATIONS}

/* ---------------------------------------------------------------- the command */

/* The API's closed links, "LINK,CREW_DAYS;..." (a server reads no file a client names),
 * with the checks of cor_closed_load, each fault with the item's place. */
typedef struct closed_rows_ctx {
    const cor_network *net;
    cor_closed_link *c;
    uint8_t *seen;
    size_t n;
} closed_rows_ctx;

static bool take_closed(char **f, size_t item, void *ctx) {
    closed_rows_ctx *r = ctx;
    double days;
    uint32_t l = cor_network_find_link(r->net, f[0]);
    if (l == COR_NONE)
        return !cli_fail("restore", COR_ERR_NOT_FOUND, "closed", "closed item %zu: no link has the id '%s'", item, f[0]);
    if (r->seen[l])
        return !cli_fail("restore", COR_ERR_USAGE, "closed", "closed item %zu: link '%s' is listed twice", item, f[0]);
    if (!cor_parse_double(f[1], &days) || !(days > 0) || !isfinite(days))
        return !cli_fail("restore", COR_ERR_USAGE, "closed",
                         "closed item %zu: crew_days must be a number above 0, got '%s'", item, f[1]);
    r->seen[l] = 1;
    r->c[r->n++] = (cor_closed_link){l, days};
    return true;
}

static cor_closed_link *closed_rows(const cor_network *net, const char *text, size_t *n) {
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == ';' || *p == '\n';
    closed_rows_ctx r = {net, calloc(cap, sizeof(cor_closed_link)),
                         calloc(cor_network_link_count(net) + 1, 1), 0};
    bool ok = r.c && r.seen;
    if (!ok) cli_fail("restore", COR_ERR_NOMEM, NULL, "out of memory");
    ok = ok && cli_rows("restore", "closed", "closed", "link,crew_days", text, 2, take_closed, &r);
    free(r.seen);
    if (!ok) {
        free(r.c);
        r.c = NULL;
    }
    *n = r.n;
    return r.c;
}

static int restore_check(void *ctx) {
    (void)ctx; /* without closed links given, the network's mined links are used */
    return 0;
}

/* The network's mined links (as the scenario leaves them), with their clearance_days. */
static cor_closed_link *mined_links(const restore_opts *o, const cor_network *on, size_t *n) {
    size_t nl = cor_network_link_count(on);
    cor_closed_link *c = malloc((nl + 1) * sizeof *c);
    *n = 0;
    if (!c) {
        cli_fail("restore", COR_ERR_NOMEM, NULL, "out of memory");
        return NULL;
    }
    for (uint32_t l = 0; l < nl; l++)
        if (cor_scenario_link_status(o->p.scenario, on, l) == COR_STATUS_MINED)
            c[(*n)++] = (cor_closed_link){l, cor_network_link(on, l)->clearance_days};
    if (*n == 0) {
        free(c);
        cli_fail("restore", COR_ERR_USAGE, "closed",
                 "no closed links given (--closed FILE, or 'closed' in the API) and the network "
                 "has no mined link");
        return NULL;
    }
    return c;
}

static void restore_init(void *ctx) {
    restore_opts *o = ctx;
    o->crews = 1;
    o->horizon = 365;
    cor_profile_init(&o->p.profile);
    o->p.profile.objective = COR_OPT_TIME;
}

static void restore_clear(void *ctx) {
    cli_profile_free(&((restore_opts *)ctx)->p);
}

/* What a run holds, freed by run_clear. */
typedef struct restore_run {
    cor_closed_link *closed;
    cor_demand *d;
    cor_restore_result res;
} restore_run;

static void run_clear(restore_run *r) {
    cor_restore_result_clear(&r->res);
    free(r->closed);
    free(r->d);
}

/* The closed links, the demand and the plan into run and *a; an exit code (EXIT_NO_ANSWER
 * with a->interrupted when the progress callback stopped it). */
static int restore_find(const restore_opts *o, const cor_network *on, const cor_progress *progress,
                        restore_run *run, answer *a) {
    size_t nd = 0, nc = 0;
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_BAD;
    uint32_t depot = COR_NONE;
    if (o->depot) { /* an id, or LON,LAT: the nearest node with a position (crews need no link) */
        cli_place pl;
        size_t k = 0;
        if (!cli_places_parse("restore", "depot", on, o->depot, true, &pl, 1, &k) ||
            !cli_places_snap_any_node("restore", on, &o->p, &pl, 1))
            goto done;
        depot = pl.node;
    }
    if (o->closed_rows) {
        if (!(run->closed = closed_rows(on, o->closed_rows, &nc))) goto done;
    } else if (!o->closed) {
        if (!(run->closed = mined_links(o, on, &nc))) goto done;
    } else if (cor_closed_load_with(o->closed, on, &o->c.load, &run->closed, &nc, &err) !=
               COR_OK) {
        cli_print_problems(&err);
        goto done;
    }
    if (o->od_rows) {
        if (!(run->d = cli_demand_rows("restore", "od", on, o->od_rows, &nd))) goto done;
    } else if (o->od && cor_demand_load_with(o->od, on, &o->c.load, &run->d, &nd, &err) != COR_OK) {
        cli_print_problems(&err);
        goto done;
    }
    cor_restore_spec spec = {&o->p.profile,       run->d,      nd,       run->closed, nc,
                             (unsigned)o->crews, o->horizon, o->method, depot,       progress,
                             (size_t)o->max_evaluations};
    cor_status st = cor_restore(on, &spec, &run->res, &err);
    if (st != COR_OK && st != COR_ERR_CANCELLED) {
        cli_print_problems(&err);
        rc = cli_exit_for(st);
        goto done;
    }
    *a = (answer){o, on, run->closed, &run->res, st == COR_ERR_CANCELLED};
    rc = a->interrupted ? EXIT_NO_ANSWER : EXIT_ANSWERED;
done:
    cor_error_clear(&err);
    return rc;
}

int cmd_restore(int argc, char **argv) {
    static const struct option longs[] = {COMMON_LONG_OPTIONS,
                                          GEOPACKAGE_LONG_OPTION,
                                          RESTORE_OPTIONS,
                                          {"closed", required_argument, 0, OPT_CLOSED},
                                          {"od", required_argument, 0, OPT_OD},
                                          {"curve", required_argument, 0, OPT_CURVE},
                                          {"svg", required_argument, 0, OPT_SVG},
                                          QUIET_LONG_OPTION,
                                          {0, 0, 0, 0}};
    restore_opts o = {0};
    restore_init(&o);
    cor_network *net = NULL;
    restore_run run = {0};
    int rc = cli_parse_command(&cli_restore_command, argc, argv, usage, longs, &o);
    if (rc) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    cli_progress p;
    cli_progress_start(&p, "restore", o.c.quiet);
    answer a;
    int status = restore_find(&o, env.net, &p.lib, &run, &a);
    cli_progress_end(&p);
    if (status == EXIT_BAD || (status == EXIT_NO_ANSWER && !a.interrupted)) {
        rc = status;
        goto done;
    }
    if (a.interrupted)
        fputs(
            "corridor restore: interrupted: writing the best order found so far (not proven best; "
            "values not computed are shown as -)\n",
            stderr);
    rc = status;
    if (o.c.geopackage && gpkg_write("restore", o.c.geopackage, restore_geojson(&a))) rc = EXIT_BAD;
    if (rc == status && o.svg) rc = write_file(&o.c, o.svg, &a, write_svg, status);
    if (rc == status && o.curve) rc = write_file(&o.c, o.curve, &a, write_curve, status);
    if (rc == status) rc = write_file(&o.c, o.c.output, &a, write_main, status);
done:
    run_clear(&run);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int restore_answer(void *ctx, cli_env *env, json_t **doc) {
    restore_run run = {0};
    answer a;
    cor_progress deadline = cli_env_progress(env);
    int rc = restore_find(ctx, env->net, &deadline, &run, &a);
    if (rc == EXIT_NO_ANSWER && a.interrupted) rc = (cli_env_expired(env, "restore"), EXIT_BAD);
    *doc = rc == EXIT_ANSWERED ? restore_json(&a) : NULL;
    run_clear(&run);
    return rc;
}

static const struct option restore_params[] = {RESTORE_OPTIONS,
                                               {"closed", required_argument, 0, OPT_CLOSED_ROWS},
                                               {"od", required_argument, 0, OPT_OD_ROWS},
                                               {0, 0, 0, 0}};

const cli_command cli_restore_command = {
    "restore",    restore_params, sizeof(restore_opts), offsetof(restore_opts, c), offsetof(restore_opts, p),
    restore_init, restore_option, restore_check,        restore_answer,            restore_clear};
