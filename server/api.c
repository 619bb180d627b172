/*
 * api.c — the /v1/ endpoints.
 *
 * The analysing endpoints (route, matrix, compare, flow, assign, energy) run a CLI
 * subcommand's shared code (cli_command): each parameter goes through the same option
 * handler as its `--name` on the command line, the same checks follow, and the answer is
 * the document `--json` prints. Only three things are the server's own: the parameter
 * table leaves out files and output formats (a client never names a file on the server),
 * `scenario` names a scenario of the server's folder or is given inline, and route
 * queries come from the shared graph cache. The other endpoints describe what is loaded:
 * health, info (info.c), network (GeoJSON), nodes (search) and scenarios.
 */
#define _GNU_SOURCE
#include "output.h"
#include "server.h"

#include <getopt.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    const char *allow;
    const cli_command *cmd;
} endpoints[] = {{"health", "GET", NULL},
                 {"info", "GET", NULL},
                 {"network", "GET", NULL},
                 {"nodes", "GET", NULL},
                 {"scenarios", "GET", NULL},
                 {"route", "GET, POST", &cli_route_command},
                 {"matrix", "GET, POST", &cli_matrix_command},
                 {"compare", "GET, POST", &cli_compare_command},
                 {"flow", "GET, POST", &cli_flow_command},
                 {"assign", "GET, POST", &cli_assign_command},
                 {"energy", "GET, POST", &cli_energy_command},
                 {"stress", "GET, POST", &cli_stress_command},
                 {"restore", "GET, POST", &cli_restore_command},
                 {"nearest", "GET", &cli_nearest_command}};
enum { N_ENDPOINTS = sizeof endpoints / sizeof *endpoints };

static long endpoint(const char *name)
{
    for (size_t i = 0; i < N_ENDPOINTS; i++)
        if (strcmp(endpoints[i].name, name) == 0) return (long)i;
    return -1;
}

const char *srv_api_allow(const char *name)
{
    long e = endpoint(name);
    return e < 0 ? NULL : endpoints[e].allow;
}

bool srv_api_queued(const char *name)
{
    long e = endpoint(name);
    return e >= 0 && endpoints[e].cmd != NULL;
}

/* ---------------------------------------------------------------- errors from the shared code */

static unsigned status_for(cor_status kind)
{
    switch (kind) {
    case COR_ERR_USAGE:
    case COR_ERR_INPUT: return MHD_HTTP_BAD_REQUEST;
    case COR_ERR_NOT_FOUND: return MHD_HTTP_NOT_FOUND;
    case COR_ERR_NO_ROUTE: return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case COR_ERR_CANCELLED:
    case COR_ERR_NOMEM: return MHD_HTTP_SERVICE_UNAVAILABLE;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static void from_sink(srv_reply *reply, const cli_sink *sink, const char *field)
{
    if (!sink->set) {
        srv_error(reply, MHD_HTTP_INTERNAL_SERVER_ERROR, field, "the request failed without a message");
        return;
    }
    srv_error(reply, status_for(sink->kind), sink->field[0] ? sink->field : field, "%s",
              sink->message);
}

/* ---------------------------------------------------------------- parameters */

static const struct option *find_param(const struct option *table, const char *name)
{
    for (; table->name; table++)
        if (strcmp(table->name, name) == 0) return table;
    return NULL;
}

static void unknown_param(srv_reply *reply, const char *endpoint_name,
                          const struct option *table, const char *name)
{
    char list[1024];
    size_t used = 0;
    list[0] = '\0';
    for (const struct option *o = table; o && o->name && used < sizeof list; o++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", o->name);
    srv_error(reply, MHD_HTTP_BAD_REQUEST, name, "unknown parameter '%s' for /v1/%s%s%s%s", name,
              endpoint_name, used ? " (it takes " : " (it takes none", list, ")");
}

static bool parse_bool(const char *v, bool *on)
{
    if (!*v || strcmp(v, "true") == 0 || strcmp(v, "1") == 0) return *on = true;
    if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) return !(*on = false);
    return false;
}

/* Only these parameters (NULL-terminated); false (reply filled) on any other. */
static bool only(const char *name, const srv_param *params, size_t n, const struct option *table,
                 srv_reply *reply)
{
    for (size_t i = 0; i < n; i++)
        if (!find_param(table, params[i].name)) {
            unknown_param(reply, name, table, params[i].name);
            return false;
        }
    return true;
}

/* ---------------------------------------------------------------- scenarios */

/* scenario=NAME (a file of the scenarios folder), "" for none, or an inline object. */
static bool set_scenario(srv *s, profile_opts *p, const srv_param *pm, char **inline_key,
                         srv_reply *reply)
{
    cor_scenario_free(p->scenario);
    p->scenario = NULL;
    p->profile.scenario = NULL;
    p->scenario_key = NULL;
    if (pm->object) {
        char *text = json_dumps(pm->object, JSON_COMPACT | JSON_SORT_KEYS);
        cor_error err;
        cor_error_init(&err);
        bool ok = text && cor_scenario_parse(&p->scenario, text, strlen(text), "scenario", s->net,
                                             &err) == COR_OK;
        if (!ok && err.count) {
            const cor_problem *pr = &err.problems[0];
            char field[96];
            snprintf(field, sizeof field, "scenario%s%s", pr->field[0] ? "." : "", pr->field);
            srv_error(reply, pr->status == COR_ERR_NOT_FOUND ? MHD_HTTP_NOT_FOUND : MHD_HTTP_BAD_REQUEST,
                      field, "the scenario: %s", pr->message);
        } else if (!ok)
            srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "scenario", "out of memory");
        else if (asprintf(inline_key, "inline:%s", text) < 0) {
            *inline_key = NULL;
            ok = false;
            srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, "scenario", "out of memory");
        }
        free(text);
        cor_error_clear(&err);
        if (ok) p->profile.scenario = p->scenario, p->scenario_key = *inline_key;
        return ok;
    }
    if (!*pm->value) return true;
    for (size_t i = 0; i < s->n_scenarios; i++)
        if (strcmp(s->scenarios[i].id, pm->value) == 0) {
            p->profile.scenario = s->scenarios[i].scenario;
            p->scenario_key = s->scenarios[i].key;
            return true;
        }
    char names[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < s->n_scenarios && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 s->scenarios[i].id);
    srv_error(reply, MHD_HTTP_NOT_FOUND, "scenario", "no scenario named '%s' (this server has: %s)",
              pm->value, s->n_scenarios ? names : "none");
    return false;
}

/* ---------------------------------------------------------------- analyses */

/* Route queries from the shared cache, and the request's deadline. */
typedef struct srv_env {
    cli_env env;
    srv *s;
    srv_entry *held;
    double deadline;
} srv_env;

static cor_route_query *env_acquire(cli_env *e, const profile_opts *p)
{
    srv_env *x = e->ctx;
    char *key = srv_profile_key(p);
    cor_error err;
    cor_error_init(&err);
    cor_route_query *q = key ? srv_cache_acquire(x->s->cache, key, &p->profile, &x->held, &err) : NULL;
    if (!key) cli_fail(NULL, COR_ERR_NOMEM, NULL, "out of memory");
    else if (!q) cli_print_problems(&err);
    cor_error_clear(&err);
    free(key);
    return q;
}

static void env_release(cli_env *e, cor_route_query *q)
{
    srv_env *x = e->ctx;
    srv_cache_release(x->s->cache, x->held, q);
    x->held = NULL;
}

static const cor_locator *env_locator(cli_env *e, cor_route_query *q)
{
    (void)q; /* the query of the entry held */
    srv_env *x = e->ctx;
    cor_error err;
    cor_error_init(&err);
    const cor_locator *loc = srv_cache_locator(x->s->cache, x->held, &err);
    if (!loc) cli_print_problems(&err);
    cor_error_clear(&err);
    return loc;
}

/* Past the request's deadline, or the server is stopping: running analyses stop through
 * the library's progress hook (cli_env_progress). */
static bool env_expired(cli_env *e)
{
    srv_env *x = e->ctx;
    return srv_now() > x->deadline || atomic_load(&x->s->stopping);
}

/* Applies every parameter to the command's options; false (reply filled) on a bad one. */
static bool apply_params(srv *s, const cli_command *cmd, void *o, const srv_param *params,
                         size_t n, char **inline_key, const cli_sink *sink, srv_reply *reply)
{
    common_opts *c = (common_opts *)((char *)o + cmd->common_at);
    profile_opts *p = cmd->profile_at >= 0 ? (profile_opts *)((char *)o + cmd->profile_at) : NULL;
    for (size_t i = 0; i < n; i++) {
        const srv_param *pm = &params[i];
        const struct option *opt = find_param(cmd->params, pm->name);
        if (!opt) {
            unknown_param(reply, cmd->name, cmd->params, pm->name);
            return false;
        }
        if (opt->val == OPT_SCENARIO && p) {
            if (!set_scenario(s, p, pm, inline_key, reply)) return false;
            continue;
        }
        if (pm->object) {
            srv_error(reply, MHD_HTTP_BAD_REQUEST, pm->name, "'%s' cannot be an object", pm->name);
            return false;
        }
        bool on = true;
        if (opt->has_arg == no_argument && !parse_bool(pm->value, &on)) {
            srv_error(reply, MHD_HTTP_BAD_REQUEST, pm->name, "'%s' takes true or false, got '%s'",
                      pm->name, pm->value);
            return false;
        }
        if (opt->has_arg != no_argument && !*pm->value) {
            srv_error(reply, MHD_HTTP_BAD_REQUEST, pm->name, "'%s' needs a value", pm->name);
            return false;
        }
        if (!on) continue;
        if (cli_apply_option(cmd->name, c, p, cmd->option, o, opt->val,
                             opt->has_arg == no_argument ? NULL : pm->value) != 0) {
            from_sink(reply, sink, pm->name);
            return false;
        }
    }
    return true;
}

static void run_command(srv *s, const cli_command *cmd, const srv_param *params, size_t n,
                        double start, srv_reply *reply)
{
    void *o = calloc(1, cmd->size);
    if (!o) {
        srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return;
    }
    cmd->init(o);
    cli_sink sink = {0};
    cli_sink_install(&sink);
    char *inline_key = NULL;
    if (apply_params(s, cmd, o, params, n, &inline_key, &sink, reply)) {
        if (cmd->check(o) != 0) from_sink(reply, &sink, NULL);
        else {
            /* under a scenario that changes figures or adds links, its own network */
            profile_opts *p = cmd->profile_at >= 0 ? (profile_opts *)((char *)o + cmd->profile_at) : NULL;
            const cor_network *net = p && p->scenario ? cor_scenario_network(p->scenario) : s->net;
            srv_env x = {{net, env_acquire, env_release, env_expired, NULL, env_locator}, s, NULL,
                         start + (double)s->cfg.deadline_ms / 1000.0};
            x.env.ctx = &x;
            json_t *doc = NULL;
            if (!cli_env_expired(&x.env, cmd->name)) cmd->answer(o, &x.env, &doc);
            if (doc) {
                reply->status = MHD_HTTP_OK;
                reply->doc = doc;
            } else
                from_sink(reply, &sink, NULL);
        }
    }
    cli_sink_install(NULL);
    cmd->clear(o);
    free(o);
    free(inline_key);
}

/* ---------------------------------------------------------------- what is loaded */

static void health(srv *s, srv_reply *reply)
{
    size_t graphs, compiled, hits, waiting = 0, running = 0, depth = 0;
    srv_cache_stats(s->cache, &graphs, &compiled, &hits);
    if (s->queue) srv_queue_stats(s->queue, &waiting, &running, &depth);
    reply->status = MHD_HTTP_OK;
    reply->doc = json_pack(
        "{s:s, s:s, s:{s:s, s:I, s:I, s:I}, s:I, s:I, s:f, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}",
        "status", "ok",
        "version", COR_VERSION, "network", "file", cor_network_source_file(s->net), "nodes",
        (json_int_t)cor_network_node_count(s->net), "links",
        (json_int_t)cor_network_link_count(s->net), "corridors",
        (json_int_t)cor_network_corridor_count(s->net), "in_flight",
        (json_int_t)atomic_load(&s->in_flight), "max_connections",
        (json_int_t)s->cfg.max_connections, "uptime_s", srv_now() - s->started, "graphs",
        "cached", (json_int_t)graphs, "compiled", (json_int_t)compiled, "hits", (json_int_t)hits,
        "queue", "waiting", (json_int_t)waiting, "running", (json_int_t)running, "depth",
        (json_int_t)depth, "workers", (json_int_t)s->cfg.threads);
}

static void network(srv *s, const srv_param *params, size_t n, srv_reply *reply)
{
    unsigned mask = 0;
    size_t which = 0; /* 0: as loaded, i + 1: under scenarios[i] */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].name, "scenario") == 0) {
            const char *id = params[i].value ? params[i].value : "";
            for (which = 0; *id && which < s->n_scenarios; which++)
                if (strcmp(s->scenarios[which].id, id) == 0) break;
            if (*id && which == s->n_scenarios) {
                srv_error(reply, MHD_HTTP_NOT_FOUND, "scenario", "no scenario named '%s'", id);
                return;
            }
            which = *id ? which + 1 : 0;
            continue;
        }
        char *copy = NULL;
        size_t k = 0;
        const char **names = cli_split(params[i].value, &copy, &k);
        for (size_t j = 0; names && j < k; j++) {
            cor_layer l;
            if (!cor_layer_parse(names[j], &l)) {
                srv_error(reply, MHD_HTTP_BAD_REQUEST, "layer",
                          "unknown layer '%s' (use transport, gas, oil, data)", names[j]);
                free(names);
                free(copy);
                return;
            }
            mask |= 1u << l;
        }
        free(names);
        free(copy);
    }
    if (!mask) mask = (1u << COR_LAYER_COUNT) - 1;
    const cor_scenario *sc = which ? s->scenarios[which - 1].scenario : NULL;
    pthread_mutex_lock(&s->geojson_lock);
    if (!s->geojson[which][mask]) {
        json_t *doc = network_to_geojson(sc ? cor_scenario_network(sc) : s->net, mask, sc);
        s->geojson[which][mask] = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12));
        s->geojson_len[which][mask] = s->geojson[which][mask] ? strlen(s->geojson[which][mask]) : 0;
        json_decref(doc);
    }
    reply->text = s->geojson[which][mask];
    reply->text_len = s->geojson_len[which][mask];
    pthread_mutex_unlock(&s->geojson_lock);
    if (reply->text) reply->status = MHD_HTTP_OK;
    else srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
}

/* How well a node matches a search, lower is better; -1 when it does not. */
static int match_rank(const cor_node *node, const char *q)
{
    size_t ql = strlen(q);
    const char *name = node->name ? node->name : "";
    if (ql == 0) return 6;
    if (strcasecmp(node->id, q) == 0) return 0;
    if (strncasecmp(node->id, q, ql) == 0) return 1;
    if (strncasecmp(name, q, ql) == 0) return 2;
    for (const char *p = name; (p = strcasestr(p, q)) != NULL; p++)
        if (p > name && (p[-1] == ' ' || p[-1] == '-' || p[-1] == '(')) return 3;
    if (strcasestr(node->id, q)) return 4;
    if (strcasestr(name, q)) return 5;
    return -1;
}

typedef struct hit {
    int rank;
    const cor_node *node;
} hit;

static int by_rank(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->rank != y->rank) return x->rank - y->rank;
    return strcasecmp(x->node->name ? x->node->name : x->node->id,
                      y->node->name ? y->node->name : y->node->id);
}

static void nodes(srv *s, const srv_param *params, size_t n, srv_reply *reply)
{
    const char *q = "";
    long limit = 20;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].name, "q") == 0) q = params[i].value;
        else if (!cor_parse_long(params[i].value, &limit) || limit < 1 || limit > 1000) {
            srv_error(reply, MHD_HTTP_BAD_REQUEST, "limit",
                      "'limit' needs a whole number from 1 to 1000, got '%s'", params[i].value);
            return;
        }
    }
    size_t nn = cor_network_node_count(s->net), found = 0;
    hit *hits = malloc((nn + 1) * sizeof *hits);
    if (!hits) {
        srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
        return;
    }
    for (uint32_t v = 0; v < nn; v++) {
        const cor_node *node = cor_network_node(s->net, v);
        int r = match_rank(node, q);
        if (r >= 0) hits[found++] = (hit){r, node};
    }
    qsort(hits, found, sizeof *hits, by_rank);
    json_t *list = json_array();
    for (size_t i = 0; i < found && i < (size_t)limit; i++) {
        const cor_node *node = hits[i].node;
        json_array_append_new(
            list, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", node->id, "name",
                            node->name ? json_string(node->name) : json_null(), "country",
                            node->country ? json_string(node->country) : json_null(), "kind",
                            node->kind ? json_string(node->kind) : json_null(), "lon",
                            json_num(node->lon), "lat", json_num(node->lat)));
    }
    free(hits);
    reply->status = MHD_HTTP_OK;
    reply->doc = json_pack("{s:o, s:I}", "nodes", list, "matches", (json_int_t)found);
}

static void scenarios(srv *s, srv_reply *reply)
{
    json_t *list = json_array();
    for (size_t i = 0; i < s->n_scenarios; i++) {
        const srv_scenario *sc = &s->scenarios[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "id", sc->id, "name", sc->name,
                                              "description", sc->description
                                                                 ? json_string(sc->description)
                                                                 : json_null()));
    }
    reply->status = MHD_HTTP_OK;
    reply->doc = json_pack("{s:o}", "scenarios", list);
}

bool srv_api(srv *s, const char *name, bool post, const srv_param *params, size_t n_params,
             double start, srv_reply *reply, bool *method_ok)
{
    static const struct option no_params[] = {{0, 0, 0, 0}};
    static const struct option layer_param[] = {{"layer", required_argument, 0, 0},
                                                {"scenario", required_argument, 0, 0},
                                                {0, 0, 0, 0}};
    static const struct option node_params[] = {{"q", required_argument, 0, 0},
                                                {"limit", required_argument, 0, 0},
                                                {0, 0, 0, 0}};
    long e = endpoint(name);
    if (e < 0) return false;
    *method_ok = !post || strstr(endpoints[e].allow, "POST");
    if (!*method_ok) return true;
    if (endpoints[e].cmd) run_command(s, endpoints[e].cmd, params, n_params, start, reply);
    else if (strcmp(name, "health") == 0) {
        if (only(name, params, n_params, no_params, reply)) health(s, reply);
    } else if (strcmp(name, "info") == 0) {
        if (only(name, params, n_params, no_params, reply) &&
            (reply->doc = json_deep_copy(s->info)) != NULL)
            reply->status = MHD_HTTP_OK;
        else if (!reply->doc) srv_error(reply, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, "out of memory");
    } else if (strcmp(name, "network") == 0) {
        if (only(name, params, n_params, layer_param, reply)) network(s, params, n_params, reply);
    } else if (strcmp(name, "nodes") == 0) {
        if (only(name, params, n_params, node_params, reply)) nodes(s, params, n_params, reply);
    } else if (only(name, params, n_params, no_params, reply))
        scenarios(s, reply);
    return true;
}
