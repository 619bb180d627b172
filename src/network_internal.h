/*
 * network_internal.h — the inside of cor_network, shared by the library's modules.
 *
 * A network is a set of flat arrays (nodes, links, coordinates) plus two hash indexes
 * from string id to dense index. All strings live in a chunked pool owned by the network,
 * so the node and link structs can hold plain `const char *` that stay valid for the
 * network's life.
 */
#ifndef COR_NETWORK_INTERNAL_H
#define COR_NETWORK_INTERNAL_H

#include "corridor.h"

/* Chunked string pool: pointers into it never move. */
typedef struct cor_pool_chunk {
    struct cor_pool_chunk *next;
    size_t used, size;
    char data[];
} cor_pool_chunk;

typedef struct cor_pool {
    cor_pool_chunk *head;
} cor_pool;

const char *cor_pool_strdup(cor_pool *pool, const char *s); /* NULL in → NULL out */
void cor_pool_free(cor_pool *pool);

/* Open-addressing hash from a string to a dense index. */
typedef struct cor_index {
    uint64_t *slots; /* hash tag << 32 | index; all ones = empty */
    size_t mask;
} cor_index;

struct cor_network {
    cor_node *nodes;
    size_t n_nodes;
    cor_link *links;
    size_t n_links;
    double *coords; /* lon, lat pairs */
    size_t n_coords;
    cor_pool pool;
    cor_index node_index, link_index;
    char *file;
    cor_format format;
    cor_corridor *corridors;
    size_t n_corridors;
    const char *name;   /* the network's own name (in the pool), NULL when none */
    const char *unit;   /* what its transport figures are per (in the pool), NULL */
    cor_demand *demand; /* the reference demand the file carries (cor_network_demand) */
    size_t n_demand;
};

/* A corridor waiting for cor_builder_finish: its through-node ids are not resolved yet. */
typedef struct cor_pending_corridor {
    cor_corridor c; /* through is allocated but not filled */
    const char **through_ids;
    long line, feature;
} cor_pending_corridor;

/* corridors.c */
cor_status cor_corridor_copy(cor_pool *pool, const cor_corridor_spec *spec,
                             cor_pending_corridor *out);
/* Fills through[] from the ids; reports unknown nodes, countries and empty groups. */
void cor_corridor_resolve(const cor_network *net, cor_pending_corridor *p, cor_error *err);
void cor_corridor_clear(cor_corridor *c);

/* scenario.c: the network to compute on under scenario s when the caller passed *net (the
 * scenario's own network in place of its base); COR_ERR_USAGE when s was read for another
 * network, or adds elements and *net is the base. */
cor_status cor_scenario_resolve(const cor_scenario *s, const cor_network **net, cor_error *err);

#endif
