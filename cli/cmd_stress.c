/*
 * cmd_stress.c — `corridor stress`: which links and nodes matter most to a demand, by what
 * their loss costs it (single-element criticality, N-1).
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: corridor stress [--network FILE] --od FILE [options]\n"
    "\n"
    "For every link and/or node, what its loss costs an origin-destination demand (CSV\n"
    "from,to,quantity): the extra cost summed over the demand (in the unit of --optimize),\n"
    "the pairs it disconnects and the demand left unserved; ranked, most critical first.\n"
    "Only the pairs whose best route uses an element are searched again. A pair's own\n"
    "origin and destination count as elements of its route (closing them cuts it off).\n"
    "\n"
    "  --od FILE              the demand (as for 'corridor assign')\n"
    "  --elements WHAT        links (default), nodes or both\n"
    "  --top N                rows in the table (default 20)\n"
    "  --threads N            elements spread over N threads (default: one per core);\n"
    "                         the results are the same whatever N\n"
    "  --optimize, --modes, --avoid-country, --avoid-node, --avoid-link,\n"
    "  --include-planned, --scenario FILE   as for 'corridor route'\n"
    "  --json | --csv, --output FILE\n"
    "\n"
    "Exit status: 0 answered, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor stress --od od.csv --elements both --optimize time\n";

enum { OPT_OD = 4000, OPT_ELEMENTS, OPT_THREADS };

typedef struct stress_opts {
    common_opts c;
    profile_opts p;
    const char *od;
    bool links, nodes;
    long threads;
} stress_opts;

static int stress_option(int opt, const char *arg, void *ctx)
{
    stress_opts *o = ctx;
    switch (opt) {
    case OPT_OD: o->od = arg; return 0;
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
    default: return 1;
    }
}

static int by_criticality(const void *a, const void *b)
{
    const cor_criticality *x = a, *y = b;
    if (x->unserved != y->unserved) return (x->unserved < y->unserved) - (x->unserved > y->unserved);
    if (x->extra_cost != y->extra_cost) return (x->extra_cost < y->extra_cost) - (x->extra_cost > y->extra_cost);
    return (x->pairs_affected < y->pairs_affected) - (x->pairs_affected > y->pairs_affected);
}

static const char *element_id(const cor_network *net, const cor_criticality *c)
{
    return c->kind == COR_ELEMENT_LINK ? cor_network_link(net, c->index)->id
                                       : cor_network_node(net, c->index)->id;
}

static bool write_output(FILE *f, const stress_opts *o, const cor_network *net,
                         const cor_criticality *c, size_t n)
{
    char a[32], b[32];
    if (o->c.out == OUT_CSV) {
        fputs("kind,id,extra_cost,pairs_affected,pairs_disconnected,unserved\n", f);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%s,", c[i].kind == COR_ELEMENT_LINK ? "link" : "node");
            csv_field(f, element_id(net, &c[i]), ",");
            csv_number(f, c[i].extra_cost, ",");
            fprintf(f, "%zu,%zu,", c[i].pairs_affected, c[i].pairs_disconnected);
            csv_number(f, c[i].unserved, "\n");
        }
        return !ferror(f);
    }
    if (o->c.out == OUT_JSON) {
        json_t *list = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:I, s:I, s:o}", "kind",
                                                  c[i].kind == COR_ELEMENT_LINK ? "link" : "node", "id",
                                                  element_id(net, &c[i]), "extra_cost",
                                                  json_num(c[i].extra_cost), "pairs_affected",
                                                  (json_int_t)c[i].pairs_affected, "pairs_disconnected",
                                                  (json_int_t)c[i].pairs_disconnected, "unserved",
                                                  json_num(c[i].unserved)));
        json_t *doc = json_pack("{s:s, s:o}", "optimize", cor_objective_name(o->p.profile.objective),
                                "elements", list);
        bool ok = json_write(f, doc);
        json_decref(doc);
        return ok;
    }
    size_t shown = n < (size_t)o->c.top ? n : (size_t)o->c.top;
    fprintf(f, "Most critical elements (%zu of %zu), optimising %s:\n", shown, n,
            cor_objective_name(o->p.profile.objective));
    fprintf(f, "  %-5s %-40s %14s %9s %13s %12s\n", "kind", "id", "extra cost", "affected",
            "disconnected", "unserved");
    for (size_t i = 0; i < shown; i++)
        fprintf(f, "  %-5s %-40s %14s %9zu %13zu %12s\n",
                c[i].kind == COR_ELEMENT_LINK ? "link" : "node", element_id(net, &c[i]),
                fmt_num(a, sizeof a, c[i].extra_cost, 2), c[i].pairs_affected,
                c[i].pairs_disconnected, fmt_num(b, sizeof b, c[i].unserved, 0));
    return !ferror(f);
}

int cmd_stress(int argc, char **argv)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, PROFILE_LONG_OPTIONS,
                                          {"od", required_argument, 0, OPT_OD},
                                          {"elements", required_argument, 0, OPT_ELEMENTS},
                                          TOP_LONG_OPTION,
                                          {"threads", required_argument, 0, OPT_THREADS},
                                          {0, 0, 0, 0}};
    stress_opts o = {0};
    o.links = true;
    o.c.top = 20;
    cor_profile_init(&o.p.profile);
    cor_network *net = NULL;
    cor_demand *d = NULL;
    cor_criticality *c = NULL;
    size_t nd = 0, nc = 0;
    cor_error err;
    cor_error_init(&err);
    int rc = cli_parse_options(argc, argv, "stress", usage, longs, &o.c, &o.p, stress_option, &o);
    if (rc) {
        rc = rc < 0 ? EXIT_ANSWERED : rc;
        goto done;
    }
    rc = EXIT_BAD;
    if (optind < argc) {
        cli_usage_error("stress", "unexpected argument '%s'", argv[optind]);
        goto done;
    }
    if (!o.od) {
        cli_usage_error("stress", "give --od FILE");
        goto done;
    }
    if (o.c.out == OUT_GEOJSON) {
        cli_usage_error("stress", "prints a table, --json or --csv");
        goto done;
    }
    if (!(net = cli_load(&o.c)) || !cli_profile_scenario(&o.p, net)) goto done;
    if (cor_demand_load(o.od, net, &d, &nd, &err) != COR_OK ||
        cor_criticality_run(net, &o.p.profile, d, nd, o.links, o.nodes, (unsigned)o.threads, &c, &nc,
                            &err) != COR_OK) {
        cli_print_problems(&err);
        goto done;
    }
    qsort(c, nc, sizeof *c, by_criticality);
    FILE *f = cli_out_open(&o.c);
    rc = f ? cli_out_close(f, &o.c, write_output(f, &o, net, c, nc) ? EXIT_ANSWERED : EXIT_BAD) : EXIT_BAD;
done:
    free(c);
    free(d);
    cor_error_clear(&err);
    cor_network_free(net);
    cli_profile_free(&o.p);
    return rc;
}
