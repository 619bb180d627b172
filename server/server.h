/*
 * server.h — `corridor serve`: the HTTP API over the library, and the web page.
 *
 * The server is a thin layer like the CLI: every analysing endpoint fills the options of a
 * CLI subcommand from the request (cli_command, cli/cli.h) and answers with the document
 * `--json` prints, so the two cannot drift. What is the server's own: the HTTP side
 * (http.c: limits, token, errors, static files), the endpoints that describe the loaded
 * network (api.c), a cache of compiled graphs shared by the worker threads (cache.c) and
 * the work queue those workers take analyses from (queue.c).
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

/* ---------------------------------------------------------------- the work queue */

/* Analyses run on the queue's workers, never on libmicrohttpd's poll threads (queue.c). */
typedef struct srv_job srv_job;
typedef struct srv_queue srv_queue;

/* `workers` threads taking jobs from a ring of `depth` places; each job is given to
 * run(job, stopping), where stopping says the server is stopping and the job should be
 * answered without running. NULL when no thread could be started. */
srv_queue *srv_queue_new(size_t workers, size_t depth, void (*run)(srv_job *job, bool stopping));
/* A place for one job: false when the ring is full or the queue is stopping. A place
 * reserved must be filled by srv_queue_push (reserving first lets the caller suspend the
 * job's connection before any worker can answer it). */
bool srv_queue_reserve(srv_queue *q);
void srv_queue_push(srv_queue *q, srv_job *job);
void srv_queue_stats(srv_queue *q, size_t *waiting, size_t *running, size_t *depth);
/* Stops taking jobs, hands every waiting one to run(job, true) and waits until `until`
 * (srv_now's clock) for the workers to leave; true (workers joined) when they all did. */
bool srv_queue_stop(srv_queue *q, double until);
/* After srv_queue_stop returned true. */
void srv_queue_free(srv_queue *q);

/* ---------------------------------------------------------------- the server */

/* Parameters a request may have (query and body together); more get 400. */
#define SRV_MAX_PARAMS 64
/* Bytes of a body past --max-body dropped after its 413, before the connection closes. */
#define SRV_LINGER_BYTES (8u << 20)
/* Seconds from SIGTERM or SIGINT to the exit, at most (docs/API.md). */
#define SRV_DRAIN_S 2.0
/* libmicrohttpd's poll threads: they read requests, answer the cheap endpoints and write
 * every answer; analyses are the workers'. */
#define SRV_POLL_THREADS 2
/* The memory libmicrohttpd gives one connection for its request line, headers and
 * buffers; headers past it get 431. */
#define SRV_CONNECTION_MEMORY (32u * 1024u)

typedef struct srv_config {
    const char *bind;
    long port;
    long threads;
    const char *token_file;
    const char *web_dir;
    long max_body;
    long max_connections;
    long queue_depth;  /* --queue: analyses waiting for a worker */
    long max_clients;  /* --max-clients: connections open at once */
    long per_client;   /* --per-client: connections open at once from one IP address */
    long idle_timeout; /* --idle-timeout: seconds a connection may stay silent */
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
    srv_queue *queue;
    atomic_bool stopping; /* SIGTERM or SIGINT came: running analyses stop (api.c) */
    atomic_long open_jobs; /* requests handed to the queue and not yet answered */
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
/* Whether an endpoint is an analysis, answered by the work queue (the others answer on
 * the poll threads at once). */
bool srv_api_queued(const char *name);

/* The /v1/info document of the loaded network and scenarios (info.c). NULL when out of
 * memory. */
json_t *srv_info_build(const srv *s);

double srv_now(void);

/* Runs the server until SIGINT or SIGTERM (http.c). An exit code. */
int srv_run(srv *s);

#endif
