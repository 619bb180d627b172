/*
 * common.c — options, loading, problems and output shared by every subcommand.
 *
 * Output to a file goes through cor_output (src/output_file.c): a temporary file beside
 * the target, renamed into place only when the command succeeded, so a failed or
 * interrupted run never leaves a half-written result behind (the temporary file is listed
 * for the signal handler of tempfiles.c while it exists); FIFOs, devices and /dev/stdout
 * are written directly.
 */
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef COR_DATA_DIR
#define COR_DATA_DIR "data"
#endif

static _Thread_local cli_sink *sink;

void cli_sink_install(cli_sink *s)
{
    sink = s;
}

/* Keeps the first message of a request (the one that explains the rest). */
static void sink_keep(cor_status kind, const char *field, const char *fmt, va_list ap)
{
    if (sink->set) return;
    sink->set = true;
    sink->kind = kind;
    snprintf(sink->field, sizeof sink->field, "%s", field ? field : "");
    vsnprintf(sink->message, sizeof sink->message, fmt, ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sink) {
        sink_keep(COR_ERR_USAGE, NULL, fmt, ap);
        va_end(ap);
        return EXIT_BAD;
    }
    fprintf(stderr, "corridor%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    if (cmd) fprintf(stderr, "Try 'corridor %s --help'.\n", cmd);
    return EXIT_BAD;
}

int cli_fail(const char *cmd, cor_status kind, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sink) sink_keep(kind, field, fmt, ap);
    else {
        fprintf(stderr, "corridor%s%s: ", cmd ? " " : "", cmd ? cmd : "");
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
    return kind == COR_ERR_NO_ROUTE ? EXIT_NO_ANSWER : EXIT_BAD;
}

static void keep_problem(const cor_problem *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void keep_problem(const cor_problem *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sink_keep(p->status, p->field, fmt, ap);
    va_end(ap);
}

void cli_print_problems(const cor_error *err)
{
    char buf[1024];
    if (sink) {
        if (err->count)
            keep_problem(&err->problems[0], "%s%s", cor_problem_format(&err->problems[0], buf, sizeof buf),
                         err->count + err->dropped > 1 ? " (and more problems)" : "");
        return;
    }
    for (size_t i = 0; i < err->count; i++)
        fprintf(stderr, "corridor: %s\n", cor_problem_format(&err->problems[i], buf, sizeof buf));
    if (err->dropped)
        fprintf(stderr, "corridor: ... and %zu more problems not shown\n", err->dropped);
}

int cli_exit_for(cor_status st)
{
    switch (st) {
    case COR_OK: return EXIT_ANSWERED;
    case COR_ERR_NO_ROUTE: return EXIT_NO_ANSWER;
    default: return EXIT_BAD;
    }
}

const char *cli_default_network(void)
{
    static char path[4096];
    const char *dir = getenv("CORRIDOR_DATA");
    snprintf(path, sizeof path, "%s/corridor.geojson", dir && *dir ? dir : COR_DATA_DIR);
    return path;
}

cor_network *cli_load(const common_opts *c)
{
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    const char *path = c->network ? c->network : cli_default_network();
    if (cor_network_load_with(&net, path, c->format, &c->load, &err) != COR_OK) {
        cli_print_problems(&err);
        net = NULL;
    }
    cor_error_clear(&err);
    return net;
}

int cli_common_option(common_opts *c, int opt, const char *arg, const char *cmd)
{
    switch (opt) {
    case OPT_NETWORK: c->network = arg; return 1;
    case OPT_FORMAT:
        if (!cor_format_parse(arg, &c->format)) {
            cli_usage_error(cmd,
                            "unknown --format '%s' (use geojson, csv, pgrouting, dimacs or cor)",
                            arg);
            return -1;
        }
        return 1;
    case OPT_JSON: c->out = OUT_JSON; return 1;
    case OPT_GEOJSON: c->out = OUT_GEOJSON; return 1;
    case OPT_CSV: c->out = OUT_CSV; return 1;
    case OPT_OUTPUT: c->output = arg; return 1;
    case OPT_TOP:
        if (!cor_parse_long(arg, &c->top) || c->top < 0) {
            cli_usage_error(cmd, "--top needs a whole number >= 0, got '%s'", arg);
            return -1;
        }
        return 1;
    case OPT_QUIET: c->quiet = true; return 1;
    case OPT_GEOPACKAGE: c->geopackage = arg; return 1;
    case OPT_MAX_INPUT:
        if (!cli_parse_bytes(arg, &c->load.max_input_bytes)) {
            cli_usage_error(cmd, "--max-input needs a number of bytes >= 1 (K, M, G allowed: "
                                 "512M), got '%s'", arg);
            return -1;
        }
        c->load.max_decompressed_bytes = c->load.max_input_bytes;
        return 1;
    default: return 0;
    }
}

bool cli_parse_bytes(const char *arg, uint64_t *out)
{
    static const char units[] = "KMG";
    char *end;
    errno = 0;
    if (!arg || *arg < '0' || *arg > '9') return false;
    unsigned long long v = strtoull(arg, &end, 10);
    const char *u = *end ? strchr(units, *end & ~0x20) : NULL;
    int shift = u ? 10 * (int)(u - units + 1) : 0;
    if (errno || v == 0 || (*end && (!u || end[1])) || v > (UINT64_C(1) << 62) >> shift)
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

int cli_parse_options(int argc, char **argv, const char *cmd, const char *usage,
                      const struct option *longs, common_opts *c, profile_opts *p,
                      int (*own)(int opt, const char *arg, void *ctx), void *ctx)
{
    int opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        if (opt == OPT_HELP) {
            fputs(usage, stdout);
            return -1;
        }
        int rc = opt == '?' ? 1 : cli_apply_option(cmd, c, p, own, ctx, opt, optarg);
        if (rc == 1)
            return cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        if (rc != 0) return rc;
    }
    return 0;
}

int cli_apply_option(const char *cmd, common_opts *c, profile_opts *p,
                     int (*own)(int opt, const char *arg, void *ctx), void *ctx, int opt,
                     const char *arg)
{
    int rc = cli_common_option(c, opt, arg, cmd);
    if (rc == 0 && p) rc = cli_profile_option(p, opt, arg, cmd);
    if (rc < 0) return EXIT_BAD;
    if (rc > 0) return 0;
    return own ? own(opt, arg, ctx) : 1;
}

int cli_parse_command(const cli_command *cmd, int argc, char **argv, const char *usage,
                      const struct option *longs, void *o)
{
    common_opts *c = (common_opts *)((char *)o + cmd->common_at);
    profile_opts *p = cmd->profile_at >= 0 ? (profile_opts *)((char *)o + cmd->profile_at) : NULL;
    int rc = cli_parse_options(argc, argv, cmd->name, usage, longs, c, p, cmd->option, o);
    if (rc) return rc;
    if (optind < argc) return cli_usage_error(cmd->name, "unexpected argument '%s'", argv[optind]);
    return cmd->check(o);
}

/* ---------------------------------------------------------------- the CLI's env */

/* One graph compiled per run, freed with its query; with --index cch, its index too. */
static _Thread_local cor_graph *local_graph;
static _Thread_local cor_cch *local_cch;
static _Thread_local cor_cch_metric *local_metric;

static void local_free(void)
{
    cor_graph_free(local_graph);
    cor_cch_metric_free(local_metric);
    cor_cch_free(local_cch);
    local_graph = NULL, local_metric = NULL, local_cch = NULL;
}

/* The index of the default order on local_graph, customised for its own weights. */
static bool local_index(cor_error *err)
{
    return cor_cch_build(&local_cch, local_graph, COR_CCH_ORDER_DEFAULT, err) == COR_OK &&
           cor_cch_customize(&local_metric, local_cch, NULL, err) == COR_OK &&
           cor_graph_set_index(local_graph, local_cch, local_metric, err) == COR_OK;
}

static cor_route_query *local_acquire(cli_env *env, const profile_opts *p)
{
    cor_error err;
    cor_error_init(&err);
    cor_route_query *q = NULL;
    if (cor_graph_compile(&local_graph, env->net, &p->profile, &err) != COR_OK ||
        (p->index && !local_index(&err)))
        cli_print_problems(&err);
    else if (!(q = cor_route_query_new(local_graph)))
        cli_fail(NULL, COR_ERR_NOMEM, NULL, "out of memory");
    if (!q) local_free();
    cor_error_clear(&err);
    return q;
}

static void local_release(cli_env *env, cor_route_query *q)
{
    (void)env;
    cor_route_query_free(q);
    local_free();
}

void cli_env_local(cli_env *env, const cor_network *net)
{
    *env = (cli_env){net, local_acquire, local_release, NULL, NULL, NULL};
}

bool cli_env_expired(cli_env *env, const char *cmd)
{
    if (!env->expired || !env->expired(env)) return false;
    cli_fail(cmd, COR_ERR_CANCELLED, NULL, "stopped: the answer took longer than the server's deadline");
    return true;
}

const char **cli_split(const char *s, char **storage, size_t *n)
{
    free(*storage);
    *storage = strdup(s);
    size_t cap = 2;
    for (const char *p = s; *p; p++) cap += *p == ',';
    const char **items = calloc(cap, sizeof *items);
    *n = 0;
    if (!*storage || !items) {
        free(items);
        return NULL;
    }
    char *save = NULL; /* strtok_r: the server splits on many threads at once */
    for (char *tok = strtok_r(*storage, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (*tok) items[(*n)++] = tok;
    return items;
}

static bool parse_amount(const char *arg, double *out)
{
    return cor_parse_double(arg, out) && *out >= 0 && *out <= CLI_MAX_FACTOR;
}

static int set_list(profile_opts *p, int which, const char *arg, const char *const **items,
                    size_t *n)
{
    free(p->items[which]);
    p->items[which] = cli_split(arg, &p->lists[which], n);
    *items = p->items[which];
    return p->items[which] ? 1 : -1;
}

int cli_profile_option(profile_opts *p, int opt, const char *arg, const char *cmd)
{
    cor_profile *pr = &p->profile;
    switch (opt) {
    case OPT_OPTIMIZE:
        if (!cor_objective_parse(arg, &pr->objective)) {
            cli_usage_error(cmd, "unknown --optimize '%s' (use cost, time, co2, generalised or distance)",
                            arg);
            return -1;
        }
        return 1;
    case OPT_VOT:
        if (!parse_amount(arg, &pr->value_of_time)) {
            cli_usage_error(cmd,
                            "--value-of-time needs a number of USD per hour from 0 to 1e9, "
                            "got '%s'", arg);
            return -1;
        }
        return 1;
    case OPT_CARBON:
        if (!parse_amount(arg, &pr->carbon_price)) {
            cli_usage_error(cmd,
                            "--carbon-price needs a number of USD per tonne from 0 to 1e9, "
                            "got '%s'", arg);
            return -1;
        }
        return 1;
    case OPT_MODES:
    case OPT_LAYER: {
        char *copy = NULL;
        size_t n = 0;
        const char **names = cli_split(arg, &copy, &n);
        unsigned mask = 0;
        int rc = 1;
        for (size_t i = 0; names && i < n; i++) {
            cor_mode m;
            cor_layer l;
            if (opt == OPT_MODES && cor_mode_parse(names[i], &m)) mask |= 1u << m;
            else if (opt == OPT_LAYER && cor_layer_parse(names[i], &l)) mask |= 1u << l;
            else {
                cli_usage_error(cmd, opt == OPT_MODES
                                         ? "unknown mode '%s' (use rail, road, ferry, sea, pipeline, fiber)"
                                         : "unknown layer '%s' (use transport, gas, oil, data)",
                                names[i]);
                rc = -1;
                break;
            }
        }
        if (rc == 1 && mask == 0) rc = (cli_usage_error(cmd, "an empty list was given"), -1);
        if (opt == OPT_MODES) pr->modes = mask;
        else pr->layers = mask;
        free(names);
        free(copy);
        return rc;
    }
    case OPT_AVOID_COUNTRY:
        return set_list(p, 0, arg, &pr->avoid_countries, &pr->n_avoid_countries);
    case OPT_AVOID_NODE: return set_list(p, 1, arg, &pr->avoid_nodes, &pr->n_avoid_nodes);
    case OPT_AVOID_LINK: return set_list(p, 2, arg, &pr->avoid_links, &pr->n_avoid_links);
    case OPT_INCLUDE_PLANNED: pr->include_planned = true; return 1;
    case OPT_SCENARIO: p->scenario_path = arg; return 1;
    case OPT_SNAP_LIMIT:
        if (!parse_amount(arg, &p->snap_limit_km)) {
            cli_usage_error(cmd, "--snap-limit needs a number of km >= 0, got '%s'", arg);
            return -1;
        }
        p->snap_limit_set = true;
        return 1;
    case OPT_INDEX:
        if (strcmp(arg, "cch") != 0 && strcmp(arg, "none") != 0) {
            cli_usage_error(cmd, "unknown --index '%s' (use cch or none)", arg);
            return -1;
        }
        p->index = strcmp(arg, "cch") == 0;
        return 1;
    default: return 0;
    }
}

bool cli_profile_scenario(profile_opts *p, const cor_network *net)
{
    if (!p->scenario_path) return true;
    cor_error err;
    cor_error_init(&err);
    bool ok = cor_scenario_load_with(&p->scenario, p->scenario_path, net, p->load, &err) == COR_OK;
    if (!ok) cli_print_problems(&err);
    cor_error_clear(&err);
    p->profile.scenario = p->scenario;
    return ok;
}

const cor_network *cli_scenario_network(const profile_opts *p, const cor_network *net)
{
    return p->scenario ? cor_scenario_network(p->scenario) : net;
}

cor_network *cli_open_network(const common_opts *c, profile_opts *p, cli_env *env)
{
    cor_network *net = cli_load(c);
    p->load = &c->load;
    if (net && !cli_profile_scenario(p, net)) {
        cor_network_free(net);
        return NULL;
    }
    if (net) cli_env_local(env, cli_scenario_network(p, net));
    return net;
}

void cli_profile_free(profile_opts *p)
{
    cor_scenario_free(p->scenario);
    for (int i = 0; i < 3; i++) {
        free(p->lists[i]);
        free(p->items[i]);
    }
}

bool cli_output_begin(cor_output *out, const char *path)
{
    if (strcmp(path, "-") == 0) path = "/dev/stdout"; /* as everywhere else */
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_output_open(out, path, &err);
    if (st != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    if (st == COR_OK && out->tmp) (void)cli_tempfile_add(out->tmp);
    return st == COR_OK;
}

int cli_output_end(cor_output *out, const char *path, int status)
{
    char *tmp = out->tmp ? strdup(out->tmp) : NULL; /* forgotten once gone, not before */
    cor_error err;
    cor_error_init(&err);
    if (status == EXIT_BAD)
        cor_output_discard(out);
    else if (cor_output_commit(out, path, &err) != COR_OK) {
        cli_print_problems(&err);
        status = EXIT_BAD;
    }
    cor_error_clear(&err);
    cli_temp_forget(tmp);
    free(tmp);
    return status;
}

static cor_output out_file = {.fd = -1};

FILE *cli_out_open(const common_opts *c)
{
    if (!c->output || strcmp(c->output, "-") == 0) return stdout;
    if (!cli_output_begin(&out_file, c->output)) return NULL;
    FILE *f = fdopen(out_file.fd, "w");
    if (!f) {
        fprintf(stderr, "corridor: %s: cannot write: %s\n", c->output, strerror(errno));
        cli_output_end(&out_file, c->output, EXIT_BAD);
    }
    return f;
}

const char *cli_out_tmp_path(void)
{
    return out_file.tmp;
}

int cli_out_close(FILE *f, const common_opts *c, int status)
{
    if (f == stdout) {
        if (fflush(stdout) != 0) return EXIT_BAD;
        return status;
    }
    bool ok = fflush(f) == 0 && !ferror(f);
    ok = (fclose(f) == 0) && ok;
    out_file.fd = -1; /* closed with f */
    if (!ok) fprintf(stderr, "corridor: %s: write failed\n", c->output);
    return cli_output_end(&out_file, c->output, ok ? status : EXIT_BAD);
}

const char *fmt_num(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v)) return snprintf(buf, size, "-"), buf;
    if (isinf(v)) return snprintf(buf, size, "inf"), buf;
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(v));
    char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0 && o + 1 < size) buf[o++] = '-';
    for (size_t i = 0; i < int_len && o + 1 < size; i++) {
        if (i > 0 && (int_len - i) % 3 == 0 && o + 1 < size) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    for (const char *p = dot; p && *p && o + 1 < size; p++) buf[o++] = *p;
    buf[o] = '\0';
    return buf;
}

/* Splits the API's rows ("a,b,c;d,e,f") into items of `fields` fields and hands each to
 * take(); the item's place (1-based) is passed for messages. false when an item has the wrong
 * shape (reported), take() refuses one, or there is no item. */
bool cli_rows(const char *cmd, const char *field, const char *what, const char *shape,
              const char *text, int fields,
              bool (*take)(char **f, size_t item, void *ctx), void *ctx)
{
    char *copy = strdup(text), *save = NULL;
    bool ok = copy != NULL;
    size_t items = 0;
    if (!ok) cli_fail(cmd, COR_ERR_NOMEM, NULL, "out of memory");
    for (char *item = ok ? strtok_r(copy, ";\n", &save) : NULL; ok && item;
         item = strtok_r(NULL, ";\n", &save)) {
        char *f[8] = {0}, *s2 = NULL;
        int k = 0;
        for (char *t = strtok_r(item, ", \t\r", &s2); t; t = strtok_r(NULL, ", \t\r", &s2))
            if (k < 8) f[k++] = t;
        items++;
        if (k != fields)
            ok = !cli_fail(cmd, COR_ERR_USAGE, field, "%s item %zu: expected '%s'", what, items, shape);
        else
            ok = take(f, items, ctx);
    }
    if (ok && items == 0) ok = !cli_fail(cmd, COR_ERR_USAGE, field, "no %s item given", what);
    free(copy);
    return ok;
}

/* The places a rows parser reports to, and where it collects. */
typedef struct demand_rows {
    const char *cmd, *field;
    const cor_network *net;
    cor_demand *d;
    size_t n;
} demand_rows;

static bool take_demand(char **f, size_t item, void *ctx)
{
    demand_rows *r = ctx;
    double q;
    uint32_t a = cor_network_find_node(r->net, f[0]), b = cor_network_find_node(r->net, f[1]);
    if (a == COR_NONE || b == COR_NONE)
        return !cli_fail(r->cmd, COR_ERR_NOT_FOUND, r->field, "demand item %zu: no node has the id '%s'",
                         item, a == COR_NONE ? f[0] : f[1]);
    if (!cor_parse_double(f[2], &q) || q < 0)
        return !cli_fail(r->cmd, COR_ERR_USAGE, r->field,
                         "demand item %zu: the quantity must be a number >= 0, got '%s'", item, f[2]);
    r->d[r->n++] = (cor_demand){a, b, q};
    return true;
}

cor_demand *cli_demand_rows(const char *cmd, const char *field, const cor_network *net,
                            const char *text, size_t *n)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == ';' || *p == '\n';
    demand_rows r = {cmd, field, net, calloc(cap, sizeof(cor_demand)), 0};
    if (!r.d) cli_fail(cmd, COR_ERR_NOMEM, NULL, "out of memory");
    if (r.d && !cli_rows(cmd, field, "demand", "from,to,quantity", text, 3, take_demand, &r)) {
        free(r.d);
        r.d = NULL;
    }
    *n = r.n;
    return r.d;
}

/* Stops an analysis once the request's deadline has passed. */
static bool before_deadline(void *ctx, size_t done, size_t total)
{
    (void)done, (void)total;
    cli_env *env = ctx;
    return !env->expired || !env->expired(env);
}

cor_progress cli_env_progress(cli_env *env)
{
    return (cor_progress){before_deadline, env};
}

/* ---------------------------------------------------------------- writing a network */

/* The written GeoJSON read back by the project's own loader; false (reported) when not. */
static bool loads_back(const char *cmd, const char *path)
{
    cor_network *net = NULL;
    cor_error err;
    cor_error_init(&err);
    /* Our own file: its size is no reason to refuse it (docs/LIMITS.md), its contents are. */
    const cor_load_options any = {UINT64_MAX, UINT64_MAX};
    bool ok = cor_network_load_with(&net, path, COR_FORMAT_GEOJSON, &any, &err) == COR_OK;
    if (!ok) {
        fprintf(stderr, "corridor %s: the written network does not load back:\n", cmd);
        cli_print_problems(&err);
    }
    cor_network_free(net);
    cor_error_clear(&err);
    return ok;
}

int cli_save_network(const cor_network *net, cor_output *opened, const char *path,
                     const cor_profile *profiles, size_t n_profiles)
{
    cor_output own;
    cor_output *out = opened ? opened : &own;
    if (!opened && !cli_output_begin(out, path)) return EXIT_BAD;
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_network_write(net, out, path, profiles, n_profiles, &err);
    if (st != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    return cli_output_end(out, path, st == COR_OK ? EXIT_ANSWERED : EXIT_BAD);
}

int cli_write_network(const char *cmd, const cor_network *net, const common_opts *c)
{
    size_t n = c->output ? strlen(c->output) : 0;
    if (n > 4 && strcmp(c->output + n - 4, ".cor") == 0) {
        cor_profile profiles[3];
        size_t np = cor_network_default_profiles(net, profiles, 3);
        return cli_save_network(net, NULL, c->output, profiles, np);
    }
    json_t *doc = network_to_geojson(net, ~0u, NULL);
    FILE *f = cli_out_open(c);
    if (!f) {
        json_decref(doc);
        return EXIT_BAD;
    }
    bool ok = doc && json_write(f, doc) && fflush(f) == 0;
    json_decref(doc);
    if (ok && f != stdout && cli_out_tmp_path()) ok = loads_back(cmd, cli_out_tmp_path());
    return cli_out_close(f, c, ok ? EXIT_ANSWERED : EXIT_BAD);
}
