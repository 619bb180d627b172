/*
 * load_corridors.c — the members of a GeoJSON network beside its features: "corridors"
 * (named corridors as waypoint groups and filters), "demand" (the pairs the network is
 * about) and "name" (see docs/FORMAT.md). Each problem is reported with the JSON path of
 * the fault, e.g. field 'corridors[1].through[0][2]'; node ids are checked by the builder.
 */
#include "load.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool string_list(cor_report *r, json_t *arr, const char *path, const char **out,
                        size_t *n)
{
    if (!json_is_array(arr)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "must be an array of strings");
        return false;
    }
    bool ok = true;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (json_is_string(v)) out[(*n)++] = json_string_value(v);
        else {
            char p[128];
            snprintf(p, sizeof p, "%s[%zu]", path, i);
            cor_report_add(r, COR_ERR_INPUT, -1, -1, p, "must be a string");
            ok = false;
        }
    }
    return ok;
}

static bool mode_set(cor_report *r, json_t *arr, const char *path, unsigned *modes)
{
    const char *names[COR_MODE_COUNT * 4];
    size_t n = 0;
    if (json_array_size(arr) > COR_MODE_COUNT * 4 || !string_list(r, arr, path, names, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        cor_mode m;
        if (cor_mode_parse(names[i], &m)) *modes |= 1u << m;
        else {
            cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "unknown mode '%s'", names[i]);
            return false;
        }
    }
    return true;
}

/* Reads one corridor and hands it to the builder. */
static void read_corridor(cor_builder *b, cor_report *r, json_t *c, size_t k)
{
    char path[96];
    snprintf(path, sizeof path, "corridors[%zu]", k);
    if (!json_is_object(c)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "a corridor must be an object");
        return;
    }
    cor_corridor_spec spec = {0};
    spec.id = json_string_value(json_object_get(c, "id"));
    spec.name = json_string_value(json_object_get(c, "name"));
    spec.description = json_string_value(json_object_get(c, "description"));
    snprintf(path, sizeof path, "corridors[%zu].id", k);
    if (!spec.id) cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "missing: a corridor needs an id");
    json_t *through = json_object_get(c, "through"), *avoid = json_object_get(c, "avoid_countries");
    json_t *modes = json_object_get(c, "modes");
    size_t n_ids = 0, n_groups = json_array_size(through), n_avoid = json_array_size(avoid);
    size_t i;
    json_t *g;
    json_array_foreach(through, i, g) n_ids += json_array_size(g);
    const char **ids = calloc(n_ids + 1, sizeof *ids), **countries = calloc(n_avoid + 1, sizeof *countries);
    size_t *sizes = calloc(n_groups + 1, sizeof *sizes);
    bool ok = ids && countries && sizes && spec.id;
    snprintf(path, sizeof path, "corridors[%zu].through", k);
    if (through && !json_is_array(through)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "must be an array of arrays of node ids");
        ok = false;
    }
    size_t at = 0;
    json_array_foreach(through, i, g) {
        char gp[112];
        snprintf(gp, sizeof gp, "corridors[%zu].through[%zu]", k, i);
        size_t before = at;
        if (!ok || !string_list(r, g, gp, ids, &at)) ok = false;
        else sizes[i] = at - before;
    }
    snprintf(path, sizeof path, "corridors[%zu].avoid_countries", k);
    if (ok && avoid) ok = string_list(r, avoid, path, countries, &spec.n_avoid_countries);
    snprintf(path, sizeof path, "corridors[%zu].modes", k);
    if (ok && modes) ok = mode_set(r, modes, path, &spec.modes);
    if (ok) {
        spec.avoid_countries = countries;
        spec.through_ids = ids;
        spec.group_sizes = sizes;
        spec.n_groups = n_groups;
        if (cor_builder_add_corridor(b, &spec, -1, -1) != COR_OK)
            cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
    }
    free(ids);
    free(countries);
    free(sizes);
}

static void load_corridors(cor_builder *b, cor_report *r, json_t *root)
{
    json_t *list = json_object_get(root, "corridors");
    if (!list) return;
    if (!json_is_array(list)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "corridors", "must be an array of corridors");
        return;
    }
    size_t k;
    json_t *c;
    json_array_foreach(list, k, c) read_corridor(b, r, c, k);
}

/* One pair of "demand": {"from": ID, "to": ID, "quantity": N}. */
static void read_pair(cor_builder *b, cor_report *r, json_t *d, size_t k)
{
    char path[64];
    snprintf(path, sizeof path, "demand[%zu]", k);
    json_t *q = json_is_object(d) ? json_object_get(d, "quantity") : NULL;
    const char *from = json_string_value(json_object_get(d, "from"));
    const char *to = json_string_value(json_object_get(d, "to"));
    if (!json_is_object(d))
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path,
                       "a pair must be an object {from, to, quantity}");
    else if (!from || !to)
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "a pair needs the node ids 'from' and 'to'");
    else if (!json_is_number(q))
        cor_report_add(r, COR_ERR_INPUT, -1, -1, path, "a pair needs a number 'quantity'");
    else if (cor_builder_add_demand(b, from, to, json_number_value(q)) != COR_OK)
        cor_report_add(r, COR_ERR_NOMEM, -1, -1, NULL, "out of memory");
}

void cor_load_network_members(cor_builder *b, cor_report *r, json_t *root)
{
    load_corridors(b, r, root);
    json_t *name = json_object_get(root, "name"), *unit = json_object_get(root, "unit");
    json_t *list = json_object_get(root, "demand");
    if (name && !json_is_string(name))
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "name", "must be a string");
    if (unit && !json_is_string(unit))
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "unit", "must be a string, e.g. \"TEU\"");
    cor_builder_set_about(b, json_string_value(name), json_string_value(unit));
    if (list && !json_is_array(list)) {
        cor_report_add(r, COR_ERR_INPUT, -1, -1, "demand", "must be an array of pairs");
        return;
    }
    size_t k;
    json_t *d;
    json_array_foreach(list, k, d) read_pair(b, r, d, k);
}
