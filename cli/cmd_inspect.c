/*
 * cmd_inspect.c — `corridor validate` and `corridor info`: looking at a network file
 * rather than routing on it.
 */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char validate_usage[] =
    "Usage: corridor validate [FILE] [--format FMT] [--json] [--max-input BYTES]\n"
    "\n"
    "Reads a network and lists every problem with its place (file, line or feature,\n"
    "field): dangling link ends, duplicate ids, bad numbers, unknown modes, coordinates\n"
    "out of range, attributes that contradict each other. Without FILE, checks the\n"
    "embedded example network. A valid network is also described: its connected\n"
    "components over the open transport links (direction ignored) and its isolated nodes;\n"
    "a network in pieces is still valid. A compiled network file (.cor) is checked whole:\n"
    "its checksums, every section, and every invariant of the graphs it stores.\n"
    "\n"
    "Exit status: 0 valid, 2 problems found (listed on standard error, or as JSON on\n"
    "standard output with --json).\n"
    "\n"
    "Example:\n"
    "  corridor validate data/example.geojson\n";

static const char info_usage[] =
    "Usage: corridor info [FILE] [--format FMT] [--json] [--max-input BYTES]\n"
    "\n"
    "What a network holds: nodes and links, counted by layer, mode, status and country,\n"
    "with the length of the links of each mode, and its connected components (count, the\n"
    "largest with their size and box, isolated nodes). Without FILE, the embedded example.\n"
    "For a compiled network file (.cor, see 'corridor build'): also its format version,\n"
    "the corridor version that wrote it, the profiles whose graphs it stores, and every\n"
    "section with its size.\n"
    "\n"
    "Example:\n"
    "  corridor info data/example.geojson\n"
    "  corridor info ny.cor\n";

/* Shared parsing: [FILE] --format --json --help (and --network as a synonym of FILE). */
static int parse_args(common_opts *c, int argc, char **argv, const char *cmd, const char *usage)
{
    static const struct option longs[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    int rc = cli_parse_options(argc, argv, cmd, usage, longs, c, NULL, NULL, NULL);
    if (rc) return rc;
    if (optind < argc) {
        if (c->network) return cli_usage_error(cmd, "give the file once");
        c->network = argv[optind++];
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (c->out == OUT_GEOJSON || c->out == OUT_CSV)
        return cli_usage_error(cmd, "prints a table or --json");
    return 0;
}

static json_t *problems_json(const cor_error *err)
{
    json_t *list = json_array();
    for (size_t i = 0; i < err->count; i++) {
        const cor_problem *p = &err->problems[i];
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(p->file));
        json_object_set_new(o, "line", p->line >= 0 ? json_integer(p->line) : json_null());
        json_object_set_new(o, "feature", p->feature >= 0 ? json_integer(p->feature) : json_null());
        json_object_set_new(o, "field", p->field[0] ? json_string(p->field) : json_null());
        json_object_set_new(o, "message", json_string(p->message));
        json_array_append_new(list, o);
    }
    return list;
}

/* ---------------------------------------------------------------- components */

/* Connectivity over the open transport links: how many pieces, the largest, isolated
 * nodes. A description only: it never makes a valid network invalid. */
static json_t *components_json(const cor_network *net, const cor_components *cc)
{
    json_t *o = json_object(), *list = json_array();
    json_object_set_new(o, "count", json_integer((json_int_t)cc->count));
    json_object_set_new(o, "isolated_nodes", json_integer((json_int_t)cc->isolated));
    for (size_t k = 0; k < cc->count && k < 20; k++) {
        const cor_component *it = &cc->items[k];
        json_t *bbox = json_array();
        for (int i = 0; i < 4; i++) json_array_append_new(bbox, json_num(it->bbox[i]));
        json_array_append_new(list, json_pack("{s:I, s:I, s:o, s:s, s:o}", "nodes", (json_int_t)it->nodes,
                                              "links", (json_int_t)it->links, "km", json_num(it->km),
                                              "node", cor_network_node(net, it->node)->id, "bbox", bbox));
    }
    json_object_set_new(o, "largest", list); /* at most 20, largest first */
    return o;
}

static void print_components(FILE *f, const cor_network *net, const cor_components *cc)
{
    fprintf(f, "  connectivity (open transport links, direction ignored): %zu component%s, "
               "%zu isolated node%s\n",
            cc->count, cc->count == 1 ? "" : "s", cc->isolated, cc->isolated == 1 ? "" : "s");
    for (size_t k = 0; k < cc->count && k < 5; k++) {
        const cor_component *it = &cc->items[k];
        fprintf(f, "    %8zu nodes %8zu links  around %s", it->nodes, it->links,
                cor_network_node(net, it->node)->id);
        if (isnan(it->bbox[0])) fprintf(f, "  (no positions)\n");
        else
            fprintf(f, "  [%.4f, %.4f, %.4f, %.4f]\n", it->bbox[0], it->bbox[1], it->bbox[2],
                    it->bbox[3]);
    }
    if (cc->count > 5) fprintf(f, "    ... and %zu smaller\n", cc->count - 5);
}

/* A .cor's stored graphs pass every invariant (cor_graph_check), beyond the load's checks. */
static cor_status check_stored_graphs(const cor_network *net, cor_error *err)
{
    cor_profile p[16];
    size_t n = cor_network_stored_profiles(net, p, 16);
    cor_status st = COR_OK;
    for (size_t i = 0; i < n && i < 16 && st == COR_OK; i++) {
        cor_graph *g = NULL;
        st = cor_graph_compile(&g, net, &p[i], err);
        if (st == COR_OK) st = cor_graph_check(g, err);
        cor_graph_free(g);
    }
    return st;
}

int cmd_validate(int argc, char **argv)
{
    common_opts c = {0};
    int rc = parse_args(&c, argc, argv, "validate", validate_usage);
    if (rc) return rc < 0 ? EXIT_ANSWERED : rc;
    const char *path = c.network ? c.network : cli_default_network();
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_load_with(&net, path, c.format, &c.load, &err);
    if (st == COR_OK) st = check_stored_graphs(net, &err);
    cor_components cc = {0};
    cor_error cerr;
    cor_error_init(&cerr);
    bool have_cc = st == COR_OK && cor_network_components(net, NULL, &cc, &cerr) == COR_OK;
    FILE *f = cli_out_open(&c);
    if (!f) rc = EXIT_BAD;
    else if (c.out == OUT_JSON) {
        json_t *doc = json_object();
        json_object_set_new(doc, "file", json_string(path));
        json_object_set_new(doc, "valid", json_boolean(st == COR_OK));
        json_object_set_new(doc, "nodes", net ? json_integer((json_int_t)cor_network_node_count(net)) : json_null());
        json_object_set_new(doc, "links", net ? json_integer((json_int_t)cor_network_link_count(net)) : json_null());
        json_object_set_new(doc, "components", have_cc ? components_json(net, &cc) : json_null());
        json_object_set_new(doc, "problems", problems_json(&err));
        json_object_set_new(doc, "more_problems", json_integer((json_int_t)err.dropped));
        rc = cli_out_close(f, &c, json_write(f, doc) ? cli_exit_for(st) : EXIT_BAD);
        json_decref(doc);
    } else {
        if (st == COR_OK) {
            fprintf(f, "%s: valid: %zu nodes, %zu links\n", path, cor_network_node_count(net),
                    cor_network_link_count(net));
            if (have_cc) print_components(f, net, &cc);
        } else {
            cli_print_problems(&err);
            fprintf(stderr, "%s: %zu problem%s\n", path, err.count + err.dropped,
                    err.count + err.dropped == 1 ? "" : "s");
        }
        rc = cli_out_close(f, &c, cli_exit_for(st));
    }
    if (rc == EXIT_NO_ANSWER) rc = EXIT_BAD;
    cor_components_clear(&cc);
    cor_error_clear(&cerr);
    cor_network_free(net);
    cor_error_clear(&err);
    return rc;
}

/* ---------------------------------------------------------------- info */

typedef struct tally {
    size_t layer[COR_LAYER_COUNT], mode[COR_MODE_COUNT], status[COR_STATUS_COUNT];
    double mode_km[COR_MODE_COUNT];
    const char *country[512];
    size_t country_nodes[512], n_countries;
    size_t with_position, with_geometry, directed;
} tally;

static void count(const cor_network *net, tally *t)
{
    memset(t, 0, sizeof *t);
    for (uint32_t i = 0; i < cor_network_link_count(net); i++) {
        const cor_link *l = cor_network_link(net, i);
        t->layer[l->layer]++;
        t->mode[l->mode]++;
        t->status[l->status]++;
        if (!isnan(l->length_km)) t->mode_km[l->mode] += l->length_km;
        if (l->geom_count >= 2) t->with_geometry++;
        if (l->forward != l->backward) t->directed++;
    }
    for (uint32_t i = 0; i < cor_network_node_count(net); i++) {
        const cor_node *n = cor_network_node(net, i);
        if (!isnan(n->lon)) t->with_position++;
        const char *cc = n->country ? n->country : "--";
        size_t k = 0;
        while (k < t->n_countries && strcmp(t->country[k], cc) != 0) k++;
        if (k == t->n_countries && k < 512) t->country[t->n_countries++] = cc;
        if (k < 512) t->country_nodes[k]++;
    }
}

static void print_info(FILE *f, const char *path, const cor_network *net, const tally *t)
{
    char km[32];
    fprintf(f, "%s\n  %zu nodes (%zu with a position), %zu links (%zu one-way, %zu with geometry)\n",
            path, cor_network_node_count(net), t->with_position, cor_network_link_count(net),
            t->directed, t->with_geometry);
    fprintf(f, "\n  links by layer:\n");
    for (int i = 0; i < COR_LAYER_COUNT; i++)
        if (t->layer[i]) fprintf(f, "    %-10s %8zu\n", cor_layer_name(i), t->layer[i]);
    fprintf(f, "\n  links by mode:            km\n");
    for (int i = 0; i < COR_MODE_COUNT; i++)
        if (t->mode[i])
            fprintf(f, "    %-10s %8zu %12s\n", cor_mode_name(i), t->mode[i],
                    fmt_num(km, sizeof km, t->mode_km[i], 0));
    fprintf(f, "\n  links by status:\n");
    for (int i = 0; i < COR_STATUS_COUNT; i++)
        if (t->status[i]) fprintf(f, "    %-10s %8zu\n", cor_link_status_name(i), t->status[i]);
    fprintf(f, "\n  nodes by country:\n");
    for (size_t k = 0; k < t->n_countries && k < 40; k++)
        fprintf(f, "    %-10s %8zu\n", t->country[k], t->country_nodes[k]);
    if (t->n_countries > 40) fprintf(f, "    ... and %zu more\n", t->n_countries - 40);
}

/* ---------------------------------------------------------------- info on a .cor */

static const char *format_label(cor_format f)
{
    static const char *const names[] = {"auto", "geojson", "csv", "pgrouting", "dimacs", "cor"};
    return (unsigned)f < sizeof names / sizeof *names ? names[f] : "?";
}

static void print_cor_info(FILE *f, const cor_network *net)
{
    uint32_t version;
    const char *writer;
    if (!cor_network_file_version(net, &version, &writer)) return;
    const cor_array *s;
    size_t n = cor_network_file_sections(net, &s);
    cor_profile p[16];
    size_t np = cor_network_stored_profiles(net, p, 16);
    uint64_t total = 0;
    fprintf(f, "\n  compiled network file: format version %u, written by corridor %s, "
               "built from %s\n  stored graphs:", version, writer,
            format_label(cor_network_format(net)));
    for (size_t i = 0; i < np && i < 16; i++)
        fprintf(f, "%s g%zu = %s", i ? "," : "", i, cor_objective_name(p[i].objective));
    fprintf(f, "%s\n\n  sections:                     count  bytes/elem          bytes\n",
            np ? "" : " none");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "    %-24s %11llu %11u %14llu\n", s[i].name,
                (unsigned long long)s[i].count, s[i].elem_size,
                (unsigned long long)(s[i].count * s[i].elem_size));
        total += s[i].count * s[i].elem_size;
    }
    fprintf(f, "    %-24s %11zu %11s %14llu\n", "(all sections)", n, "", (unsigned long long)total);
}

static json_t *cor_info_json(const cor_network *net)
{
    uint32_t version;
    const char *writer;
    if (!cor_network_file_version(net, &version, &writer)) return json_null();
    const cor_array *s;
    size_t n = cor_network_file_sections(net, &s);
    cor_profile p[16];
    size_t np = cor_network_stored_profiles(net, p, 16);
    json_t *sections = json_array(), *profiles = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sections, json_pack("{s:s, s:I, s:i, s:I}", "name", s[i].name,
                                                  "count", (json_int_t)s[i].count,
                                                  "elem_size", (int)s[i].elem_size, "bytes",
                                                  (json_int_t)(s[i].count * s[i].elem_size)));
    for (size_t i = 0; i < np && i < 16; i++)
        json_array_append_new(profiles, json_pack("{s:s, s:f, s:f}", "objective",
                                                  cor_objective_name(p[i].objective),
                                                  "value_of_time", p[i].value_of_time,
                                                  "carbon_price", p[i].carbon_price));
    return json_pack("{s:i, s:s, s:s, s:o, s:o}", "format_version", (int)version,
                     "written_by", writer, "source_format",
                     format_label(cor_network_format(net)), "profiles", profiles,
                     "sections", sections);
}

static json_t *info_json(const char *path, const cor_network *net, const tally *t)
{
    json_t *doc = json_object(), *layers = json_object(), *modes = json_object(),
           *status = json_object(), *countries = json_object();
    json_object_set_new(doc, "file", json_string(path));
    json_object_set_new(doc, "nodes", json_integer((json_int_t)cor_network_node_count(net)));
    json_object_set_new(doc, "links", json_integer((json_int_t)cor_network_link_count(net)));
    for (int i = 0; i < COR_LAYER_COUNT; i++)
        if (t->layer[i]) json_object_set_new(layers, cor_layer_name(i), json_integer((json_int_t)t->layer[i]));
    for (int i = 0; i < COR_MODE_COUNT; i++)
        if (t->mode[i])
            json_object_set_new(modes, cor_mode_name(i),
                                json_pack("{s:I, s:f}", "links", (json_int_t)t->mode[i], "km", t->mode_km[i]));
    for (int i = 0; i < COR_STATUS_COUNT; i++)
        if (t->status[i])
            json_object_set_new(status, cor_link_status_name(i), json_integer((json_int_t)t->status[i]));
    for (size_t k = 0; k < t->n_countries; k++)
        json_object_set_new(countries, t->country[k], json_integer((json_int_t)t->country_nodes[k]));
    json_object_set_new(doc, "layers", layers);
    json_object_set_new(doc, "modes", modes);
    json_object_set_new(doc, "status", status);
    json_object_set_new(doc, "countries", countries);
    json_object_set_new(doc, "compiled", cor_info_json(net)); /* null unless a .cor */
    return doc;
}

int cmd_info(int argc, char **argv)
{
    common_opts c = {0};
    int rc = parse_args(&c, argc, argv, "info", info_usage);
    if (rc) return rc < 0 ? EXIT_ANSWERED : rc;
    cor_network *net = cli_load(&c);
    if (!net) return EXIT_BAD;
    const char *path = c.network ? c.network : cli_default_network();
    tally *t = malloc(sizeof *t);
    cor_components cc = {0};
    cor_error cerr;
    cor_error_init(&cerr);
    bool have_cc = cor_network_components(net, NULL, &cc, &cerr) == COR_OK;
    if (!have_cc) cli_print_problems(&cerr);
    FILE *f = t && have_cc ? cli_out_open(&c) : NULL;
    rc = EXIT_BAD;
    if (f) {
        count(net, t);
        bool ok = true;
        if (c.out == OUT_JSON) {
            json_t *doc = info_json(path, net, t);
            json_object_set_new(doc, "components", components_json(net, &cc));
            ok = json_write(f, doc);
            json_decref(doc);
        } else {
            print_info(f, path, net, t);
            fprintf(f, "\n");
            print_components(f, net, &cc);
            print_cor_info(f, net);
        }
        rc = cli_out_close(f, &c, ok ? EXIT_ANSWERED : EXIT_BAD);
    }
    free(t);
    cor_components_clear(&cc);
    cor_error_clear(&cerr);
    cor_network_free(net);
    return rc;
}
