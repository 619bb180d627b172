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
        grow_bbox(it->bbox, cor_net_node(net, v));
    }
    for (uint32_t i = 0; i < net->n_links; i++) {
        if (!use[i]) continue;
        cor_component *it = &c->items[c->label[cor_net_link(net, i)->from]];
        it->links++;
        if (!isnan(cor_net_link(net, i)->length_km)) it->km += cor_net_link(net, i)->length_km;
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
        ends[2 * i] = cor_net_link(on, i)->from;
        ends[2 * i + 1] = cor_net_link(on, i)->to;
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

/* Copies node i of net into b; false when the builder fails. */
static bool copy_node(cor_builder *b, const cor_network *net, uint32_t i)
{
    return cor_builder_add_node(b, cor_net_node(net, i), -1, -1) == COR_OK;
}

static bool copy_link(cor_builder *b, const cor_network *net, uint32_t i)
{
    cor_link l = *cor_net_link(net, i);
    l.from_id = cor_net_node(net, l.from)->id;
    l.to_id = cor_net_node(net, l.to)->id;
    const double *xy = l.geom_count ? net->coords + 2 * (size_t)l.geom_first : NULL;
    return cor_builder_add_link(b, &l, xy, l.geom_count, -1, -1) == COR_OK;
}

cor_status cor_network_keep_largest(const cor_network *net, cor_network **out, size_t *dropped_nodes,
                                    size_t *dropped_links, cor_error *err)
{
    *out = NULL;
    *dropped_nodes = *dropped_links = 0;
    cor_profile p;
    cor_profile_init(&p);
    p.layers = (1u << COR_LAYER_COUNT) - 1;
    p.include_planned = true;
    cor_components cc;
    cor_status st = cor_network_components(net, &p, &cc, err);
    if (st != COR_OK) return st;
    cor_builder *b = cor_builder_new(net->file);
    bool ok = b && cor_builder_reserve(b, cc.count ? cc.items[0].nodes : 0,
                                       cc.count ? cc.items[0].links : 0) == COR_OK;
    if (b) cor_builder_set_format(b, net->format);
    for (uint32_t i = 0; ok && i < net->n_nodes; i++) {
        if (cc.label[i] == 0) ok = copy_node(b, net, i);
        else ++*dropped_nodes;
    }
    for (uint32_t i = 0; ok && i < net->n_links; i++) {
        const cor_link *l = cor_net_link(net, i);
        if (cc.label[l->from] == 0 && cc.label[l->to] == 0) ok = copy_link(b, net, i);
        else ++*dropped_links;
    }
    cor_components_clear(&cc);
    if (!ok) {
        cor_builder_free(b);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    return cor_builder_finish(b, out, err);
}
