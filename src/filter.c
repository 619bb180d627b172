/*
 * filter.c — which links and nodes a profile lets through: its layers, modes, planned
 * links, avoided countries, nodes and links, and its scenario's openings and closures.
 * Under a scenario with its own network (figures changed), the filter is that network's.
 *
 * Routing (graph.c) and flows (maxflow.c) ask the same question, so they share this one
 * answer instead of two copies that could drift apart.
 */
#include "graph_internal.h"
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

cor_status cor_filter_init(cor_filter *f, const cor_network *net, const cor_profile *p,
                           cor_error *err)
{
    cor_status st = cor_scenario_resolve(p->scenario, &net, err);
    memset(f, 0, sizeof *f);
    if (st != COR_OK) return st;
    f->net = net;
    f->p = p;
    f->node_avoided = calloc(net->n_nodes + 1, 1);
    f->link_avoided = calloc(net->n_links + 1, 1);
    if (!f->node_avoided || !f->link_avoided) {
        cor_filter_clear(f);
        return cor_error_add(err, COR_ERR_NOMEM, NULL, -1, -1, NULL, "out of memory");
    }
    for (size_t i = 0; i < p->n_avoid_nodes; i++) {
        uint32_t n = cor_network_find_node(net, p->avoid_nodes[i]);
        if (n == COR_NONE)
            st = cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, "avoid-node",
                               "no node has the id '%s'", p->avoid_nodes[i]);
        else f->node_avoided[n] = 1;
    }
    for (size_t i = 0; i < p->n_avoid_links; i++) {
        uint32_t l = cor_network_find_link(net, p->avoid_links[i]);
        if (l == COR_NONE)
            st = cor_error_add(err, COR_ERR_NOT_FOUND, NULL, -1, -1, "avoid-link",
                               "no link has the id '%s'", p->avoid_links[i]);
        else f->link_avoided[l] = 1;
    }
    for (size_t k = 0; k < p->n_avoid_countries; k++)
        for (uint32_t n = 0; n < net->n_nodes; n++)
            if (cor_net_node_country(net, n) &&
                strcmp(cor_net_node_country(net, n), p->avoid_countries[k]) == 0)
                f->node_avoided[n] = 1;
    for (uint32_t n = 0; n < net->n_nodes; n++)
        if (cor_scenario_node_closed(p->scenario, n)) f->node_avoided[n] = 1;
    if (st != COR_OK) cor_filter_clear(f);
    return st;
}

bool cor_filter_link(const cor_filter *f, uint32_t i)
{
    cor_link buf; /* a peek: filtering every link of a mapped network fills no records */
    return cor_filter_link_record(f, i, cor_net_link_peek(f->net, i, &buf));
}

bool cor_filter_link_record(const cor_filter *f, uint32_t i, const cor_link *l)
{
    const cor_profile *p = f->p;
    unsigned layers = p->layers ? p->layers : 1u << COR_LAYER_TRANSPORT;
    if (!(layers & (1u << l->layer))) return false;
    if (p->modes && !(p->modes & (1u << l->mode))) return false;
    cor_link_status st = cor_scenario_status_of(p->scenario, i, l->status);
    if (!(st == COR_STATUS_OPEN || (st == COR_STATUS_PLANNED && p->include_planned)))
        return false;
    return !f->link_avoided[i] && !f->node_avoided[l->from] && !f->node_avoided[l->to];
}

void cor_filter_clear(cor_filter *f)
{
    free(f->node_avoided);
    free(f->link_avoided);
    f->node_avoided = f->link_avoided = NULL;
}
