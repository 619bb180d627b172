/*
 * components_internal.h — weakly connected components over plain arrays, shared by
 * cor_network_components (components.c) and the OpenStreetMap import (import_osm.c),
 * which labels its links before it builds a network.
 */
#ifndef COR_COMPONENTS_INTERNAL_H
#define COR_COMPONENTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Labels the components of the undirected graph of n_nodes nodes whose links are
 * (ends[2i], ends[2i+1]) for the i with use[i] != 0 (use NULL: every link). label[v] is
 * its component, numbered 0.. in order of each component's lowest node; COR_NONE-like
 * UINT32_MAX for a node that no used link touches. Returns the number of components, or
 * SIZE_MAX when out of memory. O((n_nodes + n_links) α(n_nodes)). */
size_t cor_label_components(size_t n_nodes, size_t n_links, const uint32_t *ends,
                            const unsigned char *use, uint32_t *label);

#endif
