/*
 * route_internal.h — search internals other library modules build on (assignment loads
 * demand along the trees of one-to-many searches).
 */
#ifndef COR_ROUTE_INTERNAL_H
#define COR_ROUTE_INTERNAL_H

#include "corridor.h"

/* One forward search from `from` until every node of `to` is settled; found[j] is the
 * state where to[j] was settled, COR_NONE when unreachable. */
void cor_query_tree(cor_route_query *q, uint32_t from, const uint32_t *to, size_t n_to,
                    uint32_t *found);
/* The arcs of the shortest route between two nodes (bidirectional, A* when possible), in
 * *arcs (malloc'd, free it) and *n; false when there is no route or no memory. */
bool cor_query_route_arcs(cor_route_query *q, uint32_t from, uint32_t to, uint32_t **arcs,
                          size_t *n);
/* The shortest distance from `from` to `to` with some arcs and states banned (they are
 * as if absent); INFINITY when no route is left. Uses the query's ban stamps, so the bans
 * cost what they touch. false only when out of memory. */
bool cor_query_distance_without(cor_route_query *q, uint32_t from, uint32_t to,
                                const uint32_t *arcs, size_t n_arcs, const uint32_t *states,
                                size_t n_states, double *dist);
/* The same, with the figures of the route found when `figures` is set (hours, USD, CO2,
 * km, transfers, borders); t->cost is INFINITY when no route is left. */
bool cor_query_totals_without(cor_route_query *q, uint32_t from, uint32_t to,
                              const uint32_t *arcs, size_t n_arcs, const uint32_t *states,
                              size_t n_states, bool figures, cor_totals *t);
/* The arc by which the last search reached a state (COR_NONE at the origin). */
uint32_t cor_query_parent_arc(const cor_route_query *q, uint32_t state);
/* The state an arc leaves. O(log states). */
uint32_t cor_graph_arc_tail(const cor_graph *g, uint32_t arc);

#endif
