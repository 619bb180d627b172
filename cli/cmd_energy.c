/*
 * cmd_energy.c — `corridor energy`: how much gas each region can receive from the gas
 * layer's supply, and the EU N-1 infrastructure standard for the area they make up, with
 * every term of the formula printed beside the result and where it came from.
 */
#define _GNU_SOURCE
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor energy [--network FILE] --region LIST [--n-1 --dmax MCM_PER_DAY] [options]\n"
    "\n"
    "Gas deliverable to each region from the gas layer (a maximum flow from the supply to\n"
    "the region), and with --n-1 the EU N-1 infrastructure standard of Regulation (EU)\n"
    "2017/1938, Annex II, for the calculated area made of all the regions together:\n"
    "\n"
    "  N-1 [%] = (EPm + Pm + Sm + LNGm - Im) / (Dmax - Deff) x 100,  at least 100 % to meet it\n"
    "\n"
    "LIST is comma-separated regions; a region is an ISO country code (its gas consumer\n"
    "nodes, or all its gas nodes when it has none), a node id, or several joined by '+'\n"
    "(GR+BG is one region). Supply is every gas node of kind 'field' or 'production'.\n"
    "Capacities in the network are bcm/year; N-1 terms are mcm/d (bcm/year x 1000 / 365).\n"
    "\n"
    "  --supply IDS          supply nodes instead of the fields\n"
    "  --others ignore|first each region alone (default), or the other regions of LIST\n"
    "                        served first and the region given what is left\n"
    "  --demand R=BCM,...    a region takes at most this many bcm/year (R as in LIST)\n"
    "  --n-1                 the N-1 of the area; needs --dmax\n"
    "  --dmax MCM_PER_DAY    the area's total gas demand on a day of exceptionally high\n"
    "                        demand (once in 20 years); no network holds it\n"
    "  --deff MCM_PER_DAY    the part of Dmax demand-side measures cover (formula 4)\n"
    "  --sm, --lngm MCM_PER_DAY  storage withdrawal and LNG send-out capacity (0 when absent)\n"
    "  --epm, --pm, --im MCM_PER_DAY  replace the entry capacity, production and largest\n"
    "                        infrastructure computed from the network\n"
    "  --include-planned, --scenario FILE, --avoid-country, --avoid-node, --avoid-link\n"
    "                        which gas links are in service, as for 'corridor route'\n"
    "  --json | --csv, --output FILE, --max-input BYTES (as for 'corridor route')\n"
    "\n"
    "Exit status: 0 answered, 1 no gas can reach any region, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor energy --region GE,TR,GR,BG,IT\n"
    "  corridor energy --region GE,TR,GR,BG,IT --n-1 --dmax 100\n"
    "      (100 stands in for the competent authority's Dmax, which no network holds)\n"
    "  corridor energy --region GR,BG,IT --others first --demand GR=4\n";

enum {
    OPT_REGION = 3000,
    OPT_SUPPLY,
    OPT_OTHERS,
    OPT_DEMAND,
    OPT_N1,
    OPT_DMAX,
    OPT_DEFF,
    OPT_SM,
    OPT_LNGM,
    OPT_EPM,
    OPT_PM,
    OPT_IM
};

typedef struct energy_opts {
    common_opts c;
    profile_opts p;
    const char *region, *supply, *demand;
    cor_gas_others others;
    bool n1;
    double figures[7]; /* dmax, deff, sm, lngm, epm, pm, im: NaN when not given */
} energy_opts;

static const char *const figure_flags[7] = {"dmax", "deff", "sm", "lngm", "epm", "pm", "im"};

static int energy_option(int opt, const char *arg, void *ctx)
{
    energy_opts *o = ctx;
    switch (opt) {
    case OPT_REGION: o->region = arg; return 0;
    case OPT_SUPPLY: o->supply = arg; return 0;
    case OPT_DEMAND: o->demand = arg; return 0;
    case OPT_N1: o->n1 = true; return 0;
    case OPT_OTHERS:
        if (strcmp(arg, "ignore") == 0)
            o->others = COR_GAS_OTHERS_IGNORE;
        else if (strcmp(arg, "first") == 0)
            o->others = COR_GAS_OTHERS_FIRST;
        else
            return cli_usage_error("energy", "--others takes 'ignore' or 'first', got '%s'", arg);
        return 0;
    default:
        if (opt >= OPT_DMAX && opt <= OPT_IM) {
            double *v = &o->figures[opt - OPT_DMAX];
            bool dmax = opt == OPT_DMAX;
            if (!cor_parse_double(arg, v) || *v < 0 || (dmax && *v == 0))
                return cli_usage_error("energy", "--%s needs a number of mcm/d %s 0, got '%s'",
                                       figure_flags[opt - OPT_DMAX], dmax ? ">" : ">=", arg);
            return 0;
        }
        return 1;
    }
}

static int energy_check(void *ctx)
{
    energy_opts *o = ctx;
    if (!o->region)
        return cli_usage_error("energy", "give --region, e.g. --region IT or --region GR+BG,IT");
    if (o->c.out == OUT_GEOJSON)
        return cli_usage_error("energy", "energy has no map output; use --json or --csv");
    if (o->n1 && isnan(o->figures[0]))
        return cli_usage_error(
            "energy", "--n-1 needs --dmax MCM_PER_DAY: the network holds no Dmax, the area's "
                      "total gas demand on a day of exceptionally high demand (once in 20 years)");
    if (!o->n1)
        for (int i = 0; i < 7; i++)
            if (!isnan(o->figures[i]))
                return cli_usage_error("energy", "--%s is an N-1 input: add --n-1",
                                       figure_flags[i]);
    if (o->n1 && o->figures[1] >= o->figures[0])
        return cli_usage_error("energy", "--deff (%g) must be less than --dmax (%g)", o->figures[1],
                               o->figures[0]);
    return 0;
}

#define ENERGY_OPTIONS                                                                     \
    {"include-planned", no_argument, 0, OPT_INCLUDE_PLANNED},                              \
        {"scenario", required_argument, 0, OPT_SCENARIO},                                  \
        {"avoid-country", required_argument, 0, OPT_AVOID_COUNTRY},                        \
        {"avoid-node", required_argument, 0, OPT_AVOID_NODE},                              \
        {"avoid-link", required_argument, 0, OPT_AVOID_LINK},                              \
        {"region", required_argument, 0, OPT_REGION},                                      \
        {"supply", required_argument, 0, OPT_SUPPLY},                                      \
        {"others", required_argument, 0, OPT_OTHERS},                                      \
        {"demand", required_argument, 0, OPT_DEMAND}, {"n-1", no_argument, 0, OPT_N1},     \
        {"dmax", required_argument, 0, OPT_DMAX}, {"deff", required_argument, 0, OPT_DEFF}, \
        {"sm", required_argument, 0, OPT_SM}, {"lngm", required_argument, 0, OPT_LNGM},    \
        {"epm", required_argument, 0, OPT_EPM}, {"pm", required_argument, 0, OPT_PM},      \
        {"im", required_argument, 0, OPT_IM}

static int parse_args(energy_opts *o, int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, ENERGY_OPTIONS, {0, 0, 0, 0}};
    return cli_parse_command(&cli_energy_command, argc, argv, usage, longs, o);
}

/* ---------------------------------------------------------------- regions */

/* The regions of --region, each a '+'-joined list of members, with --demand applied. */
typedef struct regions {
    char *names_storage, *members_storage;
    const char **names;
    const char **members; /* every region's members, NULL-separated */
    cor_gas_region *list;
    size_t n;
} regions;

static void regions_free(regions *r)
{
    free(r->names_storage);
    free(r->members_storage);
    free(r->names);
    free(r->members);
    free(r->list);
}

static bool parse_regions(const char *arg, regions *r)
{
    memset(r, 0, sizeof *r);
    r->names = cli_split(arg, &r->names_storage, &r->n);
    r->members_storage = strdup(arg);
    r->members = calloc(strlen(arg) + 2, sizeof *r->members);
    r->list = calloc(r->n + 1, sizeof *r->list);
    if (!r->names || !r->members_storage || !r->members || !r->list) return false;
    /* names[k] is the k-th non-empty item; walk a second copy the same way, splitting on '+' */
    char *p = r->members_storage;
    size_t m = 0;
    for (size_t k = 0; k < r->n; k++) {
        while (*p == ',')
            p++;
        char *end = p + strcspn(p, ",");
        bool last = *end == '\0';
        *end = '\0';
        r->list[k] = (cor_gas_region){r->names[k], r->members + m, 0, NAN};
        char *save = NULL;
        for (char *tok = strtok_r(p, "+", &save); tok; tok = strtok_r(NULL, "+", &save))
            r->members[m++] = tok, r->list[k].n_members++;
        p = last ? end : end + 1;
    }
    return true;
}

/* --demand R=BCM,...: each R must be one of the regions. */
static bool apply_demand(const char *arg, regions *r)
{
    char *storage = NULL;
    size_t n = 0;
    const char **items = cli_split(arg, &storage, &n);
    bool ok = items != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        char *eq = strchr(items[i], '=');
        double v;
        if (!eq || !cor_parse_double(eq + 1, &v) || v < 0) {
            cli_usage_error("energy", "--demand takes REGION=BCM_PER_YEAR items, got '%s'",
                            items[i]);
            ok = false;
            break;
        }
        *eq = '\0';
        size_t k = 0;
        while (k < r->n && strcmp(r->names[k], items[i]) != 0)
            k++;
        if (k == r->n) {
            cli_usage_error("energy", "--demand: '%s' is not one of the --region items", items[i]);
            ok = false;
        } else
            r->list[k].demand = v;
    }
    free(items);
    free(storage);
    return ok;
}

/* ---------------------------------------------------------------- output */

typedef struct energy_view {
    const energy_opts *o;
    const cor_network *net;
    const regions *rg;
    const cor_energy_result *r;
} energy_view;

static const char *node_id(const energy_view *v, uint32_t i)
{
    return cor_network_node(v->net, i)->id;
}

static void asset_label(const energy_view *v, const cor_gas_asset *a, char *buf, size_t size)
{
    if (a->kind == COR_GAS_ENTRY) {
        const cor_link *l = cor_network_link(v->net, a->index);
        snprintf(buf, size, "link %s (%s -> %s)", l->id, node_id(v, a->reversed ? l->to : l->from),
                 node_id(v, a->reversed ? l->from : l->to));
    } else {
        const cor_node *n = cor_network_node(v->net, a->index);
        snprintf(buf, size, "%s %s%s%s%s", a->kind == COR_GAS_PRODUCTION ? "production" : "node",
                 n->id, n->kind ? " (" : "", n->kind ? n->kind : "", n->kind ? ")" : "");
    }
}

static void limit_label(const energy_view *v, const cor_cut_item *c, char *buf, size_t size)
{
    if (c->is_node && c->index == COR_NONE)
        snprintf(buf, size, "its demand");
    else if (c->is_node)
        snprintf(buf, size, "node %s", node_id(v, c->index));
    else
        snprintf(buf, size, "link %s", cor_network_link(v->net, c->index)->id);
}

static void print_deliveries(FILE *f, const energy_view *v)
{
    char a[32], b[32], lab[160];
    fprintf(f, "Gas deliverable per region (gas layer; supply: ");
    for (size_t i = 0; i < v->r->n_supply; i++)
        fprintf(f, "%s%s", i ? ", " : "", node_id(v, v->r->supply[i]));
    fprintf(f, "; other regions: %s)\n\n",
            v->o->others == COR_GAS_OTHERS_FIRST ? "served first, each up to its demand"
                                                 : "ignored, each region alone");
    fprintf(f, "  %-14s %10s %9s  %-28s %s\n", "region", "bcm/year", "mcm/d", "delivered at",
            v->o->others == COR_GAS_OTHERS_FIRST ? "" : "limited by");
    for (size_t k = 0; k < v->r->n_regions; k++) {
        const cor_gas_delivery *d = &v->r->regions[k];
        char at[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < d->n_sinks && used + 1 < sizeof at; i++)
            used += (size_t)snprintf(at + used, sizeof at - used, "%s%s", i ? "," : "",
                                     node_id(v, d->sinks[i]));
        if (used >= sizeof at) strcpy(at + sizeof at - 4, "...");
        fprintf(f, "  %-14s %10s %9s  %-28s ", v->rg->names[k],
                isinf(d->value) ? "no limit" : fmt_num(a, sizeof a, d->value, 2),
                isinf(d->value) ? "" : fmt_num(b, sizeof b, d->value * COR_MCM_D_PER_BCM_Y, 2), at);
        for (size_t i = 0; i < d->n_limits; i++) {
            limit_label(v, &d->limits[i], lab, sizeof lab);
            fprintf(f, "%s%s %s", i ? "; " : "", lab,
                    fmt_num(a, sizeof a, d->limits[i].capacity, 2));
        }
        if (isinf(d->value)) {
            fprintf(f, "no capacity figure on ");
            for (size_t i = 0; i < d->n_open_path; i++)
                fprintf(f, "%s%s", i ? " > " : "", node_id(v, d->open_path[i]));
        }
        fputc('\n', f);
    }
}

static const char *term_names[7] = {"EPm", "Pm", "Sm", "LNGm", "Im", "Dmax", "Deff"};

static const cor_n1_term *term(const cor_n1_result *n1, int i)
{
    const cor_n1_term *t[7] = {&n1->epm, &n1->pm,   &n1->sm,  &n1->lngm,
                               &n1->im,  &n1->dmax, &n1->deff};
    return t[i];
}

/* Where a term came from, in words. */
static void term_origin(const energy_view *v, int i, char *buf, size_t size)
{
    static const char *const flags[7] = {"epm", "pm", "sm", "lngm", "im", "dmax", "deff"};
    const cor_n1_result *n1 = &v->r->n1;
    const cor_n1_term *t = term(n1, i);
    if (t->origin == COR_N1_GIVEN) {
        snprintf(buf, size, "given (--%s)", flags[i]);
    } else if (t->origin == COR_N1_ABSENT) {
        snprintf(buf, size,
                 i == 6 ? "not given (--deff): the formula without demand-side measures"
                        : "not given (--%s): counted as 0",
                 flags[i]);
    } else if (i == 0) {
        snprintf(buf, size,
                 n1->n_entries ? "network: %zu entry link%s into the area (below)"
                               : "network: no gas link enters the area",
                 n1->n_entries, n1->n_entries == 1 ? "" : "s");
    } else if (i == 1) {
        snprintf(buf, size,
                 n1->n_production ? "network: %zu supply node%s in the area (below)"
                                  : "network: no supply node in the area",
                 n1->n_production, n1->n_production == 1 ? "" : "s");
    } else if (n1->im_asset.index == COR_NONE) {
        snprintf(buf, size, "network: no infrastructure supplies the area");
    } else {
        char lab[200];
        asset_label(v, &n1->im_asset, lab, sizeof lab);
        snprintf(buf, size, "network: %s, the largest single infrastructure supplying the area%s",
                 lab, n1->im_asset.kind == COR_GAS_JUNCTION ? " (where its entry links meet)" : "");
    }
}

static void print_n1(FILE *f, const energy_view *v)
{
    const cor_n1_result *n1 = &v->r->n1;
    char a[32], b[32], lab[200], why[320];
    bool deff = n1->deff.origin == COR_N1_GIVEN;
    fprintf(f, "\nEU N-1 for the calculated area %s (Regulation (EU) 2017/1938, Annex II):\n\n",
            v->o->region);
    fprintf(f, "  N-1 = (EPm + Pm + Sm + LNGm - Im) / %s x 100\n", deff ? "(Dmax - Deff)" : "Dmax");
    fprintf(f, "      = (%.2f + %.2f + %.2f + %.2f - %.2f) / ", n1->epm.value, n1->pm.value,
            n1->sm.value, n1->lngm.value, n1->im.value);
    if (deff)
        fprintf(f, "(%.2f - %.2f)", n1->dmax.value, n1->deff.value);
    else
        fprintf(f, "%.2f", n1->dmax.value);
    fprintf(f, " x 100 = %.1f %%   (the standard is at least 100 %%: %s)\n\n", n1->percent,
            n1->percent >= 100 ? "met" : "not met");
    fprintf(f, "  %-5s %10s  %s\n", "term", "mcm/d", "from");
    for (int i = 0; i < 7; i++) {
        term_origin(v, i, why, sizeof why);
        const cor_n1_term *t = term(n1, i);
        fprintf(f, "  %-5s %10s  %s\n", term_names[i],
                i == 6 && !deff ? "-" : fmt_num(a, sizeof a, t->value, 2), why);
    }
    fprintf(f, "\n  Entry points (EPm), each with its technical capacity:\n");
    if (!n1->n_entries) fprintf(f, "    none in the network\n");
    for (size_t i = 0; i < n1->n_entries; i++) {
        asset_label(v, &n1->entries[i], lab, sizeof lab);
        fprintf(f, "    %-56s %10s bcm/year %9s mcm/d\n", lab,
                fmt_num(a, sizeof a, n1->entries[i].capacity / COR_MCM_D_PER_BCM_Y, 2),
                fmt_num(b, sizeof b, n1->entries[i].capacity, 2));
    }
    if (n1->n_production)
        fprintf(f, "\n  Production (Pm), node capacity or what its links take away:\n");
    for (size_t i = 0; i < n1->n_production; i++) {
        asset_label(v, &n1->production[i], lab, sizeof lab);
        fprintf(f, "    %-56s %10s bcm/year %9s mcm/d\n", lab,
                fmt_num(a, sizeof a, n1->production[i].capacity / COR_MCM_D_PER_BCM_Y, 2),
                fmt_num(b, sizeof b, n1->production[i].capacity, 2));
    }
    fprintf(f, "\n  Gas the supply can deliver to the area: %s bcm/year (%s mcm/d on average)",
            fmt_num(a, sizeof a, n1->deliverable, 2),
            fmt_num(b, sizeof b, n1->deliverable * COR_MCM_D_PER_BCM_Y, 2));
    if (!isnan(n1->deliverable_without_im))
        fprintf(f, "; with Im out of service: %s",
                fmt_num(a, sizeof a, n1->deliverable_without_im, 2));
    fputc('\n', f);
    if (n1->epm.origin == COR_N1_GIVEN && n1->im.origin == COR_N1_MODEL)
        fprintf(
            f,
            "  Note: Im is the largest infrastructure in the network; with --epm given, an entry "
            "point the network lacks may be larger: then give --im.\n");
    if (n1->sm.origin == COR_N1_ABSENT || n1->lngm.origin == COR_N1_ABSENT)
        fprintf(
            f,
            "  Note: storage and LNG are not in the network; give --sm and --lngm for the area's "
            "real figures.\n");
}

static void print_table(FILE *f, const energy_view *v)
{
    print_deliveries(f, v);
    if (v->r->has_n1) print_n1(f, v);
    fprintf(f, "\nCapacities in the network are bcm/year; mcm/d = bcm/year x 1000 / 365.\n");
}

static json_t *asset_json(const energy_view *v, const cor_gas_asset *a)
{
    static const char *const kinds[] = {"entry", "production", "junction"};
    json_t *o = json_pack("{s:s}", "kind", kinds[a->kind]);
    if (a->kind == COR_GAS_ENTRY) {
        const cor_link *l = cor_network_link(v->net, a->index);
        json_object_set_new(o, "link", json_string(l->id));
        json_object_set_new(o, "from", json_string(node_id(v, a->reversed ? l->to : l->from)));
        json_object_set_new(o, "to", json_string(node_id(v, a->reversed ? l->from : l->to)));
    } else {
        json_object_set_new(o, "node", json_string(node_id(v, a->index)));
    }
    json_object_set_new(o, "bcm_per_year", json_num(a->capacity / COR_MCM_D_PER_BCM_Y));
    json_object_set_new(o, "mcm_per_day", json_num(a->capacity));
    return o;
}

static json_t *n1_json(const energy_view *v)
{
    static const char *const origins[] = {"network", "given", "absent"};
    const cor_n1_result *n1 = &v->r->n1;
    char why[320];
    json_t *o = json_object(), *terms = json_object(), *entries = json_array(),
           *prod = json_array();
    json_object_set_new(o, "area", json_string(v->o->region));
    json_object_set_new(o, "formula",
                        json_string(n1->deff.origin == COR_N1_GIVEN
                                        ? "(EPm + Pm + Sm + LNGm - Im) / (Dmax - Deff) * 100"
                                        : "(EPm + Pm + Sm + LNGm - Im) / Dmax * 100"));
    json_object_set_new(o, "percent", json_num(n1->percent));
    json_object_set_new(o, "meets_standard", json_boolean(n1->percent >= 100));
    for (int i = 0; i < 7; i++) {
        const cor_n1_term *t = term(n1, i);
        term_origin(v, i, why, sizeof why);
        json_object_set_new(
            terms, term_names[i],
            json_pack("{s:o, s:s, s:s}", "mcm_per_day",
                      json_num(i == 6 && t->origin == COR_N1_ABSENT ? NAN : t->value), "origin",
                      origins[t->origin], "note", why));
    }
    json_object_set_new(o, "terms", terms);
    for (size_t i = 0; i < n1->n_entries; i++)
        json_array_append_new(entries, asset_json(v, &n1->entries[i]));
    for (size_t i = 0; i < n1->n_production; i++)
        json_array_append_new(prod, asset_json(v, &n1->production[i]));
    json_object_set_new(o, "entry_points", entries);
    json_object_set_new(o, "production", prod);
    json_t *im = json_null();
    if (n1->im_asset.index != COR_NONE) {
        im = asset_json(v, &n1->im_asset);
        json_t *links = json_array();
        for (size_t i = 0; i < n1->n_im_links; i++)
            json_array_append_new(links,
                                  json_string(cor_network_link(v->net, n1->im_links[i])->id));
        json_object_set_new(im, "links", links);
    }
    json_object_set_new(o, "im", im);
    json_object_set_new(o, "deliverable_bcm_per_year", json_num(n1->deliverable));
    json_object_set_new(o, "deliverable_without_im_bcm_per_year",
                        json_num(n1->deliverable_without_im));
    return o;
}

static json_t *energy_json(const energy_view *v)
{
    json_t *doc = json_object(), *supply = json_array(), *regs = json_array();
    json_object_set_new(doc, "layer", json_string("gas"));
    json_object_set_new(doc, "unit", json_string("bcm per year"));
    json_object_set_new(doc, "mcm_per_day_per_bcm_per_year", json_real(COR_MCM_D_PER_BCM_Y));
    for (size_t i = 0; i < v->r->n_supply; i++)
        json_array_append_new(supply, json_string(node_id(v, v->r->supply[i])));
    json_object_set_new(doc, "supply", supply);
    json_object_set_new(doc, "others",
                        json_string(v->o->others == COR_GAS_OTHERS_FIRST ? "first" : "ignore"));
    for (size_t k = 0; k < v->r->n_regions; k++) {
        const cor_gas_delivery *d = &v->r->regions[k];
        json_t *sinks = json_array(), *limits = json_array(), *path = json_array();
        for (size_t i = 0; i < d->n_sinks; i++)
            json_array_append_new(sinks, json_string(node_id(v, d->sinks[i])));
        for (size_t i = 0; i < d->n_limits; i++) {
            const cor_cut_item *c = &d->limits[i];
            bool demand = c->is_node && c->index == COR_NONE;
            json_array_append_new(
                limits,
                json_pack("{s:s, s:o, s:o}", "kind",
                          demand       ? "demand"
                          : c->is_node ? "node"
                                       : "link",
                          "id",
                          demand ? json_null()
                                 : json_string(c->is_node ? node_id(v, c->index)
                                                          : cor_network_link(v->net, c->index)->id),
                          "capacity", json_num(c->capacity)));
        }
        for (size_t i = 0; i < d->n_open_path; i++)
            json_array_append_new(path, json_string(node_id(v, d->open_path[i])));
        json_array_append_new(
            regs, json_pack("{s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "region", v->rg->names[k],
                            "demand_bcm_per_year", json_num(v->rg->list[k].demand), "bcm_per_year",
                            json_num(d->value), "mcm_per_day",
                            json_num(d->value * COR_MCM_D_PER_BCM_Y), "unlimited", isinf(d->value),
                            "sinks", sinks, "limited_by", limits, "open_path", path));
    }
    json_object_set_new(doc, "regions", regs);
    json_object_set_new(doc, "n_1", v->r->has_n1 ? n1_json(v) : json_null());
    return doc;
}

static void csv_row(FILE *f, const char *quantity, const char *region, double value,
                    const char *unit, const char *origin, const char *detail)
{
    csv_field(f, quantity, ",");
    csv_field(f, region, ",");
    csv_number(f, value, ",");
    csv_field(f, unit, ",");
    csv_field(f, origin, ",");
    csv_field(f, detail, "\n");
}

static void print_csv(FILE *f, const energy_view *v)
{
    static const char *const origins[] = {"network", "given", "absent"};
    char detail[320];
    fputs("quantity,region,value,unit,origin,detail\n", f);
    for (size_t k = 0; k < v->r->n_regions; k++) {
        const cor_gas_delivery *d = &v->r->regions[k];
        size_t used = 0;
        detail[0] = '\0';
        for (size_t i = 0; i < d->n_sinks && used + 1 < sizeof detail; i++)
            used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s", i ? " " : "",
                                     node_id(v, d->sinks[i]));
        csv_row(f, "deliverable", v->rg->names[k], d->value, "bcm/year", "network", detail);
    }
    if (!v->r->has_n1) return;
    const cor_n1_result *n1 = &v->r->n1;
    for (int i = 0; i < 7; i++) {
        const cor_n1_term *t = term(n1, i);
        term_origin(v, i, detail, sizeof detail);
        csv_row(f, term_names[i], v->o->region,
                i == 6 && t->origin == COR_N1_ABSENT ? NAN : t->value, "mcm/d", origins[t->origin],
                detail);
    }
    csv_row(f, "N-1", v->o->region, n1->percent, "%", "computed",
            n1->percent >= 100 ? "met" : "not met");
}

static bool write_output(FILE *f, const energy_view *v)
{
    if (v->o->c.out == OUT_TABLE)
        print_table(f, v);
    else if (v->o->c.out == OUT_CSV)
        print_csv(f, v);
    else {
        json_t *doc = energy_json(v);
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    return !ferror(f);
}

/* After a library error about a term the network could not give, the flag that gives it. */
static void hint_flag(const cor_error *err)
{
    if (!err->count) return;
    for (int i = 0; i < 7; i++)
        if (strcmp(err->problems[0].field, figure_flags[i]) == 0)
            cli_fail("energy", COR_ERR_INPUT, figure_flags[i], "Give it with --%s MCM_PER_DAY.",
                     figure_flags[i]);
}

/* What an energy question needs besides its options, and its answer. */
typedef struct energy_run {
    regions rg;
    char *supply_storage;
    const char **supply;
    cor_energy_result r;
    energy_view v;
} energy_run;

static void energy_run_clear(energy_run *x)
{
    cor_energy_result_clear(&x->r);
    regions_free(&x->rg);
    free(x->supply);
    free(x->supply_storage);
}

/* Regions, supply and the analysis into *x; an exit code. */
static int energy_find(const energy_opts *o, cli_env *env, energy_run *x)
{
    size_t n_supply = 0;
    memset(x, 0, sizeof *x);
    if (!parse_regions(o->region, &x->rg) || (o->demand && !apply_demand(o->demand, &x->rg)))
        return EXIT_BAD;
    if (!x->rg.n) return cli_usage_error("energy", "--region names no region");
    if (o->supply && !(x->supply = cli_split(o->supply, &x->supply_storage, &n_supply)))
        return EXIT_BAD;
    if (cli_env_expired(env, "energy")) return EXIT_BAD;
    cor_energy_spec spec = {&o->p.profile, x->supply,    n_supply,     x->rg.list,   x->rg.n,
                            o->others,     o->n1,        o->figures[0], o->figures[1], o->figures[2],
                            o->figures[3], o->figures[4], o->figures[5], o->figures[6]};
    cor_error err;
    cor_error_init(&err);
    int rc = EXIT_BAD;
    if (cor_energy(env->net, &spec, &x->r, &err) != COR_OK) {
        cli_print_problems(&err);
        hint_flag(&err);
    } else {
        rc = EXIT_NO_ANSWER;
        for (size_t k = 0; k < x->r.n_regions; k++)
            if (x->r.regions[k].value > 0) rc = EXIT_ANSWERED;
        x->v = (energy_view){o, env->net, &x->rg, &x->r};
    }
    cor_error_clear(&err);
    return rc;
}

static void energy_init(void *ctx)
{
    energy_opts *o = ctx;
    for (int i = 0; i < 7; i++)
        o->figures[i] = NAN;
    cor_profile_init(&o->p.profile);
}

int cmd_energy(int argc, char **argv)
{
    energy_opts o = {0};
    energy_init(&o);
    int rc = parse_args(&o, argc, argv);
    cor_network *net = NULL;
    energy_run x = {0};
    if (rc != 0) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    cli_env env;
    if (!(net = cli_open_network(&o.c, &o.p, &env))) goto done;
    if ((rc = energy_find(&o, &env, &x)) == EXIT_BAD) goto done;
    FILE *f = cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &x.v) ? rc : EXIT_BAD) : EXIT_BAD;
done:
    energy_run_clear(&x);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}

/* ---------------------------------------------------------------- for the server */

static int energy_answer(void *ctx, cli_env *env, json_t **doc)
{
    energy_run x;
    int rc = energy_find(ctx, env, &x);
    *doc = rc != EXIT_BAD ? energy_json(&x.v) : NULL;
    energy_run_clear(&x);
    return rc;
}

static void energy_clear(void *ctx)
{
    cli_profile_free(&((energy_opts *)ctx)->p);
}

static const struct option energy_params[] = {ENERGY_OPTIONS, {0, 0, 0, 0}};

const cli_command cli_energy_command = {
    "energy",      energy_params, sizeof(energy_opts), offsetof(energy_opts, c),
    offsetof(energy_opts, p), energy_init, energy_option, energy_check, energy_answer,
    energy_clear};
