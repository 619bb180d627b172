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

#include <stdatomic.h>

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

/* Nodes and links of a mapped network are filled in chunks of 2^6, on first use: small,
 * so that a few thousand scattered reads (the ends of --pairs) fill little. */
#define COR_CHUNK_BITS 6
typedef struct cor_link_source cor_link_source; /* network_file.c: the columns */

typedef struct cor_node_source cor_node_source;

struct cor_network {
    /* Read through cor_net_node(): filled chunk by chunk like the links (below). */
    cor_node *node_array;
    _Atomic uint8_t *node_state;
    const cor_node_source *node_source;
    size_t n_nodes;
    /* Read through cor_net_link(): a network mapped from a .cor fills this array chunk by
     * chunk on first use (link_state: 0 empty, 1 being filled, 2 ready), so a process pays
     * only for the links it reads. NULL link_state: every link is here already. */
    cor_link *link_array;
    _Atomic uint8_t *link_state;
    const cor_link_source *link_source;
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
    /* Loaded from a .cor (network_file.c): strings, coordinates and the id tables point
     * into the mapped file; nodes, links and corridors are allocated. */
    struct cor_file *map;     /* format: the one the .cor was built from (its meaning) */
    cor_graph **graphs;       /* the stored compiled graphs (cor_graph_compile hands out
                                 copies of them for their profiles) */
    size_t n_graphs;
    cor_cch *cch[16];               /* the routing index of stored graph k (NULL: none), */
    cor_cch_metric *cch_metric[16]; /* its metric; both wrap mapped arrays */
};

/* network_file.c: fills the chunk holding link i (other threads wait for it); &link i. */
const cor_link *cor_net_link_fill(const cor_network *net, uint32_t i);

const cor_node *cor_net_node_fill(const cor_network *net, uint32_t i);

/* Node i of the network (i < n_nodes). O(1); thread-safe on a shared network. */
static inline const cor_node *cor_net_node(const cor_network *net, uint32_t i)
{
    if (net->node_state && atomic_load_explicit(&net->node_state[i >> COR_CHUNK_BITS],
                                                memory_order_acquire) != 2)
        return cor_net_node_fill(net, i);
    return &net->node_array[i];
}

/* Link i of the network (i < n_links). O(1); thread-safe on a shared network. */
static inline const cor_link *cor_net_link(const cor_network *net, uint32_t i)
{
    if (net->link_state && atomic_load_explicit(&net->link_state[i >> COR_CHUNK_BITS],
                                                memory_order_acquire) != 2)
        return cor_net_link_fill(net, i);
    return &net->link_array[i];
}

/* Link i to read and forget: the network's own when it is filled already, or a copy made
 * in *buf from the columns of a mapped network, filling nothing. For the many scattered
 * reads of a search's legs. */
const cor_link *cor_net_link_peek(const cor_network *net, uint32_t i, cor_link *buf);
/* The country of node i (NULL when none), read without filling the node. */
const char *cor_net_node_country(const cor_network *net, uint32_t i);
/* The id of node i / link i, without filling a mapped network's records. */
const char *cor_net_node_id(const cor_network *net, uint32_t i);
const char *cor_net_link_id(const cor_network *net, uint32_t i);

/* For a mapped network, the columns of link ends (to read them without filling links);
 * false for a network built in memory (read cor_net_link). */
bool cor_net_link_end_columns(const cor_network *net, const uint32_t **from,
                              const uint32_t **to);
/* Copies every node into dst (n_nodes of them). */
void cor_network_copy_nodes(const cor_network *net, cor_node *dst);
/* Copies every link into dst (n_links of them). */
void cor_network_copy_links(const cor_network *net, cor_link *dst);
/* Makes view, a shallow copy of a network, read its links from `links` (n_links). */
void cor_network_view_links(cor_network *view, cor_link *links);

/* The sections of a mapped network's .cor whose names start with prefix ("g0.", and for
 * the index "c0."), names without it, data in place: up to max into out; returns how many
 * there are (0 for a network not from a .cor). O(sections). */
size_t cor_network_stored_arrays(const cor_network *net, const char *prefix, cor_array *out,
                                 size_t max);

/* network_file.c: a network mapped from a .cor file (cor_network_load calls it). */
cor_status cor_network_load_cor(cor_network **out, const char *path, cor_error *err);
/* network_file.c: frees a mapped network (cor_network_free calls it). */
void cor_network_free_mapped(cor_network *net);

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
/* Link `link`'s status under s: s's change, else `own` (the link's status in the network). */
cor_link_status cor_scenario_status_of(const cor_scenario *s, uint32_t link,
                                       cor_link_status own);
/* Whether s adds links or nodes (then it runs on its own network only). */
bool cor_scenario_adds(const cor_scenario *s);
/* A scenario of statuses only: s's (NULL: none; its network and figures shared, so s must
 * outlive it) with each of links[] that is mined or closed in the network and that s leaves
 * as it is, open — what restore computes on (a link s itself closes stays closed). For
 * net, or s's network when s is given. */
cor_status cor_scenario_opening(cor_scenario **out, const cor_network *net,
                                const cor_scenario *s, const uint32_t *links, size_t n,
                                cor_error *err);

#endif
