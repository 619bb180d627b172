/*
 * server.h — `corridor serve`: the HTTP API over the library, and the web page.
 *
 * The server is a thin layer like the CLI: every analysing endpoint fills the options of a
 * CLI subcommand from the request (cli_command, cli/cli.h) and answers with the document
 * `--json` prints, so the two cannot drift. What is the server's own: the HTTP side
 * (http.c: limits, token, errors, static files), the endpoints that describe the loaded
 * network (api.c) and a cache of compiled graphs shared by the worker threads (cache.c).
 */
#ifndef COR_SERVER_H
#define COR_SERVER_H

#include "cli.h"

#include <pthread.h>
#include <stdatomic.h>

/* ---------------------------------------------------------------- graph cache */

/* Compiled graphs by profile key, shared read-only by every thread, at most `cap` of them
 * (least recently used out first; a graph in use is freed when its last user is done).
 * Each graph keeps a pool of route queries so that a request reuses one instead of sizing
 * new arrays. */
typedef struct srv_cache srv_cache;
typedef struct srv_entry srv_entry;

srv_cache *srv_cache_new(const cor_network *net, size_t cap);
void srv_cache_free(srv_cache *c);
/* A query on the graph for the profile, compiling it when no graph has this key;
 * *held receives what srv_cache_release needs. NULL on failure (problems in err). */
cor_route_query *srv_cache_acquire(srv_cache *c, const char *key, const cor_profile *p,
                                   srv_entry **held, cor_error *err);
void srv_cache_release(srv_cache *c, srv_entry *held, cor_route_query *q);
/* The spatial index of a held entry's graph, built on first use and kept with it (valid
 * while the entry is held). NULL on failure (problems in err). */
const cor_locator *srv_cache_locator(srv_cache *c, srv_entry *held, cor_error *err);
/* Graphs held and compiled so far (for /v1/health). */
void srv_cache_stats(srv_cache *c, size_t *graphs, size_t *compiled, size_t *hits);
/* The cache key of a profile: objective, weights, filters and scenario. malloc'd. */
char *srv_profile_key(const profile_opts *p);

/* ---------------------------------------------------------------- the server */

typedef struct srv_config {
    const char *bind;
    long port;
    long threads;
    const char *token_file;
    const char *web_dir;
    long max_body;
    long max_connections;
    long deadline_ms;
    const char *scenarios_dir;
    bool scenarios_dir_given;
    long cache_graphs;
} srv_config;

/* A named scenario of the scenarios folder, loaded once at start. */
typedef struct srv_scenario {
    char *id;   /* the file's stem */
    char *key;  /* "name:<id>", its part of a cache key */
    char *name, *description;
    cor_scenario *scenario;
} srv_scenario;

typedef struct srv {
    srv_config cfg;
    cor_network *net;
    srv_scenario *scenarios;
    size_t n_scenarios;
    json_t *info; /* the /v1/info document (info.c), built at start */
    char *token; /* NULL: no token needed */
    size_t token_len;
    char *web_real; /* realpath of the web folder; NULL when it does not exist */
    srv_cache *cache;
    atomic_long in_flight;
    double started;
    pthread_mutex_t geojson_lock;
    /* /v1/network by scenario (0: none, i + 1: scenarios[i]) and layer set, made on first use */
    char *(*geojson)[1u << COR_LAYER_COUNT];
    size_t (*geojson_len)[1u << COR_LAYER_COUNT];
} srv;

/* A request's parameters as text, from the query string or the JSON body. */
typedef struct srv_param {
    char *name, *value;
    json_t *object; /* an inline scenario (POST), else NULL */
} srv_param;

/* An answer: a status and a JSON document (or a ready text). */
typedef struct srv_reply {
    unsigned status;
    json_t *doc;
    const char *text; /* persistent text instead of doc (cached GeoJSON) */
    size_t text_len;
} srv_reply;

/* Fills reply with {"error": {"code", "message", "field"}}. */
void srv_error(srv_reply *reply, unsigned status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The /v1/ endpoints (api.c). Returns false when `name` is no endpoint. method_ok is set
 * to false (and nothing answered) when the endpoint does not take the method. */
bool srv_api(srv *s, const char *name, bool post, const srv_param *params, size_t n_params,
             double start, srv_reply *reply, bool *method_ok);
/* Methods an endpoint takes, for the Allow header; NULL when no such endpoint. */
const char *srv_api_allow(const char *name);

/* The /v1/info document of the loaded network and scenarios (info.c). NULL when out of
 * memory. */
json_t *srv_info_build(const srv *s);

double srv_now(void);

/* Runs the server until SIGINT or SIGTERM (http.c). An exit code. */
int srv_run(srv *s);

#endif
