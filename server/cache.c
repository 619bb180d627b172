/*
 * cache.c — compiled graphs shared across the server's threads, by profile key.
 *
 * Compiling the embedded model takes far longer than a route on it, so a graph is compiled
 * once per profile (objective, weights, filters, scenario) and shared read-only. The cache
 * holds at most `cap` graphs; when full, the least recently used one leaves. A graph a
 * request still uses is only unlinked and freed by its last user, so eviction never pulls
 * a graph from under a search. Each graph keeps the route queries its requests returned:
 * at most one per thread is ever created, and a route costs no allocation of search
 * arrays. Compiling happens outside the lock; two threads asking for a new key at once
 * may both compile it, and the second copy is dropped. A graph compiled for a scenario sent
 * inline is never shared: the scenario (and its network) is freed with its request. The
 * spatial index of a graph (places by coordinates) is built on its first use, outside the
 * lock like a compile, and kept with the graph.
 */
#define _GNU_SOURCE
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct srv_entry {
    char *key;
    cor_graph *graph;
    cor_locator *locator;   /* NULL until a request snaps a coordinate */
    cor_route_query **pool; /* queries not in use */
    size_t n_pool, cap_pool;
    unsigned users;
    bool unlinked; /* evicted while in use: freed by its last user */
    unsigned long last_use;
};

struct srv_cache {
    const cor_network *net;
    pthread_mutex_t lock;
    srv_entry **entries;
    size_t n, cap;
    unsigned long clock;
    size_t compiled, hits;
};

static void entry_free(srv_entry *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->n_pool; i++) cor_route_query_free(e->pool[i]);
    free(e->pool);
    cor_locator_free(e->locator);
    cor_graph_free(e->graph);
    free(e->key);
    free(e);
}

srv_cache *srv_cache_new(const cor_network *net, size_t cap)
{
    srv_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->net = net;
    c->cap = cap ? cap : 1;
    c->entries = calloc(c->cap, sizeof *c->entries);
    if (!c->entries || pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c->entries);
        free(c);
        return NULL;
    }
    return c;
}

void srv_cache_free(srv_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) entry_free(c->entries[i]);
    free(c->entries);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static srv_entry *find(srv_cache *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->entries[i]->key, key) == 0) return c->entries[i];
    return NULL;
}

/* Makes room for one entry (lock held): the least recently used leaves the table. */
static void evict_one(srv_cache *c)
{
    size_t victim = 0;
    for (size_t i = 1; i < c->n; i++)
        if (c->entries[i]->last_use < c->entries[victim]->last_use) victim = i;
    srv_entry *e = c->entries[victim];
    c->entries[victim] = c->entries[--c->n];
    if (e->users) e->unlinked = true;
    else entry_free(e);
}

/* Takes a use of e (lock held): a pooled query, or NULL when a new one must be made. */
static cor_route_query *use(srv_cache *c, srv_entry *e)
{
    e->users++;
    e->last_use = ++c->clock;
    return e->n_pool ? e->pool[--e->n_pool] : NULL;
}

cor_route_query *srv_cache_acquire(srv_cache *c, const char *key, const cor_profile *p,
                                   srv_entry **held, cor_error *err)
{
    /* A scenario sent inline dies with its request: its graph is the request's alone. */
    bool private = strstr(key, "|scenario=inline:") != NULL;
    pthread_mutex_lock(&c->lock);
    srv_entry *e = private ? NULL : find(c, key);
    cor_route_query *q = e ? use(c, e) : NULL;
    if (e) c->hits++;
    pthread_mutex_unlock(&c->lock);
    if (!e) {
        srv_entry *fresh = calloc(1, sizeof *fresh);
        if (!fresh || !(fresh->key = strdup(key))) {
            entry_free(fresh);
            cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
            return NULL;
        }
        /* under a scenario that changes figures or adds links, its own network */
        const cor_network *net = p->scenario ? cor_scenario_network(p->scenario) : c->net;
        if (cor_graph_compile(&fresh->graph, net, p, err) != COR_OK) {
            entry_free(fresh);
            return NULL;
        }
        pthread_mutex_lock(&c->lock);
        c->compiled++;
        if (private) { /* freed by its (only) user's release */
            fresh->unlinked = true;
            e = fresh;
        } else if ((e = find(c, key)) != NULL) { /* another thread was quicker */
            entry_free(fresh);
        } else {
            if (c->n == c->cap) evict_one(c);
            c->entries[c->n++] = e = fresh;
        }
        q = use(c, e);
        pthread_mutex_unlock(&c->lock);
    }
    if (!q && !(q = cor_route_query_new(e->graph))) {
        srv_cache_release(c, e, NULL);
        cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory for a route query");
        return NULL;
    }
    *held = e;
    return q;
}

void srv_cache_release(srv_cache *c, srv_entry *e, cor_route_query *q)
{
    pthread_mutex_lock(&c->lock);
    if (q && !e->unlinked && e->n_pool == e->cap_pool) {
        size_t cap = e->cap_pool ? 2 * e->cap_pool : 4;
        cor_route_query **pool = realloc(e->pool, cap * sizeof *pool);
        if (pool) e->pool = pool, e->cap_pool = cap;
    }
    if (q && !e->unlinked && e->n_pool < e->cap_pool) e->pool[e->n_pool++] = q;
    else cor_route_query_free(q);
    bool last = --e->users == 0 && e->unlinked;
    pthread_mutex_unlock(&c->lock);
    if (last) entry_free(e);
}

const cor_locator *srv_cache_locator(srv_cache *c, srv_entry *e, cor_error *err)
{
    pthread_mutex_lock(&c->lock);
    cor_locator *loc = e->locator;
    pthread_mutex_unlock(&c->lock);
    if (loc) return loc;
    if (cor_locator_new(&loc, e->graph, err) != COR_OK) return NULL;
    pthread_mutex_lock(&c->lock);
    if (e->locator) cor_locator_free(loc); /* another request built it meanwhile */
    else e->locator = loc;
    loc = e->locator;
    pthread_mutex_unlock(&c->lock);
    return loc;
}

void srv_cache_stats(srv_cache *c, size_t *graphs, size_t *compiled, size_t *hits)
{
    pthread_mutex_lock(&c->lock);
    *graphs = c->n;
    *compiled = c->compiled;
    *hits = c->hits;
    pthread_mutex_unlock(&c->lock);
}

/* Appends "|tag=a,b,c" for a list. */
static void put_list(FILE *f, const char *tag, const char *const *items, size_t n)
{
    fprintf(f, "|%s=", tag);
    for (size_t i = 0; i < n; i++) fprintf(f, "%s%s", i ? "\x1f" : "", items[i]);
}

char *srv_profile_key(const profile_opts *p)
{
    char *key = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&key, &len);
    if (!f) return NULL;
    const cor_profile *pr = &p->profile;
    fprintf(f, "o=%d|vot=%.17g|co2=%.17g|modes=%u|layers=%u|planned=%d", (int)pr->objective,
            pr->value_of_time, pr->carbon_price, pr->modes, pr->layers, (int)pr->include_planned);
    put_list(f, "ac", pr->avoid_countries, pr->n_avoid_countries);
    put_list(f, "an", pr->avoid_nodes, pr->n_avoid_nodes);
    put_list(f, "al", pr->avoid_links, pr->n_avoid_links);
    const char *sc = p->scenario_key ? p->scenario_key : p->scenario_path;
    fprintf(f, "|scenario=%s", pr->scenario && sc ? sc : "");
    if (fclose(f) != 0) {
        free(key);
        return NULL;
    }
    return key;
}
