/*
 * corridors.c — named corridors stored with a network (northern, middle, southern,
 * maritime, ...): waypoint groups and filters that `compare` turns into routes.
 *
 * A corridor is data, not code: which nodes define it and which countries and modes it
 * may use live in the network file beside the links, so a new corridor needs no new
 * program.
 */
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

void cor_corridor_clear(cor_corridor *c)
{
    free((void *)c->avoid_countries);
    free((void *)c->through);
    free((void *)c->group_end);
    memset(c, 0, sizeof *c);
}

cor_status cor_corridor_copy(cor_pool *pool, const cor_corridor_spec *spec,
                             cor_pending_corridor *out)
{
    memset(out, 0, sizeof *out);
    size_t n_ids = 0;
    for (size_t g = 0; g < spec->n_groups; g++) n_ids += spec->group_sizes[g];
    const char **countries = calloc(spec->n_avoid_countries + 1, sizeof *countries);
    const char **ids = calloc(n_ids + 1, sizeof *ids);
    uint32_t *through = calloc(n_ids + 1, sizeof *through);
    uint32_t *ends = calloc(spec->n_groups + 1, sizeof *ends);
    bool ok = countries && ids && through && ends;
    out->c.id = cor_pool_strdup(pool, spec->id ? spec->id : "");
    out->c.name = cor_pool_strdup(pool, spec->name ? spec->name : spec->id ? spec->id : "");
    out->c.description = cor_pool_strdup(pool, spec->description);
    ok = ok && out->c.id && out->c.name && (out->c.description || !spec->description);
    for (size_t i = 0; ok && i < spec->n_avoid_countries; i++)
        ok = (countries[i] = cor_pool_strdup(pool, spec->avoid_countries[i])) != NULL;
    for (size_t i = 0; ok && i < n_ids; i++)
        ok = (ids[i] = cor_pool_strdup(pool, spec->through_ids[i])) != NULL;
    for (size_t g = 0, end = 0; ok && g < spec->n_groups; g++)
        ends[g] = (uint32_t)(end += spec->group_sizes[g]);
    if (!ok) {
        free(countries);
        free(ids);
        free(through);
        free(ends);
        return COR_ERR_NOMEM;
    }
    out->c.avoid_countries = countries;
    out->c.n_avoid_countries = spec->n_avoid_countries;
    out->c.modes = spec->modes;
    out->c.through = through;
    out->c.group_end = ends;
    out->c.n_groups = spec->n_groups;
    out->through_ids = ids;
    return COR_OK;
}

void cor_corridor_resolve(const cor_network *net, cor_pending_corridor *p, cor_error *err)
{
    cor_corridor *c = &p->c;
    uint32_t *through = (uint32_t *)c->through;
    size_t start = 0;
    if (!c->id[0])
        cor_error_add(err, COR_ERR_INPUT, net->file, p->line, p->feature, "corridors.id",
                      "a corridor needs an id");
    for (size_t g = 0; g < c->n_groups; g++) {
        if (c->group_end[g] == start)
            cor_error_add(err, COR_ERR_INPUT, net->file, p->line, p->feature, "corridors.through",
                          "corridor '%s': waypoint group %zu is empty", c->id, g + 1);
        for (size_t i = start; i < c->group_end[g]; i++) {
            through[i] = cor_network_find_node(net, p->through_ids[i]);
            if (through[i] == COR_NONE)
                cor_error_add(err, COR_ERR_INPUT, net->file, p->line, p->feature,
                              "corridors.through",
                              "corridor '%s' passes through node '%s', which does not exist",
                              c->id, p->through_ids[i]);
        }
        start = c->group_end[g];
    }
    for (size_t i = 0; i < c->n_avoid_countries; i++) {
        const char *cc = c->avoid_countries[i];
        if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
            cor_error_add(err, COR_ERR_INPUT, net->file, p->line, p->feature,
                          "corridors.avoid_countries",
                          "corridor '%s': '%s' is not an ISO 3166-1 alpha-2 code", c->id, cc);
    }
    free(p->through_ids);
    p->through_ids = NULL;
}

size_t cor_network_corridor_count(const cor_network *net)
{
    return net->n_corridors;
}

const cor_corridor *cor_network_corridor(const cor_network *net, size_t i)
{
    return i < net->n_corridors ? &net->corridors[i] : NULL;
}

uint32_t cor_network_find_corridor(const cor_network *net, const char *id)
{
    for (size_t i = 0; id && i < net->n_corridors; i++)
        if (strcmp(net->corridors[i].id, id) == 0) return (uint32_t)i;
    return COR_NONE;
}
