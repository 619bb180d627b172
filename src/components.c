/*
 * components.c — connectivity: the weakly connected components of a network.
 *
 * The idea: union-find (disjoint sets with union by size and path halving) over the links
 * a profile lets through, direction ignored, then one pass to number the components and
 * one to measure them. A network that falls into pieces is still a valid network — this
 * only describes it, so `validate` and `info` can say "328 pieces" instead of a later
 * "no route", and the OSM import can keep the largest.
 *
 * The trade-off: weak components (direction ignored) rather than strong ones. A one-way
 * street that cannot be left is in its street's component; strong components would need
 * a second graph pass and are a routing question, not a "did the data join up" one.
 */
#include "components_internal.h"
#include "graph_internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t find_root(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

static void join(uint32_t *parent, uint32_t *size, uint32_t a, uint32_t b)
{
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a == b) return;
    if (size[a] < size[b]) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    size[a] += size[b];
}

size_t cor_label_components(size_t n_nodes, size_t n_links, const uint32_t *ends,
                            const unsigned char *use, uint32_t *label)
{
    uint32_t *parent = malloc((n_nodes + 1) * sizeof *parent);
    uint32_t *size = malloc((n_nodes + 1) * sizeof *size);
    if (!parent || !size) {
        free(parent);
        free(size);
        return SIZE_MAX;
    }
    for (size_t v = 0; v < n_nodes; v++) {
        parent[v] = (uint32_t)v;
        size[v] = 1;
        label[v] = UINT32_MAX;
    }
    unsigned char *touched = (unsigned char *)size; /* reused below, after the joins */
    for (size_t i = 0; i < n_links; i++)
        if (!use || use[i]) join(parent, size, ends[2 * i], ends[2 * i + 1]);
    memset(touched, 0, n_nodes);
    for (size_t i = 0; i < n_links; i++)
        if (!use || use[i]) touched[ends[2 * i]] = touched[ends[2 * i + 1]] = 1;
    size_t count = 0;
    for (size_t v = 0; v < n_nodes; v++) {
        if (!touched[v]) continue;
        uint32_t r = find_root(parent, (uint32_t)v);
        if (label[r] == UINT32_MAX) label[r] = (uint32_t)count++;
        label[v] = label[r];
    }
    free(parent);
    free(size);
    return count;
}

static int by_size(const void *pa, const void *pb)
{
    const cor_component *a = pa, *b = pb;
    if (a->nodes != b->nodes) return a->nodes < b->nodes ? 1 : -1;
    if (a->links != b->links) return a->links < b->links ? 1 : -1;
    return (a->node > b->node) - (a->node < b->node);
}

static void grow_bbox(double *bbox, const cor_node *n)
{
    if (isnan(n->lon)) return;
    if (isnan(bbox[0]) || n->lon < bbox[0]) bbox[0] = n->lon;
    if (isnan(bbox[1]) || n->lat < bbox[1]) bbox[1] = n->lat;
    if (isnan(bbox[2]) || n->lon > bbox[2]) bbox[2] = n->lon;
    if (isnan(bbox[3]) || n->lat > bbox[3]) bbox[3] = n->lat;
}

/* Sizes, lengths and boxes of the labelled components, then sorted largest first with the
 * labels renumbered to match. */
static cor_status measure(const cor_network *net, const unsigned char *use, cor_components *c)
{
    c->items = calloc(c->count + 1, sizeof *c->items);
    uint32_t *rank = malloc((c->count + 1) * sizeof *rank);
    if (!c->items || !rank) return free(rank), COR_ERR_NOMEM;
    for (size_t k = 0; k < c->count; k++) {
        cor_component *it = &c->items[k];
        it->bbox[0] = it->bbox[1] = it->bbox[2] = it->bbox[3] = NAN;
        it->node = COR_NONE;
    }
    for (uint32_t v = 0; v < net->n_nodes; v++) {
        if (c->label[v] == COR_NONE) {
            c->isolated++;
            continue;
        }
        cor_component *it = &c->items[c->label[v]];
        it->nodes++;
        if (it->node == COR_NONE) it->node = v;
        grow_bbox(it->bbox, &net->nodes[v]);
    }
    for (uint32_t i = 0; i < net->n_links; i++) {
        if (!use[i]) continue;
        cor_component *it = &c->items[c->label[net->links[i].from]];
        it->links++;
        if (!isnan(net->links[i].length_km)) it->km += net->links[i].length_km;
    }
    qsort(c->items, c->count, sizeof *c->items, by_size);
    for (size_t k = 0; k < c->count; k++) rank[c->label[c->items[k].node]] = (uint32_t)k;
    for (uint32_t v = 0; v < net->n_nodes; v++)
        if (c->label[v] != COR_NONE) c->label[v] = rank[c->label[v]];
    free(rank);
    return COR_OK;
}

cor_status cor_network_components(const cor_network *net, const cor_profile *p,
                                  cor_components *out, cor_error *err)
{
    memset(out, 0, sizeof *out);
    cor_profile defaults;
    cor_profile_init(&defaults);
    cor_filter f;
    cor_status st = cor_filter_init(&f, net, p ? p : &defaults, err);
    if (st != COR_OK) return st;
    const cor_network *on = f.net; /* the scenario's own network when it has one */
    unsigned char *use = malloc(on->n_links + 1);
    uint32_t *ends = malloc((2 * on->n_links + 1) * sizeof *ends);
    out->label = malloc((on->n_nodes + 1) * sizeof *out->label);
    if (!use || !ends || !out->label) goto nomem;
    for (uint32_t i = 0; i < on->n_links; i++) {
        use[i] = cor_filter_link(&f, i);
        ends[2 * i] = on->links[i].from;
        ends[2 * i + 1] = on->links[i].to;
    }
    out->count = cor_label_components(on->n_nodes, on->n_links, ends, use, out->label);
    if (out->count == SIZE_MAX || measure(on, use, out) != COR_OK) goto nomem;
    free(use);
    free(ends);
    cor_filter_clear(&f);
    return COR_OK;
nomem:
    free(use);
    free(ends);
    cor_filter_clear(&f);
    cor_components_clear(out);
    return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
}

void cor_components_clear(cor_components *c)
{
    free(c->items);
    free(c->label);
    memset(c, 0, sizeof *c);
}

/* How a node's piece reads in a message. */
static void describe_piece(const cor_components *cc, uint32_t v, char *buf, size_t size)
{
    if (cc->label[v] == COR_NONE) snprintf(buf, size, "has no usable link");
    else
        snprintf(buf, size, "is in a piece of %zu nodes", cc->items[cc->label[v]].nodes);
}

bool cor_explain_no_route(const cor_network *net, const cor_profile *p, uint32_t from,
                          uint32_t to, cor_error *err)
{
    cor_components cc;
    cor_error quiet;
    cor_error_init(&quiet);
    bool apart = false;
    if (from < net->n_nodes && to < net->n_nodes &&
        cor_network_components(net, p, &cc, &quiet) == COR_OK) {
        apart = cc.label[from] == COR_NONE || cc.label[from] != cc.label[to];
        char a[64], b[64];
        describe_piece(&cc, from, a, sizeof a);
        describe_piece(&cc, to, b, sizeof b);
        if (apart)
            cor_error_add(err, COR_ERR_NO_ROUTE, NULL, -1, -1, NULL,
                          "'%s' and '%s' are not connected: the links this profile lets through "
                          "make %zu pieces; '%s' %s, '%s' %s",
                          net->nodes[from].id, net->nodes[to].id, cc.count, net->nodes[from].id, a,
                          net->nodes[to].id, b);
        cor_components_clear(&cc);
    }
    cor_error_clear(&quiet);
    return apart;
}
