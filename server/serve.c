/*
 * serve.c — `corridor serve`: reads its options, loads the network, the named scenarios
 * and the token once, then runs the HTTP server (http.c) until SIGINT or SIGTERM.
 *
 * Everything a request may use is loaded before the first request and never changes
 * after, so the worker threads share it without locks (the graph cache and the GeoJSON of
 * /v1/network have their own).
 */
#define _GNU_SOURCE
#include "server.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef COR_DATA_DIR
#define COR_DATA_DIR "data"
#endif
#ifndef COR_WEB_DIR
#define COR_WEB_DIR "web/dist"
#endif

static const char usage[] =
    "Usage: corridor serve [--network FILE] [--port 8080] [--bind 127.0.0.1] [options]\n"
    "\n"
    "The HTTP API (JSON under /v1/) and the web map (at /). Every analysing endpoint takes\n"
    "the options of its subcommand, by the same names, and answers what --json prints:\n"
    "  /v1/route /v1/matrix /v1/compare /v1/flow /v1/assign /v1/energy\n"
    "  /v1/stress /v1/restore                                      (GET or POST)\n"
    "  /v1/nearest?lon=&lat=                                       (GET)\n"
    "Analyses wait in a queue for a worker thread; these answer at once, never behind them:\n"
    "  /v1/health /v1/info /v1/network?layer= /v1/nodes?q= /v1/scenarios, the page   (GET)\n"
    "See docs/API.md.\n"
    "\n"
    "  --network FILE, --format FMT   the network (default: the embedded model)\n"
    "  --port N             TCP port (default 8080; 0 picks a free one)\n"
    "  --bind ADDR          IP address to listen on (default 127.0.0.1: this machine only)\n"
    "  --threads N          worker threads running analyses (default: one per core)\n"
    "  --queue N            analyses waiting for a worker; more get 503 (default 64)\n"
    "  --token-file F       require 'Authorization: Bearer <the file's token>' on /v1/\n"
    "                       (all but /v1/health)\n"
    "  --web DIR            the page's folder (default: the source tree's web/dist)\n"
    "  --scenarios DIR      named scenarios, one JSON file each (default: data/scenarios,\n"
    "                       where one that does not fit the network is skipped with a note;\n"
    "                       in a folder given here, such a scenario stops the start)\n"
    "  --max-body BYTES     largest request body; larger get 413 (default 1048576)\n"
    "  --max-connections N  requests in flight at once; more get 503 (default 64)\n"
    "  --max-clients N      connections open at once; more are refused (default 512)\n"
    "  --per-client N       connections open at once from one IP address (default 64)\n"
    "  --idle-timeout S     a connection silent this long is closed (default 10)\n"
    "  --deadline-ms MS     an analysis not answered this long after its request came in\n"
    "                       gets 503, queued or running (default 10000)\n"
    "  --cache-graphs N     compiled graphs kept for reuse (default 16)\n"
    "\n"
    "Prints 'corridor: listening on http://HOST:PORT/' on standard error once ready.\n"
    "SIGINT or SIGTERM stop it within 2 s: no new connections, running analyses cancelled,\n"
    "waiting ones answered 503. Exit status: 0 stopped, 2 bad usage or input.\n"
    "\n"
    "Example:\n"
    "  corridor serve --port 8080\n"
    "  curl 'localhost:8080/v1/route?from=CN-XIAN&to=DE-DUISBURG&optimize=time'\n";

enum {
    OPT_PORT = 5000,
    OPT_BIND,
    OPT_THREADS,
    OPT_TOKEN_FILE,
    OPT_WEB,
    OPT_MAX_BODY,
    OPT_MAX_CONN,
    OPT_DEADLINE,
    OPT_SCENARIOS,
    OPT_CACHE,
    OPT_QUEUE,
    OPT_MAX_CLIENTS,
    OPT_PER_CLIENT,
    OPT_IDLE_TIMEOUT
};

/* A whole number option within [lo, hi]. */
static int number(const char *arg, const char *flag, long lo, long hi, long *out)
{
    if (!cor_parse_long(arg, out) || *out < lo || *out > hi)
        return cli_usage_error("serve", "--%s needs a whole number from %ld to %ld, got '%s'", flag,
                               lo, hi, arg);
    return 0;
}

static int serve_option(int opt, const char *arg, void *ctx)
{
    srv_config *c = ctx;
    switch (opt) {
    case OPT_PORT: return number(arg, "port", 0, 65535, &c->port);
    case OPT_BIND: c->bind = arg; return 0;
    case OPT_THREADS: return number(arg, "threads", 1, 256, &c->threads);
    case OPT_TOKEN_FILE: c->token_file = arg; return 0;
    case OPT_WEB: c->web_dir = arg; return 0;
    case OPT_MAX_BODY: return number(arg, "max-body", 1, 1L << 30, &c->max_body);
    case OPT_MAX_CONN: return number(arg, "max-connections", 1, 100000, &c->max_connections);
    case OPT_DEADLINE: return number(arg, "deadline-ms", 1, 86400000, &c->deadline_ms);
    case OPT_SCENARIOS: c->scenarios_dir = arg, c->scenarios_dir_given = true; return 0;
    case OPT_CACHE: return number(arg, "cache-graphs", 1, 4096, &c->cache_graphs);
    case OPT_QUEUE: return number(arg, "queue", 1, 100000, &c->queue_depth);
    case OPT_MAX_CLIENTS: return number(arg, "max-clients", 1, 100000, &c->max_clients);
    case OPT_PER_CLIENT: return number(arg, "per-client", 1, 100000, &c->per_client);
    case OPT_IDLE_TIMEOUT: return number(arg, "idle-timeout", 1, 3600, &c->idle_timeout);
    default: return 1;
    }
}

/* The token: the file's first line without surrounding white space. */
static bool read_token(srv *s)
{
    FILE *f = fopen(s->cfg.token_file, "r");
    if (!f) {
        cli_fail("serve", COR_ERR_IO, NULL, "%s: cannot read the token: %s", s->cfg.token_file,
                 strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    char *t = line;
    while (n > 0 && t && (*t == ' ' || *t == '\t')) t++, n--;
    while (n > 0 && strchr(" \t\r\n", t[n - 1])) t[--n] = '\0';
    if (n <= 0) {
        free(line);
        cli_fail("serve", COR_ERR_INPUT, NULL, "%s: the token file is empty", s->cfg.token_file);
        return false;
    }
    s->token = strdup(t);
    s->token_len = (size_t)n;
    free(line);
    return s->token != NULL;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const srv_scenario *)a)->id, ((const srv_scenario *)b)->id);
}

/* One scenario file: checked against the network and described by its own name and
 * description. A scenario of the default folder that does not fit the network (written
 * for the embedded model, served another one) is skipped with a one-line note; one of a
 * folder the user named fails the start with its problems. */
static bool load_scenario(srv *s, const char *dir, const char *file)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    srv_scenario *sc = &s->scenarios[s->n_scenarios];
    memset(sc, 0, sizeof *sc);
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_scenario_load(&sc->scenario, path, s->net, &err);
    bool skip = (st == COR_ERR_INPUT || st == COR_ERR_NOT_FOUND) && !s->cfg.scenarios_dir_given &&
                err.count;
    if (skip)
        fprintf(stderr, "corridor serve: skipped the default scenario %s (%s%s%s)\n", file,
                err.problems[0].field[0] ? err.problems[0].field : "",
                err.problems[0].field[0] ? ": " : "", err.problems[0].message);
    else if (st != COR_OK) cli_print_problems(&err);
    cor_error_clear(&err);
    if (skip) return true;
    bool ok = st == COR_OK;
    json_t *doc = ok ? json_load_file(path, 0, NULL) : NULL;
    const char *name = json_string_value(json_object_get(doc, "name"));
    const char *desc = json_string_value(json_object_get(doc, "description"));
    sc->id = strndup(file, strlen(file) - 5);
    sc->name = strdup(name ? name : sc->id ? sc->id : "");
    sc->description = desc ? strdup(desc) : NULL;
    if (sc->id && asprintf(&sc->key, "name:%s", sc->id) < 0) sc->key = NULL;
    json_decref(doc);
    s->n_scenarios++;
    return ok && sc->id && sc->name && sc->key;
}

static bool load_scenarios(srv *s)
{
    const char *dir = s->cfg.scenarios_dir;
    DIR *d = opendir(dir);
    if (!d) {
        if (!s->cfg.scenarios_dir_given) return true; /* no folder: no named scenarios */
        cli_fail("serve", COR_ERR_IO, "scenarios", "--scenarios %s: %s", dir, strerror(errno));
        return false;
    }
    size_t cap = 8;
    s->scenarios = calloc(cap, sizeof *s->scenarios);
    bool ok = s->scenarios != NULL;
    for (struct dirent *e; ok && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0) continue;
        if (s->n_scenarios == cap) {
            srv_scenario *more = realloc(s->scenarios, 2 * cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            s->scenarios = more, cap *= 2;
        }
        ok = load_scenario(s, dir, e->d_name);
    }
    closedir(d);
    if (ok) qsort(s->scenarios, s->n_scenarios, sizeof *s->scenarios, by_id);
    return ok;
}

/* The page's folder; when it does not exist the API still serves and / says the page is
 * not built (the page is built separately, with npm). */
static bool find_web(srv *s)
{
    char real[PATH_MAX];
    struct stat st;
    if (realpath(s->cfg.web_dir, real) && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
        return (s->web_real = strdup(real)) != NULL;
    fprintf(stderr, "corridor serve: %s is not a folder: the API works, the page at / is not built\n",
            s->cfg.web_dir);
    return true;
}

static void srv_free(srv *s)
{
    for (size_t i = 0; i < s->n_scenarios; i++) {
        cor_scenario_free(s->scenarios[i].scenario);
        free(s->scenarios[i].id);
        free(s->scenarios[i].key);
        free(s->scenarios[i].name);
        free(s->scenarios[i].description);
    }
    for (size_t k = 0; s->geojson && k <= s->n_scenarios; k++)
        for (size_t i = 0; i < sizeof *s->geojson / sizeof **s->geojson; i++) free(s->geojson[k][i]);
    free(s->geojson);
    free(s->geojson_len);
    free(s->scenarios);
    pthread_mutex_destroy(&s->geojson_lock);
    srv_cache_free(s->cache);
    json_decref(s->info);
    free(s->token);
    free(s->web_real);
    cor_network_free(s->net);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option longs[] = {
        {"network", required_argument, 0, OPT_NETWORK},
        {"format", required_argument, 0, OPT_FORMAT},
        {"help", no_argument, 0, OPT_HELP},
        {"port", required_argument, 0, OPT_PORT},
        {"bind", required_argument, 0, OPT_BIND},
        {"threads", required_argument, 0, OPT_THREADS},
        {"token-file", required_argument, 0, OPT_TOKEN_FILE},
        {"web", required_argument, 0, OPT_WEB},
        {"max-body", required_argument, 0, OPT_MAX_BODY},
        {"max-connections", required_argument, 0, OPT_MAX_CONN},
        {"deadline-ms", required_argument, 0, OPT_DEADLINE},
        {"scenarios", required_argument, 0, OPT_SCENARIOS},
        {"cache-graphs", required_argument, 0, OPT_CACHE},
        {"queue", required_argument, 0, OPT_QUEUE},
        {"max-clients", required_argument, 0, OPT_MAX_CLIENTS},
        {"per-client", required_argument, 0, OPT_PER_CLIENT},
        {"idle-timeout", required_argument, 0, OPT_IDLE_TIMEOUT},
        {0, 0, 0, 0}};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    srv s = {.cfg = {.bind = "127.0.0.1",
                     .port = 8080,
                     .threads = cores < 1 ? 1 : cores > 64 ? 64 : cores,
                     .web_dir = COR_WEB_DIR,
                     .max_body = 1L << 20,
                     .max_connections = 64,
                     .queue_depth = 64,
                     .max_clients = 512,
                     .per_client = 64,
                     .idle_timeout = 10,
                     .deadline_ms = 10000,
                     .scenarios_dir = COR_DATA_DIR "/scenarios",
                     .cache_graphs = 16}};
    common_opts c = {0};
    pthread_mutex_init(&s.geojson_lock, NULL);
    int rc = cli_parse_options(argc, argv, "serve", usage, longs, &c, NULL, serve_option, &s.cfg);
    if (rc == 0 && optind < argc) rc = cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    if (rc != 0) {
        srv_free(&s);
        return rc < 0 ? EXIT_ANSWERED : rc;
    }
    rc = EXIT_BAD;
    if (!(s.net = cli_load(&c)) || !load_scenarios(&s) || (s.cfg.token_file && !read_token(&s)) ||
        !find_web(&s))
        goto done;
    s.geojson = calloc(s.n_scenarios + 1, sizeof *s.geojson);
    s.geojson_len = calloc(s.n_scenarios + 1, sizeof *s.geojson_len);
    if (!s.geojson || !s.geojson_len) {
        cli_fail("serve", COR_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    if (!(s.info = srv_info_build(&s))) {
        cli_fail("serve", COR_ERR_INPUT, NULL,
                 "cannot describe the network for /v1/info: out of memory, or a name or id "
                 "that is not UTF-8");
        goto done;
    }
    if (!(s.cache = srv_cache_new(s.net, (size_t)s.cfg.cache_graphs))) goto done;
    s.started = srv_now();
    rc = srv_run(&s);
done:
    srv_free(&s);
    return rc;
}
